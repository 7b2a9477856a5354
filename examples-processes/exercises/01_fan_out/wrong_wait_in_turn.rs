// Wrong answer (kept to prove the tests catch it): a child process per chunk,
// but each is waited for before the next starts: distinct pids, right counts,
// one child at a time.

use std::process::{Command, Stdio};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub chunk: usize,
    pub pid: u32,
    pub count: u64,
}

pub fn fan_out(task: impl Fn(usize) -> Command, chunks: &[usize]) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    for &chunk in chunks {
        let child = task(chunk)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let pid = child.id();
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout);
        let count = text
            .trim()
            .parse()
            .map_err(|_| format!("chunk {chunk}: {text:?}"))?;
        answers.push(Answer { chunk, pid, count });
    }
    Ok(answers)
}
