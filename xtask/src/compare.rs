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
use std::time::{Instant, SystemTime};

use clap::{value_parser, Args};
use workloads::contract::MAX_WORKERS;
use workloads::cpu::MAX_N;
use workloads::record::{Catalogue, SCENARIOS};

use crate::engine::build::{build, discover, target_dir};
use crate::engine::exec::execute;
use crate::engine::plan::{missing_cells, plan, BASELINE_MODEL, DEFAULT, FULL, QUICK};
use crate::engine::probe::environment;
use crate::engine::server::ServerProcess;
use crate::engine::summary::{add_ratios, summarise};
use crate::project::{self, Model};
use crate::report::{self, Cell, Report, Status};
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
