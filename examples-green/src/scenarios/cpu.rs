//! `cpu`: count the primes below `n` with one coroutine per chunk.
//!
//! Coroutines are cheap enough to give each of the [`CHUNKS`] chunks its own;
//! may's W workers take them from a shared queue (and steal from each other)
//! as they free up, so both stay busy to the end, as the threads model's
//! chunk counter does. With `may-1` there is one worker: the coroutines take
//! turns on one core, and the speed is the serial speed, as under gevent.
//! A chunk never blocks, so it runs to its end once started: fine here, but
//! a long CPU loop should call `may::coroutine::yield_now()` now and then, or
//! the other coroutines of that worker wait.
//!
//! On a timeline (`--trace`) each chunk is a unit. Its `log.run(i, t0)` comes
//! with no may blocking call since `t0`, so the coroutine cannot have moved
//! to another worker in between: the thread it names is the one that ran it.

use workloads::contract::Failure;
use workloads::cpu::{chunk, count_primes_in, CHUNKS};
use workloads::trace;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64) -> Result<Outcome, Failure> {
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let handles = (0..CHUNKS)
            .map(|i| {
                go(move || {
                    let mut log = trace::log(1);
                    let t0 = log.clock();
                    let count = count_primes_in(chunk(n, i));
                    log.run(i as u64, t0);
                    count
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Every coroutine is spawned and none is joined: count the OS threads
        // from this main thread now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let count = handles.into_iter().map(join).sum::<Result<u64, _>>()?;
        Ok((count, os_threads))
    });
    let (count, os_threads) = result?;
    Ok(Outcome {
        check: count,
        ops: n,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::cpu::reference_prime_count;

    #[test]
    fn counts_the_reference_primes() {
        super::super::test_runtime();
        for n in [1, 2, 1000, 100_000] {
            let out = run(n).unwrap();
            assert_eq!(out.check, reference_prime_count(n), "n = {n}");
            assert_eq!(out.ops, n);
        }
    }
}
