//! The Ctrl-C check `cargo xtask test` runs: a real `cargo xtask compare`
//! interrupted while a cell is running must kill that run, write a report
//! marked partial with what was measured, exit 130, and leave no process.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::engine::build::target_dir;
use crate::report;

/// Processes whose parent is `parent` and whose command line contains `word`.
fn children_running(parent: u32, word: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // The fields after the command's ")": state, then the parent's pid.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid == Some(parent) && String::from_utf8_lossy(&cmdline).contains(word)
        })
        .collect()
}

fn alive(pid: u32) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    !(stat.is_empty() || stat.contains(") Z ") || stat.contains(") X "))
}

/// Interrupt a compare run mid-cell; Ok with what happened, or what went wrong.
pub fn check() -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args(["compare", "--models", "threads", "--scenarios", "cpu"])
        .args(["--n", "3000000", "--repeats", "5"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    let outcome = (|| {
        // Wait until a cell's run is in flight, so the interrupt lands mid-run.
        let running = loop {
            if let Some(&run) = children_running(pid, "run").first() {
                break run;
            }
            if Instant::now() > deadline || child.try_wait().ok().flatten().is_some() {
                return Err("no cell started within 120 s".to_string());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        std::thread::sleep(Duration::from_millis(300));
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid as i32, libc::SIGINT) };
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if Instant::now() > deadline {
                return Err("compare did not end within 120 s of Ctrl-C".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if status.code() != Some(130) {
            return Err(format!(
                "compare ended with {status} after Ctrl-C, not exit code 130"
            ));
        }
        if alive(running) {
            return Err(format!("the run in flight ({running}) outlived Ctrl-C"));
        }
        let r =
            report::read(&target_dir().join("compare/latest/report.json")).map_err(|e| e.msg)?;
        let measured: usize = r.cells.iter().map(|c| c.samples.len()).sum();
        if !r.partial || !r.warnings.iter().any(|w| w.contains("interrupted")) {
            return Err("the report after Ctrl-C is not marked partial".into());
        }
        Ok(format!(
            "exit 130, a partial report of {} cells with {measured} measured points, run {running} killed",
            r.cells.len()
        ))
    })();
    if outcome.is_err() {
        let _ = child.kill();
    }
    let _ = child.wait();
    outcome
}
