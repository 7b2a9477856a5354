//! `net`: `n` clients, each making `rounds` request/reply round trips to the
//! loopback delay server, one coroutine per client.
//!
//! The client is written exactly as the threads model's blocking client, but
//! with `may::net::TcpStream`: a `read` that would block registers the socket
//! with may's epoll loop and parks the coroutine, so a few workers serve every
//! client. A `std::net::TcpStream` here would block the worker instead.

use std::net::SocketAddr;
use std::time::Duration;

use may::net::TcpStream;
use workloads::contract::Failure;
use workloads::delay::{reply_timeout, round_trips};

use super::{go, join};
use crate::{timed, Outcome};

pub fn run(n: u64, rounds: u64, delay: Duration, server: SocketAddr) -> Result<Outcome, Failure> {
    let delay_ms = delay.as_millis() as u32;
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let handles = (0..n)
            .map(|_| go(move || client(server, rounds, delay_ms)))
            .collect::<Result<Vec<_>, _>>()?;
        // Every coroutine is spawned and none is joined: count the OS threads
        // from this main thread now (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut replies = 0;
        for h in handles {
            replies += join(h)?.map_err(|e| Failure::Other(format!("client: {e}")))?;
        }
        Ok((replies, os_threads))
    });
    let (replies, os_threads) = result?;
    Ok(Outcome {
        check: replies,
        ops: n * rounds,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

/// One client: connect, then `rounds` round trips, as blocking code. Returns
/// the number of replies that matched their request. The loop is the very
/// one the threads and processes models run: in a coroutine, may turns each
/// blocking read into a switch to another coroutine.
fn client(server: SocketAddr, rounds: u64, delay_ms: u32) -> std::io::Result<u64> {
    let mut stream = TcpStream::connect(server)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(reply_timeout(delay_ms)))?;
    round_trips(&mut stream, rounds, delay_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::delay::DelayServer;

    #[test]
    fn every_round_trip_is_answered() {
        super::super::test_runtime();
        let server = DelayServer::start().unwrap();
        let out = run(50, 5, Duration::from_millis(2), server.addr()).unwrap();
        assert_eq!((out.check, out.ops), (250, 250));
    }

    #[test]
    fn a_missing_server_is_a_clear_failure() {
        super::super::test_runtime();
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        match run(2, 1, Duration::ZERO, addr) {
            Err(Failure::Other(msg)) => assert!(msg.contains("client"), "{msg}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
