// Goal: a producer feeds a slow worker through a queue. Bound the queue so
// the producer waits for the worker (back-pressure, 07_mpsc_backpressure),
// and on shutdown stop producing but finish every job already queued.
// Done when `cargo xtask exercise check async/03_bounded_pipeline` passes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep;

pub struct Report {
    pub produced: u32,
    pub processed: Vec<u32>,
    /// Most jobs produced but not yet finished, at any moment.
    pub most_in_flight: usize,
}

/// Produce job 0, 1, 2, ... one per ms; the worker takes `work` per job.
pub async fn pipeline(
    capacity: usize,
    work: Duration,
    mut shutdown: oneshot::Receiver<()>,
) -> Report {
    let _ = capacity;
    // TODO: a bounded queue, `mpsc::channel(capacity)`; `send` then waits.
    let (tx, mut rx) = mpsc::unbounded_channel::<u32>();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let (busy, mut most) = (Arc::clone(&in_flight), 0);
    let worker = tokio::spawn(async move {
        let mut processed = Vec::new();
        while let Some(job) = rx.recv().await {
            sleep(work).await;
            processed.push(job);
            busy.fetch_sub(1, Ordering::SeqCst);
        }
        processed
    });
    let mut produced = 0;
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = sleep(Duration::from_millis(1)) => {}
        }
        most = most.max(in_flight.fetch_add(1, Ordering::SeqCst) + 1);
        // TODO: with a bounded queue this waits for room; also stop waiting
        // when `shutdown` fires (a second `select!`).
        tx.send(produced).expect("the worker is running");
        produced += 1;
    }
    // TODO: don't abort the worker: close the queue (drop `tx`) and await
    // the worker, so it finishes every job already queued.
    worker.abort();
    let processed = worker.await.unwrap_or_default();
    Report {
        produced,
        processed,
        most_in_flight: most,
    }
}
