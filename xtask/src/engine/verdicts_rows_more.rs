//! The rows of the claims table from 5 on: IO with processes, the
//! illustrations, async, green threads and message passing.

use super::*;

pub(super) fn io_processes(run: &Run) -> Judged {
    let each = |scenario, field, w: &Words| {
        let (p, t) = run.same_n(
            ask("processes", scenario, "per-task", W::Free),
            thread(scenario),
            field,
        );
        compare(
            &format!("{scenario}, process per unit / thread per unit"),
            w,
            p,
            t,
            true,
        )
    };
    let readings = vec![
        each(
            "sleep",
            Field::Median,
            &words("took", "as long on sleep", "less time on sleep", time),
        ),
        each(
            "net",
            Field::Median,
            &words("took", "as long on net", "less time on net", time),
        ),
        each(
            "spawn",
            Field::PerUnit,
            &words("took", "as long to start", "less time to start", per_unit),
        ),
        each("idle", Field::Memory, &MORE_MEMORY),
    ];
    let sentence = format!(
        "a process per unit {} than a thread per unit",
        join(&readings)
    );
    conclude(
        "5",
        "For IO, processes work too but cost more than threads.",
        readings,
        sentence,
    )
}

pub(super) fn gil(run: &Run) -> Judged {
    let speedup = |variant, want, who: &'static str| {
        Reading::new(
            &format!("cpu speedup of {variant} at W=cores over serial"),
            "x",
            run.cpu_speedup(ask("threads", "cpu", variant, W::Cores)),
            want,
            move |q, _| format!("{who} ran at {}x serial speed", sig(q.value)),
        )
    };
    let readings = vec![
        speedup("gil", Want::AtMost(1.0), "threads under one lock"),
        speedup("scoped", Want::Above(1.0), "scoped threads"),
    ];
    let sentence = format!("with W={}, {}", run.cores, join(&readings));
    illustrate(
        "6",
        "The GIL lets one thread run at a time, so CPU-bound threads don't speed up.",
        readings,
        sentence,
        "the lock around every chunk is there by construction; real CPython judges the claim (6P)",
    )
}

pub(super) fn side_steps(run: &Run) -> Judged {
    let cpu = |m, v| run.get(ask(m, "cpu", v, W::Cores), Field::Median);
    let r = compare(
        "cpu time, threads under one lock / process pool, W=cores",
        &words("ran", "faster", "slower", time),
        cpu("processes", "pool"),
        cpu("threads", "gil"),
        false,
    );
    let sentence = format!("a process pool {} than threads under one lock", r.text);
    illustrate(
        "7",
        "Multiprocessing side-steps the GIL by using subprocesses.",
        vec![r],
        sentence,
        "the lock is ours, there by construction; real CPython judges the claim (7P)",
    )
}

pub(super) fn event_loop(run: &Run) -> Judged {
    let tasks = ask("async", "sleep", "current-thread", W::Free);
    let n = match run.cell(tasks).map(|c| &c.key.params.n) {
        Ok(Points::One(n)) => n.to_string(),
        _ => "the".into(),
    };
    let threads = Reading::new(
        "OS threads while the units waited (current-thread)",
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
    let (a, t) = run.same_n(tasks, thread("sleep"), Field::WallOverDelay);
    let shown = both(&a, &t).map(|(a, t)| {
        format!(
            "took {}x the delay (a thread per unit: {}x)",
            sig(a.value),
            sig(t.value)
        )
    });
    let wait = Reading::new(
        "wall / delay, event loop / thread per unit",
        "x",
        ratio(&a, &t),
        Want::AtMost(1.0),
        |_, _| shown.unwrap_or_default(),
    );
    let memory = |m, v| run.get(ask(m, "idle", v, W::Free), Field::Memory);
    let task = compare(
        "memory per unit, thread / current-thread task",
        &LESS_MEMORY,
        memory("async", "current-thread"),
        memory("threads", "spawn"),
        false,
    );
    let sentence = format!(
        "{} and a task {} than a thread",
        join(&[threads.clone(), wait.clone()]),
        task.text
    );
    conclude(
        "8",
        "An event loop runs many waits on one thread (asyncio, cooperative multitasking).",
        vec![threads, wait, task],
        sentence,
    )
}

pub(super) fn async_cheaper(run: &Run) -> Judged {
    let tokio = |variant| {
        let w = if variant == "multi-thread" {
            W::Cores
        } else {
            W::Free
        };
        let spawn = run.get(ask("async", "spawn", variant, w), Field::PerUnit);
        let memory = run.get(ask("async", "idle", variant, w), Field::Memory);
        [
            compare(
                &format!("spawn per unit, thread / {variant} task"),
                &STARTED,
                spawn,
                run.get(thread("spawn"), Field::PerUnit),
                false,
            ),
            compare(
                &format!("memory per unit, thread / {variant} task"),
                &LESS_MEMORY,
                memory,
                run.get(thread("idle"), Field::Memory),
                false,
            ),
        ]
    };
    let (one, multi) = (tokio("current-thread"), tokio("multi-thread"));
    let sentence = format!("a tokio task {} than a thread on the current-thread runtime, and {} on the multi-thread one", join(&one), join(&multi));
    conclude(
        "9",
        "Async tasks are far cheaper than threads.",
        [one, multi].concat(),
        sentence,
    )
}

pub(super) fn green_speedup(run: &Run, variant: &str, w: W) -> Reading {
    Reading::new(
        &format!("cpu speedup of {variant} over serial"),
        "x",
        run.cpu_speedup(ask("green", "cpu", variant, w)),
        Want::AtMost(1.0),
        |q, side| match side {
            Side::Against => format!(
                "{variant} ran {}x faster than serial: its coroutines used several cores",
                sig(q.value)
            ),
            _ => format!(
                "{variant} ran at {}x serial speed: no gain beyond the noise",
                sig(q.value)
            ),
        },
    )
}

pub(super) fn green_m1(run: &Run) -> Judged {
    let r = green_speedup(run, "may-1", W::Free);
    let sentence = r.text.clone();
    illustrate("10a", "Green threads pass control cooperatively and can't use several cores (M:1, gevent's shape).", vec![r], sentence, "may-1 is set_workers(1), one OS thread by construction")
}

pub(super) fn green_mn(run: &Run) -> Judged {
    let r = green_speedup(run, "may", W::Cores);
    let sentence = format!("with W={}, {}", run.cores, r.text);
    conclude(
        "10b",
        "Green threads can't use several cores, for M:N green threads (Go's and may's shape).",
        vec![r, run.parallelism()],
        sentence,
    )
}

pub(super) fn green_lighter(run: &Run) -> Judged {
    let may = |scenario| ask("green", scenario, "may", W::Cores);
    let readings = vec![
        compare(
            "memory per unit (RSS + kernel), thread / may coroutine",
            &LESS_MEMORY,
            run.get(may("idle"), Field::Memory),
            run.get(thread("idle"), Field::Memory),
            false,
        ),
        compare(
            "spawn per unit, thread / may coroutine",
            &STARTED,
            run.get(may("spawn"), Field::PerUnit),
            run.get(thread("spawn"), Field::PerUnit),
            false,
        ),
    ];
    let part = |field| {
        both(
            &run.get(thread("idle"), field),
            &run.get(may("idle"), field),
        )
        .map(|(t, m)| t.value - m.value)
    };
    let carried = match (part(Field::Rss), part(Field::Kernel)) {
        (Ok(rss), Ok(kernel)) => {
            let (which, most) = if kernel.abs() > rss.abs() {
                ("kernel", kernel)
            } else {
                ("RSS", rss)
            };
            format!(
                "; the {which} part carries the difference ({} of {} KiB)",
                sig(most),
                sig(rss + kernel)
            )
        }
        _ => String::new(),
    };
    let sentence = format!(
        "a may coroutine {} than an OS thread{carried}",
        join(&readings)
    );
    conclude(
        "11",
        "Green threads are lighter than OS threads.",
        readings,
        sentence,
    )
}

pub(super) fn switching(run: &Run) -> Judged {
    let trip = |m, v, w| run.get(ask(m, "pingpong", v, w), Field::PerUnit);
    let than = |who| words("took", who, "less time", per_unit);
    let readings = vec![
        compare(
            "pingpong round trip, thread / tokio task (current-thread)",
            &than("longer than between two tokio tasks"),
            trip("threads", "spawn", W::Free),
            trip("async", "current-thread", W::Free),
            true,
        ),
        compare(
            "pingpong round trip, thread / may coroutine",
            &than("longer than between two may coroutines"),
            trip("threads", "spawn", W::Free),
            trip("green", "may", W::Cores),
            true,
        ),
    ];
    let sentence = format!("a round trip between two threads {}", join(&readings));
    conclude(
        "12",
        "Switching between threads costs more than between tasks or coroutines.",
        readings,
        sentence,
    )
}

pub(super) fn processes_talk(
    run: &Run,
    id: &str,
    variant: &str,
    over: &str,
    claim: &str,
) -> Judged {
    let p = run.get(
        ask("processes", "pingpong", variant, W::Any),
        Field::PerUnit,
    );
    let r = compare(
        &format!("pingpong round trip, processes ({variant}) / threads"),
        &TRIP,
        p,
        run.get(thread("pingpong"), Field::PerUnit),
        true,
    );
    let sentence = format!("two processes over {over} {} than two threads", r.text);
    conclude(id, claim, vec![r], sentence)
}

pub(super) fn ipc(run: &Run) -> Judged {
    processes_talk(
        run,
        "13a",
        "pool",
        "ipc-channel",
        "Processes talk to each other slower than threads do (ipc-channel).",
    )
}

pub(super) fn pipe(run: &Run) -> Judged {
    processes_talk(
        run,
        "13b",
        "pipe",
        "a raw pipe",
        "Processes talk to each other slower than threads do, over a raw pipe.",
    )
}
