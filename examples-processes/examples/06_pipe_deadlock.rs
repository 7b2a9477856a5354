//! Reading a child's stdout to the end before its stderr can deadlock: read both pipes at once, as `wait_with_output` does.
//!
//! A pipe's buffer is bounded: 64 KiB on Linux by default (pipe(7), "Pipe
//! capacity": https://man7.org/linux/man-pages/man7/pipe.7.html). A child
//! that fills its stderr pipe blocks in `write` until someone reads it; a
//! parent that reads stdout to the end before touching stderr waits for a
//! stdout that never ends, because the child is stuck. Neither moves: a
//! deadlock with no lock in sight. `Child::wait_with_output` (and Python's
//! `communicate()`) drain both pipes together, so it cannot happen.
//!
//! Run:
//!
//!     cargo xtask run processes 06_pipe_deadlock
//!
//! Observe: the naive reader is caught stuck after 1 s, the child is killed;
//! `wait_with_output` then gets both 1 MiB streams in milliseconds.
//!
//! Python: the `subprocess` docs' warning to use `communicate()` rather than
//! `proc.stdout.read()` when both streams are piped.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("noisy") {
        // The child: 1 MiB to each stream, in turns, as a chatty compiler or
        // test runner does. Far more than one pipe buffer on either side.
        let line = [b'.'; 1024];
        for _ in 0..1024 {
            std::io::stdout().write_all(&line).unwrap();
            std::io::stderr().write_all(&line).unwrap();
        }
        return;
    }

    // The noisy child is this program again, in its "noisy" role: a
    // stand-in for any program whose output we capture.
    let me = std::env::current_exe().unwrap();
    let noisy = || {
        Command::new(&me)
            .arg("noisy")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };

    // 1. The naive way: read stdout to the end, then stderr. We do it on a
    // helper thread so that this lesson can notice it is stuck and recover.
    // Both pipes are ours to drain; we drain only one, so the child blocks
    // in a write to stderr once that pipe is full.
    let mut child = noisy();
    // Ask the kernel how much the stderr pipe holds rather than trust the
    // default: fcntl(F_SETPIPE_SZ) raises it, a user over pipe-user-pages-soft gets less.
    use std::os::fd::AsRawFd;
    let stderr_fd = child.stderr.as_ref().unwrap().as_raw_fd();
    // SAFETY: F_GETPIPE_SZ only reads a property of a descriptor we own.
    let capacity = unsafe { libc::fcntl(stderr_fd, libc::F_GETPIPE_SZ) };
    println!(
        "the stderr pipe holds {} KiB; the child writes 1024 KiB",
        capacity / 1024
    );
    // Only stdout moves to the reader thread; stderr stays in `child`,
    // unread, which is the whole mistake.
    let mut stdout = child.stdout.take().unwrap();
    let (done_tx, done) = mpsc::channel();
    // The thread is detached: if it never finishes, the lesson still does.
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = stdout.read_to_end(&mut all);
        let _ = done_tx.send(all.len());
    });
    // A watchdog, not a speed test: the safe way below reads both MiB in
    // milliseconds, so a second without an end of file means nobody can move.
    let start = Instant::now();
    match done.recv_timeout(Duration::from_secs(1)) {
        Ok(n) => println!("naive read finished ({n} bytes): the pipe was bigger than usual"),
        Err(_) => {
            println!(
                "naive read: still waiting for stdout's end after {:.1?}: the child is blocked \
                 writing stderr, whose pipe is full. Deadlock; killing it.",
                start.elapsed()
            );
            // Killing the child closes its stdout too: the reader thread's
            // read_to_end then returns and the thread ends by itself.
            child.kill().unwrap();
        }
    }
    // Always reap, even a child we killed (`12_hung_child`).
    child.wait().unwrap();

    // 2. The safe way: std reads stdout and stderr with one poll loop, so
    // neither pipe fills while the other is being waited on. Python's
    // `communicate()` uses threads or poll for the same reason.
    // Timed so the contrast is measured, not told: the same 2 MiB that
    // never arrived above, now in one go.
    let start = Instant::now();
    let out = noisy().wait_with_output().unwrap();
    println!(
        "wait_with_output: {} KiB of stdout and {} KiB of stderr in {:.1?}",
        out.stdout.len() / 1024,
        out.stderr.len() / 1024,
        start.elapsed()
    );
    // Every byte arrived: nothing was lost to the kill above or to a full pipe.
    assert_eq!((out.stdout.len(), out.stderr.len()), (MIB, MIB));
}
