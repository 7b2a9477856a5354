//! `--trace` across processes. Each child records its own units in its own
//! memory, like any process here: nothing is shared. A traced parent names
//! a folder in an environment variable that every child inherits; a child
//! that finds it records, and writes its events to `<folder>/<pid>.json`
//! when its role is over. The parent merges the files after the work, so
//! the workers' events join its trace on the one CLOCK_MONOTONIC they share.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use workloads::trace::{self, Event};

/// The variable a traced parent sets on its children.
pub const PARTS_VAR: &str = "CM_TRACE_PARTS";

/// The parent's folder of parts, set once by [`parent_start`].
static PARTS: OnceLock<PathBuf> = OnceLock::new();

/// The parent is traced to `file`: make `<file>.parts/` for the children.
pub fn parent_start(file: &Path) -> std::io::Result<()> {
    let mut dir = file.as_os_str().to_owned();
    dir.push(".parts");
    let dir = PathBuf::from(dir);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let _ = PARTS.set(dir);
    Ok(())
}

/// Pass the folder on to a child (nothing when the parent is not traced).
pub fn child_env(cmd: &mut Command) {
    if let Some(dir) = PARTS.get() {
        cmd.env(PARTS_VAR, dir);
    }
}

/// In a child: start recording if the parent asked for it.
pub fn child_start() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os(PARTS_VAR)?);
    trace::start(crate::CHUNKS_TRACED);
    Some(dir)
}

/// In a child whose role is over: write what it recorded for the parent.
pub fn child_finish(dir: &Path) {
    let events = trace::take();
    let path = dir.join(format!("{}.json", std::process::id()));
    let json = serde_json::to_string(&events).expect("events serialise");
    if let Err(e) = std::fs::write(&path, json) {
        eprintln!("trace: writing {}: {e}", path.display());
    }
}

/// In the parent, after the work (the children reaped): merge every child's
/// events into this process's trace and remove the folder.
pub fn parent_merge() -> std::io::Result<()> {
    let Some(dir) = PARTS.get() else {
        return Ok(());
    };
    for entry in std::fs::read_dir(dir)? {
        let text = std::fs::read_to_string(entry?.path())?;
        let events: Vec<Event> = serde_json::from_str(&text).map_err(std::io::Error::other)?;
        trace::extend(events);
    }
    std::fs::remove_dir_all(dir)
}
