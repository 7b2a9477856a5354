// Wrong answer (kept to prove the tests catch it): each request is spawned
// and then awaited before the next is spawned, so one is in flight at a time.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::delay::{Request, FRAME_LEN};

/// A server to ask, and how long (ms) to ask it to wait before replying.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub addr: SocketAddr,
    pub delay_ms: u32,
}

#[derive(Debug, PartialEq)]
pub enum Fetch {
    /// The reply's sequence number (the target's index).
    Reply(u32),
    TimedOut,
    Failed(String),
}

/// One request/reply round trip; returns the `seq` the server echoed.
pub async fn fetch_one(target: Target, seq: u32) -> std::io::Result<u32> {
    let mut stream = TcpStream::connect(target.addr).await?;
    let request = Request {
        delay_ms: target.delay_ms,
        seq,
    };
    stream.write_all(&request.encode()).await?;
    let mut frame = [0; FRAME_LEN];
    stream.read_exact(&mut frame).await?;
    Ok(Request::decode(frame).seq)
}

/// Ask every target, with `seq` = its index; results in target order.
pub async fn fetch_all(targets: &[Target], per_request: Duration) -> Vec<Fetch> {
    let mut results = Vec::new();
    for (seq, &target) in targets.iter().enumerate() {
        let handle = tokio::spawn(tokio::time::timeout(
            per_request,
            fetch_one(target, seq as u32),
        ));
        results.push(match handle.await {
            Ok(Ok(Ok(seq))) => Fetch::Reply(seq),
            Ok(Ok(Err(e))) => Fetch::Failed(e.to_string()),
            Ok(Err(_elapsed)) => Fetch::TimedOut,
            Err(e) => Fetch::Failed(format!("task failed: {e}")),
        });
    }
    results
}
