// Goal: every request in flight at the same time, on a thread each.
// Reference solution: the changed lines are marked with ^^^.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;

use workloads::delay::{Request, FRAME_LEN};

/// One request on a connection of its own; returns the `seq` the server echoed.
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
        .map(|(seq, &delay_ms)| thread::spawn(move || fetch_one(addr, delay_ms, seq as u32)))
        .collect();
    // ^^^ every thread is started before the first join: all requests in flight
    handles
        .into_iter()
        .map(|h| h.join().expect("a fetching thread panicked"))
        .collect()
    // ^^^ joined in spawn order; collecting into io::Result stops at the first error
}
