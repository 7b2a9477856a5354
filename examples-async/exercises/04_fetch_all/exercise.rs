// Goal: threads/04_fetch_all again, with tokio: ask the loopback delay server
// once per entry of `delays_ms`, all requests in flight at the same time, each
// in a task of its own, and return the replies in request order. The caller
// is plain blocking code, so the function builds its own runtime inside
// (async/02_ten_thousand_sleeps spawns many tasks on one thread).
// Done when `cargo xtask exercise check async/04_fetch_all` passes.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::delay::{Request, FRAME_LEN};

/// One request on a connection of its own; returns the `seq` the server echoed.
async fn fetch_one(addr: SocketAddr, delay_ms: u32, seq: u32) -> io::Result<u32> {
    let mut stream = TcpStream::connect(addr).await?;
    stream
        .write_all(&Request { delay_ms, seq }.encode())
        .await?;
    let mut frame = [0; FRAME_LEN];
    stream.read_exact(&mut frame).await?;
    Ok(Request::decode(frame).seq)
}

/// Ask for each delay with `seq` = its index; replies in request order.
pub fn fetch_all(addr: SocketAddr, delays_ms: &[u32]) -> io::Result<Vec<u32>> {
    // One OS thread runs every task: the asyncio shape.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let delays = delays_ms.to_vec();
    runtime.block_on(async move {
        // TODO: start every `fetch_one` as a task of its own before awaiting
        // any; then await their handles in order.
        let mut replies = Vec::new();
        for (seq, delay_ms) in delays.into_iter().enumerate() {
            replies.push(fetch_one(addr, delay_ms, seq as u32).await?);
        }
        Ok(replies)
    })
}
