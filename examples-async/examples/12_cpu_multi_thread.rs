//! CPU-bound tasks speed up on the multi-thread runtime and not at all on `current_thread`, as in asyncio.
//!
//! Async does not make computation faster: a task that computes holds its
//! thread until it returns. With one thread (`current_thread`, or asyncio's
//! loop) the chunks run one after another. The multi-thread runtime has W
//! worker threads that steal queued tasks from each other, so W chunks run
//! at once. The price is the `Send` bound: a task may be moved to another
//! worker at any `.await`, so everything it holds across one must be `Send`.
//!
//! Run:
//!
//!     cargo xtask run async 12_cpu_multi_thread
//!
//! Observe: the printed speed-up of the multi-thread runtime (near the core
//! count on a quiet machine) and its chunks on several threads; current_thread
//! ran them all on 1. Timings vary between runs (use `cargo xtask compare
//! --scenarios cpu` for medians); the counts never do. Hold an `Rc` across an
//! `.await` in a spawned task and the compiler refuses it with an error,
//! "future cannot be sent between threads safely" (checked by
//! examples-async/compile-fail/rc_across_await/src/main.rs).
//!
//! Python: `asyncio.gather` of CPU-bound coroutines gets ~1x; Python needs
//! `loop.run_in_executor(ProcessPoolExecutor(), ...)` for more.
//!
//! Compare: examples-threads/examples/12_cpu_split.rs,
//! examples-threads/examples/19_gil.rs, examples-green/examples/12_cpu_workers.rs.

use std::collections::HashSet;
use std::rc::Rc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use tokio::runtime::{Builder, Runtime};
use tokio::task::{JoinSet, LocalSet};
use workloads::cpu::{chunk, count_primes_in, CHUNKS};

// Large enough that the work dwarfs spawning CHUNKS tasks, small enough to
// finish in well under a second even on one thread.
const N: u64 = 1_000_000;

/// Spawn one task per chunk, then gather the counts and the threads used.
/// The same code for both runtimes: only the `Runtime` passed in differs.
fn count_on(rt: &Runtime) -> (u64, HashSet<ThreadId>, Duration) {
    // Timed around `block_on` only: the runtimes are built beforehand, so
    // starting worker threads is not counted against the multi-thread one.
    let start = Instant::now();
    let (count, threads) = rt.block_on(async {
        // Many more chunks than workers: a worker that finishes early takes
        // (steals) the next one, so uneven chunks still balance out.
        let mut tasks = JoinSet::new();
        for i in 0..CHUNKS {
            // `spawn` needs `Send + 'static`: the range is moved in, and the
            // task may run on any worker.
            tasks.spawn(async move { (count_primes_in(chunk(N, i)), thread::current().id()) });
        }
        // `join_next` yields in completion order; the sum does not care.
        let (mut count, mut threads) = (0, HashSet::new());
        while let Some(done) = tasks.join_next().await {
            let (found, on) = done.expect("a chunk panicked");
            count += found;
            threads.insert(on);
        }
        (count, threads)
    });
    (count, threads, start.elapsed())
}

fn main() {
    // One worker per core: more would only take turns on the same cores.
    let cores = thread::available_parallelism().map_or(2, |n| n.get());
    // No `enable_*` calls: pure computation needs neither timers nor IO.
    let one = Builder::new_current_thread().build().unwrap();
    let many = Builder::new_multi_thread()
        .worker_threads(cores)
        .build()
        .unwrap();

    let (c1, threads1, t1) = count_on(&one);
    println!(
        "current_thread:            {c1} primes below {N} in {t1:.0?} on {} thread",
        threads1.len()
    );
    // Changed: the multi-thread runtime, same tasks, same code.
    let (cn, threadsn, tn) = count_on(&many);
    let speedup = t1.as_secs_f64() / tn.as_secs_f64();
    println!(
        "multi_thread, {cores} workers:    {cn} primes in {tn:.0?} on {} threads: {speedup:.2}x faster",
        threadsn.len()
    );
    // Timing is noise-prone, so only what is certain is asserted.
    assert_eq!((c1, threads1.len()), (cn, 1));

    // A task that is not `Send` (it holds an `Rc` across an `.await`) can
    // still run: on a `LocalSet`, which keeps it on the thread that made it.
    // That is the current_thread picture again: no parallelism.
    // `spawn_local` works only inside a `LocalSet`, which is driven by
    // `block_on` here on the current_thread runtime.
    let local = LocalSet::new();
    let shared = Rc::new(N);
    let on = local.block_on(&one, async move {
        tokio::task::spawn_local(async move {
            tokio::task::yield_now().await; // the Rc lives across this await
            (*shared, thread::current().id())
        })
        .await
        .unwrap()
    });
    // The proof: the task never left the thread that created it.
    println!(
        "spawn_local with an Rc ran on the main thread: {}",
        on.1 == thread::current().id()
    );
    assert_eq!(on, (N, thread::current().id()));
}
