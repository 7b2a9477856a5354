//! CPU-bound coroutines use as many cores as may has workers: W workers give up to Wx, one worker (gevent's M:1) gives 1x.
//!
//! Coroutines are scheduled cooperatively on may's worker threads, so CPU
//! work runs in parallel only across workers: with W of them, W chunks run at
//! once. With one worker, as under gevent, they only take turns, and pure CPU
//! work gains nothing. may's worker count is global and fixed at the first
//! spawn, so this lesson re-runs itself once per worker count.
//!
//! Run:
//!
//!     cargo xtask run green 12_cpu_workers
//!
//! Observe: the printed speed-up over one thread: near the core count with
//! one worker per core (host noise can cut it: compare medians with `cargo
//! xtask compare --scenarios cpu`), about 1.0x with 1 worker. The prime counts
//! are always equal.
//!
//! Python: gevent runs CPU-bound greenlets one at a time: 1x, like `1 worker`.
//!
//! Compare: examples-threads/examples/12_cpu_split.rs,
//! examples-threads/examples/19_gil.rs,
//! examples-async/examples/12_cpu_multi_thread.rs.

use std::process::Command;
use std::time::{Duration, Instant};

use may::coroutine;
use workloads::cpu::{chunk, count_primes_in, CHUNKS};

const N: u64 = 2_000_000;

/// The child's role: configure W workers, count with a coroutine per chunk,
/// and print "count nanoseconds" for the parent.
fn child(workers: usize) {
    // Before the first spawn, or ignored: hence one process per worker count.
    may::config().set_workers(workers).set_worker_pin(false);
    // SAFETY: an empty coroutine keeps every rule. It starts may (workers,
    // stack pool) before the clock starts, so start-up is not timed.
    unsafe { coroutine::spawn(|| ()) }.join().unwrap();
    let start = Instant::now();
    let handles: Vec<_> = (0..CHUNKS)
        .map(|i| {
            // SAFETY: pure computation, no thread-locals, no blocking, small
            // frames. A chunk is one of CHUNKS slices of the range, short
            // enough not to need a `yield_now` inside (a long loop would:
            // nothing pre-empts a busy coroutine, 07_cancellation).
            unsafe { coroutine::spawn(move || count_primes_in(chunk(N, i))) }
        })
        .collect();
    let count: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{count} {}", start.elapsed().as_nanos());
}

fn main() {
    // The child role is chosen by a numeric argument (any other, such as
    // `--break`, runs the parent as usual).
    if let Some(w) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        return child(w);
    }
    // The baseline: one plain loop on the main thread, no runtime at all.
    let start = Instant::now();
    let serial = count_primes_in(0..N);
    let t1 = start.elapsed();
    println!("1 thread, no coroutines: {serial} primes below {N} in {t1:.0?}");

    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    for workers in [cores, 1] {
        // A fresh process of this same binary, so its may starts configured.
        let exe = std::env::current_exe().unwrap();
        let out = Command::new(exe).arg(workers.to_string()).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        // "count nanoseconds": the child's timing excludes its start-up.
        let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().unwrap());
        let (count, ns) = (fields.next().unwrap(), fields.next().unwrap());
        let t = Duration::from_nanos(ns);
        println!(
            "{workers} worker(s), {CHUNKS} coroutines: {count} primes in {t:.0?}, {:.2}x one thread",
            t1.as_secs_f64() / t.as_secs_f64()
        );
        assert_eq!(count, serial);
    }
}

// See it: `cargo xtask timeline green --scenarios cpu` draws which OS thread
// ran each coroutine's chunk, and when (target/timeline/green/, an SVG and a
// JSON for https://ui.perfetto.dev): `may` spreads them over two worker rows
// running at once, `may-1` puts every one on a single row.
