//! One test per row: the base run's outcome, then a change for each other
//! outcome the row's rule can give.

use super::*;
use crate::report::EffectiveCores;

#[test]
fn row_1_threads_lighter_than_processes() {
    let j = row("1", unchanged);
    assert_eq!(j.verdict, Holds);
    assert!(
        j.reason
            .starts_with("a thread started 11.2x faster (80.0 µs vs 900 µs per unit)"),
        "{}",
        j.reason
    );
    assert_eq!(j.figures[0].cells.len(), 2);
    assert_eq!(
        verdict("1", memory("processes/idle/per-task", 9.0, 19.0)),
        HoldsWithCaveat
    );
    assert_eq!(
        verdict(
            "1",
            retimed("processes/spawn/per-task", None, 40.0 * US * 2000.0)
        ),
        DoesNotHold
    );
    let inside = row(
        "1",
        retimed("processes/spawn/per-task", None, 81.0 * US * 2000.0),
    );
    assert_eq!(inside.verdict, Inconclusive);
    assert!(
        inside.reason.contains("inside the noise"),
        "{}",
        inside.reason
    );
}

#[test]
fn a_missing_failed_limited_or_thin_cell_is_named() {
    let gone = row("1", |r| {
        r.cells
            .retain(|c| c.scenario() != "spawn" || c.model() != "threads")
    });
    assert_eq!(gone.verdict, Inconclusive);
    assert!(
        gone.reason.contains("threads/spawn/spawn is missing"),
        "{}",
        gone.reason
    );
    let limit = row("1", |r| {
        let c = at(r, "processes/idle/per-task", None);
        c.status = Status::Limit;
        c.reason = Some("vm.max_map_count".into());
    });
    assert!(
        limit.reason.contains("hit a limit (vm.max_map_count)"),
        "{}",
        limit.reason
    );
    let failed = row("1", |r| {
        at(r, "processes/spawn/per-task", None).status = Status::Failed
    });
    assert!(
        failed.reason.contains("did not finish (failed)"),
        "{}",
        failed.reason
    );
    let thin = row("1", |r| at(r, "threads/spawn/spawn", None).repeats = 2);
    assert_eq!(thin.verdict, Inconclusive);
    assert!(
        thin.reason.contains("has 2 repeat(s), fewer than 3"),
        "{}",
        thin.reason
    );
}

#[test]
fn row_2_a_little_more_memory() {
    let j = row("2", unchanged);
    assert_eq!(j.verdict, Holds);
    assert!(
        j.reason.contains("1.75x more memory") && j.reason.contains("within the 2x"),
        "{}",
        j.reason
    );
    let far = row("2", memory("processes/idle/per-task", 200.0, 20.0));
    assert_eq!(far.verdict, HoldsWithCaveat);
    assert!(
        far.reason.contains("7.69x more memory") && far.reason.contains("beyond the 2x"),
        "{}",
        far.reason
    );
    assert_eq!(
        verdict("2", memory("processes/idle/per-task", 5.0, 5.0)),
        DoesNotHold
    );
    assert_eq!(
        verdict("2", memory("processes/idle/per-task", 9.6, 19.0)),
        Inconclusive
    );
}

#[test]
fn row_3_processes_use_the_cores_counting_start_up() {
    assert_eq!(verdict("3", unchanged), Holds);
    let slow_start = row("3", |r| {
        at(r, "processes/cpu/pool", None).startup_ns = Some(50 * MS as u64)
    });
    assert_eq!(slow_start.verdict, HoldsWithCaveat);
    assert!(
        slow_start
            .reason
            .contains("caveat: the same counting the pool's start-up"),
        "{}",
        slow_start.reason
    );
    assert_eq!(
        verdict("3", retimed("processes/cpu/pool", None, 150.0 * MS)),
        DoesNotHold
    );
    // Faster than the cores measured: the measurement ran low, not the pool.
    let low = row("3", |r| {
        r.environment.effective_cores = EffectiveCores {
            start: Some(1.55),
            end: Some(1.56),
        }
    });
    assert_eq!(low.verdict, Inconclusive);
    assert!(
        low.reason.contains("that measurement ran low"),
        "{}",
        low.reason
    );
    let gone = row("3", |r| r.cells.retain(|c| c.variant() != "pool"));
    assert_eq!(gone.verdict, Inconclusive);
    assert!(
        gone.reason.contains("processes/cpu/pool W=2 is missing"),
        "{}",
        gone.reason
    );
}

#[test]
fn row_4_threads_keep_gaining_on_io() {
    assert_eq!(verdict("4", unchanged), Holds);
    let caveat = row("4", retimed("threads/sleep/spawn", Some(1000), 135.0 * MS));
    assert_eq!(caveat.verdict, HoldsWithCaveat);
    assert!(
        caveat.reason.contains("caveat: wall / delay"),
        "{}",
        caveat.reason
    );
    assert_eq!(
        verdict("4", retimed("threads/sleep/serial", None, 60.0 * MS)),
        DoesNotHold
    );
    assert_eq!(
        verdict("4", retimed("threads/sleep/serial", None, 102.0 * MS)),
        Inconclusive
    );
    let gone = row("4", |r| {
        r.cells
            .retain(|c| c.variant() != "serial" || c.scenario() != "sleep")
    });
    assert_eq!(gone.verdict, Inconclusive);
    assert!(
        gone.reason.contains("threads/sleep/serial n=8 is missing"),
        "{}",
        gone.reason
    );
}

#[test]
fn row_5_processes_cost_more_for_io() {
    assert_eq!(verdict("5", unchanged), Holds);
    let caveat = row("5", retimed("processes/net/per-task", None, 151.0 * MS));
    assert_eq!(caveat.verdict, HoldsWithCaveat);
    assert!(caveat.reason.contains("caveat: net,"), "{}", caveat.reason);
    assert_eq!(
        verdict("5", retimed("processes/sleep/per-task", None, 40.0 * MS)),
        DoesNotHold
    );
    assert_eq!(
        verdict("5", retimed("processes/sleep/per-task", None, 52.5 * MS)),
        Inconclusive
    );
}

#[test]
fn rows_6_7_10a_are_illustrations_even_with_a_cell_missing() {
    for id in ["6", "7", "10a"] {
        let j = row(id, unchanged);
        assert_eq!(j.verdict, Illustration);
        assert!(j.reason.contains("no verdict: "), "{}", j.reason);
    }
    assert!(row("6", unchanged)
        .reason
        .contains("under one lock ran at 1.00x serial speed"));
    let gone = row("7", |r| r.cells.retain(|c| c.variant() != "gil"));
    assert_eq!(gone.verdict, Illustration);
    assert!(
        gone.reason.contains("threads/cpu/gil W=2 is missing"),
        "{}",
        gone.reason
    );
}

#[test]
fn row_8_one_thread_runs_the_waits() {
    let j = row("8", unchanged);
    assert_eq!(j.verdict, Holds);
    assert!(
        j.reason.starts_with("1000 waits ran on 1 OS thread"),
        "{}",
        j.reason
    );
    assert_eq!(
        verdict("8", memory("async/idle/current-thread", 40.0, 0.0)),
        HoldsWithCaveat
    );
    assert_eq!(
        verdict("8", |r| at(r, "async/sleep/current-thread", None)
            .os_threads = Some(2)),
        DoesNotHold
    );
    let gone = row("8", |r| {
        r.cells
            .retain(|c| c.model() != "async" || c.scenario() != "sleep")
    });
    assert_eq!(gone.verdict, Inconclusive);
    assert!(
        gone.reason
            .contains("async/sleep/current-thread is missing"),
        "{}",
        gone.reason
    );
}

#[test]
fn row_9_tokio_tasks_are_cheaper() {
    assert_eq!(verdict("9", unchanged), Holds);
    assert_eq!(
        verdict("9", memory("async/idle/multi-thread", 40.0, 0.0)),
        HoldsWithCaveat
    );
    assert_eq!(
        verdict(
            "9",
            retimed("async/spawn/current-thread", None, 100.0 * US * 2000.0)
        ),
        DoesNotHold
    );
    assert_eq!(
        verdict(
            "9",
            retimed("async/spawn/current-thread", None, 80.5 * US * 2000.0)
        ),
        Inconclusive
    );
}

#[test]
fn row_10b_may_uses_several_cores() {
    let j = row("10b", unchanged);
    assert_eq!(j.verdict, Holds);
    assert!(
        j.reason.contains("no gain beyond the noise"),
        "{}",
        j.reason
    );
    assert_eq!(
        verdict("10b", retimed("green/cpu/may", None, 100.0 * MS)),
        DoesNotHold
    );
}

#[test]
fn parallel_rows_need_the_effective_cores() {
    let busy = |r: &mut Report| r.environment.effective_cores.end = Some(1.2);
    for id in ["3", "10b"] {
        let j = row(id, busy);
        assert_eq!(j.verdict, Inconclusive);
        assert!(
            j.reason.contains("1.20 effective cores of the 2 allowed"),
            "{}",
            j.reason
        );
        assert!(j
            .figures
            .iter()
            .any(|f| f.label.starts_with("effective cores")));
    }
    assert_eq!(verdict("1", busy), Holds);
    let one = row("3", |r| r.environment.cores = 1);
    assert_eq!(one.verdict, Inconclusive);
    assert!(one.reason.contains("one core allowed"), "{}", one.reason);
}

#[test]
fn row_11_names_the_component_that_carries_the_difference() {
    let j = row("11", unchanged);
    assert_eq!(j.verdict, Holds);
    assert!(
        j.reason
            .contains("the kernel part carries the difference (18.9 of 22.5 KiB)"),
        "{}",
        j.reason
    );
    let rss = row("11", memory("green/idle/may", 1.0, 18.0));
    assert!(
        rss.reason.contains("the RSS part carries"),
        "{}",
        rss.reason
    );
    assert_eq!(
        verdict("11", retimed("green/spawn/may", None, 100.0 * US * 2000.0)),
        HoldsWithCaveat
    );
    assert_eq!(
        verdict("11", memory("green/idle/may", 40.0, 0.1)),
        DoesNotHold
    );
    assert_eq!(
        verdict("11", memory("green/idle/may", 9.5, 19.0)),
        Inconclusive
    );
}

#[test]
fn row_12_switching_between_threads_costs_more() {
    assert_eq!(verdict("12", unchanged), Holds);
    assert_eq!(
        verdict(
            "12",
            retimed("green/pingpong/may", None, 20.0 * US * 10_000.0)
        ),
        HoldsWithCaveat
    );
    assert_eq!(
        verdict(
            "12",
            retimed("async/pingpong/current-thread", None, 20.0 * US * 10_000.0)
        ),
        DoesNotHold
    );
    assert_eq!(
        verdict(
            "12",
            retimed("async/pingpong/current-thread", None, 14.1 * US * 10_000.0)
        ),
        Inconclusive
    );
}

#[test]
fn rows_13_processes_talk_slower() {
    for (id, path) in [
        ("13a", "processes/pingpong/pool"),
        ("13b", "processes/pingpong/pipe"),
    ] {
        assert_eq!(verdict(id, unchanged), Holds);
        assert_eq!(
            verdict(id, retimed(path, None, 10.0 * US * 10_000.0)),
            DoesNotHold
        );
        assert_eq!(
            verdict(id, retimed(path, None, 14.1 * US * 10_000.0)),
            Inconclusive
        );
    }
}

#[test]
fn a_quick_run_judges_nothing() {
    let mut r = base();
    r.size = "quick".into();
    for j in judge(&r) {
        let expected = if ["6", "7", "10a"].contains(&j.id.as_str()) {
            Illustration
        } else {
            Inconclusive
        };
        assert_eq!(j.verdict, expected, "{}", j.id);
        if expected == Inconclusive {
            assert!(
                j.reason
                    .starts_with("a quick run measures nothing reliable"),
                "{}",
                j.reason
            );
        }
    }
    assert_eq!(judge(&r).len(), 15);
}
