//! Executing: run every planned cell's repeats, interleaved, after a
//! warm-up, within a time budget, and turn each finished run into a sample.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use workloads::cpu::reference_prime_count;
use workloads::record::{LimitHit, Record};

use super::plan::{command, Size, Spec};
use crate::proc::{self, Exit, Output};
use crate::report::Status;
use crate::Result;

/// One measured run.
#[derive(Debug, Clone)]
pub struct Sample {
    pub record: Record,
    /// What `record.check` had to be (and was: a mismatch is no sample).
    pub expected: u64,
    pub cpu: Option<Duration>,
    pub peak_rss_kib: Option<u64>,
}

/// What happened to a cell so far.
#[derive(Debug, Default)]
pub struct Progress {
    /// Samples per n (index into `Spec::ns`).
    pub samples: Vec<Vec<Sample>>,
    /// Per n: set once a run failed, timed out or hit a limit, after which
    /// that n (and, for a limit, every larger n) is not run again.
    pub stopped: Vec<Option<(Status, String)>>,
}

/// What a correct run of `spec` at `n` must answer.
pub fn expected_check(spec: &Spec, n: u64, reference: &mut BTreeMap<u64, u64>) -> u64 {
    match spec.scenario.as_str() {
        "cpu" => *reference
            .entry(n)
            .or_insert_with(|| reference_prime_count(n)),
        "net" => n * spec.rounds.unwrap_or(1),
        _ => n,
    }
}

/// A warm-up run at least this long is kept as a measured repeat: its own
/// start already paid the cold caches and page faults a warm-up is for.
pub const SELF_WARMING: Duration = Duration::from_secs(1);

/// Run every spec's repeats, interleaved, and collect the samples.
pub fn execute(
    specs: &[Spec],
    size: &Size,
    explicit_repeats: Option<u32>,
    server: Option<&str>,
) -> Result<(Vec<Progress>, Vec<String>)> {
    let mut progress: Vec<Progress> = specs
        .iter()
        .map(|s| Progress {
            samples: vec![Vec::new(); s.ns.len()],
            stopped: vec![None; s.ns.len()],
        })
        .collect();
    let rounds = specs.iter().map(|s| s.repeats).max().unwrap_or(0);
    let warmup = u32::from(size.warmup);
    let total: u64 = specs
        .iter()
        .map(|s| (s.repeats + warmup) as u64 * s.ns.len() as u64)
        .sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut reference = BTreeMap::new();
    let mut spent: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut budget_hit: BTreeSet<String> = BTreeSet::new();
    for round in 0..rounds + warmup {
        let measuring = round >= warmup;
        for (i, spec) in specs.iter().enumerate() {
            let live: Vec<usize> = (0..spec.ns.len())
                .filter(|&k| progress[i].stopped[k].is_none())
                .collect();
            let measured = live
                .iter()
                .map(|&k| progress[i].samples[k].len())
                .min()
                .unwrap_or(0) as u32;
            if live.is_empty() || measured >= spec.repeats {
                continue;
            }
            // The budget may cut repeats, never below 7 for `cpu` (one fresh
            // process in 15-30 lands badly on these hosts) nor 1 for the rest
            // (a process per unit at n = 2000 takes seconds a run), and never
            // the repeats the learner asked for with --repeats.
            let floor = if spec.scenario == "cpu" { 7 } else { 1 };
            if let (Some(budget), None) = (size.budget, explicit_repeats) {
                if measuring
                    && measured >= floor
                    && spent.get(spec.model.as_str()).is_some_and(|t| *t > budget)
                {
                    budget_hit.insert(spec.model.clone());
                    bar.inc(spec.ns.len() as u64);
                    continue;
                }
            }
            for (k, &n) in spec.ns.iter().enumerate() {
                if progress[i].stopped[k].is_some() {
                    continue;
                }
                bar.set_message(format!(
                    "{} {} {} n={n}{}",
                    spec.model,
                    spec.scenario,
                    spec.variant,
                    if measuring { "" } else { " (warm-up)" }
                ));
                let argv = command(spec, n, server);
                let mut cmd = Command::new(&argv[0]);
                cmd.args(&argv[1..]);
                let done = proc::run(&mut cmd, size.timeout, Output::Capture)?;
                *spent.entry(spec.model.as_str()).or_default() += done.wall;
                bar.inc(1);
                let expected = expected_check(spec, n, &mut reference);
                match judge(&done, expected, size.timeout) {
                    // A run of a second or more warmed itself up: keep it.
                    Ok(sample) if measuring || done.wall >= SELF_WARMING => {
                        progress[i].samples[k].push(sample)
                    }
                    Ok(_) => {}
                    // A limit binds this n and every larger one; the smaller
                    // ones still run (idle's slope needs only two).
                    Err(stop) if stop.0 == Status::Limit => {
                        for later in &mut progress[i].stopped[k..] {
                            later.get_or_insert_with(|| stop.clone());
                        }
                    }
                    // Anything else ends the cell.
                    Err(stop) => {
                        for any in &mut progress[i].stopped {
                            any.get_or_insert_with(|| stop.clone());
                        }
                        break;
                    }
                }
            }
        }
    }
    bar.finish_and_clear();
    let notes = budget_hit
        .into_iter()
        .map(|m| {
            format!(
                "{m}: its time budget ({:.0?}) ran out, so some cells have fewer repeats",
                size.budget.unwrap_or_default()
            )
        })
        .collect();
    Ok((progress, notes))
}

/// Turn one finished run into a sample, or the reason the cell stops.
pub fn judge(
    done: &proc::Finished,
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
mod tests {
    use super::*;

    #[test]
    fn judge_reads_the_contract_exit_codes() {
        let finished = |code: i32, stdout: &str| proc::Finished {
            exit: Exit::Code(code),
            stdout: stdout.into(),
            stderr: "error: something\n".into(),
            cpu: None,
            peak_rss_kib: None,
            wall: Duration::ZERO,
        };
        let t = Duration::from_secs(1);
        let rec = r#"{"model":"threads","scenario":"cpu","variant":"serial","params":{"workers":1,"n":10},"elapsed_ns":5,"startup_ns":0,"ops":10,"check":4}"#;
        assert!(judge(&finished(0, rec), 4, t).is_ok());
        let (status, reason) = judge(&finished(0, rec), 5, t).unwrap_err();
        assert_eq!(
            (status, reason.as_str()),
            (Status::Failed, "check: expected 5, got 4")
        );
        let limit = r#"{"status":"limit","limit":"vm.max_map_count","reason":"too many"}"#;
        assert_eq!(
            judge(&finished(3, limit), 4, t).unwrap_err().0,
            Status::Limit
        );
        assert_eq!(
            judge(&finished(0, "garbage"), 4, t).unwrap_err().0,
            Status::Failed
        );
        assert_eq!(
            judge(&finished(101, ""), 4, t).unwrap_err().0,
            Status::Failed
        );
    }
}
