//! A trace as a Gantt chart in SVG: one row per OS thread (or process), time
//! across in ms, a bar per event coloured by its unit, waits thinner and
//! lighter than runs. Hand-written SVG: a chart of rectangles needs no more.

use std::fmt::Write;

use workloads::trace::{Kind, Trace};

use super::chrome::thread_label;
use super::{tracks, Stats};
use crate::html::escape;

const WIDTH: f64 = 1100.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 56.0;
const ROW: f64 = 20.0;

/// A unit's colour: hues a golden angle apart, so neighbours differ.
fn colour(unit: u64) -> String {
    format!("hsl({:.0},65%,45%)", (unit % 997) as f64 * 137.508 % 360.0)
}

/// A step of 1, 2 or 5 x 10^k giving about 8 ticks over `span` ms.
fn tick_step(span_ms: f64) -> f64 {
    let raw = (span_ms / 8.0).max(1e-3);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

pub fn render(trace: &Trace, stats: &Stats) -> String {
    let rows = tracks(&trace.events);
    let origin = trace.events.iter().map(|e| e.start_ns).min().unwrap_or(0);
    let span_ms = (stats.span_ns as f64 / 1e6).max(1e-3);
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |ns: u64| LEFT + (ns - origin) as f64 / 1e6 / span_ms * plot_w;
    let height = TOP + rows.len() as f64 * ROW + 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="20" font-size="15" font-weight="bold">{} {} {}: one row per OS thread, a bar per unit (waits thin and light)</text>"#,
        escape(&trace.model),
        escape(&trace.scenario),
        escape(&trace.variant)
    );
    let _ = writeln!(
        s,
        r##"<text x="10" y="40" fill="#444">{}</text>"##,
        escape(&stats.describe())
    );
    for (i, &(pid, tid)) in rows.iter().enumerate() {
        let y = TOP + i as f64 * ROW;
        let _ = writeln!(s, r#"<g class="row" data-pid="{pid}" data-tid="{tid}">"#);
        let shade = if i % 2 == 0 { "#f4f4f4" } else { "#ffffff" };
        let _ = writeln!(
            s,
            r#"<rect x="{LEFT}" y="{y}" width="{plot_w:.1}" height="{ROW}" fill="{shade}"/>"#
        );
        let _ = writeln!(
            s,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            y + ROW * 0.7,
            thread_label(pid, tid)
        );
        // Waits first, so the runs are drawn over them.
        for kind in [Kind::Wait, Kind::Run] {
            for e in trace
                .events
                .iter()
                .filter(|e| (e.pid, e.tid) == (pid, tid) && e.kind == kind)
            {
                let (x0, x1) = (x(e.start_ns), x(e.end_ns));
                let w = (x1 - x0).max(0.5);
                let (top, h, opacity) = match kind {
                    Kind::Run => (y + 2.0, ROW - 4.0, 1.0),
                    Kind::Wait => (y + ROW * 0.35, ROW * 0.3, 0.35),
                };
                let _ = writeln!(
                    s,
                    r#"<rect x="{x0:.2}" y="{top:.1}" width="{w:.2}" height="{h:.1}" fill="{}" fill-opacity="{opacity}"><title>unit {} {:?} {:.3}-{:.3} ms</title></rect>"#,
                    colour(e.unit),
                    e.unit,
                    e.kind,
                    (e.start_ns - origin) as f64 / 1e6,
                    (e.end_ns - origin) as f64 / 1e6,
                );
            }
        }
        let _ = writeln!(s, "</g>");
    }
    // The time axis.
    let axis_y = TOP + rows.len() as f64 * ROW + 4.0;
    let _ = writeln!(
        s,
        r##"<line x1="{LEFT}" y1="{axis_y}" x2="{:.1}" y2="{axis_y}" stroke="#333"/>"##,
        WIDTH - RIGHT
    );
    let step = tick_step(span_ms);
    let mut t = 0.0;
    while t <= span_ms + 1e-9 {
        let tx = LEFT + t / span_ms * plot_w;
        let _ = writeln!(
            s,
            r##"<line x1="{tx:.1}" y1="{axis_y}" x2="{tx:.1}" y2="{:.1}" stroke="#333"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            axis_y + 5.0,
            axis_y + 18.0,
            trim(t)
        );
        t += step;
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="end">ms</text>"#,
        WIDTH - 4.0,
        axis_y + 18.0
    );
    s.push_str("</svg>\n");
    s
}

/// 0.5, 2, 10: a tick label without needless zeros.
fn trim(t: f64) -> String {
    let s = format!("{t:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
