//! The model-checked twin of threads/25_lost_update and threads/26_cas_loop:
//! two threads each add 1 to a shared counter, so it must end at 2.
//!
//!     cargo test -p examples-threads --features model-check --test model_check_lost_update -- --nocapture
//!
//! The lesson runs a million increments and may lose none on a quiet core;
//! loom tries every interleaving of two increments and finds the one that
//! loses an update at once.

mod model_check;

use loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use loom::sync::Arc;
use loom::thread;
use model_check::{expect_found, expect_holds, Log};

/// Two threads run `add_one` on one counter; the invariant checks the sum.
fn two_increments(log: &Log, add_one: fn(&AtomicU64, &Log, &str)) {
    let counter = Arc::new(AtomicU64::new(0));
    let other = {
        let (counter, log) = (Arc::clone(&counter), log.clone());
        thread::spawn(move || add_one(&counter, &log, "B"))
    };
    add_one(&counter, log, "A");
    other.join().unwrap();
    let got = counter.load(Relaxed);
    assert!(got == 2, "lost update: expected 2, got {got}");
}

/// The bug of 25_lost_update: read, then write back read + 1. Another
/// thread's write between the two is overwritten.
fn load_then_store(counter: &AtomicU64, log: &Log, who: &str) {
    let seen = counter.load(Relaxed);
    log.step(format!("{who}: load -> {seen}"));
    counter.store(seen + 1, Relaxed);
    log.step(format!("{who}: store {}", seen + 1));
}

/// One indivisible read-modify-write (threads/05_atomics).
fn fetch_add(counter: &AtomicU64, log: &Log, who: &str) {
    let old = counter.fetch_add(1, Relaxed);
    log.step(format!("{who}: fetch_add, {old} -> {}", old + 1));
}

/// The general fix of 26_cas_loop: write back only if nobody wrote since
/// our read; otherwise retry from the value that is there now.
fn cas_loop(counter: &AtomicU64, log: &Log, who: &str) {
    let mut seen = counter.load(Relaxed);
    log.step(format!("{who}: load -> {seen}"));
    while let Err(now) = counter.compare_exchange(seen, seen + 1, Relaxed, Relaxed) {
        log.step(format!(
            "{who}: compare_exchange({seen}) failed, now {now}: retry"
        ));
        seen = now;
    }
    log.step(format!("{who}: compare_exchange {seen} -> {}", seen + 1));
}

#[test]
fn load_then_store_loses_an_update() {
    let found = expect_found(|log| two_increments(log, load_then_store), "lost update");
    assert!(
        found.message.contains("expected 2, got 1"),
        "{}",
        found.message
    );
}

#[test]
fn fetch_add_loses_nothing() {
    expect_holds(|log| two_increments(log, fetch_add));
}

#[test]
fn compare_exchange_loop_loses_nothing() {
    expect_holds(|log| two_increments(log, cas_loop));
}
