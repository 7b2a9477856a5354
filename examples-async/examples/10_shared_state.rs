//! Use std's `Mutex` when no `.await` happens while it is held, tokio's when one must; a std guard across `.await` is a deadlock the compiler stops.
//!
//! A std `Mutex` blocks the thread while it waits, which is harmless when the
//! lock is held for a few instructions and never across an `.await`. It is
//! also cheaper. `tokio::sync::Mutex::lock` is a future: a task that waits
//! for it yields its thread, so the guard may be held across `.await` (a
//! multi-step write that must not interleave). Holding a std guard across an
//! `.await` instead parks the task with the lock taken; the next task to call
//! `lock()` blocks the thread, and the parked holder never runs again to
//! release it. `tokio::spawn` refuses such a task at compile time (the guard
//! is not `Send`): examples-async/tests/ui/std_guard_across_await.rs.
//!
//! Run:
//!
//!     cargo xtask run async 10
//!
//! Observe: both counters reach 100,000, std's faster; the log lines written
//! under the tokio lock never interleave; the last part detects the deadlock
//! with `try_lock` instead of hanging. Remove the tokio lock around the log
//! writes and the two writers' parts interleave.
//!
//! Python: `asyncio.Lock` is tokio's `Mutex` (`async with lock:`); a
//! `threading.Lock` held across an `await` deadlocks an asyncio loop the same way.

use std::sync::{Arc, Mutex, TryLockError};
use std::time::{Duration, Instant};

use tokio::time::sleep;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // 1. A counter: 1000 tasks x 100 increments, never awaiting while locked.
    let std_count = Arc::new(Mutex::new(0u64));
    let start = Instant::now();
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let c = Arc::clone(&std_count);
            // The guard is a temporary dropped at the `;`: no await while held.
            tokio::spawn(async move { (0..100).for_each(|_| *c.lock().unwrap() += 1) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let t_std = start.elapsed();
    let tokio_count = Arc::new(tokio::sync::Mutex::new(0u64));
    let start = Instant::now();
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let c = Arc::clone(&tokio_count);
            tokio::spawn(async move {
                for _ in 0..100 {
                    *c.lock().await += 1; // a future: more bookkeeping per lock
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let t_tokio = start.elapsed();
    // Read each into a plain value first: a std guard living in `println!`'s
    // arguments would be held across the `.await` (clippy catches that too).
    let by_std = *std_count.lock().unwrap();
    let by_tokio = *tokio_count.lock().await;
    println!("std Mutex: {by_std} in {t_std:.1?}; tokio Mutex: {by_tokio} in {t_tokio:.1?}");
    assert_eq!((by_std, by_tokio), (100_000, 100_000));

    // 2. A log whose two-part entries must not interleave: the guard is held
    // across an `.await`, which only tokio's Mutex allows in a spawned task.
    let log = Arc::new(tokio::sync::Mutex::new(Vec::<String>::new()));
    let writers: Vec<_> = ["alice", "bob"]
        .map(|who| {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut entries = log.lock().await;
                entries.push(format!("{who}: begin"));
                sleep(Duration::from_millis(5)).await; // the other writer waits
                entries.push(format!("{who}: end"));
            })
        })
        .into();
    for w in writers {
        w.await.unwrap();
    }
    let log = log.lock().await.clone();
    println!("log: {log:?}");
    assert!(
        log[0].split(':').next() == log[1].split(':').next(),
        "entries interleaved"
    );

    // 3. The deadlock. `join!` runs both futures in this task, so there is no
    // `Send` check to stop us; `try_lock` shows where `lock()` would hang.
    let accounts = Mutex::new(100u64);
    let (_, verdict) = tokio::join!(hold_across_await(&accounts), async {
        match accounts.try_lock() {
            Err(TryLockError::WouldBlock) => {
                "held by a parked future: lock() here would block the only thread forever"
            }
            _ => "free",
        }
    });
    println!("second future found the std lock {verdict}");
    assert!(verdict.starts_with("held"));
}

/// What the compile-fail test refuses in a spawned task; clippy warns about
/// it everywhere (`await_holding_lock`), allowed here only to show why.
#[allow(clippy::await_holding_lock)]
async fn hold_across_await(accounts: &Mutex<u64>) {
    let mut balance = accounts.lock().unwrap();
    sleep(Duration::from_millis(10)).await; // parked with the lock taken
    *balance -= 1;
}
