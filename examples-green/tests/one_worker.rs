//! The `may-1` configuration, in a test binary of its own: may's scheduler is
//! global per process, and the unit tests start it with 2 workers.

use std::time::Duration;

use examples_green::{scenarios, start};
use workloads::contract::Failure;
use workloads::cpu::reference_prime_count;

fn one_worker() {
    start(1).expect("may starts with one worker");
}

#[test]
fn one_worker_still_counts_right() {
    one_worker();
    assert_eq!(
        scenarios::cpu::run(200_000).unwrap().check,
        reference_prime_count(200_000)
    );
}

#[test]
fn one_worker_overlaps_may_sleeps() {
    one_worker();
    // 100 sleeps of 20 ms on one OS thread: together, not one after another (2 s).
    let out = scenarios::sleep::run(100, Duration::from_millis(20)).unwrap();
    assert_eq!(out.check, 100);
    assert!(out.elapsed < Duration::from_secs(1), "{:?}", out.elapsed);
}

#[test]
fn another_worker_count_is_refused_not_ignored() {
    one_worker();
    match start(2) {
        Err(Failure::Other(msg)) => assert!(msg.contains("already started"), "{msg}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
