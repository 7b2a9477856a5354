//! `spawn`: start `n` coroutines that do nothing, all at once from the main
//! thread, then join them all (GUIDE section 3).
//!
//! A coroutine is a heap-allocated context and a stack taken from may's pool
//! (or freshly mapped once the pool of 1000 is used up), queued on the
//! scheduler: no system call for the task itself, no kernel thread. The pool
//! is filled by the first spawn, which `start` does and times as start-up.

use workloads::contract::Failure;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64) -> Result<Outcome, Failure> {
    let (joined, elapsed) = timed(|| -> Result<u64, Failure> {
        // Spawn all first, then join: every coroutine may be alive at once.
        let handles = (0..n).map(|_| go(|| ())).collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().map(|h| join(h).map(|()| 1)).sum()
    });
    Ok(Outcome {
        check: joined?,
        ops: n,
        elapsed,
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
