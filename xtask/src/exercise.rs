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
use crate::project::{self, Exercise};
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
    /// Show the layered hint of an exercise.
    Hint { name: String },
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
        ExerciseCmd::Hint { name } => {
            let e = find(name)?;
            println!("{}", hint_text(&e));
            Ok(())
        }
        ExerciseCmd::Check { name } => {
            let e = find(name)?;
            match check(&e, Which::Learner, Output::Inherit)? {
                Verdict::Pass => {
                    println!("\nExercise done ✓  {}", e.name());
                    Ok(())
                }
                verdict => {
                    eprintln!("\n✗ {}: {}", e.name(), verdict.describe());
                    eprintln!("\nHint:\n{}", hint_text(&e));
                    Err(Error {
                        code: 1,
                        msg: String::new(),
                    })
                }
            }
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

fn hint_text(e: &Exercise) -> String {
    match &e.hint {
        Some(h) => h.hint.trim().to_string(),
        None => format!("(no hint for {} in exercises/hints.toml)", e.topic),
    }
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
    cmd.current_dir(&e.model.dir);
    let done = proc::run(&mut cmd, e.timeout(), output)?;
    Ok(match done.exit {
        Exit::Code(0) => Verdict::Pass,
        Exit::Timeout => Verdict::Timeout(e.timeout().as_secs()),
        _ => Verdict::TestsFailed(done.describe(e.timeout())),
    })
}
