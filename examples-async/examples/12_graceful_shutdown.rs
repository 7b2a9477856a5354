//! Graceful shutdown: on Ctrl-C stop accepting, let the requests in flight finish, then exit.
//!
//! A signal arrives as a future (`signal(SignalKind::interrupt())`), so the
//! accept loop can `select!` on it next to `accept`. When it fires, the loop
//! ends and drops the listener, so new connections are refused at once; the
//! handlers already running are tasks in a `JoinSet`, and awaiting the set
//! lets each finish its reply, under a deadline in case one never does.
//! Without this, the process would die mid-reply on the default SIGINT.
//!
//! Run:
//!
//!     cargo xtask run async 12
//!     cargo run -p examples-async --example 12_graceful_shutdown -- --interactive
//!
//! Observe: the lesson sends itself SIGINT after 1 s (with `--interactive`,
//! press Ctrl-C); about 3 requests are in flight at that moment and every
//! one of them still gets its reply; later connections are refused. Replace
//! the drain with `handlers.abort_all()` and those clients get no reply.
//!
//! Python: `loop.add_signal_handler(signal.SIGINT, stop.set)`, then
//! `server.close()` and `await asyncio.gather(*in_flight)`.

use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::signal::unix::{signal, SignalKind};
use tokio::task::JoinSet;
use tokio::time::{sleep, timeout};

const WORK: Duration = Duration::from_millis(300);

/// One request: read a byte, work for `WORK`, answer with the same byte.
async fn handle(mut stream: TcpStream) -> io::Result<()> {
    let mut byte = [0];
    stream.read_exact(&mut byte).await?;
    sleep(WORK).await;
    stream.write_all(&byte).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    let interactive = std::env::args().any(|a| a == "--interactive");
    // Register the handler before anything can send the signal: from here on
    // SIGINT is delivered to this stream instead of killing the process.
    let mut interrupt = signal(SignalKind::interrupt())?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let start = Instant::now();

    // The load: a client every 100 ms, each counting the reply it got.
    // A real service's clients are elsewhere; here they are tasks in the same
    // runtime, so the lesson can count the replies they received.
    let replies = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&replies);
    tokio::spawn(async move {
        for i in 0u8.. {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                let mut s = TcpStream::connect(addr).await?;
                s.write_all(&[i]).await?;
                let mut reply = [0];
                s.read_exact(&mut reply).await?;
                counted.fetch_add(1, Ordering::SeqCst);
                io::Result::Ok(())
            });
            sleep(Duration::from_millis(100)).await;
        }
    });
    if interactive {
        println!("serving on {addr}; press Ctrl-C to shut down");
    } else {
        tokio::spawn(async {
            sleep(Duration::from_secs(1)).await;
            // SAFETY: kill() with our own pid and a valid signal number has
            // no memory-safety preconditions.
            unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
        });
    }

    // The handlers live in a JoinSet, not detached with `tokio::spawn`: the
    // set is what lets us count and await the ones still running at the end.
    let (mut handlers, mut accepted) = (JoinSet::new(), 0);
    loop {
        tokio::select! {
            _ = interrupt.recv() => break,
            conn = listener.accept() => {
                handlers.spawn(handle(conn?.0));
                accepted += 1;
            }
            // Reap finished handlers as we go, so the set holds only live ones.
            Some(_) = handlers.join_next(), if !handlers.is_empty() => {}
        }
    }
    drop(listener); // stop accepting: new connections are refused from now on
    let in_flight = handlers.len();
    println!(
        "SIGINT after {:.1?}: {accepted} accepted, {in_flight} in flight",
        start.elapsed()
    );

    // Drain: every handler finishes, but no later than the deadline.
    let drained = timeout(Duration::from_secs(5), async {
        while handlers.join_next().await.is_some() {}
    })
    .await;
    println!(
        "in-flight work {} after {:.1?}",
        if drained.is_ok() {
            "finished"
        } else {
            "abandoned"
        },
        start.elapsed()
    );
    sleep(Duration::from_millis(20)).await; // let the clients read their replies
                                            // The listener is closed, so the kernel answers a new connect with RST.
    let refused = TcpStream::connect(addr).await.is_err();
    println!(
        "replies: {} of {accepted}; a new connection is refused: {refused}",
        replies.load(Ordering::SeqCst)
    );
    assert!(drained.is_ok() && refused);
    assert_eq!(replies.load(Ordering::SeqCst), accepted);
    Ok(())
}
