//! One rule per row of the claims table: which cells it reads, what each
//! figure must show, and the sentence built from them.

use super::*;

pub(super) fn lighter(run: &Run) -> Judged {
    let spawn = |m, v| run.get(ask(m, "spawn", v, W::Free), Field::PerUnit);
    let memory = |m, v| run.get(ask(m, "idle", v, W::Free), Field::Memory);
    let readings = vec![
        compare(
            "spawn per unit, process / thread",
            &STARTED,
            spawn("threads", "spawn"),
            spawn("processes", "per-task"),
            false,
        ),
        compare(
            "memory per unit, process (PSS + kernel) / thread (RSS + kernel)",
            &LESS_MEMORY,
            memory("threads", "spawn"),
            memory("processes", "per-task"),
            false,
        ),
    ];
    let sentence = format!("a thread {} than a process", join(&readings));
    conclude(
        "1",
        "Threads are lighter than processes; they use low resources.",
        readings,
        sentence,
    )
}

pub(super) fn more_memory(run: &Run) -> Judged {
    let process = run.get(ask("processes", "idle", "per-task", W::Free), Field::Memory);
    let thread = run.get(thread("idle"), Field::Memory);
    let little = Reading::new(
        "memory per unit, process / thread, against the 2x of \"a little\"",
        "x",
        ratio(&process, &thread),
        Want::Below(2.0),
        |_, side| {
            let how = match side {
                Side::Claimed => "within",
                Side::Against => "beyond",
                Side::Inside => "about",
            };
            format!("{how} the 2x that \"a little\" allows")
        },
    );
    let main = compare(
        "memory per unit, process (PSS + kernel) / thread (RSS + kernel)",
        &MORE_MEMORY,
        process,
        thread,
        true,
    );
    let sentence = format!("a process {} than a thread, {}", main.text, little.text);
    conclude("2", "Multiprocessing uses a little more memory, which makes it more expensive than multithreading.", vec![main, little], sentence)
}

/// `speedup` over the effective cores (the mean of start and end), with the
/// larger of its own noise and the start-to-end change of the cores.
pub(super) fn over_cores(run: &Run, speedup: &Got) -> Got {
    let Some((low, high)) = run.effective() else {
        return Err(gap("the effective cores were not measured".into()));
    };
    let mid = (low + high) / 2.0;
    let s = speedup.clone()?;
    let value = s.value / mid;
    let noise = value * s.rel().max((high - low) / mid);
    // No work runs faster than the cores it had: a speedup beyond the
    // measured cores says the measurement ran low, not that the work beat it.
    if value - 1.0 > noise {
        return Err(Gap {
            why: vec![format!(
                "a speedup of {}x is more than the {mid:.2} effective cores measured: that measurement ran low in this run, so closeness to it cannot be judged",
                sig(s.value)
            )],
            cells: s.cells,
        });
    }
    Ok(Q {
        value,
        noise,
        cells: s.cells,
    })
}

pub(super) fn cpu_bound(run: &Run) -> Judged {
    let pool = ask("processes", "cpu", "pool", W::Cores);
    let speedup = run.cpu_speedup(pool);
    let startup = run.get(pool, Field::Startup);
    let serial = run.get(ask("threads", "cpu", "serial", W::Free), Field::Median);
    let with_startup = match both(&run.get(pool, Field::Median), &startup) {
        Ok((p, s)) => ratio(
            &serial,
            &Ok(Q {
                value: p.value + s.value,
                noise: p.noise + s.noise,
                cells: p.cells,
            }),
        ),
        Err(g) => Err(g),
    };
    let closeness = |q: &Q, side: Side| {
        // `over_cores` refuses a speedup beyond the cores: only short of them is left.
        let how = match side {
            Side::Claimed => "within the noise",
            _ => "short of them beyond the noise",
        };
        format!(
            "{}% of the effective cores ({how})",
            (q.value * 100.0).round()
        )
    };
    let main = Reading::new(
        "cpu speedup of a process pool at W=cores over serial / effective cores",
        "x",
        over_cores(run, &speedup),
        Want::Near(1.0),
        closeness,
    );
    let start = Reading::new(
        "the same counting the pool's start-up",
        "x",
        over_cores(run, &with_startup),
        Want::Near(1.0),
        |q, s| {
            format!(
                "counting their {} start-up, {}",
                startup.as_ref().map_or(String::new(), |s| dur(s.value)),
                closeness(q, s)
            )
        },
    );
    let sentence = match &speedup {
        Ok(s) => format!(
            "{} pool processes ran {}x faster than serial: {}",
            run.cores,
            sig(s.value),
            join(&[main.clone(), start.clone()])
        ),
        Err(_) => String::new(),
    };
    conclude(
        "3",
        "Multiprocessing is for CPU-bound work and uses the CPU up to its maximum capacity.",
        vec![main, start, run.parallelism()],
        sentence,
    )
}

pub(super) fn io_bound(run: &Run) -> Judged {
    let serial = ask("threads", "sleep", "serial", W::Free);
    let small = run.cell(serial).ok().and_then(|c| match c.key.params.n {
        Points::One(n) => Some(n),
        Points::Many(_) => None,
    });
    let units = small.unwrap_or(4 * run.cores);
    let n = Some(units);
    let sleep = ratio(
        &run.get(Ask { n, ..serial }, Field::Median),
        &run.get(
            Ask {
                n,
                ..thread("sleep")
            },
            Field::Median,
        ),
    );
    let variants: std::collections::BTreeSet<&str> = run
        .report
        .cells
        .iter()
        .filter(|c| c.model() == "threads" && c.scenario() == "cpu")
        .map(|c| c.variant())
        .collect();
    let best = variants
        .into_iter()
        .filter_map(|v| run.cpu_speedup(ask("threads", "cpu", v, W::Cores)).ok())
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .ok_or_else(|| gap(format!("no threads cpu cell at W={} finished", run.cores)));
    let cpu = best.as_ref().map_or(0.0, |b| b.value);
    let main = Reading::new(
        "sleep speedup (thread per unit / serial, same n) / best threads cpu speedup at W=cores",
        "x",
        ratio(&sleep, &best),
        Want::Above(1.0),
        |q, side| {
            let s = q.value * cpu;
            match side {
            Side::Claimed => format!("waiting threads gained {}x over one after another where CPU-bound threads gained {}x", sig(s), sig(cpu)),
            Side::Against => format!("waiting threads gained only {}x where CPU-bound threads gained {}x", sig(s), sig(cpu)),
            Side::Inside => format!("waiting threads gained {}x, about the {}x of CPU-bound ones", sig(s), sig(cpu)),
        }
        },
    );
    let cores = run.cores;
    let past = Reading::new(
        "sleep speedup against the allowed cores",
        "x",
        sleep.clone().map(|q| Q {
            value: q.value / cores as f64,
            noise: q.noise / cores as f64,
            ..q
        }),
        Want::Above(1.0),
        |_, side| {
            let how = match side {
                Side::Claimed => "past",
                Side::Against => "short of",
                Side::Inside => "about",
            };
            format!("{how} the {cores} cores (with {} units)", units)
        },
    );
    let (t, a) = run.same_n(
        thread("sleep"),
        ask("async", "sleep", "current-thread", W::Free),
        Field::WallOverDelay,
    );
    let shown = both(&t, &a).map(|(t, a)| {
        format!(
            "{}x the delay where the event loop took {}x",
            sig(t.value),
            sig(a.value)
        )
    });
    let wait = Reading::new(
        "wall / delay, thread per unit / event loop (current-thread), default n",
        "x",
        ratio(&t, &a),
        Want::AtMost(1.0),
        |_, _| format!("a thread per unit took {}", shown.unwrap_or_default()),
    );
    let readings = vec![main, past, wait];
    let sentence = join(&readings);
    conclude(
        "4",
        "Multithreading is more suitable for IO-bound tasks.",
        readings,
        sentence,
    )
}
