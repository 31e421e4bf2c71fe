"""cleanup: the real daemon (stand-alone mode, one client on a socket) writes queue
files that our postcat prints as Postfix's postcat does.

Until the daemon runs under master, each scenario starts "cleanup -S" with one end of
a socket pair as its standard input and speaks the cleanup protocol itself (attr0
greeting and status, records in between). A small stand-in for trivial-rewrite serves
private/rewrite: it appends "@example.test" to addresses without a domain, which is what
the real service does with myorigin = example.test.
"""

import os
import re
import signal
import socket
import stat
import subprocess
import threading

from harness import Failure


def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


def read_attrs(sock):
    """One attr0 list: name\\0value\\0...\\0 -> dict."""
    buf = b""
    while not (buf.endswith(b"\0\0") and buf.count(b"\0") % 2 == 1):
        c = sock.recv(1)
        if not c:
            raise Failure(f"cleanup closed the connection after {buf!r}")
        buf += c
    parts = buf[:-1].split(b"\0")[:-1]
    return {parts[i].decode(): parts[i + 1].decode() for i in range(0, len(parts), 2)}


def fake_rewrite_server(path):
    """Serve trivial-rewrite's "rewrite" request on a unix socket, in a thread."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(5)

    def serve(conn):
        with conn:
            conn.sendall(b"protocol\0trivial_rewrite_protocol\0\0")
            while True:
                try:
                    req = read_attrs(conn)
                except Failure:
                    return
                addr = req.get("address", "")
                if addr and "@" not in addr:
                    addr += "@example.test"
                conn.sendall(b"flags\0" + b"0\0address\0" + addr.encode() + b"\0\0")

    def loop():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def start(t):
    for q in ("incoming", "hold", "public", "private"):
        os.makedirs(os.path.join(t.queue_dir, q), exist_ok=True)
    rewrite = os.path.join(t.queue_dir, "private", "rewrite")
    if not os.path.exists(rewrite):
        fake_rewrite_server(rewrite)
    a, b = socket.socketpair()
    proc = subprocess.Popen([t.program("cleanup"), "-S", "-c", t.config_dir], stdin=b,
                            stdout=b, stderr=subprocess.DEVNULL, env=t.env())
    b.close()
    t.expect_eq(read_attrs(a), {"protocol": "cleanup_protocol"}, "greeting")
    qid = read_attrs(a)["queue_id"]
    return a, proc, qid


def submit(t, headers, body="hello", sender="joe@example.test", rcpts=("bob@example.test",),
           flags=0x32, extra=()):
    a, proc, qid = start(t)
    a.sendall(b"flags\0" + str(flags).encode() + b"\0\0")
    recs = [("T", "1700000000 5"), ("A", "rewrite_context=local"), ("A", "log_message_origin=local"),
            ("S", sender)]
    recs += [("R", r) for r in rcpts]
    recs += [("M", ""), ("N", "Received: by mail.example.test (Postfix, from userid 0)"),
             ("N", "\tid %s; Tue, 14 Nov 2023 22:13:20 +0000 (UTC)" % qid)]
    recs += [("N", h) for h in headers] + [("N", "")] + [("N", line) for line in body.split("\n")]
    recs += [("X", "")] + list(extra) + [("E", "")]
    a.sendall(b"".join(record(r, d) for r, d in recs))
    status = read_attrs(a)
    proc.wait(timeout=30)
    a.close()
    return qid, int(status["status"]), status["reason"]


def postcat(t, *args):
    return t.run("postcat", "-c", t.config_dir, *args, check=0).stdout


def test_plain_message_layout_and_added_headers(t):
    qid, status, reason = submit(t, ["Subject: hi"])
    t.expect_eq((status, reason), (0, ""), "status")
    path = os.path.join(t.queue_dir, "incoming", qid)
    t.expect_eq(stat.S_IMODE(os.stat(path).st_mode), 0o700, "complete mark")
    out = postcat(t, "-q", qid)
    env = out.split("*** MESSAGE CONTENTS")[0]
    t.expect_in("*** ENVELOPE RECORDS incoming/%s ***\n" % qid, env)
    t.expect_in("named_attribute: rewrite_context=local\nnamed_attribute: log_message_origin=local\n"
                "sender: joe@example.test\noriginal_recipient: bob@example.test\n"
                "recipient: bob@example.test\n", env)
    t.expect_eq(re.findall(r"^Message-Id: <\d{14}\.%s@mail\.example\.test>$" % qid, out, re.M) != [],
                True, "Message-Id added")
    t.expect_in("\nFrom: joe@example.test\n\nhello\n*** HEADER EXTRACTED incoming/%s ***\n"
                "*** MESSAGE FILE END incoming/%s ***\n" % (qid, qid), out)
    t.expect_in("Date: Tue, 14 Nov 2023", out)
    t.wait_log("%s: message-id=<" % qid)
    t.expect_eq(postcat(t, "-bq", qid), "\nhello\n", "body only")


def test_unqualified_addresses_are_rewritten(t):
    qid, status, _ = submit(t, ["To: bob, Carol <carol>"], sender="joe", rcpts=("bob",))
    t.expect_eq(status, 0, "status")
    out = postcat(t, "-q", qid)
    t.expect_in("sender: joe@example.test\noriginal_recipient: bob\nrecipient: bob@example.test\n", out)
    t.expect_in("To: bob@example.test, Carol <carol@example.test>\n", out)
    t.expect_in("From: joe@example.test\n", out)


def test_canonical_masquerade_and_virtual(t):
    t.write("etc/canonical", "joe@host.example.test joseph@host.example.test\n")
    t.write("etc/virtual", "info@example.test sales@example.test, bob@example.org\n")
    t.conf(canonical_maps="texthash:" + t.path("etc/canonical"),
           masquerade_domains="example.test", masquerade_exceptions="root",
           virtual_alias_maps="texthash:" + t.path("etc/virtual"))
    qid, status, _ = submit(t, ["From: Joe <joe@host.example.test>", "To: info@example.test"],
                            sender="joe@host.example.test", rcpts=("info@example.test",
                                                                   "info@example.test"))
    t.expect_eq(status, 0, "status")
    out = postcat(t, "-eq", qid)
    t.expect_in("sender: joseph@example.test\noriginal_recipient: info@example.test\n"
                "recipient: sales@example.test\noriginal_recipient: info@example.test\n"
                "recipient: bob@example.org\n*** MESSAGE CONTENTS", out)
    t.expect_in("From: Joe <joseph@example.test>\nTo: info@example.test\n", postcat(t, "-hq", qid))


def test_header_checks_reject_and_log(t):
    t.write("etc/header_checks", "/^Subject: .*viagra/ REJECT no thanks\n/^X-Mark:/ WARN\n")
    t.conf(header_checks="regexp:" + t.path("etc/header_checks"))
    qid, status, reason = submit(t, ["X-Mark: 1", "Subject: cheap viagra"])
    t.expect_eq((status, reason), (8, "5.7.1 no thanks"), "reject status")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False, "no file left")
    t.wait_log("%s: warning: header X-Mark: 1 from local; from=<joe@example.test> "
               "to=<bob@example.test>" % qid)
    t.wait_log("%s: reject: header Subject: cheap viagra from local; from=<joe@example.test> "
               "to=<bob@example.test>: 5.7.1 no thanks" % qid)


def test_hold_action_and_size_limit(t):
    t.write("etc/header_checks", "/^Subject: hold/ HOLD\n")
    t.conf(header_checks="regexp:" + t.path("etc/header_checks"), message_size_limit="2000")
    qid, status, _ = submit(t, ["Subject: hold me"])
    t.expect_eq(status, 0, "status")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "hold", qid)), True, "in hold")
    qid, status, _ = submit(t, ["Subject: big"], body="x" * 5000)
    t.expect_eq(status, 4, "message file too big")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False, "no file left")


def test_kill_in_the_middle_leaves_nothing_deliverable(t):
    a, proc, qid = start(t)
    a.sendall(b"flags\0" + b"50\0\0")
    a.sendall(b"".join(record(r, d) for r, d in [("T", "1700000000 5"), ("S", "a@example.test"),
                                                  ("R", "b@example.test"), ("M", ""),
                                                  ("N", "Subject: x"), ("N", "")]
                                                 + [("N", "y" * 500)] * 40))
    path = os.path.join(t.queue_dir, "incoming", qid)
    t.wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0, "partial file")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    a.close()
    for name in os.listdir(os.path.join(t.queue_dir, "incoming")):
        mode = os.stat(os.path.join(t.queue_dir, "incoming", name)).st_mode
        t.expect_eq(mode & stat.S_IXUSR, 0, "partial file %s must not be marked complete" % name)


def read_pairs(sock):
    """One attr0 list as [(name, value), ...], in order."""
    buf = b""
    while True:
        c = sock.recv(1)
        if not c:
            raise Failure(f"client closed the connection after {buf!r}")
        buf += c
        parts = buf.split(b"\0")
        # name\0value\0 ... \0: an empty name where a name is expected ends the list.
        if buf.endswith(b"\0") and len(parts) % 2 == 0 and parts[-2] == b"":
            names = parts[:-2]
            return [(names[i].decode(), names[i + 1].decode()) for i in range(0, len(names), 2)]


class FakeBounce:
    """Plays the bounce service on private/bounce: records each request, answers status=0.
    For a flush it also notes whether the queue file was still there to be read."""

    def __init__(self, t, status=0):
        self.requests = []
        self.status = status
        os.makedirs(os.path.join(t.queue_dir, "private"), exist_ok=True)
        path = os.path.join(t.queue_dir, "private", "bounce")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(5)

        def serve(conn):
            with conn:
                conn.sendall(b"protocol\0delivery_status_protocol\0\0")
                req = read_pairs(conn)
                d = dict(req)
                if d.get("nrequest") == "1":
                    req.append(("file_present", str(os.path.exists(
                        os.path.join(t.queue_dir, d["queue_name"], d["queue_id"])))))
                self.requests.append(req)
                conn.sendall(b"status\0%d\0\0" % self.status)

        def loop():
            while True:
                conn, _ = srv.accept()
                serve(conn)

        threading.Thread(target=loop, daemon=True).start()


BOUNCE_FLAGS = 0x33     # CLEANUP_FLAG_BOUNCE | FILTER | BCC_OK | MAP_OK, as pickup sends


def test_local_submission_refused_by_content_becomes_a_bounce(t):
    """pickup's messages (CLEANUP_FLAG_BOUNCE): a REJECT is a non-delivery notice to the
    sender, and pickup hears "accepted" so that it removes the maildrop file."""
    t.write("etc/header_checks", "/^Subject: .*viagra/ REJECT\n")
    t.conf(header_checks="regexp:" + t.path("etc/header_checks"))
    bounce = FakeBounce(t)
    qid, status, reason = submit(t, ["Subject: cheap viagra"], flags=BOUNCE_FLAGS,
                                 rcpts=("bob@example.test", "carol@example.test"))
    # As Postfix's cleanup, the reply keeps the reason text; pickup only looks at the status.
    t.expect_eq((status, reason), (0, "5.7.1 message content rejected"), "the client hears success")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False,
                "queue file removed after the bounce")
    t.wait_log("%s: reject: header Subject: cheap viagra from local; from=<joe@example.test> "
               "to=<bob@example.test>: 5.7.1 message content rejected" % qid)
    reqs = bounce.requests
    t.expect_eq(len(reqs), 3, "two appends and a flush")
    for req, rcpt in zip(reqs, ("bob@example.test", "carol@example.test")):
        d = dict(req)
        t.expect_eq([n for n, _ in req],
                    ["nrequest", "flags", "queue_id", "original_recipient", "recipient", "offset",
                     "dsn_orig_rcpt", "notify_flags", "status", "diag_type", "diag_text",
                     "mta_type", "mta_mname", "action", "reason"], "append request fields")
        t.expect_eq((d["nrequest"], d["flags"], d["queue_id"], d["original_recipient"],
                     d["recipient"], d["status"], d["action"], d["reason"]),
                    ("0", "1", qid, rcpt, rcpt, "5.7.1", "failed", "message content rejected"),
                    "append request")
        t.expect_eq(int(d["offset"]) > 0, True, "recipient record offset")
        t.wait_log("%s: to=<%s>, relay=none, delay=" % (qid, rcpt))
    t.expect_eq(re.search(r"%s: to=<bob@example\.test>, relay=none, delay=[\d.]+, "
                          r"delays=[\d.]+/0/0/0, dsn=5\.7\.1, status=bounced "
                          r"\(message content rejected\)" % qid, t.log_text()) is not None,
                True, "bounced log line")
    flush = dict(reqs[2])
    t.expect_eq((flush["nrequest"], flush["flags"], flush["queue_name"], flush["queue_id"],
                 flush["sender"], flush["file_present"]),
                ("1", "1", "incoming", qid, "joe@example.test", "True"), "flush request")


def test_local_submission_too_big_or_looping_is_bounced_with_the_reason(t):
    t.conf(message_size_limit="3000", hopcount_limit="3")
    bounce = FakeBounce(t)
    qid, status, _ = submit(t, ["Subject: big"], body="x" * 5000, flags=BOUNCE_FLAGS)
    t.expect_eq(status, 0, "too big: bounced, the client hears success")
    d = dict(bounce.requests[0])
    t.expect_eq((d["recipient"], d["status"], d["reason"]),
                ("bob@example.test", "5.3.4", "message file too big"), "size bounce")
    t.expect_eq(dict(bounce.requests[1])["file_present"], "True", "file read by the flush")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False, "removed")
    qid, status, _ = submit(t, ["Received: a", "Received: b", "Subject: loop"],
                            flags=BOUNCE_FLAGS)
    t.expect_eq(status, 0, "too many hops: bounced")
    d = dict(bounce.requests[2])
    t.expect_eq((d["status"], d["reason"]), ("5.4.0", "too many hops"), "hop count bounce")


def test_bounce_service_failure_keeps_the_message_with_the_client(t):
    t.write("etc/header_checks", "/^Subject: no/ REJECT 5.7.0 not here\n")
    t.conf(header_checks="regexp:" + t.path("etc/header_checks"))
    FakeBounce(t, status=1)
    qid, status, _ = submit(t, ["Subject: no"], flags=BOUNCE_FLAGS)
    t.expect_eq(status, 2, "write error: the client keeps the message and retries")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False, "removed")


def test_discard_is_success_and_protocol_errors_are_not_bounced(t):
    t.write("etc/header_checks", "/^Subject: drop/ DISCARD\n")
    t.conf(header_checks="regexp:" + t.path("etc/header_checks"))
    bounce = FakeBounce(t)
    qid, status, _ = submit(t, ["Subject: drop me"], flags=BOUNCE_FLAGS)
    t.expect_eq(status, 0, "discard")
    t.wait_log("%s: discard: header Subject: drop me from local;" % qid)
    qid, status, _ = submit(t, ["Subject: x"], flags=BOUNCE_FLAGS, rcpts=())
    t.expect_eq(status, 0x40, "no recipients: reported, not bounced")
    t.expect_eq(bounce.requests, [], "no bounce requests")


def size_fields(t, qid):
    out = postcat(t, "-vq", qid)
    m = re.search(r"^message_size: (.*)$", out, re.M)
    return m.group(1).split()


def test_smtputf8_requested_and_autodetected_in_the_size_record(t):
    qid, status, _ = submit(t, ["Subject: plain"])
    t.expect_eq(size_fields(t, qid)[5], "0", "nothing asked, nothing detected")
    qid, status, _ = submit(t, ["Subject: plain"], flags=0x32 | 0x100)
    t.expect_eq(size_fields(t, qid)[5], "1", "CLEANUP_FLAG_SMTPUTF8: requested")
    qid, status, _ = submit(t, ["Subject: Grüße"], flags=0x32 | 0x200)
    t.expect_eq(size_fields(t, qid)[5], "2", "autodetect: UTF-8 header")
    qid, status, _ = submit(t, ["Subject: plain"], sender="jörg@example.test", flags=0x32 | 0x200)
    t.expect_eq(size_fields(t, qid)[5], "4", "autodetect: UTF-8 sender")
    qid, status, _ = submit(t, ["Subject: Grüße"], sender="jörg@example.test", flags=0x32)
    t.expect_eq(size_fields(t, qid)[5], "0", "no autodetection unless asked")


def test_errors_to_and_return_receipt_to_are_extracted(t):
    qid, status, _ = submit(t, ["Errors-To: Err <err>, other@example.test",
                                "Return-Receipt-To: rr@example.org", "Errors-To: second@x",
                                "Subject: x"],
                            extra=[("R", "extra@example.test")])
    t.expect_eq(status, 0, "status")
    out = postcat(t, "-eq", qid)
    t.expect_in("*** HEADER EXTRACTED incoming/%s ***\nreturn_receipt: rr@example.org\n"
                "errors_to: err@example.test\noriginal_recipient: extra@example.test\n"
                "recipient: extra@example.test\n" % qid, out)
    t.expect_in("Errors-To: Err <err@example.test>, other@example.test\n", postcat(t, "-hq", qid))


def test_flags_record_after_the_content_holds_or_discards(t):
    """smtpd's end-of-data HOLD/DISCARD arrive as a flags record in the extracted segment."""
    qid, status, _ = submit(t, ["Subject: late hold"], extra=[("f", "4")])
    t.expect_eq(status, 0, "hold")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "hold", qid)), True, "in hold")
    t.expect_not_in("flags", postcat(t, "-q", qid), "flags record not in the queue file")
    qid, status, _ = submit(t, ["Subject: late discard"], extra=[("f", "8")])
    t.expect_eq(status, 0, "discard")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), False, "discarded")
    qid, status, _ = submit(t, ["Subject: bad flags"], extra=[("f", "1")])
    t.expect_eq(status, 0, "bad extra flags are ignored")
    t.wait_log("%s: ignoring bad extra flags: 0x1" % qid)
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "incoming", qid)), True, "queued")
