//! `cargo xtask run <model> <lesson>` and `cargo xtask run <model> --all`:
//! build a model's lessons in release (their printed speedups are measured)
//! and run them under a timeout, one after another.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use clap::Args;

use crate::proc::{self, Output};
use crate::project::{self, Artifact, Lesson, Model};
use crate::{Error, Result};

/// A hang detector, not a speed limit: lessons end within a few seconds.
pub const LESSON_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Args)]
pub struct RunArgs {
    /// threads, processes, async or green (see `cargo xtask list`).
    pub model: String,
    /// Lesson number (`1`, `01`) or name (`01_spawn_join`, `spawn_join`).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub lesson: Option<String>,
    /// Run every lesson of the model, in order.
    #[arg(long)]
    pub all: bool,
    /// Arguments for the lesson itself, after `--` (e.g. `-- --interactive`).
    #[arg(last = true)]
    pub args: Vec<String>,
}

pub fn main(args: &RunArgs) -> Result<()> {
    let model = project::model(&args.model)?;
    let lessons = match &args.lesson {
        Some(wanted) => vec![find(&model, wanted)?],
        None => project::lessons(&model),
    };
    let failed = run_lessons(&model, &lessons, &args.args, None)?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "{} of {} lessons failed: {}",
            failed.len(),
            lessons.len(),
            failed.join(", ")
        )))
    }
}

/// Resolve a number or a name to one lesson of `model`.
pub fn find(model: &Model, wanted: &str) -> Result<Lesson> {
    let lessons = project::lessons(model);
    let by_number = wanted.parse::<u32>().ok();
    lessons
        .iter()
        .find(|l| {
            Some(l.number) == by_number
                || l.name == wanted
                || l.name.split_once('_').map(|(_, t)| t) == Some(wanted)
        })
        .cloned()
        .ok_or_else(|| {
            let names: Vec<_> = lessons.iter().map(|l| l.name.as_str()).collect();
            Error::usage(format!(
                "no lesson '{wanted}' in {} (valid: {})",
                model.name,
                names.join(", ")
            ))
        })
}

/// Run each lesson (output straight to the terminal) and return the names
/// of those that failed. `built` is what an earlier cargo call built; without
/// it, the model's lessons are built first.
pub fn run_lessons(
    model: &Model,
    lessons: &[Lesson],
    extra: &[String],
    built: Option<&[Artifact]>,
) -> Result<Vec<String>> {
    if lessons.is_empty() {
        return Ok(Vec::new());
    }
    let built = match built {
        Some(built) => built.to_vec(),
        None => build(model)?,
    };
    let mut failed = Vec::new();
    for lesson in lessons {
        println!("\n── {} {} ──", model.name, lesson.name);
        let Some(exe) = find_built(&built, lesson) else {
            failed.push(lesson.name.clone());
            eprintln!(
                "✗ {}: cargo built no example from {}",
                lesson.name,
                lesson.path.display()
            );
            continue;
        };
        let mut cmd = Command::new(exe);
        cmd.args(extra).current_dir(project::root());
        if extra.iter().any(|a| a == "--interactive") {
            // The learner is at the keyboard: the lesson gets the terminal
            // (stdin, and Ctrl-C in its foreground group) and no timeout.
            let status = cmd.status()?;
            if !status.success() {
                failed.push(lesson.name.clone());
            }
            continue;
        }
        let timeout = LESSON_TIMEOUT;
        let done = proc::run(&mut cmd, timeout, Output::Inherit)?;
        if done.success() {
            println!("✓ {} ({:.1?})", lesson.name, done.wall);
        } else {
            eprintln!("✗ {}: {}", lesson.name, done.describe(timeout));
            failed.push(lesson.name.clone());
        }
    }
    Ok(failed)
}

/// The example cargo built from this lesson's file (names may repeat across
/// models; source paths do not).
fn find_built<'a>(built: &'a [Artifact], lesson: &Lesson) -> Option<&'a PathBuf> {
    let wanted = lesson
        .path
        .canonicalize()
        .unwrap_or_else(|_| lesson.path.clone());
    built
        .iter()
        .filter(|a| a.kind == "example")
        .find(|a| a.src.canonicalize().unwrap_or_else(|_| a.src.clone()) == wanted)
        .map(|a| &a.exe)
}

/// Build every lesson of `models` in one cargo call (release: lessons print
/// measured speedups).
pub fn build_all(models: &[Model]) -> Result<Vec<Artifact>> {
    let mut args = vec!["build".to_string(), "--release".into(), "--examples".into()];
    for m in models {
        args.extend(["-p".into(), m.package()]);
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    project::build(&argv)
}

fn build(model: &Model) -> Result<Vec<Artifact>> {
    println!("building {} lessons (release)...", model.name);
    build_all(std::slice::from_ref(model))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    #[test]
    fn arguments_after_the_dashes_reach_the_lesson() {
        let one = Cli::try_parse_from(["run", "threads", "05_channels", "--", "--break"]).unwrap();
        assert_eq!(one.run.lesson.as_deref(), Some("05_channels"));
        assert_eq!(one.run.args, ["--break"]);
        let all = Cli::try_parse_from(["run", "threads", "--all", "--", "--break"]).unwrap();
        assert!(all.run.all && all.run.args == ["--break"]);
    }
}
