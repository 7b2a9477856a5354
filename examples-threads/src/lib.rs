//! OS threads, measured: the scenarios `cargo xtask compare` runs for this
//! model. Each module is one scenario written the way a Rust programmer would
//! write it with threads; the variants are the model's different faces.
//!
//! | scenario | variants |
//! |---|---|
//! | `cpu` | `serial` (the baseline of every model), `spawn`, `scoped`, `rayon`, `pool`, `gil` |
//! | `sleep` | `serial` (one unit after another), `spawn` (a thread per unit: the baseline), `scoped`, `gil` |
//! | `net` | `serial` (one client after another), `spawn` (a thread per client: the baseline) |
//! | `spawn` | `spawn` (the baseline), `scoped`, `rayon`, `pool` |
//! | `idle` | `spawn` (the baseline) |
//! | `pingpong` | `spawn` (std channels: the baseline), `crossbeam` (a zero-capacity channel) |
//!
//! `main.rs` is the contract binary (the measurement contract in ARCHITECTURE.md) around these functions.

use std::time::Duration;

use workloads::contract::{Failure, RunArgs};
use workloads::record::{Catalogue, Record};

pub mod scenarios;

pub const MODEL: &str = "threads";

/// Every scenario and variant this model implements.
pub fn catalogue() -> Catalogue {
    // `fixed`: the variant ignores `--workers` (one thread, or a thread per
    // unit); `with_workers`: its work is spread over W threads.
    use workloads::record::VariantInfo as V;
    Catalogue::new(
        MODEL,
        &[
            (
                "cpu",
                &[
                    V::fixed("serial"),
                    V::with_workers("spawn"),
                    V::with_workers("scoped"),
                    V::with_workers("rayon"),
                    V::with_workers("pool"),
                    V::with_workers("gil"),
                ],
            ),
            (
                "sleep",
                &[
                    V::fixed("serial"),
                    V::fixed("spawn"),
                    V::fixed("scoped"),
                    V::fixed("gil"),
                ],
            ),
            ("net", &[V::fixed("serial"), V::fixed("spawn")]),
            (
                "spawn",
                &[
                    V::fixed("spawn"),
                    V::fixed("scoped"),
                    V::with_workers("rayon"),
                    V::with_workers("pool"),
                ],
            ),
            ("idle", &[V::fixed("spawn")]),
            ("pingpong", &[V::fixed("spawn"), V::fixed("crossbeam")]),
        ],
    )
}

/// The record's raw material and the timer every scenario uses.
pub use workloads::record::{timed, Outcome};

/// Run one cell (already validated against [`catalogue`]).
pub fn run(args: &RunArgs) -> Result<Record, Failure> {
    use scenarios::*;
    let (w, n) = (args.workers(), args.n);
    let delay = Duration::from_millis(args.delay_ms);
    let outcome = match (args.scenario.as_str(), args.variant.as_str()) {
        ("cpu", variant) => cpu::run(variant, n, w)?,
        ("sleep", variant) => sleep::run(variant, n, delay)?,
        ("net", variant) => {
            let server = args
                .server
                .ok_or_else(|| Failure::Usage("net needs --server ADDR".into()))?;
            net::run(variant, n, w, args.rounds, delay, server)?
        }
        ("spawn", variant) => spawn::run(variant, n, w)?,
        ("idle", variant) => idle::run(variant, n)?,
        ("pingpong", variant) => pingpong::run(variant, n)?,
        (scenario, variant) => {
            return Err(Failure::Usage(format!(
                "no {scenario}/{variant} in this model"
            )))
        }
    };
    Ok(outcome.into_record(MODEL, args))
}
