"""smtp-source and smtp-sink: unix-domain endpoints, -R (chroot), -w (DATA delay).

Complements 040_smtpstone (inet endpoints, counters, dumps, reply injection).
"""

import os
import socket
import subprocess
import time

import harness
from harness import Failure, Skip


def start_sink(t, *args):
    err = open(t.path("sink.err"), "w")
    out = open(t.path("sink.out"), "w")
    user = ["-u", t.user] if os.geteuid() == 0 else []
    return subprocess.Popen([t.program("smtp-sink"), *user, *args], stdout=out, stderr=err,
                            env=t.env(), cwd=t.dir)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


def test_source_to_sink_over_unix_socket_lmtp(t):
    path = t.path("lmtp.sock")
    sink = start_sink(t, "-c", "-L", f"unix:{path}", "10")
    try:
        t.wait_for(lambda: os.path.exists(path), "sink socket")
        os.chmod(path, 0o666)
        r = t.run("smtp-source", "-L", "-m", "6", "-s", "3", "-r", "2", "-c", f"unix:{path}",
                  check=0)
        t.expect_eq(r.stdout.strip().splitlines()[-1], "6", "source counter")

        def counted():
            with open(t.path("sink.out"), newline="") as f:
                text = f.read()
            return text.rstrip("\r\n").endswith("sess=6 quit=6 mesg=6") and text
        t.wait_for(counted, "sink counters")
    finally:
        stop(sink)


def test_sink_chroot_dump(t):
    if os.geteuid() != 0:
        raise Skip("-R needs root")
    root = t.path("jail")
    os.makedirs(os.path.join(root, "dump"))
    os.chmod(os.path.join(root, "dump"), 0o777)
    port = harness.free_port()
    sink = start_sink(t, "-R", root, "-d", "/dump/%Y.", f"127.0.0.1:{port}", "10")
    try:
        def up():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                return True
            except OSError:
                return False
        t.wait_for(up, "sink")
        t.run("smtp-source", "-m", "2", "-f", "a@example.test", "-t", "b@example.test",
              f"127.0.0.1:{port}", check=0)
        dump = os.path.join(root, "dump")
        t.wait_for(lambda: len(os.listdir(dump)) == 2, "two dump files inside the jail")
        for name in os.listdir(dump):
            t.expect_eq(name.startswith(time.strftime("%Y") + "."), True, f"dump name {name}")
            with open(os.path.join(dump, name)) as f:
                t.expect_in("X-Mail-Args: <a@example.test>", f.read())
    finally:
        stop(sink)


def test_sink_data_delay(t):
    port = harness.free_port()
    sink = start_sink(t, "-w", "2", f"127.0.0.1:{port}", "10")
    try:
        def up():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                return True
            except OSError:
                return False
        t.wait_for(up, "sink")
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            f = s.makefile("rb")
            f.readline()
            s.sendall(b"HELO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n")
            for _ in range(3):
                f.readline()
            began = time.time()
            s.sendall(b"DATA\r\n")
            reply = f.readline()
            waited = time.time() - began
        t.expect_eq(reply[:3], b"354", "DATA reply")
        if waited < 1.8:
            raise Failure(f"DATA was answered after {waited:.2f}s, not after the 2s delay")
    finally:
        stop(sink)
