//! A process can start a copy of itself in another role and read how it ended from its exit status.
//!
//! There is no `fork()`-and-carry-on in safe Rust: a child process starts a
//! program from its `main`. So the program runs *itself* again
//! (`std::env::current_exe()`) with an argument that says "you are the child",
//! as Python's `multiprocessing` "spawn" start method does (`03_start_methods`
//! shows fork next to it). The child gets only arguments, environment and
//! inherited stdio, and reports back with its exit status (0 is success).
//!
//! Run:
//!
//!     cargo xtask run processes 01_spawn_child
//!
//! Observe: three children with different pids, the parent reading exit codes
//! 0, 0 and 3, and what one spawn + wait of this program cost on this machine.
//!
//! Break: `cargo xtask run processes 01_spawn_child -- --break` skips the
//! "am I the child?" check, so every child runs the parent's code and starts
//! three children of its own. A generation counter in an environment variable
//! stops it at generation 3; the lesson counts the processes it started and
//! explains why, without that guard, they would never stop.
//!
//! Python: `multiprocessing.Process(target=f).start()`, `.join()`, `.exitcode`;
//! or `subprocess.run([sys.executable, __file__, "child"]).returncode`.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs

use std::env;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use examples_processes::os::{child_command, children_of, wait_timeout};

/// `--break` only: the generation of this process, passed on (+1) to its children.
const GENERATION: &str = "CM_SPAWN_GENERATION";
/// The guard. 3 generations of 3 children = 3 + 9 + 27 = 39 children, and
/// the count of a subtree (at most 40) still fits in an exit code (0-255).
const MAX_GENERATION: u32 = 3;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().collect();
    let broken = args.iter().any(|a| a == "--break");
    // The role comes first: a child must never run the parent's code.
    // `--break` skips exactly this check; everything else stays the same.
    if !broken && args.get(1).map(String::as_str) == Some("child") {
        let id: u8 = args[2].parse().expect("the parent passes an id");
        // SAFETY: getppid has no preconditions and cannot fail.
        let parent = unsafe { libc::getppid() };
        println!("  child {id}: pid {}, parent {parent}", std::process::id());
        // Child 3 fails on purpose, so the parent has a failure to read.
        return ExitCode::from(if id == 3 { 3 } else { 0 });
    }
    // The path of the running binary: the child must be *this* program,
    // not whatever `argv[0]` or `$PATH` would find.
    let me = env::current_exe().expect("the path of this program");
    if broken {
        return without_the_child_check(&me);
    }
    let pid = std::process::id();
    println!("parent: pid {pid}, running {}", me.display());

    // Timed as a whole: each spawn + wait includes exec, the dynamic
    // loader and Rust's start-up in the child, not only the fork.
    let start = Instant::now();
    let codes = spawn_three(&me, &[], 0);
    let each = start.elapsed() / 3;
    println!("parent: exit codes {codes:?}");
    println!("parent: one spawn + wait of this program took {each:.1?} on average");
    println!("        (14_process_start_cost measures a thread spawn + join next to it)");
    assert_eq!(codes, [Some(0), Some(0), Some(3)]);
    ExitCode::SUCCESS
}

/// Start this program three times, one after the other, and collect the exit
/// codes. `status()` = spawn + wait: each child runs to its end before the next.
fn spawn_three(me: &Path, extra: &[&str], generation: u32) -> Vec<Option<i32>> {
    (1..=3)
        .map(|id| {
            // `child_command` asks the kernel to SIGKILL the child if this
            // process dies (`13_orphans`), so no child outlives a killed parent.
            let status = child_command(me)
                .args(["child", &id.to_string()])
                .args(extra)
                .env(GENERATION, generation.to_string())
                .status()
                .expect("spawn the child");
            // `code()` is `None` if a signal killed the child (`11_crashed_child`).
            status.code()
        })
        .collect()
}

/// The broken program: every process, child or not, starts three children.
/// Each exits with the number of processes in its subtree, so the top one
/// can count them all.
fn without_the_child_check(me: &Path) -> ExitCode {
    let generation: u32 = env::var(GENERATION).map_or(0, |g| g.parse().unwrap_or(0));
    if generation >= MAX_GENERATION {
        return ExitCode::from(1); // the guard: a leaf starts no one
    }
    if generation > 0 {
        // A killed child has no code; count it as 0 rather than fail here.
        let subtree: i32 = 1 + spawn_three(me, &["--break"], generation + 1)
            .iter()
            .map(|c| c.unwrap_or(0))
            .sum::<i32>();
        return ExitCode::from(subtree as u8);
    }
    // The top: each child of generation 1 gets a process group of its own
    // and a deadline, so that its whole subtree can be killed at once.
    use std::os::unix::process::CommandExt;
    // `count` starts at 1 for this process; `left` is true if a group
    // still had a member when the deadline or the subtree's end came.
    let (start, mut count, mut left) = (Instant::now(), 1, false);
    for id in 1..=3 {
        let mut child = child_command(me)
            .args(["child", &id.to_string(), "--break"])
            .env(GENERATION, "1")
            .process_group(0)
            .spawn()
            .expect("spawn generation 1");
        // 10 s is a hang detector: the guarded subtree needs well under 1 s.
        let status = wait_timeout(&mut child, Duration::from_secs(10));
        // SAFETY: kill has no memory-safety preconditions; -pid names the group.
        left |= unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) } == 0;
        let _ = child.wait(); // reap it (a no-op if it was reaped already)
        match status.and_then(|s| s.code()) {
            Some(subtree) => count += subtree,
            None => println!("subtree {id} did not end in 10 s: its group was killed"),
        }
    }
    // `status()` waits, so the tree grows depth first: a chain of waiting
    // ancestors, one per generation. Without the guard that chain never
    // reaches a leaf, so it never ends: one process deeper per spawn time.
    let each = start.elapsed() / count as u32;
    println!("--break: every child ran the parent's code; only the guard stopped it at");
    println!("  generation {MAX_GENERATION}: {count} processes ({each:.1?} each), 3^g of them in generation g.");
    // pid_max caps the pids of the whole machine; `ulimit -u` those of a user.
    // Fork fails at whichever is reached first, for every other program too.
    let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max").unwrap_or_default();
    let pid_max = pid_max.trim();
    println!("  unguarded: a chain one process deeper every {each:.1?}, until fork fails at");
    println!("  pid_max ({pid_max}) or `ulimit -u`; then each level retries its next child.");
    // Checked, not assumed: no process of the tree is left, nor a zombie.
    let ours = children_of(std::process::id());
    println!("  left behind: a group alive: {left}; our children: {ours:?}");
    assert_eq!((count, left), (40, false));
    ExitCode::SUCCESS
}
