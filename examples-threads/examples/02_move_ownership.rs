//! A thread takes ownership of its data with a `move` closure and hands it back through `join`.
//!
//! `thread::spawn` requires a `'static` closure: the new thread may outlive
//! the function that spawned it, so it must not borrow that function's
//! locals. Moving the data in makes the thread its only owner: nobody else
//! can read or write it meanwhile, so no lock is needed, and `join` returns
//! it when the thread is done. Ownership, not a lock, is what keeps it safe.
//!
//! Run:
//!
//!     cargo xtask run threads 02_move_ownership
//!
//! Observe: the vector comes back from `join` sorted, with its length and the
//! sort time printed. Use `readings` in `main` right after the `spawn` and read
//! the borrow checker's error ("borrow of moved value").
//!
//! Python: a thread's target receives its arguments by reference to shared
//! objects; nothing stops two threads mutating the same list. Rust decides at
//! compile time who owns what.

use std::thread;
use std::time::Instant;

const READINGS: u32 = 200_000;

fn main() {
    // Pseudo-random readings in 0..1000 (a multiplicative hash of the index),
    // so the sort has real work to do and the run is the same every time.
    let readings: Vec<u32> = (0..READINGS)
        .map(|i| i.wrapping_mul(2_654_435_761) % 1000)
        .collect();
    let checksum: u64 = readings.iter().map(|&r| r as u64).sum();

    let start = Instant::now();
    // `move` puts `readings` inside the closure: the Vec's buffer is not
    // copied, only its pointer, length and capacity change hands.
    let handle = thread::spawn(move || {
        // The thread is the only owner: it may sort in place, no lock.
        let mut readings = readings;
        readings.sort_unstable();
        // Ownership travels back through `join`, like any return value.
        readings
    });

    // `readings` is gone from `main` here: the compiler rejects any use of it
    // until `join` gives us a new owner, `sorted`.
    let sorted = handle.join().expect("sorting thread panicked");
    let took = start.elapsed();
    println!(
        "move: a thread sorted {} readings it owned in {took:.1?}, and gave them back",
        sorted.len()
    );

    // Same values, now in order: nothing was lost or duplicated on the way.
    let back: u64 = sorted.iter().map(|&r| r as u64).sum();
    assert_eq!(back, checksum);
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
}
