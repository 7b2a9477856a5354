// Goal: a pipeline with bounded channels, so the producer waits for slow
// consumers, and `workers` threads sharing the testing.
// Reference solution: the changed lines are marked with ^^^.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam::channel::{bounded, Receiver};
use workloads::cpu::is_prime;

/// A running pipeline.
pub struct Pipeline {
    /// (number, is it prime), in no particular order; the channel closes
    /// after the last verdict.
    pub verdicts: Receiver<(u64, bool)>,
    /// How many numbers the producer has sent so far.
    pub produced: Arc<AtomicUsize>,
}

/// Start testing `numbers` on `workers` threads, with channels that hold at
/// most `capacity` items each.
pub fn start(numbers: Vec<u64>, workers: usize, capacity: usize) -> Pipeline {
    let (number_tx, number_rx) = bounded::<u64>(capacity);
    let (verdict_tx, verdict_rx) = bounded::<(u64, bool)>(capacity);
    // ^^^ bounded: a send blocks while `capacity` items wait (back-pressure)

    let produced = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&produced);
    thread::spawn(move || {
        for n in numbers {
            if number_tx.send(n).is_err() {
                return; // every worker is gone: nobody to send to
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
        // `number_tx` drops here: the workers' loops end once the queue is empty.
    });

    for _ in 0..workers {
        let (number_rx, verdict_tx) = (number_rx.clone(), verdict_tx.clone());
        // ^^^ one clone of each end per worker: they all pull from one queue
        thread::spawn(move || {
            for n in number_rx {
                if verdict_tx.send((n, is_prime(n))).is_err() {
                    return; // the caller dropped the verdicts: stop
                }
            }
        });
    }
    // ^^^ the originals drop when `start` returns, so the verdict channel
    // closes once the last worker has finished

    Pipeline {
        verdicts: verdict_rx,
        produced,
    }
}
