// Goal: threads/04_fetch_all with tokio: every request in flight at once, a
// task each. Reference solution: the changed lines are marked with ^^^.

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
        let handles: Vec<_> = delays
            .into_iter()
            .enumerate()
            .map(|(seq, delay_ms)| tokio::spawn(fetch_one(addr, delay_ms, seq as u32)))
            .collect();
        // ^^^ spawned: each task runs as soon as this one awaits
        let mut replies = Vec::new();
        for handle in handles {
            replies.push(handle.await.map_err(io::Error::other)??);
            // ^^^ awaited in spawn order; a panicked task becomes an io::Error
        }
        Ok(replies)
    })
}
