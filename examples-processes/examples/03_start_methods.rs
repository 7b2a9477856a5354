//! Python starts a worker in one of three ways: fork copies the running parent, spawn starts the program afresh, forkserver forks a clean helper.
//!
//! `fork()` duplicates the calling process: the child resumes on the same line
//! with a copy of every page (copied lazily, on first write), so it sees what
//! the parent had set. "spawn" is `01_spawn_child`'s re-exec: a fresh program
//! that rebuilds its state from `main` and sees only what it is sent.
//! "forkserver" spawns one clean, single-threaded helper early and asks it to
//! fork each worker: workers start at the price of a fork, yet inherit none of
//! the parent's later state (no threads, no held locks: `04_fork_with_threads`).
//!
//! Run:
//!
//!     cargo xtask run processes 03_start_methods
//!
//! Observe: the parent sets JOBS_DONE to 42; the forked child sees 42, the
//! spawned one 0, and so do the forkserver's workers: their server never saw it.
//! Each method's start + exit + wait time is printed, and the ratio to fork.
//!
//! Python: `multiprocessing.get_context("fork" | "spawn" | "forkserver")`. The
//! Linux default was "fork" up to 3.13 and is "forkserver" from 3.14
//! (https://docs.python.org/3/whatsnew/3.14.html#multiprocessing).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The parent's state that a worker may or may not inherit (as in `02_memory_isolation`).
static JOBS_DONE: AtomicU64 = AtomicU64::new(0);
/// Starts timed per method.
const ROUNDS: u32 = 20;

/// fork + wait; returns what the child saw, carried in its exit code.
fn fork_and_wait() -> u64 {
    // SAFETY: whoever calls this has a single thread, so the child's copy has
    // no lock held by a thread that does not exist there. The child still
    // ends with `_exit`: `exit` would run atexit handlers and flush a copy of
    // stdio buffers that the parent will flush too (output printed twice).
    let pid = unsafe { libc::fork() };
    match pid {
        -1 => panic!("fork: {}", std::io::Error::last_os_error()),
        0 => unsafe { libc::_exit(JOBS_DONE.load(Ordering::Relaxed) as i32) },
        _ => {}
    }
    // Reap the child: its exit code is the only thing it sends back.
    let mut status = 0;
    // SAFETY: `status` is a valid out-pointer; `pid` is our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    libc::WEXITSTATUS(status) as u64
}

fn main() {
    let me = std::env::current_exe().unwrap();
    match std::env::args().nth(1).as_deref() {
        // The spawned worker: a fresh `main`, so JOBS_DONE is its initial 0.
        Some("spawned") => std::process::exit(JOBS_DONE.load(Ordering::Relaxed) as i32),
        // The server: forks one worker per byte on stdin and answers with
        // what the worker saw, a line each; it ends when stdin closes.
        // It has one thread, so forking it is safe whatever the parent does.
        Some("server") => {
            let mut out = std::io::stdout().lock();
            for _ in std::io::stdin().lock().bytes() {
                let seen = fork_and_wait();
                writeln!(out, "{seen}").and_then(|_| out.flush()).unwrap();
            }
            return;
        }
        _ => {}
    }
    // The parent changes its state after start-up, as real programs do
    // (a loaded model, an open connection, a configured logger).
    JOBS_DONE.store(42, Ordering::Relaxed);
    // Averages over 20 starts: one start alone varies a lot with the load.
    let time = |start: Instant| start.elapsed() / ROUNDS;

    // fork: the child is this process, at this line, with JOBS_DONE = 42.
    // Cheap, because only the page tables are copied, not the pages.
    let t = Instant::now();
    let forked: Vec<u64> = (0..ROUNDS).map(|_| fork_and_wait()).collect();
    let fork_each = time(t);

    // spawn: fork + exec this program again; exec throws the copy away and
    // loads the program from disk, so the child knows only its arguments.
    let t = Instant::now();
    let spawn = || Command::new(&me).arg("spawned").status().unwrap();
    let spawned: Vec<u64> = (0..ROUNDS)
        .map(|_| spawn().code().unwrap() as u64)
        .collect();
    let spawn_each = time(t);

    // forkserver: spawned once (paid here, outside the timing), then asked
    // for workers over a pipe. Python's also hands each worker its task
    // through that server, pickled, as spawn does.
    let mut server = Command::new(&me);
    server
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let mut server = server.spawn().unwrap();
    let mut ask = server.stdin.take().unwrap();
    let mut replies = BufReader::new(server.stdout.take().unwrap()).lines();
    let t = Instant::now();
    let served: Vec<u64> = (0..ROUNDS)
        .map(|_| {
            ask.write_all(b"w").unwrap();
            replies.next().unwrap().unwrap().parse().unwrap()
        })
        .collect();
    let server_each = time(t);
    drop(ask); // end of file: the server's loop ends
    assert!(server.wait().unwrap().success());

    // Only `forked` carries the parent's 42: copied memory, not shared.
    // The ratios are this machine's; a bigger parent makes fork slower
    // (more page tables to copy) and leaves spawn as it is.
    println!("parent: JOBS_DONE = {}", JOBS_DONE.load(Ordering::Relaxed));
    for (method, saw, each) in [
        ("fork", forked[0], fork_each),
        ("spawn", spawned[0], spawn_each),
        ("forkserver", served[0], server_each),
    ] {
        let ratio = each.as_secs_f64() / fork_each.as_secs_f64();
        println!("{method:>10}: child saw {saw:>2}; {each:>8.1?} per start ({ratio:.1}x fork)");
    }
    // The forkserver's figure includes a pipe round trip per worker.
    assert!(forked.iter().all(|&s| s == 42));
    assert!(spawned.iter().chain(&served).all(|&s| s == 0));
}
