"""smtp and lmtp, the SMTP/LMTP delivery agent, with scache, the connection cache.

The agents run under our master (root only). Until the queue manager is merged, each
scenario plays the queue manager itself: it writes a queue file into the active queue
with the record layer's format, connects to private/<service>, sends one delivery
request (attr0, the field order of deliver_request_send) and reads the reply. The
remote side is our smtp-sink (with its error-injection options), a second instance's
smtpd when available, Dovecot's lmtp, or a scripted server in this file. The delivery
results are checked in the maillog (exact Postfix wording), in the bounce/defer logs
and in the queue file (recipients marked done).
"""

import base64
import os
import pwd
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time

import harness
from harness import Failure, Skip

MASTER_CF = ("smtp      unix  -       -       n       -       -       smtp\n"
             "relay     unix  -       -       n       -       -       smtp\n"
             "lmtp      unix  -       -       n       -       -       lmtp\n"
             "scache    unix  -       -       n       -       1       scache\n"
             "bounce    unix  -       -       n       -       0       bounce\n"
             "defer     unix  -       -       n       -       0       bounce\n"
             "trace     unix  -       -       n       -       0       bounce\n")

_qid_counter = [0]


def new_qid():
    _qid_counter[0] += 1
    return "A%04X%05X" % (os.getpid() & 0xFFFF, _qid_counter[0])


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


class QueueFile:
    """A queue file in the active queue, as cleanup writes it."""

    def __init__(self, t, sender, rcpts, body, qid=None):
        self.qid = qid or new_qid()
        self.path = os.path.join(t.queue_dir, "active", self.qid)
        out = bytearray()
        size_rec = record("C", "%15d %15d %15d %15d %15d %15d" % (0, 0, len(rcpts), 0, 0, 0))
        out += size_rec
        out += record("T", "%d 0" % int(time.time()))
        out += record("S", sender)
        self.rcpt_offsets = []
        for r in rcpts:
            self.rcpt_offsets.append(len(out))
            out += record("R", r)
        out += record("M")
        self.data_offset = len(out)
        for line in body.split("\n"):
            raw = line.encode()
            while len(raw) > 2048:
                out += record("L", raw[:2048])
                raw = raw[2048:]
            out += record("N", raw)
        self.size = len(body.encode()) + body.count("\n") + 1
        out += record("X")
        out += record("E")
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "wb") as f:
            f.write(out)
        pw = pwd.getpwnam(t.user)
        os.chown(self.path, pw.pw_uid, pw.pw_gid)
        os.chmod(self.path, 0o700)

    def done_marks(self):
        """Recipient record types, in order: 'R' still to do, 'D' done."""
        return [r for r, _ in read_records(self.path) if r in "RD"]


def attrs(*pairs):
    out = b""
    for k, v in pairs:
        if isinstance(v, bytes):
            v = base64.b64encode(v)
        else:
            v = str(v).encode()
        out += k.encode() + b"\0" + v + b"\0"
    return out


def read_list(sock):
    """One attr0 list as a list of (name, value)."""
    buf = b""
    while True:
        c = sock.recv(1)
        if not c:
            raise Failure(f"agent closed the connection after {buf!r}")
        buf += c
        parts = buf.split(b"\0")
        # A complete list: even number of name/value strings, then an empty name.
        if buf.endswith(b"\0") and len(parts) >= 2 and parts[-2] == b"" and (len(parts) - 2) % 2 == 0:
            items = parts[:-2]
            return [(items[i].decode(), items[i + 1].decode("utf-8", "replace"))
                    for i in range(0, len(items), 2)]


def msg_stats():
    now = time.time()
    sec, usec = int(now), int((now % 1) * 1e6)
    tv = lambda s, u: struct.pack("qq", s, u)
    return tv(sec - 1, usec) + tv(sec, usec) + tv(sec, usec) + tv(0, 0) + tv(0, 0) + \
        struct.pack("i4x", 0)


def deliver(t, service, nexthop, rcpts, sender="joe@example.test",
            body="Subject: test\n\nhello world", encoding="7bit", flags=3, notify=None,
            orcpt=None, envid="", ret=0, smtputf8=0, qid=None, client=None):
    """Play qmgr: one delivery request; returns (status, hop_status_dict, queue_file)."""
    qf = QueueFile(t, sender, rcpts, body, qid)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(120)
    path = os.path.join(t.queue_dir, "private", service)
    t.wait_for(lambda: os.path.exists(path), f"socket {path}")
    sock.connect(path)
    t.expect_eq(read_list(sock), [("protocol", "delivery_request_protocol")], "announcement")
    req = [("flags", flags), ("queue_name", "active"), ("queue_id", qf.qid),
           ("offset", qf.data_offset), ("size", qf.size), ("nexthop", nexthop),
           ("encoding", encoding), ("smtputf8", smtputf8), ("sender", sender),
           ("envelope_id", envid), ("ret_flags", ret), ("time", msg_stats()),
           *[(k, (client or {}).get(k, "")) for k in (
               "log_client_name", "log_client_address", "log_client_port", "log_message_origin",
               "log_helo_name", "log_protocol_name")],
           ("rewrite_context", (client or {}).get("rewrite_context", "remote")), ("sasl_method", ""), ("sasl_username", ""),
           ("sasl_sender", ""), ("log_ident", qf.qid), ("recipient_count", len(rcpts))]
    for i, r in enumerate(rcpts):
        req += [("original_recipient", r), ("recipient", r), ("offset", qf.rcpt_offsets[i]),
                ("dsn_orig_rcpt", (orcpt or {}).get(r, "")),
                ("notify_flags", (notify or {}).get(r, 0))]
    sock.sendall(attrs(*req) + b"\0")
    reply = read_list(sock)
    sock.close()
    names = [k for k, _ in reply]
    t.expect_eq(names, ["status", "diag_type", "diag_text", "mta_type", "mta_mname", "action",
                        "reason", "status"], "reply layout")
    hop = dict(reply[:7])
    return int(reply[7][1]), hop, qf


class Sink:
    """Our smtp-sink on a free loopback port (or unix socket), dumping mail to a directory."""

    def __init__(self, t, *opts, unix=None, dump=True):
        self.t = t
        self.port = harness.free_port()
        self.dump_dir = t.path(f"dump-{self.port}")
        os.makedirs(self.dump_dir, exist_ok=True)
        os.chmod(self.dump_dir, 0o777)
        self.err = open(t.path(f"sink-{self.port}.err"), "w")
        args = [t.program("smtp-sink")]
        if os.geteuid() == 0:
            args += ["-u", t.user]
        if dump:
            args += ["-d", os.path.join(self.dump_dir, "%Y%m%d")]
        self.endpoint = f"unix:{unix}" if unix else f"127.0.0.1:{self.port}"
        args += [*opts, self.endpoint, "100"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err,
                                     env=t.env(), cwd=t.dir)
        if unix:
            t.wait_for(lambda: os.path.exists(unix), "smtp-sink unix socket")
        else:
            t.wait_for(self.accepting, f"smtp-sink on port {self.port}")

    def accepting(self):
        if self.proc.poll() is not None:
            raise Failure(f"smtp-sink exited with {self.proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5):
                return True
        except OSError:
            return False

    def messages(self):
        out = []
        for root, _, files in os.walk(self.dump_dir):
            for name in sorted(files):
                with open(os.path.join(root, name), errors="replace") as f:
                    out.append(f.read())
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.err.close()


def start(t, **params):
    t.conf(**params)
    t.start(MASTER_CF)


def log_lines(t, qid):
    return [line for line in t.log_text().splitlines() if f"{qid}: " in line]


def delivery_line(t, qid, rcpt):
    """The log line of one recipient's result, without the prefix up to the queue id."""
    for line in log_lines(t, qid):
        if f"to=<{rcpt}>" in line:
            return line[line.index(f"{qid}: "):]
    raise Failure(f"no delivery log line for {qid} <{rcpt}>\n{t.log_tail()}")


DELAYS = re.compile(r"delay=[0-9.]+, delays=[0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+")


def normalized(line):
    return DELAYS.sub("delay=D, delays=D", line)


# -- scenarios ----------------------------------------------------------------------------

def test_relay_to_sink_via_relayhost(t):
    sink = Sink(t)
    try:
        nexthop = f"[127.0.0.1]:{sink.port}"
        start(t, relayhost=nexthop)
        status, hop, qf = deliver(t, "smtp", nexthop, ["alice@example.org", "bob@example.org"])
        t.expect_eq(status, 0, "request status")
        t.expect_eq(hop["status"], "", "no hop status")
        for rcpt in ("alice@example.org", "bob@example.org"):
            t.expect_eq(normalized(delivery_line(t, qf.qid, rcpt)),
                        f"{qf.qid}: to=<{rcpt}>, relay=127.0.0.1[127.0.0.1]:{sink.port}, "
                        "delay=D, delays=D, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
                        "delivery log")
        t.expect_eq(qf.done_marks(), ["D", "D"], "recipients marked done")
        msgs = sink.messages()
        t.expect_eq(len(msgs), 1, "one message at the sink")
        t.expect_in("X-Helo-Args: mail.example.test\n", msgs[0])
        t.expect_in("X-Mail-Args: <joe@example.test> BODY=7BIT\n", msgs[0])
        t.expect_in("X-Rcpt-Args: <alice@example.org> ORCPT=rfc822;alice@example.org\n"
                    "X-Rcpt-Args: <bob@example.org> ORCPT=rfc822;bob@example.org\n", msgs[0])
        t.expect_in("Subject: test\n\nhello world\n", msgs[0])
    finally:
        sink.stop()


def expect_result(t, qf, rcpt, relay, dsn, status, reason):
    t.expect_eq(normalized(delivery_line(t, qf.qid, rcpt)),
                f"{qf.qid}: to=<{rcpt}>, relay={relay}, delay=D, delays=D, dsn={dsn}, "
                f"status={status} ({reason})", f"log line for <{rcpt}>")


def injected(t, sink_opts, stage_reply, dsn, status, rcpts=("u@example.org",)):
    sink = Sink(t, *sink_opts)
    try:
        start(t)
        rq_status, hop, qf = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", list(rcpts))
        host = "127.0.0.1[127.0.0.1]"
        for rcpt in rcpts:
            expect_result(t, qf, rcpt, f"{host}:{sink.port}", dsn, status,
                          f"host {host} {stage_reply}")
        final = status == "bounced"
        t.expect_eq(rq_status, 0 if final else -1, "request status")
        t.expect_eq(qf.done_marks(), ["D" if final else "R"] * len(rcpts), "queue file marks")
        return hop, qf
    finally:
        sink.stop()


def test_soft_reject_rcpt_defers(t):
    _, qf = injected(t, ["-r", "RCPT"], "said: 450 4.3.0 Error: command failed (in reply to "
                     "RCPT TO command)", "4.3.0", "deferred")
    t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "defer", qf.qid[0], qf.qid)), True,
                "defer log written")


def test_hard_reject_mail_bounces_all(t):
    _, qf = injected(t, ["-f", "MAIL"], "said: 500 5.3.0 Error: command failed (in reply to "
                     "MAIL FROM command)", "5.3.0", "bounced", rcpts=("a@example.org",
                                                                    "b@example.org"))
    with open(os.path.join(t.queue_dir, "bounce", qf.qid)) as f:
        text = f.read()
    t.expect_in("recipient=a@example.org\n", text)
    t.expect_in("diag_type=smtp\ndiag_text=500 5.3.0 Error: command failed\n", text)


def test_hard_reject_data(t):
    injected(t, ["-f", "DATA"], "said: 500 5.3.0 Error: command failed (in reply to DATA "
             "command)", "5.3.0", "bounced")


def test_soft_reject_end_of_data(t):
    injected(t, ["-r", "."], "said: 450 4.3.0 Error: command failed (in reply to end of DATA "
             "command)", "4.3.0", "deferred")


def test_greeting_refused_throttles_destination(t):
    hop, _ = injected(t, ["-r", "CONNECT"], "refused to talk to me: 450 4.3.0 Error: command "
                      "failed", "4.3.0", "deferred")
    t.expect_eq(hop["status"], "4.3.0", "hop status: the destination is unusable")


def test_5xx_greeting_is_skipped_as_soft(t):
    injected(t, ["-f", "CONNECT"], "refused to talk to me: 500 5.3.0 Error: command failed",
             "4.3.0", "deferred")


def test_hangup_after_mail(t):
    sink = Sink(t, "-q", "MAIL")
    try:
        start(t)
        status, hop, qf = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"])
        expect_result(t, qf, "u@example.org", f"127.0.0.1[127.0.0.1]:{sink.port}", "4.4.2",
                      "deferred", "lost connection with 127.0.0.1[127.0.0.1] while sending "
                      "MAIL FROM")
        t.expect_eq(status, -1, "request status")
    finally:
        sink.stop()


def test_connection_refused(t):
    port = harness.free_port()
    start(t)
    status, hop, qf = deliver(t, "smtp", f"[127.0.0.1]:{port}", ["u@example.org"])
    reason = f"connect to 127.0.0.1[127.0.0.1]:{port}: Connection refused"
    expect_result(t, qf, "u@example.org", "none", "4.4.1", "deferred", reason)
    t.expect_in(f"postfix/smtp[", t.log_text())
    t.expect_eq(any(line.endswith(f"]: {reason}") for line in t.log_text().splitlines()), True,
                "connect failure logged on its own")
    t.expect_eq(hop["status"], "4.4.1", "hop status")


def test_lmtp_to_sink_over_unix_socket(t):
    sock_path = t.path("lmtp.sock")
    sink = Sink(t, "-L", unix=sock_path)
    try:
        os.chmod(sock_path, 0o666)
        start(t)
        status, hop, qf = deliver(t, "lmtp", f"unix:{sock_path}", ["a@example.org",
                                                                   "b@example.org"])
        t.expect_eq(status, 0, "request status")
        for rcpt in ("a@example.org", "b@example.org"):
            expect_result(t, qf, rcpt, f"mail.example.test[{sock_path}]", "2.2.0", "sent",
                          "250 2.2.0 Ok")
        msgs = sink.messages()
        t.expect_eq(len(msgs), 1, "one message")
        t.expect_in("X-Client-Proto: LMTP\nX-Helo-Args: mail.example.test\n", msgs[0])
    finally:
        sink.stop()


def test_lmtp_inet_per_recipient_replies(t):
    sink = Sink(t, "-L")
    try:
        start(t)
        status, hop, qf = deliver(t, "lmtp", f"inet:127.0.0.1:{sink.port}", ["a@example.org"])
        t.expect_eq(status, 0, "request status")
        expect_result(t, qf, "a@example.org", f"127.0.0.1[127.0.0.1]:{sink.port}", "2.2.0",
                      "sent", "250 2.2.0 Ok")
    finally:
        sink.stop()


def test_lmtp_fallback_relay(t):
    sink = Sink(t, "-L")
    dead = harness.free_port()
    try:
        start(t, lmtp_fallback_relay=f"127.0.0.1:{sink.port}")
        status, hop, qf = deliver(t, "lmtp", f"inet:127.0.0.1:{dead}", ["a@example.org"])
        t.expect_eq(status, 0, "request status")
        expect_result(t, qf, "a@example.org", f"127.0.0.1[127.0.0.1]:{sink.port}", "2.2.0",
                      "sent", "250 2.2.0 Ok")
        t.expect_in(f"]: connect to 127.0.0.1[127.0.0.1]:{dead}: Connection refused\n",
                    t.log_text())
    finally:
        sink.stop()


EIGHT_BIT_BODY = "Subject: caf\u00e9\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n" \
    "Content-Transfer-Encoding: 8bit\n\nna\u00efve caf\u00e9 cr\u00e8me br\u00fbl\u00e9e"


def test_8bit_mail_downgraded_for_server_without_8bitmime(t):
    sink = Sink(t, "-8")
    try:
        start(t)
        status, _, qf = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"],
                                body=EIGHT_BIT_BODY, encoding="8bit")
        t.expect_eq(status, 0, "request status")
        msg = sink.messages()[0]
        t.expect_in("X-Mail-Args: <joe@example.test>\n", msg)
        t.expect_in("Content-Transfer-Encoding: quoted-printable\n", msg)
        t.expect_in("\nna=C3=AFve caf=C3=A9 cr=C3=A8me br=C3=BBl=C3=A9e\n", msg)
        t.expect_not_in("Content-Transfer-Encoding: 8bit", msg)
    finally:
        sink.stop()


def test_8bit_mail_with_8bitmime_and_conversion_disabled(t):
    with_8bitmime = Sink(t)
    without = Sink(t, "-8")
    try:
        start(t, disable_mime_output_conversion="yes")
        for sink in (with_8bitmime, without):
            status, _, _ = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"],
                                   body=EIGHT_BIT_BODY, encoding="8bit")
            t.expect_eq(status, 0, "request status")
            msg = sink.messages()[0]
            t.expect_in("\nna\u00efve caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\n", msg)
        t.expect_in("X-Mail-Args: <joe@example.test> BODY=8BITMIME\n",
                    with_8bitmime.messages()[0])
    finally:
        with_8bitmime.stop()
        without.stop()


def test_long_lines_are_broken_and_dots_stuffed(t):
    sink = Sink(t)
    try:
        start(t, smtp_line_length_limit="20")
        body = "Subject: x\n\n" + "a" * 45 + "\n.leading dot\n."
        status, _, _ = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"],
                               body=body)
        t.expect_eq(status, 0, "request status")
        msg = sink.messages()[0]
        t.expect_in("\n" + "a" * 20 + "\n " + "a" * 19 + "\n " + "a" * 6 + "\n.leading dot\n.\n",
                    msg)
    finally:
        sink.stop()


def test_connection_reuse_through_scache(t):
    sink = Sink(t, "-c")
    try:
        start(t, smtp_connection_cache_destinations="127.0.0.1",
              smtp_connection_cache_time_limit="10s", connection_cache_ttl_limit="10s",
              connection_cache_status_update_time="2s")
        nexthop = f"[127.0.0.1]:{sink.port}"
        _, _, first = deliver(t, "smtp", nexthop, ["one@example.org"])
        _, _, second = deliver(t, "smtp", nexthop, ["two@example.org"])
        relay = f"127.0.0.1[127.0.0.1]:{sink.port}"
        t.expect_eq(normalized(delivery_line(t, first.qid, "one@example.org")),
                    f"{first.qid}: to=<one@example.org>, relay={relay}, delay=D, delays=D, "
                    "dsn=2.0.0, status=sent (250 2.0.0 Ok)", "first use")
        t.expect_eq(normalized(delivery_line(t, second.qid, "two@example.org")),
                    f"{second.qid}: to=<two@example.org>, relay={relay}, conn_use=2, delay=D, "
                    "delays=D, dsn=2.0.0, status=sent (250 2.0.0 Ok)", "second use")
        msgs = sink.messages()
        t.expect_eq(len(msgs), 2, "two messages")
        t.expect_eq(len([m for m in msgs if "X-Helo-Args" in m]), 2, "helo seen in both dumps")
        # The cache's own account: the second request found the next hop.
        t.wait_log("scache[")
        t.wait_log("statistics: domain lookup hits=1 miss=1 success=50%")
        t.wait_log("statistics: address lookup hits=0 miss=1 success=0%")
        t.wait_log("statistics: max simultaneous domains=1 addresses=1 connection=1")
    finally:
        sink.stop()


# -- DNS: MX order and failover, with dnsmasq in a private network namespace ------------
#
# Each scenario runs in a child process started with "ip netns exec", so that the whole
# instance (master, smtp, the sinks, dnsmasq) has its own loopback network, where port 25
# is free and every 127.x.y.z address (and ::1) is local, and its own /etc/resolv.conf
# pointing at dnsmasq on 127.0.0.1. The child prints OK or the failure.
#
# Servers on port 25: 127.0.0.2 and 127.0.0.3 take mail, 127.0.0.5 greets with 450,
# 127.0.0.6 answers RCPT with 450, 127.0.0.7 with 500, 127.0.0.8 calls itself by the
# instance's own name, [::1] takes mail; nothing listens on 127.0.0.4.
# Names under tempfail.example.org are forwarded to a name server that does not answer,
# so that lookups of them time out (a temporary DNS error), except for the address of
# tempfail.example.org itself.

DNS_RECORDS = [
    "--mx-host=example.org,mx1.example.org,10", "--mx-host=example.org,mx2.example.org,20",
    "--host-record=mx1.example.org,127.0.0.2", "--host-record=mx2.example.org,127.0.0.3",
    "--mx-host=failover.example.org,mxdead.example.org,10",
    "--mx-host=failover.example.org,mx2.example.org,20",
    "--host-record=mxdead.example.org,127.0.0.4",
    "--mx-host=soft.example.org,mxsoft.example.org,10",
    "--mx-host=soft.example.org,mx2.example.org,20",
    "--host-record=mxsoft.example.org,127.0.0.5",
    "--host-record=plain.example.org,127.0.0.2",
    "--mx-host=loop.example.org,self.example.org,10",
    "--host-record=self.example.org,127.0.0.1",
    # A null MX (RFC 7505): preference 0, root name.
    "--dns-rr=nullmx.example.org,15,000000",
    "--server=/tempfail.example.org/127.0.0.1#5399",
    "--host-record=tempfail.example.org,127.0.0.2",
    "--mx-host=tempmx.example.org,mx.tempfail.example.org,10",
    # The only MX is unreachable.
    "--mx-host=deadonly.example.org,mxdead.example.org,10",
    # Three MX hosts: unreachable, then soft RCPT rejects, then good.
    "--mx-host=three.example.org,mxdead.example.org,10",
    "--mx-host=three.example.org,mxrcpt.example.org,20",
    "--mx-host=three.example.org,mx2.example.org,30",
    "--host-record=mxrcpt.example.org,127.0.0.6",
    # This host is a backup MX: only the better one may be used.
    "--mx-host=backup.example.org,mx2.example.org,10",
    "--mx-host=backup.example.org,self.example.org,20",
    "--mx-host=backupdead.example.org,mxdead.example.org,10",
    "--mx-host=backupdead.example.org,self.example.org,20",
    # The best MX has no address, the next one is this host.
    "--mx-host=noprimary.example.org,gone.example.org,5",
    "--mx-host=noprimary.example.org,self.example.org,10",
    # The only MX answers RCPT with 450, or with 550.
    "--mx-host=softonly.example.org,mxrcpt.example.org,10",
    "--mx-host=hardonly.example.org,mxhard.example.org,10",
    "--host-record=mxhard.example.org,127.0.0.7",
    # Two MX hosts with the same preference.
    "--mx-host=equal.example.org,mx1.example.org,10",
    "--mx-host=equal.example.org,mx2.example.org,10",
    "--mx-host=noaddr.example.org,gone.example.org,10",
    # A server that calls itself by our name.
    "--host-record=selfname.example.org,127.0.0.8",
    # Two unreachable IPv4 addresses and a good IPv6 one.
    "--host-record=many.example.org,127.0.0.4",
    "--host-record=many.example.org,127.0.0.11",
    "--host-record=many.example.org,::1",
    # One host with an IPv4 and an IPv6 address.
    "--host-record=dual.example.org,127.0.0.2,::1",
    "--local=/example.org/",
]

SINKS = {"127.0.0.2": [], "127.0.0.3": [], "127.0.0.5": ["-r", "CONNECT"],
         "127.0.0.6": ["-r", "RCPT"], "127.0.0.7": ["-f", "RCPT"],
         "127.0.0.8": ["-h", "mail.example.test"], "::1": []}


def dns_port_taken():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.bind(("127.0.0.1", 53))
            return False
        except OSError:
            return True


class NetnsWorld:
    """dnsmasq and the smtp-sinks of one scenario, inside the namespace."""

    def __init__(self, t):
        self.t = t
        self.procs = []
        self.procs.append(subprocess.Popen(
            ["dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts",
             "--listen-address=127.0.0.1", "--bind-interfaces", "--port=53", "--user=root",
             "--pid-file=", *DNS_RECORDS],
            stdout=subprocess.DEVNULL, stderr=open(t.path("dnsmasq.err"), "w")))
        for addr, opts in SINKS.items():
            self.sink_at(addr, *opts)
        t.wait_for(dns_port_taken, "dnsmasq listening on 127.0.0.1:53")

    def dump_dir(self, addr):
        return self.t.path("dump-" + addr.replace(":", "_"))

    def sink_at(self, addr, *opts, port=25):
        t = self.t
        os.makedirs(self.dump_dir(addr), exist_ok=True)
        os.chmod(self.dump_dir(addr), 0o777)
        endpoint = f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"
        args = [t.program("smtp-sink"), "-u", t.user, "-d",
                os.path.join(self.dump_dir(addr), "%Y"), *opts, endpoint, "100"]
        self.procs.append(subprocess.Popen(args, stderr=subprocess.DEVNULL))
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET

        def up():
            try:
                with socket.socket(family, socket.SOCK_STREAM) as s:
                    s.settimeout(2)
                    s.connect((addr, port))
                return True
            except OSError:
                return False
        t.wait_for(up, f"smtp-sink on {endpoint}")

    def messages(self, addr):
        out = []
        for root, _, files in os.walk(self.dump_dir(addr)):
            out += [open(os.path.join(root, f), errors="replace").read() for f in files]
        return out

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=10)


def netns_mx_order(t, w):
    start(t)
    # The best MX gets the mail.
    status, _, qf = deliver(t, "smtp", "example.org", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "mx1.example.org[127.0.0.2]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")

    # A dead primary: logged, then the backup.
    status, _, qf = deliver(t, "smtp", "failover.example.org", ["u@failover.example.org"])
    expect_result(t, qf, "u@failover.example.org", "mx2.example.org[127.0.0.3]:25",
                  "2.0.0", "sent", "250 2.0.0 Ok")
    t.expect_in("]: connect to mxdead.example.org[127.0.0.4]:25: Connection refused\n",
                t.log_text())

    # A primary that greets with 4xx: logged with the queue id, then the backup.
    status, _, qf = deliver(t, "smtp", "soft.example.org", ["u@soft.example.org"])
    expect_result(t, qf, "u@soft.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    t.expect_in(f"{qf.qid}: host mxsoft.example.org[127.0.0.5] refused to talk to me: "
                "450 4.3.0 Error: command failed\n", t.log_text())

    # No MX record: the domain's own address.
    status, _, qf = deliver(t, "smtp", "plain.example.org", ["u@plain.example.org"])
    expect_result(t, qf, "u@plain.example.org", "plain.example.org[127.0.0.2]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")

    # domain:port: MX lookup, then that port.
    w.sink_at("127.0.0.2", port=2525)
    status, _, qf = deliver(t, "smtp", "example.org:2525", ["p@example.org"])
    expect_result(t, qf, "p@example.org", "mx1.example.org[127.0.0.2]:2525", "2.0.0", "sent",
                  "250 2.0.0 Ok")

    # [host] skips the MX lookup.
    status, _, qf = deliver(t, "smtp", "[mx2.example.org]", ["v@example.org"])
    expect_result(t, qf, "v@example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")

    # Equal preferences: random order, so both get mail sooner or later (the odds
    # of one of them getting all 24 are 1 in 2**23).
    before = {a: len(w.messages(a)) for a in ("127.0.0.2", "127.0.0.3")}
    for i in range(24):
        deliver(t, "smtp", "equal.example.org", [f"r{i}@equal.example.org"])
    got = {a: len(w.messages(a)) - before[a] for a in before}
    t.expect_eq(sum(got.values()), 24, "all delivered")
    if 0 in got.values():
        raise Failure(f"equal MX preferences were not shuffled: {got}")

    # This host is the second MX: only the first one is tried.
    status, _, qf = deliver(t, "smtp", "backup.example.org", ["u@backup.example.org"])
    expect_result(t, qf, "u@backup.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")


def netns_dns_errors(t, w):
    t.start(MASTER_CF + "deferno   unix  -       -       n       -       -       smtp\n"
            "  -o smtp_defer_if_no_mx_address_found=yes\n")
    # A domain that does not exist bounces (the MX lookup finds nothing, then the
    # lookup of the domain's own address says the name does not exist).
    status, _, qf = deliver(t, "smtp", "nosuch.example.org", ["u@nosuch.example.org"])
    expect_result(t, qf, "u@nosuch.example.org", "none", "5.4.4", "bounced",
                  "Host or domain name not found. Name service error for "
                  "name=nosuch.example.org type=A: Host not found")
    t.expect_eq(status, 0, "bounced recipient is final")

    # A null MX bounces at once.
    status, _, qf = deliver(t, "smtp", "nullmx.example.org", ["u@nullmx.example.org"])
    expect_result(t, qf, "u@nullmx.example.org", "none", "5.1.0", "bounced",
                  "Domain nullmx.example.org does not accept mail (nullMX)")
    t.expect_eq(status, 0, "null MX: final")

    # The MX lookup times out: try again later.
    status, _, qf = deliver(t, "smtp", "tempfail.example.org", ["u@tempfail.example.org"])
    expect_result(t, qf, "u@tempfail.example.org", "none", "4.4.3", "deferred",
                  "Host or domain name not found. Name service error for "
                  "name=tempfail.example.org type=MX: Host not found, try again")
    t.expect_eq(status, -1, "DNS trouble defers")

    # The MX host's address lookup times out: also later.
    status, _, qf = deliver(t, "smtp", "tempmx.example.org", ["u@tempmx.example.org"])
    expect_result(t, qf, "u@tempmx.example.org", "none", "4.4.3", "deferred",
                  "Host or domain name not found. Name service error for "
                  "name=mx.tempfail.example.org type=A: Host not found, try again")
    t.expect_in("warning: no MX host for tempmx.example.org has a valid address record\n",
                t.log_text())

    # The only MX host has no address: bounce, or wait when so configured.
    status, _, qf = deliver(t, "smtp", "noaddr.example.org", ["u@noaddr.example.org"])
    expect_result(t, qf, "u@noaddr.example.org", "none", "5.4.4", "bounced",
                  "Host or domain name not found. Name service error for "
                  "name=gone.example.org type=A: Host not found")
    t.expect_in("warning: no MX host for noaddr.example.org has a valid address record\n",
                t.log_text())
    status, _, qf = deliver(t, "deferno", "noaddr.example.org", ["u@noaddr.example.org"])
    expect_result(t, qf, "u@noaddr.example.org", "none", "4.4.4", "deferred",
                  "Host or domain name not found. Name service error for "
                  "name=gone.example.org type=A: Host not found")

    # The best MX is this host.
    status, _, qf = deliver(t, "smtp", "loop.example.org", ["u@loop.example.org"])
    expect_result(t, qf, "u@loop.example.org", "none", "5.4.6", "bounced",
                  "mail for loop.example.org loops back to myself")

    # The server greets and answers EHLO with our own name.
    status, _, qf = deliver(t, "smtp", "[selfname.example.org]", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "selfname.example.org[127.0.0.8]:25", "5.4.6",
                  "bounced", "mail for [selfname.example.org] loops back to myself")
    for what in ("greeted me with", "replied to HELO/EHLO with"):
        t.expect_in(f"warning: host selfname.example.org[127.0.0.8]:25 {what} my own hostname "
                    "mail.example.test\n", t.log_text())

    # The best MX has no address and the next one is this host.
    status, _, qf = deliver(t, "smtp", "noprimary.example.org", ["u@noprimary.example.org"])
    expect_result(t, qf, "u@noprimary.example.org", "none", "4.4.4", "deferred",
                  "unable to find primary relay for noprimary.example.org")


def netns_ignore_mx_lookup_error(t, w):
    start(t, ignore_mx_lookup_error="yes")
    # The MX lookup times out; the domain's address is used instead.
    status, _, qf = deliver(t, "smtp", "tempfail.example.org", ["u@tempfail.example.org"])
    expect_result(t, qf, "u@tempfail.example.org", "tempfail.example.org[127.0.0.2]:25",
                  "2.0.0", "sent", "250 2.0.0 Ok")


def netns_fallback_relay(t, w):
    start(t, smtp_fallback_relay="[mx2.example.org]")
    # The only MX is down: the fallback relay takes the mail.
    status, _, qf = deliver(t, "smtp", "deadonly.example.org", ["u@deadonly.example.org"])
    expect_result(t, qf, "u@deadonly.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    t.expect_in("]: connect to mxdead.example.org[127.0.0.4]:25: Connection refused\n",
                t.log_text())
    # A destination that cannot be found goes to the fallback relay too.
    status, _, qf = deliver(t, "smtp", "nosuch.example.org", ["u@nosuch.example.org"])
    expect_result(t, qf, "u@nosuch.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    # A soft recipient error at the MX: the fallback relay gets the recipient.
    status, _, qf = deliver(t, "smtp", "softonly.example.org", ["u@softonly.example.org"])
    expect_result(t, qf, "u@softonly.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    t.expect_in(f"{qf.qid}: host mxrcpt.example.org[127.0.0.6] said: 450 4.3.0 Error: "
                "command failed (in reply to RCPT TO command)\n", t.log_text())
    # A hard one is final.
    status, _, qf = deliver(t, "smtp", "hardonly.example.org", ["u@hardonly.example.org"])
    expect_result(t, qf, "u@hardonly.example.org", "mxhard.example.org[127.0.0.7]:25", "5.3.0",
                  "bounced", "host mxhard.example.org[127.0.0.7] said: 500 5.3.0 Error: "
                  "command failed (in reply to RCPT TO command)")
    # Mail that loops is not handed to the fallback relay.
    status, _, qf = deliver(t, "smtp", "loop.example.org", ["u@loop.example.org"])
    expect_result(t, qf, "u@loop.example.org", "none", "5.4.6", "bounced",
                  "mail for loop.example.org loops back to myself")
    # Nor is mail for which this host is a backup MX: the primary's failure stands.
    status, _, qf = deliver(t, "smtp", "backupdead.example.org", ["u@backupdead.example.org"])
    expect_result(t, qf, "u@backupdead.example.org", "none", "4.4.1", "deferred",
                  "connect to mxdead.example.org[127.0.0.4]:25: Connection refused")
    t.expect_eq(len(w.messages("127.0.0.3")), 3, "three messages at the fallback relay")


def netns_fallback_relay_broken(t, w):
    start(t, smtp_fallback_relay="nosuch.example.org")
    # Neither the destination nor the fallback relay exists: a configuration
    # problem, so the mail waits instead of bouncing.
    status, _, qf = deliver(t, "smtp", "nosuch2.example.org", ["u@nosuch2.example.org"])
    expect_result(t, qf, "u@nosuch2.example.org", "none", "4.3.5", "deferred",
                  "Host or domain name not found. Name service error for "
                  "name=nosuch.example.org type=A: Host not found")
    t.expect_in("warning: smtp_fallback_relay configuration problem\n", t.log_text())


def netns_mx_limits(t, w):
    t.conf(smtp_mx_address_limit="1")
    t.start(MASTER_CF +
            "smtp2     unix  -       -       n       -       -       smtp\n"
            "  -o smtp_mx_address_limit=5 -o smtp_mx_session_limit=1\n"
            "smtp3     unix  -       -       n       -       -       smtp\n"
            "  -o smtp_mx_address_limit=0 -o smtp_mx_session_limit=0\n")
    # One address only: the unreachable primary, so the mail waits.
    status, _, qf = deliver(t, "smtp", "three.example.org", ["u@three.example.org"])
    expect_result(t, qf, "u@three.example.org", "none", "4.4.1", "deferred",
                  "connect to mxdead.example.org[127.0.0.4]:25: Connection refused")
    # One session: the unreachable primary does not count, the second MX's soft
    # RCPT reject is final.
    status, _, qf = deliver(t, "smtp2", "three.example.org", ["u@three.example.org"])
    expect_result(t, qf, "u@three.example.org", "mxrcpt.example.org[127.0.0.6]:25", "4.3.0",
                  "deferred", "host mxrcpt.example.org[127.0.0.6] said: 450 4.3.0 Error: "
                  "command failed (in reply to RCPT TO command)")
    # No limits: the third MX takes it.
    status, _, qf = deliver(t, "smtp3", "three.example.org", ["u@three.example.org"])
    expect_result(t, qf, "u@three.example.org", "mx2.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    t.expect_in(f"{qf.qid}: host mxrcpt.example.org[127.0.0.6] said: 450 4.3.0 Error: "
                "command failed (in reply to RCPT TO command)\n", t.log_text())


def netns_address_families(t, w):
    t.conf(inet_protocols="all")
    t.start(MASTER_CF +
            "smtp6     unix  -       -       n       -       -       smtp\n"
            "  -o smtp_address_preference=ipv6\n"
            "smtp4     unix  -       -       n       -       -       smtp\n"
            "  -o smtp_address_preference=ipv4\n"
            "only4     unix  -       -       n       -       -       smtp\n"
            "  -o inet_protocols=ipv4 -o smtp_address_preference=ipv6\n"
            "only6     unix  -       -       n       -       -       smtp\n"
            "  -o inet_protocols=ipv6 -o smtp_address_preference=ipv4\n"
            "balance   unix  -       -       n       -       -       smtp\n"
            "  -o smtp_address_preference=ipv4 -o smtp_mx_address_limit=2\n"
            "nobalance unix  -       -       n       -       -       smtp\n"
            "  -o smtp_address_preference=ipv4 -o smtp_mx_address_limit=2\n"
            "  -o smtp_balance_inet_protocols=no\n")
    for service, relay in (("smtp6", "dual.example.org[::1]:25"),
                           ("smtp4", "dual.example.org[127.0.0.2]:25"),
                           ("only4", "dual.example.org[127.0.0.2]:25"),
                           ("only6", "dual.example.org[::1]:25")):
        status, _, qf = deliver(t, service, "dual.example.org", ["u@dual.example.org"])
        expect_result(t, qf, "u@dual.example.org", relay, "2.0.0", "sent", "250 2.0.0 Ok")
    t.expect_eq(len(w.messages("::1")), 2, "two messages over IPv6")
    # Two addresses may be tried: with balancing, one of each family.
    status, _, qf = deliver(t, "balance", "[many.example.org]", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "many.example.org[::1]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")
    status, _, qf = deliver(t, "nobalance", "[many.example.org]", ["u@example.org"])
    t.expect_eq(status, -1, "only the two IPv4 addresses were tried")
    t.expect_in("deferred (connect to many.example.org[127.0.0.", delivery_line(t, qf.qid,
                                                                          "u@example.org"))


def netns_bind_address(t, w):
    # Addresses that are not loopback addresses (on the loopback interface).
    for cmd in (["ip", "addr", "add", "10.9.0.1/32", "dev", "lo"],
                ["ip", "-6", "addr", "add", "fd00:9::1/128", "dev", "lo", "nodad"]):
        subprocess.run(cmd, check=True, capture_output=True)
    t.conf(inet_interfaces="10.9.0.1")
    t.start(MASTER_CF +
            "explicit  unix  -       -       n       -       -       smtp\n"
            "  -o smtp_bind_address=127.0.0.9\n"
            "six       unix  -       -       n       -       -       smtp\n"
            "  -o inet_protocols=all -o smtp_address_preference=ipv6\n"
            "  -o smtp_bind_address6=fd00:9::1\n")
    # One interface address: mail leaves from it.
    status, _, qf = deliver(t, "smtp", "[mx2.example.org]", ["a@example.org"])
    t.expect_eq(status, 0, "request status")
    status, _, qf = deliver(t, "explicit", "[mx2.example.org]", ["b@example.org"])
    t.expect_eq(status, 0, "request status")
    status, _, qf = deliver(t, "six", "[dual.example.org]", ["c@example.org"])
    expect_result(t, qf, "c@example.org", "dual.example.org[::1]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")
    client = {}
    for addr in ("127.0.0.3", "::1"):
        for msg in w.messages(addr):
            rcpt = re.search(r"X-Rcpt-Args: <(\w)@", msg).group(1)
            client[rcpt] = re.search(r"X-Client-Addr: (\S+)", msg).group(1)
    t.expect_eq(client, {"a": "10.9.0.1", "b": "127.0.0.9", "c": "ipv6:fd00:9::1"},
                "source address per message")


def netns_best_mx_transport(t, w):
    t.conf(best_mx_transport="discard")
    t.start(MASTER_CF + "discard   unix  -       -       n       -       -       discard\n")
    # The best MX is this host: the mail goes to best_mx_transport instead of bouncing.
    status, _, qf = deliver(t, "smtp", "loop.example.org", ["u@loop.example.org"])
    t.expect_eq(status, 0, "request status")
    line = normalized(delivery_line(t, qf.qid, "u@loop.example.org"))
    t.expect_eq(line, f"{qf.qid}: to=<u@loop.example.org>, relay=none, delay=D, delays=D, "
                "dsn=2.0.0, status=sent (loop.example.org)", "handled by discard")
    t.expect_in("postfix/discard[", [x for x in t.log_text().splitlines() if qf.qid in x][0])
    t.expect_eq(qf.done_marks(), ["D"], "recipient done")


# The namespace's /etc/hosts, for the system resolver (smtp_host_lookup=native).
NETNS_HOSTS = ("127.0.0.1 localhost\n::1 localhost\n127.0.0.3 nativeonly.example.org\n"
               "127.0.0.3 example.org\n")


def netns_host_lookup(t, w):
    t.start(MASTER_CF +
            "native    unix  -       -       n       -       -       smtp\n"
            "  -o smtp_host_lookup=native\n"
            "nodns     unix  -       -       n       -       -       smtp\n"
            "  -o disable_dns_lookups=yes\n"
            "both      unix  -       -       n       -       -       smtp\n"
            "  -o smtp_host_lookup=dns,native\n")
    # Only the hosts file knows this name: the DNS lookup fails, the native one works.
    status, _, qf = deliver(t, "smtp", "[nativeonly.example.org]", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "none", "5.4.4", "bounced",
                  "Host or domain name not found. Name service error for "
                  "name=nativeonly.example.org type=A: Host not found")
    status, _, qf = deliver(t, "native", "[nativeonly.example.org]", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "nativeonly.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    # DNS first; when it does not know the name, the system resolver.
    status, _, qf = deliver(t, "both", "[nativeonly.example.org]", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "nativeonly.example.org[127.0.0.3]:25", "2.0.0",
                  "sent", "250 2.0.0 Ok")
    # MX lookups still use the DNS; the MX host's address comes from the system resolver.
    status, _, qf = deliver(t, "native", "example.org", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "mx1.example.org[127.0.0.2]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")
    # Without DNS lookups there is no MX lookup: the name's own (hosts file) address.
    status, _, qf = deliver(t, "nodns", "example.org", ["u@example.org"])
    expect_result(t, qf, "u@example.org", "example.org[127.0.0.3]:25", "2.0.0", "sent",
                  "250 2.0.0 Ok")
    status, _, qf = deliver(t, "nodns", "nosuch.example.org", ["u@nosuch.example.org"])
    expect_result(t, qf, "u@nosuch.example.org", "none", "5.4.4", "bounced",
                  "unable to look up host nosuch.example.org: Name or service not known")


def netns_run(t, scenario):
    if os.geteuid() != 0:
        raise Skip("network namespaces need root")
    if shutil.which("dnsmasq") is None:
        raise Skip("dnsmasq is not installed (Debian package dnsmasq-base)")
    ns = f"pft{os.getpid()}{abs(hash(scenario)) % 100000}"
    etc = f"/etc/netns/{ns}"
    if subprocess.run(["ip", "netns", "add", ns], capture_output=True).returncode != 0:
        raise Skip("cannot create a network namespace here")
    try:
        os.makedirs(etc, exist_ok=True)
        with open(os.path.join(etc, "resolv.conf"), "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        with open(os.path.join(etc, "hosts"), "w") as f:
            f.write(NETNS_HOSTS)
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True)
        child = subprocess.run(["ip", "netns", "exec", ns, "python3", os.path.abspath(__file__),
                                "--netns-child", t.build, t.dir, scenario],
                               capture_output=True, text=True, timeout=300,
                               env=dict(os.environ, PYTHONPATH=os.path.dirname(harness.__file__)))
        if child.stdout.strip() != "OK":
            raise Failure(f"scenario in the namespace failed:\n{child.stdout}{child.stderr}")
    finally:
        subprocess.run(["ip", "netns", "delete", ns], capture_output=True)
        shutil.rmtree(etc, ignore_errors=True)


def test_dns_mx_order_and_failover(t):
    netns_run(t, "netns_mx_order")


def test_dns_errors_null_mx_and_loops(t):
    netns_run(t, "netns_dns_errors")


def test_dns_ignore_mx_lookup_error(t):
    netns_run(t, "netns_ignore_mx_lookup_error")


def test_dns_fallback_relay(t):
    netns_run(t, "netns_fallback_relay")


def test_dns_fallback_relay_broken(t):
    netns_run(t, "netns_fallback_relay_broken")


def test_dns_mx_address_and_session_limits(t):
    netns_run(t, "netns_mx_limits")


def test_dns_native_host_lookup_and_disable_dns_lookups(t):
    netns_run(t, "netns_host_lookup")


def test_dns_best_mx_transport(t):
    netns_run(t, "netns_best_mx_transport")


def test_dns_bind_addresses(t):
    netns_run(t, "netns_bind_address")


def test_dns_address_preference_and_inet_protocols(t):
    netns_run(t, "netns_address_families")


if __name__ == "__main__" and len(os.sys.argv) == 5 and os.sys.argv[1] == "--netns-child":
    import traceback
    inst = harness.Instance(os.sys.argv[2], name="netns")
    world = None
    try:
        world = NetnsWorld(inst)
        globals()[os.sys.argv[4]](inst, world)
        print("OK")
    except BaseException:
        print(traceback.format_exc())
        print(inst.log_tail())
    finally:
        inst.stop()
        if world:
            world.stop()
        # Keep the child's instance next to the parent's for post-mortems.
        shutil.move(inst.dir, os.path.join(os.sys.argv[3], "netns-instance"))


DOVECOT_CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = lmtp
ssl = no
listen = 127.0.0.1
default_internal_user = {user}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = 0
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = {d}/users
}}
userdb {{
  driver = passwd-file
  args = {d}/users
  default_fields = uid={user} gid={group} home={d}/mail/%u
}}
service lmtp {{
  unix_listener {d}/lmtp.sock {{
    mode = 0666
  }}
}}
"""


def test_lmtp_into_dovecot(t):
    if shutil.which("dovecot") is None or not os.path.exists("/usr/lib/dovecot/lmtp"):
        raise Skip("dovecot is not installed (Debian packages dovecot-core dovecot-lmtpd)")
    if os.geteuid() != 0:
        raise Skip("dovecot's test configuration here needs root")
    d = t.path("dovecot")
    for sub in ("run", "state", "mail"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    pw = pwd.getpwnam(t.user)
    os.chown(os.path.join(d, "mail"), pw.pw_uid, pw.pw_gid)
    t.write("dovecot/users", "alice@example.org:{PLAIN}x::::::\n")
    conf = t.write("dovecot/dovecot.conf", DOVECOT_CONF.format(d=d, user=t.user, group=t.group,
                                                                uid=pw.pw_uid))
    proc = subprocess.Popen(["dovecot", "-F", "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=open(t.path("dovecot.err"), "w"))
    sock_path = os.path.join(d, "lmtp.sock")
    try:
        t.wait_for(lambda: os.path.exists(sock_path) or proc.poll() is not None,
                   "dovecot lmtp socket")
        if proc.poll() is not None:
            raise Failure(f"dovecot exited: {open(t.path('dovecot.err')).read()}")
        start(t)
        status, _, qf = deliver(t, "lmtp", f"unix:{sock_path}",
                                ["alice@example.org", "nobody@example.org"])
        t.expect_eq(status, 0, "request status: all final")
        line = normalized(delivery_line(t, qf.qid, "alice@example.org"))
        want = re.compile(re.escape(f"{qf.qid}: to=<alice@example.org>, relay=mail.example.test"
                                    f"[{sock_path}], delay=D, delays=D, dsn=2.0.0, status=sent "
                                    "(250 2.0.0 <alice@example.org> ") + r"\S+ Saved\)$")
        if not want.match(line):
            raise Failure(f"unexpected log line: {line}")
        expect_result(t, qf, "nobody@example.org", f"mail.example.test[{sock_path}]", "5.1.1",
                      "bounced", f"host mail.example.test[{sock_path}] said: 550 5.1.1 "
                      "<nobody@example.org> User doesn't exist: nobody@example.org "
                      "(in reply to RCPT TO command)")
        new = os.path.join(d, "mail", "alice@example.org", "new")
        files = os.listdir(new)
        t.expect_eq(len(files), 1, "one message in alice's maildir")
        with open(os.path.join(new, files[0])) as f:
            t.expect_in("Subject: test\n\nhello world", f.read())
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_bind_address(t):
    sink = Sink(t)
    try:
        start(t, smtp_bind_address="127.0.0.2")
        status, _, _ = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"])
        t.expect_eq(status, 0, "request status")
        t.expect_in("X-Client-Addr: 127.0.0.2\n", sink.messages()[0])
    finally:
        sink.stop()


def test_data_init_timeout(t):
    sink = Sink(t, "-p", "-w", "5")
    try:
        start(t, smtp_data_init_timeout="1s")
        status, _, qf = deliver(t, "smtp", f"[127.0.0.1]:{sink.port}", ["u@example.org"])
        expect_result(t, qf, "u@example.org", f"127.0.0.1[127.0.0.1]:{sink.port}", "4.4.2",
                      "deferred", "conversation with 127.0.0.1[127.0.0.1] timed out while "
                      "sending DATA command")
        t.expect_eq(status, -1, "request status")
    finally:
        sink.stop()


def test_relay_to_second_instance(t):
    if not os.path.exists(os.path.join(t.bindir, "smtpd")):
        raise Skip("smtpd is not built yet: relaying to a second instance needs its SMTP server")
    other = harness.Instance(t.build, name="receiver")
    try:
        other.conf(myhostname="receiver.example.test", mydestination="example.org",
                   inet_interfaces="127.0.0.1", compatibility_level="3.7",
                   local_recipient_maps="")
        other.start(f"{other.smtp_port} inet n - n - - smtpd\n"
                    "cleanup unix n - n - 0 cleanup\n"
                    "rewrite unix - - n - - trivial-rewrite\n")
        nexthop = f"[127.0.0.1]:{other.smtp_port}"
        start(t, relayhost=nexthop)
        status, _, qf = deliver(t, "smtp", nexthop, ["u@example.org"])
        t.expect_eq(status, 0, "request status")
        line = normalized(delivery_line(t, qf.qid, "u@example.org"))
        t.expect_in(f"relay=127.0.0.1[127.0.0.1]:{other.smtp_port}, delay=D, delays=D, "
                    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ", line)
    finally:
        other.stop()
        other.destroy()
