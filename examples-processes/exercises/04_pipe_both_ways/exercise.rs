// Goal: send every ball to an echo child over its stdin and read back each
// ball + 1 from its stdout. It works for a few balls; with many, the program
// freezes for good. Find out why and fix `bounce_all` (processes/05_pipes
// shows pipes; threads/03_scoped_threads a thread that borrows).
// Done when `cargo xtask exercise check processes/04_pipe_both_ways` passes.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::Stdio;

use examples_processes::roles::task_command;

/// Bounce `balls` off the `echo` child (8 bytes each way, little-endian);
/// returns its replies in order.
// TODO: make this work for any number of balls.
pub fn bounce_all(exe: &Path, balls: &[u64]) -> io::Result<Vec<u64>> {
    let mut child = task_command(exe, &["echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut input = child.stdin.take().expect("piped");
    let mut output = child.stdout.take().expect("piped");
    let frames: Vec<u8> = balls.iter().flat_map(|b| b.to_le_bytes()).collect();
    input.write_all(&frames)?;
    drop(input); // end of input: the child's loop ends once it has read it all
    let mut replies = Vec::new();
    output.read_to_end(&mut replies)?;
    child.wait()?;
    Ok(replies
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}
