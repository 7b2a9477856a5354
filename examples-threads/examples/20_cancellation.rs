//! A thread cannot be killed from outside; it stops when its own code notices a request to stop.
//!
//! std has no `Thread::kill`: killing a thread mid-way would leave its locks
//! held and its data half-written (POSIX `pthread_cancel` exists, and Rust does
//! not expose it for that reason). Dropping a `JoinHandle` does not stop the
//! thread either; it only detaches it. So cancellation is cooperative: a
//! CPU-bound worker checks a shared `AtomicBool` between pieces of work, and
//! a worker blocked on a channel wakes when the channel closes. How quickly
//! it stops depends on how often it checks.
//!
//! Run:
//!
//!     cargo xtask run threads 20_cancellation
//!
//! Observe: both workers stop soon after the request (the delays are
//! printed), with partial results. Make the search check the flag only every
//! 64 blocks and the delay grows.
//!
//! Break: `cargo xtask run threads 20_cancellation -- --break` runs a search
//! that never checks the flag. The lesson's watchdog sees it still running a
//! second after the request, prints how long `join` would wait (a lower bound
//! from the measured rate), and ends the process, which ends the thread.
//!
//! Python: the same: `threading.Event` as the flag, `event.is_set()` in the
//! loop; CPython has no way to kill a thread either.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{bounded, RecvTimeoutError};
use workloads::cpu::is_prime;

/// The search's end: far more numbers than anyone would wait for.
const HUGE: u64 = 1 << 40;
const BLOCK: u64 = 1000;
/// How long the search runs before we ask it to stop.
const RUN_FOR: Duration = Duration::from_millis(200);
/// How long after the request we wait before calling the search runaway.
const WATCHDOG: Duration = Duration::from_secs(1);

fn main() {
    let broken = std::env::args().any(|a| a == "--break");

    // 1. A CPU-bound search, asked to stop by a flag. `Relaxed` is enough:
    //    the flag carries no data, and the worker only needs to see it
    //    eventually (in practice, at its next check).
    let stop = Arc::new(AtomicBool::new(false));
    // How far the search got, published per block for the report below.
    let reached = Arc::new(AtomicU64::new(0));
    let (flag, progress) = (Arc::clone(&stop), Arc::clone(&reached));
    // The worker returns its partial count and the moment it noticed.
    let searcher = thread::spawn(move || {
        let mut found = 0u64;
        for block in (0..HUGE).step_by(BLOCK as usize) {
            // The check point, once per block: often enough to react fast
            // (the delay is printed), rare enough to cost nothing next to
            // a thousand prime tests. `--break` leaves it out.
            if !broken && flag.load(Ordering::Relaxed) {
                return (found, Instant::now());
            }
            found += (block..block + BLOCK).filter(|&k| is_prime(k)).count() as u64;
            progress.store(block + BLOCK, Ordering::Relaxed);
        }
        (found, Instant::now())
    });
    thread::sleep(RUN_FOR);
    let asked = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let at = reached.load(Ordering::Relaxed);
    // A lower bound for the whole search: larger numbers cost more to test,
    // so the rate so far is the best it will ever be.
    let hours = (HUGE as f64 / at as f64) * RUN_FOR.as_secs_f64() / 3600.0;

    // The watchdog: poll `is_finished` instead of calling `join`, which would
    // block for as long as the thread runs, so a runaway cannot hang us.
    while !searcher.is_finished() && asked.elapsed() < WATCHDOG {
        thread::sleep(Duration::from_millis(1));
    }
    if searcher.is_finished() {
        let (found, stopped) = searcher.join().unwrap();
        let delay = stopped - asked;
        println!("flag: after {RUN_FOR:?} the search had reached {at} ({found} primes); it stopped {delay:.0?} after being asked");
    } else {
        // Under --break: the thread is alive and will be for days. Say so.
        println!("--break: the search ignores the flag and is still running {WATCHDOG:?} after the request; join() would wait for all of 0..2^40");
        println!("--break: nothing can stop the thread from outside; returning from main ends the process, and the thread with it");
    }
    println!("flag: the whole search would take at least {hours:.0} hours at that rate");

    // 2. A worker blocked waiting for jobs. It sleeps in `recv_timeout`, so it
    //    cannot poll a flag; closing the channel (dropping the sender) wakes it.
    let (jobs, inbox) = bounded::<u64>(8);
    let waiter = thread::spawn(move || {
        let mut done = 0;
        loop {
            match inbox.recv_timeout(Duration::from_secs(10)) {
                Ok(_job) => done += 1,
                // Disconnected: every sender is gone, the stop request.
                Err(RecvTimeoutError::Disconnected) => return (done, Instant::now()),
                // A hang detector, far above the 50 ms the lesson takes.
                Err(RecvTimeoutError::Timeout) => panic!("no stop request within 10 s"),
            }
        }
    });
    // Five jobs, then silence: the worker is asleep in `recv_timeout` when
    // the stop request comes, the case a flag could not handle.
    (0..5).for_each(|job| jobs.send(job).unwrap());
    thread::sleep(Duration::from_millis(50));
    let asked = Instant::now();
    drop(jobs); // the stop request: no sender is left
    let (done, stopped) = waiter.join().unwrap();
    let delay = stopped - asked;
    println!("channel: the waiting worker did {done} jobs, then woke and stopped {delay:.0?} after the channel closed");

    // The search was cut short (or, under --break, left running and named).
    assert!(at < HUGE);
    assert_eq!(done, 5);
}
