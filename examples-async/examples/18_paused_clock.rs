//! With tokio's clock paused, a 30-second timeout fires in microseconds, at exactly 30 virtual seconds, every time.
//!
//! A test of a timeout or a retry with back-off either waits for real
//! (slow) or shrinks the delays (and flakes when the machine is busy). A
//! runtime built with `start_paused(true)` (or a test marked
//! `#[tokio::test(start_paused = true)]`) runs a virtual clock instead: when
//! every task is waiting on a timer, tokio jumps the clock to the next
//! deadline at once. `tokio::time::Instant` reads that clock, std's
//! `Instant` the real one. Needs tokio's `test-util` feature.
//!
//! Run:
//!
//!     cargo xtask run async 18_paused_clock
//!
//! Observe: the 30 s timeout and 7 s of retry back-off report 30 s and 7 s of
//! virtual time, and a few hundred microseconds (or less) of real time. Build
//! the runtime without `start_paused(true)` and the lesson takes 37 real seconds.
//! Exercise `async/10_paused_clock` makes a retry's tests run this way.
//!
//! Python: `asyncio` has no paused clock; trio's `MockClock(autojump_threshold=0)`
//! is the same idea, and `freezegun` fakes the wall clock for sync code.
//! `timeout` itself, on the real clock: 06_select_timeout_cancel.

use std::future::pending;
use std::time::Duration;

use tokio::time::{sleep, timeout, Instant};

fn main() {
    // New: `start_paused(true)`: the clock starts frozen and only moves when
    // the runtime has nothing to do but wait for a timer.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    // A current-thread runtime: pausing needs one (as `#[tokio::test]`
    // builds by default); `time::pause()` on a multi-thread runtime panics.
    rt.block_on(async {
        // A request that never answers, cut off after 30 s.
        let (real, virt) = (std::time::Instant::now(), Instant::now());
        // `pending` never completes: the only way out is the timer, so the
        // runtime is idle at once and the clock jumps the full 30 s.
        let result = timeout(Duration::from_secs(30), pending::<()>()).await;
        report("timeout(30 s) on a request that never answers", real, virt);
        assert!(result.is_err(), "the timeout must fire");
        // Exactly 30 s: the clock jumps to the deadline, never past it, so
        // a test may assert on virtual time without a margin.
        assert_eq!(virt.elapsed(), Duration::from_secs(30));

        // A flaky service that fails 3 times, retried with back-off 1, 2, 4 s.
        let (real, virt) = (std::time::Instant::now(), Instant::now());
        // The back-off sleeps are timers too: each is skipped the same way.
        let attempts = retry_with_backoff().await;
        report("3 failures, back-off 1 + 2 + 4 s, then success", real, virt);
        assert_eq!(attempts, 4);
        assert_eq!(virt.elapsed(), Duration::from_secs(7));
    });
}

/// Call the service until it answers, doubling the pause after each failure;
/// returns the number of attempts.
async fn retry_with_backoff() -> u32 {
    let mut pause = Duration::from_secs(1);
    for attempt in 1.. {
        if flaky_service(attempt).await {
            return attempt;
        }
        // Each sleep ends the moment every task waits: no real second passes.
        sleep(pause).await;
        pause *= 2;
    }
    unreachable!("`1..` does not end")
}

/// Fails its first three calls, as a service that is restarting would.
async fn flaky_service(attempt: u32) -> bool {
    // Answering takes 0 virtual time; a real one would await a socket here.
    attempt > 3
}

/// One line: what was awaited, the real and the virtual time it took.
// Two clocks side by side: tokio's virtual one (what the code under test
// sees) and std's real one (what your CI waits).
fn report(what: &str, real: std::time::Instant, virt: Instant) {
    println!("{what}:");
    println!(
        "  virtual {:>8.3?}   real {:>10.1?}",
        virt.elapsed(),
        real.elapsed()
    );
}
