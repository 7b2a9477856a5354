//! A `Barrier` holds every thread at one point until all of them have arrived, then lets them all go.
//!
//! Work in phases (load, then compute; compute, then exchange results) often
//! needs everyone done with phase 1 before anyone starts phase 2. A
//! `Barrier::new(n)` blocks each caller of `wait` until the n-th arrives; then
//! all n continue, and the barrier is ready for the next round. Waiting there
//! is sleeping in the kernel, not spinning. Below, 4 workers finish phase 1 at
//! different times and each checks, after the barrier, whether all 4 were done.
//!
//! Run:
//!
//!     cargo xtask run threads 22_barrier
//!
//! Observe: the workers arrive at 0, 10, 20 and 30 ms, yet none starts phase 2
//! early, and every one of them leaves the barrier at about 30 ms.
//!
//! Python: `threading.Barrier(4)` with the same `wait()`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The barrier's count must equal the number of threads that call `wait`:
/// one fewer thread and the others would wait forever.
const WORKERS: usize = 4;
/// Worker i spends i x STAGGER in phase 1, so they arrive one by one.
const STAGGER: Duration = Duration::from_millis(10);

fn main() {
    // New: after 21_condvar, a `Barrier` instead of a `Mutex` + `Condvar`;
    // it is built from exactly those. Shared by reference: no `Arc`.
    let barrier = Barrier::new(WORKERS);
    // How many finished phase 1, and how many saw fewer than all: the check.
    let finished_phase_one = AtomicUsize::new(0);
    let early_starts = AtomicUsize::new(0);
    // When each worker left the barrier: they should all be about the same.
    let left_at = Mutex::new(Vec::new());
    let start = Instant::now();

    thread::scope(|s| {
        for id in 0..WORKERS {
            let (barrier, done, early, left_at) =
                (&barrier, &finished_phase_one, &early_starts, &left_at);
            s.spawn(move || {
                thread::sleep(STAGGER * id as u32); // an uneven phase 1
                done.fetch_add(1, Ordering::SeqCst);
                // Nobody passes until all WORKERS are here; the last to arrive
                // wakes the others.
                barrier.wait();
                left_at.lock().unwrap().push(start.elapsed());
                // Phase 2 starts here. Anyone who saw fewer than WORKERS done
                // would have started early: the barrier promises that cannot
                // happen. `SeqCst` keeps the check simple to reason about.
                if done.load(Ordering::SeqCst) < WORKERS {
                    early.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });

    // The scope joined every worker, so the counts and times are final.
    let early = early_starts.load(Ordering::SeqCst);
    let left = left_at.into_inner().unwrap();
    let (first, last) = (left.iter().min().unwrap(), left.iter().max().unwrap());
    println!("barrier: {WORKERS} workers with uneven phase 1; {early} started phase 2 early");
    println!("barrier: all left between {first:.1?} and {last:.1?} after the start");

    // The barrier's promise, checked: nobody saw phase 1 unfinished.
    assert_eq!(early, 0);
    // Even the first worker, ready at 0 ms, waited for the slowest one.
    assert!(*first >= STAGGER * (WORKERS as u32 - 1));
}
