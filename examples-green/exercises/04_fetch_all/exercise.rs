// Goal: threads/04_fetch_all again, with may: ask the loopback delay server
// once per entry of `delays_ms`, all requests in flight at the same time, each
// in a coroutine of its own, and return the replies in request order. The
// code stays blocking; only what runs it changes (green/04_echo_server uses
// `may::net`; green/01_green_threads spawns and joins coroutines).
// Done when `cargo xtask exercise check green/04_fetch_all` passes.

use std::io::{self, Read, Write};
use std::net::SocketAddr;

use may::net::TcpStream;
use workloads::delay::{Request, FRAME_LEN};

/// One request on a connection of its own; returns the `seq` the server echoed.
/// `may::net` parks the coroutine while it waits (outside a coroutine, it
/// blocks the thread).
fn fetch_one(addr: SocketAddr, delay_ms: u32, seq: u32) -> io::Result<u32> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(&Request { delay_ms, seq }.encode())?;
    let mut frame = [0; FRAME_LEN];
    stream.read_exact(&mut frame)?;
    Ok(Request::decode(frame).seq)
}

/// Ask for each delay with `seq` = its index; replies in request order.
pub fn fetch_all(addr: SocketAddr, delays_ms: &[u32]) -> io::Result<Vec<u32>> {
    // TODO: run every `fetch_one` in a coroutine of its own, all spawned
    // before you join any; then collect their results in order.
    delays_ms
        .iter()
        .enumerate()
        .map(|(seq, &delay_ms)| fetch_one(addr, delay_ms, seq as u32))
        .collect()
}
