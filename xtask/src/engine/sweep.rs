//! `compare --full`: sweeps. `cpu` runs across W = 1 .. 2 x cores for every
//! variant that takes W (a variant that takes none runs once), and `spawn`,
//! `sleep` and `idle` climb a ladder of unit counts (10^2 .. 10^5, and 10^6
//! for tokio) until a limit refuses a point or a point would take longer
//! than the time cap. `net` and `pingpong` run as in the default plan.
//!
//! A unit series is one `Spec` with many points: the runner climbs it in
//! order, so a point's time is predicted from the one below it. Its cells
//! are one per point (`spawn`, `sleep`) or one slope (`idle`).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use workloads::record::SCENARIOS;

use super::exec::{Progress, Sample};
use super::group::Group;
use super::plan::{plan, Selection, Size, Spec, FULL};
use super::summary::summarise;
use crate::report::{Cell, CellKey, KeyParams, Points, Status};

/// The scenarios a full run sweeps; the others run as in the default plan.
pub const SWEPT: [&str; 4] = ["cpu", "spawn", "sleep", "idle"];

/// The group whose units are tokio tasks: cheap enough for a million.
pub const TOKIO_GROUP: &str = "async";
pub const TOKIO_TOP: u64 = 1_000_000;

/// How a sweep stops. Both bounds are what keeps `--full` near 10 minutes
/// on a 2-core laptop whatever the models do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepPolicy {
    /// A point predicted to take longer than this for one run (from the
    /// point below it), or whose run took longer, ends its series there.
    pub point_cap: Duration,
    /// After this much run time in total, no new run starts: what was
    /// measured is kept, the points not reached say so.
    pub budget: Duration,
    /// A point predicted over the cap runs once with this timeout: a binary
    /// that refuses it for a limit names the limit, a prediction that was
    /// too high (a loaded machine) still gets its point, and a run still
    /// going is killed and named as the time cap.
    pub probe: Duration,
}

/// The full run's bounds: the measured runs stop starting after 8 minutes,
/// and one run is killed after `RUN_TIMEOUT`, so measuring ends by 8.5 min.
pub const POLICY: SweepPolicy = SweepPolicy {
    point_cap: Duration::from_secs(10),
    budget: Duration::from_secs(8 * 60),
    probe: Duration::from_secs(10),
};
/// 3 x the cap: a point predicted under the cap that runs past this is
/// killed and ends its series, named as the time cap.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// The reason a point predicted from the one below it would take too long,
/// or `None` when it fits. `below`: (n, wall of its last run).
pub fn predicted_over_cap(below: (u64, Duration), n: u64, cap: Duration) -> Option<String> {
    let (m, wall) = below;
    let predicted = wall.mul_f64(n as f64 / m.max(1) as f64);
    (predicted > cap).then(|| {
        format!(
            "time cap: {n} units would take about {:.0?} ({:.1?} at n={m}), over the {cap:.0?} cap per point",
            predicted, wall
        )
    })
}

/// The reason a series stops after a run at `n` that took `wall`, or `None`.
pub fn took_over_cap(n: u64, wall: Duration, cap: Duration) -> Option<String> {
    (wall > cap).then(|| {
        format!("time cap: {n} units took {wall:.1?}, over the {cap:.0?} cap per point; larger n not run")
    })
}

/// One finished run of a series, as the runner saw it.
pub struct Run {
    /// The point's index and unit count.
    pub k: usize,
    pub n: u64,
    pub wall: Duration,
    /// A measured run (or a warm-up slow enough to count as one).
    pub keep: bool,
    /// Why the point was predicted over the cap, when it ran as a short try.
    pub probe: Option<String>,
}

/// Record one run of a series: its sample, and where the series stops if it
/// must (a limit, a failure or a kill at this point; a run past the cap,
/// which keeps its sample). Returns the runs skipped when it stopped.
pub fn after_run(
    p: &mut Progress,
    run: Run,
    verdict: Result<Sample, (Status, String)>,
    cap: Duration,
    repeats: u32,
) -> Option<u64> {
    let stop = match verdict {
        Err((Status::Timeout, why)) => Some(match run.probe {
            Some(predicted) => format!("{predicted}; its one try {why}"),
            None => format!("time cap: {why}"),
        })
        .map(|why| (Status::Limit, why)),
        Err(stop) => Some(stop),
        Ok(sample) => {
            if run.keep {
                p.samples[run.k].push(sample);
            }
            took_over_cap(run.n, run.wall, cap).map(|why| (Status::Limit, why))
        }
    };
    stop.map(|stop| stop_from(p, run.k, stop, repeats))
}

/// Stop points `from..` of a series (those not stopped already) for `stop`;
/// a point that ran keeps its samples. Returns the runs that will not happen.
pub fn stop_from(p: &mut Progress, from: usize, stop: (Status, String), repeats: u32) -> u64 {
    let mut runs = 0;
    for k in from..p.stopped.len() {
        if p.stopped[k].is_none() {
            p.stopped[k] = Some(stop.clone());
            runs += repeats.saturating_sub(p.samples[k].len() as u32) as u64;
        }
    }
    runs
}

/// Mark every point that never ran and was not stopped with `reason` (the
/// total budget ran out first). Returns how many.
pub fn stop_unreached(progress: &mut [Progress], reason: &str) -> u64 {
    let mut points = 0;
    for p in progress {
        for (stopped, samples) in p.stopped.iter_mut().zip(&p.samples) {
            if stopped.is_none() && samples.is_empty() {
                *stopped = Some((Status::Limit, reason.to_string()));
                points += 1;
            }
        }
    }
    points
}

/// The reason a point that the total budget left unreached gives.
pub fn budget_reason(budget: Duration) -> String {
    format!(
        "time budget: the full run's {:.0?} of runs were spent before this point",
        budget
    )
}

/// The unit counts of a series: the level's ladder (`idle_n`, a group may
/// bring its own), 10^6 for tokio, cut at `--n` (which is then the top).
pub fn ladder(ladder: &[u64], group: &str, n: Option<u64>) -> Vec<u64> {
    let mut points = ladder.to_vec();
    if group == TOKIO_GROUP {
        points.push(TOKIO_TOP);
    }
    if let Some(n) = n {
        points.retain(|&p| p < n);
        points.push(n);
    }
    points.sort();
    points.dedup();
    points
}

/// Every cell of a full run: the sweeps, the group's baseline first in each
/// scenario, then `net` and `pingpong` as the default plan has them.
pub fn plan_full(
    sel: &Selection,
    groups: &BTreeMap<String, Group>,
    wanted: &[String],
    cores: u64,
) -> Vec<Spec> {
    let size: &Size = &FULL;
    let wants = |s: &str| sel.scenarios.is_empty() || sel.scenarios.iter().any(|x| x == s);
    let mut specs = Vec::new();
    let mut seen = BTreeSet::new();
    for scenario in SWEPT.iter().copied().filter(|s| wants(s)) {
        for name in wanted {
            let Some(group) = groups.get(name) else {
                continue;
            };
            let baseline = &group.def.baseline;
            let mut cells = vec![(baseline.model.as_str(), baseline.variant(scenario))];
            for v in group.catalogue.variants(scenario).unwrap_or_default() {
                if sel.variants.is_empty() || sel.variants.contains(&v.name) {
                    cells.push((name.as_str(), v.name.as_str()));
                }
            }
            for (model, variant) in cells {
                let Some(owner) = groups.get(model) else {
                    continue;
                };
                let Some(info) = owner.catalogue.variant(scenario, variant) else {
                    continue;
                };
                if info.unavailable.is_some() {
                    continue;
                }
                let sizes = match &owner.def.sizes {
                    Some(own) => &own.full,
                    None => &size.sizes,
                };
                let points = match scenario {
                    "cpu" => vec![sel.n.unwrap_or(sizes.cpu_n)],
                    _ => ladder(sizes.idle_n, model, sel.n),
                };
                let axis: Vec<Option<u64>> = match (info.takes_workers, scenario) {
                    (false, _) => vec![None],
                    _ if !sel.workers.is_empty() => sel.workers.iter().copied().map(Some).collect(),
                    (true, "cpu") => (1..=2 * cores).map(Some).collect(),
                    (true, _) => vec![Some(cores)],
                };
                let repeats = sel.repeats.unwrap_or(if scenario == "cpu" {
                    size.repeats_cpu
                } else {
                    size.repeats
                });
                for workers in axis {
                    let key = CellKey {
                        model: model.into(),
                        scenario: scenario.into(),
                        variant: variant.into(),
                        params: KeyParams {
                            workers,
                            n: match points.as_slice() {
                                [one] => Points::One(*one),
                                many => Points::Many(many.to_vec()),
                            },
                            delay_ms: (scenario == "sleep").then_some(sizes.sleep.1),
                            rounds: None,
                        },
                    };
                    if seen.insert(key.clone()) {
                        specs.push(Spec {
                            key,
                            argv: owner.argv.clone(),
                            points: points.clone(),
                            repeats,
                            min_repeats: repeats,
                        });
                    }
                }
            }
        }
    }
    // The scenarios that are not swept run as the default plan has them.
    let rest: Vec<String> = SCENARIOS
        .iter()
        .filter(|s| !SWEPT.contains(s) && wants(s))
        .map(|s| s.to_string())
        .collect();
    if !rest.is_empty() {
        let sel = Selection {
            scenarios: rest,
            ..sel.clone()
        };
        specs.extend(plan(&sel, size, groups, wanted, cores));
    }
    specs
}

/// A spec's cells: one per point for a `spawn` or `sleep` series (each a
/// cell of its own n; a point that did not run is a cell with the reason
/// that stopped it), else the one cell `summarise` makes (`idle`: one slope
/// over the largest range that ran).
pub fn cells(spec: &Spec, p: &Progress, command: impl Fn(u64) -> String) -> Vec<Cell> {
    if !matches!(spec.scenario(), "spawn" | "sleep") || spec.points.len() < 2 {
        return vec![summarise(spec, p, command)];
    }
    spec.points
        .iter()
        .enumerate()
        .map(|(k, &n)| {
            let mut one = spec.clone();
            one.points = vec![n];
            one.key.params.n = Points::One(n);
            let ran = !p.samples[k].is_empty();
            let progress = Progress {
                samples: vec![p.samples[k].clone()],
                // A point that ran keeps its figures; why it stopped is its reason.
                stopped: vec![p.stopped[k].clone().filter(|_| !ran)],
            };
            let mut cell = summarise(&one, &progress, &command);
            if ran {
                cell.reason = p.stopped[k].as_ref().map(|s| s.1.clone());
            }
            cell
        })
        .collect()
}

/// What stopped a series, as its cells say: the short name before the
/// first colon of the first reason (`vm.max_map_count`, `time cap`,
/// `memory`), or `None` when it reached its last point.
pub fn stop_name(cells: &[&Cell]) -> Option<String> {
    cells
        .iter()
        .find(|c| c.status != Status::Ok || c.reason.is_some())
        .and_then(|c| c.reason.as_deref())
        .map(|r| r.split(':').next().unwrap_or(r).trim().to_string())
}

#[cfg(test)]
#[path = "sweep_tests.rs"]
mod tests;
