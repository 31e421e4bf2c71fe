"""pickup: maildrop files to the cleanup service.

The master runs pickup as master.cf says (unix trigger, wakeup timer). The
cleanup service is played by the test itself on public/cleanup, so that
what pickup sends can be compared record by record and cleanup's answer
chosen: accepted (file removed), temporary trouble (file kept and retried),
broken or no recipients (file removed).
"""

import os
import socket
import threading

from harness import Skip

import importlib.util

_spec = importlib.util.spec_from_file_location(
    "sendmail_e2e", os.path.join(os.path.dirname(os.path.abspath(__file__)), "070_sendmail.py"))
sm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sm)

PICKUP_CF = "pickup unix n - y 60 1 pickup\n"


def read_attrs(f):
    """One attr0 list: {name: value}."""
    out = {}
    while True:
        name = b""
        while True:
            c = f.read(1)
            if not c:
                raise EOFError("connection closed")
            if c == b"\0":
                break
            name += c
        if name == b"":
            return out
        value = b""
        while True:
            c = f.read(1)
            if c == b"\0":
                break
            value += c
        out[name.decode()] = value.decode()


def read_record(f):
    t = f.read(1)
    if not t:
        raise EOFError("connection closed")
    length, shift = 0, 0
    while True:
        b = f.read(1)[0]
        length |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    return chr(t[0]), f.read(length).decode("utf-8", "replace")


class FakeCleanup:
    """Answers on public/cleanup: the given statuses first, then the default."""

    def __init__(self, t, statuses, default=0):
        self.path = os.path.join(t.queue_dir, "public", "cleanup")
        self.statuses = list(statuses)
        self.default = default
        self.messages = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(self.path)
        os.chmod(self.path, 0o666)
        self.sock.listen(5)
        self.sock.settimeout(60)
        self.count = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                f = conn.makefile("rwb")
                self.count += 1
                qid = "C0FFEE%d" % self.count
                f.write(b"protocol\0cleanup_protocol\0\0queue_id\0" + qid.encode() + b"\0\0")
                f.flush()
                flags = read_attrs(f)
                recs = []
                try:
                    while True:
                        r = read_record(f)
                        recs.append(r)
                        if r[0] == "E":
                            break
                except EOFError:
                    self.messages.append((qid, flags, recs, None))
                    continue
                status = self.statuses.pop(0) if self.statuses else self.default
                f.write(b"status\0%d\0reason\0\0\0" % status)
                f.flush()
                self.messages.append((qid, flags, recs, status))

    def close(self):
        self.sock.close()


def start(t, statuses, default=0):
    if not hasattr(t, "start"):
        raise Skip("this harness cannot start the mail system yet")
    sm.setup_queue(t)
    cleanup = FakeCleanup(t, statuses, default)
    t.start(PICKUP_CF)
    return cleanup


def test_pickup_hands_maildrop_file_to_cleanup_and_removes_it(t):
    cleanup = start(t, [0])
    sm.sendmail(t, "-f", "me@example.com", "-F", "Me", "you@example.com",
                input="Subject: hello\n\n body starts with space\n")
    t.wait_for(lambda: cleanup.messages, "cleanup connection")
    t.wait_for(lambda: sm.maildrop_files(t) == [], "maildrop file removal")
    qid, flags, recs, status = cleanup.messages[0]
    t.wait_log(f"]: {qid}: uid={os.getuid()} from=<me@example.com>")
    t.expect_eq(recs[0][0], "T", "arrival time first")
    t.expect_eq(recs[1:6], [("A", "rewrite_context=local"), ("F", "Me"),
                            ("S", "me@example.com"), ("R", "you@example.com"), ("M", "")])
    t.expect_eq(recs[6][1], f"Received: by mail.example.test (Postfix, from userid {os.getuid()})")
    t.expect_eq(recs[7][1].startswith(f"\tid {qid}; "), True, "Received: second line")
    t.expect_eq(recs[8:], [("N", "Subject: hello"), ("N", ""), ("N", " body starts with space"),
                           ("X", ""), ("E", "")])
    t.expect_in(f"pickup[", t.log_text())
    cleanup.close()


def test_pickup_keeps_file_on_temporary_error_and_removes_broken_ones(t):
    cleanup = start(t, [], default=1 << 8)
    sm.sendmail(t, "you@example.com", input="x\n")
    t.wait_log("error writing C0FFEE1: service unavailable")
    t.expect_eq(len(sm.maildrop_files(t)), 1, "file kept after a temporary error")
    cleanup.default = 0
    sm.sendmail(t, "other@example.com", input="y\n")
    t.wait_for(lambda: sm.maildrop_files(t) == [], "both files delivered to cleanup")
    # pickup may retry the kept file more than once while the test flips the
    # fake cleanup's answer; what counts is that each file was accepted once.
    t.expect_eq(sorted(r[1] for m in cleanup.messages if m[3] == 0 for r in m[2] if r[0] == "R"),
                ["other@example.com", "you@example.com"], "recipients accepted by cleanup")
    cleanup.default = 1
    sm.sendmail(t, "broken@example.com", input="z\n")
    t.wait_log("error writing")
    t.wait_for(lambda: sm.maildrop_files(t) == [], "file removed after an internal error")
    cleanup.close()
