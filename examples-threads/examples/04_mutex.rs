//! Threads change one shared value through `Arc<Mutex<T>>`: `Arc` shares it, the `Mutex` lets one thread in at a time.
//!
//! `Arc` (atomically reference-counted) lets several threads own one value;
//! alone it gives only shared, read-only access. To change the value, wrap it
//! in a `Mutex`: the only way to reach the data is through the guard that
//! `lock()` returns, and only one thread can hold that guard at a time. The
//! lock guards the data, not a stretch of code, so forgetting to lock is not
//! possible. Four threads below increment one counter and time it.
//!
//! Run:
//!
//!     cargo xtask run threads 04_mutex
//!
//! Observe: the counter ends at exactly threads x increments, every run; the
//! lesson prints the time per increment, which includes the threads queueing
//! for the lock. 05_atomics does the same count without a lock.
//!
//! Python: `threading.Lock()` around `counter += 1`, or `with lock:`.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const THREADS: u64 = 4;
const INCREMENTS: u64 = 200_000;

fn main() {
    // The counter lives inside the Mutex: there is no other path to the `u64`.
    let counter = Arc::new(Mutex::new(0u64));

    let start = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            // One more owner per thread: `clone` bumps a counter, the data is
            // not copied. The value is freed when the last owner drops it.
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..INCREMENTS {
                    // `lock()` waits while another thread holds the guard; the
                    // guard is a temporary, so the lock is released at the end
                    // of this statement, before the next iteration.
                    *counter.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    // Join before reading: only then have all increments happened.
    for h in handles {
        h.join().unwrap();
    }
    let took = start.elapsed();

    // `unwrap` on `lock()`: it is `Err` only if a thread panicked while holding
    // the guard (18_poisoning is about that).
    let count = *counter.lock().unwrap();
    println!("{THREADS} threads x {INCREMENTS} increments:");
    println!(
        "  Arc<Mutex<u64>>: {count} in {took:.1?} ({:.0} ns per increment)",
        per(took)
    );

    // Not one increment lost: each `+= 1` ran while its thread held the lock,
    // so no two threads ever read the same old value.
    assert_eq!(count, THREADS * INCREMENTS);
}

/// Nanoseconds per increment, over all threads' increments.
fn per(t: Duration) -> f64 {
    t.as_nanos() as f64 / (THREADS * INCREMENTS) as f64
}
