//! The watch-mode check of `cargo xtask test`: drive the built `watch`
//! through a pseudo-terminal, as a learner at a keyboard would.
//!
//! A step of `cargo xtask test`, not a `#[test]`: `watch` runs cargo, and cargo
//! inside `cargo test` would wait on the outer build's lock. It runs over a copy
//! of `xtask/fixtures/watch/` (two tiny exercises, no dependencies) with a
//! target directory of its own, never the real `target/`, where cargo would
//! reuse the solved builds. It checks that the first exercise is shown
//! failing; that copying its solution over the starter makes it pass and
//! moves on to the next; that an endless loop is stopped by the timeout and
//! named; and that `q` ends it with no process left behind.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The whole check's hang limit.
const LIMIT: Duration = Duration::from_secs(120);

/// What the terminal showed, appended to by a reader thread.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<String>>);

impl Screen {
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    /// Wait until `text` appears after byte `from`; the position after it.
    fn wait_for(&self, text: &str, from: usize, deadline: Instant) -> Result<usize, String> {
        loop {
            {
                let s = self.0.lock().unwrap();
                if let Some(i) = s.get(from..).and_then(|t| t.find(text)) {
                    return Ok(from + i + text.len());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "`{text}` never appeared; the terminal showed:\n{}",
                    self.tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    fn contains(&self, text: &str) -> bool {
        self.0.lock().unwrap().contains(text)
    }
    fn tail(&self) -> String {
        let s = self.0.lock().unwrap();
        let start = s.len().saturating_sub(3000);
        let start = (start..s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(s.len());
        s[start..].to_string()
    }
}

/// Run the check; the time from saving the solution to the pass on success.
pub fn run() -> Result<Duration, String> {
    let fixture = crate::project::root().join("xtask/fixtures/watch");
    let work = std::env::temp_dir().join(format!("xtask-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(&fixture, &work).map_err(|e| format!("copying the fixture: {e}"))?;
    let outcome = drive(&work);
    let left = leftovers(&work);
    let _ = std::fs::remove_dir_all(&work);
    let took = outcome?;
    if !left.is_empty() {
        return Err(format!("processes left behind: {left:?}"));
    }
    Ok(took)
}

fn drive(work: &Path) -> Result<Duration, String> {
    let deadline = Instant::now() + LIMIT;
    let (master, slave) = open_pty()?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let stdio = |fd: &OwnedFd| fd.try_clone().map(Stdio::from).map_err(|e| e.to_string());
    let mut cmd = Command::new(exe);
    cmd.arg("watch")
        .env("XTASK_ROOT", work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("RUST_BACKTRACE", "1")
        .stdin(stdio(&slave)?)
        .stdout(stdio(&slave)?)
        .stderr(stdio(&slave)?);
    // SAFETY: only async-signal-safe calls between fork and exec: a session of
    // its own, whose controlling terminal is the pty, as a real terminal's shell.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| format!("starting watch: {e}"))?;
    // Only the child may hold the terminal's other end: once it is gone, the
    // reader below sees end-of-file (EIO) and stops.
    drop(cmd);
    drop(slave);
    let screen = Screen::default();
    let mut keys = File::from(master.try_clone().map_err(|e| e.to_string())?);
    let reader = {
        let screen = screen.clone();
        let mut out = File::from(master);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // EIO once the child and every holder of the pty's other end are gone.
            while let Ok(n @ 1..) = out.read(&mut buf) {
                screen
                    .0
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let result = steps(work, &screen, &mut keys, &mut child, deadline);
    if result.is_err() {
        // SAFETY: kill(2) on the child's own process group (it called setsid).
        unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
    }
    let _ = child.wait();
    drop(keys);
    let _ = reader.join();
    result
}

fn steps(
    work: &Path,
    screen: &Screen,
    keys: &mut File,
    child: &mut Child,
    deadline: Instant,
) -> Result<Duration, String> {
    let ex = work.join("examples-demo/exercises");
    // 1. The first exercise of the path, shown failing, with one hint layer and no backtrace.
    let at = screen.wait_for("1/2 demo/01_add", 0, deadline)?;
    let at = screen.wait_for("✗ demo/01_add", at, deadline)?;
    if screen.contains("stack backtrace") {
        return Err(format!(
            "a backtrace was shown despite RUST_BACKTRACE=1:\n{}",
            screen.tail()
        ));
    }
    screen.wait_for("q quit", at, deadline)?;
    // 2. Save the solution over the starter: it passes and moves on.
    let from = screen.len();
    let saved = Instant::now();
    std::fs::copy(ex.join("01_add/solution.rs"), ex.join("01_add/exercise.rs"))
        .map_err(|e| e.to_string())?;
    let at = screen.wait_for("Exercise done ✓  demo/01_add", from, deadline)?;
    let took = saved.elapsed();
    let at = screen.wait_for("2/2 demo/02_answer", at, deadline)?;
    let at = screen.wait_for("✗ demo/02_answer", at, deadline)?;
    screen.wait_for("q quit", at, deadline)?;
    // 3. An endless loop is stopped by the exercise's timeout and named.
    let from = screen.len();
    let endless =
        "pub fn answer() -> u32 {\n    loop {\n        std::hint::spin_loop();\n    }\n}\n";
    std::fs::write(ex.join("02_answer/exercise.rs"), endless).map_err(|e| e.to_string())?;
    let at = screen.wait_for("no result within 3 s", from, deadline)?;
    screen.wait_for("q quit", at, deadline)?;
    // 4. `q` quits.
    keys.write_all(b"q").map_err(|e| e.to_string())?;
    screen.wait_for("Bye: 1 of 2 done.", at, deadline)?;
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if Instant::now() > deadline {
            return Err("watch did not end after `q`".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(took)
}

fn open_pty() -> Result<(OwnedFd, OwnedFd), String> {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize {
        ws_row: 40,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new descriptors into `master` and `slave`;
    // the name pointer may be null and `size` is a valid winsize.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    if rc != 0 {
        return Err(format!("openpty: {}", std::io::Error::last_os_error()));
    }
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) })
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            std::fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

/// Processes working in the fixture's folder or naming it on their command
/// line (cargo, its test binaries, the watch itself): none may outlive the check.
fn leftovers(work: &Path) -> Vec<String> {
    let needle = work.to_string_lossy().to_string();
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .map(|rd| rd.flatten().map(|e| e.path()).collect::<Vec<PathBuf>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().parse::<u32>().is_ok() && *n != *me)
        })
        .filter_map(|p| {
            let cwd = std::fs::read_link(p.join("cwd")).unwrap_or_default();
            if cwd.starts_with(work) {
                return Some(format!("{} (working in {})", p.display(), cwd.display()));
            }
            let cmdline = std::fs::read(p.join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            cmdline
                .contains(&needle)
                .then(|| format!("{}: {cmdline}", p.display()))
        })
        .collect()
}
