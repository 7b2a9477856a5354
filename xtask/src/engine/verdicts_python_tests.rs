//! The Python rows on synthetic cells: a GIL build on which every row holds
//! (or illustrates), a free-threaded build on which the GIL claim does not,
//! and the ways a row becomes inconclusive.

use super::*;
use crate::report::Interpreter;

const PY_N: u64 = 200_000;

fn interpreter(name: &str, version: &str, gil: bool) -> Interpreter {
    Interpreter {
        name: name.into(),
        path: format!("/usr/bin/{name}"),
        executable: Some(format!("/usr/bin/{name}")),
        version: Some(version.into()),
        implementation: Some("cpython".into()),
        gil: Some(gil),
        free_threaded: Some(!gil),
        absent: None,
    }
}

/// An `idle` cell of a Python group: RSS (threads, tasks) or PSS (processes).
fn py_idle(m: &str, variant: &str, main: f64, kernel: f64) -> Cell {
    let mut c = timed(m, "idle", variant, None, 300, 50.0 * MS);
    c.key.params.n = Points::Many(vec![100, 300]);
    let process = variant == "multiprocessing";
    let of = |main, kernel| MemPerUnit {
        rss: (!process).then_some(main),
        kernel: Some(kernel),
        pss: process.then_some(main),
    };
    c.mem_per_unit_kib = Some(of(main, kernel));
    c.mem_noise_kib = Some(of(0.1, 0.1));
    c
}

/// One interpreter's cells, as a quiet 2-core run measures them on a GIL
/// build; `threading_ms` is its threading cpu time at W=2.
fn python_cells(m: &str, threading_ms: f64) -> Vec<Cell> {
    let w2 = Some(2);
    let cpu = |v, w, ms: f64| timed(m, "cpu", v, w, PY_N, ms * MS);
    let mut pool = cpu("multiprocessing", w2, 165.0);
    pool.startup_ns = Some(60 * MS as u64);
    let mut asyncio_sleep = timed(m, "sleep", "asyncio", None, 500, 55.0 * MS);
    asyncio_sleep.os_threads = Some(1);
    let per = |s, v, n: u64, each: f64| timed(m, s, v, None, n, each * n as f64);
    vec![
        cpu("serial", None, 300.0),
        cpu("threading", Some(1), 305.0),
        cpu("threading", w2, threading_ms),
        cpu("multiprocessing", Some(1), 310.0),
        pool,
        cpu("asyncio", None, 320.0),
        cpu("gevent", None, 310.0),
        asyncio_sleep,
        timed(m, "sleep", "threading", None, 500, 80.0 * MS),
        per("spawn", "threading", 300, 140.0 * US),
        per("spawn", "multiprocessing", 300, 2100.0 * US),
        py_idle(m, "threading", 16.0, 11.0),
        py_idle(m, "multiprocessing", 2500.0, 60.0),
        py_idle(m, "asyncio", 1.0, 0.0),
    ]
}

/// The base run plus one GIL interpreter (and threads serial at its n).
fn with_python() -> Report {
    let mut r = base();
    r.cells.extend(python_cells("python3.11", 330.0));
    r.cells
        .push(timed("threads", "cpu", "serial", None, PY_N, 6.0 * MS));
    r.environment
        .interpreters
        .push(interpreter("python3.11", "3.11.7", true));
    r
}

fn py_row(id: &str, change: impl FnOnce(&mut Report)) -> Judged {
    let mut r = with_python();
    change(&mut r);
    let j = judge(&r)
        .into_iter()
        .find(|j| j.id == id)
        .unwrap_or_else(|| panic!("no row {id}"));
    println!("{id} {:?}: {}", j.verdict, j.reason);
    j
}

#[test]
fn on_a_gil_build_every_python_row_holds_and_names_the_interpreter() {
    let r = with_python();
    let judged = judge(&r);
    let python: Vec<&Judged> = judged
        .iter()
        .filter(|j| j.id.ends_with("python3.11"))
        .collect();
    let ids: Vec<&str> = python.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "6P python3.11",
            "7P python3.11",
            "8P python3.11",
            "10P python3.11",
            "14 python3.11",
            "15 python3.11"
        ]
    );
    for j in &python {
        let expected = if j.id.starts_with("10P") {
            Illustration
        } else {
            Holds
        };
        assert_eq!(j.verdict, expected, "{}: {}", j.id, j.reason);
        assert!(
            j.reason
                .contains("python3.11 (CPython 3.11.7, with the GIL)"),
            "{}",
            j.reason
        );
    }
    let gil = python[0];
    assert!(
        gil.reason
            .contains("threading at W=2 ran at 0.91x serial speed: no gain"),
        "{}",
        gil.reason
    );
    assert!(python[1].reason.contains("its pool took 60.0 ms to start"));
    assert!(
        python[5].reason.contains("50.0x faster") && python[5].reason.contains("at n=200000"),
        "{}",
        python[5].reason
    );
    // The Rust rows still read the Rust cells at their own n.
    assert_eq!(judged.iter().find(|j| j.id == "3").unwrap().verdict, Holds);
}

#[test]
fn on_a_free_threaded_build_the_gil_claim_does_not_hold() {
    let mut r = with_python();
    r.cells.extend(python_cells("python3.13t", 160.0));
    r.environment
        .interpreters
        .push(interpreter("python3.13t", "3.13.5", false));
    let judged = judge(&r);
    let of = |id: &str| judged.iter().find(|j| j.id == id).unwrap();
    assert_eq!(of("6P python3.11").verdict, Holds);
    let ft = of("6P python3.13t");
    assert_eq!(ft.verdict, DoesNotHold, "{}", ft.reason);
    assert!(
        ft.reason
            .contains("python3.13t (CPython 3.13.5, free-threaded, no GIL)")
            && ft
                .reason
                .contains("threading at W=2 ran 1.88x faster than serial"),
        "{}",
        ft.reason
    );
    // Free threads run as fast as the pool: nothing left to side-step.
    assert_ne!(of("7P python3.13t").verdict, Holds);
    // 15 reads Rust's serial at the interpreter's n once per interpreter.
    assert_eq!(of("15 python3.13t").verdict, Holds);
}

#[test]
fn python_rows_need_the_effective_cores_and_the_cells() {
    let busy = py_row("6P python3.11", |r| {
        r.environment.effective_cores.end = Some(0.9)
    });
    assert_eq!(busy.verdict, Inconclusive);
    assert!(
        busy.reason
            .contains("0.90 effective cores of the 2 allowed"),
        "{}",
        busy.reason
    );
    let no_gevent = py_row("10P python3.11", |r| {
        let c = at(r, "python3.11/cpu/gevent", None);
        c.status = Status::NotImplemented;
        c.reason = Some("unavailable here: gevent not installed".into());
    });
    assert_eq!(no_gevent.verdict, Illustration);
    assert!(
        no_gevent
            .reason
            .contains("did not run (unavailable here: gevent not installed)"),
        "{}",
        no_gevent.reason
    );
    let no_rust = py_row("15 python3.11", |r| {
        r.cells
            .retain(|c| !(c.model() == "threads" && c.key.params.n == Points::One(PY_N)))
    });
    assert_eq!(no_rust.verdict, Inconclusive);
    assert!(
        no_rust
            .reason
            .contains("threads/cpu/serial n=200000 is missing"),
        "{}",
        no_rust.reason
    );
    let mp_slow = py_row("7P python3.11", |r| {
        let pool = r.cells.iter_mut().find(|c| {
            (c.model(), c.variant(), c.key.params.workers)
                == ("python3.11", "multiprocessing", Some(2))
        });
        retime(pool.unwrap(), 400.0 * MS)
    });
    assert_eq!(mp_slow.verdict, DoesNotHold, "{}", mp_slow.reason);
}

#[test]
fn without_an_interpreter_there_are_no_python_rows() {
    let mut r = with_python();
    r.environment.interpreters[0].absent = Some("python3 not found".into());
    assert!(judge(&r).iter().all(|j| !j.id.contains("python")));
    assert_eq!(judge(&base()).len(), 15);
}

#[test]
fn a_quick_run_judges_no_python_row_either() {
    let mut r = with_python();
    r.size = "quick".into();
    for j in judge(&r).iter().filter(|j| j.id.contains("python")) {
        let expected = if j.id.starts_with("10P") {
            Illustration
        } else {
            Inconclusive
        };
        assert_eq!(j.verdict, expected, "{}", j.id);
    }
}
