//! A counter built from `load` then `store` compiles, has no data race, and still loses updates.
//!
//! Rust rules out data races: two threads may not write the same memory
//! without an atomic or a lock. It does not rule out race *conditions*. Each
//! `load` and each `store` below is atomic, but the pair is not: if another
//! thread stores between our load and our store, our store overwrites its
//! increment with a stale value. 05_atomics avoids this with `fetch_add`,
//! one indivisible read-modify-write. Here two threads make a million
//! increments the wrong way, and the lesson counts what was lost.
//!
//! Run:
//!
//!     cargo xtask run threads 25_lost_update
//!
//! Observe: on 2 cores typically a large share of the million is lost; on one
//! core it can be none at all ("nothing lost this time"). The small run
//! a unit test would do (2 threads x 100 increments, 100 times) almost always
//! loses nothing: each thread finishes before the other has even started.
//! The model-checked twin finds the loss every time, in microseconds:
//! `cargo test -p examples-threads --features model-check --test model_check_lost_update`.
//! Exercise `threads/10_fix_lost_update` fixes such a counter, checked by loom.
//!
//! Python: `counter += 1` from several threads loses updates the same way:
//! it is a load, an add and a store, and the GIL can switch between them.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;
use std::thread;

/// Two threads are enough: one loss needs one store between another
/// thread's load and store.
const THREADS: u64 = 2;

fn main() {
    // The lesson's run: a million increments in all.
    let increments = 500_000;
    let lost = lost_updates(increments, true);
    let total = THREADS * increments;
    println!("{THREADS} threads x {increments} increments by load + store:");
    if lost == 0 {
        // Possible, above all on one core: a thread is rarely preempted
        // exactly between its load and its store. Still a bug.
        println!("  nothing lost this time (the bug is still there: see the model-checked twin)");
    } else {
        let share = 100.0 * lost as f64 / total as f64;
        println!("  {lost} of {total} increments lost ({share:.1} %)");
    }

    // What a quick unit test would do: small, and a few times. Spawning a
    // thread costs tens of microseconds, far longer than 100 increments, so
    // the first thread is usually done before the second one starts: the
    // threads never overlap and the test passes.
    let runs = 100;
    let failing = (0..runs).filter(|_| lost_updates(100, false) > 0).count();
    println!("a unit test's run, {THREADS} threads x 100 increments, {runs} times:");
    println!("  {failing} of {runs} runs lost an update; a test that passes is not proof");

    // The right version for comparison: the same work with `fetch_add`.
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| (0..increments).for_each(|_| _ = counter.fetch_add(1, Relaxed)));
        }
    });
    println!(
        "the same with fetch_add (05_atomics): {} of {total}",
        counter.load(Relaxed)
    );
    assert_eq!(counter.load(Relaxed), total);
}

/// THREADS threads each add 1 `increments` times with a separate load and
/// store; returns how many of the increments are missing at the end.
/// `together`: a barrier starts them at once (a unit test rarely has one).
fn lost_updates(increments: u64, together: bool) -> u64 {
    let counter = AtomicU64::new(0);
    let start = Barrier::new(if together { THREADS as usize } else { 1 });
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                start.wait();
                for _ in 0..increments {
                    // The bug: between this load and the store below, the
                    // other thread may store; we then write back a value
                    // that does not include its increment.
                    let seen = counter.load(Relaxed);
                    counter.store(seen + 1, Relaxed);
                }
            });
        }
    });
    // `scope` joined both threads, so every store is visible here.
    THREADS * increments - counter.load(Relaxed)
}
