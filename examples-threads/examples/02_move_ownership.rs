//! A thread takes ownership of its data with `move`, or borrows it inside `thread::scope`.
//!
//! `thread::spawn` requires a `'static` closure: the new thread may outlive
//! the function that spawned it, so it must not borrow that function's
//! locals. Either move the data in (and hand it back through `join`), or use
//! `thread::scope`, which joins every thread before it returns; the borrow
//! checker then knows the borrowed data outlives the threads, so they may
//! borrow it, even mutably, as long as no two threads borrow the same part.
//!
//! Run:
//!
//!     cargo xtask run threads 02
//!
//! Observe: the moved vector comes back from `join` sorted; the scoped threads
//! fill disjoint halves of one buffer in place. Use `readings` in `main` right
//! after the first `spawn` and read the compiler's "borrow of moved value".
//!
//! Python: a thread's target receives its arguments by reference to shared
//! objects; nothing stops two threads mutating the same list. Rust decides at
//! compile time who owns what.

use std::thread;
use std::time::Instant;

fn main() {
    // 1. `move`: the thread owns `readings` outright. `main` cannot touch it
    //    until `join` hands it back, so no lock is needed.
    let readings: Vec<u32> = (0..200_000u32)
        .map(|i| i.wrapping_mul(2_654_435_761) % 1000)
        .collect();
    let start = Instant::now();
    let handle = thread::spawn(move || {
        let mut readings = readings; // moved in: this thread is the only owner
        readings.sort_unstable();
        readings // ownership travels back through `join`
    });
    // `readings` is gone from `main` here; using it would be a compile error.
    let sorted = handle.join().expect("sorting thread panicked");
    println!(
        "move:  a thread sorted {} readings it owned in {:.1?}, and gave them back",
        sorted.len(),
        start.elapsed()
    );
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]));

    // 2. `thread::scope`: threads borrow from `main`'s stack. The scope ends
    //    only after both threads are joined, so `squares` outlives them.
    let mut squares = vec![0u64; 1_000_000];
    let mid = squares.len() / 2;
    // `split_at_mut` proves to the compiler the halves do not overlap: each
    // thread gets a `&mut` to its own half, never to the same element.
    let (low, high) = squares.split_at_mut(mid);
    let start = Instant::now();
    let ids = thread::scope(|s| {
        let a = s.spawn(|| fill_squares(low, 0));
        let b = s.spawn(|| fill_squares(high, mid as u64));
        [a.join().unwrap(), b.join().unwrap()]
    });
    // The scope has joined both threads: `squares` is ours again, mutably.
    println!(
        "scope: 2 threads filled halves of one {}-element buffer in place in {:.1?}",
        squares.len(),
        start.elapsed()
    );
    println!(
        "scope: the halves were written by {:?} and {:?}",
        ids[0], ids[1]
    );

    // 3. Shared read-only borrows need no split: any number of threads may
    //    read `squares` at once, since nobody writes during the scope.
    let total: u64 = thread::scope(|s| {
        let (left, right) = squares.split_at(mid);
        let l = s.spawn(|| left.iter().sum::<u64>());
        let r = s.spawn(|| right.iter().sum::<u64>());
        l.join().unwrap() + r.join().unwrap()
    });
    println!("scope: 2 threads read the buffer at once: sum of squares = {total}");

    // Sum of k^2 for k < n is (n - 1) n (2n - 1) / 6.
    let n = squares.len() as u64;
    assert_eq!(total, (n - 1) * n * (2 * n - 1) / 6);
    assert_ne!(ids[0], ids[1]);
}

/// Write `(offset + i)^2` into `out[i]`; returns which thread did it.
fn fill_squares(out: &mut [u64], offset: u64) -> thread::ThreadId {
    for (i, slot) in out.iter_mut().enumerate() {
        let k = offset + i as u64;
        *slot = k * k;
    }
    thread::current().id()
}
