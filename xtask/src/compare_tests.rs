//! A model group that is not a crate, end to end: launched by a command line,
//! with sizes and a baseline of its own, planned, run as real processes,
//! summarised and compared.

use super::*;
use crate::engine::group::{Baseline, GroupSizes, Launcher, ModelGroup};
use crate::engine::plan::Sizes;
use crate::engine::summary::add_ratios;

/// A contract binary written in sh: `scenarios` prints its catalogue; `run`
/// answers with one record whose elapsed time is n x 1000 / W.
const FIXTURE: &str = r#"
case "$1" in
scenarios)
  echo '{"model":"fixture","scenarios":[{"name":"spawn","variants":[{"name":"one","takes_workers":false,"unavailable":null},{"name":"many","takes_workers":true,"unavailable":null}]}]}' ;;
run)
  scenario=$2; shift 2; w=1
  while [ $# -gt 0 ]; do
    case "$1" in --variant) v=$2 ;; --n) n=$2 ;; --workers) w=$2 ;; esac
    shift 2
  done
  echo "{\"model\":\"fixture\",\"scenario\":\"$scenario\",\"variant\":\"$v\",\"params\":{\"workers\":$w,\"n\":$n},\"elapsed_ns\":$((n * 1000 / w)),\"startup_ns\":0,\"ops\":$n,\"check\":$n,\"os_threads\":1}" ;;
*) echo "error: unknown command $1" >&2; exit 2 ;;
esac
"#;

fn fixture() -> ModelGroup {
    let sizes = Sizes {
        spawn_n: 40,
        ..QUICK.sizes.clone()
    };
    ModelGroup {
        name: "fixture".into(),
        launcher: Launcher::Command(vec![
            "sh".into(),
            "-c".into(),
            FIXTURE.into(),
            "fixture".into(),
        ]),
        sizes: Some(GroupSizes {
            quick: sizes.clone(),
            default: sizes.clone(),
            full: sizes,
            default_scenarios: None,
            default_cpu_both_ends: true,
        }),
        baseline: Baseline {
            model: "fixture".into(),
            cpu: "one".into(),
            other: "one".into(),
        },
    }
}

#[test]
fn a_group_launched_by_a_command_line_is_planned_run_and_compared() {
    let def = fixture();
    let group = resolve(&def, &BTreeMap::new()).unwrap();
    assert!(
        group
            .catalogue
            .variant("spawn", "many")
            .unwrap()
            .takes_workers
    );
    let groups = BTreeMap::from([("fixture".to_string(), group)]);
    let specs = plan(
        &Selection::default(),
        &QUICK,
        &groups,
        &["fixture".into()],
        2,
    );
    let keys: Vec<(String, Option<u64>, Vec<u64>)> = specs
        .iter()
        .map(|s| {
            (
                s.key.variant.clone(),
                s.key.params.workers,
                s.points.clone(),
            )
        })
        .collect();
    // Its own size (40, not the run's 200), its own baseline first.
    assert_eq!(
        keys,
        [
            ("one".into(), None, vec![40]),
            ("many".into(), Some(2), vec![40])
        ]
    );
    let policy = Policy {
        warmup: false,
        timeout: std::time::Duration::from_secs(20),
        budget: None,
        sweep: None,
    };
    let out = execute(&specs, &policy, None, &mut Processes, &mut |_| {}).unwrap();
    let mut cells: Vec<Cell> = specs
        .iter()
        .zip(&out.progress)
        .map(|(s, p)| crate::engine::summary::summarise(s, p, |n| s.command(n, None).join(" ")))
        .collect();
    let baselines = BTreeMap::from([("fixture".to_string(), def.baseline.clone())]);
    add_ratios(&mut cells, &baselines);
    assert!(cells.iter().all(|c| c.status == Status::Ok), "{cells:?}");
    assert_eq!(cells[0].median_ns, Some(40_000));
    assert_eq!(cells[1].median_ns, Some(20_000));
    assert_eq!(cells[1].ratio, Some(2.0));
    assert_eq!(cells[1].baseline.as_deref(), Some("fixture/one"));
    assert_eq!(cells[1].reported_workers, Some(2));
    assert_eq!(cells[0].samples[0].elapsed_ns, [40_000]);
}

#[test]
fn a_group_whose_command_is_missing_says_so() {
    let mut def = fixture();
    def.launcher = Launcher::Command(vec!["/nonexistent/python3".into()]);
    let e = resolve(&def, &BTreeMap::new()).unwrap_err();
    assert!(
        e.msg.contains("could not start `/nonexistent/python3`"),
        "{}",
        e.msg
    );
}

#[test]
fn the_invocation_is_rebuilt_from_the_parsed_arguments() {
    let quick = CompareArgs {
        quick: true,
        ..CompareArgs::default()
    };
    assert_eq!(quick.invocation(), "cargo xtask compare --quick");
    let one = CompareArgs {
        models: vec!["threads".into()],
        scenarios: vec!["cpu".into()],
        workers: vec![1, 2],
        repeats: Some(11),
        ..CompareArgs::default()
    };
    assert_eq!(
        one.invocation(),
        "cargo xtask compare --models threads --scenarios cpu --workers 1,2 --repeats 11"
    );
}
