//! Building the model binaries and finding what they implement.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use workloads::record::Catalogue;

use crate::proc::{self, Output};
use crate::project::{self, Model};
use crate::{Error, Result};

pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => project::root().join(d),
        None => project::root().join("target"),
    }
}

/// `cargo build --release` of the model binaries and the delay server;
/// returns package name -> binary path.
pub fn build(models: &[Model]) -> Result<BTreeMap<String, PathBuf>> {
    let mut args = vec![
        "build".to_string(),
        "--release".into(),
        "-p".into(),
        "workloads".into(),
    ];
    for m in models {
        args.extend(["-p".into(), m.package()]);
    }
    args.extend(["--bin".into(), "delay-server".into()]);
    for m in models {
        args.extend(["--bin".into(), m.package()]);
    }
    eprintln!("building {} model binaries (release)...", models.len());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut bins = BTreeMap::new();
    for a in project::build(&argv)? {
        if a.kind == "bin" {
            let package = if a.name == "delay-server" {
                "workloads".to_string()
            } else {
                a.name
            };
            bins.insert(package, a.exe);
        }
    }
    for m in models {
        if !bins.contains_key(&m.package()) {
            return Err(Error::failed(format!(
                "cargo built no binary named {}",
                m.package()
            )));
        }
    }
    Ok(bins)
}

/// `<bin> scenarios`: what the model implements.
pub fn discover(bin: &Path, model: &str) -> Result<Catalogue> {
    let done = proc::run(
        Command::new(bin).arg("scenarios"),
        Duration::from_secs(30),
        Output::Capture,
    )?;
    if !done.success() {
        return Err(Error::failed(format!(
            "{model}: `{} scenarios` failed: {}",
            bin.display(),
            done.last_error_line()
        )));
    }
    serde_json::from_str(done.stdout.trim())
        .map_err(|e| Error::failed(format!("{model}: `scenarios` printed no catalogue: {e}")))
}
