//! `cargo xtask doctor [--build]`: is this laptop ready for the workshop?
//!
//! One line per check, each saying what to fix. Failures (the Rust path
//! cannot work: an old rustc, a limit that cuts lessons or scenarios, a
//! TMPDIR ipc-channel cannot use, no disk, dependencies not downloaded)
//! make it exit 1; warnings (fewer effective cores than allowed, no python3,
//! no gevent, no free-threaded CPython) do not, since the Rust path does not
//! need them. `--build` also builds everything offline, so the day starts
//! with nothing left to download or compile.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use clap::Args;

use crate::engine::{plan, probe};
use crate::proc::{self, Output};
use crate::project;
use crate::{Error, Result};

#[derive(Args)]
pub struct DoctorArgs {
    /// Also build every lesson, test and model binary offline (minutes on a cold laptop).
    #[arg(long)]
    pub build: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

/// One line of the report: what was checked, what was found, what to do.
#[derive(Debug)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub found: String,
    pub fix: Option<String>,
}

impl Check {
    fn ok(name: &'static str, found: impl Into<String>) -> Self {
        Check {
            name,
            status: Status::Ok,
            found: found.into(),
            fix: None,
        }
    }
    fn with(
        name: &'static str,
        status: Status,
        found: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Check {
            name,
            status,
            found: found.into(),
            fix: Some(fix.into()),
        }
    }
}

pub fn main(args: &DoctorArgs) -> Result<()> {
    let mut checks = vec![rustc(), cores()];
    checks.extend(limits(&Limits::read()));
    checks.push(tmpdir());
    checks.push(disk());
    checks.push(dependencies());
    checks.extend(python());
    if args.build
        && checks
            .iter()
            .all(|c| c.name != "dependencies" || c.status == Status::Ok)
    {
        checks.push(build());
    }
    for c in &checks {
        let mark = match c.status {
            Status::Ok => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
        };
        println!("{mark} {:<13} {}", c.name, c.found);
        if let Some(fix) = &c.fix {
            println!("  {:<13} → {fix}", "");
        }
    }
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.name)
        .collect();
    if failed.is_empty() {
        println!(
            "\nReady: every check passed{}.",
            if checks.iter().any(|c| c.status == Status::Warn) {
                " (the warnings `!` are optional)"
            } else {
                ""
            }
        );
        Ok(())
    } else {
        Err(Error::failed(format!(
            "not ready: fix {}",
            failed.join(", ")
        )))
    }
}

/// rustc against the workspace's `rust-version`.
fn rustc() -> Check {
    let wanted = std::fs::read_to_string(project::root().join("Cargo.toml"))
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| {
            t.get("workspace")?
                .get("package")?
                .get("rust-version")?
                .as_str()
                .map(String::from)
        });
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let have = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match (have, wanted) {
        (None, _) => Check::with(
            "rustc",
            Status::Fail,
            "rustc not found",
            "install Rust with rustup: https://rustup.rs",
        ),
        (Some(have), None) => Check::ok("rustc", have),
        (Some(have), Some(wanted)) => {
            let version = have.split_whitespace().nth(1).unwrap_or("");
            if version_at_least(version, &wanted) {
                Check::ok("rustc", format!("{have} (needs {wanted} or newer)"))
            } else {
                Check::with(
                    "rustc",
                    Status::Fail,
                    format!("{have}, older than the {wanted} this workspace needs"),
                    "rustup update stable",
                )
            }
        }
    }
}

/// `1.95.0` >= `1.95`, comparing numbers, not text (`1.100` > `1.95`).
pub fn version_at_least(have: &str, wanted: &str) -> bool {
    let parts =
        |v: &str| -> Vec<u64> { v.split(['.', '-']).map_while(|p| p.parse().ok()).collect() };
    let (h, w) = (parts(have), parts(wanted));
    !h.is_empty()
        && (0..w.len())
            .map(|i| h.get(i).copied().unwrap_or(0))
            .cmp(w.iter().copied())
            .is_ge()
}

/// The cores this process may use, and how many the machine really gives.
fn cores() -> Check {
    let cores = project::cores();
    let effective = probe::effective_cores();
    let found = format!("{cores} allowed, {effective:.2} effective (measured now)");
    if cores > 1 && effective < 0.75 * cores as f64 {
        Check::with("cores", Status::Warn, found, "something else is using the CPU: close it before `cargo xtask compare`, or expect parallel speedups near the effective figure")
    } else if cores < 2 {
        Check::with(
            "cores",
            Status::Warn,
            found,
            "one core runs every lesson, but no parallel speedup can show; give the VM 2 or more",
        )
    } else {
        Check::ok("cores", found)
    }
}

/// The OS limits that bind first, read once so tests can make up their own.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub nofile_soft: u64,
    pub nofile_hard: u64,
    pub threads_max: Option<u64>,
    pub pid_max: Option<u64>,
    pub max_map_count: Option<u64>,
}

impl Limits {
    pub fn read() -> Self {
        let (nofile_soft, nofile_hard) = workloads::sys::nofile_limit();
        Limits {
            nofile_soft,
            nofile_hard,
            threads_max: workloads::sys::threads_max(),
            pid_max: workloads::sys::pid_max(),
            max_map_count: workloads::sys::max_map_count(),
        }
    }
}

/// Something of the project that needs an amount of a limited resource.
pub struct Need {
    pub what: String,
    pub amount: u64,
    /// Whether it raises the soft `ulimit -n` to the hard limit first (compare does).
    pub raises_soft: bool,
}

/// The limit a need of `units x per + reserve` asks for under the rule the
/// model binaries apply before starting (`workloads::sys::check_units`):
/// the need must fit in 90 % of the limit.
fn limit_for(units: u64, per: u64, reserve: u64) -> u64 {
    (units * per + reserve).div_ceil(9) * 10
}

/// File descriptors: the default comparison's largest needs (from its sizes)
/// and the lessons that open many at once. The lessons' figures are the
/// smallest `ulimit -n` each was seen to pass under (Linux, 2 cores), rounded up.
pub fn fd_needs() -> Vec<Need> {
    let s = &plan::DEFAULT.sizes;
    let (clients, ..) = s.net;
    let mut needs = vec![Need {
        what: format!("compare: the `net` scenario ({clients} clients, a socket each)"),
        amount: limit_for(clients, 1, 64),
        raises_soft: true,
    }];
    for (lesson, amount) in [
        ("threads/14_io_threads", 80),
        ("processes/08_process_pool", 80),
        ("processes/15_process_memory", 128),
        ("async/05_thousand_connections", 256),
    ] {
        needs.push(Need {
            what: format!("lesson {lesson}"),
            amount,
            raises_soft: lesson.ends_with("05_thousand_connections"),
        });
    }
    needs
}

/// Threads (against `threads-max` and `pid_max`) and memory mappings
/// (against `vm.max_map_count`) of the default comparison's largest cells:
/// `idle` and `spawn` with an OS thread (2 MiB stack + guard: ~4 mappings) per unit.
pub fn thread_needs() -> (Need, Need) {
    let s = &plan::DEFAULT.sizes;
    let most = s
        .idle_n
        .iter()
        .copied()
        .chain([s.spawn_n, s.sleep.0])
        .max()
        .unwrap_or(0);
    (
        Need {
            what: format!("compare: `idle`/`spawn` with {most} OS threads"),
            amount: limit_for(most, 1, 256),
            raises_soft: false,
        },
        Need {
            what: format!("compare: `idle`/`spawn` with {most} OS threads (~4 mappings each)"),
            amount: limit_for(most, 4, 1024),
            raises_soft: false,
        },
    )
}

/// One line per limit; a limit below a need fails and names what it cuts.
pub fn limits(l: &Limits) -> Vec<Check> {
    let mut checks = Vec::new();
    let needs = fd_needs();
    let cut: Vec<&Need> = needs
        .iter()
        .filter(|n| {
            n.amount
                > if n.raises_soft {
                    l.nofile_hard
                } else {
                    l.nofile_soft
                }
        })
        .collect();
    let found = format!("soft {}, hard {}", show(l.nofile_soft), show(l.nofile_hard));
    checks.push(if cut.is_empty() {
        Check::ok("ulimit -n", found)
    } else {
        let what: Vec<String> = cut.iter().map(|n| format!("{} (needs {})", n.what, n.amount)).collect();
        let most = cut.iter().map(|n| n.amount).max().unwrap_or(0);
        Check::with(
            "ulimit -n",
            Status::Fail,
            format!("{found}: too low for {}", what.join("; ")),
            format!("raise it before the workshop: `ulimit -n {}` in the shell (or `nofile` in /etc/security/limits.conf)", most.max(1024)),
        )
    });
    let (threads, mappings) = thread_needs();
    for (name, limit, need, fix) in [
        (
            "threads-max",
            l.threads_max,
            &threads,
            "sysctl -w kernel.threads-max=N (as root)",
        ),
        (
            "pid_max",
            l.pid_max,
            &threads,
            "sysctl -w kernel.pid_max=N (as root)",
        ),
        (
            "max_map_count",
            l.max_map_count,
            &mappings,
            "sysctl -w vm.max_map_count=N (as root)",
        ),
    ] {
        checks.push(match limit {
            None => Check::with(
                name,
                Status::Warn,
                "n/a on this OS",
                "the comparison reports a limit when it hits one",
            ),
            Some(v) if v < need.amount => Check::with(
                name,
                Status::Fail,
                format!("{v}: too low for {} (needs {})", need.what, need.amount),
                fix.replace('N', &need.amount.to_string()),
            ),
            Some(v) => Check::ok(name, v.to_string()),
        });
    }
    checks
}

fn show(v: u64) -> String {
    if v == u64::MAX || v >= 1 << 40 {
        "unlimited".into()
    } else {
        v.to_string()
    }
}

/// ipc-channel makes its bootstrap socket under TMPDIR: the directory must
/// exist, leave room for the socket's name (`workloads::sys::check_socket_dir`,
/// the check the processes model runs), and be writable.
fn tmpdir() -> Check {
    let (dir, len) = match workloads::sys::check_socket_dir() {
        Ok(ok) => ok,
        Err(why) => return Check::with("TMPDIR", Status::Fail, why, "`export TMPDIR=/tmp`"),
    };
    let found = dir.display().to_string();
    let probe = dir.join(format!(".cm-doctor-{}", std::process::id()));
    if std::fs::write(&probe, b"").is_err() {
        return Check::with(
            "TMPDIR",
            Status::Fail,
            format!("{found} is not writable"),
            "`export TMPDIR=/tmp` or fix its permissions",
        );
    }
    let _ = std::fs::remove_file(&probe);
    let most = workloads::sys::max_socket_path();
    Check::ok(
        "TMPDIR",
        format!("{found} (socket paths {len} of {most} bytes)"),
    )
}

/// Free space where `target/` lives: a full build and test run fills several GiB.
fn disk() -> Check {
    const NEED_GIB: f64 = 8.0;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| project::root().join("target"), Into::into);
    let at = if target.exists() {
        target.clone()
    } else {
        project::root()
    };
    match free_gib(&at) {
        None => Check::with("disk", Status::Warn, "free space unknown", format!("keep {NEED_GIB:.0} GiB free for {}", target.display())),
        Some(free) if free < NEED_GIB => Check::with("disk", Status::Fail, format!("{free:.1} GiB free at {}", at.display()), format!("free {NEED_GIB:.0} GiB: a full build and `cargo xtask test` write that much to target/")),
        Some(free) => Check::ok("disk", format!("{free:.1} GiB free at {}", at.display())),
    }
}

fn free_gib(path: &Path) -> Option<f64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path; statvfs only writes to `st`.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)]
    Some(st.f_bavail as f64 * st.f_frsize as f64 / (1u64 << 30) as f64)
}

/// `cargo metadata --offline` reads every dependency's manifest: it succeeds
/// only when `cargo fetch` has downloaded them all.
fn dependencies() -> Check {
    let mut cmd = project::cargo();
    cmd.args(["metadata", "--offline", "--format-version", "1", "--quiet"]);
    match proc::run(&mut cmd, Duration::from_secs(120), Output::Capture) {
        Ok(done) if done.success() => Check::ok(
            "dependencies",
            "downloaded (`cargo metadata --offline` works)",
        ),
        Ok(done) => Check::with(
            "dependencies",
            Status::Fail,
            format!("not all downloaded: {}", done.last_error_line()),
            "run `cargo fetch` while the network works",
        ),
        Err(e) => Check::with(
            "dependencies",
            Status::Fail,
            format!("cargo did not run: {e}"),
            "install Rust with rustup: https://rustup.rs",
        ),
    }
}

/// Everything `cargo xtask test` and `compare` build, offline.
fn build() -> Check {
    for args in [
        &["build", "--offline", "--workspace", "--all-targets"][..],
        &["build", "--offline", "--release", "--workspace", "--bins"][..],
    ] {
        println!("building: cargo {}", args.join(" "));
        let mut cmd = project::cargo();
        cmd.args(args);
        match proc::run(&mut cmd, Duration::from_secs(3600), Output::Inherit) {
            Ok(done) if done.success() => {}
            Ok(done) => {
                return Check::with(
                    "build",
                    Status::Fail,
                    format!(
                        "`cargo {}` failed ({})",
                        args.join(" "),
                        done.describe(Duration::from_secs(3600))
                    ),
                    "read the compiler's message above",
                )
            }
            Err(e) => {
                return Check::with(
                    "build",
                    Status::Fail,
                    e.to_string(),
                    "install Rust with rustup",
                )
            }
        }
    }
    Check::ok("build", "every lesson, test and model binary built offline")
}

/// The Python twins' interpreters, found as `compare` finds them (`python3`
/// and free-threaded builds on `PATH`, any in `PYTHON`), and gevent in each:
/// warnings only, since the Rust path needs none of them.
fn python() -> Vec<Check> {
    let found = crate::engine::python::discover_from_env();
    let mut checks = Vec::new();
    if found.found.is_empty() {
        checks.push(Check::with(
            "python3",
            Status::Warn,
            found.none_reason(),
            "optional: install CPython 3.9+ to see the Python twins beside the Rust models",
        ));
    }
    for py in &found.found {
        let exe = py.executable.clone().unwrap_or_else(|| py.path.clone());
        checks.push(Check::ok("python3", py.describe()));
        let mut cmd = Command::new(&exe);
        cmd.args(["-B", "-c", "import gevent; print(gevent.__version__)"]);
        let gevent = proc::run(&mut cmd, Duration::from_secs(20), Output::Capture)
            .ok()
            .filter(|d| d.success());
        checks.push(match gevent {
            Some(d) => Check::ok("gevent", format!("{} in {}", d.stdout.trim(), py.name)),
            None => Check::with(
                "gevent",
                Status::Warn,
                format!("not installed in {}", py.name),
                "optional: `python3 -m pip install gevent` (in a venv, named in PYTHON=) adds the gevent cells",
            ),
        });
    }
    for py in &found.absent {
        checks.push(Check::with(
            "python3",
            Status::Warn,
            format!(
                "{} cannot run: {}",
                py.path,
                py.absent.as_deref().unwrap_or("?")
            ),
            "optional: fix or remove it, or leave it: the comparison skips it",
        ));
    }
    if !found.found.iter().any(|p| p.gil == Some(false)) {
        checks.push(Check::with(
            "free-threaded",
            Status::Warn,
            "no free-threaded CPython (python3.13t, python3.14t) found",
            "optional: `uv python install 3.13t` (see python/README.md) shows the GIL claim without a GIL",
        ));
    }
    checks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_at_least("1.95.0", "1.95"));
        assert!(version_at_least("1.100.0", "1.95"));
        assert!(version_at_least("2.0.0-nightly", "1.95"));
        assert!(!version_at_least("1.94.1", "1.95"));
        assert!(!version_at_least("", "1.95"));
    }

    fn limits_with(nofile: u64) -> Limits {
        Limits {
            nofile_soft: nofile,
            nofile_hard: nofile,
            threads_max: Some(100_000),
            pid_max: Some(4_194_304),
            max_map_count: Some(65_530),
        }
    }

    #[test]
    fn a_low_fd_limit_fails_and_names_what_it_cuts() {
        let checks = limits(&limits_with(64));
        let fd = checks.iter().find(|c| c.name == "ulimit -n").unwrap();
        assert_eq!(fd.status, Status::Fail);
        for cut in [
            "net",
            "threads/14_io_threads",
            "async/05_thousand_connections",
        ] {
            assert!(fd.found.contains(cut), "{cut} missing from: {}", fd.found);
        }
        assert!(fd.fix.as_deref().unwrap().contains("ulimit -n"));
    }

    #[test]
    fn usual_limits_pass() {
        let checks = limits(&limits_with(1024));
        assert!(checks.iter().all(|c| c.status == Status::Ok), "{checks:?}");
    }

    #[test]
    fn a_low_map_count_names_the_threads_it_cannot_map() {
        let mut l = limits_with(1024);
        l.max_map_count = Some(4096);
        let checks = limits(&l);
        let maps = checks.iter().find(|c| c.name == "max_map_count").unwrap();
        assert_eq!(maps.status, Status::Fail);
        assert!(maps.found.contains("OS threads"), "{}", maps.found);
    }

    #[test]
    fn the_lessons_it_names_exist() {
        for need in fd_needs()
            .iter()
            .filter_map(|n| n.what.strip_prefix("lesson "))
        {
            let (model, stem) = need.split_once('/').unwrap();
            let path = project::root().join(format!("examples-{model}/examples/{stem}.rs"));
            assert!(
                path.exists(),
                "doctor names {need}, but {} does not exist",
                path.display()
            );
        }
    }
}
