//! The plots on a synthetic report with a cell of every shape the charts
//! draw, including cells that failed, hit a limit or are missing.

use super::*;
use crate::report::{CellKey, KeyParams, MemPerUnit, Points};

fn cell(model: &str, scenario: &str, variant: &str, workers: Option<u64>, n: Points) -> Cell {
    let key = CellKey {
        model: model.into(),
        scenario: scenario.into(),
        variant: variant.into(),
        params: KeyParams {
            workers,
            n,
            delay_ms: (scenario == "sleep").then_some(100),
            rounds: None,
        },
    };
    Cell::new(key, Status::Ok)
}

/// `sample_report` plus cells of every scenario the plots draw, with figures
/// of the size measured on a 2-core VM.
pub fn full_report() -> Report {
    let mut r = crate::report::tests::sample_report();
    r.cells.clear();
    let one = Points::One;
    let mut push = |c: Cell, f: &dyn Fn(&mut Cell)| {
        let mut c = c;
        f(&mut c);
        r.cells.push(c);
    };
    push(
        cell("threads", "cpu", "serial", None, one(3_000_000)),
        &|c| c.ratio = Some(1.0),
    );
    for (model, variant, r1, r2) in [
        ("threads", "scoped", 0.99, 1.93),
        ("threads", "gil", 0.98, 0.91),
        ("processes", "pool", 0.97, 1.88),
        ("async", "multi-thread", 0.98, 1.90),
        ("green", "may", 0.99, 1.92),
    ] {
        push(cell(model, "cpu", variant, Some(1), one(3_000_000)), &|c| {
            c.ratio = Some(r1)
        });
        push(cell(model, "cpu", variant, Some(2), one(3_000_000)), &|c| {
            c.ratio = Some(r2)
        });
    }
    push(cell("green", "cpu", "may-1", None, one(3_000_000)), &|c| {
        c.ratio = Some(0.98)
    });
    for (model, variant, ns) in [
        ("threads", "spawn", 65_000.0),
        ("processes", "per-task", 1_300_000.0),
        ("async", "current-thread", 300.0),
        ("async", "multi-thread", 700.0),
        ("green", "may", 1_600.0),
    ] {
        push(cell(model, "spawn", variant, None, one(1000)), &|c| {
            c.ns_per_unit = Some(ns)
        });
        push(cell(model, "pingpong", variant, None, one(10_000)), &|c| {
            c.ns_per_unit = Some(ns / 5.0)
        });
    }
    push(
        cell("green", "pingpong", "may-1", None, one(10_000)),
        &|c| {
            c.status = Status::Failed;
            c.reason = Some("exit 1: <panicked> & \"quoted\"".into());
        },
    );
    let many = || Points::Many(vec![1000, 10_000]);
    let mem = |rss, kernel, pss| MemPerUnit { rss, kernel, pss };
    push(cell("threads", "idle", "spawn", None, many()), &|c| {
        c.mem_per_unit_kib = Some(mem(Some(9.6), Some(20.1), None))
    });
    push(cell("processes", "idle", "per-task", None, many()), &|c| {
        c.mem_per_unit_kib = Some(mem(None, Some(31.0), Some(210.0)))
    });
    push(
        cell("async", "idle", "current-thread", None, many()),
        &|c| {
            c.mem_per_unit_kib = Some(mem(Some(0.44), Some(-0.3), None));
            c.mem_noise_kib = Some(mem(Some(0.05), Some(0.5), None));
        },
    );
    push(cell("green", "idle", "may", None, many()), &|c| {
        c.status = Status::Limit;
        c.reason = Some("vm.max_map_count".into());
    });
    for (model, variant, n, wd) in [
        ("threads", "serial", 8, 8.02),
        ("threads", "spawn", 8, 1.01),
        ("threads", "spawn", 10_000, 1.31),
        ("async", "current-thread", 10_000, 1.04),
    ] {
        push(cell(model, "sleep", variant, None, one(n)), &|c| {
            c.wall_over_delay = Some(wd)
        });
    }
    r
}

fn svg_text(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not XML: {e}", path.display()));
    text
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn five_plots_parse_as_xml_with_title_legend_and_every_cell() {
    let r = full_report();
    let dir = temp_dir("plots");
    let files = write_all(&r, &dir).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "cpu-speedup.svg",
            "spawn-cost.svg",
            "memory.svg",
            "pingpong.svg",
            "sleep.svg"
        ]
    );
    let cpu = svg_text(&files[0]);
    assert!(cpu.contains("CPU-bound work: speedup"), "{cpu}");
    assert!(cpu.contains("W = 2 (cores)") && cpu.contains("effective cores measured"));
    assert!(cpu.contains("processes pool W=2") && cpu.contains("1.88x"));
    let ping = svg_text(&files[3]);
    // The failed cell is a row with its status, not a bar of zero.
    assert!(
        ping.contains("green may-1") && ping.contains("(failed)"),
        "{ping}"
    );
    let mem = svg_text(&files[2]);
    assert!(mem.contains("210.0 KiB + 31.0 KiB") && mem.contains("(limit)"));
    // A negative kernel slope inside its noise is shown as ~0.
    assert!(mem.contains("0.4 KiB + ~0 KiB"), "{mem}");
    for f in &files[1..] {
        svg_text(f);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_cell_leaves_its_plot_drawable_and_an_empty_plot_unwritten() {
    let mut r = full_report();
    r.cells
        .retain(|c| !(c.key.scenario == "cpu" && c.key.params.workers == Some(2)));
    r.cells.retain(|c| c.key.scenario != "pingpong");
    r.environment.effective_cores = Default::default();
    // A chart whose every cell failed still draws: its rows and statuses.
    for c in r.cells.iter_mut().filter(|c| c.key.scenario == "spawn") {
        c.status = Status::Timeout;
    }
    let dir = temp_dir("plots-missing");
    let files = write_all(&r, &dir).unwrap();
    assert_eq!(files.len(), 4);
    let cpu = svg_text(&files[0]);
    assert!(
        !cpu.contains("W=2") && !cpu.contains("effective cores"),
        "{cpu}"
    );
    assert!(!dir.join("pingpong.svg").exists());
    let spawn = svg_text(&files[1]);
    assert!(spawn.contains("(timeout)") && spawn.contains("processes per-task"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Look at the plots: writes `$TMPDIR/plots/{real,synthetic}/` from the latest
/// compare report (if there is one) and from `full_report`. Render with
/// `rsvg-convert -w 1200 x.svg -o x.png` or a browser.
#[test]
#[ignore]
fn write_plots_to_look_at() {
    let latest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/compare/latest/report.json");
    let real = std::env::var_os("REPORT").map_or(latest, PathBuf::from);
    let mut reports = vec![("synthetic", crate::html::tests::report_with_claims())];
    if let Ok(r) = crate::report::read(&real) {
        reports.push(("real", r));
    }
    for (name, r) in reports {
        let dir = std::env::temp_dir().join("plots").join(name);
        let files = write_all(&r, &dir).unwrap();
        crate::html::write(&r, &files, &dir.join("report.html")).unwrap();
        println!("{}: {} plots", dir.display(), files.len());
    }
}
