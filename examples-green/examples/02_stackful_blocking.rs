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
//!     cargo xtask run green 02
//!
//! Observe: 200 orders, each blocking three times for 10 ms in plain functions,
//! finish in about 30 ms instead of 6 s. Replace `may::coroutine::sleep` with
//! `std::thread::sleep` and they queue behind each other (lesson 05).
//!
//! Python: gevent after `monkey.patch_all()`: `time.sleep` and sockets yield
//! to the hub from any depth, with no `async def` anywhere.

use std::time::{Duration, Instant};

use may::coroutine;

const ORDERS: u64 = 200;
const WAIT: Duration = Duration::from_millis(10);

// Three ordinary functions. None of them knows it runs in a coroutine:
// the same code would run on an OS thread, with the same meaning.
fn price_of(item: u64) -> u64 {
    // Stands for a database query: may parks this coroutine, not the OS thread.
    coroutine::sleep(WAIT);
    10 + item % 7
}

fn stock_of(item: u64) -> u64 {
    coroutine::sleep(WAIT);
    item % 3
}

fn handle_order(item: u64) -> u64 {
    let price = price_of(item);
    let stock = stock_of(item);
    // A third pause, two frames down, inside a helper of a helper.
    confirm(price * (stock + 1))
}

fn confirm(total: u64) -> u64 {
    coroutine::sleep(WAIT);
    total
}

fn main() {
    may::config().set_workers(2).set_worker_pin(false);

    let start = Instant::now();
    let handles: Vec<_> = (0..ORDERS)
        .map(|item| {
            // SAFETY: `handle_order` uses no thread-locals, blocks only
            // through may's sleep, and needs a few hundred bytes of stack.
            unsafe { coroutine::spawn(move || handle_order(item)) }
        })
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let took = start.elapsed();

    let one_by_one = WAIT * 3 * ORDERS as u32;
    println!("{ORDERS} orders, 3 blocking calls of {WAIT:?} each, done in {took:.1?}");
    println!(
        "one after another they would take {one_by_one:?}: {:.0}x longer",
        one_by_one.as_secs_f64() / took.as_secs_f64()
    );

    // The answer does not depend on how the pauses were scheduled.
    let expected: u64 = (0..ORDERS).map(|i| (10 + i % 7) * (i % 3 + 1)).sum();
    assert_eq!(total, expected);
}
