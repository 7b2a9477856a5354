//! References between lessons and exercises: each carries number and name
//! (`09_deadlock`, `threads/09_deadlock`, `examples-threads/examples/09_deadlock.rs`)
//! and both match a file of the right crate. A bare number (`lesson 07`,
//! `see 07`, `cargo xtask run async 04`) is refused: after a renumbering it
//! still names *a* lesson, just not the one meant.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::project;

/// What a reference may name: each model's lesson and exercise stems.
#[derive(Debug, Default)]
pub struct Catalog {
    models: BTreeMap<String, Stems>,
}

#[derive(Debug, Default)]
pub struct Stems {
    pub lessons: BTreeSet<String>,
    pub exercises: BTreeSet<String>,
}

/// What kind of file a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lesson,
    Exercise,
    Either,
}

impl Catalog {
    pub fn of_repo() -> Self {
        let mut catalog = Catalog::default();
        for m in project::models() {
            let stems = Stems {
                lessons: project::lessons(&m).into_iter().map(|l| l.name).collect(),
                exercises: project::exercises(&m)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| e.topic)
                    .collect(),
            };
            catalog.models.insert(m.name, stems);
        }
        catalog
    }

    #[cfg(test)]
    pub fn with(model: &str, lessons: &[&str], exercises: &[&str]) -> Self {
        let mut catalog = Catalog::default();
        catalog.add(model, lessons, exercises);
        catalog
    }

    #[cfg(test)]
    pub fn add(&mut self, model: &str, lessons: &[&str], exercises: &[&str]) {
        let set = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        let stems = Stems {
            lessons: set(lessons),
            exercises: set(exercises),
        };
        self.models.insert(model.to_string(), stems);
    }

    fn is_model(&self, name: &str) -> bool {
        self.models.contains_key(name)
    }

    /// Whether a `NN_topic` written without a crate or folder looks like one
    /// of `model`'s: its number or its topic is in use there. `64_bit` is
    /// not, so it is not taken for a reference.
    fn looks_like_ours(&self, model: &str, stem: &str) -> bool {
        let Some(stems) = self.models.get(model) else {
            return true;
        };
        let (number, topic) = stem.split_once('_').unwrap_or((stem, ""));
        stems.lessons.iter().chain(&stems.exercises).any(|s| {
            let (n, t) = s.split_once('_').unwrap_or((s, ""));
            n == number || t == topic
        })
    }

    /// `None` if `stem` names a file of that kind in `model`, else why not.
    fn problem(&self, model: &str, kind: Kind, stem: &str) -> Option<String> {
        let Some(stems) = self.models.get(model) else {
            return Some(format!("there is no model `{model}`"));
        };
        let lesson = stems.lessons.contains(stem);
        let exercise = stems.exercises.contains(stem);
        let (found, what) = match kind {
            Kind::Lesson => (lesson, "lesson"),
            Kind::Exercise => (exercise, "exercise"),
            Kind::Either => (lesson || exercise, "lesson or exercise"),
        };
        if found {
            return None;
        }
        // The same topic under another number is the usual cause: a renumbering.
        let topic = stem.split_once('_').map_or(stem, |(_, t)| t);
        let moved = stems
            .lessons
            .iter()
            .chain(&stems.exercises)
            .find(|s| s.split_once('_').is_some_and(|(_, t)| t == topic));
        let hint = moved.map_or(String::new(), |m| format!(" (renumbered to `{m}`?)"));
        Some(format!("no {what} `{stem}` in {model}{hint}"))
    }
}

/// One reference that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based.
    pub line: usize,
    /// The text as written, e.g. `lesson 07`.
    pub text: String,
    pub why: String,
}

impl Finding {
    /// `file:line: `text`: why`, the line a failing tidy test prints.
    pub fn at(&self, file: &Path) -> String {
        format!(
            "{}:{}: `{}`: {}",
            file.display(),
            self.line,
            self.text,
            self.why
        )
    }
}

/// A word of the text: letters, digits and the characters of paths and
/// placeholders (`_ / . - < >`), with a sentence's final dots removed.
#[derive(Debug)]
struct Word<'a> {
    line: usize,
    text: &'a str,
    /// The character right after the word on its line, if any.
    after: Option<char>,
}

fn words(text: &str) -> Vec<Word<'_>> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || "_/.-<>".contains(c);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find(is_word) {
            let tail = &rest[start..];
            let len = tail.find(|c| !is_word(c)).unwrap_or(tail.len());
            let word = tail[..len].trim_end_matches('.');
            rest = &tail[len..];
            // Comment markers (`//`, `//!`) are not words.
            if word.is_empty() || word.chars().all(|c| c == '/') {
                continue;
            }
            let after = tail[word.len()..].chars().next();
            out.push(Word {
                line: n + 1,
                text: word,
                after,
            });
        }
    }
    out
}

/// The leading ASCII digits of `s` and what follows them.
fn split_digits(s: &str) -> (&str, &str) {
    let n = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(n)
}

/// `rest` (after some digits) starts a name: `_topic`.
fn starts_name(rest: &str) -> bool {
    rest.strip_prefix('_')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
}

/// Every `NN_topic` inside a word, as (prefix before it, the stem).
fn stems_in(word: &str) -> Vec<(&str, &str)> {
    let bytes = word.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < bytes.len() {
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if boundary
            && bytes[i].is_ascii_digit()
            && bytes[i + 1].is_ascii_digit()
            && starts_name(&word[i + 2..])
        {
            let len = word[i..]
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(word.len() - i);
            let stem = word[i..i + len].trim_end_matches('_');
            out.push((&word[..i], stem));
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

/// Scan one file's text. `home` is the model whose crate holds the file
/// (`None` for the top-level README and ARCHITECTURE.md); `markdown` turns
/// on the check of table columns headed "lesson"/"exercise".
pub fn scan(text: &str, home: Option<&str>, catalog: &Catalog, markdown: bool) -> Vec<Finding> {
    let words = words(text);
    let mut found = Vec::new();
    let mut checked = BTreeSet::new();
    let mut flag = |w: &Word, text: String, why: String| {
        found.push(Finding {
            line: w.line,
            text,
            why,
        })
    };
    let bare = "a bare number; write number and name (`09_deadlock`, `threads/09_deadlock`)";
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1);
        let lower = w.text.to_ascii_lowercase();

        // `lesson 07`, `lessons 3-5`, `exercise 2`, `see 07`.
        if let Some(n) = next {
            let (digits, rest) = split_digits(n.text);
            let named = starts_name(rest);
            let keyword = matches!(
                lower.as_str(),
                "lesson" | "lessons" | "exercise" | "exercises"
            );
            let see = lower == "see"
                && digits.len() == 2
                && rest.is_empty()
                && (digits.starts_with('0') || matches!(n.after, None | Some(')' | ',' | ';')));
            if !digits.is_empty() && !named && (keyword || see) {
                flag(w, format!("{} {}", w.text, n.text), bare.into());
            }
        }

        // `cargo xtask run <model> <lesson>`: the lesson of that model.
        if lower == "run" && i > 0 && words[i - 1].text == "xtask" {
            if let (Some(m), Some(x)) = (next, words.get(i + 2)) {
                if catalog.is_model(m.text) {
                    let (digits, rest) = split_digits(x.text);
                    if !digits.is_empty() && !starts_name(rest) {
                        let text = format!("xtask run {} {}", m.text, x.text);
                        flag(w, text, format!("{bare}: `run {} NN_topic`", m.text));
                        checked.insert(i + 2);
                    } else if let [("", stem)] = stems_in(x.text)[..] {
                        if let Some(why) = catalog.problem(m.text, Kind::Lesson, stem) {
                            flag(x, format!("xtask run {} {}", m.text, x.text), why);
                        }
                        checked.insert(i + 2);
                    }
                }
            }
        }

        // `threads/02`: a model and a bare number.
        if let Some((m, tail)) = w.text.rsplit_once('/') {
            let m = m.rsplit('/').next().unwrap_or(m);
            let (digits, rest) = split_digits(tail);
            if catalog.is_model(m) && !digits.is_empty() && !starts_name(rest) {
                flag(w, w.text.to_string(), bare.into());
            }
        }

        if checked.contains(&i) {
            continue;
        }
        // `-p examples-threads --example 09_deadlock`: a lesson of that crate.
        let example_of = if i >= 1 && words[i - 1].text == "--example" {
            words[i.saturating_sub(4)..i - 1]
                .iter()
                .find_map(|p| p.text.strip_prefix("examples-"))
        } else {
            None
        };
        for (prefix, stem) in stems_in(w.text) {
            let Some((model, kind)) = target(prefix, home, example_of, catalog) else {
                continue;
            };
            let loose = prefix.is_empty() && example_of.is_none();
            let ours = match model {
                Some(m) => catalog.looks_like_ours(m, stem),
                None => catalog
                    .models
                    .keys()
                    .any(|m| catalog.looks_like_ours(m, stem)),
            };
            if loose && !ours {
                continue;
            }
            let problem = match model {
                Some(m) => catalog.problem(m, kind, stem),
                None => Some(format!(
                    "outside a model's crate, name the crate too: `<model>/{stem}`"
                )),
            };
            if let Some(why) = problem {
                flag(w, w.text.to_string(), why);
            }
        }
    }
    if markdown {
        found.extend(scan_tables(text));
    }
    found.sort_by_key(|f| f.line);
    found
}

/// Which model and kind the `NN_topic` after `prefix` refers to: `None` to
/// skip it (a path that is not a lesson's or an exercise's), `Some((None, _))`
/// when no model can be told.
fn target<'a>(
    prefix: &'a str,
    home: Option<&'a str>,
    example_of: Option<&'a str>,
    catalog: &Catalog,
) -> Option<(Option<&'a str>, Kind)> {
    if prefix.is_empty() {
        return Some(match example_of {
            Some(m) => (Some(m), Kind::Lesson),
            None => (home, Kind::Either),
        });
    }
    if prefix.ends_with("learner-") {
        return Some((home, Kind::Exercise));
    }
    let dir = prefix.strip_suffix('/')?;
    let (parent, last) = dir.rsplit_once('/').unwrap_or(("", dir));
    let crate_of = |p: &'a str| -> Option<&'a str> {
        let name = p.rsplit('/').next().unwrap_or(p);
        name.strip_prefix("examples-")
    };
    let in_crate = |kind| {
        if parent.is_empty() {
            Some((home, kind))
        } else {
            crate_of(parent).map(|m| (Some(m), kind))
        }
    };
    match last {
        "examples" => in_crate(Kind::Lesson),
        "exercises" => in_crate(Kind::Exercise),
        m if catalog.is_model(m) => Some((Some(m), Kind::Either)),
        _ => None,
    }
}

/// Markdown tables: a column headed "lesson" or "exercise" (e.g. "after
/// lesson") whose cell is a bare number.
fn scan_tables(text: &str) -> Vec<Finding> {
    let cells = |l: &str| -> Vec<String> {
        l.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().trim_matches('`').to_string())
            .collect()
    };
    let mut found = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for (n, line) in text.lines().enumerate() {
        if !line.trim_start().starts_with('|') {
            header = None;
            continue;
        }
        let row = cells(line);
        let Some(head) = &header else {
            header = Some(row.iter().map(|c| c.to_ascii_lowercase()).collect());
            continue;
        };
        for (cell, title) in row.iter().zip(head) {
            let refers = title.contains("lesson") || title.contains("exercise");
            let (digits, _) = split_digits(cell);
            if refers && !digits.is_empty() && !cell.contains('_') {
                found.push(Finding {
                    line: n + 1,
                    text: format!("| {cell} | under \"{title}\""),
                    why: "a bare number in a table; write the lesson's name (`09_deadlock`)".into(),
                });
            }
        }
    }
    found
}

/// The files whose references are checked, with the model whose crate holds
/// each (`None` at the top level).
pub fn files() -> Vec<(std::path::PathBuf, Option<String>)> {
    let root = project::root();
    let mut out = vec![
        (root.join("README.md"), None),
        (root.join("ARCHITECTURE.md"), None),
        (root.join("WORKSHOP.md"), None),
    ];
    for m in project::models() {
        let home = Some(m.name.clone());
        out.push((m.dir.join("README.md"), home.clone()));
        out.push((m.dir.join("exercises/hints.toml"), home.clone()));
        for l in project::lessons(&m) {
            out.push((l.path, home.clone()));
        }
        for e in project::exercises(&m).unwrap_or_default() {
            for f in ["exercise.rs", "solution.rs", "tests.rs"] {
                out.push((e.dir.join(f), home.clone()));
            }
        }
    }
    out.retain(|(p, _)| p.exists());
    out
}

/// Every finding in the repository, as `path:line: text: why`.
pub fn check_repo() -> Vec<String> {
    let catalog = Catalog::of_repo();
    let root = project::root();
    let mut out = Vec::new();
    for (path, home) in files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let markdown = path.extension().is_some_and(|e| e == "md");
        let rel = path.strip_prefix(&root).unwrap_or(&path);
        for f in scan(&text, home.as_deref(), &catalog, markdown) {
            out.push(f.at(rel));
        }
    }
    out
}

/// The folders of a model crate that a path written inside it starts from.
const CRATE_DIRS: &[&str] = &["examples/", "exercises/", "tests/", "compile-fail/", "src/"];

/// The paths a text names that do not exist: `examples-<model>/...` from the
/// root, and inside a model's crate (`crate_dir`) paths such as
/// `tests/ui/x.rs` from that crate. Patterns (`*`, `<model>`, `NN_topic`)
/// are skipped.
pub fn missing_paths(
    text: &str,
    catalog: &Catalog,
    root: &Path,
    crate_dir: Option<&Path>,
) -> Vec<Finding> {
    words(text)
        .into_iter()
        .filter(|w| {
            let path = w.text.trim_start_matches("../");
            // A glob such as `tests/ui/*.rs` ends this word at the `*`.
            if path.contains('<') || path.contains("NN") || w.after == Some('*') {
                return false;
            }
            let model = path
                .strip_prefix("examples-")
                .and_then(|p| p.split_once('/'))
                .map(|(m, _)| m);
            if model.is_some_and(|m| catalog.is_model(m)) {
                return !root.join(path).exists();
            }
            match crate_dir {
                Some(dir) if CRATE_DIRS.iter().any(|d| w.text.starts_with(d)) => {
                    !dir.join(w.text).exists()
                }
                _ => false,
            }
        })
        .map(|w| Finding {
            line: w.line,
            text: w.text.to_string(),
            why: "no such file or directory".into(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let mut c = Catalog::with(
            "threads",
            &["01_spawn_join", "05_channels", "09_deadlock"],
            &["01_parallel_sum"],
        );
        c.add(
            "async",
            &["04_thousand_connections", "05_select_timeout_cancel"],
            &[],
        );
        c
    }

    fn scan_threads(text: &str) -> Vec<Finding> {
        scan(text, Some("threads"), &catalog(), true)
    }

    #[test]
    fn good_references_pass() {
        for good in [
            "the cycle of `09_deadlock` again",
            "as threads/09_deadlock showed",
            "see examples-threads/examples/09_deadlock.rs.",
            "[x](../examples-async/examples/05_select_timeout_cancel.rs)",
            "Run: cargo xtask run async 05_select_timeout_cancel",
            "cargo xtask run threads 09_deadlock -- --break",
            "cargo xtask exercise check threads/01_parallel_sum",
            "cargo test -p examples-threads --features learner-01_parallel_sum",
            "cargo run -p examples-async --example 04_thousand_connections",
            "lesson 09_deadlock, exercise 01_parallel_sum",
            "cargo xtask run threads --all",
            "cargo xtask run threads NN_topic",
        ] {
            assert_eq!(scan_threads(good), vec![], "{good}");
        }
    }

    #[test]
    fn numbers_that_are_not_references_pass() {
        for prose in [
            "10 threads take 10_000 items in 2 s",
            "we see 10 threads, then 2 lessons later",
            "you will see 0 ticks and 20 after",
            "a 64_bit or x86_64 target, 0x1000 words",
            "// Step 1: spawn. Step 2: join.",
            "let v = vec![1u64, 05];",
        ] {
            assert_eq!(scan_threads(prose), vec![], "{prose}");
        }
    }

    #[test]
    fn stale_references_fail_and_say_what_moved() {
        let found = scan_threads("as 10_deadlock shows");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].why.contains("renumbered to `09_deadlock`"),
            "{found:?}"
        );
        for stale in [
            "threads/07_deadlock",
            "examples-async/examples/09_deadlock.rs",
            "examples/04_thousand_connections.rs",
            "cargo xtask run async 09_deadlock",
            "exercises/02_parallel_sum/exercise.rs",
            "nosuch/01_spawn_join is skipped but async/01_spawn_join is not",
        ] {
            assert_eq!(scan_threads(stale).len(), 1, "{stale}");
        }
    }

    #[test]
    fn bare_numbers_fail_with_line_and_text() {
        for bare in [
            "see lesson 07 for that",
            "lessons 3-5 cover it",
            "(see 07)",
            "see 07 and 08",
            "exercise 2 asks",
            "`cargo xtask run async 04`",
            "Lesson 03's server",
            "exercise check threads/02",
        ] {
            let found = scan_threads(bare);
            assert_eq!(found.len(), 1, "{bare}: {found:?}");
        }
        let text = "//! first line\n//! as in lesson\n//! 07, the deadlock\n";
        let found = scan_threads(text);
        assert_eq!(found[0].line, 2, "{found:?}");
        assert_eq!(found[0].text, "lesson 07");
        let run = scan_threads("a\n    cargo xtask run async 04\n");
        assert_eq!(
            (run[0].line, run[0].text.as_str()),
            (2, "xtask run async 04")
        );
    }

    #[test]
    fn outside_a_crate_a_reference_names_its_model() {
        let c = catalog();
        assert_eq!(scan("see threads/09_deadlock", None, &c, true), vec![]);
        assert_eq!(scan("see `09_deadlock`", None, &c, true).len(), 1);
    }

    #[test]
    fn table_columns_about_lessons_hold_names() {
        let table = "| exercise | after lesson |\n|---|---|\n| `01_parallel_sum` | 02 |\n| `01_parallel_sum` | `01_spawn_join` |\n";
        let found = scan_threads(table);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
        let numbered =
            "| # | lesson |\n|---|---|\n| 01 | [`01_spawn_join.rs`](examples/01_spawn_join.rs) |\n";
        assert_eq!(scan_threads(numbered), vec![]);
    }

    #[test]
    fn named_paths_must_exist() {
        let root = project::root();
        let text = "see examples-threads/Cargo.toml and\nexamples-threads/tests/nosuch/x.rs";
        let found = missing_paths(text, &Catalog::of_repo(), &root, None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 2);
        let krate = root.join("examples-threads");
        let inside = "see src/lib.rs, tests/nosuch.rs, tests/ui/*.stderr, exercises/NN_topic/";
        let found = missing_paths(inside, &Catalog::of_repo(), &root, Some(&krate));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].text, "tests/nosuch.rs");
    }
}
