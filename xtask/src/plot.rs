//! The report's plots: SVG files drawn with plotters (no system fonts: the
//! text is `<text font-family="sans-serif">` and the viewer's font draws it).
//!
//! Every chart here has one shape, `Bars`: one horizontal bar per cell, the
//! cell's name at its left and its value at its right, so long names stay
//! readable when projected and a chart of any number of cells keeps its
//! labels apart. A cell that did not run is a row with its status written in
//! place of a bar, and a cell missing from the report is no row: nothing is
//! ever drawn as zero. Sweeps add their charts here.

use std::io;
use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::render::{fmt_ns, kib, n_text, slope_kib};
use crate::report::{Cell, Report, Status};

/// Pixels: wide enough for a slide, text large enough to read from the back.
const WIDTH: u32 = 1200;
const ROW: u32 = 46;
const TITLE: u32 = 34;
const TEXT: u32 = 22;
const FONT: &str = "sans-serif";

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
    for chart in [
        cpu_speedup(report),
        spawn_cost(report),
        memory(report),
        pingpong(report),
        sleep(report),
    ] {
        if !chart.bars.is_empty() {
            written.push(chart.draw(dir)?);
        }
    }
    Ok(written)
}

/// A chart of horizontal bars, one per cell.
struct Bars {
    name: &'static str,
    title: String,
    /// The value axis: what and in which unit.
    axis: String,
    log: bool,
    /// Tick labels on the value axis.
    ticks: fn(f64) -> String,
    /// The legend's series; a bar's segments point into it.
    series: Vec<(String, RGBColor)>,
    bars: Vec<Bar>,
    /// Vertical reference lines, or bands between two values.
    rules: Vec<Rule>,
}

struct Bar {
    label: String,
    /// Stacked (value, series) from the axis outwards; empty: no bar.
    segments: Vec<(f64, usize)>,
    /// Written at the bar's end: its value, or why there is no bar.
    note: String,
}

struct Rule {
    from: f64,
    to: f64,
    name: String,
    color: RGBColor,
}

impl Rule {
    fn at(x: f64, name: String, color: RGBColor) -> Rule {
        Rule {
            from: x,
            to: x,
            name,
            color,
        }
    }
}

impl Bar {
    fn total(&self) -> f64 {
        self.segments.iter().map(|s| s.0).sum()
    }

    /// A row for a cell that did not give the figure: its status, no bar.
    fn missing(label: String, c: &Cell) -> Bar {
        let why = match c.status {
            Status::Ok => "no figure",
            s => s.as_str(),
        };
        Bar {
            label,
            segments: Vec::new(),
            note: format!("({why})"),
        }
    }
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
                format!("W = {w}{}", if *w as usize == env.cores { " (cores)" } else { "" }),
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
        rules.push(Rule::at(at, format!("ideal at W = {} (cores)", env.cores), GREY));
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
        ticks: kib,
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
    Bars {
        name: "sleep",
        title: "Waiting: wall time of n units that each wait D".into(),
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

fn err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// Where a row sits: plotters counts segments from the bottom, bars are read
/// from the top.
fn seg(j: usize, rows: usize) -> SegmentValue<i32> {
    if j >= rows {
        SegmentValue::Last
    } else {
        SegmentValue::Exact(j as i32)
    }
}

impl Bars {
    /// The series a bar uses, in legend order, and the legend's entries.
    fn used_series(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self.bars.iter().flat_map(|b| b.segments.iter().map(|s| s.1)).collect();
        used.sort();
        used.dedup();
        used
    }

    /// Write `dir/<name>.svg`.
    fn draw(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(format!("{}.svg", self.name));
        // The legend gets empty rows of its own at the top: it never hides a bar.
        let entries = self.used_series().len() + self.rules.len();
        let legend_rows = (entries as u32 * (TEXT + 10) + 20).div_ceil(ROW) as usize;
        let rows = self.bars.len() + legend_rows;
        let height = 90 + rows as u32 * ROW + 80;
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let values = self.bars.iter().map(Bar::total).filter(|v| *v > 0.0);
        let rules = self.rules.iter().flat_map(|r| [r.from, r.to]);
        let all: Vec<f64> = values.chain(rules).collect();
        let max = all.iter().copied().fold(0f64, f64::max).max(1e-9);
        // Leave the right third free for the values written at the bars' ends.
        if self.log {
            let min = all.iter().copied().fold(max, f64::min);
            let lo = 10f64.powf((min / 2.0).log10().floor());
            let hi = lo * (max / lo).powf(1.0 / 0.65);
            self.plot(&root, (lo..hi).log_scale(), lo, rows, legend_rows)?;
        } else {
            self.plot(&root, 0.0..max / 0.65, 0.0, rows, legend_rows)?;
        }
        root.present().map_err(err)?;
        drop(root);
        std::fs::write(&path, svg)?;
        Ok(path)
    }

    fn plot<X>(
        &self,
        root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
        x: X,
        origin: f64,
        rows: usize,
        legend_rows: usize,
    ) -> io::Result<()>
    where
        X: plotters::coord::ranged1d::AsRangedCoord<Value = f64>,
        X::CoordDescType: plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        let longest = self.bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0);
        let top = rows - legend_rows; // bars take rows 0..top, from the top down
        let j_of = |i: usize| top - 1 - i;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, TITLE))
            .margin(20)
            .x_label_area_size(80)
            .y_label_area_size(longest as u32 * TEXT * 6 / 10 + 30)
            .build_cartesian_2d(x, (0..rows as i32 - 1).into_segmented())
            .map_err(err)?;
        let row_label = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(j) if (*j as usize) < top => self.bars[top - 1 - *j as usize].label.clone(),
            _ => String::new(),
        };
        let ticks = self.ticks;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .y_labels(rows + 1)
            .y_label_formatter(&row_label)
            .x_label_formatter(&|v| ticks(*v))
            .x_desc(self.axis.as_str())
            .label_style((FONT, TEXT))
            .axis_desc_style((FONT, TEXT))
            .draw()
            .map_err(err)?;
        for (i, bar) in self.bars.iter().enumerate() {
            let j = j_of(i);
            let mut from = origin;
            for &(v, s) in bar.segments.iter().filter(|s| s.0 > 0.0) {
                let color = self.series[s].1;
                let to = if from == origin && origin > 0.0 { v } else { from + v };
                let mut r = Rectangle::new([(from, seg(j, rows)), (to, seg(j + 1, rows))], color.filled());
                r.set_margin(6, 6, 0, 0);
                chart.plotting_area().draw(&r).map_err(err)?;
                from = to;
            }
            let style = (FONT, TEXT).into_font().into_text_style(root).pos(Pos::new(HPos::Left, VPos::Center));
            let at = (from, SegmentValue::CenterOf(j as i32));
            chart.plotting_area().draw(&Text::new(format!("  {}", bar.note), at, style)).map_err(err)?;
        }
        for s in self.used_series() {
            let (name, color) = &self.series[s];
            let color = *color;
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<i32>)>>())
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 9), (x + 22, y + 9)], color.filled()));
        }
        for rule in &self.rules {
            let color = rule.color;
            let (lo, hi) = (seg(0, rows), seg(top, rows));
            let anno = if rule.to > rule.from {
                let band = Rectangle::new([(rule.from, lo), (rule.to, hi)], color.mix(0.3).filled());
                chart.draw_series([band]).map_err(err)?
            } else {
                let line = PathElement::new([(rule.from, lo), (rule.from, hi)], color.stroke_width(3));
                chart.draw_series([line]).map_err(err)?
            };
            anno.label(rule.name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x + 9, y - 11), (x + 13, y + 11)], color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FONT, TEXT))
            .background_style(WHITE)
            .border_style(BLACK)
            .margin(10)
            .draw()
            .map_err(err)
    }
}
