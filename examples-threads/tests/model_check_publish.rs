//! The model-checked twin of threads/27_publish_ordering: a writer fills in
//! the data, then raises a flag; a reader that sees the flag must see the data.
//!
//!     cargo test -p examples-threads --features model-check --test model_check_publish -- --nocapture
//!
//! On x86 the lesson's `Relaxed` version works in practice, since that CPU
//! keeps stores in order. loom follows the language's memory model instead,
//! which allows a `Relaxed` load of the data to return the older value, and
//! so finds the bug on any machine.

mod model_check;

use loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use loom::sync::Arc;
use loom::thread;
use model_check::{expect_found, expect_holds, Log};

/// What the writer publishes.
const ANSWER: u64 = 42;

/// One write of data + flag, one look by the reader, with the given
/// orderings for the flag's store and load.
fn publish(log: &Log, store: Ordering, load: Ordering) {
    let data = Arc::new(AtomicU64::new(0));
    let ready = Arc::new(AtomicBool::new(false));
    let writer = {
        let (data, ready, log) = (Arc::clone(&data), Arc::clone(&ready), log.clone());
        thread::spawn(move || {
            data.store(ANSWER, Ordering::Relaxed);
            log.step(format!("writer: data = {ANSWER}"));
            ready.store(true, store);
            log.step(format!("writer: ready = true ({store:?})"));
        })
    };
    // The reader looks once instead of spinning: a spin loop would give loom
    // an unbounded number of interleavings to try.
    if ready.load(load) {
        let seen = data.load(Ordering::Relaxed);
        log.step(format!("reader: ready is true ({load:?}), data -> {seen}"));
        assert!(
            seen == ANSWER,
            "stale data: the flag was set, but data read {seen}, not {ANSWER}"
        );
    } else {
        log.step("reader: ready is false, nothing to read yet");
    }
    writer.join().unwrap();
}

#[test]
fn relaxed_flag_can_publish_stale_data() {
    let found = expect_found(
        |log| publish(log, Ordering::Relaxed, Ordering::Relaxed),
        "stale data",
    );
    assert!(found.message.contains("data read 0"), "{}", found.message);
}

#[test]
fn release_acquire_publishes_the_data() {
    expect_holds(|log| publish(log, Ordering::Release, Ordering::Acquire));
}
