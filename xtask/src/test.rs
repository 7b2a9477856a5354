//! `cargo xtask test`: everything CI checks, in one command.
//!
//! fmt, clippy with `-D warnings`, `cargo test --workspace`, the Python
//! twins' own tests (skipped, saying so, without a python3), the
//! compile-fail cases, every lesson of every model under a timeout (and again
//! with `--break` where its header has `Break:`), every exercise proven to
//! FAIL on its starter and PASS on its solution, and `compare --quick`.
//! Prints the time of each step and ends with one line `N passed, N failed`.

use std::time::{Duration, Instant};

use crate::compare::{self, CompareArgs};
use crate::compile_fail;
use crate::exercise::{self, Verdict, Which};
use crate::proc::{self, Output};
use crate::project::{self, Artifact, Lesson, Model};
use crate::run;
use crate::{Error, Result};

struct Tally {
    passed: u32,
    failed: Vec<String>,
    timings: Vec<(String, Duration, bool)>,
}

impl Tally {
    fn record(&mut self, name: &str, took: Duration, ok: bool) {
        println!("{} {name} ({took:.1?})", if ok { "✓" } else { "✗" });
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(name.to_string());
        }
        self.timings.push((name.to_string(), took, ok));
    }
}

/// A cargo command as one step; its own output goes straight to the terminal.
fn cargo_step(tally: &mut Tally, name: &str, args: &[&str]) -> Result<()> {
    println!("\n━━ {name}: cargo {}", args.join(" "));
    let start = Instant::now();
    let mut cmd = project::cargo();
    cmd.args(args);
    let done = proc::run(&mut cmd, Duration::from_secs(3600), Output::Inherit)?;
    tally.record(name, start.elapsed(), done.success());
    Ok(())
}

/// Run `lessons` of `model` with `extra` arguments as one step, with one
/// tally entry per lesson so the summary counts lessons.
fn lesson_step(
    tally: &mut Tally,
    model: &Model,
    lessons: &[Lesson],
    extra: &[String],
    label: &str,
    built: Option<&[Artifact]>,
) {
    if lessons.is_empty() {
        return;
    }
    let args = extra.join(" ");
    println!("\n━━ {label} ({}) {args}", lessons.len());
    let step = Instant::now();
    let failed = match run::run_lessons(model, lessons, extra, built) {
        Ok(failed) => failed,
        Err(e) => {
            eprintln!("✗ {}: {}", model.name, e.msg);
            lessons.iter().map(|l| l.name.clone()).collect()
        }
    };
    for l in lessons {
        if failed.contains(&l.name) {
            let name = format!("lesson {}/{} {args}", model.name, l.name);
            tally.failed.push(name.trim_end().to_string());
        } else {
            tally.passed += 1;
        }
    }
    let label = format!(
        "{label} ({} of {} passed)",
        lessons.len() - failed.len(),
        lessons.len()
    );
    let ok = failed.is_empty();
    println!(
        "{} {label} ({:.1?})",
        if ok { "✓" } else { "✗" },
        step.elapsed()
    );
    tally.timings.push((label, step.elapsed(), ok));
}

pub fn main() -> Result<()> {
    let start = Instant::now();
    let mut tally = Tally {
        passed: 0,
        failed: Vec::new(),
        timings: Vec::new(),
    };

    cargo_step(&mut tally, "fmt", &["fmt", "--all", "--check"])?;
    cargo_step(
        &mut tally,
        "clippy",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    cargo_step(&mut tally, "cargo test", &["test", "--workspace"])?;

    println!("\n━━ the Python twins' own tests (python/test_twins.py)");
    let step = Instant::now();
    match crate::engine::python::own_tests()? {
        Ok(ok) => tally.record("python twins' tests", step.elapsed(), ok),
        Err(why) => println!("- skipped the Python twins' tests: {why}"),
    }

    println!("\n━━ compile-fail: what the compiler must refuse, by code and phrase");
    let step = Instant::now();
    let ok = match compile_fail::check_all(&project::models()) {
        Ok(failed) => failed.is_empty(),
        Err(e) => {
            eprintln!("{}", e.msg);
            false
        }
    };
    tally.record("compile-fail", step.elapsed(), ok);

    // One cargo call builds every model's lessons, so cargo can use both
    // cores across crates; each model's run below then finds them built.
    let models = project::models();
    println!("\n━━ building every lesson (release)");
    let step = Instant::now();
    let built = run::build_all(&models);
    if let Err(e) = &built {
        eprintln!("{}", e.msg);
    }
    tally.record("build the lessons", step.elapsed(), built.is_ok());

    for model in &models {
        let lessons = project::lessons(model);
        let label = format!("lessons of {}", model.name);
        lesson_step(
            &mut tally,
            model,
            &lessons,
            &[],
            &label,
            built.as_deref().ok(),
        );
        // The broken versions (`Break:` in the header) must end on their own
        // too: the lesson detects what went wrong, explains it, exits 0.
        let breaking: Vec<_> = lessons.into_iter().filter(|l| l.has_break()).collect();
        let label = format!("--break lessons of {}", model.name);
        let extra = ["--break".to_string()];
        lesson_step(
            &mut tally,
            model,
            &breaking,
            &extra,
            &label,
            built.as_deref().ok(),
        );
    }

    let exercises = project::all_exercises()?;
    println!(
        "\n━━ exercises ({}): each starter must fail, each solution pass",
        exercises.len()
    );
    for e in &exercises {
        let step = Instant::now();
        let starter = exercise::check(e, Which::Learner, Output::Capture)?;
        let solution = exercise::check(e, Which::Solution, Output::Capture)?;
        let ok = matches!(starter, Verdict::TestsFailed(_) | Verdict::Timeout(_))
            && solution == Verdict::Pass;
        if !ok {
            eprintln!(
                "  starter: {} (must fail by its tests, and compile)",
                starter.describe()
            );
            eprintln!("  solution: {} (must pass)", solution.describe());
        }
        tally.record(&format!("exercise {}", e.name()), step.elapsed(), ok);
    }

    println!("\n━━ compare, interrupted by Ctrl-C mid-run");
    let step = Instant::now();
    let ok = match crate::sigint::check() {
        Ok(what) => {
            println!("{what}");
            true
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    };
    tally.record(
        "compare: Ctrl-C leaves a partial report",
        step.elapsed(),
        ok,
    );

    println!("\n━━ compare --quick: every model's scenarios, end to end");
    let step = Instant::now();
    let quick = CompareArgs {
        quick: true,
        ..CompareArgs::default()
    };
    let ok = match compare::main(&quick) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("{}", e.msg);
            false
        }
    };
    tally.record("compare --quick", step.elapsed(), ok);

    println!("\n━━ summary ({:.0?})", start.elapsed());
    for (name, took, ok) in &tally.timings {
        println!("  {} {name:<40} {took:>8.1?}", if *ok { "✓" } else { "✗" });
    }
    if !tally.failed.is_empty() {
        println!("failed: {}", tally.failed.join(", "));
    }
    println!("{} passed, {} failed", tally.passed, tally.failed.len());
    if tally.failed.is_empty() {
        Ok(())
    } else {
        Err(Error {
            code: 1,
            msg: String::new(),
        })
    }
}
