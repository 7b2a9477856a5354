//! The Chrome JSON and the SVG of a made-up trace: what Perfetto needs, and
//! one labelled row per OS thread.

use std::collections::{BTreeMap, BTreeSet};

use workloads::trace::{Event, Kind, Trace};

use super::{chrome, svg, Stats};

fn ev(unit: u64, pid: u32, tid: u32, start_ms: u64, end_ms: u64, kind: Kind) -> Event {
    Event {
        unit,
        pid,
        tid,
        start_ns: 1_000_000_000 + start_ms * 1_000_000,
        end_ns: 1_000_000_000 + end_ms * 1_000_000,
        kind,
    }
}

/// Two threads running side by side, one thread on which three tasks
/// interleave (runs overlapping on one track), waits, and a second process.
fn sample() -> Trace {
    use Kind::*;
    Trace {
        model: "test".into(),
        scenario: "cpu".into(),
        variant: "mixed".into(),
        events: vec![
            ev(0, 10, 11, 0, 4, Run),
            ev(1, 10, 12, 1, 5, Run),
            ev(2, 10, 11, 4, 6, Wait),
            ev(3, 10, 13, 0, 3, Run),
            ev(4, 10, 13, 1, 2, Run),
            ev(5, 10, 13, 0, 9, Wait),
            ev(6, 10, 13, 0, 9, Wait),
            ev(7, 20, 20, 7, 8, Run),
        ],
    }
}

#[test]
fn stats_count_threads_overlap_and_gaps() {
    let s = Stats::of(&sample().events);
    assert_eq!((s.os_threads, s.processes, s.units), (4, 2, 8));
    assert_eq!(s.span_ns, 9_000_000);
    // Runs: [0,4] [1,5] [0,3] [1,2] [7,8]: two or more at once over 0..4.
    assert_eq!(s.parallel_ns, 4_000_000);
    assert_eq!(s.max_running, 4);
    // No run from 5 to 7, nor from 8 to 9.
    assert_eq!(s.longest_gap_ns, 2_000_000);
    assert_eq!(s.max_waiting, 3);
}

#[test]
fn chrome_json_is_what_perfetto_needs() {
    let trace = sample();
    let v = chrome::render(&trace);
    let events = v["traceEvents"].as_array().expect("traceEvents");
    let mut named: BTreeSet<(u64, u64)> = BTreeSet::new();
    let mut x_slices: BTreeMap<(u64, u64), Vec<(f64, f64)>> = BTreeMap::new();
    let mut open: BTreeMap<u64, f64> = BTreeMap::new();
    let mut waits = 0;
    for e in events {
        for field in ["name", "ph", "pid", "tid", "ts"] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        let track = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
        let ts = e["ts"].as_f64().unwrap();
        match e["ph"].as_str().unwrap() {
            "M" => {
                assert!(e["args"]["name"].is_string(), "{e}");
                if e["name"] == "thread_name" {
                    named.insert(track);
                }
            }
            "X" => {
                let dur = e["dur"].as_f64().expect("an X has dur");
                assert_eq!(e["cat"], "run");
                x_slices.entry(track).or_default().push((ts, ts + dur));
            }
            ph @ ("b" | "e") => {
                let id = e["id"].as_u64().expect("an async event has an id");
                assert!(e["cat"].is_string(), "{e}");
                if e["cat"] == "wait" {
                    waits += 1;
                }
                if ph == "b" {
                    assert!(open.insert(id, ts).is_none(), "id {id} begun twice");
                } else {
                    let began = open.remove(&id).expect("an e after its b");
                    assert!(ts >= began);
                }
            }
            other => panic!("unexpected phase {other}"),
        }
    }
    assert!(open.is_empty(), "every b has its e");
    assert_eq!(waits, 2 * 3, "three waits, each a b and an e, cat wait");
    let tracks: BTreeSet<(u64, u64)> = trace
        .events
        .iter()
        .map(|e| (e.pid as u64, e.tid as u64))
        .collect();
    assert_eq!(named, tracks, "a thread_name for every track");
    for (track, mut slices) in x_slices {
        slices.sort_by(|a, b| a.partial_cmp(b).unwrap());
        for w in slices.windows(2) {
            assert!(w[1].0 >= w[0].1, "X slices overlap on {track:?}: {w:?}");
        }
    }
    // The interleaved track's runs went async: its X slices are not there.
    assert!(events.iter().all(|e| !(e["ph"] == "X" && e["tid"] == 13)));
}

#[test]
fn the_svg_is_xml_with_one_labelled_row_per_os_thread() {
    let trace = sample();
    let text = svg::render(&trace, &Stats::of(&trace.events));
    let doc = roxmltree::Document::parse(&text).expect("the SVG parses as XML");
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("row"))
        .collect();
    let labels: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            r.descendants()
                .find(|n| n.attribute("class") == Some("label"))
                .and_then(|n| n.text())
                .expect("each row has a label")
                .to_string()
        })
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        labels,
        BTreeSet::from([
            "pid 10 tid 11".to_string(),
            "pid 10 tid 12".into(),
            "pid 10 tid 13".into(),
            "pid 20 main".into()
        ])
    );
    assert!(text.contains(">ms</text>"), "a time axis in ms");
}

#[test]
fn a_timeline_section_keeps_report_html_well_formed() {
    let trace = sample();
    let svg = svg::render(&trace, &Stats::of(&trace.events));
    let page = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\
                <h2 id=\"verdicts\">c</h2><h2 id=\"plots\">p</h2></body></html>";
    let section = format!("<h2 id=\"timelines\">t</h2><figure>{svg}</figure>");
    let out = crate::html::insert_section(page, &section);
    roxmltree::Document::parse(&out).expect("still XML");
    let (t, p) = (
        out.find("timelines").unwrap(),
        out.find("\"plots\"").unwrap(),
    );
    assert!(
        out.find("verdicts").unwrap() < t && t < p,
        "after the claims, before the plots"
    );
}
