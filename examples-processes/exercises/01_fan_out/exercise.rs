// Goal: count the primes in several chunks, each in a child process of its
// own, all running at once, and merge the answers in chunk order.
// A child is started with `task_command(exe, &["count", n, chunk])` and prints
// its count on stdout (`05_pipes` shows pipes; `08_process_pool` the same job on a pool).
// Done when `cargo xtask exercise check processes/01_fan_out` passes.

use std::path::Path;
use std::process::Stdio;

#[allow(unused_imports)]
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
    let _ = (exe, Stdio::piped());
    // TODO: start one child per chunk with its stdout piped (start them all
    // first), then read each child's stdout, wait for it, and parse its count.
    // Right now every chunk is counted right here, in this process.
    Ok(chunks
        .iter()
        .map(|&chunk| Answer {
            chunk,
            pid: std::process::id(),
            count: workloads::cpu::count_primes_in(workloads::cpu::chunk(n, chunk)),
        })
        .collect())
}
