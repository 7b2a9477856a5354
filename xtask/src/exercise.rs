//! `cargo xtask exercise list | check <model>/<NN_topic> | hint <model>/<NN_topic> | verify`.
//!
//! `check` builds the exercise's test target with the learner's file switched
//! in (`--features learner-NN_topic`), shows the compiler's own message if it
//! does not build, then runs the tests under the exercise's timeout in a
//! process group of their own, so a deadlocked solution is reported as such
//! and leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Subcommand;

use crate::proc::{self, Exit, Output};
use crate::project::{self, Artifact, Exercise};
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
    /// What `cargo xtask test` checks of the exercises, alone: every starter
    /// fails, every solution passes, every wrong answer fails.
    Verify,
}

pub fn main(cmd: &ExerciseCmd) -> Result<()> {
    match cmd {
        ExerciseCmd::List => {
            list();
            Ok(())
        }
        ExerciseCmd::Verify => crate::test::exercises_only(),
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

/// The path first, in order, with the lesson each practises and its time
/// budget; then any exercise not on the path.
fn list() {
    let path = project::path().unwrap_or_default();
    let all = project::all_exercises().unwrap_or_default();
    let minutes: u32 = path.iter().filter_map(|e| e.hint.as_ref()?.minutes).sum();
    println!(
        "The path: {} exercises, about {} h {:02} min, in the lessons' order.\n",
        path.len(),
        minutes / 60,
        minutes % 60
    );
    let show = |place: String, e: &Exercise| {
        let h = e.hint.as_ref();
        let lesson = h.and_then(|h| h.lesson.clone()).unwrap_or_default();
        let budget = h
            .and_then(|h| h.minutes)
            .map_or(String::new(), |m| format!("{m} min"));
        println!("{place:>3} {:<28} {budget:>6}  after {lesson}", e.name());
        println!("    {}", e.goal());
        let starter = e.dir.join("exercise.rs");
        let rel = starter.strip_prefix(project::root()).unwrap_or(&starter);
        println!("    edit {}", rel.display());
    };
    for e in &path {
        show(format!("{}.", e.path_place().unwrap_or(0)), e);
    }
    let off: Vec<_> = all.iter().filter(|e| e.path_place().is_none()).collect();
    if !off.is_empty() {
        println!("\nNot on the path:");
        for e in off {
            show("-".into(), e);
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
    /// The filter matched no test (a wrong answer not wired in).
    NoTests,
}

impl Verdict {
    pub fn describe(&self) -> String {
        match self {
            Verdict::Pass => "passed".into(),
            Verdict::BuildFailed => "does not compile (the compiler's message is above)".into(),
            Verdict::TestsFailed(how) => format!("tests failed ({how})"),
            Verdict::NoTests => "no test ran (is it wired into exercises/wrong_answers.rs?)".into(),
            Verdict::Timeout(s) => format!(
                "no result within {s} s: a deadlock or an endless loop; its process group was killed"
            ),
        }
    }
}

/// Build the test targets of `exercises` in ONE cargo call: their starters
/// (every learner feature on; each feature switches only its own exercise),
/// their solutions, or the crates' `wrong_answers` targets. One call lets
/// cargo build each crate's library once and use both cores.
pub fn build_all(exercises: &[Exercise], which: Build) -> Result<Vec<Artifact>> {
    let mut packages: Vec<String> = exercises.iter().map(|e| e.model.package()).collect();
    packages.dedup();
    let mut args: Vec<String> = vec!["test".into(), "--no-run".into(), "--quiet".into()];
    for p in &packages {
        args.extend(["-p".into(), p.clone()]);
    }
    let features: Vec<String> = match which {
        Build::Starters => exercises
            .iter()
            .map(|e| format!("{}/{}", e.model.package(), e.feature()))
            .collect(),
        Build::Solutions => Vec::new(),
        Build::WrongAnswers => packages
            .iter()
            .map(|p| format!("{p}/wrong-answers"))
            .collect(),
    };
    if !features.is_empty() {
        args.extend(["--features".into(), features.join(",")]);
    }
    match which {
        Build::WrongAnswers => args.extend(["--test".into(), WRONG_TARGET.into()]),
        _ => {
            for e in exercises {
                args.extend(["--test".into(), e.topic.clone()]);
            }
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    project::build(&args)
}

/// What [`build_all`] builds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Build {
    Starters,
    Solutions,
    WrongAnswers,
}

/// Each crate's test target that runs the exercises' tests against their
/// wrong answers (`exercises/wrong_answers.rs`, feature `wrong-answers`).
pub const WRONG_TARGET: &str = "wrong_answers";

/// The built test binary of `e` (or of its crate's wrong answers).
pub fn built_exe(built: &[Artifact], e: &Exercise, wrong: bool) -> Option<PathBuf> {
    let src = if wrong {
        e.model
            .dir
            .join("exercises")
            .join(format!("{WRONG_TARGET}.rs"))
    } else {
        e.dir.join("tests.rs")
    };
    let same = |a: &Path| a.canonicalize().ok() == src.canonicalize().ok();
    built
        .iter()
        .find(|a| a.kind == "test" && same(&a.src))
        .map(|a| a.exe.clone())
}

/// Run a built test binary of `e` (with an optional name filter) under the
/// exercise's timeout; its output is captured.
pub fn run_built(e: &Exercise, exe: &Path, filter: Option<&str>) -> Result<Verdict> {
    let mut cmd = Command::new(exe);
    cmd.current_dir(&e.model.dir);
    if let Some(f) = filter {
        cmd.arg(f);
    }
    let done = proc::run(&mut cmd, e.timeout(), Output::Capture)?;
    Ok(match done.exit {
        _ if done.stdout.contains("running 0 tests") => Verdict::NoTests,
        Exit::Code(0) => Verdict::Pass,
        Exit::Timeout => Verdict::Timeout(e.timeout().as_secs()),
        _ => Verdict::TestsFailed(done.describe(e.timeout())),
    })
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
