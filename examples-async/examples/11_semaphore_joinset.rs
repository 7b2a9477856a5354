//! A `Semaphore` caps how many tasks do something at once; a `JoinSet` owns its tasks, collects them as they finish and cancels the rest when dropped.
//!
//! Spawning is cheap, so the limit on concurrency has to come from you: a
//! thousand simultaneous downloads exhaust sockets, or the server's patience.
//! A task takes a permit before the limited part and gives it back when the
//! permit is dropped. A `JoinSet` is structured concurrency: the tasks belong
//! to the set, `join_next` yields them in completion order, and dropping the
//! set (or `abort_all`) cancels whatever is still running, so no task
//! outlives the function that started it.
//!
//! Run:
//!
//!     cargo xtask run async 11
//!
//! Observe: at most 3 of 12 downloads run at once, so they take about 4 x 30
//! ms; in the second part the failing job ends the set early and the slow
//! jobs are cancelled, not awaited. Set the permits to 12 and all run at
//! once (~30 ms).
//!
//! Python: `asyncio.Semaphore(3)` with `async with sem:`; `asyncio.TaskGroup`
//! is the `JoinSet`, and it too cancels the other tasks when one fails.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

const PERMITS: usize = 3;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let permits = Arc::new(Semaphore::new(PERMITS));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    // A semaphore, not a pool of 3 workers: the 12 tasks exist at once and
    // queue fairly (first come, first served) for the permits.
    let mut downloads = JoinSet::new();
    for page in 0..12u32 {
        let (permits, running, most) = (permits.clone(), running.clone(), most.clone());
        // All 12 tasks start now; each waits here for one of the 3 permits.
        downloads.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore closed");
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            sleep(Duration::from_millis(30)).await; // the download
            running.fetch_sub(1, Ordering::SeqCst);
            page
            // `_permit` is dropped here: the next waiting task may go.
        });
    }
    let mut pages = Vec::new();
    while let Some(page) = downloads.join_next().await {
        pages.push(page.expect("a download panicked"));
    }
    let most = most.load(Ordering::SeqCst);
    println!(
        "12 downloads, at most {most} at once, done in {:.0?}",
        start.elapsed()
    );
    assert_eq!((pages.len(), most), (12, PERMITS));

    // Structured concurrency: the first failure cancels the rest.
    let finished = Arc::new(AtomicUsize::new(0));
    let mut jobs = JoinSet::new();
    for job in 0..6u64 {
        let finished = finished.clone();
        jobs.spawn(async move {
            sleep(Duration::from_millis(10 + job * 20)).await;
            if job == 1 {
                return Err(format!("job {job} failed"));
            }
            finished.fetch_add(1, Ordering::SeqCst);
            Ok(job)
        });
    }
    let (mut error, mut cancelled) = (None, 0);
    while let Some(result) = jobs.join_next().await {
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
    let finished = finished.load(Ordering::SeqCst);
    println!("{error:?}: {finished} job finished before it, {cancelled} were cancelled");
    assert_eq!((finished, cancelled), (1, 4));
}
