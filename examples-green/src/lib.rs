//! Green threads, measured: the scenarios `cargo xtask compare` runs for this
//! model, written with [may](https://docs.rs/may)'s stackful coroutines.
//!
//! | scenario | variants |
//! |---|---|
//! | `cpu`, `sleep`, `net`, `spawn`, `idle`, `pingpong` | `may` (W worker threads, M:N, pinning off), `may-1` (one worker, M:1 like gevent) |
//!
//! may's scheduler is global to the process and is configured once, before the
//! first coroutine is spawned ([`start`]): later calls to `may::config()` are
//! silently ignored. The contract binary runs one cell per process, so each
//! cell gets the worker count it asks for; tests that need another worker
//! count live in their own test binary (`tests/one_worker.rs`).
//!
//! `main.rs` is the contract binary (the measurement contract in ARCHITECTURE.md) around these functions.

use std::sync::OnceLock;
use std::time::Duration;

use workloads::contract::{Failure, RunArgs};
use workloads::record::{Catalogue, Record};

pub mod scenarios;

pub const MODEL: &str = "green";

/// Every scenario and variant this model implements.
pub fn catalogue() -> Catalogue {
    // `may` runs on W worker threads, `may-1` on one whatever `--workers` says.
    use workloads::record::VariantInfo as V;
    let variants = [V::with_workers("may"), V::fixed("may-1")];
    Catalogue::new(
        MODEL,
        &[
            ("cpu", &variants),
            ("sleep", &variants),
            ("net", &variants),
            ("spawn", &variants),
            ("idle", &variants),
            ("pingpong", &variants),
        ],
    )
}

/// The record's raw material and the timer every scenario uses.
pub use workloads::record::{timed, Outcome};

/// The worker count may was started with in this process.
static STARTED: OnceLock<usize> = OnceLock::new();

/// Configure may with `workers` worker threads, pinning off, and make its
/// first spawn. Returns the start-up time (zero if may was already started
/// by this function with the same worker count).
///
/// Pinning is off because pinned workers made spawn 2-3x slower on the
/// shared 2-vCPU machines this was measured on. The first
/// spawn builds the scheduler and a pool of 1000 stacks (~11 ms here): that
/// is start-up, so it is timed here and kept out of every scenario's work.
pub fn start(workers: usize) -> Result<Duration, Failure> {
    let mut startup = Duration::ZERO;
    let in_force = *STARTED.get_or_init(|| {
        let ((), took) = timed(|| {
            // Both calls must come before the first spawn, or may ignores them.
            may::config().set_workers(workers).set_worker_pin(false);
            // SAFETY: the coroutine does nothing: no thread-locals, no
            // blocking call, a few bytes of its 32 KiB stack.
            let first = unsafe { may::coroutine::spawn(|| ()) };
            first.join().expect("may's first coroutine ran");
        });
        startup = took;
        workers
    });
    if in_force != workers {
        return Err(Failure::Other(format!(
            "may was already started with {in_force} workers in this process; \
             its configuration is global, so {workers} needs a process of its own"
        )));
    }
    Ok(startup)
}

/// The worker threads a variant runs on: `may` uses W, `may-1` one (M:1).
pub fn workers_for(variant: &str, workers: usize) -> Result<usize, Failure> {
    match variant {
        "may" => Ok(workers),
        "may-1" => Ok(1),
        other => Err(Failure::Usage(format!(
            "no variant {other} in this model (valid: may, may-1)"
        ))),
    }
}

/// Run one cell (already validated against [`catalogue`]).
pub fn run(args: &RunArgs) -> Result<Record, Failure> {
    use scenarios::*;
    let n = args.n;
    let workers = workers_for(&args.variant, args.workers())?;
    let delay = Duration::from_millis(args.delay_ms);
    let startup = start(workers)?;
    // Limits after start-up, so the mappings of may's stack pool are counted.
    match args.scenario.as_str() {
        "sleep" | "idle" | "spawn" => check_coroutines(n, 0)?,
        "net" => check_coroutines(n, 1)?,
        _ => {}
    }
    let outcome = match args.scenario.as_str() {
        "cpu" => cpu::run(n)?,
        "sleep" => sleep::run(n, delay)?,
        "net" => {
            let server = args
                .server
                .ok_or_else(|| Failure::Usage("net needs --server ADDR".into()))?;
            net::run(n, args.rounds, delay, server)?
        }
        "spawn" => spawn::run(n)?,
        "idle" => idle::run(n)?,
        "pingpong" => pingpong::run(n)?,
        scenario => {
            return Err(Failure::Usage(format!(
                "no scenario {scenario} in this model"
            )))
        }
    };
    let outcome = Outcome {
        workers,
        startup,
        ..outcome
    };
    Ok(outcome.into_record(MODEL, args))
}
