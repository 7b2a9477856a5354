//! A pool of W worker processes, like Python's `multiprocessing.Pool`.
//!
//! Workers cannot share one task queue (an `IpcReceiver` has one owner), so
//! the parent deals the tasks: each worker gets up to `window` tasks in
//! flight, and the next task goes to whichever worker answers first. The
//! replies of all workers are watched at once with an [`IpcReceiverSet`],
//! which also reports a worker's channel closing: that is how a crash is
//! noticed, and the task it held is named in the error.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::time::Duration;

use ipc_channel::ipc::{IpcReceiverSet, IpcSelectionResult};
use ipc_channel::TrySelectError;

use crate::os::{self, Error};
use crate::worker::{describe, FromWorker, Task, Worker};

pub struct Pool {
    workers: Vec<Worker>,
    /// Every worker's reply receiver, so one `select` waits on all of them.
    set: IpcReceiverSet,
    /// Receiver-set id -> index in `workers`.
    index: HashMap<u64, usize>,
    /// Give up on a worker that has not answered for this long.
    pub task_timeout: Option<Duration>,
}

impl Pool {
    /// Start `size` workers from `exe` (one after another: each spawn is a
    /// fork + exec + connect, ~1-2 ms). The fd limit is checked first.
    pub fn start(exe: &Path, size: usize) -> Result<Pool, Error> {
        os::check_processes(size as u64, os::FDS_PER_POOL_WORKER)?;
        let mut set = IpcReceiverSet::new()
            .map_err(|e| Error::Setup(format!("could not make a receiver set: {e}")))?;
        let mut workers = Vec::with_capacity(size);
        let mut index = HashMap::new();
        for id in 0..size {
            let mut worker = Worker::spawn(exe, id)?;
            let replies = worker
                .take_replies()
                .expect("a fresh worker has its receiver");
            let key = set
                .add(replies)
                .map_err(|e| Error::Setup(format!("could not watch {}: {e}", worker.name())))?;
            index.insert(key, id);
            workers.push(worker);
        }
        Ok(Pool {
            workers,
            set,
            index,
            task_timeout: None,
        })
    }

    pub fn size(&self) -> usize {
        self.workers.len()
    }

    pub fn pids(&self) -> Vec<u32> {
        self.workers.iter().map(|w| w.pid).collect()
    }

    /// Run every task and return each reply next to its task's index.
    /// At most `window` tasks wait at each worker: enough that a worker never
    /// idles while its next task is in transit, few enough that no socket
    /// buffer fills up (which would deadlock: both sides blocked in `send`).
    pub fn map(&mut self, tasks: Vec<Task>, window: usize) -> Result<Vec<FromWorker>, Error> {
        let window = window.max(1);
        let total = tasks.len();
        let mut todo = tasks.into_iter().enumerate();
        let mut in_flight: Vec<VecDeque<(usize, Task)>> = vec![VecDeque::new(); self.size()];
        let mut replies: Vec<Option<FromWorker>> = (0..total).map(|_| None).collect();
        // Fill every worker's window.
        for _ in 0..window {
            for (w, queue) in in_flight.iter_mut().enumerate() {
                if let Some((i, task)) = todo.next() {
                    self.workers[w].send(task.clone())?;
                    queue.push_back((i, task));
                }
            }
        }
        let mut done = 0;
        while done < total {
            for event in self.select()? {
                let (key, message) = match event {
                    IpcSelectionResult::MessageReceived(key, message) => (key, message),
                    IpcSelectionResult::ChannelClosed(key) => {
                        let w = self.index[&key];
                        let lost = in_flight[w].front().map(|(_, t)| t.clone());
                        let status = self.workers[w].reap_now();
                        return Err(Error::Worker(format!(
                            "{}: died ({status}) while holding task {lost:?}",
                            self.workers[w].name()
                        )));
                    }
                };
                let w = self.index[&key];
                let name = self.workers[w].name();
                let reply: FromWorker = message
                    .to()
                    .map_err(|e| Error::Worker(format!("{name}: {}", describe(&e.into()))))?;
                let Some((i, task)) = in_flight[w].pop_front() else {
                    return Err(Error::Worker(format!(
                        "{name}: sent {reply:?} with no task outstanding"
                    )));
                };
                if !answers(&task, &reply) {
                    return Err(Error::Worker(format!(
                        "{name}: answered {task:?} with {reply:?} (an unexpected message)"
                    )));
                }
                replies[i] = Some(reply);
                done += 1;
                if let Some((i, task)) = todo.next() {
                    self.workers[w].send(task.clone())?;
                    in_flight[w].push_back((i, task));
                }
            }
        }
        Ok(replies
            .into_iter()
            .map(|r| r.expect("every task answered"))
            .collect())
    }

    /// Wait for events from any worker, within the task timeout if one is set.
    fn select(&mut self) -> Result<Vec<IpcSelectionResult>, Error> {
        let Some(timeout) = self.task_timeout else {
            return self
                .set
                .select()
                .map_err(|e| Error::Setup(format!("select failed: {e}")));
        };
        match self.set.try_select_timeout(timeout) {
            Ok(events) => Ok(events),
            Err(TrySelectError::Empty) => Err(Error::Worker(format!(
                "no worker answered within {timeout:?}: pool of pids {:?} looks hung",
                self.pids()
            ))),
            Err(TrySelectError::IoError(e)) => Err(Error::Setup(format!("select failed: {e}"))),
        }
    }

    /// Close every task channel, let the workers exit, reap them all.
    /// Returns how many exited cleanly.
    pub fn shutdown(self) -> usize {
        self.workers
            .into_iter()
            .filter_map(Worker::stop)
            .filter(|s| s.success())
            .count()
    }
}

/// Whether `reply` is a possible answer to `task`.
pub fn answers(task: &Task, reply: &FromWorker) -> bool {
    match (task, reply) {
        (Task::CountPrimes { chunk, .. }, FromWorker::Primes { chunk: c, .. }) => chunk == c,
        (Task::Nothing, FromWorker::Done) => true,
        (Task::Ping(ball), FromWorker::Pong(back)) => *back == ball + 1,
        (Task::Fault(_), FromWorker::Done) => true,
        _ => false,
    }
}
