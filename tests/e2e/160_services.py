"""Support services under the master: proxymap/proxywrite, verify and postlogd.

proxymap is exercised the way users meet it, through "postmap -q/-s" of
proxy: tables (including the refusal of a table that proxy_read_maps does
not list, with Postfix's words on both sides). verify is driven over its
socket with the address verification protocol, as smtpd's and the delivery
agents' verify_clnt would; its cache goes through proxywrite, and a probe
for an unknown address is followed into the incoming queue (qmgr is not
running, so it stays there). postlogd receives the log lines of a sendmail
that runs as an unprivileged user. All scenarios run the master: root only.
"""

import grp
import os
import pwd
import socket
import subprocess

from harness import Skip

PROXY_CF = """\
proxymap   unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
"""

VERIFY_CF = PROXY_CF + """\
verify     unix - - n - 1 verify
rewrite    unix - - n - - trivial-rewrite
cleanup    unix n - n - 0 cleanup
"""

POSTLOG_CF = "postlog unix-dgram n - n - 1 postlogd\n"


def need_root():
    if os.geteuid() != 0:
        raise Skip("the master daemon runs only as root")


class AttrClient:
    """A client of a private/ service speaking the null-terminated attribute protocol."""

    def __init__(self, t, service, protocol):
        path = os.path.join(t.queue_dir, "private", service)
        t.wait_for(lambda: os.path.exists(path), f"socket {path}")
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(20)
        self.sock.connect(path)
        self.buf = b""
        t.expect_eq(self.recv(), [("protocol", protocol)], f"{service} announcement")

    def recv(self):
        attrs = []
        while True:
            while not self.buf.startswith(b"\0") and self.buf.count(b"\0") < 2:
                data = self.sock.recv(4096)
                if not data:
                    raise EOFError("server closed the connection")
                self.buf += data
            if self.buf.startswith(b"\0"):
                self.buf = self.buf[1:]
                return attrs
            name, value, self.buf = self.buf.split(b"\0", 2)
            attrs.append((name.decode(), value.decode()))

    def request(self, *pairs):
        self.sock.sendall(b"".join(k.encode() + b"\0" + str(v).encode() + b"\0"
                                   for k, v in pairs) + b"\0")
        return self.recv()

    def close(self):
        self.sock.close()


# -- proxymap ------------------------------------------------------------------

def proxy_table(t):
    src = t.write("etc/users", "alice alice-value\nbob bob-value\n")
    t.run("postmap", "-c", t.config_dir, "hash:" + src, check=0)
    return src


def test_proxymap_lookups_and_sequence_through_postmap(t):
    need_root()
    src = proxy_table(t)
    t.conf(proxy_read_maps="$local_recipient_maps proxy:hash:" + src)
    t.start(PROXY_CF)
    table = "proxy:hash:" + src
    r = t.run("postmap", "-c", t.config_dir, "-q", "alice", table, check=0)
    t.expect_eq(r.stdout, "alice-value\n", "lookup of an existing key")
    r = t.run("postmap", "-c", t.config_dir, "-q", "ALICE", table, check=0)
    t.expect_eq(r.stdout, "alice-value\n", "postmap folds fixed-string keys")
    r = t.run("postmap", "-c", t.config_dir, "-q", "carol", table, check=1)
    t.expect_eq((r.stdout, r.stderr), ("", ""), "a missing key")
    r = t.run("postmap", "-c", t.config_dir, "-q", "-", table, input="bob\nnone\nalice\n",
              check=0)
    t.expect_eq(r.stdout, "bob\tbob-value\nalice\talice-value\n", "keys from stdin")
    r = t.run("postmap", "-c", t.config_dir, "-s", table, check=0)
    t.expect_eq(sorted(r.stdout.splitlines()), ["alice\talice-value", "bob\tbob-value"],
                "sequence")


def test_proxymap_refuses_unlisted_table(t):
    need_root()
    src = proxy_table(t)
    t.start(PROXY_CF)
    r = t.run("postmap", "-c", t.config_dir, "-q", "alice", "proxy:hash:" + src, check=1)
    t.expect_eq(r.stderr, f'postmap: fatal: proxymap service is not configured for table '
                          f'"hash:{src}"\n', "client's refusal")
    t.wait_log(f'warning: request for unapproved table: "hash:{src}"')
    t.wait_log(f"warning: to approve this table for read-only access, list proxy:hash:{src} "
               "in main.cf:proxy_read_maps")


def test_proxymap_protocol_errors_and_writer_refusal(t):
    need_root()
    src = proxy_table(t)
    t.conf(proxy_read_maps="proxy:hash:" + src)
    t.start(PROXY_CF)
    c = AttrClient(t, "proxymap", "proxymap_protocol")
    try:
        t.expect_eq(c.request(("request", "open"), ("table", "hash:" + src), ("flags", 64)),
                    [("status", "0"), ("flags", "92")], "open: fixed-string table, try nulls")
        t.expect_eq(c.request(("request", "lookup"), ("table", "proxy:hash:" + src),
                              ("flags", 16448), ("key", "BOB")),
                    [("status", "0"), ("value", "bob-value")], "folded lookup")
        t.expect_eq(c.request(("request", "update"), ("table", "hash:" + src), ("flags", 64),
                              ("key", "x"), ("value", "y")),
                    [("status", "4")], "update on the read-only service")
        t.expect_eq(c.request(("request", "lookup"), ("table", "nocolon"), ("flags", 64),
                              ("key", "x")),
                    [("status", "3"), ("value", "")], "malformed table name")
        t.expect_eq(c.request(("request", "frobnicate")), [("status", "3")],
                    "unknown request")
        t.expect_eq(c.request(("request", "lookup"), ("table", "hash:" + src), ("flags", 64),
                              ("key", "alice")),
                    [("status", "0"), ("value", "alice-value")], "still in step afterwards")
    finally:
        c.close()
    t.wait_log(f"warning: refusing hash:{src} update request on non-proxywrite service")
    t.wait_log('warning: unrecognized request: "frobnicate", ignored')


# -- verify ----------------------------------------------------------------------

def cache_entries(t, path):
    r = t.run("postmap", "-c", t.config_dir, "-s", "btree:" + path, check=0)
    return dict(line.split("\t", 1) for line in r.stdout.splitlines())


def test_verify_update_query_and_cache_through_proxywrite(t):
    need_root()
    cache = os.path.join(t.data_dir, "verify_cache")
    t.conf(address_verify_map="proxy:btree:$data_directory/verify_cache")
    t.start(VERIFY_CF)
    c = AttrClient(t, "verify", "address_verification_prrotocol")
    try:
        t.expect_eq(c.request(("request", "update"), ("address", "ok@example.test"),
                              ("recipient_status", 0), ("reason", "250 2.0.0 Ok")),
                    [("status", "0")], "update to deliverable")
        t.expect_eq(c.request(("request", "query"), ("address", "ok@example.test")),
                    [("status", "0"), ("recipient_status", "0"), ("reason", "250 2.0.0 Ok")],
                    "query of a cached address")
        # A failed probe must not clobber a positive record that has not expired.
        t.expect_eq(c.request(("request", "update"), ("address", "ok@example.test"),
                              ("recipient_status", 2), ("reason", "550 no")),
                    [("status", "0")], "failed probe for a good address")
        t.expect_eq(c.request(("request", "query"), ("address", "ok@example.test"))[1],
                    ("recipient_status", "0"), "positive record kept")
        t.expect_eq(c.request(("request", "update"), ("address", "bad@[2001:db8::1]"),
                              ("recipient_status", 2), ("reason", "550 5.1.1 unknown")),
                    [("status", "0")], "update to undeliverable")
        t.expect_eq(c.request(("request", "update"), ("address", "x@example.test"),
                              ("recipient_status", 9), ("reason", "?")),
                    [("status", "-2")], "invalid status")
    finally:
        c.close()
    t.wait_log("warning: bad recipient status 9 for recipient x@example.test")
    entries = cache_entries(t, cache)
    ok = entries.get("ok@example.test", "").split(":", 3)
    t.expect_eq((ok[0], ok[1], ok[3]), ("0", "0", "250 2.0.0 Ok"), "cached positive record")
    bad = entries.get("bad@[2001_db8__1]", "").split(":", 3)
    t.expect_eq((bad[0], bad[1], bad[3]), ("2", "0", "550 5.1.1 unknown"),
                "cached negative record, ':' neutered in the key")


def queue_files(t, queue):
    out = []
    for root, _, files in os.walk(os.path.join(t.queue_dir, queue)):
        out.extend(os.path.join(root, f) for f in files)
    return out


def read_records(path):
    with open(path, "rb") as f:
        data = f.read()
    out, i = [], 0
    while i < len(data):
        rtype = chr(data[i])
        i += 1
        length, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append((rtype, data[i:i + length].decode("utf-8", "replace")))
        i += length
    return out


def test_verify_query_of_unknown_address_sends_a_probe(t):
    need_root()
    t.start(VERIFY_CF)
    c = AttrClient(t, "verify", "address_verification_prrotocol")
    try:
        t.expect_eq(c.request(("request", "query"), ("address", "new@example.test")),
                    [("status", "0"), ("recipient_status", "3"),
                     ("reason", "Address verification in progress")], "first query")
        files = t.wait_for(lambda: [f for f in queue_files(t, "incoming")
                                    if os.stat(f).st_mode & 0o100], "probe in the queue")
        recs = read_records(files[0])
        t.expect_in(("A", "trace_flags=256"), recs, "probe trace flags")
        t.expect_in(("S", "double-bounce@mail.example.test"), recs, "probe sender")
        t.expect_in(("R", "new@example.test"), recs, "probe recipient")
        # A second query within the probe's lifetime sends nothing new.
        t.expect_eq(c.request(("request", "query"), ("address", "new@example.test"))[1],
                    ("recipient_status", "3"), "second query")
    finally:
        c.close()
    t.expect_eq(len(queue_files(t, "incoming")), 1, "one probe only")
    t.wait_log("cache btree:" + os.path.join(t.data_dir, "verify_cache")
               + " full cleanup: retained=")


# -- postlogd ----------------------------------------------------------------------

def run_as(t, user, groups, prog, *args, input=""):
    pw = pwd.getpwnam(user)
    return subprocess.run([t.program(prog), *args], input=input, capture_output=True, text=True,
                          env=t.env(), cwd="/", timeout=60, user=pw.pw_uid, group=pw.pw_gid,
                          extra_groups=groups)


def test_postlogd_writes_lines_of_unprivileged_sendmail(t):
    need_root()
    t.conf(maillog_file_prefixes="/var, /dev/stdout, " + t.dir,
           local_login_sender_maps="inline:{{nobody = nobody@example.com}}")
    t.start(POSTLOG_CF)
    os.chmod(t.maillog, 0o644)
    uid = pwd.getpwnam("nobody").pw_uid
    line = f"fatal: root@example.com({uid}): not authorized to use sender='root@example.com'"
    # A user with the setgid group (what the set-gid postdrop and postqueue have).
    r = run_as(t, "nobody", [grp.getgrnam(t.group).gr_gid], "sendmail", "-f",
               "root@example.com", "u", input="x\n")
    t.expect_eq((r.returncode, r.stderr), (75, f"sendmail: {line}\n"), "setgid-group user")
    t.wait_log("postfix/sendmail[")
    logged = [ln for ln in t.log_text().splitlines() if "postfix/sendmail[" in ln]
    t.expect_eq(len(logged), 1, "one sendmail line in the log")
    t.expect_eq(logged[0].split(": ", 1)[1], line, "the line postlogd wrote")
    t.expect_eq(logged[0].split(" ")[3], "mail", "host name field ($myhostname)")
    # Without the group there is no way to postlogd, and no complaint about it either.
    r = run_as(t, "nobody", [], "sendmail", "-f", "nobody@example.com", "u", input="x\n")
    t.expect_not_in("logfile", r.stderr, "plain user's stderr")
    t.expect_eq(len([ln for ln in t.log_text().splitlines() if "postfix/sendmail[" in ln]), 1,
                "nothing more from sendmail in the log")


def test_postlogd_refuses_a_log_file_outside_the_prefixes(t):
    need_root()
    t.start(POSTLOG_CF)
    run_as(t, "nobody", [grp.getgrnam(t.group).gr_gid], "sendmail", "-bz")
    t.wait_log("postfix/postlogd[")
    t.wait_log(f"fatal: maillog_file value '{t.maillog}' does not match any prefix in "
               "maillog_file_prefixes")


PROBE_PIPELINE_CF = VERIFY_CF + """\
qmgr      unix  n - n 300 1 qmgr
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
local     unix  - n n -   - local
"""


def test_verify_probes_through_the_pipeline_update_the_cache(t):
    """query -> probe -> cleanup -> qmgr -> local reports to verify -> next query answers."""
    need_root()
    spool = t.path("mail")
    os.makedirs(spool, 0o755)
    t.conf(biff="no", alias_maps="", mail_spool_directory=spool,
           mydestination="$myhostname, localhost")
    t.start(PROBE_PIPELINE_CF)
    c = AttrClient(t, "verify", "address_verification_prrotocol")
    try:
        for addr in ("root@mail.example.test", "nosuch@mail.example.test"):
            t.expect_eq(c.request(("request", "query"), ("address", addr))[1],
                        ("recipient_status", "3"), f"first query of {addr}")

        def answer(addr):
            reply = c.request(("request", "query"), ("address", addr))
            return reply if reply[1][1] != "3" else None

        good = t.wait_for(lambda: answer("root@mail.example.test"), "probe result for root")
        bad = t.wait_for(lambda: answer("nosuch@mail.example.test"), "probe result for nosuch")
    finally:
        c.close()
    t.expect_eq(good[1], ("recipient_status", "0"), "root is deliverable")
    t.expect_eq(bad[1], ("recipient_status", "2"), "nosuch is undeliverable")
    t.expect_in('unknown user: "nosuch"', bad[2][1], "reason of the failed probe")
    t.wait_log("to=<root@mail.example.test>, relay=local")
    t.wait_log("status=deliverable")
    t.wait_log("status=undeliverable")
    t.expect_eq(os.listdir(spool), [], "probes deliver nothing")
