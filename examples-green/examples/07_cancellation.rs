//! Cancelling a coroutine takes effect only at its next may blocking point; a busy coroutine runs on until it reaches one.
//!
//! `coroutine().cancel()` only sets a flag. may checks it where the coroutine
//! hands control back (sleep, channel, socket, `yield_now`) and then unwinds
//! the coroutine's stack with a special panic, dropping what it held;
//! `join()` returns `Err`. It is `unsafe` because that unwinding can run at
//! any blocking point: code that assumed it would continue past one (a
//! half-done update) is left half done. A coroutine that never blocks cannot
//! be cancelled at all.
//!
//! Run:
//!
//!     cargo xtask run green 07_cancellation
//!
//! Observe: the sleeping coroutine stops a few milliseconds after the cancel;
//! the busy one only after its 300 ms loop reaches `yield_now`. Remove the
//! `yield_now` and the busy one finishes normally: `join` is then `Ok`.
//!
//! Python: `greenlet.kill()` raises `GreenletExit` at the next switch: the same rule.
//!
//! Compare: examples-async/examples/06_select_timeout_cancel.rs (a future is
//! cancelled at the `.await` where it is paused),
//! examples-async/examples/16_joinset_cancel.rs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use may::coroutine;

/// A resource whose drop shows that cancellation unwinds the stack.
struct Connection(&'static str);

impl Drop for Connection {
    fn drop(&mut self) {
        println!("  {}: connection closed by unwinding", self.0);
    }
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains). Two
    // workers, so the busy coroutine cannot starve the sleeper of a thread.
    may::config().set_workers(2).set_worker_pin(false);
    // The sleeper's progress: proof that it ran until the cancel.
    let ticks = Arc::new(AtomicU64::new(0));

    let counter = Arc::clone(&ticks);
    // SAFETY: no thread-locals, only may's sleep, small stack; cancelling it
    // is safe because nothing is half-updated at its sleep.
    let sleeper = unsafe {
        coroutine::spawn(move || {
            let _conn = Connection("sleeper");
            loop {
                coroutine::sleep(Duration::from_millis(10));
                counter.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // SAFETY: as above; its loop never blocks, which is the point here.
    let busy = unsafe {
        coroutine::spawn(|| {
            let _conn = Connection("busy");
            // Time-boxed rather than a fixed count, so the lesson means the
            // same in debug and release builds.
            let start = Instant::now();
            // 300 ms of CPU with no may call inside: nothing can interrupt it.
            while start.elapsed() < Duration::from_millis(300) {
                std::hint::spin_loop();
            }
            // The first blocking point: here the pending cancel lands.
            coroutine::yield_now();
            "finished"
        })
    };

    // `main` is a plain OS thread, not a coroutine: std's sleep is right here.
    std::thread::sleep(Duration::from_millis(50));
    let cancelled_at = Instant::now();
    // SAFETY: both coroutines may be unwound at their next blocking point;
    // neither leaves shared state half-updated there.
    unsafe {
        sleeper.coroutine().cancel();
        busy.coroutine().cancel();
    }
    // `join` returns `Err` for a cancelled coroutine: the unwinding is a
    // panic to may, caught at the coroutine's boundary.
    let sleeper_result = sleeper.join().map(|_: ()| ());
    let sleeper_after = cancelled_at.elapsed();
    // Measured from the same instant: the busy one stops much later.
    let busy_result = busy.join();
    let busy_after = cancelled_at.elapsed();

    // The sleeper stops within about one of its 10 ms sleeps; the busy one
    // only when its loop is over. Both report `Err`: both were cancelled.
    println!(
        "sleeper: stopped {sleeper_after:.1?} after the cancel, join is_err = {}, after {} ticks",
        sleeper_result.is_err(),
        ticks.load(Ordering::Relaxed)
    );
    println!(
        "busy:    stopped {busy_after:.0?} after the cancel (at its yield_now), join is_err = {}",
        busy_result.is_err()
    );
    assert!(sleeper_result.is_err() && busy_result.is_err());
    // The busy loop had ~250 ms left when the cancel came: it ran them all.
    assert!(busy_after > sleeper_after);
}
