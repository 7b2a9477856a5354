//! Executing: run every planned cell's repeats interleaved (A B C A B C ...),
//! after a warm-up round, within a time budget per group, and turn each
//! finished run into a sample or the reason its cell stops.
//!
//! The runner reports what it does as [`Event`]s and starts processes only
//! through an [`Executor`], so unit tests drive it with a fake one.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Duration;

use workloads::cpu::reference_prime_count;
use workloads::record::{LimitHit, Record};

use super::plan::Spec;
use super::sweep::{self, SweepPolicy};
use crate::proc::{self, Exit, Finished, Output};
use crate::project;
use crate::report::Status;
use crate::Result;

/// Starts the runs. The real one starts processes; tests fake it.
pub trait Executor {
    /// Run one command line to completion or `timeout`.
    fn run(&mut self, argv: &[String], timeout: Duration) -> Result<Finished>;
    /// `MemAvailable`, KiB, read before a point that could need much of it.
    fn mem_available_kib(&mut self) -> Option<u64>;
    /// The learner pressed Ctrl-C: stop, keep what was measured.
    fn interrupted(&self) -> bool;
}

/// The real executor: each run a fresh process under `proc::run`.
pub struct Processes;

impl Executor for Processes {
    fn run(&mut self, argv: &[String], timeout: Duration) -> Result<Finished> {
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).current_dir(project::root());
        Ok(proc::run(&mut cmd, timeout, Output::Capture)?)
    }
    fn mem_available_kib(&mut self) -> Option<u64> {
        workloads::sys::mem_available_kib()
    }
    fn interrupted(&self) -> bool {
        proc::interrupted()
    }
}

/// How to run: the size level's repeats policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub warmup: bool,
    pub timeout: Duration,
    /// Per group; `None`: no budget (quick, full, or --repeats given).
    pub budget: Option<Duration>,
    /// `--full`: a series climbs its points until a time cap, within a total
    /// budget; a warm-up runs only its smallest point.
    pub sweep: Option<SweepPolicy>,
}

/// What the runner is doing, for a progress bar or a test.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The number of runs planned (warm-ups included), before the first.
    Planned { runs: u64 },
    /// A run of spec `cell` at `n` starts.
    Run { cell: usize, n: u64, warmup: bool },
    /// Runs that will not happen (a budget spent, a limit, a failure).
    Skipped { runs: u64 },
    /// `group`'s time budget ran out; its cells keep their minimum repeats.
    BudgetSpent { group: String },
}

/// One measured run.
#[derive(Debug, Clone)]
pub struct Sample {
    pub record: Record,
    /// What `record.check` had to be (and was: a mismatch is no sample).
    pub expected: u64,
    pub cpu: Option<Duration>,
    pub peak_rss_kib: Option<u64>,
}

/// What happened to a cell.
#[derive(Debug, Default, Clone)]
pub struct Progress {
    /// Samples per point (index into `Spec::points`).
    pub samples: Vec<Vec<Sample>>,
    /// Per point: set once a run failed, timed out or hit a limit, after which
    /// that point (and, for a limit, every larger one) is not run again.
    pub stopped: Vec<Option<(Status, String)>>,
}

/// Everything a run of the plan measured.
#[derive(Debug)]
pub struct Outcome {
    pub progress: Vec<Progress>,
    /// Groups whose time budget ran out.
    pub budget_spent: Vec<String>,
    /// Stopped early by Ctrl-C.
    pub interrupted: bool,
    /// `--full`: the total budget ran out before every run was made.
    pub sweep_budget_spent: bool,
}

/// What a correct run of `spec` at `n` must answer.
fn expected_check(spec: &Spec, n: u64, reference: &mut BTreeMap<u64, u64>) -> u64 {
    match spec.scenario() {
        "cpu" => *reference
            .entry(n)
            .or_insert_with(|| reference_prime_count(n)),
        "net" => n * spec.key.params.rounds.unwrap_or(1),
        _ => n,
    }
}

/// A warm-up run at least this long is kept as a measured repeat: its own
/// start already paid the cold caches and page faults a warm-up is for.
const SELF_WARMING: Duration = Duration::from_secs(1);

/// Memory one unit of `progress` took at a smaller point, KiB: the growth the
/// binary measured (RSS or PSS, plus kernel), or else its peak RSS, per unit,
/// at the largest smaller point that ran.
fn kib_per_unit(spec: &Spec, progress: &Progress, below: usize) -> Option<f64> {
    // The largest smaller point that ran: at a small n a process's own
    // size swamps its units' (a sweep starts at 100 units).
    (0..below).rev().find_map(|k| {
        let n = spec.points[k] as f64;
        progress.samples[k]
            .iter()
            .filter_map(|s| {
                let grown = |a: Option<u64>, b: Option<u64>| Some(b? as f64 - a? as f64);
                let m = s.record.memory.as_ref();
                let user = m.and_then(|m| {
                    grown(m.pss_before_kib, m.pss_after_kib)
                        .or(grown(m.rss_before_kib, m.rss_after_kib))
                });
                let kernel = m
                    .and_then(|m| grown(m.kernel_before_kib, m.kernel_after_kib))
                    .unwrap_or(0.0);
                user.map(|u| u + kernel.max(0.0))
                    .or(s.peak_rss_kib.map(|p| p as f64))
                    .map(|kib| kib / n)
            })
            .reduce(f64::max)
    })
}

/// Run every spec's repeats, interleaved, and collect the samples.
pub fn execute(
    specs: &[Spec],
    policy: &Policy,
    server: Option<&str>,
    exec: &mut dyn Executor,
    on_event: &mut dyn FnMut(Event),
) -> Result<Outcome> {
    let mut progress: Vec<Progress> = specs
        .iter()
        .map(|s| Progress {
            samples: vec![Vec::new(); s.points.len()],
            stopped: vec![None; s.points.len()],
        })
        .collect();
    let rounds = specs.iter().map(|s| s.repeats).max().unwrap_or(0);
    let warmup = u32::from(policy.warmup);
    // One warm-up run per binary and scenario, its first cell's: it loads the
    // binary's pages and the scenario's code into the caches; every run is a
    // fresh process, so a warm-up per cell would only repeat that.
    let mut seen = BTreeSet::new();
    let warms: Vec<bool> = specs
        .iter()
        .map(|s| policy.warmup && seen.insert((s.argv.clone(), s.scenario().to_string())))
        .collect();
    on_event(Event::Planned {
        runs: specs
            .iter()
            .zip(&warms)
            .map(|(s, &w)| {
                // A sweep warms up at its smallest point only.
                let warm = match (w, policy.sweep) {
                    (false, _) => 0,
                    (true, Some(_)) => 1,
                    (true, None) => s.points.len() as u64,
                };
                s.repeats as u64 * s.points.len() as u64 + warm
            })
            .sum(),
    });
    let mut reference = BTreeMap::new();
    let mut spent: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut budget_spent: BTreeSet<String> = BTreeSet::new();
    // Sweeps: the wall time of each point's last run, and of all runs.
    let mut walls: Vec<Vec<Option<Duration>>> =
        specs.iter().map(|s| vec![None; s.points.len()]).collect();
    let mut total = Duration::ZERO;
    let mut total_spent = false;
    'rounds: for round in 0..rounds + warmup {
        let measuring = round >= warmup;
        for (i, spec) in specs.iter().enumerate() {
            if exec.interrupted() {
                return Ok(Outcome {
                    progress,
                    budget_spent: budget_spent.into_iter().collect(),
                    interrupted: true,
                    sweep_budget_spent: false,
                });
            }
            if !measuring && !warms[i] {
                continue;
            }
            let p = &mut progress[i];
            let live: Vec<usize> = (0..spec.points.len())
                .filter(|&k| p.stopped[k].is_none())
                .collect();
            let measured = live.iter().map(|&k| p.samples[k].len()).min().unwrap_or(0) as u32;
            if live.is_empty() || measured >= spec.repeats {
                continue;
            }
            // The budget cuts repeats, never below the cell's minimum.
            if let Some(budget) = policy.budget {
                if measuring
                    && measured >= spec.min_repeats
                    && spent.get(spec.group()).is_some_and(|t| *t > budget)
                {
                    if budget_spent.insert(spec.group().to_string()) {
                        on_event(Event::BudgetSpent {
                            group: spec.group().to_string(),
                        });
                    }
                    on_event(Event::Skipped {
                        runs: live.len() as u64,
                    });
                    continue;
                }
            }
            for (k, &n) in spec.points.iter().enumerate() {
                if p.stopped[k].is_some() {
                    continue;
                }
                let mut probe = None;
                if let Some(sw) = policy.sweep {
                    if !measuring && k > 0 {
                        break;
                    }
                    if total > sw.budget {
                        total_spent = true;
                        break 'rounds;
                    }
                    // A point predicted over the cap from the one below it
                    // gets a short try only: a limit the binary checks first
                    // still names itself; a run still going is killed.
                    let below = k
                        .checked_sub(1)
                        .and_then(|j| Some((spec.points[j], walls[i][j]?)));
                    if let (None, Some(below)) = (walls[i][k], below) {
                        probe = sweep::predicted_over_cap(below, n, sw.point_cap);
                    }
                }
                // Before a point first runs, refuse it if its units would
                // need more than half of the memory available now.
                if p.samples[k].is_empty() && k > 0 {
                    if let (Some(per_unit), Some(avail)) =
                        (kib_per_unit(spec, p, k), exec.mem_available_kib())
                    {
                        let need = per_unit * n as f64;
                        if need > avail as f64 / 2.0 {
                            let reason = format!(
                                "memory: {n} units would need about {:.0} MiB ({per_unit:.1} KiB each at a smaller n), more than half of MemAvailable ({:.0} MiB)",
                                need / 1024.0,
                                avail as f64 / 1024.0
                            );
                            for later in &mut p.stopped[k..] {
                                later.get_or_insert_with(|| (Status::Limit, reason.clone()));
                            }
                            break;
                        }
                    }
                }
                on_event(Event::Run {
                    cell: i,
                    n,
                    warmup: !measuring,
                });
                let timeout = match (&probe, policy.sweep) {
                    (Some(_), Some(sw)) => sw.probe,
                    _ => policy.timeout,
                };
                let done = exec.run(&spec.command(n, server), timeout)?;
                if exec.interrupted() {
                    // The run was killed by Ctrl-C: it is no sample and no failure.
                    break;
                }
                *spent.entry(spec.group()).or_default() += done.wall;
                // The fastest run at a point predicts the next one.
                walls[i][k] = Some(walls[i][k].map_or(done.wall, |w| w.min(done.wall)));
                total += done.wall;
                let expected = expected_check(spec, n, &mut reference);
                let verdict = judge(&done, expected, timeout);
                // A series (a sweep of several points) stops at the point
                // that failed, timed out or ran past the cap; smaller ones stay.
                if let (Some(sw), true) = (policy.sweep, spec.points.len() > 1) {
                    let keep = measuring || done.wall >= SELF_WARMING;
                    let run = sweep::Run {
                        k,
                        n,
                        wall: done.wall,
                        keep,
                        probe,
                    };
                    match sweep::after_run(p, run, verdict, sw.point_cap, spec.repeats) {
                        Some(runs) => {
                            on_event(Event::Skipped { runs });
                            break;
                        }
                        None => continue,
                    }
                }
                match verdict {
                    // A run of a second or more warmed itself up: keep it.
                    Ok(sample) if measuring || done.wall >= SELF_WARMING => {
                        p.samples[k].push(sample)
                    }
                    Ok(_) => {}
                    // A limit binds this point and every larger one; the
                    // smaller ones still run (idle's slope needs only two).
                    Err(stop) if stop.0 == Status::Limit => {
                        for later in &mut p.stopped[k..] {
                            later.get_or_insert_with(|| stop.clone());
                        }
                    }
                    // Anything else ends the cell.
                    Err(stop) => {
                        for any in &mut p.stopped {
                            any.get_or_insert_with(|| stop.clone());
                        }
                        break;
                    }
                }
            }
        }
    }
    let interrupted = exec.interrupted();
    if let (true, Some(sw)) = (total_spent, policy.sweep) {
        on_event(Event::Skipped {
            runs: sweep::stop_unreached(&mut progress, &sweep::budget_reason(sw.budget)),
        });
    }
    Ok(Outcome {
        progress,
        budget_spent: budget_spent.into_iter().collect(),
        interrupted,
        sweep_budget_spent: total_spent,
    })
}

/// Turn one finished run into a sample, or the reason the cell stops.
pub fn judge(
    done: &Finished,
    expected: u64,
    timeout: Duration,
) -> Result<Sample, (Status, String)> {
    let last_line = done
        .stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    match done.exit {
        Exit::Code(0) => {
            let record: Record = serde_json::from_str(last_line).map_err(|e| {
                (
                    Status::Failed,
                    format!("printed no valid record ({e}): {last_line:.120}"),
                )
            })?;
            if record.check != expected {
                return Err((
                    Status::Failed,
                    format!("check: expected {expected}, got {}", record.check),
                ));
            }
            Ok(Sample {
                record,
                expected,
                cpu: done.cpu,
                peak_rss_kib: done.peak_rss_kib,
            })
        }
        Exit::Code(3) => match serde_json::from_str::<LimitHit>(last_line) {
            Ok(hit) => Err((Status::Limit, format!("{}: {}", hit.limit, hit.reason))),
            Err(_) => Err((
                Status::Failed,
                format!(
                    "exit code 3 without a limit record: {}",
                    done.last_error_line()
                ),
            )),
        },
        Exit::Timeout => Err((Status::Timeout, done.describe(timeout))),
        _ => Err((
            Status::Failed,
            format!("{}: {}", done.describe(timeout), done.last_error_line()),
        )),
    }
}

#[cfg(test)]
#[path = "exec_tests.rs"]
pub mod tests;
