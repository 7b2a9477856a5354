//! Use std's `Mutex` when no `.await` happens while it is held, tokio's when one must.
//!
//! A std `Mutex` blocks the thread while it waits, which is harmless when the
//! lock is held for a few instructions and never across an `.await`. It is
//! also cheaper. `tokio::sync::Mutex::lock` is a future: a task that waits
//! for it yields its thread, so its guard may be held across `.await`, for a
//! multi-step update that must not interleave with another task's. What goes
//! wrong with a std guard across `.await` is 14_guard_across_await.
//!
//! Run:
//!
//!     cargo xtask run async 13_std_vs_tokio_mutex
//!
//! Observe: both counters reach 100,000, and the printed times show which
//! lock costs more per operation; the log lines written under the tokio lock
//! never interleave. Remove the tokio lock around the log writes and the two
//! writers' parts interleave.
//!
//! Python: `asyncio.Lock` is tokio's `Mutex` (`async with lock:`); a plain
//! variable updated between two awaits needs it, one updated with no await
//! in between does not.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::time::sleep;

// 1000 tasks of 100 increments: enough lock operations for the difference
// in cost to show in the timing, few enough to finish in milliseconds.
const TASKS: u64 = 1000;
const EACH: u64 = 100;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 1. A counter, never awaiting while locked: std's Mutex is the right one.
    let std_count = Arc::new(Mutex::new(0u64));
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let c = Arc::clone(&std_count);
            // The guard is a temporary dropped at the `;`: no await while held.
            tokio::spawn(async move { (0..EACH).for_each(|_| *c.lock().unwrap() += 1) })
        })
        .collect();
    // Awaiting every handle: the count is final only once all tasks ended.
    for t in tasks {
        t.await.unwrap();
    }
    let t_std = start.elapsed();

    // Changed: the same counter under tokio's Mutex. Correct too, but every
    // `lock()` is a future to create and poll: more bookkeeping per lock.
    // tokio's Mutex is fair (first come, first served): waiting tasks queue.
    let tokio_count = Arc::new(tokio::sync::Mutex::new(0u64));
    let start = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let c = Arc::clone(&tokio_count);
            tokio::spawn(async move {
                for _ in 0..EACH {
                    *c.lock().await += 1;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let t_tokio = start.elapsed();
    // Read each into a plain value first: a std guard living in `println!`'s
    // arguments would be held across the `.await` (clippy's lint
    // `await_holding_lock` flags that pattern).
    let by_std = *std_count.lock().unwrap();
    let by_tokio = *tokio_count.lock().await;
    println!("std Mutex: {by_std} in {t_std:.1?}; tokio Mutex: {by_tokio} in {t_tokio:.1?}");
    assert_eq!((by_std, by_tokio), (TASKS * EACH, TASKS * EACH));

    // 2. A log whose two-part entries must not interleave: the guard is held
    // across an `.await`, which is what tokio's Mutex is for.
    // A real service would log through a channel to one writer task; a
    // shared Vec keeps the focus on the lock.
    let log = Arc::new(tokio::sync::Mutex::new(Vec::<String>::new()));
    // Two writers spawned together: which one locks first varies, but
    // whichever it is finishes both of its lines before the other starts.
    let writers: Vec<_> = ["alice", "bob"]
        .map(|who| {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                // Held from here to the end of the task, `.await` included.
                let mut entries = log.lock().await;
                entries.push(format!("{who}: begin"));
                // The other writer runs now, and waits in `lock().await`,
                // parked, yielding the thread back to us.
                sleep(Duration::from_millis(5)).await;
                entries.push(format!("{who}: end"));
            })
        })
        .into();
    for w in writers {
        w.await.unwrap();
    }
    // Both writers are joined, so this lock is uncontended: a snapshot.
    let log = log.lock().await.clone();
    println!("log: {log:?}");
    // Whoever went first wrote both its lines before the other began.
    assert!(
        log[0].split(':').next() == log[1].split(':').next(),
        "entries interleaved"
    );
}
