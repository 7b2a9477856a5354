//! Discovery on directories of fake interpreters (sh scripts that answer the
//! probe), the absent group, `--models python`, and the Rust reference cell.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::engine::build::resolve;
use crate::engine::plan::{missing_cells, QUICK};

/// A fresh directory for one test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("xtask-python-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// An executable `name` in `d` that answers the probe as an interpreter at
/// `executable` would (or fails, when `answer` is None).
fn fake(d: &Path, name: &str, answer: Option<(&str, &str, bool)>) -> PathBuf {
    let body = match answer {
        Some((executable, version, free)) => {
            let (major, minor) = version.split_once('.').unwrap();
            let minor = minor.split('.').next().unwrap();
            format!(
                "echo '{{\"executable\":\"{executable}\",\"version\":\"{version}\",\"implementation\":\"cpython\",\"major\":{major},\"minor\":{minor},\"gil\":{},\"free_threaded\":{free}}}'",
                !free
            )
        }
        None => "echo \"pyenv: python3.12: command not found\" >&2; exit 127".into(),
    };
    let path = d.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn names(d: &Discovery) -> Vec<&str> {
    d.found.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn an_empty_search_path_gives_one_absent_group_whose_cells_say_why() {
    let empty = dir("empty");
    let mut d = discover(std::slice::from_ref(&empty), &[]);
    d.searched = SEARCH_VAR.into();
    assert!(d.found.is_empty());
    let recorded = d.in_run(&["python3".into()]);
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0]
        .absent
        .as_deref()
        .unwrap()
        .starts_with("python3 not found"));
    let groups = d.groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "python3");
    let Launcher::Absent(why) = &groups[0].launcher else {
        panic!("not absent: {:?}", groups[0].launcher)
    };
    assert!(
        why.starts_with("python3 not found (searched CM_PYTHON_PATH)"),
        "{why}"
    );
    // Resolved, it runs nothing and every selected scenario gets a cell
    // that carries the reason.
    let group = resolve(&groups[0], &BTreeMap::new()).unwrap();
    let all = BTreeMap::from([("python3".to_string(), group)]);
    let sel = Selection {
        scenarios: vec!["cpu".into(), "idle".into()],
        ..Selection::default()
    };
    let wanted = vec!["python3".to_string()];
    assert!(super::super::plan::plan(&sel, &QUICK, &all, &wanted, 2).is_empty());
    let cells = missing_cells(&sel, &QUICK, &all, &wanted);
    assert_eq!(cells.len(), 2);
    for c in &cells {
        assert!(
            c.reason.as_deref().unwrap().contains("python3 not found"),
            "{:?}",
            c.reason
        );
    }
}

#[test]
fn interpreters_are_named_by_version_and_build_and_found_once() {
    let d = dir("found");
    fake(
        &d,
        "python3",
        Some(("/usr/bin/python3.11", "3.11.7", false)),
    );
    fake(
        &d,
        "python3.13t",
        Some(("/opt/py/bin/python3.13t", "3.13.5", true)),
    );
    let other = fake(
        &d,
        "venv-python",
        Some(("/venv/bin/python", "3.11.7", false)),
    );
    let again = fake(&d, "again", Some(("/usr/bin/python3.11", "3.11.7", false)));
    let extra = [
        other.display().to_string(),
        again.display().to_string(),
        "python3".to_string(),
    ];
    let found = discover(std::slice::from_ref(&d), &extra);
    assert_eq!(
        names(&found),
        ["python3.11", "python3.13t", "python3.11@/venv/bin/python"],
        "the same sys.executable is one group; a clash adds the path"
    );
    let t = &found.found[1];
    assert_eq!((t.gil, t.free_threaded), (Some(false), Some(true)));
    assert_eq!(
        t.describe(),
        "python3.13t (CPython 3.13.5, free-threaded, no GIL)"
    );
    let groups = found.groups();
    let Launcher::Command(argv) = &groups[1].launcher else {
        panic!("{:?}", groups[1].launcher)
    };
    assert_eq!(argv[0], "/opt/py/bin/python3.13t", "runs sys.executable");
    assert_eq!(argv[1], "-B", "writes no __pycache__");
    assert!(argv[2].ends_with(PROGRAM));
    assert_eq!(groups[0].baseline, baseline("python3.11"));
}

#[test]
fn an_interpreter_that_cannot_run_is_absent_with_the_reason() {
    let d = dir("broken");
    fake(&d, "python3", None);
    let old = fake(&d, "old", Some(("/old/python", "3.7.3", false)));
    let found = discover(
        std::slice::from_ref(&d),
        &[old.display().to_string(), "/nonexistent/python".into()],
    );
    assert!(found.found.is_empty());
    let why: Vec<&str> = found
        .absent
        .iter()
        .filter_map(|a| a.absent.as_deref())
        .collect();
    assert_eq!(why.len(), 3, "{why:?}");
    assert!(
        why[0].contains("probe failed: pyenv: python3.12: command not found"),
        "{}",
        why[0]
    );
    assert!(why[1].contains("3.7.3 is too old"), "{}", why[1]);
    assert!(why[2].contains("could not start"), "{}", why[2]);
    let none = found.none_reason();
    assert!(
        none.starts_with("python3 not found") && none.contains("too old"),
        "{none}"
    );
}

#[test]
fn models_python_selects_every_python_group() {
    let groups = |names: &[&str]| -> Vec<ModelGroup> {
        names
            .iter()
            .map(|n| ModelGroup {
                name: n.to_string(),
                launcher: Launcher::Command(vec![n.to_string()]),
                sizes: None,
                baseline: baseline(n),
            })
            .collect()
    };
    let all = groups(&["threads", "python3.11", "python3.13t"]);
    let asked = vec!["threads".to_string(), "python".to_string()];
    assert_eq!(
        crate::engine::group::select(&all, &asked).unwrap(),
        ["threads", "python3.11", "python3.13t"]
    );
    let one = vec!["python3.13t".to_string()];
    assert_eq!(
        crate::engine::group::select(&all, &one).unwrap(),
        ["python3.13t"]
    );
}

#[test]
fn threads_serial_runs_once_at_the_python_n() {
    let sel = Selection::default();
    let argv = vec!["threads-bin".to_string()];
    let specs = reference_specs(&sel, &QUICK, &[20_000, 20_000], &argv, &[]);
    assert_eq!(specs.len(), 1);
    assert_eq!(
        specs[0].command(20_000, None).join(" "),
        "threads-bin run cpu --variant serial --n 20000"
    );
    assert_eq!(specs[0].key.params.workers, None);
    let have = vec![specs[0].key.clone()];
    assert!(reference_specs(&sel, &QUICK, &[20_000], &argv, &have).is_empty());
    let no_cpu = Selection {
        scenarios: vec!["spawn".into()],
        ..Selection::default()
    };
    assert!(reference_specs(&no_cpu, &QUICK, &[20_000], &argv, &[]).is_empty());
    assert_eq!(cpu_n(&sel, &QUICK), 20_000);
}

#[test]
fn the_default_run_leaves_out_what_no_python_claim_reads_unless_asked() {
    use crate::engine::plan::{plan, DEFAULT};
    let scenarios = ["cpu", "sleep", "net", "spawn", "idle", "pingpong"];
    let json = format!(
        r#"{{"model":"python3.11","scenarios":[{}]}}"#,
        scenarios
            .map(|s| format!(
                r#"{{"name":"{s}","variants":[{{"name":"threading","takes_workers":false,"unavailable":null}}]}}"#
            ))
            .join(",")
    );
    let all = resolved(&json);
    let wanted = vec!["python3.11".to_string()];
    let planned = |sel: &Selection, size| -> Vec<String> {
        let mut s: Vec<String> = plan(sel, size, &all, &wanted, 2)
            .iter()
            .map(|s| s.scenario().to_string())
            .collect();
        s.dedup();
        s
    };
    assert_eq!(
        planned(&Selection::default(), &DEFAULT),
        ["cpu", "sleep", "spawn", "idle"]
    );
    assert_eq!(planned(&Selection::default(), &QUICK), scenarios);
    let net = Selection {
        scenarios: vec!["net".into()],
        ..Selection::default()
    };
    assert_eq!(planned(&net, &DEFAULT), ["net"]);
}

#[test]
fn the_default_run_measures_python_cpu_at_w_equal_cores_only() {
    use crate::engine::plan::{plan, DEFAULT};
    let json = r#"{"model":"python3.11","scenarios":[{"name":"cpu","variants":[{"name":"serial","takes_workers":false,"unavailable":null},{"name":"threading","takes_workers":true,"unavailable":null}]}]}"#;
    let all = resolved(json);
    let wanted = vec!["python3.11".to_string()];
    let workers = |size| -> Vec<Option<u64>> {
        plan(&Selection::default(), size, &all, &wanted, 2)
            .iter()
            .filter(|s| s.key.variant == "threading")
            .map(|s| s.key.params.workers)
            .collect()
    };
    assert_eq!(workers(&DEFAULT), [Some(2)]);
    assert_eq!(workers(&QUICK), [Some(1), Some(2)]);
}

/// One resolved `python3.11` group with its real sizes, offering what the
/// catalogue `json` lists.
fn resolved(json: &str) -> BTreeMap<String, crate::engine::group::Group> {
    let group = crate::engine::group::Group {
        def: ModelGroup {
            name: "python3.11".into(),
            launcher: Launcher::Command(vec!["python3".into()]),
            sizes: Some(sizes()),
            baseline: baseline("python3.11"),
        },
        argv: vec!["python3".into()],
        catalogue: serde_json::from_str(json).unwrap(),
    };
    BTreeMap::from([("python3.11".to_string(), group)])
}
