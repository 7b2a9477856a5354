//! may's channels connect coroutines into a pipeline; a `recv` parks the coroutine, never the worker thread.
//!
//! `may::sync::mpsc` has the same API as `std::sync::mpsc`, but its blocking
//! calls park the calling coroutine and let the worker run another one. A
//! pipeline of stages, each a coroutine looping over its input channel, is
//! then as cheap as the work in it. Dropping a stage's sender ends the next
//! stage's `for` loop: shutdown flows down the pipeline by itself.
//!
//! Run:
//!
//!     cargo xtask run green 03_channels_pipeline
//!
//! Observe: the three stages overlap: 500 readings with a 1 ms pause each at
//! the source finish in a little over 500 ms, not after the source plus the
//! others. This is why the channels must be may's: a `std::sync::mpsc` recv
//! would block a whole worker thread while it waits (05_std_blocking_trap).
//!
//! Python: a chain of gevent greenlets joined by `gevent.queue.Queue`.
//!
//! Compare: examples-threads/examples/08_channels.rs (the same channels
//! between OS threads), examples-async/examples/07_mpsc_backpressure.rs.

use std::time::{Duration, Instant};

use may::coroutine;
use may::sync::mpsc;

// 500 readings at 1 ms each: the source alone takes ~0.5 s, which is the
// time the whole pipeline should take if the other stages overlap with it.
const READINGS: u64 = 500;

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    let start = Instant::now();

    // Stage 1 -> 2 and 2 -> 3. Unbounded, as std's `channel()`: a real
    // service would bound them so a slow consumer slows the producer.
    let (raw_tx, raw_rx) = mpsc::channel::<u64>();
    let (clean_tx, clean_rx) = mpsc::channel::<u64>();

    // SAFETY (all three spawns): no thread-locals, only may's blocking
    // calls (sleep, channel send/recv), shallow stacks.
    let source = unsafe {
        coroutine::spawn(move || {
            for i in 0..READINGS {
                // A sensor that answers every millisecond.
                coroutine::sleep(Duration::from_millis(1));
                raw_tx.send(i).unwrap();
            }
            // `raw_tx` drops here: stage 2's loop ends when it has drained.
        })
    };
    let filter = unsafe {
        coroutine::spawn(move || {
            // `iter()` blocks (parks) between readings and ends when the
            // source's sender is dropped and the queue is drained.
            for reading in raw_rx.iter() {
                // Drop every fifth reading as noise, scale the rest.
                // A stage is just a loop: the channel does the scheduling.
                if reading % 5 != 0 {
                    clean_tx.send(reading * 10).unwrap();
                }
            }
        })
    };
    let sink = unsafe {
        coroutine::spawn(move || {
            // The sink owns its totals: no shared state, no lock; the result
            // comes back through `join`.
            let (mut count, mut sum) = (0u64, 0u64);
            for value in clean_rx.iter() {
                count += 1;
                sum += value;
            }
            (count, sum)
        })
    };

    // Join in pipeline order: each stage ends only after the one before it.
    source.join().unwrap();
    filter.join().unwrap();
    let (count, sum) = sink.join().unwrap();
    println!(
        "{count} of {READINGS} readings passed the filter, sum {sum}, in {:.0?}",
        start.elapsed()
    );
    println!("the source alone sleeps {READINGS} x 1 ms: the other stages ran in its pauses");

    // The same filter computed directly: the pipeline lost and added nothing.
    let expected: u64 = (0..READINGS).filter(|i| i % 5 != 0).map(|i| i * 10).sum();
    assert_eq!((count, sum), (READINGS - READINGS / 5, expected));
}
