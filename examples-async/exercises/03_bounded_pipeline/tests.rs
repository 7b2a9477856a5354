// Tests for exercise async/03_bounded_pipeline, shared by the starter and
// the solution. They run on tokio's paused clock: sleeps take no real time
// and the results are the same on any machine.

#[cfg(feature = "learner-03_bounded_pipeline")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-03_bounded_pipeline", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::{sleep, timeout};

/// Run the pipeline and fire `shutdown` after `after` (of paused time).
async fn run_for(after: Duration, capacity: usize, work: Duration) -> sut::Report {
    let (stop, shutdown) = oneshot::channel();
    tokio::spawn(async move {
        sleep(after).await;
        let _ = stop.send(());
    });
    // A hang detector: on the paused clock, 1 h passes as soon as nothing
    // else can run, so a pipeline that never returns fails here.
    timeout(
        Duration::from_secs(3600),
        sut::pipeline(capacity, work, shutdown),
    )
    .await
    .expect("the pipeline did not return after shutdown")
}

#[tokio::test(start_paused = true)]
async fn the_queue_stays_bounded() {
    let report = run_for(Duration::from_millis(500), 4, Duration::from_millis(10)).await;
    // Queued jobs, plus the one being worked on, plus one waiting to be sent.
    assert!(
        report.most_in_flight <= 4 + 2,
        "{} jobs were in flight with a queue of 4: is the producer waiting for room?",
        report.most_in_flight
    );
    assert!(report.produced >= 20, "only {} produced", report.produced);
}

#[tokio::test(start_paused = true)]
async fn shutdown_finishes_every_queued_job() {
    let report = run_for(Duration::from_millis(300), 8, Duration::from_millis(10)).await;
    assert!(report.produced > 0);
    assert_eq!(
        report.processed,
        (0..report.produced).collect::<Vec<_>>(),
        "every job produced must be processed, in order, before the pipeline returns"
    );
}
