//! ipc-channel gives typed channels between processes: bootstrap one connection, then send serde values, even channel ends.
//!
//! Two processes have no channel in common at the start. The parent makes an
//! `IpcOneShotServer` (a Unix socket in TMPDIR) and passes its *name* to the
//! child; the child connects and sends, as its first message, the sending end
//! of a channel it made. From then on both hold typed ends: every value is
//! serialised (postcard), copied through the kernel and deserialised.
//!
//! Run:
//!
//!     cargo xtask run processes 04
//!
//! Observe: the bootstrap (spawn + connect) takes a millisecond or two;
//! a request/reply round trip is tens of microseconds, some 100x a function
//! call. Remove the `drop(requests)` and the child waits for more work forever.
//!
//! Python: `multiprocessing.Pipe()` or `Queue` (pickle instead of postcard);
//! `multiprocessing.connection.Listener`/`Client` for the named bootstrap.

use std::time::{Duration, Instant};

use ipc_channel::ipc::{self, IpcOneShotServer, IpcSender};
use serde::{Deserialize, Serialize};

/// Messages are plain derived types: postcard is not self-describing, so
/// serde's `untagged` or `flatten` would not decode on the other side.
#[derive(Debug, Serialize, Deserialize)]
enum Request {
    Add(u64, u64),
    Greet(String),
}

#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    /// The child's first message: where to send requests.
    Hello {
        requests: IpcSender<Request>,
    },
    Sum(u64),
    Text(String),
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("child") {
        // The child: connect to the name the parent gave us, hand over a
        // request channel, answer until the parent drops its sender.
        let to_parent: IpcSender<Reply> = IpcSender::connect(args[2].clone()).unwrap();
        let (requests, incoming) = ipc::channel().unwrap();
        to_parent.send(Reply::Hello { requests }).unwrap();
        while let Ok(request) = incoming.recv() {
            let reply = match request {
                Request::Add(a, b) => Reply::Sum(a + b),
                Request::Greet(name) => {
                    Reply::Text(format!("hello, {name}, from pid {}", std::process::id()))
                }
            };
            to_parent.send(reply).unwrap();
        }
        return;
    }

    // The bootstrap: the server's name is a socket path under TMPDIR. It
    // panics if TMPDIR does not exist (the crate's `os::check_tmpdir` checks
    // first); this lesson keeps the raw calls visible.
    let start = Instant::now();
    let (server, name) = IpcOneShotServer::<Reply>::new().expect("TMPDIR must exist");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["child", &name])
        .spawn()
        .unwrap();
    // `accept` returns the receiver for everything the child sends, and its first message.
    let (replies, first) = server.accept().unwrap();
    let Reply::Hello { requests } = first else {
        panic!("expected Hello, got {first:?}")
    };
    println!("bootstrap via {name}: {:.2?}", start.elapsed());

    // A `String` crosses as bytes and is rebuilt on the other side: the
    // child owns its copy, nothing is shared.
    requests.send(Request::Greet("parent".into())).unwrap();
    println!("child says: {:?}", replies.recv().unwrap());

    // Each trip: serialise, a syscall to write, wake the child, it reads,
    // deserialises, answers, and the same back. The waking dominates.
    // Time many small round trips and take the median: one alone is noise.
    let mut trips: Vec<Duration> = (0..2000u64)
        .map(|i| {
            let t = Instant::now();
            requests.send(Request::Add(i, 1)).unwrap();
            match replies.recv().unwrap() {
                Reply::Sum(s) => assert_eq!(s, i + 1),
                other => panic!("unexpected {other:?}"),
            }
            t.elapsed()
        })
        .collect();
    trips.sort();
    println!(
        "request/reply round trip: median {:.1?} over {} trips",
        trips[trips.len() / 2],
        trips.len()
    );

    // Closing our sender ends the child's `recv` loop; then reap it.
    drop(requests);
    let status = child.wait().unwrap();
    println!("child exited: {status}");
    assert!(status.success());
}
