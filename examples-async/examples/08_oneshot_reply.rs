//! A `oneshot` channel carries exactly one value: the reply to a request, or the news that the replier died.
//!
//! `mpsc` (07_mpsc_backpressure) carries a stream of messages one way. A
//! request that wants an answer sends, along with the question, the sending
//! end of a `oneshot`: a call-back address that can be used once. The
//! requester awaits the receiving end; if the replier drops its sender
//! without answering (it failed, or panicked), the await returns `Err`
//! instead of waiting for ever. That is the whole protocol of an actor.
//!
//! Run:
//!
//!     cargo xtask run async 08_oneshot_reply
//!
//! Observe: the first request gets its reply; the second goes to a replier
//! that gives up, and the requester learns so at once (`RecvError`).
//!
//! Python: an `asyncio.Future` handed to the worker, which calls
//! `fut.set_result(x)`; a worker that dies leaves it pending for ever unless
//! someone calls `set_exception`.

use tokio::sync::{mpsc, oneshot};

/// A request to the pricing actor: the item and where to send the answer.
struct Ask {
    item: &'static str,
    // The reply address travels with the question, so the actor needs no
    // table of who asked what: it answers on the channel it was handed.
    reply_to: oneshot::Sender<u64>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The actor owns its state (the prices) and is reached only by messages:
    // no lock, because nothing else ever touches the state.
    let (requests, mut inbox) = mpsc::channel::<Ask>(8);
    let actor = tokio::spawn(async move {
        while let Some(Ask { item, reply_to }) = inbox.recv().await {
            match item {
                "tea" => {
                    // `send` is not async: a oneshot never waits for room.
                    // It fails only if the requester stopped waiting.
                    let _ = reply_to.send(42);
                }
                // An unknown item: the actor gives up and drops `reply_to`
                // unanswered, as a failed or panicking handler would.
                _ => drop(reply_to),
            }
        }
    });

    // A new oneshot per request: each reply has exactly one place to go.
    let (reply_to, reply) = oneshot::channel();
    requests
        .send(Ask {
            item: "tea",
            reply_to,
        })
        .await
        .unwrap();
    // The receiver is itself a future: awaiting it parks this task until
    // the single value arrives.
    let price = reply.await;
    println!("asked for tea: {price:?}");

    let (reply_to, reply) = oneshot::channel();
    requests
        .send(Ask {
            item: "caviar",
            reply_to,
        })
        .await
        .unwrap();
    // No timeout needed to avoid hanging here: the dropped sender closes
    // the channel, and the await returns `Err(RecvError)` at once.
    let missing = reply.await;
    println!("asked for caviar: {missing:?} (the actor dropped the reply sender)");

    // Closing the request channel ends the actor's loop: a clean shutdown.
    drop(requests);
    actor.await.expect("the actor panicked");
    assert_eq!(price, Ok(42));
    assert!(missing.is_err());
}
