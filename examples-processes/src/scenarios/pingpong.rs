//! `pingpong`: the parent and one child bounce a number `n` times.
//!
//! Every round trip crosses the process boundary twice and wakes a blocked
//! process each time. `pool` carries the ball over ipc-channel (a serialised
//! message on a Unix socket); `pipe` writes 8 raw bytes to the child's stdin
//! and reads 8 back from its stdout, which is the floor under any IPC library.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;

use workloads::contract::Failure;

use crate::worker::{FromWorker, Task, Worker};
use crate::{timed, Outcome};

pub fn run(exe: &Path, variant: &str, n: u64) -> Result<Outcome, Failure> {
    let ((trips, elapsed), startup, os_threads) = match variant {
        "pool" => {
            let (worker, startup) = timed(|| Worker::spawn(exe, 0));
            let mut worker = worker?;
            // The child is running: count the parent's own OS threads here,
            // outside the timed region (the child is a process, counted as a
            // process, not here).
            let os_threads = workloads::sys::os_threads();
            let result = timed(|| over_ipc(&mut worker, n));
            worker.stop();
            (result, startup, os_threads)
        }
        "pipe" => {
            let (child, startup) = timed(|| {
                crate::roles::task_command(exe, &["echo"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
            });
            let mut child = child?;
            // The child is running: count the parent's own OS threads here,
            // outside the timed region (the child is a process, counted as a
            // process, not here).
            let os_threads = workloads::sys::os_threads();
            let (mut to, mut from) = (child.stdin.take(), child.stdout.take());
            let result = timed(|| match (&mut to, &mut from) {
                (Some(to), Some(from)) => over_pipe(to, from, n),
                _ => Err(Failure::Other("the child has no pipes".into())),
            });
            // Closing its stdin ends the child's loop.
            drop(to);
            child.wait()?;
            (result, startup, os_threads)
        }
        other => return Err(Failure::Usage(format!("pingpong has no variant {other}"))),
    };
    Ok(Outcome {
        check: trips?,
        ops: n,
        workers: 2,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

/// Send `Ping(i)`, wait for `Pong(i + 1)`, n times.
pub fn over_ipc(worker: &mut Worker, n: u64) -> Result<u64, Failure> {
    for i in 0..n {
        worker.send(Task::Ping(i))?;
        match worker.recv()? {
            FromWorker::Pong(back) if back == i + 1 => {}
            other => {
                return Err(Failure::Other(format!(
                    "{}: answered Ping({i}) with {other:?}",
                    worker.name()
                )))
            }
        }
    }
    Ok(n)
}

fn over_pipe(to: &mut impl Write, from: &mut impl Read, n: u64) -> Result<u64, Failure> {
    let mut frame = [0u8; 8];
    for i in 0..n {
        to.write_all(&i.to_le_bytes())?;
        to.flush()?;
        from.read_exact(&mut frame)?;
        if u64::from_le_bytes(frame) != i + 1 {
            return Err(Failure::Other(format!(
                "the echo child answered {i} with {}",
                u64::from_le_bytes(frame)
            )));
        }
    }
    Ok(n)
}
