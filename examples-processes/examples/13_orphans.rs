//! A child that outlives its parent is prevented, not cleaned up: on Linux the child asks the kernel to kill it when its parent dies.
//!
//! A parent killed with SIGKILL runs no destructor and no cleanup: its
//! workers become orphans, are handed to another process (init, or a
//! "subreaper"), and run on. The cure must be in place before the parent
//! dies: between fork and exec the child calls `prctl(PR_SET_PDEATHSIG,
//! SIGKILL)`, and the kernel then kills it as soon as its parent goes. This
//! crate's `os::child_command` (`src/os.rs`) does that for every worker.
//!
//! Run:
//!
//!     cargo xtask run processes 13_orphans
//!
//! Observe: a middle process and its worker; the middle is SIGKILLed and the
//! worker is gone within milliseconds.
//!
//! Break: `cargo xtask run processes 13_orphans -- --break` starts the worker
//! with a plain `Command`, no death signal. It survives its parent; the lesson,
//! made a subreaper so that the orphan is handed to it, finds it, kills and reaps it.
//!
//! Python: a daemonic `multiprocessing` child is killed only on a *clean*
//! parent exit; after SIGKILL it runs on, as here with `--break`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use examples_processes::os::{child_command, is_alive};

fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    let me = std::env::current_exe().unwrap();
    if std::env::args().nth(1).as_deref() == Some("middle") {
        // A parent in the middle: start a long sleeper, say its pid, wait.
        // Changed by `--break`: a plain Command, with no PR_SET_PDEATHSIG.
        let mut cmd = if broken {
            Command::new(&me)
        } else {
            child_command(&me)
        };
        let mut sleeper = cmd.args(["sleeper"]).spawn().unwrap();
        println!("{}", sleeper.id());
        // Never gets past this sleep: the lesson SIGKILLs this process first.
        std::thread::sleep(Duration::from_secs(60));
        let _ = sleeper.kill();
        let _ = sleeper.wait();
        return;
    }
    // Roles are checked before anything else, as in every lesson that
    // re-runs itself: a child must never run the parent's code.
    if std::env::args().nth(1).as_deref() == Some("sleeper") {
        // The worker: as good as hung, for long enough to be an orphan.
        std::thread::sleep(Duration::from_secs(60));
        return;
    }
    if broken {
        // Orphans are normally handed to init, whose children we cannot
        // wait for. As a subreaper this process adopts its orphaned
        // descendants instead, so it can reap the one it is about to cause.
        // SAFETY: prctl with an integer argument; no memory is passed.
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) };
    }

    // The middle is started with a plain Command on purpose: this lesson
    // kills it itself and waits for it, so it needs no death signal.
    let mut args = vec!["middle"];
    args.extend(broken.then_some("--break"));
    let mut middle = Command::new(&me)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(middle.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // The middle prints its worker's pid: the only way we learn of a
    // grandchild, which `Child` handles do not cover.
    let sleeper: u32 = line.trim().parse().unwrap();
    println!(
        "middle {} has worker {sleeper} (alive: {})",
        middle.id(),
        is_alive(sleeper)
    );

    // SIGKILL cannot be caught, so the middle gets no chance to clean up:
    // only the kernel can take its worker down.
    middle.kill().unwrap();
    // Reap the middle: it is our child, and its death is what we study.
    middle.wait().unwrap();
    // Poll /proc for up to 1 s: a zombie (Z) no longer runs, so it counts as
    // gone. The printed time is how long the kernel took to take it down.
    let t = Instant::now();
    while is_alive(sleeper) && t.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let alive = is_alive(sleeper);
    println!(
        "middle SIGKILLed: worker {sleeper} alive after {:.0?}? {alive}",
        t.elapsed()
    );
    if alive {
        // `--break`: the orphan runs on. Being its subreaper, kill and reap it.
        println!("--break: no PR_SET_PDEATHSIG, so nothing told the worker its parent died;");
        println!("  it would sleep its full minute. Killing and reaping the orphan ourselves.");
        // SAFETY: kill and waitpid on a pid that is now our own child.
        unsafe { libc::kill(sleeper as i32, libc::SIGKILL) };
        unsafe { libc::waitpid(sleeper as i32, std::ptr::null_mut(), 0) };
        assert!(broken && !is_alive(sleeper));
    } else {
        // A zombie of init's (or the subreaper's) is reaped by that process.
        assert!(!broken, "with --break the worker should have survived");
    }
}
