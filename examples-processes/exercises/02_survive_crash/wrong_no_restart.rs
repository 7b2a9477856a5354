// Wrong answer (kept to prove the tests catch it): it notes the lost task but
// keeps the dead worker, so the next send fails and the batch ends there.

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
    for (i, task) in tasks.iter().enumerate() {
        worker.send(task.clone())?;
        match worker.recv() {
            Ok(reply) => report.replies.push(Some(reply)),
            Err(_died) => {
                report.replies.push(None);
                report.lost.push(i);
                // no fresh worker: the dead one stays in place
            }
        }
    }
    worker.stop();
    Ok(report)
}
