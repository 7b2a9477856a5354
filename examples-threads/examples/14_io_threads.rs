//! For IO-bound work, threads pay off by waiting together, so the thread count matters, not the cores.
//!
//! A thread blocked in `read` uses no CPU: the kernel parks it until the
//! reply arrives. So 32 requests that each wait 40 ms finish in about 40 ms
//! with a thread per request, even on 2 cores. A fixed pool of W threads
//! serves W at a time and needs about ceil(32 / W) x 40 ms. A thread per
//! request is simple but costs a stack and a kernel task each, with no upper
//! bound; a pool bounds that cost and queues the rest. The server is the
//! loopback delay server from `workloads`, started in this process.
//!
//! Run:
//!
//!     cargo xtask run threads 14_io_threads
//!
//! Observe: thread-per-request takes about one delay; each pool about
//! ceil(requests / pool size) delays, just above its printed lower bound. Add
//! 32 to `POOL` and that pool matches thread-per-request.
//!
//! Python: `ThreadPoolExecutor(max_workers=4)`: IO releases the GIL, so for
//! waiting, Python threads scale just as these do.
//!
//! Compare: `cargo xtask compare --scenarios net` runs many clients in every model.
//! Many waits without a thread each: examples-async/examples/02_ten_thousand_sleeps.rs,
//! examples-green/examples/04_echo_server.rs.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::Instant;

use crossbeam::channel::unbounded;
use workloads::delay::{DelayServer, Request, FRAME_LEN};

/// Far more requests than cores, so the CPU count cannot be what limits us.
const REQUESTS: u32 = 32;
/// How long the server waits before each reply: the "IO" every request does.
const DELAY_MS: u32 = 40;
/// Pool sizes to try: doubling the workers should halve the time.
const POOL: [usize; 2] = [4, 8];

fn main() -> std::io::Result<()> {
    // The server runs in this process, on its own thread, so the lesson needs
    // no setup; the first printed time shows how little loopback adds.
    let server = DelayServer::start()?;
    let addr = server.addr();

    // Thread per request: spawn, let all of them block at once, join. Each
    // thread spends its life asleep in `read`, so 32 of them fit on 2 cores.
    let start = Instant::now();
    let handles: Vec<_> = (0..REQUESTS)
        .map(|seq| thread::spawn(move || ask(addr, seq)))
        .collect();
    // `join` gives each thread's `io::Result`; collecting into a `Result`
    // stops at the first error, which `?` passes up.
    let per_request: Vec<u32> = handles
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect::<Result<_, _>>()?;
    let t = start.elapsed();
    println!("thread per request: {REQUESTS} requests of {DELAY_MS} ms in {t:.0?} with {REQUESTS} threads");

    let mut pooled = Vec::new();
    for size in POOL {
        // A fixed pool: `size` workers take request numbers from one queue.
        // crossbeam's receiver can be cloned (std's cannot), so every worker
        // pulls from the same queue and a free worker takes the next request.
        let (jobs, queue) = unbounded::<u32>();
        (0..REQUESTS).for_each(|seq| jobs.send(seq).unwrap());
        drop(jobs); // no more jobs: a worker's loop ends when the queue is empty
        let start = Instant::now();
        let replies: Vec<u32> = thread::scope(|s| {
            // Each worker handles requests one after another: it blocks in
            // `ask`, so at most `size` requests are in flight at a time.
            let workers: Vec<_> = (0..size)
                .map(|_| s.spawn(|| queue.iter().map(|seq| ask(addr, seq)).collect::<Vec<_>>()))
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect::<Result<_, _>>()
        })?;
        // The lower bound: REQUESTS / size rounds, each at least one delay.
        let rounds = (REQUESTS as usize).div_ceil(size) as u32;
        let took = start.elapsed();
        println!("pool of {size}:          {REQUESTS} requests in {took:.0?} (lower bound {rounds} x {DELAY_MS} ms = {} ms)", rounds * DELAY_MS);
        pooled.push(replies.len());
    }

    // Every request got the reply to itself, whoever sent it.
    assert_eq!(per_request, (0..REQUESTS).collect::<Vec<_>>());
    assert_eq!(pooled, [REQUESTS as usize; POOL.len()]);
    server.stop()
}

/// One blocking round trip on a fresh connection; returns the echoed `seq`.
/// Blocking IO is the simple way to write a client: the thread's stack keeps
/// where it was, and the kernel wakes it when the reply arrives.
fn ask(addr: SocketAddr, seq: u32) -> std::io::Result<u32> {
    let mut stream = TcpStream::connect(addr)?;
    // Send the 8-byte request now: Nagle's algorithm would hold small writes.
    stream.set_nodelay(true)?;
    let request = Request {
        delay_ms: DELAY_MS,
        seq,
    };
    stream.write_all(&request.encode())?;
    let mut frame = [0; FRAME_LEN];
    // The thread sleeps here for ~DELAY_MS, using no CPU.
    stream.read_exact(&mut frame)?;
    Ok(Request::decode(frame).seq)
}
