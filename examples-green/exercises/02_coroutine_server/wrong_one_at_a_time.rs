// Wrong answer (kept to prove the tests catch it): a coroutine per
// connection, but each is joined before the next is accepted: one client at a time.

use std::io::{BufRead, BufReader, Write};
use std::thread::{self, ThreadId};

use may::net::TcpListener;

/// Accept `connections` clients, echo each one's lines until it hangs up,
/// and return the OS thread each connection was served on, in accept order.
pub fn serve(listener: TcpListener, connections: usize) -> Vec<ThreadId> {
    let mut served = Vec::new();
    for stream in listener.incoming().take(connections) {
        let stream = stream.expect("accept");
        // SAFETY: the handler uses no thread-locals, blocks only in may's
        // socket calls, and keeps to small frames (the line buffer is heap).
        let handler = unsafe {
            may::coroutine::spawn(move || {
                let mut writer = stream.try_clone().expect("clone the stream");
                for line in BufReader::new(stream).lines() {
                    let line = line.expect("read a line");
                    writer
                        .write_all(format!("{line}\n").as_bytes())
                        .expect("echo");
                }
                thread::current().id()
            })
        };
        served.push(handler.join().unwrap());
    }
    served
}
