//! A thread that panics while holding a `Mutex` poisons it: later `lock()` calls say the data may be half-updated.
//!
//! 17_panic_join showed that a panic ends only its own thread. If that thread
//! held a `Mutex` guard, it may have stopped between two halves of an update,
//! leaving the data inconsistent. Unwinding drops the guard, so the lock is
//! released, but std marks it *poisoned*: every later `lock()` returns `Err`
//! until someone decides the data is usable (`into_inner` on the error hands
//! the guard over anyway) or repairs it and calls `clear_poison`.
//!
//! Run:
//!
//!     cargo xtask run threads 18_poisoning
//!
//! Observe: the bookkeeper's panic is reported on stderr; `lock()` then
//! returns `Err`, the half-done update is visible (debits 50, credits 0), and
//! after the repair `lock()` is `Ok` again.
//!
//! Python: `threading.Lock` has no poisoning; a `with lock:` block that
//! raises releases the lock and leaves the data as it was at the raise.

use std::panic;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // Quiet the default panic message; this panic is expected.
    panic::set_hook(Box::new(|_| {
        eprintln!("  [panic hook] the bookkeeper panicked mid-update")
    }));

    // (debits, credits): equal whenever the books are consistent. The
    // invariant spans two fields, so an update has a half-done moment.
    let ledger = Arc::new(Mutex::new((0i64, 0i64)));
    let writer = Arc::clone(&ledger);
    // The bookkeeper takes the lock and dies between the two writes.
    let crashed = thread::spawn(move || {
        let mut books = writer.lock().unwrap();
        books.0 += 50; // the debit is written...
        panic!("crashed before the credit"); // ...the credit never is
    })
    .join()
    .is_err(); // 17_panic_join: the panic comes back as `Err`

    // New: `lock()` now says the last holder panicked. The data is still
    // there, and memory-safe: poisoning guards the *invariant* (debits ==
    // credits), which only the program can check. We choose to look anyway.
    let (poisoned, books) = match ledger.lock() {
        Ok(guard) => (false, *guard),
        // The `PoisonError` carries the guard: the lock is ours either way.
        Err(poison) => (true, *poison.into_inner()),
    };
    println!(
        "poison: lock() returned Err: {poisoned}; the books read {books:?}, debits != credits"
    );

    // New: repair, then clear the flag so later lock() calls succeed again.
    // Clearing without repairing would hide the bug from every later reader.
    *ledger.lock().unwrap_or_else(|p| p.into_inner()) = (0, 0);
    ledger.clear_poison();
    // A fresh `lock()` is the test: `Ok` means no one need worry any more.
    let healthy = ledger.lock().is_ok();
    println!("poison: repaired and cleared; lock() is Ok again: {healthy}");

    assert!(crashed && poisoned && healthy);
    // The half-done update, exactly: the debit landed, the credit did not.
    assert_eq!(books, (50, 0));
}
