//! The loopback delay server: every request is answered after the delay the
//! request asks for, so the `net` scenario is IO-bound by construction.
//!
//! Wire format: a request is 8 bytes, `delay_ms: u32 LE` then `seq: u32 LE`;
//! the reply echoes the same 8 bytes once the delay has passed. A client sends
//! its next request only after the reply, so one connection has at most one
//! request in flight. A delay above [`MAX_DELAY_MS`] closes the connection.
//!
//! The server is infrastructure, not a lesson. It runs on a tokio
//! current-thread runtime (one OS thread, one timer per pending request), so
//! thousands of waiting clients cost it almost nothing and it is never the
//! bottleneck of what is measured. It binds 127.0.0.1 only, on a free port.

/// Bytes in a request and in a reply.
pub const FRAME_LEN: usize = 8;

/// The longest delay the server honours, in ms.
pub const MAX_DELAY_MS: u32 = crate::contract::MAX_DELAY_MS as u32;

/// One request: wait `delay_ms`, then echo. `seq` lets a client check that the
/// reply belongs to its request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub delay_ms: u32,
    pub seq: u32,
}

impl Request {
    pub fn encode(self) -> [u8; FRAME_LEN] {
        let mut frame = [0; FRAME_LEN];
        frame[..4].copy_from_slice(&self.delay_ms.to_le_bytes());
        frame[4..].copy_from_slice(&self.seq.to_le_bytes());
        frame
    }

    pub fn decode(frame: [u8; FRAME_LEN]) -> Self {
        let word = |i: usize| u32::from_le_bytes(frame[i..i + 4].try_into().expect("4 bytes"));
        Request {
            delay_ms: word(0),
            seq: word(4),
        }
    }
}

/// `rounds` blocking round trips on one connection: send a request, wait for
/// its echo, check it. Returns how many replies matched their request.
///
/// The same loop serves OS threads, processes and may's coroutines: blocking
/// code that reads top to bottom is what those three models have in common.
pub fn round_trips<S: std::io::Read + std::io::Write>(
    stream: &mut S,
    rounds: u64,
    delay_ms: u32,
) -> std::io::Result<u64> {
    let mut ok = 0;
    for seq in 0..rounds as u32 {
        let request = Request { delay_ms, seq };
        stream.write_all(&request.encode())?;
        let mut frame = [0; FRAME_LEN];
        stream.read_exact(&mut frame)?;
        if Request::decode(frame) == request {
            ok += 1;
        }
    }
    Ok(ok)
}

/// A client's read timeout for replies delayed `delay_ms`: a hang detector
/// with a wide margin, not a speed limit. A lost reply fails the run.
pub fn reply_timeout(delay_ms: u32) -> std::time::Duration {
    std::time::Duration::from_millis(u64::from(delay_ms) * 10 + 10_000)
}

#[cfg(feature = "server")]
pub use server::DelayServer;

#[cfg(feature = "server")]
mod server {
    use super::{Request, FRAME_LEN, MAX_DELAY_MS};
    use std::io;
    use std::net::{SocketAddr, TcpListener as StdListener};
    use std::thread::JoinHandle;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::oneshot;

    /// A running delay server on its own OS thread; dropping it stops it.
    pub struct DelayServer {
        addr: SocketAddr,
        /// Dropping the sender ends the accept loop (a oneshot: one signal, once).
        stop: Option<oneshot::Sender<()>>,
        thread: Option<JoinHandle<io::Result<()>>>,
    }

    impl DelayServer {
        /// Bind 127.0.0.1 on a free port and serve on a background thread.
        /// Lessons and tests use this; `cargo xtask compare` runs the
        /// `delay-server` binary instead, in a process of its own.
        pub fn start() -> io::Result<Self> {
            Self::start_on(StdListener::bind(("127.0.0.1", 0))?)
        }

        /// Serve on an already bound listener (the binary binds a chosen port).
        pub fn start_on(listener: StdListener) -> io::Result<Self> {
            listener.set_nonblocking(true)?;
            let addr = listener.local_addr()?;
            let (stop, stopped) = oneshot::channel();
            let thread = std::thread::Builder::new()
                .name("delay-server".into())
                .spawn(move || serve(listener, stopped))?;
            Ok(DelayServer {
                addr,
                stop: Some(stop),
                thread: Some(thread),
            })
        }

        pub fn addr(&self) -> SocketAddr {
            self.addr
        }

        /// Stop accepting and wait for the server thread to end.
        pub fn stop(mut self) -> io::Result<()> {
            self.shutdown()
        }

        fn shutdown(&mut self) -> io::Result<()> {
            drop(self.stop.take());
            match self.thread.take() {
                Some(t) => t
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("delay server panicked"))),
                None => Ok(()),
            }
        }
    }

    impl Drop for DelayServer {
        fn drop(&mut self) {
            let _ = self.shutdown();
        }
    }

    fn serve(listener: StdListener, mut stopped: oneshot::Receiver<()>) -> io::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener)?;
            loop {
                tokio::select! {
                    _ = &mut stopped => return Ok(()),
                    accepted = listener.accept() => match accepted {
                        Ok((stream, _)) => {
                            tokio::spawn(answer(stream));
                        }
                        // Out of fds, or a peer gone before accept: keep serving.
                        Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                    },
                }
            }
        })
        // Dropping the runtime here cancels the connections still open.
    }

    /// Answer one connection's requests in order until it closes.
    async fn answer(mut stream: TcpStream) -> io::Result<()> {
        stream.set_nodelay(true)?;
        let mut frame = [0u8; FRAME_LEN];
        loop {
            match stream.read_exact(&mut frame).await {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
                Err(e) => return Err(e),
            }
            let request = Request::decode(frame);
            if request.delay_ms > MAX_DELAY_MS {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(request.delay_ms.into())).await;
            stream.write_all(&frame).await?;
        }
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    fn round_trip(stream: &mut TcpStream, req: Request) -> Request {
        stream.write_all(&req.encode()).unwrap();
        let mut frame = [0; FRAME_LEN];
        stream.read_exact(&mut frame).unwrap();
        Request::decode(frame)
    }

    #[test]
    fn frame_round_trips() {
        let r = Request {
            delay_ms: 25,
            seq: 0xdead_beef,
        };
        assert_eq!(Request::decode(r.encode()), r);
    }

    #[test]
    fn binds_loopback_and_echoes_after_the_delay() {
        let server = DelayServer::start().unwrap();
        assert!(server.addr().ip().is_loopback());
        let mut s = TcpStream::connect(server.addr()).unwrap();
        for seq in 0..3 {
            let start = Instant::now();
            let reply = round_trip(&mut s, Request { delay_ms: 20, seq });
            assert_eq!(reply, Request { delay_ms: 20, seq });
            // The reply never comes early (a lower bound is not a speed assertion).
            assert!(start.elapsed() >= Duration::from_millis(20));
        }
    }

    #[test]
    fn many_clients_wait_at_once() {
        let server = DelayServer::start().unwrap();
        let addr = server.addr();
        let replies: Vec<Request> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..50)
                .map(|seq| {
                    s.spawn(move || {
                        round_trip(
                            &mut TcpStream::connect(addr).unwrap(),
                            Request { delay_ms: 10, seq },
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (seq, r) in replies.iter().enumerate() {
            assert_eq!(r.seq, seq as u32);
        }
    }

    #[test]
    fn an_absurd_delay_closes_the_connection() {
        let server = DelayServer::start().unwrap();
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(
            &Request {
                delay_ms: u32::MAX,
                seq: 1,
            }
            .encode(),
        )
        .unwrap();
        let mut buf = [0; FRAME_LEN];
        assert_eq!(
            s.read(&mut buf).unwrap(),
            0,
            "the server closed instead of waiting 49 days"
        );
    }

    #[test]
    fn stop_ends_the_server() {
        let server = DelayServer::start().unwrap();
        let addr = server.addr();
        server.stop().unwrap();
        assert!(TcpStream::connect(addr).is_err());
    }
}
