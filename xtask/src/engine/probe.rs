//! The machine probe: what the report says about where it ran, and how many
//! cores the machine really gives.

use std::process::Command;
use std::time::Duration;

use crate::project;
use crate::report::{EffectiveCores, Environment, Limits};

/// Effective cores over all the cores this process may use: W x t1 / tW
/// (`workloads::sys::effective_cores`), about 0.7 s of spinning.
pub fn effective_cores() -> f64 {
    workloads::sys::effective_cores(project::cores(), Duration::from_millis(60))
}

/// What the environment says about trusting this run's figures.
pub fn warnings(e: &Environment) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(load) = e.load_average {
        if load > 0.5 * e.cores as f64 {
            warnings.push(format!(
                "the machine was busy at start (load average {load:.2} on {} cores): figures may be noisy",
                e.cores
            ));
        }
    }
    warnings.extend(cores_warning(e.cores, &e.effective_cores));
    warnings
}

/// A warning when the machine gave clearly fewer cores than it allows:
/// below 0.75 x the allowed cores at the start or the end of the run.
pub fn cores_warning(cores: usize, e: &EffectiveCores) -> Option<String> {
    let low = e.low()?;
    (cores > 1 && low < 0.75 * cores as f64).then(|| {
        format!(
            "the machine gave {low:.2} effective cores of the {cores} this process may use (measured {} at the start, {} at the end): another process is using the CPU, so parallel speedups are capped near {low:.1}x",
            e.start.map_or("n/a".into(), |x| format!("{x:.2}")),
            e.end.map_or("n/a".into(), |x| format!("{x:.2}")),
        )
    })
}

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
        effective_cores: EffectiveCores::default(),
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
            mem_available_kib: workloads::sys::mem_available_kib(),
        },
        interpreters: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_effective_cores_are_named_in_a_warning() {
        let busy = EffectiveCores {
            start: Some(1.96),
            end: Some(1.21),
        };
        let w = cores_warning(2, &busy).unwrap();
        assert!(
            w.contains("1.21 effective cores of the 2") && w.contains("1.96"),
            "{w}"
        );
        let quiet = EffectiveCores {
            start: Some(1.97),
            end: Some(1.9),
        };
        assert_eq!(cores_warning(2, &quiet), None);
        assert_eq!(
            cores_warning(1, &busy),
            None,
            "one core has nothing to share"
        );
    }
}
