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
use std::process::Command;

use examples_processes::roles::task_command;
use workloads::cpu::{reference_prime_count, CHUNKS};
use workloads::rendezvous::Rendezvous;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

/// A child that counts the primes of one chunk of `0..n`.
fn count(n: u64) -> impl Fn(usize) -> Command {
    move |chunk| task_command(exe(), &["count", &n.to_string(), &chunk.to_string()])
}

#[test]
fn the_merged_count_is_right() {
    let n = 200_000;
    let all: Vec<usize> = (0..CHUNKS).collect();
    let answers = sut::fan_out(count(n), &all).unwrap();
    let total: u64 = answers.iter().map(|a| a.count).sum();
    assert_eq!(total, reference_prime_count(n));
    let order: Vec<usize> = answers.iter().map(|a| a.chunk).collect();
    assert_eq!(order, all, "answers come back in chunk order");
}

#[test]
fn every_chunk_runs_in_a_process_of_its_own() {
    let answers = sut::fan_out(count(100_000), &[3, 1, 4]).unwrap();
    let pids: HashSet<u32> = answers.iter().map(|a| a.pid).collect();
    assert_eq!(pids.len(), 3, "3 chunks should be counted by 3 processes");
    assert!(
        !pids.contains(&std::process::id()),
        "a chunk was counted in this process, not in a child"
    );
}

#[test]
fn the_children_run_at_the_same_time() {
    // Each child asks a server that answers only when all 4 have asked
    // (within 2 s; then it hangs up and the children fail), and prints "1".
    let meeting = Rendezvous::start(4).unwrap();
    let addr = meeting.addr().to_string();
    let got = sut::fan_out(
        |_| task_command(exe(), &["net", &addr, "1", "0"]),
        &[0, 1, 2, 3],
    );
    let most = meeting.most_at_once();
    assert_eq!(
        most, 4,
        "the 4 children never ran at the same time (at most {most} at once): \
         each was waited for before the next was started. Start them all, then wait"
    );
    let counts: Vec<u64> = got.unwrap().iter().map(|a| a.count).collect();
    assert_eq!(counts, [1, 1, 1, 1]);
}
