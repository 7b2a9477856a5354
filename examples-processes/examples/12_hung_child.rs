//! A hung child is found with a timeout, killed and reaped; and a child that outlives its parent is prevented, not cleaned up.
//!
//! A worker stuck in a loop never closes its channel, so only a timeout can
//! tell "slow" from "stuck". Killing it is not the end: until the parent
//! calls `wait`, the dead child stays in the process table as a zombie.
//! The opposite failure is the parent dying first: its workers are then
//! orphans that run on. On Linux the child asks the kernel, between fork and
//! exec, for SIGKILL when its parent dies (`PR_SET_PDEATHSIG`); this crate's
//! `os::child_command` does that for every worker.
//!
//! Run:
//!
//!     cargo xtask run processes 08
//!
//! Observe: the hung worker is killed after 300 ms and shows as a zombie (Z)
//! until reaped; then a middle process is SIGKILLed and its worker is gone
//! within milliseconds. Remove the `pre_exec` in `src/os.rs` and it survives.
//!
//! Python: `Process.join(timeout)` then `.terminate()` and `.join()` again;
//! a daemonic `multiprocessing` child is only killed on a *clean* parent exit.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use examples_processes::os::{child_command, is_alive};
use examples_processes::worker::{Fault, Task, Worker};

/// The state letter of `pid` in /proc (S sleeping, R running, Z zombie),
/// or "gone" once it has been reaped.
fn state(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rfind(')').map(|i| s[i + 2..i + 3].to_string()))
        .unwrap_or_else(|| "gone".into())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("middle") {
        // A parent in the middle: start a long sleeper, say its pid, wait.
        let me = std::env::current_exe().unwrap();
        let mut sleeper = child_command(&me)
            .args(["task", "sleep", "60000"])
            .spawn()
            .unwrap();
        println!("{}", sleeper.id());
        std::thread::sleep(Duration::from_secs(60));
        // Never reached: the lesson SIGKILLs this process first.
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        return;
    }
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // The worker role comes from the crate: it answers tasks, and
    // `Fault::Hang` makes it sleep forever instead.
    // 1. Hung: no reply within the timeout.
    // `recv_timeout` is the only honest test for "stuck": a slow worker and
    // a dead-locked one look the same until the deadline passes.
    let mut worker = Worker::spawn(&me, 0).unwrap();
    let pid = worker.pid;
    worker.send(Task::Fault(Fault::Hang)).unwrap();
    let t = Instant::now();
    let reply = worker.recv_timeout(Duration::from_millis(300)).unwrap();
    assert!(reply.is_none());
    println!(
        "worker {pid}: no reply after {:.0?}, state {}: killing it",
        t.elapsed(),
        state(pid)
    );
    // Kill without reaping, just to look at the zombie, then reap.
    // SAFETY: kill has no memory-safety preconditions.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(50));
    println!(
        "worker {pid}: killed, not yet reaped: state {} (zombie)",
        state(pid)
    );
    worker.kill(); // kill (again, harmless) and wait: the zombie is collected
    println!("worker {pid}: reaped: {}", state(pid));
    assert_eq!(state(pid), "gone");

    // The middle process spawns its worker with `child_command`, which sets
    // PR_SET_PDEATHSIG. SIGKILL cannot be caught, so the middle gets no chance
    // to clean up: only the kernel can take its worker down.
    // 2. Orphans: SIGKILL a parent that has a worker; the worker must not survive it.
    let mut middle = Command::new(&me)
        .arg("middle")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(middle.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let sleeper: u32 = line.trim().parse().unwrap();
    println!(
        "middle {} has worker {sleeper} (alive: {})",
        middle.id(),
        is_alive(sleeper)
    );
    middle.kill().unwrap();
    middle.wait().unwrap();
    // Poll /proc for up to 2 s: a zombie (Z) no longer runs, so it counts as gone.
    let t = Instant::now();
    while is_alive(sleeper) && t.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(5));
    }
    println!(
        "middle SIGKILLed: worker {sleeper} alive after {:.0?}? {}",
        t.elapsed(),
        is_alive(sleeper)
    );
    #[cfg(target_os = "linux")]
    assert!(!is_alive(sleeper), "PR_SET_PDEATHSIG should have killed it");
}
