//! The sweeps' chart shape: lines over an axis of workers or unit counts,
//! one per model and variant, each with a dot at every measured point and,
//! where a limit or the time cap stopped it, a cross at its last point with
//! the limit's name. Log axes are drawn as log10 of the values on a linear
//! axis with ticks at whole decades, so every tick reads as a round number.
//! Same page size, fonts and legend as `bars`.

use std::io;
use std::path::{Path, PathBuf};

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 900;
const TITLE: u32 = 40;
const TEXT: u32 = 26;
const SMALL: u32 = 20;
const FONT: &str = "sans-serif";

/// One axis: what it shows, log or linear, and how a tick reads.
pub(super) struct Axis {
    pub(super) desc: String,
    pub(super) log: bool,
    pub(super) ticks: fn(f64) -> String,
}

pub(super) struct Line {
    pub(super) name: String,
    pub(super) color: RGBColor,
    /// (x, y) in axis units, sorted by x; a point not > 0 on a log axis is left out.
    pub(super) points: Vec<(f64, f64)>,
    /// What stopped the line, written at its last point.
    pub(super) stop: Option<String>,
    /// Dashed: a reference (ideal) or a variant that takes no W.
    pub(super) dashed: bool,
    /// No dots: a reference line, not measurements.
    pub(super) reference: bool,
}

pub(super) struct Lines {
    pub(super) name: &'static str,
    pub(super) title: String,
    pub(super) x: Axis,
    pub(super) y: Axis,
    pub(super) lines: Vec<Line>,
    /// A horizontal band between two y values (the effective cores).
    pub(super) band: Option<(f64, f64, String, RGBColor)>,
    /// The legend at the lower right (else the upper left): where this
    /// chart's lines rarely are.
    pub(super) legend_low: bool,
}

fn err(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

/// The drawn coordinate of a value on this axis.
fn at(axis: &Axis, v: f64) -> f64 {
    if axis.log {
        v.log10()
    } else {
        v
    }
}

/// The drawn range of `values` on this axis: whole decades when log, from 0
/// with 8 % headroom when linear.
fn range(axis: &Axis, values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && (!axis.log || *v > 0.0))
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    if axis.log {
        let (a, b) = (lo.log10().floor(), hi.log10().ceil());
        (a, if b > a { b } else { a + 1.0 })
    } else {
        (0.0, (hi * 1.08).max(1e-9))
    }
}

impl Lines {
    /// Whether any line has a measured point to draw.
    pub(super) fn is_empty(&self) -> bool {
        self.lines
            .iter()
            .all(|l| l.reference || l.points.is_empty())
    }

    /// Write `dir/<name>.svg`.
    pub(super) fn draw(&self, dir: &Path) -> io::Result<PathBuf> {
        let path = dir.join(format!("{}.svg", self.name));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            self.plot(&root)?;
            root.present().map_err(err)?;
        }
        std::fs::write(&path, svg)?;
        Ok(path)
    }

    fn plot(&self, root: &DrawingArea<SVGBackend, plotters::coord::Shift>) -> io::Result<()> {
        let kept = |l: &Line, y: &Axis| -> Vec<(f64, f64)> {
            l.points
                .iter()
                .filter(|(x, v)| (!self.x.log || *x > 0.0) && (!y.log || *v > 0.0))
                .map(|&(x, v)| (at(&self.x, x), at(y, v)))
                .collect()
        };
        let xs = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
        let band = self.band.iter().flat_map(|b| [b.0, b.1]);
        let ys = self.lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
        let (x0, x1) = range(&self.x, xs);
        let (y0, y1) = range(&self.y, ys.chain(band));
        let (xd, yd) = (
            if self.x.log {
                (x1 - x0) as usize + 1
            } else {
                8
            },
            if self.y.log {
                (y1 - y0) as usize + 1
            } else {
                8
            },
        );
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (FONT, TITLE))
            .margin(20)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(130)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(err)?;
        let (xlog, ylog, xt, yt) = (self.x.log, self.y.log, self.x.ticks, self.y.ticks);
        let x_fmt = move |v: &f64| xt(if xlog { 10f64.powf(*v) } else { *v });
        let y_fmt = move |v: &f64| yt(if ylog { 10f64.powf(*v) } else { *v });
        chart
            .configure_mesh()
            .bold_line_style(RGBColor(215, 215, 215))
            .light_line_style(TRANSPARENT)
            .x_labels(xd)
            .y_labels(yd)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .x_desc(self.x.desc.as_str())
            .y_desc(self.y.desc.as_str())
            .label_style((FONT, TEXT))
            .axis_desc_style((FONT, TEXT))
            .draw()
            .map_err(err)?;
        if let Some((lo, hi, name, color)) = &self.band {
            let (lo, hi) = (
                at(&self.y, *lo),
                at(&self.y, *hi).max(at(&self.y, *lo) + 0.01),
            );
            let color = color.mix(0.3);
            chart
                .draw_series([Rectangle::new([(x0, lo), (x1, hi)], color.filled())])
                .map_err(err)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 9), (x + 22, y + 9)], color.filled())
                });
        }
        let small = (FONT, SMALL).into_font().into_text_style(root);
        // Stop labels already written, so two lines ending together stack.
        let mut labels: Vec<(i32, i32)> = Vec::new();
        for line in &self.lines {
            let pts = kept(line, &self.y);
            let color = line.color;
            let style = color.stroke_width(if line.reference { 2 } else { 3 });
            let drawn = if line.dashed {
                chart.draw_series([DashedPathElement::new(pts.clone(), 10, 6, style)])
            } else {
                chart.draw_series([PathElement::new(pts.clone(), style)])
            };
            drawn
                .map_err(err)?
                .label(line.name.as_str())
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 22, y)], color.stroke_width(4))
                });
            if !line.reference {
                let dots = pts.iter().map(|&p| Circle::new(p, 5, color.filled()));
                chart.draw_series(dots).map_err(err)?;
            }
            if let (Some(stop), Some(&last)) = (&line.stop, pts.last()) {
                chart
                    .draw_series([Cross::new(last, 11, color.stroke_width(4))])
                    .map_err(err)?;
                let (px, mut py) = chart.backend_coord(&last);
                py -= 10;
                while labels
                    .iter()
                    .any(|&(x, y)| (x - px).abs() < 200 && (y - py).abs() < 22)
                {
                    py -= 24;
                }
                labels.push((px, py));
                let text = format!("stopped: {stop}");
                // Past the middle, the label reads leftwards from the cross.
                let (h, x) = match px > WIDTH as i32 / 2 {
                    true => (HPos::Right, px - 12),
                    false => (HPos::Left, px + 12),
                };
                let style = small.pos(Pos::new(h, VPos::Bottom)).color(&color);
                root.draw(&Text::new(text, (x, py), style)).map_err(err)?;
            }
        }
        chart
            .configure_series_labels()
            .position(match self.legend_low {
                true => SeriesLabelPosition::LowerRight,
                false => SeriesLabelPosition::UpperLeft,
            })
            .label_font((FONT, SMALL))
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .margin(10)
            .draw()
            .map_err(err)
    }
}
