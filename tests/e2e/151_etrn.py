"""ETRN end to end: smtpd asks the flush service to deliver the mail deferred for a site.

The instance runs smtpd, flush, qmgr and the rest; mail for example.net is deferred
(defer_transports = smtp) and example.net is a fast flush domain. ETRN for it must start
a new delivery attempt; ETRN for a site that is not eligible gets Postfix's 459 reply.
Reply texts are those of Postfix 3.7's smtpd.
"""

import json
import os
import socket

from harness import Failure, Skip

ETRN_CF = """\
{port} inet n - n - - smtpd
pickup    unix  n - n 60  1 pickup
cleanup   unix  n - n -   0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -   - trivial-rewrite
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
showq     unix  n - n -   - showq
flush     unix  n - n 1000? 0 flush
anvil     unix  - - n -   1 anvil
"""


class Client:
    """A raw SMTP client: one command, one (possibly multi-line) reply."""

    def __init__(self, t):
        self.sock = socket.create_connection(("127.0.0.1", t.smtp_port), timeout=20)
        self.buf = b""

    def reply(self):
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                data = self.sock.recv(65536)
                if not data:
                    raise Failure(f"connection closed after {lines!r} {self.buf!r}")
                self.buf += data
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode("utf-8", "replace"))
            if len(line) < 4 or line[3:4] != b"-":
                return lines

    def cmd(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return "\n".join(self.reply())


def deferred_ids(t):
    r = t.run("postqueue", "-j", check=0)
    msgs = [json.loads(line) for line in r.stdout.splitlines()]
    ready = [m for m in msgs if m["queue_name"] == "deferred"
             and all(r.get("delay_reason") for r in m["recipients"])]
    return [m["queue_id"] for m in ready] if len(ready) == 1 else None


def test_etrn_flushes_a_fast_flush_domain(t):
    if os.geteuid() != 0:
        raise Skip("needs root: runs the master daemon")
    t.conf(compatibility_level="3.6", mydestination="$myhostname, localhost",
           mynetworks="127.0.0.0/8", smtpd_error_sleep_time="0",
           fast_flush_domains="example.net", defer_transports="smtp",
           queue_run_delay="300s", minimal_backoff_time="300s", maximal_backoff_time="600s")
    t.start(ETRN_CF.format(port=t.smtp_port))
    try:
        t.run("sendmail", "-f", "s@example.test", "r@example.net",
              input="Subject: etrn\n\nhello\n", check=0)
        qid = t.wait_for(lambda: deferred_ids(t), "one deferred message")[0]
        log = os.path.join(t.queue_dir, "flush", "example.net")
        t.wait_for(lambda: os.path.exists(log) and qid in open(log).read(), "flush log")
        attempt = f"{qid}: to=<r@example.net>"
        before = t.log_text().count(attempt)

        c = Client(t)
        t.expect_eq(c.reply()[0][:4], "220 ", "greeting")
        c.cmd("EHLO x")
        t.expect_eq(c.cmd("ETRN example.net"), "250 Queuing started")
        t.wait_for(lambda: t.log_text().count(attempt) > before,
                   "new delivery attempt after ETRN")
        t.expect_eq(c.cmd("ETRN other.example"), "459 <other.example>: service unavailable")
        t.wait_log("reject: ETRN other.example... from localhost[127.0.0.1]")
        t.expect_eq(c.cmd("ETRN"), "500 Syntax: ETRN domain")
        t.expect_eq(c.cmd("ETRN bad/site"), "501 Error: invalid parameter syntax")
        t.expect_eq(c.cmd("MAIL FROM:<a@example.test>"), "250 2.1.0 Ok")
        t.expect_eq(c.cmd("ETRN example.net"), "503 Error: MAIL transaction in progress")
        t.expect_eq(c.cmd("QUIT"), "221 2.0.0 Bye")
    finally:
        t.stop()
