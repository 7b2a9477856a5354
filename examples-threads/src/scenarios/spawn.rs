//! `spawn`: start `n` units that do nothing, all at once from the main thread,
//! then join them all. What is measured is the cost of a unit of concurrency.
//!
//! `spawn` and `scoped` create an OS thread per unit (a 2 MiB stack mapping, a
//! kernel task, a context switch to run it). `rayon` and `pool` reuse W
//! threads, so a "unit" is a queued closure: far cheaper, but only W run at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossbeam::channel;
use workloads::contract::Failure;

use super::{check_threads, join, spawn_named};
use crate::{timed, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let ((joined, os_threads), workers, startup, elapsed) = match variant {
        "spawn" => {
            check_threads(n, 0)?;
            let (joined, elapsed) = timed(|| spawned(n));
            (joined?, n as usize, Duration::ZERO, elapsed)
        }
        "scoped" => {
            check_threads(n, 0)?;
            let (joined, elapsed) = timed(|| scoped(n));
            (joined?, n as usize, Duration::ZERO, elapsed)
        }
        "rayon" => {
            let (pool, startup) =
                timed(|| rayon::ThreadPoolBuilder::new().num_threads(workers).build());
            let pool = pool.map_err(|e| Failure::Other(format!("rayon pool: {e}")))?;
            let done = AtomicU64::new(0);
            // `rayon::scope` returns once every task spawned in it has run.
            let (os_threads, elapsed) = timed(|| {
                pool.scope(|s| {
                    for _ in 0..n {
                        s.spawn(|_| {
                            done.fetch_add(1, Ordering::Relaxed);
                        });
                    }
                    // Every unit is queued and the scope has not joined
                    // them: count the OS threads now (inside the timed
                    // region: one read of /proc/self/status, ~25 µs).
                    workloads::sys::os_threads()
                })
            });
            ((done.into_inner(), os_threads), workers, startup, elapsed)
        }
        "pool" => {
            let (pool, startup) = timed(|| Pool::start(workers));
            let pool = pool?;
            let done = Arc::new(AtomicU64::new(0));
            let (joined, elapsed) = timed(|| {
                for _ in 0..n {
                    let done = Arc::clone(&done);
                    pool.submit(Box::new(move || {
                        done.fetch_add(1, Ordering::Relaxed);
                    }))?;
                }
                // Every unit is queued and none is joined: count the OS
                // threads now (inside the timed region: one read of /proc/self/status, ~25 µs).
                let os_threads = workloads::sys::os_threads();
                pool.finish()?;
                Ok::<_, Failure>((done.load(Ordering::Relaxed), os_threads))
            });
            (joined?, workers, startup, elapsed)
        }
        other => return Err(Failure::Usage(format!("spawn has no variant {other}"))),
    };
    Ok(Outcome {
        check: joined,
        ops: n,
        workers,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

/// Spawn all `n` first, then join: every thread may be alive at once (the
/// first ones may already have finished: the count says how many are).
/// Returns the units joined and the OS threads counted after the last spawn.
fn spawned(n: u64) -> Result<(u64, Option<u64>), Failure> {
    let handles = (0..n)
        .map(|i| spawn_named(format!("unit-{i}"), || ()))
        .collect::<Result<Vec<_>, _>>()?;
    // Every unit has started and none is joined: count the OS threads now
    // (inside the timed region: one read of /proc/self/status,
    // ~25 µs at any thread count).
    let os_threads = workloads::sys::os_threads();
    let joined = handles
        .into_iter()
        .map(|h| join(h).map(|()| 1))
        .sum::<Result<u64, _>>()?;
    Ok((joined, os_threads))
}

fn scoped(n: u64) -> Result<(u64, Option<u64>), Failure> {
    std::thread::scope(|s| {
        let handles = (0..n)
            .map(|_| std::thread::Builder::new().spawn_scoped(s, || ()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Other(format!("the OS refused a thread: {e}")))?;
        // Every unit has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status,
        // ~25 µs at any thread count).
        let os_threads = workloads::sys::os_threads();
        let joined = handles.into_iter().map(|h| h.join().is_ok() as u64).sum();
        Ok((joined, os_threads))
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// The smallest thread pool: W threads taking boxed closures from one channel.
struct Pool {
    /// crossbeam, not std `mpsc`: every worker receives from the same queue.
    jobs: channel::Sender<Job>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Pool {
    fn start(workers: usize) -> Result<Self, Failure> {
        let (jobs, rx) = channel::unbounded::<Job>();
        let workers = (0..workers)
            .map(|i| {
                let rx = rx.clone();
                spawn_named(format!("pool-{i}"), move || {
                    rx.into_iter().for_each(|job| job())
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Pool { jobs, workers })
    }

    fn submit(&self, job: Job) -> Result<(), Failure> {
        self.jobs
            .send(job)
            .map_err(|_| Failure::Other("the pool's workers are gone".into()))
    }

    /// Close the queue; each worker drains it and exits; join them all.
    fn finish(self) -> Result<(), Failure> {
        drop(self.jobs);
        self.workers.into_iter().try_for_each(join)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_is_joined() {
        for v in ["spawn", "scoped", "rayon", "pool"] {
            let out = run(v, 300, 2).unwrap();
            assert_eq!((out.check, out.ops), (300, 300), "{v}");
        }
    }
}
