//! The report as people read it: the terminal table (comfy-table),
//! `report.md`, and the progress bar while it is measured. Figures are
//! formatted here and nowhere else.

use comfy_table::{presets, Cell as TableCell, CellAlignment, Table};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::exec::Event;
use crate::engine::plan::Spec;

use crate::report::{Cell, MemPerUnit, Points, Report, Status};

pub fn fmt_ns(ns: f64) -> String {
    match ns {
        x if x >= 1e9 => format!("{:.2} s", x / 1e9),
        x if x >= 1e6 => format!("{:.1} ms", x / 1e6),
        x if x >= 1e3 => format!("{:.1} µs", x / 1e3),
        x => format!("{x:.0} ns"),
    }
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> String) -> String {
    v.map_or_else(|| "-".to_string(), f)
}

pub fn kib(k: f64) -> String {
    if k.abs() >= 1024.0 {
        format!("{:.1} MiB", k / 1024.0)
    } else {
        format!("{k:.1} KiB")
    }
}

/// A memory slope as shown: `~0` when it is inside its noise (or too small
/// to print), never a negative size. The report keeps the measured value.
pub fn slope_kib(value: f64, noise: Option<f64>) -> String {
    let inside_noise = noise.is_some_and(|n| value.abs() <= n);
    if value < 0.05 || inside_noise {
        "~0 KiB".into()
    } else {
        kib(value)
    }
}

/// The per-unit column: memory per unit, ns per unit, or wall/delay.
pub fn per_unit(c: &Cell) -> String {
    if let Some(m) = &c.mem_per_unit_kib {
        let noise = c.mem_noise_kib.as_ref();
        let part = |v: Option<f64>, n: fn(&MemPerUnit) -> Option<f64>, label: &str| {
            v.map(|v| format!("{} {label}", slope_kib(v, noise.and_then(n))))
        };
        let parts: Vec<String> = [
            part(m.rss, |n| n.rss, "rss"),
            part(m.kernel, |n| n.kernel, "kernel"),
            part(m.pss, |n| n.pss, "pss"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !parts.is_empty() {
            return parts.join(" + ");
        }
    }
    if let Some(x) = c.ns_per_unit {
        return format!("{}/unit", fmt_ns(x));
    }
    if let Some(x) = c.wall_over_delay {
        return format!("{x:.2}x delay");
    }
    "-".into()
}

pub fn n_text(c: &Cell) -> String {
    match &c.key.params.n {
        Points::Many(ns) => ns
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(","),
        Points::One(n) => n.to_string(),
    }
}

/// W as asked; for a variant that takes none, what it reported, in brackets.
fn workers_text(c: &Cell) -> String {
    match (c.key.params.workers, c.reported_workers) {
        (Some(w), _) => w.to_string(),
        (None, Some(r)) => format!("({r})"),
        (None, None) => "-".into(),
    }
}

/// The change since `--against`'s report: `1.25x faster`, `~same` when it is
/// inside the noise of the two cells.
fn change_text(c: &Cell) -> String {
    let Some(ch) = &c.change else {
        return "-".into();
    };
    if ch.inside_noise == Some(true) {
        return format!("~same ({:.2}x)", ch.ratio);
    }
    let word = match (c.mem_per_unit_kib.is_some(), ch.ratio >= 1.0) {
        (false, true) => "faster",
        (false, false) => "slower",
        (true, true) => "lighter",
        (true, false) => "heavier",
    };
    let size = if ch.ratio >= 1.0 {
        ch.ratio
    } else {
        1.0 / ch.ratio
    };
    format!("{size:.2}x {word}")
}

pub fn row(c: &Cell) -> Vec<String> {
    let status = match (&c.status, c.flagged, &c.reason) {
        (Status::Ok, true, _) => "ok, noisy".to_string(),
        // An idle cell whose largest n hit a limit: the slope is from the rest.
        (Status::Ok, false, Some(_)) => "ok, limit".to_string(),
        (s, _, _) => s.as_str().to_string(),
    };
    vec![
        c.key.scenario.clone(),
        c.key.model.clone(),
        c.key.variant.clone(),
        workers_text(c),
        n_text(c),
        opt(c.median_ns, |x| fmt_ns(x as f64)),
        opt(c.spread, |s| format!("{:.1}%", s * 100.0)),
        opt(c.ratio, |r| format!("{r:.2}x")),
        per_unit(c),
        opt(c.os_threads, |t| t.to_string()),
        opt(c.cpu_s, |x| format!("{x:.2}")),
        opt(c.peak_rss_kib, |k| kib(k as f64)),
        opt(c.startup_ns, |x| {
            if x == 0 {
                "-".into()
            } else {
                fmt_ns(x as f64)
            }
        }),
        status,
    ]
}

pub const HEADER: [&str; 14] = [
    "scenario", "model", "variant", "W", "n", "median", "spread", "ratio", "per unit", "OS thr",
    "CPU s", "peak RSS", "start-up", "status",
];

/// The rows of the table, with a "vs before" column when `--against` gave
/// the cells a change.
pub fn rows(cells: &[Cell]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let against = cells.iter().any(|c| c.change.is_some());
    let mut header = HEADER.to_vec();
    if against {
        header.insert(8, "vs before");
    }
    let rows = cells
        .iter()
        .map(|c| {
            let mut r = row(c);
            if against {
                r.insert(8, change_text(c));
            }
            r
        })
        .collect();
    (header, rows)
}

/// `text` cut to about `max` characters at a word, for one terminal line
/// (report.md and report.html keep the whole sentence).
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut} …")
}

/// The terminal table.
pub fn table(cells: &[Cell]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    let (header, rows) = rows(cells);
    t.set_header(header.iter().map(TableCell::new));
    for r in rows {
        t.add_row(r);
    }
    for col in [3, 4, 5, 6, 7, 9, 10, 11, 12] {
        if let Some(column) = t.column_mut(col) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The table, why each cell that did not run cleanly did not, the effective
/// cores and the warnings, on stdout.
pub fn print(report: &Report) {
    println!("{}", table(&report.cells));
    for c in report
        .cells
        .iter()
        .filter(|c| c.status != Status::NotImplemented)
    {
        if let Some(reason) = &c.reason {
            println!(
                "{} {} {} ({}): {reason}",
                c.scenario(),
                c.model(),
                c.variant(),
                c.status.as_str()
            );
        }
    }
    let e = &report.environment.effective_cores;
    println!(
        "effective cores: {} at the start, {} at the end, of {} allowed",
        opt(e.start, |x| format!("{x:.2}")),
        opt(e.end, |x| format!("{x:.2}")),
        report.environment.cores
    );
    for line in interpreters(&report.environment) {
        println!("{line}");
    }
    if !report.claims.is_empty() {
        println!("\nWhat this run says about the tutorials' claims:");
        for j in &report.claims {
            println!(
                "{:>4} {}: {}",
                j.id,
                j.verdict.as_str(),
                short(&j.reason, 150)
            );
        }
    }
    if let Some(a) = &report.against {
        println!("against {} ({}): {}", a.path, a.created, a.notes.join("; "));
    }
    for w in &report.warnings {
        println!("warning: {w}");
    }
}

/// `cargo xtask compare --show [PATH]`: print a saved report again.
pub fn show_saved(path: &std::path::Path) -> crate::Result<()> {
    let r = crate::report::read(path)?;
    let partial = if r.partial { ", partial" } else { "" };
    println!("{} ({} size, {}{partial})", r.invocation, r.size, r.created);
    print(&r);
    Ok(())
}

/// `report.md`: the same table, the environment, and how to reproduce each cell.
pub fn markdown(r: &Report) -> String {
    let e = &r.environment;
    let mut md = format!(
        "# concurrency-models comparison\n\n`{}` ({} size), {}.{}\n\n",
        r.invocation,
        r.size,
        r.created,
        if r.partial {
            " **Partial: the run was interrupted; only what was measured before is here.**"
        } else {
            ""
        }
    );
    md += &format!(
        "- Machine: {} cores allowed, {} effective at start and {} at end, {}, {} {} (kernel {})\n- rustc: {}\n- git: {}\n- load average at start: {}\n- limits: ulimit -n {}, vm.max_map_count {}, threads-max {}, pid_max {}, MemAvailable {}\n\n",
        e.cores,
        opt(e.effective_cores.start, |x| format!("{x:.2}")),
        opt(e.effective_cores.end, |x| format!("{x:.2}")),
        e.cpu_model.as_deref().unwrap_or("n/a"),
        e.os,
        e.arch,
        e.kernel.as_deref().unwrap_or("n/a"),
        e.rustc.as_deref().unwrap_or("n/a"),
        e.git_commit.as_deref().unwrap_or("n/a"),
        opt(e.load_average, |l| format!("{l:.2}")),
        e.limits.nofile_soft,
        opt(e.limits.max_map_count, |x| x.to_string()),
        opt(e.limits.threads_max, |x| x.to_string()),
        opt(e.limits.pid_max, |x| x.to_string()),
        opt(e.limits.mem_available_kib, |k| kib(k as f64)),
    );
    for line in interpreters(e) {
        md += &format!("- {line}\n");
    }
    if !e.interpreters.is_empty() {
        md += "\n";
    }
    if !r.claims.is_empty() {
        md += "## What this run says about the tutorials' claims\n\n";
        for j in &r.claims {
            md += &format!(
                "- **{}. \"{}\"**: {}. {}\n",
                j.id,
                j.claim,
                j.verdict.as_str(),
                j.reason
            );
        }
        md += "\n";
    }
    let series = crate::series::lines(r);
    if r.size == "full" && !series.is_empty() {
        md += "## How far each series went\n\n";
        for line in &series {
            md += &format!("- {line}\n");
        }
        md += "\n";
    }
    md += "## Every cell\n\n";
    md += "`ratio` = baseline median / cell median (above 1 is faster), against each group's baseline: threads `serial` for `cpu` and threads `spawn` (a thread per unit) otherwise; a Python group's own `serial` and `threading`. ";
    md += "`spread` = median absolute deviation / median; above 10 % the cell is flagged noisy. ";
    md += "`W` is the `--workers` asked for; `(n)` is what a variant that takes no W reported. ";
    md += "`OS thr` is the process's OS threads counted right after the last unit started.\n\n";
    if let Some(a) = &r.against {
        md += &format!(
            "Against `{}` ({}): {}.\n\n",
            a.path,
            a.created,
            a.notes.join("; ")
        );
    }
    let (header, rows) = rows(&r.cells);
    md += &format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for fields in rows {
        let fields: Vec<String> = fields.iter().map(|f| f.replace('|', "\\|")).collect();
        md += &format!("| {} |\n", fields.join(" | "));
    }
    if !r.warnings.is_empty() {
        md += "\n## Warnings\n\n";
        for w in &r.warnings {
            md += &format!("- {w}\n");
        }
    }
    md += "\n## Reproduce a cell\n\nRun from the workspace root after `cargo build --release`; `net` cells need `target/release/delay-server` running and its address in `--server`.\n\n";
    for c in &r.cells {
        let why = c
            .reason
            .as_deref()
            .map(|r| format!(" ({}: {r})", c.status.as_str()))
            .unwrap_or_default();
        md += &format!("- {} {} {}{why}:\n", c.model(), c.scenario(), c.variant());
        for cmd in &c.command {
            md += &format!("  `{cmd}`\n");
        }
    }
    md
}

/// The progress bar, driven by the runner's events.
pub fn progress(bar: &ProgressBar, specs: &[Spec], event: Event) {
    match event {
        Event::Planned { runs } => {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.set_length(runs);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
        Event::Run { cell, n, warmup } => {
            let k = &specs[cell].key;
            bar.set_message(format!(
                "{} {} {} n={n}{}",
                k.model,
                k.scenario,
                k.variant,
                if warmup { " (warm-up)" } else { "" }
            ));
            bar.inc(1);
        }
        Event::Skipped { runs } => bar.inc(runs),
        Event::BudgetSpent { .. } => {}
    }
}

/// One line per Python interpreter of the run: what it is, or why it was left out.
fn interpreters(e: &crate::report::Environment) -> Vec<String> {
    e.interpreters
        .iter()
        .map(|i| match &i.absent {
            None => format!(
                "Python: {} at {}",
                i.describe(),
                i.executable.as_deref().unwrap_or(&i.path)
            ),
            Some(why) => format!("Python left out: {why}"),
        })
        .collect()
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
