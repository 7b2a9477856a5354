//! Child processes: each in its own process group, under a timeout, reaped
//! with `wait4` for its CPU time and peak memory, and never left behind.
//!
//! Every child gets its own process group so a timeout kills it *and* its
//! descendants (`kill(-pgid)`). On Linux, `PR_SET_PDEATHSIG` kills a child if
//! xtask itself dies; on Ctrl-C, xtask kills the groups it started (they are
//! not in the terminal's foreground group, so the terminal won't).

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// Process groups started and not yet reaped, for the Ctrl-C handler.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
/// Set by the first Ctrl-C when a command asked to finish on its own.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// A command (compare) that writes what it has on Ctrl-C instead of exiting.
static FINISH_ON_INTERRUPT: AtomicBool = AtomicBool::new(false);

/// On Ctrl-C (or SIGTERM), kill every child group, then exit 130; or, while
/// a command has asked for it with [`finish_on_interrupt`], only set the flag
/// that [`interrupted`] reads, so it can write what it measured. A second
/// Ctrl-C exits at once.
pub fn kill_children_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        for pgid in LIVE_GROUPS.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            // SAFETY: kill has no memory-safety preconditions.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        if FINISH_ON_INTERRUPT.load(Ordering::SeqCst) && !INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!("\ninterrupted: stopped the running children; writing what was measured (Ctrl-C again to quit now)");
            return;
        }
        eprintln!("\ninterrupted: stopped the running children");
        std::process::exit(130);
    });
}

/// Ask the Ctrl-C handler to let the caller finish (`true`) or to exit (`false`).
pub fn finish_on_interrupt(on: bool) {
    FINISH_ON_INTERRUPT.store(on, Ordering::SeqCst);
}

/// Whether Ctrl-C was pressed while [`finish_on_interrupt`] was on.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Whether to capture the child's output or let it print straight through.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Capture stdout and stderr (a measured cell, a quiet check).
    Capture,
    /// Capture stdout (JSON for xtask), let stderr through (compiler messages).
    CaptureStdout,
    /// Let both through (a lesson the learner watches).
    Inherit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    Timeout,
}

#[derive(Debug)]
pub struct Finished {
    pub exit: Exit,
    pub stdout: String,
    pub stderr: String,
    /// User + system CPU of the child and its reaped descendants.
    pub cpu: Option<Duration>,
    /// Peak resident set of the largest process in the tree, KiB.
    pub peak_rss_kib: Option<u64>,
    pub wall: Duration,
}

impl Finished {
    pub fn success(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// "exit code 3", "killed by signal 9", "timed out".
    pub fn describe(&self, timeout: Duration) -> String {
        match self.exit {
            Exit::Code(c) => format!("exit code {c}"),
            Exit::Signal(s) => format!("killed by signal {s}"),
            Exit::Timeout => format!(
                "timed out after {:.0?}; its process group was killed",
                timeout
            ),
        }
    }

    /// The last non-empty line of stderr: usually the reason.
    pub fn last_error_line(&self) -> String {
        self.stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// Run `cmd` to completion or until `timeout`, then reap it and its group.
pub fn run(cmd: &mut Command, timeout: Duration, output: Output) -> std::io::Result<Finished> {
    cmd.process_group(0);
    match output {
        Output::Capture => cmd.stdout(Stdio::piped()).stderr(Stdio::piped()),
        Output::CaptureStdout => cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()),
        Output::Inherit => cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit()),
    };
    cmd.stdin(Stdio::null());
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe, allowed between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id() as i32;
    LIVE_GROUPS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(pid);
    // Read both pipes on their own threads: a child that fills one pipe while
    // we wait on the other would otherwise block forever.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut text);
            }
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );

    let (status, usage, timed_out) = wait_with_timeout(pid, start + timeout);
    // Whatever the child left in its group (workers, grandchildren) goes too.
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    LIVE_GROUPS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .retain(|&g| g != pid);
    let wall = start.elapsed();
    // `child` was reaped by wait4: dropping it is fine, waiting on it is not.
    drop(child);
    let exit = if timed_out {
        Exit::Timeout
    } else {
        let status = ExitStatus::from_raw(status);
        match (status.code(), status.signal()) {
            (Some(c), _) => Exit::Code(c),
            (None, Some(s)) => Exit::Signal(s),
            (None, None) => Exit::Code(-1),
        }
    };
    let cpu = usage.map(|u| timeval(u.ru_utime) + timeval(u.ru_stime));
    // ru_maxrss is KiB on Linux and bytes on macOS.
    let scale = if cfg!(target_os = "macos") { 1024 } else { 1 };
    let peak_rss_kib = usage.map(|u| u.ru_maxrss as u64 / scale);
    Ok(Finished {
        exit,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        cpu,
        peak_rss_kib,
        wall,
    })
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

/// Poll `wait4(WNOHANG)` until the child exits or the deadline passes; on the
/// deadline, kill its group and reap it. Returns (status, rusage, timed_out).
fn wait_with_timeout(pid: i32, deadline: Instant) -> (i32, Option<libc::rusage>, bool) {
    let mut pause = Duration::from_micros(200);
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: status and usage are valid, writable, and outlive the call.
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if rc == pid {
            return (status, Some(usage), false);
        }
        if rc < 0 {
            return (0, None, false);
        }
        if Instant::now() >= deadline {
            // SAFETY: as above; the blocking wait4 reaps the killed child.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            return (status, Some(usage), true);
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_output_and_exit_code() {
        let f = run(
            Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]),
            Duration::from_secs(20),
            Output::Capture,
        )
        .unwrap();
        assert_eq!(f.exit, Exit::Code(3));
        assert_eq!(f.stdout, "out\n");
        assert_eq!(f.last_error_line(), "err");
        assert!(f.cpu.is_some() && f.peak_rss_kib.unwrap() > 0);
    }

    #[test]
    fn a_hung_child_and_its_children_are_killed() {
        // The shell starts a grandchild that would sleep for a minute.
        let f = run(
            Command::new("sh").args(["-c", "sleep 60 & echo $!; wait"]),
            Duration::from_millis(300),
            Output::Capture,
        )
        .unwrap();
        assert_eq!(f.exit, Exit::Timeout);
        let grandchild: i32 = f.stdout.trim().parse().unwrap();
        // SIGKILL is delivered asynchronously: give the kernel a moment.
        let gone = (0..200).any(|_| {
            let stat =
                std::fs::read_to_string(format!("/proc/{grandchild}/stat")).unwrap_or_default();
            let dead = stat.is_empty() || stat.contains(") Z ") || stat.contains(") X ");
            if !dead {
                thread::sleep(Duration::from_millis(10));
            }
            dead
        });
        assert!(gone, "the grandchild {grandchild} outlived the timeout");
        assert!(f.wall < Duration::from_secs(30));
    }

    #[test]
    fn signals_are_reported() {
        let f = run(
            Command::new("sh").args(["-c", "kill -TERM $$"]),
            Duration::from_secs(20),
            Output::Capture,
        )
        .unwrap();
        assert_eq!(f.exit, Exit::Signal(libc::SIGTERM));
    }
}
