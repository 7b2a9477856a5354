// Goal: wait for a child at most `timeout`; if it is still running, kill it
// and reap it, so that it is neither running nor left as a zombie.
// `12_hung_child` shows a hung child, its timeout, kill and reap.
// Done when `cargo xtask exercise check processes/03_timeout_kill` passes.

use std::process::Command;
use std::time::Duration;

/// How a supervised child ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ending {
    /// It exited by itself with this code.
    Exited(i32),
    /// It ran past the timeout and was killed (and reaped).
    TimedOut { pid: u32 },
}

/// Start `cmd` and supervise it.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> std::io::Result<Ending> {
    let mut child = cmd.spawn()?;
    let _ = timeout;
    // TODO: poll `child.try_wait()` until it returns `Some(status)` or
    // `timeout` has passed (sleep a few ms between polls). On timeout, kill
    // the child and then `wait()` for it: a killed child stays a zombie
    // until its parent reaps it.
    match child.try_wait()? {
        Some(status) => Ok(Ending::Exited(status.code().unwrap_or(-1))),
        None => Ok(Ending::TimedOut { pid: child.id() }),
    }
}
