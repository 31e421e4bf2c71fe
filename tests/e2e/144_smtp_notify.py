"""notify_classes for the SMTP/LMTP client (and the notice format it shares with smtpd).

The whole mail system runs under the master with the sample master.cf (as in
090_qmgr, whose Env this file loads): mail from a local user goes through qmgr
to the smtp (or lmtp) client, which talks to the scripted server of
142_smtp_proto. When a session had an error of a class in notify_classes the
client mails a transcript to error_notice_recipient; postmaster is an alias of
a local user here, so the notice is read from that user's mailbox.

What Postfix 3.7's client reports, and so ours: "protocol" errors only (a reply
code outside 4xx/5xx, 500-509 and 555, or a reply line that is no reply line)
and "data" (local data errors); ordinary rejections (550 and so on) are the
remote site's policy and are never reported, whatever notify_classes says. No
notice is sent for mail from the null sender or the double-bounce sender. The
notice: From MAILER-DAEMON, Subject "$mail_name SMTP client: errors from
host[addr]:port" ("LMTP client" for LMTP), "Unexpected response from ...",
and the "Out:"/"In:" lines of the dialogue.

Needs root: runs the master and creates throwaway local users.
"""

import importlib.util
import os
import re
import socket

from harness import Failure


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(os.path.dirname(os.path.abspath(__file__)), filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


qmgr090 = _load("qmgr090", "090_qmgr.py")
proto142 = _load("proto142", "142_smtp_proto.py")
Env, notices, HOST = qmgr090.Env, qmgr090.notices, qmgr090.HOST
ScriptServer = proto142.ScriptServer

PEER = "127.0.0.1[127.0.0.1]"


def run(t, body, server_args, lmtp=False, **conf):
    """Start the scripted server and the mail system (postmaster is bob), run body(env, server)."""
    server = ScriptServer(t, **server_args)
    transport = (f"lmtp:inet:127.0.0.1:{server.port}" if lmtp
                 else f"smtp:[127.0.0.1]:{server.port}")
    env = Env(t, transport_maps=f"inline:{{remote.test={transport}}}",
              **conf)
    try:
        env.set_aliases(f"postmaster: {env.u['bob']}\n")
        env.start()
        body(env, server)
    finally:
        server.stop()
        env.close()


def queue_empty(env):
    return not any(env.queue_files(q) for q in ("maildrop", "incoming", "active", "deferred"))


def expect_no_notice(env, qid):
    """Once the message and everything it caused are gone: nothing came from double-bounce.

    The client posts a notice before it reports the delivery to qmgr, so a notice
    would be in the queue before the bounce that follows the report is even made."""
    t = env.t
    env.wait_removed(qid)
    t.wait_for(lambda: queue_empty(env), "an empty queue")
    t.expect_eq(env.mbox("bob"), "", "postmaster's mailbox")
    t.expect_not_in("from=<double-bounce@", t.log_text(), "no message from double-bounce")


def split(message):
    head, body = message.split("\n\n", 1)
    return head, body


def transcript(lines):
    return "Transcript of session follows.\n\n" + "".join(f" {x}\n" for x in lines) + "\n"


def test_protocol_error_notice(t):
    def body(env, server):
        sender = env.addr("alice")
        qid = env.send(sender, ["u@remote.test"])
        subject = f"Postfix SMTP client: errors from {PEER}:{server.port}"
        got = t.wait_for(lambda: notices(env, "bob", subject), "the notice in postmaster's mailbox")
        t.expect_eq(len(got), 1, "one notice")
        head, text = split(got[0])
        t.expect_in("\nReturn-Path: <double-bounce@mail.example.test>\n", "\n" + head,
                    "envelope sender")
        t.expect_in(f"\nFrom: Mail Delivery System <MAILER-DAEMON@{HOST}>\n", head, "From:")
        t.expect_in(f"\nTo: Postmaster <postmaster@{HOST}>\n", head, "To:")
        t.expect_eq(text, f"Unexpected response from {PEER}:{server.port}.\n\n" + transcript([
            "In:  220 script.example ESMTP",
            "Out: EHLO mail.example.test",
            "In:  250-script.example",
            "In:  250 8BITMIME",
            f"Out: MAIL FROM:<{sender}>",
            "In:  501 5.5.4 Syntax: MAIL FROM:<address>",
            "Out: QUIT",
        ]) + "For other details, see the local mail logfile\n\n", "notice body")
        # The sender still gets the bounce; the notice is for the postmaster only.
        t.wait_for(lambda: notices(env, "alice", "Undelivered Mail Returned to Sender"),
                   "bounce to the sender")
        t.expect_eq(env.mbox("bob").count("\nSubject: "), 1, "nothing else for the postmaster")
    run(t, body, dict(ehlo=("8BITMIME",), replies={"MAIL": "501 5.5.4 Syntax: MAIL FROM:<address>"}),
        notify_classes="protocol")


def test_no_notice_by_default(t):
    """notify_classes = resource, software (the default): a protocol error is not reported."""
    def body(env, server):
        t.expect_eq(t.postconf("-h", "notify_classes").stdout, "resource, software\n", "default")
        qid = env.send(env.addr("alice"), ["u@remote.test"])
        t.wait_for(lambda: notices(env, "alice", "Undelivered Mail Returned to Sender"),
                   "bounce to the sender")
        expect_no_notice(env, qid)
    run(t, body, dict(ehlo=("8BITMIME",), replies={"MAIL": "501 5.5.4 Syntax error"}))


def test_policy_rejection_is_not_reported(t):
    """A 550 to RCPT is the remote site's policy: no notice even with policy and protocol."""
    def body(env, server):
        qid = env.send(env.addr("alice"), ["u@remote.test"])
        t.wait_for(lambda: notices(env, "alice", "Undelivered Mail Returned to Sender"),
                   "bounce to the sender")
        t.wait_log(f"{qid}: to=<u@remote.test>, relay={PEER}:{server.port}")
        t.expect_in("status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.7.1 relaying denied "
                    "(in reply to RCPT TO command))", t.log_text(), "the bounce")
        expect_no_notice(env, qid)
    run(t, body, dict(ehlo=("8BITMIME",), replies={"RCPT": "550 5.7.1 relaying denied"}),
        notify_classes="policy, protocol, resource, software")


def test_null_sender_gets_no_notice(t):
    """Mail from <> (a notice of some kind itself) never causes a notice."""
    def body(env, server):
        qid = env.send("<>", ["u@remote.test"])
        t.wait_log(f"{qid}: to=<u@remote.test>, relay={PEER}:{server.port}")
        expect_no_notice(env, qid)
        t.expect_eq(server.lines[1], "MAIL FROM:<>", "the null sender went out")
    run(t, body, dict(ehlo=("8BITMIME",), replies={"MAIL": "501 5.5.4 Syntax error"}),
        notify_classes="protocol")


def test_garbage_in_a_pipelined_reply(t):
    """A reply line that is no reply line: the reply goes on, a warning (with PIPELINING
    commands and replies may be out of step), and a protocol error notice."""
    def body(env, server):
        sender = env.addr("alice")
        qid = env.send(sender, ["u@remote.test"])
        t.wait_log(f"{qid}: to=<u@remote.test>, relay={PEER}:{server.port}")
        t.expect_in(f"status=sent (250 2.0.0 queued)", "\n".join(env.lines(qid)), "delivered")
        t.expect_in(f"warning: {qid}: non-ESMTP response from {PEER}:{server.port}: what?\n",
                    t.log_text(), "warning")
        t.expect_in("warning: to prevent loss of mail, turn off command pipelining for "
                    "127.0.0.1 with the smtp_discard_ehlo_keyword_address_maps parameter\n",
                    t.log_text(), "helpful warning")
        subject = f"Postfix SMTP client: errors from {PEER}:{server.port}"
        got = t.wait_for(lambda: notices(env, "bob", subject), "the notice in postmaster's mailbox")
        head, text = split(got[0])
        t.expect_in(transcript([
            "In:  220 script.example ESMTP",
            "Out: EHLO mail.example.test",
            "In:  250-script.example",
            "In:  250-PIPELINING",
            "In:  250 8BITMIME",
            f"Out: MAIL FROM:<{sender}>",
            "Out: RCPT TO:<u@remote.test>",
            "Out: DATA",
            "In:  what?",
            "In:  250 2.1.0 Ok",
            "In:  250 2.0.0 ok",
            "In:  354 go ahead",
            "Out: .",
            "In:  250 2.0.0 queued",
            "Out: QUIT",
        ]), text, "transcript")
    run(t, body, dict(ehlo=("PIPELINING", "8BITMIME"), replies={"MAIL": "what?\r\n250 2.1.0 Ok"}),
        notify_classes="protocol")


def test_lmtp_notice_with_obsolete_header_format(t):
    """LMTP says so in the subject; header_from_format = obsolete gives "address (name)"."""
    def body(env, server):
        sender = env.addr("alice")
        env.send(sender, ["u@remote.test"])
        subject = f"Postfix LMTP client: errors from {PEER}:{server.port}"
        got = t.wait_for(lambda: notices(env, "bob", subject), "the notice in postmaster's mailbox")
        head, text = split(got[0])
        t.expect_in(f"\nFrom: MAILER-DAEMON@{HOST} (Mail Delivery System)\n", head, "From:")
        t.expect_in(f"\nTo: postmaster@{HOST} (Postmaster)\n", head, "To:")
        t.expect_in(transcript([
            "In:  220 script.example ESMTP",
            "Out: LHLO mail.example.test",
            "In:  250 2.0.0 ok",
            f"Out: MAIL FROM:<{sender}>",
            "In:  500 5.5.1 what?",
            "Out: QUIT",
            "In:  221 2.0.0 bye",  # lmtp_skip_quit_response = no
        ]), text, "transcript")
    run(t, body, dict(replies={"MAIL": "500 5.5.1 what?"}), lmtp=True,
        notify_classes="protocol", header_from_format="obsolete")


def test_smtpd_notice_headers(t):
    """The SMTP server's notice has the same From:/To: as the client's (header_from_format)."""
    def body(env, server):
        s = socket.create_connection(("127.0.0.1", t.smtp_port), timeout=30)
        f = s.makefile("rb")
        t.expect_eq(f.readline(), b"220 mail.example.test ESMTP Postfix\r\n", "greeting")
        s.sendall(b"FROBNICATE\r\n")
        t.expect_eq(f.readline(), b"502 5.5.2 Error: command not recognized\r\n", "reply")
        s.sendall(b"QUIT\r\n")
        t.expect_eq(f.readline(), b"221 2.0.0 Bye\r\n", "QUIT reply")
        s.close()
        # The sample master.cf runs smtpd chrooted, where the client name may be "unknown".
        subject = re.compile(r"^Subject: Postfix SMTP server: errors from \S+\[127\.0\.0\.1\]$",
                             re.M)
        got = t.wait_for(lambda: [m for m in env.mbox_messages("bob") if subject.search(m)],
                         "the notice in postmaster's mailbox")
        head, text = split(got[0])
        t.expect_in(f"\nFrom: Mail Delivery System <MAILER-DAEMON@{HOST}>\n", head, "From:")
        t.expect_in(f"\nTo: Postmaster <postmaster@{HOST}>\n", head, "To:")
        t.expect_eq(text, transcript([
            "Out: 220 mail.example.test ESMTP Postfix",
            "In:  FROBNICATE",
            "Out: 502 5.5.2 Error: command not recognized",
            "In:  QUIT",
            "Out: 221 2.0.0 Bye",
        ]) + "\nFor other details, see the local mail logfile\n\n", "notice body")
    run(t, body, {}, notify_classes="protocol", compatibility_level="3.6",
        smtpd_error_sleep_time="0")


def test_bounce_from_follows_header_from_format(t):
    """The bounce templates' default From: is "address (name)" with header_from_format =
    obsolete, as Postfix's (postconf -t shows it; the notice carries it)."""
    def body(env, server):
        r = t.postconf("-t")
        t.expect_eq([x for x in r.stdout.splitlines() if x.startswith("From:")],
                    ["From: MAILER-DAEMON (Mail Delivery System)"] * 4, "postconf -t")
        env.send(env.addr("alice"), ["u@remote.test"])
        got = t.wait_for(lambda: notices(env, "alice", "Undelivered Mail Returned to Sender"),
                         "bounce to the sender")
        head, _ = split(got[0])
        t.expect_in(f"\nFrom: MAILER-DAEMON@{HOST} (Mail Delivery System)\n", head, "From:")
    run(t, body, dict(ehlo=("8BITMIME",), replies={"RCPT": "550 5.1.1 no such user"}),
        header_from_format="obsolete")
