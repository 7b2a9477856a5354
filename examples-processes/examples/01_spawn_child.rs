//! A process can start a copy of itself in another role and read how it ended from its exit status.
//!
//! There is no `fork()`-and-carry-on in safe Rust: a child process starts a
//! program from its `main`. So the program runs *itself* again
//! (`std::env::current_exe()`) with an argument that says "you are the child",
//! which is what Python's `multiprocessing` does with its "spawn" start method.
//! The child shares nothing with the parent but what it is given: arguments,
//! environment, inherited stdio. It reports back with its exit status (0 means
//! success; anything else is a failure the parent can read and act on).
//!
//! Run:
//!
//!     cargo xtask run processes 01
//!
//! Observe: three children with different pids, the parent reading exit codes
//! 0, 0 and 3, and what one spawn + wait cost. Drop the `if role == "child"`
//! branch and each child would start three children of its own, forever.
//!
//! Python: `multiprocessing.Process(target=f).start()`, `.join()`, `.exitcode`;
//! or `subprocess.run([sys.executable, __file__, "child"]).returncode`.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs

use std::env;
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    // The role comes first: a child must never run the parent's code.
    let args: Vec<String> = env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        let id: u8 = args[2].parse().expect("the parent passes an id");
        println!(
            "  child {id}: pid {}, parent {}",
            std::process::id(),
            parent_pid()
        );
        // Child 3 fails on purpose, so the parent has a failure to read.
        return ExitCode::from(if id == 3 { 3 } else { 0 });
    }

    let me = env::current_exe().expect("the path of this program");
    println!(
        "parent: pid {}, running {}",
        std::process::id(),
        me.display()
    );

    let mut codes = Vec::new();
    let start = Instant::now();
    for id in 1..=3 {
        // `status()` = spawn + wait: the child runs to its end before we go on.
        let status = Command::new(&me)
            .args(["child", &id.to_string()])
            .status()
            .expect("spawn the child");
        // `code()` is `None` if a signal killed the child (lesson 07).
        codes.push(status.code());
    }
    let each = start.elapsed() / 3;
    println!("parent: exit codes {codes:?}");
    println!("parent: one spawn + wait of this program took {each:.1?} on average");
    println!("        (lesson 09 measures a thread spawn + join next to it)");

    assert_eq!(codes, [Some(0), Some(0), Some(3)]);
    ExitCode::SUCCESS
}

/// The parent's pid as the child sees it (Unix only, hence libc).
fn parent_pid() -> u32 {
    // SAFETY: getppid has no preconditions and cannot fail.
    unsafe { libc::getppid() as u32 }
}
