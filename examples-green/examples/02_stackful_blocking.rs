//! A stackful coroutine can block deep inside ordinary functions: no `async`, no `.await`, no coloured signatures.
//!
//! Each may coroutine owns a stack, so when `may::coroutine::sleep` (or a may
//! socket read) parks it three calls deep, the whole call chain is simply left
//! on that stack and resumed later. A stackless `async fn` cannot do that: the
//! pause must be visible as `.await` in every function on the way, and
//! calling one does nothing until something polls the future it returns.
//!
//! Run:
//!
//!     cargo xtask run green 02_stackful_blocking
//!
//! Observe: 200 orders, each blocking three times for 10 ms in plain
//! functions, finish in a small multiple of 30 ms (printed); the lesson also
//! prints the 6 s they would take one after another.
//!
//! Break: `cargo xtask run green 02_stackful_blocking -- --break` pauses with
//! `std::thread::sleep` instead, for 20 orders (200 would take 3 s). That
//! call blocks the worker thread, not just the coroutine, so the orders queue
//! behind each other on the 2 workers, and the lesson prints how much longer
//! it took (05_std_blocking_trap measures this trap).
//!
//! Python: gevent after `monkey.patch_all()`: `time.sleep` and sockets yield
//! to the hub from any depth, with no `async def` anywhere.
//!
//! Compare: examples-async/examples/02_ten_thousand_sleeps.rs (the same
//! overlapping waits, where each pause must be an `.await`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use may::coroutine;

const WAIT: Duration = Duration::from_millis(10);

/// Set once in `main`, read by `pause`: a plain static, not a thread-local,
/// since coroutines must not rely on thread-locals (01_green_threads).
static BROKEN: AtomicBool = AtomicBool::new(false);

/// One blocking call, as a database driver would make it. may's sleep parks
/// the coroutine; std's (under `--break`) parks the whole worker thread.
fn pause() {
    if BROKEN.load(Ordering::Relaxed) {
        std::thread::sleep(WAIT);
    } else {
        coroutine::sleep(WAIT);
    }
}

// Three ordinary functions. None of them knows it runs in a coroutine:
// the same code would run on an OS thread, with the same meaning.
fn price_of(item: u64) -> u64 {
    // Stands for a database query: may parks this coroutine, not the OS thread.
    pause();
    10 + item % 7
}

fn stock_of(item: u64) -> u64 {
    // Blocking in a plain `fn`: no `async`, no `.await`, nothing in the
    // signature says it pauses. The coroutine's own stack keeps the frames.
    pause();
    item % 3
}

fn handle_order(item: u64) -> u64 {
    let price = price_of(item);
    let stock = stock_of(item);
    // A third pause, two frames down, inside a helper of a helper.
    confirm(price * (stock + 1))
}

fn confirm(total: u64) -> u64 {
    pause();
    total
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    let broken = std::env::args().any(|a| a == "--break");
    BROKEN.store(broken, Ordering::Relaxed);
    // Bounded for the broken run: 20 orders x 30 ms over 2 workers is 0.3 s.
    let orders: u64 = if broken { 20 } else { 200 };

    let start = Instant::now();
    let handles: Vec<_> = (0..orders)
        .map(|item| {
            // SAFETY: `handle_order` uses no thread-locals, blocks only
            // through may's sleep (except under `--break`, which is slow,
            // not unsound), and needs only small frames on its stack.
            unsafe { coroutine::spawn(move || handle_order(item)) }
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let took = start.elapsed();

    // The serial time, computed: three waits per order, one order at a time.
    let one_by_one = WAIT * 3 * orders as u32;
    println!("{orders} orders, 3 blocking calls of {WAIT:?} each, done in {took:.1?}");
    println!(
        "one after another they would take {one_by_one:?}: {:.0}x longer",
        one_by_one.as_secs_f64() / took.as_secs_f64()
    );

    // The answer does not depend on how the pauses were scheduled.
    let expected: u64 = (0..orders).map(|i| (10 + i % 7) * (i % 3 + 1)).sum();
    assert_eq!(total, expected);
    if broken {
        // The detection: with 2 workers blocked in turn, the orders overlap
        // at most 2 at a time, so the run takes at least half the serial time.
        println!("--break: std::thread::sleep held a worker per order: at most 2 orders at a time");
        assert!(took >= one_by_one / 2);
    }
}
