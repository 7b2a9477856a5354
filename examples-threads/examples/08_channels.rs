//! Channels move values between threads, so no two threads touch the same data at once.
//!
//! A send transfers ownership: once a job is sent, the sender cannot touch it.
//! `std::sync::mpsc` is many producers, one consumer, unbounded. crossbeam's
//! channels are many-to-many and come bounded (a full channel blocks the
//! sender: back-pressure, so a fast producer cannot eat all memory), zero-
//! capacity (every send waits for a receive: a hand-off) and with `select!`,
//! which waits on several channels at once. A channel closes when every
//! sender is dropped, which is how a consumer's loop learns to end.
//!
//! Run:
//!
//!     cargo xtask run threads 05
//!
//! Observe: the bounded queue never holds more than its capacity and the
//! producer spends most of its time waiting; a zero-capacity round trip costs
//! microseconds (the cost of waking a thread). Remove `drop(tx)` and the std
//! consumer's loop never ends: a sender still exists.
//!
//! Python: `queue.Queue(maxsize=4)` is the bounded channel; `put` blocks when
//! it is full. Python has no `select` over queues.
//!
//! Compare: examples-async/examples/06_mpsc_backpressure.rs,
//! examples-green/examples/03_channels_pipeline.rs,
//! examples-processes/examples/04_ipc_channel.rs (a channel between processes).

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crossbeam::channel::{bounded, select, unbounded};

fn main() {
    // 1. std mpsc: three producers share one receiver by cloning the sender.
    //    A std `Receiver` cannot be cloned: one consumer (the "sc" in mpsc).
    let (tx, rx) = mpsc::channel::<(usize, u64)>();
    for producer in 0..3 {
        let tx = tx.clone();
        // `send` moves the tuple into the channel: the producer keeps no
        // reference to it, so the consumer owns it alone. No lock needed.
        thread::spawn(move || (0..100).for_each(|job| tx.send((producer, job)).unwrap()));
    }
    drop(tx); // ours is the 4th sender: without this, `rx.iter()` waits forever
    let received = rx.iter().count();
    println!(
        "std mpsc: 3 producers sent, the consumer got {received} jobs, then the channel closed"
    );

    // 2. crossbeam bounded(4): the producer is fast, the consumer slow (2 ms
    //    per job). `send` blocks while 4 jobs wait, so the queue stays small.
    //    A real service picks the capacity from the memory a backlog may use
    //    and how long a job may wait; 4 keeps the numbers readable here.
    let (tx, rx) = bounded::<u64>(4);
    let producer = thread::spawn(move || {
        let (mut waited, mut longest) = (Duration::ZERO, 0);
        for job in 0..40 {
            let t = Instant::now();
            tx.send(job).unwrap(); // blocks while the channel is full
            waited += t.elapsed();
            longest = longest.max(tx.len()); // how full the queue got
        }
        (waited, longest)
    });
    let start = Instant::now();
    let mut done = 0;
    for _job in rx.iter() {
        thread::sleep(Duration::from_millis(2)); // the slow part
        done += 1;
    }
    let (waited, longest) = producer.join().unwrap();
    println!(
        "bounded(4): {done} jobs in {:.0?}; queue never above {longest}; the producer waited {:.0?} of it",
        start.elapsed(),
        waited
    );

    // 3. Zero capacity: `send` returns only once a receiver has taken the
    //    value. A round trip is two hand-offs, each waking a sleeping thread.
    //    The channel itself costs little: waking a thread through the kernel
    //    is most of the time (lesson 13 times a bare unpark).
    let (ping_tx, ping_rx) = bounded::<u32>(0);
    let (pong_tx, pong_rx) = bounded::<u32>(0);
    let echo = thread::spawn(move || ping_rx.iter().for_each(|n| pong_tx.send(n + 1).unwrap()));
    let rounds = 2_000;
    let start = Instant::now();
    let mut last = 0;
    for n in 0..rounds {
        ping_tx.send(n).unwrap();
        last = pong_rx.recv().unwrap();
    }
    let per_trip = start.elapsed() / rounds;
    drop(ping_tx); // closes the channel: the echo thread's loop ends
    echo.join().unwrap();
    println!(
        "bounded(0): {rounds} round trips, {per_trip:.1?} each (mostly waking the other thread)"
    );

    // 4. select!: wait on whichever channel is ready first. Results arrive
    //    every 10 ms, progress ticks every 3 ms; `default` with a timeout is
    //    the way out if neither speaks. When both are ready, `select!` picks
    //    one at random, so a busy channel cannot starve the other.
    let (result_tx, results) = unbounded::<u64>();
    let (tick_tx, ticks) = unbounded::<()>();
    thread::spawn(move || {
        (1..=5).for_each(|r| {
            thread::sleep(Duration::from_millis(10));
            result_tx.send(r * r).unwrap();
        })
    });
    // The ticker ends by itself: `send` fails once the receiver is dropped.
    thread::spawn(move || {
        while tick_tx.send(()).is_ok() {
            thread::sleep(Duration::from_millis(3));
        }
    });
    let (mut got, mut tick_count) = (Vec::new(), 0);
    while got.len() < 5 {
        select! {
            recv(results) -> r => got.push(r.unwrap()),
            recv(ticks) -> _ => tick_count += 1,
            default(Duration::from_secs(1)) => panic!("no result for a second"),
        }
    }
    drop(ticks); // the ticker's next send fails, so it ends
    println!(
        "select!: {} results and {tick_count} progress ticks, taken as they came",
        got.len()
    );

    assert_eq!(received, 300);
    assert_eq!(done, 40);
    assert!(longest <= 4);
    assert_eq!(last, rounds);
    assert_eq!(got, [1, 4, 9, 16, 25]);
}
