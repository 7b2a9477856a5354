// Tests for exercise threads/03_pipeline, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.
//
// Back-pressure is checked on counts, not on time: a consumer that takes
// nothing stalls a bounded pipeline at a known number of sent items.

#[cfg(feature = "learner-03_pipeline")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-03_pipeline", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::RecvTimeoutError;

/// A hang detector, far above the milliseconds the work takes.
const HANG: Duration = Duration::from_secs(5);

/// Take every verdict until the channel closes; fail if it stays silent.
fn drain(pipeline: &sut::Pipeline) -> Vec<(u64, bool)> {
    let mut verdicts = Vec::new();
    loop {
        match pipeline.verdicts.recv_timeout(HANG) {
            Ok(v) => verdicts.push(v),
            Err(RecvTimeoutError::Disconnected) => return verdicts,
            Err(RecvTimeoutError::Timeout) => {
                panic!("no verdict and no close for {HANG:?}: is a sender still alive?")
            }
        }
    }
}

/// Wait until `produced` has not moved for 200 ms (or HANG passes).
fn settled_produced(pipeline: &sut::Pipeline) -> usize {
    let start = Instant::now();
    let mut last = usize::MAX;
    loop {
        let now = pipeline.produced.load(Ordering::SeqCst);
        if now == last || start.elapsed() > HANG {
            return now;
        }
        last = now;
        thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn every_number_gets_one_right_verdict() {
    let pipeline = sut::start((0..10_000).collect(), 2, 8);
    let mut verdicts = drain(&pipeline);
    verdicts.sort_unstable();
    assert_eq!(verdicts.len(), 10_000, "each number exactly once");
    assert!(verdicts
        .iter()
        .enumerate()
        .all(|(i, (n, _))| *n == i as u64));
    assert_eq!(verdicts.iter().filter(|(_, prime)| *prime).count(), 1229);
}

#[test]
fn the_producer_waits_for_a_stalled_consumer() {
    let (workers, capacity) = (2, 4);
    let pipeline = sut::start((0..10_000).collect(), workers, capacity);
    // Take nothing: at most `capacity` numbers queue, each worker holds one,
    // and `capacity` verdicts queue. Then every send must wait.
    let produced = settled_produced(&pipeline);
    let most = 2 * capacity + workers;
    assert!(
        produced <= most,
        "the producer sent {produced} numbers to a consumer that took none; \
         bounded channels of {capacity} would stop it at {most}"
    );
    // Back-pressure must not lose anything: once we read, all of it arrives.
    assert_eq!(drain(&pipeline).len(), 10_000);
}

#[test]
fn every_worker_takes_a_number() {
    let (workers, capacity) = (3, 2);
    let pipeline = sut::start((0..10_000).collect(), workers, capacity);
    // With nothing taken, a stalled bounded pipeline holds exactly:
    // `capacity` verdicts, one number in each worker's hands, `capacity` numbers.
    let produced = settled_produced(&pipeline);
    let expected = 2 * capacity + workers;
    let why = if produced > expected {
        "the channels do not stop the producer (are they bounded?)".to_owned()
    } else {
        let holding = produced.saturating_sub(2 * capacity);
        format!("only {holding} worker(s) took a number; all {workers} should")
    };
    assert_eq!(produced, expected, "{why}");
    assert_eq!(drain(&pipeline).len(), 10_000);
}
