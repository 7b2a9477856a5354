//! One module per scenario of the measurement contract, each written the way
//! a may user would write it: one coroutine per unit, plain blocking code.

pub mod cpu;
pub mod idle;
pub mod net;
pub mod pingpong;
pub mod sleep;
pub mod spawn;

use may::coroutine::{Builder, JoinHandle};
use workloads::contract::Failure;
use workloads::sys::{check_units, UnitCost};

/// What one coroutine costs in limited resources: its stack is one mapping
/// and its guard page another (measured ~2 per coroutine here). There is no
/// kernel task per coroutine, so `threads-max` and `pid_max` never bind:
/// `vm.max_map_count` (65530 by default) does, near 29k live coroutines.
pub(crate) const COROUTINE: UnitCost = UnitCost {
    mappings: 2,
    threads: 0,
    fds: 0,
};

/// Refuse, with the limit named, `n` live coroutines the OS would not map.
/// Without this check may panics ("failed to alloc sys stack") halfway.
pub fn check_coroutines(n: u64, fds_each: u64) -> Result<(), Failure> {
    check_units(
        n,
        UnitCost {
            fds: fds_each,
            ..COROUTINE
        },
    )
    .map_err(Failure::Limit)
}

/// Spawn a coroutine, turning a failed stack allocation into a failure
/// instead of the panic `may::coroutine::spawn` would raise.
///
/// Every closure passed here keeps may's rules: it reads no thread-locals,
/// makes no thread-blocking call (only may's sleep, channels and sockets),
/// and stays well inside the default 32 KiB stack.
pub(crate) fn go<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<JoinHandle<T>, Failure> {
    // SAFETY: see the rules above; every caller in this module keeps them.
    unsafe { Builder::new().spawn(f) }
        .map_err(|e| Failure::Other(format!("may could not spawn a coroutine: {e}")))
}

/// Join a coroutine, turning its panic into a failure.
pub(crate) fn join<T>(handle: JoinHandle<T>) -> Result<T, Failure> {
    handle
        .join()
        .map_err(|_| Failure::Other("a coroutine panicked".into()))
}

/// The worker count every unit test in this binary shares: may's scheduler
/// is global per process, so all of them must ask for the same one.
#[cfg(test)]
pub(crate) fn test_runtime() {
    crate::start(2).expect("may starts with 2 workers");
}
