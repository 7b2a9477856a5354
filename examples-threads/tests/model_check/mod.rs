//! What every model-checked twin shares: run a model under loom, and when
//! loom finds an interleaving that breaks the model's invariant, return the
//! panic message together with the steps of that interleaving.
//!
//! loom runs the closure once per interleaving of its threads (and per value
//! a weak-memory load may return), all on one OS thread, switching only at
//! loom's own `sync` operations. A std type (`std::sync::Mutex`, a std
//! atomic) is invisible to it: a twin must use `loom::sync` for everything
//! shared between its threads.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

/// At most this many preemptions per interleaving. Every bug here needs one
/// or two; a bound keeps each model's run to a fraction of a second.
const PREEMPTIONS: usize = 3;

/// The steps of the interleaving loom is running now, written by the model's
/// threads as they go (`log.step("A: load 0")`), in the order loom ran them.
/// A `Relaxed` (or `Acquire`) load may return an older value than a store
/// listed before it: with no happens-before between the two threads, the
/// memory model allows it, and loom tries that outcome too. A std `Mutex` on purpose:
/// it is bookkeeping outside the model, locked only between loom operations,
/// so it adds no interleavings and never blocks (loom runs one thread at a time).
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    pub fn step(&self, what: impl Into<String>) {
        self.0.lock().unwrap().push(what.into());
    }

    fn restart(&self) {
        self.0.lock().unwrap().clear();
    }

    fn steps(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Run `model` over every interleaving loom explores. `Ok(n)` if the model
/// held in all of them (n = interleavings run), `Err` with loom's panic
/// message and the failing interleaving's steps otherwise.
pub fn explore<F>(model: F) -> Result<usize, Found>
where
    F: Fn(&Log) + Send + Sync + 'static,
{
    let log = Log::default();
    let runs = Arc::new(Mutex::new(0usize));
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(PREEMPTIONS);
    let (in_model, counted) = (log.clone(), Arc::clone(&runs));
    // catch_unwind: a broken invariant (or loom's own "deadlock") panics out
    // of `check`; the test wants that panic as a value to inspect.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        builder.check(move || {
            in_model.restart();
            *counted.lock().unwrap() += 1;
            model(&in_model);
        })
    }));
    let runs = *runs.lock().unwrap();
    match outcome {
        Ok(()) => Ok(runs),
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(a panic without a message)".into());
            Err(Found {
                message,
                steps: log.steps(),
                runs,
            })
        }
    }
}

/// A bug loom found: what broke, and how.
#[derive(Debug)]
pub struct Found {
    pub message: String,
    pub steps: Vec<String>,
    /// Interleavings run up to and including the failing one.
    pub runs: usize,
}

/// The buggy twin must be found *by its invariant*: a panic whose message
/// contains `invariant`, not any panic. Prints the failing interleaving.
pub fn expect_found<F>(model: F, invariant: &str) -> Found
where
    F: Fn(&Log) + Send + Sync + 'static,
{
    let found = match explore(model) {
        Ok(runs) => panic!("loom ran {runs} interleavings and none broke `{invariant}`"),
        Err(found) => found,
    };
    assert!(
        found.message.contains(invariant),
        "loom panicked, but not with `{invariant}`: {}",
        found.message
    );
    println!(
        "loom found it in interleaving {}: {}",
        found.runs, found.message
    );
    println!("the interleaving, step by step:");
    for (i, s) in found.steps.iter().enumerate() {
        println!("  {:>2}. {s}", i + 1);
    }
    found
}

/// The fixed twin must hold in every interleaving loom explores.
pub fn expect_holds<F>(model: F)
where
    F: Fn(&Log) + Send + Sync + 'static,
{
    match explore(model) {
        Ok(runs) => println!("held in all {runs} interleavings loom explored"),
        Err(f) => panic!(
            "the fix failed in interleaving {}: {}\nsteps: {:#?}",
            f.runs, f.message, f.steps
        ),
    }
}
