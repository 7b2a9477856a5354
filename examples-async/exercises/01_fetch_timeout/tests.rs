// Tests for exercise async/01_fetch_timeout, shared by the starter and the
// solution. `cargo xtask exercise check` turns on the learner feature.

#[cfg(feature = "learner-01_fetch_timeout")]
#[path = "exercise.rs"]
mod sut;
#[cfg(not(any(feature = "learner-01_fetch_timeout", feature = "wrong-answers")))]
#[path = "solution.rs"]
mod sut;

use std::net::SocketAddr;
use std::time::Duration;

use sut::{fetch_all, Fetch, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use workloads::delay::{DelayServer, FRAME_LEN};

#[tokio::test]
async fn fast_servers_all_reply_in_order() {
    let servers: Vec<_> = (0..3).map(|_| DelayServer::start().unwrap()).collect();
    let targets: Vec<_> = (0..6)
        .map(|i| Target {
            addr: servers[i % 3].addr(),
            delay_ms: 5,
        })
        .collect();
    let got = fetch_all(&targets, Duration::from_secs(5)).await;
    assert_eq!(got, (0..6).map(Fetch::Reply).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_slow_server_times_out_and_the_others_still_reply() {
    let (fast, slow) = (DelayServer::start().unwrap(), DelayServer::start().unwrap());
    let targets = [
        Target {
            addr: fast.addr(),
            delay_ms: 5,
        },
        Target {
            addr: slow.addr(),
            delay_ms: 3_000,
        },
        Target {
            addr: fast.addr(),
            delay_ms: 5,
        },
    ];
    let got = fetch_all(&targets, Duration::from_millis(300)).await;
    assert_eq!(got, [Fetch::Reply(0), Fetch::TimedOut, Fetch::Reply(2)]);
}

/// A server that answers nobody until `n` clients have each sent a request:
/// only a client that asks everyone at once gets replies. It gives up (and
/// hangs up on everyone) after 3 s, so a one-by-one client fails, not hangs.
async fn rendezvous(n: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut waiting = Vec::new();
        let gathered = tokio::time::timeout(Duration::from_secs(3), async {
            while waiting.len() < n {
                let (mut s, _) = listener.accept().await?;
                let mut frame = [0; FRAME_LEN];
                s.read_exact(&mut frame).await?;
                waiting.push((s, frame));
            }
            std::io::Result::Ok(())
        })
        .await;
        if matches!(gathered, Ok(Ok(()))) {
            for (mut s, frame) in waiting {
                let _ = s.write_all(&frame).await;
            }
        }
    });
    addr
}

#[tokio::test]
async fn requests_run_at_the_same_time() {
    let addr = rendezvous(4).await;
    let targets = [Target { addr, delay_ms: 0 }; 4];
    let got = fetch_all(&targets, Duration::from_secs(10)).await;
    assert_eq!(
        got,
        (0..4).map(Fetch::Reply).collect::<Vec<_>>(),
        "were all 4 requests in flight at once?"
    );
}
