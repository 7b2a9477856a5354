//! With `may::net`, a server with a coroutine per connection is written as blocking code and serves thousands at once.
//!
//! `may::net::TcpStream` looks like `std::net::TcpStream`, but a read that
//! would block registers the socket with may's epoll loop and parks the
//! coroutine. A thread per connection would cost a kernel task and 2 MiB of
//! address space each; here each connection costs a 32 KiB stack, and two
//! worker threads run every handler.
//!
//! Run:
//!
//!     cargo xtask run green 04
//!
//! Observe: 2000 clients (fewer if `ulimit -n` is low), each with its own
//! server-side coroutine, all connected at once, echo 3 lines each in under a
//! second on a quiet machine, on 2 OS threads. Swap `may::net` for `std::net` in
//! `handle` and each read blocks a whole worker: the clients stall.
//!
//! Python: `gevent.server.StreamServer(addr, handle).serve_forever()`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use may::coroutine;
use may::net::{TcpListener, TcpStream};

const CLIENTS: u64 = 2000;

/// The server side: echo every line back until the client hangs up.
fn handle(stream: TcpStream) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    for line in BufReader::new(stream).lines() {
        // One `write_all` per reply: `writeln!` on a socket would send the
        // pieces separately and meet Nagle's algorithm and delayed ACKs.
        writer.write_all(format!("{}\n", line?).as_bytes())?;
    }
    Ok(())
}

fn main() {
    may::config().set_workers(2).set_worker_pin(false);
    // Each connection uses two descriptors here (both ends live in this
    // process): size the run from the limit rather than fail halfway.
    let fds = workloads::sys::raise_nofile_limit();
    let clients = CLIENTS.min(fds.saturating_sub(200) / 2) as usize;

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // The OS threads the handlers ran on. A std Mutex, held for one insert
    // and never across a may call, so it cannot stall a worker for long.
    let seen = Arc::new(Mutex::new(BTreeSet::new()));

    let seen_by_server = Arc::clone(&seen);
    // SAFETY: the acceptor and handlers use no thread-locals, block only in
    // may's accept/read/write, and keep to small stack frames.
    unsafe {
        coroutine::spawn(move || {
            for stream in listener.incoming() {
                let stream = stream.unwrap();
                stream.set_nodelay(true).unwrap();
                let seen = Arc::clone(&seen_by_server);
                coroutine::spawn(move || {
                    seen.lock()
                        .unwrap()
                        .insert(format!("{:?}", thread::current().id()));
                    handle(stream).unwrap();
                });
            }
        });
    }

    let start = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|i| {
            // SAFETY: as above; the client is blocking code over may sockets.
            unsafe {
                coroutine::spawn(move || {
                    // Arrive in waves of 200, 2 ms apart: may's `bind` asks for
                    // a listen backlog of 1024, and a connect beyond a full
                    // backlog is dropped and retried by the kernel after 1 s.
                    coroutine::sleep(Duration::from_millis(2 * (i / 200) as u64));
                    let stream = TcpStream::connect(addr).unwrap();
                    stream.set_nodelay(true).unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut lines = BufReader::new(stream).lines();
                    (0..3)
                        .filter(|round| {
                            let line = format!("client {i} round {round}\n");
                            writer.write_all(line.as_bytes()).unwrap();
                            lines.next().unwrap().unwrap() == line.trim_end()
                        })
                        .count()
                })
            }
        })
        .collect();
    let echoed: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();

    let threads = seen.lock().unwrap().len();
    println!(
        "{clients} clients, {} lines echoed in {:.0?}, handlers ran on {threads} OS threads",
        echoed,
        start.elapsed()
    );
    // The acceptor is still waiting in `accept`: returning from main ends it.
    assert_eq!(echoed, clients * 3);
}
