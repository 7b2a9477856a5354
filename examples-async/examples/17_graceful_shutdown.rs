//! Graceful shutdown: on Ctrl-C stop accepting, let the requests in flight finish, then exit.
//!
//! A signal arrives as a future (`signal(SignalKind::interrupt())`), so the
//! accept loop can `select!` on it next to `accept`. When it fires, the loop
//! ends and drops the listener, so new connections are refused at once; the
//! handlers are tasks in a `JoinSet`; awaiting it lets each finish its reply,
//! under a deadline. Without this, the default SIGINT kills it mid-reply.
//!
//! Run:
//!
//!     cargo xtask run async 17_graceful_shutdown
//!     cargo xtask run async 17_graceful_shutdown -- --interactive
//!
//! Observe: the lesson sends itself SIGINT after 1 s (with `--interactive`,
//! press Ctrl-C); it prints how many requests are in flight at that moment,
//! and every one of them still gets its reply; later connections are refused.
//!
//! Break: `cargo xtask run async 17_graceful_shutdown -- --break` replaces the
//! drain with `handlers.abort_all()`: the requests in flight are cancelled
//! mid-work, their clients get no reply, and the lesson counts them.
//!
//! Python: `loop.add_signal_handler(signal.SIGINT, stop.set)`, `server.close()`.

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
/// `WORK` of 300 ms against a client every 100 ms: about three requests are
/// always in flight, so the shutdown has something to drain.
async fn handle(mut stream: TcpStream) -> io::Result<()> {
    let mut byte = [0];
    stream.read_exact(&mut byte).await?;
    sleep(WORK).await;
    stream.write_all(&byte).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    let interactive = std::env::args().any(|a| a == "--interactive");
    let broken = std::env::args().any(|a| a == "--break");
    // Register the handler before anything can send the signal: from here on
    // SIGINT is delivered to this stream instead of killing the process.
    let mut interrupt = signal(SignalKind::interrupt())?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // The clock for the printed timeline: signal, drain, done.
    let start = Instant::now();

    // The load: a client every 100 ms, each counting the reply it got.
    // A real service's clients are elsewhere; here they are tasks in the same
    // runtime, so the lesson can count the replies they received.
    let replies = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&replies);
    tokio::spawn(async move {
        // `u8` ids: 256 clients take 25.6 s, long after the signal at 1 s.
        for i in 0u8.. {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                // Errors end only this client: a refused connect after the
                // shutdown is expected, and not counted as a reply.
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
    // `select!` waits for whichever comes first; the losing futures are
    // dropped each round, which is safe here: `accept` and `recv` are both
    // documented as cancel safe (see 06_select_timeout_cancel).
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
    // Stop accepting: new connections are refused from now on.
    drop(listener);
    // Finished-but-unreaped handlers count too: "in flight" is at most this.
    let in_flight = handlers.len();
    println!(
        "SIGINT after {:.1?}: {accepted} accepted, {in_flight} in flight",
        start.elapsed()
    );

    // New under `--break`: cancel instead of drain. Each handler is dropped
    // at its `sleep`, before it writes: the reply its client waits for is lost.
    if broken {
        handlers.abort_all();
    }
    // Drain: every handler finishes, but no later than the deadline: a
    // handler stuck on a dead client must not keep the process alive.
    let drained = timeout(Duration::from_secs(5), async {
        while handlers.join_next().await.is_some() {}
    })
    .await
    .is_ok();
    let outcome = if drained { "finished" } else { "abandoned" };
    println!("in-flight work {outcome} after {:.1?}", start.elapsed());
    // Let the clients read their replies before counting them.
    sleep(Duration::from_millis(20)).await;
    // The listener is closed, so the kernel answers a new connect with RST.
    let refused = TcpStream::connect(addr).await.is_err();
    let replied = replies.load(Ordering::SeqCst);
    println!("replies: {replied} of {accepted}; a new connection is refused: {refused}");
    assert!(drained && refused);
    if broken {
        // The requests cut off by `abort_all` are the difference. (One that
        // finished just as the signal came may have replied: hence `<`.)
        let lost = accepted - replied;
        println!("--break: {lost} clients lost their reply to abort_all");
        assert!(replied < accepted);
    } else {
        // Graceful: every accepted request was answered.
        assert_eq!(replied, accepted);
    }
    Ok(())
}
