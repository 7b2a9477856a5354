//! Threads wait for each other without spinning: a condvar waits for a condition, a barrier for everyone, park for a wake-up.
//!
//! Polling a flag in a loop burns a core while it waits. The kernel can put a
//! thread to sleep and wake it when something changes, and std offers three
//! shapes of that. A `Condvar` pairs with a `Mutex`: sleep until the data
//! behind the lock satisfies a condition (`wait_while` re-checks it, since
//! wake-ups can be spurious). A `Barrier` lets N threads finish phase 1
//! before any starts phase 2. `thread::park` sleeps until another thread
//! calls `unpark` on it: the low-level brick the others are built from.
//!
//! Run:
//!
//!     cargo xtask run threads 13
//!
//! Observe: the condvar consumer wakes once per batch of 10; no thread starts phase
//! 2 before all finished phase 1; an unpark wakes a parked thread in tens of
//! microseconds. Replace `wait_while` by a single `wait` and read its docs on
//! spurious wake-ups to see why that is wrong.
//!
//! Python: `threading.Condition` (`wait_for` = `wait_while`) and
//! `threading.Barrier`; park has no direct twin (an `Event` per thread).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn main() {
    // 1. Condvar: the producer fills a batch of 10 jobs, then sleeps until the
    //    queue is empty again; the consumer sleeps until a batch is full.
    //    Neither checks in a loop: each is woken when the other has acted.
    let queue = Mutex::new(Vec::<u32>::new());
    let (batch_full, queue_empty) = (Condvar::new(), Condvar::new());
    let (batches, total) = thread::scope(|s| {
        let consumer = s.spawn(|| {
            let (mut batches, mut total) = (0, 0);
            while total < 30 {
                // `wait_while` releases the lock while asleep, retakes it on
                // wake-up, and sleeps again if the condition still holds.
                let mut q = batch_full
                    .wait_while(queue.lock().unwrap(), |q| q.len() < 10)
                    .unwrap();
                total += q.drain(..).count();
                batches += 1;
                queue_empty.notify_one();
            }
            (batches, total)
        });
        for batch in 0..3 {
            let mut q = queue_empty
                .wait_while(queue.lock().unwrap(), |q| !q.is_empty())
                .unwrap();
            q.extend(batch * 10..batch * 10 + 10);
            batch_full.notify_one(); // the consumer re-checks its condition
        }
        consumer.join().unwrap()
    });
    println!("condvar: the consumer woke for {batches} batches and took {total} jobs");

    // 2. Barrier: 4 workers count themselves done with phase 1. Anyone who saw
    //    fewer than 4 done after the barrier would have started phase 2 early.
    let barrier = Barrier::new(4);
    let finished_phase_one = AtomicUsize::new(0);
    let early_starts = AtomicUsize::new(0);
    thread::scope(|s| {
        for id in 0..4u64 {
            let (barrier, done, early) = (&barrier, &finished_phase_one, &early_starts);
            s.spawn(move || {
                thread::sleep(Duration::from_millis(10 * id)); // uneven phase 1
                done.fetch_add(1, Ordering::SeqCst);
                barrier.wait(); // nobody passes until all 4 are here
                if done.load(Ordering::SeqCst) < 4 {
                    early.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    let early = early_starts.load(Ordering::SeqCst);
    println!("barrier: 4 workers with uneven phase 1; {early} started phase 2 early");

    // 3. park/unpark: the sleeper parks; main unparks it and times the wake.
    //    An unpark that comes first is remembered, so the order cannot lose it.
    let woken_at = Mutex::new(None);
    let wake_latency = thread::scope(|s| {
        let sleeper = s.spawn(|| {
            thread::park(); // may also return spuriously: real code re-checks a flag
            *woken_at.lock().unwrap() = Some(Instant::now());
        });
        thread::sleep(Duration::from_millis(20)); // let it fall asleep
        let unparked = Instant::now();
        sleeper.thread().unpark();
        sleeper.join().unwrap();
        woken_at.lock().unwrap().unwrap() - unparked
    });
    println!("park: a parked thread woke {wake_latency:.1?} after unpark");

    assert_eq!((batches, total), (3, 30));
    assert_eq!(early, 0);
}
