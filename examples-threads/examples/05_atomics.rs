//! An atomic integer is a shared counter without a lock: `fetch_add` is one indivisible read-modify-write.
//!
//! A `Mutex` around a `u64` works, but each increment takes and releases a
//! lock, and a thread that finds it taken may be put to sleep. `AtomicU64`
//! asks the CPU instead: `fetch_add` reads, adds and writes back as one
//! instruction that no other core can split (`lock`-prefixed on x86-64), so
//! there is nothing to wait for but the cache line. The same count as
//! 04_mutex runs both ways below, and the lesson prints the ratio.
//!
//! Run:
//!
//!     cargo xtask run threads 05_atomics
//!
//! Observe: both counters end at exactly threads x increments; the atomic is
//! faster under contention on most machines, by the ratio printed.
//!
//! Python: no user-level atomics; the GIL makes single bytecodes atomic, but
//! `counter += 1` is several, so it needs a `threading.Lock` too.
//!
//! Compare: examples-processes/examples/10_shared_atomics.rs (the same atomics
//! in memory shared between processes).

// New: the atomic types and the memory `Ordering` every atomic call names.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const THREADS: u64 = 4;
const INCREMENTS: u64 = 200_000;

fn main() {
    // 04_mutex's counter, kept so this run measures both on the same machine.
    let counter = Arc::new(Mutex::new(0u64));
    let t_mutex = hammer(&counter, |c| *c.lock().unwrap() += 1);
    let by_mutex = *counter.lock().unwrap();

    // New: no Mutex. The atomic is shared by `&` alone: it is `Sync`, since
    // every change goes through an indivisible instruction.
    let atomic = Arc::new(AtomicU64::new(0));
    // New: `fetch_add` returns the old value (unused here) and stores old + 1
    // in one step. `Relaxed` suffices because nothing else is ordered by it:
    // we only need the count itself to be right, not to publish other data.
    let t_atomic = hammer(&atomic, |a| {
        a.fetch_add(1, Ordering::Relaxed);
    });
    // All threads were joined inside `hammer`, so every add is visible here.
    let by_atomic = atomic.load(Ordering::Relaxed);

    println!("{THREADS} threads x {INCREMENTS} increments each:");
    report("Arc<Mutex<u64>>", by_mutex, t_mutex);
    report("Arc<AtomicU64>", by_atomic, t_atomic);
    // A ratio, not a promise: it depends on the CPU, the core count and what
    // else runs. The counts, unlike the times, never vary.
    let ratio = t_mutex.as_secs_f64() / t_atomic.as_secs_f64();
    println!("  the atomic took 1/{ratio:.1} of the mutex's time here");

    let total = THREADS * INCREMENTS;
    assert_eq!([by_mutex, by_atomic], [total, total]);
}

/// Run `increment` INCREMENTS times on each of THREADS spawned threads.
/// `T: Send + Sync`: each thread gets an `Arc` clone (so `Arc<T>` must be
/// `Send`, which needs `T: Send + Sync`) and calls `increment` through `&T`.
fn hammer<T: Send + Sync + 'static>(shared: &Arc<T>, increment: fn(&T)) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let shared = Arc::clone(shared);
            thread::spawn(move || (0..INCREMENTS).for_each(|_| increment(&shared)))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    start.elapsed()
}

/// One line of the table: the final count, the time and the time per
/// increment (over all threads' increments: queueing for the lock included).
fn report(kind: &str, count: u64, t: Duration) {
    let per = t.as_nanos() as f64 / (THREADS * INCREMENTS) as f64;
    println!("  {kind:<16} {count} in {t:.1?} ({per:.0} ns per increment)");
}
