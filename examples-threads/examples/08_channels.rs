//! A channel moves values from producer threads to a consumer, and closes when the last sender is dropped.
//!
//! A send transfers ownership: once a job is sent, the producer no longer has
//! it, so no two threads touch the same data at once and no lock is needed.
//! `std::sync::mpsc` is many producers, one consumer: a `Sender` can be
//! cloned, the `Receiver` cannot. The consumer learns that no more jobs will
//! come when the channel closes, which happens when every `Sender` is gone,
//! including the one `main` created first.
//!
//! Run:
//!
//!     cargo xtask run threads 08_channels
//!
//! Observe: the consumer gets all 300 jobs and then sees the channel close.
//!
//! Break: `cargo xtask run threads 08_channels -- --break` keeps `main`'s own
//! sender alive instead of dropping it. The consumer receives the 300 jobs and
//! then waits for more that can never come; the lesson's watchdog (a receive
//! with a timeout) notices after one second and explains why.
//!
//! Python: `queue.Queue()` with `put`/`get`; a queue never "closes", so Python
//! code sends a sentinel such as `None` to say "no more".
//!
//! Compare: examples-green/examples/03_channels_pipeline.rs,
//! examples-processes/examples/07_ipc_channel.rs (a channel between processes).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

const PRODUCERS: usize = 3;
const JOBS: usize = 100;
/// The watchdog: far longer than the producers need (they only send), so a
/// timeout means nothing is coming, not that a producer is slow.
const WATCHDOG: Duration = Duration::from_secs(1);

fn main() {
    let broken = std::env::args().any(|a| a == "--break");

    let (tx, rx) = mpsc::channel::<String>();
    for producer in 0..PRODUCERS {
        // Each producer owns a clone: the channel counts its senders.
        let tx = tx.clone();
        thread::spawn(move || {
            for job in 0..JOBS {
                // `send` takes the String by value: after it, the producer no
                // longer has it, so the consumer owns it alone. `unwrap`: send
                // fails only if the receiver is gone, which it is not here.
                tx.send(format!("job {job} from producer {producer}"))
                    .unwrap();
            }
            // Returning drops this clone: one sender fewer.
        });
    }

    // `main`'s `tx` is a sender too (the 4th). Drop it, or the channel stays
    // open after the producers finish. `--break` keeps it alive instead.
    let kept_alive = if broken {
        Some(tx)
    } else {
        drop(tx);
        None
    };

    // `for job in rx.iter()` is the usual consumer: it ends when the channel
    // closes. Here each receive has a timeout, so the broken version cannot
    // hang: `Disconnected` is the clean end, `Timeout` the watchdog firing.
    let mut received = Vec::new();
    let ended = loop {
        match rx.recv_timeout(WATCHDOG) {
            Ok(job) => received.push(job),
            Err(RecvTimeoutError::Disconnected) => break "the channel closed",
            Err(RecvTimeoutError::Timeout) => break "the watchdog fired",
        }
    };
    println!(
        "mpsc: {PRODUCERS} producers sent, the consumer got {} jobs, then {ended}",
        received.len()
    );

    if let Some(tx) = kept_alive {
        // The producers are done, yet the channel is open: `main` still holds
        // a sender, and `recv` cannot know it will never be used.
        println!("--break: nothing came for {WATCHDOG:?}; `main` still held a Sender, so the channel never closed and a plain `rx.iter()` would wait forever");
        drop(tx);
    }

    // Every job arrived exactly once, whichever producer ran first. The order
    // between producers varies from run to run; within one producer it holds.
    assert_eq!(received.len(), PRODUCERS * JOBS);
    assert_eq!(ended == "the channel closed", !broken);
}
