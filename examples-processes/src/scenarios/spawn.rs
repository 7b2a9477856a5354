//! `spawn`: start `n` units that do nothing, then join them all.
//!
//! `per-task` starts a process per unit (fork + exec of this binary, which
//! exits at once), all of them first, then waits for each: the honest price of
//! a process. `pool` reuses W workers, so a unit is a `Task::Nothing` sent
//! over ipc-channel and its `Done` reply: a hand-off, not a process.

use std::path::Path;
use std::time::Duration;

use workloads::contract::Failure;

use super::{join_all, spawn_all};
use crate::pool::Pool;
use crate::worker::Task;
use crate::{timed, Outcome};

pub fn run(exe: &Path, variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (joined, workers, startup, elapsed, os_threads) = match variant {
        "per-task" => {
            let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
                let children = spawn_all(exe, n, &["nothing"])?;
                // Every child has started and none is reaped: count the parent's own OS
                // threads now (the children are processes, counted as processes, not here;
                // inside the timed region: one read of /proc/self/status, ~25 µs).
                let os_threads = workloads::sys::os_threads();
                Ok((join_all(children)?, os_threads))
            });
            let (joined, os_threads) = result?;
            (joined, n as usize, Duration::ZERO, elapsed, os_threads)
        }
        "pool" => {
            let (pool, startup) = timed(|| Pool::start(exe, workers));
            let mut pool = pool?;
            // The W workers are running; the parent deals every task from
            // this one thread, so its thread count cannot change during
            // `map`: count its own OS threads here, outside the timed region
            // (the workers are processes, counted as processes, not here).
            let os_threads = workloads::sys::os_threads();
            let (replies, elapsed) =
                timed(|| pool.map((0..n).map(|_| Task::Nothing).collect(), 32));
            pool.shutdown();
            (replies?.len() as u64, workers, startup, elapsed, os_threads)
        }
        other => return Err(Failure::Usage(format!("spawn has no variant {other}"))),
    };
    Ok(Outcome {
        check: joined,
        ops: n,
        workers,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}
