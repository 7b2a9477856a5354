//! The roles a child process of this crate can play. Every binary that
//! starts children (the contract binary, each lesson) calls [`dispatch`]
//! first thing in `main`: when it was started as a child it plays the role
//! and exits, otherwise it carries on as the parent.
//!
//! | arguments | role |
//! |---|---|
//! | `worker <server-name>` | a pool worker over ipc-channel ([`crate::worker`]) |
//! | `task nothing` | exit at once (the `spawn` scenario) |
//! | `task count <n> <chunk>` | print the primes in one chunk (`cpu` per-task) |
//! | `task park` | print `r`, then wait for stdin to close (`idle`) |
//! | `task sleep <ms>` | sleep, exit (`sleep`) |
//! | `task net <addr> <rounds> <delay-ms>` | one delay-server client; print the replies (`net`) |
//! | `remote-worker <addr>` | a pool worker over TCP; the secret comes from `CM_POOL_SECRET` ([`crate::remote`]) |
//! | `task echo` | answer each 8-byte number on stdin with number + 1 (`pingpong` pipe) |

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use workloads::delay::{reply_timeout, round_trips};
use workloads::trace;

/// If this process was started in a child role, play it and return the exit
/// code; `None` means "you are the parent".
pub fn dispatch() -> Option<i32> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let role = args.first().map(String::as_str);
    if !matches!(role, Some("worker" | "remote-worker" | "task")) {
        return None;
    }
    // A child of a traced parent records its units and leaves them in a file.
    let traced = crate::timeline::child_start();
    let code = play(&args);
    if let Some(dir) = traced {
        crate::timeline::child_finish(&dir);
    }
    code
}

fn play(args: &[String]) -> Option<i32> {
    match args.first().map(String::as_str) {
        Some("worker") => Some(match args.get(1) {
            Some(name) => crate::worker::worker_main(name.clone()),
            None => usage("worker needs the bootstrap server's name"),
        }),
        Some("remote-worker") => Some(remote_worker(args.get(1))),
        Some("task") => Some(match task(&args[1..]) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("task {}: {e}", args[1..].join(" "));
                1
            }
        }),
        _ => None,
    }
}

/// A command that starts `exe` in a `task` role (dies with its parent).
pub fn task_command(exe: &Path, args: &[&str]) -> Command {
    let mut cmd = crate::os::child_command(exe);
    cmd.arg("task").args(args);
    cmd
}

fn remote_worker(addr: Option<&String>) -> i32 {
    let Some(addr) = addr.and_then(|a| a.parse().ok()) else {
        return usage("remote-worker needs the coordinator's ADDR:PORT");
    };
    let secret = std::env::var(crate::remote::SECRET_VAR).unwrap_or_default();
    match crate::remote::serve(addr, &secret) {
        Ok(_) => 0,
        Err(e) => {
            eprintln!("remote worker {}: {e}", std::process::id());
            1
        }
    }
}

fn usage(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    2
}

fn task(args: &[String]) -> Result<(), String> {
    let arg = |i: usize| -> Result<&str, String> {
        args.get(i)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {i}"))
    };
    let num = |i: usize| -> Result<u64, String> {
        arg(i)?.parse().map_err(|e| format!("argument {i}: {e}"))
    };
    match arg(0)? {
        "nothing" => Ok(()),
        "count" => {
            let (n, chunk) = (num(1)?, num(2)?);
            let mut log = trace::log(1);
            let t0 = log.clock();
            let count = workloads::cpu::count_primes_in(workloads::cpu::chunk(n, chunk as usize));
            log.run(chunk, t0);
            println!("{count}");
            Ok(())
        }
        "park" => {
            // Say "parked", then block until the parent closes our stdin.
            let mut out = std::io::stdout().lock();
            out.write_all(b"r")
                .and_then(|_| out.flush())
                .map_err(|e| e.to_string())?;
            let mut sink = Vec::new();
            std::io::stdin()
                .read_to_end(&mut sink)
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        "sleep" => {
            // A process per unit: on a timeline the unit is this process.
            let mut log = trace::log(1);
            let t0 = log.clock();
            std::thread::sleep(Duration::from_millis(num(1)?));
            log.wait(std::process::id() as u64, t0);
            Ok(())
        }
        "net" => {
            let addr: SocketAddr = arg(1)?.parse().map_err(|e| format!("address: {e}"))?;
            let replies = net_client(addr, num(2)?, num(3)? as u32).map_err(|e| e.to_string())?;
            println!("{replies}");
            Ok(())
        }
        "echo" => {
            let (mut input, mut out) = (std::io::stdin().lock(), std::io::stdout().lock());
            let mut frame = [0u8; 8];
            while input.read_exact(&mut frame).is_ok() {
                let ball = u64::from_le_bytes(frame) + 1;
                out.write_all(&ball.to_le_bytes())
                    .and_then(|_| out.flush())
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        }
        other => Err(format!("unknown task '{other}'")),
    }
}

/// One client of the delay server: `rounds` blocking round trips.
fn net_client(server: SocketAddr, rounds: u64, delay_ms: u32) -> std::io::Result<u64> {
    let mut stream = TcpStream::connect(server)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(reply_timeout(delay_ms)))?;
    round_trips(&mut stream, rounds, delay_ms)
}
