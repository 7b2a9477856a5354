//! Starting a process costs several times what starting a thread costs: exec, the loader and a new address space.
//!
//! Starting a process means fork (copy the page tables), exec (map a new
//! program, load libc) and running `main`; a thread only needs a stack
//! mapping and a kernel task in the process that already runs. A pool pays
//! this once per worker, which is why `08_process_pool` times its start-up
//! apart from the work. What a unit weighs once started: `15_process_memory`.
//!
//! Run:
//!
//!     cargo xtask run processes 14_process_start_cost
//!
//! Observe: spawn + wait of one process and spawn + join of one thread, the
//! fastest of 50 and the mean, then how many times faster the thread starts.
//! On a busy machine the means grow with the waits for a free core, the
//! thread's most; the fastest runs, and their ratio, move far less.
//!
//! Python: `multiprocessing.Process` vs `threading.Thread`; a Python worker
//! process also loads an interpreter and its modules, so it starts slower
//! than this small Rust program does.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs

use std::time::{Duration, Instant};

use examples_processes::roles::task_command;

/// Enough runs that some find a free core even on a busy machine, few
/// enough to stay far from `ulimit -u` and to finish in well under a second.
const N: usize = 50;

/// Runs `unit` N times, one after the other, and returns the fastest and the
/// mean time. The fastest is the cost when a core was free at once; the mean
/// also holds every wait for a core, which on a busy machine can dominate.
fn fastest_and_mean(mut unit: impl FnMut()) -> (Duration, Duration) {
    let times: Vec<Duration> = (0..N)
        .map(|_| {
            let t = Instant::now();
            unit();
            t.elapsed()
        })
        .collect();
    let fastest = *times.iter().min().unwrap();
    (fastest, times.iter().sum::<Duration>() / N as u32)
}

fn main() {
    // The `nothing` role comes from the crate (`src/roles.rs`): play it
    // first when this program was started as a child.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // Each process is this program re-run in the `nothing` role: exec, the
    // dynamic loader, Rust's runtime set-up, then exit. Nothing cheaper than
    // that can be called "a worker process".
    // One at a time, so each figure is one unit's full cost, not an overlap.
    let (process, process_mean) = fastest_and_mean(|| {
        assert!(task_command(&me, &["nothing"]).status().unwrap().success());
    });

    // The same loop with threads: a stack mapping and a kernel task, no exec.
    // The thread does nothing either, so both loops time start + end only.
    // `join` returns once the scheduler has run the thread to its end, so
    // time spent waiting for a free core is counted here too.
    let (thread, thread_mean) = fastest_and_mean(|| std::thread::spawn(|| ()).join().unwrap());

    // The ratio of the fastest runs is the lesson: a busy neighbour adds
    // waits to some runs (the means show them) but rarely to every one.
    // Compare within one run, never across runs or machines.
    println!(
        "spawn + wait, one process: fastest {process:>9.1?}, mean of {N} {process_mean:>9.1?}"
    );
    println!("spawn + join, one thread:  fastest {thread:>9.1?}, mean of {N} {thread_mean:>9.1?}");
    println!(
        "a thread starts {:.0}x faster (fastest against fastest)",
        process.as_secs_f64() / thread.as_secs_f64()
    );
    // A self-check with a wide margin: a process start does what a thread
    // start does (a kernel task, a stack) and exec and the loader on top.
    assert!(thread < process);
}
