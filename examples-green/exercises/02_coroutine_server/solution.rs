// Goal: serve every connection from a may coroutine instead of an OS thread.
// Reference solution: the changed lines are marked with ^^^.

use std::io::{BufRead, BufReader, Write};
use std::thread::{self, ThreadId};

use may::net::TcpListener;

/// Accept `connections` clients, echo each one's lines until it hangs up,
/// and return the OS thread each connection was served on, in accept order.
pub fn serve(listener: TcpListener, connections: usize) -> Vec<ThreadId> {
    let mut handlers = Vec::new();
    for stream in listener.incoming().take(connections) {
        let stream = stream.expect("accept");
        // SAFETY: the handler uses no thread-locals, blocks only in may's
        // socket calls, and keeps to small frames (the line buffer is heap).
        handlers.push(unsafe {
            may::coroutine::spawn(move || {
                // ^^^ a coroutine per connection: `may::net` reads park it
                let mut writer = stream.try_clone().expect("clone the stream");
                for line in BufReader::new(stream).lines() {
                    let line = line.expect("read a line");
                    writer
                        .write_all(format!("{line}\n").as_bytes())
                        .expect("echo");
                }
                thread::current().id()
            })
        });
    }
    handlers.into_iter().map(|h| h.join().unwrap()).collect()
}
