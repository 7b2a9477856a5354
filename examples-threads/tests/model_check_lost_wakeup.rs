//! The model-checked twin of threads/21_condvar's `--break`: a consumer
//! waits on a `Condvar` for a producer's "ready".
//!
//!     cargo test -p examples-threads --features model-check --test model_check_lost_wakeup -- --nocapture
//!
//! The bug: the consumer checks the flag, *then* takes the lock and sleeps.
//! If the producer sets the flag and notifies between the two, nobody is
//! waiting yet, the notify is lost, and the consumer sleeps forever. loom
//! sees every thread blocked and reports a deadlock.

mod model_check;

use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use loom::sync::{Condvar, Mutex};
// A std `Arc`, not loom's: when loom finds the deadlock it panics inside the
// consumer's `wait`, and dropping a loom `Arc` while that panic unwinds would
// call back into loom's stopped scheduler and abort the test. Sharing the
// `Signal` is not what this model checks.
use loom::thread;
use model_check::{expect_found, expect_holds, Log};
use std::sync::Arc;

/// The flag lives twice: as an atomic (read by the buggy consumer without
/// the lock) and inside the mutex (the fix: the condition is the data).
#[derive(Default)]
struct Signal {
    ready_flag: AtomicBool,
    ready: Mutex<bool>,
    changed: Condvar,
}

fn producer(s: &Signal, log: &Log) {
    s.ready_flag.store(true, SeqCst);
    *s.ready.lock().unwrap() = true;
    log.step("producer: ready = true");
    s.changed.notify_one();
    log.step("producer: notify_one");
}

/// The bug: the check is outside the lock, so the notify can fall between
/// the check and the wait.
fn consumer_check_then_park(s: &Signal, log: &Log) {
    if !s.ready_flag.load(SeqCst) {
        log.step("consumer: not ready, going to sleep");
        let guard = s.ready.lock().unwrap();
        log.step("consumer: waiting");
        drop(s.changed.wait(guard).unwrap());
    }
    log.step("consumer: woke up");
}

/// The fix (`wait_while` in 21_condvar): check the data under the lock and
/// again after each wake-up; `wait` releases the lock and sleeps in one step.
fn consumer_loop_under_lock(s: &Signal, log: &Log) {
    let mut ready = s.ready.lock().unwrap();
    while !*ready {
        log.step("consumer: not ready, waiting");
        ready = s.changed.wait(ready).unwrap();
    }
    log.step("consumer: ready");
}

fn hand_over(log: &Log, consumer: fn(&Signal, &Log)) {
    let signal = Arc::new(Signal::default());
    let p = {
        let (signal, log) = (Arc::clone(&signal), log.clone());
        thread::spawn(move || producer(&signal, &log))
    };
    consumer(&signal, log);
    p.join().unwrap();
}

#[test]
fn check_then_park_loses_the_wakeup() {
    expect_found(|log| hand_over(log, consumer_check_then_park), "deadlock");
}

#[test]
fn waiting_in_a_loop_under_the_lock_never_sleeps_forever() {
    expect_holds(|log| hand_over(log, consumer_loop_under_lock));
}
