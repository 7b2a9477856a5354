//! A bounded channel makes a fast producer wait for a slow consumer: back-pressure keeps the queue small.
//!
//! An unbounded channel never makes `send` wait, so a producer faster than its
//! consumer piles jobs up in memory without limit. crossbeam's `bounded(n)`
//! holds at most `n` values: `send` on a full channel blocks until the
//! consumer takes one. The producer then runs at the consumer's pace: that
//! wait is back-pressure. Below the same 40 jobs go through an unbounded
//! channel and then a `bounded(4)` one, to a consumer that needs 2 ms a job.
//!
//! Run:
//!
//!     cargo xtask run threads 09_bounded_channel
//!
//! Observe: unbounded, the queue peaks near all 40 jobs and the producer never
//! waits; bounded, the queue never holds more than 4 and the producer spends
//! most of the run waiting. Both lines print the peak and the wait.
//!
//! Python: `queue.Queue(maxsize=4)` is the bounded channel; `put` blocks when
//! it is full.
//!
//! Compare: examples-async/examples/07_mpsc_backpressure.rs

use std::thread;
use std::time::{Duration, Instant};

// New: crossbeam instead of std. Its channels come bounded or unbounded, and
// are many-to-many: a crossbeam `Receiver` can be cloned, std's cannot.
use crossbeam::channel::{bounded, unbounded, Receiver, Sender};

const JOBS: u64 = 40;
const CAPACITY: usize = 4;
/// The consumer's work per job: the slow side of the pipeline.
const SLOW: Duration = Duration::from_millis(2);

fn main() {
    // The baseline: nothing stops the producer, so the backlog grows.
    let (tx, rx) = unbounded::<u64>();
    let (peak, waited, done) = run(tx, rx);
    println!("unbounded:  {done} jobs; queue peaked at {peak}; the producer waited {waited:.1?}");
    assert!(peak <= JOBS as usize);

    // New: a capacity. A real service picks it from the memory a backlog may
    // use and how long a job may wait; 4 keeps the numbers readable here.
    let (tx, rx) = bounded::<u64>(CAPACITY);
    let (peak_bounded, waited, done) = run(tx, rx);
    println!("bounded({CAPACITY}): {done} jobs; queue peaked at {peak_bounded}; the producer waited {waited:.0?}");

    // The bound holds whatever the timing: `send` cannot add a 5th value.
    assert!(peak_bounded <= CAPACITY);
    assert_eq!(done, JOBS);
}

/// A producer thread sends JOBS jobs as fast as it can; the calling thread
/// consumes them, SLOW per job. Returns the fullest the queue got, how long
/// the producer's `send`s waited in total, and how many jobs were consumed.
fn run(tx: Sender<u64>, rx: Receiver<u64>) -> (usize, Duration, u64) {
    let producer = thread::spawn(move || {
        let (mut waited, mut peak) = (Duration::ZERO, 0);
        for job in 0..JOBS {
            let t = Instant::now();
            // Blocks while a bounded channel is full; never for an unbounded one.
            tx.send(job).unwrap();
            waited += t.elapsed();
            // `len` counts the values waiting in the channel right now.
            peak = peak.max(tx.len());
        }
        // `tx` is dropped here: the consumer's loop below ends once it has
        // taken the last job (08_channels showed why).
        (waited, peak)
    });
    let mut done = 0;
    for _job in rx.iter() {
        thread::sleep(SLOW); // the slow part
        done += 1;
    }
    let (waited, peak) = producer.join().unwrap();
    (peak, waited, done)
}
