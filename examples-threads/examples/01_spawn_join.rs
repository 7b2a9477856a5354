//! A spawned thread runs at the same time as `main`, and `join` hands back its result.
//!
//! `std::thread::spawn` asks the OS for a new thread with its own stack (2 MiB
//! of address space for Rust's threads) and returns a `JoinHandle`. The OS
//! scheduler decides when each thread runs, so the order of their output is
//! not fixed. `join` waits for the thread to end and returns what its closure
//! returned, or `Err` if it panicked.
//!
//! Run:
//!
//!     cargo xtask run threads 01
//!
//! Observe: the lines of the three workers interleave, in an order that changes
//! from run to run; the totals are always the same. Remove the `join` loop and
//! `main` may end before the workers print anything.
//!
//! Python: `threading.Thread(target=...).start()` then `.join()`; but a Python
//! thread cannot return a value, so results go through a shared list or queue.
//!
//! Compare: examples-processes/examples/01_spawn_child.rs (a child process),
//! examples-async/examples/01_lazy_futures.rs (a task),
//! examples-green/examples/01_green_threads.rs (a coroutine).

use std::thread;
use std::time::{Duration, Instant};

fn main() {
    let start = Instant::now();

    // Each closure is `move`: it takes ownership of `id`, so the thread does not
    // borrow from `main`'s stack frame, which could end before the thread does.
    let handles: Vec<thread::JoinHandle<u64>> = (1..=3u64)
        .map(|id| {
            thread::spawn(move || {
                let mut sum = 0;
                for step in 1..=4 {
                    sum += id * step;
                    println!("  worker {id}: step {step} at {:>5.1?}", start.elapsed());
                    // A short sleep lets the scheduler run the others in between.
                    thread::sleep(Duration::from_millis(5));
                }
                sum // the thread's return value travels back through `join`
            })
        })
        .collect();

    // `main` keeps running while the workers do: this line usually prints first.
    println!(
        "main: spawned {} threads in {:.1?}",
        handles.len(),
        start.elapsed()
    );

    // `join` blocks until that thread has finished. The `Result` is `Err` only
    // if the thread panicked (lesson 10 shows that case).
    let sums: Vec<u64> = handles
        .into_iter()
        .map(|h| h.join().expect("worker panicked"))
        .collect();

    let one_after_another = Duration::from_millis(3 * 4 * 5);
    println!(
        "main: joined all, sums {sums:?}, after {:.1?}",
        start.elapsed()
    );
    println!(
        "main: one thread would have slept {one_after_another:?}; these slept at the same time"
    );

    // Whatever the interleaving, worker k returns k * (1 + 2 + 3 + 4).
    assert_eq!(sums, [10, 20, 30]);
}
