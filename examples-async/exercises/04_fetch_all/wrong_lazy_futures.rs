// Wrong answer (kept to prove the tests catch it): it builds every future
// first, then awaits them one by one. A future is lazy: nothing starts until
// it is awaited, so the requests still run one after another.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use workloads::delay::{Request, FRAME_LEN};

async fn fetch_one(addr: SocketAddr, delay_ms: u32, seq: u32) -> io::Result<u32> {
    let mut stream = TcpStream::connect(addr).await?;
    stream
        .write_all(&Request { delay_ms, seq }.encode())
        .await?;
    let mut frame = [0; FRAME_LEN];
    stream.read_exact(&mut frame).await?;
    Ok(Request::decode(frame).seq)
}

pub fn fetch_all(addr: SocketAddr, delays_ms: &[u32]) -> io::Result<Vec<u32>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let delays = delays_ms.to_vec();
    runtime.block_on(async move {
        let futures: Vec<_> = delays
            .into_iter()
            .enumerate()
            .map(|(seq, delay_ms)| fetch_one(addr, delay_ms, seq as u32))
            .collect();
        let mut replies = Vec::new();
        for f in futures {
            replies.push(f.await?);
        }
        Ok(replies)
    })
}
