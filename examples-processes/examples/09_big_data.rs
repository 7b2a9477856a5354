//! Sending a big buffer to another process copies it; shared memory hands over the pages instead.
//!
//! A `Vec<u8>` in a message is serialised into the socket and copied by the
//! kernel into the receiver: 1 MiB costs several copies of 1 MiB. An
//! `IpcSharedMemory` is a memory region whose file descriptor travels with
//! the message; the receiver maps the same pages, so only the fd is sent.
//! Creating the region still copies the data in once, and ipc-channel hands
//! it out read-only (it derefs to `&[u8]`): mutable sharing between processes
//! is `10_shared_atomics`.
//!
//! Run:
//!
//!     cargo xtask run processes 09_big_data
//!
//! Observe: the median hand-off time of each way at 1 KiB, 1 MiB and 16 MiB,
//! and how many times faster sharing is: at 1 KiB the Vec typically wins,
//! at 1 MiB and above shared memory does.
//!
//! Python: pickling a big `bytes` through a `Queue` vs
//! `multiprocessing.shared_memory.SharedMemory`.

use std::time::{Duration, Instant};

use ipc_channel::ipc::{self, IpcOneShotServer, IpcSender, IpcSharedMemory};
use serde::{Deserialize, Serialize};

/// One message type for both ways, so the only difference timed is
/// bytes-in-the-message vs a descriptor-in-the-message.
#[derive(Serialize, Deserialize)]
enum Load {
    Copied(Vec<u8>),
    Shared(IpcSharedMemory),
}

/// What the child sends back: first where to send loads, then one sum each.
#[derive(Serialize, Deserialize)]
enum Back {
    Hello(IpcSender<Load>),
    /// The child's checksum, so neither side can skip reading the data.
    Sum(u64),
}

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| b as u64).sum()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // The child: receive loads until the channel closes, answer each with
    // its checksum, so the parent knows every byte was read.
    if args.get(1).map(String::as_str) == Some("child") {
        let back: IpcSender<Back> = IpcSender::connect(args[2].clone()).unwrap();
        let (tx, loads) = ipc::channel().unwrap();
        back.send(Back::Hello(tx)).unwrap();
        while let Ok(load) = loads.recv() {
            // `IpcSharedMemory` derefs to `&[u8]`: the same pages the parent filled.
            let sum = match &load {
                Load::Copied(v) => checksum(v),
                Load::Shared(m) => checksum(m),
            };
            back.send(Back::Sum(sum)).unwrap();
        }
        return;
    }

    // The same bootstrap as `07_ipc_channel`: a named server, the child connects
    // and sends where its loads should go.
    let (server, name) = IpcOneShotServer::<Back>::new().unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["child", &name])
        .spawn()
        .unwrap();
    // Every load goes down `loads` and every sum comes back on `sums`: one
    // child, one request at a time, so each timing is one hand-off alone.
    let (sums, first) = server.accept().unwrap();
    let Back::Hello(loads) = first else {
        panic!("expected Hello")
    };

    // One hand-off, timed from the send to the child's answer.
    let trip = |load: Load, want: u64| -> Duration {
        let t = Instant::now();
        // For `Copied` this send serialises the whole buffer into the
        // socket; for `Shared` it sends a few bytes and one descriptor.
        loads.send(load).unwrap();
        let Ok(Back::Sum(sum)) = sums.recv() else {
            panic!("expected a sum")
        };
        assert_eq!(sum, want);
        t.elapsed()
    };
    // Three sizes: at 1 KiB the fixed cost of a shared region (create a
    // memfd, map it, send an fd) outweighs copying; somewhere between 1 KiB
    // and 1 MiB the copies start to dominate and sharing wins.
    for size in [1 << 10, 1 << 20, 16 << 20] {
        let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        // The pattern (i % 251) is not all zeros, so no page can be skipped
        // as untouched; the checksum is what the child must reproduce.
        let want = checksum(&data);
        let (mut copied, mut shared) = (Vec::new(), Vec::new());
        // Alternate the two ways, so that a burst of load on the machine
        // hits both rather than one.
        for _ in 0..5 {
            // The clone is made before the clock starts: it is our copy to
            // give away, not part of the hand-off.
            copied.push(trip(Load::Copied(data.clone()), want));
            // Creating the region copies the data into it once; counted here.
            let t = Instant::now();
            let region = IpcSharedMemory::from_bytes(&data);
            shared.push(t.elapsed() + trip(Load::Shared(region), want));
        }
        // Medians: the first trip of each kind pays page faults the later ones do not.
        copied.sort();
        shared.sort();
        let (c, s) = (copied[2], shared[2]);
        println!(
            "{:>6} KiB: Vec<u8> {c:>9.1?}, IpcSharedMemory {s:>9.1?} (median of 5; shared is {:.1}x)",
            size >> 10,
            c.as_secs_f64() / s.as_secs_f64()
        );
    }
    // Closing the load channel ends the child's loop; then reap it. The
    // regions are freed when the last process unmaps them: both have now.
    drop(loads);
    assert!(child.wait().unwrap().success());
}
