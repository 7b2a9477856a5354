//! Where things are: the workspace root, the model crates, their lessons and
//! exercises, and the binaries cargo builds for them.
//!
//! Models are discovered, not listed: every `examples-<model>/` directory at
//! the root is a model, its lessons are `examples/NN_topic.rs`, its exercises
//! `exercises/NN_topic/` with a table in `exercises/hints.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use crate::proc::{self, Output};
use crate::{Error, Result};

/// The workspace root (xtask lives one level below it).
///
/// `XTASK_ROOT` points it at another workspace of the same shape: the
/// watch-mode check drives `watch` over a small fixture workspace of its own,
/// so that cargo never reuses the real `target/` (where the solved builds are).
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("XTASK_ROOT") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// The order models are shown in; a model not listed here comes after these.
const ORDER: &[&str] = &["threads", "processes", "async", "green"];

/// One model crate, e.g. `threads` in `examples-threads/`.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub dir: PathBuf,
}

impl Model {
    pub fn package(&self) -> String {
        format!("examples-{}", self.name)
    }
}

pub fn models() -> Vec<Model> {
    let mut found: Vec<Model> = std::fs::read_dir(root())
        .map(|rd| rd.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let name = e
                .file_name()
                .to_str()?
                .strip_prefix("examples-")?
                .to_string();
            e.path().join("Cargo.toml").exists().then(|| Model {
                name,
                dir: e.path(),
            })
        })
        .collect();
    let rank = |m: &Model| {
        ORDER
            .iter()
            .position(|o| *o == m.name)
            .unwrap_or(ORDER.len())
    };
    found.sort_by(|a, b| (rank(a), &a.name).cmp(&(rank(b), &b.name)));
    found
}

/// Look a model up by name; an unknown name is a usage error naming the valid ones.
pub fn model(name: &str) -> Result<Model> {
    let all = models();
    all.iter().find(|m| m.name == name).cloned().ok_or_else(|| {
        let names: Vec<_> = all.iter().map(|m| m.name.as_str()).collect();
        Error::usage(format!(
            "unknown model '{name}' (valid: {})",
            names.join(", ")
        ))
    })
}

/// A lesson: `examples/NN_topic.rs`.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub number: u32,
    /// File stem, e.g. `01_spawn_join`: also the cargo example name.
    pub name: String,
    pub path: PathBuf,
}

pub fn lessons(model: &Model) -> Vec<Lesson> {
    let mut found: Vec<Lesson> = std::fs::read_dir(model.dir.join("examples"))
        .map(|rd| rd.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let path = e.path();
            let name = path.file_stem()?.to_str()?.to_string();
            let number = name.split('_').next()?.parse().ok()?;
            (path.extension()? == "rs").then_some(Lesson { number, name, path })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

impl Lesson {
    /// The `//!` header, one trimmed line each (see [`header`]).
    pub fn header(&self) -> Vec<String> {
        header(&std::fs::read_to_string(&self.path).unwrap_or_default())
    }

    /// Whether the header offers a broken version (`Break:`), which
    /// `cargo xtask test` runs again with `-- --break`.
    pub fn has_break(&self) -> bool {
        !section(&self.header(), "Break").is_empty()
    }
}

/// The labels a lesson header may use, each opening a section.
pub const LABELS: &[&str] = &["Run", "Observe", "Break", "Python", "Compare"];

/// The leading `//!` lines of a source file, with the marker and the
/// surrounding whitespace removed (blank header lines stay, as "").
pub fn header(source: &str) -> Vec<String> {
    source
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim().to_string())
        .collect()
}

/// The lines of the header section opened by `label:` (its first line
/// included), up to the next labelled line; empty if there is none.
pub fn section<'h>(header: &'h [String], label: &str) -> &'h [String] {
    let opens = |l: &String, label: &str| l.starts_with(&format!("{label}:"));
    let Some(start) = header.iter().position(|l| opens(l, label)) else {
        return &[];
    };
    let len = header[start + 1..]
        .iter()
        .position(|l| LABELS.iter().any(|other| opens(l, other)))
        .map_or(header.len() - start, |n| n + 1);
    &header[start..start + len]
}

/// The first line of a lesson's `//!` header: its one-sentence claim.
pub fn claim(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("//!")
                .map(str::trim)
                .filter(|l| !l.is_empty())
        })
        .unwrap_or("")
        .to_string()
}

/// One row of `exercises/hints.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct HintEntry {
    /// The hint in layers, from the concept to a near-answer: a failed check
    /// shows the next layer only.
    #[serde(default)]
    pub hints: Vec<String>,
    pub timeout_s: u64,
    /// The exercise's place on the workshop path (1, 2, ...), across every model.
    pub path: Option<u32>,
    /// The lesson it practises, as `model/NN_topic`.
    pub lesson: Option<String>,
    /// Its time budget in minutes (10-15).
    pub minutes: Option<u32>,
    /// The git blob id of the starter as shipped, which `exercise reset`
    /// restores (`git cat-file blob ID`), whatever the learner committed since.
    #[serde(default)]
    pub starter: Option<String>,
    /// Cargo features of the crate the exercise's test target requires
    /// (`required-features`), e.g. `model-check` for the loom exercises;
    /// `exercise check` and `cargo xtask test` turn them on.
    #[serde(default)]
    pub features: Vec<String>,
}

impl HintEntry {
    /// The layers in order, each trimmed.
    pub fn layers(&self) -> Vec<String> {
        self.hints.iter().map(|h| h.trim().to_string()).collect()
    }
}

/// An exercise: `examples-<model>/exercises/NN_topic/`.
#[derive(Debug, Clone)]
pub struct Exercise {
    pub model: Model,
    /// e.g. `01_parallel_sum`: the `[[test]]` name and the feature suffix.
    pub topic: String,
    pub dir: PathBuf,
    pub hint: Option<HintEntry>,
}

impl Exercise {
    /// `threads/01_parallel_sum`: the name learners type.
    pub fn name(&self) -> String {
        format!("{}/{}", self.model.name, self.topic)
    }
    pub fn feature(&self) -> String {
        format!("learner-{}", self.topic)
    }
    /// The crate features its test target needs besides the learner feature
    /// (`features` in hints.toml).
    pub fn needs(&self) -> Vec<String> {
        self.hint
            .as_ref()
            .map(|h| h.features.clone())
            .unwrap_or_default()
    }
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.hint.as_ref().map_or(20, |h| h.timeout_s))
    }
    /// The wrong answers kept beside the solution (`wrong_<what>.rs`), by
    /// file stem, sorted.
    pub fn wrong_answers(&self) -> Vec<String> {
        let mut found: Vec<String> = std::fs::read_dir(&self.dir)
            .map(|rd| rd.flatten().collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let stem = name.strip_suffix(".rs")?;
                stem.starts_with("wrong_").then(|| stem.to_string())
            })
            .collect();
        found.sort();
        found
    }
    /// The module of the crate's `wrong_answers` test target that runs the
    /// tests against the wrong answer `stem`: `parallel_sum_wrong_joined_in_turn`.
    pub fn wrong_module(&self, stem: &str) -> String {
        let topic = self.topic.split_once('_').map_or(&*self.topic, |(_, t)| t);
        format!("{topic}_{stem}")
    }
    /// The place on the path, if the exercise is on it.
    pub fn path_place(&self) -> Option<u32> {
        self.hint.as_ref().and_then(|h| h.path)
    }
    /// The first sentence of the starter's opening `//` paragraph: its goal.
    pub fn goal(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join("exercise.rs")).unwrap_or_default();
        let paragraph: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("//"))
            .map_while(|l| l.strip_prefix("//"))
            .map(|l| l.trim_start_matches(['/', '!']).trim())
            .take_while(|l| !l.is_empty())
            .collect();
        let joined = paragraph.join(" ");
        let goal = joined.trim_start_matches("Goal:").trim();
        match goal.find(". ") {
            Some(end) => goal[..=end].to_string(),
            None => goal.to_string(),
        }
    }
}

pub fn hints(model: &Model) -> Result<BTreeMap<String, HintEntry>> {
    let path = model.dir.join("exercises/hints.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            toml::from_str(&text).map_err(|e| Error::failed(format!("{}: {e}", path.display())))
        }
        Err(_) => Ok(BTreeMap::new()),
    }
}

pub fn exercises(model: &Model) -> Result<Vec<Exercise>> {
    let hints = hints(model)?;
    let mut found: Vec<Exercise> = std::fs::read_dir(model.dir.join("exercises"))
        .map(|rd| rd.flatten().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.path().join("exercise.rs").exists())
        .filter_map(|e| {
            let topic = e.file_name().to_str()?.to_string();
            Some(Exercise {
                model: model.clone(),
                hint: hints.get(&topic).cloned(),
                topic,
                dir: e.path(),
            })
        })
        .collect();
    found.sort_by(|a, b| a.topic.cmp(&b.topic));
    Ok(found)
}

/// The exercises on the workshop path, in path order (`path` in hints.toml).
pub fn path() -> Result<Vec<Exercise>> {
    let mut on: Vec<Exercise> = all_exercises()?
        .into_iter()
        .filter(|e| e.path_place().is_some())
        .collect();
    on.sort_by_key(Exercise::path_place);
    Ok(on)
}

pub fn all_exercises() -> Result<Vec<Exercise>> {
    let mut all = Vec::new();
    for m in models() {
        all.extend(exercises(&m)?);
    }
    Ok(all)
}

/// `cargo` with the workspace root as working directory.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// One executable cargo built.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// The target's name: a binary, an example (`01_spawn_join`) or a test.
    pub name: String,
    /// `bin`, `example`, `test`, ...
    pub kind: String,
    pub exe: PathBuf,
    /// The target's root source file, which tells apart same-named targets
    /// of different packages.
    pub src: PathBuf,
}

/// Run a cargo build command with `--message-format=json-render-diagnostics`
/// and return every executable it built. Compiler messages go to the
/// terminal as usual.
pub fn build(args: &[&str]) -> Result<Vec<Artifact>> {
    let mut cmd = cargo();
    cmd.args(args)
        .arg("--message-format=json-render-diagnostics");
    let limit = Duration::from_secs(1800);
    let done = proc::run(&mut cmd, limit, Output::CaptureStdout)?;
    if !done.success() {
        return Err(Error::failed(format!(
            "`cargo {}` failed ({})",
            args.join(" "),
            done.describe(limit)
        )));
    }
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    Ok(done
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["executable"].is_string())
        .map(|msg| Artifact {
            name: text(&msg["target"]["name"]),
            kind: text(&msg["target"]["kind"][0]),
            exe: PathBuf::from(text(&msg["executable"])),
            src: PathBuf::from(text(&msg["target"]["src_path"])),
        })
        .collect())
}

/// The host's core count (what the process may use).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_are_usage_errors_that_list_the_choices() {
        let e = model("nosuch").unwrap_err();
        assert_eq!(e.code, 2);
        assert!(e.msg.contains("valid: threads"), "{}", e.msg);
        let threads = model("threads").unwrap();
        let e = crate::run::find(&threads, "99").unwrap_err();
        assert!(e.code == 2 && e.msg.contains("01_spawn_join"), "{}", e.msg);
        for bad in [
            "nosuch",
            "../../etc/passwd",
            "threads/../../x",
            "01_parallel_sum",
        ] {
            let e = crate::exercise::find(bad).unwrap_err();
            assert!(
                e.code == 2 && e.msg.contains("threads/01_parallel_sum"),
                "{}",
                e.msg
            );
        }
    }

    #[test]
    fn sections_run_from_their_label_to_the_next() {
        let text = "//! Claim.\n//!\n//! Run:\n//!\n//!     cargo xtask run t 01_a\n//!\n//! Observe: x.\n//! Break: `cargo xtask run t 01_a -- --break`\n//! stops.\n//!\n//! Python: y.\nfn main() {}\n";
        let h = header(text);
        assert_eq!(
            section(&h, "Run"),
            ["Run:", "", "cargo xtask run t 01_a", ""]
        );
        assert_eq!(section(&h, "Break").len(), 3);
        assert_eq!(section(&h, "Python"), ["Python: y."]);
        assert!(section(&h, "Compare").is_empty());
    }

    #[test]
    fn lessons_are_found_by_number_or_name() {
        let threads = model("threads").unwrap();
        for wanted in ["1", "01", "01_spawn_join", "spawn_join"] {
            assert_eq!(
                crate::run::find(&threads, wanted).unwrap().name,
                "01_spawn_join"
            );
        }
    }
}
