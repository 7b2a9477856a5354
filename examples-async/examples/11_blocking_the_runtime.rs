//! A task that blocks its thread stalls every other task on that thread; `spawn_blocking` or rayon move the work off it.
//!
//! The runtime can switch tasks only at an `.await`. `std::thread::sleep`, a
//! blocking read, or a long computation never reach one, so the thread stays
//! inside one task and the rest, timers included, wait. A heartbeat task that
//! should tick every 10 ms makes the stall visible: count its ticks while
//! each kind of job runs for 200 ms. `spawn_blocking` runs a closure on
//! tokio's blocking pool; rayon on its own pool; either way the async
//! thread stays free and the job's result comes back as a future.
//!
//! Run:
//!
//!     cargo xtask run async 11_blocking_the_runtime
//!
//! Observe: ~20 ticks while the job awaits `tokio::time::sleep`, 0 or 1 while
//! a task calls `std::thread::sleep` or computes primes, ~20 again with the
//! same computation in `spawn_blocking` or on rayon. Give the runtime a second
//! worker (`new_multi_thread`) and the blocked case ticks again, until as
//! many tasks block as there are workers.
//!
//! Python: the same trap in asyncio (`time.sleep` inside a coroutine); the fix
//! there is `await loop.run_in_executor(None, work)` or `asyncio.to_thread`.
//!
//! Compare: examples-green/examples/05_std_blocking_trap.rs (the same trap
//! with may's coroutines).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::time::{interval, MissedTickBehavior};
use workloads::cpu::count_primes_in;

const JOB: Duration = Duration::from_millis(200);
const BEAT: Duration = Duration::from_millis(10);

/// CPU-bound work for `JOB`, however fast this build is: count primes in
/// slices until the time is up.
/// Time-boxed rather than a fixed size, so the stall is the same 200 ms in
/// debug and release builds and on fast and slow machines.
fn compute() -> u64 {
    let (start, mut found, mut from) = (Instant::now(), 0, 0);
    while start.elapsed() < JOB {
        found += count_primes_in(from..from + 1000);
        from += 1000;
    }
    found
}

fn main() {
    // One thread for every task, as in asyncio. `enable_all`: timers for the
    // heartbeat; the blocking pool needs no flag, it starts on first use.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // The heartbeat's tick count, read by main between jobs. An atomic
        // in an `Arc`: the spawned task must own its handle (`'static`).
        let ticks = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&ticks);
        tokio::spawn(async move {
            let mut beat = interval(BEAT);
            // Skip: a late beat is not made up for later, so a stall shows
            // as missing ticks instead of a burst of catch-up ticks.
            beat.set_missed_tick_behavior(MissedTickBehavior::Skip);
            loop {
                beat.tick().await;
                counter.fetch_add(1, Ordering::Relaxed);
            }
        });
        // Let the heartbeat start: its first tick fires at once, and counting
        // should begin with it already running.
        tokio::time::sleep(BEAT * 2).await;

        // 200 ms / 10 ms: the beats a healthy runtime fits into one job.
        let expected = JOB.as_millis() / BEAT.as_millis();
        // The five ways to spend 200 ms, run one after another under the
        // same heartbeat, so their tick counts compare directly.
        let mut seen = Vec::new();
        for how in [
            "tokio sleep",
            "std sleep",
            "compute",
            "spawn_blocking",
            "rayon",
        ] {
            // Each job is spawned and awaited, so main waits in `.await`
            // (yielding) and only the job itself can block the thread.
            let before = ticks.load(Ordering::Relaxed);
            let _primes = match how {
                // Awaits a timer: yields the thread. The healthy case.
                "tokio sleep" => {
                    tokio::spawn(async {
                        tokio::time::sleep(JOB).await;
                        0
                    })
                    .await
                }
                // Blocks the thread inside a task: nothing else runs.
                "std sleep" => {
                    tokio::spawn(async {
                        std::thread::sleep(JOB);
                        0
                    })
                    .await
                }
                // CPU work is blocking too: no `.await` for 200 ms.
                "compute" => tokio::spawn(async { compute() }).await,
                // The fixes: the work runs on another thread, we await it.
                "spawn_blocking" => tokio::task::spawn_blocking(compute).await,
                // rayon knows nothing of tokio: a oneshot carries the result
                // back, and awaiting it yields like any other future.
                _ => {
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    rayon::spawn(move || {
                        let _ = tx.send(compute());
                    });
                    Ok(rx.await.expect("rayon job panicked"))
                }
            };
            // The ticks that fit into this job: the measure of a stall.
            let got = ticks.load(Ordering::Relaxed) - before;
            println!("{how:>15}: {got:>2} of ~{expected} heartbeats in {JOB:?}");
            // Kept in run order: the asserts below index into it.
            seen.push(got);
        }
        // A stalled runtime misses (nearly) all its beats; a healthy one most.
        // Wide margins: a busy machine may delay some beats.
        let (healthy, blocked) = ([seen[0], seen[3], seen[4]], [seen[1], seen[2]]);
        assert!(blocked.iter().all(|&t| t <= 2), "blocked: {blocked:?}");
        assert!(healthy.iter().all(|&t| t >= 5), "healthy: {healthy:?}");
    });
}
