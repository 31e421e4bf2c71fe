"""local: the real delivery agent ("local -S", one delivery request on a socket pair)
delivers queue files that the test writes with the record layer, while the test plays
the queue manager over the delivery request protocol.

Until master, qmgr and bounce are on main, small stand-ins serve what local talks to:
private/rewrite (trivial-rewrite: "rewrite" appends @mail.example.test, "resolve" sends
mail.example.test and localhost to transport "local", everything else to "smtp"),
private/bounce, defer and trace (record each request, answer status 0), public/cleanup
(runs our "cleanup -S" on each connection, for forwarded mail) and private/<transport>
for mailbox_transport/fallback_transport (records the request, answers "done").

Needs root: the scenarios create throwaway users with useradd and remove them again.
"""

import grp
import os
import pwd
import re
import socket
import stat
import struct
import subprocess
import threading
import time
import uuid

from harness import Failure, Skip

HOST = "mail.example.test"
DATE_RE = re.compile(r"^(From \S+  )[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$", re.M)


# -- wire formats --------------------------------------------------------------
def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


class Conn:
    """attr0 lists over a stream socket."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def _string(self):
        while b"\0" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        s, _, self.buf = self.buf.partition(b"\0")
        return s.decode(errors="replace")

    def read_list(self):
        pairs = []
        while True:
            name = self._string()
            if name == "":
                return pairs
            pairs.append((name, self._string()))

    def send(self, pairs):
        self.sock.sendall(b"".join(n.encode() + b"\0" + str(v).encode() + b"\0" for n, v in pairs)
                          + b"\0")


# -- stand-in services -----------------------------------------------------------
class Services:
    def __init__(self, t):
        self.t = t
        self.requests = []          # (service, [(name, value), ...])
        self.lock = threading.Lock()
        for q in ("incoming", "active", "private", "public"):
            os.makedirs(os.path.join(t.queue_dir, q), exist_ok=True)
        self.listen("private/rewrite", self.rewrite)
        for name in ("bounce", "defer", "trace"):
            self.listen("private/" + name, lambda c, n=name: self.status_service(c, n))
        self.listen("public/cleanup", self.cleanup)

    def listen(self, rel, handler):
        path = os.path.join(self.t.queue_dir, rel)
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        os.chmod(path, 0o666)
        srv.listen(20)

        def loop():
            while True:
                conn, _ = srv.accept()
                threading.Thread(target=self.guard, args=(handler, conn), daemon=True).start()

        threading.Thread(target=loop, daemon=True).start()

    @staticmethod
    def guard(handler, conn):
        try:
            handler(conn)
        except (EOFError, OSError):
            pass
        finally:
            conn.close()

    def note(self, service, pairs):
        with self.lock:
            self.requests.append((service, pairs))

    def of(self, service):
        with self.lock:
            return [dict(p) for s, p in self.requests if s == service]

    def rewrite(self, sock):
        c = Conn(sock)
        c.send([("protocol", "trivial_rewrite_protocol")])
        while True:
            req = dict(c.read_list())
            addr = req.get("address", "")
            if req.get("request") == "rewrite":
                if addr and "@" not in addr:
                    addr += "@" + HOST
                c.send([("flags", 0), ("address", addr)])
            else:
                domain = addr.rpartition("@")[2].lower()
                if domain in (HOST, "localhost"):
                    reply = [("transport", "local"), ("nexthop", HOST)]
                    cls = 1 << 8
                else:
                    reply = [("transport", "smtp"), ("nexthop", domain)]
                    cls = 1 << 12
                c.send([("flags", 0)] + reply + [("recipient", addr), ("flags", cls)])

    def status_service(self, sock, name):
        c = Conn(sock)
        c.send([("protocol", "delivery_status_protocol")])
        self.note(name, c.read_list())
        c.send([("status", 0)])

    def cleanup(self, sock):
        proc = subprocess.Popen([self.t.program("cleanup"), "-S"], stdin=sock.fileno(),
                                stdout=sock.fileno(), stderr=subprocess.DEVNULL, env=self.t.env())
        proc.wait(timeout=60)

    def transport(self, name):
        def serve(sock):
            c = Conn(sock)
            c.send([("protocol", "delivery_request_protocol")])
            self.note(name, c.read_list())
            c.send([("status", ""), ("diag_type", ""), ("diag_text", ""), ("mta_type", ""),
                    ("mta_mname", ""), ("action", ""), ("reason", ""), ("status", 0)])
        self.listen("private/" + name, serve)


# -- users -----------------------------------------------------------------------
class Users:
    """Throwaway local accounts, removed again by close()."""

    def __init__(self, t):
        if os.geteuid() != 0:
            raise Skip("needs root: creates local users and switches to them")
        self.t, self.names = t, []

    def add(self, short):
        name = "lt" + uuid.uuid4().hex[:6] + short[:4]
        home = self.t.path("home", name)
        os.makedirs(os.path.dirname(home), exist_ok=True)
        os.chmod(os.path.dirname(home), 0o755)
        r = subprocess.run(["useradd", "-M", "-d", home, "-s", "/bin/sh", "-U", name],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Skip(f"useradd failed: {r.stderr.strip()}")
        self.names.append(name)
        pw = pwd.getpwnam(name)
        os.mkdir(home, 0o755)
        os.chown(home, pw.pw_uid, pw.pw_gid)
        return name

    def close(self):
        for name in self.names:
            subprocess.run(["userdel", name], capture_output=True)


# -- the scenario driver ---------------------------------------------------------
class Local:
    def __init__(self, t, **conf):
        self.t = t
        self.users = Users(t)
        self.svc = Services(t)
        self.spool = t.path("mail")
        self.out = t.path("out")
        os.makedirs(self.spool, 0o755)
        os.makedirs(self.out)
        os.chmod(self.out, 0o1777)
        self.aliases = t.write("etc/aliases", "")
        self.set_aliases("")
        settings = dict(biff="no", mail_spool_directory=self.spool, alias_maps="hash:" + self.aliases,
                        myhostname=HOST, mydestination="$myhostname, localhost",
                        recipient_delimiter="", mailbox_size_limit=51200000,
                        command_time_limit="20s", deliver_lock_attempts=2)
        settings.update(conf)
        t.conf(**settings)
        self.count = 0

    def close(self):
        self.users.close()

    def conf(self, **kw):
        self.t.conf(**kw)

    def set_aliases(self, text):
        with open(self.aliases, "w") as f:
            f.write(text)
        self.t.run("postalias", "hash:" + self.aliases, check=0)

    def home(self, user):
        return pwd.getpwnam(user).pw_dir

    def write_as(self, user, path, text, mode=0o644):
        with open(path, "w") as f:
            f.write(text)
        pw = pwd.getpwnam(user)
        os.chown(path, pw.pw_uid, pw.pw_gid)
        os.chmod(path, mode)

    def queue_file(self, sender, rcpts, lines):
        """Write active/QID as cleanup would; returns (qid, data offset, rcpt offsets)."""
        self.count += 1
        qid = "%X%05X" % (int(time.time()) & 0xFFFFF, os.getpid() * 16 + self.count & 0xFFFFF)
        env = b"" + record("T", "%d 0" % int(time.time())) + record("A", "rewrite_context=local")
        env += record("S", sender)
        size_len = len(record("C", "x" * 95))
        offsets = []
        for orig, addr in rcpts:
            env += record("O", orig)
            offsets.append(size_len + len(env))
            env += record("R", addr)
        env += record("M")
        data_offset = size_len + len(env)
        body = b"".join(record("N", line) for line in lines)
        tail = record("X") + record("E")
        csize = ("%15d %15d %15d %15d %15d %15d" % (len(body), data_offset, len(rcpts), 0,
                                                  len(body), 0)).encode()
        path = os.path.join(self.t.queue_dir, "active", qid)
        with open(path, "wb") as f:
            f.write(record("C", csize) + env + body + tail)
        owner = pwd.getpwnam(self.t.user)
        os.chown(path, owner.pw_uid, owner.pw_gid)
        os.chmod(path, 0o700)
        return qid, data_offset, offsets

    def deliver(self, rcpts, lines=None, sender="sender@example.test", flags=3):
        """Queue a message and run one delivery request; returns (qid, status, reason, offsets)."""
        if lines is None:
            lines = ["Subject: test", "", "hello"]
        rcpts = [(r, r) if isinstance(r, str) else r for r in rcpts]
        qid, offset, roffs = self.queue_file(sender, rcpts, lines)
        for q in ("active", "incoming"):
            d = os.path.join(self.t.queue_dir, q)
            owner = pwd.getpwnam(self.t.user)
            os.chown(d, owner.pw_uid, owner.pw_gid)
        a, b = socket.socketpair()
        proc = subprocess.Popen([self.t.program("local"), "-S"], stdin=b, stdout=b,
                                stderr=subprocess.PIPE, env=self.t.env(), cwd=self.t.dir)
        b.close()
        c = Conn(a)
        try:
            self.t.expect_eq(c.read_list(), [("protocol", "delivery_request_protocol")], "greeting")
            now = time.time()
            stats = struct.pack("qqqqqqqqqqi4x", int(now), 0, int(now), 0, int(now), 0, 0, 0, 0, 0, 0)
            import base64
            req = [("flags", flags), ("queue_name", "active"), ("queue_id", qid),
                   ("offset", offset), ("size", 100), ("nexthop", HOST), ("encoding", ""),
                   ("smtputf8", 0), ("sender", sender), ("envelope_id", ""), ("ret_flags", 0),
                   ("time", base64.b64encode(stats).decode()), ("log_client_name", "localhost"),
                   ("log_client_address", "127.0.0.1"), ("log_client_port", "25"),
                   ("log_message_origin", "localhost[127.0.0.1]"), ("log_helo_name", "client.test"),
                   ("log_protocol_name", "ESMTP"), ("rewrite_context", "local"),
                   ("sasl_method", ""), ("sasl_username", ""), ("sasl_sender", ""),
                   ("log_ident", qid), ("recipient_count", len(rcpts))]
            for (orig, addr), roff in zip(rcpts, roffs):
                req += [("original_recipient", orig), ("recipient", addr), ("offset", roff),
                        ("dsn_orig_rcpt", ""), ("notify_flags", 0)]
            c.send(req)
            reply = c.read_list()
        except EOFError:
            proc.wait(timeout=60)
            raise Failure(f"local hung up; stderr: {proc.stderr.read().decode()[-2000:]}\n"
                          f"log: {self.t.log_text()[-2000:]}")
        finally:
            a.close()
        proc.wait(timeout=60)
        return qid, int(reply[-1][1]), dict(reply[:-1]), roffs

    def log_line(self, qid, needle):
        """The agent's log line for qid containing needle (fails when there is none)."""
        for line in self.t.log_text().splitlines():
            if f"{qid}: " in line and needle in line:
                return line
        raise Failure(f"no log line for {qid} with {needle!r}:\n{self.t.log_text()[-3000:]}")

    def marked_done(self, qid, offset):
        with open(os.path.join(self.t.queue_dir, "active", qid), "rb") as f:
            f.seek(offset)
            return f.read(1) == b"D"


def scenario(t, body, **conf):
    env = Local(t, **conf)
    try:
        body(env)
    finally:
        env.close()


def masked(text):
    return DATE_RE.sub(r"\1DATE", text)


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


SENT_RE = (r"local\[\d+\]: {qid}: to=<{to}>,{orig} relay=local, delay=[\d.]+, "
           r"delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+, dsn={dsn}, status={status} \({reason}\)$")


def expect_log(env, qid, to, dsn, status, reason, orig=None):
    pat = SENT_RE.format(qid=qid, to=re.escape(to), dsn=re.escape(dsn), status=status,
                         reason=re.escape(reason),
                         orig=f" orig_to=<{re.escape(orig)}>," if orig else "")
    for line in env.t.log_text().splitlines():
        if re.search(pat, line):
            return line
    raise Failure(f"no log line matching {pat!r}:\n{env.t.log_text()[-3000:]}")


# -- scenarios -------------------------------------------------------------------
def test_mbox_delivery_exact_content_and_quoting(t):
    def body(env):
        alice = env.users.add("alice")
        rcpt = f"{alice}@{HOST}"
        lines = ["Subject: one", "From: Sender <sender@example.test>", "", "From here on",
                 ">From stays", "last line"]
        qid, status, _, roffs = env.deliver([rcpt], lines)
        t.expect_eq(status, 0, "request status")
        t.expect_eq(env.marked_done(qid, roffs[0]), True, "recipient marked done")
        expect_log(env, qid, rcpt, "2.0.0", "sent", "delivered to mailbox")
        qid2, status, _, _ = env.deliver([rcpt], ["Subject: two", "", "x"], sender="")
        mbox = os.path.join(env.spool, alice)
        st = os.stat(mbox)
        t.expect_eq((st.st_uid, stat.S_IMODE(st.st_mode)), (pwd.getpwnam(alice).pw_uid, 0o600),
                    "mailbox owner and mode")
        want = (f"From sender@example.test  DATE\nReturn-Path: <sender@example.test>\n"
                f"X-Original-To: {rcpt}\nDelivered-To: {rcpt}\nSubject: one\n"
                f"From: Sender <sender@example.test>\n\n>From here on\n>From stays\nlast line\n\n"
                f"From MAILER-DAEMON  DATE\nReturn-Path: <>\nX-Original-To: {rcpt}\n"
                f"Delivered-To: {rcpt}\nSubject: two\n\nx\n\n")
        t.expect_eq(masked(read(mbox)), want, "mailbox content")
        t.expect_eq(os.path.exists(mbox + ".lock"), False, "dotlock removed")
    scenario(t, body)


def test_maildir_home_mailbox(t):
    def body(env):
        bob = env.users.add("bob")
        rcpt = f"{bob}@{HOST}"
        qid, status, _, _ = env.deliver([(f"Bob@{HOST}", rcpt)])
        t.expect_eq(status, 0, "request status")
        expect_log(env, qid, rcpt, "2.0.0", "sent", "delivered to maildir", orig=f"Bob@{HOST}")
        md = os.path.join(env.home(bob), "Maildir")
        new = os.listdir(os.path.join(md, "new"))
        t.expect_eq(len(new), 1, "messages in new/")
        t.expect_eq(os.listdir(os.path.join(md, "tmp")), [], "tmp/ after delivery")
        t.expect_eq(os.path.isdir(os.path.join(md, "cur")), True, "cur/ exists")
        if not re.match(r"^\d+\.V[0-9a-f]+I[0-9a-f]+M\d+\.\S+$", new[0]):
            raise Failure(f"maildir file name {new[0]!r}")
        path = os.path.join(md, "new", new[0])
        t.expect_eq(os.stat(path).st_uid, pwd.getpwnam(bob).pw_uid, "file owner")
        t.expect_eq(read(path), f"Return-Path: <sender@example.test>\nX-Original-To: Bob@{HOST}\n"
                                f"Delivered-To: {rcpt}\nSubject: test\n\nhello\n", "maildir file")
    scenario(t, body, home_mailbox="Maildir/")


def test_aliases_file_command_include_and_owner(t):
    def body(env):
        alice = env.users.add("alice")
        inc = env.t.write("etc/list.txt", f"# members\n{alice}\n")
        env.set_aliases(f"team: {alice}, {env.out}/team.mbox, \"|/bin/sh -c 'cat > {env.out}/cmd.out'\"\n"
                        f"list: :include:{inc}, carol@remote.test\n"
                        f"owner-list: listboss\n"
                        f"self: self, {alice}\n")
        qid, status, _, _ = env.deliver([f"team@{HOST}"])
        t.expect_eq(status, 0, "team status")
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox",
                   orig=f"team@{HOST}")
        expect_log(env, qid, f"team@{HOST}", "2.0.0", "sent", f"delivered to file: {env.out}/team.mbox")
        expect_log(env, qid, f"team@{HOST}", "2.0.0", "sent",
                   f"delivered to command: /bin/sh -c 'cat > {env.out}/cmd.out'")
        nobody = pwd.getpwnam("nobody").pw_uid
        t.expect_eq(os.stat(f"{env.out}/team.mbox").st_uid, nobody, "file written as default_privs")
        t.expect_eq(os.stat(f"{env.out}/cmd.out").st_uid, nobody, "command run as default_privs")
        cmd = read(f"{env.out}/cmd.out")
        t.expect_eq(masked(cmd.split("\n")[0] + "\n"), "From sender@example.test  DATE\n", "command From_")
        t.expect_in(f"Delivered-To: team@{HOST}\n", cmd, "command input")

        qid, status, _, _ = env.deliver([f"list@{HOST}"])
        t.expect_eq(status, 0, "list status")
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox",
                   orig=f"list@{HOST}")
        line = env.log_line(qid, "forwarded as ")
        newid = re.search(r"forwarded as (\w+)\)", line).group(1)
        out = env.t.run("postcat", "-q", newid, check=0).stdout
        t.expect_in(f"sender: owner-list@{HOST}\n", out, "owner- alias became the sender")
        t.expect_in("recipient: carol@remote.test\n", out, "forwarded recipient")
        t.expect_in(f"Delivered-To: list@{HOST}\n", out, "Delivered-To in the forwarded copy")

        qid, status, _, _ = env.deliver([f"self@{HOST}"])
        t.expect_eq(status, 0, "self status")
        env.log_line(qid, f"to=<{alice}@{HOST}>, orig_to=<self@{HOST}>")
        expect_log(env, qid, f"self@{HOST}", "5.1.1", "bounced", 'unknown user: "self"')
    scenario(t, body)


def test_dotforward_with_extension_and_bad_owner(t):
    def body(env):
        alice = env.users.add("alice")
        bob = env.users.add("bob")
        home = env.home(alice)
        env.write_as(alice, os.path.join(home, ".forward+lists"), f"\\{alice}, {home}/lists.mbox\n")
        env.write_as(alice, os.path.join(home, ".forward"), f"# plain\n{bob}\n")
        qid, status, _, _ = env.deliver([f"{alice}+lists@{HOST}"])
        t.expect_eq(status, 0, "status")
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox",
                   orig=f"{alice}+lists@{HOST}")
        t.expect_eq(os.stat(f"{home}/lists.mbox").st_uid, pwd.getpwnam(alice).pw_uid,
                    "file from .forward written as the user")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        line = env.log_line(qid, "forwarded as ")
        newid = re.search(r"forwarded as (\w+)\)", line).group(1)
        out = env.t.run("postcat", "-q", newid, check=0).stdout
        t.expect_in(f"recipient: {bob}@{HOST}\n", out, "forwarded to the other local user")
        # A .forward owned by someone else is ignored.
        env.write_as(bob, os.path.join(home, ".forward"), "carol@remote.test\n")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox")
        t.expect_in(f"warning: file {home}/.forward has bad owner uid {pwd.getpwnam(bob).pw_uid}",
                    env.t.log_text(), "warning")
    scenario(t, body, recipient_delimiter="+")


def test_forward_path_expansion_files_and_delivered_to(t):
    """forward_path with $home, $user and ${extension}; a file named in a .forward
    file (allow_mail_to_files), with Delivered-To: per prepend_delivered_header."""
    def body(env):
        alice = env.users.add("alice")
        home = env.home(alice)
        env.write_as(alice, os.path.join(home, f".fwd-{alice}"), f"{home}/plain.mbox\n")
        env.write_as(alice, os.path.join(home, f".fwd-{alice}-x"), f"{home}/ext.mbox\n")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        t.expect_eq(status, 0, "status")
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent",
                   f"delivered to file: {home}/plain.mbox")
        text = read(f"{home}/plain.mbox")
        t.expect_in(f"Delivered-To: {alice}@{HOST}\n", text, "Delivered-To for file delivery")
        qid, status, _, _ = env.deliver([f"{alice}+x@{HOST}"])
        expect_log(env, qid, f"{alice}+x@{HOST}", "2.0.0", "sent",
                   f"delivered to file: {home}/ext.mbox")
        # Without "file" in prepend_delivered_header, no Delivered-To: in the file.
        env.conf(prepend_delivered_header="command, forward")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        text = read(f"{home}/plain.mbox")
        t.expect_eq(text.count("Delivered-To:"), 1, "only the first delivery has the header")
        # Files only from aliases: the .forward file's target is refused.
        env.conf(allow_mail_to_files="alias")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "5.7.1", "bounced", "mail to file is restricted")
    scenario(t, body, recipient_delimiter="+",
             forward_path="$home/.fwd-$user${extension?-$extension}")


def test_world_writable_forward_and_include_files_are_refused(t):
    def body(env):
        alice = env.users.add("alice")
        home = env.home(alice)
        env.write_as(alice, os.path.join(home, ".forward"), "carol@remote.test\n", mode=0o666)
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox")
        t.expect_in(f"warning: file {home}/.forward is world writable", env.t.log_text(),
                    "warning for the ignored .forward")
        inc = env.t.write("etc/open.txt", f"{alice}\n", mode=0o666)
        os.chmod(inc, 0o666)
        env.set_aliases(f"open: :include:{inc}\n")
        qid, status, _, _ = env.deliver([f"open@{HOST}"])
        t.expect_eq(status, 0, "bounced is final")
        expect_log(env, qid, f"open@{HOST}", "5.3.0", "bounced",
                   f"file is world writable: {inc}")
    scenario(t, body)


def test_mailbox_command_environment_and_exit_codes(t):
    def body(env):
        alice = env.users.add("alice")
        script = env.t.write("etc/deliver.sh",
                             "#!/bin/sh\nenv | sort > \"$HOME/env.out\"\ncat > \"$HOME/msg.out\"\n"
                             "test -f \"$HOME/exit\" && exit `cat \"$HOME/exit\"`\nexit 0\n", mode=0o755)
        env.conf(mailbox_command=script)
        qid, status, _, _ = env.deliver([(f"Orig@{HOST}", f"{alice}+foo@{HOST}")])
        t.expect_eq(status, 0, "status")
        expect_log(env, qid, f"{alice}+foo@{HOST}", "2.0.0", "sent", f"delivered to command: {script}",
                   orig=f"Orig@{HOST}")
        got = dict(line.split("=", 1) for line in read(os.path.join(env.home(alice), "env.out")).splitlines()
                   if "=" in line)
        want = {"HOME": env.home(alice), "USER": alice, "LOGNAME": alice, "SHELL": "/bin/sh",
                "LOCAL": f"{alice}+foo", "EXTENSION": "foo", "DOMAIN": HOST,
                "RECIPIENT": f"{alice}+foo@{HOST}", "SENDER": "sender@example.test",
                "ORIGINAL_RECIPIENT": f"Orig@{HOST}", "CLIENT_ADDRESS": "127.0.0.1",
                "CLIENT_HELO": "client.test", "CLIENT_HOSTNAME": "localhost", "CLIENT_PROTOCOL": "ESMTP",
                "PATH": "/usr/bin:/bin"}
        t.expect_eq({k: got.get(k) for k in want}, want, "command environment")
        msg = read(os.path.join(env.home(alice), "msg.out"))
        t.expect_eq(masked(msg), f"From sender@example.test  DATE\nReturn-Path: <sender@example.test>\n"
                                 f"X-Original-To: Orig@{HOST}\nDelivered-To: {alice}+foo@{HOST}\n"
                                 "Subject: test\n\nhello\n", "command input")
        env.write_as(alice, os.path.join(env.home(alice), "exit"), "75\n")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        t.expect_eq(status, -1, "deferred request status")
        expect_log(env, qid, f"{alice}@{HOST}", "4.3.0", "deferred", "temporary failure")
        t.expect_eq(len(env.svc.of("defer")), 1, "defer log requests")
        env.write_as(alice, os.path.join(env.home(alice), "exit"), "67\n")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        t.expect_eq(status, 0, "bounced request status")
        expect_log(env, qid, f"{alice}@{HOST}", "5.1.1", "bounced", "user unknown")
    scenario(t, body, recipient_delimiter="+")


def test_unknown_user_luser_relay_and_loop(t):
    def body(env):
        alice = env.users.add("alice")
        qid, status, _, roffs = env.deliver([f"nosuch@{HOST}"])
        t.expect_eq(status, 0, "status")
        expect_log(env, qid, f"nosuch@{HOST}", "5.1.1", "bounced", 'unknown user: "nosuch"')
        t.expect_eq(env.marked_done(qid, roffs[0]), True, "bounced recipient marked done")
        b = env.svc.of("bounce")
        t.expect_eq((b[-1]["nrequest"], b[-1]["recipient"], b[-1]["status"], b[-1]["reason"]),
                    ("0", f"nosuch@{HOST}", "5.1.1", 'unknown user: "nosuch"'), "bounce request")
        lines = [f"Delivered-To: {alice}@{HOST}", "Subject: loop", "", "x"]
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"], lines)
        expect_log(env, qid, f"{alice}@{HOST}", "5.4.6", "bounced",
                   f"mail forwarding loop for {alice}@{HOST}")
        env.conf(luser_relay=alice)
        qid, status, _, _ = env.deliver([f"nosuch@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox",
                   orig=f"nosuch@{HOST}")
        t.expect_in(f"Delivered-To: nosuch@{HOST}\n", read(os.path.join(env.spool, alice)), "mailbox")
    scenario(t, body)


def test_size_limit_truncates_back(t):
    def body(env):
        alice = env.users.add("alice")
        mbox = os.path.join(env.spool, alice)
        env.write_as(alice, mbox, "x" * 1900 + "\n", mode=0o600)
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"], ["Subject: big", ""] + ["y" * 60] * 10)
        expect_log(env, qid, f"{alice}@{HOST}", "5.2.2", "bounced",
                   f"cannot update mailbox {mbox} for user {alice}. error writing message: File too large")
        t.expect_eq(os.stat(mbox).st_size, 1901, "mailbox size after the failed delivery")
    scenario(t, body, mailbox_size_limit=2000, message_size_limit=1000)


def test_permission_refusals_and_faults(t):
    def body(env):
        alice = env.users.add("alice")
        bob = env.users.add("bob")
        rootfile = os.path.join(env.out, "rootfile")
        with open(rootfile, "w") as f:
            f.write("")
        os.chmod(rootfile, 0o644)
        env.set_aliases(f"rootfile: {rootfile}\n")
        qid, status, _, _ = env.deliver([f"rootfile@{HOST}"])
        expect_log(env, qid, f"rootfile@{HOST}", "5.2.0", "bounced",
                   f"cannot append message to file {rootfile}: cannot open file: Permission denied")
        # A symbolic link as mailbox is refused (unless root made it in a root directory).
        link = os.path.join(env.spool, alice)
        os.symlink("/etc/passwd", link)
        os.lchown(link, pwd.getpwnam(alice).pw_uid, -1)
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "5.2.0", "bounced",
                   f"cannot update mailbox {env.spool}/{alice} for user {alice}. file is a symbolic link")
        # A mailbox that belongs to somebody else is deferred.
        env.write_as(alice, os.path.join(env.spool, bob), "", mode=0o600)
        qid, status, _, _ = env.deliver([f"{bob}@{HOST}"])
        expect_log(env, qid, f"{bob}@{HOST}", "4.2.0", "deferred",
                   f"cannot update mailbox {env.spool}/{bob} for user {bob}. "
                   f"destination {env.spool}/{bob} is not owned by recipient")
        # Commands in .forward files when only aliases may run them.
        env.conf(allow_mail_to_commands="alias")
        env.write_as(bob, os.path.join(env.home(bob), ".forward"), '"|/bin/true"\n')
        qid, status, _, _ = env.deliver([f"{bob}@{HOST}"])
        expect_log(env, qid, f"{bob}@{HOST}", "5.7.1", "bounced", "mail to command is restricted")
        # A missing spool directory defers.
        env.conf(mail_spool_directory=env.t.path("nospool"))
        carol = env.users.add("carol")
        qid, status, _, _ = env.deliver([f"{carol}@{HOST}"])
        t.expect_eq(status, -1, "request status")
        expect_log(env, qid, f"{carol}@{HOST}", "4.3.0", "deferred",
                   f"cannot update mailbox {env.t.path('nospool')}/{carol} for user {carol}. "
                   f"unable to create lock file {env.t.path('nospool')}/{carol}.lock: "
                   "No such file or directory")
    scenario(t, body)


def test_full_disk_defers_and_truncates_back(t):
    """A mailbox on a full file system: the delivery is deferred with the system's
    reason, and the mailbox is cut back to what it held before."""
    def body(env):
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=1777", "tmpfs",
                            env.spool], capture_output=True, text=True)
        if r.returncode != 0:
            raise Skip(f"cannot mount a small tmpfs: {r.stderr.strip()}")
        try:
            alice = env.users.add("alice")
            mbox = os.path.join(env.spool, alice)
            env.write_as(alice, mbox, "From x  Thu Jan  1 00:00:00 2026\n" + "y" * 30000 + "\n\n",
                         mode=0o600)
            before = os.path.getsize(mbox)
            with open(os.path.join(env.spool, "filler"), "w") as f:
                f.write("z" * 16000)
            qid, status, _, _ = env.deliver([f"{alice}@{HOST}"],
                                            lines=["Subject: big", ""] + ["x" * 999] * 40)
            t.expect_eq(status, -1, "deferred")
            expect_log(env, qid, f"{alice}@{HOST}", "4.3.0", "deferred",
                       f"cannot update mailbox {mbox} for user {alice}. error writing message: "
                       "No space left on device")
            t.expect_eq(os.path.getsize(mbox), before, "mailbox cut back")
        finally:
            subprocess.run(["umount", env.spool], capture_output=True)
    scenario(t, body)


def test_mailbox_and_fallback_transport(t):
    def body(env):
        alice = env.users.add("alice")
        env.svc.transport("mbtrans")
        env.svc.transport("fbtrans")
        env.conf(mailbox_transport="mbtrans:next.example")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        t.expect_eq(status, 0, "status")
        req = env.svc.of("mbtrans")
        t.expect_eq((len(req), req[0]["queue_id"], req[0]["recipient"], req[0]["nexthop"]),
                    (1, qid, f"{alice}@{HOST}", "next.example"), "mailbox_transport request")
        env.conf(mailbox_transport="", fallback_transport="fbtrans")
        qid, status, _, _ = env.deliver([f"nosuch@{HOST}"])
        req = env.svc.of("fbtrans")
        t.expect_eq((len(req), req[0]["recipient"], req[0]["nexthop"]),
                    (1, f"nosuch@{HOST}", HOST), "fallback_transport request")
        qid, status, _, _ = env.deliver([f"{alice}@{HOST}"])
        expect_log(env, qid, f"{alice}@{HOST}", "2.0.0", "sent", "delivered to mailbox")
    scenario(t, body)


PIPELINE_CF = """\
pickup    unix  n - n 60  1 pickup
cleanup   unix  n - n -   0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -   - trivial-rewrite
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
local     unix  - n n -   - local
"""


def test_full_pipeline_sendmail_alias_and_bounce(t):
    """sendmail -> pickup -> cleanup -> qmgr -> local, with the real daemons under master."""
    if os.geteuid() != 0:
        raise Skip("needs root: runs the master and creates local users")
    users = Users(t)
    try:
        alice = users.add("alice")
        spool = t.path("mail")
        os.makedirs(spool, 0o755)
        aliases = t.write("etc/aliases", f"staff: {alice}\npostmaster: {alice}\n")
        t.conf(biff="no", mail_spool_directory=spool, alias_maps="hash:" + aliases,
               mydestination="$myhostname, localhost", queue_run_delay="1s",
               minimal_backoff_time="1s", maximal_backoff_time="2s",
               # Sanitizer builds: the options must reach the programs that sendmail runs.
               import_environment="MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C "
                                  "ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS",
               export_environment="TZ MAIL_CONFIG LANG ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS")
        t.run("postalias", "hash:" + aliases, check=0)
        t.start(PIPELINE_CF)
        t.run("sendmail", "-f", "sender@example.test", "staff", "nosuchuser",
              input="Subject: pipeline\n\nFrom the pipeline\n", check=0)
        mbox = os.path.join(spool, alice)
        t.wait_for(lambda: os.path.exists(mbox) and "From the pipeline" in read(mbox),
                   "delivery to the aliased mailbox")
        t.wait_log(f"to=<{alice}@{HOST}>, orig_to=<staff>, relay=local")
        t.wait_log('status=bounced (unknown user: "nosuchuser")')
        text = read(mbox)
        t.expect_in(f"X-Original-To: staff\nDelivered-To: staff@{HOST}\n", text, "mailbox headers")
        t.expect_in("\n>From the pipeline\n", text, "quoted body line")
        # The non-delivery notice goes back to the sender, which resolves remotely:
        # it must at least have been created.
        t.wait_log("sender non-delivery notification")
    finally:
        t.stop()
        users.close()
