//! A panic ends only its own thread: the rest of the process runs on, and `join` returns the panic as `Err`.
//!
//! In Rust a panic unwinds the stack of the thread it happens on and ends
//! that thread; the other threads and `main` keep running. The panic's
//! payload (the message) comes back from `join` as `Err`, so the parent
//! decides what a crashed worker means: log it, retry the job, or re-raise it
//! with `std::panic::resume_unwind`. Three workers run below; worker 2 panics.
//!
//! Run:
//!
//!     cargo xtask run threads 17_panic_join
//!
//! Observe: worker 2's panic is reported by the panic hook on stderr, `join`
//! returns its message as `Err`, and the other workers' results arrive. Build
//! with `panic = "abort"` in the profile and the whole process dies instead.
//!
//! Python: an exception in a `threading.Thread` is printed and the thread
//! ends; `join()` does not raise it. `concurrent.futures`' `result()` does.
//!
//! Compare: examples-processes/examples/11_crashed_child.rs (a child process
//! that crashes: the parent sees an exit status, not a message).

use std::panic;
use std::thread;

fn main() {
    // A short panic hook instead of the default message and backtrace note,
    // so the output stays readable. The hook runs on the panicking thread,
    // before unwinding, which is why it can ask for the thread's name.
    panic::set_hook(Box::new(|info| {
        let who = thread::current().name().unwrap_or("?").to_owned();
        let what = message(info.payload());
        eprintln!("  [panic hook] thread '{who}' panicked: {what}");
    }));

    // Three workers; worker 2 hits a bad record and panics. The others do
    // not notice: nothing is shared between them.
    let handles: Vec<_> = (1..=3u64)
        .map(|id| {
            let work = move || {
                // `panic!` unwinds this thread's stack only, running the
                // destructors of what it owns on the way, then ends it.
                if id == 2 {
                    panic!("worker {id} found a corrupt record");
                }
                id * 100
            };
            // A named thread: the name appears in the panic message, so a
            // crash report says which worker died, not just "<unnamed>".
            thread::Builder::new()
                .name(format!("worker-{id}"))
                .spawn(work)
                .unwrap()
        })
        .collect();

    // The parent decides what a crash means: here, log it and keep the
    // other results. `join` never panics itself; it hands us the outcome.
    let mut results = Vec::new();
    let mut crashed = Vec::new();
    for (i, h) in handles.into_iter().enumerate() {
        match h.join() {
            Ok(v) => results.push(v),
            // The payload is a `Box<dyn Any + Send>`: `panic!` puts a `&str`
            // or a `String` in it, other code may put anything.
            Err(payload) => {
                let (id, what) = (i + 1, message(&*payload));
                println!("join: worker {id} returned Err({what:?})");
                crashed.push(id);
            }
        }
    }
    println!("join: the other workers returned {results:?}; main carried on");

    // Worker 2 alone failed; 1 and 3 finished their work untouched.
    assert_eq!(results, [100, 300]);
    assert_eq!(crashed, [2]);
}

/// The text of a panic payload: `panic!` with a literal gives `&str`, with
/// formatting a `String`. Anything else we cannot print, so "?".
fn message(payload: &(dyn std::any::Any + Send)) -> &str {
    match payload.downcast_ref::<&str>() {
        Some(s) => s,
        None => payload.downcast_ref::<String>().map_or("?", |s| s.as_str()),
    }
}
