//! The threads binary as xtask drives it (the measurement contract): a catalogue, one
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

/// The `os_threads` a `run` reports (its words after `run`, split at spaces):
/// counted from `/proc/self/task` of the binary's own process, right after its
/// last unit started.
#[cfg(target_os = "linux")]
fn os_threads(cell: &str) -> u64 {
    let args: Vec<&str> = ["run"].into_iter().chain(cell.split_whitespace()).collect();
    let out = bin(&args);
    assert!(
        out.status.success(),
        "{cell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Record = serde_json::from_slice(&out.stdout).unwrap();
    r.os_threads.expect("Linux reports os_threads")
}

/// What the model says, counted: `serial` is the main thread alone, a thread
/// per unit is n threads beside it, a pool is its W. Where the units outlive
/// the reading (a long sleep, a barrier, a pool) the counts are exact.
#[test]
#[cfg(target_os = "linux")]
fn os_threads_are_counted_not_configured() {
    let cpu = |v: &str| os_threads(&format!("cpu --variant {v} --workers 2 --n 100000"));
    assert_eq!(cpu("serial"), 1, "the main thread alone");
    // A pool's threads live until the pool is dropped: exactly main + W.
    assert_eq!(cpu("rayon"), 3);
    assert_eq!(cpu("pool"), 3);
    // Short-lived workers may have finished already: never more than main + W.
    for v in ["spawn", "scoped", "gil"] {
        assert!((1..=3).contains(&cpu(v)), "cpu {v}");
    }
    // 50 sleepers of 300 ms: all alive when the last one has started.
    for v in ["spawn", "scoped", "gil"] {
        let n = os_threads(&format!("sleep --variant {v} --n 50 --delay-ms 300"));
        assert_eq!(n, 51, "sleep {v}: 50 sleepers and main");
    }
    // Parked at a barrier: all alive.
    assert_eq!(os_threads("idle --variant spawn --n 50"), 51);
    // Clients that wait 3 x 100 ms for their replies.
    let server = workloads::delay::DelayServer::start().unwrap();
    let net = format!(
        "net --variant spawn --n 20 --rounds 3 --delay-ms 100 --server {}",
        server.addr()
    );
    assert_eq!(os_threads(&net), 21, "20 clients and main");
    // ping, pong and main, over 20,000 round trips.
    for v in ["spawn", "crossbeam"] {
        let n = os_threads(&format!("pingpong --variant {v} --n 20000"));
        assert_eq!(n, 3, "pingpong {v}");
    }
    // Units that do nothing may be gone already, so only a bound holds for a
    // thread per unit; a pool is its W threads and main, whatever n is.
    let spawn = |v: &str| os_threads(&format!("spawn --variant {v} --workers 2 --n 200"));
    for v in ["spawn", "scoped"] {
        assert!((1..=201).contains(&spawn(v)), "spawn {v}");
    }
    assert_eq!(spawn("rayon"), 3);
    assert_eq!(spawn("pool"), 3);
}
