// Goal: a pipeline (producer -> squarer -> sum) runs beside a progress ticker
// that loops forever. When the sum is ready, stop the ticker by cancelling
// it, and report whether it stopped (07_cancellation shows cancellation).
// Done when `cargo xtask exercise check green/03_cancel_the_ticker` passes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use may::coroutine;
use may::sync::mpsc;

pub struct Report {
    /// 1² + 2² + ... + n².
    pub sum: u64,
    /// True once the ticker's `join` returned: cancelled, it returns `Err`.
    pub ticker_stopped: bool,
}

/// Sum the squares of 1..=n through a pipeline; `ticks` counts the ticker's ticks.
pub fn sum_of_squares(n: u64, ticks: Arc<AtomicU64>) -> Report {
    // SAFETY (all spawns): no thread-locals, only may's blocking calls, small stacks.
    let ticker = unsafe {
        coroutine::spawn(move || -> () {
            loop {
                coroutine::sleep(Duration::from_millis(1));
                ticks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let (numbers, numbers_rx) = mpsc::channel();
    let (squares, squares_rx) = mpsc::channel();
    let producer =
        unsafe { coroutine::spawn(move || (1..=n).for_each(|i| numbers.send(i).unwrap())) };
    let squarer = unsafe {
        coroutine::spawn(move || {
            numbers_rx
                .iter()
                .for_each(|i: u64| squares.send(i * i).unwrap())
        })
    };
    let sum = squares_rx.iter().sum();
    producer.join().unwrap();
    squarer.join().unwrap();

    // TODO: cancel the ticker (an `unsafe` call on its coroutine), then join it:
    // the cancel lands at its next may sleep and `join` returns `Err`.
    let ticker_stopped = ticker.is_done();
    Report {
        sum,
        ticker_stopped,
    }
}
