#!/usr/bin/env python3
"""Drives bench/daemon_latency.sh: an HTTPS webhook receiver on 127.0.0.1 (a thread of this
process), the daemon, the log lines, the clock and the idle sampling, so that every time is read
from one clock (time.monotonic_ns) in one process.

    daemon_latency.py WORK BINARY REPS IDLE_SECONDS

WORK is what gen_engagements.py wrote, with WORK/pki/server.{crt,key} beside it. The receiver
listens on a port of its own choosing, which is written into WORK/config.yaml before the daemon
starts. It checks every request as a receiver should (the X-Secondsight-Signature HMAC over the
body as received, the Idempotency-Key never seen before) and counts only `opened`
need_to_know_violation alerts on `target`, one per contractor.

Environment: LOG_LEVEL (the daemon's, default warn); at info or debug the daemon's own lines
split each latency into detection (the append to the scan that opened the finding) and delivery
(that scan to the webhook's arrival). The daemon's pid goes to WORK/daemon.pid for the caller's
clean-up.
"""
import hashlib
import hmac
import http.server
import json
import math
import os
import random
import re
import signal
import ssl
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_engagements import syslog_stamp  # noqa: E402

TIMEOUT_S = 10.0      # a repetition without its webhook by then is a miss
FIRST_SCAN_S = 120.0  # start-up: config, first poll, first scan, first delivery
OPENED = re.compile(r"\] opened need_to_know_violation (contractor-\d+) target ")


class Arrivals:
    """What the receiver saw: per contractor, when their alert arrived (monotonic ns)."""

    def __init__(self):
        self.cond = threading.Condition()
        self.at = {}
        self.keys = set()
        self.other = 0        # alerts of other kinds, changes or systems
        self.bad = []         # requests a receiver must refuse (signature, repeat, body)

    def wait_for(self, person, deadline_ns):
        with self.cond:
            while person not in self.at and not self.bad:
                left = (deadline_ns - time.monotonic_ns()) / 1e9
                if left <= 0:
                    return None
                self.cond.wait(left)
            if self.bad:
                raise SystemExit("receiver: " + self.bad[0])
            return self.at[person]


def make_receiver(arrivals, secret, cert, key):
    class Hook(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            arrived = time.monotonic_ns()
            expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            problem = None
            if not hmac.compare_digest(expected, self.headers.get("X-Secondsight-Signature", "")):
                problem = "bad signature"
            key = self.headers.get("Idempotency-Key", "")
            with arrivals.cond:
                if problem is None and key in arrivals.keys:
                    problem = "delivered twice: " + key
                if problem is None:
                    arrivals.keys.add(key)
                    alert = json.loads(body)
                    if (alert.get("change") == "opened" and alert.get("system") == "target"
                            and alert.get("kind") == "need_to_know_violation"):
                        arrivals.at.setdefault(alert["person"], arrived)
                    else:
                        arrivals.other += 1
                else:
                    arrivals.bad.append(problem)
                arrivals.cond.notify_all()
            self.send_response(401 if problem else 200)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def memory_kib(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                out[name] = int(value.split()[0])
    return out


def nearest_rank(sorted_values, p):
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def seconds(value):
    return "miss" if math.isinf(value) else f"{value * 1000:.0f} ms"


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the daemon on the way out
    work, binary = Path(sys.argv[1]), sys.argv[2]
    reps, idle_seconds = int(sys.argv[3]), int(sys.argv[4])
    log_level = os.environ.get("LOG_LEVEL", "warn")
    zone = re.search(r"^timezone: (\S+)$", (work / "config.yaml").read_text(), re.M).group(1)
    log = work / "logs" / "auth.log"

    arrivals = Arrivals()
    secret = (work / "hook-secret").read_bytes().rstrip(b"\r\n")
    server = make_receiver(arrivals, secret, str(work / "pki/server.crt"),
                           str(work / "pki/server.key"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = work / "config.yaml"
    config.write_text(config.read_text().replace("PORT", str(server.server_address[1])))

    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
    launched = time.monotonic_ns()
    daemon = subprocess.Popen([binary, "--log-level", log_level, "daemon", "--config", str(config)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env, text=True)
    (work / "daemon.pid").write_text(f"{daemon.pid}\n")
    opened_at = {}  # contractor -> when the daemon logged the scan that opened it (info level)

    def read_log():
        with open(work / "daemon.log", "w") as out:
            for line in daemon.stderr:
                now = time.monotonic_ns()
                out.write(line)
                out.flush()
                if m := OPENED.search(line):
                    opened_at.setdefault(m.group(1), now)

    threading.Thread(target=read_log, daemon=True).start()

    def alive():
        if daemon.poll() is not None:
            raise SystemExit(f"the daemon exited ({daemon.returncode}):\n"
                             + (work / "daemon.log").read_text())

    try:
        # Ready: the first scan's one alert (contractor-0's login) arrived. No new lines before.
        deadline = launched + int(FIRST_SCAN_S * 1e9)
        first = None
        while first is None and time.monotonic_ns() < deadline:
            alive()
            first = arrivals.wait_for("contractor-0", min(deadline, time.monotonic_ns() + 500_000_000))
        if first is None:
            raise SystemExit("no alert from the first scan in %d s:\n%s"
                             % (FIRST_SCAN_S, (work / "daemon.log").read_text()))
        print(f"daemon up, first scan's alert received {(first - launched) / 1e9:.2f} s after start",
              flush=True)
        time.sleep(1.0)  # anything else of the first scan would arrive now (there should be none)

        latencies, detect, deliver = [], [], []
        fd = os.open(log, os.O_WRONLY | os.O_APPEND)
        rng = random.Random()
        for i in range(1, reps + 1):
            person = f"contractor-{i}"
            line = (f"{syslog_stamp(time.time() - 60, zone)} target-1 sshd[{5000 + i}]: "
                    f"Accepted publickey for {person} from 10.0.0.1 port 22 ssh2\n").encode()
            appended = time.monotonic_ns()
            os.write(fd, line)
            arrived = arrivals.wait_for(person, appended + int(TIMEOUT_S * 1e9))
            alive()
            if arrived is None:
                latencies.append(math.inf)
                print(f"  {person}: no webhook within {TIMEOUT_S:.0f} s", flush=True)
            else:
                latencies.append((arrived - appended) / 1e9)
                if person in opened_at:
                    detect.append((opened_at[person] - appended) / 1e9)
                    deliver.append((arrived - opened_at[person]) / 1e9)
            time.sleep(rng.uniform(0.2, 0.4))  # separate repetitions: the settle is 200 ms
        os.close(fd)

        ordered = sorted(latencies)
        median, p90, p99 = (statistics.median(ordered), nearest_rank(ordered, 0.90),
                            nearest_rank(ordered, 0.99))
        misses = sum(math.isinf(x) for x in ordered)
        print(f"repetitions: {len(ordered)} ({misses} without a webhook in {TIMEOUT_S:.0f} s); "
              f"append -> signed webhook received")
        print(f"  min {seconds(ordered[0])}  median {seconds(median)}  p90 {seconds(p90)}  "
              f"p99 {seconds(p99)}  max {seconds(ordered[-1])}")
        print(f"  target median < 1 s: {'met' if median < 1 else 'NOT met'}; "
              f"p99 < 2 s: {'met' if p99 < 2 else 'NOT met'}")
        if detect:
            print(f"  of which (from the daemon's info lines, {len(detect)} repetitions): "
                  f"append -> scan done median {statistics.median(detect) * 1000:.0f} ms "
                  f"(max {max(detect) * 1000:.0f}), scan done -> webhook median "
                  f"{statistics.median(deliver) * 1000:.0f} ms (max {max(deliver) * 1000:.0f})")
        if arrivals.other:
            print(f"  other alerts received (not counted): {arrivals.other}")
        sys.stdout.flush()

        if idle_seconds > 0:
            print(f"idle: sampling the daemon for {idle_seconds} s, no new lines ...", flush=True)
            ticks = os.sysconf("SC_CLK_TCK")
            start_cpu, start_mem, start = cpu_ticks(daemon.pid), memory_kib(daemon.pid), time.monotonic()
            peak = start_mem["VmRSS"]
            while time.monotonic() - start < idle_seconds:
                time.sleep(min(1.0, idle_seconds - (time.monotonic() - start)))
                alive()
                peak = max(peak, memory_kib(daemon.pid)["VmRSS"])
            elapsed = time.monotonic() - start
            end_cpu, end_mem = cpu_ticks(daemon.pid), memory_kib(daemon.pid)
            cpu_s = (end_cpu - start_cpu) / ticks
            print(f"  CPU {cpu_s:.2f} s in {elapsed:.0f} s: {100 * cpu_s / elapsed:.3f} % of one core")
            print(f"  RSS start {start_mem['VmRSS'] / 1024:.1f} MiB, end {end_mem['VmRSS'] / 1024:.1f} MiB, "
                  f"peak sampled {peak / 1024:.1f} MiB; VmHWM (since start) {end_mem['VmHWM'] / 1024:.1f} MiB")
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        (work / "daemon.pid").unlink(missing_ok=True)  # reaped: the caller has nothing to stop
        server.shutdown()
    if daemon.returncode != 0:
        raise SystemExit(f"the daemon exited {daemon.returncode} on SIGTERM:\n"
                         + (work / "daemon.log").read_text())


if __name__ == "__main__":
    main()
