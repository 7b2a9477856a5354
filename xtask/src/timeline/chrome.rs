//! A trace as Chrome trace-event JSON, which Perfetto (<https://ui.perfetto.dev>)
//! and `chrome://tracing` open.
//!
//! Every (pid, tid) is a track named by `process_name` and `thread_name`
//! metadata. A thread's `run` events are complete (`X`) slices when none of
//! them overlap on that track; Perfetto drops overlapping `X` slices, so a
//! track whose runs interleave (tasks polled in turn) gets async begin/end
//! (`b`/`e`) pairs with an id instead. Waits are always async pairs with
//! `cat: "wait"`: many units wait at once on one thread.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use workloads::trace::{Event, Kind, Trace};

use super::tracks;

/// The row label of a track, shared with the SVG.
pub fn thread_label(pid: u32, tid: u32) -> String {
    if pid == tid {
        format!("pid {pid} main")
    } else {
        format!("pid {pid} tid {tid}")
    }
}

pub fn render(trace: &Trace) -> Value {
    let origin = trace.events.iter().map(|e| e.start_ns).min().unwrap_or(0);
    let us = |ns: u64| (ns - origin) as f64 / 1000.0;
    let mut out = Vec::new();
    let mut named_pids = Vec::new();
    for (pid, tid) in tracks(&trace.events) {
        if !named_pids.contains(&pid) {
            named_pids.push(pid);
            out.push(json!({
                "name": "process_name", "ph": "M", "pid": pid, "tid": pid, "ts": 0,
                "args": {"name": format!("{} {} {} (pid {pid})", trace.model, trace.scenario, trace.variant)}
            }));
        }
        out.push(json!({
            "name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "ts": 0,
            "args": {"name": thread_label(pid, tid)}
        }));
    }
    let mut by_track: BTreeMap<(u32, u32), Vec<&Event>> = BTreeMap::new();
    for e in &trace.events {
        by_track.entry((e.pid, e.tid)).or_default().push(e);
    }
    let mut id = 0u64;
    for events in by_track.values() {
        let mut runs: Vec<&&Event> = events.iter().filter(|e| e.kind == Kind::Run).collect();
        runs.sort_by_key(|e| e.start_ns);
        let interleaved = runs.windows(2).any(|w| w[1].start_ns < w[0].end_ns);
        for e in events {
            let name = format!("unit {}", e.unit);
            let args = json!({"unit": e.unit});
            if e.kind == Kind::Run && !interleaved {
                out.push(json!({
                    "name": name, "cat": "run", "ph": "X", "pid": e.pid, "tid": e.tid,
                    "ts": us(e.start_ns), "dur": (e.end_ns - e.start_ns) as f64 / 1000.0,
                    "args": args
                }));
                continue;
            }
            id += 1;
            let (cat, name) = match e.kind {
                Kind::Run => ("run", name),
                Kind::Wait => ("wait", format!("{name} waits")),
            };
            for (ph, t) in [("b", e.start_ns), ("e", e.end_ns)] {
                out.push(json!({
                    "name": name, "cat": cat, "ph": ph, "id": id, "pid": e.pid, "tid": e.tid,
                    "ts": us(t), "args": args
                }));
            }
        }
    }
    json!({ "traceEvents": out, "displayTimeUnit": "ms" })
}
