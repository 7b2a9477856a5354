//! `select!` waits on several channels at once and takes whichever is ready first.
//!
//! A thread blocked in `recv` on one channel cannot notice another. crossbeam's
//! `select!` blocks on several operations together and runs the branch of the
//! first that can proceed; a `default(timeout)` branch fires if none does in
//! time. When several are ready at once it picks one at random, so a busy
//! channel cannot starve a quiet one. Below, results arrive every 10 ms and
//! progress ticks every 3 ms on two channels, and one loop takes both.
//!
//! Run:
//!
//!     cargo xtask run threads 11_select
//!
//! Observe: all 5 results arrive in order, with progress ticks taken in
//! between as they came (their count varies from run to run, about 3 per
//! result).
//!
//! Python: no `select` over `queue.Queue`s; code polls each with a timeout,
//! or merges them into one queue.
//!
//! Compare: examples-async/examples/06_select_timeout_cancel.rs

use std::thread;
use std::time::Duration;

// New: `select!`, crossbeam's macro over several channel operations.
use crossbeam::channel::{select, unbounded};

const RESULTS: u64 = 5;

fn main() {
    let (result_tx, results) = unbounded::<u64>();
    let (tick_tx, ticks) = unbounded::<()>();
    // A slow worker: one result every 10 ms. Its sender is dropped when it
    // returns, which the loop below does not need: it counts results.
    thread::spawn(move || {
        for r in 1..=RESULTS {
            thread::sleep(Duration::from_millis(10));
            result_tx.send(r * r).unwrap();
        }
    });
    // A ticker that would run forever: it ends by itself once the receiver
    // is dropped, because `send` on a channel with no receiver fails.
    thread::spawn(move || {
        while tick_tx.send(()).is_ok() {
            thread::sleep(Duration::from_millis(3));
        }
    });

    let (mut got, mut tick_count) = (Vec::new(), 0);
    while got.len() < RESULTS as usize {
        // Blocks until one branch can run. Without `select!`, a `recv` on
        // `results` would leave ticks piling up, and a `recv` on `ticks`
        // would delay results.
        select! {
            recv(results) -> r => got.push(r.unwrap()),
            recv(ticks) -> _ => tick_count += 1,
            // The way out if both go quiet: a hang detector, far above the
            // 10 ms between results.
            default(Duration::from_secs(1)) => panic!("no message for a second"),
        }
    }
    drop(ticks); // the ticker's next send fails, so it ends
    println!(
        "select!: {} results and {tick_count} progress ticks, taken as they came",
        got.len()
    );

    // One channel keeps its order: results arrive as 1, 4, 9, ... were sent.
    assert_eq!(got, [1, 4, 9, 16, 25]);
    // Ticks did get through while we waited for results: nothing starved.
    assert!(tick_count > 0);
}
