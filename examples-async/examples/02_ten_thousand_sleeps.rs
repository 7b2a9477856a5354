//! One OS thread can wait on 10,000 timers at once: concurrency without threads.
//!
//! A `current_thread` runtime runs every task on the thread that calls
//! `block_on`. When a task awaits a timer it returns `Pending`, the runtime
//! parks its few hundred bytes of state in the timer wheel, and polls the next
//! ready task. Nothing runs in parallel, yet all 10,000 waits overlap: this is
//! the event loop of asyncio, and of JavaScript.
//!
//! Run:
//!
//!     cargo xtask run async 02
//!
//! Observe: one distinct thread id for 10,000 tasks, and the process still has
//! the threads it had before the runtime (see "Threads:" in /proc/self/status).
//! The total is about one sleep (~100 ms), where 10,000 sleeps in a row would
//! take over 16 minutes. Replace `tokio::time::sleep` with
//! `std::thread::sleep` and the tasks run one after another (lesson 07).
//!
//! Python: `asyncio.run(main())` with `asyncio.gather(*(asyncio.sleep(0.1) for _ in range(10_000)))`.

use std::collections::HashSet;
use std::thread;
use std::time::{Duration, Instant};

const TASKS: usize = 10_000;
const NAP: Duration = Duration::from_millis(100);

fn main() {
    let threads_before = os_threads();
    // Built by hand (what `#[tokio::main(flavor = "current_thread")]` expands
    // to), so it is plain that no other thread is started.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");

    let start = Instant::now();
    let ids = runtime.block_on(async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                tokio::spawn(async {
                    tokio::time::sleep(NAP).await;
                    // Which OS thread resumed this task after its sleep?
                    thread::current().id()
                })
            })
            .collect();
        // Join in spawn order; the sleeps have long since overlapped.
        let mut ids = Vec::with_capacity(TASKS);
        for t in tasks {
            ids.push(t.await.expect("a sleeper panicked"));
        }
        ids
    });
    let took = start.elapsed();

    let distinct: HashSet<_> = ids.iter().collect();
    println!("{TASKS} tasks each slept {NAP:?}: all done in {took:.0?}");
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
    println!(
        "one after another they would take {:.0?}",
        NAP * TASKS as u32
    );
    assert_eq!(distinct.len(), 1);
    assert!(distinct.contains(&thread::current().id()));
    assert!(took >= NAP);
}

/// The kernel's count of this process's threads (Linux only).
fn os_threads() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Threads:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn show(n: Option<u64>) -> String {
    n.map_or("n/a (not Linux)".into(), |n| n.to_string())
}
