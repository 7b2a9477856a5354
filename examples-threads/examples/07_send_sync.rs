//! A data race does not compile in Rust: `Send`, `Sync` and the borrow rules refuse it.
//!
//! Two threads writing the same memory without synchronisation is a data race,
//! and the compiler refuses every program that could have one. The borrow
//! rules allow one `&mut` or many `&`, never both, across threads too. `Send`
//! marks types that may move to another thread (`Rc` is not: its count is a
//! plain integer); `Sync` marks types that threads may share by `&` (`Cell`
//! is not: it mutates through `&`). Refusals cannot be run, so they live as
//! compile-fail tests that check the compiler's message:
//! `tests/ui/data_race.rs`, `tests/ui/rc_across_threads.rs` and
//! `tests/ui/cell_shared.rs`, each with its expected `.stderr` beside it.
//! This lesson runs the version of each that compiles.
//!
//! Run:
//!
//!     cargo xtask run threads 04
//!
//! Observe: each fix prints the same count, 2 x HITS. Then run the refusals,
//! `cargo test -p examples-threads --test compile_fail`, and read the errors
//! in `tests/ui/*.stderr`: E0499 (two `&mut`), E0277 "cannot be sent between
//! threads safely" and "cannot be shared between threads safely".
//!
//! Python: all three programs run in Python; the GIL keeps the interpreter
//! intact, but `hits += 1` from two threads can still lose updates.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

const HITS: u64 = 100_000;

fn main() {
    // Refused (tests/ui/data_race.rs): two scoped threads each capturing
    // `&mut hits`. Fixed: the Mutex hands out one `&mut` at a time, at run time.
    let hits = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..HITS).for_each(|_| *hits.lock().unwrap() += 1));
        }
    });
    let hits = hits.into_inner().unwrap();
    println!("Mutex instead of two &mut:  {hits} hits from 2 threads");

    // Refused (tests/ui/rc_across_threads.rs): `Rc` moved into a thread.
    // Fixed: `Arc` counts its owners with atomic instructions, so it is `Send`.
    // `Rc` stays right for one thread: its plain count is cheaper.
    let primes = Arc::new(vec![2u64, 3, 5, 7]);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let primes = Arc::clone(&primes);
            thread::spawn(move || primes.len())
        })
        .collect();
    let lens: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let local = Rc::new(5); // fine: it never leaves this thread
    println!(
        "Arc instead of Rc:          2 threads each saw {} primes; the local Rc has {} owner",
        lens[0],
        Rc::strong_count(&local)
    );

    // Refused (tests/ui/cell_shared.rs): a `Cell` shared by two threads.
    // Fixed: an atomic is the thread-safe `Cell` for integers.
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..HITS).for_each(|_| _ = counter.fetch_add(1, Ordering::Relaxed)));
        }
    });
    let atomic_hits = counter.into_inner();
    println!("AtomicU64 instead of Cell:  {atomic_hits} hits from 2 threads");
    let single = Cell::new(0u64); // fine on one thread
    single.set(single.get() + 1);

    // The same checks, asked of the compiler directly: these lines compile
    // only because each type has the marker. Put `Rc<u64>` in one and see.
    assert_send::<Arc<Vec<u64>>>();
    assert_sync::<Mutex<u64>>();
    assert_sync::<AtomicU64>();

    assert_eq!([hits, atomic_hits], [2 * HITS; 2]);
    assert_eq!(lens, [4, 4]);
}

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}
