"""The queue manager end to end: sendmail -> postdrop -> pickup -> cleanup ->
qmgr (with trivial-rewrite) -> local/pipe/error -> bounce, under the master
with the sample conf/master.cf (plus the lines a scenario adds).

Each scenario injects mail with our sendmail and observes what a Postfix
administrator would: the maillog lines, the queue directories and files
(postcat -q), the mailboxes and the records that pipe commands leave.
Retry times are shortened (minimal_backoff_time 2s, maximal 4s,
queue_run_delay 1s) so that a retry schedule fits in seconds.

Covered: local delivery with qmgr's and local's exact log lines; multiple
recipients and aliases with the non-delivery notice; the retry schedule
(deferred file with a future mtime, postcat -q, retry, delivery) with a
delay warning; defer_transports until "postfix flush", and flush moving
cooling files out of incoming; expiry to a bounce (ENVID, RET=HDRS) and
NOTIFY=SUCCESS/NEVER, all notices parsed as multipart/report; destination
concurrency, process and recipient limits on slow pipe transports;
recipient batches and the hold queue; kill -9 of qmgr, of a delivery agent
and of everything (counting what went in and what came out); a missing
mail spool directory defers.

Needs root: runs the master and creates throwaway local users.
"""

import email
import email.policy
import os
import pwd
import re
import signal
import subprocess
import time
import uuid

from harness import TOP, Failure, Skip

HOST = "mail.example.test"

# A pipe command that records each delivery in the directory $1: one line
# per recipient "queue-id recipient start end pid" in "records", written
# before the command ends. While it runs, a file run.<pid> names the queue
# id and recipients. With a file "fail" in $1 it exits 75 (EX_TEMPFAIL);
# with a file "hang" it sleeps a minute before finishing.
RECORDER = """#!/bin/sh
dir=$1; shift
qid=$1; shift
sleep=$1; shift
if [ -e "$dir/fail" ]; then
    echo "recorder: not yet" >&2
    exit 75
fi
start=$(date +%s.%N)
tag=$$
echo "$qid $*" > "$dir/run.$tag"
if [ -e "$dir/hang" ]; then
    sleep 60
fi
sleep "$sleep"
end=$(date +%s.%N)
cat > "$dir/msg.$qid.$tag"
for r in "$@"; do
    echo "$qid $r $start $end $tag" >> "$dir/records"
done
rm -f "$dir/run.$tag"
exit 0
"""

class Users:
    """Throwaway local accounts, removed again by close()."""

    def __init__(self, t):
        self.t, self.names = t, []

    def add(self, short):
        name = "qm" + uuid.uuid4().hex[:6] + short[:4]
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


def sample_master_cf(t, extra=""):
    """conf/master.cf with the smtpd listener on the instance's own port, plus extra lines."""
    with open(os.path.join(TOP, "conf", "master.cf")) as f:
        text = f.read()
    text = re.sub(r"^smtp(\s+inet\s)", lambda m: f"{t.smtp_port}{m.group(1)}", text, count=1,
                  flags=re.M)
    return text + extra


class Env:
    """One running instance with local users, aliases and a recorder pipe."""

    def __init__(self, t, extra_cf="", users=("alice", "bob", "piper"), pipes=None, **conf):
        if os.geteuid() != 0:
            raise Skip("needs root: runs the master and creates local users")
        self.t = t
        self.users = Users(t)
        self.spool = t.path("mail")
        os.makedirs(self.spool, 0o1777)
        os.chmod(self.spool, 0o1777)
        self.rec = t.path("rec")
        os.makedirs(self.rec)
        os.chmod(self.rec, 0o777)
        self.recorder = t.write("recorder.sh", RECORDER, mode=0o755)
        self.u = {name: self.users.add(name) for name in users}
        self.aliases = t.write("etc/aliases", "")
        settings = dict(biff="no", mail_spool_directory=self.spool,
                        alias_maps="hash:" + self.aliases, alias_database="hash:" + self.aliases,
                        mydestination="$myhostname, localhost.$mydomain, localhost",
                        recipient_delimiter="+",
                        queue_run_delay="1s", minimal_backoff_time="2s",
                        maximal_backoff_time="4s", transport_retry_time="1s")
        settings.update(conf)
        t.conf(**settings)
        self.set_aliases("")
        self.extra_cf = extra_cf
        # Recorder pipe services: name -> (process limit, seconds per delivery).
        for name, (maxproc, secs) in (pipes or {"rec": (10, 0)}).items():
            self.extra_cf += (f"{name:<9} unix  -       n       n       -       {maxproc:<7} pipe\n"
                              f"  flags=q user={self.u['piper']} argv={self.recorder} {self.rec} "
                              f"${{queue_id}} {secs} ${{recipient}}\n")
        self.count = 0

    def start(self):
        self.t.start(sample_master_cf(self.t, self.extra_cf))

    def close(self):
        self.t.stop()
        self.users.close()

    def set_aliases(self, text):
        with open(self.aliases, "w") as f:
            f.write(text)
        self.t.run("postalias", "hash:" + self.aliases, check=0)

    def addr(self, user):
        return f"{self.u.get(user, user)}@{HOST}"

    # -- injection -------------------------------------------------------------
    def send(self, sender, rcpts, body="hello\n", opts=(), headers=""):
        """Inject one message with sendmail; returns its queue id (from cleanup's log line)."""
        self.count += 1
        mid = f"{uuid.uuid4().hex[:12]}.{self.count}@test"
        text = f"Message-ID: <{mid}>\nSubject: test {self.count}\n{headers}\n{body}"
        args = list(opts) + (["-f", sender] if sender is not None else []) + list(rcpts)
        self.t.run("sendmail", *args, input=text, check=0)
        pat = re.compile(r"cleanup\[\d+\]: ([0-9A-F]+): message-id=<" + re.escape(mid) + ">")
        return self.t.wait_for(lambda: (pat.search(self.t.log_text()) or [None, None])[1],
                               f"cleanup's log line for message {mid}")

    # -- observation -----------------------------------------------------------
    def lines(self, qid):
        """The log lines of qid, from the program name on."""
        return [line[line.index(" postfix/") + 1:] for line in self.t.log_text().splitlines()
                if f"]: {qid}: " in line]

    def wait_removed(self, qid, timeout=30):
        self.t.wait_log(f"{qid}: removed", timeout=timeout)

    def mbox(self, user):
        try:
            with open(os.path.join(self.spool, self.u.get(user, user)), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def mbox_messages(self, user):
        """The messages of an mbox, split at From_ lines."""
        text = self.mbox(user)
        parts = re.split(r"^From \S+  \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n", text, flags=re.M)
        return [p for p in parts[1:]]

    def queue_files(self, queue):
        found = []
        for root, _, files in os.walk(os.path.join(self.t.queue_dir, queue)):
            found += [os.path.join(root, f) for f in files]
        return found

    def queue_file(self, queue, qid):
        for p in self.queue_files(queue):
            if os.path.basename(p) == qid:
                return p
        return None

    def qmgr_pid(self):
        """The pid of the running qmgr (a child of the master), or None."""
        return next(iter(self.children("qmgr")), None)

    def children(self, prog=None):
        """Pids of the master's descendants (running prog, when given)."""
        master = self.t.master_pid()
        if master is None:
            return []
        parent = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        parent[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        found, todo = [], [master]
        while todo:
            p = todo.pop()
            kids = [c for c, pp in parent.items() if pp == p]
            found += kids
            todo += kids
        if prog is None:
            return found
        out = []
        for pid in found:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv0 = f.read().split(b"\0")[0].decode()
            except OSError:
                continue
            if os.path.basename(argv0) == prog:
                out.append(pid)
        return out

    def running(self):
        """The recorder commands running now: {pid: "qid rcpt..."}."""
        out = {}
        for name in os.listdir(self.rec):
            if name.startswith("run."):
                try:
                    with open(os.path.join(self.rec, name)) as f:
                        out[int(name[4:])] = f.read().strip()
                except OSError:
                    pass
        return out

    def records(self):
        try:
            with open(os.path.join(self.rec, "records")) as f:
                return [line.split() for line in f.read().splitlines()]
        except FileNotFoundError:
            return []


def scenario(t, body, extra_cf="", users=("alice", "bob", "piper"), pipes=None, **conf):
    env = Env(t, extra_cf, users, pipes, **conf)
    try:
        body(env)
    finally:
        env.close()


DELAYS = r"delay=\d+(\.\d+)?, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+"


def expect_line(env, qid, pattern, what, first=False):
    """Exactly one (or first: at least one) log line of qid matches the regular expression."""
    got = [line for line in env.lines(qid) if re.fullmatch(pattern, line)]
    if len(got) != 1 and not (first and got):
        raise Failure(f"{what}: expected one line matching {pattern!r} for {qid}, got {got!r}; "
                      f"lines: {env.lines(qid)!r}")
    return got[0]


# -- 1. the normal paths ---------------------------------------------------------------

def test_local_delivery_log_lines_and_queue(t):
    def body(env):
        env.start()
        alice = env.u["alice"]
        sender = env.addr("alice")
        qid = env.send(sender, [alice], body="From the first line\nsecond\n")
        env.wait_removed(qid)
        lines = env.lines(qid)
        m = [re.fullmatch(r"postfix/qmgr\[\d+\]: " + qid + r": from=<(.*)>, size=(\d+), "
                          r"nrcpt=(\d+) \(queue active\)", line) for line in lines]
        m = [x for x in m if x]
        t.expect_eq(len(m), 1, "qmgr's queue active line")
        t.expect_eq((m[0].group(1), m[0].group(3)), (sender, "1"), "from and nrcpt")
        size = int(m[0].group(2))
        expect_line(env, qid, r"postfix/local\[\d+\]: " + qid + r": to=<" + re.escape(sender) +
                    r">, orig_to=<" + alice + r">, relay=local, " + DELAYS + r", dsn=2\.0\.0, status=sent "
                    r"\(delivered to mailbox\)", "local's sent line")
        t.expect_eq(lines[-1], f"postfix/qmgr[{lines[-1].split('[')[1].split(']')[0]}]: "
                               f"{qid}: removed", "last line")
        order = [re.sub(r"\[\d+\]: \S+ ", " ", re.sub(r"^postfix/", "", line)).split(" ")[0]
                 for line in lines]
        t.expect_eq(order, ["pickup", "cleanup", "qmgr", "local", "qmgr"], "programs in order")
        msgs = env.mbox_messages("alice")
        t.expect_eq(len(msgs), 1, "one message in the mailbox")
        t.expect_in(f"Return-Path: <{sender}>\nX-Original-To: {alice}\n"
                    f"Delivered-To: {sender}\nReceived: by {HOST} (Postfix, from userid 0)\n",
                    msgs[0], "delivery headers")
        t.expect_in("\n\n>From the first line\nsecond\n\n", msgs[0], "body with >From quoting")
        # size= is the message content size as cleanup wrote it (the C record).
        t.expect_eq(size > 0 and size < len(msgs[0]), True, f"plausible size {size}")
        for q in ("incoming", "active", "deferred", "maildrop"):
            t.expect_eq(env.queue_files(q), [], f"{q} queue empty")
    scenario(t, body)


def parse_report(text):
    """A notice from a mailbox: (message, [text part, delivery-status part, third part])."""
    msg = email.message_from_string(text, policy=email.policy.compat32)
    if msg.get_content_type() != "multipart/report":
        raise Failure(f"not a multipart/report: {msg.get_content_type()}\n{text[:2000]}")
    if msg.get_param("report-type") != "delivery-status":
        raise Failure(f"report-type: {msg.get_param('report-type')}")
    return msg, msg.get_payload()


def dsn_fields(part):
    """message/delivery-status: (per-message fields, [per-recipient fields])."""
    if part.get_content_type() != "message/delivery-status":
        raise Failure(f"second part is {part.get_content_type()}")
    blocks = part.get_payload()
    return dict(blocks[0].items()), [dict(b.items()) for b in blocks[1:]]


def notices(env, user, subject):
    return [m for m in env.mbox_messages(user) if re.search(r"^Subject: " + re.escape(subject) + "$",
                                                             m.split("\n\n", 1)[0], re.M)]


def test_multiple_recipients_and_aliases(t):
    def body(env):
        env.set_aliases(f"staff: {env.u['bob']}, {env.u['piper']}\nnowhere: nosuchuser\n")
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, [env.u["alice"], "staff", f"{env.u['bob']}@localhost", "nowhere"],
                       body="multi\n")
        env.wait_removed(qid)
        expect_line(env, qid, r"postfix/qmgr\[\d+\]: " + qid + r": from=<" +
                    re.escape(sender) + r">, size=\d+, nrcpt=4 \(queue active\)",
                    "nrcpt counts envelope recipients")
        sent = r"postfix/local\[\d+\]: " + qid + r": to=<{to}>, orig_to=<{orig}>, relay=local, " + \
            DELAYS + r", dsn=2\.0\.0, status=sent \(delivered to mailbox\)"
        for to, orig in ((env.addr("alice"), env.u["alice"]), (env.addr("bob"), "staff"),
                         (env.addr("piper"), "staff"),
                         # append_dot_mydomain (compatibility_level 0) completes "localhost".
                         (f"{env.u['bob']}@localhost.example.test", f"{env.u['bob']}@localhost")):
            expect_line(env, qid, sent.format(to=re.escape(to), orig=re.escape(orig)),
                        f"delivery to {to}")
        expect_line(env, qid, r"postfix/local\[\d+\]: " + qid + r": to=<nosuchuser@" + HOST +
                    r">, orig_to=<nowhere>, relay=local, " + DELAYS +
                    r', dsn=5\.1\.1, status=bounced \(unknown user: "nosuchuser"\)',
                    "unknown user bounced")
        bounce = expect_line(env, qid, r"postfix/bounce\[\d+\]: " + qid +
                             r": sender non-delivery notification: ([0-9A-F]+)", "notice")
        t.expect_eq(env.lines(qid)[-1].endswith(f"{qid}: removed"), True, "removed last")
        t.expect_eq([len(env.mbox_messages(u)) for u in ("bob", "piper")], [2, 1],
                    "bob twice (direct and via staff), piper once")
        nqid = bounce.rsplit(" ", 1)[1]
        env.wait_removed(nqid)
        t.wait_for(lambda: len(env.mbox_messages("alice")) == 2, "alice: message and notice")
        notice = notices(env, "alice", "Undelivered Mail Returned to Sender")
        t.expect_eq(len(notice), 1, "one non-delivery notice for alice")
        msg, parts = parse_report(notice[0])
        t.expect_eq(msg["From"], f"Mail Delivery System <MAILER-DAEMON@{HOST}>", "From:")
        per_msg, per_rcpt = dsn_fields(parts[1])
        t.expect_eq(per_msg.get("X-Postfix-Queue-ID"), qid, "X-Postfix-Queue-ID")
        t.expect_eq(len(per_rcpt), 1, "one recipient in the report")
        r = per_rcpt[0]
        t.expect_eq((r.get("Final-Recipient"), r.get("Original-Recipient"), r.get("Action"),
                     r.get("Status"), r.get("Diagnostic-Code")),
                    (f"rfc822; nosuchuser@{HOST}", "rfc822; nowhere", "failed", "5.1.1",
                     'X-Postfix; unknown user: "nosuchuser"'), "per-recipient fields")
        t.expect_eq(parts[2].get_content_type(), "message/rfc822", "third part")
        t.expect_in("multi", parts[2].as_string(), "returned message body")
    scenario(t, body)


PIPE_DEST = dict(transport_maps="inline:{pipe.test=rec:, slow.test=slow:, slowp.test=slowp:}")


def wait_count(env, qid, needle, n, timeout=30):
    return env.t.wait_for(lambda: sum(needle in line for line in env.lines(qid)) >= n,
                          f"{n} lines with {needle!r} for {qid}", timeout)


def test_retry_schedule_delay_warning_then_delivery(t):
    def body(env):
        open(os.path.join(env.rec, "fail"), "w").close()
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, ["x@pipe.test"])
        deferred = "status=deferred (temporary failure. Command output: recorder: not yet )"
        wait_count(env, qid, deferred, 1)
        first = time.monotonic()
        expect_line(env, qid, r"postfix/pipe\[\d+\]: " + qid + r": to=<x@pipe\.test>, relay=rec, " +
                    DELAYS + r", dsn=4\.3\.0, " + re.escape(deferred), "deferred line")
        path = t.wait_for(lambda: env.queue_file("deferred", qid), "file in deferred/")
        now = time.time()
        mtime = os.stat(path).st_mtime
        if not now < mtime <= now + 2.5:
            raise Failure(f"deferred file's mtime {mtime - now:+.1f}s from now, want the retry "
                          "time (minimal_backoff_time 2s) ahead")
        r = t.run("postcat", "-q", qid, check=0)
        t.expect_in("recipient: x@pipe.test", r.stdout, "postcat -q of the deferred file")
        t.expect_in(f"*** ENVELOPE RECORDS deferred/", r.stdout, "postcat -q names the queue")
        # delay_warning_time 1s: due at the first deferral already (qmgr, like Postfix,
        # allows one second of slack), and sent once.
        t.wait_log(f"{qid}: sender delay notification: ")
        warn = t.wait_for(lambda: notices(env, "alice", "Delayed Mail (still being retried)"),
                          "delay notice in alice's mailbox")
        msg, parts = parse_report(warn[0])
        per_msg, per_rcpt = dsn_fields(parts[1])
        t.expect_eq((per_rcpt[0].get("Final-Recipient"), per_rcpt[0].get("Action"),
                     per_rcpt[0].get("Status"), per_rcpt[0].get("Diagnostic-Code")),
                    ("rfc822; x@pipe.test", "delayed", "4.3.0", "x-unix; recorder: not yet"),
                    "delay notice fields")
        t.expect_eq(per_rcpt[0].get("Will-Retry-Until") is not None, True, "Will-Retry-Until")
        t.expect_eq(parts[2].get_content_type(), "text/rfc822-headers", "delay notice: headers only")
        # The retry comes when the file's time stamp is due (a scan takes files up
        # to one second early, as Postfix's does), and defers again.
        wait_count(env, qid, deferred, 2)
        t.expect_eq(time.time() >= mtime - 1.05, True, "not retried before its time")
        wait_count(env, qid, deferred, 3)
        t.expect_eq(len(notices(env, "alice", "Delayed Mail (still being retried)")), 1,
                    "one delay warning")
        os.unlink(os.path.join(env.rec, "fail"))
        env.wait_removed(qid)
        expect_line(env, qid, r"postfix/pipe\[\d+\]: " + qid + r": to=<x@pipe\.test>, relay=rec, " +
                    DELAYS + r", dsn=2\.0\.0, status=sent \(delivered via rec service\)", "sent")
        t.expect_eq([r[:2] for r in env.records()], [[qid, "x@pipe.test"]], "delivered once")
        t.expect_eq(env.queue_files("deferred") + env.queue_files("defer"), [], "queue empty")
    scenario(t, body, **PIPE_DEST, delay_warning_time="1s")


def test_defer_transports_hold_until_flush(t):
    def body(env):
        env.start()
        qid = env.send(env.addr("alice"), ["y@pipe.test"])
        line = r"postfix/qmgr\[\d+\]: " + qid + r": to=<y@pipe\.test>, relay=none, " + DELAYS + \
            r", dsn=4\.3\.2, status=deferred \(deferred transport\)"
        wait_count(env, qid, "status=deferred (deferred transport)", 1)
        expect_line(env, qid, line, "deferred transport line")
        t.wait_for(lambda: env.queue_file("deferred", qid), "file in deferred/")
        # Queue runs come and go (queue_run_delay 1s, backoff 2s): nothing is tried.
        wait_count(env, qid, "status=deferred (deferred transport)", 2, timeout=20)
        t.expect_eq(env.records(), [], "no delivery attempt")
        t.run("postfix", "-c", t.config_dir, "flush", check=0)
        env.wait_removed(qid)
        t.expect_eq([r[:2] for r in env.records()], [[qid, "y@pipe.test"]], "delivered by flush")
    scenario(t, body, **PIPE_DEST, defer_transports="rec")


def test_flush_moves_cooling_incoming_files(t):
    """A file in incoming with a future time stamp (the cool-down of a file that an agent
    still had locked) waits for its time, unless "postfix flush" asks for all files."""
    def body(env):
        env.start()
        qmgr = t.wait_for(env.qmgr_pid, "qmgr process")
        os.kill(qmgr, signal.SIGSTOP)
        try:
            qid = env.send(env.addr("alice"), ["z@pipe.test"])
            path = t.wait_for(lambda: env.queue_file("incoming", qid) if
                              env.queue_file("incoming", qid) and
                              os.stat(env.queue_file("incoming", qid)).st_mode & 0o100 else None,
                              "complete file in incoming/")
            os.utime(path, (time.time() + 100, time.time() + 100))
        finally:
            os.kill(qmgr, signal.SIGCONT)
        # qmgr scans incoming (cleanup's trigger is waiting) and leaves the file alone.
        # Proof that it has scanned incoming since: a message that came in after the
        # cooling file was in place has been delivered and removed.
        probe = env.send(env.addr("alice"), ["probe@pipe.test"])
        env.wait_removed(probe)
        t.expect_eq(env.queue_file("incoming", qid) is not None, True, "still in incoming")
        t.expect_eq([r[:2] for r in env.records()], [[probe, "probe@pipe.test"]],
                    "only the later message was delivered")
        t.run("postfix", "-c", t.config_dir, "flush", check=0)
        env.wait_removed(qid, timeout=10)
        t.expect_eq([r[:2] for r in env.records()],
                    [[probe, "probe@pipe.test"], [qid, "z@pipe.test"]], "delivered")
    scenario(t, body, **PIPE_DEST)


def test_expiry_returns_mail_with_envid_and_headers(t):
    def body(env):
        open(os.path.join(env.rec, "fail"), "w").close()
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, ["x@pipe.test"], opts=["-V", "envid-42", "-R", "hdrs"],
                       body="secret body line\n")
        t.wait_log(f"{qid}: from=<{sender}>, status=expired, returned to sender", timeout=20)
        env.wait_removed(qid)
        nline = [line for line in env.lines(qid) if "sender non-delivery notification" in line]
        t.expect_eq(len(nline), 1, "one non-delivery notification")
        notice = t.wait_for(lambda: notices(env, "alice", "Undelivered Mail Returned to Sender"),
                            "non-delivery notice in alice's mailbox")
        msg, parts = parse_report(notice[0])
        t.expect_eq(len(parts), 3, "three parts")
        t.expect_in("x@pipe.test", parts[0].get_payload(decode=True).decode(), "text part")
        per_msg, per_rcpt = dsn_fields(parts[1])
        t.expect_eq((per_msg.get("Reporting-MTA"), per_msg.get("X-Postfix-Queue-ID"),
                     per_msg.get("X-Postfix-Sender"), per_msg.get("Original-Envelope-Id")),
                    (f"dns; {HOST}", qid, f"rfc822; {sender}", "envid-42"), "per-message fields")
        t.expect_eq((per_rcpt[0].get("Final-Recipient"), per_rcpt[0].get("Action"),
                     per_rcpt[0].get("Status"), per_rcpt[0].get("Diagnostic-Code")),
                    ("rfc822; x@pipe.test", "failed", "4.3.0", "x-unix; recorder: not yet"),
                    "per-recipient fields")
        t.expect_eq(parts[2].get_content_type(), "text/rfc822-headers", "RET=HDRS: headers only")
        t.expect_not_in("secret body line", parts[2].as_string(), "headers part")
        t.expect_eq(env.records(), [], "never delivered")
        t.expect_eq(env.queue_files("deferred") + env.queue_files("defer"), [], "queue empty")
        # bounce_queue_lifetime (5d) may not exceed maximal_queue_lifetime: qmgr adjusts it.
        t.expect_in("postfix/qmgr", [line for line in t.log_text().splitlines() if line.endswith(
            "warning: bounce_queue_lifetime is larger than maximal_queue_lifetime - "
            "adjusting bounce_queue_lifetime")][0], "adjustment warning")
    scenario(t, body, **PIPE_DEST, maximal_queue_lifetime="1s")


def test_notify_success_report(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, [env.u["bob"]], opts=["-N", "success", "-V", "ok-1"])
        env.wait_removed(qid)
        t.expect_eq([line for line in env.lines(qid) if "sender delivery status notification"
                     in line] != [], True, "success notification logged")
        notice = t.wait_for(lambda: notices(env, "alice", "Successful Mail Delivery Report"),
                            "success notice in alice's mailbox")
        msg, parts = parse_report(notice[0])
        per_msg, per_rcpt = dsn_fields(parts[1])
        t.expect_eq(per_msg.get("Original-Envelope-Id"), "ok-1", "ENVID")
        t.expect_eq((per_rcpt[0].get("Final-Recipient"), per_rcpt[0].get("Action"),
                     per_rcpt[0].get("Status")),
                    (f"rfc822; {env.addr('bob')}", "delivered", "2.0.0"), "success fields")
        t.expect_eq(len(env.mbox_messages("bob")), 1, "bob got the message")
        # NOTIFY=NEVER: an unknown user bounces without a notice.
        qid = env.send(sender, ["nosuchuser"], opts=["-N", "never"])
        env.wait_removed(qid)
        t.expect_eq([line for line in env.lines(qid) if "notification" in line], [],
                    "no notification for NOTIFY=NEVER")
        t.expect_eq(len(env.mbox_messages("alice")), 1, "only the success notice")
    scenario(t, body)


def max_overlap(intervals):
    events = sorted([(s, 1) for s, e in intervals] + [(e, -1) for s, e in intervals])
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def test_concurrency_and_recipient_limits_on_slow_pipes(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        qids = [env.send(sender, [f"r{i}@slow.test"]) for i in range(10)]
        qids += [env.send(sender, [f"p{i}@slowp.test"]) for i in range(6)]
        big = env.send(sender, [f"m{i}@slow.test" for i in range(7)])
        for q in qids + [big]:
            env.wait_removed(q, timeout=60)
        recs = env.records()
        t.expect_eq(len(recs), 23, "one record per recipient")
        runs = {}
        for qid, rcpt, start, end, pid in recs:
            runs.setdefault((qid, pid), []).append((rcpt, float(start), float(end)))
        slow = [v[0][1:] for k, v in runs.items() if v[0][0].endswith("@slow.test")]
        slowp = [v[0][1:] for k, v in runs.items() if v[0][0].endswith("@slowp.test")]
        t.expect_eq(max_overlap(slow), 2, "slow: destination concurrency limit 2 reached, never more")
        t.expect_eq(max_overlap(slowp), 2, "slowp: process limit 2 reached, never more")
        sizes = sorted(len(v) for (q, _), v in runs.items() if q == big)
        t.expect_eq(sizes, [1, 3, 3], "recipients per delivery (limit 3)")
    scenario(t, body, pipes={"slow": (10, 0.3), "slowp": (2, 0.3)}, **PIPE_DEST,
             slow_destination_concurrency_limit=2, slow_destination_recipient_limit=3,
             slowp_destination_recipient_limit=1)


# -- 5. faults: kill -9 -----------------------------------------------------------------

def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def delivered(env):
    """{(qid, recipient): times recorded}."""
    out = {}
    for qid, rcpt, *_ in env.records():
        out[(qid, rcpt)] = out.get((qid, rcpt), 0) + 1
    return out


def settle(env, expected, timeout=60):
    """Wait until every expected recipient is recorded and the queue is empty.

    A file that a delivery agent still had locked when a new qmgr met it
    cools down in incoming for a minute, as with Postfix; "postfix flush"
    (as an administrator would run) moves it on without waiting that long.
    """
    state = {"got": {}, "left": [], "next_flush": time.monotonic() + 5}

    def settled():
        state["got"] = delivered(env)
        state["left"] = [q for q in ("incoming", "active", "deferred") if env.queue_files(q)]
        if set(state["got"]) >= expected and not state["left"]:
            return True
        if time.monotonic() > state["next_flush"]:
            env.t.run("postfix", "-c", env.t.config_dir, "flush")
            state["next_flush"] = time.monotonic() + 5
        return False

    try:
        env.t.wait_for(settled, "a settled queue", timeout)
    except Failure:
        raise Failure(f"not settled: missing {sorted(expected - set(state['got']))[:10]}, "
                      f"queues with files {state['left']}")
    return state["got"]


def expect_exactly_once(env, got, expected, allowed_twice=()):
    env.t.expect_eq(sorted(set(got) - expected), [], "nothing delivered that was not sent")
    twice = sorted(k for k, n in got.items() if n > 1 and k not in allowed_twice)
    env.t.expect_eq(twice, [], "recipients delivered more than once")
    env.t.expect_eq(len(env.queue_files("corrupt")), 0, "no corrupt queue files")


def test_kill_9_of_qmgr_under_load(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        expected = set()

        def inject(i):
            rcpts = [f"k{i}r{j}@pipe.test" for j in range(3)]
            qid = env.send(sender, rcpts)
            expected.update((qid, r) for r in rcpts)

        for i in range(8):
            inject(i)
        t.wait_for(lambda: len(env.records()) >= 3, "first deliveries")
        qmgr = env.qmgr_pid()
        t.expect_eq(qmgr is not None, True, "qmgr runs")
        kill([qmgr])
        t.wait_log(f"pid {qmgr} killed by signal 9")
        # New mail wakes a new qmgr, which sends active files back through incoming.
        for i in range(8, 12):
            inject(i)
        got = settle(env, expected)
        expect_exactly_once(env, got, expected)
        t.expect_eq(len(got), 36, "12 messages x 3 recipients")
        new = env.qmgr_pid()
        t.expect_eq(new is not None and new != qmgr, True, "a new qmgr")
    scenario(t, body, pipes={"rec": (10, 0.2)}, **PIPE_DEST)


def test_kill_9_of_a_delivery_agent_mid_delivery(t):
    def body(env):
        hang = os.path.join(env.rec, "hang")
        open(hang, "w").close()
        env.start()
        qid = env.send(env.addr("alice"), ["h1@pipe.test", "h2@pipe.test"])
        other = env.send(env.addr("alice"), [env.u["bob"]])
        run = t.wait_for(env.running, "the pipe command running")
        (cmd_pid, what), = run.items()
        t.expect_eq(what, f"{qid} h1@pipe.test h2@pipe.test", "running command")
        with open(f"/proc/{cmd_pid}/stat") as f:
            agent = int(f.read().rsplit(")", 1)[1].split()[1])
        victims = [agent] + [p for p in env.children() if p != agent and
                             is_descendant(p, agent)]
        kill(victims)
        os.unlink(hang)
        os.unlink(os.path.join(env.rec, f"run.{cmd_pid}"))
        t.wait_log(f"pid {agent} killed by signal 9")
        t.wait_log("warning: private/rec socket: malformed response")
        t.wait_log("warning: transport rec failure -- see a previous warning/fatal/panic "
                   "logfile record for the problem description")
        wait_count(env, qid, "(delivery temporarily suspended: unknown mail transport error)", 2)
        for rcpt in ("h1", "h2"):
            expect_line(env, qid, r"postfix/qmgr\[\d+\]: " + qid + r": to=<" + rcpt +
                        r"@pipe\.test>, relay=none, " + DELAYS + r", dsn=4\.3\.0, status=deferred "
                        r"\(delivery temporarily suspended: unknown mail transport error\)",
                        "deferred by qmgr", first=True)
        got = settle(env, {(qid, "h1@pipe.test"), (qid, "h2@pipe.test")})
        expect_exactly_once(env, got, {(qid, "h1@pipe.test"), (qid, "h2@pipe.test")})
        env.wait_removed(other)
        t.expect_eq(len(env.mbox_messages("bob")), 1, "other transports unaffected")
    scenario(t, body, **PIPE_DEST)


def is_descendant(pid, ancestor):
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
        if pid == ancestor:
            return True
    return False


def test_kill_9_of_everything_then_postfix_start(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        expected = set()
        for i in range(10):
            rcpts = [f"e{i}r{j}@pipe.test" for j in range(3)]
            qid = env.send(sender, rcpts)
            expected.update((qid, r) for r in rcpts)
        t.wait_for(lambda: len(env.records()) >= 3, "first deliveries")
        master = t.master_pid()
        victims = env.children()
        killed_at = time.time()
        kill([master] + victims)
        t.wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in [master] + victims),
                   "all processes gone")
        # Deliveries that were running may have happened or not: the queue cannot
        # know, so those (and only those) may come twice, as with Postfix. That is
        # a command still running, or one that ended so shortly before the kill
        # that its agent may not have marked the recipients done yet.
        in_flight = set()
        for pid, what in env.running().items():
            q, *rcpts = what.split()
            in_flight.update((q, r) for r in rcpts)
            os.unlink(os.path.join(env.rec, f"run.{pid}"))
        in_flight.update((q, r) for q, r, _, end, _ in env.records()
                         if float(end) > killed_at - 1.0)
        t.expect_eq(bool(env.queue_files("active") or env.queue_files("incoming") or
                         env.queue_files("deferred")), True, "mail left in the queue")
        t.started = False
        env.start()
        got = settle(env, expected)
        expect_exactly_once(env, got, expected, allowed_twice=in_flight)
        t.expect_eq(len(got), 30, "10 messages x 3 recipients")
    scenario(t, body, pipes={"rec": (10, 0.3)}, **PIPE_DEST)


# -- 6. a missing mailbox directory ----------------------------------------------------

def test_missing_mail_spool_directory_defers(t):
    def body(env):
        nospool = t.path("nospool")
        t.conf(mail_spool_directory=nospool)
        env.start()
        alice = env.u["alice"]
        qid = env.send(env.addr("bob"), [alice])
        reason = (f"cannot update mailbox {nospool}/{alice} for user {alice}. "
                  f"unable to create lock file {nospool}/{alice}.lock: No such file or directory")
        wait_count(env, qid, "status=deferred", 1)
        expect_line(env, qid, r"postfix/local\[\d+\]: " + qid + r": to=<" +
                    re.escape(env.addr("alice")) + r">, orig_to=<" + alice + r">, relay=local, " +
                    DELAYS + r", dsn=4\.3\.0, status=deferred \(" + re.escape(reason) + r"\)",
                    "deferred with the reason")
        t.wait_for(lambda: env.queue_file("deferred", qid), "file in deferred/")
        wait_count(env, qid, "status=deferred", 2)
        os.makedirs(nospool)
        os.chmod(nospool, 0o1777)
        env.wait_removed(qid)
        t.expect_eq([line for line in env.lines(qid) if "bounced" in line or "notification" in line],
                    [], "never bounced")
        with open(os.path.join(nospool, alice)) as f:
            t.expect_in("Subject: test 1", f.read(), "delivered once the directory exists")
    scenario(t, body)


# -- more queue manager duties -----------------------------------------------------------

def test_recipient_batches_and_hold_queue(t):
    """A message with more recipients than qmgr keeps in memory is read in batches
    (qmgr_message_recipient_limit 3); a message in the hold queue is never touched."""
    def body(env):
        t.write("etc/header_checks", "/^Subject: test 2$/ HOLD held by test\n")
        env.start()
        sender = env.addr("alice")
        rcpts = [f"b{i:02d}@pipe.test" for i in range(11)]
        qid = env.send(sender, rcpts)
        held = env.send(sender, ["held@pipe.test"])
        env.wait_removed(qid)
        expect_line(env, qid, r"postfix/qmgr\[\d+\]: " + qid + r": from=<" + re.escape(sender) +
                    r">, size=\d+, nrcpt=11 \(queue active\)", "one queue active line")
        got = delivered(env)
        t.expect_eq(sorted(got), [(qid, r) for r in rcpts], "every recipient of the big message")
        t.expect_eq(max(got.values()), 1, "each once")
        runs = {}
        for q, rcpt, _, _, pid in env.records():
            runs.setdefault(pid, []).append(rcpt)
        # At most 3 recipients in memory (qmgr_message_recipient_minimum 3; rec_recipient_limit
        # 0 lends no slots beyond it), each delivery cut at rec_destination_recipient_limit
        # 2. How the batches fall depends on when recipient refills happen (qmgr reads more
        # recipients while deliveries are still under way), so only the bounds are fixed.
        sizes = sorted(len(v) for v in runs.values())
        t.expect_eq(sum(sizes), 11, "recipients delivered")
        t.expect_eq(max(sizes) <= 2, True, f"at most 2 recipients per delivery: {sizes}")
        t.expect_eq(len(sizes) >= 6, True, f"at least 6 deliveries: {sizes}")
        # The held message: cleanup's log line, the file in hold/, untouched by queue runs.
        t.wait_log(f"{held}: hold: header Subject: test 2 from local; from=<{sender}> "
                   f"to=<held@pipe.test>: held by test")
        path = t.wait_for(lambda: env.queue_file("hold", held), "file in hold/")
        before = os.stat(path)
        wait_count(env, qid, "removed", 1)
        r = t.run("postcat", "-q", held, check=0)
        t.expect_in("*** ENVELOPE RECORDS hold/" + held, r.stdout, "postcat -q finds it in hold")
        # Two queue runs of deferred come and go: a message that arrived after the held one
        # goes through incoming, then is tried twice more from deferred.
        probe = env.send(sender, ["probe@later.test"])
        wait_count(env, probe, "status=deferred (try-later)", 3)
        t.expect_eq(env.queue_file("hold", held), path, "still in hold/")
        t.expect_eq(os.stat(path).st_mtime, before.st_mtime, "untouched")
        t.expect_eq([line for line in env.lines(held) if "qmgr" in line], [], "qmgr never saw it")
        t.expect_not_in("adjusting", t.log_text(), "consistent limits")
    scenario(t, body, transport_maps="inline:{pipe.test=rec:, later.test=retry:try-later}",
             qmgr_message_recipient_limit=3, qmgr_message_active_limit=3,
             qmgr_message_recipient_minimum=3, rec_destination_recipient_limit=2,
             rec_recipient_limit=0, header_checks="regexp:" + t.path("etc", "header_checks"))
