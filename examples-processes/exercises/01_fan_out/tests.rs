// Tests for exercise processes/01_fan_out, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-01_fan_out")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-01_fan_out", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::collections::HashSet;
use std::path::Path;

use workloads::cpu::{reference_prime_count, CHUNKS};

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

#[test]
fn the_merged_count_is_right() {
    let n = 200_000;
    let all: Vec<usize> = (0..CHUNKS).collect();
    let answers = sut::fan_out(exe(), n, &all).unwrap();
    let total: u64 = answers.iter().map(|a| a.count).sum();
    assert_eq!(total, reference_prime_count(n));
    let order: Vec<usize> = answers.iter().map(|a| a.chunk).collect();
    assert_eq!(order, all, "answers come back in chunk order");
}

#[test]
fn every_chunk_runs_in_a_process_of_its_own() {
    let answers = sut::fan_out(exe(), 100_000, &[3, 1, 4]).unwrap();
    let pids: HashSet<u32> = answers.iter().map(|a| a.pid).collect();
    assert_eq!(pids.len(), 3, "3 chunks should be counted by 3 processes");
    assert!(
        !pids.contains(&std::process::id()),
        "a chunk was counted in this process, not in a child"
    );
}
