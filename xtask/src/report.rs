//! The comparison report's data model (what `report.json` holds, see
//! ARCHITECTURE.md), and reading and writing it. The terminal table and
//! `report.md` are in `render`.
//!
//! Every figure in a report was measured in the run that wrote it. Fields are
//! named for what they hold, and a missing reading is `null`, never zero.
//! Fields added after a schema version load with their defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use workloads::record::Memory;

use crate::{Error, Result};

/// Bump when a field changes meaning or disappears (adding one does not).
/// 2: cells are identified by a key of *requested* params (`workers: null`
/// for a variant that takes none), carry `samples`, `os_threads` and
/// `reported_workers`; the environment has `effective_cores`.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    /// When the run started (RFC 3339, UTC).
    pub created: String,
    /// `quick`, `default` or `full`.
    pub size: String,
    /// The command line that produced this report, rebuilt from its parsed
    /// arguments (so `cargo xtask test`'s quick run says `--quick`).
    pub invocation: String,
    /// The run was interrupted (Ctrl-C): only what was measured before is here.
    #[serde(default)]
    pub partial: bool,
    pub environment: Environment,
    pub warnings: Vec<String>,
    pub cells: Vec<Cell>,
    /// The tutorials' claims judged by this run's cells (`engine::verdicts`).
    #[serde(default)]
    pub claims: Vec<Judged>,
    /// With `--against`: the earlier report each cell's `change` is against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<Against>,
}

/// One tutorial claim, the figures of this run it rests on, and the verdict
/// a rule in code derived from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judged {
    /// The row of the claims table: `1` ... `13b` (Python rows: `6P` ...).
    pub id: String,
    /// The claim in the tutorials' own words.
    pub claim: String,
    pub verdict: Verdict,
    /// Why: a sentence built from the figures ("a thread started 14x faster
    /// and held 8x less memory than a process"), never stored text.
    pub reason: String,
    /// The figures it rests on, the main one first.
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Holds,
    HoldsWithCaveat,
    DoesNotHold,
    Inconclusive,
    /// The variants compared differ by construction: figures, no verdict.
    Illustration,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds here",
            Verdict::HoldsWithCaveat => "holds with a caveat",
            Verdict::DoesNotHold => "does not hold here",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Illustration => "illustration",
        }
    }
}

/// One figure a verdict reads: a ratio of two cells, a per-unit figure...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What it is, e.g. "spawn per unit, process / thread".
    pub label: String,
    /// `None` when a cell it needs is missing or did not run.
    pub value: Option<f64>,
    /// `x` for a ratio, `µs`, `KiB`, `cores`...
    pub unit: String,
    /// Its noise in the same unit (the larger spread of its cells), if known.
    pub noise: Option<f64>,
    /// The cells it is computed from.
    pub cells: Vec<CellKey>,
}

/// The earlier report of `--against`, and what to know about the pairing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Against {
    pub path: String,
    /// When the earlier run started.
    pub created: String,
    /// Machines that differ (cores, CPU), how many cells were paired.
    pub notes: Vec<String>,
}

/// A cell's change since the earlier report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The earlier figure: median ns, or KiB per unit for `idle`.
    pub before: f64,
    /// Before / now: above 1 is faster (or lighter) now.
    pub ratio: f64,
    /// Whether the change is inside the larger spread of the two cells
    /// (`None` when a spread is unknown).
    pub inside_noise: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Environment {
    pub os: String,
    pub arch: String,
    /// Cores this process may use.
    pub cores: usize,
    /// Cores the machine really gave, measured as throughput at the start and
    /// the end of the run (`workloads::sys::effective_cores`).
    #[serde(default)]
    pub effective_cores: EffectiveCores,
    pub cpu_model: Option<String>,
    pub kernel: Option<String>,
    pub rustc: Option<String>,
    pub git_commit: Option<String>,
    /// 1-minute load average when the run started.
    pub load_average: Option<f64>,
    pub limits: Limits,
    /// The Python interpreters of this run's Python groups (found, or left
    /// out with the reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interpreters: Vec<Interpreter>,
}

/// A Python interpreter as discovered: what it is, or why it cannot run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interpreter {
    /// The model group's name: `python3.11`, `python3.13t`.
    pub name: String,
    /// Where it was found (PATH, `PYTHON`).
    pub path: String,
    /// `sys.executable`: what the group runs.
    pub executable: Option<String>,
    /// `3.11.7`.
    pub version: Option<String>,
    /// `cpython`.
    pub implementation: Option<String>,
    /// The GIL is on (`sys._is_gil_enabled()` from 3.13; always before).
    pub gil: Option<bool>,
    /// Built with `--disable-gil` (PEP 703).
    pub free_threaded: Option<bool>,
    /// Why it cannot run here; `None` for one that runs.
    pub absent: Option<String>,
}

impl Interpreter {
    /// "python3.11 (CPython 3.11.7, with the GIL)".
    pub fn describe(&self) -> String {
        let gil = match self.gil {
            Some(true) => ", with the GIL",
            Some(false) => ", free-threaded, no GIL",
            None => "",
        };
        format!(
            "{} ({} {}{gil})",
            self.name,
            match self.implementation.as_deref() {
                Some("cpython") | None => "CPython",
                Some(other) => other,
            },
            self.version.as_deref().unwrap_or("?")
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EffectiveCores {
    pub start: Option<f64>,
    pub end: Option<f64>,
}

impl EffectiveCores {
    /// The smaller of the two readings: what a parallel cell could count on.
    pub fn low(&self) -> Option<f64> {
        self.start.into_iter().chain(self.end).reduce(f64::min)
    }

    /// The larger of the two readings.
    pub fn high(&self) -> Option<f64> {
        self.start.into_iter().chain(self.end).reduce(f64::max)
    }
}

/// The OS limits that can bind a scenario's unit count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Limits {
    /// `ulimit -n` after xtask raised the soft limit to the hard one.
    pub nofile_soft: u64,
    pub nofile_hard: u64,
    pub nproc_soft: u64,
    pub max_map_count: Option<u64>,
    pub threads_max: Option<u64>,
    pub pid_max: Option<u64>,
    /// `MemAvailable` at the start, KiB: a point whose units would need more
    /// than half of it is refused as a `memory` limit.
    #[serde(default)]
    pub mem_available_kib: Option<u64>,
}

/// What identifies a cell: the model (group), scenario, variant and the
/// parameters that were *asked for*. What the binary reported is kept apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CellKey {
    pub model: String,
    pub scenario: String,
    pub variant: String,
    pub params: KeyParams,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KeyParams {
    /// `--workers` as requested; `null` for a variant that takes none.
    pub workers: Option<u64>,
    /// The unit count, or for `idle` the list of counts its slope is from.
    pub n: Points,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u64>,
}

/// One n, or several (`idle`: one run per n, one slope over them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Points {
    One(u64),
    Many(Vec<u64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Ok,
    Failed,
    Timeout,
    Limit,
    NotImplemented,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
            Status::Limit => "limit",
            Status::NotImplemented => "not-implemented",
        }
    }
}

/// Memory per unit: the slope between two unit counts, KiB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemPerUnit {
    pub rss: Option<f64>,
    pub kernel: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss: Option<f64>,
}

/// Every repeat's reading at one n: what verdicts, plots and diffs use to
/// say how sure they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointSamples {
    pub n: u64,
    /// Each measured repeat's `elapsed_ns`, in the order they ran.
    pub elapsed_ns: Vec<u64>,
    /// `idle`: each repeat's memory before and after parking the units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub memory: Vec<Memory>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cell {
    #[serde(flatten)]
    pub key: CellKey,
    /// The worker count the binary reported (1 for `serial`, n for a thread
    /// per unit): what ran, not what was asked.
    #[serde(default)]
    pub reported_workers: Option<u64>,
    /// The process's OS threads right after the last unit started (median
    /// repeat), counted by the binary: "one OS thread" measured, not configured.
    #[serde(default)]
    pub os_threads: Option<u64>,
    pub status: Status,
    pub reason: Option<String>,
    /// Median wall time of the work (`elapsed_ns`) over the repeats.
    pub median_ns: Option<u64>,
    /// Median absolute deviation / median.
    pub spread: Option<f64>,
    /// `spread > 0.10`: read this cell's figures with care.
    pub flagged: bool,
    /// Measured repeats (warm-up excluded).
    pub repeats: u32,
    /// Each repeat's reading, per n.
    #[serde(default)]
    pub samples: Vec<PointSamples>,
    /// `median_ns / n` for `spawn` and `pingpong`.
    pub ns_per_unit: Option<f64>,
    /// `median_ns / delay` for `sleep`: 1.0 means all units waited at once.
    pub wall_over_delay: Option<f64>,
    /// `idle`: memory per parked unit, stored as measured (it can be a small
    /// negative number inside its noise).
    pub mem_per_unit_kib: Option<MemPerUnit>,
    /// `idle`: the noise of that slope, the median absolute deviation of the
    /// per-repeat slopes (null with fewer than 3 repeats).
    #[serde(default)]
    pub mem_noise_kib: Option<MemPerUnit>,
    /// Baseline median / this median (idle: baseline RSS slope / this one);
    /// above 1 is faster (or lighter) than the baseline.
    pub ratio: Option<f64>,
    /// `model/variant` of the baseline this ratio is against.
    pub baseline: Option<String>,
    /// The answer the cell gave, and what it had to be.
    pub check: Option<u64>,
    pub expected_check: Option<u64>,
    /// User + system CPU of the median repeat, seconds.
    pub cpu_s: Option<f64>,
    /// Largest peak RSS over the repeats, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Median start-up time kept out of `median_ns`.
    pub startup_ns: Option<u64>,
    /// The exact command that reproduces this cell (one per n for `idle`).
    pub command: Vec<String>,
    /// With `--against`: the change since the earlier report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

impl Cell {
    /// A cell with its key and status, and no figures yet.
    pub fn new(key: CellKey, status: Status) -> Cell {
        Cell {
            key,
            reported_workers: None,
            os_threads: None,
            status,
            reason: None,
            median_ns: None,
            spread: None,
            flagged: false,
            repeats: 0,
            samples: Vec::new(),
            ns_per_unit: None,
            wall_over_delay: None,
            mem_per_unit_kib: None,
            mem_noise_kib: None,
            ratio: None,
            baseline: None,
            check: None,
            expected_check: None,
            cpu_s: None,
            peak_rss_kib: None,
            startup_ns: None,
            command: Vec::new(),
            change: None,
        }
    }

    /// A cell that cannot run here: shown, so the gap is visible.
    pub fn not_implemented(key: CellKey, reason: String) -> Cell {
        let mut cell = Cell::new(key, Status::NotImplemented);
        cell.reason = Some(reason);
        cell
    }

    pub fn model(&self) -> &str {
        &self.key.model
    }
    pub fn scenario(&self) -> &str {
        &self.key.scenario
    }
    pub fn variant(&self) -> &str {
        &self.key.variant
    }
}

/// Load a `report.json` written by this schema version; another version is
/// refused with a message saying what to do, never misread.
pub fn read(path: &Path) -> Result<Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::failed(format!("{}: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::failed(format!("{}: not JSON: {e}", path.display())))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == SCHEMA_VERSION as u64 => serde_json::from_value(value)
            .map_err(|e| Error::failed(format!("{}: not a report: {e}", path.display()))),
        Some(v) => Err(Error::failed(format!(
            "{} has schema_version {v}; this xtask reads version {SCHEMA_VERSION}. Run `cargo xtask compare` again to write a new one",
            path.display()
        ))),
        None => Err(Error::failed(format!(
            "{} has no schema_version: not a report of `cargo xtask compare`",
            path.display()
        ))),
    }
}

/// Write `report.json`, `report.md`, the plots and `report.html` once, to a
/// timestamped folder of `dir`, and make `dir/latest/` a copy of it (files
/// of an earlier run, such as a plot this run has no cells for, are gone).
/// Returns the `latest` folder.
pub fn write(r: &Report, dir: &Path, stamp: &str) -> std::io::Result<PathBuf> {
    let kept = dir.join(stamp);
    std::fs::create_dir_all(&kept)?;
    let json = serde_json::to_string_pretty(r).map_err(std::io::Error::other)?;
    std::fs::write(kept.join("report.json"), json)?;
    std::fs::write(kept.join("report.md"), crate::render::markdown(r))?;
    let svgs = crate::plot::write_all(r, &kept)?;
    crate::html::write(r, &svgs, &kept.join("report.html"))?;
    let latest = dir.join("latest");
    if latest.exists() {
        std::fs::remove_dir_all(&latest)?;
    }
    std::fs::create_dir_all(&latest)?;
    for file in std::fs::read_dir(&kept)?.flatten() {
        std::fs::copy(file.path(), latest.join(file.file_name()))?;
    }
    Ok(latest)
}

#[cfg(test)]
#[path = "report_tests.rs"]
pub mod tests;
