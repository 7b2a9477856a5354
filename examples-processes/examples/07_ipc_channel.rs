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
//!     cargo xtask run processes 07_ipc_channel
//!
//! Observe: the bootstrap (spawn + connect) and the median request/reply
//! round trip, measured next to a plain function call and printed as a ratio.
//!
//! Break: `cargo xtask run processes 07_ipc_channel -- --break` keeps the
//! request sender alive instead of dropping it: the child waits for more work
//! forever. The parent's 1 s deadline notices, explains, kills and reaps it.
//!
//! Python: `multiprocessing.Pipe()` or `Queue` (pickle instead of postcard);
//! `multiprocessing.connection.Listener`/`Client` for the named bootstrap.
//!
//! Compare: examples-threads/examples/08_channels.rs

use std::hint::black_box;
use std::time::{Duration, Instant};

use examples_processes::os::{kill_and_reap, wait_timeout};
use ipc_channel::ipc::{self, IpcOneShotServer, IpcSender};
use serde::{Deserialize, Serialize};

/// Messages are plain derived types: postcard is not self-describing, so
/// serde's `untagged` or `flatten` would not decode on the other side.
#[derive(Debug, Serialize, Deserialize)]
/// A `String` or `Vec` field would cross the same way: as bytes, rebuilt on
/// the other side, so the receiver owns its copy and nothing is shared.
enum Request {
    Add(u64, u64),
}

#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    /// The child's first message: where to send requests.
    Hello {
        requests: IpcSender<Request>,
    },
    Sum(u64),
}

/// The in-process baseline: what answering `Add` costs without a process
/// boundary. Never inlined, so the call itself is measured.
#[inline(never)]
fn add(a: u64, b: u64) -> u64 {
    a + b
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
            // One reply per request, in order: the parent relies on that
            // to match them without ids.
            let Request::Add(a, b) = request;
            to_parent.send(Reply::Sum(a + b)).unwrap();
        }
        return;
    }

    // The bootstrap: the server's name is a socket path under TMPDIR. It
    // panics if TMPDIR does not exist (the crate's `os::check_tmpdir` checks
    // first); this lesson keeps the raw calls visible.
    let start = Instant::now();
    let (server, name) = IpcOneShotServer::<Reply>::new().expect("TMPDIR must exist");
    // The child gets the name as an argument: the one thing both processes
    // can know in advance is a path in the file system.
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

    // Each trip: serialise, a syscall to write, wake the child, it reads,
    // deserialises, answers, and the same back. Waking a sleeping process
    // dominates, and its cost varies a lot by OS and machine: measure it.
    // Time many small round trips and take the median: one alone is noise.
    let mut trips: Vec<Duration> = (0..2000u64)
        .map(|i| {
            let t = Instant::now();
            requests.send(Request::Add(i, 1)).unwrap();
            let reply = replies.recv().unwrap();
            // Checked, so a wrong or missing answer cannot pass as fast.
            assert!(matches!(reply, Reply::Sum(s) if s == i + 1), "{reply:?}");
            t.elapsed()
        })
        .collect();
    trips.sort();
    let trip = trips[trips.len() / 2];
    // The same work as a function call: black_box keeps the optimiser from
    // folding the loop away, so each call really happens.
    let t = Instant::now();
    let calls = 10_000_000u64;
    for i in 0..calls {
        black_box(add(black_box(i), 1));
    }
    let call = t.elapsed().as_secs_f64() / calls as f64;
    println!(
        "request/reply round trip: median {trip:.1?} over {} trips",
        trips.len()
    );
    println!(
        "function call add(i, 1): {:.2} ns; the round trip costs {:.0}x that",
        call * 1e9,
        trip.as_secs_f64() / call
    );

    // Closing our sender ends the child's `recv` loop; then reap it.
    // `then_some` moves `requests` in: it is dropped at once unless `--break`
    // keeps it, and then the child's `recv` never sees the channel close.
    let kept = std::env::args().any(|a| a == "--break").then_some(requests);
    // A deadline, not a plain `wait()`: a child that waits for us while we
    // wait for it would hang the lesson; a healthy child exits at once.
    match wait_timeout(&mut child, Duration::from_secs(1)) {
        Some(status) => {
            println!("child exited: {status}");
            assert!(status.success());
        }
        None => {
            println!("--break: the child still waits after 1 s: we hold a sender, so its recv()");
            println!("  can't tell 'no more work' from 'not yet'. Killing and reaping it.");
            kill_and_reap(&mut child);
            assert!(kept.is_some());
        }
    }
}
