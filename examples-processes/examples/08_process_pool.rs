//! A pool of worker processes speeds up CPU-bound work on every core, once its start-up is paid.
//!
//! Each worker is a whole process with its own interpreter-free copy of the
//! work, so nothing serialises them (no GIL, no shared lock). The parent deals
//! small chunks as workers free up, because the cost of testing a number
//! grows with the number (see the threads lesson on splits). What a pool adds
//! over threads is its start-up: W processes to spawn and connect. On a big
//! job that is noise; on a small one it is most of the time.
//!
//! Run:
//!
//!     cargo xtask run processes 05
//!
//! Observe: on 2 cores the pool of 2 is ~1.8-1.9x faster than counting here
//! in one process, plus a few ms of start-up; on the small job the start-up
//! alone is more than doing it in-process. Change `WORKERS` to 1: no speedup.
//!
//! Python: `multiprocessing.Pool(2).map(count, chunks)`; the pool's creation
//! is the start-up cost, paid once per `with Pool(...)` block.
//!
//! Compare: examples-threads/examples/06_cpu_split.rs

use std::time::Instant;

use examples_processes::pool::Pool;
use examples_processes::scenarios::cpu::pooled;
use workloads::cpu::count_primes_below;

const WORKERS: usize = 2;

fn main() {
    // The pool re-runs this program as `worker <name>`: play that role first.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    for n in [3_000_000, 20_000] {
        let t = Instant::now();
        let serial = count_primes_below(n);
        let serial_time = t.elapsed();

        // Start-up: W processes, each spawned and connected over ipc-channel.
        let t = Instant::now();
        let mut pool = Pool::start(&me, WORKERS).expect("start the pool");
        let startup = t.elapsed();

        // The work: chunk indices out, counts back; a few bytes per message.
        let t = Instant::now();
        let count = pooled(&mut pool, n).expect("the pool counts");
        let work = t.elapsed();
        pool.shutdown();

        assert_eq!(count, serial);
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
    println!("(the speedup is measured, so it varies with what else the machine is doing)");
}
