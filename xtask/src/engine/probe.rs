//! The machine probe: what the report says about where it ran.

use std::process::Command;

use crate::project;
use crate::report::{Environment, Limits};

pub fn environment() -> Environment {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .map(|s| s.trim().to_string())
    };
    let cpu_model = read("/proc/cpuinfo").and_then(|t| {
        t.lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
    });
    let capture = |cmd: &mut Command| {
        cmd.output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let git_commit = capture(
        Command::new("git")
            .args(["rev-parse", "--short", "HEAD"])
            .current_dir(project::root()),
    )
    .map(|c| {
        let dirty = capture(
            Command::new("git")
                .args(["status", "--porcelain"])
                .current_dir(project::root()),
        )
        .is_some_and(|s| !s.is_empty());
        if dirty {
            format!("{c} (with uncommitted changes)")
        } else {
            c
        }
    });
    let mut load = [0f64; 3];
    // SAFETY: `load` has room for the 3 samples asked for.
    let load_average = (unsafe { libc::getloadavg(load.as_mut_ptr(), 3) } >= 1).then_some(load[0]);
    let (nofile_soft, nofile_hard) = workloads::sys::nofile_limit();
    Environment {
        os: std::env::consts::OS.into(),
        arch: std::env::consts::ARCH.into(),
        cores: project::cores(),
        cpu_model,
        kernel: read("/proc/sys/kernel/osrelease"),
        rustc: capture(Command::new("rustc").arg("-V")),
        git_commit,
        load_average,
        limits: Limits {
            nofile_soft,
            nofile_hard,
            nproc_soft: workloads::sys::nproc_limit().0,
            max_map_count: workloads::sys::max_map_count(),
            threads_max: workloads::sys::threads_max(),
            pid_max: workloads::sys::pid_max(),
        },
    }
}
