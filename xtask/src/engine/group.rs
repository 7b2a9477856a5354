//! Model groups: what a comparison runs as one model. A group has a launcher
//! (a Cargo package's binary, or a command line such as an interpreter and a
//! script), optionally sizes of its own, and a baseline its ratios are
//! against. The crates are discovered as groups; others (the Python twins)
//! join by adding a group, without touching the planner.

use workloads::record::Catalogue;

use super::plan::Sizes;
use crate::project::Model;

/// How a group's contract binary is started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launcher {
    /// The binary of this Cargo package (`examples-threads`), built in release.
    Cargo { package: String },
    /// A command line run as is, e.g. `["python3", "-B", "python/twins.py"]`;
    /// `scenarios` or `run ...` is appended (the Python twins' interpreters).
    Command(Vec<String>),
    /// Nothing to run here, and why ("python3 not found"): the group's
    /// cells say so and the run goes on.
    Absent(String),
}

/// What a group's ratios are against: a variant of some group, by scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    pub model: String,
    /// The `cpu` baseline (one unit after another: `serial`).
    pub cpu: String,
    /// Every other scenario's baseline (a thread per unit).
    pub other: String,
}

impl Baseline {
    pub fn variant(&self, scenario: &str) -> &str {
        if scenario == "cpu" {
            &self.cpu
        } else {
            &self.other
        }
    }

    /// (model, variant) of the one-unit-after-another variant: the `cpu`
    /// baseline, which waiting scenarios run at a small n of their own.
    pub fn one_by_one(&self) -> (&str, &str) {
        (&self.model, &self.cpu)
    }
}

/// Sizes a group brings instead of the run's, one per size level.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSizes {
    pub quick: Sizes,
    pub default: Sizes,
    pub full: Sizes,
    /// The scenarios the default run measures for this group when the
    /// learner names none (`None`: all). The Python groups leave out `net`
    /// and `pingpong`, which no claim reads, so each interpreter adds about
    /// 30 s; `--scenarios net`, `--quick` and `--full` still run them.
    pub default_scenarios: Option<&'static [&'static str]>,
    /// Whether the default run's `cpu` axis has both ends, W = 1 and
    /// W = cores (`true`), or W = cores alone: the Python claims read only
    /// W = cores, and each W = 1 cell costs seconds of interpreter runs.
    pub default_cpu_both_ends: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelGroup {
    /// The model name in the report (`threads`, `python3.11`).
    pub name: String,
    pub launcher: Launcher,
    pub sizes: Option<GroupSizes>,
    pub baseline: Baseline,
}

/// The baseline of the Rust models: OS threads, `serial` for `cpu` and a
/// thread per unit otherwise.
pub fn rust_baseline() -> Baseline {
    Baseline {
        model: "threads".into(),
        cpu: "serial".into(),
        other: "spawn".into(),
    }
}

/// Every model crate as a group: launched as its package's binary, at the
/// run's sizes, against the OS-threads baseline.
pub fn crate_groups(models: &[Model]) -> Vec<ModelGroup> {
    models
        .iter()
        .map(|m| ModelGroup {
            name: m.name.clone(),
            launcher: Launcher::Cargo {
                package: m.package(),
            },
            sizes: None,
            baseline: rust_baseline(),
        })
        .collect()
}

/// The groups asked for by name (all of them when none is named; `python`
/// stands for every Python group); an unknown name is an error that lists
/// the valid ones.
pub fn select(all: &[ModelGroup], asked: &[String]) -> Result<Vec<String>, String> {
    let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
    if asked.is_empty() {
        return Ok(names.iter().map(|n| n.to_string()).collect());
    }
    let asked = &super::python::expand_family(asked, all);
    match asked.iter().find(|m| !names.contains(&m.as_str())) {
        Some(m) => Err(format!("unknown model '{m}' (valid: {})", names.join(", "))),
        None => Ok(asked.to_vec()),
    }
}

/// The wanted groups and the groups their baselines live in.
pub fn needed<'a>(all: &'a [ModelGroup], wanted: &[String]) -> Vec<&'a ModelGroup> {
    all.iter()
        .filter(|g| {
            wanted.contains(&g.name)
                || all
                    .iter()
                    .any(|w| wanted.contains(&w.name) && w.baseline.model == g.name)
        })
        .collect()
}

/// A group ready to run: its command line and what it implements.
#[derive(Debug, Clone)]
pub struct Group {
    pub def: ModelGroup,
    /// The launcher as an argv prefix (a built binary's path, or the command).
    pub argv: Vec<String>,
    pub catalogue: Catalogue,
}

impl Group {
    pub fn name(&self) -> &str {
        &self.def.name
    }
}
