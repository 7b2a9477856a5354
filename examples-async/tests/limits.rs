//! Running out of file descriptors mid-run is reported as the limit, not as
//! "os error 24". Its own test binary: it lowers this process's fd limit.

use std::net::{TcpListener, TcpStream};

use examples_async::limit_from_io;

#[cfg(unix)]
#[test]
fn an_fd_shortage_is_named() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (_, hard) = workloads::sys::nofile_limit();
    let lim = libc::rlimit {
        rlim_cur: 64,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: `lim` is a valid rlimit that setrlimit only reads.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
    let mut open = Vec::new();
    // Bounded: 64 fds run out long before 1000 connections.
    let err = (0..1000)
        .find_map(|_| match TcpStream::connect(addr) {
            Ok(s) => {
                open.push(s);
                None
            }
            Err(e) => Some(e),
        })
        .expect("the fd limit binds");
    let hit = limit_from_io(&err).expect("EMFILE is a named limit");
    assert_eq!(hit.limit, "RLIMIT_NOFILE");
    assert!(hit.reason.contains("ulimit -n"), "{}", hit.reason);
}

#[test]
fn other_errors_are_not_limits() {
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    assert!(limit_from_io(&refused).is_none());
}
