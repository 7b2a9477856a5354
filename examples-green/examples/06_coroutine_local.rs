//! Coroutines share their worker's thread-locals and can move between workers: `thread_local!` gives wrong answers, `coroutine_local!` right ones.
//!
//! A `thread_local!` belongs to the OS thread, and one OS thread runs many
//! coroutines in turn: whatever one coroutine stored, the next one on that
//! worker overwrites. And a coroutine that pauses may resume on another
//! worker, where the "same" thread-local is a different variable. may's
//! `coroutine_local!` keys the value on the coroutine instead.
//!
//! Run:
//!
//!     cargo xtask run green 06_coroutine_local
//!
//! Observe: most of the 100 coroutines read back someone else's id from the
//! thread-local (the count varies by run) and all 100 read their own from the
//! coroutine-local; here every one resumes on another OS thread, because may
//! runs a coroutine woken by its timer on the timer thread itself. With one worker the
//! thread-local is just as wrong: it is the sharing, not only the moving.
//!
//! Python: `threading.local()` under gevent is the same trap; gevent patches
//! it into a greenlet-local, which is what `coroutine_local!` is.

use std::cell::Cell;
use std::hint::black_box;
use std::thread;
use std::time::Duration;

use may::coroutine;

// 100 coroutines: enough that, on 2 workers, each thread-local is
// overwritten many times while its owner sleeps.
const UNITS: u64 = 100;

// Two variables for the same "request id": one per OS thread, one per
// coroutine. `u64::MAX` means "never set".
thread_local! {
    static REQUEST_ID_TLS: Cell<u64> = const { Cell::new(u64::MAX) };
}

may::coroutine_local! {
    static REQUEST_ID_CLS: Cell<u64> = Cell::new(u64::MAX)
}

// Separate, non-inlined functions, so each read really looks the variable up
// again after the pause rather than reusing an address computed before it.
#[inline(never)]
fn tls_set(id: u64) {
    REQUEST_ID_TLS.with(|c| c.set(black_box(id)));
}
#[inline(never)]
fn tls_get() -> u64 {
    REQUEST_ID_TLS.with(|c| black_box(c.get()))
}

fn main() {
    // Before the first spawn, or ignored (01_green_threads explains). Two
    // workers, so that moving between threads is possible at all.
    may::config().set_workers(2).set_worker_pin(false);

    let handles: Vec<_> = (0..UNITS)
        .map(|id| {
            // SAFETY: this closure breaks the no-thread-locals rule on purpose,
            // with a plain `Cell<u64>`: the answers are wrong, nothing dangles.
            // A thread-local holding a pointer or a `RefCell` borrow across the
            // pause could be unsound; never do that. Otherwise: may's sleep
            // only, tiny stack.
            unsafe {
                coroutine::spawn(move || {
                    let before = thread::current().id();
                    tls_set(id);
                    REQUEST_ID_CLS.with(|c| c.set(id));
                    // A pause, as for a database call: others run meanwhile.
                    coroutine::sleep(Duration::from_millis(5));
                    // Read everything back after the pause, the moment a
                    // request handler would need its id again.
                    let moved = before != thread::current().id();
                    (
                        tls_get() == id,
                        REQUEST_ID_CLS.with(|c| c.get()) == id,
                        moved,
                    )
                })
            }
        })
        .collect();

    // Tally the three answers of every coroutine.
    let (mut tls_right, mut cls_right, mut moved) = (0, 0, 0);
    for h in handles {
        let (tls, cls, m) = h.join().unwrap();
        tls_right += u64::from(tls);
        cls_right += u64::from(cls);
        moved += u64::from(m);
    }
    println!("thread_local!:    {tls_right} of {UNITS} coroutines read back their own id");
    println!("coroutine_local!: {cls_right} of {UNITS} coroutines read back their own id");
    // may's timer thread resumes a coroutine whose sleep ended, and it runs
    // there until its next pause: so after a sleep, all of them have moved.
    println!("{moved} of {UNITS} resumed on a different OS thread than they started on");

    // The coroutine-local is always right; the thread-local is right only for
    // a coroutine no other one overwrote in between: a few at most.
    assert_eq!(cls_right, UNITS);
    assert!(tls_right < UNITS / 2);
}
