// Wrong answer (kept to prove the tests catch it): it kills the child on
// timeout but never waits for it, so the child stays a zombie.

use std::process::Command;
use std::time::{Duration, Instant};

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
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ending::Exited(status.code().unwrap_or(-1)));
        }
        if start.elapsed() >= timeout {
            child.kill()?;
            return Ok(Ending::TimedOut { pid: child.id() });
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
