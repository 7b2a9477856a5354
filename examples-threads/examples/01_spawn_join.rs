//! A spawned thread runs at the same time as `main`, and `join` hands back its result.
//!
//! `std::thread::spawn` asks the OS for a new thread with its own stack (2 MiB
//! by default for Rust's threads: https://doc.rust-lang.org/std/thread/#stack-size)
//! and returns a `JoinHandle`. The OS scheduler decides when each thread runs,
//! so the order of their output is not fixed. `join` waits for the thread to
//! end and returns what its closure returned, or `Err` if it panicked.
//!
//! Run:
//!
//!     cargo xtask run threads 01_spawn_join
//!
//! Observe: the lines of the three workers interleave, in an order that changes
//! from run to run; the sums are always the same, and the whole run takes about
//! one worker's sleeping time, not three. Remove the `join` loop and `main` may
//! end before the workers print anything: returning from `main` ends the process.
//!
//! Python: `threading.Thread(target=...).start()` then `.join()`; but a Python
//! thread cannot return a value, so results go through a shared list or queue.
//!
//! Compare: examples-processes/examples/01_spawn_child.rs (a child process),
//! examples-async/examples/01_lazy_futures.rs (a task),
//! examples-green/examples/01_green_threads.rs (a coroutine).
//! What each unit costs: examples-processes/examples/14_process_start_cost.rs,
//! examples-processes/examples/15_process_memory.rs.

use std::thread;
use std::time::{Duration, Instant};

const WORKERS: u64 = 3;
const STEPS: u64 = 4;
const NAP: Duration = Duration::from_millis(5);

fn main() {
    let start = Instant::now();

    // Each closure is `move`: it takes ownership of `id`, so the thread does not
    // borrow from `main`'s stack frame, which could end before the thread does
    // (02_move_ownership is about exactly that).
    let handles: Vec<thread::JoinHandle<u64>> = (1..=WORKERS)
        .map(|id| {
            thread::spawn(move || {
                let mut sum = 0;
                for step in 1..=STEPS {
                    sum += id * step;
                    // Printing from several threads interleaves whole lines:
                    // `println!` locks stdout per line (24_print_serialises).
                    println!("  worker {id}: step {step} at {:>5.1?}", start.elapsed());
                    // The sleep gives the scheduler a reason to switch, so the
                    // interleaving shows even on one core.
                    thread::sleep(NAP);
                }
                // The closure's value is the thread's result; `join` returns it.
                sum
            })
        })
        .collect();

    // `main` keeps running while the workers do: spawning returns at once, so
    // this line usually prints before most worker lines.
    let spawned = start.elapsed();
    println!("main: spawned {WORKERS} threads in {spawned:.1?}");

    // `join` blocks until that thread has finished. The `Result` is `Err` only
    // if the thread panicked (17_panic_join shows that case). Joining in
    // order is fine: a thread that finishes early just waits to be collected.
    let sums: Vec<u64> = handles
        .into_iter()
        .map(|h| h.join().expect("worker panicked"))
        .collect();
    let together = start.elapsed();

    // The measured point of threads: the three workers slept at the same time,
    // so the wall time is near one worker's naps, not the sum of all of them.
    let one_after_another = NAP * (WORKERS * STEPS) as u32;
    println!("main: joined all, sums {sums:?}, after {together:.1?}");
    println!("main: one thread doing all the steps would sleep {one_after_another:?}");

    // Whatever the interleaving, worker k returns k * (1 + 2 + 3 + 4).
    assert_eq!(sums, [10, 20, 30]);
    // A generous bound (other programs may share the cores): if the workers
    // had run one after another, this would fail.
    assert!(together < one_after_another, "the threads did not overlap");
}
