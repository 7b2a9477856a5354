//! `thread::park` puts the current thread to sleep until another thread calls `unpark` on it.
//!
//! `park`/`unpark` is the small brick the other waiting primitives are built
//! from: each thread has one token. `unpark` sets the token (waking the thread
//! if it sleeps); `park` consumes it, or sleeps until it is set. So an
//! `unpark` that comes first is not lost, unlike a condvar notify
//! (21_condvar). `park` may also return spuriously, so real code re-checks a
//! flag after it. Timing the wake-up shows the cost every blocking hand-off
//! pays: 10_zero_capacity's round trip is two of these.
//!
//! Run:
//!
//!     cargo xtask run threads 23_park
//!
//! Observe: a park after an early unpark returns at once; a parked thread
//! wakes some microseconds after `unpark` (the median of 200 is printed, and
//! varies a lot between machines).
//!
//! Python: no direct twin; a `threading.Event` per thread comes closest.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Enough wake-ups for a stable median, each costing about a millisecond.
const ROUNDS: usize = 200;

fn main() {
    // New: after 22_barrier, no lock and no condition object, just the thread.
    // 1. The token: unpark first, park later. `park` finds the token set
    //    and returns at once, so the order of the two cannot lose a wake-up.
    let early = thread::scope(|s| {
        let sleeper = s.spawn(|| {
            thread::sleep(Duration::from_millis(20)); // unpark happens meanwhile
            let t = Instant::now();
            thread::park();
            t.elapsed()
        });
        // `thread()` is the sleeper's handle; unpark sets its token now,
        // 20 ms before it will park.
        sleeper.thread().unpark();
        sleeper.join().unwrap()
    });
    println!("park: after an early unpark, park returned in {early:.1?}");

    // 2. The wake-up cost: the sleeper parks, main unparks it and the sleeper
    //    notes when it ran again. Median of ROUNDS: single wake-ups vary a lot.
    let mut latencies: Vec<Duration> = (0..ROUNDS).map(|_| one_wake()).collect();
    // Sorted, so the middle element is the median; the slowest few are
    // the scheduler running something else first, not the wake-up itself.
    latencies.sort();
    let median = latencies[ROUNDS / 2];
    println!("park: a parked thread woke {median:.1?} after unpark (median of {ROUNDS})");

    // The early token made park return without sleeping for the 20 ms.
    assert!(early < Duration::from_millis(10));
}

/// Park a fresh thread, unpark it, return how long it took to run again.
fn one_wake() -> Duration {
    // `asleep`: the sleeper's "I am parking" and main's "I have unparked",
    // the flag real code re-checks around `park`.
    let asleep = AtomicBool::new(false);
    // When the sleeper ran again, read by main after the join.
    let woken_at = Mutex::new(None);
    thread::scope(|s| {
        let sleeper = s.spawn(|| {
            asleep.store(true, Ordering::SeqCst);
            // A spurious return would end this early and under-report: the
            // loop parks again until main says it has unparked.
            while asleep.load(Ordering::SeqCst) {
                thread::park();
            }
            *woken_at.lock().unwrap() = Some(Instant::now());
        });
        // Wait until the sleeper is about to park, then give it time to get
        // there; 1 ms is ample for a thread that only has to call park().
        while !asleep.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        thread::sleep(Duration::from_millis(1));
        // The clock starts before the flag and the unpark: both are part of
        // what waking a thread costs.
        let unparked = Instant::now();
        asleep.store(false, Ordering::SeqCst);
        sleeper.thread().unpark();
        sleeper.join().unwrap();
        woken_at.lock().unwrap().unwrap() - unparked
    })
}
