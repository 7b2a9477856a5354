//! The loopback delay server as its own process, for `cargo xtask compare`.
//!
//! Prints `listening on 127.0.0.1:PORT` once bound, then serves until stdin
//! reaches end-of-file (its parent closed the pipe or died) or it is killed,
//! so it never outlives the program that started it.

use std::io::Read;
use std::net::TcpListener;

use clap::Parser;
use workloads::delay::DelayServer;

#[derive(Parser)]
#[command(about = "Answer each 8-byte request on 127.0.0.1 after the delay it asks for.")]
struct Cli {
    /// Port to bind on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
}

fn main() {
    let cli: Cli = workloads::contract::parse_or_exit();
    workloads::sys::raise_nofile_limit();
    let server = match TcpListener::bind(("127.0.0.1", cli.port)).and_then(DelayServer::start_on) {
        Ok(s) => s,
        Err(e) => workloads::contract::usage_error(&format!(
            "cannot listen on 127.0.0.1:{}: {e}",
            cli.port
        )),
    };
    println!("listening on {}", server.addr());
    // Serve until stdin closes: the parent holds the other end of the pipe.
    let mut sink = [0u8; 64];
    let mut stdin = std::io::stdin().lock();
    while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
    drop(server);
}
