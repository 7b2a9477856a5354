//! A thousand open connections cost a few KiB each, and running out of file descriptors is a named limit, not a crash.
//!
//! Each connection here is two sockets (client and server end, both in this
//! process), two small tasks and two 1 KiB read buffers: no thread and no
//! stack. What runs out first is not memory but file descriptors (`ulimit
//! -n`), then ephemeral ports. An IO error says "Too many open files (os
//! error 24)"; `examples_async::limit_from_io` names the limit behind it, and
//! the server of 03_echo_server backs off and keeps serving.
//!
//! Run:
//!
//!     cargo xtask run async 05_thousand_connections
//!
//! Observe: 1000 connections open at once, and the KiB of VmRSS each added,
//! a few KiB (kernel socket buffers are not in VmRSS). With the fd limit
//! lowered, the next connect fails with the limit named, the server logs the
//! same on stderr, and once the limit is restored a new client is echoed.
//!
//! Python: the same `OSError: [Errno 24] Too many open files`, from `asyncio.open_connection`.

// 03_echo_server's server, unchanged; its own `main` is not used here.
#[allow(dead_code)]
#[path = "03_echo_server.rs"]
mod echo;

use std::io;

use examples_async::limit_from_io;
use tokio::net::TcpStream;
use tokio::sync::watch;
use workloads::sys::{check_units, nofile_limit, raise_nofile_limit, vm_rss_kib, UnitCost};

const CLIENTS: usize = 1000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    // As servers do: the soft fd limit up to the hard one. The soft limit is
    // often too low (`ulimit -n`) for 1000 connections of two fds each.
    raise_nofile_limit();
    let two_fds = UnitCost {
        fds: 2,
        ..UnitCost::default()
    };
    // Check before starting, not halfway: a run that dies at connection 500
    // teaches less than one that names the limit up front.
    let clients = match check_units(CLIENTS as u64, two_fds) {
        Ok(()) => CLIENTS,
        Err(hit) => {
            println!("limit {}: {}; using 100 clients", hit.limit, hit.reason);
            100
        }
    };
    // The server runs in this process, so each connection costs both ends
    // here: the per-connection figure below is client plus server.
    let (addr, open) = echo::start().await?;
    // VmRSS is this process's resident memory; the slope between two readings
    // is what the connections added (the kernel's socket buffers are not in it).
    let rss_before = vm_rss_kib();
    // Connect one at a time: a burst of 1000 SYNs can overflow the accept
    // queue, and a dropped SYN is retried only after a second (the kernel's
    // TCP_TIMEOUT_INIT, include/net/tcp.h; RFC 6298 section 2.1). Each client is
    // echoed once, then holds its connection open until `leave` changes.
    let (leave, left) = watch::channel(());
    let mut tasks = Vec::new();
    for i in 0..clients {
        let (mut s, mut left) = (TcpStream::connect(addr).await?, left.clone());
        tasks.push(tokio::spawn(async move {
            let echoed = echo::ask(&mut s, format!("hello {i}\n").as_bytes()).await?;
            let _ = left.changed().await;
            Ok::<bool, io::Error>(echoed == format!("hello {i}\n"))
        }));
    }
    // All server tasks counted: every connection is parked at the same time.
    let at_once = echo::settle(&open, clients).await;
    println!("{at_once} connections open at once");
    // `None` off Linux (no /proc): print nothing rather than a wrong 0.
    if let (Some(a), Some(b)) = (rss_before, vm_rss_kib()) {
        let per = b.saturating_sub(a) as f64 / clients as f64;
        println!("VmRSS {a} -> {b} KiB: {per:.1} KiB per connection (both ends)");
    }
    // One `send` wakes every client: each was parked on its own receiver.
    leave.send(()).expect("clients are waiting");
    // Awaiting each handle also surfaces any IO error a client hit (`?`).
    let mut echoed = 0;
    for t in tasks {
        echoed += t.await.expect("a client panicked")? as usize;
    }
    println!(
        "{echoed} of {clients} clients echoed; open now: {}",
        echo::settle(&open, 0).await
    );
    assert_eq!((at_once, echoed), (clients, clients));

    // Now run out of fds on purpose: a soft limit just above what is open.
    // Count the fds open now, so the lowered limit leaves a known margin.
    let Some(in_use) = std::fs::read_dir("/proc/self/fd")
        .ok()
        .map(|d| d.count() as u64)
    else {
        println!("(no /proc/self/fd here: skipping the fd-limit part)");
        return Ok(());
    };
    // Twenty fds of room: each new connection takes one here for the client
    // end and one for the server end, once the server accepts it.
    let (soft, hard) = nofile_limit();
    set_nofile(in_use + 20, hard);
    // Connect until the kernel refuses: a bounded loop, since the soft limit
    // leaves room for only a few more connections (the count is printed).
    let mut extra = Vec::new();
    let hit = loop {
        match TcpStream::connect(addr).await {
            Ok(s) => extra.push(s),
            // EMFILE becomes the named limit; any other error ends main.
            Err(e) => break limit_from_io(&e).ok_or(e)?,
        }
    };
    println!(
        "after {} more connections: limit {}: {}",
        extra.len(),
        hit.limit,
        hit.reason
    );
    // Give the fds back: the server's next accept (it retries every 100 ms)
    // succeeds, and connections queued in the kernel meanwhile are served.
    set_nofile(soft, hard);
    // Closing the extra connections frees their fds (and the server's ends).
    drop(extra);
    // The server backed off while it could not accept; it serves again now.
    let mut late = TcpStream::connect(addr).await?;
    // The proof that the server survived: a fresh client is answered.
    let answer = echo::ask(&mut late, b"still serving?\n").await?;
    println!("a new client got {answer:?}");
    assert_eq!(
        (hit.limit.as_str(), answer.as_str()),
        ("RLIMIT_NOFILE", "still serving?\n")
    );
    Ok(())
}

/// Set this process's fd limit (`ulimit -n`). Raw libc, since std has no
/// API for it; the hard limit stays, so the soft one can be raised again.
fn set_nofile(soft: u64, hard: u64) {
    let lim = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: `lim` is a valid rlimit that setrlimit only reads.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) };
    assert_eq!(rc, 0, "setrlimit: {}", io::Error::last_os_error());
}
