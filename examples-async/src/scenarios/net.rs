//! `net`: `n` client tasks, each making `rounds` request/reply round trips to
//! the loopback delay server.
//!
//! This is asyncio's home ground: every client spends nearly all its time
//! waiting for a reply, and a waiting task costs a parked future and one
//! registration with epoll, not a thread. One OS thread (`current-thread`)
//! drives all `n` sockets; `multi-thread` spreads them over W.
//!
//! Each client holds one socket (a file descriptor) and, since all go to one
//! server address, one ephemeral port: both limits are checked before the
//! run, and an error from either during the run is reported by name.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::contract::Failure;
use workloads::delay::{Request, FRAME_LEN};
use workloads::sys::{check_units, UnitCost};

use super::{block_on_timed, joined};
use crate::{check_ephemeral_ports, io_failure, runtime, Outcome};

pub fn run(
    variant: &str,
    n: u64,
    workers: usize,
    rounds: u64,
    delay: Duration,
    server: SocketAddr,
) -> Result<Outcome, Failure> {
    let one_socket = UnitCost {
        fds: 1,
        ..UnitCost::default()
    };
    check_units(n, one_socket).map_err(Failure::Limit)?;
    check_ephemeral_ports(n).map_err(Failure::Limit)?;
    let (rt, threads, startup) = runtime(variant, workers)?;
    let delay_ms = delay.as_millis() as u32;
    let (result, elapsed) = block_on_timed(&rt, async move {
        let clients: Vec<_> = (0..n)
            .map(|_| tokio::spawn(client(server, rounds, delay_ms)))
            .collect();
        // Every task is spawned and none is awaited: count the OS threads now
        // (inside the timed region: one read of /proc/self/status, ~25 µs).
        let os_threads = workloads::sys::os_threads();
        let mut replies = 0;
        for c in clients {
            replies += joined(c.await)?.map_err(|e| io_failure("client", e))?;
        }
        Ok::<_, Failure>((replies, os_threads))
    });
    let (replies, os_threads) = result?;
    Ok(Outcome {
        check: replies,
        ops: n * rounds,
        workers: threads,
        startup,
        elapsed,
        memory: None,
        os_threads,
    })
}

/// One client: connect, then `rounds` round trips, each awaiting its reply.
/// Returns the number of replies that matched their request.
async fn client(server: SocketAddr, rounds: u64, delay_ms: u32) -> std::io::Result<u64> {
    // A hang detector, not a speed limit: a lost reply fails the run.
    let patience = Duration::from_millis(u64::from(delay_ms) * 10 + 10_000);
    let mut stream = TcpStream::connect(server).await?;
    stream.set_nodelay(true)?;
    let mut ok = 0;
    for seq in 0..rounds as u32 {
        let request = Request { delay_ms, seq };
        stream.write_all(&request.encode()).await?;
        let mut frame = [0; FRAME_LEN];
        tokio::time::timeout(patience, stream.read_exact(&mut frame))
            .await
            .map_err(|_| std::io::Error::other("no reply from the delay server"))??;
        if Request::decode(frame) == request {
            ok += 1;
        }
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use workloads::delay::DelayServer;

    #[test]
    fn every_round_trip_is_answered() {
        let server = DelayServer::start().unwrap();
        for v in crate::FLAVOURS {
            let out = run(v, 50, 2, 5, Duration::from_millis(2), server.addr()).unwrap();
            assert_eq!((out.check, out.ops), (250, 250), "{v}");
        }
    }

    #[test]
    fn a_missing_server_is_a_clear_failure() {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        // The listener is dropped: nothing listens on addr any more.
        match run("current-thread", 2, 1, 1, Duration::ZERO, addr) {
            Err(Failure::Other(msg)) => assert!(msg.contains("client"), "{msg}"),
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn more_clients_than_ports_is_a_named_limit() {
        let addr = "127.0.0.1:9".parse().unwrap();
        match run("current-thread", 5_000_000, 1, 1, Duration::ZERO, addr) {
            Err(Failure::Limit(hit)) => assert!(
                ["RLIMIT_NOFILE", "net.ipv4.ip_local_port_range"].contains(&hit.limit.as_str()),
                "{hit:?}"
            ),
            other => panic!("expected a limit, got {other:?}"),
        }
    }
}
