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

/// may's threads, counted from `/proc/self/task` of the binary's process once
/// every coroutine is spawned: a thousand coroutines run on a handful of OS
/// threads (main, the workers, and may's own helpers), and `may-1` on one
/// fewer than `may` with W = 2.
#[test]
#[cfg(target_os = "linux")]
fn coroutines_are_not_os_threads() {
    // The words after `run`, split at spaces.
    let threads = |cell: &str| {
        let args: Vec<&str> = ["run"].into_iter().chain(cell.split_whitespace()).collect();
        record(&args)["os_threads"]
            .as_u64()
            .expect("Linux reports os_threads")
    };
    let sleep = |v| {
        threads(&format!(
            "sleep --variant {v} --workers 2 --n 1000 --delay-ms 10"
        ))
    };
    let (one, two) = (sleep("may-1"), sleep("may"));
    assert!(one < 10, "1000 coroutines on {one} OS threads");
    assert_eq!(two, one + 1, "one more worker, one more OS thread");
    let server = workloads::delay::DelayServer::start().unwrap();
    let net = format!(
        "net --n 50 --rounds 2 --delay-ms 1 --server {}",
        server.addr()
    );
    for cell in [
        "cpu --n 100000",
        "spawn --n 1000",
        "idle --n 1000",
        "pingpong --n 1000",
        &net,
    ] {
        let may_1 = threads(&format!("{cell} --variant may-1"));
        assert_eq!(may_1, one, "{cell} may-1");
        let may = threads(&format!("{cell} --variant may --workers 2"));
        assert_eq!(may, two, "{cell} may");
    }
}
