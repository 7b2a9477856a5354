//! One global lock around all work, as CPython's GIL is, leaves 2 threads no faster than 1.
//!
//! CPython runs bytecode only while holding the Global Interpreter Lock, so at
//! most one thread executes Python code at a time; a thread drops the lock
//! when it blocks on IO, and is asked to drop it every 5 ms (the default
//! switch interval: https://docs.python.org/3/library/sys.html#sys.setswitchinterval)
//! to let another in. For CPU-bound Python code, N threads then take turns on
//! one core's worth of time. Here 12_cpu_split's prime counting runs on all cores
//! with the work split into chunks, once freely and once holding one global
//! `Mutex` around each chunk: the simulated GIL.
//!
//! Run:
//!
//!     cargo xtask run threads 19_gil
//!
//! Observe: on an idle machine the free threads are close to the core count
//! faster than one; with the "GIL" they are about 1x (or a little slower:
//! handing the lock over costs too). Each line prints its speedup. Drop the guard before `count_primes_in` and the speedup returns.
//! On a machine busy with other work, the free speedup shrinks too.
//!
//! Python: `threading` for CPU-bound code behaves like the "gil" row;
//! `multiprocessing` (one interpreter and GIL per process) like the free row.
//!
//! Compare: `cargo xtask compare --scenarios cpu` runs the `gil` variant.
//! One worker like gevent: examples-green/examples/12_cpu_workers.rs; asyncio's
//! single thread: examples-async/examples/12_cpu_multi_thread.rs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use workloads::cpu::{chunk, count_primes_in, CHUNKS};

const N: u64 = 1_500_000;

/// The simulated GIL: one lock for the whole "interpreter". It guards no
/// data, only the right to run, which is exactly what the real one does for
/// Python code.
static GIL: Mutex<()> = Mutex::new(());

fn main() {
    // As many threads as cores: the free run could use them all, so any
    // shortfall in the GIL run is the lock's doing, not a lack of threads.
    let threads = thread::available_parallelism().map_or(2, |n| n.get());

    // The baseline: one thread, no lock, the same kernel.
    let start = Instant::now();
    let serial = count_primes_in(0..N);
    let t1 = start.elapsed();
    println!("1 thread:            {serial} primes below {N} in {t1:.0?}");

    // Same code twice; only `with_gil` differs, so the difference in time
    // is the cost of one lock around the work.
    let (free, t) = chunked(threads, false);
    report("free", threads, free, t1, t);
    let (gil, t) = chunked(threads, true);
    report("with the GIL", threads, gil, t1, t);

    // The GIL changes how long it takes, never the answer.
    assert_eq!([free, gil], [serial; 2]);
}

/// 12_cpu_split's fair split: threads take chunk indices from a shared counter.
/// `with_gil` wraps each chunk in the global lock, as CPython does each
/// stretch of bytecode.
fn chunked(threads: usize, with_gil: bool) -> (u64, Duration) {
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let total = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut found = 0;
                    // Take the next chunk index until they run out; the
                    // pattern `i @ 0..CHUNKS` stops the loop past the last.
                    while let i @ 0..CHUNKS = next.fetch_add(1, Ordering::Relaxed) {
                        // New: hold the global lock for the whole chunk. The
                        // other threads block here, and the cores they could
                        // use sit idle.
                        let _gil = with_gil.then(|| GIL.lock().unwrap());
                        found += count_primes_in(chunk(N, i));
                    }
                    found
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    (total, start.elapsed())
}

/// One line per run: speedup = serial time / this run's time.
fn report(how: &str, threads: usize, count: u64, serial: Duration, t: Duration) {
    let speedup = serial.as_secs_f64() / t.as_secs_f64();
    println!("{threads} threads, {how:<12} {count} primes in {t:.0?}, {speedup:.2}x faster than one thread");
}

// See it: `cargo xtask timeline threads --scenarios cpu --variants scoped,gil`
// draws which OS thread ran each chunk, and when (target/timeline/threads/,
// an SVG and a JSON for https://ui.perfetto.dev): the free threads' bars run
// side by side on two rows; the GIL's take turns, never two at once.
