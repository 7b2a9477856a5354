//! The measurement contract's data: what a model binary prints, as types.
//!
//! A model binary prints exactly one JSON line per `run`: a [`Record`] when
//! the work completed, or a [`LimitHit`] (exit code 3) when an OS limit would
//! have stopped it. `scenarios` prints a [`Catalogue`]. xtask parses the same
//! types, so the contract is checked by the compiler on both sides.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::contract::RunArgs;

/// The scenarios every model may implement (the measurement contract).
pub const SCENARIOS: &[&str] = &["cpu", "sleep", "net", "spawn", "idle", "pingpong"];

/// One measured run of one cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub model: String,
    pub scenario: String,
    pub variant: String,
    pub params: Params,
    /// Wall time around the work only.
    pub elapsed_ns: u64,
    /// Wall time of what had to happen before the work could start (building
    /// a runtime, starting worker processes): shown, never hidden in `elapsed_ns`.
    pub startup_ns: u64,
    /// Units of work done: numbers tested, units joined, round trips.
    pub ops: u64,
    /// The answer, which xtask verifies (for `cpu`, the prime count).
    pub check: u64,
    /// Memory the binary measured itself (the `idle` scenario).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Memory>,
    /// The process's OS threads, counted from `/proc/self/task` right after
    /// the last unit started and before any join: measured, not configured
    /// (`None` where the OS does not tell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_threads: Option<u64>,
}

/// The parameters a cell ran with, echoed back so a record stands alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// OS threads or processes doing the work (1 for `serial`).
    pub workers: usize,
    pub n: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u64>,
}

/// Memory before and after parking `n` units, in KiB. `None` where the OS
/// does not tell (every field is Linux `/proc`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// `VmRSS` of the measuring process.
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    /// `KernelStack + PageTables` from `/proc/meminfo` (system-wide).
    pub kernel_before_kib: Option<u64>,
    pub kernel_after_kib: Option<u64>,
    /// Summed PSS of worker processes (the processes model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss_before_kib: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss_after_kib: Option<u64>,
}

/// What a model's scenario function hands back; [`Outcome::into_record`]
/// turns it into the contract's [`Record`].
#[derive(Debug, Default)]
pub struct Outcome {
    /// The answer (for `cpu`, the prime count).
    pub check: u64,
    /// Units of work done.
    pub ops: u64,
    /// OS threads or processes that did the work.
    pub workers: usize,
    /// What had to happen before the work: kept apart from `elapsed`.
    pub startup: Duration,
    /// Wall time around the work only.
    pub elapsed: Duration,
    pub memory: Option<Memory>,
    /// [`crate::sys::os_threads`] read right after the last unit started,
    /// before any join.
    pub os_threads: Option<u64>,
}

impl Outcome {
    /// The record of this outcome for `model`, echoing the cell's parameters.
    pub fn into_record(self, model: &str, args: &RunArgs) -> Record {
        let waits = matches!(args.scenario.as_str(), "net" | "sleep");
        Record {
            model: model.into(),
            scenario: args.scenario.clone(),
            variant: args.variant.clone(),
            params: Params {
                workers: self.workers,
                n: args.n,
                delay_ms: waits.then_some(args.delay_ms),
                rounds: (args.scenario == "net").then_some(args.rounds),
            },
            elapsed_ns: self.elapsed.as_nanos() as u64,
            startup_ns: self.startup.as_nanos() as u64,
            ops: self.ops,
            check: self.check,
            memory: self.memory,
            os_threads: self.os_threads,
        }
    }
}

/// Run `work` and return its value with the wall time it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = work();
    (value, start.elapsed())
}

/// Printed instead of a [`Record`] (exit code 3) when a limit would bind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitHit {
    /// Always `"limit"`.
    pub status: String,
    /// Which limit: `vm.max_map_count`, `RLIMIT_NOFILE`, `threads-max`, ...
    pub limit: String,
    pub reason: String,
}

impl LimitHit {
    pub fn new(limit: &str, reason: impl Into<String>) -> Self {
        LimitHit {
            status: "limit".into(),
            limit: limit.into(),
            reason: reason.into(),
        }
    }
}

/// What `<bin> scenarios` prints: the model's name and, per scenario, the
/// variants it implements, each describing itself. xtask discovers cells from
/// this, never from a list of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub model: String,
    pub scenarios: Vec<ScenarioInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub variants: Vec<VariantInfo>,
}

/// One variant of a scenario: `{"name": "scoped", "takes_workers": true,
/// "unavailable": null}`. A plain string (the catalogue's first form) reads
/// as a variant that takes `--workers` and is available.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "VariantRepr")]
pub struct VariantInfo {
    pub name: String,
    /// Whether `--workers` changes what runs. `false` for `serial` and for a
    /// unit per thread/process/task, so a sweep over W runs them once.
    pub takes_workers: bool,
    /// Why this variant cannot run on this machine (a missing library), or
    /// `None`: shown in the report, never faked.
    pub unavailable: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum VariantRepr {
    Name(String),
    Full {
        name: String,
        #[serde(default = "yes")]
        takes_workers: bool,
        #[serde(default)]
        unavailable: Option<String>,
    },
}

fn yes() -> bool {
    true
}

impl From<VariantRepr> for VariantInfo {
    fn from(r: VariantRepr) -> Self {
        match r {
            VariantRepr::Name(name) => VariantInfo::with_workers(&name),
            VariantRepr::Full {
                name,
                takes_workers,
                unavailable,
            } => VariantInfo {
                name,
                takes_workers,
                unavailable,
            },
        }
    }
}

impl VariantInfo {
    /// A variant whose work is spread over `--workers` W threads or processes.
    pub fn with_workers(name: &str) -> Self {
        VariantInfo {
            name: name.into(),
            takes_workers: true,
            unavailable: None,
        }
    }

    /// A variant that ignores `--workers` (one thread, or one unit per thread).
    pub fn fixed(name: &str) -> Self {
        VariantInfo {
            takes_workers: false,
            ..VariantInfo::with_workers(name)
        }
    }

    /// This variant, marked as unable to run here, and why.
    pub fn unavailable(mut self, reason: impl Into<String>) -> Self {
        self.unavailable = Some(reason.into());
        self
    }
}

impl Catalogue {
    /// Build a catalogue from `(scenario, variants)` pairs.
    pub fn new(model: &str, entries: &[(&str, &[VariantInfo])]) -> Self {
        Catalogue {
            model: model.into(),
            scenarios: entries
                .iter()
                .map(|(name, variants)| ScenarioInfo {
                    name: (*name).into(),
                    variants: variants.to_vec(),
                })
                .collect(),
        }
    }

    /// The variants of `scenario`, or `None` if the model lacks it.
    pub fn variants(&self, scenario: &str) -> Option<&[VariantInfo]> {
        self.scenarios
            .iter()
            .find(|s| s.name == scenario)
            .map(|s| s.variants.as_slice())
    }

    /// The names of `scenario`'s variants.
    pub fn variant_names(&self, scenario: &str) -> Option<Vec<&str>> {
        self.variants(scenario)
            .map(|vs| vs.iter().map(|v| v.name.as_str()).collect())
    }

    /// One variant of one scenario.
    pub fn variant(&self, scenario: &str, variant: &str) -> Option<&VariantInfo> {
        self.variants(scenario)?.iter().find(|v| v.name == variant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_round_trips_and_matches_the_guide_example() {
        let line = r#"{"model":"threads","scenario":"cpu","variant":"scoped","params":{"workers":2,"n":3000000},"elapsed_ns":181000000,"startup_ns":0,"ops":3000000,"check":216816}"#;
        let r: Record = serde_json::from_str(line).unwrap();
        assert_eq!(r.params.workers, 2);
        assert_eq!(r.check, 216_816);
        assert_eq!(r.memory, None);
        assert_eq!(serde_json::to_string(&r).unwrap(), line);
    }

    #[test]
    fn limit_line_has_the_status_field() {
        let l = LimitHit::new("vm.max_map_count", "needs 80000 mappings, limit 65530");
        let s = serde_json::to_string(&l).unwrap();
        assert!(
            s.starts_with(r#"{"status":"limit","limit":"vm.max_map_count""#),
            "{s}"
        );
    }

    #[test]
    fn catalogue_lookup() {
        let c = Catalogue::new(
            "threads",
            &[
                (
                    "cpu",
                    &[
                        VariantInfo::fixed("serial"),
                        VariantInfo::with_workers("scoped"),
                    ],
                ),
                ("spawn", &[VariantInfo::fixed("spawn")]),
            ],
        );
        assert_eq!(c.variant_names("cpu").unwrap(), ["serial", "scoped"]);
        assert!(!c.variant("cpu", "serial").unwrap().takes_workers);
        assert!(c.variant("cpu", "scoped").unwrap().takes_workers);
        assert!(c.variants("nosuch").is_none());
    }

    #[test]
    fn catalogue_describes_itself_and_still_reads_a_plain_list() {
        let full = r#"{"model":"py","scenarios":[{"name":"cpu","variants":[{"name":"serial","takes_workers":false,"unavailable":null},{"name":"gevent","takes_workers":false,"unavailable":"gevent not installed"}]}]}"#;
        let c: Catalogue = serde_json::from_str(full).unwrap();
        assert_eq!(
            c.variant("cpu", "gevent").unwrap().unavailable.as_deref(),
            Some("gevent not installed")
        );
        assert_eq!(serde_json::to_string(&c).unwrap(), full);
        let plain =
            r#"{"model":"old","scenarios":[{"name":"cpu","variants":["serial","scoped"]}]}"#;
        let c: Catalogue = serde_json::from_str(plain).unwrap();
        assert_eq!(c.variant_names("cpu").unwrap(), ["serial", "scoped"]);
        assert!(c.variant("cpu", "serial").unwrap().takes_workers);
        assert!(c.variant("cpu", "serial").unwrap().unavailable.is_none());
    }
}
