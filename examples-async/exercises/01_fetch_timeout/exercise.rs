// Goal: ask every delay server at once, and give up on any that takes longer
// than `per_request`. Right now the requests go one after another and wait
// forever, so one slow server holds up the rest (02_ten_thousand_sleeps and
// 06_select_timeout_cancel help).
// Done when `cargo xtask exercise check async/01_fetch_timeout` passes.

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
    // TODO: start every request at once (`tokio::spawn` each, keep the
    // handles in order), instead of awaiting them one by one.
    let mut results = Vec::new();
    for (seq, &target) in targets.iter().enumerate() {
        // TODO: wrap the request in `tokio::time::timeout(per_request, ...)`
        // and turn its `Err(Elapsed)` into `Fetch::TimedOut`.
        let _ = per_request;
        results.push(match fetch_one(target, seq as u32).await {
            Ok(seq) => Fetch::Reply(seq),
            Err(e) => Fetch::Failed(e.to_string()),
        });
    }
    results
}
