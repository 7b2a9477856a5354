// Tests for exercise processes/02_survive_crash, shared by the starter and
// the solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-02_survive_crash")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-02_survive_crash", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::path::Path;

use examples_processes::worker::{Fault, FromWorker, Task};

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

fn pong(r: &Option<FromWorker>) -> Option<u64> {
    match r {
        Some(FromWorker::Pong(x)) => Some(*x),
        _ => None,
    }
}

#[test]
fn the_batch_survives_a_panic_and_an_exit() {
    let tasks = [
        Task::Ping(1),
        Task::Fault(Fault::Panic),
        Task::Ping(2),
        Task::Fault(Fault::Exit(3)),
        Task::Ping(5),
    ];
    let report = sut::run_surviving(exe(), &tasks).expect("the batch completes");
    let pongs: Vec<Option<u64>> = report.replies.iter().map(pong).collect();
    assert_eq!(pongs, [Some(2), None, Some(3), None, Some(6)]);
    assert_eq!(report.lost, [1, 3], "the crashed tasks are reported");
    assert_eq!(report.restarts, 2);
}

#[test]
fn a_healthy_batch_needs_no_restart() {
    let report = sut::run_surviving(exe(), &[Task::Ping(7), Task::Ping(8)]).unwrap();
    assert_eq!(
        report.replies.iter().map(pong).collect::<Vec<_>>(),
        [Some(8), Some(9)]
    );
    assert!(report.lost.is_empty());
    assert_eq!(report.restarts, 0);
}
