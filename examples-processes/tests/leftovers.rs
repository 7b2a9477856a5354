//! No zombie and no orphan: after every scenario and failure, no process of
//! ours is left, and SIGKILL of the parent takes its workers with it.
//!
//! One test function in its own binary, so no parallel test's children are
//! counted. This process makes itself a *child subreaper*: an orphaned
//! descendant is re-parented to us instead of to init, so "no orphan" is
//! "no child of ours" in `/proc`.

#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use examples_processes::os::{children_of, is_alive};
use examples_processes::pool::Pool;
use examples_processes::worker::{Fault, Task};
use workloads::delay::DelayServer;

mod common;
use common::exe;

fn assert_no_children(after: &str) {
    let left = children_of(std::process::id());
    assert!(
        left.is_empty(),
        "after {after}: left behind (pid, state) {left:?}"
    );
}

/// Reap any zombie re-parented to us; return how many.
fn reap_adopted() -> usize {
    let mut reaped = 0;
    loop {
        // SAFETY: waitpid with a null status pointer and WNOHANG.
        let pid = unsafe { libc::waitpid(-1, std::ptr::null_mut(), libc::WNOHANG) };
        if pid <= 0 {
            return reaped;
        }
        reaped += 1;
    }
}

#[test]
fn nothing_of_ours_is_left_behind() {
    // SAFETY: prctl with a flag argument only.
    assert_eq!(unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) }, 0);
    let server = DelayServer::start().unwrap();
    let addr = server.addr().to_string();

    // Every cell of the contract, as xtask runs it.
    for cell in [
        "cpu --variant pool --workers 2 --n 50000",
        "cpu --variant per-task --workers 2 --n 50000",
        "spawn --variant pool --workers 2 --n 50",
        "spawn --variant per-task --n 50",
        "pingpong --variant pool --n 100",
        "pingpong --variant pipe --n 100",
        "idle --variant per-task --n 20",
        "sleep --variant per-task --n 20 --delay-ms 5",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([format!(
        "net --variant per-task --n 5 --rounds 2 --delay-ms 1 --server {addr}"
    )]) {
        common::run_cell(&cell);
        assert_no_children(&cell);
    }

    // Failures in a pool: each error path reaps the dead or hung worker, and
    // dropping the pool kills and reaps the rest.
    for f in [Fault::Panic, Fault::Abort, Fault::Hang, Fault::Garbage] {
        let mut pool = Pool::start(exe(), 2).unwrap();
        pool.task_timeout = Some(Duration::from_millis(300));
        assert!(pool.map(vec![Task::Nothing, Task::Fault(f)], 1).is_err());
        drop(pool);
        assert_no_children(&format!("a pool with {f:?}"));
    }

    // SIGKILL the parent mid-run: its workers must be gone within 2 s.
    let mut parent = Command::new(exe())
        .args([
            "run",
            "cpu",
            "--variant",
            "pool",
            "--workers",
            "2",
            "--n",
            "100000000",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let workers = loop {
        let w = children_of(parent.id());
        if w.len() == 2 || start.elapsed() > Duration::from_secs(10) {
            break w;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(workers.len(), 2, "the pool did not start");
    parent.kill().unwrap();
    parent.wait().unwrap();
    let killed = Instant::now();
    while workers.iter().any(|(pid, _)| is_alive(*pid)) && killed.elapsed() < Duration::from_secs(2)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let alive: Vec<u32> = workers
        .iter()
        .map(|w| w.0)
        .filter(|p| is_alive(*p))
        .collect();
    assert!(
        alive.is_empty(),
        "workers {alive:?} outlived their parent by 2 s"
    );
    // They were re-parented to us (the subreaper) and died: reap them.
    let deadline = Instant::now() + Duration::from_secs(2);
    while !children_of(std::process::id()).is_empty() && Instant::now() < deadline {
        reap_adopted();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_no_children("SIGKILL of the parent");
}
