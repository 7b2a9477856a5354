//! A task per connection plus a cap on what one read may buffer keeps the echo server alive through clients that send garbage or vanish mid-line.
//!
//! A client the server does not control can send a line without end, bytes
//! that are not UTF-8, or hang up halfway. Each of these ends only its own
//! task, because each connection is its own task; and the `take(MAX_LINE + 1)`
//! in 03_echo_server's `serve` bounds the line buffer, so a line without a
//! newline is refused at 1 KiB instead of growing until memory runs out.
//!
//! Run:
//!
//!     cargo xtask run async 04_bad_clients
//!
//! Observe: alice is echoed before and after the bad clients; the 4 KiB line
//! gets "ERR line too long" and the gauge of open connections falls back to 0.
//!
//! Break: `cargo xtask run async 04_bad_clients -- --break` lifts the cap.
//! The same 4 KiB (and then 60 KiB more) go into the server's buffer, no
//! answer ever comes, and the client's `timeout` of 500 ms reports it: the
//! server task is still reading, holding every byte, waiting for a newline.
//!
//! Python: `asyncio.StreamReader(limit=...)`: `readline()` raises once a line
//! exceeds the limit (`_DEFAULT_LIMIT = 2 ** 16` bytes in asyncio/streams.py),
//! the same guard.

// 03_echo_server's server, unchanged; its own `main` is not used here.
#[allow(dead_code)]
#[path = "03_echo_server.rs"]
mod echo;

use std::io;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::timeout;

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    if std::env::args().any(|a| a == "--break") {
        return unbounded().await;
    }
    // alice is the well-behaved client: her connection stays open throughout
    // and shows that the others' trouble never reaches her task.
    let (addr, open) = echo::start().await?;
    let mut alice = TcpStream::connect(addr).await?;
    let hello = echo::ask(&mut alice, b"hello\n").await?;
    println!(
        "alice got {hello:?}; open: {}",
        echo::settle(&open, 1).await
    );

    // Bad clients, each on its own connection, so each ends only its own
    // task. (tests/echo_server.rs also sends invalid UTF-8 and 64 KiB.)
    let mut garbage = TcpStream::connect(addr).await?;
    // 4 KiB is four times the cap: the server stops reading at 1 KiB + 1.
    let refused = echo::ask(&mut garbage, &[b'x'; 4096]).await?;
    println!("4 KiB without a newline got {refused:?}");
    let mut quitter = TcpStream::connect(addr).await?;
    quitter.write_all(b"half a li").await?;
    // Hangs up mid-line: the server's read ends without a newline, and a
    // real service would log it; here the half message is simply dropped.
    drop(quitter);

    // The server, and alice's connection, are unaffected.
    let again = echo::ask(&mut alice, b"still there?\n").await?;
    println!("alice got {again:?}");
    drop((alice, garbage));
    // Every server task ends, whichever way its client left: a task that
    // stayed behind would be a leak, one socket and buffer per bad client.
    let left_open = echo::settle(&open, 0).await;
    println!("open connections now: {left_open}");
    assert_eq!([hello.as_str(), &again], ["hello\n", "still there?\n"]);
    assert_eq!((refused.as_str(), left_open), ("ERR line too long\n", 0));
    Ok(())
}

/// `--break`: the server without its cap, and a client that never ends its line.
async fn unbounded() -> io::Result<()> {
    // Half of usize::MAX, so the `cap + 1` inside `serve` cannot overflow.
    echo::CAP.store(usize::MAX / 2, Ordering::Relaxed);
    let (addr, open) = echo::start().await?;
    let mut garbage = TcpStream::connect(addr).await?;
    // Timed so the output shows the wait was the timeout's, not the server's.
    let start = Instant::now();
    // The detection: wait at most 500 ms for the answer that never comes.
    // Without the timeout this `ask` would wait forever, and the server task
    // would keep every byte the client cares to send.
    let answer = timeout(Duration::from_millis(500), async {
        garbage.write_all(&[b'x'; 60 * 1024]).await?;
        echo::ask(&mut garbage, &[b'x'; 4096]).await
    })
    .await;
    // `Err(Elapsed)` from the timeout, not an answer from the server.
    let timed_out = answer.is_err();
    let waited = start.elapsed();
    println!("--break: 64 KiB without a newline; timed out after {waited:.0?}: {timed_out}");
    // Still counted as open: the server task sits in `read_until` with all
    // 64 KiB in its `line` buffer, waiting for a newline that never comes.
    let still_open = open.load(Ordering::Relaxed);
    println!("the server task is still open ({still_open}) and still buffering: nothing bounds it");
    println!("with the cap, it answers \"ERR line too long\" after 1 KiB and ends the task");
    assert!(timed_out);
    assert_eq!(still_open, 1);
    Ok(())
}
