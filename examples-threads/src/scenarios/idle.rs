//! `idle`: keep `n` OS threads alive and parked, measure what they cost in
//! memory, then release them.
//!
//! A parked thread has touched only a few pages of its 2 MiB stack, so its
//! resident cost (`VmRSS`) is small; the kernel's part (its kernel stack and
//! page tables) never shows in `VmRSS`, so it is measured separately from
//! `/proc/meminfo`. xtask runs this at two `n` and reports the slope per unit.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use workloads::contract::Failure;
use workloads::record::Memory;
use workloads::sys::MemorySnapshot;

use super::{check_threads, join, spawn_named};
use crate::{timed, Outcome};

pub fn run(variant: &str, n: u64) -> Result<Outcome, Failure> {
    if variant != "spawn" {
        return Err(Failure::Usage(format!("idle has no variant {variant}")));
    }
    check_threads(n, 0)?;
    let before = MemorySnapshot::now();
    // Two barriers of n + 1: the first says "every thread is running", the
    // second holds them parked until the main thread has measured.
    let started = Arc::new(Barrier::new(n as usize + 1));
    let release = Arc::new(Barrier::new(n as usize + 1));
    let (result, elapsed) = timed(|| -> Result<(u64, Memory, Option<u64>), Failure> {
        let handles = (0..n)
            .map(|i| {
                let (started, release) = (Arc::clone(&started), Arc::clone(&release));
                spawn_named(format!("idle-{i}"), move || {
                    started.wait();
                    release.wait();
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        started.wait();
        // Let the last threads reach the second barrier and park.
        std::thread::sleep(Duration::from_millis(20));
        let memory = before.to_now();
        // Every thread is parked and none is joined: count the OS threads now,
        // after the memory reading so it stays out of the slope (inside the
        // timed region: one read of /proc/self/status,
        // ~25 µs at any thread count).
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
        workers: n as usize,
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
    fn parks_and_releases_every_thread() {
        let out = run("spawn", 200).unwrap();
        assert_eq!(out.check, 200);
        let m = out.memory.unwrap();
        #[cfg(target_os = "linux")]
        assert!(
            m.rss_after_kib.unwrap() > m.rss_before_kib.unwrap(),
            "200 parked threads cost some memory"
        );
        #[cfg(not(target_os = "linux"))]
        assert_eq!(m.rss_after_kib, None);
    }
}
