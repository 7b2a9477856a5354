//! Pipes connect a child's stdin, stdout and stderr to the parent, and reading both outputs needs care.
//!
//! A pipe holds only 64 KiB on Linux. A child that fills its stderr pipe blocks
//! in `write` until someone reads it; a parent that reads stdout to the end
//! before touching stderr waits for a stdout that never ends, because the
//! child is stuck. Neither moves: a deadlock with no lock in sight.
//! `Child::wait_with_output` (and Python's `communicate()`) read both pipes
//! at once, so it cannot happen.
//!
//! Run:
//!
//!     cargo xtask run processes 03
//!
//! Observe: `sort` sorts what we piped in; the naive reader is caught stuck
//! after 1 s (it had 1 MiB of stdout and 64 KiB of stderr in flight) and the
//! child is killed; `wait_with_output` then gets both 1 MiB streams.
//!
//! Python: `subprocess.run(["sort"], input=..., capture_output=True)`, and
//! the docs' warning to use `communicate()` rather than `stdout.read()`.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("noisy") {
        // The child: 1 MiB to each stream, as a chatty compiler or test runner does.
        let line = [b'.'; 1024];
        for _ in 0..1024 {
            std::io::stdout().write_all(&line).unwrap();
            std::io::stderr().write_all(&line).unwrap();
        }
        return;
    }

    // 1. Another program as a filter: write its stdin, close it, read stdout.
    let mut sort = Command::new("sort")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("`sort` is on every Unix");
    // Dropping our end closes sort's stdin: that end-of-file is what tells
    // it the input is complete. Forget this and both sides wait forever.
    sort.stdin
        .take()
        .unwrap()
        .write_all(b"pear\napple\nfig\n")
        .unwrap();
    let sorted = sort.wait_with_output().unwrap();
    let sorted = String::from_utf8(sorted.stdout).unwrap();
    println!("sort gave {:?}", sorted.lines().collect::<Vec<_>>());
    assert_eq!(sorted, "apple\nfig\npear\n");

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

    // 2. The naive way: read stdout to the end, then stderr. We do it on a
    // helper thread so that this lesson can notice it is stuck and recover.
    // Both pipes are ours to drain; we drain only one. The child writes its
    // first 64 KiB of stderr, then blocks in `write` with 63 KiB still to go.
    let mut child = noisy();
    let mut stdout = child.stdout.take().unwrap();
    let (done_tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = stdout.read_to_end(&mut all);
        let _ = done_tx.send(all.len());
    });
    // A watchdog, not a speed test: a healthy read of 1 MiB takes milliseconds,
    // so a second without an end of file means nobody can move.
    let start = Instant::now();
    match done.recv_timeout(Duration::from_secs(1)) {
        Ok(n) => println!("naive read finished ({n} bytes): the pipe was bigger than usual"),
        Err(_) => {
            println!(
                "naive read: still waiting for stdout's end after {:.1?}: the child is blocked \
                 writing stderr, whose pipe is full. Deadlock; killing it.",
                start.elapsed()
            );
            child.kill().unwrap();
        }
    }
    // Always reap, even a child we killed (lesson 08).
    child.wait().unwrap();

    // 3. The safe way: std reads stdout and stderr with one poll loop, so
    // neither pipe fills while the other is being waited on. Python's
    // `communicate()` uses threads or poll for the same reason.
    let start = Instant::now();
    let out = noisy().wait_with_output().unwrap();
    println!(
        "wait_with_output: {} KiB of stdout and {} KiB of stderr in {:.1?}",
        out.stdout.len() / 1024,
        out.stderr.len() / 1024,
        start.elapsed()
    );
    assert_eq!((out.stdout.len(), out.stderr.len()), (MIB, MIB));
}
