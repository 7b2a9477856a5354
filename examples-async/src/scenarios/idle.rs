//! `idle`: keep `n` tasks alive and parked, measure what they cost in memory,
//! then release them.
//!
//! A parked task is its future's state (here a `watch::Receiver`, 16 bytes,
//! plus the `changed()` future) in one heap allocation with the task header:
//! a few hundred bytes, all of it visible in `VmRSS`, and nothing in the
//! kernel. Compare a parked OS thread: ~10 KiB of touched stack plus ~20 KiB
//! of kernel stack and page tables. xtask runs this at two `n` and reports
//! the slope per unit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::{watch, Notify};
use workloads::contract::Failure;
use workloads::sys::MemorySnapshot;

use super::{block_on_timed, joined};
use crate::{runtime, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    // Build the runtime (and, for multi-thread, its worker threads) before the
    // first reading, so the slope is the tasks' alone.
    let (rt, threads, startup) = runtime(variant, workers)?;
    let (result, elapsed) = block_on_timed(&rt, async move {
        let before = MemorySnapshot::now();
        // `watch`: one value many tasks can wait on; a receiver created before
        // the send always sees it, so no task can miss the release.
        let (release, parked) = watch::channel(());
        // `Notify` stores a permit if nobody waits yet: the last task to start
        // may notify before `main` awaits, and the wake-up is not lost.
        let all_started = Arc::new(Notify::new());
        let started = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let mut parked = parked.clone();
                let (started, all_started) = (Arc::clone(&started), Arc::clone(&all_started));
                tokio::spawn(async move {
                    if started.fetch_add(1, Ordering::Relaxed) + 1 == n {
                        all_started.notify_one();
                    }
                    // Park until released: no thread is held while waiting.
                    let _ = parked.changed().await;
                })
            })
            .collect();
        all_started.notified().await;
        let memory = before.to_now();
        // Every task is parked and none is awaited: count the OS threads now,
        // after the memory reading so it stays out of the slope (inside the
        // timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        release
            .send(())
            .map_err(|_| Failure::Other("every parked task is gone".into()))?;
        let mut released = 0;
        for t in tasks {
            joined(t.await)?;
            released += 1;
        }
        Ok::<_, Failure>((released, memory, os_threads))
    });
    let (released, memory, os_threads) = result?;
    Ok(Outcome {
        check: released,
        ops: n,
        workers: threads,
        startup,
        elapsed,
        memory: Some(memory),
        os_threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parks_and_releases_every_task() {
        for v in crate::FLAVOURS {
            let out = run(v, 20_000, 2).unwrap();
            assert_eq!(out.check, 20_000, "{v}");
            // Only that memory was read: in this shared test process freed
            // heap from other tests is reused, so the growth is checked in a
            // fresh process (tests/contract.rs).
            let m = out.memory.unwrap();
            #[cfg(target_os = "linux")]
            assert!(m.rss_before_kib.is_some() && m.rss_after_kib.is_some());
            #[cfg(not(target_os = "linux"))]
            assert_eq!(m.rss_after_kib, None);
        }
    }
}
