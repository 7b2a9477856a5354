//! A std blocking call inside a coroutine blocks its whole worker thread, and every coroutine queued on it.
//!
//! may can switch coroutines only at its own blocking points: its sleep, its
//! channels and locks, its sockets. `std::thread::sleep` (or a std socket
//! read, a std `Mutex` under contention, a C library's blocking call) puts
//! the OS thread itself to sleep, and the scheduler loop on it with it. On
//! one worker, the M:1 setup gevent uses, nothing else queued there runs
//! until it returns. A heartbeat coroutine fed by an OS thread shows the stall.
//!
//! Run:
//!
//!     cargo xtask run green 05_std_blocking_trap
//!
//! Observe: 4 std sleeps of 100 ms take about 400 ms and a heartbeat message
//! waits about as long to be received; 4 may sleeps take about 100 ms and a
//! heartbeat waits a few milliseconds at most. Set the workers to 2 and the
//! std naps can overlap two at a time, but no more.
//!
//! Python: gevent without `monkey.patch_all()`: `time.sleep` blocks the hub.
//!
//! Compare: examples-async/examples/11_blocking_the_runtime.rs (the same trap
//! in a tokio runtime, and its fix).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use may::coroutine;
use may::sync::mpsc;

const NAP: Duration = Duration::from_millis(100);

/// Run 4 naps as coroutines while an OS thread sends the heartbeat coroutine
/// a timestamp every 5 ms; return the time the naps took and the longest a
/// heartbeat message waited before the coroutine could receive it.
fn four_naps(nap: fn()) -> (Duration, Duration) {
    // A may channel, so the heartbeat's `recv` parks a coroutine; the sender
    // is an OS thread, which may's channels allow (it never blocks on send).
    let (beat, beats) = mpsc::channel::<Instant>();
    // SAFETY: the heartbeat reads no thread-locals and blocks only in a may
    // channel's `recv`, which parks the coroutine, not the worker.
    let heart = unsafe {
        coroutine::spawn(move || {
            // The wake-up is queued on the worker: it waits for a free turn.
            beats
                .iter()
                .map(|sent| sent.elapsed())
                .max()
                .unwrap_or_default()
        })
    };
    let done = Arc::new(AtomicBool::new(false));
    let ticking = Arc::clone(&done);
    // An OS thread, not a coroutine: the ticker must keep time even while
    // the worker is blocked, or it would stall along with what it measures.
    let ticker = std::thread::spawn(move || {
        while !ticking.load(Ordering::Relaxed) {
            beat.send(Instant::now()).unwrap();
            std::thread::sleep(Duration::from_millis(5));
        }
        // `beat` drops here: the heartbeat's loop ends and returns.
    });
    let start = Instant::now();
    // SAFETY: the first run breaks the no-thread-blocking rule on purpose:
    // that is slow, not unsound. No thread-locals, tiny stacks.
    let naps: Vec<_> = (0..4).map(|_| unsafe { coroutine::spawn(nap) }).collect();
    // `join` from main, an OS thread: it blocks main, which is fine here.
    naps.into_iter().for_each(|h| h.join().unwrap());
    let took = start.elapsed();
    // Stop the ticker; its dropped sender then ends the heartbeat's loop.
    done.store(true, Ordering::Relaxed);
    ticker.join().unwrap();
    (took, heart.join().unwrap())
}

fn main() {
    // One worker: every coroutine queued on one OS thread, as under gevent.
    may::config().set_workers(1).set_worker_pin(false);

    // The trap first: std's sleep puts the worker thread itself to sleep.
    let (std_took, std_gap) = four_naps(|| std::thread::sleep(NAP));
    println!(
        "4 x std::thread::sleep(100 ms): {std_took:.0?}, a heartbeat waited up to {std_gap:.1?}"
    );

    // Changed: may's sleep parks only the coroutine; the worker runs others.
    let (may_took, may_gap) = four_naps(|| coroutine::sleep(NAP));
    println!(
        "4 x may::coroutine::sleep(100 ms): {may_took:.0?}, a heartbeat waited up to {may_gap:.1?}"
    );
    println!(
        "the std sleeps ran one after another: {:.1}x slower",
        std_took.as_secs_f64() / may_took.as_secs_f64()
    );
    // A may detail worth knowing: a coroutine woken from may's sleep resumes
    // on may's timer thread until its next blocking point, so even `may-1`
    // uses two OS threads. A heartbeat that sleeps would tick there, unharmed.

    // On one worker the std naps cannot overlap: 4 x 100 ms at least.
    assert!(std_took >= NAP * 4 - Duration::from_millis(5));
    assert!(may_took < std_took && may_gap < std_gap);
}
