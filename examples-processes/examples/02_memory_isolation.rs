//! A child process has its own memory: what it writes to "the same" variable never reaches the parent.
//!
//! Threads share one address space, so two threads writing one variable need
//! a lock or an atomic between them. Processes share no writable memory
//! unless they ask for it: the child here is this program started again, so
//! its `static` starts from its initial value (it does not even see the
//! parent's change), and what it writes stays in its own pages. The only way
//! data moves between them is an explicit copy: arguments, a pipe, a channel.
//!
//! Run:
//!
//!     cargo xtask run processes 02_memory_isolation
//!
//! Observe: the parent sets JOBS_DONE to 42, the child sees 0 and raises it
//! to 1000, and the parent still reads 42. The value only crosses when the
//! child prints it and the parent parses the output.
//!
//! Python: `multiprocessing.Process` changing a global: the parent's copy is
//! untouched (with "fork" the child starts from a copy, `03_start_methods`;
//! with "spawn" from scratch, as here); `multiprocessing.Value` or a `Queue`
//! share on purpose, as `10_shared_atomics` and `07_ipc_channel` do.

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// "The same" variable in parent and child: same name, same address in the
/// program, but each process has its own copy of the page it lives on.
static JOBS_DONE: AtomicU64 = AtomicU64::new(0);

fn main() {
    // The role check first: the child is this same program, told by its
    // argument to play the other side.
    if std::env::args().nth(1).as_deref() == Some("child") {
        // The child: a fresh run of the program, so the parent's 42 is not here.
        let seen = JOBS_DONE.load(Ordering::Relaxed);
        JOBS_DONE.store(1000, Ordering::Relaxed);
        // The address is virtual (and randomised per run): even the same
        // number in two processes would name two different pages.
        // Printing is the child's only way to tell the parent anything here:
        // stdout is a pipe the parent reads (`05_pipes`).
        println!(
            "{seen} {} {:p}",
            JOBS_DONE.load(Ordering::Relaxed),
            &JOBS_DONE
        );
        return;
    }

    // Relaxed is enough: only this one thread ever touches the value; the
    // atomic is just the safe way to have a mutable `static`.
    JOBS_DONE.store(42, Ordering::Relaxed);
    println!("parent: JOBS_DONE = 42 at {:p}", &JOBS_DONE);

    // `output()` = spawn, read all of stdout and stderr, wait: the child has
    // finished (and been reaped) when it returns.
    let out = Command::new(std::env::current_exe().expect("own path"))
        .arg("child")
        .output()
        .expect("run the child");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    // The 1000 arrives as text: parsing it back is the "copy" that every
    // hand-off between processes makes, here by hand.
    let fields: Vec<&str> = text.split_whitespace().collect();
    let (seen, wrote): (u64, u64) = (fields[0].parse().unwrap(), fields[1].parse().unwrap());
    println!(
        "child:  saw JOBS_DONE = {seen}, wrote {wrote} (at {})",
        fields[2]
    );

    // The parent's copy is exactly as it left it: no write of the child's
    // can land in our pages, whatever the addresses printed above say.
    let mine = JOBS_DONE.load(Ordering::Relaxed);
    println!(
        "parent: JOBS_DONE is still {mine}; the child's 1000 reached us only as text on a pipe"
    );
    assert_eq!((seen, wrote, mine), (0, 1000, 42));
}
