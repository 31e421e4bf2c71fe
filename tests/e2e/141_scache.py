"""scache, the connection cache, spoken to with Postfix's connection_cache_protocol.

Each scenario plays an SMTP client: it connects to private/scache under our master,
checks the announcement, and sends the requests in Postfix's sequence (attr0 lists;
a "dummy" list before and after each descriptor, the descriptor with SCM_RIGHTS).
The "connections" it stores are socket pairs; a connection comes back from the cache
when the descriptor received refers to the same socket (data written to its peer
arrives on it).
"""

import os
import socket

from harness import Failure

MASTER_CF = "scache    unix  -       -       n       -       1       scache\n"

OK, BAD, FAIL = 0, 1, 2


class Client:
    def __init__(self, t):
        self.t = t
        path = os.path.join(t.queue_dir, "private", "scache")
        t.wait_for(lambda: os.path.exists(path), "scache socket")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(path)
        self.buf = b""
        t.expect_eq(self.read_list(), [("protocol", "connection_cache_protocol")],
                    "announcement")

    def send(self, *pairs):
        out = b""
        for k, v in pairs:
            out += k.encode() + b"\0" + str(v).encode() + b"\0"
        self.sock.sendall(out + b"\0")

    def read_list(self):
        """One attr0 list; reads byte by byte so that no descriptor message is swallowed."""
        items = []
        while True:
            name = self.read_string()
            if name == "":
                return items
            items.append((name, self.read_string()))

    def read_string(self):
        out = b""
        while True:
            c = self.sock.recv(1)
            if not c:
                raise Failure(f"scache closed the connection after {out!r}")
            if c == b"\0":
                return out.decode()
            out += c

    def save_endp(self, label, prop, fd, ttl=60):
        self.send(("request", "save_endp"), ("ttl", ttl), ("label", label), ("property", prop))
        self.t.expect_eq(self.read_list(), [("dummy", "")], "save_endp: go-ahead")
        socket.send_fds(self.sock, [b"\0"], [fd])
        return self.read_list()

    def find(self, request, label):
        self.send(("request", request), ("label", label))
        reply = self.read_list()
        if reply[0] != ("status", str(OK)):
            return reply, None
        self.send(("dummy", ""))
        _, fds, _, _ = socket.recv_fds(self.sock, 1, 1)
        self.send(("dummy", ""))
        if len(fds) != 1:
            raise Failure(f"{request}: expected one descriptor, got {fds}")
        return reply, fds[0]

    def close(self):
        self.sock.close()


def same_connection(fd, peer):
    """Whether the descriptor is the cached end of the socket pair whose other end is peer."""
    with socket.socket(fileno=fd) as s:
        peer.sendall(b"ping")
        s.settimeout(10)
        return s.recv(4) == b"ping"


def test_save_and_find_endpoint(t):
    t.start(MASTER_CF)
    c = Client(t)
    try:
        kept, peer = socket.socketpair()
        t.expect_eq(c.save_endp("smtp:192.0.2.1:25", "props-1", kept.fileno()),
                    [("status", "0")], "save_endp reply")
        kept.close()  # the cache holds its own copy now
        reply, fd = c.find("find_endp", "smtp:192.0.2.1:25")
        t.expect_eq(reply, [("status", "0"), ("property", "props-1")], "find_endp hit")
        t.expect_eq(same_connection(fd, peer), True, "the saved connection comes back")
        # Taken means gone: a second lookup misses.
        reply, fd = c.find("find_endp", "smtp:192.0.2.1:25")
        t.expect_eq(reply, [("status", str(FAIL)), ("property", "")], "find_endp miss")
        peer.close()
    finally:
        c.close()


def test_destination_points_at_endpoint(t):
    t.start(MASTER_CF)
    c = Client(t)
    try:
        kept, peer = socket.socketpair()
        c.save_endp("smtp:192.0.2.7:25", "endp-props", kept.fileno())
        kept.close()
        c.send(("request", "save_dest"), ("ttl", 60), ("label", "smtp:example.com:25"),
               ("property", "dest-props"), ("label", "smtp:192.0.2.7:25"))
        t.expect_eq(c.read_list(), [("status", "0")], "save_dest reply")
        reply, fd = c.find("find_dest", "smtp:example.com:25")
        t.expect_eq(reply, [("status", "0"), ("property", "dest-props"),
                            ("property", "endp-props")], "find_dest hit")
        t.expect_eq(same_connection(fd, peer), True, "the endpoint's connection")
        # The destination entry stays, but its endpoint has no connection left.
        reply, _ = c.find("find_dest", "smtp:example.com:25")
        t.expect_eq(reply, [("status", str(FAIL)), ("property", ""), ("property", "")],
                    "find_dest miss")
        reply, _ = c.find("find_dest", "smtp:unknown.example:25")
        t.expect_eq(reply[0], ("status", str(FAIL)), "unknown destination")
        peer.close()
    finally:
        c.close()


def test_pipelined_and_bad_requests(t):
    t.start(MASTER_CF)
    c = Client(t)
    try:
        # Two requests in one write: both are answered, in order.
        c.sock.sendall(b"request\0find_endp\0label\0a\0\0request\0find_endp\0label\0b\0\0")
        t.expect_eq(c.read_list(), [("status", str(FAIL)), ("property", "")], "first")
        t.expect_eq(c.read_list(), [("status", str(FAIL)), ("property", "")], "second")
        c.send(("request", "save_endp"), ("ttl", 0), ("label", "x"), ("property", ""))
        t.expect_eq(c.read_list(), [("status", str(BAD))], "zero ttl is a bad request")
        c.send(("request", "frobnicate"))
        t.expect_eq(c.read_list(), [("status", str(BAD))], "unknown request")
        # The connection is still good.
        reply, _ = c.find("find_endp", "nothing")
        t.expect_eq(reply[0], ("status", str(FAIL)), "after the bad requests")
        t.wait_log('unrecognized request: "frobnicate", ignored')
    finally:
        c.close()


def test_entries_expire(t):
    t.conf(connection_cache_ttl_limit="1s")
    t.start(MASTER_CF)
    c = Client(t)
    try:
        kept, peer = socket.socketpair()
        c.save_endp("smtp:192.0.2.9:25", "p", kept.fileno(), ttl=300)
        kept.close()
        # The cache closes its copy when the (capped) time is up: the peer sees EOF.
        peer.settimeout(20)
        t.expect_eq(peer.recv(1), b"", "cached connection closed on expiry")
        reply, _ = c.find("find_endp", "smtp:192.0.2.9:25")
        t.expect_eq(reply[0], ("status", str(FAIL)), "expired entry is gone")
        peer.close()
    finally:
        c.close()
