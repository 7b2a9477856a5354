//! A learner's progress through the exercises: which passed, how many hint
//! layers each has seen.
//!
//! Kept in `.workshop/progress.json` at the root of the clone: ignored by git,
//! and outside `target/`, which `cargo clean` wipes. Only the learner's own
//! commands (`exercise check`, `exercise hint`, `watch`) read or write it; the
//! checks `cargo xtask test` runs never touch it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::project;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    /// Exercise names (`threads/01_parallel_sum`) whose check passed.
    #[serde(default)]
    pub passed: BTreeSet<String>,
    /// How many hint layers of each exercise the learner has been shown.
    #[serde(default)]
    pub hints_seen: BTreeMap<String, usize>,
}

pub fn dir() -> PathBuf {
    project::root().join(".workshop")
}

fn file() -> PathBuf {
    dir().join("progress.json")
}

impl Progress {
    /// The saved progress; none yet (or an unreadable file) is a fresh start.
    pub fn load() -> Self {
        std::fs::read_to_string(file())
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Save, warning (not failing) when the folder is not writable: progress
    /// is a convenience, never a reason for a check to fail.
    pub fn save(&self) {
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir())?;
            let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
            std::fs::write(file(), text)
        };
        if let Err(e) = write() {
            eprintln!("(could not save progress in {}: {e})", dir().display());
        }
    }

    pub fn pass(&mut self, name: &str) {
        self.passed.insert(name.to_string());
    }

    pub fn has_passed(&self, name: &str) -> bool {
        self.passed.contains(name)
    }

    /// The next hint layer to show (0-based) and record it as seen; after the
    /// last layer it stays on the last.
    pub fn next_hint(&mut self, name: &str, layers: usize) -> usize {
        let seen = self.hints_seen.entry(name.to_string()).or_default();
        let next = (*seen).min(layers.saturating_sub(1));
        *seen = (*seen + 1).min(layers);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_come_one_layer_at_a_time_and_stop_at_the_last() {
        let mut p = Progress::default();
        let shown: Vec<usize> = (0..5).map(|_| p.next_hint("threads/01_x", 3)).collect();
        assert_eq!(shown, [0, 1, 2, 2, 2]);
        assert_eq!(p.hints_seen["threads/01_x"], 3);
    }

    #[test]
    fn progress_round_trips_through_json() {
        let mut p = Progress::default();
        p.pass("async/02_y");
        p.next_hint("async/02_y", 4);
        let back: Progress = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert!(back.has_passed("async/02_y"));
        assert_eq!(back.hints_seen["async/02_y"], 1);
    }
}
