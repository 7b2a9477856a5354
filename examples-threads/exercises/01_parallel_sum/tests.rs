//! Tests for exercise threads/01_parallel_sum, shared by the starter and the
//! solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-01_parallel_sum")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(feature = "learner-01_parallel_sum"))]
#[path = "solution.rs"]
mod sut;

use std::collections::HashSet;
use std::thread;

#[test]
fn sums_are_right() {
    let numbers: Vec<u64> = (1..=1000).collect();
    for parts in [1, 2, 3, 7, 1000, 5000] {
        assert_eq!(
            sut::parallel_sum(&numbers, parts),
            500_500,
            "with {parts} parts"
        );
    }
    assert_eq!(sut::parallel_sum(&[], 4), 0);
}

#[test]
fn pieces_stay_in_order() {
    let numbers: Vec<u64> = (0..10).collect();
    let sums: Vec<u64> = sut::partial_sums(&numbers, 5)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(sums, [1, 5, 9, 13, 17]);
}

#[test]
fn every_piece_runs_on_a_thread_of_its_own() {
    let numbers: Vec<u64> = (0..4000).collect();
    let pieces = sut::partial_sums(&numbers, 4);
    assert_eq!(pieces.len(), 4);
    let ids: HashSet<_> = pieces.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        ids.len(),
        4,
        "4 pieces should be summed by 4 different threads"
    );
    assert!(
        !ids.contains(&thread::current().id()),
        "a piece was summed on the calling thread, not on a spawned one"
    );
}
