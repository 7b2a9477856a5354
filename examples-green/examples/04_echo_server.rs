//! With `may::net`, a server with a coroutine per connection is written as blocking code and serves thousands at once.
//!
//! `may::net::TcpStream` looks like `std::net::TcpStream`, but a read that
//! would block registers the socket with may's epoll loop and parks the
//! coroutine. A thread per connection would cost a kernel task and 2 MiB of
//! address space each (Rust's default thread stack, std::thread docs, "Stack
//! size"); here each connection costs a coroutine stack (32 KiB by default,
//! printed by 10_stack_size), and two worker threads run every handler.
//! That is also why the handler must use `may::net`: a `std::net` read would
//! block a whole worker, and two idle clients would stall every other
//! connection (05_std_blocking_trap measures that trap).
//!
//! Run:
//!
//!     cargo xtask run green 04_echo_server
//!
//! Observe: 2000 clients (fewer if `ulimit -n` is low), each with its own
//! server-side coroutine, all connected at once, echo 3 lines each; the
//! lesson prints the time it took and the 2 OS threads the handlers ran on.
//!
//! Python: `gevent.server.StreamServer(addr, handle).serve_forever()`.
//!
//! Compare: examples-threads/examples/14_io_threads.rs (a thread per
//! connection), examples-async/examples/03_echo_server.rs (a task per connection).

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
    // Before the first spawn, or ignored (01_green_threads explains).
    may::config().set_workers(2).set_worker_pin(false);
    // Each connection uses two descriptors here (both ends live in this
    // process): size the run from the limit rather than fail halfway.
    let fds = workloads::sys::raise_nofile_limit();
    let clients = CLIENTS.min(fds.saturating_sub(200) / 2) as usize;

    // Port 0: the kernel picks a free port, so runs never collide.
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
            // The acceptor is a coroutine too: `incoming()` parks it in
            // may's epoll loop between connections.
            for stream in listener.incoming() {
                let stream = stream.unwrap();
                // No Nagle delay on the small echo replies (see `handle`).
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
                    // a listen backlog of 1024 (`listen(1024)` in may's
                    // net/tcp.rs on docs.rs), and a connect beyond a full backlog is
                    // dropped and retried by the kernel after 1 s
                    // (TCP_TIMEOUT_INIT, include/net/tcp.h).
                    coroutine::sleep(Duration::from_millis(2 * (i / 200) as u64));
                    let stream = TcpStream::connect(addr).unwrap();
                    stream.set_nodelay(true).unwrap();
                    // Two handles on one socket, as in `handle`: one to
                    // read lines from, one to write requests to.
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
    // Each client returns how many of its 3 lines came back intact.
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
