//! A thread cannot be killed from outside; it stops when its own code notices a request to stop.
//!
//! std has no `Thread::kill`: killing a thread mid-way would leave its locks
//! held and its data half-written (POSIX `pthread_cancel` exists, and Rust does
//! not expose it for that reason). Dropping a `JoinHandle` does not stop the
//! thread either; it only detaches it. So cancellation is cooperative: a
//! CPU-bound worker checks a shared `AtomicBool` between pieces of work, and
//! a worker blocked on a channel wakes when the channel closes or a message
//! says stop. How quickly it stops depends on how often it checks.
//!
//! Run:
//!
//!     cargo xtask run threads 12
//!
//! Observe: both workers stop within a fraction of a millisecond of the
//! request, with partial results. Make the search check the flag only every
//! 64 blocks and the delay grows; remove the check and `join` waits for the
//! whole search: hours (stop it with Ctrl-C).
//!
//! Python: the same: `threading.Event` as the flag, `event.is_set()` in the
//! loop; CPython has no way to kill a thread either.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{bounded, RecvTimeoutError};
use workloads::cpu::is_prime;

const HUGE: u64 = 1 << 40; // a search that would take hours

fn main() {
    // 1. A CPU-bound search, asked to stop by a flag. `Relaxed` is enough:
    //    the flag carries no data, and the worker only needs to see it
    //    eventually (in practice, at its next check).
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let searcher = thread::spawn(move || {
        let mut found = 0u64;
        for block in (0..HUGE).step_by(1000) {
            // The check point: once per 1000 numbers, not per number (too
            // costly) nor per million (too slow to react).
            if flag.load(Ordering::Relaxed) {
                return (found, block, Instant::now());
            }
            found += (block..block + 1000).filter(|&k| is_prime(k)).count() as u64;
        }
        (found, HUGE, Instant::now())
    });
    thread::sleep(Duration::from_millis(200));
    let asked = Instant::now();
    stop.store(true, Ordering::Relaxed);
    let (found, reached, stopped) = searcher.join().unwrap();
    println!(
        "flag: after 200 ms the search had reached {reached} ({found} primes); it stopped {:.0?} after being asked",
        stopped - asked
    );

    // 2. A worker blocked waiting for jobs. It sleeps in `recv_timeout`, so it
    //    cannot poll a flag; closing the channel (dropping the sender) wakes it.
    let (jobs, inbox) = bounded::<u64>(8);
    let waiter = thread::spawn(move || {
        let mut done = 0;
        loop {
            match inbox.recv_timeout(Duration::from_secs(10)) {
                Ok(_job) => done += 1,
                Err(RecvTimeoutError::Disconnected) => return (done, Instant::now()),
                Err(RecvTimeoutError::Timeout) => panic!("no stop request within 10 s"),
            }
        }
    });
    (0..5).for_each(|job| jobs.send(job).unwrap());
    thread::sleep(Duration::from_millis(50));
    let asked = Instant::now();
    drop(jobs); // the stop request: no sender is left
    let (done, stopped) = waiter.join().unwrap();
    println!(
        "channel: the waiting worker did {done} jobs, then woke and stopped {:.0?} after the channel closed",
        stopped - asked
    );

    assert!(reached < HUGE, "the search was cut short");
    assert_eq!(done, 5);
}
