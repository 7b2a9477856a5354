//! The contract binary, driven as xtask drives it: one fresh process per cell.

use std::process::Command;

fn bin(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_examples-green"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn record(args: &[&str]) -> serde_json::Value {
    let out = bin(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}

#[test]
fn both_variants_report_their_workers_and_start_up() {
    for (variant, workers) in [("may", 2), ("may-1", 1)] {
        let r = record(&[
            "run",
            "spawn",
            "--variant",
            variant,
            "--workers",
            "2",
            "--n",
            "500",
        ]);
        assert_eq!(r["check"], 500);
        assert_eq!(r["params"]["workers"], workers, "{variant}");
        assert!(
            r["startup_ns"].as_u64().unwrap() > 0,
            "first spawn is start-up"
        );
    }
}

#[test]
fn idle_reports_memory() {
    let r = record(&[
        "run",
        "idle",
        "--variant",
        "may",
        "--workers",
        "2",
        "--n",
        "300",
    ]);
    assert_eq!(r["check"], 300);
    assert!(r["memory"].is_object());
}

#[test]
#[cfg(target_os = "linux")]
fn too_many_coroutines_is_a_limit_not_a_crash() {
    let out = bin(&[
        "run",
        "idle",
        "--variant",
        "may",
        "--workers",
        "2",
        "--n",
        "1000000",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let hit: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hit["status"], "limit");
    assert_eq!(hit["limit"], "vm.max_map_count");
}

#[test]
fn scenarios_lists_both_variants() {
    let out = bin(&["scenarios"]);
    let cat: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cat["model"], "green");
    assert_eq!(cat["scenarios"].as_array().unwrap().len(), 6);
}
