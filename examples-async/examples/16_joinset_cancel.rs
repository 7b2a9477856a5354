//! A `JoinSet` owns its tasks: it yields them as they finish, and cancels the rest when one fails or the set is dropped.
//!
//! A task started with `tokio::spawn` runs on even if nobody awaits it. A
//! `JoinSet` is structured concurrency: the tasks belong to the set,
//! `join_next` yields their results in completion order, and `abort_all`
//! (or dropping the set) cancels whatever is still running, at its next
//! `.await`. So no task outlives the function that started it, and a first
//! failure can stop work that is no longer wanted.
//!
//! Run:
//!
//!     cargo xtask run async 16_joinset_cancel
//!
//! Observe: job 0 finishes, job 1 fails, and the four slower jobs are
//! cancelled, not awaited: none of them finishes, even given 150 ms more.
//!
//! Python: `asyncio.TaskGroup`, which also cancels the other tasks when one
//! fails.
//!
//! Compare: examples-green/examples/07_cancellation.rs (cancelling a may
//! coroutine, which lands at its next blocking point).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

// Six jobs: one finishes, one fails, four are still running at the failure.
const JOBS: u64 = 6;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Counts jobs that ran to the end; a cancelled one never gets there.
    let finished = Arc::new(AtomicUsize::new(0));
    // The set, not a `Vec<JoinHandle>`: dropping handles would detach the
    // tasks, dropping the set cancels them.
    let mut jobs = JoinSet::new();
    for job in 0..JOBS {
        let finished = finished.clone();
        jobs.spawn(async move {
            // Staggered: job 0 ends at 10 ms, job 1 at 30 ms, the rest later,
            // so the failure always comes second.
            sleep(Duration::from_millis(10 + job * 20)).await;
            // The failure is returned, not panicked: an `Err` is an outcome
            // the caller decides about, here by cancelling the rest.
            if job == 1 {
                return Err(format!("job {job} failed"));
            }
            finished.fetch_add(1, Ordering::SeqCst);
            Ok(job)
        });
    }
    // Keep only the first error; later ones, if any, would be consequences.
    let (mut error, mut cancelled) = (None, 0);
    while let Some(result) = jobs.join_next().await {
        // Two layers: the outer `Result` is the task's fate (finished,
        // panicked, cancelled), the inner one is the job's own outcome.
        match result {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                error = Some(e);
                jobs.abort_all(); // or just drop `jobs`: the set owns its tasks
            }
            // An aborted task still comes out of `join_next`, as Cancelled.
            Err(e) if e.is_cancelled() => cancelled += 1,
            Err(e) => panic!("a job panicked: {e}"),
        }
    }
    // Give cancelled tasks every chance to (wrongly) finish: none will.
    sleep(Duration::from_millis(150)).await;
    // Only job 0 counted itself: abort took effect at each job's `sleep`.
    let finished = finished.load(Ordering::SeqCst);
    println!("{error:?}: {finished} job finished before it, {cancelled} were cancelled");
    assert_eq!((finished, cancelled), (1, JOBS as usize - 2));
}
