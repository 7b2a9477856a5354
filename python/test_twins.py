"""The Python twins' own tests: the contract, bad input, the check values,
a limit's exit code, and no child left behind. Standard library only:

    python3 -B -m unittest discover -s python -t python

`cargo xtask test` runs them when a python3 is found. Every run of the
program is a fresh process under a timeout (a hang detector, not a speed
limit); no test asserts how fast anything is.
"""

import json
import os
import socket
import struct
import subprocess
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "twins.py")
TIMEOUT = 120

# The Rust record's fields, in its order (workloads' `Record`).
RECORD_FIELDS = ["model", "scenario", "variant", "params", "elapsed_ns", "startup_ns",
                 "ops", "check"]
PRIMES_BELOW = {1000: 168, 10_000: 1229, 20_000: 2262}


def twins(*args, session=False):
    """Run the program; returns (exit code, stdout, stderr, its pid)."""
    proc = subprocess.Popen([sys.executable, "-B", PROGRAM, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=session)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9) if session else proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err, proc.pid


def catalogue():
    code, out, err, _ = twins("scenarios")
    assert code == 0, err
    return json.loads(out)


def available(cat, scenario):
    for s in cat["scenarios"]:
        if s["name"] == scenario:
            return [v["name"] for v in s["variants"] if v["unavailable"] is None]
    return []


def record(*args):
    code, out, err, _ = twins("run", *args)
    if code != 0:
        raise AssertionError("exit %d: %s" % (code, err))
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    return json.loads(lines[0])


class DelayServer:
    """The delay server's wire format in Python, for the net scenario's tests:
    8 bytes (delay_ms u32 LE, seq u32 LE), echoed after delay_ms."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.addr = "127.0.0.1:%d" % self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    @staticmethod
    def serve(conn):
        import time
        with conn:
            while True:
                frame = b""
                while len(frame) < 8:
                    part = conn.recv(8 - len(frame))
                    if not part:
                        return
                    frame += part
                delay_ms, _ = struct.unpack("<II", frame)
                time.sleep(delay_ms / 1000)
                conn.sendall(frame)

    def close(self):
        self.listener.close()


class Contract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cat = catalogue()

    def test_catalogue_describes_every_scenario_and_variant(self):
        names = [s["name"] for s in self.cat["scenarios"]]
        self.assertEqual(names, ["cpu", "sleep", "net", "spawn", "idle", "pingpong"])
        self.assertTrue(self.cat["model"].startswith("python3."))
        for s in self.cat["scenarios"]:
            for v in s["variants"]:
                self.assertEqual(list(v), ["name", "takes_workers", "unavailable"])
        cpu = {v["name"]: v for v in self.cat["scenarios"][0]["variants"]}
        self.assertEqual(list(cpu), ["serial", "threading", "multiprocessing", "asyncio", "gevent"])
        self.assertFalse(cpu["serial"]["takes_workers"])
        self.assertTrue(cpu["threading"]["takes_workers"])
        try:
            import gevent  # noqa: F401
            self.assertIsNone(cpu["gevent"]["unavailable"])
        except ImportError:
            self.assertIn("gevent not installed", cpu["gevent"]["unavailable"])

    def test_every_variant_answers_with_one_record(self):
        server = DelayServer()
        self.addCleanup(server.close)
        sizes = {"cpu": ["--n", "2000", "--workers", "2"],
                 "sleep": ["--n", "20", "--delay-ms", "2"],
                 "net": ["--n", "4", "--rounds", "3", "--delay-ms", "1", "--server", server.addr],
                 "spawn": ["--n", "10"], "idle": ["--n", "10"], "pingpong": ["--n", "200"]}
        for scenario, args in sizes.items():
            for variant in available(self.cat, scenario):
                with self.subTest(scenario=scenario, variant=variant):
                    r = record(scenario, "--variant", variant, *args)
                    self.assertEqual(list(r)[:len(RECORD_FIELDS)], RECORD_FIELDS)
                    self.assertEqual((r["scenario"], r["variant"]), (scenario, variant))
                    n = int(args[1])
                    expected = {"cpu": 303, "net": n * 3}.get(scenario, n)
                    self.assertEqual(r["check"], expected)
                    self.assertGreater(r["elapsed_ns"], 0)
                    py = r["python"]
                    self.assertEqual(py["implementation"], sys.implementation.name)
                    self.assertIsInstance(py["gil"], bool)
                    if variant == "multiprocessing":
                        self.assertIn(py["start_method"], ("fork", "spawn", "forkserver"))
                    if sys.platform == "linux":
                        self.assertGreaterEqual(r["os_threads"], 1)
                    if scenario in ("sleep", "net"):
                        self.assertEqual(r["params"]["delay_ms"], int(args[args.index("--delay-ms") + 1]))
                    if scenario == "idle":
                        self.assertIn("kernel_after_kib", r["memory"])

    def test_one_thread_runs_asyncio(self):
        if sys.platform != "linux":
            self.skipTest("os_threads is read from /proc")
        r = record("sleep", "--variant", "asyncio", "--n", "50", "--delay-ms", "5")
        self.assertEqual(r["os_threads"], 1)
        r = record("sleep", "--variant", "threading", "--n", "50", "--delay-ms", "200")
        self.assertGreater(r["os_threads"], 1)


class CheckValues(unittest.TestCase):
    def test_every_cpu_variant_counts_the_primes(self):
        for variant in available(catalogue(), "cpu"):
            for n, count in PRIMES_BELOW.items():
                with self.subTest(variant=variant, n=n):
                    r = record("cpu", "--variant", variant, "--workers", "3", "--n", str(n))
                    self.assertEqual(r["check"], count)
                    self.assertEqual(r["ops"], n)


class BadInput(unittest.TestCase):
    def assert_refused(self, *args, says):
        code, out, err, _ = twins(*args)
        self.assertEqual(code, 2, err)
        self.assertEqual(out, "")
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("error: "), err)
        self.assertIn(says, lines[0])

    def test_bad_input_is_one_line_and_exit_2(self):
        run = ("run", "cpu", "--variant", "serial")
        self.assert_refused("frobnicate", says="invalid choice")
        self.assert_refused("run", "nosuch", "--variant", "serial", "--n", "5",
                            says="valid: cpu, sleep, net, spawn, idle, pingpong")
        self.assert_refused("run", "cpu", "--variant", "gil", "--n", "5",
                            says="valid: serial, threading, multiprocessing, asyncio, gevent")
        self.assert_refused(*run, says="--n")
        self.assert_refused(*run, "--n", "0", says="--n")
        self.assert_refused(*run, "--n", "-5", says="--n")
        self.assert_refused(*run, "--n", "lots", says="not a number")
        self.assert_refused(*run, "--n", "999999999999", says="1..=200000000")
        self.assert_refused(*run, "--n", "10", "--workers", "100000", says="--workers")
        self.assert_refused("run", "spawn", "--variant", "threading", "--n", "20000000",
                            says="too large for spawn")
        self.assert_refused("run", "net", "--variant", "serial", "--n", "5", says="--server")

    def test_gevent_missing_is_named(self):
        try:
            import gevent  # noqa: F401
            self.skipTest("gevent is installed here")
        except ImportError:
            pass
        self.assert_refused("run", "cpu", "--variant", "gevent", "--n", "5",
                            says="gevent not installed")


class Limits(unittest.TestCase):
    def test_a_limit_that_would_bind_is_exit_3_with_a_limit_line(self):
        try:
            import resource
        except ImportError:
            self.skipTest("no resource module here")

        def few_files():
            resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))

        proc = subprocess.run(
            [sys.executable, "-B", PROGRAM, "run", "net", "--variant", "threading", "--n", "500",
             "--server", "127.0.0.1:9"],
            capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=few_files)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        line = json.loads(proc.stdout)
        self.assertEqual((line["status"], line["limit"]), ("limit", "RLIMIT_NOFILE"))
        self.assertEqual(len(proc.stderr.strip().splitlines()), 1, proc.stderr)


@unittest.skipUnless(sys.platform == "linux", "reads /proc")
class NoChildLeftBehind(unittest.TestCase):
    """Run in a session of its own, the program must leave no process of that
    session once it has exited, whether it succeeded or failed."""

    def session_members(self, sid):
        members = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:  # field 6 of stat: the session id
                members.append(int(pid))
        return members

    def test_process_variants_reap_their_children(self):
        for args in (["spawn", "--variant", "multiprocessing", "--n", "20"],
                     ["idle", "--variant", "multiprocessing", "--n", "20"],
                     ["pingpong", "--variant", "multiprocessing", "--n", "100"],
                     ["cpu", "--variant", "multiprocessing", "--workers", "2", "--n", "5000"]):
            with self.subTest(args=args):
                code, _, err, pid = twins("run", *args, session=True)
                self.assertEqual(code, 0, err)
                self.assertEqual(self.session_members(pid), [])

    def test_a_failed_run_reaps_too(self):
        # The delay server is not there: every client fails, the run exits 1.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        code, out, err, pid = twins("run", "net", "--variant", "threading", "--n", "5",
                                    "--server", "127.0.0.1:%d" % port, session=True)
        self.assertEqual(code, 1, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertEqual(self.session_members(pid), [])


if __name__ == "__main__":
    unittest.main()
