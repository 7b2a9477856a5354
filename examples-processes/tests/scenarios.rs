//! Every scenario and variant answers correctly at a small size, starting
//! the crate's real binary as its workers.

use std::time::Duration;

use examples_processes::scenarios::*;
use workloads::cpu::reference_prime_count;
use workloads::delay::DelayServer;

mod common;
use common::exe;

#[test]
fn cpu_counts_the_same_primes_in_every_variant() {
    let n = 100_000;
    for v in ["pool", "per-task"] {
        for w in [1, 3] {
            let out = cpu::run(exe(), v, n, w).unwrap();
            assert_eq!(out.check, reference_prime_count(n), "{v} with {w} workers");
            assert_eq!(out.workers, w);
        }
    }
    // The pool's start-up is reported, not hidden in the work.
    assert!(cpu::run(exe(), "pool", n, 2).unwrap().startup > Duration::ZERO);
}

#[test]
fn spawn_joins_every_unit() {
    for v in ["pool", "per-task"] {
        let out = spawn::run(exe(), v, 40, 2).unwrap();
        assert_eq!((out.check, out.ops), (40, 40), "{v}");
    }
}

#[test]
fn pingpong_completes_every_round_trip() {
    for v in ["pool", "pipe"] {
        assert_eq!(pingpong::run(exe(), v, 300).unwrap().check, 300, "{v}");
    }
}

#[test]
fn idle_reports_the_childrens_pss() {
    let out = idle::run(exe(), "per-task", 10).unwrap();
    assert_eq!(out.check, 10);
    let m = out.memory.unwrap();
    #[cfg(target_os = "linux")]
    assert!(
        m.pss_after_kib.unwrap() > 10 * 16,
        "10 processes cost some memory"
    );
    #[cfg(not(target_os = "linux"))]
    assert_eq!(m.pss_after_kib, None);
}

#[test]
fn sleep_and_net_finish_every_unit() {
    let out = sleep::run(exe(), "per-task", 10, Duration::from_millis(5)).unwrap();
    assert_eq!(out.check, 10);
    let server = DelayServer::start().unwrap();
    let out = net::run(
        exe(),
        "per-task",
        5,
        3,
        Duration::from_millis(1),
        server.addr(),
    )
    .unwrap();
    assert_eq!((out.check, out.ops), (15, 15));
}

/// The `os_threads` a `run` of the contract binary reports (its words after
/// `run`, split at spaces): the parent's own threads. This test process has
/// the harness's threads, so the binary runs on its own.
#[cfg(target_os = "linux")]
fn parent_threads(cell: &str) -> u64 {
    let out = common::run_cell(cell);
    let r: workloads::record::Record = serde_json::from_slice(&out.stdout).unwrap();
    r.os_threads.expect("Linux reports os_threads")
}

/// A process per unit, or W pool processes, leaves the parent with its one
/// thread: the units are processes, not threads. Only `cpu` `per-task`
/// starts threads in the parent: a supervisor per worker slot.
#[test]
#[cfg(target_os = "linux")]
fn the_parent_stays_one_thread() {
    for cell in [
        "cpu --variant pool --workers 2 --n 100000",
        "spawn --variant pool --workers 2 --n 100",
        "spawn --variant per-task --n 20",
        "sleep --variant per-task --n 20 --delay-ms 5",
        "idle --variant per-task --n 10",
        "pingpong --variant pool --n 100",
        "pingpong --variant pipe --n 100",
    ] {
        assert_eq!(parent_threads(cell), 1, "{cell}");
    }
    let supervised = parent_threads("cpu --variant per-task --workers 2 --n 100000");
    assert_eq!(supervised, 3, "main + 2 supervisor threads");
    let server = DelayServer::start().unwrap();
    let net = format!(
        "net --variant per-task --n 5 --rounds 2 --delay-ms 1 --server {}",
        server.addr()
    );
    assert_eq!(parent_threads(&net), 1);
}
