//! The Python twins as model groups: the interpreters found on this machine
//! without being told, each a group that runs `python/twins.py` with sizes
//! of its own and its own baseline (`serial` for `cpu`, `threading`
//! otherwise).
//!
//! Discovery: `python3`, `python3.13t` and `python3.14t`, the first of each
//! on `PATH` (or on `CM_PYTHON_PATH` instead, so a test can point it at an
//! empty directory without emptying the `PATH` the build needs), plus every
//! interpreter `PYTHON` names (comma-separated). Each candidate is probed with
//! `-c`; one that fails (a pyenv shim for a version not installed) is absent
//! with the reason. The same interpreter found twice (by `sys.executable`)
//! is one group. With none found, one absent group, `python3`, stands for
//! them: its cells say why, and the run goes on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use super::group::{Baseline, GroupSizes, Launcher, ModelGroup};
use super::plan::{Selection, Size, Sizes, Spec};
use crate::proc::{self, Output};
use crate::project;
use crate::report::{CellKey, Interpreter, KeyParams, Points};

/// Searched instead of `PATH` for the interpreters, when set.
pub const SEARCH_VAR: &str = "CM_PYTHON_PATH";
/// More interpreters, comma-separated paths (or names looked up like the rest).
pub const LIST_VAR: &str = "PYTHON";
/// The names looked for on the search path, the first of each.
pub const NAMES: &[&str] = &["python3", "python3.13t", "python3.14t"];
/// What `--models python` selects: every Python group.
pub const FAMILY: &str = "python";

/// The program every Python group runs, relative to the workspace root.
pub const PROGRAM: &str = "python/twins.py";

/// What a probe learns: printed as JSON by the interpreter itself.
const PROBE: &str = "import json, platform, sys, sysconfig
print(json.dumps({'executable': sys.executable, 'version': platform.python_version(),
  'implementation': sys.implementation.name, 'major': sys.version_info[0], 'minor': sys.version_info[1],
  'gil': bool(getattr(sys, '_is_gil_enabled', lambda: True)()),
  'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))";

#[derive(Debug, Deserialize)]
struct Probe {
    executable: String,
    version: String,
    implementation: String,
    major: u32,
    minor: u32,
    gil: bool,
    free_threaded: bool,
}

/// Sizes for CPython: the prime kernel runs tens of times slower than in
/// Rust, so `cpu` n is 300,000 by default, sized so one `serial` run stays
/// under half a second on a 2-core laptop (about 0.37 s here; its cell's
/// `cpu_s` says what it took), large enough that a Pool's hand-off of 256
/// chunks (four to a message) does not hide its speedup, and small enough that the group stays
/// within about 30 s; `spawn` and `idle` run at a couple of hundred units,
/// since a process per unit costs milliseconds each and dominates the group's
/// time.
pub fn sizes() -> GroupSizes {
    GroupSizes {
        quick: Sizes {
            cpu_n: 20_000,
            sleep: (20, 10),
            net: (5, 3, 2),
            spawn_n: 20,
            idle_n: &[10, 40],
            pingpong_n: 500,
        },
        default: Sizes {
            cpu_n: 300_000,
            sleep: (500, 50),
            net: (50, 10, 5),
            spawn_n: 200,
            idle_n: &[50, 200],
            pingpong_n: 5_000,
        },
        full: Sizes {
            cpu_n: 500_000,
            sleep: (5_000, 50),
            net: (500, 20, 10),
            spawn_n: 2_000,
            idle_n: &[300, 1_000],
            pingpong_n: 50_000,
        },
        default_scenarios: Some(&["cpu", "sleep", "spawn", "idle"]),
        default_cpu_both_ends: false,
    }
}

/// A Python group's baseline: its own `serial` for `cpu`, its own
/// `threading` (a thread per unit) otherwise.
pub fn baseline(name: &str) -> Baseline {
    Baseline {
        model: name.into(),
        cpu: "serial".into(),
        other: "threading".into(),
    }
}

/// The interpreters found, and those that were candidates but cannot run.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub found: Vec<Interpreter>,
    /// Candidates whose probe failed, each with the reason.
    pub absent: Vec<Interpreter>,
    /// Where the names were looked for, for the "not found" reason.
    pub searched: String,
}

/// Discovery from the environment: `CM_PYTHON_PATH` (or `PATH`) and `PYTHON`.
pub fn discover_from_env() -> Discovery {
    let (var, dirs) = match std::env::var_os(SEARCH_VAR) {
        Some(d) => (SEARCH_VAR, d),
        None => ("PATH", std::env::var_os("PATH").unwrap_or_default()),
    };
    let dirs: Vec<PathBuf> = std::env::split_paths(&dirs).collect();
    let extra: Vec<String> = std::env::var(LIST_VAR)
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let mut d = discover(&dirs, &extra);
    d.searched = var.into();
    d
}

/// The first executable file called `name` in `dirs`.
fn which(name: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    dirs.iter().map(|d| d.join(name)).find(|p| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// Find and probe the interpreters: `NAMES` in `dirs`, then `extra` (a path,
/// or a name looked up in `dirs`).
pub fn discover(dirs: &[PathBuf], extra: &[String]) -> Discovery {
    let mut candidates: Vec<(String, Option<PathBuf>)> = NAMES
        .iter()
        .filter_map(|n| which(n, dirs).map(|p| (n.to_string(), Some(p))))
        .collect();
    for e in extra {
        let path = if e.contains('/') {
            Some(PathBuf::from(e))
        } else {
            which(e, dirs)
        };
        candidates.push((e.clone(), path));
    }
    let mut d = Discovery::default();
    for (asked, path) in candidates {
        let Some(path) = path else {
            d.absent.push(absent(&asked, format!("{asked} not found")));
            continue;
        };
        match probe(&path) {
            Ok(p) => {
                let executable = if p.executable.is_empty() {
                    path.display().to_string()
                } else {
                    p.executable.clone()
                };
                if d.found
                    .iter()
                    .any(|i| i.executable.as_deref() == Some(executable.as_str()))
                {
                    continue;
                }
                let mut name = format!(
                    "python{}.{}{}",
                    p.major,
                    p.minor,
                    if p.free_threaded { "t" } else { "" }
                );
                if d.found.iter().any(|i| i.name == name) {
                    name = format!("{name}@{executable}");
                }
                d.found.push(Interpreter {
                    name,
                    path: path.display().to_string(),
                    executable: Some(executable),
                    version: Some(p.version),
                    implementation: Some(p.implementation),
                    gil: Some(p.gil),
                    free_threaded: Some(p.free_threaded),
                    absent: None,
                });
            }
            Err(why) => d.absent.push(absent(&path.display().to_string(), why)),
        }
    }
    d
}

fn absent(path: &str, why: String) -> Interpreter {
    Interpreter {
        name: path.into(),
        path: path.into(),
        absent: Some(why),
        ..Interpreter::default()
    }
}

/// Run the interpreter's `-c` probe: what it is, or why it cannot be used.
fn probe(path: &Path) -> Result<Probe, String> {
    let mut cmd = Command::new(path);
    cmd.args(["-B", "-c", PROBE]).current_dir(project::root());
    let shown = path.display();
    let done = proc::run(&mut cmd, Duration::from_secs(30), Output::Capture)
        .map_err(|e| format!("{shown}: could not start: {e}"))?;
    if !done.success() {
        return Err(format!(
            "{shown}: its probe failed: {}",
            done.last_error_line()
        ));
    }
    let p: Probe = serde_json::from_str(done.stdout.trim())
        .map_err(|e| format!("{shown}: its probe printed no answer ({e})"))?;
    if (p.major, p.minor) < (3, 9) {
        return Err(format!(
            "{shown}: Python {} is too old (the twins need 3.9 or newer)",
            p.version
        ));
    }
    Ok(p)
}

impl Discovery {
    /// Why no interpreter runs, for the absent group's cells.
    pub fn none_reason(&self) -> String {
        let mut why = format!("python3 not found (searched {})", self.searched_or_path());
        for a in &self.absent {
            why += &format!("; {}", a.absent.as_deref().unwrap_or("?"));
        }
        why
    }

    fn searched_or_path(&self) -> &str {
        if self.searched.is_empty() {
            "PATH"
        } else {
            &self.searched
        }
    }

    /// The model groups: one per interpreter found, or one absent `python3`.
    pub fn groups(&self) -> Vec<ModelGroup> {
        let program = project::root().join(PROGRAM).display().to_string();
        if self.found.is_empty() {
            return vec![ModelGroup {
                name: "python3".into(),
                launcher: Launcher::Absent(self.none_reason()),
                sizes: Some(sizes()),
                baseline: baseline("python3"),
            }];
        }
        self.found
            .iter()
            .map(|i| ModelGroup {
                name: i.name.clone(),
                launcher: Launcher::Command(vec![
                    i.executable.clone().unwrap_or_else(|| i.path.clone()),
                    "-B".into(),
                    program.clone(),
                ]),
                sizes: Some(sizes()),
                baseline: baseline(&i.name),
            })
            .collect()
    }

    /// The interpreters to record in the report's environment: those of the
    /// wanted groups and those left out, or the one absent `python3`.
    pub fn in_run(&self, wanted: &[String]) -> Vec<Interpreter> {
        if self.found.is_empty() {
            return vec![absent("python3", self.none_reason())];
        }
        (self.found.iter())
            .filter(|i| wanted.contains(&i.name))
            .chain(&self.absent)
            .cloned()
            .collect()
    }

    /// Warnings for the report: candidates that could not run.
    pub fn warnings(&self) -> Vec<String> {
        if self.found.is_empty() {
            return Vec::new();
        }
        self.absent
            .iter()
            .map(|a| {
                format!(
                    "a Python interpreter was left out: {}",
                    a.absent.as_deref().unwrap_or("?")
                )
            })
            .collect()
    }
}

/// `--models python` stands for every Python group.
pub fn expand_family(asked: &[String], all: &[ModelGroup]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in asked {
        let names: Vec<String> = if a == FAMILY {
            all.iter()
                .filter(|g| is_python(&g.name))
                .map(|g| g.name.clone())
                .collect()
        } else {
            vec![a.clone()]
        };
        for n in names {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// A Python group's name (`python3.11`, `python3.13t`, `python3`).
pub fn is_python(name: &str) -> bool {
    name.starts_with(FAMILY)
}

/// Add threads `serial` at the Python `cpu` n to `specs` when a wanted
/// Python group really runs (claim 15; see [`reference_specs`]).
pub fn add_reference(
    specs: &mut Vec<Spec>,
    sel: &Selection,
    size: &Size,
    groups: &std::collections::BTreeMap<String, super::group::Group>,
    wanted: &[String],
) {
    let runs_python = (wanted.iter())
        .filter(|w| is_python(w))
        .any(|w| groups.get(w).is_some_and(|g| !g.argv.is_empty()));
    let Some(threads) = groups.get("threads").filter(|_| runs_python) else {
        return;
    };
    let have: Vec<_> = specs.iter().map(|s| s.key.clone()).collect();
    let n = [cpu_n(sel, size)];
    specs.extend(reference_specs(sel, size, &n, &threads.argv, &have));
}

/// Threads `serial` at each wanted Python group's `cpu` n, so the
/// interpreter's cost is measured beside it (claim 15). `threads`: the
/// resolved threads group's argv; `have`: the keys already planned.
pub fn reference_specs(
    sel: &Selection,
    size: &Size,
    python_n: &[u64],
    threads_argv: &[String],
    have: &[CellKey],
) -> Vec<Spec> {
    if !(sel.scenarios.is_empty() || sel.scenarios.iter().any(|s| s == "cpu")) {
        return Vec::new();
    }
    let repeats = sel.repeats.unwrap_or(size.repeats_cpu);
    let mut specs: Vec<Spec> = Vec::new();
    for &n in python_n {
        let key = CellKey {
            model: "threads".into(),
            scenario: "cpu".into(),
            variant: "serial".into(),
            params: KeyParams {
                workers: None,
                n: Points::One(n),
                delay_ms: None,
                rounds: None,
            },
        };
        if have.contains(&key) || specs.iter().any(|s| s.key == key) {
            continue;
        }
        specs.push(Spec {
            key,
            argv: threads_argv.to_vec(),
            points: vec![n],
            repeats,
            min_repeats: 7.min(repeats),
        });
    }
    specs
}

/// The `cpu` n a Python group runs at this size (or the learner's `--n`).
pub fn cpu_n(sel: &Selection, size: &Size) -> u64 {
    sel.n.unwrap_or(match size.name {
        "quick" => sizes().quick.cpu_n,
        "full" => sizes().full.cpu_n,
        _ => sizes().default.cpu_n,
    })
}

/// Run the Python program's own tests (`python/test_twins.py`) with the
/// first interpreter found: `Ok(Err(why))` when there is none.
pub fn own_tests() -> crate::Result<Result<bool, String>> {
    let found = discover_from_env();
    let Some(py) = found.found.first() else {
        return Ok(Err(found.none_reason()));
    };
    let exe = py.executable.clone().unwrap_or_else(|| py.path.clone());
    println!("with {}", py.describe());
    let mut cmd = Command::new(exe);
    cmd.args([
        "-B", "-m", "unittest", "discover", "-s", "python", "-t", "python",
    ])
    .current_dir(project::root());
    // A hang detector: the suite takes well under a minute.
    let done = proc::run(&mut cmd, Duration::from_secs(300), Output::Inherit)?;
    Ok(Ok(done.success()))
}

#[cfg(test)]
#[path = "python_tests.rs"]
mod tests;
