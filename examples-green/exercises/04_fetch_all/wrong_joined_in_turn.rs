// Wrong answer (kept to prove the tests catch it): a coroutine per request,
// but each is joined before the next is spawned: one request at a time.

use std::io::{self, Read, Write};
use std::net::SocketAddr;

use may::net::TcpStream;
use workloads::delay::{Request, FRAME_LEN};

fn fetch_one(addr: SocketAddr, delay_ms: u32, seq: u32) -> io::Result<u32> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(&Request { delay_ms, seq }.encode())?;
    let mut frame = [0; FRAME_LEN];
    stream.read_exact(&mut frame)?;
    Ok(Request::decode(frame).seq)
}

pub fn fetch_all(addr: SocketAddr, delays_ms: &[u32]) -> io::Result<Vec<u32>> {
    delays_ms
        .iter()
        .enumerate()
        .map(|(seq, &delay_ms)| {
            // SAFETY: as in the solution.
            let h = unsafe { may::coroutine::spawn(move || fetch_one(addr, delay_ms, seq as u32)) };
            h.join().map_err(|_| io::Error::other("panicked"))?
        })
        .collect()
}
