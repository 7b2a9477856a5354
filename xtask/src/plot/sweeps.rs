//! The `--full` run's curves: speedup against workers, and spawn cost, the
//! wall time of `sleep` and memory per unit against unit counts (log-log),
//! one line per model and variant, each ending where a limit stopped it.

use std::collections::BTreeMap;

use workloads::record::Memory;

use plotters::style::RGBColor;

use super::lines::{Axis, Line, Lines};
use super::{GREY, PALETTE};

/// The report's palette and four more, so ten lines differ by colour.
const COLORS: [RGBColor; 10] = [
    PALETTE[0],
    PALETTE[1],
    PALETTE[2],
    PALETTE[3],
    PALETTE[4],
    PALETTE[5],
    RGBColor(0, 0, 0),
    RGBColor(117, 112, 179),
    RGBColor(102, 166, 30),
    RGBColor(166, 118, 29),
];
use crate::engine::stats::median;
use crate::engine::sweep::stop_name;
use crate::render::fmt_ns;
use crate::report::{Cell, Points, Report, Status};

/// The four charts, in the order the page shows them.
pub(super) fn charts(r: &Report) -> Vec<Lines> {
    vec![speedup(r), spawn(r), sleep(r), memory(r)]
}

/// "threads spawn" (with " W=2" where W was asked): one line's name.
fn name(c: &Cell) -> String {
    let mut s = format!("{} {}", c.key.model, c.key.variant);
    if let (Some(w), false) = (c.key.params.workers, c.scenario() == "cpu") {
        s += &format!(" W={w}");
    }
    s
}

fn n_of(c: &Cell) -> u64 {
    match &c.key.params.n {
        Points::One(n) => *n,
        Points::Many(ns) => ns.first().copied().unwrap_or(0),
    }
}

/// The cells of `scenario` grouped into lines, each sorted by n.
fn series<'a>(r: &'a Report, scenario: &str) -> BTreeMap<String, Vec<&'a Cell>> {
    let mut out: BTreeMap<String, Vec<&Cell>> = BTreeMap::new();
    for c in r.cells.iter().filter(|c| c.scenario() == scenario) {
        if c.status != Status::NotImplemented {
            out.entry(name(c)).or_default().push(c);
        }
    }
    out.values_mut().for_each(|v| v.sort_by_key(|c| n_of(c)));
    out
}

fn line(i: usize, name: String, points: Vec<(f64, f64)>, stop: Option<String>) -> Line {
    Line {
        name,
        color: COLORS[i % COLORS.len()],
        points,
        stop,
        // Past ten lines the colours repeat: the repeats are dashed.
        dashed: i >= COLORS.len(),
        reference: false,
    }
}

fn units_axis() -> Axis {
    Axis {
        desc: "units alive at once (log scale)".into(),
        log: true,
        ticks: |v| match v {
            v if v >= 1e6 => format!("{:.0}M", v / 1e6),
            v if v >= 1e3 => format!("{:.0}k", v / 1e3),
            v => format!("{v:.0}"),
        },
    }
}

/// One line per (model, variant) over the unit counts, of `value(cell)`.
fn unit_lines(r: &Report, scenario: &str, value: fn(&Cell) -> Option<f64>) -> Vec<Line> {
    series(r, scenario)
        .into_iter()
        .enumerate()
        .map(|(i, (name, cells))| {
            let points = cells
                .iter()
                .filter(|c| c.status == Status::Ok)
                .filter_map(|c| Some((n_of(c) as f64, value(c)?)))
                .collect();
            line(i, name, points, stop_name(&cells))
        })
        .collect()
}

/// Speedup over threads `serial` against W, with the ideal min(W, cores)
/// and the effective cores measured; a variant that takes no W is a dashed
/// level across the chart.
fn speedup(r: &Report) -> Lines {
    let env = &r.environment;
    let all = series(r, "cpu");
    let max_w = r
        .cells
        .iter()
        .filter(|c| c.scenario() == "cpu")
        .filter_map(|c| c.key.params.workers)
        .max()
        .unwrap_or(1)
        .max(2) as f64;
    let mut lines = Vec::new();
    for (i, (name, cells)) in all.into_iter().enumerate() {
        let fixed = cells.iter().all(|c| c.key.params.workers.is_none());
        let mut points: Vec<(f64, f64)> = cells
            .iter()
            .filter(|c| c.status == Status::Ok)
            .filter_map(|c| Some((c.key.params.workers.unwrap_or(1) as f64, c.ratio?)))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        if fixed {
            let Some(&(_, y)) = points.first() else {
                continue;
            };
            points = vec![(1.0, y), (max_w, y)];
        }
        let mut l = line(
            i,
            format!("{name}{}", if fixed { " (no W)" } else { "" }),
            points,
            None,
        );
        l.dashed |= fixed;
        lines.push(l);
    }
    let cores = env.cores.max(1) as f64;
    lines.push(Line {
        name: format!("ideal: min(W, {} cores)", env.cores),
        color: GREY,
        points: vec![(1.0, 1.0), (cores, cores), (max_w.max(cores), cores)],
        stop: None,
        dashed: true,
        reference: true,
    });
    let e = &env.effective_cores;
    let band = e.low().zip(e.high()).map(|(lo, hi)| {
        (
            lo,
            hi,
            format!("effective cores measured ({lo:.2}-{hi:.2})"),
            PALETTE[5],
        )
    });
    Lines {
        name: "sweep-speedup",
        title: "CPU-bound work: speedup against workers".into(),
        x: Axis {
            desc: "workers W".into(),
            log: false,
            ticks: |v| format!("{v:.0}"),
        },
        y: Axis {
            desc: "speedup over its group's serial (x)".into(),
            log: false,
            ticks: |v| format!("{v:.1}x"),
        },
        lines,
        band,
        legend_low: true,
    }
}

fn spawn(r: &Report) -> Lines {
    Lines {
        name: "sweep-spawn",
        title: "Cost to start and join one unit, by how many start".into(),
        x: units_axis(),
        y: Axis {
            desc: "time per unit (log scale)".into(),
            log: true,
            ticks: fmt_ns,
        },
        lines: unit_lines(r, "spawn", |c| c.ns_per_unit),
        band: None,
        legend_low: false,
    }
}

fn sleep(r: &Report) -> Lines {
    let delay = r
        .cells
        .iter()
        .filter(|c| c.scenario() == "sleep")
        .find_map(|c| c.key.params.delay_ms);
    let mut lines = unit_lines(r, "sleep", |c| c.median_ns.map(|ns| ns as f64));
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let (lo, hi) = xs.fold((f64::MAX, 0f64), |(a, b), x| (a.min(x), b.max(x)));
    if let (Some(d), true) = (delay, lo <= hi) {
        lines.push(Line {
            name: format!("D = {d} ms: every unit waited at once"),
            color: GREY,
            points: vec![(lo, d as f64 * 1e6), (hi, d as f64 * 1e6)],
            stop: None,
            dashed: true,
            reference: true,
        });
    }
    Lines {
        name: "sweep-sleep",
        title: "Waiting: wall time of n units that each wait D".into(),
        x: units_axis(),
        y: Axis {
            desc: "wall time (log scale)".into(),
            log: true,
            ticks: fmt_ns,
        },
        lines,
        band: None,
        legend_low: false,
    }
}

/// Memory one unit took at one n, KiB: the median over repeats of what the
/// binary measured (PSS for processes, else RSS, plus kernel) over n.
pub(super) fn kib_at(n: u64, readings: &[Memory]) -> Option<f64> {
    let grown = |a: Option<u64>, b: Option<u64>| Some(b? as f64 - a? as f64);
    let each: Vec<f64> = readings
        .iter()
        .filter_map(|m| {
            let user = grown(m.pss_before_kib, m.pss_after_kib)
                .or(grown(m.rss_before_kib, m.rss_after_kib))?;
            let kernel = grown(m.kernel_before_kib, m.kernel_after_kib).unwrap_or(0.0);
            Some((user + kernel.max(0.0)) / n.max(1) as f64)
        })
        .collect();
    median(each)
}

fn memory(r: &Report) -> Lines {
    let lines = series(r, "idle")
        .into_iter()
        .enumerate()
        .map(|(i, (name, cells))| {
            let points = cells
                .iter()
                .flat_map(|c| &c.samples)
                .filter_map(|s| Some((s.n as f64, kib_at(s.n, &s.memory)?)))
                .collect();
            line(i, name, points, stop_name(&cells))
        })
        .collect();
    Lines {
        name: "sweep-memory",
        title: "Memory per parked unit (user + kernel) at each n".into(),
        x: units_axis(),
        y: Axis {
            desc: "KiB per unit (log scale)".into(),
            log: true,
            ticks: |v| match v {
                v if v >= 1024.0 => format!("{:.0} MiB", v / 1024.0),
                v if v >= 1.0 => format!("{v:.0} KiB"),
                v => format!("{v:.2} KiB"),
            },
        },
        lines,
        band: None,
        legend_low: false,
    }
}

#[cfg(test)]
#[path = "sweeps_tests.rs"]
mod tests;
