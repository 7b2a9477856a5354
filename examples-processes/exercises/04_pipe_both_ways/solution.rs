// Goal: bounce any number of balls off an echo child through two pipes.
// Reference solution: the changed lines are marked with ^^^.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::thread;

use examples_processes::roles::task_command;

/// Bounce `balls` off the `echo` child (8 bytes each way, little-endian);
/// returns its replies in order.
pub fn bounce_all(exe: &Path, balls: &[u64]) -> io::Result<Vec<u64>> {
    let mut child = task_command(exe, &["echo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut input = child.stdin.take().expect("piped");
    let mut output = child.stdout.take().expect("piped");
    let frames: Vec<u8> = balls.iter().flat_map(|b| b.to_le_bytes()).collect();
    let mut replies = Vec::new();
    let written = thread::scope(|s| {
        let writer = s.spawn(move || {
            input.write_all(&frames)
            // ^^^ `input` drops when this thread ends: the child sees end of input
        });
        // ^^^ written from a thread of its own, WHILE this one reads: a pipe
        // holds only ~64 KiB, so the child blocks writing replies nobody reads,
        // stops reading, and a writer that waits for it to read waits forever
        output.read_to_end(&mut replies)?;
        writer.join().expect("the writing thread panicked")
    });
    written?;
    child.wait()?;
    Ok(replies
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}
