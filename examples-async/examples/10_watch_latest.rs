//! A `watch` channel keeps only the newest value: a reader that looks late sees the current state, never a backlog.
//!
//! Some messages are states, not events: a configuration, a health flag,
//! "shutting down". Only the latest matters, and a reader that was busy
//! should not replay every update it slept through. `watch` stores one
//! value; `send_replace` overwrites it and marks it changed; `changed()`
//! waits until the value differs from what this receiver last saw, and
//! `borrow_and_update` reads it and marks it seen. The memory is one value,
//! however many updates and readers there are.
//!
//! Run:
//!
//!     cargo xtask run async 10_watch_latest
//!
//! Observe: 5 config updates are made while the watcher is busy; when it
//! looks, it sees only "v5", once.
//!
//! Python: an `asyncio.Event` plus a shared variable: set the variable, then
//! `event.set()`; the reader reads the variable after `await event.wait()`.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::sleep;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A watch channel starts with a value: there is always a current state.
    let (config, mut watcher) = watch::channel(String::from("v0"));
    let reader = tokio::spawn(async move {
        sleep(Duration::from_millis(20)).await; // busy elsewhere
                                                // `changed` returns at once here: the value changed while we slept.
                                                // It returns `Err` only if the sender is gone.
        watcher.changed().await.expect("the config sender is alive");
        // Clone out of the borrow: the `Ref` holds a read lock, which must
        // not be kept across an `.await` or for long.
        let seen = watcher.borrow_and_update().clone();
        // Marked as seen: a second `changed` would now wait for a new update.
        let pending = watcher.has_changed().expect("sender alive");
        (seen, pending)
    });
    for v in 1..=5 {
        // Each update replaces the last: no queue grows, whatever the reader does.
        config.send_replace(format!("v{v}"));
    }
    let (seen, pending) = reader.await.expect("reader panicked");
    println!("5 updates while busy; the watcher saw only {seen:?}, once (more pending: {pending})");
    // `config` is still alive here, so the reader's `has_changed` was `Ok`.
    drop(config);
    assert_eq!((seen.as_str(), pending), ("v5", false));
}
