//! Timelines: which OS thread ran which unit of work, and when.
//!
//! A model binary run with `--trace FILE` calls [`start`] before the work;
//! each unit then keeps a [`Log`], its own small preallocated buffer, and
//! marks what it did with one visible call (`log.run(unit, since)` after a
//! stretch of work, `log.wait(unit, since)` after a wait for a lock, a timer
//! or a reply). When the `Log` is dropped, at the end of the unit, its events
//! join the process's list under one lock; [`finish`] writes them, after the
//! work, as one JSON object:
//!
//! ```text
//! {"model":"threads","scenario":"cpu","variant":"scoped",
//!  "events":[{"unit":0,"pid":41,"tid":43,"start_ns":..,"end_ns":..,"kind":"run"}, ...]}
//! ```
//!
//! Times are CLOCK_MONOTONIC nanoseconds, which every process of the machine
//! shares, so a pool's workers and their parent line up on one time axis.
//!
//! Without `--trace` nothing is started: [`log`] returns an empty `Log`
//! whose calls do nothing (no clock read, no allocation), so an untraced run
//! measures the same code it always did. A traced run never feeds a report.
//!
//! Coroutines (may) migrate between OS threads at a may blocking call: the
//! thread id is read when an event is pushed, so a `run` that makes no such
//! call between its `since` and its push is on the thread that ran it, and a
//! `wait` names the thread that resumed the unit.

use std::io;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

/// What a unit did during an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// It ran on the thread `tid`.
    Run,
    /// It waited: for a lock, a timer, a reply. No CPU is implied.
    Wait,
}

/// One interval of one unit, on one OS thread of one process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The unit of work: a chunk index for `cpu`, a unit index for `sleep`.
    pub unit: u64,
    pub pid: u32,
    /// The OS thread id (`gettid`), not Rust's `ThreadId`.
    pub tid: u32,
    pub start_ns: u64,
    pub end_ns: u64,
    pub kind: Kind,
}

/// The file `--trace FILE` writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trace {
    pub model: String,
    pub scenario: String,
    pub variant: String,
    pub events: Vec<Event>,
}

/// The process's recorder, set once by [`start`]. A `OnceLock`, so when
/// tracing is off a unit pays one load to find out.
static RECORDER: OnceLock<Recorder> = OnceLock::new();

struct Recorder {
    /// Every finished unit's events. A std `Mutex`: it is taken once per
    /// unit, at its end, for a copy of a few events; never held across a wait.
    events: Mutex<Vec<Event>>,
}

/// Turn recording on for this process, with room for `expected` events
/// reserved up front. Later calls keep the first recorder.
pub fn start(expected: usize) {
    RECORDER.get_or_init(|| Recorder {
        events: Mutex::new(Vec::with_capacity(expected)),
    });
}

/// Whether [`start`] was called in this process.
pub fn enabled() -> bool {
    RECORDER.get().is_some()
}

/// The events recorded so far (every unit whose `Log` has been dropped),
/// taken out of the recorder.
pub fn take() -> Vec<Event> {
    match RECORDER.get() {
        Some(r) => std::mem::take(&mut *r.events.lock().unwrap_or_else(|p| p.into_inner())),
        None => Vec::new(),
    }
}

/// Add events recorded elsewhere (another process's, read back by its parent).
pub fn extend(events: impl IntoIterator<Item = Event>) {
    if let Some(r) = RECORDER.get() {
        r.events
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(events);
    }
}

/// Write every recorded event to `path` as one [`Trace`] object, sorted by
/// start time. Called after the work.
pub fn finish(path: &Path, model: &str, scenario: &str, variant: &str) -> io::Result<()> {
    let mut events = take();
    events.sort_by_key(|e| (e.start_ns, e.pid, e.tid));
    let trace = Trace {
        model: model.into(),
        scenario: scenario.into(),
        variant: variant.into(),
        events,
    };
    let json = serde_json::to_string(&trace).map_err(io::Error::other)?;
    std::fs::write(path, json + "\n")
        .map_err(|e| io::Error::new(e.kind(), format!("writing {}: {e}", path.display())))
}

impl Trace {
    /// Read a file `--trace` wrote.
    pub fn read(path: &Path) -> io::Result<Trace> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(io::Error::other)
    }

    /// The `run` events.
    pub fn runs(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| e.kind == Kind::Run)
    }

    /// The (pid, tid) of every OS thread that ran a unit.
    pub fn run_threads(&self) -> std::collections::BTreeSet<(u32, u32)> {
        self.runs().map(|e| (e.pid, e.tid)).collect()
    }

    /// How long two or more `run` events overlapped (waits left out).
    pub fn run_overlap_ns(&self) -> u64 {
        let mut edges: Vec<(u64, i64)> = self
            .runs()
            .flat_map(|e| [(e.start_ns, 1), (e.end_ns, -1)])
            .collect();
        // An end sorts before a start at the same instant: touching is not overlapping.
        edges.sort();
        let (mut active, mut at, mut both) = (0i64, 0u64, 0u64);
        for (t, d) in edges {
            if active >= 2 {
                both += t - at;
            }
            active += d;
            at = t;
        }
        both
    }
}

/// Run a model binary with `args` plus `--trace` to a temporary file, and
/// read the trace back: for tests on real runs. The run is killed after
/// `timeout` (a hang detector, not a speed check).
pub fn run_traced(exe: &str, args: &[&str], timeout: std::time::Duration) -> Result<Trace, String> {
    use std::time::Instant;
    let file =
        std::env::temp_dir().join(format!("cm-trace-{}-{}.json", std::process::id(), now_ns()));
    let mut child = std::process::Command::new(exe)
        .args(args)
        .arg("--trace")
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("starting {exe}: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{exe} {args:?} did not finish within {timeout:?}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    if !status.success() {
        return Err(format!("{exe} {args:?} --trace: {status}"));
    }
    let trace = Trace::read(&file).map_err(|e| format!("reading {}: {e}", file.display()));
    let _ = std::fs::remove_file(&file);
    trace
}

/// One unit's buffer: empty and inert unless recording is on.
#[derive(Debug, Default)]
pub struct Log {
    /// `None` when tracing is off: every call is then a test of this field.
    events: Option<Vec<Event>>,
}

/// A buffer for one unit with room for `capacity` events (reserved now, so
/// pushing during the work does not allocate).
#[inline]
pub fn log(capacity: usize) -> Log {
    Log {
        events: enabled().then(|| Vec::with_capacity(capacity)),
    }
}

impl Log {
    /// The clock now, to pass as `since` later; 0 (and no clock read) when off.
    #[inline]
    pub fn clock(&self) -> u64 {
        if self.events.is_some() {
            now_ns()
        } else {
            0
        }
    }

    /// `unit` ran on this thread from `since` until now.
    #[inline]
    pub fn run(&mut self, unit: u64, since: u64) {
        self.push(unit, since, Kind::Run);
    }

    /// `unit` waited from `since` until now (the thread is the one it resumed on).
    #[inline]
    pub fn wait(&mut self, unit: u64, since: u64) {
        self.push(unit, since, Kind::Wait);
    }

    #[inline]
    fn push(&mut self, unit: u64, since: u64, kind: Kind) {
        if let Some(events) = &mut self.events {
            events.push(Event {
                unit,
                pid: std::process::id(),
                tid: tid(),
                start_ns: since,
                end_ns: now_ns(),
                kind,
            });
        }
    }
}

impl Drop for Log {
    /// The unit is over: hand its events to the process's list.
    fn drop(&mut self) {
        if let (Some(events), Some(r)) = (self.events.take(), RECORDER.get()) {
            if !events.is_empty() {
                r.events
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(events);
            }
        }
    }
}

/// CLOCK_MONOTONIC in nanoseconds: one clock for every process of the machine.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// The calling OS thread's id, as `ps -L` and Perfetto show it.
#[cfg(target_os = "linux")]
pub fn tid() -> u32 {
    // SAFETY: gettid takes no arguments and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) as u32 }
}

/// The calling OS thread's id (macOS: the kernel's 64-bit id, truncated).
#[cfg(target_os = "macos")]
pub fn tid() -> u32 {
    let mut id = 0u64;
    // SAFETY: a null thread means the calling thread; `id` is writable.
    unsafe { libc::pthread_threadid_np(0, &mut id) };
    id as u32
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn tid() -> u32 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_inert_until_started_then_records_on_drop() {
        // Off: no clock, nothing kept.
        let mut off = log(4);
        assert_eq!(off.clock(), 0);
        off.run(1, 0);
        drop(off);
        assert!(take().is_empty());

        start(16);
        let worker = std::thread::spawn(|| {
            let mut log = log(2);
            let t0 = log.clock();
            std::hint::black_box((0..1000u64).sum::<u64>());
            log.run(7, t0);
            tid()
        });
        let worker_tid = worker.join().unwrap();
        let events = take();
        assert_eq!(events.len(), 1);
        let e = events[0];
        assert_eq!((e.unit, e.kind, e.tid), (7, Kind::Run, worker_tid));
        assert_eq!(e.pid, std::process::id());
        assert!(e.start_ns > 0 && e.end_ns >= e.start_ns);
        assert_ne!(worker_tid, tid(), "another OS thread");
    }

    #[test]
    fn the_json_says_run_and_wait() {
        let e = Event {
            unit: 1,
            pid: 2,
            tid: 3,
            start_ns: 4,
            end_ns: 5,
            kind: Kind::Wait,
        };
        let s = serde_json::to_string(&e).unwrap();
        assert_eq!(
            s,
            r#"{"unit":1,"pid":2,"tid":3,"start_ns":4,"end_ns":5,"kind":"wait"}"#
        );
    }
}
