//! A hung child is found only with a timeout, and once killed it must still be reaped, or it stays behind as a zombie.
//!
//! A worker stuck in a loop or a lock never closes its channel, so a plain
//! `recv` would wait with it forever: only a deadline can tell "slow" from
//! "stuck". Killing it is not the end either. A dead process keeps its entry
//! in the process table (its pid and exit status) until its parent collects
//! the status with `wait`; until then `ps` shows it as a zombie, `Z`. A parent
//! that never waits fills the table with them.
//!
//! Run:
//!
//!     cargo xtask run processes 12_hung_child
//!
//! Observe: the hung worker is sleeping (S) when its 300 ms deadline passes;
//! killed, it shows as a zombie (Z); reaped, it is gone from /proc.
//!
//! Python: `Process.join(timeout)` then `.terminate()` and `.join()` again;
//! `Popen.wait(timeout)` raises `TimeoutExpired`, then `.kill()`, `.wait()`.

use std::time::{Duration, Instant};

use examples_processes::worker::{Fault, Task, Worker};

/// The state letter of `pid` in /proc (S sleeping, R running, Z zombie),
/// or "gone" once it has been reaped.
fn state(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        // The name in parentheses may contain spaces: the state follows
        // the *last* ')'.
        .and_then(|s| s.rfind(')').map(|i| s[i + 2..i + 3].to_string()))
        .unwrap_or_else(|| "gone".into())
}

fn main() {
    // This program is re-run as the worker: play that role first.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // The worker role comes from the crate (`src/worker.rs`): it answers
    // tasks, and `Fault::Hang` makes it sleep forever instead.
    let mut worker = Worker::spawn(&me, 0).unwrap();
    let pid = worker.pid;
    worker.send(Task::Fault(Fault::Hang)).unwrap();

    // `recv_timeout` is the only honest test for "stuck": a slow worker and
    // a dead-locked one look the same until the deadline passes. 300 ms is
    // a generous bound for a task that should answer at once.
    let t = Instant::now();
    let reply = worker.recv_timeout(Duration::from_millis(300)).unwrap();
    assert!(reply.is_none());
    println!(
        "worker {pid}: no reply after {:.0?}, state {}: killing it",
        t.elapsed(),
        state(pid)
    );

    // Kill without reaping, only to look at the zombie. SIGKILL cannot be
    // caught or ignored, so the worker is dead once the kernel delivers it;
    // 50 ms is ample for that on an idle machine, and the state says if not.
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(50));
    println!(
        "worker {pid}: killed, not yet reaped: state {} (zombie)",
        state(pid)
    );

    // `Worker::kill` = kill (again, harmless on a zombie) + `wait`: the
    // status is collected and the kernel frees the table entry.
    worker.kill();
    println!("worker {pid}: reaped: {}", state(pid));
    assert_eq!(state(pid), "gone");
}
