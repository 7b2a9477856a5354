//! `cargo xtask exercise list | check NAME | hint NAME [--all] | reset NAME | solution NAME | verify`.
//!
//! `check` builds the exercise's test target with the learner's file switched
//! in (`--features learner-NN_topic`, plus any feature the target requires,
//! such as `model-check` for the loom exercises), shows the compiler's own message if it
//! does not build, then runs the tests under the exercise's timeout in a
//! process group of their own, so a deadlocked solution is reported as such
//! and leaves nothing behind.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Subcommand;

use crate::proc::{self, Exit, Output};
use crate::project::{self, Artifact, Exercise, HintEntry};
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

fn layers(e: &Exercise) -> Vec<String> {
    let layers = e.hint.as_ref().map(HintEntry::layers).unwrap_or_default();
    if layers.is_empty() {
        vec![format!("(no hint for {} in exercises/hints.toml)", e.topic)]
    } else {
        layers
    }
}

fn numbered(i: usize, layer: &str) -> String {
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
/// their solutions, or the crates' `wrong_answers` targets, with every
/// feature some exercise's target requires on. One call lets
/// cargo build each crate's library once and use both cores.
pub fn build_all(exercises: &[Exercise], which: Build) -> Result<Vec<Artifact>> {
    let mut packages: Vec<String> = exercises.iter().map(|e| e.model.package()).collect();
    packages.dedup();
    let mut args: Vec<String> = vec!["test".into(), "--no-run".into(), "--quiet".into()];
    for p in &packages {
        args.extend(["-p".into(), p.clone()]);
    }
    let mut features: Vec<String> = match which {
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
    // What some exercise's target requires (`model-check` for the loom
    // ones) is on for the whole build: one call still builds everything.
    for e in exercises {
        for f in e.needs() {
            let f = format!("{}/{f}", e.model.package());
            if !features.contains(&f) {
                features.push(f);
            }
        }
    }
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
/// solution, with the features its target requires (`features` in
/// hints.toml, e.g. `model-check`) on. Only the test run is timed.
pub fn check(e: &Exercise, which: Which, output: Output) -> Result<Verdict> {
    let package = e.model.package();
    let mut features = e.needs();
    if which == Which::Learner {
        features.push(e.feature());
    }
    let features = features.join(",");
    let mut args = vec!["test", "-p", &package, "--test", &e.topic, "--no-run"];
    if !features.is_empty() {
        args.extend(["--features", &features]);
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

/// Whether `exercise.rs` is the starter as shipped (the blob id in
/// hints.toml): `Err` says what differs. `Ok(false)` outside a git clone,
/// where there is nothing to compare with.
pub fn starter_as_shipped(e: &Exercise) -> Result<bool, String> {
    let file = e.dir.join("exercise.rs");
    let out = Command::new("git")
        .arg("-C")
        .arg(&e.dir)
        .args(["hash-object", "--"])
        .arg(&file)
        .output();
    let Ok(out) = out.map(|o| o.status.success().then_some(o.stdout)) else {
        return Ok(false);
    };
    let Some(out) = out else { return Ok(false) };
    let have = String::from_utf8_lossy(&out).trim().to_string();
    match e.hint.as_ref().and_then(|h| h.starter.as_deref()) {
        Some(want) if want == have => Ok(true),
        Some(want) => Err(format!(
            "{}: exercise.rs (blob {have}) is not the starter hints.toml records (starter = \"{want}\"): \
             after changing a starter on purpose, record its new id; to undo a learner's edit, \
             `cargo xtask exercise reset {}`",
            e.name(),
            e.name()
        )),
        None => Err(format!(
            "{}: no `starter = \"{have}\"` in exercises/hints.toml, so `exercise reset` cannot restore it",
            e.name()
        )),
    }
}
