//! `sleep`: `n` processes each wait `delay` at once.
//!
//! A sleeping process costs no CPU, so the waits overlap; what the wall time
//! shows beyond one `delay` is the price of starting `n` processes one after
//! another from the parent (each fork + exec blocks the parent briefly).

use std::path::Path;
use std::time::Duration;

use workloads::contract::Failure;

use super::{join_all, spawn_all};
use crate::{timed, Outcome};

pub fn run(exe: &Path, variant: &str, n: u64, delay: Duration) -> Result<Outcome, Failure> {
    if variant != "per-task" {
        return Err(Failure::Usage(format!("sleep has no variant {variant}")));
    }
    let ms = delay.as_millis().to_string();
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let children = spawn_all(exe, n, &["sleep", &ms])?;
        // Every child has started and none is reaped: count the parent's own OS
        // threads now (the children are processes, counted as processes, not here;
        // inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        Ok((join_all(children)?, os_threads))
    });
    let (done, os_threads) = result?;
    Ok(Outcome {
        check: done,
        ops: n,
        workers: n as usize,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}
