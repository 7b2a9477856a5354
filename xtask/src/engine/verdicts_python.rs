//! The Python rows of the claims table (6P, 7P, 8P, 10P, 14, 15), judged
//! once per interpreter of the run and naming it (`6P python3.13t`). A
//! Python figure compares cells of the interpreter's own group; only 15
//! reaches across, to Rust's `serial` at the same n.

use super::*;
use crate::report::Interpreter;

/// Every Python row for every interpreter that ran in this report.
pub(super) fn rows(run: &Run) -> Vec<Judged> {
    let report = run.report;
    report
        .environment
        .interpreters
        .iter()
        .filter(|i| i.absent.is_none())
        .filter(|i| report.cells.iter().any(|c| c.key.model == i.name))
        .flat_map(|py| ROWS.iter().map(move |row| row(run, py)))
        .collect()
}

const ROWS: &[fn(&Run, &Interpreter) -> Judged] = &[
    gil,
    side_steps,
    event_loop,
    greenlets,
    python_lighter,
    interpreter_cost,
];

fn id(row: &str, py: &Interpreter) -> String {
    format!("{row} {}", py.name)
}

/// The interpreter's `serial` cpu time / the cell's: a speedup.
fn speedup(run: &Run, model: &str, variant: &str, w: W) -> Got {
    let serial = run.get(ask(model, "cpu", "serial", W::Free), Field::Median);
    ratio(
        &serial,
        &run.get(ask(model, "cpu", variant, w), Field::Median),
    )
}

/// "no gain" or "ran Nx faster": the reading of a "does not speed up" claim.
fn no_gain(run: &Run, py: &Interpreter, variant: &str, w: W) -> Reading {
    let at = match w {
        W::Cores => format!(" at W={}", run.cores),
        _ => String::new(),
    };
    let variant = variant.to_string();
    Reading::new(
        &format!("cpu speedup of {variant}{at} over serial, {}", py.name),
        "x",
        speedup(run, &py.name, &variant, w),
        Want::AtMost(1.0),
        move |q, side| match side {
            Side::Against => format!(
                "{variant}{at} ran {}x faster than serial: its threads ran Python in parallel",
                sig(q.value)
            ),
            _ => format!(
                "{variant}{at} ran at {}x serial speed: no gain beyond the noise",
                sig(q.value)
            ),
        },
    )
}

pub(super) fn gil(run: &Run, py: &Interpreter) -> Judged {
    let r = no_gain(run, py, "threading", W::Cores);
    let sentence = format!("on {}, {}", py.describe(), r.text);
    conclude(
        &id("6P", py),
        "The GIL lets one thread run at a time, so CPU-bound threads don't speed up.",
        vec![r, run.parallelism()],
        sentence,
    )
}

pub(super) fn side_steps(run: &Run, py: &Interpreter) -> Judged {
    let m = py.name.as_str();
    let cpu = |v| run.get(ask(m, "cpu", v, W::Cores), Field::Median);
    let main = compare(
        &format!("cpu time, threading / multiprocessing, W=cores, {m}"),
        &words("ran", "faster", "slower", time),
        cpu("multiprocessing"),
        cpu("threading"),
        false,
    );
    let gain = Reading::new(
        &format!("cpu speedup of multiprocessing at W=cores over serial, {m}"),
        "x",
        speedup(run, m, "multiprocessing", W::Cores),
        Want::Above(1.0),
        |q, _| format!("{}x serial speed", sig(q.value)),
    );
    let startup = run
        .get(ask(m, "cpu", "multiprocessing", W::Cores), Field::Startup)
        .map(|q| format!(" (its pool took {} to start)", dur(q.value)))
        .unwrap_or_default();
    let sentence = format!(
        "on {}, a multiprocessing pool {} than threading, at {}{startup}",
        py.describe(),
        main.text,
        gain.text
    );
    conclude(
        &id("7P", py),
        "Multiprocessing side-steps the GIL by using subprocesses.",
        vec![main, gain, run.parallelism()],
        sentence,
    )
}

pub(super) fn event_loop(run: &Run, py: &Interpreter) -> Judged {
    let m = py.name.as_str();
    let tasks = ask(m, "sleep", "asyncio", W::Free);
    let n = match run.cell(tasks).map(|c| &c.key.params.n) {
        Ok(Points::One(n)) => n.to_string(),
        _ => "the".into(),
    };
    let threads = Reading::new(
        &format!("OS threads while the units waited (asyncio), {m}"),
        "threads",
        run.get(tasks, Field::OsThreads),
        Want::Near(1.0),
        |q, _| {
            format!(
                "{n} waits ran on {} OS thread{}",
                q.value,
                if q.value == 1.0 { "" } else { "s" }
            )
        },
    );
    let (a, t) = run.same_n(
        tasks,
        ask(m, "sleep", "threading", W::Free),
        Field::WallOverDelay,
    );
    let shown = both(&a, &t).map(|(a, t)| {
        format!(
            "took {}x the delay (a thread per unit: {}x)",
            sig(a.value),
            sig(t.value)
        )
    });
    let wait = Reading::new(
        &format!("wall / delay, asyncio / thread per unit, {m}"),
        "x",
        ratio(&a, &t),
        Want::AtMost(1.0),
        |_, _| shown.unwrap_or_default(),
    );
    let memory = |v| run.get(ask(m, "idle", v, W::Free), Field::Memory);
    let task = compare(
        &format!("memory per unit, thread / asyncio task, {m}"),
        &LESS_MEMORY,
        memory("asyncio"),
        memory("threading"),
        false,
    );
    let sentence = format!(
        "on {}, {} and a task {} than a thread",
        py.describe(),
        join(&[threads.clone(), wait.clone()]),
        task.text
    );
    conclude(
        &id("8P", py),
        "asyncio runs many waits on one thread, cheaply.",
        vec![threads, wait, task],
        sentence,
    )
}

pub(super) fn greenlets(run: &Run, py: &Interpreter) -> Judged {
    let r = no_gain(run, py, "gevent", W::Free);
    let sentence = format!("on {}, {}", py.describe(), r.text);
    illustrate(
        &id("10P", py),
        "gevent's green threads are cooperative and use one core.",
        vec![r],
        sentence,
        "gevent runs every greenlet on one OS thread by construction",
    )
}

pub(super) fn python_lighter(run: &Run, py: &Interpreter) -> Judged {
    let m = py.name.as_str();
    let spawn = |v| run.get(ask(m, "spawn", v, W::Free), Field::PerUnit);
    let memory = |v| run.get(ask(m, "idle", v, W::Free), Field::Memory);
    let readings = vec![
        compare(
            &format!("spawn per unit, process / thread, {m}"),
            &STARTED,
            spawn("threading"),
            spawn("multiprocessing"),
            false,
        ),
        compare(
            &format!("memory per unit, process (PSS + kernel) / thread (RSS + kernel), {m}"),
            &LESS_MEMORY,
            memory("threading"),
            memory("multiprocessing"),
            false,
        ),
    ];
    let sentence = format!(
        "on {}, a thread {} than a process",
        py.describe(),
        join(&readings)
    );
    conclude(
        &id("14", py),
        "Python threads are lighter than Python processes.",
        readings,
        sentence,
    )
}

pub(super) fn interpreter_cost(run: &Run, py: &Interpreter) -> Judged {
    let python = ask(&py.name, "cpu", "serial", W::Free);
    let (p, rust) = run.same_n(
        python,
        ask("threads", "cpu", "serial", W::Free),
        Field::Median,
    );
    let n = match run.cell(python).map(|c| &c.key.params.n) {
        Ok(Points::One(n)) => format!(" at n={n}"),
        _ => String::new(),
    };
    let r = compare(
        &format!("cpu time, {} serial / Rust serial, same n", py.name),
        &words("ran", "faster", "slower", time),
        rust,
        p,
        false,
    );
    let sentence = format!(
        "Rust's serial prime count {} than {}'s{n}",
        r.text,
        py.describe()
    );
    conclude(
        &id("15", py),
        "Rust is faster than Python.",
        vec![r],
        sentence,
    )
}
