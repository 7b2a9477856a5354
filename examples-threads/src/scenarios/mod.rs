//! One module per scenario of the measurement contract.

pub mod cpu;
pub mod idle;
pub mod net;
pub mod pingpong;
pub mod sleep;
pub mod spawn;

use workloads::contract::Failure;
use workloads::sys::{check_units, UnitCost};

/// What one OS thread costs in limited resources: a 2 MiB stack mapping plus
/// its guard page (and glibc's bookkeeping), and a kernel task.
pub(crate) const THREAD: UnitCost = UnitCost {
    mappings: 4,
    threads: 1,
    fds: 0,
};

/// Refuse, with the limit named, `n` threads the OS would not give us.
pub(crate) fn check_threads(n: u64, fds_each: u64) -> Result<(), Failure> {
    check_units(
        n,
        UnitCost {
            fds: fds_each,
            ..THREAD
        },
    )
    .map_err(Failure::Limit)
}

/// Spawn a thread, turning the OS's refusal into a clear failure.
pub(crate) fn spawn_named<T: Send + 'static>(
    name: String,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<std::thread::JoinHandle<T>, Failure> {
    std::thread::Builder::new()
        .name(name)
        .spawn(f)
        .map_err(|e| Failure::Other(format!("the OS refused a thread: {e}")))
}

/// Join a thread, turning its panic into a failure instead of a second panic.
pub(crate) fn join<T>(handle: std::thread::JoinHandle<T>) -> Result<T, Failure> {
    handle
        .join()
        .map_err(|_| Failure::Other("a worker thread panicked".into()))
}
