"""Queue administration on a real running instance: showq/postqueue/mailq listings,
postqueue -j, postsuper (hold, release, requeue, delete, structure repair), the flush
service behind postqueue -s/-i and sendmail -qR, and postkick, postlock, postlog.

Deferred mail is made with defer_transports = smtp: qmgr defers the remote recipients
without trying, with the reason "deferred transport", and defer_append writes the defer
log that the listings show.
"""

import json
import os
import pwd
import re
import subprocess
import time

from harness import Failure, Skip

ADMIN_CF = """\
pickup    unix  n - n 60  1 pickup
cleanup   unix  n - n -   0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -   - trivial-rewrite
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
showq     unix  n - n -   - showq
flush     unix  n - n 1000? 0 flush
"""

REASON = "deferred transport"
TZ = {"TZ": "UTC"}


def start(t, **conf):
    if os.geteuid() != 0:
        raise Skip("needs root: runs the master daemon")
    t.conf(mydestination="$myhostname, localhost", defer_transports="smtp",
           queue_run_delay="300s", minimal_backoff_time="300s", maximal_backoff_time="600s",
           **conf)
    t.start(ADMIN_CF)


def submit(t, sender, *rcpts, body="hello\n"):
    t.run("sendmail", "-f", sender, *rcpts, input="Subject: test\n\n" + body, check=0)


def listing(t):
    r = t.run("postqueue", "-j", env=TZ, check=0)
    return [json.loads(line) for line in r.stdout.splitlines()]


def wait_deferred(t, count):
    """Until count messages sit in the deferred queue with every reason recorded."""
    def ready():
        msgs = listing(t)
        done = [m for m in msgs if m["queue_name"] == "deferred"
                and all(r.get("delay_reason") for r in m["recipients"])]
        return msgs if len(msgs) == count and len(done) == count else None
    return t.wait_for(ready, f"{count} deferred messages in postqueue -j")


def mailq_expected(msgs, marks=None):
    """The mailq text for these messages (short ids, UTC), in listing order."""
    marks = marks or {}
    out = ["-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------"]
    total = 0
    for m in msgs:
        when = time.strftime("%a %b %e %H:%M:%S", time.gmtime(m["arrival_time"]))
        label = m["queue_id"] + marks.get(m["queue_id"], "")
        out.append("%-11s %7d %-20s %s" % (label, m["message_size"], when, m["sender"]))
        prev = ""
        for r in m["recipients"]:
            why = r.get("delay_reason", "")
            if why != prev:
                text = "(%s)" % (why or "reason unavailable")
                out.append(" " * max(0, 78 - len(text)) + text)
                prev = why
            out.append(" " * 41 + r["address"])
        out.append("")
        total += m["message_size"]
    n = len(msgs)
    out.append("-- %d Kbytes in %d Request%s." % (total // 1024, n, "" if n == 1 else "s"))
    return "\n".join(out) + "\n"


def queue_file(t, queue, qid):
    for root, _dirs, files in os.walk(os.path.join(t.queue_dir, queue)):
        if qid in files:
            return os.path.join(root, qid)
    return None


def test_mailq_and_json_listing_of_deferred_mail(t):
    start(t)
    try:
        submit(t, "alice@example.test", "carol@remote.example", "dave@remote.example",
               "erin@other.example")
        submit(t, "", "frank@remote.example", body="x" * 3000 + "\n")
        msgs = wait_deferred(t, 2)
        # The JSON consumer: every field there, with the right types.
        for m in msgs:
            t.expect_eq(sorted(m), ["arrival_time", "forced_expire", "message_size", "queue_id",
                                    "queue_name", "recipients", "sender"], "JSON members")
            t.expect_eq((type(m["arrival_time"]), type(m["message_size"]), m["forced_expire"]),
                        (int, int, False), "JSON types")
        by_sender = {m["sender"]: m for m in msgs}
        t.expect_eq(sorted(by_sender), ["MAILER-DAEMON", "alice@example.test"], "senders")
        t.expect_eq(by_sender["alice@example.test"]["recipients"],
                    [{"address": a, "delay_reason": REASON} for a in
                     ("carol@remote.example", "dave@remote.example", "erin@other.example")],
                    "recipients with reasons")
        t.expect_in("\nx", t.run("postcat", "-bq", by_sender["MAILER-DAEMON"]["queue_id"],
                                 check=0).stdout, "postcat -bq")
        want = mailq_expected(msgs)
        got = t.run("postqueue", "-p", env=TZ, check=0).stdout
        for i, (g, w) in enumerate(zip(got.splitlines(), want.splitlines())):
            t.expect_eq(g, w, f"mailq line {i + 1}")
        t.expect_eq(got, want, "mailq listing")
        # mailq = sendmail -bp = postqueue -p
        t.expect_eq(t.run("sendmail", "-bp", env=TZ, check=0).stdout, want, "sendmail -bp")
        t.expect_eq(t.run("sendmail", "-bp", env=TZ, argv0="mailq", check=0).stdout, want,
                    "mailq")
    finally:
        t.stop()


def test_postsuper_hold_release_requeue_and_delete(t):
    start(t)
    try:
        for n in range(3):
            submit(t, f"s{n}@example.test", f"r{n}@remote.example")
        msgs = wait_deferred(t, 3)
        ids = sorted(m["queue_id"] for m in msgs)
        a, b, c = ids

        r = t.run("postsuper", "-h", a, check=0)
        t.expect_eq(r.stderr, f"postsuper: {a}: placed on hold\npostsuper: Placed on hold: 1 message\n",
                    "hold report")
        held = {m["queue_id"]: m["queue_name"] for m in listing(t)}
        t.expect_eq(held[a], "hold", "held message queue")
        t.expect_eq(mailq_expected(listing(t), {a: "!"}),
                    t.run("postqueue", "-p", env=TZ, check=0).stdout, "mailq with held mail")
        r = t.run("postsuper", "-H", a, check=0)
        t.expect_eq(r.stderr, f"postsuper: {a}: released from hold\n"
                    "postsuper: Released from hold: 1 message\n", "release report")

        r = t.run("postsuper", "-h", "ALL", "deferred", check=0)
        t.expect_eq(r.stderr, "postsuper: Placed on hold: 3 messages\n", "hold ALL deferred")
        r = t.run("postsuper", "-H", "ALL", check=0)
        t.expect_eq(r.stderr, "postsuper: Released from hold: 3 messages\n", "release ALL")

        # Requeue: back through pickup and cleanup, under a new queue id.
        r = t.run("postsuper", "-r", c, check=0)
        t.expect_eq(r.stderr, f"postsuper: {c}: requeued\npostsuper: Requeued: 1 message\n",
                    "requeue report")
        t.run("postkick", "public", "pickup", "W", check=0)
        t.wait_log(f"orig_id={c}")
        msgs = wait_deferred(t, 3)
        new_ids = sorted(m["queue_id"] for m in msgs)
        t.expect_not_in(c, new_ids, "requeued message has a new id")
        t.expect_eq(sorted(m["sender"] for m in msgs),
                    ["s0@example.test", "s1@example.test", "s2@example.test"], "senders kept")

        # Delete by ids on standard input, then ALL deferred.
        r = t.run("postsuper", "-d", "-", input=f"{a}\nNOSUCH1\n", check=0)
        t.expect_eq(r.stderr, f"postsuper: {a}: removed\npostsuper: Deleted: 1 message\n",
                    "delete from stdin")
        t.expect_eq(queue_file(t, "defer", a), None, "defer log removed with the message")
        r = t.run("postsuper", "-d", "ALL", "deferred", check=0)
        t.expect_eq(r.stderr, "postsuper: Deleted: 2 messages\n", "delete ALL deferred")
        t.expect_eq(t.run("postqueue", "-p", check=0).stdout, "Mail queue is empty\n",
                    "empty queue")
        t.expect_eq(t.run("postqueue", "-j", check=0).stdout, "", "empty JSON listing")
    finally:
        t.stop()


def test_postsuper_repairs_names_and_places(t):
    start(t)
    try:
        submit(t, "s@example.test", "r@remote.example")
        (msg,) = wait_deferred(t, 1)
    finally:
        t.stop()
    qid = msg["queue_id"]
    path = queue_file(t, "deferred", qid)
    log = queue_file(t, "defer", qid)
    # A queue restored from elsewhere: the name's inode part is wrong, and the
    # file is not in its hash directory.
    wrong = qid[:5] + "ABCDEF1"
    os.rename(path, os.path.join(t.queue_dir, "deferred", wrong))
    os.rename(log, os.path.join(os.path.dirname(log), wrong))
    bogus = os.path.join(t.queue_dir, "incoming", "not.a.queue.id")
    with open(bogus, "w") as f:
        f.write("x")
    os.symlink("/etc/passwd", os.path.join(t.queue_dir, "active", "ABCDE123"))
    r = t.run("postsuper", "-s", "-p", check=0)
    ino = os.stat(os.path.join(t.queue_dir, "deferred", wrong)).st_ino if False else None
    fixed = [f for f in os.listdir(os.path.join(t.queue_dir, "deferred", qid[0]))]
    t.expect_eq(len(fixed), 1, "one file in its hash directory")
    new_id = fixed[0]
    st = os.stat(os.path.join(t.queue_dir, "deferred", qid[0], new_id))
    t.expect_eq(new_id, "%s%X" % (qid[:5], st.st_ino), "name matches the inode")
    t.expect_eq(r.stderr, "postsuper: warning: bogus file name: incoming/not.a.queue.id\n" * 2
                + "postsuper: Renamed to match inode number: 1 message\n"
                "postsuper: warning: QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS\n",
                "postsuper -s report")
    t.expect_eq(os.path.lexists(os.path.join(t.queue_dir, "active", "ABCDE123")), False,
                "non-file object removed")
    t.expect_in(new_id, os.listdir(os.path.join(t.queue_dir, "defer", qid[0])),
                "defer log renamed with its message")
    # Nothing left to do on a second run; the mail system being down, root's
    # postqueue reads the queue itself.
    t.expect_eq(t.run("postsuper", "-s", check=0).stderr,
                "postsuper: warning: bogus file name: incoming/not.a.queue.id\n", "second -s")
    r = t.run("postqueue", "-j", check=0)
    t.expect_in("Mail system is down -- accessing queue directly", r.stderr, "stand-alone warning")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    t.expect_eq([(m["queue_id"], m["recipients"]) for m in got],
                [(new_id, [{"address": "r@remote.example", "delay_reason": REASON}])],
                "listing after repair")
    # Named operations refuse to run while names are being changed.
    os.rename(os.path.join(t.queue_dir, "deferred", qid[0], new_id),
              os.path.join(t.queue_dir, "deferred", qid[0], wrong))
    r = t.run("postsuper", "-s", "-d", wrong, check=1)
    t.expect_in("postsuper: fatal: CHECK YOUR QUEUE IDS AND RE-ISSUE THE COMMAND", r.stderr,
                "refusal")


def test_flush_service_per_site(t):
    start(t, fast_flush_domains="remote.example")
    try:
        submit(t, "s@example.test", "r@remote.example")
        submit(t, "s@example.test", "r@other.example")
        msgs = wait_deferred(t, 2)
        site_id = [m["queue_id"] for m in msgs
                   if m["recipients"][0]["address"] == "r@remote.example"][0]
        other_id = [m["queue_id"] for m in msgs if m["queue_id"] != site_id][0]
        log = os.path.join(t.queue_dir, "flush", "remote.example")
        t.wait_for(lambda: os.path.exists(log) and site_id in open(log).read(), "flush log")
        t.expect_eq(os.path.exists(os.path.join(t.queue_dir, "flush", "other.example")), False,
                    "no log for ineligible sites")
        before = t.log_text().count(f"{site_id}: to=<r@remote.example>")
        t.run("postqueue", "-s", "remote.example", check=0)
        # Delivered again (and deferred again, still over defer_transports).
        t.wait_for(lambda: t.log_text().count(f"{site_id}: to=<r@remote.example>") > before,
                   "second delivery attempt after postqueue -s")
        t.wait_for(lambda: open(log).read() == f"{site_id}\n", "log truncated and refilled")
        r = t.run("postqueue", "-s", "other.example", check=69)
        t.expect_eq(r.stderr, 'postqueue: fatal: Flush service is not configured for '
                    'destination "other.example"\n', "ineligible site")
        r = t.run("postqueue", "-s", "bad/site", check=64)
        t.expect_in('invalid destination: "bad/site"', r.stderr, "bad site")
        before = t.log_text().count(f"{other_id}: to=<")
        t.run("postqueue", "-i", other_id, check=0)
        t.wait_for(lambda: t.log_text().count(f"{other_id}: to=<") > before,
                   "delivery attempt after postqueue -i")
        before = t.log_text().count(f"{site_id}: to=<r@remote.example>")
        t.run("sendmail", "-qRremote.example", check=0)
        t.wait_for(lambda: t.log_text().count(f"{site_id}: to=<r@remote.example>") > before,
                   "delivery attempt after sendmail -qR")
        before = t.log_text().count(": to=<")
        t.run("postqueue", "-f", check=0)
        t.wait_for(lambda: t.log_text().count(": to=<") >= before + 2, "postqueue -f")
    finally:
        t.stop()


def run_as(t, user, prog, *args):
    pw = pwd.getpwnam(user)

    def drop():
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    return subprocess.run([t.program(prog), *args], capture_output=True, text=True,
                          env=t.env(TZ), cwd="/", preexec_fn=drop, timeout=60)


def test_authorized_users(t):
    start(t, authorized_mailq_users="root", authorized_flush_users="root")
    try:
        uid = pwd.getpwnam(t.user).pw_uid
        r = run_as(t, t.user, "postqueue", "-p")
        t.expect_eq((r.returncode, r.stderr), (77, f"postqueue: fatal: User {t.user}({uid}) is "
                                                   "not allowed to view the mail queue\n"),
                    "mailq refused")
        r = run_as(t, t.user, "postqueue", "-f")
        t.expect_eq((r.returncode, r.stderr), (77, f"postqueue: fatal: User {t.user}({uid}) is "
                                                   "not allowed to flush the mail queue\n"),
                    "flush refused")
        t.expect_eq(t.run("postqueue", "-p", check=0).stdout, "Mail queue is empty\n", "root")
        r = run_as(t, t.user, "postsuper", "-d", "ALL")
        t.expect_eq((r.returncode, r.stderr),
                    (1, "postsuper: fatal: use of this command is reserved for the superuser\n"),
                    "postsuper for root only")
    finally:
        t.stop()


def test_postkick_postlock_postlog(t):
    r = t.run("postlog", "-t", "mytag", "-p", "warn", "hello", "world", check=0)
    t.run("postlog", "-i", input="line one\nline two\n", check=0)
    text = t.log_text()
    t.expect_eq(bool(re.search(r" mytag\[\d+\]: warning: hello world\n", text)), True,
                "postlog -t -p line: " + text)
    t.expect_eq(len(re.findall(r" postfix/postlog\[\d+\]: line (one|two)\n", text)), 2,
                "postlog lines from stdin")
    r = t.run("postlog", "-p", "bogus", "x", check=1)
    t.expect_eq(r.stderr, 'postlog: fatal: bad severity: "bogus"\n', "bad severity")

    r = t.run("postkick", "public", "pickup", "W", check=1)
    t.expect_eq(r.stderr, "postkick: warning: Cannot contact class public service pickup - "
                "perhaps the mail system is down\n", "postkick, nobody listening")
    t.run("postkick", "public", check=1)

    box = t.path("mbox")
    r = t.run("postlock", box, "sh", "-c", f"test -f {box}.lock && exit 3", check=3)
    t.expect_eq(os.path.exists(box + ".lock"), False, "dotlock removed afterwards")
    t.expect_eq(os.path.exists(box), True, "mailbox created")
    r = t.run("postlock", "-l", "flock", box, "true", check=0)
    r = t.run("postlock", "-l", "bogus", box, "true", check=75)
    t.expect_eq(r.stderr, 'postlock: fatal: unknown mailbox_delivery_lock value "bogus" in '
                '"bogus"\n', "bad lock style")
    # A lock held by someone else: the command does not run.
    with open(box + ".lock", "w") as f:
        f.write("1")
    t.conf(deliver_lock_attempts="2", deliver_lock_delay="1s")
    r = t.run("postlock", box, "sh", "-c", "exit 0", check=75)
    t.expect_in("open file " + box, r.stderr, "busy lock")
    os.unlink(box + ".lock")
    t.run("postlock", check=75)
