//! A data race does not compile in safe Rust: `Send`, `Sync` and the borrow rules refuse it.
//!
//! Two threads writing the same memory without synchronisation is a data race,
//! and safe Rust refuses every program that could have one. The borrow rules
//! allow one `&mut` or many `&`, never both, across threads too. `Send` marks
//! types that may move to another thread (`Rc` is not: its count is a plain
//! integer); `Sync` marks types that threads may share by `&` (`Cell` is not:
//! it mutates through `&`). Refusals cannot be run, so they are compile-fail
//! fixtures, each checked for its error code and key phrase by `cargo xtask
//! test`: examples-threads/compile-fail/data_race/src/main.rs (E0499),
//! examples-threads/compile-fail/rc_across_threads/src/main.rs and
//! examples-threads/compile-fail/cell_shared/src/main.rs (both E0277). This
//! lesson runs the version of each that compiles.
//!
//! Run:
//!
//!     cargo xtask run threads 07_send_sync
//!
//! Observe: each fix prints the same count, 2 x HITS. The fixtures' first lines
//! name the error each must produce: E0499 "cannot borrow `hits` as mutable
//! more than once", E0277 "cannot be sent between threads safely" and E0277
//! "cannot be shared between threads safely". These are errors, not warnings:
//! no binary is built.
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
    // Refused (compile-fail/data_race): two scoped threads each capturing
    // `&mut hits`. Fixed: the Mutex hands out one `&mut` at a time, at run
    // time, so both threads need only a shared `&hits`, which the rules allow.
    let hits = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..HITS).for_each(|_| *hits.lock().unwrap() += 1));
        }
    });
    let hits = hits.into_inner().unwrap();
    println!("Mutex instead of two &mut:  {hits} hits from 2 threads");

    // Refused (compile-fail/rc_across_threads): `Rc` moved into a thread.
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
    // An `Rc` that never leaves this thread compiles: `Send` is checked only
    // where a value crosses to another thread (the bound on `spawn`).
    let local = Rc::new(5);
    let owners = Rc::strong_count(&local);
    println!(
        "Arc instead of Rc:          2 threads each saw {} primes; the local Rc has {owners} owner",
        lens[0]
    );

    // Refused (compile-fail/cell_shared): a `Cell` shared by two threads.
    // Fixed: an atomic is the thread-safe `Cell` for integers: it too changes
    // through `&`, but with instructions no other core can interleave.
    let counter = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..HITS).for_each(|_| _ = counter.fetch_add(1, Ordering::Relaxed)));
        }
    });
    let atomic_hits = counter.into_inner();
    println!("AtomicU64 instead of Cell:  {atomic_hits} hits from 2 threads");
    // Fine on one thread: `Cell` is `Send` (it may move), just not `Sync`.
    let single = Cell::new(0u64);
    single.set(single.get() + 1);

    // The same checks, asked of the compiler directly: these lines compile
    // only because each type has the marker. `assert_send::<Rc<u64>>()` would
    // be refused with the same E0277 as compile-fail/rc_across_threads.
    assert_send::<Arc<Vec<u64>>>();
    assert_sync::<Mutex<u64>>();
    assert_sync::<AtomicU64>();

    // No update lost in either fix: 2 threads x HITS each.
    assert_eq!([hits, atomic_hits], [2 * HITS; 2]);
    assert_eq!(lens, [4, 4]);
    assert_eq!((owners, single.get()), (1, 1));
}

/// Compiles only for `T: Send`: a check the compiler does, at no run-time cost.
fn assert_send<T: Send>() {}
/// Compiles only for `T: Sync`.
fn assert_sync<T: Sync>() {}
