"""The queue manager end to end: sendmail -> postdrop -> pickup -> cleanup ->
qmgr (with trivial-rewrite) -> local/pipe/error -> bounce, under the master
with the sample conf/master.cf (plus the lines a scenario adds).

Each scenario injects mail with our sendmail and observes what a Postfix
administrator would: the maillog lines, the queue directories and files
(postcat -q), the mailboxes and the records that pipe commands leave.
Retry times are shortened (minimal_backoff_time 2s, maximal 4s,
queue_run_delay 1s) so that a retry schedule fits in seconds.

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

# A pipe command that records each delivery: one line per recipient with the
# queue id, "start"/"end" times and the recipient, in the directory $1.
# With a file named "fail" in that directory it exits 75 (EX_TEMPFAIL).
RECORDER = """#!/bin/sh
dir=$1; shift
qid=$1; shift
sleep=$1; shift
if [ -e "$dir/fail" ]; then
    echo "recorder: not yet" >&2
    exit 75
fi
start=$(date +%s.%N)
tag=$$.$(date +%N)
: > "$dir/run.$tag"
sleep "$sleep"
rm -f "$dir/run.$tag"
end=$(date +%s.%N)
cat > "$dir/msg.$qid.$tag"
for r in "$@"; do
    echo "$qid $r $start $end" >> "$dir/records"
done
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

    def __init__(self, t, extra_cf="", users=("alice",), **conf):
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
                        mydestination="$myhostname, localhost", recipient_delimiter="+",
                        queue_run_delay="1s", minimal_backoff_time="2s",
                        maximal_backoff_time="4s", transport_retry_time="1s")
        settings.update(conf)
        t.conf(**settings)
        self.set_aliases("")
        self.extra_cf = extra_cf
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

    def records(self):
        try:
            with open(os.path.join(self.rec, "records")) as f:
                return [line.split() for line in f.read().splitlines()]
        except FileNotFoundError:
            return []


def scenario(t, body, extra_cf="", users=("alice",), **conf):
    env = Env(t, extra_cf, users, **conf)
    try:
        body(env)
    finally:
        env.close()


DELAYS = r"delay=\d+(\.\d+)?, delays=[\d.]+/[\d.]+/[\d.]+/[\d.]+"


def expect_line(env, qid, pattern, what):
    """Exactly one log line of qid matches the regular expression pattern."""
    got = [line for line in env.lines(qid) if re.fullmatch(pattern, line)]
    if len(got) != 1:
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
        size = None
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
