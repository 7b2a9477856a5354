#!/usr/bin/env python3
"""The Python twins: the comparison's scenarios in real CPython.

This program speaks the same contract as the Rust model binaries, so
`cargo xtask compare` runs it as one more model group, once per interpreter
it finds (`python3.11`, `python3.13t`, ...):

    python3 -B python/twins.py scenarios
    python3 -B python/twins.py run cpu --variant threading --workers 2 --n 300000

`scenarios` prints the catalogue (each variant with `takes_workers` and, where
it cannot run here, why); `run` prints exactly one JSON record on stdout.
Exit codes: 0 ok; 2 bad input (one line on stderr); 3 an OS limit would bind
(a `{"status":"limit",...}` line on stdout); 1 anything else.

The variants are the faces a Python programmer knows: `serial` (one unit
after another), `threading` (OS threads, one interpreter lock unless the build
is free-threaded), `multiprocessing` (a Pool for `cpu`, a process per unit
elsewhere), `asyncio` (tasks on one event loop) and `gevent` (greenlets, only
where `import gevent` works). Standard library only; Python 3.9 or newer.
"""

# asyncio and multiprocessing are imported inside the scenarios that use
# them: every run starts a fresh interpreter, and the two cost about a tenth of
# a second of start-up each time.
import argparse
import json
import os
import platform
import queue
import socket
import struct
import sys
import threading
import time

# ---------------------------------------------------------------------------
# The contract's constants, the same as the Rust side's (workloads crate).

SCENARIOS = ("cpu", "sleep", "net", "spawn", "idle", "pingpong")
CHUNKS = 256  # cpu: 0..n is cut into this many chunks, handed out as workers free up
MAX_N = 200_000_000  # cpu's largest n
MAX_UNITS = 10_000_000  # the unit-count scenarios' largest n
MAX_WORKERS = 4096
MAX_DELAY_MS = 60_000
FRAME = struct.Struct("<II")  # net: delay_ms u32 LE, then seq u32 LE; echoed back

# (scenario, variant) -> takes_workers. `False`: one thread, or one unit per
# thread/process/task/greenlet, whatever --workers says.
CATALOGUE = {
    "cpu": [("serial", False), ("threading", True), ("multiprocessing", True),
            ("asyncio", False), ("gevent", False)],
    "sleep": [("serial", False), ("threading", False), ("asyncio", False), ("gevent", False)],
    "net": [("serial", False), ("threading", False), ("asyncio", False), ("gevent", False)],
    "spawn": [("threading", False), ("multiprocessing", False), ("asyncio", False),
              ("gevent", False)],
    "idle": [("threading", False), ("multiprocessing", False), ("asyncio", False),
             ("gevent", False)],
    "pingpong": [("threading", False), ("multiprocessing", False), ("asyncio", False),
                 ("gevent", False)],
}


class Limit(Exception):
    """An OS limit would bind: exit 3 with a limit line."""

    def __init__(self, limit, reason):
        super().__init__(reason)
        self.limit, self.reason = limit, reason


class Usage(Exception):
    """Bad input: exit 2 with one line."""


# ---------------------------------------------------------------------------
# The interpreter: what the record says about it.

def gil_enabled():
    """The GIL's state now: `sys._is_gil_enabled()` from 3.13 on (a
    free-threaded build can still turn it back on); older ones always have it."""
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def free_threaded_build():
    """Built with --disable-gil (PEP 703), whatever the GIL's state now."""
    import sysconfig
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def model_name():
    """`python3.11`, or `python3.13t` for a free-threaded build."""
    v = sys.version_info
    return "python%d.%d%s" % (v.major, v.minor, "t" if free_threaded_build() else "")


def gevent_missing():
    """Why the gevent variant cannot run here, or None."""
    try:
        import gevent  # noqa: F401 (imported to see whether it can be)
    except Exception as e:  # ImportError, or a broken install
        return "gevent not installed (%s): pip install gevent" % str(e).splitlines()[0]
    return None


def catalogue():
    missing = gevent_missing()
    return {
        "model": model_name(),
        "scenarios": [
            {"name": s, "variants": [
                {"name": v, "takes_workers": w,
                 "unavailable": missing if v == "gevent" else None}
                for v, w in CATALOGUE[s]]}
            for s in SCENARIOS
        ],
    }


# ---------------------------------------------------------------------------
# What /proc tells (Linux); None elsewhere, so the report says "n/a".

def proc_field(path, key):
    """One `Key:   1234 kB` field of a /proc file: KiB, or a count."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def vm_rss_kib():
    return proc_field("/proc/self/status", "VmRSS")


def kernel_kib():
    """KernelStack + PageTables: what threads and processes cost the kernel
    and VmRSS never shows. System-wide, so keep the machine quiet."""
    stack = proc_field("/proc/meminfo", "KernelStack")
    tables = proc_field("/proc/meminfo", "PageTables")
    return None if stack is None or tables is None else stack + tables


def pss_kib(pid):
    """Proportional set size of `pid`: shared pages split among the sharers."""
    return proc_field("/proc/%d/smaps_rollup" % pid, "Pss")


def os_threads():
    """This process's OS threads now, counted by the kernel."""
    return proc_field("/proc/self/status", "Threads")


def memory_before():
    return {"rss": vm_rss_kib(), "kernel": kernel_kib()}


def memory_after(before):
    """The `memory` object of a record, in the Rust record's field order."""
    return {"rss_before_kib": before["rss"], "rss_after_kib": vm_rss_kib(),
            "kernel_before_kib": before["kernel"], "kernel_after_kib": kernel_kib()}


def check_units(n, fds_each=0):
    """Refuse, with the limit named, n threads or processes (and their file
    descriptors) that the OS would not give."""
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:  # raise the soft limit to the hard one, as servers do
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    need = n * fds_each + 64
    if fds_each and soft != resource.RLIM_INFINITY and need > soft:
        raise Limit("RLIMIT_NOFILE", "needs about %d file descriptors, ulimit -n is %d" % (need, soft))
    nproc, _ = resource.getrlimit(resource.RLIMIT_NPROC)
    if nproc != resource.RLIM_INFINITY and n + 64 > nproc and os.geteuid() != 0:
        raise Limit("RLIMIT_NPROC", "needs %d threads or processes, ulimit -u is %d" % (n, nproc))


# ---------------------------------------------------------------------------
# The CPU kernel: the same trial division and chunking as the Rust side, so
# `check` is the same prime count (xtask checks it against a sieve).

def is_prime(k):
    if k < 2:
        return False
    if k < 4:
        return True
    if k % 2 == 0 or k % 3 == 0:
        return False
    d = 5
    while d * d <= k:
        if k % d == 0 or k % (d + 2) == 0:
            return False
        d += 6
    return True


def count_primes_in(start, end):
    return sum(1 for k in range(start, end) if is_prime(k))


def chunk(n, i):
    """The i-th of CHUNKS near-equal contiguous chunks of 0..n."""
    return n * i // CHUNKS, n * (i + 1) // CHUNKS


def count_chunk(job):
    """One unit of cpu work, by (n, chunk index): what a pool worker runs."""
    n, i = job
    return count_primes_in(*chunk(n, i))


class Outcome:
    """What a scenario hands back; `record` turns it into the contract's JSON."""

    def __init__(self, check, ops, workers, elapsed_ns, startup_ns=0, memory=None,
                 threads=None, start_method=None):
        self.check, self.ops, self.workers = check, ops, workers
        self.elapsed_ns, self.startup_ns = elapsed_ns, startup_ns
        self.memory, self.threads, self.start_method = memory, threads, start_method


def now():
    return time.perf_counter_ns()


def noop():
    pass


# ---------------------------------------------------------------------------
# cpu: count the primes below n.

def cpu(variant, n, workers):
    if variant == "serial":
        threads = os_threads()  # nothing is started: read once, outside the timing
        t = now()
        count = count_primes_in(0, n)
        return Outcome(count, n, 1, now() - t, threads=threads)
    if variant == "threading":
        # W threads take chunk indices from a shared counter until none are
        # left. Under the GIL only one of them runs Python at a time.
        lock = threading.Lock()
        state = {"next": 0}
        counts = [0] * workers

        def take_chunks(w):
            while True:
                with lock:
                    i = state["next"]
                    state["next"] += 1
                if i >= CHUNKS:
                    return
                counts[w] += count_chunk((n, i))

        check_units(workers)
        t = now()
        pool = [threading.Thread(target=take_chunks, args=(w,)) for w in range(workers)]
        for th in pool:
            th.start()
        threads = os_threads()  # every worker started, none joined
        for th in pool:
            th.join()
        return Outcome(sum(counts), n, workers, now() - t, threads=threads)
    if variant == "multiprocessing":
        import multiprocessing
        # A Pool of W processes, each with an interpreter (and a GIL) of its
        # own; starting them is start-up, kept apart from the work.
        check_units(workers, fds_each=4)
        method = multiprocessing.get_start_method()
        t = now()
        pool = multiprocessing.Pool(workers)
        try:
            # Wait until every worker is up, so start-up is not billed to the work.
            pool.map(noop_job, range(workers), chunksize=1)
            startup = now() - t
            threads = os_threads()
            t = now()
            # Four chunk indices per message: each message is a pickle and a
            # pipe round trip, and 256 of them cost more than the imbalance
            # of 64 slightly larger pieces (1.12x -> 1.47x over serial at
            # n = 200,000 on 2 cores, measured when this was chosen).
            count = sum(pool.imap_unordered(count_chunk, ((n, i) for i in range(CHUNKS)),
                                            chunksize=4))
            elapsed = now() - t
            pool.close()
            pool.join()
        finally:
            pool.terminate()  # no worker outlives the run, even on an error
        return Outcome(count, n, workers, elapsed, startup, threads=threads,
                       start_method=method)
    if variant == "asyncio":
        import asyncio
        # A task per chunk on one event loop: none of them awaits, so they
        # run one after another, on one thread.
        async def count_task(i):
            return count_chunk((n, i))

        async def main():
            tasks = [asyncio.ensure_future(count_task(i)) for i in range(CHUNKS)]
            return sum(await asyncio.gather(*tasks)), os_threads()

        return on_loop(main, n, 1)
    if variant == "gevent":
        import gevent
        t0 = now()
        gevent.get_hub()  # the hub (gevent's event loop) is start-up
        startup = now() - t0
        t = now()
        greenlets = [gevent.spawn(count_chunk, (n, i)) for i in range(CHUNKS)]
        threads = os_threads()
        gevent.joinall(greenlets, raise_error=True)
        return Outcome(sum(g.value for g in greenlets), n, 1, now() - t, startup,
                       threads=threads)
    raise Usage("cpu has no variant %s" % variant)


def noop_job(_):
    return None


def on_loop(main, ops, workers, memory=None):
    """Run `main()` (which returns (check, os_threads[, memory])) on a fresh
    event loop; creating the loop is start-up."""
    import asyncio
    t0 = now()
    loop = asyncio.new_event_loop()
    startup = now() - t0
    try:
        t = now()
        result = loop.run_until_complete(main())
        elapsed = now() - t
    finally:
        loop.close()
    check, threads = result[0], result[1]
    memory = result[2] if len(result) > 2 else memory
    return Outcome(check, ops, workers, elapsed, startup, memory=memory, threads=threads)


# ---------------------------------------------------------------------------
# sleep: n units each wait delay at once (serial: one after another).

def sleep(variant, n, delay):
    if variant == "serial":
        t = now()
        threads = os_threads()
        for _ in range(n):
            time.sleep(delay)
        return Outcome(n, n, 1, now() - t, threads=threads)
    if variant == "threading":
        # A sleeping thread releases the GIL: the waits overlap.
        check_units(n)
        return per_thread(n, lambda: time.sleep(delay))
    if variant == "asyncio":
        import asyncio
        async def main():
            tasks = [asyncio.ensure_future(asyncio.sleep(delay)) for _ in range(n)]
            threads = os_threads()
            await asyncio.gather(*tasks)
            return len(tasks), threads

        return on_loop(main, n, 1)
    if variant == "gevent":
        import gevent
        return per_greenlet(n, lambda: gevent.sleep(delay))
    raise Usage("sleep has no variant %s" % variant)


def per_thread(n, work):
    """Start a thread per unit, all of them first, then join them all."""
    t = now()
    pool = [threading.Thread(target=work) for _ in range(n)]
    for th in pool:
        th.start()
    threads = os_threads()  # every unit started, none joined
    for th in pool:
        th.join()
    return Outcome(len(pool), n, n, now() - t, threads=threads)


def per_greenlet(n, work):
    """Start a greenlet per unit, all of them first, then join them all."""
    import gevent
    t0 = now()
    gevent.get_hub()
    startup = now() - t0
    t = now()
    greenlets = [gevent.spawn(work) for _ in range(n)]
    threads = os_threads()
    gevent.joinall(greenlets, raise_error=True)
    return Outcome(len(greenlets), n, 1, now() - t, startup, threads=threads)


# ---------------------------------------------------------------------------
# net: n clients, each `rounds` request/reply round trips to the delay server.

def reply_timeout(delay_ms):
    """A hang detector with a wide margin, as on the Rust side."""
    return (delay_ms * 10 + 10_000) / 1000


def read_exactly(sock, size):
    data = b""
    while len(data) < size:
        part = sock.recv(size - len(data))
        if not part:
            raise ConnectionError("the delay server closed the connection")
        data += part
    return data


def client(server, rounds, delay_ms, connect=socket.create_connection):
    """Blocking round trips on one connection; returns the replies that matched."""
    ok = 0
    with connect(server, timeout=reply_timeout(delay_ms)) as sock:
        for seq in range(rounds):
            frame = FRAME.pack(delay_ms, seq)
            sock.sendall(frame)
            if read_exactly(sock, FRAME.size) == frame:
                ok += 1
    return ok


def net(variant, n, rounds, delay_ms, server):
    if variant == "serial":
        t = now()
        threads = os_threads()
        replies = sum(client(server, rounds, delay_ms) for _ in range(n))
        return Outcome(replies, n * rounds, 1, now() - t, threads=threads)
    if variant == "threading":
        check_units(n, fds_each=1)
        replies = [0] * n
        errors = []

        def one(i):
            try:
                replies[i] = client(server, rounds, delay_ms)
            except Exception as e:  # reported by the main thread
                errors.append(e)

        t = now()
        pool = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for th in pool:
            th.start()
        threads = os_threads()
        for th in pool:
            th.join()
        if errors:
            raise RuntimeError("client: %s" % errors[0])
        return Outcome(sum(replies), n * rounds, n, now() - t, threads=threads)
    if variant == "asyncio":
        import asyncio
        check_units(n, fds_each=1)

        async def one():
            reader, writer = await asyncio.open_connection(*server)
            ok = 0
            try:
                for seq in range(rounds):
                    frame = FRAME.pack(delay_ms, seq)
                    writer.write(frame)
                    await writer.drain()
                    got = await asyncio.wait_for(reader.readexactly(FRAME.size),
                                                 reply_timeout(delay_ms))
                    ok += got == frame
            finally:
                writer.close()
            return ok

        async def main():
            tasks = [asyncio.ensure_future(one()) for _ in range(n)]
            threads = os_threads()
            return sum(await asyncio.gather(*tasks)), threads

        out = on_loop(main, n * rounds, 1)
        return out
    if variant == "gevent":
        import gevent
        import gevent.socket
        check_units(n, fds_each=1)
        t0 = now()
        gevent.get_hub()
        startup = now() - t0
        t = now()
        greenlets = [gevent.spawn(client, server, rounds, delay_ms,
                                  gevent.socket.create_connection) for _ in range(n)]
        threads = os_threads()
        gevent.joinall(greenlets, raise_error=True)
        return Outcome(sum(g.value for g in greenlets), n * rounds, 1, now() - t, startup,
                       threads=threads)
    raise Usage("net has no variant %s" % variant)


# ---------------------------------------------------------------------------
# spawn: start n units that do nothing, all at once, then join them all.

def spawn(variant, n):
    if variant == "threading":
        check_units(n)
        return per_thread(n, noop)
    if variant == "multiprocessing":
        import multiprocessing
        # A process per unit: fork (or spawn) + an interpreter each.
        check_units(n, fds_each=2)
        method = multiprocessing.get_start_method()
        procs = []
        try:
            t = now()
            for _ in range(n):
                p = multiprocessing.Process(target=noop)
                p.start()
                procs.append(p)
            threads = os_threads()  # the parent's own threads; children are processes
            joined = 0
            for p in procs:
                p.join()
                joined += p.exitcode == 0
            elapsed = now() - t
        finally:
            reap(procs)
        return Outcome(joined, n, n, elapsed, threads=threads, start_method=method)
    if variant == "asyncio":
        import asyncio
        async def nothing():
            pass

        async def main():
            tasks = [asyncio.ensure_future(nothing()) for _ in range(n)]
            threads = os_threads()
            await asyncio.gather(*tasks)
            return len(tasks), threads

        return on_loop(main, n, 1)
    if variant == "gevent":
        return per_greenlet(n, noop)
    raise Usage("spawn has no variant %s" % variant)


def reap(procs):
    """No child outlives the run: kill what is still alive, then reap all."""
    for p in procs:
        if p.is_alive():
            p.kill()
    for p in procs:
        p.join()


# ---------------------------------------------------------------------------
# idle: keep n units alive and parked, measure their memory, release them.

SETTLE = 0.02  # let the last units reach their wait before measuring


def park(parked, release):
    """A parked process: say so, then wait to be released."""
    parked.release()
    release.wait()


def idle(variant, n):
    if variant == "threading":
        check_units(n)
        before = memory_before()
        started = threading.Barrier(n + 1)
        release = threading.Event()

        def unit():
            try:
                started.wait()
            except threading.BrokenBarrierError:  # the run failed before all started
                return
            release.wait()

        t = now()
        pool = [threading.Thread(target=unit) for _ in range(n)]
        try:
            for th in pool:
                th.start()
            started.wait(timeout=60)
            time.sleep(SETTLE)
            memory = memory_after(before)
            threads = os_threads()
        finally:
            started.abort()  # frees the parked threads if not all of them started
            release.set()
            for th in pool:
                if th.ident is not None:
                    th.join()
        return Outcome(len(pool), n, n, now() - t, memory=memory, threads=threads)
    if variant == "multiprocessing":
        import multiprocessing
        # Each child's own memory is its PSS (shared pages split among the
        # processes sharing them): summing VmRSS would count the interpreter's
        # shared pages once per process.
        check_units(n, fds_each=2)
        method = multiprocessing.get_start_method()
        kernel_before = kernel_kib()
        parked = multiprocessing.Semaphore(0)
        release = multiprocessing.Event()
        procs = []
        t = now()
        try:
            for _ in range(n):
                p = multiprocessing.Process(target=park, args=(parked, release))
                p.start()
                procs.append(p)
            for _ in range(n):
                if not parked.acquire(timeout=60):
                    raise RuntimeError("a parked child did not start within 60 s")
            time.sleep(SETTLE)
            pss = [pss_kib(p.pid) for p in procs]
            total = None if None in pss else sum(pss)
            memory = {"rss_before_kib": None, "rss_after_kib": None,
                      "kernel_before_kib": kernel_before, "kernel_after_kib": kernel_kib(),
                      "pss_before_kib": None if total is None else 0,
                      "pss_after_kib": total}
            threads = os_threads()
            release.set()
            released = 0
            for p in procs:
                p.join()
                released += p.exitcode == 0
            elapsed = now() - t
        finally:
            release.set()
            reap(procs)
        return Outcome(released, n, n, elapsed, memory=memory, threads=threads,
                       start_method=method)
    if variant == "asyncio":
        import asyncio
        async def main():
            before = memory_before()
            release = asyncio.Event()
            state = {"parked": 0}
            all_parked = asyncio.Event()

            async def unit():
                state["parked"] += 1
                if state["parked"] == n:
                    all_parked.set()
                await release.wait()

            tasks = [asyncio.ensure_future(unit()) for _ in range(n)]
            await all_parked.wait()
            memory = memory_after(before)
            threads = os_threads()
            release.set()
            await asyncio.gather(*tasks)
            return len(tasks), threads, memory

        return on_loop(main, n, 1)
    if variant == "gevent":
        import gevent
        import gevent.event
        gevent.get_hub()
        before = memory_before()
        release = gevent.event.Event()
        t = now()
        greenlets = [gevent.spawn(release.wait) for _ in range(n)]
        gevent.sleep(0)  # let every greenlet run up to its wait
        memory = memory_after(before)
        threads = os_threads()
        release.set()
        gevent.joinall(greenlets, raise_error=True)
        return Outcome(len(greenlets), n, 1, now() - t, memory=memory, threads=threads)
    raise Usage("idle has no variant %s" % variant)


# ---------------------------------------------------------------------------
# pingpong: two units bounce a ball n times.

def pong_process(conn):
    """The other player of the multiprocessing game: answer ball with ball + 1."""
    while True:
        ball = conn.recv()
        if ball is None:
            return
        conn.send(ball + 1)


def pingpong(variant, n):
    if variant == "threading":
        to_pong, to_ping = queue.SimpleQueue(), queue.SimpleQueue()

        def pong():
            while True:
                ball = to_pong.get()
                if ball is None:
                    return
                to_ping.put(ball + 1)

        t = now()
        th = threading.Thread(target=pong)
        th.start()
        threads = os_threads()
        trips = 0
        for i in range(n):
            to_pong.put(i)
            trips += to_ping.get() == i + 1
        to_pong.put(None)
        th.join()
        return Outcome(trips, n, 2, now() - t, threads=threads)
    if variant == "multiprocessing":
        import multiprocessing
        # Each ball is pickled and crosses a pipe: a copy, not a share.
        method = multiprocessing.get_start_method()
        here, there = multiprocessing.Pipe()
        t0 = now()
        p = multiprocessing.Process(target=pong_process, args=(there,))
        try:
            p.start()
            here.send(0)  # the first trip waits for the child to be running
            here.recv()
            startup = now() - t0
            threads = os_threads()
            t = now()
            trips = 0
            for i in range(n):
                here.send(i)
                trips += here.recv() == i + 1
            elapsed = now() - t
            here.send(None)
            p.join(timeout=60)
        finally:
            reap([p])
        return Outcome(trips, n, 2, elapsed, startup, threads=threads, start_method=method)
    if variant == "asyncio":
        import asyncio
        async def main():
            to_pong, to_ping = asyncio.Queue(), asyncio.Queue()

            async def pong():
                while True:
                    ball = await to_pong.get()
                    if ball is None:
                        return
                    to_ping.put_nowait(ball + 1)

            task = asyncio.ensure_future(pong())
            threads = os_threads()
            trips = 0
            for i in range(n):
                to_pong.put_nowait(i)
                trips += await to_ping.get() == i + 1
            to_pong.put_nowait(None)
            await task
            return trips, threads

        out = on_loop(main, n, 1)
        out.workers = 2
        return out
    if variant == "gevent":
        import gevent
        import gevent.queue
        gevent.get_hub()
        to_pong, to_ping = gevent.queue.Queue(), gevent.queue.Queue()

        def pong():
            while True:
                ball = to_pong.get()
                if ball is None:
                    return
                to_ping.put(ball + 1)

        t = now()
        g = gevent.spawn(pong)
        threads = os_threads()
        trips = 0
        for i in range(n):
            to_pong.put(i)
            trips += to_ping.get() == i + 1
        to_pong.put(None)
        g.join()
        return Outcome(trips, n, 2, now() - t, threads=threads)
    raise Usage("pingpong has no variant %s" % variant)


# ---------------------------------------------------------------------------
# The command line: the same flags, ranges and messages as the Rust binaries.

class OneLineParser(argparse.ArgumentParser):
    """argparse, but bad input is one line on stderr and exit code 2."""

    def error(self, message):
        fail(2, message)


def bounded(name, low, high):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("invalid value '%s' for %s: not a number" % (text, name))
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                "invalid value '%s' for %s: %s is not in %d..=%d" % (text, name, text, low, high))
        return value
    return parse


def address(text):
    host, sep, port = text.rpartition(":")
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        raise argparse.ArgumentTypeError("invalid value '%s' for --server: not HOST:PORT" % text)


def parser():
    p = OneLineParser(prog="twins.py", allow_abbrev=False,
                      description="A model binary of concurrency-models, in CPython.")
    sub = p.add_subparsers(dest="command", metavar="{scenarios,run}")
    sub.required = True
    sub.add_parser("scenarios", help="print the catalogue as JSON")
    run = sub.add_parser("run", help="run one cell and print one JSON record",
                         allow_abbrev=False)
    run.add_argument("scenario")
    run.add_argument("--variant", required=True)
    run.add_argument("--workers", type=bounded("--workers", 1, MAX_WORKERS), default=1)
    run.add_argument("--n", type=bounded("--n", 1, MAX_N), required=True)
    run.add_argument("--delay-ms", type=bounded("--delay-ms", 0, MAX_DELAY_MS), default=10)
    run.add_argument("--rounds", type=bounded("--rounds", 1, 1_000_000), default=10)
    run.add_argument("--server", type=address)
    return p


def validate(args, cat):
    names = {s["name"]: s["variants"] for s in cat["scenarios"]}
    if args.scenario not in names:
        raise Usage("unknown scenario '%s' for model %s (valid: %s)"
                    % (args.scenario, cat["model"], ", ".join(names)))
    variants = {v["name"]: v for v in names[args.scenario]}
    if args.variant not in variants:
        raise Usage("unknown variant '%s' for %s %s (valid: %s)"
                    % (args.variant, cat["model"], args.scenario, ", ".join(variants)))
    why = variants[args.variant]["unavailable"]
    if why:
        raise Usage("variant '%s' of %s is unavailable here: %s" % (args.variant, cat["model"], why))
    if args.scenario != "cpu" and args.n > MAX_UNITS:
        raise Usage("--n %d is too large for %s (valid: 1..=%d)" % (args.n, args.scenario, MAX_UNITS))
    if args.scenario == "net" and args.server is None:
        raise Usage("net needs --server ADDR (start `delay-server` first; `cargo xtask compare` does)")


def run(args):
    s, v, n, w = args.scenario, args.variant, args.n, args.workers
    if s == "cpu":
        out = cpu(v, n, w)
    elif s == "sleep":
        out = sleep(v, n, args.delay_ms / 1000)
    elif s == "net":
        out = net(v, n, args.rounds, args.delay_ms, args.server)
    elif s == "spawn":
        out = spawn(v, n)
    elif s == "idle":
        out = idle(v, n)
    else:
        out = pingpong(v, n)
    params = {"workers": out.workers, "n": n}
    if s in ("sleep", "net"):
        params["delay_ms"] = args.delay_ms
    if s == "net":
        params["rounds"] = args.rounds
    # The Rust record's fields, in its order; then what only Python has.
    record = {"model": model_name(), "scenario": s, "variant": v, "params": params,
              "elapsed_ns": out.elapsed_ns, "startup_ns": out.startup_ns, "ops": out.ops,
              "check": out.check}
    if out.memory is not None:
        record["memory"] = out.memory
    if out.threads is not None:
        record["os_threads"] = out.threads
    record["python"] = {
        "version": platform.python_version(),
        "implementation": sys.implementation.name,
        "gil": gil_enabled(),
        "free_threaded_build": free_threaded_build(),
        "start_method": out.start_method,
    }
    return record


def fail(code, message):
    message = " ".join(str(message).split())  # one line, whatever the exception said
    print("error: %s" % message, file=sys.stderr)
    sys.stderr.flush()
    sys.exit(code)


def main(argv=None):
    args = parser().parse_args(argv)
    if args.command == "scenarios":
        print(json.dumps(catalogue(), separators=(",", ":")))
        return
    cat = catalogue() if args.variant == "gevent" else catalogue_without_gevent()
    try:
        validate(args, cat)
        record = run(args)
    except Usage as e:
        fail(2, e)
    except KeyboardInterrupt:
        fail(1, "interrupted")
    except Exception as e:
        limit = as_limit(e)
        if limit is None:
            fail(1, "%s: %s" % (type(e).__name__, e))
        print(json.dumps({"status": "limit", "limit": limit.limit, "reason": limit.reason},
                         separators=(",", ":")))
        fail(3, "limit %s: %s" % (limit.limit, limit.reason))
    print(json.dumps(record, separators=(",", ":")))
    sys.stdout.flush()


def as_limit(e):
    """The OS limit an exception says was hit, or None: a refused thread,
    fork or file descriptor is a limit (exit 3), not a crash."""
    import errno
    if isinstance(e, Limit):
        return e
    if isinstance(e, RuntimeError) and "can't start new thread" in str(e):
        return Limit("threads", "the OS refused a thread: %s" % e)
    if isinstance(e, OSError) and e.errno == errno.EAGAIN:
        return Limit("RLIMIT_NPROC", "the OS refused a thread or process: %s" % e)
    if isinstance(e, OSError) and e.errno in (errno.EMFILE, errno.ENFILE):
        return Limit("RLIMIT_NOFILE", "out of file descriptors: %s" % e)
    if isinstance(e, MemoryError):
        return Limit("memory", "out of memory")
    return None


def catalogue_without_gevent():
    """The catalogue for validating a run that is not gevent's: importing
    gevent costs a tenth of a second, which every run would pay."""
    cat = {"model": model_name(), "scenarios": []}
    for s in SCENARIOS:
        cat["scenarios"].append({"name": s, "variants": [
            {"name": v, "takes_workers": w, "unavailable": None} for v, w in CATALOGUE[s]]})
    return cat


if __name__ == "__main__":
    main()
