//! `cargo xtask timeline <model>`: which OS thread ran which unit, when.
//!
//! Builds the model's binary, runs each chosen scenario and variant once with
//! `--trace FILE` at a small size, and writes per picture
//! `target/timeline/<model>/<scenario>-<variant>.svg` (a Gantt chart: a row
//! per OS thread or process, a bar per unit) and `.json` (the same events as
//! Chrome trace-event JSON, for <https://ui.perfetto.dev>). It prints what
//! each picture shows in numbers. A traced run is never a report cell.

mod chrome;
mod svg;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use clap::{value_parser, Args};
use workloads::contract::{MAX_WORKERS, TRACED_SCENARIOS};
use workloads::trace::{Event, Kind, Trace};

use crate::engine::build::{self, target_dir};
use crate::engine::group::{crate_groups, Group};
use crate::proc::{self, Output};
use crate::{project, Error, Result};

#[derive(Args, Debug, Clone)]
pub struct TimelineArgs {
    /// The model: threads, processes, async, green.
    pub model: String,
    /// Scenarios to draw, comma-separated (default: cpu,sleep).
    #[arg(long, value_delimiter = ',')]
    pub scenarios: Vec<String>,
    /// Only these variants (default: every variant of the model).
    #[arg(long, value_delimiter = ',')]
    pub variants: Vec<String>,
    /// Workers for the variants that take W.
    #[arg(long, default_value_t = 2, value_parser = value_parser!(u64).range(1..=MAX_WORKERS as u64))]
    pub workers: u64,
    /// cpu: count the primes below this (small: the picture, not a measurement).
    #[arg(long, default_value_t = 1_000_000, value_parser = value_parser!(u64).range(1..=100_000_000))]
    pub cpu_n: u64,
    /// sleep: this many units, each waiting --delay-ms.
    #[arg(long, default_value_t = 24, value_parser = value_parser!(u64).range(1..=10_000))]
    pub sleep_n: u64,
    #[arg(long, default_value_t = 20, value_parser = value_parser!(u64).range(0..=10_000))]
    pub delay_ms: u64,
}

impl TimelineArgs {
    /// The defaults for `model`: what `compare --timelines` draws.
    pub fn defaults(model: &str, variants: &[&str]) -> TimelineArgs {
        TimelineArgs {
            model: model.into(),
            scenarios: Vec::new(),
            variants: variants.iter().map(|v| v.to_string()).collect(),
            workers: 2,
            cpu_n: 1_000_000,
            sleep_n: 24,
            delay_ms: 20,
        }
    }
}

/// One drawn picture: where it is and what it shows.
#[derive(Debug, Clone)]
pub struct Picture {
    pub scenario: String,
    pub variant: String,
    pub svg: PathBuf,
    pub stats: Stats,
}

pub fn main(args: &TimelineArgs) -> Result<()> {
    let pictures = draw(args, &mut |p| println!("{}", p.summary_line()))?;
    println!(
        "wrote {} pictures to {} (open a .json in https://ui.perfetto.dev)",
        pictures.len(),
        out_dir(&args.model).display()
    );
    Ok(())
}

/// Where a model's pictures go.
pub fn out_dir(model: &str) -> PathBuf {
    target_dir().join("timeline").join(model)
}

/// Build the model, run traced and draw every chosen picture; `each` sees
/// each one as it is written.
pub fn draw(args: &TimelineArgs, each: &mut dyn FnMut(&Picture)) -> Result<Vec<Picture>> {
    let model = project::model(&args.model)?;
    let groups = crate_groups(std::slice::from_ref(&model));
    let bins = build::build(&groups.iter().collect::<Vec<_>>())?;
    draw_in(args, &build::resolve(&groups[0], &bins)?, each)
}

/// Like [`draw`], with the model's binary already built (by `compare`, whose
/// build of several models at once a build of one would redo).
pub fn draw_in(
    args: &TimelineArgs,
    group: &Group,
    each: &mut dyn FnMut(&Picture),
) -> Result<Vec<Picture>> {
    let scenarios: Vec<String> = if args.scenarios.is_empty() {
        TRACED_SCENARIOS.iter().map(|s| s.to_string()).collect()
    } else {
        args.scenarios.clone()
    };
    if let Some(bad) = scenarios
        .iter()
        .find(|s| !TRACED_SCENARIOS.contains(&s.as_str()))
    {
        return Err(Error::usage(format!(
            "timeline draws the scenarios {}, not '{bad}' (valid: {})",
            TRACED_SCENARIOS.join(" and "),
            TRACED_SCENARIOS.join(", ")
        )));
    }
    let all_variants: BTreeSet<&str> = scenarios
        .iter()
        .filter_map(|s| group.catalogue.variant_names(s))
        .flatten()
        .collect();
    if let Some(bad) = args
        .variants
        .iter()
        .find(|v| !all_variants.contains(v.as_str()))
    {
        return Err(Error::usage(format!(
            "unknown variant '{bad}' for {} {} (valid: {})",
            args.model,
            scenarios.join(","),
            all_variants.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let dir = out_dir(&args.model);
    std::fs::create_dir_all(&dir)?;
    let mut pictures = Vec::new();
    for scenario in &scenarios {
        let Some(variants) = group.catalogue.variant_names(scenario) else {
            continue;
        };
        for variant in variants {
            if !args.variants.is_empty() && !args.variants.iter().any(|v| v == variant) {
                continue;
            }
            let trace = run_traced(group, scenario, variant, args, &dir)?;
            let picture = write_picture(&trace, &dir)?;
            each(&picture);
            pictures.push(picture);
        }
    }
    Ok(pictures)
}

/// Run one traced cell and read its trace back.
fn run_traced(
    group: &Group,
    scenario: &str,
    variant: &str,
    args: &TimelineArgs,
    dir: &Path,
) -> Result<Trace> {
    let raw = dir.join(format!("{scenario}-{variant}.trace.json"));
    let takes_workers = group
        .catalogue
        .variant(scenario, variant)
        .is_some_and(|v| v.takes_workers);
    let n = if scenario == "cpu" {
        args.cpu_n
    } else {
        args.sleep_n
    };
    let mut cmd = Command::new(&group.argv[0]);
    cmd.args(&group.argv[1..])
        .args(["run", scenario, "--variant", variant, "--n", &n.to_string()])
        .args(["--delay-ms", &args.delay_ms.to_string()])
        .arg("--trace")
        .arg(&raw)
        .current_dir(project::root());
    if takes_workers {
        cmd.args(["--workers", &args.workers.to_string()]);
    }
    let timeout = Duration::from_secs(120);
    let done = proc::run(&mut cmd, timeout, Output::Capture)?;
    if !done.success() {
        return Err(Error::failed(format!(
            "{} {scenario} {variant} --trace: {}: {}",
            group.name(),
            done.describe(timeout),
            done.last_error_line()
        )));
    }
    let text = std::fs::read_to_string(&raw)
        .map_err(|e| Error::failed(format!("reading {}: {e}", raw.display())))?;
    let _ = std::fs::remove_file(&raw);
    serde_json::from_str(&text)
        .map_err(|e| Error::failed(format!("{}: not a trace: {e}", raw.display())))
}

/// Write the SVG and the Chrome JSON of one trace.
pub fn write_picture(trace: &Trace, dir: &Path) -> Result<Picture> {
    let stem = format!("{}-{}", trace.scenario, trace.variant);
    let stats = Stats::of(&trace.events);
    let svg_path = dir.join(format!("{stem}.svg"));
    let json_path = dir.join(format!("{stem}.json"));
    std::fs::write(&svg_path, svg::render(trace, &stats))?;
    let chrome = serde_json::to_string(&chrome::render(trace)).expect("JSON serialises");
    std::fs::write(&json_path, chrome)?;
    Ok(Picture {
        scenario: trace.scenario.clone(),
        variant: trace.variant.clone(),
        svg: svg_path,
        stats,
    })
}

/// The variants whose timelines illustrate the claims, per model, in `cpu`.
pub const FOR_CLAIMS: &[(&str, &[&str], &str)] = &[
    (
        "threads",
        &["scoped", "gil"],
        "scoped threads run chunks side by side on two rows; under the simulated GIL they take turns, never at once",
    ),
    (
        "processes",
        &["pool"],
        "a pool of processes: a row per worker process",
    ),
    (
        "async",
        &["current-thread", "multi-thread"],
        "one OS thread runs every task of a current-thread runtime; a multi-thread runtime spreads them",
    ),
    (
        "green",
        &["may", "may-1"],
        "may's coroutines spread over two worker threads (M:N); may-1's all on one (M:1, as gevent)",
    ),
];

/// `compare --timelines`: draw the claims' timelines of the compared models
/// and put them into each `report.html` under `dirs`.
pub fn add_to_report(
    models: &[String],
    groups: &BTreeMap<String, Group>,
    dirs: &[PathBuf],
) -> Result<()> {
    let mut section = String::from(
        "<h2 id=\"timelines\">Timelines: which OS thread ran which unit</h2>\n\
         <p>One traced run per picture, at a small size, after the measurement: no cell above \
         comes from a traced run. Rows are OS threads (or processes), a bar is a chunk of the \
         <code>cpu</code> scenario, time runs across in ms.</p>\n",
    );
    for (model, variants, says) in FOR_CLAIMS {
        let Some(group) = groups
            .get(*model)
            .filter(|_| models.iter().any(|m| m == model))
        else {
            continue;
        };
        let mut args = TimelineArgs::defaults(model, variants);
        args.scenarios = vec!["cpu".into()];
        eprintln!(
            "drawing the timelines of {model} ({})...",
            variants.join(", ")
        );
        let pictures = draw_in(&args, group, &mut |_| {})?;
        section += &format!(
            "<h3>{model}</h3>\n<p>{}. Again: <code>cargo xtask timeline {model} --scenarios cpu --variants {}</code></p>\n",
            crate::html::escape(says),
            variants.join(",")
        );
        for p in pictures {
            let svg = std::fs::read_to_string(&p.svg)?;
            section += &format!(
                "<figure>\n{svg}<figcaption>{} {}: {}</figcaption>\n</figure>\n",
                p.scenario,
                p.variant,
                crate::html::escape(&p.stats.describe())
            );
        }
    }
    for dir in dirs {
        let path = dir.join("report.html");
        let page = std::fs::read_to_string(&path)?;
        std::fs::write(&path, crate::html::insert_section(&page, &section))?;
    }
    Ok(())
}

impl Picture {
    pub fn summary_line(&self) -> String {
        format!(
            "{:<5} {:<14} {}",
            self.scenario,
            self.variant,
            self.stats.describe()
        )
    }
}

/// What a picture shows, in numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub units: usize,
    pub processes: usize,
    /// Distinct (pid, tid) with an event: the picture's rows.
    pub os_threads: usize,
    /// First start to last end.
    pub span_ns: u64,
    /// Time during which two or more `run` events overlapped.
    pub parallel_ns: u64,
    /// The most `run` events at once.
    pub max_running: usize,
    /// The most `wait` events at once.
    pub max_waiting: usize,
    /// The longest stretch inside the span with no unit running (or, in a
    /// picture of waits only, none waiting).
    pub longest_gap_ns: u64,
}

impl Stats {
    pub fn of(events: &[Event]) -> Stats {
        let runs: Vec<&Event> = events.iter().filter(|e| e.kind == Kind::Run).collect();
        let waits: Vec<&Event> = events.iter().filter(|e| e.kind == Kind::Wait).collect();
        let (Some(first), Some(last)) = (
            events.iter().map(|e| e.start_ns).min(),
            events.iter().map(|e| e.end_ns).max(),
        ) else {
            return Stats::default();
        };
        let (parallel_ns, max_running, run_gap) = sweep(&runs, first, last);
        let (_, max_waiting, wait_gap) = sweep(&waits, first, last);
        Stats {
            units: events
                .iter()
                .map(|e| (e.pid, e.unit))
                .collect::<BTreeSet<_>>()
                .len(),
            processes: events.iter().map(|e| e.pid).collect::<BTreeSet<_>>().len(),
            os_threads: tracks(events).len(),
            span_ns: last - first,
            parallel_ns,
            max_running,
            max_waiting,
            longest_gap_ns: if runs.is_empty() { wait_gap } else { run_gap },
        }
    }

    pub fn describe(&self) -> String {
        let ms = |ns: u64| ns as f64 / 1e6;
        let procs = if self.processes > 1 {
            format!(" in {} processes", self.processes)
        } else {
            String::new()
        };
        format!(
            "{} OS threads{procs}, {} units over {:.1} ms: 2+ units ran at once for {:.1} ms \
             (at most {} running, {} waiting), longest gap {:.2} ms",
            self.os_threads,
            self.units,
            ms(self.span_ns),
            ms(self.parallel_ns),
            self.max_running,
            self.max_waiting,
            ms(self.longest_gap_ns)
        )
    }
}

/// Over `events` within [first, last]: the time two or more overlap, the most
/// at once, and the longest time none is active.
fn sweep(events: &[&Event], first: u64, last: u64) -> (u64, usize, u64) {
    let mut edges: Vec<(u64, i64)> = events
        .iter()
        .flat_map(|e| [(e.start_ns, 1), (e.end_ns, -1)])
        .collect();
    // Ends before starts at the same instant: touching is not overlapping.
    edges.sort();
    let (mut active, mut most, mut both, mut gap) = (0i64, 0i64, 0u64, 0u64);
    let mut at = first;
    for (t, d) in edges {
        if active >= 2 {
            both += t - at;
        }
        if active == 0 {
            gap = gap.max(t - at);
        }
        active += d;
        most = most.max(active);
        at = t;
    }
    gap = gap.max(last - at);
    (both, most as usize, gap)
}

/// The picture's rows: every (pid, tid) with an event, processes in the order
/// they first appear, and a process's threads likewise.
pub fn tracks(events: &[Event]) -> Vec<(u32, u32)> {
    let mut first: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let mut proc_first: BTreeMap<u32, u64> = BTreeMap::new();
    for e in events {
        let t = first.entry((e.pid, e.tid)).or_insert(e.start_ns);
        *t = (*t).min(e.start_ns);
        let p = proc_first.entry(e.pid).or_insert(e.start_ns);
        *p = (*p).min(e.start_ns);
    }
    let mut rows: Vec<(u32, u32)> = first.keys().copied().collect();
    rows.sort_by_key(|&(pid, tid)| (proc_first[&pid], pid, first[&(pid, tid)], tid));
    rows
}
