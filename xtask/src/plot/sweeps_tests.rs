//! The full run's curves on a synthetic report: every file parses as XML
//! and carries its title, its lines' names, the reference lines, and the
//! limit that stopped each line at its end.

use super::*;
use crate::plot::write_all;
use crate::report::{CellKey, KeyParams, PointSamples};

fn cell(model: &str, scenario: &str, variant: &str, w: Option<u64>, n: Points) -> Cell {
    let key = CellKey {
        model: model.into(),
        scenario: scenario.into(),
        variant: variant.into(),
        params: KeyParams {
            workers: w,
            n,
            delay_ms: (scenario == "sleep").then_some(50),
            rounds: None,
        },
    };
    Cell::new(key, Status::Ok)
}

fn mem(n: u64, kib_each: f64) -> Memory {
    Memory {
        rss_before_kib: Some(1000),
        rss_after_kib: Some(1000 + (kib_each * n as f64) as u64),
        kernel_before_kib: Some(500),
        kernel_after_kib: Some(500),
        ..Default::default()
    }
}

fn report() -> Report {
    let mut r = crate::report::tests::sample_report();
    r.size = "full".into();
    r.cells.clear();
    let mut serial = cell("threads", "cpu", "serial", None, Points::One(3_000_000));
    serial.ratio = Some(1.0);
    r.cells.push(serial);
    for w in 1..=4u64 {
        let mut c = cell("threads", "cpu", "scoped", Some(w), Points::One(3_000_000));
        c.ratio = Some((w as f64).min(1.9));
        r.cells.push(c);
    }
    for (n, status) in [
        (100, Status::Ok),
        (1000, Status::Ok),
        (10_000, Status::Limit),
    ] {
        for scenario in ["spawn", "sleep"] {
            let mut c = cell("threads", scenario, "spawn", None, Points::One(n));
            c.status = status;
            c.ns_per_unit = Some(60_000.0);
            c.median_ns = Some(50_000_000 + n * 60_000);
            if status == Status::Limit {
                c.reason = Some("vm.max_map_count: 10000 units need 40000 mappings".into());
            }
            r.cells.push(c);
        }
    }
    let ladder = vec![100, 1000, 10_000, 100_000, 1_000_000];
    let mut idle = cell(
        "async",
        "idle",
        "current-thread",
        None,
        Points::Many(ladder.clone()),
    );
    idle.samples = ladder
        .iter()
        .map(|&n| PointSamples {
            n,
            elapsed_ns: vec![1],
            memory: vec![mem(n, 0.5); 3],
        })
        .collect();
    r.cells.push(idle);
    r
}

#[test]
fn four_curves_parse_with_their_lines_references_and_stops() {
    let dir = std::env::temp_dir().join(format!("xtask-sweeps-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = write_all(&report(), &dir).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "sweep-speedup.svg",
            "sweep-spawn.svg",
            "sweep-sleep.svg",
            "sweep-memory.svg"
        ]
    );
    let text: Vec<String> = files
        .iter()
        .map(|f| {
            let t = std::fs::read_to_string(f).unwrap();
            let doc = roxmltree::Document::parse(&t).unwrap();
            doc.descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    let has = |i: usize, s: &str| assert!(text[i].contains(s), "{s} not in {}", text[i]);
    has(0, "speedup against workers");
    has(0, "threads scoped");
    has(0, "threads serial (no W)");
    has(0, "ideal: min(W, 2 cores)");
    has(0, "effective cores measured");
    has(1, "threads spawn");
    has(1, "stopped: vm.max_map_count");
    has(1, "1k");
    has(2, "D = 50 ms");
    has(2, "stopped: vm.max_map_count");
    has(3, "async current-thread");
    has(3, "1M");
    assert!(
        !text[3].contains("stopped:"),
        "tokio reached its last point"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn memory_at_each_n_is_the_median_growth_per_unit() {
    let readings = [mem(1000, 0.5), mem(1000, 0.6), mem(1000, 0.4)];
    assert_eq!(kib_at(1000, &readings), Some(0.5));
    assert_eq!(kib_at(1000, &[]), None);
}
