//! Checks over every tracked text file: the repository stands on its own, so
//! no file names a folder beside it or a path that leaves it, and the paths
//! and Markdown links it names exist.

use std::path::{Component, Path, PathBuf};

use super::refs::{self, Catalog, Finding};
use crate::project;

/// The tracked files (`git ls-files`); without git (a downloaded archive),
/// every file outside `target/` and hidden directories.
pub fn tracked() -> Vec<PathBuf> {
    let root = project::root();
    let git = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(&root)
        .output();
    match git {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout)
            .split('\0')
            .filter(|p| !p.is_empty())
            .map(|p| root.join(p))
            .filter(|p| p.is_file())
            .collect(),
        _ => walk(&root),
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let path = e.path();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                out.extend(walk(&path));
            }
        } else {
            out.push(path);
        }
    }
    out
}

/// The folder the repository must not mention, spelled so that this file
/// does not mention it.
const SIBLING: &str = concat!("shared", "/");
/// The design guide kept beside the repository (a learner's clone has none):
/// naming its sections points at a document the reader cannot open.
const DESIGN_GUIDE: &str = concat!("GUI", "DE");

/// Mentions of the sibling folder, and `../` paths that climb above `root`
/// when read from `dir` (the folder of the file that holds them).
pub fn outside_paths(text: &str, dir: &Path, root: &Path) -> Vec<Finding> {
    let mut found = Vec::new();
    let parent = concat!("..", "/");
    for (n, line) in text.lines().enumerate() {
        let mut push = |text: &str, why: &str| {
            found.push(Finding {
                line: n + 1,
                text: text.to_string(),
                why: why.to_string(),
            })
        };
        let starts_word = |i: usize| {
            i == 0
                || !line[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if line.match_indices(SIBLING).any(|(i, _)| starts_word(i)) {
            push(line.trim(), "names a folder outside the repository");
        }
        if line.match_indices(DESIGN_GUIDE).any(|(i, _)| {
            starts_word(i) && !line[i + DESIGN_GUIDE.len()..].starts_with(char::is_alphanumeric)
        }) {
            push(
                line.trim(),
                "points to a guide that is not in the repository",
            );
        }
        for (i, _) in line.match_indices(parent) {
            let before = &line[..i];
            if before.ends_with('.') || before.ends_with(concat!("..", "/")) {
                continue; // the middle of a `../../` run, judged from its start
            }
            let end = line[i..]
                .find(|c: char| c.is_whitespace() || "\"'`)]>,;".contains(c))
                .map_or(line.len(), |e| i + e);
            let path = &line[i..end];
            if escapes(dir, path, root) {
                push(path, "a path that leaves the repository");
            }
        }
    }
    found
}

/// Whether `dir/path` leaves `root`.
fn escapes(dir: &Path, path: &str, root: &Path) -> bool {
    let rel = dir.strip_prefix(root).unwrap_or(Path::new(""));
    let mut depth = rel.components().count() as i64;
    for c in Path::new(path).components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// Markdown links to a local file (`[x](examples/01_spawn_join.rs)`) that
/// does not exist, read from `dir`.
pub fn broken_links(text: &str, dir: &Path) -> Vec<Finding> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for (i, _) in line.match_indices("](") {
            let target = &line[i + 2..];
            let Some(end) = target.find(')') else {
                continue;
            };
            let target = target[..end].split('#').next().unwrap_or_default();
            let external = target.contains("://") || target.starts_with("mailto:");
            if !target.is_empty() && !external && !dir.join(target).exists() {
                found.push(Finding {
                    line: n + 1,
                    text: target.to_string(),
                    why: "the link's target does not exist".into(),
                });
            }
        }
    }
    found
}

/// Every finding of this module over the tracked files, `path:line: text: why`.
pub fn check_repo() -> Vec<String> {
    let root = project::root();
    let catalog = Catalog::of_repo();
    let mut out = Vec::new();
    for path in tracked() {
        // Cargo.lock names crates, not paths; binary files are skipped.
        if path.file_name().is_some_and(|n| n == "Cargo.lock") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let dir = path.parent().unwrap_or(&root);
        let rel = path.strip_prefix(&root).unwrap_or(&path);
        let mut found = outside_paths(&text, dir, &root);
        // xtask's own tests name made-up lesson paths on purpose.
        if !rel.starts_with("xtask") {
            // Inside a model's crate, `tests/x.rs` is read from the crate.
            let krate = rel
                .components()
                .next()
                .map(|c| root.join(c))
                .filter(|d| d.join("Cargo.toml").exists() && d != &root);
            found.extend(refs::missing_paths(
                &text,
                &catalog,
                &root,
                krate.as_deref(),
            ));
        }
        if path.extension().is_some_and(|e| e == "md") {
            found.extend(broken_links(&text, dir));
        }
        // A Markdown link can name the same path twice: report it once.
        found.sort_by(|a, b| (a.line, &a.text).cmp(&(b.line, &b.text)));
        found.dedup_by(|a, b| (a.line, &a.text) == (b.line, &b.text));
        out.extend(found.iter().map(|f| f.at(rel)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sibling_folder_and_climbing_paths_are_found() {
        let root = Path::new("/r");
        let mention = format!("read `{SIBLING}x.md` first");
        assert_eq!(outside_paths(&mention, root, root).len(), 1);
        let guide = format!("the contract ({DESIGN_GUIDE} section 3)");
        assert_eq!(outside_paths(&guide, root, root).len(), 1);
        assert_eq!(outside_paths("GUIDED tours", root, root), vec![]);
        // Both a mention and a climb.
        let climb = format!("see {}{SIBLING}STYLE.md", concat!("..", "/"));
        assert_eq!(outside_paths(&climb, root, root).len(), 2);
        let deep = format!(
            "#[path = \"{}{}x.rs\"]",
            concat!("..", "/"),
            concat!("..", "/")
        );
        assert_eq!(outside_paths(&deep, &root.join("a"), root).len(), 1);
        // Inside the repository: fine.
        assert_eq!(outside_paths(&deep, &root.join("a/b"), root), vec![]);
        let link = "[x](../examples-threads/examples/01_spawn_join.rs)";
        assert_eq!(
            outside_paths(link, &root.join("examples-async"), root),
            vec![]
        );
        assert_eq!(outside_paths("an Arc<shared_state/x>", root, root), vec![]);
        assert_eq!(outside_paths("not_shared/x", root, root), vec![]);
    }

    #[test]
    fn broken_markdown_links_are_found() {
        let root = project::root();
        let text = "[ok](README.md) [web](https://x.y/z) [gone](tests/nosuch/) [a](#anchor)";
        let found = broken_links(text, &root);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].text, "tests/nosuch/");
    }
}
