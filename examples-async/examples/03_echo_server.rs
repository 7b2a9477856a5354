//! A TCP echo server with one task per connection survives clients that send garbage or vanish mid-line.
//!
//! `accept` and `read` return `Pending` until epoll says the socket is ready,
//! so a connection with nothing to say costs a parked task and a socket, not
//! a thread (lesson 04 measures it). Each connection is its own task, so a bad
//! client can end only its own; a line is capped at `MAX_LINE` bytes so
//! garbage cannot make the server buffer without end.
//!
//! Run:
//!
//!     cargo xtask run async 03
//!
//! Observe: alice is echoed before and after the bad clients; the garbage
//! gets "ERR line too long" and the gauge of open connections falls back to 0. Drop the `.take(..)` and a client that
//! never sends a newline grows the server's buffer without bound.
//!
//! Python: `asyncio.start_server(handle, "127.0.0.1", 0)` with `reader.readline()`.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::sleep;

/// The longest line the server buffers; a longer one closes the connection.
pub const MAX_LINE: usize = 1024;

/// Start the server on a free loopback port. The gauge counts open
/// connections: an `AtomicUsize`, not a lock, since it is only ever added to,
/// subtracted from and read, never updated together with anything else.
pub async fn start() -> io::Result<(SocketAddr, Arc<AtomicUsize>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let open = Arc::new(AtomicUsize::new(0));
    let gauge = Arc::clone(&open);
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
                // Out of fds (EMFILE) must not end the server: name it, back off.
                Err(e) => {
                    match examples_async::limit_from_io(&e) {
                        Some(hit) => eprintln!("accept: limit {}: {}", hit.limit, hit.reason),
                        None => eprintln!("accept: {e}"),
                    }
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
    // 8 KiB; one line's worth is enough here.
    let mut reader = BufReader::with_capacity(MAX_LINE, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        // `take` caps what one read may buffer: one more byte than allowed
        // tells "too long" apart from "exactly at the limit".
        let n = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        match (n, line.last()) {
            (0, _) => return Ok(()), // clean close
            (_, Some(b'\n')) if std::str::from_utf8(&line).is_ok() => {
                writer.write_all(&line).await?
            }
            (_, Some(b'\n')) => return writer.write_all(b"ERR not UTF-8\n").await,
            _ if n > MAX_LINE => return writer.write_all(b"ERR line too long\n").await,
            _ => return Ok(()), // left mid-line: drop the half message
        }
    }
}

/// Send `text` as one line and return the server's one-line answer.
pub async fn ask(stream: &mut TcpStream, text: &[u8]) -> io::Result<String> {
    stream.write_all(text).await?;
    let mut answer = String::new();
    BufReader::with_capacity(MAX_LINE, stream)
        .read_line(&mut answer)
        .await?;
    Ok(answer)
}

/// Wait until the gauge reads `want`, polling; gives up after 5 s (a hang
/// detector, not a speed limit) and returns what it last read.
pub async fn settle(gauge: &AtomicUsize, want: usize) -> usize {
    for _ in 0..1000 {
        if gauge.load(Ordering::Relaxed) == want {
            break;
        }
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
    let hello = ask(&mut alice, b"hello\n").await?;
    println!("alice got {hello:?}; open: {}", settle(&open, 1).await);

    // Bad clients, each on its own connection, so each ends only its own
    // task. (tests/echo_server.rs also sends invalid UTF-8 and 64 KiB.)
    let mut garbage = TcpStream::connect(addr).await?;
    let refused = ask(&mut garbage, &[b'x'; 4096]).await?;
    println!("4 KiB without a newline got {refused:?}");
    let mut quitter = TcpStream::connect(addr).await?;
    quitter.write_all(b"half a li").await?;
    // Hangs up mid-line: the server's read ends without a newline, and a
    // real service would log it; here the half message is simply dropped.
    drop(quitter);

    // The server, and alice's connection, are unaffected.
    let again = ask(&mut alice, b"still there?\n").await?;
    println!("alice got {again:?}");
    drop((alice, garbage));
    // Every server task ends, whichever way its client left: a task that
    // stayed behind would be a leak, one socket and buffer per bad client.
    let left_open = settle(&open, 0).await;
    println!("open connections now: {left_open}");
    assert_eq!([hello.as_str(), &again], ["hello\n", "still there?\n"]);
    assert_eq!((refused.as_str(), left_open), ("ERR line too long\n", 0));
    Ok(())
}
