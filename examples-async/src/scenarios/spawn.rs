//! `spawn`: start `n` tasks that do nothing, all at once from the main task,
//! then join them all. What is measured is the cost of a unit of concurrency.
//!
//! A tokio task is one heap allocation holding the future and its header; it
//! needs no stack and no kernel object, so spawn + join costs well under a
//! microsecond, against tens of microseconds for an OS thread. On
//! `multi-thread` the idle workers are woken to steal the new tasks, which
//! costs more per task than running them all on one thread.

use workloads::contract::Failure;

use super::{block_on_timed, joined};
use crate::{runtime, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (rt, threads, startup) = runtime(variant, workers)?;
    let (result, elapsed) = block_on_timed(&rt, async move {
        let handles: Vec<_> = (0..n).map(|_| tokio::spawn(async {})).collect();
        // Every task is spawned and none is awaited: count the OS threads now
        // (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut done = 0;
        for h in handles {
            joined(h.await)?;
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
    fn every_task_is_joined() {
        for v in crate::FLAVOURS {
            let out = run(v, 5000, 2).unwrap();
            assert_eq!((out.check, out.ops), (5000, 5000), "{v}");
        }
    }
}
