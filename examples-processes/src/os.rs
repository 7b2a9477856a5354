//! What the OS asks of a program that starts processes: a socket path that
//! fits, file descriptors within `ulimit -n`, children that die with their
//! parent and are always reaped.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use workloads::contract::Failure;
use workloads::record::LimitHit;
use workloads::sys::{check_units, UnitCost};

/// Why starting or talking to worker processes failed.
#[derive(Debug)]
pub enum Error {
    /// The environment is wrong before any worker runs (TMPDIR, spawn).
    Setup(String),
    /// An OS limit would bind: say which, before hitting it.
    Limit(LimitHit),
    /// A named worker died, hung or broke the protocol.
    Worker(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Setup(msg) | Error::Worker(msg) => f.write_str(msg),
            Error::Limit(hit) => write!(f, "limit {}: {}", hit.limit, hit.reason),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Limit(hit) => Failure::Limit(hit),
            other => Failure::Other(other.to_string()),
        }
    }
}

/// Check that ipc-channel can make its bootstrap socket in `TMPDIR`
/// (`workloads::sys::check_socket_dir`, which `cargo xtask doctor` runs too).
pub fn check_tmpdir() -> Result<PathBuf, Error> {
    workloads::sys::check_socket_dir()
        .map(|(dir, _)| dir)
        .map_err(Error::Setup)
}

/// What one worker process costs the parent in limited resources: a process
/// (counted against `pid_max` and `ulimit -u`) and `fds` descriptors.
pub fn check_processes(n: u64, fds_each: u64) -> Result<(), Error> {
    check_units(
        n,
        UnitCost {
            mappings: 0,
            threads: 1,
            fds: fds_each,
        },
    )
    .map_err(Error::Limit)
}

/// File descriptors the parent holds per pool worker: the task sender and
/// the reply receiver (each channel is 2 fds, one at each end), plus one
/// transient for the bootstrap socket.
pub const FDS_PER_POOL_WORKER: u64 = 3;

/// A `Command` for a child that must not outlive us: on Linux the kernel
/// sends it SIGKILL when the thread that spawned it exits
/// (`PR_SET_PDEATHSIG`), so killing the parent with SIGKILL leaves no worker.
pub fn child_command(exe: &Path) -> Command {
    let mut cmd = Command::new(exe);
    // A traced parent's children record too (nothing when it is not traced).
    crate::timeline::child_env(&mut cmd);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and calls only
        // async-signal-safe functions (prctl, getppid, write via io::Error).
        let parent = std::process::id() as libc::pid_t;
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died between fork and prctl: then the
                // signal will never come, so refuse to start.
                if libc::getppid() != parent {
                    return Err(std::io::Error::other("the parent died during spawn"));
                }
                Ok(())
            });
        }
    }
    cmd
}

/// A pipe `(read end, write end)`, both close-on-exec, so a child gets only
/// the end it is handed as stdin or stdout.
pub fn pipe() -> std::io::Result<(std::os::fd::OwnedFd, std::os::fd::OwnedFd)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe(2) writes.
    #[cfg(target_os = "linux")]
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    #[cfg(not(target_os = "linux"))]
    let rc = unsafe {
        let rc = libc::pipe(fds.as_mut_ptr());
        if rc == 0 {
            libc::fcntl(fds[0], libc::F_SETFD, libc::FD_CLOEXEC);
            libc::fcntl(fds[1], libc::F_SETFD, libc::FD_CLOEXEC);
        }
        rc
    };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe(2) succeeded, so both descriptors are open and ours alone.
    Ok(unsafe {
        (
            std::os::fd::OwnedFd::from_raw_fd(fds[0]),
            std::os::fd::OwnedFd::from_raw_fd(fds[1]),
        )
    })
}

/// Wait up to `timeout` for `child` to exit; `None` if it is still running.
pub fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    let mut pause = Duration::from_micros(100);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if start.elapsed() >= timeout {
            return None;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// SIGKILL and reap: after this the child is neither running nor a zombie.
pub fn kill_and_reap(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// "child 1234: exit code 3", for a task process that failed.
pub fn describe_child_failure(pid: u32, status: ExitStatus) -> String {
    format!("child {pid}: {}", crate::worker::describe_status(status))
}

/// "SIGABRT" for 6, and so on for the signals a crashed worker shows.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        libc::SIGBUS => "SIGBUS",
        libc::SIGPIPE => "SIGPIPE",
        _ => "signal",
    }
}

/// Children of process `pid` that are still listed in `/proc` (running or
/// zombie), with their state letter. Linux only; empty elsewhere.
pub fn children_of(pid: u32) -> Vec<(u32, char)> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| {
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
            // The command name is in parentheses and may contain spaces.
            let rest = &stat[stat.rfind(')')? + 2..];
            let mut fields = rest.split_whitespace();
            let state = fields.next()?.chars().next()?;
            let ppid: u32 = fields.next()?.parse().ok()?;
            (ppid == pid).then_some((p, state))
        })
        .collect()
}

/// Whether `pid` is running (listed and not a zombie).
pub fn is_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rfind(')')
            .and_then(|i| stat[i + 2..].chars().next())
            .is_some_and(|state| state != 'Z'),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_paths_have_a_limit() {
        assert!((90..=107).contains(&workloads::sys::max_socket_path()));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn we_are_alive_and_have_no_children_yet() {
        assert!(is_alive(std::process::id()));
        assert!(!is_alive(u32::MAX));
    }
}
