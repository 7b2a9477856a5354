// Tests for exercise threads/11_fix_lost_wakeup, shared by the starter, the
// solution and the wrong answers beside it. They need loom: the target
// requires the feature `model-check`, which `cargo xtask exercise check` turns
// on (hints.toml lists it), so `cargo test --workspace` never builds them.
//
// A lost wake-up needs a notify to fall into a gap of a few instructions, so
// a plain test almost never sees one, and when it does, it hangs. loom runs
// the threads once per interleaving of their steps, on one OS thread, and
// when every thread is blocked it reports a deadlock instead of hanging. The
// exercise takes Mutex and Condvar from `super::sync`: here, loom's, wrapped
// so that each lock, sleep and notify is logged. A failing test prints what
// went wrong and the steps that led there.

#[cfg(feature = "learner-11_fix_lost_wakeup")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-11_fix_lost_wakeup", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

// Shared with the loom twins of the lessons; these tests use `explore` and `Log`.
#[allow(dead_code)]
#[path = "../../tests/model_check/mod.rs"]
mod model_check;

use std::cell::RefCell;
use std::fmt::Display;
// Std types for what the tests share: bookkeeping outside the model. loom
// need not explore them, and a loom `Arc` dropped while loom unwinds from a
// deadlock would abort the test binary.
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

use model_check::Log;
use sut::Latch;

thread_local! {
    // The log of the interleaving running now. loom runs every thread of a
    // model on the test's own OS thread, so a std thread-local reaches them all.
    static LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// Write a step of the thread running now: "worker 1: notify_all".
fn record(what: impl Display) {
    // A thread unwinding from loom's deadlock report must not call into loom.
    if std::thread::panicking() {
        return;
    }
    let who = loom::thread::current()
        .name()
        .unwrap_or("waiter")
        .to_string();
    LOG.with(|log| {
        if let Some(log) = &*log.borrow() {
            log.step(format!("{who}: {what}"));
        }
    });
}

/// `std::sync` as the exercise sees it: loom's Mutex and Condvar with std's
/// methods, each step logged.
#[allow(dead_code)]
mod sync {
    use super::record;
    use std::ops::{Deref, DerefMut};
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use std::sync::{LockResult, PoisonError};

    pub struct Mutex<T>(loom::sync::Mutex<T>);

    impl<T> Mutex<T> {
        pub fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            let inner = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            record("lock");
            Ok(MutexGuard(Some(inner)))
        }
    }

    /// loom's guard; `None` only while its thread sleeps in `Condvar::wait`.
    pub struct MutexGuard<'a, T>(Option<loom::sync::MutexGuard<'a, T>>);

    impl<T> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.0.as_ref().expect("a guard in use")
        }
    }

    impl<T> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.0.as_mut().expect("a guard in use")
        }
    }

    impl<T> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            if self.0.is_some() {
                record("unlock");
            }
        }
    }

    /// loom's Condvar, and beside it how many threads sleep on it now
    /// (bookkeeping outside the model), so a notify can say whom it woke.
    pub struct Condvar(loom::sync::Condvar, AtomicUsize);

    impl Condvar {
        pub fn new() -> Self {
            Condvar(loom::sync::Condvar::new(), AtomicUsize::new(0))
        }
        pub fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
            let inner = guard.0.take().expect("a guard in use");
            record("wait: unlock and sleep");
            self.1.fetch_add(1, SeqCst);
            let inner = self.0.wait(inner).unwrap_or_else(PoisonError::into_inner);
            record("woken, lock taken again");
            Ok(MutexGuard(Some(inner)))
        }
        pub fn wait_while<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            mut condition: impl FnMut(&mut T) -> bool,
        ) -> LockResult<MutexGuard<'a, T>> {
            while condition(&mut *guard) {
                guard = self.wait(guard)?;
            }
            Ok(guard)
        }
        pub fn notify_one(&self) {
            let asleep = self.1.load(SeqCst);
            self.1.store(asleep.saturating_sub(1), SeqCst);
            record(woke("notify_one", asleep.min(1)));
            self.0.notify_one();
        }
        pub fn notify_all(&self) {
            let asleep = self.1.swap(0, SeqCst);
            record(woke("notify_all", asleep));
            self.0.notify_all();
        }
    }

    fn woke(how: &str, n: usize) -> String {
        match n {
            0 => format!("{how}: nobody is asleep, so it wakes nobody"),
            n => format!("{how}: wakes {n} sleeping thread(s)"),
        }
    }
}

/// Run `model` over every interleaving loom explores; fail on the first that
/// breaks an invariant or leaves every thread asleep, saying which and how.
fn every_interleaving(model: fn()) {
    let explored = model_check::explore(move |log| {
        LOG.with(|l| *l.borrow_mut() = Some(log.clone()));
        model();
    });
    let Err(found) = explored else { return };
    let what = if found.message.contains("deadlock") {
        format!(
            "wait() never returned: every thread is finished or asleep, so the waiter \
             sleeps forever. The last count_down notified while nobody was asleep yet, \
             and a notify is not kept for whoever sleeps later.\n(loom: {})",
            found.message
        )
    } else {
        found.message
    };
    let steps: Vec<String> = found
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("  {:>2}. {s}", i + 1))
        .collect();
    panic!(
        "{what}\n\nloom found it in interleaving {}; its steps, in the order they ran:\n{}\n",
        found.runs,
        steps.join("\n")
    );
}

/// `workers` threads each finish their work and count down, while this
/// thread waits; when `wait` returns, every worker must have counted down.
fn wait_for(workers: usize) {
    let latch = Arc::new(Latch::new(workers));
    let finished = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (1..=workers)
        .map(|i| {
            let (latch, finished) = (Arc::clone(&latch), Arc::clone(&finished));
            loom::thread::Builder::new()
                .name(format!("worker {i}"))
                .spawn(move || {
                    finished.fetch_add(1, SeqCst);
                    record("work done, count_down()");
                    latch.count_down();
                })
                .unwrap()
        })
        .collect();
    latch.wait();
    record("wait() returned");
    let busy = workers - finished.load(SeqCst);
    assert!(
        busy == 0,
        "wait() returned while {busy} of {workers} workers had not finished: a wake-up \
         means only that something changed; check the count again before returning"
    );
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn the_waiter_wakes_after_one_worker() {
    every_interleaving(|| wait_for(1));
}

#[test]
fn the_waiter_wakes_only_after_both_workers() {
    every_interleaving(|| wait_for(2));
}

#[test]
fn with_no_workers_wait_returns_at_once() {
    every_interleaving(|| wait_for(0));
}
