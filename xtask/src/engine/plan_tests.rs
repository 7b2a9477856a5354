//! The planner on synthetic catalogues: which cells, at which W and n.

use super::*;
use crate::engine::group::Launcher;
use crate::engine::group::{rust_baseline, ModelGroup};
use workloads::record::{Catalogue, VariantInfo as V};

pub fn group(name: &str, catalogue: Catalogue) -> Group {
    Group {
        def: ModelGroup {
            name: name.into(),
            launcher: Launcher::Command(vec![format!("{name}-bin")]),
            sizes: None,
            baseline: rust_baseline(),
        },
        argv: vec![format!("{name}-bin")],
        catalogue,
    }
}

pub fn threads() -> Group {
    group(
        "threads",
        Catalogue::new(
            "threads",
            &[
                ("cpu", &[V::fixed("serial"), V::with_workers("scoped")]),
                ("spawn", &[V::fixed("spawn")]),
                ("idle", &[V::fixed("spawn")]),
            ],
        ),
    )
}

fn groups(gs: Vec<Group>) -> BTreeMap<String, Group> {
    gs.into_iter().map(|g| (g.name().to_string(), g)).collect()
}

fn summary(specs: &[Spec]) -> Vec<String> {
    specs
        .iter()
        .map(|s| {
            let w = s.key.params.workers.map_or("-".into(), |w| w.to_string());
            format!("{} {} {} W={w}", s.key.model, s.key.scenario, s.key.variant)
        })
        .collect()
}

#[test]
fn cpu_runs_at_one_and_all_cores_and_serial_once() {
    let g = groups(vec![threads()]);
    let specs = plan(&Selection::default(), &DEFAULT, &g, &["threads".into()], 2);
    assert_eq!(
        summary(&specs),
        [
            "threads cpu serial W=-",
            "threads cpu scoped W=1",
            "threads cpu scoped W=2",
            "threads spawn spawn W=-",
            "threads idle spawn W=-",
        ]
    );
    assert_eq!(specs[4].points, [500, 2000]);
    assert_eq!(specs[0].min_repeats, 7);
    // serial takes no W: its command has no --workers.
    assert!(!specs[0]
        .command(10, None)
        .contains(&"--workers".to_string()));
    assert!(specs[1].command(10, None).ends_with(&[
        "--workers".into(),
        "1".into(),
        "--n".into(),
        "10".into()
    ]));
}

#[test]
fn asking_for_several_workers_runs_serial_once() {
    let g = groups(vec![threads()]);
    let sel = Selection {
        scenarios: vec!["cpu".into()],
        workers: vec![1, 2, 4],
        ..Selection::default()
    };
    let specs = plan(&sel, &DEFAULT, &g, &["threads".into()], 2);
    assert_eq!(
        summary(&specs),
        [
            "threads cpu serial W=-",
            "threads cpu scoped W=1",
            "threads cpu scoped W=2",
            "threads cpu scoped W=4",
        ]
    );
}

#[test]
fn one_core_gives_one_cpu_cell_per_variant() {
    let g = groups(vec![threads()]);
    let sel = Selection {
        scenarios: vec!["cpu".into()],
        ..Selection::default()
    };
    assert_eq!(plan(&sel, &DEFAULT, &g, &["threads".into()], 1).len(), 2);
}

#[test]
fn unavailable_and_missing_variants_are_shown_not_run() {
    let py = group(
        "py",
        Catalogue::new(
            "py",
            &[(
                "cpu",
                &[
                    V::fixed("serial"),
                    V::fixed("gevent").unavailable("gevent not installed"),
                ],
            )],
        ),
    );
    let g = groups(vec![threads(), py]);
    let wanted = ["py".to_string()];
    let specs = plan(&Selection::default(), &QUICK, &g, &wanted, 2);
    assert!(specs.iter().all(|s| s.key.variant != "gevent"));
    let missing = missing_cells(&Selection::default(), &QUICK, &g, &wanted);
    let reasons: Vec<&str> = missing.iter().filter_map(|c| c.reason.as_deref()).collect();
    assert!(
        reasons.contains(&"unavailable here: gevent not installed"),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"py has no spawn scenario"), "{reasons:?}");
}

#[test]
fn one_by_one_waits_run_at_a_small_n_beside_a_thread_per_unit() {
    let threads = group(
        "threads",
        Catalogue::new(
            "threads",
            &[("sleep", &[V::fixed("serial"), V::fixed("spawn")])],
        ),
    );
    let g = groups(vec![threads]);
    let points = |sel: &Selection| -> Vec<String> {
        plan(sel, &DEFAULT, &g, &["threads".into()], 2)
            .iter()
            .map(|s| format!("{}@{:?}", s.key.variant, s.points))
            .collect()
    };
    assert_eq!(
        points(&Selection::default()),
        ["spawn@[1000]", "serial@[8]", "spawn@[8]"]
    );
    // --n never makes the serial run larger than 4 x cores...
    let big = Selection {
        n: Some(2000),
        ..Selection::default()
    };
    assert_eq!(points(&big), ["spawn@[2000]", "serial@[8]", "spawn@[8]"]);
    // ...and a smaller --n is used as it is, once.
    let small = Selection {
        n: Some(4),
        ..Selection::default()
    };
    assert_eq!(points(&small), ["spawn@[4]", "serial@[4]"]);
}
