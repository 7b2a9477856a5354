//! `cargo xtask exercise list | check <model>/<NN_topic> | hint <model>/<NN_topic>`.
//!
//! `check` builds the exercise's test target with the learner's file switched
//! in (`--features learner-NN_topic`), shows the compiler's own message if it
//! does not build, then runs the tests under the exercise's timeout in a
//! process group of their own, so a deadlocked solution is reported as such
//! and leaves nothing behind.

use std::path::PathBuf;
use std::process::Command;

use clap::Subcommand;

use crate::proc::{self, Exit, Output};
use crate::project::{self, Exercise, HintEntry};
use crate::workshop::progress::Progress;
use crate::{Error, Result};

#[derive(Subcommand)]
pub enum ExerciseCmd {
    /// List the exercises of every model.
    List,
    /// Test your version of an exercise (its `exercise.rs`).
    Check {
        /// e.g. threads/01_parallel_sum (see `cargo xtask exercise list`).
        name: String,
    },
    /// Show the next layer of an exercise's hint (each call one more).
    Hint {
        name: String,
        /// Show every layer at once, the near-answer included.
        #[arg(long)]
        all: bool,
    },
    /// Put the starter back as it was shipped; your file is kept as a backup beside it.
    Reset { name: String },
    /// Show the reference solution: after your version passed, or with --force.
    Solution {
        name: String,
        #[arg(long)]
        force: bool,
    },
}

pub fn main(cmd: &ExerciseCmd) -> Result<()> {
    match cmd {
        ExerciseCmd::List => {
            for e in project::all_exercises()? {
                println!("{:<36} {}", e.name(), e.goal());
                println!(
                    "{:<36} edit {}",
                    "",
                    e.dir
                        .join("exercise.rs")
                        .strip_prefix(project::root())
                        .unwrap_or(&e.dir)
                        .display()
                );
            }
            Ok(())
        }
        ExerciseCmd::Hint { name, all } => {
            let e = find(name)?;
            if *all {
                for (i, layer) in layers(&e).iter().enumerate() {
                    println!("{}\n", numbered(i, layer));
                }
            } else {
                println!("{}", next_hint(&e));
            }
            Ok(())
        }
        ExerciseCmd::Check { name } => {
            let e = find(name)?;
            match check(&e, Which::Learner, Output::Inherit)? {
                Verdict::Pass => {
                    let mut progress = Progress::load();
                    progress.pass(&e.name());
                    progress.save();
                    println!("\nExercise done ✓  {}", e.name());
                    Ok(())
                }
                verdict => {
                    eprintln!("\n✗ {}: {}", e.name(), verdict.describe());
                    eprintln!("\n{}", next_hint(&e));
                    Err(Error {
                        code: 1,
                        msg: String::new(),
                    })
                }
            }
        }
        ExerciseCmd::Reset { name } => reset(&find(name)?),
        ExerciseCmd::Solution { name, force } => {
            let e = find(name)?;
            if !force && !Progress::load().has_passed(&e.name()) {
                return Err(Error::failed(format!(
                    "{} has not passed yet: `cargo xtask exercise check {}` first, or `--force` to look now",
                    e.name(),
                    e.name()
                )));
            }
            print!("{}", std::fs::read_to_string(e.dir.join("solution.rs"))?);
            Ok(())
        }
    }
}

/// Only a name from the list is accepted: never a path or anything else.
pub fn find(name: &str) -> Result<Exercise> {
    let all = project::all_exercises()?;
    all.iter()
        .find(|e| e.name() == name)
        .cloned()
        .ok_or_else(|| {
            let names: Vec<_> = all.iter().map(Exercise::name).collect();
            Error::usage(format!(
                "no exercise '{name}' (valid: {})",
                names.join(", ")
            ))
        })
}

fn layers(e: &Exercise) -> Vec<String> {
    let layers = e.hint.as_ref().map(HintEntry::layers).unwrap_or_default();
    if layers.is_empty() {
        vec![format!("(no hint for {} in exercises/hints.toml)", e.topic)]
    } else {
        layers
    }
}

fn numbered(i: usize, layer: &str) -> String {
    let layer = layer
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(". ");
    format!("Hint {}: {layer}", i + 1)
}

/// The next hint layer the learner has not seen, recorded as seen.
pub fn next_hint(e: &Exercise) -> String {
    let layers = layers(e);
    let mut progress = Progress::load();
    let i = progress.next_hint(&e.name(), layers.len());
    progress.save();
    let more = if i + 1 < layers.len() {
        format!(
            "\n(layer {} of {}: `cargo xtask exercise hint {}` shows the next)",
            i + 1,
            layers.len(),
            e.name()
        )
    } else {
        format!("\n(the last layer of {})", layers.len())
    };
    format!("{}{more}", numbered(i, &layers[i]))
}

/// Restore the starter from git's copy of it (its blob id is in hints.toml),
/// keeping the learner's file as `exercise.rs.bak` (or `.bak.2`, ...).
fn reset(e: &Exercise) -> Result<()> {
    let root = project::root();
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(&root).args(args).output();
    let inside = git(&["rev-parse", "--git-dir"]).is_ok_and(|o| o.status.success());
    if !inside {
        return Err(Error::failed(format!(
            "{} is not a git clone, so the shipped starter cannot be restored: clone the project with git, or copy {} from the repository",
            root.display(),
            e.dir.join("exercise.rs").strip_prefix(&root).unwrap_or(&e.dir).display()
        )));
    }
    let Some(blob) = e.hint.as_ref().and_then(|h| h.starter.clone()) else {
        return Err(Error::failed(format!(
            "no `starter` blob id for {} in exercises/hints.toml",
            e.topic
        )));
    };
    let shipped = git(&["cat-file", "blob", &blob])?;
    if !shipped.status.success() {
        return Err(Error::failed(format!(
            "git has no blob {blob} (the starter of {}): is this a shallow or partial clone? `git fetch --unshallow` brings it",
            e.name()
        )));
    }
    let file = e.dir.join("exercise.rs");
    let mine = std::fs::read(&file).unwrap_or_default();
    if mine == shipped.stdout {
        println!("{} is already the starter as shipped.", file.display());
        return Ok(());
    }
    let backup = (1..)
        .map(|i| {
            e.dir.join(if i == 1 {
                "exercise.rs.bak".to_string()
            } else {
                format!("exercise.rs.bak.{i}")
            })
        })
        .find(|p| !p.exists())
        .expect("some backup name is free");
    std::fs::write(&backup, &mine)?;
    std::fs::write(&file, &shipped.stdout)?;
    println!(
        "Restored the starter of {}; your version is in {}.",
        e.name(),
        backup.display()
    );
    Ok(())
}

/// Which file the tests run against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Which {
    Learner,
    Solution,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    BuildFailed,
    TestsFailed(String),
    Timeout(u64),
}

impl Verdict {
    pub fn describe(&self) -> String {
        match self {
            Verdict::Pass => "passed".into(),
            Verdict::BuildFailed => "does not compile (the compiler's message is above)".into(),
            Verdict::TestsFailed(how) => format!("tests failed ({how})"),
            Verdict::Timeout(s) => format!(
                "no result within {s} s: a deadlock or an endless loop; its process group was killed"
            ),
        }
    }
}

/// Build, then run the exercise's tests against the learner's file or the
/// solution. Only the test run is timed.
pub fn check(e: &Exercise, which: Which, output: Output) -> Result<Verdict> {
    let package = e.model.package();
    let feature = e.feature();
    let mut args = vec!["test", "-p", &package, "--test", &e.topic, "--no-run"];
    if which == Which::Learner {
        args.extend(["--features", &feature]);
    }
    let quiet = output == Output::Capture;
    if quiet {
        args.push("--quiet");
    }
    let exe: PathBuf = match project::build(&args) {
        Ok(built) => match built
            .into_iter()
            .find(|a| a.kind == "test" && a.name == e.topic)
        {
            Some(a) => a.exe,
            None => return Ok(Verdict::BuildFailed),
        },
        Err(_) => return Ok(Verdict::BuildFailed),
    };
    let mut cmd = Command::new(exe);
    // The learner's shell may have RUST_BACKTRACE=1: a failed test should show
    // its message, not a page of frames from the test harness.
    cmd.current_dir(&e.model.dir)
        .env("RUST_BACKTRACE", "0")
        .env_remove("RUST_LIB_BACKTRACE");
    let done = proc::run(&mut cmd, e.timeout(), output)?;
    Ok(match done.exit {
        Exit::Code(0) => Verdict::Pass,
        Exit::Timeout => Verdict::Timeout(e.timeout().as_secs()),
        _ => Verdict::TestsFailed(done.describe(e.timeout())),
    })
}
