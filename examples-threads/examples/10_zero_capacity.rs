//! A zero-capacity channel is a hand-off: `send` returns only once a receiver has taken the value.
//!
//! `bounded(0)` has no room at all, so the sender and the receiver must meet:
//! whichever arrives first sleeps until the other comes (a rendezvous). The
//! producer then knows the value was taken, not just queued. Two such
//! channels make a ping-pong, and timing it shows what a blocking hand-off
//! between two threads costs: mostly the kernel waking the sleeping thread,
//! which 23_park times without any channel.
//!
//! Run:
//!
//!     cargo xtask run threads 10_zero_capacity
//!
//! Observe: a `send` to a receiver that arrives 20 ms late takes about 20 ms;
//! a round trip costs some microseconds, printed, which varies a lot between
//! machines; compare it with 23_park's single wake-up on yours.
//!
//! Python: no direct twin; `queue.Queue(maxsize=1)` plus `task_done`/`join`
//! comes closest.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::bounded;

/// How late the receiver comes: long enough to see in the send's time.
const LATE: Duration = Duration::from_millis(20);
/// Enough round trips that the average is stable, few enough to take well
/// under a second even on a slow virtual machine.
const ROUNDS: u32 = 2_000;

fn main() {
    // Changed: capacity 0 (09_bounded_channel used 4). The receiver arrives
    // late on purpose, so the sender has to wait for it.
    let (tx, rx) = bounded::<&str>(0);
    let receiver = thread::spawn(move || {
        thread::sleep(LATE);
        rx.recv().unwrap()
    });
    let start = Instant::now();
    // New: with no room, this `send` is the hand-off itself: it returns when
    // the receiver has the value in hand, not when a queue has it.
    tx.send("the baton").unwrap();
    let send_took = start.elapsed();
    let got = receiver.join().unwrap();
    println!("bounded(0): send waited {send_took:.1?} for a receiver that came {LATE:?} late, which got {got:?}");

    // A ping-pong: each round trip is two hand-offs, each waking a thread
    // that went to sleep in `recv`. The channel's own bookkeeping is small
    // next to that wake-up; 23_park measures a bare one for comparison.
    let (ping_tx, ping_rx) = bounded::<u32>(0);
    let (pong_tx, pong_rx) = bounded::<u32>(0);
    // The echo thread replies n + 1, so main can check each pong matches.
    let echo = thread::spawn(move || ping_rx.iter().for_each(|n| pong_tx.send(n + 1).unwrap()));
    let start = Instant::now();
    let mut last = 0;
    for n in 0..ROUNDS {
        // Strict alternation: main cannot send ping n + 1 before pong n.
        ping_tx.send(n).unwrap();
        last = pong_rx.recv().unwrap();
    }
    let per_trip = start.elapsed() / ROUNDS;
    drop(ping_tx); // closes the channel: the echo thread's loop ends
    echo.join().unwrap();
    println!("bounded(0): {ROUNDS} round trips, {per_trip:.1?} each (two hand-offs, two wake-ups)");

    // The hand-off really waited: most of LATE, allowing for timer slack.
    assert!(
        send_took >= LATE / 2,
        "send returned before the receiver came"
    );
    // Every ping got its pong, in order: the last reply is the last ping + 1.
    assert_eq!(last, ROUNDS);
}
