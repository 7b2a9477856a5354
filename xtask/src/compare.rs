//! `cargo xtask compare`: measure the models side by side.
//!
//! 1. Build every model binary and the delay server in release.
//! 2. Ask each binary which scenarios and variants it has (`<bin> scenarios`).
//! 3. Plan one cell per (model, scenario, variant, workers) at this size, plus
//!    the baseline cell of each scenario (threads `serial` for `cpu`, threads
//!    `spawn` otherwise), which is always run.
//! 4. Run the cells interleaved (A B C A B C ...), after one warm-up round,
//!    each run a fresh process reaped with `wait4` for its CPU time and peak
//!    RSS, under a timeout, within a time budget per model.
//! 5. Check every answer, take medians and spreads, compute ratios against
//!    the baseline, print the table and write the report.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use clap::{value_parser, Args};
use indicatif::{ProgressBar, ProgressStyle};
use workloads::contract::MAX_WORKERS;
use workloads::cpu::{reference_prime_count, MAX_N};
use workloads::record::{Catalogue, LimitHit, Record, SCENARIOS};

use crate::proc::{self, Exit, Output};
use crate::project::{self, Model};
use crate::report::{self, Cell, CellParams, Environment, Limits, MemPerUnit, Report, Status};
use crate::{Error, Result};

#[derive(Args, Debug, Default, Clone)]
pub struct CompareArgs {
    /// Models to compare, comma-separated (default: every model).
    #[arg(long, value_delimiter = ',')]
    pub models: Vec<String>,
    /// Scenarios: cpu, sleep, net, spawn, idle, pingpong (default: all).
    #[arg(long, value_delimiter = ',')]
    pub scenarios: Vec<String>,
    /// Only these variants (the baselines are always run).
    #[arg(long, value_delimiter = ',')]
    pub variants: Vec<String>,
    /// Worker counts, comma-separated (default: the cores this process may use).
    #[arg(long, value_delimiter = ',', value_parser = value_parser!(u64).range(1..=MAX_WORKERS as u64))]
    pub workers: Vec<u64>,
    /// Override the size of every selected scenario (idle also runs at n/4).
    #[arg(long, value_parser = value_parser!(u64).range(1..=MAX_N))]
    pub n: Option<u64>,
    /// Measured repeats per cell (default: 7 for cpu, 5 otherwise, 3 for idle).
    #[arg(long, value_parser = value_parser!(u32).range(1..=100))]
    pub repeats: Option<u32>,
    /// A smoke run of seconds that proves the contract; asserts no timing.
    #[arg(long, conflicts_with = "full")]
    pub quick: bool,
    /// Bigger sizes and more repeats (minutes).
    #[arg(long)]
    pub full: bool,
}

/// The sizes xtask owns and passes to the model binaries.
struct Size {
    name: &'static str,
    cpu_n: u64,
    sleep: (u64, u64),
    /// (clients, rounds, delay_ms)
    net: (u64, u64, u64),
    spawn_n: u64,
    /// `idle` runs at each n; the slope comes from the two largest that ran.
    idle_n: &'static [u64],
    pingpong_n: u64,
    repeats_cpu: u32,
    repeats: u32,
    warmup: bool,
    timeout: Duration,
    /// Stop adding repeats to a model after this much of its wall time.
    budget: Option<Duration>,
}

const QUICK: Size = Size {
    name: "quick",
    cpu_n: 200_000,
    sleep: (50, 10),
    net: (10, 5, 2),
    spawn_n: 200,
    idle_n: &[50, 200],
    pingpong_n: 2_000,
    repeats_cpu: 1,
    repeats: 1,
    warmup: false,
    timeout: Duration::from_secs(60),
    budget: None,
};

const DEFAULT: Size = Size {
    name: "default",
    cpu_n: 3_000_000,
    sleep: (1_000, 50),
    net: (100, 20, 5),
    spawn_n: 2_000,
    idle_n: &[500, 2_000],
    pingpong_n: 10_000,
    repeats_cpu: 7,
    repeats: 5,
    warmup: true,
    timeout: Duration::from_secs(60),
    budget: Some(Duration::from_secs(20)),
};

const FULL: Size = Size {
    name: "full",
    cpu_n: 10_000_000,
    sleep: (100_000, 100),
    net: (1_000, 20, 10),
    spawn_n: 20_000,
    idle_n: &[1_000, 10_000, 100_000],
    pingpong_n: 100_000,
    repeats_cpu: 11,
    repeats: 7,
    warmup: true,
    timeout: Duration::from_secs(600),
    budget: None,
};

/// One planned cell: a binary, a scenario, a variant and its parameters.
#[derive(Debug, Clone)]
struct Spec {
    model: String,
    bin: PathBuf,
    scenario: String,
    variant: String,
    workers: u64,
    /// One run per n per repeat; more than one only for `idle`.
    ns: Vec<u64>,
    delay_ms: Option<u64>,
    rounds: Option<u64>,
    repeats: u32,
}

/// One measured run.
#[derive(Debug, Clone)]
struct Sample {
    record: Record,
    /// What `record.check` had to be (and was: a mismatch is no sample).
    expected: u64,
    cpu: Option<Duration>,
    peak_rss_kib: Option<u64>,
}

/// What happened to a cell so far.
#[derive(Debug, Default)]
struct Progress {
    /// Samples per n (index into `Spec::ns`).
    samples: Vec<Vec<Sample>>,
    /// Per n: set once a run failed, timed out or hit a limit, after which
    /// that n (and, for a limit, every larger n) is not run again.
    stopped: Vec<Option<(Status, String)>>,
}

fn baseline_variant(scenario: &str) -> &'static str {
    if scenario == "cpu" {
        "serial"
    } else {
        "spawn"
    }
}

const BASELINE_MODEL: &str = "threads";

pub fn main(args: &CompareArgs) -> Result<()> {
    let report = compare(args)?;
    let bad: Vec<String> = report
        .cells
        .iter()
        .filter(|c| matches!(c.status, Status::Failed | Status::Timeout))
        .map(|c| {
            format!(
                "{} {} {}: {}",
                c.model,
                c.scenario,
                c.variant,
                c.reason.as_deref().unwrap_or("")
            )
        })
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "{} cell(s) did not run cleanly:\n  {}",
            bad.len(),
            bad.join("\n  ")
        )))
    }
}

/// Run the whole comparison and return its report (also written to disk).
pub fn compare(args: &CompareArgs) -> Result<Report> {
    let size = match (args.quick, args.full) {
        (true, _) => &QUICK,
        (_, true) => &FULL,
        _ => &DEFAULT,
    };
    workloads::sys::raise_nofile_limit();
    let started = Instant::now();
    let created = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();

    let all_models = project::models();
    let wanted: Vec<Model> = if args.models.is_empty() {
        all_models.clone()
    } else {
        args.models
            .iter()
            .map(|m| project::model(m))
            .collect::<Result<_>>()?
    };
    let scenario_names: Vec<&str> = SCENARIOS.to_vec();
    for s in &args.scenarios {
        if !scenario_names.contains(&s.as_str()) {
            return Err(Error::usage(format!(
                "unknown scenario '{s}' (valid: {})",
                scenario_names.join(", ")
            )));
        }
    }

    // Build: the wanted models, the baseline model, the delay server.
    let mut to_build: Vec<Model> = wanted.clone();
    if !to_build.iter().any(|m| m.name == BASELINE_MODEL) {
        to_build.push(project::model(BASELINE_MODEL)?);
    }
    let bins = build(&to_build)?;
    let catalogues = to_build
        .iter()
        .map(|m| Ok((m.name.clone(), discover(&bins[&m.package()], &m.name)?)))
        .collect::<Result<BTreeMap<String, Catalogue>>>()?;

    // Validate variants against what the selected models offer.
    let offered: BTreeSet<&str> = wanted
        .iter()
        .flat_map(|m| catalogues[&m.name].scenarios.iter())
        .filter(|s| args.scenarios.is_empty() || args.scenarios.contains(&s.name))
        .flat_map(|s| s.variants.iter().map(|v| v.name.as_str()))
        .collect();
    for v in &args.variants {
        if !offered.contains(v.as_str()) {
            let valid: Vec<&str> = offered.iter().copied().collect();
            return Err(Error::usage(format!(
                "unknown variant '{v}' for these models and scenarios (valid: {})",
                valid.join(", ")
            )));
        }
    }

    let workers = if args.workers.is_empty() {
        vec![project::cores() as u64]
    } else {
        args.workers.clone()
    };
    let specs = plan(args, size, &wanted, &catalogues, &bins, &workers);
    if specs.is_empty() {
        return Err(Error::usage(
            "nothing to run: no selected model implements the selected scenarios and variants",
        ));
    }

    let environment = environment();
    let mut warnings = Vec::new();
    if let Some(load) = environment.load_average {
        if load > 0.5 * environment.cores as f64 {
            warnings.push(format!(
                "the machine was busy at start (load average {load:.2} on {} cores): figures may be noisy",
                environment.cores
            ));
        }
    }

    let server = if specs.iter().any(|s| s.scenario == "net") {
        Some(ServerProcess::start(&bins["workloads"])?)
    } else {
        None
    };
    let server_addr = server.as_ref().map(|s| s.addr.clone());

    let (progress, budget_notes) = execute(&specs, size, args.repeats, server_addr.as_deref())?;
    warnings.extend(budget_notes);
    drop(server);

    let mut cells: Vec<Cell> = specs
        .iter()
        .zip(progress)
        .map(|(spec, p)| summarise(spec, p, server_addr.as_deref()))
        .collect();
    cells.extend(missing_cells(args, &wanted, &catalogues, &workers));
    // Stable: within a scenario the baseline stays first.
    cells.sort_by_key(|c| SCENARIOS.iter().position(|s| *s == c.scenario));
    add_ratios(&mut cells);
    let flagged = cells.iter().filter(|c| c.flagged).count();
    if flagged > 0 {
        warnings.push(format!(
            "{flagged} cell(s) had a spread above 10 %: run again, or with more --repeats"
        ));
    }

    let invocation = std::iter::once("cargo xtask compare".to_string())
        .chain(std::env::args().skip_while(|a| a != "compare").skip(1))
        .collect::<Vec<_>>()
        .join(" ");
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        created: created.clone(),
        size: size.name.into(),
        invocation,
        environment,
        warnings,
        cells,
    };
    println!("{}", report::table(&report.cells));
    for c in report
        .cells
        .iter()
        .filter(|c| c.status != Status::NotImplemented)
    {
        if let Some(reason) = &c.reason {
            println!(
                "{} {} {} ({}): {reason}",
                c.scenario,
                c.model,
                c.variant,
                c.status.as_str()
            );
        }
    }
    for w in &report.warnings {
        println!("warning: {w}");
    }
    let dir = target_dir().join("compare");
    let latest = report::write(&report, &dir, &created.replace(':', "-"))?;
    let shown = latest.strip_prefix(project::root()).unwrap_or(&latest);
    println!(
        "{} cells in {:.0?} (build included). Report: {}/report.md (and report.json; a copy is kept in {}/)",
        report.cells.len(),
        started.elapsed(),
        shown.display(),
        dir.strip_prefix(project::root()).unwrap_or(&dir).join(created.replace(':', "-")).display()
    );
    Ok(report)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => project::root().join(d),
        None => project::root().join("target"),
    }
}

/// `cargo build --release` of the model binaries and the delay server;
/// returns package name -> binary path.
fn build(models: &[Model]) -> Result<BTreeMap<String, PathBuf>> {
    let mut args = vec![
        "build".to_string(),
        "--release".into(),
        "-p".into(),
        "workloads".into(),
    ];
    for m in models {
        args.extend(["-p".into(), m.package()]);
    }
    args.extend(["--bin".into(), "delay-server".into()]);
    for m in models {
        args.extend(["--bin".into(), m.package()]);
    }
    eprintln!("building {} model binaries (release)...", models.len());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut bins = BTreeMap::new();
    for a in project::build(&argv)? {
        if a.kind == "bin" {
            let package = if a.name == "delay-server" {
                "workloads".to_string()
            } else {
                a.name
            };
            bins.insert(package, a.exe);
        }
    }
    for m in models {
        if !bins.contains_key(&m.package()) {
            return Err(Error::failed(format!(
                "cargo built no binary named {}",
                m.package()
            )));
        }
    }
    Ok(bins)
}

/// `<bin> scenarios`: what the model implements.
fn discover(bin: &Path, model: &str) -> Result<Catalogue> {
    let done = proc::run(
        Command::new(bin).arg("scenarios"),
        Duration::from_secs(30),
        Output::Capture,
    )?;
    if !done.success() {
        return Err(Error::failed(format!(
            "{model}: `{} scenarios` failed: {}",
            bin.display(),
            done.last_error_line()
        )));
    }
    serde_json::from_str(done.stdout.trim())
        .map_err(|e| Error::failed(format!("{model}: `scenarios` printed no catalogue: {e}")))
}

fn plan(
    args: &CompareArgs,
    size: &Size,
    wanted: &[Model],
    catalogues: &BTreeMap<String, Catalogue>,
    bins: &BTreeMap<String, PathBuf>,
    workers: &[u64],
) -> Vec<Spec> {
    let mut specs: Vec<Spec> = Vec::new();
    for scenario in SCENARIOS {
        if !args.scenarios.is_empty() && !args.scenarios.iter().any(|s| s == scenario) {
            continue;
        }
        let (ns, delay_ms, rounds) = match *scenario {
            "cpu" => (vec![size.cpu_n], None, None),
            "sleep" => (vec![size.sleep.0], Some(size.sleep.1), None),
            "net" => (vec![size.net.0], Some(size.net.2), Some(size.net.1)),
            "spawn" => (vec![size.spawn_n], None, None),
            "idle" => (size.idle_n.to_vec(), None, None),
            _ => (vec![size.pingpong_n], None, None),
        };
        let ns = match (args.n, *scenario) {
            (Some(n), "idle") => vec![(n / 4).max(1), n],
            (Some(n), _) => vec![n],
            (None, _) => ns,
        };
        let repeats = args.repeats.unwrap_or(match *scenario {
            "cpu" => size.repeats_cpu,
            "idle" => size.repeats.min(3),
            _ => size.repeats,
        });
        // The baseline first, then every wanted model's variants.
        let mut cells: Vec<(String, String)> =
            vec![(BASELINE_MODEL.into(), baseline_variant(scenario).into())];
        for m in wanted {
            for v in catalogues[&m.name].variants(scenario).unwrap_or_default() {
                if args.variants.is_empty() || args.variants.contains(&v.name) {
                    cells.push((m.name.clone(), v.name.clone()));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for (model, variant) in cells {
            let offered = catalogues[&model]
                .variants(scenario)
                .is_some_and(|vs| vs.iter().any(|v| v.name == variant));
            if !offered {
                continue;
            }
            for &w in workers {
                if !seen.insert((model.clone(), variant.clone(), w)) {
                    continue;
                }
                specs.push(Spec {
                    bin: bins[&format!("examples-{model}")].clone(),
                    model: model.clone(),
                    scenario: scenario.to_string(),
                    variant: variant.clone(),
                    workers: w,
                    ns: ns.clone(),
                    delay_ms,
                    rounds,
                    repeats,
                });
            }
        }
    }
    specs
}

/// A `not-implemented` cell for each selected scenario a wanted model lacks,
/// and for each variant asked for by name that a model lacks in a scenario.
fn missing_cells(
    args: &CompareArgs,
    wanted: &[Model],
    catalogues: &BTreeMap<String, Catalogue>,
    workers: &[u64],
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for scenario in SCENARIOS {
        if !args.scenarios.is_empty() && !args.scenarios.iter().any(|s| s == scenario) {
            continue;
        }
        for m in wanted {
            let missing: Vec<(String, String)> = match catalogues[&m.name].variants(scenario) {
                None => vec![("-".into(), format!("{} has no {scenario} scenario", m.name))],
                Some(offered) => args
                    .variants
                    .iter()
                    .filter(|v| !offered.iter().any(|o| &o.name == *v))
                    .map(|v| {
                        (
                            v.clone(),
                            format!("{} has no variant {v} for {scenario}", m.name),
                        )
                    })
                    .collect(),
            };
            for (variant, reason) in missing {
                cells.push(Cell::not_implemented(
                    &m.name, scenario, &variant, workers[0], reason,
                ));
            }
        }
    }
    cells
}

fn command(spec: &Spec, n: u64, server: Option<&str>) -> Vec<String> {
    let mut argv = vec![
        spec.bin.display().to_string(),
        "run".into(),
        spec.scenario.clone(),
        "--variant".into(),
        spec.variant.clone(),
        "--workers".into(),
        spec.workers.to_string(),
        "--n".into(),
        n.to_string(),
    ];
    if let Some(d) = spec.delay_ms {
        argv.extend(["--delay-ms".into(), d.to_string()]);
    }
    if let Some(r) = spec.rounds {
        argv.extend(["--rounds".into(), r.to_string()]);
    }
    if let (Some(addr), "net") = (server, spec.scenario.as_str()) {
        argv.extend(["--server".into(), addr.to_string()]);
    }
    argv
}

/// What a correct run of `spec` at `n` must answer.
fn expected_check(spec: &Spec, n: u64, reference: &mut BTreeMap<u64, u64>) -> u64 {
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
const SELF_WARMING: Duration = Duration::from_secs(1);

/// Run every spec's repeats, interleaved, and collect the samples.
fn execute(
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
fn judge(
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

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    })
}

/// Median absolute deviation / median: robust to the one bad repeat in 20.
fn spread(xs: &[f64]) -> Option<f64> {
    let med = median(xs.to_vec())?;
    if med == 0.0 {
        return Some(0.0);
    }
    Some(median(xs.iter().map(|x| (x - med).abs()).collect())? / med)
}

fn summarise(spec: &Spec, p: Progress, server: Option<&str>) -> Cell {
    let last = spec.ns.len() - 1;
    let n_value = if spec.scenario == "idle" {
        serde_json::json!(spec.ns)
    } else {
        serde_json::json!(spec.ns[0])
    };
    let params = CellParams {
        workers: spec.workers,
        n: n_value,
        delay_ms: spec.delay_ms,
        rounds: spec.rounds,
    };
    let mut cell = Cell::new(
        &spec.model,
        &spec.scenario,
        &spec.variant,
        params,
        Status::Ok,
    );
    cell.repeats = p.samples[last].len() as u32;
    cell.command = spec
        .ns
        .iter()
        .map(|&n| relative(command(spec, n, server).join(" ")))
        .collect();
    // `idle` can still give a slope if a limit stopped only its largest n.
    let usable: Vec<usize> = (0..spec.ns.len())
        .filter(|&k| !p.samples[k].is_empty())
        .collect();
    if let Some((status, reason)) = p.stopped.iter().flatten().next() {
        let idle_slope_possible = spec.scenario == "idle" && usable.len() >= 2;
        cell.reason = Some(reason.clone());
        if !idle_slope_possible {
            cell.status = *status;
            return cell;
        }
    }
    let Some(&k) = usable.last() else {
        cell.status = Status::Failed;
        cell.reason.get_or_insert_with(|| "no run completed".into());
        return cell;
    };
    let samples = &p.samples[k];
    // The worker count the binary reports (1 for serial, n for a thread per unit).
    cell.params.workers = samples[0].record.params.workers as u64;
    let elapsed: Vec<f64> = samples.iter().map(|s| s.record.elapsed_ns as f64).collect();
    let med = median(elapsed.clone()).unwrap_or_default();
    cell.median_ns = Some(med as u64);
    // A spread from fewer than 3 repeats would be noise about noise.
    cell.spread = if elapsed.len() >= 3 {
        spread(&elapsed)
    } else {
        None
    };
    cell.flagged = cell.spread.is_some_and(|s| s > 0.10);
    cell.repeats = samples.len() as u32;
    let median_sample = samples
        .iter()
        .min_by_key(|s| (s.record.elapsed_ns as f64 - med).abs() as u64)
        .expect("non-empty");
    cell.cpu_s = median_sample.cpu.map(|d| d.as_secs_f64());
    cell.peak_rss_kib = p
        .samples
        .iter()
        .flatten()
        .filter_map(|s| s.peak_rss_kib)
        .max();
    cell.startup_ns =
        median(samples.iter().map(|s| s.record.startup_ns as f64).collect()).map(|x| x as u64);
    cell.check = Some(samples[0].record.check);
    cell.expected_check = Some(samples[0].expected);
    let n = spec.ns[k] as f64;
    match spec.scenario.as_str() {
        "spawn" | "pingpong" => cell.ns_per_unit = Some(med / n),
        "sleep" => {
            cell.wall_over_delay = spec
                .delay_ms
                .filter(|&d| d > 0)
                .map(|d| med / (d as f64 * 1e6))
        }
        "idle" => cell.mem_per_unit_kib = slope(spec, &p.samples, &usable),
        _ => {}
    }
    if spec.scenario == "idle" {
        cell.params.n = serde_json::json!(usable.iter().map(|&k| spec.ns[k]).collect::<Vec<_>>());
    }
    cell
}

/// Memory per unit: the slope between the two largest unit counts that ran.
fn slope(spec: &Spec, samples: &[Vec<Sample>], usable: &[usize]) -> Option<MemPerUnit> {
    let [.., a, b] = usable else { return None };
    let growth = |k: usize, f: &dyn Fn(&workloads::record::Memory) -> Option<(u64, u64)>| {
        median(
            samples[k]
                .iter()
                .filter_map(|s| s.record.memory.as_ref().and_then(f))
                .map(|(before, after)| after as f64 - before as f64)
                .collect(),
        )
    };
    let per_unit = |f: &dyn Fn(&workloads::record::Memory) -> Option<(u64, u64)>| {
        Some((growth(*b, f)? - growth(*a, f)?) / (spec.ns[*b] as f64 - spec.ns[*a] as f64))
    };
    Some(MemPerUnit {
        rss: per_unit(&|m| Some((m.rss_before_kib?, m.rss_after_kib?))),
        kernel: per_unit(&|m| Some((m.kernel_before_kib?, m.kernel_after_kib?))),
        pss: per_unit(&|m| Some((m.pss_before_kib?, m.pss_after_kib?))),
    })
}

/// Ratio = baseline median / cell median, against the baseline cell of the
/// same scenario and the same parameters other than `workers`.
fn add_ratios(cells: &mut [Cell]) {
    let snapshot = cells.to_vec();
    for cell in cells.iter_mut() {
        let base = snapshot.iter().find(|b| {
            b.model == BASELINE_MODEL
                && b.variant == baseline_variant(&b.scenario)
                && b.scenario == cell.scenario
                && b.status == Status::Ok
                && b.params.delay_ms == cell.params.delay_ms
                && b.params.rounds == cell.params.rounds
                && (b.params.n == cell.params.n || cell.scenario == "idle")
        });
        let Some(base) = base else { continue };
        if cell.status != Status::Ok {
            continue;
        }
        cell.baseline = Some(format!("{}/{}", base.model, base.variant));
        cell.ratio = if cell.scenario == "idle" {
            // A process's own memory is its PSS; a thread's (or task's) is the
            // RSS growth of the one process that holds them all.
            let own = |c: &Cell| c.mem_per_unit_kib.as_ref().and_then(|m| m.pss.or(m.rss));
            match (own(base), own(cell)) {
                (Some(b), Some(c)) if c > 0.0 => Some(b / c),
                _ => None,
            }
        } else {
            match (base.median_ns, cell.median_ns) {
                (Some(b), Some(c)) if c > 0 => Some(b as f64 / c as f64),
                _ => None,
            }
        };
    }
}

/// Show binaries relative to the workspace root, as a learner would type them.
fn relative(cmd: String) -> String {
    let root = format!("{}/", project::root().display());
    cmd.replace(&root, "")
}

/// The delay server process; killed and reaped on drop.
struct ServerProcess {
    child: Child,
    addr: String,
}

impl ServerProcess {
    fn start(bin: &Path) -> Result<Self> {
        use std::os::unix::process::CommandExt;
        let mut child = Command::new(bin)
            .stdin(Stdio::piped()) // it exits when this pipe closes, even if we are killed
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .map(str::to_string);
        match (read, addr) {
            (Ok(_), Some(addr)) => Ok(ServerProcess { child, addr }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(Error::failed(format!(
                    "the delay server did not start (it said {line:?})"
                )))
            }
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn environment() -> Environment {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_string())
    };
    let cpu_model = read("/proc/cpuinfo").and_then(|t| {
        t.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    });
    let capture = |cmd: &mut Command| {
        cmd.output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let git_commit = capture(
        Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(project::root()),
    )
    .map(|c| {
        let dirty = capture(
            Command::new("git")
                .args(["status", "--porcelain"])
                .current_dir(project::root()),
        )
        .is_some_and(|s| !s.is_empty());
        if dirty {
            format!("{c} (with uncommitted changes)")
        } else {
            c
        }
    });
    let mut load = [0f64; 3];
    // SAFETY: `load` has room for the 3 samples asked for.
    let load_average = (unsafe { libc::getloadavg(load.as_mut_ptr(), 3) } >= 1).then_some(load[0]);
    let (nofile_soft, nofile_hard) = workloads::sys::nofile_limit();
    Environment {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        cores: project::cores(),
        cpu_model,
        kernel: read("/proc/sys/kernel/osrelease"),
        rustc: capture(Command::new("rustc").arg("-V")),
        git_commit,
        load_average,
        limits: Limits {
            nofile_soft,
            nofile_hard,
            nproc_soft: workloads::sys::nproc_limit().0,
            max_map_count: workloads::sys::max_map_count(),
            threads_max: workloads::sys::threads_max(),
            pid_max: workloads::sys::pid_max(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok_cell(model: &str, scenario: &str, variant: &str, median_ns: u64) -> Cell {
        let params = CellParams {
            workers: 2,
            n: serde_json::json!(1000),
            delay_ms: None,
            rounds: None,
        };
        let mut c = Cell::new(model, scenario, variant, params, Status::Ok);
        c.median_ns = Some(median_ns);
        c
    }

    #[test]
    fn ratios_are_against_the_baseline_of_the_same_scenario() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 200),
            ok_cell("threads", "cpu", "rayon", 100),
            ok_cell("threads", "spawn", "spawn", 1000),
            ok_cell("async", "spawn", "multi-thread", 10),
            ok_cell("async", "pingpong", "current-thread", 10),
        ];
        add_ratios(&mut cells);
        let ratios: Vec<Option<f64>> = cells.iter().map(|c| c.ratio).collect();
        // pingpong has no baseline cell here, so no ratio rather than a made-up one.
        assert_eq!(ratios, [Some(1.0), Some(2.0), Some(1.0), Some(100.0), None]);
        assert_eq!(cells[1].baseline.as_deref(), Some("threads/serial"));
    }

    #[test]
    fn a_different_size_is_not_compared() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 200),
            ok_cell("threads", "cpu", "scoped", 100),
        ];
        cells[1].params.n = serde_json::json!(5000);
        add_ratios(&mut cells);
        assert_eq!(cells[1].ratio, None);
    }

    #[test]
    fn idle_memory_is_the_slope_between_the_two_largest_counts() {
        let sample = |n: u64, rss_growth: u64| Sample {
            record: Record {
                model: "threads".into(),
                scenario: "idle".into(),
                variant: "spawn".into(),
                params: workloads::record::Params {
                    workers: n as usize,
                    n,
                    delay_ms: None,
                    rounds: None,
                },
                elapsed_ns: 1,
                startup_ns: 0,
                ops: n,
                check: n,
                memory: Some(workloads::record::Memory {
                    rss_before_kib: Some(1000),
                    rss_after_kib: Some(1000 + rss_growth),
                    ..Default::default()
                }),
                os_threads: None,
            },
            expected: n,
            cpu: None,
            peak_rss_kib: None,
        };
        let spec = Spec {
            model: "threads".into(),
            bin: PathBuf::new(),
            scenario: "idle".into(),
            variant: "spawn".into(),
            workers: 2,
            ns: vec![100, 1000, 3000],
            delay_ms: None,
            rounds: None,
            repeats: 1,
        };
        // 10 KiB per unit plus a fixed 500 KiB that the slope must cancel out.
        let samples = vec![
            vec![sample(100, 1500)],
            vec![sample(1000, 10_500)],
            vec![sample(3000, 30_500)],
        ];
        let m = slope(&spec, &samples, &[0, 1, 2]).unwrap();
        assert_eq!(m.rss, Some(10.0));
        assert_eq!(m.kernel, None, "no kernel reading: null, not zero");
        assert!(
            slope(&spec, &samples, &[2]).is_none(),
            "one count gives no slope"
        );
    }

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

    #[test]
    fn median_and_spread() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        // One outlier in five barely moves the spread.
        let s = spread(&[100.0, 101.0, 99.0, 100.0, 300.0]).unwrap();
        assert!(s < 0.02, "{s}");
    }
}
