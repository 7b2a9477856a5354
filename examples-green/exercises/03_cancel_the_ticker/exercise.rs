// Goal: a pipeline (producer -> squarer -> sum) runs beside a progress ticker
// that loops forever. When the sum is ready, stop the ticker from outside,
// wherever it is, even in the middle of a tick that waits, and report whether
// it stopped (green/07_cancellation shows how).
// Done when `cargo xtask exercise check green/03_cancel_the_ticker` passes.

use std::time::Duration;

use may::coroutine;
use may::sync::mpsc;

pub struct Report {
    /// 1² + 2² + ... + n².
    pub sum: u64,
    /// True once the ticker's `join` returned: cancelled, it returns `Err`.
    pub ticker_stopped: bool,
}

/// Sum the squares of 1..=n through a pipeline, beside a ticker that calls
/// `tick` every millisecond (a tick may itself wait, as a progress bar
/// waiting for the terminal would).
pub fn sum_of_squares(n: u64, mut tick: impl FnMut() + Send + 'static) -> Report {
    // SAFETY (all spawns): no thread-locals, only may's blocking calls, small stacks.
    let ticker = unsafe {
        coroutine::spawn(move || -> () {
            loop {
                coroutine::sleep(Duration::from_millis(1));
                tick();
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

    // TODO: stop the ticker, then join it.
    let ticker_stopped = ticker.is_done();
    Report {
        sum,
        ticker_stopped,
    }
}
