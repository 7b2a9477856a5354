//! Summarising: a cell's samples into its figures (median, spread, per-unit
//! figures, the memory slope), and ratios against each group's baseline.

use std::collections::BTreeMap;

use workloads::record::{Memory, SCENARIOS};

use super::exec::{Progress, Sample};
use super::group::Baseline;
use super::plan::Spec;
use super::stats::{median, slope, spread};
use crate::report::{Cell, MemPerUnit, PointSamples, Status};

/// The cell of `spec` from what the runner measured. `command` renders each
/// point's reproducing command line (paths relative to the workspace).
pub fn summarise(spec: &Spec, p: &Progress, command: impl Fn(u64) -> String) -> Cell {
    let mut cell = Cell::new(spec.key.clone(), Status::Ok);
    cell.command = spec.points.iter().map(|&n| command(n)).collect();
    cell.samples = spec
        .points
        .iter()
        .zip(&p.samples)
        .filter(|(_, s)| !s.is_empty())
        .map(|(&n, s)| PointSamples {
            n,
            elapsed_ns: s.iter().map(|s| s.record.elapsed_ns).collect(),
            memory: s.iter().filter_map(|s| s.record.memory.clone()).collect(),
        })
        .collect();
    // `idle` can still give a slope if a limit stopped only its largest n.
    let usable: Vec<usize> = (0..spec.points.len())
        .filter(|&k| !p.samples[k].is_empty())
        .collect();
    if let Some((status, reason)) = p.stopped.iter().flatten().next() {
        cell.reason = Some(reason.clone());
        if !(spec.scenario() == "idle" && usable.len() >= 2) {
            cell.status = *status;
            cell.repeats = usable.last().map_or(0, |&k| p.samples[k].len() as u32);
            return cell;
        }
    }
    let Some(&k) = usable.last() else {
        cell.status = Status::Failed;
        cell.reason.get_or_insert_with(|| "no run completed".into());
        return cell;
    };
    let samples = &p.samples[k];
    let elapsed: Vec<f64> = samples.iter().map(|s| s.record.elapsed_ns as f64).collect();
    let med = median(elapsed.clone()).unwrap_or_default();
    cell.median_ns = Some(med as u64);
    // A spread from fewer than 3 repeats would be noise about noise.
    cell.spread = (elapsed.len() >= 3).then(|| spread(&elapsed)).flatten();
    cell.flagged = cell.spread.is_some_and(|s| s > 0.10);
    cell.repeats = samples.len() as u32;
    let median_sample = samples
        .iter()
        .min_by_key(|s| (s.record.elapsed_ns as f64 - med).abs() as u64)
        .expect("non-empty");
    cell.reported_workers = Some(median_sample.record.params.workers as u64);
    cell.os_threads = median_sample.record.os_threads;
    cell.cpu_s = median_sample.cpu.map(|d| d.as_secs_f64());
    cell.peak_rss_kib = p
        .samples
        .iter()
        .flatten()
        .filter_map(|s| s.peak_rss_kib)
        .max();
    cell.startup_ns =
        median(samples.iter().map(|s| s.record.startup_ns as f64).collect()).map(|x| x as u64);
    cell.check = Some(median_sample.record.check);
    cell.expected_check = Some(median_sample.expected);
    let n = spec.points[k] as f64;
    match spec.scenario() {
        "spawn" | "pingpong" => cell.ns_per_unit = Some(med / n),
        "sleep" => {
            cell.wall_over_delay = spec
                .key
                .params
                .delay_ms
                .filter(|&d| d > 0)
                .map(|d| med / (d as f64 * 1e6))
        }
        "idle" => {
            if let Some((value, noise)) = memory_slope(spec, &p.samples, &usable) {
                cell.mem_per_unit_kib = Some(value);
                cell.mem_noise_kib = Some(noise);
            }
        }
        _ => {}
    }
    cell
}

type Reading = fn(&Memory) -> Option<(u64, u64)>;

/// Memory per unit: the slope over the largest range that ran (the smallest
/// and the largest unit count; the default run has only two), per
/// component, with the noise of the per-repeat slopes. Over a sweep's wide
/// range a runtime's fixed pre-allocation (may's pool of stacks) washes out.
fn memory_slope(
    spec: &Spec,
    samples: &[Vec<Sample>],
    usable: &[usize],
) -> Option<(MemPerUnit, MemPerUnit)> {
    let [a, .., b] = usable else { return None };
    let growth = |k: usize, f: Reading| -> Vec<f64> {
        samples[k]
            .iter()
            .filter_map(|s| s.record.memory.as_ref().and_then(f))
            .map(|(before, after)| after as f64 - before as f64)
            .collect()
    };
    let component = |f: Reading| {
        let (ga, gb) = (growth(*a, f), growth(*b, f));
        if ga.is_empty() || gb.is_empty() {
            return None;
        }
        slope((spec.points[*a] as f64, &ga), (spec.points[*b] as f64, &gb))
    };
    let rss = component(|m| Some((m.rss_before_kib?, m.rss_after_kib?)));
    let kernel = component(|m| Some((m.kernel_before_kib?, m.kernel_after_kib?)));
    let pss = component(|m| Some((m.pss_before_kib?, m.pss_after_kib?)));
    Some((
        MemPerUnit {
            rss: rss.map(|s| s.value),
            kernel: kernel.map(|s| s.value),
            pss: pss.map(|s| s.value),
        },
        MemPerUnit {
            rss: rss.and_then(|s| s.noise),
            kernel: kernel.and_then(|s| s.noise),
            pss: pss.and_then(|s| s.noise),
        },
    ))
}

/// Order the cells (by scenario, baselines first within one), add their
/// ratios, and warn about noisy ones.
pub fn finish(
    cells: &mut [Cell],
    baselines: &BTreeMap<String, Baseline>,
    warnings: &mut Vec<String>,
) {
    cells.sort_by_key(|c| SCENARIOS.iter().position(|s| *s == c.scenario()));
    add_ratios(cells, baselines);
    let flagged = cells.iter().filter(|c| c.flagged).count();
    if flagged > 0 {
        warnings.push(format!(
            "{flagged} cell(s) had a spread above 10 %: run again, or with more --repeats"
        ));
    }
}

/// Ratio = baseline median / cell median, against the baseline its group
/// names (`baselines`: group -> baseline), in the same scenario and with the
/// same parameters other than `workers`.
pub fn add_ratios(cells: &mut [Cell], baselines: &BTreeMap<String, Baseline>) {
    let snapshot = cells.to_vec();
    for cell in cells.iter_mut() {
        let Some(b) = baselines.get(cell.model()) else {
            continue;
        };
        let base = snapshot.iter().find(|base| {
            base.key.model == b.model
                && base.key.variant == b.variant(cell.scenario())
                && base.key.scenario == cell.key.scenario
                && base.status == Status::Ok
                && base.key.params.delay_ms == cell.key.params.delay_ms
                && base.key.params.rounds == cell.key.params.rounds
                && (base.key.params.n == cell.key.params.n || cell.scenario() == "idle")
        });
        let Some(base) = base else { continue };
        if cell.status != Status::Ok {
            continue;
        }
        cell.baseline = Some(format!("{}/{}", base.model(), base.variant()));
        cell.ratio = if cell.scenario() == "idle" {
            // A process's own memory is its PSS; a thread's (or task's) is the
            // RSS growth of the one process that holds them all.
            let own = |c: &Cell| c.mem_per_unit_kib.as_ref().and_then(|m| m.pss.or(m.rss));
            match (own(base), own(cell)) {
                (Some(b), Some(c)) if c > 0.0 => Some(b / c),
                _ => None,
            }
        } else {
            match (base.median_ns, cell.median_ns) {
                (Some(b), Some(c)) if c > 0 => Some(b as f64 / c as f64),
                _ => None,
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::group::rust_baseline;
    use crate::report::{CellKey, KeyParams, Points};
    use workloads::record::Record;

    fn key(model: &str, scenario: &str, variant: &str, n: Points) -> CellKey {
        CellKey {
            model: model.into(),
            scenario: scenario.into(),
            variant: variant.into(),
            params: KeyParams {
                workers: Some(2),
                n,
                delay_ms: None,
                rounds: None,
            },
        }
    }

    fn ok_cell(model: &str, scenario: &str, variant: &str, median_ns: u64) -> Cell {
        let mut c = Cell::new(key(model, scenario, variant, Points::One(1000)), Status::Ok);
        c.median_ns = Some(median_ns);
        c
    }

    fn baselines() -> BTreeMap<String, Baseline> {
        ["threads", "async"]
            .into_iter()
            .map(|m| (m.to_string(), rust_baseline()))
            .collect()
    }

    #[test]
    fn ratios_are_against_the_baseline_of_the_same_scenario() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 200),
            ok_cell("threads", "cpu", "rayon", 100),
            ok_cell("threads", "spawn", "spawn", 1000),
            ok_cell("async", "spawn", "multi-thread", 10),
            ok_cell("async", "pingpong", "current-thread", 10),
        ];
        add_ratios(&mut cells, &baselines());
        let ratios: Vec<Option<f64>> = cells.iter().map(|c| c.ratio).collect();
        // pingpong has no baseline cell here, so no ratio rather than a made-up one.
        assert_eq!(ratios, [Some(1.0), Some(2.0), Some(1.0), Some(100.0), None]);
        assert_eq!(cells[1].baseline.as_deref(), Some("threads/serial"));
    }

    #[test]
    fn a_group_with_its_own_baseline_is_compared_with_it() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 100),
            ok_cell("py", "cpu", "serial", 4000),
            ok_cell("py", "cpu", "multiprocessing", 2000),
        ];
        let mut b = baselines();
        b.insert(
            "py".into(),
            Baseline {
                model: "py".into(),
                cpu: "serial".into(),
                other: "threading".into(),
            },
        );
        add_ratios(&mut cells, &b);
        assert_eq!(cells[2].ratio, Some(2.0));
        assert_eq!(cells[2].baseline.as_deref(), Some("py/serial"));
    }

    #[test]
    fn a_different_size_is_not_compared() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 200),
            ok_cell("threads", "cpu", "scoped", 100),
        ];
        cells[1].key.params.n = Points::One(5000);
        add_ratios(&mut cells, &baselines());
        assert_eq!(cells[1].ratio, None);
    }

    fn sample(n: u64, rss_growth: u64, workers: usize) -> Sample {
        Sample {
            record: Record {
                model: "threads".into(),
                scenario: "idle".into(),
                variant: "spawn".into(),
                params: workloads::record::Params {
                    workers,
                    n,
                    delay_ms: None,
                    rounds: None,
                },
                elapsed_ns: 1,
                startup_ns: 0,
                ops: n,
                check: n,
                memory: Some(Memory {
                    rss_before_kib: Some(1000),
                    rss_after_kib: Some(1000 + rss_growth),
                    ..Default::default()
                }),
                os_threads: Some(n + 1),
            },
            expected: n,
            cpu: None,
            peak_rss_kib: None,
        }
    }

    fn idle_spec(repeats: u32) -> Spec {
        Spec {
            key: key(
                "threads",
                "idle",
                "spawn",
                Points::Many(vec![100, 1000, 3000]),
            ),
            argv: vec!["bin".into()],
            points: vec![100, 1000, 3000],
            repeats,
            min_repeats: repeats,
        }
    }

    #[test]
    fn idle_is_one_cell_with_the_slope_and_every_reading_in_samples() {
        let spec = idle_spec(3);
        // 10 KiB per unit plus a fixed 500 KiB that the slope must cancel out.
        let p = Progress {
            samples: vec![
                vec![sample(100, 1500, 100); 3],
                vec![sample(1000, 10_500, 1000); 3],
                vec![
                    sample(3000, 30_400, 3000),
                    sample(3000, 30_500, 3000),
                    sample(3000, 30_600, 3000),
                ],
            ],
            stopped: vec![None; 3],
        };
        let cell = summarise(&spec, &p, |n| format!("bin {n}"));
        let m = cell.mem_per_unit_kib.clone().unwrap();
        assert_eq!(m.rss, Some(10.0));
        assert_eq!(m.kernel, None, "no kernel reading: null, not zero");
        assert!(cell.mem_noise_kib.unwrap().rss.unwrap() > 0.0);
        assert_eq!(cell.samples.len(), 3);
        assert_eq!(cell.samples[2].memory.len(), 3);
        assert_eq!(
            cell.key.params.workers,
            Some(2),
            "the key keeps what was asked"
        );
        assert_eq!(
            cell.reported_workers,
            Some(3000),
            "what the binary reported"
        );
        assert_eq!(cell.os_threads, Some(3001));
        assert_eq!(cell.command, ["bin 100", "bin 1000", "bin 3000"]);
    }

    #[test]
    fn a_limit_at_the_largest_n_leaves_a_slope_from_the_rest() {
        let spec = idle_spec(1);
        let p = Progress {
            samples: vec![
                vec![sample(100, 1500, 100)],
                vec![sample(1000, 10_500, 1000)],
                vec![],
            ],
            stopped: vec![None, None, Some((Status::Limit, "memory: too much".into()))],
        };
        let cell = summarise(&spec, &p, |n| n.to_string());
        assert_eq!(cell.status, Status::Ok);
        assert_eq!(cell.mem_per_unit_kib.unwrap().rss, Some(10.0));
        assert_eq!(cell.reason.as_deref(), Some("memory: too much"));
    }
}
