//! A green thread is a unit the runtime schedules in user space: may runs many coroutines on a few OS threads.
//!
//! Words first. M:1 means many green threads on one OS thread (gevent,
//! greenlets, may with one worker: `may-1`); M:N means many on N OS threads
//! that run in parallel (Go's goroutines, may with W workers). Stackful means
//! each coroutine has its own stack, so it can pause anywhere, deep inside
//! ordinary functions (may, gevent); stackless means the pause points are
//! compiled into a state machine, only at `.await`/`yield` (Rust async,
//! Python asyncio). may's spawn is `unsafe`, because the compiler cannot check
//! the rules a coroutine must keep; `go!` wraps that `unsafe` for you.
//!
//! Run:
//!
//!     cargo xtask run green 01_green_threads
//!
//! Observe: 1000 coroutines finish on the 2 worker threads (their ids print),
//! and the printed cost of one spawn, in microseconds. Change `WORKERS` to 1
//! and every coroutine reports the same OS thread: that is gevent's M:1.
//!
//! Python: `gevent.spawn(f)` then `.join()`; one OS thread, like `WORKERS = 1`.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs,
//! examples-async/examples/01_lazy_futures.rs (a stackless task).

use std::collections::BTreeSet;
use std::thread::{self, ThreadId};
use std::time::Instant;

use may::coroutine;

const WORKERS: usize = 2;

fn main() {
    // may's scheduler is global and starts at the first spawn: configure it
    // before, or these calls are silently ignored. Pinning workers to cores is
    // on by default and made spawning slower on the shared VMs this course
    // was measured on: turn it off.
    may::config().set_workers(WORKERS).set_worker_pin(false);

    // SAFETY: may's spawn is `unsafe` because the compiler cannot check the
    // rules a coroutine must keep, and this closure keeps them all:
    // - no thread-locals: the coroutine may move to another OS thread between
    //   two reads (06_coroutine_local shows the wrong answers);
    // - no thread-blocking call (`std::thread::sleep`, std IO, std `Mutex`):
    //   it would stall every coroutine of this worker (05_std_blocking_trap);
    // - no long CPU loop without `coroutine::yield_now()`: scheduling is
    //   cooperative, nothing pre-empts a busy coroutine;
    // - stay inside the fixed stack (32 KiB by default, printed by
    //   10_stack_size): no deep recursion.
    let first = unsafe { coroutine::spawn(|| thread::current().id()) };
    // `join` waits like a thread's and hands back the closure's value.
    let first_thread = first.join().expect("the first coroutine panicked");
    println!("the first coroutine ran on OS thread {first_thread:?}");

    // `go!` is the same spawn with the `unsafe` block inside the macro: the
    // rules still apply, but nothing at the call site says so. That is why
    // upstream issue #109 argues it hides an unsafe operation.
    let start = Instant::now();
    let handles: Vec<_> = (0..1000u64)
        .map(|i| {
            may::go!(move || {
                let before = thread::current().id();
                // A voluntary pause: back to the scheduler, which runs other
                // coroutines first. This coroutine may resume on another worker.
                coroutine::yield_now();
                (i, before, thread::current().id())
            })
        })
        .collect();
    let spawned = start.elapsed();

    let mut threads: BTreeSet<String> = BTreeSet::new();
    let (mut moved, mut total) = (0, 0);
    for h in handles {
        let (i, before, after): (u64, ThreadId, ThreadId) = h.join().unwrap();
        threads.insert(format!("{before:?}"));
        threads.insert(format!("{after:?}"));
        moved += usize::from(before != after);
        total += i;
    }
    let took = start.elapsed();

    println!(
        "spawned 1000 coroutines in {spawned:.1?} ({:.2} µs each), all joined after {took:.1?}",
        spawned.as_secs_f64() * 1e6 / 1000.0
    );
    println!(
        "they ran on {} OS threads: {}",
        threads.len(),
        threads.into_iter().collect::<Vec<_>>().join(", ")
    );
    // A yielding coroutine goes back on its own worker's queue; it moves only
    // when the other worker, idle, steals it. So this count varies by run.
    println!("{moved} of 1000 resumed on a different OS thread after yield_now");
    // However they were scheduled, every coroutine ran once.
    assert_eq!(total, 999 * 1000 / 2);
}
