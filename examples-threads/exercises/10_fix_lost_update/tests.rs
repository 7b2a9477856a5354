// Tests for exercise threads/10_fix_lost_update, shared by the starter, the
// solution and the wrong answers beside it. They need loom: the target
// requires the feature `model-check`, which `cargo xtask exercise check` turns
// on (hints.toml lists it), so `cargo test --workspace` never builds them.
//
// A lost update needs another thread's step to fall between a load and a
// store: a plain test that runs the code a few times almost never sees one
// (threads/25_lost_update). loom runs each test's threads once per
// interleaving of their atomic steps, all on one OS thread, so the bad one
// is found every time. The exercise takes its atomics from `super::sync`:
// here, loom's, wrapped so that every step is written into a log. A failing
// test prints the invariant it broke and the steps that broke it.

#[cfg(feature = "learner-10_fix_lost_update")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-10_fix_lost_update", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

// Shared with the loom twins of the lessons; these tests use `explore` and `Log`.
#[allow(dead_code)]
#[path = "../../tests/model_check/mod.rs"]
mod model_check;

use std::cell::RefCell;
use std::fmt::Debug;
// A std `Arc`: sharing the venue is not what these tests check, and loom
// need not explore its reference counts.
use std::sync::Arc;

use model_check::Log;
use sut::Venue;

thread_local! {
    // The log of the interleaving running now. loom runs every thread of a
    // model on the test's own OS thread, so a std thread-local reaches them all.
    static LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// Write a step of the thread running now: "B: load -> 0".
fn record(what: impl std::fmt::Display) {
    let who = loom::thread::current().name().unwrap_or("A").to_string();
    LOG.with(|log| {
        if let Some(log) = &*log.borrow() {
            log.step(format!("{who}: {what}"));
        }
    });
}

/// `std::sync` as the exercise sees it: loom's atomics with std's methods,
/// each step logged. Every method a learner might reach for is here.
#[allow(dead_code)]
mod sync {
    pub mod atomic {
        use super::super::record;
        pub use std::sync::atomic::Ordering;

        /// loom's atomic, and beside it the value last written in the log's
        /// order (bookkeeping outside the model: a std atomic adds no steps).
        pub struct AtomicU64(loom::sync::atomic::AtomicU64, std::sync::atomic::AtomicU64);

        impl AtomicU64 {
            pub fn new(v: u64) -> Self {
                AtomicU64(
                    loom::sync::atomic::AtomicU64::new(v),
                    std::sync::atomic::AtomicU64::new(v),
                )
            }
            pub fn load(&self, o: Ordering) -> u64 {
                let v = self.0.load(o);
                let last = self.1.load(Ordering::Relaxed);
                if v == last {
                    record(format!("load -> {v}"));
                } else {
                    record(format!(
                        "load -> {v}, not the {last} stored above: nothing orders this load \
                         after that store, so the memory model allows an older value (as a \
                         core's stale cache would) and loom tries it"
                    ));
                }
                v
            }
            pub fn store(&self, v: u64, o: Ordering) {
                self.0.store(v, o);
                self.wrote(v);
                record(format!("store {v}"));
            }
            fn wrote(&self, v: u64) {
                self.1.store(v, Ordering::Relaxed);
            }
            pub fn swap(&self, v: u64, o: Ordering) -> u64 {
                let old = self.0.swap(v, o);
                self.wrote(v);
                record(format!("swap {old} -> {v}"));
                old
            }
            pub fn fetch_add(&self, v: u64, o: Ordering) -> u64 {
                let old = self.0.fetch_add(v, o);
                self.wrote(old + v);
                record(format!("fetch_add({v}): {old} -> {}", old + v));
                old
            }
            pub fn fetch_sub(&self, v: u64, o: Ordering) -> u64 {
                let old = self.0.fetch_sub(v, o);
                self.wrote(old - v);
                record(format!("fetch_sub({v}): {old} -> {}", old - v));
                old
            }
            pub fn fetch_max(&self, v: u64, o: Ordering) -> u64 {
                let old = self.0.fetch_max(v, o);
                self.wrote(old.max(v));
                record(format!("fetch_max({v}): {old} -> {}", old.max(v)));
                old
            }
            pub fn fetch_min(&self, v: u64, o: Ordering) -> u64 {
                let old = self.0.fetch_min(v, o);
                self.wrote(old.min(v));
                record(format!("fetch_min({v}): {old} -> {}", old.min(v)));
                old
            }
            pub fn compare_exchange(
                &self,
                current: u64,
                new: u64,
                ok: Ordering,
                err: Ordering,
            ) -> Result<u64, u64> {
                let r = self.0.compare_exchange(current, new, ok, err);
                if r.is_ok() {
                    self.wrote(new);
                }
                cas_step("compare_exchange", current, new, r);
                r
            }
            pub fn compare_exchange_weak(
                &self,
                current: u64,
                new: u64,
                ok: Ordering,
                err: Ordering,
            ) -> Result<u64, u64> {
                let r = self.0.compare_exchange_weak(current, new, ok, err);
                if r.is_ok() {
                    self.wrote(new);
                }
                cas_step("compare_exchange_weak", current, new, r);
                r
            }
            pub fn fetch_update(
                &self,
                set: Ordering,
                fetch: Ordering,
                mut f: impl FnMut(u64) -> Option<u64>,
            ) -> Result<u64, u64> {
                let mut new = None;
                let r = self.0.fetch_update(set, fetch, |v| {
                    new = f(v);
                    new
                });
                if let (Ok(_), Some(v)) = (r, new) {
                    self.wrote(v);
                }
                record(format!("fetch_update -> {r:?}"));
                r
            }
        }

        fn cas_step(name: &str, current: u64, new: u64, r: Result<u64, u64>) {
            match r {
                Ok(_) => record(format!("{name}({current} -> {new}): done")),
                Err(now) => record(format!("{name}({current} -> {new}): failed, it is {now}")),
            }
        }
    }
}

/// Run `model` over every interleaving loom explores; fail on the first that
/// breaks an invariant, with the invariant and the steps of that interleaving.
fn every_interleaving(model: fn()) {
    let explored = model_check::explore(move |log| {
        LOG.with(|l| *l.borrow_mut() = Some(log.clone()));
        model();
    });
    let Err(found) = explored else { return };
    let steps: Vec<String> = found
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("  {:>2}. {s}", i + 1))
        .collect();
    panic!(
        "{}\n\nloom found it in interleaving {}; its steps, in the order they ran:\n{}\n",
        found.message,
        found.runs,
        steps.join("\n")
    );
}

/// Customer A (this thread) and customer B (a thread of its own) each call
/// `visit` once on one venue, at the same time; returns the venue and what
/// each got.
fn two_at_once<T: Debug + Send + 'static>(
    venue: Venue,
    what: &'static str,
    visit: fn(&Venue) -> T,
) -> (Arc<Venue>, T, T) {
    let venue = Arc::new(venue);
    let other = Arc::clone(&venue);
    let b = loom::thread::Builder::new()
        .name("B".into())
        .spawn(move || {
            let got = visit(&other);
            record(format!("{what} returned {got:?}"));
            got
        })
        .unwrap();
    let a = visit(&venue);
    record(format!("{what} returned {a:?}"));
    let b = b.join().unwrap();
    (venue, a, b)
}

#[test]
fn two_visitors_at_once_are_both_counted() {
    every_interleaving(|| {
        let (venue, (), ()) = two_at_once(Venue::new(10), "admit()", Venue::admit);
        let got = venue.admitted();
        assert!(
            got == 2,
            "lost update: 2 visitors came in, the door counted {got}. One thread's \
             store wrote back a count read before the other's"
        );
    });
}

#[test]
fn two_customers_get_different_tickets() {
    every_interleaving(|| {
        let (venue, a, b) = two_at_once(Venue::new(10), "sell()", Venue::sell);
        if let (Some(x), Some(y)) = (a, b) {
            assert!(
                x != y,
                "lost update: both customers got ticket {x}. Both read the same \
                 count before either wrote it back"
            );
        }
        assert!(
            a.is_some() && b.is_some(),
            "with 10 tickets free, a customer got none (A: {a:?}, B: {b:?})"
        );
        let sold = venue.sold();
        assert!(
            sold == 2,
            "lost update: 2 tickets were sold, sold() says {sold}"
        );
    });
}

#[test]
fn the_last_ticket_is_sold_once() {
    every_interleaving(|| {
        let (venue, a, b) = two_at_once(Venue::new(1), "sell()", Venue::sell);
        if let (Some(x), Some(y)) = (a, b) {
            assert!(x != y, "lost update: both customers got ticket {x}");
        }
        let got: Vec<u64> = [a, b].into_iter().flatten().collect();
        assert!(
            got == [0],
            "over capacity: a venue of 1 handed out tickets {got:?} (A: {a:?}, B: {b:?}). \
             The check of the capacity and the sale must be one atomic step"
        );
        let sold = venue.sold();
        assert!(
            sold == 1,
            "sold() says {sold} tickets were sold, but a venue of 1 sold one: a refused \
             customer must not change the count"
        );
    });
}

#[test]
fn one_customer_at_a_time_gets_0_1_2_then_nothing() {
    every_interleaving(|| {
        let venue = Venue::new(3);
        let got: Vec<Option<u64>> = (0..5).map(|_| venue.sell()).collect();
        assert_eq!(got, [Some(0), Some(1), Some(2), None, None]);
        assert_eq!(venue.sold(), 3, "sold() after selling out a venue of 3");
    });
}
