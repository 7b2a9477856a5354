//! One module per scenario of the measurement contract.

pub mod cpu;
pub mod idle;
pub mod net;
pub mod pingpong;
pub mod sleep;
pub mod spawn;

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use workloads::contract::Failure;

/// Run `work` on `rt` and time it from inside the runtime, so the clock starts
/// when the first task could run, not while the runtime was being built.
pub(crate) fn block_on_timed<F: Future>(rt: &Runtime, work: F) -> (F::Output, Duration) {
    rt.block_on(async {
        let start = Instant::now();
        let value = work.await;
        (value, start.elapsed())
    })
}

/// A task that panicked becomes a failure of the run, not a second panic.
pub(crate) fn joined<T>(r: Result<T, tokio::task::JoinError>) -> Result<T, Failure> {
    r.map_err(|e| Failure::Other(format!("a task failed: {e}")))
}
