// Tests for exercise async/10_paused_clock, shared by the starter, the
// solution and the wrong answers beside it. `cargo xtask exercise check`
// turns on the learner feature.
//
// Each test runs `fetch_with_retry` on the exercise's `runtime()`, on a
// thread of its own, and bounds the REAL time itself: a run of up to 30 s of
// timers must be done within 2 real seconds, and in less than half the time
// that passed on the runtime's clock. So a run on the real clock fails in 2 s with
// its own message, every time, never by the check's timeout; a paused clock
// passes in microseconds. The runtime's clock is read with tokio's `Instant`.

#[cfg(feature = "learner-10_paused_clock")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-10_paused_clock", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use sut::{fetch_with_retry, Outcome, Service};

/// What a test may take in real time: far more than a paused clock needs on
/// a busy machine (milliseconds), far less than the 7 s and 30 s of timers.
const REAL_BOUND: Duration = Duration::from_secs(2);

/// Run `fetch_with_retry` against `service` on the exercise's runtime;
/// return what it reported and the time that passed on the runtime's clock.
fn run(service: Service) -> (Outcome, Duration) {
    let rt = sut::runtime();
    let (done, finished) = mpsc::channel();
    let real = std::time::Instant::now();
    // A thread of its own, so the test can give up on it: a run on the real
    // clock goes on sleeping there until the test binary exits.
    thread::spawn(move || {
        let out = rt.block_on(async {
            let start = tokio::time::Instant::now();
            let outcome = fetch_with_retry(&service).await;
            (outcome, start.elapsed())
        });
        let _ = done.send(out);
    });
    let Ok((outcome, on_clock)) = finished.recv_timeout(REAL_BOUND) else {
        panic!(
            "this test waited in real time: still running after {REAL_BOUND:?} of real \
             time, for seconds of back-off and timeouts. Use tokio's paused clock, and \
             let every wait be a tokio timer"
        );
    };
    let real = real.elapsed();
    assert!(
        real * 2 < on_clock,
        "this test waited in real time: {real:?} of real time for {on_clock:?} on the \
         runtime's clock. Use tokio's paused clock, and let every wait be a tokio timer"
    );
    (outcome, on_clock)
}

/// `took` must be the time on the runtime's clock, which the test knows.
fn assert_took(outcome: &Outcome, on_clock: Duration) {
    assert!(
        outcome.took == on_clock,
        "fetch_with_retry says it took {:?}, but {on_clock:?} passed on the runtime's \
         clock: it reads another clock. std::time::Instant reads the real one; \
         tokio::time::Instant reads the runtime's (paused) one",
        outcome.took
    );
}

#[test]
fn three_failures_then_the_answer() {
    let (outcome, on_clock) = run(Service::new(3, false));
    // 4 calls of 100 ms, and back-off 1 + 2 + 4 s between them, exactly.
    assert_eq!(
        on_clock,
        Duration::from_millis(7_400),
        "time on the runtime's clock"
    );
    assert_eq!((outcome.answer, outcome.attempts), (Some(42), 4));
    assert_took(&outcome, on_clock);
}

#[test]
fn a_service_that_never_answers_is_given_up_after_30_s() {
    let (outcome, on_clock) = run(Service::new(0, true));
    // Tries cut off at 5, 11, 18 and 27 s; the back-off after the 4th runs
    // past 30 s, where the whole retry gives up.
    assert_eq!(
        on_clock,
        Duration::from_secs(30),
        "time on the runtime's clock"
    );
    assert_eq!((outcome.answer, outcome.attempts), (None, 4));
    assert_took(&outcome, on_clock);
}

#[test]
fn one_failure_then_the_answer() {
    let (outcome, on_clock) = run(Service::new(1, false));
    // 2 calls of 100 ms and one back-off of 1 s.
    assert_eq!(
        on_clock,
        Duration::from_millis(1_200),
        "time on the runtime's clock"
    );
    assert_eq!((outcome.answer, outcome.attempts), (Some(42), 2));
    assert_took(&outcome, on_clock);
}
