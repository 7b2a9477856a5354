//! `sleep`: `n` coroutines each wait `delay` at once.
//!
//! `may::coroutine::sleep` parks the coroutine on may's timer and frees its
//! worker for the others, so `n` sleeps overlap on any number of workers,
//! even one. `std::thread::sleep` here would block the whole worker instead
//! (`05_std_blocking_trap` measures it): the waits would run one after another.
//!
//! On a timeline (`--trace`) each sleep is a `wait` event; the coroutine may
//! wake on another worker, and the event names the thread it woke on.

use std::time::Duration;

use workloads::contract::Failure;
use workloads::trace;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64, delay: Duration) -> Result<Outcome, Failure> {
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let handles = (0..n)
            .map(|i| {
                go(move || {
                    let mut log = trace::log(1);
                    let t0 = log.clock();
                    may::coroutine::sleep(delay);
                    log.wait(i, t0);
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Every coroutine is spawned and none is joined: count the OS threads
        // from this main thread now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let done = handles
            .into_iter()
            .map(|h| join(h).map(|()| 1))
            .sum::<Result<u64, _>>()?;
        Ok((done, os_threads))
    });
    let (done, os_threads) = result?;
    Ok(Outcome {
        check: done,
        ops: n,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_finishes_and_the_waits_overlap() {
        super::super::test_runtime();
        let out = run(200, Duration::from_millis(20)).unwrap();
        assert_eq!((out.check, out.ops), (200, 200));
        // Never early; and 200 waits of 20 ms one after another would take 4 s.
        assert!(out.elapsed >= Duration::from_millis(20));
        assert!(out.elapsed < Duration::from_secs(2), "{:?}", out.elapsed);
    }
}
