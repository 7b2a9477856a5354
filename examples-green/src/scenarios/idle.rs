//! `idle`: keep `n` coroutines alive and parked, measure what they cost in
//! memory, then release them.
//!
//! A parked coroutine is its stack (32 KiB of address space, of which it has
//! touched a page or two) plus its context on the heap. It has no kernel task,
//! so unlike a thread it costs no kernel stack: the kernel column's slope is
//! mostly page tables. xtask runs this at two `n` and reports the slope.

use std::sync::Arc;
use std::time::Duration;

use may::sync::Barrier;
use workloads::contract::Failure;
use workloads::record::Memory;
use workloads::sys::MemorySnapshot;

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64) -> Result<Outcome, Failure> {
    let before = MemorySnapshot::now();
    // may's Barrier, not std's: a coroutine waiting on it parks itself and
    // frees the worker; std's would block the worker, and with it every other
    // coroutine queued there (a deadlock with n > workers). The main thread
    // may wait on may's Barrier too: outside a coroutine it parks the thread.
    let started = Arc::new(Barrier::new(n as usize + 1));
    let release = Arc::new(Barrier::new(n as usize + 1));
    let (result, elapsed) = timed(|| -> Result<(u64, Memory, Option<u64>), Failure> {
        let handles = (0..n)
            .map(|_| {
                let (started, release) = (Arc::clone(&started), Arc::clone(&release));
                go(move || {
                    started.wait();
                    release.wait();
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        started.wait();
        // Let the last coroutines reach the second barrier and park.
        std::thread::sleep(Duration::from_millis(20));
        let memory = before.to_now();
        // Every coroutine is parked and none is joined: count the OS threads
        // from this main thread now, after the memory reading so it stays out
        // of the slope (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        release.wait();
        let joined = handles
            .into_iter()
            .map(|h| join(h).map(|()| 1))
            .sum::<Result<u64, _>>()?;
        Ok((joined, memory, os_threads))
    });
    let (joined, memory, os_threads) = result?;
    Ok(Outcome {
        check: joined,
        ops: n,
        elapsed,
        memory: Some(memory),
        os_threads,
        ..Outcome::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parks_and_releases_every_coroutine() {
        super::super::test_runtime();
        let out = run(2000).unwrap();
        assert_eq!(out.check, 2000);
        let m = out.memory.unwrap();
        #[cfg(target_os = "linux")]
        assert!(
            m.rss_after_kib.unwrap() > m.rss_before_kib.unwrap(),
            "2000 parked coroutines cost some memory"
        );
        #[cfg(not(target_os = "linux"))]
        assert_eq!(m.rss_after_kib, None);
    }
}
