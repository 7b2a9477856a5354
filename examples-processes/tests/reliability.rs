//! Failures are reported clearly, naming the worker, and never hang:
//! crashes, hangs, garbage on the wire, a bad TMPDIR, a low fd limit, and a
//! remote peer without the shared secret.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use examples_processes::os::Error;
use examples_processes::pool::Pool;
use examples_processes::remote::{Coordinator, SECRET_VAR};
use examples_processes::worker::{Fault, Task, Worker};

mod common;
use common::exe;

/// Run one task that misbehaves on a pool of one; return the error text.
fn fault(f: Fault) -> String {
    let mut pool = Pool::start(exe(), 1).unwrap();
    pool.task_timeout = Some(Duration::from_millis(500));
    let tasks = vec![Task::Ping(1), Task::Fault(f), Task::Ping(2)];
    match pool.map(tasks, 1) {
        Err(Error::Worker(msg)) => msg,
        other => panic!("{f:?}: expected a worker error, got {other:?}"),
    }
}

#[test]
fn a_crashed_worker_is_named_with_its_lost_task() {
    let msg = fault(Fault::Panic);
    assert!(msg.starts_with("worker 0 (pid "), "{msg}");
    assert!(
        msg.contains("exit code 101") && msg.contains("Fault(Panic)"),
        "{msg}"
    );
    let msg = fault(Fault::Abort);
    assert!(msg.contains("SIGABRT"), "{msg}");
    let msg = fault(Fault::Exit(3));
    assert!(msg.contains("exit code 3"), "{msg}");
}

#[test]
fn garbage_on_the_wire_is_a_clear_error_not_a_panic() {
    let msg = fault(Fault::Garbage);
    assert!(
        msg.starts_with("worker 0 (pid ") && msg.contains("malformed"),
        "{msg}"
    );
    let msg = fault(Fault::WrongReply);
    assert!(
        msg.starts_with("worker 0 (pid ") && msg.contains("unexpected"),
        "{msg}"
    );
}

#[test]
fn a_hung_worker_times_out() {
    let msg = fault(Fault::Hang);
    assert!(msg.contains("hung"), "{msg}");
}

#[test]
fn a_worker_that_never_connects_is_reported() {
    // `false worker <name>` exits 1 without connecting to the bootstrap socket.
    let err = Worker::spawn(Path::new("/bin/false"), 4)
        .err()
        .expect("it cannot connect");
    let msg = err.to_string();
    assert!(
        msg.starts_with("worker 4 (pid ") && msg.contains("(exit code 1)"),
        "{msg}"
    );
}

fn contract_run(envs: &[(&str, &str)], extra: &[&str]) -> Output {
    let mut cmd = Command::new(exe());
    cmd.args(["run", "cpu", "--variant", "pool", "--n", "10000"])
        .args(extra)
        .envs(envs.iter().copied());
    cmd.output().unwrap()
}

#[test]
fn a_missing_or_long_tmpdir_is_a_clear_error() {
    let out = contract_run(&[("TMPDIR", "/nonexistent/tmp")], &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("TMPDIR=/nonexistent/tmp is not an existing directory"),
        "{err}"
    );

    let long = std::env::temp_dir().join("t".repeat(100));
    std::fs::create_dir_all(&long).unwrap();
    let out = contract_run(&[("TMPDIR", long.to_str().unwrap())], &[]);
    let _ = std::fs::remove_dir(&long);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("too long for a Unix socket path"), "{err}");
}

#[test]
fn the_fd_limit_is_reported_before_it_binds() {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(exe());
    cmd.args([
        "run",
        "cpu",
        "--variant",
        "pool",
        "--n",
        "10000",
        "--workers",
        "100",
    ]);
    // SAFETY: setrlimit is async-signal-safe; it lowers both limits so the
    // binary cannot raise them back.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 128,
                rlim_max: 128,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.contains(r#""limit":"RLIMIT_NOFILE""#), "{line}");
    assert!(line.contains("ulimit -n is 128"), "{line}");
}

#[test]
fn a_remote_peer_without_the_secret_is_refused() {
    let coordinator = Coordinator::bind("127.0.0.1:0".parse().unwrap(), "right horse").unwrap();
    assert!(coordinator.addr().ip().is_loopback());
    let addr = coordinator.addr().to_string();
    let spawn = |secret: &str| {
        Command::new(exe())
            .args(["remote-worker", &addr])
            .env(SECRET_VAR, secret)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };

    let intruder = spawn("wrong horse");
    let refused = coordinator
        .accept(Duration::from_secs(10))
        .err()
        .expect("refused");
    assert!(refused.to_string().contains("refused"), "{refused}");
    let out = intruder.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong shared secret"));

    let friend = spawn("right horse");
    let mut worker = coordinator.accept(Duration::from_secs(10)).unwrap();
    let reply = worker.call(&Task::Ping(41)).unwrap();
    assert_eq!(reply, examples_processes::remote::Reply::Pong(42));
    drop(worker);
    assert!(friend.wait_with_output().unwrap().status.success());
}
