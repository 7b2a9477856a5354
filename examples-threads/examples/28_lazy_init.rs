//! Lazy initialisation by "if not ready, build" runs the builder twice when two threads ask at once; `OnceLock` runs it once.
//!
//! Check-then-act is a race whatever the check is made of: both threads can
//! see "not ready" before either has finished building and set the flag.
//! With a cheap builder that wastes work; with one that opens a file, a
//! connection or hands out IDs, the second build overwrites the first and
//! anyone who already took the first is out of step. `OnceLock::get_or_init`
//! makes one caller build while the others wait for its result; `LazyLock`
//! (and a `static` of one) wraps the same thing.
//!
//! Run:
//!
//!     cargo xtask run threads 28_lazy_init
//!
//! Observe: the racy version builds twice in most rounds (the builder takes
//! a millisecond, a wide window); `OnceLock` builds exactly once every round.
//! The model-checked twin finds the double build in the first interleaving it
//! tries, and checks the fix (check and build under one lock):
//! `cargo test -p examples-threads --features model-check --test model_check_lazy_init`.
//!
//! Python: `functools.cache` on a function has the same race (two threads can
//! both miss and both call it); a `threading.Lock` around the check fixes it.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Barrier, OnceLock};
use std::thread;
use std::time::Duration;

/// Rounds per version; each costs about a millisecond (one build).
const ROUNDS: u32 = 100;

/// The expensive thing built on first use (think: parse a config file).
/// `builds` counts how often it really ran.
fn build(builds: &AtomicU32) -> u64 {
    builds.fetch_add(1, Ordering::Relaxed);
    // The window: while one thread builds, the other can make its check.
    thread::sleep(Duration::from_millis(1));
    42
}

fn main() {
    // A fresh "lazy value" per round: a ready flag and the value itself.
    let racy = rounds_with_two_builds(|| {
        let (ready, value) = (AtomicBool::new(false), AtomicU64::new(0));
        move |builds: &AtomicU32| {
            // The bug: the check and the act are two steps. Both threads
            // can pass the check during the other's millisecond of building.
            if !ready.load(Ordering::Acquire) {
                value.store(build(builds), Ordering::Relaxed);
                ready.store(true, Ordering::Release);
            }
        }
    });
    println!("check-then-init: built twice in {racy} of {ROUNDS} rounds");

    // New: `get_or_init` lets exactly one caller run the closure; the
    // others block until its value is there, then all share that one.
    let once = rounds_with_two_builds(|| {
        let cell = OnceLock::new();
        move |builds: &AtomicU32| _ = cell.get_or_init(|| build(builds))
    });
    println!("OnceLock:        built twice in {once} of {ROUNDS} rounds");
    assert_eq!(once, 0);
}

/// Run ROUNDS rounds in which two threads call a fresh getter from `make`
/// at (almost) the same moment; count the rounds that built twice.
fn rounds_with_two_builds<G>(make: impl Fn() -> G) -> u32
where
    G: Fn(&AtomicU32) + Sync,
{
    // Rounds in which the builder ran more than once.
    let mut twice = 0;
    for _ in 0..ROUNDS {
        // Fresh per round: the count of builds and the lazy value itself.
        let builds = AtomicU32::new(0);
        let get = make();
        // A barrier releases both callers together, as two requests that
        // arrive at once would; without it one thread could be done before
        // the other is even spawned, and the race would rarely show.
        let start = Barrier::new(2);
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    start.wait();
                    get(&builds);
                });
            }
        });
        // `scope` joined both callers, so their builds are all counted.
        twice += u32::from(builds.load(Ordering::Relaxed) > 1);
    }
    twice
}
