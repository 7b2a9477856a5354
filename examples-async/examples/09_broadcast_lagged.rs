//! A `broadcast` channel gives every subscriber its own copy of every message, and tells a slow one how many it missed.
//!
//! Where `mpsc` (07_mpsc_backpressure) hands each message to one receiver,
//! `broadcast` keeps the last `capacity` messages in a ring buffer and every
//! subscriber reads from it at its own pace. The sender never waits: when
//! the ring is full it overwrites the oldest message. A subscriber that fell
//! that far behind is told so with `RecvError::Lagged(n)` and continues from
//! the oldest message still kept. A fixed ring is the price of never letting
//! one slow reader stall the sender or everyone else.
//!
//! Run:
//!
//!     cargo xtask run async 09_broadcast_lagged
//!
//! Observe: the fast subscriber sees all 10 prices; the slow one, which
//! reads only after all 10 were sent into a ring of 4, is told it missed 6
//! and sees the last 4. Make the capacity 16 and the slow one misses nothing.
//!
//! Python: no built-in broadcast; one `asyncio.Queue` per subscriber, with
//! the sender choosing what to do when one of them is full.

use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;

/// The ring's size: how far a subscriber may fall behind before it loses messages.
const CAPACITY: usize = 4;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The receiver returned with the sender is dropped at once (`_`):
    // subscribers are made with `subscribe`, and see only later messages.
    let (prices, _) = broadcast::channel::<u32>(CAPACITY);
    let mut fast = prices.subscribe();
    let mut slow = prices.subscribe();
    for price in 100..110 {
        // `send` is not async: broadcast never applies back-pressure. It
        // returns `Err` only when no subscriber is left to receive it.
        prices.send(price).expect("there are subscribers");
        // The fast subscriber keeps up: it reads each price as it comes.
        assert_eq!(fast.recv().await, Ok(price));
    }
    // Dropping the sender closes the channel: after the messages still in
    // the ring, `recv` reports `Closed` and the loop below ends.
    drop(prices);
    let (mut slow_saw, mut missed) = (Vec::new(), 0);
    loop {
        match slow.recv().await {
            Ok(price) => slow_saw.push(price),
            // Overwritten before it looked: not an error to stop on, a
            // count to log, after which reading goes on from the oldest kept.
            Err(RecvError::Lagged(n)) => missed += n,
            Err(RecvError::Closed) => break,
        }
    }
    println!("fast saw all 10 prices");
    println!("slow missed {missed} and saw {slow_saw:?}");
    // 10 sent into a ring of 4: the oldest 6 were overwritten.
    assert_eq!((missed, slow_saw), (6, vec![106, 107, 108, 109]));
}
