"""Delivery agents: virtual, pipe, error/retry, discard.

Until the queue manager and trivial-rewrite run together on main, each
scenario plays the queue manager itself: it writes a queue file into
active/ with the record layer's format, starts the instance's master with a
master.cf that lists the agent (and the bounce daemon for bounce/defer/trace),
connects to the agent's private socket and speaks the delivery request
protocol (attr0: "name\\0value\\0"... and an extra "\\0"). It then checks the
agent's reply, the mailbox/Maildir/command output, the R -> D flip of the
recipient records in the queue file, and the exact log lines.

Needs root (the master and these agents switch user ids); skips otherwise.
"""

import base64
import os
import pwd
import re
import socket
import struct
import time

from harness import Failure, Skip

QID = "4F2A81C0D2"
VUID = 5000
VGID = 5000

BASE_CF = """\
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
"""

MESSAGE = [
    "Subject: hello",
    "From: sender@example.test",
    "",
    "From the body",
    ".a dot line",
    "last line",
]


# -- queue files ----------------------------------------------------------------

def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


def write_queue_file(t, sender, rcpts, lines=MESSAGE, qid=QID):
    """Write active/<qid>; returns (data_offset, data_size, [R record offsets])."""
    head = record("C", "%15d %15d %15d %15d" % (0, 0, len(rcpts), 0))
    head += record("T", "%d 0" % int(time.time()))
    head += record("S", sender)
    offsets = []
    for orig, rcpt in rcpts:
        head += record("O", orig)
        offsets.append(len(head))
        head += record("R", rcpt)
    head += record("M")
    data_offset = len(head)
    body = b"".join(record("N", line) for line in lines)
    data = head + body + record("X") + record("E")
    qdir = os.path.join(t.queue_dir, "active")
    os.makedirs(qdir, exist_ok=True)
    path = os.path.join(qdir, qid)
    with open(path, "wb") as f:
        f.write(data)
    pw = pwd.getpwnam(t.user)
    os.chown(qdir, pw.pw_uid, pw.pw_gid)
    os.chown(path, pw.pw_uid, pw.pw_gid)
    os.chmod(path, 0o600)
    size = sum(len(line) + 1 for line in lines)
    return data_offset, size, offsets


def record_types(t, offsets, qid=QID):
    with open(os.path.join(t.queue_dir, "active", qid), "rb") as f:
        data = f.read()
    return "".join(chr(data[o]) for o in offsets)


# -- the delivery request protocol -------------------------------------------------

def attrs(pairs):
    return b"".join(str(k).encode() + b"\0" + str(v).encode() + b"\0" for k, v in pairs) + b"\0"


def read_list(sock):
    """One attribute list as [(name, value), ...]."""
    buf = b""
    while True:
        parts = buf.split(b"\0")
        # A list ends with an empty name where a name is expected.
        if len(parts) >= 2 and (len(parts) - 1) % 2 == 1 and parts[-2] == b"" and \
                buf.endswith(b"\0"):
            names = parts[:-2]
            return [(names[i].decode(), names[i + 1].decode()) for i in range(0, len(names), 2)]
        c = sock.recv(4096)
        if not c:
            raise Failure(f"agent closed the connection after {buf!r}")
        buf += c


def msg_stats():
    now = time.time()
    sec, usec = int(now), int((now % 1) * 1e6)
    # incoming_arrival, active_arrival, agent_handoff, conn_setup_done, deliver_done, reuse_count
    raw = struct.pack("=qqqqqqqqqqi4x", sec - 2, usec, sec - 1, usec, sec, usec, 0, 0, 0, 0, 0)
    return base64.b64encode(raw).decode()


def deliver(t, service, rcpts, offsets, data_offset, size, sender="sender@example.test",
            nexthop="example.test", flags=3, qid=QID, timeout=60):
    """Send one request to private/<service>; returns (hop status pairs, status)."""
    path = os.path.join(t.queue_dir, "private", service)
    t.wait_for(lambda: os.path.exists(path), f"socket {path}")
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(timeout)
    sock.connect(path)
    try:
        hello = read_list(sock)
        t.expect_eq(hello, [("protocol", "delivery_request_protocol")], "announcement")
        req = [("flags", flags), ("queue_name", "active"), ("queue_id", qid),
               ("offset", data_offset), ("size", size), ("nexthop", nexthop), ("encoding", "8bit"),
               ("smtputf8", 0), ("sender", sender), ("envelope_id", ""), ("ret_flags", 0),
               ("time", msg_stats()), ("log_client_name", "client.example"),
               ("log_client_address", "192.0.2.7"), ("log_client_port", "4321"),
               ("log_message_origin", "client.example[192.0.2.7]"),
               ("log_helo_name", "helo.example"), ("log_protocol_name", "ESMTP"),
               ("rewrite_context", "remote"), ("sasl_method", ""), ("sasl_username", ""),
               ("sasl_sender", ""), ("log_ident", qid), ("recipient_count", len(rcpts))]
        for (orig, rcpt), off in zip(rcpts, offsets):
            req += [("original_recipient", orig), ("recipient", rcpt), ("offset", off),
                    ("dsn_orig_rcpt", ""), ("notify_flags", 0)]
        sock.sendall(attrs(req))
        reply = read_list(sock)
    finally:
        sock.close()
    t.expect_eq([name for name, _ in reply],
                ["status", "diag_type", "diag_text", "mta_type", "mta_mname", "action", "reason",
                 "status"], "reply attribute names")
    return reply[:7], int(reply[7][1])


def log_line(t, rcpt, fields):
    """Wait for the agent's log line for rcpt; return the text after 'delays=...'."""
    pat = re.compile(r"postfix/\S+\[\d+\]: " + QID + r": to=<" + re.escape(rcpt) +
                     r">, (.*)$", re.M)
    text = t.wait_for(lambda: [m.group(1) for m in pat.finditer(t.log_text())],
                      f"log line for {rcpt}")[-1]
    stripped = re.sub(r"delay=[\d.]+, delays=[\d./]+, ", "", text)
    t.expect_eq(stripped, fields, f"log line for {rcpt}")


def start(t, services):
    if os.geteuid() != 0:
        raise Skip("delivery agents switch user ids: needs root")
    t.start(master_cf=BASE_CF + services)


# -- virtual ------------------------------------------------------------------------

VIRTUAL_CF = "virtual   unix  -       n       n       -       -       virtual\n"


def virtual_setup(t, **extra):
    base = t.path("vmail")
    os.makedirs(os.path.join(base, "ex.test"))
    os.chown(os.path.join(base, "ex.test"), VUID, VGID)
    os.chmod(os.path.join(base, "ex.test"), 0o770)  # shared by the users of group VGID
    params = dict(virtual_mailbox_base=base,
                  virtual_mailbox_domains="ex.test",
                  virtual_mailbox_maps="inline:{a@ex.test=ex.test/a/, b@ex.test=ex.test/b, "
                                       "low@ex.test=ex.test/low, @ex.test=ex.test/catchall/}",
                  virtual_uid_maps="inline:{b@ex.test=5001, low@ex.test=50}, static:%d" % VUID,
                  virtual_gid_maps="static:%d" % VGID,
                  recipient_delimiter="+")
    params.update(extra)
    t.conf(**params)
    start(t, VIRTUAL_CF)
    return base


def maildir_files(path):
    new = os.path.join(path, "new")
    return sorted(os.listdir(new)) if os.path.isdir(new) else []


def test_virtual_maildir_and_catch_all(t):
    base = virtual_setup(t)
    rcpts = [("alias@other.test", "a+tag@ex.test"), ("ZZ@Ex.Test", "zz@ex.test")]
    off, size, roffs = write_queue_file(t, "sender@example.test", rcpts)
    hop, status = deliver(t, "virtual", rcpts, roffs, off, size)
    t.expect_eq(status, 0, "reply status")
    t.expect_eq(hop[0], ("status", ""), "no hop status")
    t.expect_eq(record_types(t, roffs), "DD", "recipients marked done")
    for rcpt, box in (("a+tag@ex.test", "ex.test/a/"), ("zz@ex.test", "ex.test/catchall/")):
        files = maildir_files(os.path.join(base, box))
        t.expect_eq(len(files), 1, f"one message in {box}new/")
        t.expect_in(".V", files[0], "maildir file name")
        t.expect_in("mail.example.test", files[0], "maildir file name")
        path = os.path.join(base, box, "new", files[0])
        st = os.stat(path)
        t.expect_eq((st.st_uid, st.st_gid, st.st_mode & 0o777), (VUID, VGID, 0o600), "owner")
        t.expect_eq(os.listdir(os.path.join(base, box, "tmp")), [], "tmp/ cleaned up")
        t.expect_eq(os.path.isdir(os.path.join(base, box, "cur")), True, "cur/ created")
        orig = dict(rcpts_rev(rcpts))[rcpt]
        with open(path) as f:
            t.expect_eq(f.read(), "Return-Path: <sender@example.test>\n"
                                  f"X-Original-To: {orig}\n"
                                  f"Delivered-To: {rcpt}\n" + "\n".join(MESSAGE) + "\n",
                        f"maildir message for {rcpt}")
    log_line(t, "a+tag@ex.test", "orig_to=<alias@other.test>, relay=virtual, dsn=2.0.0, "
                                 "status=sent (delivered to maildir)")
    log_line(t, "zz@ex.test", "relay=virtual, dsn=2.0.0, status=sent (delivered to maildir)")


def rcpts_rev(rcpts):
    return [(r, o) for o, r in rcpts]


def test_virtual_mailbox_uid_map_and_unknown(t):
    base = virtual_setup(t, virtual_mailbox_maps="inline:{b@ex.test=ex.test/b}")
    rcpts = [("b@ex.test", "b@ex.test"), ("nobody@ex.test", "Nobody@ex.test")]
    off, size, roffs = write_queue_file(t, "", rcpts)
    hop, status = deliver(t, "virtual", rcpts, roffs, off, size, sender="")
    t.expect_eq(status, 0, "reply status (delivered and bounced are both final)")
    t.expect_eq(record_types(t, roffs), "DD", "recipients marked done")
    path = os.path.join(base, "ex.test", "b")
    st = os.stat(path)
    t.expect_eq((st.st_uid, st.st_gid, st.st_mode & 0o777), (5001, VGID, 0o600), "mailbox owner")
    with open(path) as f:
        text = f.read()
    first, rest = text.split("\n", 1)
    if not re.fullmatch(r"From MAILER-DAEMON  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}", first):
        raise Failure(f"From_ line: {first!r}")
    body = "\n".join(">From the body" if l == "From the body" else l for l in MESSAGE)
    t.expect_eq(rest, "Return-Path: <>\nX-Original-To: b@ex.test\nDelivered-To: b@ex.test\n" +
                body + "\n\n", "mailbox content")
    log_line(t, "b@ex.test", "relay=virtual, dsn=2.0.0, status=sent (delivered to mailbox)")
    log_line(t, "Nobody@ex.test", "relay=virtual, dsn=5.1.1, "
                                  "status=bounced (unknown user: \"nobody@ex.test\")")
    # A second delivery appends.
    os.makedirs(os.path.join(t.queue_dir, "active"), exist_ok=True)
    off, size, roffs = write_queue_file(t, "x@example.test", rcpts[:1])
    deliver(t, "virtual", rcpts[:1], roffs, off, size, sender="x@example.test")
    with open(path) as f:
        t.expect_eq(f.read().count("\nReturn-Path: "), 2, "two messages in the mailbox")


def test_virtual_minimum_uid_defers(t):
    virtual_setup(t)
    rcpts = [("low@ex.test", "low@ex.test")]
    off, size, roffs = write_queue_file(t, "sender@example.test", rcpts)
    hop, status = deliver(t, "virtual", rcpts, roffs, off, size)
    t.expect_eq(status, -1, "reply status (deferred)")
    t.expect_eq(record_types(t, roffs), "R", "recipient still to do")
    log_line(t, "low@ex.test", "relay=virtual, dsn=4.3.5, "
                               "status=deferred (mail system configuration error)")
    t.expect_in("warning: recipient low@ex.test: bad uid 50 in virtual_uid_maps", t.log_text())
    t.expect_eq(os.path.exists(t.path("vmail", "ex.test", "low")), False, "no mailbox")


def test_virtual_mailbox_limit_bounces_and_truncates(t):
    base = virtual_setup(t, message_size_limit="1000", virtual_mailbox_limit="2000")
    path = os.path.join(base, "ex.test", "b")
    with open(path, "w") as f:
        f.write("x" * 1950 + "\n")
    os.chown(path, 5001, VGID)
    os.chmod(path, 0o600)
    rcpts = [("b@ex.test", "b@ex.test")]
    off, size, roffs = write_queue_file(t, "sender@example.test", rcpts)
    hop, status = deliver(t, "virtual", rcpts, roffs, off, size)
    t.expect_eq(status, 0, "reply status (bounced is final)")
    t.expect_eq(record_types(t, roffs), "D", "recipient done")
    t.expect_eq(os.path.getsize(path), 1951, "mailbox truncated back")
    log_line(t, "b@ex.test", f"relay=virtual, dsn=5.2.2, status=bounced (delivery failed to "
                             f"mailbox {path}: error writing message: File too large)")


def test_virtual_mailbox_lock_dotlock(t):
    """virtual_mailbox_lock = dotlock: a lock file that someone holds makes the delivery
    wait deliver_lock_attempts times and then defer; without dotlock it does not matter."""
    base = virtual_setup(t, virtual_mailbox_lock="fcntl, dotlock", deliver_lock_attempts="2",
                         deliver_lock_delay="1s")
    path = os.path.join(base, "ex.test", "b")
    with open(path + ".lock", "w"):
        pass
    rcpts = [("b@ex.test", "b@ex.test")]
    off, size, roffs = write_queue_file(t, "sender@example.test", rcpts)
    hop, status = deliver(t, "virtual", rcpts, roffs, off, size)
    t.expect_eq(status, -1, "deferred")
    t.expect_eq(record_types(t, roffs), "R", "recipient still to do")
    log_line(t, "b@ex.test", f"relay=virtual, dsn=4.2.0, status=deferred (delivery failed to "
                             f"mailbox {path}: unable to create lock file {path}.lock: "
                             "File exists)")
    t.expect_eq(os.path.exists(path) and os.path.getsize(path) > 0, False, "nothing written")


def test_virtual_limit_smaller_than_message_limit_is_fatal(t):
    virtual_setup(t, message_size_limit="5000", virtual_mailbox_limit="2000")
    rcpts = [("b@ex.test", "b@ex.test")]
    off, size, roffs = write_queue_file(t, "sender@example.test", rcpts)
    path = os.path.join(t.queue_dir, "private", "virtual")
    t.wait_for(lambda: os.path.exists(path), "virtual socket")
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(30)
    sock.connect(path)
    t.wait_log("fatal: configuration error: virtual_mailbox_limit is smaller than "
               "message_size_limit")
    sock.close()


# -- pipe ---------------------------------------------------------------------------

SCRIPT = """#!/bin/sh
# record.sh OUT STATUS MESSAGE ARGS...: save the arguments and standard input
out=$1; status=$2; message=$3; shift 3
{ for a in "$@"; do printf '[%s]\\n' "$a"; done; echo "uid=$(id -u) cwd=$(pwd)"; echo ---; cat; } > "$out"
[ -n "$message" ] && printf '%s\\n' "$message"
exit "$status"
"""


def pipe_setup(t, services):
    if os.geteuid() != 0:
        raise Skip("delivery agents switch user ids: needs root")
    out = t.path("out")
    os.makedirs(out)
    os.chmod(out, 0o777)
    t.write("record.sh", SCRIPT, mode=0o755)
    t.conf(recipient_delimiter="+")
    start(t, services.replace("SCRIPT", t.path("record.sh")).replace("OUT", out))
    return out


def read_out(path):
    with open(path, newline="") as f:
        return f.read()


def test_pipe_flags_macros_and_per_recipient_arguments(t):
    out = pipe_setup(t, "pipetest  unix  -       n       n       -       -       pipe\n"
                        "  flags=Rq. user=nobody directory=/tmp eol=\\r\\n\n"
                        "  argv=SCRIPT OUT/multi 0 hello -f ${sender} -n ${nexthop} "
                        "-s $size -q ${queue_id} -c ${client_address}/${client_helo} "
                        "-- ${recipient} {${user} ${extension}}\n")
    rcpts = [("Joe+X@Example.test", "Joe+X@Example.test"), ("bob@example.test", "bob@example.test")]
    off, size, roffs = write_queue_file(t, "Odd Sender@example.test", rcpts)
    hop, status = deliver(t, "pipetest", rcpts, roffs, off, size, sender="Odd Sender@example.test",
                          nexthop="Gate.Example")
    t.expect_eq(status, 0, "reply status")
    t.expect_eq(record_types(t, roffs), "DD", "recipients marked done")
    nobody = pwd.getpwnam("nobody").pw_uid
    body = "\r\n".join(".." + l[1:] if l.startswith(".") else l for l in MESSAGE)
    t.expect_eq(read_out(os.path.join(out, "multi")),
                "[-f]\n[\"Odd Sender\"@example.test]\n[-n]\n[Gate.Example]\n"
                f"[-s]\n[{size}]\n[-q]\n[{QID}]\n[-c]\n[192.0.2.7/helo.example]\n[--]\n"
                "[Joe+X@Example.test]\n[bob@example.test]\n[Joe X]\n[bob ]\n"
                f"uid={nobody} cwd=/tmp\n---\n"
                "Return-Path: <\"Odd Sender\"@example.test>\r\n" + body + "\r\n",
                "command arguments and input")
    for rcpt in ("Joe+X@Example.test", "bob@example.test"):
        log_line(t, rcpt, "relay=pipetest, dsn=2.0.0, "
                          "status=sent (delivered via pipetest service (hello))")


def test_pipe_address_macros_and_case_folding(t):
    """${mailbox}, ${domain}, ${original_recipient}, ${user}, ${extension} and ${nexthop};
    flags u and h fold the recipient's local part and domain (and h the domain and
    nexthop) to lower case; X makes the delivery final."""
    out = pipe_setup(t, "pipetest  unix  -       n       n       -       -       pipe\n"
                        "  flags=uhX user=nobody\n"
                        "  argv=SCRIPT OUT/macros 0 ok ${mailbox} ${domain} ${original_recipient}"
                        " ${recipient} ${user} ${extension} ${nexthop}\n"
                        "plain     unix  -       n       n       -       -       pipe\n"
                        "  user=nobody\n"
                        "  argv=SCRIPT OUT/plain 0 ok ${mailbox} ${domain} ${recipient} ${nexthop}\n")
    rcpts = [("Orig.One@Example.TEST", "Joe+Ext@Example.TEST")]
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "pipetest", rcpts, roffs, off, size, nexthop="Gate.Example")
    t.expect_eq(status, 0, "reply status")
    t.expect_eq(read_out(os.path.join(out, "macros")).split("uid=")[0],
                "[joe+ext]\n[example.test]\n[orig.one@example.test]\n[joe+ext@example.test]\n"
                "[joe]\n[ext]\n[gate.example]\n", "folded macros")
    log_line(t, "Joe+Ext@Example.TEST", "orig_to=<Orig.One@Example.TEST>, relay=pipetest, "
                                        "dsn=2.0.0, status=sent (delivered via pipetest service (ok))")
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "plain", rcpts, roffs, off, size, nexthop="Gate.Example")
    t.expect_eq(read_out(os.path.join(out, "plain")).split("uid=")[0],
                "[Joe+Ext]\n[Example.TEST]\n[Joe+Ext@Example.TEST]\n[Gate.Example]\n",
                "macros without folding")


def test_pipe_size_limit_bounces(t):
    out = pipe_setup(t, "pipetest  unix  -       n       n       -       -       pipe\n"
                        "  user=nobody size=10 argv=SCRIPT OUT/big 0 ok\n")
    rcpts = [("u@example.test", "u@example.test")]
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "pipetest", rcpts, roffs, off, size)
    t.expect_eq(status, 0, "final: bounced")
    t.expect_eq(record_types(t, roffs), "D", "recipient marked done")
    log_line(t, "u@example.test", "relay=pipetest, dsn=5.2.3, status=bounced (message too large)")
    t.expect_eq(os.path.exists(os.path.join(out, "big")), False, "command not run")


def test_pipe_delivered_to_loop_and_null_sender(t):
    out = pipe_setup(t, "pipetest  unix  -       n       n       -       -       pipe\n"
                        "  flags=FDOB> user=nobody null_sender=\n"
                        "  argv=SCRIPT OUT/one 0 {} -f ${sender} ${original_recipient}\n")
    rcpts = [("orig@example.test", "Final@Example.TEST")]
    off, size, roffs = write_queue_file(t, "", rcpts)
    hop, status = deliver(t, "pipetest", rcpts, roffs, off, size, sender="")
    t.expect_eq(status, 0, "reply status")
    text = read_out(os.path.join(out, "one"))
    head, content = text.split("---\n", 1)
    t.expect_eq(head.split("uid=")[0], "[-f]\n[]\n[orig@example.test]\n", "arguments")
    first, rest = content.split("\n", 1)
    if not first.startswith("From MAILER-DAEMON  "):
        raise Failure(f"From_ line: {first!r}")
    body = "\n".join(">From the body" if l == "From the body" else l for l in MESSAGE)
    t.expect_eq(rest, "X-Original-To: orig@example.test\nDelivered-To: final@example.test\n" +
                body + "\n\n", "command input")
    log_line(t, "Final@Example.TEST", "orig_to=<orig@example.test>, relay=pipetest, dsn=2.0.0, "
                                      "status=sent (delivered via pipetest service)")
    # A message that already has our Delivered-To: is a loop.
    lines = ["Delivered-To: final@example.test"] + MESSAGE
    off, size, roffs = write_queue_file(t, "", rcpts, lines=lines, qid="4F2A81C0D3")
    os.unlink(os.path.join(out, "one"))
    hop, status = deliver(t, "pipetest", rcpts, roffs, off, size, sender="", qid="4F2A81C0D3")
    t.expect_eq(status, 0, "reply status (bounced)")
    t.wait_log("4F2A81C0D3: to=<Final@Example.TEST>, orig_to=<orig@example.test>, "
               "relay=pipetest, ")
    t.expect_in("dsn=5.4.6, status=bounced (mail forwarding loop for Final@Example.TEST)",
                t.log_text())
    t.expect_eq(os.path.exists(os.path.join(out, "one")), False, "command not run")


def test_pipe_exit_codes(t):
    services = ""
    for name, code, msg in (("p0", 0, ""), ("p75", 75, "try again"), ("p67", 67, ""),
                            ("p1", 1, "it broke"), ("pdsn", 1, "5.7.1 go away")):
        services += (f"{name}  unix  -  n  n  -  -  pipe user=nobody "
                     f"argv=SCRIPT OUT/{name} {code} {{{msg}}} ${{recipient}}\n")
    services += "pbig  unix  -  n  n  -  -  pipe user=nobody size=10 argv=SCRIPT OUT/big 0 {}\n"
    pipe_setup(t, services)
    script = t.path("record.sh")
    expect = {
        "p0": (0, "dsn=2.0.0, status=sent (delivered via p0 service)", "D"),
        "p75": (-1, "dsn=4.3.0, status=deferred (temporary failure. Command output: try again )",
                "R"),
        "p67": (0, "dsn=5.1.1, status=bounced (user unknown)", "D"),
        "p1": (0, f"dsn=5.3.0, status=bounced (Command died with status 1: \"{script}\". "
                  "Command output: it broke )", "D"),
        "pdsn": (0, "dsn=5.7.1, status=bounced (go away )", "D"),
        "pbig": (0, "dsn=5.2.3, status=bounced (message too large)", "D"),
    }
    for i, (name, (want_status, fields, rtype)) in enumerate(expect.items()):
        qid = "4F2A81C0E%d" % i
        rcpt = f"{name}@example.test"
        off, size, roffs = write_queue_file(t, "s@example.test", [(rcpt, rcpt)], qid=qid)
        hop, status = deliver(t, name, [(rcpt, rcpt)], roffs, off, size, sender="s@example.test",
                              qid=qid)
        t.expect_eq(status, want_status, f"{name} reply status")
        t.expect_eq(record_types(t, roffs, qid=qid), rtype, f"{name} recipient record")
        line = t.wait_for(lambda: re.search(qid + r": to=<" + re.escape(rcpt) + r">, (.*)",
                                            t.log_text()), f"{name} log line").group(1)
        t.expect_eq(re.sub(r"delay=[\d.]+, delays=[\d./]+, ", "", line),
                    f"relay={name}, " + fields, f"{name} log line")
    t.expect_eq(os.path.exists(t.path("out", "big")), False, "oversized message not delivered")


def test_pipe_time_limit(t):
    t.conf(slow_time_limit="2s")
    t.write("slow.sh", "#!/bin/sh\ncat >/dev/null\necho started\nexec sleep 30\n", mode=0o755)
    pipe_setup(t, f"slow  unix  -  n  n  -  -  pipe user=nobody argv={t.path('slow.sh')}\n")
    rcpts = [("s@example.test", "s@example.test")]
    off, size, roffs = write_queue_file(t, "x@example.test", rcpts)
    started = time.monotonic()
    hop, status = deliver(t, "slow", rcpts, roffs, off, size)
    elapsed = time.monotonic() - started
    if not 1.5 <= elapsed < 20:
        raise Failure(f"time limit took {elapsed:.1f}s")
    t.expect_eq(status, 0, "reply status (bounced)")
    log_line(t, "s@example.test", "relay=slow, dsn=5.3.0, status=bounced (Command time limit "
                                  f"exceeded: \"{t.path('slow.sh')}\". Command output: started )")


def test_pipe_refuses_root(t):
    pipe_setup(t, "bad  unix  -  n  n  -  -  pipe user=root argv=/bin/cat\n")
    rcpts = [("s@example.test", "s@example.test")]
    off, size, roffs = write_queue_file(t, "x@example.test", rcpts)
    path = os.path.join(t.queue_dir, "private", "bad")
    t.wait_for(lambda: os.path.exists(path), "socket")
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(30)
    sock.connect(path)
    t.wait_log("fatal: user= command-line attribute specifies root privileges: root")
    sock.close()
    t.expect_eq(record_types(t, roffs), "R", "recipient untouched")


# -- error, retry, discard ----------------------------------------------------------

ERROR_CF = """\
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
"""


def test_error_bounces_with_the_nexthop_text(t):
    start(t, ERROR_CF)
    rcpts = [("a@example.test", "a@example.test"), ("b@example.test", "b@example.test")]
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "error", rcpts, roffs, off, size, nexthop="5.1.1 mailbox gone")
    t.expect_eq(status, 0, "reply status")
    t.expect_eq(record_types(t, roffs), "DD", "recipients done")
    for o, r in rcpts:
        log_line(t, r, "relay=none, dsn=5.1.1, status=bounced (mailbox gone)")
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts[:1], qid="4F2A81C0D4")
    deliver(t, "error", rcpts[:1], roffs, off, size, nexthop="no such domain", qid="4F2A81C0D4")
    t.wait_log("4F2A81C0D4: to=<a@example.test>, relay=none, ")
    t.expect_in("dsn=5.0.0, status=bounced (no such domain)", t.log_text())
    t.wait_for(lambda: os.path.exists(os.path.join(t.queue_dir, "bounce", "4F2A81C0D4")),
               "bounce log")


def test_retry_defers(t):
    start(t, ERROR_CF)
    rcpts = [("a@example.test", "a@example.test")]
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "retry", rcpts, roffs, off, size, nexthop="try later")
    t.expect_eq(status, -1, "reply status")
    t.expect_eq(record_types(t, roffs), "R", "recipient not done")
    log_line(t, "a@example.test", "relay=none, dsn=4.0.0, status=deferred (try later)")
    t.wait_for(lambda: os.path.exists(os.path.join(t.queue_dir, "defer", QID[0], QID)) or
               os.path.exists(os.path.join(t.queue_dir, "defer", QID)), "defer log")


def test_discard_marks_done(t):
    start(t, ERROR_CF)
    rcpts = [("a@example.test", "a@example.test"), ("b@example.test", "b@example.test")]
    off, size, roffs = write_queue_file(t, "s@example.test", rcpts)
    hop, status = deliver(t, "discard", rcpts, roffs, off, size, nexthop="spam trap")
    t.expect_eq(status, 0, "reply status")
    t.expect_eq(record_types(t, roffs), "DD", "recipients done")
    for o, r in rcpts:
        log_line(t, r, "relay=none, dsn=2.0.0, status=sent (spam trap)")


# -- the whole mail system ----------------------------------------------------------

PIPELINE_CF = """\
pickup    unix  n - n 60  1 pickup
cleanup   unix  n - n -   0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -   - trivial-rewrite
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
virtual   unix  - n n -   - virtual
error     unix  - - n -   - error
retry     unix  - - n -   - error
discard   unix  - - n -   - discard
pipetest  unix  - n n -   - pipe flags=Fq user=nobody argv=SCRIPT OUT/pipe.${queue_id} 0 {} ${recipient}
"""


def test_full_pipeline_sendmail_to_every_agent(t):
    """sendmail -> pickup -> cleanup -> qmgr -> virtual, pipe, discard, error, under master."""
    if os.geteuid() != 0:
        raise Skip("delivery agents switch user ids: needs root")
    base = t.path("vmail")
    os.makedirs(os.path.join(base, "ex.test"))
    os.chown(os.path.join(base, "ex.test"), VUID, VGID)
    out = t.path("out")
    os.makedirs(out)
    os.chmod(out, 0o777)
    t.write("record.sh", SCRIPT, mode=0o755)
    t.conf(virtual_mailbox_base=base, virtual_mailbox_domains="ex.test",
           virtual_mailbox_maps="inline:{a@ex.test=ex.test/a/}",
           virtual_uid_maps="static:%d" % VUID, virtual_gid_maps="static:%d" % VGID,
           transport_maps="inline:{ pipe.test=pipetest:, {err.test = error:5.1.1 gone away}, "
                          "{drop.test = discard:dropped here} }",
           mydestination="$myhostname, localhost", queue_run_delay="1s",
           minimal_backoff_time="1s", maximal_backoff_time="2s",
           import_environment="MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C "
                              "ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS",
           export_environment="TZ MAIL_CONFIG LANG ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS")
    try:
        t.start(PIPELINE_CF.replace("SCRIPT", t.path("record.sh")).replace("OUT", out))
        t.run("sendmail", "-f", "sender@example.test", "a@ex.test", "x@ex.test", "u@pipe.test",
              "v@err.test", "w@drop.test", input="Subject: pipeline\n\nFrom the pipeline\n",
              check=0)
        box = os.path.join(base, "ex.test", "a")
        t.wait_for(lambda: maildir_files(box), "maildir delivery")
        with open(os.path.join(box, "new", maildir_files(box)[0])) as f:
            text = f.read()
        t.expect_in("Return-Path: <sender@example.test>\nX-Original-To: a@ex.test\n"
                    "Delivered-To: a@ex.test\n", text, "maildir headers")
        t.expect_in("\nFrom the pipeline\n", text, "maildir body")
        t.wait_log("to=<a@ex.test>, relay=virtual")
        t.wait_log('status=bounced (unknown user: "x@ex.test")')
        t.wait_log("status=sent (delivered via pipetest service)")
        t.wait_log("to=<v@err.test>, relay=none")
        t.wait_log("dsn=5.1.1, status=bounced (gone away)")
        t.wait_log("to=<w@drop.test>, relay=none")
        t.wait_log("status=sent (dropped here)")
        files = [f for f in os.listdir(out) if f.startswith("pipe.")]
        t.expect_eq(len(files), 1, "one pipe delivery")
        content = read_out(os.path.join(out, files[0]))
        t.expect_in("[u@pipe.test]\n", content, "pipe argument")
        if not re.search(r"---\nFrom sender@example\.test  \w{3} \w{3} [ \d]\d ", content):
            raise Failure(f"pipe input lacks the From_ line: {content!r}")
    finally:
        t.stop()
