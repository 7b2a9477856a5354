//! One OS thread can wait on 10,000 timers at once: concurrency without threads.
//!
//! A `current_thread` runtime runs every task on the thread that calls
//! `block_on`. When a task awaits a timer it returns `Pending`, the runtime
//! keeps its state (one small heap allocation, no stack) in the timer wheel,
//! and polls the next ready task. Nothing runs in parallel, yet all 10,000
//! waits overlap: this is the event loop of asyncio, and of JavaScript.
//!
//! Run:
//!
//!     cargo xtask run async 02_ten_thousand_sleeps
//!
//! Observe: one distinct thread id for 10,000 tasks, and the process still has
//! the threads it had before the runtime (see "Threads:" in /proc/self/status).
//! The total is about one sleep (~100 ms); the lesson also prints what 10,000
//! sleeps in a row would take.
//!
//! Break: `cargo xtask run async 02_ten_thousand_sleeps -- --break` makes 10
//! tasks sleep with `std::thread::sleep` instead. That call never returns
//! `Pending`, so the one thread is stuck in each task in turn: the 10 sleeps
//! run one after another (~1 s), and the lesson says so. With 10,000 tasks it
//! would take the 1000 s printed above, which is why `--break` uses 10.
//!
//! Python: `asyncio.run(main())` with `asyncio.gather(*(asyncio.sleep(0.1) for _ in range(10_000)))`.
//!
//! Compare: examples-green/examples/02_stackful_blocking.rs (the same
//! overlapping waits, written as plain blocking calls in coroutines),
//! examples-threads/examples/14_io_threads.rs (a thread per wait).

use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

const NAP: Duration = Duration::from_millis(100);

fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    // A bounded count for the broken run: its cost grows with every task.
    let tasks = if broken { 10 } else { 10_000 };
    // Read before the runtime exists, so "now" can show it added no thread.
    let threads_before = os_threads();
    // Built by hand (what `#[tokio::main(flavor = "current_thread")]` expands
    // to), so it is plain that no other thread is started.
    // `enable_time`: the timer driver is opt-in when building by hand, and
    // `tokio::time::sleep` panics on a runtime without it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");

    let start = Instant::now();
    let ids = runtime.block_on(async {
        // Spawn all first, await later: awaiting inside this loop would run
        // the sleeps one at a time, the very thing the lesson avoids.
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                tokio::spawn(async move {
                    if broken {
                        // Blocks the OS thread: no `.await`, no switch.
                        thread::sleep(NAP);
                    } else {
                        // Registers a timer and returns `Pending`: the
                        // runtime polls the next task at once.
                        tokio::time::sleep(NAP).await;
                    }
                    // Which OS thread resumed this task after its sleep?
                    thread::current().id()
                })
            })
            .collect();
        // Join in spawn order; the sleeps have long since overlapped, so
        // the order of joining costs nothing.
        let mut ids = Vec::with_capacity(tasks);
        for t in handles {
            ids.push(t.await.expect("a sleeper panicked"));
        }
        ids
    });
    // Wall time for all of them: one nap if they overlapped, `tasks` naps if not.
    let took = start.elapsed();

    // A set of thread ids: its size is the number of OS threads that ever
    // ran a task, whatever the order they finished in.
    let distinct: HashSet<_> = ids.iter().collect();
    println!("{tasks} tasks each slept {NAP:?}: all done in {took:.0?}");
    println!(
        "they ran on {} distinct OS thread(s), main is {:?}",
        distinct.len(),
        thread::current().id()
    );
    println!(
        "OS threads in this process: {} before the runtime, {} now",
        show(threads_before),
        show(os_threads())
    );
    // The serial cost, computed rather than waited for.
    let serial = NAP * tasks as u32;
    println!("one after another they would take {serial:.0?}");
    // The lesson checks itself: one thread, and that thread is main's.
    assert_eq!(distinct.len(), 1);
    assert!(distinct.contains(&thread::current().id()));
    if broken {
        // The detection: the total is the sum of the sleeps, not one sleep.
        println!("--break: std::thread::sleep held the only thread, so the {tasks} sleeps did not overlap");
        assert!(took >= serial);
    } else {
        assert!(took >= NAP && took < serial / 10);
    }
}

/// The kernel's count of this process's threads (Linux only).
fn os_threads() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Threads:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `/proc` exists only on Linux: say so rather than print a wrong 0.
fn show(n: Option<u64>) -> String {
    n.map_or("n/a (not Linux)".into(), |n| n.to_string())
}
