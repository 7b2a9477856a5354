// Tests for exercise threads/04_fetch_all, shared by the starter, the solution
// and the wrong answers beside it. The checks themselves are in checks.rs,
// which async/04_fetch_all and green/04_fetch_all run too: same job, same tests.

#[cfg(feature = "learner-04_fetch_all")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-04_fetch_all", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

#[path = "checks.rs"]
mod checks;

#[test]
fn replies_come_back_in_request_order() {
    checks::replies_come_back_in_request_order(sut::fetch_all);
}

#[test]
fn the_requests_are_in_flight_at_the_same_time() {
    checks::the_requests_are_in_flight_at_the_same_time(sut::fetch_all);
}

#[test]
fn a_server_that_is_not_there_is_an_error() {
    checks::a_server_that_is_not_there_is_an_error(sut::fetch_all);
}
