//! What `compare --full` adds to the command: a progress bar that shows the
//! point being measured and the time left, and the lines that say how far
//! each series went and what stopped it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::engine::exec::Event;
use crate::engine::plan::Spec;
use crate::engine::sweep::{self, RUN_TIMEOUT};
use crate::render::{self, kib};
use crate::report::{Cell, Points, Report, Status};

/// The default bar, plus the estimate from the pace so far (`eta`) and
/// what is left of the budget: the run never goes past that.
pub fn progress(bar: &ProgressBar, specs: &[Spec], event: Event, started: Instant) {
    let planned = matches!(event, Event::Planned { .. });
    let run = matches!(event, Event::Run { .. });
    render::progress(bar, specs, event);
    if planned {
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} ~{eta} left {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    if run {
        let left = (sweep::POLICY.budget + RUN_TIMEOUT).saturating_sub(started.elapsed());
        bar.set_message(format!("{} (at most {} left)", bar.message(), mmss(left)));
    }
}

/// `7:05`.
pub fn mmss(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

/// "threads spawn spawn": a series' name (with its W where it was asked).
fn series_name(c: &Cell) -> String {
    let mut s = format!("{} {} {}", c.key.model, c.key.scenario, c.key.variant);
    if let Some(w) = c.key.params.workers {
        s += &format!(" W={w}");
    }
    s
}

/// One line per unit series: the largest n it measured, and what stopped it
/// (or that it reached its last point); `idle` adds its memory per unit.
pub fn series_lines(r: &Report) -> Vec<String> {
    let mut series: BTreeMap<String, Vec<&Cell>> = BTreeMap::new();
    for c in r
        .cells
        .iter()
        .filter(|c| matches!(c.scenario(), "spawn" | "sleep" | "idle"))
        .filter(|c| c.status != Status::NotImplemented)
    {
        series.entry(series_name(c)).or_default().push(c);
    }
    series
        .into_iter()
        .map(|(name, mut cells)| {
            cells.sort_by_key(|c| match &c.key.params.n {
                Points::One(n) => *n,
                Points::Many(ns) => ns.first().copied().unwrap_or(0),
            });
            let reached: Option<u64> = cells
                .iter()
                .filter(|c| c.status == Status::Ok)
                .flat_map(|c| c.samples.iter().map(|s| s.n))
                .max();
            let mut line = format!(
                "{name}: reached n={}",
                reached.map_or("-".into(), |n| n.to_string())
            );
            if let Some(m) = cells.iter().find_map(|c| c.mem_per_unit_kib.as_ref()) {
                let user = m.pss.or(m.rss).unwrap_or(0.0);
                let low = cells.iter().flat_map(|c| &c.samples).map(|s| s.n).min();
                line += &format!(
                    ", {} + {} kernel per unit (slope over n={}..{})",
                    kib(user),
                    kib(m.kernel.unwrap_or(0.0)),
                    low.unwrap_or(0),
                    reached.unwrap_or(0)
                );
            }
            let why = cells
                .iter()
                .find(|c| c.status != Status::Ok || c.reason.is_some())
                .and_then(|c| c.reason.clone());
            line += &match why {
                Some(why) => format!("; stopped by {why}"),
                None => "; reached its last point".into(),
            };
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{CellKey, KeyParams};

    fn cell(variant: &str, n: u64, status: Status, reason: Option<&str>) -> Cell {
        let key = CellKey {
            model: "threads".into(),
            scenario: "spawn".into(),
            variant: variant.into(),
            params: KeyParams {
                workers: None,
                n: Points::One(n),
                delay_ms: None,
                rounds: None,
            },
        };
        let mut c = Cell::new(key, status);
        c.reason = reason.map(str::to_string);
        if status == Status::Ok {
            c.samples = vec![crate::report::PointSamples {
                n,
                elapsed_ns: vec![1],
                memory: Vec::new(),
            }];
        }
        c
    }

    #[test]
    fn each_series_says_how_far_it_went_and_what_stopped_it() {
        let mut r = crate::report::tests::sample_report();
        r.cells = vec![
            cell("spawn", 1000, Status::Ok, None),
            cell("spawn", 100, Status::Ok, None),
            cell(
                "spawn",
                10_000,
                Status::Limit,
                Some("vm.max_map_count: 10000 units"),
            ),
            cell("scoped", 100, Status::Ok, None),
        ];
        assert_eq!(
            series_lines(&r),
            [
                "threads spawn scoped: reached n=100; reached its last point",
                "threads spawn spawn: reached n=1000; stopped by vm.max_map_count: 10000 units",
            ]
        );
        assert_eq!(mmss(Duration::from_secs(425)), "7:05");
    }
}
