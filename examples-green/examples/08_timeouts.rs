//! A wait with a deadline: `recv_timeout` gives up on a slow reply, and `may::select!` races a reply against a timer and cancels the loser.
//!
//! A coroutine that waits for another with no deadline waits as long as the
//! slowest backend takes, or for ever if it never answers. may offers two
//! ways to bound the wait. `Receiver::recv_timeout` parks the coroutine
//! until a value or the deadline, whichever comes first. `may::select!` runs
//! each branch in a coroutine of its own, returns the index of the first to
//! finish, and cancels the others at their blocking point (07_cancellation):
//! here a `recv` against a `coroutine::sleep`. A cancelled `recv` took
//! nothing, so a late reply is still in the channel afterwards.
//!
//! Run:
//!
//!     cargo xtask run green 08_timeouts
//!
//! Observe: the fast lookup answers in about 10 ms; the slow one (500 ms)
//! times out at the 200 ms deadline, once with `recv_timeout`, once with
//! `select!`; the slow reply still arrives later, and is read then.
//!
//! Break: `cargo xtask run green 08_timeouts -- --break` waits with a plain
//! `recv()` for a backend that never answers. A watchdog on the main thread
//! sees the coroutine still waiting after 1 s, says why, and cancels it.
//!
//! Python: `queue.get(timeout=0.2)` in gevent, or `with gevent.Timeout(0.2):`.
//!
//! Compare: examples-async/examples/06_select_timeout_cancel.rs (`timeout`
//! and `select!` on futures).

use std::time::{Duration, Instant};

use may::coroutine;
use may::sync::mpsc;

// Far from both backends (10 ms and 500 ms), so a loaded machine's late
// timers cannot flip an outcome.
const DEADLINE: Duration = Duration::from_millis(200);

/// Ask a backend that answers after `delay`; the reply comes on the returned
/// receiver. A fresh channel per request, so a late reply can never be
/// mistaken for the answer to a later question.
fn lookup(key: u64, delay: Duration) -> mpsc::Receiver<u64> {
    let (tx, rx) = mpsc::channel();
    // SAFETY: no thread-locals, only may's sleep and send, a tiny stack.
    unsafe {
        coroutine::spawn(move || {
            coroutine::sleep(delay);
            // `Err` if the asker dropped its receiver: nobody to tell.
            let _ = tx.send(key * 10);
        })
    };
    rx
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    if std::env::args().any(|a| a == "--break") {
        return no_deadline();
    }
    // 1. `recv_timeout`: main is an OS thread here, and may's channels park
    // a thread as well as a coroutine, so the same call works in both.
    let mut outcomes = Vec::new();
    for (key, delay) in [(1, 10), (2, 500)] {
        let start = Instant::now();
        let got = lookup(key, Duration::from_millis(delay)).recv_timeout(DEADLINE);
        let took = start.elapsed();
        println!("recv_timeout, backend {delay} ms: {got:?} after {took:.0?}");
        outcomes.push(got.is_ok());
    }
    assert_eq!(outcomes, [true, false]);

    // 2. `select!`: the same race written as two branches. Each branch runs
    // in a coroutine that `select!` spawns through `go!`, so each must keep
    // the rules of 01_green_threads' SAFETY comment; these two do.
    let slow = lookup(3, Duration::from_millis(500));
    let start = Instant::now();
    let first = may::select!(
        reply = slow.recv() => println!("select: reply {reply:?}"),
        _ = coroutine::sleep(DEADLINE) => println!("select: the timer won")
    );
    let took = start.elapsed();
    println!("select returned branch {first} after {took:.0?}");
    // The losing `recv` was cancelled while parked: it consumed nothing, so
    // the reply lands in the channel later and can still be read.
    let late = slow.recv_timeout(Duration::from_secs(2));
    let took = start.elapsed();
    println!("the slow reply arrived after {took:.0?}: {late:?}");
    assert_eq!((first, late), (1, Ok(30)));
}

/// `--break`: no deadline at all, and a backend that never answers.
fn no_deadline() {
    // `_backend` keeps the sender alive without sending: a hung backend.
    // Dropped instead, `recv` would return `Err` at once, not hang.
    let (_backend, replies) = mpsc::channel::<u64>();
    // SAFETY: no thread-locals, blocks only in may's `recv`, tiny stack.
    let waiter = unsafe { coroutine::spawn(move || replies.recv()) };
    // The watchdog: main is an OS thread, so it may poll with std's sleep.
    let start = Instant::now();
    while !waiter.is_done() && start.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let hung = !waiter.is_done();
    let waited = start.elapsed();
    println!("--break: after {waited:.0?} the plain recv() is still waiting: {hung}");
    println!("nothing bounds that wait; recv_timeout or select! with a timer would have");
    // Cancelling is the way out: it lands at the parked `recv` (07_cancellation).
    // SAFETY: the waiter holds nothing that a half-run unwind could corrupt.
    unsafe { waiter.coroutine().cancel() };
    let result = waiter.join();
    println!("cancelled it: join is_err = {}", result.is_err());
    assert!(hung && result.is_err());
}
