//! `println!` takes a process-wide lock on stdout, so threads that print a lot take turns.
//!
//! Every `println!` locks stdout, formats, writes the line (std's stdout is
//! line-buffered, https://doc.rust-lang.org/std/io/struct.Stdout.html: one
//! `write` system call per line) and unlocks. While one thread
//! holds the lock, every other thread's `println!` waits. That keeps lines
//! whole, but threads that print in their inner loop spend their time
//! queueing for the lock instead of working in parallel. Part 1 makes a
//! thread hold the lock and times another's `println!`. Part 2 re-runs this
//! program as a child whose stdout goes to /dev/null (so your terminal is not
//! flooded) and times the same prime search, quiet and chatty, on 1 and 2 threads.
//!
//! Run:
//!
//!     cargo xtask run threads 24_print_serialises
//!
//! Observe: main's `println!` waited about as long as the reporter held the
//! lock; on an idle machine the quiet search speeds up on 2 threads, the
//! chatty one much less or not at all, and a printed line costs several prime
//! tests (both per-number times are printed). Print into a `String` per thread and write it once at the end,
//! and the chatty run speeds up again.
//!
//! Python: `print` from threads has the same effect, on top of the GIL.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use workloads::cpu::is_prime;

/// How long the reporter keeps the stdout lock in part 1.
const HOLD: Duration = Duration::from_millis(100);
/// Part 2's search: small numbers, so a prime test is cheap next to a line.
const NUMBERS: u64 = 400_000;
/// Numbers per block a thread takes in turn (see `search`).
const BLOCK: u64 = 1_000;

fn main() {
    // The child role: part 2 below starts this same program with "child".
    // One binary, two roles, so the lesson needs no second file.
    if std::env::args().nth(1).as_deref() == Some("child") {
        return search_and_report();
    }

    // Part 1: the reporter takes the stdout lock and keeps it for 100 ms.
    //    Holding `stdout().lock()` on purpose is how a thread writes several
    //    lines that must stay together; here it shows who waits meanwhile.
    let (held, wait_for_it) = mpsc::channel();
    let reporter = thread::spawn(move || {
        let mut out = std::io::stdout().lock(); // the same lock println! takes
        writeln!(out, "reporter: I hold the stdout lock for {HOLD:?}").unwrap();
        held.send(()).unwrap();
        thread::sleep(HOLD); // still holding `out`, so still holding the lock
        writeln!(out, "reporter: releasing it").unwrap();
    });
    // Wait for the reporter's signal: timing main's println! before the
    // reporter holds the lock would measure nothing.
    wait_for_it.recv().unwrap();
    let start = Instant::now();
    println!("main: this line had to wait for the reporter"); // blocks on the lock
    let waited = start.elapsed();
    reporter.join().unwrap();
    println!("main: that println! took {waited:.0?}");

    // Part 2: a child process with stdout to /dev/null; its report comes
    // back on stderr, which we capture and pass on. /dev/null makes each
    // write cheap, so what remains is mostly the lock: a terminal or a
    // pipe, slower to write, would make the effect larger, not smaller.
    let child = Command::new(std::env::current_exe().unwrap())
        .arg("child")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run this lesson again as a child");
    print!("{}", String::from_utf8_lossy(&child.stderr));

    // The child checks its own counts; a failure there fails us here.
    assert!(child.status.success());
    // Main's line waited for most of the reporter's 100 ms (timer slack aside).
    assert!(
        waited >= HOLD / 2,
        "main's println! did not wait for the lock"
    );
}

/// The child: count primes in 0..NUMBERS on 1 and 2 threads, quietly and
/// printing one line per number tested (to /dev/null, but through the lock).
fn search_and_report() {
    // Speedup of 2 threads over 1, quiet then chatty: the same search, so
    // the only difference between the two rows is the println! per number.
    let mut speedups = Vec::new();
    for chatty in [false, true] {
        let (count1, t1) = search(1, chatty);
        let (count2, t2) = search(2, chatty);
        // Same numbers tested either way: printing must not change the count.
        assert_eq!(count1, count2);
        let speedup = t1.as_secs_f64() / t2.as_secs_f64();
        // Time per number on one thread: the prime test alone, or with a line.
        let per = t1 / NUMBERS as u32;
        let how = ["quiet", "println! per number"][chatty as usize];
        eprintln!("{how:<19}: 1 thread {t1:>6.0?} ({per:.1?} a number), 2 threads {t2:>6.0?}, {speedup:.2}x ({count2} primes)");
        speedups.push(speedup);
    }
    // The chatty threads spend most of their time inside println!, and only
    // one of them can be there at a time: the lock turns 2 threads into 1.
    let [quiet, chatty] = [speedups[0], speedups[1]];
    eprintln!("printing turned a {quiet:.2}x speedup into {chatty:.2}x: the threads took turns at the stdout lock");
}

/// Thread t takes blocks t, t + threads, ... of BLOCK numbers: alternating
/// blocks keep the threads evenly loaded (12_cpu_split) in a few lines.
fn search(threads: u64, chatty: bool) -> (u64, Duration) {
    let start = Instant::now();
    // Scoped threads, so `search` returns only once every worker is done and
    // the time covers all of them.
    let count = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut found = 0;
                    // This thread's blocks: t, t + threads, t + 2 threads, ...
                    let blocks = (t * BLOCK..NUMBERS).step_by((threads * BLOCK) as usize);
                    for k in blocks.flat_map(|b| b..b + BLOCK) {
                        // The quiet run prints how long a prime test takes
                        // here; the chatty run adds a println! under the lock.
                        let prime = is_prime(k);
                        found += prime as u64;
                        if chatty {
                            println!("{k} prime: {prime}"); // lock, format, write, unlock
                        }
                    }
                    found
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum::<u64>()
    });
    (count, start.elapsed())
}
