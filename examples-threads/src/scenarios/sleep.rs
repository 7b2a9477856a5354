//! `sleep`: `n` units each wait `delay` at once, one OS thread per unit; or,
//! as `serial`, one after another on the main thread.
//!
//! A sleeping thread costs no CPU, so `n` of them finish in about one
//! `delay`, plus the time to start `n` threads. `serial` takes n x `delay`:
//! against it, the thread per unit's speedup keeps growing with n, far past
//! the core count, which CPU-bound work never does. The `gil` variant shows why
//! CPython threads *are* fine for IO-bound work: a thread releases the GIL
//! while it waits, so the waits overlap even though the lock is global.
//!
//! On a timeline (`--trace`) each unit's sleep is a `wait` event
//! (`log.wait(unit, t0)`), on the OS thread that slept.

use std::sync::Mutex;
use std::time::Duration;

use workloads::contract::Failure;
use workloads::trace;

use super::{check_threads, join, spawn_named};
use crate::{timed, Outcome};

pub fn run(variant: &str, n: u64, delay: Duration) -> Result<Outcome, Failure> {
    if variant != "serial" {
        check_threads(n, 0)?;
    }
    let (result, elapsed) = match variant {
        "serial" => timed(|| Ok(one_after_another(n, delay))),
        "spawn" => timed(|| spawned(n, delay)),
        "scoped" => timed(|| scoped(n, delay)),
        "gil" => timed(|| with_gil(n, delay)),
        other => return Err(Failure::Usage(format!("sleep has no variant {other}"))),
    };
    let (done, os_threads) = result?;
    Ok(Outcome {
        check: done,
        ops: n,
        workers: if variant == "serial" { 1 } else { n as usize },
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

/// Each variant returns the units completed and the OS threads counted once
/// every unit had started.
fn one_after_another(n: u64, delay: Duration) -> (u64, Option<u64>) {
    // Nothing is spawned: the main thread is the only one (read before the
    // first wait, inside the timed region: ~25 µs against n x delay).
    let os_threads = workloads::sys::os_threads();
    let mut log = trace::log(n as usize);
    for i in 0..n {
        let t0 = log.clock();
        std::thread::sleep(delay);
        log.wait(i, t0);
    }
    (n, os_threads)
}

fn spawned(n: u64, delay: Duration) -> Result<(u64, Option<u64>), Failure> {
    let handles = (0..n)
        .map(|i| spawn_named(format!("sleep-{i}"), move || sleep_unit(i, delay)))
        .collect::<Result<Vec<_>, _>>()?;
    // Every unit has started and none is joined: count the OS threads now
    // (inside the timed region: one read of /proc/self/status,
    // ~25 µs at any thread count).
    let os_threads = workloads::sys::os_threads();
    let done = handles
        .into_iter()
        .map(|h| join(h).map(|()| 1))
        .sum::<Result<u64, _>>()?;
    Ok((done, os_threads))
}

fn scoped(n: u64, delay: Duration) -> Result<(u64, Option<u64>), Failure> {
    std::thread::scope(|s| {
        let handles = (0..n)
            .map(|i| std::thread::Builder::new().spawn_scoped(s, move || sleep_unit(i, delay)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Other(format!("the OS refused a thread: {e}")))?;
        // Every unit has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status,
        // ~25 µs at any thread count).
        let os_threads = workloads::sys::os_threads();
        let done = handles.into_iter().map(|h| h.join().is_ok() as u64).sum();
        Ok((done, os_threads))
    })
}

/// One unit: sleep, and mark the wait on the timeline.
fn sleep_unit(unit: u64, delay: Duration) {
    let mut log = trace::log(1);
    let t0 = log.clock();
    std::thread::sleep(delay);
    log.wait(unit, t0);
}

/// Each thread holds the "GIL" except while it waits, as CPython's blocking
/// calls release it.
fn with_gil(n: u64, delay: Duration) -> Result<(u64, Option<u64>), Failure> {
    let gil = Mutex::new(0u64);
    let os_threads = std::thread::scope(|s| {
        let handles = (0..n)
            .map(|unit| {
                let gil = &gil;
                std::thread::Builder::new().spawn_scoped(s, move || {
                    let mut log = trace::log(3);
                    let t0 = log.clock();
                    drop(gil.lock().unwrap_or_else(|p| p.into_inner())); // run some "bytecode"
                    log.wait(unit, t0); // the wait for the GIL, on the timeline
                    let t0 = log.clock();
                    std::thread::sleep(delay); // a blocking call: GIL released
                    log.wait(unit, t0);
                    let t0 = log.clock();
                    *gil.lock().unwrap_or_else(|p| p.into_inner()) += 1; // back in the interpreter
                    log.wait(unit, t0);
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::Other(format!("the OS refused a thread: {e}")))?;
        // Every unit has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status,
        // ~25 µs at any thread count).
        let os_threads = workloads::sys::os_threads();
        for h in handles {
            h.join()
                .map_err(|_| Failure::Other("a sleeper panicked".into()))?;
        }
        Ok::<_, Failure>(os_threads)
    })?;
    let done = gil.into_inner().unwrap_or_else(|p| p.into_inner());
    Ok((done, os_threads))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_finishes() {
        for v in ["spawn", "scoped", "gil"] {
            let out = run(v, 50, Duration::from_millis(5)).unwrap();
            assert_eq!((out.check, out.ops, out.workers), (50, 50, 50), "{v}");
            // Never early: each unit slept at least the delay.
            assert!(out.elapsed >= Duration::from_millis(5));
        }
        // One after another: the waits add up, on the main thread alone.
        let out = run("serial", 8, Duration::from_millis(5)).unwrap();
        assert_eq!((out.check, out.workers), (8, 1));
        assert!(out.elapsed >= Duration::from_millis(40));
    }
}
