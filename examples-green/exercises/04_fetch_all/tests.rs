// Tests for exercise green/04_fetch_all, shared by the starter, the solution
// and the wrong answers beside it. The checks are threads/04_fetch_all's
// checks.rs, run here against the may version: same job, same tests.

#[cfg(feature = "learner-04_fetch_all")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-04_fetch_all", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

#[path = "../../../examples-threads/exercises/04_fetch_all/checks.rs"]
mod checks;

/// may's workers are set once per test binary, before the first spawn.
fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| may::config().set_workers(2).set_worker_pin(false));
}

#[test]
fn replies_come_back_in_request_order() {
    setup();
    checks::replies_come_back_in_request_order(sut::fetch_all);
}

#[test]
fn the_requests_are_in_flight_at_the_same_time() {
    setup();
    checks::the_requests_are_in_flight_at_the_same_time(sut::fetch_all);
}

#[test]
fn a_server_that_is_not_there_is_an_error() {
    setup();
    checks::a_server_that_is_not_there_is_an_error(sut::fetch_all);
}
