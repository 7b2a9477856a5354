//! Async Rust on tokio, measured: the scenarios `cargo xtask compare` runs for
//! this model. Each module is one scenario written the way a Rust programmer
//! would write it with tokio; the variants are the runtime's two faces.
//!
//! | scenario | variants |
//! |---|---|
//! | `cpu` | `current-thread` (one OS thread: asyncio's picture), `multi-thread` (W workers, work stealing), `spawn-blocking` (W threads of the blocking pool) |
//! | `sleep`, `net`, `spawn`, `idle`, `pingpong` | `current-thread`, `multi-thread` |
//!
//! Every scenario builds its runtime first and reports that as `startup_ns`;
//! `elapsed_ns` covers only the work inside `block_on`. `main.rs` is the
//! contract binary (the measurement contract in ARCHITECTURE.md) around these functions.

use std::io;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};
use workloads::contract::{Failure, RunArgs};
use workloads::record::{Catalogue, LimitHit, Record};

pub mod scenarios;

pub const MODEL: &str = "async";

/// The two runtime flavours every scenario runs on.
pub const FLAVOURS: &[&str] = &["current-thread", "multi-thread"];

/// Every scenario and variant this model implements.
pub fn catalogue() -> Catalogue {
    // A current-thread runtime has one OS thread whatever `--workers` says;
    // a multi-thread runtime has W workers.
    use workloads::record::VariantInfo as V;
    let flavours = [V::fixed("current-thread"), V::with_workers("multi-thread")];
    Catalogue::new(
        MODEL,
        &[
            (
                "cpu",
                &[
                    V::fixed("current-thread"),
                    V::with_workers("multi-thread"),
                    V::with_workers("spawn-blocking"),
                ],
            ),
            ("sleep", &flavours),
            ("net", &flavours),
            ("spawn", &flavours),
            ("idle", &flavours),
            ("pingpong", &flavours),
        ],
    )
}

/// The record's raw material and the timer every scenario uses.
pub use workloads::record::{timed, Outcome};

/// Build the runtime a variant names, timed: that is the cell's start-up.
/// Returns the runtime and the number of OS threads that will run tasks.
///
/// `current-thread` runs every task on the thread that calls `block_on`, as
/// asyncio's event loop does; `multi-thread` starts `workers` threads that
/// steal tasks from each other's queues.
pub fn runtime(variant: &str, workers: usize) -> Result<(Runtime, usize, Duration), Failure> {
    let (built, startup) = timed(|| match variant {
        "current-thread" => Builder::new_current_thread().enable_all().build(),
        "multi-thread" => Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build(),
        other => Err(io::Error::other(format!("no runtime flavour {other}"))),
    });
    let rt = built.map_err(|e| Failure::Other(format!("building the runtime: {e}")))?;
    let threads = if variant == "current-thread" {
        1
    } else {
        workers
    };
    Ok((rt, threads, startup))
}

/// Name the OS limit behind an IO error, if one is: a run that runs out of
/// file descriptors or ephemeral ports says so instead of "os error 24".
pub fn limit_from_io(e: &io::Error) -> Option<LimitHit> {
    let (limit, what) = match e.raw_os_error()? {
        libc_errno::EMFILE => (
            "RLIMIT_NOFILE",
            "this process is out of file descriptors (ulimit -n)",
        ),
        libc_errno::ENFILE => ("fs.file-max", "the system is out of file descriptors"),
        libc_errno::EADDRNOTAVAIL => (
            "net.ipv4.ip_local_port_range",
            "no ephemeral port is free for another connection",
        ),
        _ => return None,
    };
    Some(LimitHit::new(limit, format!("{what}: {e}")))
}

/// Refuse, before starting, `n` connections to one server address that the
/// ephemeral port range cannot give (each needs its own local port).
pub fn check_ephemeral_ports(n: u64) -> Result<(), LimitHit> {
    let Some((low, high)) = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|text| {
            let mut it = text.split_whitespace().map(|w| w.parse::<u64>().ok());
            Some((it.next()??, it.next()??))
        })
    else {
        return Ok(()); // not Linux: the connect error names it if it binds
    };
    let ports = high.saturating_sub(low) + 1;
    // Keep a tenth for the rest of the machine (and for TIME_WAIT leftovers).
    if n > ports - ports / 10 {
        return Err(LimitHit::new(
            "net.ipv4.ip_local_port_range",
            format!("{n} connections to one address need {n} ephemeral ports; the range {low}-{high} has {ports}"),
        ));
    }
    Ok(())
}

/// Turn an IO error into the contract's failure: a named limit when one is
/// behind it, otherwise the error with `context`.
pub fn io_failure(context: &str, e: io::Error) -> Failure {
    match limit_from_io(&e) {
        Some(hit) => Failure::Limit(hit),
        None => Failure::Other(format!("{context}: {e}")),
    }
}

/// The errno values `limit_from_io` knows, without a libc dependency in the
/// binary (these are the same on Linux and macOS, except EADDRNOTAVAIL).
mod libc_errno {
    pub const EMFILE: i32 = 24;
    pub const ENFILE: i32 = 23;
    #[cfg(target_os = "linux")]
    pub const EADDRNOTAVAIL: i32 = 99;
    #[cfg(not(target_os = "linux"))]
    pub const EADDRNOTAVAIL: i32 = 49;
}

/// Run one cell (already validated against [`catalogue`]).
pub fn run(args: &RunArgs) -> Result<Record, Failure> {
    use scenarios::*;
    let (v, w, n) = (args.variant.as_str(), args.workers(), args.n);
    let delay = Duration::from_millis(args.delay_ms);
    let outcome = match args.scenario.as_str() {
        "cpu" => cpu::run(v, n, w)?,
        "sleep" => sleep::run(v, n, w, delay)?,
        "net" => {
            let server = args
                .server
                .ok_or_else(|| Failure::Usage("net needs --server ADDR".into()))?;
            net::run(v, n, w, args.rounds, delay, server)?
        }
        "spawn" => spawn::run(v, n, w)?,
        "idle" => idle::run(v, n, w)?,
        "pingpong" => pingpong::run(v, n, w)?,
        other => return Err(Failure::Usage(format!("no scenario {other} in this model"))),
    };
    Ok(outcome.into_record(MODEL, args))
}
