// Tests for exercise green/03_cancel_the_ticker, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-03_cancel_the_ticker")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-03_cancel_the_ticker", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| may::config().set_workers(2).set_worker_pin(false));
}

#[test]
fn the_pipeline_sums_the_squares() {
    setup();
    let report = sut::sum_of_squares(100, || {});
    assert_eq!(report.sum, 100 * 101 * 201 / 6);
}

#[test]
fn the_ticker_is_stopped_when_the_function_returns() {
    setup();
    let ticks = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&ticks);
    let report = sut::sum_of_squares(1000, move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    assert!(
        report.ticker_stopped,
        "the ticker was still running on return"
    );
    // Stopped means stopped: no tick in the next 50 ms.
    let after_return = ticks.load(Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(
        ticks.load(Ordering::Relaxed),
        after_return,
        "the ticker kept ticking"
    );
}

#[test]
fn the_ticker_stops_even_in_the_middle_of_a_tick() {
    setup();
    // The first tick waits on a channel nobody sends on: only a cancel, which
    // lands at any may blocking point, can stop the ticker there.
    let (never, waits) = may::sync::mpsc::channel::<()>();
    let (done, returned) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let report = sut::sum_of_squares(100, move || {
            let _ = waits.recv();
        });
        let _ = done.send(report.ticker_stopped);
    });
    // 2 s: 100x what a cancel needs to land and the join to return.
    let stopped = returned
        .recv_timeout(Duration::from_secs(2))
        .unwrap_or_else(|_| {
            panic!(
                "the ticker was waiting inside a tick and did not stop within 2 s: \
             a stop flag is only seen between ticks. Cancel the coroutine instead: \
             a cancel lands at whatever may call it is blocked in"
            )
        });
    assert!(stopped, "the ticker was not reported stopped");
    drop(never);
}
