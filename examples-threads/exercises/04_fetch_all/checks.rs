// The checks of the "same job, another model" exercises: threads/04_fetch_all,
// async/04_fetch_all and green/04_fetch_all each provide
//
//     pub fn fetch_all(addr: SocketAddr, delays_ms: &[u32]) -> io::Result<Vec<u32>>
//
// (ask the delay server once per delay, each request on a connection of its
// own, all in flight at once; return the echoed `seq`, the request's index, in
// order), and each crate's tests.rs runs these same functions against it.

use std::io;
use std::net::{SocketAddr, TcpListener};

use workloads::delay::DelayServer;
use workloads::rendezvous::Rendezvous;

/// The signature every model's exercise provides.
pub type FetchAll = fn(SocketAddr, &[u32]) -> io::Result<Vec<u32>>;

pub fn replies_come_back_in_request_order(fetch_all: FetchAll) {
    let server = DelayServer::start().unwrap();
    // The first request waits longest: its reply arrives last, yet comes first.
    let got = fetch_all(server.addr(), &[60, 10, 30, 0, 20]).expect("every request succeeds");
    assert_eq!(
        got,
        [0, 1, 2, 3, 4],
        "one reply per request, in request order"
    );
    assert_eq!(fetch_all(server.addr(), &[]).unwrap(), Vec::<u32>::new());
}

pub fn the_requests_are_in_flight_at_the_same_time(fetch_all: FetchAll) {
    let n = 5;
    let meeting = Rendezvous::start(n).unwrap();
    let got = fetch_all(meeting.addr(), &vec![0; n]);
    let most = meeting.most_at_once();
    assert_eq!(
        most, n,
        "the {n} requests were never in flight at the same time (at most {most} at once): \
         each waited for the reply before the next was sent. Start them all, then collect"
    );
    assert_eq!(got.expect("every request succeeds"), [0, 1, 2, 3, 4]);
}

pub fn a_server_that_is_not_there_is_an_error(fetch_all: FetchAll) {
    // Bind and drop: the port is (almost certainly) closed now.
    let addr = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    assert!(
        fetch_all(addr, &[0, 0]).is_err(),
        "a refused connection must come back as an Err, not a panic or a made-up reply"
    );
}
