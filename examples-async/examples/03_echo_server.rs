//! A TCP echo server runs one task per connection, so a quiet client costs a parked task, not a thread.
//!
//! `accept` and `read` return `Pending` until epoll says the socket is ready,
//! so a quiet connection costs a parked task, a socket and its read buffer,
//! not a thread (05_thousand_connections measures it). Clients are served side
//! by side on one OS thread, and one client can end only its own task. A line
//! is capped at `MAX_LINE` bytes; 04_bad_clients shows why.
//!
//! Run:
//!
//!     cargo xtask run async 03_echo_server
//!
//! Observe: alice and bob are echoed over two connections open at once; the
//! gauge of open connections reads 2, then 0 once they hang up.
//!
//! Python: `asyncio.start_server(handle, "127.0.0.1", 0)` with `reader.readline()`.
//!
//! Compare: examples-green/examples/04_echo_server.rs (blocking code in coroutines).

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::sleep;

/// The longest line the server buffers; a longer one closes the connection.
pub const MAX_LINE: usize = 1024;

/// The cap `serve` applies: `MAX_LINE`, unless 04_bad_clients lifts it (`--break`).
pub static CAP: AtomicUsize = AtomicUsize::new(MAX_LINE);

/// Start the server on a free loopback port. The gauge counts open
/// connections: an `AtomicUsize`, not a lock, since it is only ever added to,
/// subtracted from and read, never updated together with anything else.
pub async fn start() -> io::Result<(SocketAddr, Arc<AtomicUsize>)> {
    // Port 0: the kernel picks a free port, so lessons and tests never collide.
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let open = Arc::new(AtomicUsize::new(0));
    let gauge = Arc::clone(&open);
    // The accept loop is a task too: `start` returns at once, and the caller
    // (a lesson's `main`) can act as the clients on the same thread.
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let gauge = Arc::clone(&gauge);
                    // Counted around the whole task: however `serve` ends
                    // (a clean close, an IO error), the gauge goes down.
                    gauge.fetch_add(1, Ordering::Relaxed);
                    tokio::spawn(async move {
                        let _ = serve(stream).await;
                        gauge.fetch_sub(1, Ordering::Relaxed);
                    });
                }
                // Out of fds (EMFILE) must not end the server: name it, back
                // off, retry. Returning here would drop the listener and turn
                // one overloaded moment into an outage (05_thousand_connections).
                Err(e) => {
                    let named = examples_async::limit_from_io(&e).map(|h| h.reason);
                    eprintln!("accept: {}", named.unwrap_or_else(|| e.to_string()));
                    sleep(Duration::from_millis(100)).await;
                }
            }
        }
    });
    Ok((addr, open))
}

/// Echo lines until the client leaves or misbehaves.
async fn serve(stream: TcpStream) -> io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    // The read buffer is most of what a connection costs: tokio's default is
    // 8 KiB (DEFAULT_BUF_SIZE, tokio/src/io/util/mod.rs); one line is enough.
    let mut reader = BufReader::with_capacity(MAX_LINE, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        // `take` caps what one read may buffer: one more byte than allowed
        // tells "too long" apart from "exactly at the limit".
        let cap = CAP.load(Ordering::Relaxed);
        let n = (&mut reader)
            .take(cap as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        match (n, line.last()) {
            (0, _) => return Ok(()), // clean close
            (_, Some(b'\n')) if std::str::from_utf8(&line).is_ok() => {
                writer.write_all(&line).await?
            }
            (_, Some(b'\n')) => return writer.write_all(b"ERR not UTF-8\n").await,
            _ if n > cap => return writer.write_all(b"ERR line too long\n").await,
            _ => return Ok(()), // left mid-line: drop the half message
        }
    }
}

/// Send `text` as one line and return the server's one-line answer.
pub async fn ask(stream: &mut TcpStream, text: &[u8]) -> io::Result<String> {
    stream.write_all(text).await?;
    // A fresh reader per call is safe only because the server sends exactly
    // one line per request: nothing can be left over in the dropped buffer.
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).await?;
    Ok(answer)
}

/// Wait until the gauge reads `want`, polling; gives up after 5 s (a hang
/// detector, not a speed limit) and returns what it last read.
pub async fn settle(gauge: &AtomicUsize, want: usize) -> usize {
    // Polling, not a notification: the gauge is a plain atomic, and a lesson
    // can afford 5 ms steps where a real service would use `Notify`.
    let deadline = Instant::now() + Duration::from_secs(5);
    while gauge.load(Ordering::Relaxed) != want && Instant::now() < deadline {
        sleep(Duration::from_millis(5)).await;
    }
    gauge.load(Ordering::Relaxed)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    // One OS thread runs the server, its connections and these clients: every
    // `.await` below is a point where it switches to whoever is ready.
    let (addr, open) = start().await?;
    let mut alice = TcpStream::connect(addr).await?;
    let mut bob = TcpStream::connect(addr).await?;
    // Both connections are open at once: two server tasks, parked in `read`.
    let both = settle(&open, 2).await;
    println!("alice and bob connected; open: {both}");

    // Interleaved lines: each server task answers its own client, and a
    // client that is silent meanwhile costs nothing but its parked task.
    for (who, stream) in [("alice", &mut alice), ("bob", &mut bob)] {
        let line = format!("{who} says hi\n");
        let answer = ask(stream, line.as_bytes()).await?;
        println!("{who} got {answer:?}");
        assert_eq!(answer, line);
    }
    // Hanging up ends `read_until` with 0 bytes, so each server task returns
    // and the gauge falls; a task that stayed behind would be a leak.
    drop((alice, bob));
    let left_open = settle(&open, 0).await;
    println!("both hung up; open connections now: {left_open}");
    assert_eq!((both, left_open), (2, 0));
    Ok(())
}
