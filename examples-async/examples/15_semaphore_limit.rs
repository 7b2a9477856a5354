//! A `Semaphore` caps how many tasks do something at once: spawning is cheap, so the limit has to come from you.
//!
//! A thousand simultaneous downloads exhaust sockets, or the server's
//! patience, long before tokio minds a thousand tasks. A semaphore holds N
//! permits; a task takes one before the limited part and gives it back when
//! the permit is dropped, so at most N run that part at once while the rest
//! wait, parked, in a fair (first come, first served) queue. Unlike a pool of
//! N workers, every task exists from the start and the limit covers only the
//! part that needs it.
//!
//! Run:
//!
//!     cargo xtask run async 15_semaphore_limit
//!
//! Observe: at most 3 of 12 downloads run at once, so the printed total is
//! about 4 rounds of 30 ms. Set `PERMITS` to 12 and all run at once in about
//! one round.
//!
//! Python: `asyncio.Semaphore(3)` with `async with sem:`.
//!
//! Compare: examples-green/examples/09_bounded_concurrency.rs (may's
//! `Semphore` around coroutines).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::sleep;

// 3 permits for 12 downloads of 30 ms: four waves, long enough to time,
// short enough for the lesson to end at once.
const PERMITS: usize = 3;
const DOWNLOADS: u32 = 12;
const DOWNLOAD: Duration = Duration::from_millis(30);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Shared by every task, hence the `Arc`: `acquire_owned` needs one, and
    // gives a permit that owns its share of the semaphore (`'static`).
    let permits = Arc::new(Semaphore::new(PERMITS));
    // How many are inside the limited part now, and the most ever seen:
    // the lesson's own check that the limit held.
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut downloads = JoinSet::new();
    for page in 0..DOWNLOADS {
        let (permits, running, most) = (permits.clone(), running.clone(), most.clone());
        // All 12 tasks start now; each waits here for one of the 3 permits.
        downloads.spawn(async move {
            let _permit = permits.acquire_owned().await.expect("semaphore closed");
            // Inside the limit now: count it, and keep the high-water mark.
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            sleep(DOWNLOAD).await; // the download
                                   // Leave the count before the permit goes, so it never reads 4.
            running.fetch_sub(1, Ordering::SeqCst);
            page
            // `_permit` is dropped here: the next waiting task may go. Named
            // `_permit`, not `_`: a bare `_` would drop it at once.
        });
    }
    // Collected in completion order; only the count matters here.
    let mut pages = Vec::new();
    while let Some(page) = downloads.join_next().await {
        pages.push(page.expect("a download panicked"));
    }
    let took = start.elapsed();
    let most = most.load(Ordering::SeqCst);
    // 12 downloads, 3 at a time: the waves the permits allow.
    let rounds = DOWNLOADS.div_ceil(PERMITS as u32);
    println!("{DOWNLOADS} downloads, at most {most} at once, done in {took:.0?}");
    println!("{rounds} rounds of {DOWNLOAD:?} = {:?}", DOWNLOAD * rounds);
    assert_eq!((pages.len(), most), (DOWNLOADS as usize, PERMITS));
    // The wall time can only be longer than the rounds, never shorter.
    assert!(took >= DOWNLOAD * rounds);
}
