// Tests for exercise processes/03_timeout_kill, shared by the starter and
// the solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-03_timeout_kill")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-03_timeout_kill", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::path::Path;
use std::time::Duration;

use examples_processes::roles::task_command;
use sut::Ending;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

#[test]
fn a_quick_child_reports_its_exit_code() {
    let ok = sut::run_with_timeout(task_command(exe(), &["nothing"]), Duration::from_secs(10));
    assert_eq!(ok.unwrap(), Ending::Exited(0));
    let bad = sut::run_with_timeout(task_command(exe(), &["bogus"]), Duration::from_secs(10));
    assert_eq!(bad.unwrap(), Ending::Exited(1));
}

#[test]
fn a_stuck_child_is_killed_and_reaped() {
    let stuck = task_command(exe(), &["sleep", "20000"]);
    let ending = sut::run_with_timeout(stuck, Duration::from_millis(200)).unwrap();
    let Ending::TimedOut { pid } = ending else {
        panic!("expected a timeout, got {ending:?}");
    };
    // Reaped: the kernel has forgotten the pid (a zombie would still be listed).
    #[cfg(target_os = "linux")]
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "child {pid} is still listed in /proc: killed but not reaped (a zombie)?"
    );
    let _ = pid;
}
