// Wrong answer (kept to prove the tests catch it): it reads the replies
// before writing: the child waits for input, the parent for output.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::Stdio;

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
    output.read_to_end(&mut replies)?;
    input.write_all(&frames)?;
    drop(input);
    child.wait()?;
    Ok(replies
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}
