// Wrong answer (kept to prove the tests catch it): bounded, but on shutdown
// it aborts the worker, and the jobs still queued are lost.

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
    let (tx, mut rx) = mpsc::channel::<u32>(capacity);
    // ^^^ bounded: at most `capacity` jobs wait in the queue
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
        tokio::select! {
            _ = &mut shutdown => {
                in_flight.fetch_sub(1, Ordering::SeqCst);
                break;
            }
            sent = tx.send(produced) => sent.expect("the worker is running"),
        }
        // ^^^ waiting for room is the back-pressure; a shutdown ends the wait
        produced += 1;
    }
    worker.abort();
    let processed = worker.await.unwrap_or_default();
    drop(tx);
    Report {
        produced,
        processed,
        most_in_flight: most,
    }
}
