//! A loopback server that proves requests ran at the same time: it answers
//! nobody until `n` connections have each sent a request, then echoes every
//! one of them. The exercises' tests use it to tell "at once" from "one after
//! another on distinct threads" without measuring time.
//!
//! Wire format: the delay server's 8-byte frame (see [`crate::delay`]); the
//! requested delay is ignored. If the `n` requests are not all in within
//! [`Rendezvous::BOUND`], it hangs up on everyone, so a client that asks one
//! at a time fails within seconds (its read ends early) instead of hanging.
//! Plain std threads: it needs no runtime, so every model's tests can use it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::delay::FRAME_LEN;

/// A running rendezvous; it serves one gathering of `n`, then exits.
pub struct Rendezvous {
    addr: SocketAddr,
    /// How many requests were in at once when it answered or gave up.
    gathered: mpsc::Receiver<usize>,
}

impl Rendezvous {
    /// How long the server waits for all `n` requests: 100x what requests
    /// in flight together need, and short enough to fail fast.
    pub const BOUND: Duration = Duration::from_secs(2);

    /// Bind 127.0.0.1 on a free port and wait for `n` requests in the background.
    pub fn start(n: usize) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (report, gathered) = mpsc::channel();
        thread::Builder::new()
            .name("rendezvous".into())
            .spawn(move || {
                let waiting = gather(&listener, n);
                let count = waiting.len();
                if count == n {
                    for (mut stream, frame) in waiting {
                        let _ = stream.write_all(&frame);
                    }
                } // else: dropping the streams hangs up on everyone
                let _ = report.send(count);
            })?;
        Ok(Rendezvous { addr, gathered })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most requests that were in at once (n if they all met); waits at
    /// most a little past the bound.
    pub fn most_at_once(&self) -> usize {
        self.gathered
            .recv_timeout(Self::BOUND + Duration::from_secs(1))
            .unwrap_or(0)
    }
}

/// Accept connections and read one request from each until `n` are in or
/// the bound passes.
fn gather(listener: &TcpListener, n: usize) -> Vec<(TcpStream, [u8; FRAME_LEN])> {
    let deadline = Instant::now() + Rendezvous::BOUND;
    let mut waiting = Vec::new();
    while waiting.len() < n && Instant::now() < deadline {
        match listener.accept() {
            Ok((mut stream, _)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                let mut frame = [0; FRAME_LEN];
                let read = stream
                    .set_nonblocking(false)
                    .and_then(|_| stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))))
                    .and_then(|_| stream.read_exact(&mut frame));
                if read.is_ok() {
                    waiting.push((stream, frame));
                }
            }
            Err(_) => thread::sleep(Duration::from_millis(2)),
        }
    }
    waiting
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delay::Request;

    fn ask(addr: SocketAddr, seq: u32) -> std::io::Result<u32> {
        let mut s = TcpStream::connect(addr)?;
        s.write_all(&Request { delay_ms: 0, seq }.encode())?;
        let mut frame = [0; FRAME_LEN];
        s.read_exact(&mut frame)?;
        Ok(Request::decode(frame).seq)
    }

    #[test]
    fn answers_only_requests_in_flight_together() {
        let together = Rendezvous::start(3).unwrap();
        let addr = together.addr();
        let handles: Vec<_> = (0..3)
            .map(|i| thread::spawn(move || ask(addr, i)))
            .collect();
        let seqs: Vec<u32> = handles
            .into_iter()
            .map(|h| h.join().unwrap().unwrap())
            .collect();
        assert_eq!(seqs, [0, 1, 2]);
        assert_eq!(together.most_at_once(), 3);

        let one_by_one = Rendezvous::start(2).unwrap();
        assert!(
            ask(one_by_one.addr(), 0).is_err(),
            "a lone request gets no answer"
        );
        assert_eq!(one_by_one.most_at_once(), 1);
    }
}
