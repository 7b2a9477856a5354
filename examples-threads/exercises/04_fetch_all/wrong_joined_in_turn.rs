// Wrong answer (kept to prove the tests catch it): a thread per request, but
// each is joined before the next starts, so one request is in flight at a time.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;

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
            thread::spawn(move || fetch_one(addr, delay_ms, seq as u32))
                .join()
                .unwrap()
        })
        .collect()
}
