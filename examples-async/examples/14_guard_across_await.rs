//! A std `MutexGuard` held across `.await` can deadlock a runtime thread; `tokio::spawn` refuses such a task with a compile error.
//!
//! Holding a std guard across `.await` parks the task with the lock taken.
//! The next task to call `lock()` blocks the thread itself, not just its
//! task, so the parked holder never runs again to release it: a deadlock of
//! one thread with itself. In a spawned task the guard makes the future not
//! `Send`, and `tokio::spawn` rejects it with an error, "future cannot be
//! sent between threads safely" (checked by
//! examples-async/compile-fail/std_guard_across_await/src/main.rs). `join!`
//! runs futures inside one task, with no `Send` check, so the trap is
//! reachable there, and this lesson detects it with `try_lock`.
//!
//! Run:
//!
//!     cargo xtask run async 14_guard_across_await
//!
//! Observe: the second future finds the lock held by a parked future and
//! says that `lock()` would have blocked the only thread for ever.
//!
//! Break: `cargo xtask run async 14_guard_across_await -- --break` calls
//! `lock()` for real. The runtime's only thread blocks; a watchdog OS thread
//! sees that the work never finished within 1 s, explains the deadlock and
//! ends the process with exit code 0.
//!
//! Python: a `threading.Lock` held across an `await` deadlocks an asyncio
//! loop the same way.
//!
//! Compare: examples-threads/examples/15_deadlock.rs (two threads, two locks).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use tokio::time::sleep;

/// Set when the lesson's futures are done; the watchdog checks it.
static FINISHED: AtomicBool = AtomicBool::new(false);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    // The watchdog is an OS thread, not a task: a task could never run once
    // the runtime's only thread is blocked, which is the failure it detects.
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        // Only `--break` may end the process here: a normal run that is
        // merely slow on a loaded machine must still reach its asserts.
        if broken && !FINISHED.load(Ordering::SeqCst) {
            println!("watchdog: no progress after 1 s. The first future is parked at its");
            println!("  `.await` holding the std lock; the second blocked the only thread in");
            println!("  `lock()`, so the first can never resume to release it: deadlock.");
            // Exit 0: the deadlock was the expected outcome of `--break`.
            std::process::exit(0);
        }
    });

    // A std Mutex on main's stack: borrowed by both futures, no `Arc`,
    // because `join!` never moves them to another task or thread.
    let accounts = Mutex::new(100u64);
    // `join!` polls both futures in this one task, alternately: the first
    // takes the lock and parks; then the second runs.
    let (_, verdict) = tokio::join!(hold_across_await(&accounts), async {
        if broken {
            // `lock()` blocks the OS thread until the guard is dropped, which
            // needs the first future to run, which needs this thread. std's
            // docs: locking a mutex from the thread that holds it "will not
            // return" (on Linux's futex-based Mutex, it waits for ever).
            *accounts.lock().unwrap() += 1;
            return "taken (unreachable: the watchdog ends the process first)";
        }
        // `try_lock` asks without waiting: the safe way to see the trap.
        match accounts.try_lock() {
            Err(TryLockError::WouldBlock) => {
                "held by a parked future: lock() here would block the only thread forever"
            }
            _ => "free",
        }
    });
    // Reached only when neither future deadlocked: the watchdog stands down.
    FINISHED.store(true, Ordering::SeqCst);
    println!("second future found the std lock {verdict}");
    assert!(verdict.starts_with("held"));
}

/// What the compile-fail fixture refuses in a spawned task; clippy warns
/// about it everywhere (`await_holding_lock`), allowed here only to show why.
#[allow(clippy::await_holding_lock)]
async fn hold_across_await(accounts: &Mutex<u64>) {
    let mut balance = accounts.lock().unwrap();
    sleep(Duration::from_millis(10)).await; // parked with the lock taken
    *balance -= 1;
}
