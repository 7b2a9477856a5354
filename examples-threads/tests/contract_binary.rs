//! The threads binary as xtask drives it (GUIDE section 3): a catalogue, one
//! JSON record per run, and exit 2 with one line for bad input.

use std::process::Command;

use workloads::record::{Catalogue, LimitHit, Record};

fn bin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_examples-threads"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn scenarios_prints_the_catalogue() {
    let out = bin(&["scenarios"]);
    assert!(out.status.success());
    let c: Catalogue = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c.model, "threads");
    for s in workloads::record::SCENARIOS {
        assert!(
            c.variants(s).is_some_and(|v| !v.is_empty()),
            "threads implements {s}"
        );
    }
    assert_eq!(c.variant_names("cpu").unwrap()[0], "serial");
    assert!(!c.variant("cpu", "serial").unwrap().takes_workers);
}

#[test]
fn run_prints_exactly_one_record() {
    let out = bin(&[
        "run",
        "cpu",
        "--variant",
        "scoped",
        "--workers",
        "2",
        "--n",
        "100000",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let r: Record = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (r.scenario.as_str(), r.variant.as_str(), r.params.workers),
        ("cpu", "scoped", 2)
    );
    assert_eq!(r.check, workloads::cpu::reference_prime_count(100_000));
    assert!(r.elapsed_ns > 0);
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    for args in [
        &["run", "nosuch", "--variant", "spawn", "--n", "5"][..],
        &["run", "cpu", "--variant", "nosuch", "--n", "5"],
        &["run", "cpu", "--variant", "serial", "--n", "0"],
        &["run", "cpu", "--variant", "serial", "--n", "many"],
        &[
            "run",
            "cpu",
            "--variant",
            "serial",
            "--n",
            "5",
            "--workers",
            "0",
        ],
        &["run", "net", "--variant", "spawn", "--n", "5"],
        &["frobnicate"],
    ] {
        let out = bin(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    let err =
        String::from_utf8(bin(&["run", "nosuch", "--variant", "x", "--n", "5"]).stderr).unwrap();
    assert!(
        err.contains("valid: cpu, sleep, net, spawn, idle, pingpong"),
        "{err}"
    );
}

#[test]
#[cfg(target_os = "linux")]
fn too_many_threads_is_a_limit_not_a_crash() {
    let out = bin(&["run", "idle", "--variant", "spawn", "--n", "1000000"]);
    assert_eq!(out.status.code(), Some(3));
    let hit: LimitHit = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hit.status, "limit");
    assert!(!hit.reason.is_empty());
}
