// Goal: a three-stage pipeline: a producer sends numbers, `workers` threads
// test each for primality, the caller takes the verdicts. With unbounded
// channels a producer runs ahead of a slow consumer and the backlog grows
// without limit. Use bounded channels (09_bounded_channel), so the producer waits,
// and let all `workers` threads share the testing.
// Done when `cargo xtask exercise check threads/03_pipeline` passes.

// `workers` and `capacity` are unused until you use them: no warning meanwhile.
#![allow(unused_variables)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use crossbeam::channel::{unbounded, Receiver};
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
    // TODO: make both channels hold at most `capacity` items, so a send waits
    // while the channel is full.
    let (number_tx, number_rx) = unbounded::<u64>();
    let (verdict_tx, verdict_rx) = unbounded::<(u64, bool)>();

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

    // TODO: spawn `workers` threads, not one. crossbeam's `Receiver` and
    // `Sender` can be cloned: give each worker its own clone of both.
    thread::spawn(move || {
        for n in number_rx {
            if verdict_tx.send((n, is_prime(n))).is_err() {
                return; // the caller dropped the verdicts: stop
            }
        }
    });

    Pipeline {
        verdicts: verdict_rx,
        produced,
    }
}
