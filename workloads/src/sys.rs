//! What the OS tells us about memory and limits.
//!
//! Every reading is Linux `/proc` and returns `None` elsewhere: the report then
//! says "n/a" instead of inventing a figure. Limits are checked *before* a run
//! that would hit them, so a cell reports `limit` instead of crashing halfway.

use crate::record::LimitHit;

/// Read one `Key:   1234 kB` (or `Key: 1234`) field from a `/proc` file: KiB, or a count.
fn proc_field(path: &str, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn proc_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Resident memory of this process (`VmRSS`), KiB.
pub fn vm_rss_kib() -> Option<u64> {
    proc_field("/proc/self/status", "VmRSS")
}

/// Kernel memory that threads cost but `VmRSS` never shows: `KernelStack +
/// PageTables` from `/proc/meminfo`, KiB. System-wide, so keep the machine quiet.
pub fn kernel_kib() -> Option<u64> {
    Some(proc_field("/proc/meminfo", "KernelStack")? + proc_field("/proc/meminfo", "PageTables")?)
}

/// `MemAvailable` from `/proc/meminfo`: what can be allocated without
/// swapping, KiB.
pub fn mem_available_kib() -> Option<u64> {
    proc_field("/proc/meminfo", "MemAvailable")
}

/// Proportional set size of process `pid`, KiB: shared pages split among the
/// processes sharing them, so summing PSS over workers does not overcount.
pub fn pss_kib(pid: u32) -> Option<u64> {
    proc_field(&format!("/proc/{pid}/smaps_rollup"), "Pss")
}

/// Memory mappings this process has now (lines of `/proc/self/maps`).
pub fn map_count() -> Option<u64> {
    Some(
        std::fs::read_to_string("/proc/self/maps")
            .ok()?
            .lines()
            .count() as u64,
    )
}

/// `vm.max_map_count`: mappings per process (each thread stack costs some).
pub fn max_map_count() -> Option<u64> {
    proc_number("/proc/sys/vm/max_map_count")
}

/// `kernel.threads-max`: threads system-wide.
pub fn threads_max() -> Option<u64> {
    proc_number("/proc/sys/kernel/threads-max")
}

/// `kernel.pid_max`: threads + processes system-wide share this id space.
pub fn pid_max() -> Option<u64> {
    proc_number("/proc/sys/kernel/pid_max")
}

/// `(soft, hard)` limit on open file descriptors.
pub fn nofile_limit() -> (u64, u64) {
    rlimit(libc::RLIMIT_NOFILE)
}

/// `(soft, hard)` limit on processes + threads of this user.
pub fn nproc_limit() -> (u64, u64) {
    rlimit(libc::RLIMIT_NPROC)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Resource = libc::__rlimit_resource_t;
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
type Resource = libc::c_int;

// `rlim_t` is u64 on 64-bit Linux and macOS but not everywhere: keep the casts.
#[allow(clippy::unnecessary_cast)]
fn rlimit(resource: Resource) -> (u64, u64) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit; getrlimit only writes to it.
    let rc = unsafe { libc::getrlimit(resource, &mut lim) };
    if rc != 0 {
        return (u64::MAX, u64::MAX);
    }
    (lim.rlim_cur as u64, lim.rlim_max as u64)
}

/// Raise the soft `RLIMIT_NOFILE` to the hard limit (as servers do), so unit
/// counts are sized against the real ceiling. Returns the soft limit in force.
#[allow(clippy::unnecessary_cast)]
pub fn raise_nofile_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is valid for reads and writes for both calls.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 0;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max,
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim = raised;
            }
        }
    }
    lim.rlim_cur as u64
}

/// The longest Unix socket path: `sun_path` minus its terminating NUL
/// (107 bytes on Linux, 103 on macOS).
pub fn max_socket_path() -> usize {
    // SAFETY: sockaddr_un is plain old data; all-zero is a valid value.
    let addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_path.len() - 1
}

/// Check that ipc-channel can make its bootstrap socket in `TMPDIR`: the
/// directory exists, and `TMPDIR/.tmpXXXXXX/socket` fits in a socket path (a
/// longer one is silently truncated, and the child cannot connect). `Ok`:
/// the directory and that path's length; `Err`: what is wrong and what to do.
pub fn check_socket_dir() -> Result<(std::path::PathBuf, usize), String> {
    let dir = std::env::temp_dir();
    if !dir.is_dir() {
        return Err(format!(
            "TMPDIR={} is not an existing directory; ipc-channel makes its sockets there. \
             Create it or set TMPDIR=/tmp",
            dir.display()
        ));
    }
    // tempfile names the directory ".tmp" + 6 random characters.
    let len = dir.join(".tmpXXXXXX").join("socket").as_os_str().len();
    if len > max_socket_path() {
        return Err(format!(
            "TMPDIR={} is too long for a Unix socket path ({len} bytes with the socket's \
             name; the limit is {}). Set TMPDIR to a shorter directory, e.g. /tmp",
            dir.display(),
            max_socket_path()
        ));
    }
    Ok((dir, len))
}

/// The memory readings an `idle` run takes before parking its units, to be
/// compared with the same readings once they are parked.
#[derive(Debug, Clone, Copy)]
pub struct MemorySnapshot {
    rss_kib: Option<u64>,
    kernel_kib: Option<u64>,
}

impl MemorySnapshot {
    /// `VmRSS` of this process and the kernel's `KernelStack + PageTables`, now.
    pub fn now() -> Self {
        MemorySnapshot {
            rss_kib: vm_rss_kib(),
            kernel_kib: kernel_kib(),
        }
    }

    /// This snapshot as "before" and a new reading as "after".
    pub fn to_now(self) -> crate::record::Memory {
        let after = MemorySnapshot::now();
        crate::record::Memory {
            rss_before_kib: self.rss_kib,
            rss_after_kib: after.rss_kib,
            kernel_before_kib: self.kernel_kib,
            kernel_after_kib: after.kernel_kib,
            ..Default::default()
        }
    }
}

/// This process's OS threads now: the kernel's count of the entries of
/// `/proc/self/task`, read from the `Threads:` line of `/proc/self/status`.
///
/// Scenarios call it right after their last unit has started and before any
/// join, so "one OS thread" in a report is a count, not a configuration.
/// Listing `/proc/self/task` would cost ~1.6 ms at 1,000 threads and ~20 ms
/// at 5,000 (measured here); this line costs the same ~25 µs at any count.
pub fn os_threads() -> Option<u64> {
    proc_field("/proc/self/status", "Threads")
}

/// How many cores this machine really gives, measured as throughput.
///
/// The same fixed spin work takes `t1` on one thread, and `tW` when each of W
/// threads does it at once: effective cores = W x t1 / tW. A laptop on
/// battery, a VM whose host is busy, or a CPU quota can give fewer cores than
/// the process may use; CPU time would count a hyperthread as a whole core,
/// wall time does not. Takes about `5 x 2 x work` of wall time.
pub fn effective_cores(threads: usize, work: std::time::Duration) -> f64 {
    use std::time::Instant;
    let threads = threads.max(1);
    // Calibrate: how many spin rounds take `work` on one thread here.
    let calibrate = Instant::now();
    let mut rounds = 0u64;
    while calibrate.elapsed() < work {
        spin(10_000);
        rounds += 10_000;
    }
    let one = |rounds: u64| {
        let start = Instant::now();
        spin(rounds);
        start.elapsed()
    };
    let many = |rounds: u64| {
        let start = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(move || spin(rounds));
            }
        });
        start.elapsed()
    };
    // Five pairs, each a one-thread run next to a W-thread run, so both see
    // the same moment of a shared host; the median pair decides, so one
    // slow moment (the host taking a core away briefly) does not.
    let mut ratios: Vec<f64> = (0..5)
        .map(|_| {
            let t1 = one(rounds).as_secs_f64();
            let tw = many(rounds).as_secs_f64();
            if tw > 0.0 {
                threads as f64 * t1 / tw
            } else {
                threads as f64
            }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    // Never above W: a faster second run is noise, not a bonus core.
    ratios[ratios.len() / 2].min(threads as f64)
}

/// Work the optimiser cannot remove: a dependent chain of integer steps.
fn spin(rounds: u64) {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..rounds {
        x = std::hint::black_box(x.rotate_left(7) ^ i).wrapping_mul(0x2545_F491_4F6C_DD1D);
    }
    std::hint::black_box(x);
}

/// What one unit of a scenario costs in the resources that have a limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnitCost {
    /// Memory mappings per unit (a std thread: stack + guard page, about 2-4).
    pub mappings: u64,
    /// OS threads per unit (counted against `threads-max`, `pid_max`, `RLIMIT_NPROC`).
    pub threads: u64,
    /// File descriptors per unit (a socket, a pipe end).
    pub fds: u64,
}

/// Refuse, before starting, a run of `n` units that an OS limit would stop.
/// Keeps a margin of 10 % plus a fixed reserve for the runtime itself.
pub fn check_units(n: u64, cost: UnitCost) -> Result<(), LimitHit> {
    let need = |per: u64, reserve: u64| n.saturating_mul(per).saturating_add(reserve);
    let room = |limit: u64| limit - limit / 10;
    if cost.mappings > 0 {
        if let (Some(limit), Some(now)) = (max_map_count(), map_count()) {
            let need = need(cost.mappings, now + 64);
            if need > room(limit) {
                return Err(LimitHit::new(
                    "vm.max_map_count",
                    format!(
                        "{n} units need about {need} memory mappings; vm.max_map_count is {limit}"
                    ),
                ));
            }
        }
    }
    if cost.threads > 0 {
        for (name, limit) in [
            ("kernel.threads-max", threads_max()),
            ("kernel.pid_max", pid_max()),
        ] {
            if let Some(limit) = limit {
                if need(cost.threads, 256) > room(limit) {
                    return Err(LimitHit::new(
                        name,
                        format!(
                            "{n} units need {} threads; {name} is {limit}",
                            n * cost.threads
                        ),
                    ));
                }
            }
        }
        let (soft, _) = nproc_limit();
        // RLIMIT_NPROC does not apply to root, and counts all of the user's threads.
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 && need(cost.threads, 256) > room(soft) {
            return Err(LimitHit::new(
                "RLIMIT_NPROC",
                format!(
                    "{n} units need {} threads; ulimit -u is {soft}",
                    n * cost.threads
                ),
            ));
        }
    }
    if cost.fds > 0 {
        let (soft, _) = nofile_limit();
        if need(cost.fds, 64) > room(soft) {
            return Err(LimitHit::new(
                "RLIMIT_NOFILE",
                format!(
                    "{n} units need {} file descriptors; ulimit -n is {soft}",
                    n * cost.fds
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn proc_readings_are_plausible() {
        let rss = vm_rss_kib().expect("VmRSS on Linux");
        assert!(rss > 100 && rss < 10_000_000, "{rss}");
        assert!(kernel_kib().unwrap() > 0);
        assert!(pss_kib(std::process::id()).unwrap() > 0);
        assert!(map_count().unwrap() > 5);
    }

    #[test]
    fn absurd_unit_counts_hit_a_limit_first() {
        let hit = check_units(
            u64::MAX / 8,
            UnitCost {
                mappings: 4,
                threads: 1,
                fds: 0,
            },
        );
        #[cfg(target_os = "linux")]
        assert_eq!(hit.unwrap_err().limit, "vm.max_map_count");
        #[cfg(not(target_os = "linux"))]
        let _ = hit;
        let fds = check_units(
            u64::MAX / 8,
            UnitCost {
                fds: 1,
                ..UnitCost::default()
            },
        );
        assert_eq!(fds.unwrap_err().limit, "RLIMIT_NOFILE");
        assert!(check_units(
            10,
            UnitCost {
                mappings: 4,
                threads: 1,
                fds: 1
            }
        )
        .is_ok());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn os_threads_counts_live_threads() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        let parked: Vec<_> = (0..8)
            .map(|_| {
                let rx = std::sync::Arc::clone(&rx);
                std::thread::spawn(move || rx.lock().unwrap().recv().is_err())
            })
            .collect();
        // Eight parked threads plus this test's own: other tests may add more.
        assert!(os_threads().unwrap() >= 9);
        drop(tx);
        assert!(parked.into_iter().all(|t| t.join().unwrap()));
    }

    #[test]
    fn effective_cores_are_between_zero_and_w() {
        let e = effective_cores(2, std::time::Duration::from_millis(5));
        assert!(e > 0.0 && e <= 2.0, "{e}");
        let one = effective_cores(1, std::time::Duration::from_millis(2));
        assert!(one > 0.0 && one <= 1.0, "{one}");
    }

    #[test]
    fn raising_nofile_never_lowers_it() {
        let (before, hard) = nofile_limit();
        let after = raise_nofile_limit();
        assert!(after >= before && after <= hard);
    }
}
