//! The contract binary, run as xtask runs it: `scenarios`, one JSON record
//! per `run` with the `check` xtask verifies, and exit code 3 with the limit
//! named when one would bind.

use std::process::{Command, Output};

use workloads::delay::DelayServer;
use workloads::record::{Catalogue, LimitHit, Record};

const BIN: &str = env!("CARGO_BIN_EXE_examples-async");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn record(args: &[&str]) -> Record {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "exactly one line: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn scenarios_lists_every_variant() {
    let out = run(&["scenarios"]);
    let c: Catalogue = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c.model, "async");
    assert_eq!(
        c.variant_names("cpu").unwrap(),
        ["current-thread", "multi-thread", "spawn-blocking"]
    );
    for s in ["sleep", "net", "spawn", "idle", "pingpong"] {
        assert_eq!(
            c.variant_names(s).unwrap(),
            ["current-thread", "multi-thread"],
            "{s}"
        );
        // One OS thread whatever --workers says: a sweep over W runs it once.
        assert!(!c.variant(s, "current-thread").unwrap().takes_workers);
        assert!(c.variant(s, "multi-thread").unwrap().takes_workers);
    }
}

#[test]
fn every_cell_checks_out() {
    let server = DelayServer::start().unwrap();
    let addr = server.addr().to_string();
    for v in ["current-thread", "multi-thread"] {
        let base = |s: &'static str, n: &'static str| {
            vec!["run", s, "--variant", v, "--workers", "2", "--n", n]
        };
        let cpu = record(&base("cpu", "100000"));
        assert_eq!(
            (cpu.check, cpu.params.workers),
            (9592, if v == "multi-thread" { 2 } else { 1 })
        );
        assert_eq!(
            record(&[&base("sleep", "500")[..], &["--delay-ms", "5"]].concat()).check,
            500
        );
        let net = [
            &base("net", "20")[..],
            &["--rounds", "3", "--delay-ms", "1", "--server", &addr],
        ]
        .concat();
        assert_eq!(record(&net).check, 60);
        assert_eq!(record(&base("spawn", "1000")).check, 1000);
        let idle = record(&base("idle", "20000"));
        assert_eq!(idle.check, 20000);
        let m = idle.memory.expect("idle reports memory");
        #[cfg(target_os = "linux")]
        assert!(
            m.rss_after_kib > m.rss_before_kib,
            "20,000 parked tasks cost some memory: {m:?}"
        );
        assert_eq!(record(&base("pingpong", "1000")).check, 1000);
    }
    let blocking = record(&[
        "run",
        "cpu",
        "--variant",
        "spawn-blocking",
        "--workers",
        "2",
        "--n",
        "100000",
    ]);
    assert_eq!((blocking.check, blocking.params.workers), (9592, 2));
}

#[test]
fn bad_input_is_exit_2() {
    let out = run(&["run", "cpu", "--variant", "gil", "--n", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("current-thread"));
}

#[cfg(unix)]
#[test]
fn too_few_file_descriptors_is_a_named_limit() {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(BIN);
    cmd.args([
        "run",
        "net",
        "--variant",
        "current-thread",
        "--n",
        "1000",
        "--server",
        "127.0.0.1:9",
    ]);
    // SAFETY: setrlimit is async-signal-safe, and the closure touches nothing
    // but a local struct between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hit: LimitHit = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (hit.status.as_str(), hit.limit.as_str()),
        ("limit", "RLIMIT_NOFILE")
    );
}

/// What the runtime really runs on, counted from `/proc/self/task` of the
/// binary's process once every task is spawned: `current-thread` is one OS
/// thread however many tasks wait on it; `multi-thread` is its W workers
/// beside the thread in `block_on`.
#[test]
#[cfg(target_os = "linux")]
fn os_threads_are_counted_not_configured() {
    // The words after `run`, split at spaces.
    let threads = |cell: &str| {
        let args: Vec<&str> = ["run"].into_iter().chain(cell.split_whitespace()).collect();
        record(&args).os_threads.expect("Linux reports os_threads")
    };
    // 1000 waits on one OS thread.
    let sleep = |v| {
        threads(&format!(
            "sleep --variant {v} --workers 2 --n 1000 --delay-ms 10"
        ))
    };
    assert_eq!(sleep("current-thread"), 1);
    assert_eq!(sleep("multi-thread"), 3);
    let server = DelayServer::start().unwrap();
    for (v, want) in [("current-thread", 1), ("multi-thread", 3)] {
        for cell in [
            "cpu --n 100000",
            "spawn --n 1000",
            "idle --n 1000",
            "pingpong --n 1000",
            &format!(
                "net --n 50 --rounds 2 --delay-ms 1 --server {}",
                server.addr()
            ),
        ] {
            let n = threads(&format!("{cell} --variant {v} --workers 2"));
            assert_eq!(n, want, "{cell} on {v}");
        }
    }
    // The blocking pool starts its W threads as the chunks arrive.
    assert_eq!(
        threads("cpu --variant spawn-blocking --workers 2 --n 100000"),
        3
    );
}
