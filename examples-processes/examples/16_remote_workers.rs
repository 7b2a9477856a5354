//! The pool protocol works over TCP too, so workers could run on other hosts; the round trip is the first thing to measure.
//!
//! Nothing in the pool's idea needs a shared machine: tasks out, replies back.
//! Here the coordinator listens on a TCP port and each worker connects to it,
//! proves it knows a shared secret (`17_remote_handshake` shows why), then
//! serves tasks, one JSON line each way, until the coordinator hangs up.
//! A round trip on loopback goes through the whole network stack but no wire;
//! a real network adds its own latency on top, which this lesson cannot show.
//!
//! Run:
//!
//!     cargo xtask run processes 16_remote_workers
//!
//! Observe: two workers join from loopback ports; the median TCP round trip
//! is printed, to hold against `07_ipc_channel`'s median over its channel.
//! On loopback the two are typically of the same order.
//!
//! Python: `multiprocessing.managers.BaseManager(address=..., authkey=...)`.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use examples_processes::remote::{Coordinator, RemoteWorker, Reply, SECRET_VAR};
use examples_processes::worker::Task;

/// Both ends know it in advance; it never crosses the wire itself, only
/// proofs of knowing it (an HMAC over the coordinator's fresh challenge).
const SECRET: &str = "a long random string shared out of band";

/// Enough small round trips for a stable median, few enough to take well
/// under a second.
const TRIPS: u64 = 1000;

fn main() {
    // The `remote-worker` role lives in the crate (`src/remote.rs`).
    if let Some(code) = examples_processes::roles::dispatch() {
        std::process::exit(code);
    }
    let me = std::env::current_exe().unwrap();
    // Loopback only: this lesson never opens a port to the network.
    let coordinator = Coordinator::bind("127.0.0.1:0".parse().unwrap(), SECRET).unwrap();
    let addr = coordinator.addr().to_string();
    // The secret travels in the environment, not argv (which `ps` shows).
    let start_worker = |secret: &str| -> Child {
        Command::new(&me)
            .args(["remote-worker", &addr])
            .env(SECRET_VAR, secret)
            .spawn()
            .unwrap()
    };
    // A hang detector for accept and for every read: local workers connect
    // and answer in far less.
    let timeout = Duration::from_secs(5);

    // Two workers. Here they are local child processes; on other hosts they
    // would be started there, given only the address and the secret.
    let children = vec![start_worker(SECRET), start_worker(SECRET)];
    let mut workers: Vec<RemoteWorker> = (0..2)
        .map(|_| coordinator.accept(timeout).unwrap())
        .collect();
    println!(
        "{} workers joined from {:?}",
        workers.len(),
        workers.iter().map(|w| w.peer).collect::<Vec<_>>()
    );

    // Latency: a small round trip over TCP, the worker adds one to the ball
    // so a stale or crossed reply would fail the assert.
    let mut trips: Vec<Duration> = (0..TRIPS)
        .map(|i| {
            let t = Instant::now();
            assert_eq!(workers[0].call(&Task::Ping(i)).unwrap(), Reply::Pong(i + 1));
            t.elapsed()
        })
        .collect();
    // A median, as in `07_ipc_channel`, so the two figures compare; one
    // trip delayed by the scheduler does not move it.
    trips.sort();
    println!(
        "TCP round trip on loopback: median {:.1?} over {TRIPS} trips",
        trips[trips.len() / 2]
    );

    // Workers end when the coordinator hangs up, as pool workers end when
    // their task channel closes.
    drop(workers); // closing the connections ends the workers' loops
    for mut c in children {
        c.wait().unwrap(); // and reap each, so none is left behind
    }
}
