"""cleanup in the running mail system: sendmail -> postdrop -> pickup -> cleanup -> qmgr ->
local, with the real bounce daemon. What a local submitter and the sender of a refused
message see, and what a crash of cleanup in the middle of a message leaves behind.

Needs root (runs the master, creates throwaway local users); uses the 090_qmgr helpers.
"""

import importlib.util
import os
import re
import signal
import socket
import stat

_spec = importlib.util.spec_from_file_location(
    "qmgr_e2e", os.path.join(os.path.dirname(os.path.abspath(__file__)), "090_qmgr.py"))
qm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(qm)


def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


def test_sendmail_message_refused_by_header_checks_bounces_to_the_sender(t):
    def body(env):
        t.write("etc/header_checks", "/^X-Spam: yes/ REJECT\n")
        t.conf(header_checks="regexp:" + t.path("etc/header_checks"))
        env.start()
        sender, rcpt = env.addr("alice"), env.addr("bob")
        r = t.run("sendmail", "-f", sender, rcpt, input="X-Spam: yes\nSubject: refused\n\nbody\n",
                  check=0)
        t.expect_eq((r.returncode, r.stdout, r.stderr), (0, "", ""), "sendmail")
        line = t.wait_for(lambda: re.search(
            r"postfix/cleanup\[\d+\]: ([0-9A-F]+): reject: header X-Spam: yes from local; "
            r"from=<" + re.escape(sender) + r"> to=<" + re.escape(rcpt) +
            r">: 5\.7\.1 message content rejected", t.log_text()), "reject line")
        qid = line.group(1)
        t.wait_log("%s: to=<%s>, relay=none" % (qid, rcpt))
        qm.expect_line(env, qid, r"postfix/cleanup\[\d+\]: " + qid + r": to=<" + re.escape(rcpt) +
                       r">, relay=none, " + qm.DELAYS + r", dsn=5\.7\.1, status=bounced "
                       r"\(message content rejected\)", "bounced line")
        notice = t.wait_for(lambda: re.search(
            r"postfix/bounce\[\d+\]: " + qid + r": sender non-delivery notification: ([0-9A-F]+)",
            t.log_text()), "non-delivery notification").group(1)
        env.wait_removed(notice)
        msgs = t.wait_for(lambda: env.mbox_messages("alice"), "notice in the sender's mailbox")
        t.expect_eq(len(msgs), 1, "one notice")
        t.expect_in("From: Mail Delivery System <MAILER-DAEMON@mail.example.test>\n", msgs[0],
                    "notice sender")
        t.expect_in("Subject: Undelivered Mail Returned to Sender", msgs[0], "notice subject")
        t.expect_in("\n<%s>: message content rejected\n" % rcpt, msgs[0], "notice text")
        t.expect_in("Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.7.1\n"
                    "Diagnostic-Code: X-Postfix; message content rejected\n" % rcpt, msgs[0],
                    "delivery status")
        t.expect_in("X-Spam: yes", msgs[0], "the refused message is attached")
        t.expect_eq(env.mbox("bob"), "", "nothing for the recipient")
        t.expect_eq(env.queue_file("incoming", qid), None, "refused file removed")
        t.expect_eq(os.listdir(os.path.join(t.queue_dir, "maildrop")), [], "maildrop empty")
        t.expect_eq([x for x in env.lines(qid) if "postfix/qmgr" in x], [], "qmgr never saw it")
    qm.scenario(t, body)


def test_kill_9_of_cleanup_mid_message_leaves_nothing_deliverable(t):
    def body(env):
        env.start()
        path = os.path.join(t.queue_dir, "public", "cleanup")
        t.wait_for(lambda: os.path.exists(path), "public/cleanup")
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        f = s.makefile("rwb")

        def attrs():
            out = b""
            while not out.endswith(b"\0\0") or out.count(b"\0") % 2 == 0:
                out += f.read(1)
            return out

        attrs()                                         # protocol=cleanup_protocol
        qid = attrs().split(b"\0")[1].decode()          # queue_id=...
        f.write(b"flags\0" + b"50\0\0")
        f.write(b"".join(record(r, d) for r, d in
                         [("T", "1700000000 5"), ("S", env.addr("alice")), ("R", env.addr("bob")),
                          ("M", ""), ("N", "Subject: partial"), ("N", "")]
                         + [("N", "partial body line")] * 200))
        f.flush()
        qfile = os.path.join(t.queue_dir, "incoming", qid)
        t.wait_for(lambda: os.path.exists(qfile) and os.path.getsize(qfile) > 1000,
                   "partial queue file")
        pids = env.children("cleanup")
        t.expect_eq(len(pids) >= 1, True, "a cleanup process")
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        s.close()
        # A complete message afterwards makes qmgr scan the incoming queue.
        later = env.send(env.addr("alice"), [env.u["bob"]], body="after the crash\n")
        env.wait_removed(later)
        t.expect_in("after the crash", env.mbox("bob"), "the later message arrived")
        t.expect_not_in("partial body line", env.mbox("bob"), "the partial one did not")
        t.expect_eq([x for x in env.lines(qid) if not x.startswith("postfix/cleanup")], [],
                    "no program but cleanup logged about the partial file")
        if os.path.exists(qfile):
            t.expect_eq(os.stat(qfile).st_mode & stat.S_IXUSR, 0, "never marked complete")
        t.expect_eq(env.queue_file("active", qid), None, "never moved to active")
    qm.scenario(t, body)


def test_sendmail_message_too_big_bounces_with_what_was_written(t):
    """Small enough for the maildrop file (sendmail and postdrop limit their file size too),
    too big once cleanup has added its envelope records and headers."""
    def body(env):
        # The notice must fit: it returns only bounce_size_limit bytes of the message.
        t.conf(message_size_limit="4000", bounce_size_limit="500")
        env.start()
        sender, rcpt = env.addr("alice"), env.addr("bob")
        r = t.run("sendmail", "-f", sender, rcpt,
                  input="Subject: big\n\n" + ("0123456789" * 10 + "\n") * 36, check=0)
        t.expect_eq((r.returncode, r.stderr), (0, ""), "sendmail")
        line = t.wait_for(lambda: re.search(
            r"postfix/cleanup\[\d+\]: ([0-9A-F]+): to=<" + re.escape(rcpt) + r">, relay=none, "
            + qm.DELAYS + r", dsn=5\.3\.4, status=bounced \(message file too big\)",
            t.log_text()), "bounced line")
        qid = line.group(1)
        t.wait_log("warning: %s: queue file size limit exceeded" % qid)
        t.wait_log("%s: sender non-delivery notification:" % qid)
        msgs = t.wait_for(lambda: env.mbox_messages("alice"), "notice in the sender's mailbox")
        t.expect_in("<%s>: message file too big" % rcpt, msgs[0], "notice text")
        t.expect_in("Status: 5.3.4\n", msgs[0], "status")
        t.expect_eq(env.mbox("bob"), "", "nothing for the recipient")
    qm.scenario(t, body)
