//! `idle`: keep `n` processes alive and parked, measure what they cost in
//! memory, then release them.
//!
//! Each child is this binary in the `park` role: it writes one byte, then
//! blocks reading its stdin. All children share two pipes: one they write
//! "parked" bytes into, one whose write end the parent closes to release them
//! all at once. (A pipe pair per child would give the parent 2n fds, and every
//! later fork would copy and close them all: quadratic.)
//!
//! Summing the children's `VmRSS` would count the shared pages (the binary's
//! code, libc) once per process, ~14x too much; PSS (`/proc/PID/smaps_rollup`)
//! splits each shared page among the processes sharing it, so the sum is
//! what they really cost together.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};

use workloads::contract::Failure;
use workloads::record::Memory;
use workloads::sys::{kernel_kib, pss_kib};

use crate::{timed, Outcome};

pub fn run(exe: &Path, variant: &str, n: u64) -> Result<Outcome, Failure> {
    if variant != "per-task" {
        return Err(Failure::Usage(format!("idle has no variant {variant}")));
    }
    crate::os::check_processes(n, 0)?;
    let kernel_before = kernel_kib();
    let (result, elapsed) = timed(|| -> Result<(u64, Memory, Option<u64>), Failure> {
        let (release_rx, release_tx) = crate::os::pipe()?;
        let (parked_rx, parked_tx) = crate::os::pipe()?;
        let mut children: Vec<Child> = Vec::with_capacity(n as usize);
        let mut started = (|| -> Result<(), Failure> {
            for _ in 0..n {
                children.push(
                    crate::roles::task_command(exe, &["park"])
                        .stdin(Stdio::from(release_rx.try_clone()?))
                        .stdout(Stdio::from(parked_tx.try_clone()?))
                        .spawn()?,
                );
            }
            Ok(())
        })();
        // Our copy of the write end must go, or a dead child would leave us
        // waiting for a byte forever instead of reading end-of-file.
        drop(parked_tx);
        if started.is_ok() {
            let mut parked = vec![0u8; children.len()];
            started = std::fs::File::from(parked_rx)
                .read_exact(&mut parked)
                .map_err(|e| Failure::Other(format!("a parked child died early: {e}")));
        }
        let pss = children
            .iter()
            .map(|c| pss_kib(c.id()))
            .sum::<Option<u64>>();
        let memory = Memory {
            kernel_before_kib: kernel_before,
            kernel_after_kib: kernel_kib(),
            pss_before_kib: pss.map(|_| 0),
            pss_after_kib: pss,
            ..Memory::default()
        };
        // Every child is parked and none is reaped: count the parent's own OS
        // threads now (the children are processes, counted as processes, not
        // here; inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        // Release them all: their reads of stdin see end-of-file.
        drop(release_tx);
        drop(release_rx);
        let released = super::join_all(children);
        started?;
        Ok((released?, memory, os_threads))
    });
    let (released, memory, os_threads) = result?;
    Ok(Outcome {
        check: released,
        ops: n,
        workers: n as usize,
        elapsed,
        memory: Some(memory),
        os_threads,
        ..Outcome::default()
    })
}
