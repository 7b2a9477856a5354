// Tests for exercise async/02_unblock_runtime, shared by the starter and the
// solution. A stall is measured by counting a heartbeat's ticks, never by
// how long something took.

#[cfg(feature = "learner-02_unblock_runtime")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-02_unblock_runtime", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::time::{interval, MissedTickBehavior};

fn docs() -> Vec<Vec<u8>> {
    (0..8u8).map(|i| vec![i; 100 + i as usize]).collect()
}

#[tokio::test]
async fn checksums_are_right_and_in_order() {
    let want: Vec<u64> = docs().iter().map(|d| sut::legacy_checksum(d)).collect();
    assert_eq!(sut::checksum_all(docs()).await, want);
}

// `#[tokio::test]` is a current_thread runtime: one thread, as in asyncio.
#[tokio::test]
async fn the_heartbeat_keeps_ticking_meanwhile() {
    let ticks = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&ticks);
    let heartbeat = tokio::spawn(async move {
        let mut beat = interval(Duration::from_millis(5));
        // A stalled beat is skipped, not made up later in a burst.
        beat.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            beat.tick().await;
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    tokio::task::yield_now().await;
    let before = ticks.load(Ordering::Relaxed);
    // 8 documents x 40 ms: about 64 beats of 5 ms if the runtime stays free,
    // 0-8 (one per `yield_now`) if each checksum blocks it.
    sut::checksum_all(docs()).await;
    let beats = ticks.load(Ordering::Relaxed) - before;
    heartbeat.abort();
    assert!(
        beats >= 20,
        "only {beats} of ~64 heartbeats: the runtime was blocked"
    );
}
