//! Three more channels for three shapes of message: one reply (`oneshot`), every event to everyone (`broadcast`), the latest value (`watch`).
//!
//! `oneshot` carries exactly one value: the reply to a request, and the
//! requester learns if the replier died instead. `broadcast` gives every
//! subscriber its own copy of every message, from a ring buffer of fixed
//! size: a subscriber that falls behind loses the oldest and is told how
//! many (`Lagged`). `watch` keeps only the newest value: a reader that looks
//! late sees the current state, never a backlog.
//!
//! Run:
//!
//!     cargo xtask run async 07
//!
//! Observe: the request gets its reply; the fast subscriber sees all 10
//! prices, the slow one lags and is told how many it missed; the config
//! watcher sees only the last of 5 updates made while it was busy. Make the
//! broadcast capacity 16 and the slow subscriber misses nothing.
//!
//! Python: an `asyncio.Future` for `oneshot`; no built-in broadcast (one
//! `asyncio.Queue` per subscriber); `asyncio.Event` plus a shared value for `watch`.

use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, oneshot, watch};
use tokio::time::sleep;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // oneshot: send the reply channel with the request, as a call-back address.
    let (reply_to, reply) = oneshot::channel::<u64>();
    tokio::spawn(async move {
        let _ = reply_to.send(6 * 7); // Err only if the requester is gone
    });
    let answer = reply.await.expect("the replier dropped its sender");
    println!("oneshot: the reply is {answer}");
    assert_eq!(answer, 42);

    // broadcast: capacity 4, 10 prices, one fast and one slow subscriber.
    let (prices, _) = broadcast::channel::<u32>(4);
    let mut fast = prices.subscribe();
    let mut slow = prices.subscribe();
    for price in 100..110 {
        prices.send(price).expect("there are subscribers");
        // The fast subscriber keeps up: it reads each price as it comes.
        assert_eq!(fast.recv().await, Ok(price));
    }
    let mut slow_saw = Vec::new();
    let mut missed = 0;
    drop(prices); // after the buffered ones, recv reports Closed
    loop {
        match slow.recv().await {
            Ok(price) => slow_saw.push(price),
            Err(RecvError::Lagged(n)) => missed += n, // overwritten before it looked
            Err(RecvError::Closed) => break,
        }
    }
    println!("broadcast: fast saw all 10; slow missed {missed} and saw {slow_saw:?}");
    assert_eq!((missed, slow_saw), (6, vec![106, 107, 108, 109]));

    // watch: the config changes 5 times while the watcher is busy.
    let (config, mut watcher) = watch::channel(String::from("v0"));
    let reader = tokio::spawn(async move {
        sleep(Duration::from_millis(20)).await; // busy elsewhere
        watcher.changed().await.expect("the config sender is alive");
        let seen = watcher.borrow_and_update().clone();
        seen
    });
    for v in 1..=5 {
        config.send_replace(format!("v{v}"));
    }
    let seen = reader.await.expect("reader panicked");
    println!("watch: 5 updates while busy; the watcher saw only {seen:?}");
    assert_eq!(seen, "v5");
}
