//! `cargo xtask compile-fail`: what the compiler refuses, checked by error
//! code and key phrase, so that a newer rustc's rewording keeps it green.
//!
//! Each case is a small crate, `examples-<model>/compile-fail/<case>/`, whose
//! `src/main.rs` opens with the refusal it expects:
//!
//! ```text
//! // expect: E0277 "cannot be sent between threads safely"
//! // expect: no-code "future cannot be sent between threads safely"
//! ```
//!
//! `no-code` is for the errors rustc prints without a code today (a future
//! that is not `Send`); a code added by a later release is then accepted.
//! A full `.stderr` snapshot would tie the check to one rustc release, and a
//! `compile_fail` doctest passes on any error at all, a typo included.
//!
//! A case is copied into `<target>/compile-fail/src/<model>-<case>/` together
//! with the workspace's `Cargo.lock`, so that it resolves offline to exactly
//! the crates the workspace has already downloaded, and is checked with
//! `cargo check --offline --message-format=json` in a target directory of its
//! own: no build lock is shared with another cargo.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::Value;

use crate::proc::{self, Output};
use crate::project::{self, Model};
use crate::{Error, Result};

/// Covers a cold check of tokio on a busy 2-core machine.
const TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Args)]
pub struct CompileFailArgs {
    /// Only this model's cases (threads, async, ...); all models if omitted.
    pub model: Option<String>,
}

/// One crate that must not compile.
#[derive(Debug, Clone)]
pub struct Case {
    pub model: String,
    /// The directory name, e.g. `data_race`.
    pub name: String,
    pub dir: PathBuf,
}

impl Case {
    /// `threads/data_race`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.model, self.name)
    }
}

/// Every case of `model`, sorted by name.
pub fn cases(model: &Model) -> Vec<Case> {
    let mut found: Vec<Case> = std::fs::read_dir(model.dir.join("compile-fail"))
        .map(|rd| rd.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.path().join("Cargo.toml").exists())
        .filter_map(|e| {
            Some(Case {
                model: model.name.clone(),
                name: e.file_name().to_str()?.to_string(),
                dir: e.path(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The refusal a case expects, from its `// expect:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// `Some("E0277")`, or `None` for `no-code`.
    pub code: Option<String>,
    pub phrase: String,
}

/// Parse the first line of a case's `src/main.rs`.
pub fn parse_expect(source: &str) -> Result<Expect, String> {
    let usage = r#"the first line must be `// expect: E0277 "key phrase"` (or `no-code` for an error without a code)"#;
    let line = source.lines().next().unwrap_or_default();
    let rest = line.strip_prefix("// expect:").ok_or(usage)?.trim();
    let (code, phrase) = rest.split_once(' ').ok_or(usage)?;
    let phrase = phrase
        .trim()
        .strip_prefix('"')
        .and_then(|p| p.strip_suffix('"'))
        .filter(|p| !p.is_empty())
        .ok_or(usage)?;
    let code = match code {
        "no-code" => None,
        c if c.len() == 5 && c.starts_with('E') && c[1..].bytes().all(|b| b.is_ascii_digit()) => {
            Some(c.to_string())
        }
        _ => return Err(usage.to_string()),
    };
    Ok(Expect {
        code,
        phrase: phrase.to_string(),
    })
}

/// One error the compiler reported: its code and every text it printed.
#[derive(Debug)]
struct Diagnostic {
    code: Option<String>,
    text: String,
}

/// The errors in cargo's `--message-format=json` output.
fn errors(json_lines: &str) -> Vec<Diagnostic> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-message" && msg["message"]["level"] == "error")
        .map(|msg| {
            let m = &msg["message"];
            let mut text = String::new();
            collect_text(m, &mut text);
            Diagnostic {
                code: m["code"]["code"].as_str().map(str::to_string),
                text,
            }
        })
        // "aborting due to 1 previous error" and the like carry no code and
        // say nothing about the case.
        .filter(|d| d.code.is_some() || !d.text.contains("previous error"))
        .collect()
}

/// The message, the rendered form and every child's message (notes, help).
fn collect_text(m: &Value, out: &mut String) {
    for key in ["message", "rendered"] {
        if let Some(s) = m[key].as_str() {
            out.push_str(s);
            out.push('\n');
        }
    }
    for child in m["children"].as_array().into_iter().flatten() {
        collect_text(child, out);
    }
}

/// Whether a check's outcome is the refusal expected: `Ok` or why not.
pub fn judge(
    expect: &Expect,
    compiled: bool,
    json_lines: &str,
    stderr: &str,
) -> Result<(), String> {
    let found = errors(json_lines);
    if compiled && found.is_empty() {
        return Err("it compiled, but the compiler must refuse it".into());
    }
    if found.is_empty() {
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(format!(
            "cargo failed before the compiler judged the case: {} \
             (offline, a case uses only crates the workspace has downloaded: \
             run `cargo fetch` once)",
            last.unwrap_or("(no message)")
        ));
    }
    let code_ok = |d: &Diagnostic| match &expect.code {
        Some(want) => d.code.as_deref() == Some(want.as_str()),
        None => true,
    };
    if found
        .iter()
        .any(|d| code_ok(d) && d.text.contains(&expect.phrase))
    {
        return Ok(());
    }
    let seen: Vec<String> = found
        .iter()
        .map(|d| {
            let first = d.text.lines().next().unwrap_or_default();
            format!("[{}] {first}", d.code.as_deref().unwrap_or("no code"))
        })
        .collect();
    let want = expect.code.as_deref().unwrap_or("no-code");
    Err(format!(
        "expected {want} with \"{}\", got: {}",
        expect.phrase,
        seen.join("; ")
    ))
}

/// `$CARGO_TARGET_DIR`, or the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                project::root().join(p)
            }
        })
        .unwrap_or_else(|| project::root().join("target"))
}

/// Copy a case where it can get a `Cargo.lock` without touching the source
/// tree; return the copy's directory.
fn stage(case: &Case, base: &Path) -> std::io::Result<PathBuf> {
    let copy = base
        .join("src")
        .join(format!("{}-{}", case.model, case.name));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(copy.join("src"))?;
    std::fs::copy(case.dir.join("Cargo.toml"), copy.join("Cargo.toml"))?;
    std::fs::copy(case.dir.join("src/main.rs"), copy.join("src/main.rs"))?;
    std::fs::copy(project::root().join("Cargo.lock"), copy.join("Cargo.lock"))?;
    Ok(copy)
}

/// Check one case: `Ok(Ok(()))` if refused as expected, `Ok(Err(why))` if not.
pub fn check(case: &Case) -> Result<Result<(), String>> {
    let source = std::fs::read_to_string(case.dir.join("src/main.rs"))?;
    let expect = match parse_expect(&source) {
        Ok(e) => e,
        Err(why) => return Ok(Err(format!("src/main.rs: {why}"))),
    };
    let base = target_dir().join("compile-fail");
    let copy = stage(case, &base)?;
    let mut cmd = project::cargo();
    cmd.current_dir(&copy)
        .args(["check", "--offline", "--quiet", "--message-format=json"])
        .env("CARGO_TARGET_DIR", base.join("build"));
    let done = proc::run(&mut cmd, TIMEOUT, Output::Capture)?;
    if done.exit == proc::Exit::Timeout {
        return Ok(Err(done.describe(TIMEOUT)));
    }
    Ok(judge(&expect, done.success(), &done.stdout, &done.stderr))
}

/// Check every case of `models`, printing one line each; return the labels
/// of those that failed, with why.
pub fn check_all(models: &[Model]) -> Result<Vec<(String, String)>> {
    let mut failed = Vec::new();
    for case in models.iter().flat_map(cases) {
        let start = Instant::now();
        match check(&case)? {
            Ok(()) => println!("✓ {} refused ({:.1?})", case.label(), start.elapsed()),
            Err(why) => {
                eprintln!("✗ {}: {why}", case.label());
                failed.push((case.label(), why));
            }
        }
    }
    Ok(failed)
}

pub fn main(args: &CompileFailArgs) -> Result<()> {
    let models = match &args.model {
        Some(name) => vec![project::model(name)?],
        None => project::models(),
    };
    let failed = check_all(&models)?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Error::failed(format!(
            "{} case(s) not refused as expected",
            failed.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One `compiler-message` line as cargo prints it, trimmed to the fields read.
    fn message(code: Option<&str>, text: &str) -> String {
        serde_json::json!({
            "reason": "compiler-message",
            "message": {
                "level": "error",
                "message": text,
                "code": code.map(|c| serde_json::json!({ "code": c })),
                "rendered": format!("error: {text}\n  --> src/main.rs:9:5\n"),
                "children": [{ "message": "the trait `Send` is not implemented", "children": [] }],
            }
        })
        .to_string()
    }

    fn e0277() -> Expect {
        parse_expect(r#"// expect: E0277 "cannot be sent between threads safely""#).unwrap()
    }

    #[test]
    fn the_expect_line_is_parsed() {
        assert_eq!(e0277().code.as_deref(), Some("E0277"));
        assert_eq!(e0277().phrase, "cannot be sent between threads safely");
        let none = parse_expect("// expect: no-code \"future cannot\"\nfn main() {}").unwrap();
        assert_eq!(none.code, None);
        for bad in [
            "fn main() {}",
            "// expect: E0277",
            "// expect: E27 \"x\"",
            "// expect: E0277 unquoted",
        ] {
            assert!(parse_expect(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_reworded_message_with_the_same_code_and_phrase_passes() {
        let today = message(
            Some("E0277"),
            "`Rc<Vec<u64>>` cannot be sent between threads safely",
        );
        let reworded = message(
            Some("E0277"),
            "the value `Rc<Vec<u64>>` (not `Send`) cannot be sent between threads safely here",
        );
        let done = r#"{"reason":"build-finished","success":false}"#;
        for out in [today, reworded] {
            assert_eq!(
                judge(&e0277(), false, &format!("{out}\n{done}"), ""),
                Ok(())
            );
        }
    }

    #[test]
    fn a_different_error_code_fails() {
        let other = message(Some("E0382"), "cannot be sent between threads safely");
        let why = judge(&e0277(), false, &other, "").unwrap_err();
        assert!(
            why.contains("E0382") && why.contains("expected E0277"),
            "{why}"
        );
        let missing_phrase = message(Some("E0277"), "the trait bound `X: Foo` is not satisfied");
        assert!(judge(&e0277(), false, &missing_phrase, "").is_err());
    }

    #[test]
    fn compiling_successfully_fails_the_check() {
        let done = r#"{"reason":"build-finished","success":true}"#;
        let why = judge(&e0277(), true, done, "").unwrap_err();
        assert!(why.contains("it compiled"), "{why}");
    }

    #[test]
    fn no_code_accepts_a_code_added_later_but_needs_the_phrase() {
        let expect = parse_expect(r#"// expect: no-code "future cannot be sent""#).unwrap();
        let today = message(None, "future cannot be sent between threads safely");
        let later = message(
            Some("E0277"),
            "future cannot be sent between threads safely",
        );
        assert_eq!(judge(&expect, false, &today, ""), Ok(()));
        assert_eq!(judge(&expect, false, &later, ""), Ok(()));
        let other = message(None, "expected `;`, found `}`");
        assert!(judge(&expect, false, &other, "").is_err());
    }

    #[test]
    fn a_cargo_failure_without_a_diagnostic_is_not_a_refusal() {
        let stderr = "error: no matching package named `tokio` found\n";
        let why = judge(&e0277(), false, "", stderr).unwrap_err();
        assert!(why.contains("no matching package"), "{why}");
    }

    #[test]
    fn every_case_has_an_expect_line_and_is_not_a_workspace_member() {
        let cases: Vec<Case> = project::models().iter().flat_map(cases).collect();
        assert!(
            !cases.is_empty(),
            "no examples-*/compile-fail/<case>/ found"
        );
        for case in cases {
            let main = std::fs::read_to_string(case.dir.join("src/main.rs")).unwrap_or_default();
            if let Err(why) = parse_expect(&main) {
                panic!("{}: {why}", case.dir.display());
            }
            let manifest = std::fs::read_to_string(case.dir.join("Cargo.toml")).unwrap();
            assert!(
                manifest.lines().any(|l| l.trim() == "[workspace]"),
                "{}: Cargo.toml needs an empty `[workspace]` table",
                case.dir.display()
            );
        }
    }
}
