//! The report's JSON shape, and reading it back.

use super::*;

/// A small report with one cell of each shape, for the tests of every module.
pub fn sample_report() -> Report {
    let key = |variant: &str, workers: Option<u64>, n: Points| CellKey {
        model: "threads".into(),
        scenario: if matches!(n, Points::Many(_)) {
            "idle".into()
        } else {
            "cpu".into()
        },
        variant: variant.into(),
        params: KeyParams {
            workers,
            n,
            delay_ms: None,
            rounds: None,
        },
    };
    let mut serial = Cell::new(key("serial", None, Points::One(1000)), Status::Ok);
    serial.reported_workers = Some(1);
    serial.os_threads = Some(1);
    serial.median_ns = Some(200);
    serial.samples = vec![PointSamples {
        n: 1000,
        elapsed_ns: vec![190, 200, 210],
        memory: Vec::new(),
    }];
    let mut idle = Cell::new(
        key("spawn", None, Points::Many(vec![500, 2000])),
        Status::Ok,
    );
    idle.mem_per_unit_kib = Some(MemPerUnit {
        rss: Some(9.6),
        kernel: Some(-0.01),
        pss: None,
    });
    idle.samples = vec![PointSamples {
        n: 500,
        elapsed_ns: vec![5],
        memory: vec![Memory {
            rss_before_kib: Some(1000),
            rss_after_kib: Some(5800),
            ..Default::default()
        }],
    }];
    Report {
        schema_version: SCHEMA_VERSION,
        created: "2026-12-02T00:00:00Z".into(),
        size: "default".into(),
        invocation: "cargo xtask compare".into(),
        partial: false,
        environment: Environment {
            os: "linux".into(),
            arch: "x86_64".into(),
            cores: 2,
            effective_cores: EffectiveCores {
                start: Some(1.97),
                end: Some(1.95),
            },
            cpu_model: None,
            kernel: None,
            rustc: None,
            git_commit: None,
            load_average: Some(0.1),
            limits: Limits {
                nofile_soft: 1024,
                nofile_hard: 4096,
                nproc_soft: 100,
                max_map_count: Some(65530),
                threads_max: None,
                pid_max: None,
                mem_available_kib: Some(1 << 20),
            },
            interpreters: Vec::new(),
        },
        warnings: vec![],
        cells: vec![serial, idle],
        claims: Vec::new(),
        against: None,
    }
}

#[test]
fn status_serialises_as_the_guide_spells_it() {
    assert_eq!(
        serde_json::to_string(&Status::NotImplemented).unwrap(),
        "\"not-implemented\""
    );
    assert_eq!(serde_json::to_string(&Status::Ok).unwrap(), "\"ok\"");
}

#[test]
fn a_cell_key_is_flat_in_the_json_and_workers_can_be_null() {
    let r = sample_report();
    let v = serde_json::to_value(&r.cells[0]).unwrap();
    assert_eq!(v["model"], "threads");
    assert_eq!(v["params"]["workers"], serde_json::Value::Null);
    assert_eq!(v["params"]["n"], 1000);
    assert_eq!(v["reported_workers"], 1);
    let idle = serde_json::to_value(&r.cells[1]).unwrap();
    assert_eq!(idle["params"]["n"], serde_json::json!([500, 2000]));
}

#[test]
fn read_round_trips_a_report_and_refuses_another_version() {
    let dir = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
    let r = sample_report();
    let latest = write(&r, &dir, "stamp").unwrap();
    let back = read(&latest.join("report.json")).unwrap();
    assert_eq!(back.cells.len(), 2);
    assert_eq!(back.cells[0].key, r.cells[0].key);
    assert_eq!(back.cells[1].samples, r.cells[1].samples);
    assert_eq!(
        back.environment.effective_cores,
        r.environment.effective_cores
    );
    assert_eq!(
        serde_json::to_string(&back).unwrap(),
        serde_json::to_string(&r).unwrap()
    );

    let old = dir.join("old.json");
    std::fs::write(&old, r#"{"schema_version":1,"cells":[]}"#).unwrap();
    let e = read(&old).unwrap_err();
    assert!(
        e.msg.contains("schema_version 1") && e.msg.contains("version 2"),
        "{}",
        e.msg
    );
    std::fs::write(&old, "{}").unwrap();
    assert!(read(&old).unwrap_err().msg.contains("no schema_version"));
    std::fs::remove_dir_all(&dir).unwrap();
}
