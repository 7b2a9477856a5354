//! `net`: `n` clients, each making `rounds` request/reply round trips to the
//! loopback delay server, one OS thread per client with blocking sockets; or,
//! as `serial`, one client after another on the main thread.
//!
//! The threads spend nearly all their time blocked in `read`, which is what
//! OS threads do well: the kernel parks each one and wakes it when its reply
//! arrives. The cost is a thread (stack, kernel task) per connection.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use workloads::contract::Failure;
use workloads::delay::{reply_timeout, round_trips};

use super::{check_threads, join, spawn_named};
use crate::{timed, Outcome};

pub fn run(
    variant: &str,
    n: u64,
    _workers: usize,
    rounds: u64,
    delay: Duration,
    server: SocketAddr,
) -> Result<Outcome, Failure> {
    let delay_ms = delay.as_millis() as u32;
    match variant {
        "serial" => {
            let (result, elapsed) = timed(|| -> std::io::Result<(u64, Option<u64>)> {
                // The main thread is the only one; read before the first client.
                let os_threads = workloads::sys::os_threads();
                let mut replies = 0;
                for _ in 0..n {
                    replies += client(server, rounds, delay_ms)?;
                }
                Ok((replies, os_threads))
            });
            let (replies, os_threads) =
                result.map_err(|e| Failure::Other(format!("client: {e}")))?;
            return Ok(Outcome {
                check: replies,
                ops: n * rounds,
                workers: 1,
                elapsed,
                os_threads,
                ..Outcome::default()
            });
        }
        "spawn" => {}
        other => return Err(Failure::Usage(format!("net has no variant {other}"))),
    }
    check_threads(n, 1)?;
    let (result, elapsed) = timed(|| -> Result<(u64, Option<u64>), Failure> {
        let handles = (0..n)
            .map(|i| {
                spawn_named(format!("client-{i}"), move || {
                    client(server, rounds, delay_ms)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Every unit has started and none is joined: count the OS threads now
        // (inside the timed region: one read of /proc/self/status,
        // ~25 µs at any thread count).
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
        workers: n as usize,
        elapsed,
        os_threads,
        ..Outcome::default()
    })
}

/// One client: connect, then `rounds` blocking round trips. Returns the
/// number of replies that matched their request.
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
        let server = DelayServer::start().unwrap();
        let out = run("spawn", 20, 2, 5, Duration::from_millis(2), server.addr()).unwrap();
        assert_eq!((out.check, out.ops), (100, 100));
    }

    #[test]
    fn a_missing_server_is_a_clear_failure() {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        // The listener is dropped: nothing listens on addr any more.
        match run("spawn", 2, 1, 1, Duration::ZERO, addr) {
            Err(Failure::Other(msg)) => assert!(msg.contains("client"), "{msg}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}
