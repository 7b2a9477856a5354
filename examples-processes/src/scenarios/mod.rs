//! One module per scenario of the measurement contract.

pub mod cpu;
pub mod idle;
pub mod net;
pub mod pingpong;
pub mod sleep;
pub mod spawn;

use std::process::{Child, Stdio};

use workloads::contract::Failure;

use crate::os::describe_child_failure;

/// Start `n` children of `exe` in the task role `args`, all at once, with
/// no pipes: the parent only waits for them.
pub(crate) fn spawn_all(
    exe: &std::path::Path,
    n: u64,
    args: &[&str],
) -> Result<Vec<Child>, Failure> {
    crate::os::check_processes(n, 0)?;
    let mut children = Vec::with_capacity(n as usize);
    for _ in 0..n {
        match crate::roles::task_command(exe, args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
        {
            Ok(child) => children.push(child),
            Err(e) => {
                let started = children.len();
                // Reap what did start before reporting: no zombies.
                wait_all(children);
                return Err(Failure::Other(format!(
                    "the OS refused process {} of {n}: {e}",
                    started + 1
                )));
            }
        }
    }
    Ok(children)
}

/// Wait for every child; count those that exited 0.
pub(crate) fn wait_all(children: Vec<Child>) -> u64 {
    children
        .into_iter()
        .map(|mut c| c.wait().is_ok_and(|s| s.success()) as u64)
        .sum()
}

/// Wait for every child and fail, naming the first that did not exit 0.
pub(crate) fn join_all(children: Vec<Child>) -> Result<u64, Failure> {
    let mut ok = 0;
    let mut first_error = None;
    for mut child in children {
        let pid = child.id();
        match child.wait() {
            Ok(s) if s.success() => ok += 1,
            Ok(s) => {
                first_error.get_or_insert_with(|| describe_child_failure(pid, s));
            }
            Err(e) => {
                first_error.get_or_insert_with(|| format!("child {pid}: wait failed: {e}"));
            }
        }
    }
    match first_error {
        Some(e) => Err(Failure::Other(e)),
        None => Ok(ok),
    }
}
