//! The memory of many processes adds up with PSS; summing their RSS counts the shared pages many times over.
//!
//! Every child maps the same program and the same libc. `VmRSS` (what `top`
//! shows as RES) counts each shared page whole in every process that maps it,
//! so summing it over the children counts our code and libc once per child.
//! PSS, the proportional set size, splits a page shared by k processes into
//! k shares of 1/k, so PSS sums to what the children really take
//! (https://docs.kernel.org/filesystems/proc.html, `Pss` in smaps). Threads
//! live inside one process: their cost is how much its RSS grows.
//!
//! Run:
//!
//!     cargo xtask run processes 15_process_memory
//!
//! Observe: the PSS of the parked processes against their summed RSS, and by
//! how much the sum overstates it; then the RSS growth of as many parked
//! threads, a small fraction of the processes' PSS.
//!
//! Python: `multiprocessing` workers each hold a whole interpreter, so their
//! PSS is larger than these small Rust children's; `psutil`'s
//! `memory_full_info().pss` reads the same figure.
//!
//! Compare: examples-threads/examples/01_spawn_join.rs

use std::io::Read;
use std::process::{Child, Stdio};
use std::sync::{Arc, Barrier};

use examples_processes::roles::task_command;
use workloads::sys::{pss_kib, vm_rss_kib};

/// The same N as in `14_process_start_cost`: enough units that one stray page
/// averages out, few enough to stay far from `ulimit -u`.
const N: usize = 50;

// New: `VmRSS` of another process, shared pages and all (`vm_rss_kib` only
// reads our own).
fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // Changed: the `park` role (`src/roles.rs`) instead of `nothing`.
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();

    // New: parked, not finished: memory is only measurable while they are
    // alive. Each waits for its stdin to close, and writes "r" once it is up.
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
        let out = c.stdout.as_mut().unwrap();
        out.read_exact(&mut [0u8; 1]).unwrap();
    }
    // New: PSS counts a shared page 1/k to each of its k users; RSS counts
    // it whole in each, so the sum over N counts libc and our code N times.
    let pss: Option<u64> = parked.iter().map(|c| pss_kib(c.id())).sum();
    let rss: Option<u64> = parked.iter().map(|c| rss_of(c.id())).sum();
    for c in &mut parked {
        drop(c.stdin.take()); // release: its read sees end-of-file
    }
    for mut c in parked {
        c.wait().unwrap(); // and reap, so no zombie outlives the lesson
    }

    // Changed: the threads park too, and the figure is this process's RSS
    // growth: RSS with all N parked minus RSS before they started. Their
    // kernel side (a kernel stack, a task struct) is real memory too, but
    // outside VmRSS: the `idle` scenario measures it separately.
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
            // A share of a page is never more than the page: PSS <= RSS for
            // each child, so for the sums too. The ratio is the overcount.
            assert!(pss <= rss);
            println!("{N} processes: PSS {pss} KiB ({} KiB each); summed RSS {rss} KiB ({:.0}x too much)",
                pss / N as u64, rss as f64 / pss as f64);
            // Per thread: mostly the stack pages it touched, far below the
            // 2 MiB it reserves (https://doc.rust-lang.org/std/thread/#stack-size).
            println!("{N} threads:   RSS grew {grown} KiB ({:.1} KiB each; their kernel stacks are not in it)",
                grown as f64 / N as f64);
        }
        _ => println!("memory figures: n/a (they come from Linux /proc)"),
    }
}
