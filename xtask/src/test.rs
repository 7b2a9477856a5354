//! `cargo xtask test`: everything CI checks, in one command.
//!
//! fmt, clippy with `-D warnings`, `cargo test --workspace`, the Python
//! twins' own tests (skipped, saying so, without a python3), the
//! compile-fail cases, every lesson of every model under a timeout (and again
//! with `--break` where its header has `Break:`), every exercise proven to
//! FAIL on its starter and PASS on its solution (and FAIL on each wrong answer
//! kept beside the solution), the loom model checks (`--features
//! model-check`), `compare --quick`, and two timelines.
//! Prints the time of each step and ends with one line `N passed, N failed`.

use std::time::{Duration, Instant};

use crate::compare::{self, CompareArgs};
use crate::compile_fail;
use crate::exercise::{self, Build, Verdict, Which};
use crate::proc::{self, Output};
use crate::project::{self, Artifact, Exercise, Lesson, Model};
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

/// `cargo test` arguments for every `model_check_*` test of examples-threads,
/// found by file name so that a new twin is run without editing this list.
fn model_check_args() -> Vec<String> {
    let dir = project::root().join("examples-threads/tests");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".rs")?;
            stem.starts_with("model_check_").then(|| stem.to_string())
        })
        .collect();
    names.sort();
    let mut args: Vec<String> = [
        "test",
        "-p",
        "examples-threads",
        "--features",
        "model-check",
    ]
    .map(String::from)
    .to_vec();
    for n in names {
        args.extend(["--test".to_string(), n]);
    }
    args
}

/// Every exercise: its starter must fail, its solution pass, and each wrong
/// answer kept beside the solution must fail by its tests, before the
/// exercise's timeout. Three cargo calls build all of it (starters, solutions,
/// wrong answers); a failed combined build falls back to one exercise at a time.
fn exercise_steps(tally: &mut Tally) -> Result<()> {
    let exercises = project::all_exercises()?;
    let wrong: usize = exercises.iter().map(|e| e.wrong_answers().len()).sum();
    println!(
        "\n━━ exercises ({}): each starter must fail, each solution pass, each of {wrong} wrong answers fail",
        exercises.len()
    );
    let step = Instant::now();
    let built = |which| match exercise::build_all(&exercises, which) {
        Ok(b) => Some(b),
        Err(e) => {
            eprintln!("{} (checking one at a time)", e.msg);
            None
        }
    };
    let (starters, solutions, wrongs) = (
        built(Build::Starters),
        built(Build::Solutions),
        built(Build::WrongAnswers),
    );
    tally.record(
        "build the exercises (3 cargo calls)",
        step.elapsed(),
        wrongs.is_some(),
    );
    let verdict = |e: &Exercise, built: &Option<Vec<Artifact>>, which| -> Result<Verdict> {
        match built
            .as_deref()
            .and_then(|b| exercise::built_exe(b, e, false))
        {
            Some(exe) => exercise::run_built(e, &exe, None),
            None => exercise::check(e, which, Output::Capture),
        }
    };
    // `exercise reset` restores each starter from the blob id in hints.toml:
    // it must be the starter this commit ships.
    let step = Instant::now();
    let mut shipped = true;
    for e in &exercises {
        if let Err(msg) = exercise::starter_as_shipped(e) {
            eprintln!("  {msg}");
            shipped = false;
        }
    }
    tally.record(
        "every starter is the one hints.toml records",
        step.elapsed(),
        shipped,
    );
    for e in &exercises {
        let step = Instant::now();
        let starter = verdict(e, &starters, Which::Learner)?;
        let solution = verdict(e, &solutions, Which::Solution)?;
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
        for stem in e.wrong_answers() {
            let step = Instant::now();
            let exe = wrongs
                .as_deref()
                .and_then(|b| exercise::built_exe(b, e, true));
            let got = match &exe {
                Some(exe) => {
                    exercise::run_built(e, exe, Some(&format!("{}::", e.wrong_module(&stem))))?
                }
                None => Verdict::BuildFailed,
            };
            // Failing by the timeout is not enough: the tests must catch it.
            let ok = matches!(got, Verdict::TestsFailed(_));
            if !ok {
                eprintln!(
                    "  {stem}: {} (must fail by its tests, quickly)",
                    got.describe()
                );
            }
            tally.record(
                &format!("  wrong answer {}/{stem}", e.name()),
                step.elapsed(),
                ok,
            );
        }
    }
    Ok(())
}

/// `cargo xtask exercise verify`: only the exercise steps of `cargo xtask test`.
pub fn exercises_only() -> Result<()> {
    let start = Instant::now();
    let mut tally = Tally {
        passed: 0,
        failed: Vec::new(),
        timings: Vec::new(),
    };
    exercise_steps(&mut tally)?;
    println!("\n━━ exercises ({:.0?})", start.elapsed());
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

    // The loom twins (examples-threads/tests/model_check_*.rs) need a feature
    // that `cargo test --workspace` leaves off: one cargo call runs them all.
    let twins = model_check_args();
    let twins: Vec<&str> = twins.iter().map(String::as_str).collect();
    cargo_step(&mut tally, "model-check (loom)", &twins)?;

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

    exercise_steps(&mut tally)?;

    println!("\n━━ watch, driven through a pseudo-terminal over a fixture workspace");
    let step = Instant::now();
    let ok = match crate::workshop::watch_check::run() {
        Ok(took) => {
            println!("from saving the solution to the pass: {took:.1?}");
            true
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    };
    tally.record("watch: fail, save, pass, timeout, quit", step.elapsed(), ok);

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

    println!("\n━━ timeline: two traced runs, drawn as SVG and Perfetto JSON");
    let step = Instant::now();
    let mut traced = crate::timeline::TimelineArgs::defaults("threads", &["scoped", "gil"]);
    traced.scenarios = vec!["cpu".into()];
    // The binaries compare --quick built (all models at once: building one
    // alone would rebuild it with other features).
    let all = crate::engine::group::crate_groups(&models);
    let drawn = crate::engine::build::build(&all.iter().collect::<Vec<_>>())
        .and_then(|bins| {
            let threads = all.iter().find(|g| g.name == "threads");
            let threads = threads.ok_or_else(|| Error::failed("no threads model"))?;
            crate::engine::build::resolve(threads, &bins)
        })
        .and_then(|threads| {
            crate::timeline::draw_in(&traced, &threads, &mut |p| println!("{}", p.summary_line()))
        });
    let ok = match drawn {
        Ok(pictures) => pictures.len() == 2,
        Err(e) => {
            eprintln!("{}", e.msg);
            false
        }
    };
    tally.record("timeline threads cpu", step.elapsed(), ok);

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

#[cfg(test)]
mod tests {
    #[test]
    fn the_model_check_step_runs_every_twin_in_one_call() {
        let args = super::model_check_args();
        assert_eq!(
            args[..5],
            [
                "test",
                "-p",
                "examples-threads",
                "--features",
                "model-check"
            ]
        );
        for twin in ["lost_update", "publish", "lazy_init", "lost_wakeup"] {
            let name = format!("model_check_{twin}");
            assert!(args.contains(&name), "{name} missing from {args:?}");
        }
    }
}
