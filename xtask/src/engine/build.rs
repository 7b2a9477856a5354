//! Building the model binaries and finding what each group implements.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use workloads::record::Catalogue;

use super::group::{Group, Launcher, ModelGroup};
use crate::proc::{self, Output};
use crate::project;
use crate::{Error, Result};

/// The target directory cargo builds into.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => project::root().join(d),
        None => project::root().join("target"),
    }
}

/// `cargo build --release` of the Cargo-launched groups' binaries and the
/// delay server; returns package name -> binary path (`workloads` for the
/// delay server).
pub fn build(groups: &[&ModelGroup]) -> Result<BTreeMap<String, PathBuf>> {
    let packages: Vec<&str> = groups
        .iter()
        .filter_map(|g| match &g.launcher {
            Launcher::Cargo { package } => Some(package.as_str()),
            Launcher::Command(_) | Launcher::Absent(_) => None,
        })
        .collect();
    let mut args = vec!["build", "--release", "-p", "workloads"];
    for p in &packages {
        args.extend(["-p", p]);
    }
    args.extend(["--bin", "delay-server"]);
    for p in &packages {
        args.extend(["--bin", p]);
    }
    let mut bins = BTreeMap::new();
    for a in project::build(&args)? {
        if a.kind == "bin" {
            let package = if a.name == "delay-server" {
                "workloads".to_string()
            } else {
                a.name
            };
            bins.insert(package, a.exe);
        }
    }
    for p in packages {
        if !bins.contains_key(p) {
            return Err(Error::failed(format!("cargo built no binary named {p}")));
        }
    }
    Ok(bins)
}

/// The group's launcher as an argv prefix.
pub fn argv(group: &ModelGroup, bins: &BTreeMap<String, PathBuf>) -> Result<Vec<String>> {
    match &group.launcher {
        Launcher::Cargo { package } => bins
            .get(package)
            .map(|p| vec![p.display().to_string()])
            .ok_or_else(|| Error::failed(format!("{package} was not built"))),
        Launcher::Command(cmd) if !cmd.is_empty() => Ok(cmd.clone()),
        Launcher::Command(_) => Err(Error::failed(format!(
            "{}: an empty command line",
            group.name
        ))),
        Launcher::Absent(why) => Err(Error::failed(format!("{}: {why}", group.name))),
    }
}

/// `<launcher> scenarios`: what the group implements.
pub fn discover(argv: &[String], name: &str) -> Result<Catalogue> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .arg("scenarios")
        .current_dir(project::root());
    let done = proc::run(&mut cmd, Duration::from_secs(30), Output::Capture)
        .map_err(|e| Error::failed(format!("{name}: could not start `{}`: {e}", argv[0])))?;
    if !done.success() {
        return Err(Error::failed(format!(
            "{name}: `{} scenarios` failed: {}",
            argv.join(" "),
            done.last_error_line()
        )));
    }
    serde_json::from_str(done.stdout.trim())
        .map_err(|e| Error::failed(format!("{name}: `scenarios` printed no catalogue: {e}")))
}

/// A group ready to run, or why it cannot. An absent group resolves to a
/// catalogue whose every scenario has one variant, `-`, unavailable for the
/// reason the group is absent: the planner runs nothing of it and its cells
/// say why.
pub fn resolve(group: &ModelGroup, bins: &BTreeMap<String, PathBuf>) -> Result<Group> {
    if let Launcher::Absent(why) = &group.launcher {
        return Ok(absent(group, why));
    }
    let argv = argv(group, bins)?;
    let catalogue = discover(&argv, &group.name)?;
    Ok(Group {
        def: group.clone(),
        argv,
        catalogue,
    })
}

/// The group standing for what could not run, with `why` on every scenario.
pub fn absent(group: &ModelGroup, why: &str) -> Group {
    use workloads::record::{ScenarioInfo, VariantInfo, SCENARIOS};
    let scenarios = SCENARIOS
        .iter()
        .map(|s| ScenarioInfo {
            name: s.to_string(),
            variants: vec![VariantInfo::fixed("-").unavailable(why)],
        })
        .collect();
    Group {
        def: group.clone(),
        argv: Vec::new(),
        catalogue: Catalogue {
            model: group.name.clone(),
            scenarios,
        },
    }
}
