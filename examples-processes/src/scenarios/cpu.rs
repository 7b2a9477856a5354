//! `cpu`: count the primes below `n` on `workers` processes.
//!
//! Both variants hand out the same [`CHUNKS`] chunk indices as the workers
//! free up (a static split leaves one worker idle at the end). A task is a
//! chunk index and a reply a count: a few bytes each way, so the copy across
//! the process boundary is cheap here; what costs is starting processes.

use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use workloads::contract::Failure;
use workloads::cpu::CHUNKS;

use crate::pool::Pool;
use crate::worker::{FromWorker, Task};
use crate::{timed, Outcome};

pub fn run(exe: &Path, variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (check, startup, elapsed, os_threads) = match variant {
        "pool" => {
            // Starting W processes is start-up, reported apart from the work.
            let (pool, startup) = timed(|| Pool::start(exe, workers));
            let mut pool = pool?;
            // The W workers are running: count the parent's own OS threads
            // here, outside the timed region (the workers are processes,
            // counted as processes, not here).
            let os_threads = workloads::sys::os_threads();
            let (count, elapsed) = timed(|| pooled(&mut pool, n));
            pool.shutdown();
            (count?, startup, elapsed, os_threads)
        }
        "per-task" => {
            crate::os::check_processes(workers as u64, 1)?;
            let (counted, elapsed) = timed(|| per_task(exe, n, workers));
            let (count, os_threads) = counted?;
            (count, Duration::ZERO, elapsed, os_threads)
        }
        other => return Err(Failure::Usage(format!("cpu has no variant {other}"))),
    };
    Ok(Outcome {
        check,
        ops: n,
        workers,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

/// Deal the chunks to the pool, two in flight per worker, and add up.
pub fn pooled(pool: &mut Pool, n: u64) -> Result<u64, Failure> {
    let tasks = (0..CHUNKS)
        .map(|chunk| Task::CountPrimes { n, chunk })
        .collect();
    let replies = pool.map(tasks, 2)?;
    Ok(replies
        .iter()
        .map(|r| match r {
            FromWorker::Primes { count, .. } => *count,
            _ => 0, // `map` has already checked every reply answers its task
        })
        .sum())
}

/// A process per chunk, at most `workers` at a time. Each supervisor thread
/// only waits on its child, so the threads cost nothing while the processes
/// compute; the child's answer comes back on its stdout, like
/// `subprocess.run(..., capture_output=True)`. Returns the count and the
/// parent's OS threads counted once every supervisor had started.
fn per_task(exe: &Path, n: u64, workers: usize) -> Result<(u64, Option<u64>), Failure> {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let supervisors: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<u64, Failure> {
                    let mut found = 0;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= CHUNKS {
                            return Ok(found);
                        }
                        found += one_chunk(exe, n, i)?;
                    }
                })
            })
            .collect();
        // Every supervisor has started and none is joined: count the parent's
        // OS threads now (the children they start are processes, counted as
        // processes, not here; inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let count = supervisors
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| Failure::Other("a supervisor thread panicked".into()))?
            })
            .sum::<Result<u64, Failure>>()?;
        Ok((count, os_threads))
    })
}

fn one_chunk(exe: &Path, n: u64, chunk: usize) -> Result<u64, Failure> {
    let mut child = crate::roles::task_command(exe, &["count", &n.to_string(), &chunk.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut out = String::new();
    let read = child.stdout.take().map(|mut o| o.read_to_string(&mut out));
    let status = child.wait()?;
    let pid = child.id();
    if !status.success() {
        return Err(Failure::Other(crate::os::describe_child_failure(
            pid, status,
        )));
    }
    if let Some(Err(e)) = read {
        return Err(Failure::Other(format!(
            "child {pid}: reading its answer: {e}"
        )));
    }
    out.trim()
        .parse()
        .map_err(|_| Failure::Other(format!("child {pid}: answered {out:?}, not a number")))
}
