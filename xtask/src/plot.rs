//! The report's plots: SVG files drawn with plotters (no system fonts: the
//! text is `<text font-family="sans-serif">` and the viewer's font draws it).
//!
//! Every chart here has one shape, `bars::Bars`: one horizontal bar per cell, the
//! cell's name at its left and its value at its right, so long names stay
//! readable when projected and a chart of any number of cells keeps its
//! labels apart. A cell that did not run is a row with its status written in
//! place of a bar, and a cell missing from the report is no row: nothing is
//! ever drawn as zero. Sweeps add their charts here.

use std::io;
use std::path::{Path, PathBuf};

use plotters::style::RGBColor;

use crate::render::{fmt_ns, kib, n_text, slope_kib};
use crate::report::{Cell, Report, Status};

mod bars;
mod lines;
mod sweeps;
use bars::{Bar, Bars, Rule};

/// One colour per series, told apart in grey print too (Okabe-Ito).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
];
const GREY: RGBColor = RGBColor(120, 120, 120);

/// Write every plot the report has cells for into `dir/<name>.svg`; a plot
/// with no cell to draw is not written. Returns the files written.
pub fn write_all(report: &Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    // A full run's sweeps are curves (`plot/sweeps.rs`); its pingpong a bar chart.
    let full = report.size == "full";
    if full {
        for chart in sweeps::charts(report) {
            if !chart.is_empty() {
                written.push(chart.draw(dir)?);
            }
        }
    }
    let bars = match full {
        true => vec![pingpong(report)],
        false => vec![
            cpu_speedup(report),
            spawn_cost(report),
            memory(report),
            pingpong(report),
            sleep(report),
        ],
    };
    for chart in bars {
        if !chart.bars.is_empty() {
            written.push(chart.draw(dir)?);
        }
    }
    Ok(written)
}

/// "threads spawn W=2": a bar's name; the scenario is the chart's.
fn label(c: &Cell) -> String {
    let mut s = format!("{} {}", c.key.model, c.key.variant);
    if let Some(w) = c.key.params.workers {
        s += &format!(" W={w}");
    }
    s
}

fn cells<'a>(r: &'a Report, scenario: &'a str) -> impl Iterator<Item = &'a Cell> + 'a {
    r.cells.iter().filter(move |c| c.key.scenario == scenario)
}

/// One bar per cell of `scenario`, of the figure `value` reads (series 0).
fn single(
    r: &Report,
    scenario: &str,
    value: impl Fn(&Cell) -> Option<f64>,
    note: impl Fn(f64) -> String,
) -> Vec<Bar> {
    cells(r, scenario)
        .map(|c| match value(c).filter(|_| c.status == Status::Ok) {
            Some(v) => Bar {
                label: label(c),
                segments: vec![(v, 0)],
                note: note(v),
            },
            None => Bar::missing(label(c), c),
        })
        .collect()
}

/// (a) Speedup over threads `serial` for each `cpu` cell, coloured by W,
/// against the ideal (speedup = W) and the cores the machine really gave.
fn cpu_speedup(r: &Report) -> Bars {
    let env = &r.environment;
    let mut ws: Vec<Option<u64>> = cells(r, "cpu").map(|c| c.key.params.workers).collect();
    ws.sort();
    ws.dedup();
    let series = ws
        .iter()
        .enumerate()
        .map(|(i, w)| match w {
            None => ("takes no W (one thread)".to_string(), GREY),
            Some(w) => (
                format!(
                    "W = {w}{}",
                    if *w as usize == env.cores {
                        " (cores)"
                    } else {
                        ""
                    }
                ),
                PALETTE[i % PALETTE.len()],
            ),
        })
        .collect();
    let mut bars = single(r, "cpu", |c| c.ratio, |v| format!("{v:.2}x"));
    for (bar, c) in bars.iter_mut().zip(cells(r, "cpu")) {
        let w = ws.iter().position(|w| *w == c.key.params.workers);
        bar.segments.iter_mut().for_each(|s| s.1 = w.unwrap_or(0));
    }
    let mut rules = vec![Rule::at(1.0, "ideal at W = 1".into(), GREY)];
    if env.cores > 1 {
        let at = env.cores as f64;
        rules.push(Rule::at(
            at,
            format!("ideal at W = {} (cores)", env.cores),
            GREY,
        ));
    }
    let e = &env.effective_cores;
    if let Some(lo) = e.low() {
        let hi = e.start.into_iter().chain(e.end).fold(lo, f64::max);
        rules.push(Rule {
            from: lo,
            to: hi,
            name: format!("effective cores measured ({lo:.2}-{hi:.2})"),
            color: PALETTE[5],
        });
    }
    Bars {
        name: "cpu-speedup",
        title: "CPU-bound work: speedup over one thread".into(),
        axis: "speedup (threads serial time / this time, x)".into(),
        log: false,
        ticks: |v| format!("{v:.1}x"),
        series,
        bars,
        rules,
    }
}

/// (b) Starting and joining one unit, per model and variant.
fn spawn_cost(r: &Report) -> Bars {
    Bars {
        name: "spawn-cost",
        title: "Cost to start and join one unit".into(),
        axis: "time per unit (log scale)".into(),
        log: true,
        ticks: fmt_ns,
        series: vec![("spawn + join, per unit".into(), PALETTE[0])],
        bars: single(r, "spawn", |c| c.ns_per_unit, fmt_ns),
        rules: Vec::new(),
    }
}

/// (c) Memory per parked unit, the slope from `idle`: user-side (RSS, or
/// PSS for processes) and kernel (stacks + page tables) stacked. A slope
/// inside its noise, or below zero, is drawn as 0; the report keeps it.
fn memory(r: &Report) -> Bars {
    let bars = cells(r, "idle")
        .map(|c| {
            let (Some(m), Status::Ok) = (&c.mem_per_unit_kib, c.status) else {
                return Bar::missing(label(c), c);
            };
            let noise = c.mem_noise_kib.as_ref();
            let user = match m.pss {
                Some(pss) => (pss, noise.and_then(|n| n.pss), 1),
                None => (m.rss.unwrap_or(0.0), noise.and_then(|n| n.rss), 0),
            };
            let kernel = (m.kernel.unwrap_or(0.0), noise.and_then(|n| n.kernel), 2);
            let shown = |(v, n, _): (f64, Option<f64>, usize)| {
                if v <= 0.0 || n.is_some_and(|n| v.abs() <= n) {
                    0.0
                } else {
                    v
                }
            };
            let segments = vec![(shown(user), user.2), (shown(kernel), kernel.2)];
            let note = format!(
                "{} + {}",
                slope_kib(user.0, user.1),
                slope_kib(kernel.0, kernel.1)
            );
            Bar {
                label: label(c),
                segments,
                note,
            }
        })
        .collect();
    Bars {
        name: "memory",
        title: "Memory per parked unit (slope between two unit counts)".into(),
        axis: "KiB per unit".into(),
        log: false,
        ticks: |v| match v {
            v if v.abs() >= 1024.0 => kib(v),
            v => format!("{v:.0} KiB"),
        },
        series: vec![
            ("RSS (user side)".into(), PALETTE[0]),
            ("PSS (processes, shared pages split)".into(), PALETTE[2]),
            ("kernel (stacks + page tables)".into(), PALETTE[1]),
        ],
        bars,
        rules: Vec::new(),
    }
}

/// (d) One round trip of a message between two units.
fn pingpong(r: &Report) -> Bars {
    Bars {
        name: "pingpong",
        title: "Ping-pong: one round trip between two units".into(),
        axis: "time per round trip (log scale)".into(),
        log: true,
        ticks: fmt_ns,
        series: vec![("round trip".into(), PALETTE[4])],
        bars: single(r, "pingpong", |c| c.ns_per_unit, fmt_ns),
        rules: Vec::new(),
    }
}

/// (e) How long n units that each wait D ms took, in units of D.
fn sleep(r: &Report) -> Bars {
    let bars = single(r, "sleep", |c| c.wall_over_delay, |v| format!("{v:.2}x"));
    let spread = bars.iter().map(Bar::total).filter(|v| *v > 0.0);
    let (lo, hi) = spread.fold((f64::MAX, 0f64), |(a, b), v| (a.min(v), b.max(v)));
    let mut bars = bars;
    for (bar, c) in bars.iter_mut().zip(cells(r, "sleep")) {
        bar.label += &format!(" n={}", n_text(c));
    }
    let mut delays: Vec<Option<u64>> = cells(r, "sleep").map(|c| c.key.params.delay_ms).collect();
    delays.dedup();
    let d = match delays.as_slice() {
        [Some(d)] => format!(" D = {d} ms"),
        _ => " D".into(),
    };
    Bars {
        name: "sleep",
        title: format!("Waiting: wall time of n units that each wait{d}"),
        axis: format!(
            "wall time / D{}",
            if hi > 20.0 * lo { " (log scale)" } else { "" }
        ),
        log: hi > 20.0 * lo,
        ticks: |v| format!("{v:.1}x"),
        series: vec![("wall time / delay".into(), PALETTE[2])],
        bars,
        rules: vec![Rule::at(1.0, "1 = all waited at once".into(), GREY)],
    }
}

#[cfg(test)]
#[path = "plot_tests.rs"]
pub mod tests;
