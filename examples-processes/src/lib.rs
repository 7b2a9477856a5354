//! Processes, measured: the scenarios `cargo xtask compare` runs for this
//! model, and the machinery the lessons use (worker roles, a pool over
//! ipc-channel). Each worker has its own memory, so there is no data race and
//! no GIL; every hand-off is a copy across a process boundary, and every
//! worker costs a process.
//!
//! | scenario | variants |
//! |---|---|
//! | `cpu` | `pool` (W workers over ipc-channel), `per-task` (a process per chunk, W at a time) |
//! | `spawn` | `pool` (a unit is a task sent to W workers), `per-task` (a process per unit) |
//! | `pingpong` | `pool` (one worker, ipc-channel), `pipe` (one child, raw stdin/stdout pipes) |
//! | `idle` | `per-task` (n parked processes; memory is their summed PSS) |
//! | `sleep` | `per-task` (a process per sleeper) |
//! | `net` | `per-task` (a process per client) |
//!
//! `main.rs` is the contract binary (the measurement contract in ARCHITECTURE.md) around these functions;
//! it also plays the child roles of [`roles`].

use std::path::Path;
use std::time::Duration;

use workloads::contract::{Failure, RunArgs};
use workloads::record::{Catalogue, Record};

pub mod os;
pub mod pool;
pub mod remote;
pub mod roles;
pub mod scenarios;
pub mod timeline;
pub mod worker;

pub const MODEL: &str = "processes";

/// Room for a child's events when traced: a pool worker may count every chunk.
pub(crate) const CHUNKS_TRACED: usize = 2 * workloads::cpu::CHUNKS;

/// Every scenario and variant this model implements.
pub fn catalogue() -> Catalogue {
    // `with_workers`: W worker processes (for `cpu` `per-task`, at most W
    // processes at a time); `fixed`: a process per unit, or a pair.
    use workloads::record::VariantInfo as V;
    Catalogue::new(
        MODEL,
        &[
            (
                "cpu",
                &[V::with_workers("pool"), V::with_workers("per-task")],
            ),
            ("sleep", &[V::fixed("per-task")]),
            ("net", &[V::fixed("per-task")]),
            ("spawn", &[V::with_workers("pool"), V::fixed("per-task")]),
            ("idle", &[V::fixed("per-task")]),
            ("pingpong", &[V::fixed("pool"), V::fixed("pipe")]),
        ],
    )
}

/// The record's raw material and the timer every scenario uses.
pub use workloads::record::{timed, Outcome};

/// Run one cell (already validated against [`catalogue`]); `exe` is the
/// binary to start children from (the contract binary itself).
pub fn run(args: &RunArgs, exe: &Path) -> Result<Record, Failure> {
    use scenarios::*;
    let (w, n) = (args.workers(), args.n);
    let delay = Duration::from_millis(args.delay_ms);
    if let Some(file) = &args.trace {
        timeline::parent_start(file)?;
    }
    let outcome = match (args.scenario.as_str(), args.variant.as_str()) {
        ("cpu", variant) => cpu::run(exe, variant, n, w)?,
        ("sleep", variant) => sleep::run(exe, variant, n, delay)?,
        ("net", variant) => {
            let server = args
                .server
                .ok_or_else(|| Failure::Usage("net needs --server ADDR".into()))?;
            net::run(exe, variant, n, args.rounds, delay, server)?
        }
        ("spawn", variant) => spawn::run(exe, variant, n, w)?,
        ("idle", variant) => idle::run(exe, variant, n)?,
        ("pingpong", variant) => pingpong::run(exe, variant, n)?,
        (scenario, variant) => {
            return Err(Failure::Usage(format!(
                "no {scenario}/{variant} in this model"
            )))
        }
    };
    // Every child has been reaped: their events are on disk.
    timeline::parent_merge()?;
    Ok(outcome.into_record(MODEL, args))
}
