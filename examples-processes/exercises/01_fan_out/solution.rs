// Goal: one child process per chunk, all at the same time, answers merged in
// chunk order. Reference solution: the changed lines are marked with ^^^.

use std::process::{Child, Command, Stdio};

/// One chunk's answer and the process that computed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub chunk: usize,
    pub pid: u32,
    pub count: u64,
}

/// Run `task(chunk)` for each of `chunks`, one child process each, all
/// running at once. Answers in chunk order.
pub fn fan_out(task: impl Fn(usize) -> Command, chunks: &[usize]) -> Result<Vec<Answer>, String> {
    let children: Vec<(usize, Child)> = chunks
        .iter()
        .map(|&chunk| {
            task(chunk)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .map(|child| (chunk, child))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    // ^^^ every child is running before we wait for the first one
    children
        .into_iter()
        .map(|(chunk, child)| {
            let pid = child.id();
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
            // ^^^ reads the pipe to its end, then reaps the child: no zombie
            if !out.status.success() {
                return Err(format!("chunk {chunk}: child {pid} {}", out.status));
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let count = text
                .trim()
                .parse()
                .map_err(|_| format!("chunk {chunk}: {text:?}"))?;
            Ok(Answer { chunk, pid, count })
        })
        .collect()
}
