//! A may `Semphore` caps how many coroutines do something at once, and a guard that posts on drop keeps the count right.
//!
//! Coroutines are cheap, so nothing stops a program from starting a
//! thousand downloads at once, and exhausting sockets or a server's patience.
//! `may::sync::Semphore::new(n)` (may's spelling) holds n permits: `wait()`
//! takes one, parking the coroutine (not the worker) while none is free, and
//! `post()` gives one back. Unlike tokio's `Semaphore` it hands out no permit
//! object, so a `post` forgotten on an early return or a panic loses a
//! permit for good; a small guard whose `Drop` posts makes that impossible.
//!
//! Run:
//!
//!     cargo xtask run green 09_bounded_concurrency
//!
//! Observe: at most 3 of 12 downloads run at once, so the printed total is
//! about 4 rounds of 30 ms; one download fails halfway and returns early, and
//! its permit still comes back. Set `PERMITS` to 12 and all run at once in
//! about one round.
//!
//! Python: `gevent.pool.Pool(3)` or `gevent.lock.BoundedSemaphore(3)` with
//! `with sem:`.
//!
//! Compare: examples-async/examples/15_semaphore_limit.rs (tokio's
//! `Semaphore` with an owned permit).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use may::coroutine;
use may::sync::Semphore;

// 3 permits for 12 downloads of 30 ms: four waves, long enough to time.
const PERMITS: usize = 3;
const DOWNLOADS: u32 = 12;
const DOWNLOAD: Duration = Duration::from_millis(30);

/// A taken permit. `Drop` gives it back however the coroutine leaves the
/// limited part: by returning early, by `?`, or by unwinding from a panic.
struct Permit(Arc<Semphore>);

impl Permit {
    fn take(sem: &Arc<Semphore>) -> Self {
        sem.wait(); // parks this coroutine until a permit is free
        Permit(Arc::clone(sem))
    }
}

// Runs during unwinding too, which is the point: a panic between `wait`
// and `post` is exactly where a hand-written `post` would be skipped.
impl Drop for Permit {
    fn drop(&mut self) {
        self.0.post();
    }
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    // In an `Arc`: every coroutine holds the same semaphore, and the guard
    // keeps its own handle so it can post from wherever it is dropped.
    let sem = Arc::new(Semphore::new(PERMITS));
    // How many are inside the limit now, and the most ever seen: the
    // lesson's own check that the limit held.
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..DOWNLOADS)
        .map(|page| {
            let (sem, running, most) = (sem.clone(), running.clone(), most.clone());
            // SAFETY: no thread-locals; blocks only in may's semaphore and
            // sleep; small stack.
            unsafe {
                coroutine::spawn(move || {
                    // Every coroutine exists from the start; each parks
                    // here until one of the 3 permits is free.
                    let _permit = Permit::take(&sem);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    coroutine::sleep(DOWNLOAD); // the download
                                                // Leave the count before the permit goes back.
                    running.fetch_sub(1, Ordering::SeqCst);
                    // A failure halfway, by early return: without the guard,
                    // this permit would never be posted and the limit would
                    // shrink to 2. A panic here would post it too.
                    if page == 5 {
                        return Err(format!("page {page}: connection reset"));
                    }
                    Ok(page)
                })
            }
        })
        .collect();
    // Each coroutine's own result: `Ok(page)` or the download's error.
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let pages = results.iter().filter(|r| r.is_ok()).count();
    let took = start.elapsed();
    let most = most.load(Ordering::SeqCst);
    // 12 downloads, 3 at a time: the waves the permits allow.
    let rounds = DOWNLOADS.div_ceil(PERMITS as u32);
    println!("{DOWNLOADS} downloads, at most {most} at once, done in {took:.0?}");
    println!(
        "{rounds} rounds of {DOWNLOAD:?} = {:?}; {pages} pages ok",
        DOWNLOAD * rounds
    );
    // All permits are back, the failed download's included.
    println!("permits free at the end: {} of {PERMITS}", sem.get_value());
    assert_eq!((pages, most), (DOWNLOADS as usize - 1, PERMITS));
    assert_eq!(sem.get_value(), PERMITS);
    // The wall time can only be longer than the rounds, never shorter.
    assert!(took >= DOWNLOAD * rounds);
}
