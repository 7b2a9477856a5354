//! A future does nothing until it is awaited or spawned; `tokio::spawn` starts it and returns a `JoinHandle`.
//!
//! Calling an `async fn` runs none of its body: it returns a state machine (a
//! future) that advances only when something polls it. `.await` polls it from
//! the current task; `tokio::spawn` hands it to the runtime as a task of its
//! own, and the `JoinHandle` is a future of that task's result.
//! `#[tokio::main]` builds the runtime and blocks on `main`'s future.
//!
//! Run:
//!
//!     cargo xtask run async 01_lazy_futures
//!
//! Observe: "0 started" after the tea future is built; coffee starts at main's
//! first `.await`, not at `spawn`, because this runtime has one thread and main
//! holds it; both brew at once, so the printed total is about the longer brew
//! (50 ms), not the sum (80 ms). The cocoa future, dropped unpolled, never prints.
//!
//! Python: calling a coroutine function returns a coroutine object that does
//! nothing until awaited; `asyncio.create_task` is `tokio::spawn`, and a task
//! also starts only when the caller next awaits.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs (an OS thread),
//! examples-green/examples/01_green_threads.rs (a stackful coroutine).

use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

/// How many `brew` bodies have begun to run. An atomic static, not a local
/// counter, because the spawned task must reach it without borrowing from
/// `main` (a spawned task is `'static`).
static STARTED: AtomicU32 = AtomicU32::new(0);

// Nothing in this body runs when `brew(..)` is called: the call only stores
// the arguments in a new future. The first poll runs it up to the `.await`.
async fn brew(drink: &'static str, minutes: u64) -> String {
    STARTED.fetch_add(1, SeqCst);
    println!("  brewing {drink}");
    // One "minute" is 10 ms. `sleep` is a future too: awaiting it hands the
    // thread back to the runtime until the timer fires.
    tokio::time::sleep(Duration::from_millis(minutes * 10)).await;
    format!("{drink} after {minutes} min")
}

// `current_thread`: one OS thread runs every task, so the order below is fixed.
// The default flavour (multi-thread) would start `coffee` on another thread at once.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = Instant::now();

    // Built, not started: `tea` is a value like any other until polled.
    let tea = brew("tea", 3);
    println!("built the tea future: {} started", STARTED.load(SeqCst));
    assert_eq!(STARTED.load(SeqCst), 0, "building a future runs none of it");

    // The task is queued now, but main still holds the only thread.
    let coffee: JoinHandle<String> = tokio::spawn(brew("coffee", 5));
    println!("spawned coffee:       {} started", STARTED.load(SeqCst));

    // Awaiting `tea` runs it in main's task; when it sleeps, the runtime is
    // free to run the coffee task, which starts and sleeps too.
    let tea = tea.await;
    // By now coffee has been sleeping alongside tea, so this await waits
    // only for the rest of coffee's 50 ms, not for all of it.
    // A `JoinHandle` resolves to `Err` if the task panicked or was aborted.
    let coffee = coffee.await.expect("the coffee task panicked");
    let took = start.elapsed();
    println!("{tea}; {coffee}: both done in {took:.0?} (one after the other: 80 ms)");
    assert_eq!(STARTED.load(SeqCst), 2);

    // A future that is dropped without being polled never runs at all:
    // this is also how cancellation works (06_select_timeout_cancel).
    let cocoa = brew("cocoa", 1);
    // `drop` here is explicit only to make the point visible; a future that
    // goes out of scope unpolled is dropped the same way.
    drop(cocoa);
    println!(
        "dropped cocoa unpolled: still {} started",
        STARTED.load(SeqCst)
    );
    assert_eq!(STARTED.load(SeqCst), 2);
}
