//! `cargo xtask compare`: measure the models side by side.
//!
//! A thin command over `engine`: parse the arguments, build and resolve the
//! model groups (`engine::build`), plan the cells (`engine::plan`), measure
//! the effective cores (`engine::probe`), run the cells with the delay server
//! beside them (`engine::exec`, `engine::server`), summarise them
//! (`engine::summary`), then print the table and write the report
//! (`render`, `report`). On Ctrl-C it writes what was measured, marked partial.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

use clap::{value_parser, Args};
use indicatif::ProgressBar;
use workloads::contract::MAX_WORKERS;
use workloads::cpu::MAX_N;

use crate::engine::build::{self, build, resolve, target_dir};
use crate::engine::exec::{execute, Policy, Processes};
use crate::engine::group::{self, Group};
use crate::engine::plan::{missing_cells, plan, validate, Selection, Size, DEFAULT, FULL, QUICK};
use crate::engine::probe::{self, environment};
use crate::engine::python;
use crate::engine::server::ServerProcess;
use crate::engine::summary::finish;
use crate::engine::{against, sweep, verdicts};
use crate::project;
use crate::report::{self, Cell, Report, Status};
use crate::{proc, render, Error, Result};

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
    /// Worker counts, comma-separated, for every variant that takes W (default:
    /// 1 and the cores this process may use for cpu, the cores for the rest).
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
    /// Sweeps (about 10 minutes): cpu across W = 1 .. 2 x cores; spawn, sleep
    /// and idle from 100 units up to the limit or time cap that stops each.
    #[arg(long)]
    pub full: bool,
    /// Show each cell's change since an earlier report.json (another laptop,
    /// or before a change to the code).
    #[arg(long, value_name = "PREVIOUS_JSON")]
    pub against: Option<std::path::PathBuf>,
    /// Measure nothing: print a saved report again (a report.json path, or
    /// `latest`, the default).
    #[arg(long, value_name = "REPORT_JSON", num_args = 0..=1, default_missing_value = "latest")]
    pub show: Option<String>,
    /// After measuring, draw the timelines the claims need (one traced run
    /// each, never a cell) and add them to report.html beside the claims.
    #[arg(long)]
    pub timelines: bool,
}

impl CompareArgs {
    /// The size level these arguments ask for.
    fn size(&self) -> &'static Size {
        match (self.quick, self.full) {
            (true, _) => &QUICK,
            (_, true) => &FULL,
            _ => &DEFAULT,
        }
    }

    /// The command line these parsed arguments stand for, as a learner
    /// would type it (the report's `invocation`).
    pub fn invocation(&self) -> String {
        let workers: Vec<String> = self.workers.iter().map(u64::to_string).collect();
        let against = self
            .against
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let lists = [
            ("models", self.models.clone()),
            ("scenarios", self.scenarios.clone()),
            ("variants", self.variants.clone()),
            ("workers", workers),
            ("n", self.n.iter().map(u64::to_string).collect()),
            ("repeats", self.repeats.iter().map(u32::to_string).collect()),
            ("against", against),
        ];
        let mut argv = vec!["cargo xtask compare".to_string()];
        for (name, values) in lists.iter().filter(|(_, v)| !v.is_empty()) {
            argv.push(format!("--{name} {}", values.join(",")));
        }
        for (name, on) in [("quick", self.quick), ("full", self.full)] {
            if on {
                argv.push(format!("--{name}"));
            }
        }
        argv.join(" ")
    }

    fn selection(&self) -> Selection {
        Selection {
            scenarios: self.scenarios.clone(),
            variants: self.variants.clone(),
            workers: self.workers.clone(),
            n: self.n,
            repeats: self.repeats,
        }
    }
}

pub fn main(args: &CompareArgs) -> Result<()> {
    if let Some(path) = &args.show {
        let latest = target_dir().join("compare/latest/report.json");
        let path = if path == "latest" {
            latest
        } else {
            path.into()
        };
        return render::show_saved(&path);
    }
    let report = compare(args)?;
    if report.partial {
        return Err(Error {
            code: 130,
            msg: "interrupted: the report above is partial".into(),
        });
    }
    let bad: Vec<String> = report
        .cells
        .iter()
        .filter(|c| matches!(c.status, Status::Failed | Status::Timeout))
        .map(|c| {
            format!(
                "{} {} {}: {}",
                c.model(),
                c.scenario(),
                c.variant(),
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
    let size = args.size();
    // Read the earlier report first: a wrong path or schema fails in a second.
    let previous = args.against.as_deref().map(report::read).transpose()?;
    workloads::sys::raise_nofile_limit();
    let started = Instant::now();
    let created = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();

    let mut all = group::crate_groups(&project::models());
    let pythons = python::discover_from_env();
    all.extend(pythons.groups());
    let wanted = group::select(&all, &args.models).map_err(Error::usage)?;
    let with_python = wanted.iter().any(|w| python::is_python(w));
    let mut needed = group::needed(&all, &wanted);
    // Threads `serial` also runs at the Python groups' `cpu` n (claim 15).
    if let Some(threads) = all.iter().find(|g| g.name == "threads") {
        if with_python && !needed.contains(&threads) {
            needed.push(threads);
        }
    }
    eprintln!("building {} model binaries (release)...", needed.len());
    let bins = build(&needed)?;
    let built = started.elapsed();
    let groups: BTreeMap<String, Group> = needed
        .iter()
        .map(|g| {
            let group = match resolve(g, &bins) {
                // An interpreter that cannot say what it implements is
                // absent, with the reason; the rest of the run goes on.
                Err(e) if python::is_python(&g.name) => build::absent(g, &e.msg),
                other => other?,
            };
            Ok((g.name.clone(), group))
        })
        .collect::<Result<_>>()?;
    let sel = args.selection();
    validate(&sel, &groups, &wanted).map_err(Error::usage)?;
    let cores = project::cores() as u64;
    let mut specs = if args.full {
        sweep::plan_full(&sel, &groups, &wanted, cores)
    } else {
        plan(&sel, size, &groups, &wanted, cores)
    };
    python::add_reference(&mut specs, &sel, size, &groups, &wanted);
    if specs.is_empty() {
        return Err(Error::usage(
            "nothing to run: no selected model implements the selected scenarios and variants",
        ));
    }

    let mut environment = environment();
    if with_python {
        environment.interpreters = pythons.in_run(&wanted);
    }
    eprintln!("measuring the effective cores...");
    environment.effective_cores.start = Some(probe::effective_cores());
    let server = if specs.iter().any(|s| s.scenario() == "net") {
        Some(ServerProcess::start(&bins["workloads"])?)
    } else {
        None
    };
    let server_addr = server.as_ref().map(|s| s.addr.clone());

    let policy = Policy {
        warmup: size.warmup,
        timeout: size.timeout,
        budget: size.budget.filter(|_| args.repeats.is_none()),
        sweep: args.full.then_some(sweep::POLICY),
    };
    proc::finish_on_interrupt(true);
    let bar = ProgressBar::hidden();
    let measuring = Instant::now();
    let outcome = execute(
        &specs,
        &policy,
        server_addr.as_deref(),
        &mut Processes,
        &mut |event| match args.full {
            true => full::progress(&bar, &specs, event, measuring),
            false => render::progress(&bar, &specs, event),
        },
    );
    bar.finish_and_clear();
    drop(server);
    let outcome = outcome?;
    if !outcome.interrupted {
        environment.effective_cores.end = Some(probe::effective_cores());
    }
    proc::finish_on_interrupt(false);

    let mut warnings = probe::warnings(&environment);
    if with_python {
        warnings.extend(pythons.warnings());
    }
    for g in &outcome.budget_spent {
        warnings.push(format!(
            "{g}: its time budget ({:.0?}) ran out, so some cells have fewer repeats",
            policy.budget.unwrap_or_default()
        ));
    }
    if outcome.sweep_budget_spent {
        warnings.push(format!(
            "the full run's budget of {} of runs ran out: the points not reached say so",
            full::mmss(sweep::POLICY.budget)
        ));
    }
    if outcome.interrupted {
        warnings
            .push("interrupted by Ctrl-C: this report holds only what was measured before".into());
    }

    let root = format!("{}/", project::root().display());
    let mut cells: Vec<Cell> = specs
        .iter()
        .zip(&outcome.progress)
        .flat_map(|(spec, p)| {
            // One cell per spec, or per point of a sweep's unit series.
            sweep::cells(spec, p, |n| {
                spec.command(n, server_addr.as_deref())
                    .join(" ")
                    .replace(&root, "")
            })
        })
        .collect();
    cells.extend(missing_cells(&sel, size, &groups, &wanted));
    let baselines = groups
        .values()
        .map(|g| (g.name().to_string(), g.def.baseline.clone()))
        .collect();
    finish(&mut cells, &baselines, &mut warnings);

    let mut report = Report {
        schema_version: report::SCHEMA_VERSION,
        created: created.clone(),
        size: size.name.into(),
        invocation: args.invocation(),
        partial: outcome.interrupted,
        environment,
        warnings,
        cells,
        claims: Vec::new(),
        against: None,
    };
    report.claims = verdicts::judge(&report);
    if let (Some(then), Some(path)) = (&previous, &args.against) {
        against::compare(&mut report, then, &path.display().to_string());
    }
    render::print(&report);
    let dir = target_dir().join("compare");
    let stamp = created.replace(':', "-");
    let latest = report::write(&report, &dir, &stamp)?;
    if args.timelines && !report.partial {
        crate::timeline::add_to_report(&wanted, &groups, &[dir.join(&stamp), latest.clone()])?;
    }
    let shown = |p: &std::path::Path| {
        p.strip_prefix(project::root())
            .unwrap_or(p)
            .display()
            .to_string()
    };
    println!(
        "{} cells in {:.0?} after a {:.0?} build. Report: {}/report.html (and report.md, report.json, the plots; a copy is kept in {}/)",
        report.cells.len(),
        started.elapsed() - built,
        built,
        shown(&latest),
        shown(&dir.join(&stamp))
    );
    if args.full {
        for line in crate::series::lines(&report) {
            println!("  {line}");
        }
        println!(
            "The full run took {} in all (build included; runs stop starting after {}, each run is killed after {}).",
            full::mmss(started.elapsed()),
            full::mmss(sweep::POLICY.budget),
            full::mmss(sweep::RUN_TIMEOUT)
        );
    }
    Ok(report)
}

#[path = "compare_full.rs"]
mod full;

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
