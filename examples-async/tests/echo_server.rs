//! The echo server of `03_echo_server` survives the clients of
//! `04_bad_clients`: garbage, and hanging up mid-message. The lesson file itself is compiled in as a module, so the
//! code tested is the code the learner reads.

#[allow(dead_code)]
#[path = "../examples/03_echo_server.rs"]
mod echo;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// After an "ERR" answer the server closes: the next read sees end-of-file.
async fn closed_after(stream: &mut TcpStream) -> bool {
    let mut rest = Vec::new();
    matches!(stream.read_to_end(&mut rest).await, Ok(0) | Err(_))
}

#[tokio::test]
async fn garbage_gets_an_error_and_only_its_own_connection_closes() {
    let (addr, open) = echo::start().await.unwrap();
    let mut alice = TcpStream::connect(addr).await.unwrap();
    assert_eq!(echo::ask(&mut alice, b"one\n").await.unwrap(), "one\n");

    let mut long = TcpStream::connect(addr).await.unwrap();
    let answer = echo::ask(&mut long, &vec![b'x'; 64 * 1024]).await;
    // The server may reset the connection while our 64 KiB are unread; what
    // matters is that it answered or hung up, and did not buffer it all.
    if let Ok(answer) = answer {
        assert_eq!(answer, "ERR line too long\n");
    }
    let mut binary = TcpStream::connect(addr).await.unwrap();
    assert_eq!(
        echo::ask(&mut binary, b"\xc3\x28\n").await.unwrap(),
        "ERR not UTF-8\n"
    );
    assert!(closed_after(&mut binary).await);

    assert_eq!(echo::ask(&mut alice, b"two\n").await.unwrap(), "two\n");
    drop((alice, long, binary));
    assert_eq!(
        echo::settle(&open, 0).await,
        0,
        "a server task outlived its client"
    );
}

#[tokio::test]
async fn a_line_of_exactly_the_limit_is_echoed() {
    let (addr, _open) = echo::start().await.unwrap();
    let mut line = vec![b'a'; echo::MAX_LINE - 1];
    line.push(b'\n');
    let mut s = TcpStream::connect(addr).await.unwrap();
    assert_eq!(
        echo::ask(&mut s, &line).await.unwrap().len(),
        echo::MAX_LINE
    );
}

#[tokio::test]
async fn clients_that_hang_up_mid_message_end_only_their_task() {
    let (addr, open) = echo::start().await.unwrap();
    for i in 0..50 {
        let mut quitter = TcpStream::connect(addr).await.unwrap();
        quitter
            .write_all(format!("half of line {i}").as_bytes())
            .await
            .unwrap();
        // Some hang up after half a line, some without sending anything.
        if i % 2 == 0 {
            quitter.shutdown().await.unwrap();
        }
    }
    let mut polite = TcpStream::connect(addr).await.unwrap();
    assert_eq!(echo::ask(&mut polite, b"hello\n").await.unwrap(), "hello\n");
    drop(polite);
    assert_eq!(echo::settle(&open, 0).await, 0);
}
