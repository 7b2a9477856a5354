//! `println!` takes a process-wide lock on stdout, so threads that print a lot take turns.
//!
//! Every `println!` locks stdout, formats, writes the line (stdout is line-
//! buffered: one `write` system call per line) and unlocks. While one thread
//! holds the lock, every other thread's `println!` waits. That keeps lines
//! whole, but threads that print in their inner loop spend their time
//! queueing for the lock instead of working in parallel. Part 1 makes a
//! thread hold the lock and times another's `println!`. Part 2 re-runs this
//! program as a child whose stdout goes to /dev/null (so your terminal is not
//! flooded) and times the same prime search, quiet and chatty, on 1 and 2 threads.
//!
//! Run:
//!
//!     cargo xtask run threads 14
//!
//! Observe: main's `println!` waited about as long as the reporter held the
//! lock; the quiet search speeds up on 2 threads, the chatty one much less or
//! not at all. Print into a `String` per thread and write it once at the end,
//! and the chatty run speeds up again.
//!
//! Python: `print` from threads has the same effect, on top of the GIL.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use workloads::cpu::is_prime;

const NUMBERS: u64 = 400_000;
const BLOCK: u64 = 1_000;

fn main() {
    // The child role: part 2 below starts this same program with "child".
    if std::env::args().nth(1).as_deref() == Some("child") {
        return search_and_report();
    }

    // Part 1: the reporter takes the stdout lock and keeps it for 100 ms.
    //    Holding `stdout().lock()` on purpose is how a thread writes several
    //    lines that must stay together; here it shows who waits meanwhile.
    let (held, wait_for_it) = mpsc::channel();
    let reporter = thread::spawn(move || {
        let mut out = std::io::stdout().lock(); // the same lock println! takes
        writeln!(out, "reporter: I hold the stdout lock for 100 ms").unwrap();
        held.send(()).unwrap();
        thread::sleep(Duration::from_millis(100));
        writeln!(out, "reporter: releasing it").unwrap();
    });
    wait_for_it.recv().unwrap(); // now the reporter surely holds the lock
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

    assert!(child.status.success());
    assert!(
        waited >= Duration::from_millis(50),
        "main's println! did not wait for the lock"
    );
}

/// The child: count primes in 0..NUMBERS on 1 and 2 threads, quietly and
/// printing one line per number tested (to /dev/null, but through the lock).
fn search_and_report() {
    let mut speedups = Vec::new();
    for chatty in [false, true] {
        let (count1, t1) = search(1, chatty);
        let (count2, t2) = search(2, chatty);
        assert_eq!(count1, count2);
        let speedup = t1.as_secs_f64() / t2.as_secs_f64();
        let how = if chatty {
            "println! per number"
        } else {
            "quiet"
        };
        eprintln!(
            "{how:<19}: 1 thread {t1:>6.0?}, 2 threads {t2:>6.0?}, {speedup:.2}x ({count2} primes)"
        );
        speedups.push(speedup);
    }
    // The chatty threads spend most of their time inside println!, and only
    // one of them can be there at a time: the lock turns 2 threads into 1.
    eprintln!(
        "printing turned a {:.2}x speedup into {:.2}x: the threads took turns at the stdout lock",
        speedups[0], speedups[1]
    );
}

/// Thread t takes blocks t, t + threads, ... of BLOCK numbers: alternating
/// blocks keep the threads evenly loaded (lesson 06) in a few lines.
fn search(threads: u64, chatty: bool) -> (u64, Duration) {
    let start = Instant::now();
    let count = thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut found = 0;
                    let blocks = (t * BLOCK..NUMBERS).step_by((threads * BLOCK) as usize);
                    for k in blocks.flat_map(|b| b..b + BLOCK) {
                        // A prime test here takes well under a microsecond;
                        // the println! after it takes longer, under the lock.
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
