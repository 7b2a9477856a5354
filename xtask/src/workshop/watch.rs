//! `cargo xtask watch`: the exercise path, one exercise at a time, checked
//! each time its file is saved.
//!
//! It shows the first exercise of the path not yet passed, checks it at once
//! and again on every save, and moves to the next when it passes. File events
//! come from `notify`; since they do not arrive on some mounts (WSL2's
//! `/mnt/c`, some containers), the file's content is also compared every
//! second, so a save is never missed and an editor's burst of events is one
//! check. Keys (`c` check, `h` next hint layer, `l` list, `n` next, `q` quit)
//! are read one at a time in raw mode; raw mode is off while a check prints.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use clap::Args;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;
use notify::Watcher;

use crate::exercise::{self, Verdict, Which};
use crate::proc::Output;
use crate::project::{self, Exercise};
use crate::workshop::progress::Progress;
use crate::Result;

#[derive(Args)]
pub struct WatchArgs {
    /// Compare the file every second only, without file events (they do not
    /// arrive on WSL2's /mnt/c; the comparison runs anyway, this skips the events).
    #[arg(long)]
    pub poll: bool,
}

/// What wakes the loop up.
enum Wake {
    Saved,
    Key(char),
}

pub fn main(args: &WatchArgs) -> Result<()> {
    // The workshop path in order; a workspace without one takes every exercise.
    let mut path = project::path()?;
    if path.is_empty() {
        path = project::all_exercises()?;
    }
    if path.is_empty() {
        return Err(crate::Error::failed("no exercises found"));
    }
    let (tx, rx) = mpsc::channel();
    let _watcher = (!args.poll).then(|| watch_files(&tx)).flatten();
    let raw = Raw::new();
    if raw.available {
        spawn_key_reader(tx);
    } else {
        spawn_line_reader(tx);
    }
    let mut progress = Progress::load();
    let Some(mut at) = first_open(&path, &progress) else {
        println!("All {} exercises of the path are done ✓", path.len());
        return Ok(());
    };
    let mut checked = check(&path, at, &mut progress, &raw);
    loop {
        if checked.passed {
            match first_open(&path, &progress) {
                Some(next) => {
                    at = next;
                    checked = check(&path, at, &mut progress, &raw);
                    continue;
                }
                None => {
                    raw.off();
                    println!("\nAll {} exercises of the path are done ✓", path.len());
                    return Ok(());
                }
            }
        }
        raw.on();
        let wake = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(wake) => Some(wake),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Wake::Key('q')),
        };
        raw.off();
        match wake {
            // The poll, and every file event: check only when the content changed.
            None | Some(Wake::Saved) => {
                if read(&path[at]) != checked.content {
                    checked = check(&path, at, &mut progress, &raw);
                }
            }
            Some(Wake::Key('c')) => checked = check(&path, at, &mut progress, &raw),
            Some(Wake::Key('h')) => println!("\n{}\n", exercise::next_hint(&path[at])),
            Some(Wake::Key('l')) => list(&path, at, &progress),
            Some(Wake::Key('n')) => {
                at = (at + 1) % path.len();
                checked = check(&path, at, &mut progress, &raw);
            }
            Some(Wake::Key('q')) => {
                println!(
                    "\nBye: {} of {} done.",
                    progress_count(&path, &progress),
                    path.len()
                );
                return Ok(());
            }
            Some(Wake::Key(_)) => prompt(),
        }
    }
}

/// The result of the last check: the content it saw, and whether it passed.
struct Checked {
    content: Vec<u8>,
    passed: bool,
}

fn read(e: &Exercise) -> Vec<u8> {
    std::fs::read(e.dir.join("exercise.rs")).unwrap_or_default()
}

fn first_open(path: &[Exercise], progress: &Progress) -> Option<usize> {
    path.iter().position(|e| !progress.has_passed(&e.name()))
}

fn progress_count(path: &[Exercise], progress: &Progress) -> usize {
    path.iter()
        .filter(|e| progress.has_passed(&e.name()))
        .count()
}

fn check(path: &[Exercise], at: usize, progress: &mut Progress, raw: &Raw) -> Checked {
    raw.off();
    let e = &path[at];
    let file = e.dir.join("exercise.rs");
    println!(
        "\n━━ {}/{} {}  ·  edit {}",
        at + 1,
        path.len(),
        e.name(),
        file.strip_prefix(project::root())
            .unwrap_or(&file)
            .display()
    );
    println!("   {}", e.goal());
    if let Some(h) = &e.hint {
        if let (Some(lesson), Some(minutes)) = (&h.lesson, h.minutes) {
            println!("   practises {lesson} · about {minutes} min");
        }
    }
    let content = read(e);
    let verdict = match exercise::check(e, Which::Learner, Output::Inherit) {
        Ok(v) => v,
        Err(err) => {
            println!("✗ {}: could not check: {}", e.name(), err.msg);
            prompt();
            return Checked {
                content,
                passed: false,
            };
        }
    };
    let passed = verdict == Verdict::Pass;
    if passed {
        // Reload first: `h` records the hint layers seen on disk
        // (`exercise::next_hint`), and an older copy would write them back.
        *progress = Progress::load();
        progress.pass(&e.name());
        progress.save();
        println!(
            "\nExercise done ✓  {} ({}/{} done)",
            e.name(),
            progress_count(path, progress),
            path.len()
        );
    } else {
        println!("\n✗ {}: {}", e.name(), verdict.describe());
        prompt();
    }
    Checked { content, passed }
}

fn prompt() {
    println!("Save the file to check again · c check · h hint · l list · n next · q quit");
}

fn list(path: &[Exercise], at: usize, progress: &Progress) {
    println!();
    for (i, e) in path.iter().enumerate() {
        let mark = if progress.has_passed(&e.name()) {
            "✓"
        } else {
            " "
        };
        let here = if i == at { "→" } else { " " };
        println!(
            "{here} {mark} {:>2}/{} {:<34} {}",
            i + 1,
            path.len(),
            e.name(),
            e.goal()
        );
    }
    prompt();
}

/// File events on every model's `exercises/` folder; `None` (polling only)
/// where the OS gives none.
fn watch_files(tx: &Sender<Wake>) -> Option<notify::RecommendedWatcher> {
    let tx = tx.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let is_exercise = |p: &PathBuf| p.file_name().is_some_and(|n| n == "exercise.rs");
        if ev.is_ok_and(|ev| ev.paths.iter().any(is_exercise)) {
            let _ = tx.send(Wake::Saved);
        }
    })
    .ok()?;
    for m in project::models() {
        let dir: &Path = &m.dir.join("exercises");
        if dir.is_dir() {
            watcher.watch(dir, notify::RecursiveMode::Recursive).ok()?;
        }
    }
    Some(watcher)
}

fn spawn_key_reader(tx: Sender<Wake>) {
    std::thread::spawn(move || loop {
        let Ok(Event::Key(key)) = event::read() else {
            continue;
        };
        // Windows reports a press and a release: act on the press only.
        if key.kind != KeyEventKind::Press {
            continue;
        }
        let c = match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => 'q',
            KeyCode::Char(c) => c.to_ascii_lowercase(),
            KeyCode::Esc => 'q',
            _ => continue,
        };
        if tx.send(Wake::Key(c)).is_err() {
            return;
        }
    });
}

/// Without a terminal (input from a pipe), a line per command.
fn spawn_line_reader(tx: Sender<Wake>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { break };
            if let Some(c) = line.trim().chars().next() {
                if tx.send(Wake::Key(c)).is_err() {
                    return;
                }
            }
        }
        let _ = tx.send(Wake::Key('q'));
    });
}

/// Raw mode while waiting for a key, normal mode while anything prints, and
/// always normal mode again on the way out.
struct Raw {
    available: bool,
}

impl Raw {
    fn new() -> Self {
        let available = terminal::enable_raw_mode().is_ok();
        let _ = terminal::disable_raw_mode();
        Raw { available }
    }
    fn on(&self) {
        if self.available {
            let _ = terminal::enable_raw_mode();
        }
    }
    fn off(&self) {
        if self.available {
            let _ = terminal::disable_raw_mode();
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        self.off();
    }
}
