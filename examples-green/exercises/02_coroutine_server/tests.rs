// Tests for exercise green/02_coroutine_server, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-02_coroutine_server")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-02_coroutine_server", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

const WORKERS: usize = 2;
const CLIENTS: usize = 50;

fn setup() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| may::config().set_workers(WORKERS).set_worker_pin(false));
}

/// Run the server on its own OS thread, and CLIENTS std clients against it,
/// all connected before any of them hangs up.
fn run() -> (Vec<std::thread::ThreadId>, Vec<String>) {
    setup();
    let listener = may::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || sut::serve(listener, CLIENTS));
    let mut conns: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let mut echoes = Vec::new();
    for (i, conn) in conns.iter_mut().enumerate() {
        // A hang detector, 100x what an echo needs: an unanswered client
        // fails the test in seconds instead of waiting forever.
        conn.set_read_timeout(Some(std::time::Duration::from_secs(2)))
            .unwrap();
        conn.write_all(format!("hello {i}\n").as_bytes()).unwrap();
        let mut line = String::new();
        if BufReader::new(&*conn).read_line(&mut line).is_err() {
            panic!(
                "client {i} got no echo while the clients before it were still connected: \
                 the connections are served one at a time. Spawn each handler, and join \
                 them only after accepting every connection"
            );
        }
        echoes.push(line.trim_end().to_string());
    }
    drop(conns); // every client hangs up: each handler's loop ends
    (server.join().unwrap(), echoes)
}

#[test]
fn every_client_gets_its_line_back() {
    let (served, echoes) = run();
    assert_eq!(served.len(), CLIENTS);
    let want: Vec<String> = (0..CLIENTS).map(|i| format!("hello {i}")).collect();
    assert_eq!(echoes, want);
}

#[test]
fn a_few_worker_threads_serve_every_connection() {
    let (served, _) = run();
    let threads: HashSet<_> = served.into_iter().collect();
    assert!(
        threads.len() <= WORKERS + 1,
        "{CLIENTS} connections were served on {} OS threads: one thread per \
         connection, not coroutines on may's {WORKERS} workers",
        threads.len()
    );
}
