//! The sweeps: their plan on synthetic catalogues, and how a series stops
//! (limit, time cap, total budget) with the runner on a fake executor.

use std::collections::BTreeMap;
use std::time::Duration;

use super::*;
use crate::engine::exec::tests::{policy, run, spec, Fake};
use crate::engine::exec::Policy;
use crate::engine::plan::tests::{group, threads};
use crate::engine::plan::DEFAULT;
use workloads::record::{Catalogue, VariantInfo as V};

fn async_group() -> Group {
    group(
        "async",
        Catalogue::new(
            "async",
            &[
                (
                    "cpu",
                    &[V::fixed("current-thread"), V::with_workers("multi-thread")],
                ),
                ("idle", &[V::with_workers("multi-thread")]),
                ("pingpong", &[V::fixed("current-thread")]),
            ],
        ),
    )
}

fn groups() -> BTreeMap<String, Group> {
    [threads(), async_group()]
        .into_iter()
        .map(|g| (g.name().to_string(), g))
        .collect()
}

fn names(specs: &[Spec]) -> Vec<String> {
    specs
        .iter()
        .map(|s| {
            let w = s.key.params.workers.map_or("-".into(), |w| w.to_string());
            format!("{} {} {} W={w}", s.key.model, s.key.scenario, s.key.variant)
        })
        .collect()
}

#[test]
fn cpu_sweeps_w_to_twice_the_cores_and_runs_serial_like_variants_once() {
    let sel = Selection::default();
    let specs = plan_full(&sel, &groups(), &["async".into()], 2);
    let cpu: Vec<String> = names(&specs)
        .into_iter()
        .filter(|s| s.contains(" cpu "))
        .collect();
    assert_eq!(
        cpu,
        [
            "threads cpu serial W=-",
            "async cpu current-thread W=-",
            "async cpu multi-thread W=1",
            "async cpu multi-thread W=2",
            "async cpu multi-thread W=3",
            "async cpu multi-thread W=4",
        ]
    );
    let first = &specs[0];
    assert_eq!((first.points.clone(), first.repeats), (vec![3_000_000], 5));
}

#[test]
fn unit_series_climb_the_ladder_and_tokio_goes_to_a_million() {
    let specs = plan_full(&Selection::default(), &groups(), &["async".into()], 2);
    let idle: Vec<&Spec> = specs.iter().filter(|s| s.scenario() == "idle").collect();
    // The baseline (a thread per unit) first, then tokio at W = cores.
    assert_eq!(
        names(&specs[7..9]),
        ["threads idle spawn W=-", "async idle multi-thread W=2"]
    );
    // async has no spawn scenario: its baseline still sweeps.
    assert_eq!(specs[6].points, [100, 1_000, 10_000, 100_000]);
    assert_eq!(idle[0].points, [100, 1_000, 10_000, 100_000]);
    assert_eq!(idle[1].points, [100, 1_000, 10_000, 100_000, 1_000_000]);
    assert_eq!(idle[1].repeats, 3);
    // pingpong is not swept: it runs as the default plan has it.
    let last = specs.last().unwrap();
    assert_eq!(
        (last.scenario(), last.points.clone()),
        ("pingpong", vec![10_000])
    );
}

#[test]
fn n_tops_the_ladder_and_workers_replace_the_axis() {
    assert_eq!(
        ladder(&[100, 1000, 10_000], "threads", Some(5000)),
        [100, 1000, 5000]
    );
    assert_eq!(ladder(&[100, 1000], "async", None), [100, 1000, 1_000_000]);
    let sel = Selection {
        scenarios: vec!["cpu".into()],
        workers: vec![2],
        ..Default::default()
    };
    let specs = plan_full(&sel, &groups(), &["threads".into()], 2);
    assert_eq!(
        names(&specs),
        ["threads cpu serial W=-", "threads cpu scoped W=2"]
    );
}

#[test]
fn the_default_plan_is_unchanged_by_the_sweeps() {
    let specs = plan(
        &Selection::default(),
        &DEFAULT,
        &groups(),
        &["threads".into(), "async".into()],
        2,
    );
    assert_eq!(
        names(&specs),
        [
            "threads cpu serial W=-",
            "threads cpu scoped W=1",
            "threads cpu scoped W=2",
            "async cpu current-thread W=-",
            "async cpu multi-thread W=1",
            "async cpu multi-thread W=2",
            "threads spawn spawn W=-",
            "threads idle spawn W=-",
            "async idle multi-thread W=2",
            "async pingpong current-thread W=-",
        ]
    );
    let points: Vec<Vec<u64>> = specs.iter().map(|s| s.points.clone()).collect();
    assert_eq!(points[0], [3_000_000]);
    assert_eq!(points[7], [500, 2_000]);
    assert_eq!(
        points[8],
        [500, 2_000],
        "no million for tokio in the default run"
    );
    assert_eq!((DEFAULT.repeats_cpu, DEFAULT.repeats), (7, 5));
    assert_eq!(DEFAULT.budget, Some(Duration::from_secs(18)));
}

fn sweep_policy(budget_s: u64) -> Policy {
    Policy {
        sweep: Some(SweepPolicy {
            point_cap: Duration::from_secs(10),
            budget: Duration::from_secs(budget_s),
            probe: Duration::from_secs(2),
        }),
        timeout: Duration::from_secs(30),
        ..policy(true, None)
    }
}

#[test]
fn a_point_predicted_over_the_cap_gets_a_short_try_and_says_so() {
    // 1 ms a unit: 1,000 units take 1 s, 100,000 would take 100 s.
    let specs = [spec("g", "spawn", "per-task", &[100, 1000, 100_000], 2)];
    let mut fake = Fake::new();
    fake.wall = Duration::ZERO;
    fake.wall_per_unit = Duration::from_millis(1);
    let (out, _) = run(&specs, &sweep_policy(600), &mut fake);
    // The warm-up runs the smallest point only.
    assert_eq!(
        fake.log,
        [
            "per-task@100",
            "per-task@100",
            "per-task@1000",
            // predicted at 100 s: a 2 s try, killed
            "per-task@100000",
            "per-task@100",
            "per-task@1000"
        ]
    );
    let p = &out.progress[0];
    let (status, why) = p.stopped[2].clone().unwrap();
    assert_eq!(status, Status::Limit);
    assert!(
        why.starts_with("time cap: 100000 units would take about 100s")
            && why.ends_with("its one try timed out after 2s; its process group was killed"),
        "{why}"
    );
    let cells = cells(&specs[0], p, |n| n.to_string());
    let shown: Vec<(Status, usize)> = cells.iter().map(|c| (c.status, c.samples.len())).collect();
    assert_eq!(
        shown,
        [(Status::Ok, 1), (Status::Ok, 1), (Status::Limit, 0)]
    );
    assert_eq!(
        stop_name(&cells.iter().collect::<Vec<_>>()).as_deref(),
        Some("time cap")
    );
}

#[test]
fn a_limit_the_binary_checks_first_names_itself_past_the_cap() {
    let specs = [spec("g", "idle", "spawn", &[100, 1000, 100_000], 1)];
    let mut fake = Fake::new();
    fake.wall = Duration::ZERO;
    fake.wall_per_unit = Duration::from_millis(1);
    fake.script = Box::new(|_, _, n| {
        (n == 100_000).then(|| {
            let limit = r#"{"status":"limit","limit":"vm.max_map_count","reason":"too many"}"#;
            (3, limit.to_string())
        })
    });
    let (out, _) = run(&specs, &sweep_policy(600), &mut fake);
    let why = out.progress[0].stopped[2].clone().unwrap().1;
    assert!(why.starts_with("vm.max_map_count"), "{why}");
}

#[test]
fn a_run_over_the_cap_ends_its_series_there_and_keeps_its_sample() {
    let specs = [spec("g", "sleep", "serial", &[100, 1000], 3)];
    let mut fake = Fake::new();
    fake.wall = Duration::ZERO;
    fake.wall_per_unit = Duration::from_millis(200);
    let (out, _) = run(&specs, &sweep_policy(600), &mut fake);
    // 20 s at n = 100: kept (a slow warm-up is a repeat), and nothing more runs.
    assert_eq!(fake.log, ["serial@100"]);
    let p = &out.progress[0];
    assert_eq!(p.samples[0].len(), 1);
    let cells = cells(&specs[0], p, |n| n.to_string());
    assert_eq!(cells[0].status, Status::Ok);
    assert!(cells[0]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("time cap: 100 units took 20"));
    assert_eq!(cells[1].status, Status::Limit);
}

#[test]
fn a_limit_or_a_failure_stops_the_series_but_keeps_the_smaller_points() {
    let specs = [
        spec("g", "idle", "a", &[100, 1000, 10_000], 1),
        spec("g", "spawn", "b", &[100, 1000, 10_000], 1),
    ];
    let mut fake = Fake::new();
    fake.script = Box::new(|_, v, n| match (v, n) {
        ("a", 10_000) => Some((
            3,
            r#"{"status":"limit","limit":"vm.max_map_count","reason":"too many"}"#.into(),
        )),
        ("b", 1000) => Some((101, String::new())),
        _ => None,
    });
    let (out, _) = run(&specs, &sweep_policy(600), &mut fake);
    let idle = summarise(&specs[0], &out.progress[0], |n| n.to_string());
    assert_eq!(idle.status, Status::Ok, "a slope from 100..1000");
    assert!(idle.reason.unwrap().starts_with("vm.max_map_count"));
    let spawn = cells(&specs[1], &out.progress[1], |n| n.to_string());
    let status: Vec<Status> = spawn.iter().map(|c| c.status).collect();
    assert_eq!(status, [Status::Ok, Status::Failed, Status::Failed]);
}

#[test]
fn the_total_budget_stops_new_runs_and_names_the_points_not_reached() {
    let specs = [
        spec("g", "spawn", "a", &[100, 200], 3),
        spec("g", "spawn", "b", &[100, 200], 3),
    ];
    let mut fake = Fake::new();
    fake.wall = Duration::from_secs(2);
    let (out, _) = run(&specs, &sweep_policy(5), &mut fake);
    assert!(out.sweep_budget_spent);
    // 2 s a run: the warm-up (kept: slow), a's two points, then over 5 s.
    assert_eq!(fake.log, ["a@100", "a@100", "a@200"]);
    let (a, b) = (&out.progress[0], &out.progress[1]);
    assert_eq!((a.samples[0].len(), a.samples[1].len()), (2, 1));
    assert!(
        a.stopped.iter().all(Option::is_none),
        "what ran keeps its samples"
    );
    assert!(b.stopped[0].as_ref().unwrap().1.starts_with("time budget"));
}

#[test]
fn a_run_killed_by_its_timeout_is_the_time_cap_in_a_sweep() {
    let specs = [spec("g", "spawn", "a", &[100, 1000, 10_000], 1)];
    let mut fake = Fake::new();
    fake.script = Box::new(|_, _, n| (n == 1000).then(|| (-1, String::new())));
    let (out, _) = run(&specs, &sweep_policy(600), &mut fake);
    let p = &out.progress[0];
    assert_eq!(p.samples[0].len(), 1);
    for k in [1, 2] {
        let (status, why) = p.stopped[k].clone().unwrap();
        assert_eq!(status, Status::Limit, "not a failure of the whole run");
        assert!(why.starts_with("time cap: "), "{why}");
    }
    let mut q = p.clone();
    q.stopped = vec![None; 3];
    assert_eq!(stop_from(&mut q, 1, (Status::Limit, "x".into()), 3), 6);
    assert_eq!(
        stop_from(&mut q, 1, (Status::Limit, "y".into()), 3),
        0,
        "stopped once"
    );
    assert_eq!(q.stopped[1].as_ref().unwrap().1, "x");
}
