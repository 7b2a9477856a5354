//! Checks of each lesson file against the lesson conventions: its `Run:`
//! command, its `Compare:` back-links, its size and comment share, and
//! `Break:` exactly where the source handles `--break`.

use std::collections::BTreeMap;

use crate::project::{self, section, Lesson, Model};

/// The most lines a lesson may have: one idea per file.
pub const MAX_LINES: usize = 150;
/// The least comment share over the whole file, header included (percent).
pub const MIN_SHARE_FILE: f64 = 30.0;
/// The least comment share over the lines after the `//!` header (percent).
pub const MIN_SHARE_BODY: f64 = 25.0;

/// Comment lines (trimmed, starting with `//`, `//!` included) as a percent
/// of comment plus code lines; blank lines count for neither.
pub fn comment_share<'a>(lines: impl IntoIterator<Item = &'a str>) -> f64 {
    let (mut comments, mut code) = (0u32, 0u32);
    for l in lines.into_iter().map(str::trim).filter(|l| !l.is_empty()) {
        if l.starts_with("//") {
            comments += 1;
        } else {
            code += 1;
        }
    }
    if comments + code == 0 {
        return 0.0;
    }
    100.0 * f64::from(comments) / f64::from(comments + code)
}

/// Size and comment-share problems of one lesson's source.
pub fn size_problems(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = source.lines().collect();
    if lines.len() > MAX_LINES {
        out.push(format!("{} lines (at most {MAX_LINES})", lines.len()));
    }
    let whole = comment_share(lines.iter().copied());
    if whole < MIN_SHARE_FILE {
        out.push(format!(
            "comment share {whole:.1} % over the file (at least {MIN_SHARE_FILE:.0} %)"
        ));
    }
    let header = lines.iter().take_while(|l| l.starts_with("//!")).count();
    let body = comment_share(lines[header..].iter().copied());
    if body < MIN_SHARE_BODY {
        out.push(format!(
            "comment share {body:.1} % after the header (at least {MIN_SHARE_BODY:.0} %)"
        ));
    }
    out
}

/// Problems with the `cargo xtask run` commands of the `Run:` and `Break:`
/// sections: each must run this very lesson, by model and full stem.
pub fn run_problems(header: &[String], model: &str, stem: &str) -> Vec<String> {
    let own = format!("cargo xtask run {model} {stem}");
    let mut out = Vec::new();
    for label in ["Run", "Break"] {
        let text = section(header, label).join(" ");
        for (i, _) in text.match_indices("cargo xtask run ") {
            let cmd: String = text[i..]
                .split('`')
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .take(5)
                .collect::<Vec<_>>()
                .join(" ");
            if cmd != own {
                out.push(format!("`{label}:` runs `{cmd}`, not `{own}`"));
            }
        }
    }
    let run = section(header, "Run");
    if out.is_empty() && !run.contains(&own) {
        out.push(format!(
            "`Run:` must give the command `{own}` on a line of its own"
        ));
    }
    out
}

/// The lesson paths (`examples-<model>/examples/NN_topic.rs`) a `Compare:`
/// section names.
pub fn compare_paths(header: &[String]) -> Vec<String> {
    section(header, "Compare")
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(|w| w.trim_matches(|c: char| "`,.;:()[]".contains(c)))
        .filter(|w| w.contains('/') && w.ends_with(".rs"))
        .map(str::to_string)
        .collect()
}

/// A lesson's path as `Compare:` sections write it.
pub fn rel_path(lesson: &Lesson) -> String {
    let root = project::root();
    lesson
        .path
        .strip_prefix(&root)
        .unwrap_or(&lesson.path)
        .display()
        .to_string()
}

/// Compare links that name no file, or whose target does not link back.
pub fn compare_problems(lessons: &[(Model, Lesson)]) -> Vec<String> {
    let links: BTreeMap<String, Vec<String>> = lessons
        .iter()
        .map(|(_, l)| (rel_path(l), compare_paths(&l.header())))
        .collect();
    let mut out = Vec::new();
    for (from, targets) in &links {
        for to in targets {
            match links.get(to) {
                Some(back) if back.contains(from) => {}
                Some(_) => out.push(format!(
                    "{from}: `Compare:` names {to}, whose `Compare:` does not name {from}"
                )),
                None if project::root().join(to).exists() => {}
                None => out.push(format!(
                    "{from}: `Compare:` names {to}, which does not exist"
                )),
            }
        }
    }
    out
}

/// Whether the code (after the header) reads a `--break` argument.
pub fn handles_break(source: &str) -> bool {
    source
        .lines()
        .skip_while(|l| l.starts_with("//!"))
        .any(|l| l.contains("\"--break\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(text: &str) -> Vec<String> {
        project::header(text)
    }

    #[test]
    fn comment_share_counts_comment_and_code_lines_only() {
        let src = "//! claim\n//!\n\nfn main() {\n    // why\n    run();\n}\n";
        // 3 comment lines (`//!`, `//!`, `// why`), 3 code lines, 1 blank.
        assert_eq!(comment_share(src.lines()), 50.0);
        let thin = format!("//! c\n{}", "x();\n".repeat(9));
        let problems = size_problems(&thin);
        assert_eq!(problems.len(), 2, "{problems:?}");
        let long = format!("//! c\n{}", "// why\nx();\n".repeat(80));
        let problems = size_problems(&long);
        assert!(
            problems.len() == 1 && problems[0].contains("161 lines"),
            "{problems:?}"
        );
    }

    #[test]
    fn run_must_name_the_lesson_itself() {
        let good = header("//! Claim.\n//!\n//! Run:\n//!\n//!     cargo xtask run async 05_select\n//!\n//! Break: `cargo xtask run async 05_select -- --break` stops.\n");
        assert_eq!(
            run_problems(&good, "async", "05_select"),
            Vec::<String>::new()
        );
        let number = header("//! Run:\n//!\n//!     cargo xtask run async 05\n");
        assert_eq!(run_problems(&number, "async", "05_select").len(), 1);
        let other = header("//! Run:\n//!\n//!     cargo xtask run async 04_other\n");
        assert_eq!(run_problems(&other, "async", "05_select").len(), 1);
        let missing = header("//! Run: see the README\n");
        assert_eq!(run_problems(&missing, "async", "05_select").len(), 1);
        let broken = header("//! Run:\n//!     cargo xtask run async 05_select\n//! Break: `cargo xtask run threads 05_select -- --break`\n");
        assert_eq!(run_problems(&broken, "async", "05_select").len(), 1);
    }

    #[test]
    fn compare_paths_are_read_from_their_section_only() {
        let h = header("//! See examples-x/examples/01_a.rs.\n//!\n//! Compare: examples-threads/examples/01_spawn_join.rs and\n//! `examples-green/examples/01_green_threads.rs`.\n");
        assert_eq!(
            compare_paths(&h),
            [
                "examples-threads/examples/01_spawn_join.rs",
                "examples-green/examples/01_green_threads.rs"
            ]
        );
    }

    #[test]
    fn break_is_detected_in_code_not_in_the_header() {
        assert!(handles_break(
            "//! x\nfn main() { args().any(|a| a == \"--break\"); }"
        ));
        assert!(!handles_break(
            "//! Break: `... -- \"--break\"`\nfn main() {}"
        ));
    }
}
