// Goal: ask the loopback delay server once per entry of `delays_ms`, all
// requests in flight at the same time, each on a thread of its own, and return
// the replies in request order (threads/14_io_threads asks it from many
// threads). async/04_fetch_all and green/04_fetch_all are the same job in the
// other models, checked by the same tests.
// Done when `cargo xtask exercise check threads/04_fetch_all` passes.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
#[allow(unused_imports)] // yours to use
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
    // TODO: run every `fetch_one` on a thread of its own, all started before
    // you wait for any; then collect their results in order.
    delays_ms
        .iter()
        .enumerate()
        .map(|(seq, &delay_ms)| fetch_one(addr, delay_ms, seq as u32))
        .collect()
}
