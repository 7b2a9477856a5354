// Goal: stop the never-ending ticker by cancelling it once the sum is ready.
// Reference solution: the changed lines are marked with ^^^.

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

    // SAFETY: the ticker holds nothing that a stop at its sleep leaves half done.
    unsafe { ticker.coroutine().cancel() };
    // ^^^ only sets a flag: the ticker stops at its next may blocking point
    let ticker_stopped = ticker.join().is_err();
    // ^^^ join waits for that; a cancelled coroutine's join is `Err`
    Report {
        sum,
        ticker_stopped,
    }
}
