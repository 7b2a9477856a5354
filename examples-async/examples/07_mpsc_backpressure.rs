//! A bounded channel makes a fast producer wait for a slow consumer: that wait is back-pressure.
//!
//! `mpsc::channel(4)` holds at most 4 messages; when it is full, `send().await`
//! parks the producer until the consumer takes one. The producer then runs at
//! the consumer's pace and the queue, and its memory, stay bounded. An
//! unbounded channel never makes anyone wait: a producer that is faster
//! than its consumer grows the queue until memory runs out.
//!
//! Run:
//!
//!     cargo xtask run async 07_mpsc_backpressure
//!
//! Observe: bounded, the queue never holds more than 4 and the producer spends
//! most of its time waiting in `send`; unbounded, all 20 jobs are queued at
//! once and the producer never waits. Both deliver every job, in order.
//! Change the capacity to 1 and the producer waits for every single job.
//!
//! Python: `asyncio.Queue(maxsize=4)`, whose `await queue.put(x)` waits when
//! full; `maxsize=0` (the default) is unbounded.
//!
//! Compare: examples-threads/examples/09_bounded_channel.rs (std and crossbeam
//! channels between threads), examples-green/examples/03_channels_pipeline.rs.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::time::sleep;

// 20 jobs of 5 ms: the consumer needs ~100 ms in all, while the producer
// could make them all in microseconds. That gap is what a queue absorbs.
const JOBS: u32 = 20;
const WORK: Duration = Duration::from_millis(5);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Bounded: the capacity is the most that may wait in the queue.
    let (tx, mut rx) = mpsc::channel::<u32>(4);
    let consumer = tokio::spawn(async move {
        let (mut done, mut most_queued) = (Vec::new(), 0);
        // `recv` returns `None` once every sender is dropped and the queue is
        // empty: that is how the consumer learns the work is over.
        while let Some(job) = rx.recv().await {
            // The backlog it found: this job plus those still queued.
            most_queued = most_queued.max(rx.len() + 1);
            sleep(WORK).await; // the slow part
            done.push(job);
        }
        (done, most_queued)
    });
    // The producer times only its `send`s: time spent there is the
    // back-pressure, the producer made to wait for room in the queue.
    let mut waited = Duration::ZERO;
    for job in 0..JOBS {
        let start = Instant::now();
        tx.send(job).await.expect("the consumer is running");
        waited += start.elapsed();
    }
    drop(tx); // New: closing the channel ends the consumer's loop
              // Awaiting the consumer after `drop(tx)`: it finishes the queued jobs
              // first, so nothing sent is lost at shutdown.
    let (done, most_queued) = consumer.await.expect("consumer panicked");
    println!("bounded(4):  {JOBS} jobs, at most {most_queued} queued, producer waited {waited:.0?} in send");
    // The bound holds whatever the timing: the queue can never exceed it.
    assert!(most_queued <= 4);
    assert_eq!(done, (0..JOBS).collect::<Vec<_>>());

    // Changed: unbounded. `send` is not even async: it never waits.
    let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
    // The same consumer as above: only the channel differs.
    let consumer = tokio::spawn(async move {
        let (mut done, mut most_queued) = (Vec::new(), 0);
        while let Some(job) = rx.recv().await {
            most_queued = most_queued.max(rx.len() + 1);
            sleep(WORK).await;
            done.push(job);
        }
        (done, most_queued)
    });
    let start = Instant::now();
    for job in 0..JOBS {
        // Nothing here yields to the runtime, so the consumer cannot even
        // start until all 20 are queued.
        tx.send(job).expect("the consumer is running");
    }
    let producing = start.elapsed();
    // Every job is queued before the first is done: with a producer that
    // never stops, the queue (and memory) would grow without end.
    drop(tx);
    let (done, most_queued) = consumer.await.expect("consumer panicked");
    println!(
        "unbounded:   {JOBS} jobs, at most {most_queued} queued, producer done in {producing:.1?}"
    );
    // All 20 at once: nothing ever made the producer wait.
    assert_eq!(most_queued, JOBS as usize);
    assert_eq!(done, (0..JOBS).collect::<Vec<_>>());
}
