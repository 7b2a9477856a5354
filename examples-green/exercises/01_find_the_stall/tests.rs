// Tests for exercise green/01_find_the_stall, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-01_find_the_stall")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-01_find_the_stall", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

/// One worker, as gevent: set before the first spawn, once per test binary.
fn one_worker() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| may::config().set_workers(1).set_worker_pin(false));
}

#[test]
fn every_reading_comes_back_in_order() {
    one_worker();
    let report = sut::read_all(20);
    assert_eq!(report.readings, (0..20).map(|i| i * 3).collect::<Vec<_>>());
}

#[test]
fn the_sensors_wait_at_the_same_time() {
    one_worker();
    let report = sut::read_all(20);
    assert!(
        report.most_waiting_at_once >= 10,
        "at most {} sensors were waiting at once: something blocks the worker \
         thread, so each coroutine waits for the one before it",
        report.most_waiting_at_once
    );
}
