// Goal: run a list of tasks on one worker process and survive a worker that
// crashes: report the task it lost, start a fresh worker, carry on.
// `11_crashed_child` shows what a crash looks like from the parent's side.
// Done when `cargo xtask exercise check processes/02_survive_crash` passes.

use std::path::Path;

use examples_processes::os::Error;
use examples_processes::worker::{FromWorker, Task, Worker};

/// What happened to a batch of tasks.
#[derive(Debug, Default)]
pub struct Report {
    /// One entry per task: its reply, or `None` if its worker died on it.
    pub replies: Vec<Option<FromWorker>>,
    /// Indices of the tasks whose worker died.
    pub lost: Vec<usize>,
    /// How many fresh workers were started after a crash.
    pub restarts: usize,
}

/// Send each task to the worker and wait for its reply, in order.
pub fn run_surviving(exe: &Path, tasks: &[Task]) -> Result<Report, Error> {
    let mut worker = Worker::spawn(exe, 0)?;
    let mut report = Report::default();
    for task in tasks {
        worker.send(task.clone())?;
        // TODO: a crash shows up here as an `Err` from `recv`. Instead of
        // returning it with `?`, record the lost task (index and `None`),
        // start a fresh worker in place of the dead one, count the restart,
        // and go on with the next task.
        let reply = worker.recv()?;
        report.replies.push(Some(reply));
    }
    worker.stop();
    Ok(report)
}
