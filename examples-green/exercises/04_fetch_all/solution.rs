// Goal: threads/04_fetch_all with may: every request in flight at once, a
// coroutine each. Reference solution: the changed lines are marked with ^^^.

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
    let handles: Vec<_> = delays_ms
        .iter()
        .enumerate()
        .map(|(seq, &delay_ms)| {
            // SAFETY: no thread-locals, blocking only in may's sockets, a small stack.
            unsafe { may::coroutine::spawn(move || fetch_one(addr, delay_ms, seq as u32)) }
        })
        .collect();
    // ^^^ every coroutine is spawned before the first join: all in flight
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .map_err(|_| io::Error::other("a fetching coroutine panicked"))?
        })
        .collect()
    // ^^^ joined in spawn order; the first error ends the collect
}
