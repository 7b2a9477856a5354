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
    let (joined, workers, startup, elapsed) = match variant {
        "per-task" => {
            let (joined, elapsed) = timed(|| spawn_all(exe, n, &["nothing"]).and_then(join_all));
            (joined?, n as usize, Duration::ZERO, elapsed)
        }
        "pool" => {
            let (pool, startup) = timed(|| Pool::start(exe, workers));
            let mut pool = pool?;
            let (replies, elapsed) =
                timed(|| pool.map((0..n).map(|_| Task::Nothing).collect(), 32));
            pool.shutdown();
            (replies?.len() as u64, workers, startup, elapsed)
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
        os_threads: None,
    })
}
