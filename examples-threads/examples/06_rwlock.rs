//! An `RwLock` lets many readers in at once, or one writer alone; a `Mutex` lets in one of either.
//!
//! Data that is read often and changed rarely (a configuration, a routing
//! table) wastes a `Mutex`: readers queue behind each other although none of
//! them changes anything. `RwLock::read` hands out any number of shared
//! guards at once; `write` waits until no reader is left and then holds the
//! lock alone. Below, four readers each hold their guard for 50 ms, first
//! behind a `Mutex`, then behind an `RwLock`, and a counter records how many
//! were inside at the same time.
//!
//! Run:
//!
//!     cargo xtask run threads 06_rwlock
//!
//! Observe: behind the `Mutex` at most 1 reader was inside and the readers
//! took about four times 50 ms; behind the `RwLock` all 4 were inside together
//! and took about 50 ms. Both times are printed.
//!
//! Python: the standard library has no reader-writer lock; `threading.Lock`
//! is the `Mutex` row.

use std::sync::atomic::{AtomicUsize, Ordering};
// Changed: `RwLock` joins `Mutex`, so both can be measured side by side.
use std::sync::{Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

const READERS: usize = 4;
const HOLD: Duration = Duration::from_millis(50);

fn main() {
    // A stand-in for read-mostly data: many threads read it, one edits it.
    let config = String::from("primes below 2000000");

    // The Mutex row: "reading" still needs the one and only guard.
    let locked = Mutex::new(config.clone());
    let (most, t_mutex) = readers(|read| {
        let _guard = locked.lock().unwrap(); // held until the end of this closure
        read();
    });
    report("Mutex", most, t_mutex);
    let mutex_most = most;

    // New: the RwLock row. `read()` returns a shared guard; several exist at
    // once, so the readers' 50 ms overlap instead of adding up.
    let shared = RwLock::new(config);
    let (most, t_rwlock) = readers(|read| {
        let _guard = shared.read().unwrap(); // Changed: read(), not lock()
        read();
    });
    report("RwLock", most, t_rwlock);

    // New: a writer. `write()` waits until no read guard is left, then holds
    // the lock alone, so no reader ever sees a half-edited string.
    shared.write().unwrap().push_str(" (edited)");
    let edited = shared.read().unwrap().clone();
    println!("RwLock: the writer got in after the readers left: {edited:?}");

    // A Mutex admits one guard at a time, whatever the timing.
    assert_eq!(mutex_most, 1);
    // Timing-free check: a reader counted others inside with it. Normally all
    // 4 are; on a machine busy with other work a reader may start late.
    assert!(most > 1, "the RwLock never let two readers in together");
    assert_eq!(edited, "primes below 2000000 (edited)");
}

/// Run READERS threads; each calls `guarded`, which takes its guard and runs
/// the "reading" closure inside it. Returns the most readers seen inside
/// together, and the total time.
fn readers(guarded: impl Fn(&dyn Fn()) + Sync) -> (usize, Duration) {
    let inside = AtomicUsize::new(0);
    let most_inside = AtomicUsize::new(0);
    // The reading itself: count in, stay HOLD long, count out. `SeqCst` keeps
    // the reasoning simple; these atomics are for the report, not the lesson.
    let read = || {
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        most_inside.fetch_max(now, Ordering::SeqCst);
        thread::sleep(HOLD);
        inside.fetch_sub(1, Ordering::SeqCst);
    };
    let start = Instant::now();
    // Scoped threads (03_scoped_threads): they borrow the lock and counters,
    // no `Arc` needed, and the scope joins them before we read the result.
    thread::scope(|s| {
        for _ in 0..READERS {
            s.spawn(|| guarded(&read));
        }
    });
    (most_inside.load(Ordering::SeqCst), start.elapsed())
}

/// One line of the table: how many readers overlapped and how long all took.
fn report(lock: &str, most: usize, t: Duration) {
    println!("{lock:<6}: {READERS} readers holding it {HOLD:?} each: at most {most} inside at once, {t:.0?} in all");
}
