//! A `Condvar` lets a thread sleep until the data behind a `Mutex` satisfies a condition, without spinning.
//!
//! Polling a flag in a loop burns a core while it waits. A `Condvar` pairs
//! with a `Mutex`: `wait` releases the lock and puts the thread to sleep in
//! one step, and `notify_one` wakes a sleeper, which retakes the lock. A
//! notify is not stored anywhere: it wakes whoever is waiting *now*. So the
//! condition lives in the data, and `wait_while` checks it before sleeping
//! and again after every wake-up (wake-ups can also be spurious).
//!
//! Run:
//!
//!     cargo xtask run threads 21_condvar
//!
//! Observe: the producer fills batches of 10 and the consumer takes each one
//! whole: 3 batches for 30 jobs, with neither thread polling.
//!
//! Break: `cargo xtask run threads 21_condvar -- --break` makes the consumer
//! arrive after the first notify and use a bare `wait` instead of
//! `wait_while`. That notify is lost, so the bare wait would sleep forever;
//! the lesson waits with a timeout instead, reports the lost wake-up, and
//! recovers with `wait_while`. The model-checked twin finds the lost wake-up
//! as a deadlock: `cargo test -p examples-threads --features model-check --test model_check_lost_wakeup`.
//! Exercise `threads/11_fix_lost_wakeup` fixes a latch that loses its wake-up.
//!
//! Python: `threading.Condition`; its `wait_for(predicate)` is `wait_while`.

use std::sync::{mpsc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// The consumer wants whole batches: it sleeps until the queue holds this many.
const BATCH: u32 = 10;
const BATCHES: u32 = 3;
/// The watchdog on the bare wait: far above a real hand-over (microseconds).
const WATCHDOG: Duration = Duration::from_millis(500);

fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    // One lock, two conditions on the data it guards: "a batch is full"
    // (the consumer's) and "the queue is empty" (the producer's).
    let queue = Mutex::new(Vec::<u32>::new());
    let (batch_full, queue_empty) = (Condvar::new(), Condvar::new());
    // Only for --break: tells the consumer that the first notify has happened.
    let (notified, first_notify_done) = mpsc::channel();

    // References, so the `move` closure below copies them and takes only the
    // receiver by value (a std `Receiver` is not `Sync`: it cannot be shared).
    let (queue, batch_full, queue_empty) = (&queue, &batch_full, &queue_empty);

    let (wakeups, total, lost) = thread::scope(|s| {
        let consumer = s.spawn(move || {
            let (mut wakeups, mut total, mut lost) = (0, 0, false);
            if broken {
                first_notify_done.recv().unwrap(); // arrive after the notify
                                                   // Changed (--break): a bare wait, trusting a notify to come.
                                                   // It came and went already; only the timeout ends this wait.
                let (q, res) = batch_full
                    .wait_timeout(queue.lock().unwrap(), WATCHDOG)
                    .unwrap();
                lost = res.timed_out() && q.len() == BATCH as usize;
            }
            while total < BATCH * BATCHES {
                // `wait_while` releases the lock while asleep, retakes it on
                // wake-up, and sleeps again while the condition holds. It
                // also returns at once if the batch is already full: that
                // first check is what a bare `wait` lacks.
                let mut q = batch_full
                    .wait_while(queue.lock().unwrap(), |q| q.len() < BATCH as usize)
                    .unwrap();
                total += q.drain(..).count() as u32;
                wakeups += 1;
                // Tell the producer the queue is empty; it re-checks that.
                queue_empty.notify_one();
            }
            (wakeups, total, lost)
        });
        for batch in 0..BATCHES {
            // The producer's side: sleep until the consumer emptied the queue.
            let mut q = queue_empty
                .wait_while(queue.lock().unwrap(), |q| !q.is_empty())
                .unwrap();
            q.extend(batch * BATCH..(batch + 1) * BATCH);
            batch_full.notify_one(); // the consumer re-checks its condition
                                     // Unlock before telling the consumer, so it can take the lock.
            drop(q);
            if batch == 0 {
                // Harmless when not --break: nobody reads it, send just queues.
                notified.send(()).unwrap();
            }
        }
        // The scope would join it anyway; joining here returns its counts.
        consumer.join().unwrap()
    });
    println!("condvar: the consumer woke for {wakeups} batches and took {total} jobs");
    if lost {
        println!("--break: the bare wait slept {WATCHDOG:?} with a full batch in the queue: the notify came before anyone waited, and a condvar does not remember it. wait_while checks the data first, which is why it recovered");
    }

    // One wake-up per batch: nobody polled, nobody woke for nothing.
    assert_eq!((wakeups, total), (BATCHES, BATCH * BATCHES));
    assert_eq!(lost, broken);
}
