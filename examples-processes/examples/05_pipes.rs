//! A pipe connects a child's stdin and stdout to the parent, and closing our end of stdin is how the child learns the input is complete.
//!
//! `Stdio::piped()` makes a pipe per stream: what we write to the child's
//! stdin it reads, what it prints we read. A filter such as `sort` cannot
//! answer before it has seen all of its input, and the only way it knows
//! that is end-of-file: the moment every write end of its stdin pipe is
//! closed. Keep one write end open and both sides wait for each other.
//!
//! Run:
//!
//!     cargo xtask run processes 05_pipes
//!
//! Observe: `sort` gives back the three fruit in order, once we have dropped
//! its stdin.
//!
//! Break: `cargo xtask run processes 05_pipes -- --break` keeps the stdin
//! handle alive while it waits for the output. A watchdog sees no answer after
//! 1 s, explains who waits for whom, then kills and reaps `sort`.
//!
//! Python: `subprocess.run(["sort"], input=b"...", capture_output=True)`;
//! with `Popen`, `proc.stdin.close()` plays the part of our `drop`.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn main() {
    // `--break` changes one thing only: whether we close our end of stdin.
    let keep_stdin_open = std::env::args().any(|a| a == "--break");

    // Another program as a filter: a pipe into its stdin, one out of stdout.
    let mut sort = Command::new("sort")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("`sort` is on every Unix");
    let mut input = sort.stdin.take().unwrap();
    // Three short lines fit easily in the pipe's buffer, so this write
    // returns at once even though `sort` has not read anything yet.
    input.write_all(b"pear\napple\nfig\n").unwrap();

    // New in the usual case: dropping our end closes sort's stdin. That
    // end-of-file is the only "that was all" a pipe can say.
    let held = if keep_stdin_open {
        Some(input)
    } else {
        drop(input);
        None
    };

    // Read stdout on a helper thread, so that this lesson can give up on it.
    // A healthy `sort` of three lines answers in milliseconds; a second of
    // silence means it is still waiting for input.
    let mut stdout = sort.stdout.take().unwrap();
    let (done_tx, done) = mpsc::channel();
    // Detached on purpose: if `sort` never answers, the lesson kills it,
    // which closes its stdout and lets this thread's read return.
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        let _ = done_tx.send(text);
    });
    match done.recv_timeout(Duration::from_secs(1)) {
        Ok(sorted) => {
            // The order proves `sort` saw all three lines, not just a prefix.
            println!("sort gave {:?}", sorted.lines().collect::<Vec<_>>());
            assert_eq!(sorted, "apple\nfig\npear\n");
        }
        Err(_) => {
            // `sort` waits for end-of-file on stdin; we wait for its
            // stdout. Nothing is locked, yet nobody can move.
            println!(
                "--break: no output after 1 s. sort is still reading: we hold its stdin open,"
            );
            println!("  so it cannot know the input is complete, and we wait for its answer. Killing it.");
            assert!(held.is_some());
            sort.kill().unwrap();
        }
    }
    // Always reap, even a child we killed (`12_hung_child`): until then it
    // stays in the process table as a zombie. The status also says how it
    // ended: exit 0, or "signal: 9 (SIGKILL)" after `--break`.
    let status = sort.wait().unwrap();
    println!("sort ended: {status}");
}
