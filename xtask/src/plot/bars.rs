//! The one chart shape the plots share: horizontal bars, one per cell, the
//! cell's name at the left and its value written past the bar's end, an
//! optional log scale, stacked segments, and vertical reference lines or
//! bands. The legend gets empty rows of its own at the top, so it never
//! hides a bar.

use std::io;
use std::path::{Path, PathBuf};

use plotters::coord::ranged1d::{AsRangedCoord, SegmentValue, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::{Cell, Status};

/// Pixels: wide enough for a slide, text large enough to read from the back.
const WIDTH: u32 = 1200;
const ROW: u32 = 46;
const TITLE: u32 = 40;
const TEXT: u32 = 26;
const FONT: &str = "sans-serif";

/// A chart of horizontal bars, one per cell.
pub(super) struct Bars {
    pub(super) name: &'static str,
    pub(super) title: String,
    /// The value axis: what and in which unit.
    pub(super) axis: String,
    pub(super) log: bool,
    /// Tick labels on the value axis.
    pub(super) ticks: fn(f64) -> String,
    /// The legend's series; a bar's segments point into it.
    pub(super) series: Vec<(String, RGBColor)>,
    pub(super) bars: Vec<Bar>,
    /// Vertical reference lines, or bands between two values.
    pub(super) rules: Vec<Rule>,
}

pub(super) struct Bar {
    pub(super) label: String,
    /// Stacked (value, series) from the axis outwards; empty: no bar.
    pub(super) segments: Vec<(f64, usize)>,
    /// Written at the bar's end: its value, or why there is no bar.
    pub(super) note: String,
}

pub(super) struct Rule {
    pub(super) from: f64,
    pub(super) to: f64,
    pub(super) name: String,
    pub(super) color: RGBColor,
}

impl Rule {
    pub(super) fn at(x: f64, name: String, color: RGBColor) -> Rule {
        Rule {
            from: x,
            to: x,
            name,
            color,
        }
    }
}

impl Bar {
    pub(super) fn total(&self) -> f64 {
        self.segments.iter().map(|s| s.0).sum()
    }

    /// A row for a cell that did not give the figure: its status, no bar.
    pub(super) fn missing(label: String, c: &Cell) -> Bar {
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

/// About how wide `text` is drawn at the chart's text size, in pixels
/// (plotters writes a size of TEXT / 1.24; a sans-serif letter is about half
/// as wide as it is high).
fn text_px(text: &str) -> u32 {
    text.chars().count() as u32 * TEXT * 48 / 100
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
    /// The series some bar uses: the legend's entries, in order.
    fn used_series(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self
            .bars
            .iter()
            .flat_map(|b| b.segments.iter().map(|s| s.1))
            .collect();
        used.sort();
        used.dedup();
        used
    }

    /// Write `dir/<name>.svg`.
    pub(super) fn draw(&self, dir: &Path) -> io::Result<PathBuf> {
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
        // Leave room on the right for the values written at the bars' ends.
        let label_px = self
            .bars
            .iter()
            .map(|b| text_px(&b.label))
            .max()
            .unwrap_or(0)
            + 30;
        let note_px = self
            .bars
            .iter()
            .map(|b| text_px(&b.note))
            .max()
            .unwrap_or(0)
            + 30;
        let plot_px = WIDTH.saturating_sub(label_px + 40).max(200);
        let used = (1.0 - note_px as f64 / plot_px as f64).clamp(0.4, 0.9);
        if self.log {
            let min = all.iter().copied().fold(max, f64::min);
            let lo = 10f64.powf((min / 2.0).log10().floor());
            let hi = lo * (max / lo).powf(1.0 / used);
            self.plot(&root, (lo..hi).log_scale(), lo, rows, legend_rows, label_px)?;
        } else {
            self.plot(&root, 0.0..max / used, 0.0, rows, legend_rows, label_px)?;
        }
        root.present().map_err(err)?;
        drop(root);
        std::fs::write(&path, svg)?;
        Ok(path)
    }

    fn plot<X>(
        &self,
        root: &DrawingArea<SVGBackend, Shift>,
        x: X,
        origin: f64,
        rows: usize,
        legend_rows: usize,
        label_px: u32,
    ) -> io::Result<()>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let top = rows - legend_rows; // bars take rows 0..top, from the top down
        let j_of = |i: usize| top - 1 - i;
        let mut bar_ends = Vec::new();
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, TITLE))
            .margin(20)
            .margin_right(50)
            .x_label_area_size(80)
            .y_label_area_size(label_px)
            .build_cartesian_2d(x, (0..rows as i32 - 1).into_segmented())
            .map_err(err)?;
        let row_label = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(j) if (*j as usize) < top => {
                self.bars[top - 1 - *j as usize].label.clone()
            }
            _ => String::new(),
        };
        let ticks = self.ticks;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .set_tick_mark_size(LabelAreaPosition::Left, 6)
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .y_labels(rows + 1)
            .x_labels(7)
            .y_label_formatter(&row_label)
            .x_label_formatter(&|v| ticks(*v))
            .x_desc(self.axis.as_str())
            .label_style((FONT, TEXT))
            .axis_desc_style((FONT, TEXT))
            .draw()
            .map_err(err)?;
        // Bands behind the bars, lines over them, values over everything.
        let (lo, hi) = (|| seg(0, rows), || seg(top, rows));
        for rule in self.rules.iter().filter(|r| r.to > r.from) {
            let color = rule.color.mix(0.3);
            let band = Rectangle::new([(rule.from, lo()), (rule.to, hi())], color.filled());
            chart
                .draw_series([band])
                .map_err(err)?
                .label(rule.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 11), (x + 22, y + 11)], color.filled())
                });
        }
        for (i, bar) in self.bars.iter().enumerate() {
            let j = j_of(i);
            let mut from = origin;
            for &(v, s) in bar.segments.iter().filter(|s| s.0 > 0.0) {
                let color = self.series[s].1;
                let to = if from == origin && origin > 0.0 {
                    v
                } else {
                    from + v
                };
                let mut r = Rectangle::new(
                    [(from, seg(j, rows)), (to, seg(j + 1, rows))],
                    color.filled(),
                );
                r.set_margin(6, 6, 0, 0);
                chart.plotting_area().draw(&r).map_err(err)?;
                from = to;
            }
            bar_ends.push((from, j));
        }
        for s in self.used_series() {
            let (name, color) = &self.series[s];
            let color = *color;
            chart
                .draw_series(std::iter::empty::<Rectangle<(f64, SegmentValue<i32>)>>())
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 9), (x + 22, y + 9)], color.filled())
                });
        }
        for rule in self.rules.iter().filter(|r| r.to <= r.from) {
            let color = rule.color;
            let line = PathElement::new(
                [(rule.from, lo()), (rule.from, hi())],
                color.stroke_width(3),
            );
            chart
                .draw_series([line])
                .map_err(err)?
                .label(rule.name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x + 9, y - 11), (x + 13, y + 11)], color.filled())
                });
        }
        // Each bar's value just past its end, on white so a line crossing it
        // does not hide it.
        let style = (FONT, TEXT)
            .into_font()
            .into_text_style(root)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (bar, (x, j)) in self.bars.iter().zip(bar_ends) {
            let (px, py) = chart.backend_coord(&(x, SegmentValue::CenterOf(j as i32)));
            let w = text_px(&bar.note) as i32;
            let half = TEXT as i32 * 6 / 10;
            let back = Rectangle::new(
                [(px + 4, py - half), (px + 12 + w, py + half)],
                WHITE.mix(0.85).filled(),
            );
            root.draw(&back).map_err(err)?;
            root.draw(&Text::new(bar.note.as_str(), (px + 8, py), style.clone()))
                .map_err(err)?;
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
