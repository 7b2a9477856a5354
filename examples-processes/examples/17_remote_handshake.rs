//! Anyone who reaches the port can connect, so the coordinator gives work only to a peer that proves it knows the shared secret.
//!
//! TCP accepts every connection; it knows nothing about secrets. So the
//! coordinator binds 127.0.0.1 unless told otherwise, and after accepting it
//! sends a fresh random challenge; the peer must answer with an HMAC-SHA256
//! of it keyed by the secret (`src/remote.rs`). The secret never crosses the
//! wire, and an answer recorded once is no use against the next challenge.
//! A real service between hosts would add TLS as well: the tasks and replies
//! still cross in the clear.
//!
//! Run:
//!
//!     cargo xtask run processes 17_remote_handshake
//!
//! Observe: the intruder, started with a guessed secret, is refused; the two
//! workers that know the secret join and each answers a ping.
//!
//! Python: `multiprocessing.connection` does the same challenge with its
//! `authkey` (`deliver_challenge` / `answer_challenge`, HMAC-based).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use examples_processes::remote::{Coordinator, RemoteWorker, Reply, SECRET_VAR};
use examples_processes::worker::Task;

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
            // New: the intruder's worker complains on stderr when refused:
            // expected here, so silenced; the coordinator's side is printed.
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // A hang detector for accept and for every read.
    let timeout = Duration::from_secs(5);

    // New: the intruder connects fine (TCP does not know about secrets), then
    // fails the challenge: the coordinator says "refused" and hangs up.
    // It is started and accepted alone, so the refusal is surely its own.
    let mut intruder = start_worker("guessed");
    let refusal = coordinator
        .accept(timeout)
        .err()
        .expect("no secret, no work");
    println!("intruder: {refusal}");
    // Refused, it exits with an error; reap it like any other child.
    let status = intruder.wait().unwrap();
    println!("intruder's exit: {status}");
    assert!(!status.success());

    // Two honest workers, as in `16_remote_workers`.
    let children = vec![start_worker(SECRET), start_worker(SECRET)];
    let mut workers: Vec<RemoteWorker> = (0..2)
        .map(|_| coordinator.accept(timeout).unwrap())
        .collect();
    // Changed: one ping each instead of the latency loop: proof enough that
    // the secret holders got in and are served.
    for (i, w) in workers.iter_mut().enumerate() {
        assert_eq!(
            w.call(&Task::Ping(i as u64)).unwrap(),
            Reply::Pong(i as u64 + 1)
        );
        println!("worker {} knows the secret: joined and answered", w.peer);
    }

    // Workers end when the coordinator hangs up, as pool workers end when
    // their task channel closes.
    drop(workers); // closing the connections ends the workers' loops
    for mut c in children {
        c.wait().unwrap();
    }
}
