//! A trace as a Gantt chart in SVG: one row per OS thread (or process), time
//! across in ms, a bar per event coloured by its unit, waits thinner and
//! lighter than runs. Hand-written SVG: a chart of rectangles needs no more.

use std::fmt::Write;

use workloads::trace::{Event, Kind, Trace};

use super::chrome::thread_label;
use super::{tracks, Stats};
use crate::html::escape;

const WIDTH: f64 = 1100.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 56.0;
const ROW: f64 = 20.0;
/// The most pixels one row's lanes take together.
const MAX_ROW: f64 = 150.0;

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

/// Events of one row in lanes, so that none overlaps another in its lane
/// (units that interleave on one thread, such as tasks waiting at once, get
/// a lane each): the events with their lane, and the number of lanes.
fn lanes<'a>(events: &[&'a Event]) -> (Vec<(&'a Event, usize)>, usize) {
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| (e.start_ns, e.end_ns));
    let mut lane_ends: Vec<u64> = Vec::new();
    let placed = sorted
        .into_iter()
        .map(|e| {
            let lane = match lane_ends.iter().position(|&end| end <= e.start_ns) {
                Some(l) => l,
                None => {
                    lane_ends.push(0);
                    lane_ends.len() - 1
                }
            };
            lane_ends[lane] = e.end_ns;
            (e, lane)
        })
        .collect();
    (placed, lane_ends.len().max(1))
}

/// The height of one lane in a row of `lanes`: a single lane fills the row;
/// many share at most `MAX_ROW` pixels.
fn lane_height(lanes: usize) -> f64 {
    if lanes <= 1 {
        ROW - 4.0
    } else {
        (MAX_ROW / lanes as f64).clamp(0.5, 12.0)
    }
}

/// A row: its (pid, tid), its events with their lanes, how many lanes.
type Row<'a> = ((u32, u32), Vec<(&'a Event, usize)>, usize);

pub fn render(trace: &Trace, stats: &Stats) -> String {
    let rows: Vec<Row> = tracks(&trace.events)
        .into_iter()
        .map(|track| {
            let mine: Vec<&Event> = trace
                .events
                .iter()
                .filter(|e| (e.pid, e.tid) == track)
                .collect();
            let (placed, n) = lanes(&mine);
            (track, placed, n)
        })
        .collect();
    let row_h = |lanes: usize| (lanes as f64 * lane_height(lanes) + 4.0).max(ROW);
    let origin = trace.events.iter().map(|e| e.start_ns).min().unwrap_or(0);
    let span_ms = (stats.span_ns as f64 / 1e6).max(1e-3);
    let plot_w = WIDTH - LEFT - RIGHT;
    let x = |ns: u64| LEFT + (ns - origin) as f64 / 1e6 / span_ms * plot_w;
    let rows_h: f64 = rows.iter().map(|r| row_h(r.2)).sum();
    let height = TOP + rows_h + 40.0;
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
    let mut y = TOP;
    for (i, ((pid, tid), placed, n_lanes)) in rows.iter().enumerate() {
        let (pid, tid, h_row) = (*pid, *tid, row_h(*n_lanes));
        let lane_h = lane_height(*n_lanes);
        let _ = writeln!(s, r#"<g class="row" data-pid="{pid}" data-tid="{tid}">"#);
        let shade = if i % 2 == 0 { "#f4f4f4" } else { "#ffffff" };
        let _ = writeln!(
            s,
            r#"<rect x="{LEFT}" y="{y}" width="{plot_w:.1}" height="{h_row:.1}" fill="{shade}"/>"#
        );
        let _ = writeln!(
            s,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            LEFT - 6.0,
            y + h_row / 2.0 + 4.0,
            thread_label(pid, tid)
        );
        for &(e, lane) in placed {
            {
                let (x0, x1) = (x(e.start_ns), x(e.end_ns));
                let w = (x1 - x0).max(0.5);
                let lane_top = y + 2.0 + lane as f64 * lane_h;
                // A wait is thinner and lighter than a run.
                let (top, h, opacity) = match e.kind {
                    Kind::Run => (lane_top, lane_h, 1.0),
                    Kind::Wait => (lane_top + lane_h * 0.25, lane_h * 0.5, 0.4),
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
        y += h_row;
    }
    // The time axis.
    let axis_y = y + 4.0;
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
