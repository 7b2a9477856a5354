//! `cpu`: count the primes below `n` with tokio, one task per chunk.
//!
//! Every variant spawns the same [`CHUNKS`] pieces of work, so the runtime
//! hands them out as threads free up (the fair split of
//! `threads/12_cpu_split`). What differs is which OS threads run them:
//!
//! - `current-thread`: one thread runs every task in turn, so there is no
//!   speedup, whatever W is: asyncio's picture.
//! - `multi-thread`: W worker threads steal tasks from each other. A chunk is
//!   short (about 1 ms at n = 3,000,000), so each task blocks its worker only
//!   briefly; a long computation would belong in `spawn_blocking` or rayon.
//! - `spawn-blocking`: the chunks go to tokio's blocking pool, capped at W
//!   threads, the way to run CPU work without stalling the async workers.
//!
//! On a timeline (`--trace`) each chunk is a unit: `log.run(i, t0)` marks the
//! OS thread that polled it. A chunk never awaits, so one poll runs it whole.

use tokio::runtime::Builder;
use tokio::task::JoinSet;
use workloads::contract::Failure;
use workloads::cpu::{chunk, count_primes_in, CHUNKS};
use workloads::trace;

use super::{block_on_timed, joined};
use crate::{runtime, timed, Outcome};

pub fn run(variant: &str, n: u64, workers: usize) -> Result<Outcome, Failure> {
    let (rt, threads, startup) = match variant {
        "spawn-blocking" => {
            // A current-thread runtime to await the results, and a blocking
            // pool of at most W threads to do the work.
            let (rt, startup) = timed(|| {
                Builder::new_current_thread()
                    .max_blocking_threads(workers)
                    .build()
            });
            let rt = rt.map_err(|e| Failure::Other(format!("building the runtime: {e}")))?;
            (rt, workers, startup)
        }
        flavour => runtime(flavour, workers)?,
    };
    let blocking = variant == "spawn-blocking";
    let (result, elapsed) = block_on_timed(&rt, async move {
        let mut tasks = JoinSet::new();
        for i in 0..CHUNKS {
            let range = chunk(n, i);
            // One unit: count the chunk, and mark which thread did it.
            let unit = move || {
                let mut log = trace::log(1);
                let t0 = log.clock();
                let count = count_primes_in(range);
                log.run(i as u64, t0);
                count
            };
            if blocking {
                tasks.spawn_blocking(unit);
            } else {
                // `spawn` needs a `Send + 'static` future: `unit` is moved in.
                tasks.spawn(async move { unit() });
            }
        }
        // Every chunk is spawned and none is awaited: count the OS threads now
        // (the runtime's workers, or the blocking pool's threads that
        // `spawn_blocking` started; inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut found = 0;
        while let Some(part) = tasks.join_next().await {
            found += joined(part)?;
        }
        Ok::<_, Failure>((found, os_threads))
    });
    let (count, os_threads) = result?;
    Ok(Outcome {
        check: count,
        ops: n,
        workers: threads,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::cpu::reference_prime_count;

    #[test]
    fn every_variant_counts_the_same_primes() {
        let n = 100_000;
        let want = reference_prime_count(n);
        for v in ["current-thread", "multi-thread", "spawn-blocking"] {
            for w in [1, 2, 3] {
                let out = run(v, n, w).unwrap();
                assert_eq!((out.check, out.ops), (want, n), "{v} with {w} workers");
            }
        }
    }

    #[test]
    fn workers_are_os_threads() {
        assert_eq!(run("current-thread", 1000, 4).unwrap().workers, 1);
        assert_eq!(run("multi-thread", 1000, 3).unwrap().workers, 3);
        assert_eq!(run("spawn-blocking", 1000, 2).unwrap().workers, 2);
    }
}
