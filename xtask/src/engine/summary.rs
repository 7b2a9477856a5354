//! Summarising: a cell's samples into its figures, and ratios against the
//! baseline.

use super::exec::{Progress, Sample};
use super::plan::{baseline_variant, command, relative, Spec, BASELINE_MODEL};
use super::stats::median;
use super::stats::spread;
use crate::report::{Cell, CellParams, MemPerUnit, Status};

pub fn summarise(spec: &Spec, p: Progress, server: Option<&str>) -> Cell {
    let last = spec.ns.len() - 1;
    let n_value = if spec.scenario == "idle" {
        serde_json::json!(spec.ns)
    } else {
        serde_json::json!(spec.ns[0])
    };
    let params = CellParams {
        workers: spec.workers,
        n: n_value,
        delay_ms: spec.delay_ms,
        rounds: spec.rounds,
    };
    let mut cell = Cell::new(
        &spec.model,
        &spec.scenario,
        &spec.variant,
        params,
        Status::Ok,
    );
    cell.repeats = p.samples[last].len() as u32;
    cell.command = spec
        .ns
        .iter()
        .map(|&n| relative(command(spec, n, server).join(" ")))
        .collect();
    // `idle` can still give a slope if a limit stopped only its largest n.
    let usable: Vec<usize> = (0..spec.ns.len())
        .filter(|&k| !p.samples[k].is_empty())
        .collect();
    if let Some((status, reason)) = p.stopped.iter().flatten().next() {
        let idle_slope_possible = spec.scenario == "idle" && usable.len() >= 2;
        cell.reason = Some(reason.clone());
        if !idle_slope_possible {
            cell.status = *status;
            return cell;
        }
    }
    let Some(&k) = usable.last() else {
        cell.status = Status::Failed;
        cell.reason.get_or_insert_with(|| "no run completed".into());
        return cell;
    };
    let samples = &p.samples[k];
    // The worker count the binary reports (1 for serial, n for a thread per unit).
    cell.params.workers = samples[0].record.params.workers as u64;
    let elapsed: Vec<f64> = samples.iter().map(|s| s.record.elapsed_ns as f64).collect();
    let med = median(elapsed.clone()).unwrap_or_default();
    cell.median_ns = Some(med as u64);
    // A spread from fewer than 3 repeats would be noise about noise.
    cell.spread = if elapsed.len() >= 3 {
        spread(&elapsed)
    } else {
        None
    };
    cell.flagged = cell.spread.is_some_and(|s| s > 0.10);
    cell.repeats = samples.len() as u32;
    let median_sample = samples
        .iter()
        .min_by_key(|s| (s.record.elapsed_ns as f64 - med).abs() as u64)
        .expect("non-empty");
    cell.cpu_s = median_sample.cpu.map(|d| d.as_secs_f64());
    cell.peak_rss_kib = p
        .samples
        .iter()
        .flatten()
        .filter_map(|s| s.peak_rss_kib)
        .max();
    cell.startup_ns =
        median(samples.iter().map(|s| s.record.startup_ns as f64).collect()).map(|x| x as u64);
    cell.check = Some(samples[0].record.check);
    cell.expected_check = Some(samples[0].expected);
    let n = spec.ns[k] as f64;
    match spec.scenario.as_str() {
        "spawn" | "pingpong" => cell.ns_per_unit = Some(med / n),
        "sleep" => {
            cell.wall_over_delay = spec
                .delay_ms
                .filter(|&d| d > 0)
                .map(|d| med / (d as f64 * 1e6))
        }
        "idle" => cell.mem_per_unit_kib = slope(spec, &p.samples, &usable),
        _ => {}
    }
    if spec.scenario == "idle" {
        cell.params.n = serde_json::json!(usable.iter().map(|&k| spec.ns[k]).collect::<Vec<_>>());
    }
    cell
}

/// Memory per unit: the slope between the two largest unit counts that ran.
pub fn slope(spec: &Spec, samples: &[Vec<Sample>], usable: &[usize]) -> Option<MemPerUnit> {
    let [.., a, b] = usable else { return None };
    let growth = |k: usize, f: &dyn Fn(&workloads::record::Memory) -> Option<(u64, u64)>| {
        median(
            samples[k]
                .iter()
                .filter_map(|s| s.record.memory.as_ref().and_then(f))
                .map(|(before, after)| after as f64 - before as f64)
                .collect(),
        )
    };
    let per_unit = |f: &dyn Fn(&workloads::record::Memory) -> Option<(u64, u64)>| {
        Some((growth(*b, f)? - growth(*a, f)?) / (spec.ns[*b] as f64 - spec.ns[*a] as f64))
    };
    Some(MemPerUnit {
        rss: per_unit(&|m| Some((m.rss_before_kib?, m.rss_after_kib?))),
        kernel: per_unit(&|m| Some((m.kernel_before_kib?, m.kernel_after_kib?))),
        pss: per_unit(&|m| Some((m.pss_before_kib?, m.pss_after_kib?))),
    })
}

/// Ratio = baseline median / cell median, against the baseline cell of the
/// same scenario and the same parameters other than `workers`.
pub fn add_ratios(cells: &mut [Cell]) {
    let snapshot = cells.to_vec();
    for cell in cells.iter_mut() {
        let base = snapshot.iter().find(|b| {
            b.model == BASELINE_MODEL
                && b.variant == baseline_variant(&b.scenario)
                && b.scenario == cell.scenario
                && b.status == Status::Ok
                && b.params.delay_ms == cell.params.delay_ms
                && b.params.rounds == cell.params.rounds
                && (b.params.n == cell.params.n || cell.scenario == "idle")
        });
        let Some(base) = base else { continue };
        if cell.status != Status::Ok {
            continue;
        }
        cell.baseline = Some(format!("{}/{}", base.model, base.variant));
        cell.ratio = if cell.scenario == "idle" {
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
    use std::path::PathBuf;
    use workloads::record::Record;

    fn ok_cell(model: &str, scenario: &str, variant: &str, median_ns: u64) -> Cell {
        let params = CellParams {
            workers: 2,
            n: serde_json::json!(1000),
            delay_ms: None,
            rounds: None,
        };
        let mut c = Cell::new(model, scenario, variant, params, Status::Ok);
        c.median_ns = Some(median_ns);
        c
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
        add_ratios(&mut cells);
        let ratios: Vec<Option<f64>> = cells.iter().map(|c| c.ratio).collect();
        // pingpong has no baseline cell here, so no ratio rather than a made-up one.
        assert_eq!(ratios, [Some(1.0), Some(2.0), Some(1.0), Some(100.0), None]);
        assert_eq!(cells[1].baseline.as_deref(), Some("threads/serial"));
    }

    #[test]
    fn a_different_size_is_not_compared() {
        let mut cells = vec![
            ok_cell("threads", "cpu", "serial", 200),
            ok_cell("threads", "cpu", "scoped", 100),
        ];
        cells[1].params.n = serde_json::json!(5000);
        add_ratios(&mut cells);
        assert_eq!(cells[1].ratio, None);
    }

    #[test]
    fn idle_memory_is_the_slope_between_the_two_largest_counts() {
        let sample = |n: u64, rss_growth: u64| Sample {
            record: Record {
                model: "threads".into(),
                scenario: "idle".into(),
                variant: "spawn".into(),
                params: workloads::record::Params {
                    workers: n as usize,
                    n,
                    delay_ms: None,
                    rounds: None,
                },
                elapsed_ns: 1,
                startup_ns: 0,
                ops: n,
                check: n,
                memory: Some(workloads::record::Memory {
                    rss_before_kib: Some(1000),
                    rss_after_kib: Some(1000 + rss_growth),
                    ..Default::default()
                }),
                os_threads: None,
            },
            expected: n,
            cpu: None,
            peak_rss_kib: None,
        };
        let spec = Spec {
            model: "threads".into(),
            bin: PathBuf::new(),
            scenario: "idle".into(),
            variant: "spawn".into(),
            workers: 2,
            ns: vec![100, 1000, 3000],
            delay_ms: None,
            rounds: None,
            repeats: 1,
        };
        // 10 KiB per unit plus a fixed 500 KiB that the slope must cancel out.
        let samples = vec![
            vec![sample(100, 1500)],
            vec![sample(1000, 10_500)],
            vec![sample(3000, 30_500)],
        ];
        let m = slope(&spec, &samples, &[0, 1, 2]).unwrap();
        assert_eq!(m.rss, Some(10.0));
        assert_eq!(m.kernel, None, "no kernel reading: null, not zero");
        assert!(
            slope(&spec, &samples, &[2]).is_none(),
            "one count gives no slope"
        );
    }
}
