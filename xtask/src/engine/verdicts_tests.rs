//! Each rule on synthetic cells, one test per row giving each of its
//! outcomes, the one-core, busy-machine and `--quick` rules, and the real
//! report printed on demand.

use super::*;
use crate::report::{KeyParams, MemPerUnit};
use Verdict::*;

const MS: f64 = 1e6;
const US: f64 = 1e3;

/// A finished cell with 5 repeats, a 2 % spread and its per-unit figures.
fn timed(
    model: &str,
    scenario: &str,
    variant: &str,
    workers: Option<u64>,
    n: u64,
    ns: f64,
) -> Cell {
    let params = KeyParams {
        workers,
        n: Points::One(n),
        delay_ms: (scenario == "sleep").then_some(50),
        rounds: None,
    };
    let key = CellKey {
        model: model.into(),
        scenario: scenario.into(),
        variant: variant.into(),
        params,
    };
    let mut c = Cell::new(key, Status::Ok);
    c.repeats = 5;
    c.spread = Some(0.02);
    c.os_threads = Some(if variant == "current-thread" {
        1
    } else {
        n + 1
    });
    c.startup_ns = Some(0);
    retime(&mut c, ns);
    c
}

fn retime(c: &mut Cell, ns: f64) {
    let Points::One(n) = c.key.params.n else {
        return;
    };
    c.median_ns = Some(ns as u64);
    c.ns_per_unit = Some(ns / n as f64);
    c.wall_over_delay = c.key.params.delay_ms.map(|d| ns / (d as f64 * MS));
}

/// An `idle` cell: memory per unit (PSS for processes) with 0.1 KiB noise.
fn idle(model: &str, variant: &str, workers: Option<u64>, main: f64, kernel: f64) -> Cell {
    let mut c = timed(model, "idle", variant, workers, 2000, 50.0 * MS);
    c.key.params.n = Points::Many(vec![500, 2000]);
    remember(&mut c, main, kernel);
    c
}

fn remember(c: &mut Cell, main: f64, kernel: f64) {
    let of = |main, kernel| {
        let process = c.key.model == "processes";
        MemPerUnit {
            rss: (!process).then_some(main),
            kernel: Some(kernel),
            pss: process.then_some(main),
        }
    };
    c.mem_per_unit_kib = Some(of(main, kernel));
    c.mem_noise_kib = Some(of(0.1, 0.1));
}

/// A quiet 2-core run on which every row holds (or illustrates).
fn base() -> Report {
    let w2 = Some(2);
    let cpu = |m, v, w, ms: f64| timed(m, "cpu", v, w, 3_000_000, ms * MS);
    let mut pool = cpu("processes", "pool", w2, 101.0);
    pool.startup_ns = Some(MS as u64);
    let per = |m, s, v, w, n: u64, each: f64| timed(m, s, v, w, n, each * n as f64);
    let cells = vec![
        cpu("threads", "serial", None, 200.0),
        cpu("threads", "scoped", w2, 100.0),
        cpu("threads", "gil", w2, 200.0),
        pool,
        cpu("green", "may", w2, 198.0),
        cpu("green", "may-1", None, 200.0),
        timed("threads", "sleep", "serial", None, 8, 400.0 * MS),
        timed("threads", "sleep", "spawn", None, 8, 51.0 * MS),
        timed("threads", "sleep", "spawn", None, 1000, 52.0 * MS),
        timed("async", "sleep", "current-thread", None, 1000, 52.5 * MS),
        timed("processes", "sleep", "per-task", None, 1000, 1000.0 * MS),
        timed("threads", "net", "spawn", None, 100, 150.0 * MS),
        timed("processes", "net", "per-task", None, 100, 250.0 * MS),
        per("threads", "spawn", "spawn", None, 2000, 80.0 * US),
        per("processes", "spawn", "per-task", None, 2000, 900.0 * US),
        per("async", "spawn", "current-thread", None, 2000, 800.0),
        per("async", "spawn", "multi-thread", w2, 2000, 800.0),
        per("green", "spawn", "may", w2, 2000, 3.0 * US),
        idle("threads", "spawn", None, 9.6, 19.0),
        idle("processes", "per-task", None, 30.0, 20.0),
        idle("async", "current-thread", None, 0.6, 0.0),
        idle("async", "multi-thread", w2, 0.5, 0.0),
        idle("green", "may", w2, 6.0, 0.1),
        per("threads", "pingpong", "spawn", None, 10_000, 14.0 * US),
        per("async", "pingpong", "current-thread", None, 10_000, 400.0),
        per("green", "pingpong", "may", w2, 10_000, 450.0),
        per("processes", "pingpong", "pool", None, 10_000, 20.0 * US),
        per("processes", "pingpong", "pipe", None, 10_000, 16.0 * US),
    ];
    let mut r = crate::report::tests::sample_report();
    r.cells = cells;
    r.environment.effective_cores.start = Some(1.97);
    r.environment.effective_cores.end = Some(1.95);
    r
}

/// The first cell of model/scenario/variant (at `n` where given), to change.
fn at<'r>(r: &'r mut Report, path: &str, n: Option<u64>) -> &'r mut Cell {
    let [m, s, v] = path.split('/').collect::<Vec<_>>()[..] else {
        panic!("{path}: not model/scenario/variant");
    };
    r.cells
        .iter_mut()
        .find(|c| {
            (c.model(), c.scenario(), c.variant()) == (m, s, v)
                && n.is_none_or(|n| c.key.params.n == Points::One(n))
        })
        .unwrap_or_else(|| panic!("no cell {path}"))
}

/// The base run with one change, judged on row `id`.
fn row(id: &str, change: impl FnOnce(&mut Report)) -> Judged {
    let mut r = base();
    change(&mut r);
    let j = judge(&r)
        .into_iter()
        .find(|j| j.id == id)
        .expect("row judged");
    println!("{id} {:?}: {}", j.verdict, j.reason);
    j
}

fn verdict(id: &str, change: impl FnOnce(&mut Report)) -> Verdict {
    row(id, change).verdict
}

fn retimed(path: &'static str, n: Option<u64>, ns: f64) -> impl FnOnce(&mut Report) {
    move |r| retime(at(r, path, n), ns)
}

fn memory(path: &'static str, main: f64, kernel: f64) -> impl FnOnce(&mut Report) {
    move |r| remember(at(r, path, None), main, kernel)
}

fn unchanged(_: &mut Report) {}

#[path = "verdicts_rules_tests.rs"]
mod rules;

/// Prints the verdicts of a real run's report (`VERDICTS_REPORT`, or the
/// workspace's latest): `cargo test -p xtask real_report -- --ignored --nocapture`.
#[test]
#[ignore]
fn real_report() {
    let path = std::env::var("VERDICTS_REPORT").map_or_else(
        |_| crate::project::root().join("target/compare/latest/report.json"),
        std::path::PathBuf::from,
    );
    let report = crate::report::read(&path).unwrap_or_else(|e| panic!("{}", e.msg));
    for j in judge(&report) {
        println!("{:>3} {}: {}", j.id, j.verdict.as_str(), j.reason);
    }
}

#[path = "verdicts_python_tests.rs"]
mod python;
