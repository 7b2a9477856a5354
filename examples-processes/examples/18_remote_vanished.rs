//! A remote worker that vanishes leaves no exit status, only a closed connection, so the coordinator drops it and redoes its task on another.
//!
//! A local pool learns from `wait` how its child died (`11_crashed_child`).
//! Across a network there is no such report: a crashed host or a cut cable
//! shows only as a connection that closes, or one that falls silent. So the
//! coordinator keeps every task until it is answered, gives every read a
//! timeout, and on either failure forgets that worker and sends the task to
//! another. Here the worker is killed, so its connection closes at once; a
//! silent one would surface as "did not answer in time" after the timeout.
//!
//! Run:
//!
//!     cargo xtask run processes 18_remote_vanished
//!
//! Observe: halfway through the chunks a worker is killed; the next task
//! sent to it reports "closed the connection (vanished)", that one chunk is
//! redone by the other worker, and the prime count still matches a local one.
//!
//! Python: `concurrent.futures.ProcessPoolExecutor` raises `BrokenProcessPool`
//! when a worker dies and fails the pending tasks; redoing them is up to you.

use std::process::{Child, Command};
use std::time::Duration;

use examples_processes::remote::{Coordinator, RemoteWorker, Reply, SECRET_VAR};
use examples_processes::worker::Task;
use workloads::cpu::{chunk, count_primes_in, CHUNKS};

/// Both ends know it in advance (`17_remote_handshake`).
const SECRET: &str = "a long random string shared out of band";

fn main() {
    // The `remote-worker` role lives in the crate (`src/remote.rs`).
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();
    // Loopback only: this lesson never opens a port to the network.
    let coordinator = Coordinator::bind("127.0.0.1:0".parse().unwrap(), SECRET).unwrap();
    let addr = coordinator.addr().to_string();
    // Changed: no intruder in this step (`17_remote_handshake` has it), so
    // every worker gets the secret and keeps its stderr.
    let start_worker = || -> Child {
        Command::new(&me)
            .args(["remote-worker", &addr])
            .env(SECRET_VAR, SECRET)
            .spawn()
            .unwrap()
    };
    // The read timeout of every connection: what would notice a worker that
    // falls silent instead of closing.
    let timeout = Duration::from_secs(5);

    // Two workers, as in `16_remote_workers`.
    let mut children = vec![start_worker(), start_worker()];
    let mut workers: Vec<RemoteWorker> = (0..2)
        .map(|_| coordinator.accept(timeout).unwrap())
        .collect();

    // New: work, and a worker that vanishes halfway. The kill stands in for
    // a crashed host: no exit status reaches the coordinator, only the end
    // of a connection. Which connection is the killed child's depends on
    // which one connected first; either way one worker is left.
    let n = 2_000_000;
    let (mut total, mut redone) = (0, 0);
    for i in 0..CHUNKS {
        if i == CHUNKS / 2 {
            // Halfway, so that both workers have done real work before.
            children[1].kill().unwrap();
        }
        // The task is kept here until answered, so it can be sent again.
        let task = Task::CountPrimes { n, chunk: i };
        // Round-robin keeps the lesson short; a real pool would hand chunks to
        // whichever worker is free, as the ipc pool in `08_process_pool` does.
        let w = i % workers.len();
        let count = match workers[w].call(&task) {
            Ok(Reply::Primes { count, .. }) => count,
            Ok(other) => panic!("unexpected {other:?}"),
            Err(e) => {
                println!("chunk {i}: {e}; dropping it and redoing the chunk on another");
                // Forget the worker for good: a half-open connection would
                // fail again on the next round-robin turn.
                workers.remove(w);
                redone += 1;
                match workers[0].call(&task) {
                    Ok(Reply::Primes { count, .. }) => count,
                    other => panic!("the last worker failed too: {other:?}"),
                }
            }
        };
        total += count;
    }
    // The redone chunk must be counted once, neither twice nor lost: check
    // against a count done here, in this process.
    let want: u64 = (0..CHUNKS).map(|i| count_primes_in(chunk(n, i))).sum();
    println!("primes below {n}: {total} (redone: {redone} chunk)");
    assert_eq!((total, redone), (want, 1));

    // Workers end when the coordinator hangs up; the killed one is reaped
    // too (its exit status, a signal, is never read by the protocol).
    drop(workers); // closing the connections ends the workers' loops
    for mut c in children {
        c.wait().unwrap();
    }
}
