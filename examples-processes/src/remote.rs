//! The pool protocol over TCP, so a worker could run on another host (Python:
//! `multiprocessing.managers` with an `authkey`).
//!
//! What changes across a network: a round trip costs more and varies; a
//! worker can vanish without the kernel telling us why (no exit status, only
//! a closed or silent connection, so every read has a timeout); and anyone
//! who can reach the port can connect, so a peer must prove it knows the
//! shared secret before it gets any work.
//!
//! The handshake is challenge-response, like Python's `authkey`: the
//! coordinator sends a fresh random nonce, the worker answers with its
//! HMAC-SHA256 keyed by the shared secret, so the secret itself never crosses
//! the wire and an old answer is no use against a new nonce. The coordinator
//! checks the answer in constant time. What this does not give: secrecy of
//! the tasks and replies, which still cross in the clear; a real service
//! between hosts would add TLS.
//!
//! Wire format: one JSON value per line (tasks are [`Task`], replies
//! [`Reply`]); the handshake lines are `nonce N`, `digest D`, then `ok` or
//! `refused`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::os::Error;
use crate::worker::Task;

/// The environment variable a remote worker reads its secret from (never
/// the command line, which every user of the machine can read in `ps`).
pub const SECRET_VAR: &str = "CM_POOL_SECRET";

/// A remote worker's answer to one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Primes { chunk: usize, count: u64 },
    Done,
    Pong(u64),
}

/// The coordinator's listening socket.
pub struct Coordinator {
    listener: TcpListener,
    secret: String,
}

impl Coordinator {
    /// Listen on `addr`. Pass `127.0.0.1:0` unless the workers really are on
    /// other hosts: a wildcard address exposes the port to the network.
    pub fn bind(addr: SocketAddr, secret: &str) -> Result<Coordinator, Error> {
        if secret.is_empty() {
            return Err(Error::Setup(
                "refusing to listen without a shared secret".into(),
            ));
        }
        let listener = TcpListener::bind(addr)
            .map_err(|e| Error::Setup(format!("could not listen on {addr}: {e}")))?;
        Ok(Coordinator {
            listener,
            secret: secret.into(),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Accept one peer and check its secret. A peer that fails the handshake
    /// is told `refused`, disconnected, and reported as an error.
    pub fn accept(&self, timeout: Duration) -> Result<RemoteWorker, Error> {
        let (stream, peer) = self
            .listener
            .accept()
            .map_err(|e| Error::Setup(format!("accept failed: {e}")))?;
        let mut conn = Conn::new(stream, timeout).map_err(|e| io_error(peer, e))?;
        let nonce = fresh_nonce();
        conn.send_line(&format!("nonce {nonce}"))
            .map_err(|e| io_error(peer, e))?;
        let answer = conn.read_line().map_err(|e| io_error(peer, e))?;
        let proven = answer
            .strip_prefix("digest ")
            .is_some_and(|d| verify(&self.secret, nonce, d));
        if !proven {
            let _ = conn.send_line("refused");
            return Err(Error::Worker(format!(
                "peer {peer}: refused, it does not know the shared secret"
            )));
        }
        conn.send_line("ok").map_err(|e| io_error(peer, e))?;
        Ok(RemoteWorker { conn, peer })
    }
}

/// The coordinator's handle on one authenticated remote worker.
pub struct RemoteWorker {
    conn: Conn,
    pub peer: SocketAddr,
}

impl RemoteWorker {
    /// Send a task and wait for its reply (within the connection's timeout).
    pub fn call(&mut self, task: &Task) -> Result<Reply, Error> {
        let peer = self.peer;
        let line = serde_json::to_string(task).expect("tasks serialise");
        self.conn.send_line(&line).map_err(|e| io_error(peer, e))?;
        let reply = self.conn.read_line().map_err(|e| io_error(peer, e))?;
        serde_json::from_str(&reply).map_err(|e| {
            Error::Worker(format!(
                "remote worker {peer}: malformed reply {reply:?}: {e}"
            ))
        })
    }
}

fn io_error(peer: SocketAddr, e: std::io::Error) -> Error {
    let what = match e.kind() {
        std::io::ErrorKind::UnexpectedEof => "closed the connection (vanished)".to_string(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            "did not answer in time (hung, or the network dropped it)".to_string()
        }
        _ => e.to_string(),
    };
    Error::Worker(format!("remote worker {peer}: {what}"))
}

/// The remote worker role: connect, prove the secret, serve tasks until the
/// coordinator hangs up. Returns how many tasks it served.
pub fn serve(addr: SocketAddr, secret: &str) -> Result<u64, Error> {
    let stream = TcpStream::connect(addr)
        .map_err(|e| Error::Setup(format!("could not reach the coordinator at {addr}: {e}")))?;
    let mut conn =
        Conn::new(stream, Duration::from_secs(3600)).map_err(|e| Error::Setup(e.to_string()))?;
    let nonce: u64 = conn
        .read_line()
        .ok()
        .and_then(|l| l.strip_prefix("nonce ")?.parse().ok())
        .ok_or_else(|| Error::Setup(format!("{addr} did not send a nonce")))?;
    let proof = format!("digest {}", digest(secret, nonce));
    conn.send_line(&proof)
        .map_err(|e| Error::Setup(e.to_string()))?;
    match conn.read_line().as_deref() {
        Ok("ok") => {}
        _ => {
            return Err(Error::Setup(format!(
                "{addr} refused us: wrong shared secret"
            )))
        }
    }
    let mut served = 0;
    while let Ok(line) = conn.read_line() {
        let task: Task = serde_json::from_str(&line)
            .map_err(|e| Error::Setup(format!("malformed task {line:?}: {e}")))?;
        let reply = match task {
            Task::CountPrimes { n, chunk } => Reply::Primes {
                chunk,
                count: workloads::cpu::count_primes_in(workloads::cpu::chunk(n, chunk)),
            },
            Task::Ping(ball) => Reply::Pong(ball + 1),
            Task::Nothing | Task::Fault(_) => Reply::Done,
        };
        conn.send_line(&serde_json::to_string(&reply).expect("replies serialise"))
            .map_err(|e| Error::Setup(e.to_string()))?;
        served += 1;
    }
    Ok(served)
}

/// A line-oriented TCP connection with a read timeout.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn new(stream: TcpStream, timeout: Duration) -> std::io::Result<Conn> {
        // Small request/reply messages: don't let Nagle hold them back.
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        Ok(Conn {
            writer: stream.try_clone()?,
            reader: BufReader::new(stream),
        })
    }

    fn send_line(&mut self, line: &str) -> std::io::Result<()> {
        self.writer.write_all(format!("{line}\n").as_bytes())
    }

    fn read_line(&mut self) -> std::io::Result<String> {
        let mut line = String::new();
        // A line longer than this is garbage, not a message: don't buffer it all.
        let read = (&mut self.reader).take(64 * 1024).read_line(&mut line)?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(line.trim_end().to_string())
    }
}

/// The worker's answer to `nonce`: HMAC-SHA256 keyed with the secret, in hex.
pub fn digest(secret: &str, nonce: u64) -> String {
    hex(&tag(secret, &nonce.to_le_bytes()))
}

/// Does `answer` (hex) prove knowledge of `secret` for this `nonce`? The
/// comparison takes the same time however many bytes match, so timing the
/// refusals tells an attacker nothing about the right answer.
fn verify(secret: &str, nonce: u64, answer: &str) -> bool {
    let Some(bytes) = unhex(answer) else {
        return false;
    };
    keyed(secret)
        .chain_update(nonce.to_le_bytes())
        .verify_slice(&bytes)
        .is_ok()
}

fn keyed(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length")
}

fn tag(secret: &str, message: &[u8]) -> Vec<u8> {
    keyed(secret)
        .chain_update(message)
        .finalize()
        .into_bytes()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A nonce that differs per connection: std's `RandomState` is seeded from
/// the OS's random source, so hashing nothing with a fresh one is random.
fn fresh_nonce() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_is_standard_hmac_sha256() {
        // The published example: HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog").
        assert_eq!(
            hex(&tag("key", b"The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn the_digest_depends_on_secret_and_nonce() {
        assert_eq!(digest("k", 1), digest("k", 1));
        assert_ne!(digest("k", 1), digest("k", 2));
        assert_ne!(digest("k", 1), digest("j", 1));
        assert_ne!(fresh_nonce(), fresh_nonce());
    }

    #[test]
    fn only_the_right_answer_is_accepted() {
        assert!(verify("k", 7, &digest("k", 7)));
        assert!(
            !verify("k", 7, &digest("k", 8)),
            "a replayed answer to another nonce"
        );
        assert!(!verify("k", 7, &digest("j", 7)), "the wrong secret");
        for junk in ["", "zz", "abc", "é", &"0".repeat(64)] {
            assert!(!verify("k", 7, junk), "{junk:?}");
        }
    }

    #[test]
    fn an_empty_secret_is_refused() {
        assert!(Coordinator::bind("127.0.0.1:0".parse().unwrap(), "").is_err());
    }
}
