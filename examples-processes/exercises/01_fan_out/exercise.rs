// Goal: run one child process per chunk, all of them at the same time, and
// merge their answers in chunk order. `task(chunk)` builds the child's
// command; each child prints its count on stdout (processes/05_pipes shows
// pipes; processes/08_process_pool the same job on a pool).
// Done when `cargo xtask exercise check processes/01_fan_out` passes.

use std::process::{Command, Stdio};

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
    // TODO: start every child (stdout piped) before you wait for any of
    // them; then read each one's output and wait for it, in chunk order.
    chunks
        .iter()
        .map(|&chunk| {
            let child = task(chunk)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .spawn()
                .map_err(|e| format!("spawn: {e}"))?;
            let pid = child.id();
            let out = child.wait_with_output().map_err(|e| e.to_string())?;
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
