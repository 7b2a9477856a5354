//! What the integration tests share: the crate's real binary (workers are
//! this binary in its worker role), and one contract `run` of it.

use std::path::Path;
use std::process::{Command, Output};

pub fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_examples-processes"))
}

/// `<bin> run <cell>` (the words of `cell`, split at spaces), which must
/// exit 0; its output, for the caller to read.
#[allow(dead_code)] // not every test binary runs cells
pub fn run_cell(cell: &str) -> Output {
    let out = Command::new(exe())
        .arg("run")
        .args(cell.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{cell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
