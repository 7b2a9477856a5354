//! The model-checked twin of threads/28_lazy_init: two threads ask for a
//! lazily built value at once; the builder must run exactly once.
//!
//!     cargo test -p examples-threads --features model-check --test model_check_lazy_init -- --nocapture
//!
//! loom has no `OnceLock`, so the fixed twin checks the rule `OnceLock` keeps
//! (check and build under one lock, with a lock-free fast path once built,
//! "double-checked locking"), written with loom's `Mutex` and atomics.

mod model_check;

use loom::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;
use model_check::{expect_found, expect_holds, Log};

/// A lazily built value and a count of how often it was built.
#[derive(Default)]
struct Lazy {
    ready: AtomicBool,
    /// Taken only by the fixed version, around the check and the build.
    lock: Mutex<()>,
    builds: AtomicU32,
}

impl Lazy {
    /// The bug: check, then build. Both threads can pass the check before
    /// either has set the flag.
    fn get_racy(&self, log: &Log, who: &str) {
        if !self.ready.load(Ordering::Acquire) {
            log.step(format!("{who}: not ready, so I build"));
            self.builds.fetch_add(1, Ordering::Relaxed);
            self.ready.store(true, Ordering::Release);
            log.step(format!("{who}: built, ready = true"));
        } else {
            log.step(format!("{who}: ready, nothing to do"));
        }
    }

    /// The fix: a lock-free look first (the common, built case), then the
    /// check again under the lock, so only one thread can decide to build.
    fn get_once(&self, log: &Log, who: &str) {
        if self.ready.load(Ordering::Acquire) {
            log.step(format!("{who}: ready (fast path)"));
            return;
        }
        let _only_one = self.lock.lock().unwrap();
        if !self.ready.load(Ordering::Acquire) {
            log.step(format!("{who}: not ready under the lock, so I build"));
            self.builds.fetch_add(1, Ordering::Relaxed);
            self.ready.store(true, Ordering::Release);
        } else {
            log.step(format!("{who}: someone built it while I waited"));
        }
    }
}

fn two_callers(log: &Log, get: fn(&Lazy, &Log, &str)) {
    let lazy = Arc::new(Lazy::default());
    let other = {
        let (lazy, log) = (Arc::clone(&lazy), log.clone());
        thread::spawn(move || get(&lazy, &log, "B"))
    };
    get(&lazy, log, "A");
    other.join().unwrap();
    let builds = lazy.builds.load(Ordering::Relaxed);
    assert!(
        builds == 1,
        "lazy init ran {builds} times, expected exactly once"
    );
}

#[test]
fn check_then_init_builds_twice() {
    let found = expect_found(|log| two_callers(log, Lazy::get_racy), "lazy init ran");
    assert!(found.message.contains("ran 2 times"), "{}", found.message);
}

#[test]
fn check_under_the_lock_builds_once() {
    expect_holds(|log| two_callers(log, Lazy::get_once));
}
