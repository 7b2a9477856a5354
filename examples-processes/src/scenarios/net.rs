//! `net`: `n` client processes, each making `rounds` request/reply round
//! trips to the loopback delay server with a blocking socket.
//!
//! Like a thread per client, but each client is a whole process: its own
//! address space and socket, its reply count printed on stdout for the parent
//! to add up (Python: `multiprocessing` workers each opening a connection).

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use workloads::contract::Failure;

use crate::{timed, Outcome};

pub fn run(
    exe: &Path,
    variant: &str,
    n: u64,
    rounds: u64,
    delay: Duration,
    server: SocketAddr,
) -> Result<Outcome, Failure> {
    if variant != "per-task" {
        return Err(Failure::Usage(format!("net has no variant {variant}")));
    }
    // One stdout pipe per client in the parent.
    crate::os::check_processes(n, 1)?;
    let args = [
        "net".to_string(),
        server.to_string(),
        rounds.to_string(),
        delay.as_millis().to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let mut children: Vec<Child> = Vec::with_capacity(n as usize);
        let mut spawn_error = None;
        for _ in 0..n {
            match crate::roles::task_command(exe, &args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
            {
                Ok(c) => children.push(c),
                Err(e) => {
                    spawn_error = Some(e);
                    break;
                }
            }
        }
        // Every client has started (or the OS refused one) and none is
        // reaped: count the parent's own OS threads now (the clients are
        // processes, counted as processes, not here; inside the timed region:
        // one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut replies = 0;
        let mut first_error = spawn_error.map(|e| format!("the OS refused a client: {e}"));
        for mut child in children {
            let mut out = String::new();
            if let Some(mut o) = child.stdout.take() {
                let _ = o.read_to_string(&mut out);
            }
            let pid = child.id();
            match child.wait() {
                Ok(s) if s.success() => replies += out.trim().parse::<u64>().unwrap_or(0),
                Ok(s) => {
                    first_error.get_or_insert_with(|| {
                        format!("client {}", crate::os::describe_child_failure(pid, s))
                    });
                }
                Err(e) => {
                    first_error.get_or_insert_with(|| format!("client {pid}: {e}"));
                }
            }
        }
        match first_error {
            Some(e) => Err(Failure::Other(e)),
            None => Ok((replies, os_threads)),
        }
    });
    let (replies, os_threads) = result?;
    Ok(Outcome {
        check: replies,
        ops: n * rounds,
        workers: n as usize,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}
