//! `spawn`: start `n` coroutines that do nothing, all at once from the main
//! thread, then join them all, as the contract defines `spawn`.
//!
//! A coroutine is a heap-allocated context and a stack taken from may's pool
//! (or freshly mapped once the pool of 1000 is used up), queued on the
//! scheduler: no system call for the task itself, no kernel thread. The pool
//! is filled by the first spawn, which `start` does and times as start-up.

use workloads::contract::Failure;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64) -> Result<Outcome, Failure> {
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        // Spawn all first, then join: every coroutine may be alive at once.
        let handles = (0..n).map(|_| go(|| ())).collect::<Result<Vec<_>, _>>()?;
        // Every coroutine is spawned and none is joined: count the OS threads
        // from this main thread now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let joined = handles
            .into_iter()
            .map(|h| join(h).map(|()| 1))
            .sum::<Result<u64, _>>()?;
        Ok((joined, os_threads))
    });
    let (joined, os_threads) = result?;
    Ok(Outcome {
        check: joined,
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
    fn every_unit_is_joined() {
        super::super::test_runtime();
        let out = run(3000).unwrap();
        assert_eq!((out.check, out.ops), (3000, 3000));
    }
}
