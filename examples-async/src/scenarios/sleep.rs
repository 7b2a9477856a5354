//! `sleep`: `n` tasks each wait `delay` at once.
//!
//! A sleeping task is a small state machine parked in the runtime's timer
//! wheel: no stack, no OS thread. 100,000 of them wait on one thread
//! (`current-thread`) as easily as on W, and finish in about one `delay` plus
//! the time to spawn them. This is the case async was made for, and the case
//! asyncio handles well too.
//!
//! On a timeline (`--trace`) each task's sleep is a `wait` event, on the OS
//! thread that resumed it: on `current-thread` every wait shares one row.

use std::time::Duration;

use workloads::contract::Failure;
use workloads::trace;

use super::{block_on_timed, joined};
use crate::{runtime, Outcome};

pub fn run(variant: &str, n: u64, workers: usize, delay: Duration) -> Result<Outcome, Failure> {
    let (rt, threads, startup) = runtime(variant, workers)?;
    let (result, elapsed) = block_on_timed(&rt, async move {
        // Spawn every sleeper before awaiting any, so all n wait at once.
        let sleepers: Vec<_> = (0..n)
            .map(|i| {
                tokio::spawn(async move {
                    let mut log = trace::log(1);
                    let t0 = log.clock();
                    tokio::time::sleep(delay).await;
                    log.wait(i, t0);
                })
            })
            .collect();
        // Every task is spawned and none is awaited: count the OS threads now
        // (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut done = 0;
        for s in sleepers {
            joined(s.await)?;
            done += 1;
        }
        Ok::<_, Failure>((done, os_threads))
    });
    let (done, os_threads) = result?;
    Ok(Outcome {
        check: done,
        ops: n,
        workers: threads,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sleeper_finishes() {
        for v in crate::FLAVOURS {
            let out = run(v, 2000, 2, Duration::from_millis(5)).unwrap();
            assert_eq!((out.check, out.ops), (2000, 2000), "{v}");
            // Never early: each task slept at least the delay.
            assert!(out.elapsed >= Duration::from_millis(5));
        }
    }
}
