//! Threads share mutable state through `Arc` plus a lock or an atomic; each costs differently.
//!
//! `Arc` (atomically reference-counted) lets several threads own one value;
//! alone it gives only shared, read-only access. To change the value, wrap it
//! in a `Mutex` (one thread at a time), an `RwLock` (many readers or one
//! writer) or use an atomic integer (one indivisible hardware instruction,
//! no lock at all). The counters below do the same increments three ways and
//! time them, and the readers show an `RwLock` letting readers in together.
//!
//! Run:
//!
//!     cargo xtask run threads 03
//!
//! Observe: every counter ends at exactly threads x increments; the atomic is
//! typically several times faster than the mutex under contention, and the
//! `RwLock` lets readers overlap. Replace `fetch_add` by a `load` then a
//! `store` and the atomic count comes up short: two threads read the same value.
//!
//! Python: `threading.Lock()` around `counter += 1`; Python has no user-level
//! atomics (the GIL makes single bytecodes atomic, not `+=`).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

const THREADS: u64 = 4;
const INCREMENTS: u64 = 200_000;

fn main() {
    // Mutex: the lock guards the data, not the code. The only way to reach the
    // `u64` is through the guard `lock()` returns; the lock is released when
    // the guard is dropped at the end of the statement.
    let counter = Arc::new(Mutex::new(0u64));
    let t_mutex = hammer(&counter, |c| *c.lock().unwrap() += 1);
    let by_mutex = *counter.lock().unwrap();

    // Atomic: no lock. `fetch_add` is one read-modify-write the hardware does
    // indivisibly. `Relaxed` suffices because nothing else is ordered by it:
    // we only need the count itself to be right.
    let atomic = Arc::new(AtomicU64::new(0));
    let t_atomic = hammer(&atomic, |a| {
        a.fetch_add(1, Ordering::Relaxed);
    });
    let by_atomic = atomic.load(Ordering::Relaxed);

    let total = THREADS * INCREMENTS;
    println!("{THREADS} threads x {INCREMENTS} increments each:");
    println!(
        "  Arc<Mutex<u64>>: {by_mutex} in {t_mutex:.1?} ({:.0} ns per increment)",
        per(t_mutex)
    );
    println!(
        "  Arc<AtomicU64>:  {by_atomic} in {t_atomic:.1?} ({:.0} ns per increment)",
        per(t_atomic)
    );
    println!(
        "  the atomic was {:.1}x faster here",
        t_mutex.as_secs_f64() / t_atomic.as_secs_f64()
    );

    // RwLock: readers share the lock, a writer waits for all of them. Each
    // reader holds the read guard for 50 ms; `inside` counts how many are in
    // at once, which a Mutex would keep at 1.
    let config = Arc::new(RwLock::new(String::from("primes below 2000000")));
    let inside = Arc::new(AtomicUsize::new(0));
    let most_inside = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let readers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (config, inside, most_inside) =
                (config.clone(), inside.clone(), most_inside.clone());
            thread::spawn(move || {
                let guard = config.read().unwrap();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most_inside.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(50));
                inside.fetch_sub(1, Ordering::SeqCst);
                guard.len()
            })
        })
        .collect();
    for r in readers {
        r.join().unwrap();
    }
    // The writer gets in only once no reader holds the lock.
    config.write().unwrap().push_str(" (edited)");
    println!(
        "RwLock: {THREADS} readers held the lock for 50 ms each; up to {} were inside at once; all done in {:.0?}",
        most_inside.load(Ordering::SeqCst),
        start.elapsed()
    );

    assert_eq!([by_mutex, by_atomic], [total, total]);
    assert_eq!(*config.read().unwrap(), "primes below 2000000 (edited)");
}

/// Run `increment` INCREMENTS times on each of THREADS spawned threads.
fn hammer<T: Send + Sync + 'static>(shared: &Arc<T>, increment: fn(&T)) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            // One more owner per thread: `clone` bumps a counter, the data is
            // not copied. The value is freed when the last owner drops it.
            let shared = Arc::clone(shared);
            thread::spawn(move || (0..INCREMENTS).for_each(|_| increment(&shared)))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    start.elapsed()
}

fn per(t: Duration) -> f64 {
    t.as_nanos() as f64 / (THREADS * INCREMENTS) as f64
}
