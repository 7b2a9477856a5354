//! Scoped threads borrow from the parent's stack, even mutably, because the scope joins them before it returns.
//!
//! `thread::scope` joins every thread it spawned before it returns, so the
//! borrow checker knows the borrowed data outlives the threads: they may
//! borrow `main`'s locals without `move` or `Arc`. Two threads may even hold
//! a `&mut` each, as long as the two borrows cannot overlap: `split_at_mut`
//! cuts one slice into two disjoint halves the compiler can tell apart.
//!
//! Run:
//!
//!     cargo xtask run threads 03_scoped_threads
//!
//! Observe: two threads fill disjoint halves of one buffer in place, then two
//! threads read it at once; the sum matches the formula. Try spawning both
//! threads on `&mut squares` itself and read the borrow error: the same refusal
//! as examples-threads/compile-fail/data_race/src/main.rs.
//!
//! Python: `concurrent.futures.ThreadPoolExecutor` used as a context manager
//! also waits for its threads, but nothing checks who writes which part.

use std::thread;
use std::time::Instant;

const LEN: usize = 1_000_000;

fn main() {
    let mut squares = vec![0u64; LEN];
    let mid = squares.len() / 2;

    // New: after 02_move_ownership, no `move` and no hand-back via `join`.
    // `split_at_mut` proves to the compiler the halves do not overlap: each
    // thread gets a `&mut` to its own half, never to the same element.
    let (low, high) = squares.split_at_mut(mid);
    let start = Instant::now();
    let ids = thread::scope(|s| {
        // No `move`: the closures borrow `low` and `high` from `main`. That
        // is allowed only because the scope outlives both threads.
        let a = s.spawn(|| fill_squares(low, 0));
        let b = s.spawn(|| fill_squares(high, mid as u64));
        [a.join().unwrap(), b.join().unwrap()]
    });
    // The scope has joined both threads: `squares` is ours again, mutably.
    println!(
        "scope: threads {:?} and {:?} filled halves of one {LEN}-element buffer in {:.1?}",
        ids[0],
        ids[1],
        start.elapsed()
    );

    // Shared read-only borrows need no proof of disjointness: any number of
    // threads may read at once, since nobody writes during the scope.
    let total: u64 = thread::scope(|s| {
        let (left, right) = squares.split_at(mid);
        let l = s.spawn(|| left.iter().sum::<u64>());
        let r = s.spawn(|| right.iter().sum::<u64>());
        l.join().unwrap() + r.join().unwrap()
    });
    println!("scope: 2 threads read the buffer at once: sum of squares = {total}");

    // Sum of k^2 for k < n is (n - 1) n (2n - 1) / 6: the threads wrote every
    // element exactly once, in the right half.
    let n = LEN as u64;
    assert_eq!(total, (n - 1) * n * (2 * n - 1) / 6);
    // Two different threads did the writing, not one after the other on main.
    assert_ne!(ids[0], ids[1]);
}

/// Write `(offset + i)^2` into `out[i]`; returns which thread did it.
/// It takes a plain `&mut [u64]`: nothing here knows about threads, which is
/// the point. The scope, not this function, makes the sharing safe.
fn fill_squares(out: &mut [u64], offset: u64) -> thread::ThreadId {
    for (i, slot) in out.iter_mut().enumerate() {
        let k = offset + i as u64;
        *slot = k * k;
    }
    thread::current().id()
}
