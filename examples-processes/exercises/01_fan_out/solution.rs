// Goal: count the primes in several chunks, each in a child process of its
// own, all running at once, and merge the answers in chunk order.
// Reference solution: the changed lines are marked with ^^^.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use examples_processes::roles::task_command;

/// One chunk's answer and the process that computed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub chunk: usize,
    pub pid: u32,
    pub count: u64,
}

/// Count the primes of each chunk of `0..n` in `chunks`, one child process per
/// chunk, all started before any is waited for. Answers in chunk order.
pub fn fan_out(exe: &Path, n: u64, chunks: &[usize]) -> Result<Vec<Answer>, String> {
    let n_arg = n.to_string();
    let children = chunks
        .iter()
        .map(|&chunk| {
            task_command(exe, &["count", &n_arg, &chunk.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .map(|child| (chunk, child))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    // ^^^ every child is running before we wait for the first one
    children
        .into_iter()
        .map(|(chunk, mut child)| {
            let mut out = String::new();
            if let Some(mut stdout) = child.stdout.take() {
                stdout.read_to_string(&mut out).map_err(|e| e.to_string())?;
            }
            let status = child.wait().map_err(|e| e.to_string())?;
            // ^^^ read the pipe to its end, then reap the child: no zombie
            if !status.success() {
                return Err(format!("chunk {chunk}: child {} {status}", child.id()));
            }
            let count = out
                .trim()
                .parse()
                .map_err(|_| format!("chunk {chunk}: {out:?}"))?;
            Ok(Answer {
                chunk,
                pid: child.id(),
                count,
            })
        })
        .collect()
}
