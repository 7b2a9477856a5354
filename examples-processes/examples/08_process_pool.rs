//! A pool of worker processes speeds up CPU-bound work on every core, once its start-up is paid.
//!
//! Each worker is a whole process running compiled code, so nothing serialises
//! them (no GIL, no lock between workers). The parent deals 256 small chunks
//! as workers free up, because the cost of testing a number grows with the
//! number (`examples-threads/examples/12_cpu_split.rs`). What a pool adds over
//! threads is its start-up: W processes to spawn and connect. On a big job
//! that is noise; on a small one it is most of the time.
//!
//! Run:
//!
//!     cargo xtask run processes 08_process_pool
//!
//! Observe: the pool's speedup over counting in one process, with and without
//! its start-up; on the small job the start-up alone is more than doing the
//! whole job in-process. Change `WORKERS` to 1 and the speedup is gone.
//!
//! Python: `multiprocessing.Pool(2).map(count, chunks)`; the pool's creation
//! is the start-up cost, paid once per `with Pool(...)` block.
//!
//! Compare: examples-threads/examples/12_cpu_split.rs

use std::time::Instant;

use examples_processes::pool::Pool;
use examples_processes::scenarios::cpu::pooled;
use workloads::cpu::count_primes_below;

/// One worker per core of the 2-core machine the figures were taken on;
/// `std::thread::available_parallelism()` would pick it for any machine.
const WORKERS: usize = 2;

fn main() {
    // The pool re-runs this program as `worker <name>`: play that role first.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // A big job and a small one: the same code, so only the ratio of work
    // to start-up differs.
    for n in [3_000_000, 20_000] {
        // The baseline: the same count in this process, no pool at all.
        let t = Instant::now();
        let serial = count_primes_below(n);
        let serial_time = t.elapsed();

        // Start-up: W processes, each spawned and connected over ipc-channel.
        // Timed apart from the work, because a real program pays it once
        // and then reuses the pool for many jobs.
        let t = Instant::now();
        let mut pool = Pool::start(&me, WORKERS).expect("start the pool");
        let startup = t.elapsed();

        // The work: chunk indices out, counts back; a few bytes per message.
        let t = Instant::now();
        let count = pooled(&mut pool, n).expect("the pool counts");
        let work = t.elapsed();
        // Closes each worker's task channel and reaps it: no process of the
        // pool outlives this loop iteration.
        pool.shutdown();

        // The pool must find exactly what one process found: a speedup of
        // a wrong answer would mean nothing.

        assert_eq!(count, serial);
        // Two speedups: the work alone (what a long-lived pool sees) and
        // work + start-up (what a one-off job sees).
        let speedup = serial_time.as_secs_f64() / work.as_secs_f64();
        let with_startup = serial_time.as_secs_f64() / (work + startup).as_secs_f64();
        println!("primes below {n}: {count}");
        println!("  one process:       {serial_time:>9.1?}");
        println!(
            "  pool of {WORKERS}:         {work:>9.1?} ({speedup:.2}x), start-up {startup:.1?}"
        );
        println!(
            "  pool incl. start:  {:>9.1?} ({with_startup:.2}x)",
            work + startup
        );
    }
    // Measured, not promised: the host's other load moves it from run to run.
    println!("(the speedup is measured, so it varies with what else the machine is doing)");
}
