"""bounce: the real bounce daemon (stand-alone mode, one request per run) keeps
per-message logs and turns them into RFC 3464 notices that it posts through the real
cleanup daemon.

Until the daemons run under master and qmgr, each scenario starts "bounce -S" with one
end of a socket pair and speaks the delivery status protocol itself (attr0). A small
listener on public/cleanup starts "cleanup -S" for each connection, and a stand-in
trivial-rewrite qualifies bare addresses with @example.test.
"""

import email
import email.policy
import os
import socket
import subprocess
import threading

from harness import Failure

QID = "4F2A81C0D2"


def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


def read_records(path):
    """A queue file as a list of (type, text)."""
    data, out, i = open(path, "rb").read(), [], 0
    while i < len(data):
        rtype, i = chr(data[i]), i + 1
        length, shift = 0, 0
        while True:
            b, i = data[i], i + 1
            length |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append((rtype, data[i:i + length].decode("utf-8", "replace")))
        i += length
    return out


def message_text(path):
    """The content of a queue file (between M and X) as text."""
    recs, lines, inside, cont = read_records(path), [], False, ""
    for rtype, text in recs:
        if rtype == "M":
            inside = True
        elif rtype == "X":
            break
        elif inside and rtype == "L":
            cont += text
        elif inside and rtype == "N":
            lines.append(cont + text)
            cont = ""
    return "\n".join(lines) + "\n"


def attrs(*pairs):
    return b"".join(str(k).encode() + b"\0" + str(v).encode() + b"\0" for k, v in pairs) + b"\0"


def read_attrs(sock):
    buf = b""
    while not (buf.endswith(b"\0\0") and buf.count(b"\0") % 2 == 1):
        c = sock.recv(1)
        if not c:
            raise Failure(f"bounce closed the connection after {buf!r}")
        buf += c
    parts = buf[:-1].split(b"\0")[:-1]
    return {parts[i].decode(): parts[i + 1].decode() for i in range(0, len(parts), 2)}


def serve_unix(path, handler):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(5)

    def loop():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=handler, args=(conn,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def setup(t):
    for q in ("incoming", "active", "bounce", "defer", "trace", "public", "private"):
        os.makedirs(os.path.join(t.queue_dir, q), exist_ok=True)

    def rewrite(conn):
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
                conn.sendall(attrs(("flags", 0), ("address", addr)))

    def cleanup(conn):
        with conn:
            proc = subprocess.Popen([t.program("cleanup"), "-S", "-c", t.config_dir], stdin=conn,
                                    stdout=conn, stderr=subprocess.DEVNULL, env=t.env())
            proc.wait(timeout=60)

    serve_unix(os.path.join(t.queue_dir, "private", "rewrite"), rewrite)
    serve_unix(os.path.join(t.queue_dir, "public", "cleanup"), cleanup)


def make_message(t, sender="joe@example.test", rcpt="nobody@example.org", body="hello there"):
    recs = [("C", "%15d %15d %15d %15d %15d %15d" % (80, 0, 1, 0, 80, 0)),
            ("T", "1700000000 5"), ("S", sender), ("R", rcpt), ("M", ""),
            ("N", "Subject: original subject"), ("N", "Message-Id: <orig.1@example.test>"),
            ("N", ""), ("N", body), ("X", ""), ("E", "")]
    path = os.path.join(t.queue_dir, "active", QID)
    with open(path, "wb") as f:
        f.write(b"".join(record(r, d) for r, d in recs))
    os.chmod(path, 0o700)
    return path


def bounce_request(t, service, request):
    a, b = socket.socketpair()
    proc = subprocess.Popen([t.program("bounce"), "-S", "-n", service, "-c", t.config_dir],
                            stdin=b, stdout=b, stderr=subprocess.DEVNULL, env=t.env())
    b.close()
    t.expect_eq(read_attrs(a), {"protocol": "delivery_status_protocol"}, "greeting")
    a.sendall(request)
    reply = read_attrs(a)
    proc.wait(timeout=60)
    a.close()
    return int(reply["status"])


def append(t, service, rcpt, status, reason, orig="", notify=0, dtype="", dtext=""):
    return bounce_request(t, service, attrs(
        ("nrequest", 0), ("flags", 0), ("queue_id", QID),
        ("original_recipient", orig), ("recipient", rcpt), ("offset", 0),
        ("dsn_orig_rcpt", ""), ("notify_flags", notify),
        ("status", status), ("diag_type", dtype), ("diag_text", dtext), ("mta_type", ""),
        ("mta_mname", ""), ("action", ""), ("reason", reason)))


def flush(t, service, nrequest, sender, ret=0, envid=""):
    return bounce_request(t, service, attrs(
        ("nrequest", nrequest), ("flags", 0), ("queue_name", "active"), ("queue_id", QID),
        ("encoding", "7bit"), ("smtputf8", 0), ("sender", sender), ("envelope_id", envid),
        ("ret_flags", ret)))


def new_notices(t):
    d = os.path.join(t.queue_dir, "incoming")
    paths = [os.path.join(d, n) for n in sorted(os.listdir(d))]
    return [p for p in paths if os.stat(p).st_mode & 0o100]


def envelope(path):
    recs = read_records(path)
    return ([text for r, text in recs if r == "S"], [text for r, text in recs if r == "R"])


def test_append_writes_the_log_block(t):
    setup(t)
    t.expect_eq(append(t, "bounce", "nobody@example.org", "5.1.1", "unknown user: \"nobody\"",
                       orig="alias@example.org"), 0, "append status")
    with open(os.path.join(t.queue_dir, "bounce", QID)) as f:
        t.expect_eq(f.read(), "<nobody@example.org>: unknown user: \"nobody\"\n"
                    "recipient=nobody@example.org\noriginal_recipient=alias@example.org\n"
                    "offset=0\nnotify_flags=0\nstatus=5.1.1\nreason=unknown user: \"nobody\"\n\n",
                    "bounce log")
    t.expect_eq(append(t, "defer", "x@example.org", "4.4.1", "connection refused"), 0, "defer")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "defer", QID[0], QID)), True,
                "defer log is hashed")


def test_flush_sends_a_multipart_report_to_the_sender(t):
    setup(t)
    make_message(t)
    append(t, "bounce", "nobody@example.org", "5.1.1",
           "host mx.example.org[192.0.2.25] said: 550 5.1.1 <nobody@example.org>: Recipient "
           "address rejected: User unknown (in reply to RCPT TO command)", dtype="smtp",
           dtext="550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown")
    t.expect_eq(flush(t, "bounce", 1, "joe@example.test", envid="ENV42"), 0, "flush status")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "bounce", QID)), False, "log removed")
    notices = new_notices(t)
    t.expect_eq(len(notices), 1, "one notice")
    t.expect_eq(envelope(notices[0]), ([""], ["joe@example.test"]), "null sender, to the sender")
    msg = email.message_from_string(message_text(notices[0]), policy=email.policy.compat32)
    t.expect_eq(msg.get_content_type(), "multipart/report", "content type")
    t.expect_eq(msg.get_param("report-type"), "delivery-status", "report type")
    t.expect_eq(msg["Subject"], "Undelivered Mail Returned to Sender", "subject")
    # The stand-in trivial-rewrite qualifies with @example.test.
    t.expect_eq(msg["From"], "Mail Delivery System <MAILER-DAEMON@example.test>", "from")
    t.expect_eq(msg["Auto-Submitted"], "auto-replied", "auto-submitted")
    t.expect_eq(msg["In-Reply-To"], "<orig.1@example.test>", "threading")
    parts = msg.get_payload()
    t.expect_eq([p.get_content_type() for p in parts],
                ["text/plain", "message/delivery-status", "message/rfc822"], "parts")
    text = parts[0].get_payload()
    t.expect_in("This is the mail system at host mail.example.test.\n\n"
                "I'm sorry to have to inform you that your message could not\n"
                "be delivered to one or more recipients. It's attached below.\n", text)
    t.expect_in("<nobody@example.org>: host mx.example.org[192.0.2.25] said: 550 5.1.1\n"
                "    <nobody@example.org>: Recipient address rejected: User unknown (in reply to\n"
                "    RCPT TO command)\n", text)
    fields = parts[1].get_payload()
    t.expect_eq(fields[0]["Reporting-MTA"], "dns; mail.example.test", "reporting MTA")
    t.expect_eq(fields[0]["X-Postfix-Queue-ID"], QID, "queue id")
    t.expect_eq(fields[0]["Original-Envelope-Id"], "ENV42", "ENVID echoed")
    t.expect_eq(fields[0]["X-Postfix-Sender"], "rfc822; joe@example.test", "sender")
    t.expect_eq((fields[1]["Final-Recipient"], fields[1]["Action"], fields[1]["Status"]),
                ("rfc822; nobody@example.org", "failed", "5.1.1"), "recipient fields")
    t.expect_in("smtp; 550 5.1.1 <nobody@example.org>: Recipient address", fields[1]["Diagnostic-Code"])
    original = parts[2].get_payload()[0]
    t.expect_eq(original["Subject"], "original subject", "original attached")
    t.expect_eq(original.get_payload(), "hello there\n", "original body")
    t.wait_log("%s: sender non-delivery notification: " % QID)


def test_bounce_of_a_bounce_goes_to_postmaster_as_double_bounce(t):
    setup(t)
    t.conf(notify_classes="2bounce")
    make_message(t, sender="")
    append(t, "bounce", "nobody@example.org", "5.1.1", "unknown user")
    t.expect_eq(flush(t, "bounce", 1, ""), 0, "flush status")
    notices = new_notices(t)
    t.expect_eq(len(notices), 1, "one notice")
    t.expect_eq(envelope(notices[0]), (["double-bounce@mail.example.test"],
                                       ["postmaster@example.test"]), "double bounce envelope")
    msg = email.message_from_string(message_text(notices[0]), policy=email.policy.compat32)
    t.expect_eq(msg["Subject"], "Postmaster Copy: Undelivered Mail", "postmaster subject")
    t.expect_not_in("I'm sorry", msg.get_payload()[0].get_payload(), "no template text")


def test_never_bounce_to_the_null_sender_without_notify_classes(t):
    setup(t)
    make_message(t, sender="")
    append(t, "bounce", "nobody@example.org", "5.1.1", "unknown user")
    t.expect_eq(flush(t, "bounce", 1, ""), 0, "flush status")
    t.expect_eq(new_notices(t), [], "no notice at all")


def test_ret_hdrs_and_notify_never(t):
    setup(t)
    make_message(t)
    append(t, "bounce", "a@example.org", "5.1.1", "unknown user", notify=1)
    t.expect_eq(flush(t, "bounce", 1, "joe@example.test"), 0, "NOTIFY=NEVER: nothing to send")
    t.expect_eq(new_notices(t), [], "no notice")
    append(t, "bounce", "b@example.org", "5.1.1", "unknown user", notify=4)
    t.expect_eq(flush(t, "bounce", 1, "joe@example.test", ret=2), 0, "flush status")
    msg = email.message_from_string(message_text(new_notices(t)[0]), policy=email.policy.compat32)
    last = msg.get_payload()[2]
    t.expect_eq(last.get_content_type(), "text/rfc822-headers", "headers only")
    t.expect_not_in("hello there", last.get_payload(), "no body")


def test_delay_warning_keeps_the_defer_log(t):
    setup(t)
    t.conf(delay_warning_time="4h")
    make_message(t)
    append(t, "defer", "nobody@example.org", "4.4.1", "connect to mx.example.org[192.0.2.25]:25: "
           "Connection refused")
    t.expect_eq(flush(t, "defer", 2, "joe@example.test"), 0, "warn status")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "defer", QID[0], QID)), True, "log kept")
    msg = email.message_from_string(message_text(new_notices(t)[0]), policy=email.policy.compat32)
    t.expect_eq(msg["Subject"], "Delayed Mail (still being retried)", "subject")
    text = msg.get_payload()[0].get_payload()
    t.expect_in("Your message could not be delivered for more than 4 hour(s).\n"
                "It will be retried until it is 5 day(s) old.\n", text)
    t.expect_eq(msg.get_payload()[1].get_payload()[1]["Action"], "delayed", "action")
