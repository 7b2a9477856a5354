//! Long-lived worker processes over ipc-channel: the bootstrap, the wire
//! protocol, and the parent's handle on one worker.
//!
//! A worker is this same binary re-run (`std::env::current_exe()`, or the
//! path a test passes in) with the arguments `worker <server-name>`. The
//! bootstrap:
//!
//! 1. the parent makes an [`IpcOneShotServer`] (a Unix socket in `TMPDIR`)
//!    and passes its name to the child on the command line;
//! 2. the child connects, makes its own task channel and sends
//!    [`FromWorker::Hello`] carrying the channel's sending end;
//! 3. the parent `accept()`s: it now holds the receiving end of the child's
//!    connection (every later reply arrives there) and a sender for tasks.
//!
//! Each side owns one end of each channel, so a dead peer shows up as a
//! closed channel, never as a silent hang.

use std::io;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender};
use ipc_channel::{IpcError, TryRecvError};
use serde::{Deserialize, Serialize};

use crate::os::{self, Error};

/// Parent -> worker. Plain derived types only: postcard is not
/// self-describing, so `untagged` or `flatten` would not decode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Task {
    /// Count the primes in chunk `chunk` of `0..n` (see `workloads::cpu`).
    CountPrimes { n: u64, chunk: usize },
    /// Do nothing and say so: the cost of a hand-off, and nothing else.
    Nothing,
    /// Answer with the ball + 1.
    Ping(u64),
    /// Misbehave on purpose: the lessons and tests on failures use these.
    Fault(Fault),
}

/// The ways a worker can go wrong, on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// `panic!`: unwinds, the process exits with code 101.
    Panic,
    /// `std::process::abort()`: killed by SIGABRT, no unwinding.
    Abort,
    /// `std::process::exit(code)`.
    Exit(i32),
    /// Never answer.
    Hang,
    /// Send bytes that do not decode as a [`FromWorker`].
    Garbage,
    /// Send a well-formed reply that answers a different question.
    WrongReply,
}

/// Worker -> parent. The first message on a connection is always `Hello`.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// "I am up; send my tasks here."
    Hello {
        pid: u32,
        tasks: IpcSender<Task>,
    },
    Primes {
        chunk: usize,
        count: u64,
    },
    Done,
    Pong(u64),
}

/// The parent's handle on one worker process.
pub struct Worker {
    /// The pool's index for this worker: every error message names it.
    pub id: usize,
    pub pid: u32,
    /// `None` once reaped, so `Drop` never waits twice.
    child: Option<Child>,
    /// `None` once dropped: closing it is how a worker is told to exit.
    tasks: Option<IpcSender<Task>>,
    /// The parent's end of the worker's connection. A [`crate::pool::Pool`]
    /// moves it into its receiver set, so it is an `Option`.
    replies: Option<IpcReceiver<FromWorker>>,
}

/// How long a child may take to start and connect before it counts as lost.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Worker {
    /// Start `exe worker <name>` and complete the bootstrap.
    pub fn spawn(exe: &Path, id: usize) -> Result<Worker, Error> {
        // ipc-channel panics on a missing TMPDIR and truncates a long socket
        // path: check first and say what to do.
        os::check_tmpdir()?;
        let (server, name) = IpcOneShotServer::<FromWorker>::new()
            .map_err(|e| Error::Setup(format!("could not create the bootstrap socket: {e}")))?;
        let mut child = os::child_command(exe)
            .args(["worker", &name])
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| Error::Setup(format!("could not start {}: {e}", exe.display())))?;
        let pid = child.id();
        let who = format!("worker {id} (pid {pid})");

        // `accept` blocks until the child connects. If the child dies first
        // it would block forever, so accept on a helper thread and watch the
        // child meanwhile.
        let (accepted_tx, accepted) = mpsc::channel();
        let acceptor = std::thread::spawn(move || {
            let _ = accepted_tx.send(server.accept());
        });
        let start = Instant::now();
        let result = loop {
            match accepted.recv_timeout(Duration::from_millis(20)) {
                Ok(result) => break Some(result),
                Err(mpsc::RecvTimeoutError::Disconnected) => break None,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            let dead = child.try_wait().ok().flatten();
            if dead.is_some() || start.elapsed() > CONNECT_TIMEOUT {
                // Unblock `accept` with a connection that says nothing.
                drop(IpcSender::<FromWorker>::connect(name.clone()));
                let _ = acceptor.join();
                let why = match dead {
                    Some(status) => {
                        format!("exited ({}) before it connected", describe_status(status))
                    }
                    None => format!("did not connect within {CONNECT_TIMEOUT:?}"),
                };
                os::kill_and_reap(&mut child);
                return Err(Error::Worker(format!("{who}: {why}")));
            }
        };
        let _ = acceptor.join();
        let hello = result.ok_or_else(|| Error::Worker(format!("{who}: bootstrap thread died")));
        match hello {
            Ok(Ok((replies, FromWorker::Hello { pid: said, tasks }))) if said == pid => {
                Ok(Worker {
                    id,
                    pid,
                    child: Some(child),
                    tasks: Some(tasks),
                    replies: Some(replies),
                })
            }
            other => {
                os::kill_and_reap(&mut child);
                let why = match other {
                    Ok(Ok((_, FromWorker::Hello { pid: said, .. }))) => {
                        format!("said hello as pid {said}")
                    }
                    Ok(Ok((_, msg))) => format!("sent {msg:?} instead of Hello"),
                    Ok(Err(e)) => format!("sent a malformed hello: {}", describe(&e)),
                    Err(e) => return Err(e),
                };
                Err(Error::Worker(format!("{who}: {why}")))
            }
        }
    }

    /// "worker 2 (pid 1234)", for error messages.
    pub fn name(&self) -> String {
        format!("worker {} (pid {})", self.id, self.pid)
    }

    /// Send one task. Fails if the worker has gone.
    pub fn send(&self, task: Task) -> Result<(), Error> {
        let tasks = self.tasks.as_ref().expect("tasks is only taken by stop");
        tasks
            .send(task)
            .map_err(|e| Error::Worker(format!("{}: could not send it a task: {e}", self.name())))
    }

    /// Wait for the next reply from this worker (not usable inside a pool).
    pub fn recv(&mut self) -> Result<FromWorker, Error> {
        let replies = self.replies.as_ref().expect("replies were moved to a pool");
        match replies.recv() {
            Ok(msg) => Ok(msg),
            Err(e) => Err(self.lost(&e)),
        }
    }

    /// Like [`Worker::recv`], but give up after `timeout` (the worker hangs).
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<Option<FromWorker>, Error> {
        let replies = self.replies.as_ref().expect("replies were moved to a pool");
        match replies.try_recv_timeout(timeout) {
            Ok(msg) => Ok(Some(msg)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::IpcError(e)) => Err(self.lost(&e)),
        }
    }

    /// Turn a receive error into a message naming this worker, with its exit
    /// status when the channel closed because it died.
    pub fn lost(&mut self, e: &IpcError) -> Error {
        match e {
            IpcError::Disconnected => {
                let status = self.reap_now();
                Error::Worker(format!("{}: died ({status})", self.name()))
            }
            other => Error::Worker(format!("{}: {}", self.name(), describe(other))),
        }
    }

    /// Take the reply receiver (for a pool's receiver set).
    pub fn take_replies(&mut self) -> Option<IpcReceiver<FromWorker>> {
        self.replies.take()
    }

    /// Wait for a worker whose channel closed: it is dying or dead.
    pub fn reap_now(&mut self) -> String {
        match self.child.take() {
            Some(mut child) => match os::wait_timeout(&mut child, Duration::from_secs(2)) {
                Some(status) => describe_status(status),
                None => {
                    os::kill_and_reap(&mut child);
                    "closed its channel and was killed".into()
                }
            },
            None => "already reaped".into(),
        }
    }

    /// Ask the worker to exit (close its task channel), wait briefly, kill it
    /// if it does not, and reap it. Returns how it ended.
    pub fn stop(mut self) -> Option<ExitStatus> {
        drop(self.tasks.take());
        drop(self.replies.take());
        let mut child = self.child.take()?;
        match os::wait_timeout(&mut child, Duration::from_secs(1)) {
            Some(status) => Some(status),
            None => {
                os::kill_and_reap(&mut child);
                None
            }
        }
    }

    /// Kill the worker now (it hangs) and reap it.
    pub fn kill(mut self) {
        if let Some(mut child) = self.child.take() {
            os::kill_and_reap(&mut child);
        }
    }
}

/// A worker that is dropped without `stop` is killed and reaped: never a
/// zombie, never an orphan.
impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            os::kill_and_reap(&mut child);
        }
    }
}

/// "exit code 3", "killed by signal 6 (SIGABRT)".
pub fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(sig)) => format!("killed by signal {sig} ({})", os::signal_name(sig)),
        _ => status.to_string(),
    }
}

/// A receive error in words a learner can act on.
pub fn describe(e: &IpcError) -> String {
    match e {
        IpcError::SerializationError(inner) => {
            format!("sent a malformed message (it does not decode as FromWorker: {inner:?})")
        }
        IpcError::Io(io) => format!("IPC error: {io}"),
        IpcError::Disconnected => "closed its channel".into(),
    }
}

/// The worker role: connect, say hello, answer tasks until the parent
/// closes the task channel. Returns the process exit code.
pub fn worker_main(server_name: String) -> i32 {
    match serve_tasks(server_name) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("worker {}: {e}", std::process::id());
            1
        }
    }
}

fn serve_tasks(server_name: String) -> io::Result<()> {
    let to_parent = IpcSender::<FromWorker>::connect(server_name)?;
    let (tasks_tx, tasks) = ipc::channel::<Task>()?;
    let pid = std::process::id();
    send(
        &to_parent,
        FromWorker::Hello {
            pid,
            tasks: tasks_tx,
        },
    )?;
    loop {
        let task = match tasks.recv() {
            Ok(task) => task,
            // The parent closed the channel (or died): our cue to exit.
            Err(IpcError::Disconnected) => return Ok(()),
            Err(e) => return Err(io::Error::other(e.to_string())),
        };
        let reply = match task {
            Task::CountPrimes { n, chunk } => {
                // One unit of a timeline (`--trace`): this chunk, in this process.
                let mut log = workloads::trace::log(1);
                let t0 = log.clock();
                let count = workloads::cpu::count_primes_in(workloads::cpu::chunk(n, chunk));
                log.run(chunk as u64, t0);
                FromWorker::Primes { chunk, count }
            }
            Task::Nothing => FromWorker::Done,
            Task::Ping(ball) => FromWorker::Pong(ball + 1),
            Task::Fault(fault) => misbehave(fault, &to_parent)?,
        };
        send(&to_parent, reply)?;
    }
}

fn send(to: &IpcSender<FromWorker>, msg: FromWorker) -> io::Result<()> {
    to.send(msg).map_err(|e| io::Error::other(e.to_string()))
}

fn misbehave(fault: Fault, to_parent: &IpcSender<FromWorker>) -> io::Result<FromWorker> {
    match fault {
        Fault::Panic => panic!("this worker was asked to panic"),
        Fault::Abort => std::process::abort(),
        Fault::Exit(code) => std::process::exit(code),
        Fault::Hang => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        Fault::Garbage => {
            // Reinterpret our sender as one of a different type: the bytes
            // arrive on the parent's `FromWorker` receiver and fail to decode.
            let raw: IpcSender<Vec<u8>> = to_parent.clone().to_opaque().to();
            raw.send(vec![0xff; 12])
                .map_err(|e| io::Error::other(e.to_string()))?;
            // Then carry on as if nothing happened.
            Ok(FromWorker::Done)
        }
        Fault::WrongReply => Ok(FromWorker::Pong(u64::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_well() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(describe_status(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(
            describe_status(ExitStatus::from_raw(libc::SIGABRT)),
            "killed by signal 6 (SIGABRT)"
        );
    }
}
