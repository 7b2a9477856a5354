//! Style checks as tests (`cargo test -p xtask`): the lesson and exercise
//! conventions (README, ARCHITECTURE.md) that a reviewer would otherwise
//! have to remember. Each check lists every problem it finds, by file and
//! line, not only the first.

mod files;
mod lessons;
mod refs;

use std::path::Path;

use crate::project::{self, Lesson};

fn header(path: &Path) -> Vec<String> {
    project::header(&std::fs::read_to_string(path).unwrap_or_default())
}

/// Fail with every problem, one per line.
fn assert_none(problems: &[String], what: &str) {
    assert!(
        problems.is_empty(),
        "{} {what}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn all_lessons() -> Vec<(project::Model, Lesson)> {
    project::models()
        .into_iter()
        .flat_map(|m| {
            project::lessons(&m)
                .into_iter()
                .map(move |l| (m.clone(), l))
        })
        .collect()
}

#[test]
fn there_is_at_least_one_lesson() {
    assert!(
        !all_lessons().is_empty(),
        "no examples-*/examples/NN_topic.rs found"
    );
}

#[test]
fn every_lesson_header_has_a_claim_run_and_observe() {
    for (_, l) in all_lessons() {
        let h = header(&l.path);
        let name = l.path.display();
        assert!(
            h.first().is_some_and(|c| !c.is_empty()),
            "{name}: the `//!` header must open with a one-sentence claim"
        );
        assert!(
            h.iter().any(|x| x.starts_with("Run:")),
            "{name}: no `Run:` in the header"
        );
        assert!(
            h.iter().any(|x| x.starts_with("Observe:")),
            "{name}: no `Observe:` in the header"
        );
        assert!(
            h.iter().any(|x| x.starts_with("cargo ")),
            "{name}: `Run:` should give the exact command"
        );
    }
}

#[test]
fn every_compare_path_exists() {
    for (_, l) in all_lessons() {
        let h = header(&l.path);
        let Some(start) = h.iter().position(|x| x.starts_with("Compare:")) else {
            continue;
        };
        // The Compare paragraph runs to the next blank header line.
        for line in h[start..].iter().take_while(|x| !x.is_empty()) {
            for word in line.split_whitespace() {
                let word = word.trim_matches(|c: char| "`,.;:()".contains(c));
                if word.contains('/') && word.ends_with(".rs") {
                    assert!(
                        project::root().join(word).exists(),
                        "{}: Compare names {word}, which does not exist",
                        l.path.display()
                    );
                }
            }
        }
    }
}

#[test]
fn lesson_numbers_are_unique_and_start_at_one() {
    for m in project::models() {
        let numbers: Vec<u32> = project::lessons(&m).iter().map(|l| l.number).collect();
        let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
        assert_eq!(
            numbers, expected,
            "{}: lessons must be numbered 01, 02, ... without gaps or duplicates",
            m.name
        );
    }
}

#[test]
fn crate_readmes_list_every_lesson_and_exercise() {
    for m in project::models() {
        let readme = std::fs::read_to_string(m.dir.join("README.md")).unwrap_or_default();
        assert!(!readme.is_empty(), "{} has no README.md", m.dir.display());
        for l in project::lessons(&m) {
            assert!(
                readme.contains(&l.name),
                "{}/README.md does not list lesson {}",
                m.dir.display(),
                l.name
            );
        }
        for e in project::exercises(&m).unwrap() {
            assert!(
                readme.contains(&e.topic),
                "{}/README.md does not list exercise {}",
                m.dir.display(),
                e.topic
            );
        }
    }
}

#[test]
fn every_exercise_is_complete_and_wired() {
    for m in project::models() {
        let manifest = std::fs::read_to_string(m.dir.join("Cargo.toml")).unwrap();
        for e in project::exercises(&m).unwrap() {
            let name = e.name();
            for file in ["exercise.rs", "solution.rs", "tests.rs"] {
                assert!(e.dir.join(file).exists(), "{name}: {file} is missing");
            }
            let starter = std::fs::read_to_string(e.dir.join("exercise.rs")).unwrap();
            assert!(
                starter.contains("// TODO:"),
                "{name}: the starter needs `// TODO:` at each change site"
            );
            let hint = e.hint.as_ref().unwrap_or_else(|| {
                panic!("{name}: no [{}] table in exercises/hints.toml", e.topic)
            });
            assert!(!hint.layers().is_empty(), "{name}: empty hint");
            assert!(
                (1..=30).contains(&hint.timeout_s),
                "{name}: timeout_s must be 1..=30"
            );
            assert!(
                manifest.contains(&format!("{} = []", e.feature())),
                "{name}: no `{} = []` feature",
                e.feature()
            );
            assert!(
                manifest.contains(&format!("name = \"{}\"", e.topic))
                    && manifest.contains(&format!("path = \"exercises/{}/tests.rs\"", e.topic)),
                "{name}: no [[test]] target for exercises/{}/tests.rs",
                e.topic
            );
            let tests = std::fs::read_to_string(e.dir.join("tests.rs")).unwrap();
            assert!(
                tests.contains(&format!("feature = \"{}\"", e.feature())),
                "{name}: tests.rs must switch to exercise.rs under the learner feature"
            );
        }
    }
}

#[test]
fn the_readme_gives_the_two_commands() {
    let readme = std::fs::read_to_string(project::root().join("README.md")).unwrap();
    assert!(readme.contains("cargo xtask compare") && readme.contains("cargo xtask test"));
    let ci = std::fs::read_to_string(project::root().join(".ci/run")).unwrap();
    assert!(
        ci.contains("cargo xtask test"),
        ".ci/run must run the README's test command"
    );
}

#[test]
fn no_toolchain_pin() {
    // rustup would try to download a pinned toolchain on an offline workshop laptop.
    assert!(
        !project::root().join("rust-toolchain.toml").exists()
            && !project::root().join("rust-toolchain").exists()
    );
}

#[test]
fn every_run_command_runs_its_own_lesson() {
    let mut problems = Vec::new();
    for (m, l) in all_lessons() {
        for p in lessons::run_problems(&l.header(), &m.name, &l.name) {
            problems.push(format!("{}: {p}", lessons::rel_path(&l)));
        }
    }
    assert_none(
        &problems,
        "lesson(s) whose Run:/Break: is not `cargo xtask run <model> <NN_topic>`",
    );
}

#[test]
fn every_reference_carries_number_and_name_and_matches_a_file() {
    assert_none(
        &refs::check_repo(),
        "reference(s) to lessons or exercises that do not hold",
    );
}

#[test]
fn every_compare_link_exists_and_links_back() {
    assert_none(
        &lessons::compare_problems(&all_lessons()),
        "one-way or dangling Compare: link(s)",
    );
}

#[test]
fn no_file_leaves_the_repository_or_names_a_missing_path() {
    assert_none(
        &files::check_repo(),
        "path(s) outside the repository or missing",
    );
}

#[test]
fn every_lesson_is_short_and_explains_why() {
    let mut problems = Vec::new();
    for (_, l) in all_lessons() {
        let source = std::fs::read_to_string(&l.path).unwrap_or_default();
        for p in lessons::size_problems(&source) {
            problems.push(format!("{}: {p}", lessons::rel_path(&l)));
        }
    }
    assert_none(&problems, "size or comment-share problem(s)");
}

#[test]
fn break_paragraph_exactly_where_the_lesson_handles_break() {
    let mut problems = Vec::new();
    for (_, l) in all_lessons() {
        let source = std::fs::read_to_string(&l.path).unwrap_or_default();
        let path = lessons::rel_path(&l);
        match (l.has_break(), lessons::handles_break(&source)) {
            (true, false) => problems.push(format!(
                "{path}: `Break:` in the header, but the code never reads \"--break\""
            )),
            (false, true) => problems.push(format!(
                "{path}: the code reads \"--break\", but the header has no `Break:` paragraph"
            )),
            _ => {}
        }
    }
    assert_none(
        &problems,
        "lesson(s) with `Break:` and `--break` out of step",
    );
}

#[test]
fn the_path_holds_sixteen_or_more_each_with_lesson_and_budget() {
    let path = project::path().unwrap();
    assert!(path.len() >= 16, "the path has {} exercises", path.len());
    let places: Vec<u32> = path.iter().filter_map(|e| e.path_place()).collect();
    let expected: Vec<u32> = (1..=places.len() as u32).collect();
    assert_eq!(
        places, expected,
        "path places must be 1, 2, ... without gaps or repeats"
    );
    for e in project::all_exercises().unwrap() {
        let h = e.hint.as_ref().unwrap();
        let name = e.name();
        assert!(h.path.is_some(), "{name}: no `path` place in hints.toml");
        let lesson = h
            .lesson
            .as_deref()
            .unwrap_or_else(|| panic!("{name}: no `lesson`"));
        let (model, stem) = lesson.split_once('/').unwrap_or(("", ""));
        let known = project::model(model)
            .map(|m| project::lessons(&m).iter().any(|l| l.name == stem))
            .unwrap_or(false);
        assert!(
            known,
            "{name}: lesson {lesson:?} is not `model/NN_topic` of a lesson"
        );
        assert!(
            h.minutes.is_some_and(|m| (10..=15).contains(&m)),
            "{name}: `minutes` must be 10-15"
        );
    }
}

#[test]
fn every_wrong_answer_is_wired_into_its_crate() {
    for m in project::models() {
        let wiring =
            std::fs::read_to_string(m.dir.join("exercises/wrong_answers.rs")).unwrap_or_default();
        let manifest = std::fs::read_to_string(m.dir.join("Cargo.toml")).unwrap();
        for e in project::exercises(&m).unwrap() {
            for stem in e.wrong_answers() {
                let module = e.wrong_module(&stem);
                assert!(
                    wiring.contains(&format!("mod {module} {{"))
                        && wiring.contains(&format!("#[path = \"{stem}.rs\"]")),
                    "{}/{stem}: no `mod {module}` in exercises/wrong_answers.rs",
                    e.name()
                );
                assert!(
                    manifest.contains("wrong-answers = []")
                        && manifest.contains("required-features = [\"wrong-answers\"]"),
                    "{}: the wrong_answers target needs its feature",
                    m.name
                );
            }
        }
    }
}

/// The features an exercise's `[[test]]` target requires (`required-features`
/// in the crate's Cargo.toml) are exactly its `features` in hints.toml, each
/// declared by the crate: `exercise check` turns on only what hints.toml
/// lists, and a target missing one is never built at all.
#[test]
fn every_exercise_lists_the_features_its_target_requires() {
    use std::collections::BTreeSet;
    let mut problems = Vec::new();
    for m in project::models() {
        let text = std::fs::read_to_string(m.dir.join("Cargo.toml")).unwrap();
        let manifest: toml::Table = toml::from_str(&text).unwrap();
        let declared = manifest.get("features").and_then(|f| f.as_table());
        let targets = manifest.get("test").and_then(|t| t.as_array());
        let strings = |v: Option<&toml::Value>| -> BTreeSet<String> {
            v.and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        };
        for e in project::exercises(&m).unwrap() {
            let target = targets
                .into_iter()
                .flatten()
                .find(|t| t.get("name").and_then(|n| n.as_str()) == Some(e.topic.as_str()));
            let Some(target) = target else {
                continue; // every_exercise_is_complete_and_wired reports it
            };
            let required = strings(target.get("required-features"));
            let listed: BTreeSet<String> = e.needs().into_iter().collect();
            if required != listed {
                problems.push(format!(
                    "{}: the target requires {required:?}, hints.toml lists `features = {listed:?}`",
                    e.name()
                ));
            }
            for f in &listed {
                if !declared.is_some_and(|d| d.contains_key(f)) {
                    problems.push(format!("{}: feature `{f}` is not declared", e.name()));
                }
            }
        }
    }
    assert_none(&problems, "exercise(s) whose features and target disagree");
}
