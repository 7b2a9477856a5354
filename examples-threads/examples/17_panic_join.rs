//! A panic ends only its own thread: `join` returns `Err`, and a mutex it held is marked poisoned.
//!
//! In Rust a panic unwinds the stack of the thread it happens on and ends
//! that thread; the rest of the process keeps running. The panic's payload
//! (the message) comes back from `join` as `Err`, so the parent decides what
//! a crashed worker means. If the thread held a `Mutex` guard when it
//! panicked, the data may be half-updated: the mutex is *poisoned*, and every
//! later `lock()` returns `Err` until someone decides the data is usable
//! (`into_inner` on the error hands the guard over anyway) or repairs it.
//!
//! Run:
//!
//!     cargo xtask run threads 10
//!
//! Observe: worker 2's panic is reported by the panic hook on stderr, `join`
//! returns its message, the other workers' results arrive, and the ledger's
//! lock reports poisoning with the half-done update visible. Build with
//! `panic = "abort"` in the profile and the whole process dies instead.
//!
//! Python: an exception in a `threading.Thread` is printed and the thread
//! ends; `join()` does not raise it. Python's `Lock` has no poisoning.

use std::panic;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // A short panic hook instead of the default message and backtrace note,
    // so the output stays readable. The hook runs on the panicking thread.
    panic::set_hook(Box::new(|info| {
        let who = thread::current().name().unwrap_or("?").to_owned();
        eprintln!(
            "  [panic hook] thread '{who}' panicked: {}",
            message(info.payload())
        );
    }));

    // 1. join returns Err for the worker that panicked, Ok for the others.
    //    Named threads: the name appears in the panic message, so a crash
    //    report says which worker died.
    let handles: Vec<_> = (1..=3u64)
        .map(|id| {
            let work = move || {
                if id == 2 {
                    panic!("worker {id} found a corrupt record");
                }
                id * 100
            };
            thread::Builder::new()
                .name(format!("worker-{id}"))
                .spawn(work)
                .unwrap()
        })
        .collect();
    // The parent decides what a crash means: here, log it and keep the
    // other results. It could also retry the job or re-raise the panic
    // with `std::panic::resume_unwind(payload)`.
    let mut results = Vec::new();
    for (i, h) in handles.into_iter().enumerate() {
        match h.join() {
            Ok(v) => results.push(v),
            // The payload is a `Box<dyn Any>`: a `&str` or a `String` for panic!.
            Err(payload) => println!(
                "join: worker {} returned Err({:?})",
                i + 1,
                message(&*payload)
            ),
        }
    }
    println!("join: the other workers returned {results:?}; main carried on");

    // 2. Poisoning: a thread panics between two halves of one update.
    let ledger = Arc::new(Mutex::new((0i64, 0i64))); // (debits, credits): equal when consistent
    let writer = Arc::clone(&ledger);
    let crashed = thread::Builder::new()
        .name("bookkeeper".into())
        .spawn(move || {
            let mut books = writer.lock().unwrap();
            books.0 += 50; // the debit is written...
            panic!("crashed before the credit"); // ...the credit never is
        })
        .unwrap()
        .join()
        .is_err();

    // `lock()` now says the last holder panicked. The data is still there,
    // and memory-safe: poisoning guards the *invariant* (debits == credits),
    // which only the program can check. We choose to look anyway.
    let (poisoned, books) = match ledger.lock() {
        Ok(guard) => (false, *guard),
        Err(poison) => (true, *poison.into_inner()),
    };
    println!(
        "poison: lock() returned Err: {poisoned}; the books read {books:?}, debits != credits"
    );
    // Repair, then clear the flag so later lock() calls succeed again.
    ledger.clear_poison();
    *ledger.lock().unwrap() = (0, 0);
    println!(
        "poison: repaired and cleared; lock() is Ok again: {}",
        ledger.lock().is_ok()
    );

    assert_eq!(results, [100, 300]);
    assert!(crashed && poisoned);
    assert_eq!(books, (50, 0));
}

/// The text of a panic payload: `panic!` with a literal gives `&str`, with
/// formatting a `String`.
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    match payload.downcast_ref::<&str>() {
        Some(s) => s,
        None => payload.downcast_ref::<String>().map_or("?", |s| s.as_str()),
    }
}
