//! A process costs more than a thread to start and to keep, and its memory must be counted with PSS, never summed RSS.
//!
//! Starting a process means fork (copy the page tables), exec (map a new
//! program, load libc) and running `main`; a thread only needs a stack
//! mapping and a kernel task. For memory, summing the children's `VmRSS`
//! counts the shared pages (code, libc) once per process, many times too
//! much; PSS splits each shared page among its users, so PSS adds up honestly.
//!
//! Run:
//!
//!     cargo xtask run processes 14_process_start_cost
//!
//! Observe: spawn + wait per process vs spawn + join per thread, and the
//! ratio; the PSS of 50 parked processes against their summed RSS (and by how
//! much the sum overstates it), and against the RSS growth of 50 parked threads.
//!
//! Python: `multiprocessing.Process` vs `threading.Thread`; a Python worker
//! process also loads an interpreter and its modules, so it weighs more than
//! this small Rust program does.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs

use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use examples_processes::roles::task_command;
use workloads::sys::{pss_kib, vm_rss_kib};

/// Enough units that one slow start or one stray page averages out, few
/// enough to stay far from `ulimit -u` and to finish in well under a second.
const N: usize = 50;

/// `VmRSS` of another process: what `top` shows as RES, shared pages and all.
fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // The `nothing` and `park` roles come from the crate (`src/roles.rs`):
    // play them first when this program was started as a child.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // Each process is this program re-run in the `nothing` role: exec, the
    // dynamic loader, Rust's runtime set-up, then exit. Nothing cheaper than
    // that can be called "a worker process".
    // Start-up: one at a time, so each figure is one unit's full cost.
    let t = Instant::now();
    for _ in 0..N {
        assert!(task_command(&me, &["nothing"]).status().unwrap().success());
    }
    let per_process = t.elapsed() / N as u32;
    // The same loop with threads: a stack mapping and a kernel task, no exec.
    // The thread does nothing either, so both loops time start + end only.
    let t = Instant::now();
    for _ in 0..N {
        std::thread::spawn(|| ()).join().unwrap();
    }
    let per_thread = t.elapsed() / N as u32;
    // The ratio is the lesson: both figures move with the machine's load,
    // so compare them within one run, never across runs or machines.
    println!("spawn + wait, one process: {per_process:>9.1?}");
    println!(
        "spawn + join, one thread:  {per_thread:>9.1?} ({:.0}x cheaper)",
        per_process.as_secs_f64() / per_thread.as_secs_f64()
    );

    // Parked, not finished: memory is only measurable while they are alive.
    // Each writes a byte once it is up, so we measure no half-started child.
    // Memory: N parked processes (each waits for its stdin to close).
    let mut parked: Vec<Child> = (0..N)
        .map(|_| {
            task_command(&me, &["park"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Wait for every "r": a child still in exec or the loader would show
    // a smaller, misleading footprint.
    for c in &mut parked {
        c.stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut [0u8; 1])
            .unwrap();
    }
    // PSS: a page shared by k processes counts 1/k to each. RSS counts it
    // whole in each, so the sum over 50 counts libc and our code 50 times.
    let pss: Option<u64> = parked.iter().map(|c| pss_kib(c.id())).sum();
    let rss: Option<u64> = parked.iter().map(|c| rss_of(c.id())).sum();
    for c in &mut parked {
        drop(c.stdin.take()); // release: its read sees end-of-file
    }
    for mut c in parked {
        c.wait().unwrap(); // and reap
    }

    // The threads' kernel side (a kernel stack, task struct) is real memory
    // too, but outside VmRSS: the `idle` scenario measures it separately.
    // N parked threads, for comparison: this process's RSS growth.
    // Threads share this process's RSS, so their cost is a difference:
    // RSS with all N parked minus RSS before they started.
    let before = vm_rss_kib();
    // Two waits on one barrier: the first says "all parked, measure now",
    // the second lets them finish once measured.
    let gate = Arc::new(Barrier::new(N + 1));
    let threads: Vec<_> = (0..N)
        .map(|_| {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                gate.wait();
                gate.wait();
            })
        })
        .collect();
    gate.wait();
    let grown = vm_rss_kib().zip(before).map(|(a, b)| a.saturating_sub(b));
    gate.wait();
    threads.into_iter().for_each(|t| t.join().unwrap());

    // Each figure is an Option: /proc is Linux-only, and a child may end
    // before its smaps_rollup is read. Print nothing rather than a guess.
    match (pss, rss, grown) {
        (Some(pss), Some(rss), Some(grown)) => {
            println!("{N} processes: PSS {pss} KiB ({} KiB each); summed RSS {rss} KiB ({:.0}x too much)",
                pss / N as u64, rss as f64 / pss as f64);
            println!("{N} threads:   RSS grew {grown} KiB ({:.1} KiB each; their kernel stacks are not in it)",
                grown as f64 / N as f64);
        }
        _ => println!("memory figures: n/a (they come from Linux /proc)"),
    }
}
