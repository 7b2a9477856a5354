//! How far each unit series of a full run went: the largest n it measured,
//! its memory per unit (`idle`), and the limit, time cap or budget that
//! stopped it. Printed at the end of `compare --full` and written into
//! `report.md` and `report.html`, all from the cells.

use std::collections::BTreeMap;

use crate::render::kib;
use crate::report::{Cell, Points, Report, Status};

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
pub fn lines(r: &Report) -> Vec<String> {
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
            lines(&r),
            [
                "threads spawn scoped: reached n=100; reached its last point",
                "threads spawn spawn: reached n=1000; stopped by vm.max_map_count: 10000 units",
            ]
        );
    }

    #[test]
    fn a_full_report_says_how_far_each_series_went_and_a_default_one_does_not() {
        let mut r = crate::report::tests::sample_report();
        r.cells = vec![
            cell("spawn", 100, Status::Ok, None),
            cell(
                "spawn",
                1000,
                Status::Limit,
                Some("kernel.pid_max: 1000 units"),
            ),
        ];
        r.size = "full".into();
        let md = crate::render::markdown(&r);
        assert!(md.contains("## How far each series went"), "{md}");
        assert!(md.contains("threads spawn spawn: reached n=100; stopped by kernel.pid_max"));
        r.size = "default".into();
        assert!(!crate::render::markdown(&r).contains("How far each series went"));
    }
}
