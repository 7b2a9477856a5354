//! Every scenario and variant answers correctly at a small size, starting
//! the crate's real binary as its workers.

use std::path::Path;
use std::time::Duration;

use examples_processes::scenarios::*;
use workloads::cpu::reference_prime_count;
use workloads::delay::DelayServer;

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

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
