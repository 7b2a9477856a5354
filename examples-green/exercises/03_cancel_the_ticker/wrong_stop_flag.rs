// Wrong answer (kept to prove the tests catch it): a polite stop flag. The
// ticker checks it between ticks, so a tick that waits is never interrupted
// and `join` waits as long as the tick does.

use std::sync::atomic::{AtomicBool, Ordering};
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

/// Sum the squares of 1..=n through a pipeline, beside a ticker that calls
/// `tick` every millisecond (a tick may itself wait, as a progress bar
/// waiting for the terminal would).
pub fn sum_of_squares(n: u64, mut tick: impl FnMut() + Send + 'static) -> Report {
    // SAFETY (all spawns): no thread-locals, only may's blocking calls, small stacks.
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let ticker = unsafe {
        coroutine::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
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

    stop.store(true, Ordering::Relaxed);
    let ticker_stopped = ticker.join().is_ok();
    Report {
        sum,
        ticker_stopped,
    }
}
