//! The `delay-server` binary as compare runs it: it says where it listens,
//! answers, and exits once its parent closes its stdin.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use workloads::delay::{Request, FRAME_LEN};

#[test]
fn serves_then_exits_when_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delay-server"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .expect("announces its address");
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds loopback only: {addr}"
    );

    let mut s = TcpStream::connect(addr).unwrap();
    let req = Request {
        delay_ms: 1,
        seq: 7,
    };
    s.write_all(&req.encode()).unwrap();
    let mut frame = [0; FRAME_LEN];
    s.read_exact(&mut frame).unwrap();
    assert_eq!(Request::decode(frame), req);

    drop(child.stdin.take());
    // A hang detector with a wide margin: exiting takes milliseconds.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the delay server outlived its stdin");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_delay-server"))
        .args(["--port", &port])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: cannot listen on 127.0.0.1:") && err.lines().count() == 1,
        "{err}"
    );
}
