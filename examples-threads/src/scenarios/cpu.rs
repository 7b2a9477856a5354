//! `cpu`: count the primes below `n` on `workers` OS threads.
//!
//! Every parallel variant hands out the same [`CHUNKS`] chunk indices as the
//! workers free up, because the cost of a number grows with the number: a
//! static split leaves one thread idle at the end (the `12_cpu_split` lesson
//! measures how much). What differs is who hands the chunks out.
//!
//! Each chunk is one unit of a timeline (`--trace`): `log.run(chunk, t0)`
//! after it marks which OS thread counted it, and when. Without `--trace`
//! those calls do nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam::channel;
use rayon::prelude::*;
use workloads::contract::Failure;
use workloads::cpu::{chunk, count_primes_below, count_primes_in, CHUNKS};
use workloads::trace;

use super::{join, spawn_named};
use crate::{timed, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (check, workers, startup, elapsed, os_threads) = match variant {
        "serial" => {
            // Nothing is spawned: the work runs on this thread. Count the OS
            // threads once at its start, outside the timed region.
            let os_threads = workloads::sys::os_threads();
            let (count, elapsed) = timed(|| {
                // One unit, the whole range, on this thread.
                let mut log = trace::log(1);
                let t0 = log.clock();
                let count = count_primes_below(n);
                log.run(0, t0);
                count
            });
            (count, 1, Duration::ZERO, elapsed, os_threads)
        }
        "spawn" => {
            let (counted, elapsed) = timed(|| spawned(n, workers));
            let (count, os_threads) = counted?;
            (count, workers, Duration::ZERO, elapsed, os_threads)
        }
        "scoped" => {
            let ((count, os_threads), elapsed) = timed(|| scoped(n, workers));
            (count, workers, Duration::ZERO, elapsed, os_threads)
        }
        "rayon" => {
            // Building the pool starts its threads: start-up, not work.
            let (pool, startup) =
                timed(|| rayon::ThreadPoolBuilder::new().num_threads(workers).build());
            let pool = pool.map_err(|e| Failure::Other(format!("rayon pool: {e}")))?;
            // The W workers are running now: count the OS threads here,
            // outside the timed region.
            let os_threads = workloads::sys::os_threads();
            let (count, elapsed) = timed(|| {
                pool.install(|| {
                    (0..CHUNKS)
                        .into_par_iter()
                        .map(|i| {
                            let mut log = trace::log(1);
                            let t0 = log.clock();
                            let count = count_primes_in(chunk(n, i));
                            log.run(i as u64, t0);
                            count
                        })
                        .sum()
                })
            });
            (count, workers, startup, elapsed, os_threads)
        }
        "pool" => {
            let (pool, startup) = timed(|| ChunkPool::start(n, workers));
            let pool = pool?;
            // The W workers are running now: count the OS threads here,
            // outside the timed region.
            let os_threads = workloads::sys::os_threads();
            let (count, elapsed) = timed(|| pool.count_all());
            (count?, workers, startup, elapsed, os_threads)
        }
        "gil" => {
            let ((count, os_threads), elapsed) = timed(|| with_gil(n, workers));
            (count, workers, Duration::ZERO, elapsed, os_threads)
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

/// `thread::spawn`: the threads may outlive this function, so everything they
/// share must be owned: an `Arc` around the chunk counter. Returns the count
/// and the OS threads counted once every worker had started.
fn spawned(n: u64, workers: usize) -> Result<(u64, Option<u64>), Failure> {
    let next = Arc::new(AtomicUsize::new(0));
    let handles = (0..workers)
        .map(|i| {
            let next = Arc::clone(&next);
            spawn_named(format!("cpu-{i}"), move || take_chunks(&next, n))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Every worker has started and none is joined: count the OS threads now
    // (inside the timed region: one read of /proc/self/status, ~25 µs).
    let os_threads = workloads::sys::os_threads();
    let count = handles.into_iter().map(join).sum::<Result<u64, _>>()?;
    Ok((count, os_threads))
}

/// `thread::scope`: every thread is joined before the scope returns, so the
/// threads may simply borrow the counter from this stack frame.
fn scoped(n: u64, workers: usize) -> (u64, Option<u64>) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| s.spawn(|| take_chunks(&next, n)))
            .collect();
        // Every worker has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let count = handles
            .into_iter()
            .map(|h| h.join().expect("a cpu worker panicked"))
            .sum();
        (count, os_threads)
    })
}

/// Take chunk indices from a shared counter until none are left.
/// `Relaxed` is enough: the counter only has to hand out each index once,
/// and the results travel back through `join`, which synchronises.
fn take_chunks(next: &AtomicUsize, n: u64) -> u64 {
    let mut found = 0;
    let mut log = trace::log(CHUNKS);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= CHUNKS {
            return found;
        }
        let t0 = log.clock();
        found += count_primes_in(chunk(n, i));
        log.run(i as u64, t0);
    }
}

/// CPython's GIL, simulated: the same workers, but each holds one global lock
/// while it computes. Only one thread runs Python bytecode at a time, so CPU
/// work does not speed up however many threads there are.
fn with_gil(n: u64, workers: usize) -> (u64, Option<u64>) {
    let gil = Mutex::new(());
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut found = 0;
                    let mut log = trace::log(2 * CHUNKS);
                    loop {
                        // Take the GIL, then the work: as an interpreter does
                        // for every stretch of bytecode.
                        let waited = log.clock();
                        let _gil = gil.lock().unwrap_or_else(|p| p.into_inner());
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= CHUNKS {
                            return found;
                        }
                        // The timeline shows the wait for the GIL, then the
                        // run: one thread's run at a time, however many cores.
                        log.wait(i as u64, waited);
                        let t0 = log.clock();
                        found += count_primes_in(chunk(n, i));
                        log.run(i as u64, t0);
                    }
                })
            })
            .collect();
        // Every worker has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let count = handles
            .into_iter()
            .map(|h| h.join().expect("a gil worker panicked"))
            .sum();
        (count, os_threads)
    })
}

/// A hand-written pool: W long-lived threads fed chunk indices over a channel.
/// Starting it is start-up cost; feeding it is the work.
struct ChunkPool {
    /// A crossbeam channel, because several workers receive from it
    /// (std's `mpsc` receiver cannot be shared without a mutex).
    jobs: channel::Sender<usize>,
    results: channel::Receiver<u64>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl ChunkPool {
    fn start(n: u64, workers: usize) -> Result<Self, Failure> {
        let (jobs, job_rx) = channel::unbounded::<usize>();
        let (result_tx, results) = channel::unbounded();
        let workers = (0..workers)
            .map(|i| {
                let (job_rx, result_tx) = (job_rx.clone(), result_tx.clone());
                spawn_named(format!("pool-{i}"), move || {
                    let mut log = trace::log(CHUNKS);
                    for i in job_rx {
                        let t0 = log.clock();
                        let count = count_primes_in(chunk(n, i));
                        log.run(i as u64, t0);
                        if result_tx.send(count).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ChunkPool {
            jobs,
            results,
            workers,
        })
    }

    fn count_all(self) -> Result<u64, Failure> {
        for i in 0..CHUNKS {
            self.jobs
                .send(i)
                .map_err(|_| Failure::Other("the pool's workers are gone".into()))?;
        }
        let total = (0..CHUNKS)
            .map(|_| self.results.recv())
            .sum::<Result<u64, _>>();
        // Closing the job channel ends every worker's loop.
        drop(self.jobs);
        for w in self.workers {
            join(w)?;
        }
        total.map_err(|_| Failure::Other("a pool worker died".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::cpu::reference_prime_count;

    #[test]
    fn every_variant_counts_the_same_primes() {
        let n = 100_000;
        let want = reference_prime_count(n);
        for v in ["serial", "spawn", "scoped", "rayon", "pool", "gil"] {
            for w in [1, 2, 3] {
                let out = run(v, n, w).unwrap();
                assert_eq!(out.check, want, "{v} with {w} workers");
                assert_eq!(out.ops, n);
            }
        }
    }

    #[test]
    fn serial_reports_one_worker() {
        assert_eq!(run("serial", 1000, 4).unwrap().workers, 1);
    }
}
