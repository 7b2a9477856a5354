// Goal: this echo server starts an OS thread per connection. Turn each
// connection's handler into a may coroutine, so a few worker threads serve
// them all (04_echo_server shows a may echo server).
// Done when `cargo xtask exercise check green/02_coroutine_server` passes.

use std::io::{BufRead, BufReader, Write};
use std::thread::{self, ThreadId};

use may::net::TcpListener;

/// Accept `connections` clients, echo each one's lines until it hangs up,
/// and return the OS thread each connection was served on, in accept order.
pub fn serve(listener: TcpListener, connections: usize) -> Vec<ThreadId> {
    let mut handlers = Vec::new();
    for stream in listener.incoming().take(connections) {
        let stream = stream.expect("accept");
        // TODO: spawn a coroutine here instead of an OS thread (`join` works
        // the same way on its handle).
        handlers.push(thread::spawn(move || {
            let mut writer = stream.try_clone().expect("clone the stream");
            for line in BufReader::new(stream).lines() {
                let line = line.expect("read a line");
                writer
                    .write_all(format!("{line}\n").as_bytes())
                    .expect("echo");
            }
            thread::current().id()
        }));
    }
    handlers.into_iter().map(|h| h.join().unwrap()).collect()
}
