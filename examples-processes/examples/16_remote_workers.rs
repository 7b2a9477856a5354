//! The pool protocol works over TCP too, so workers could run on other hosts; the network adds latency, silence and strangers.
//!
//! Nothing in the pool's idea needs a shared machine: tasks out, replies back.
//! Over TCP three things change. A round trip costs more (here on loopback;
//! a real network adds the wire's own latency). A worker that vanishes leaves no exit
//! status, only a closed connection or silence, so every read has a timeout.
//! And anyone who reaches the port can connect, so the coordinator binds
//! 127.0.0.1 unless told otherwise and refuses a peer that cannot prove it
//! knows the shared secret (a challenge-response, like Python's `authkey`).
//!
//! Run:
//!
//!     cargo xtask run processes 16_remote_workers
//!
//! Observe: the intruder without the secret is refused; the TCP round trip
//! is printed, to hold against `07_ipc_channel`'s; a worker killed mid-run
//! is noticed as "vanished" and its chunk is redone by the other.
//!
//! Python: `multiprocessing.managers.BaseManager(address=..., authkey=...)`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use examples_processes::remote::{Coordinator, RemoteWorker, Reply, SECRET_VAR};
use examples_processes::worker::Task;
use workloads::cpu::{chunk, count_primes_in, CHUNKS};

/// Both ends know it in advance; it never crosses the wire itself, only
/// proofs of knowing it (an HMAC over the coordinator's fresh challenge).
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
    // The secret travels in the environment, not argv (which `ps` shows).
    let start_worker = |secret: &str| -> Child {
        Command::new(&me)
            .args(["remote-worker", &addr])
            .env(SECRET_VAR, secret)
            // The intruder's worker complains on stderr when refused: expected
            // here, so silenced; the coordinator's side is what we print.
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // A hang detector for accept: local workers connect in milliseconds.
    let timeout = Duration::from_secs(5);

    // The intruder connects fine (TCP does not know about secrets), then fails
    // the challenge: the coordinator says "refused" and hangs up.
    let mut intruder = start_worker("guessed");
    let refusal = coordinator
        .accept(timeout)
        .err()
        .expect("no secret, no work");
    println!("intruder: {refusal}");
    // Refused, it exits with an error; reap it like any other child.
    intruder.wait().unwrap();

    // Two honest workers. Here they are local child processes; on other hosts
    // they would be started there, given only the address and the secret.
    let mut children = vec![start_worker(SECRET), start_worker(SECRET)];
    let mut workers: Vec<RemoteWorker> = (0..2)
        .map(|_| coordinator.accept(timeout).unwrap())
        .collect();
    println!(
        "{} workers joined from {:?}",
        workers.len(),
        workers.iter().map(|w| w.peer).collect::<Vec<_>>()
    );

    // Loopback TCP goes through the whole network stack, but no wire: a real
    // network adds its own latency on top of this.
    // Latency: a small round trip over TCP (compare `07_ipc_channel`'s figure).
    let mut trips: Vec<Duration> = (0..1000)
        .map(|i| {
            let t = Instant::now();
            assert_eq!(workers[0].call(&Task::Ping(i)).unwrap(), Reply::Pong(i + 1));
            t.elapsed()
        })
        .collect();
    // A median, as in `07_ipc_channel`, so the two figures compare.
    trips.sort();
    println!(
        "TCP round trip on loopback: median {:.1?}",
        trips[trips.len() / 2]
    );

    // Work, and a worker that vanishes halfway: kill the second one. The
    // kill stands in for a crashed host or a cut cable: no exit status
    // reaches us, only the connection's end.
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
                // No exit status across a network: just the connection's end.
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
    // The redone chunk must not be counted twice or lost: check against a
    // local count.
    let want: u64 = (0..CHUNKS).map(|i| count_primes_in(chunk(n, i))).sum();
    println!("primes below {n}: {total} (redone: {redone} chunk)");
    assert_eq!((total, redone), (want, 1));

    // Workers end when the coordinator hangs up, as pool workers end when
    // their task channel closes.
    drop(workers); // closing the connections ends the workers' loops
    for mut c in children {
        c.wait().unwrap();
    }
}
