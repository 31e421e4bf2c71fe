"""smtpd: the SMTP server under the master, with cleanup and anvil, talking to Python's
smtplib and to raw sockets.

Each scenario starts an instance whose master.cf has smtpd on t.smtp_port, cleanup,
trivial-rewrite and anvil; example.test and mail.example.test are local (mydestination),
relay.test is in relay_domains, anything else is foreign. Replies and log lines are compared with Postfix 3.7's texts.
"""

import os
import re
import smtplib
import socket
import time

from harness import Failure

SMTPD_CF = """\
{port} inet n - n - - smtpd
cleanup unix n - n - 0 cleanup
anvil unix - - n - 1 anvil
rewrite unix - - n - - trivial-rewrite
"""

def start(t, extra_cf="", **conf):
    base = {"compatibility_level": "3.6", "mynetworks": "127.0.0.0/8",
            "smtpd_error_sleep_time": "0",
            "relay_domains": "relay.test", "local_recipient_maps": "",
            "mydestination": "example.test, mail.example.test, localhost"}
    base.update(conf)
    t.conf(**base)
    t.start(SMTPD_CF.format(port=t.smtp_port) + extra_cf)


class Raw:
    """A raw SMTP client: send exact bytes, read whole replies."""

    def __init__(self, t, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", t.smtp_port), timeout=timeout)
        self.buf = b""

    def reply(self):
        """One (possibly multi-line) reply, as a list of text lines."""
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

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def cmd(self, text):
        self.send(text + "\r\n")
        return self.reply()[-1]

    def closed(self):
        """True when the server has closed the connection."""
        try:
            return self.sock.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            return True

    def close(self):
        self.sock.close()


def greet(t):
    c = Raw(t)
    t.expect_eq(c.reply(), ["220 mail.example.test ESMTP Postfix"], "greeting")
    return c


def session(t, *cmds):
    """Replies (last line of each) to cmds, after greeting and EHLO."""
    c = greet(t)
    c.cmd("EHLO client.example")
    out = [c.cmd(x) for x in cmds]
    c.cmd("QUIT")
    c.close()
    return out


def log_lines(t, pattern):
    return [ln for ln in t.log_text().splitlines() if re.search(pattern, ln)]


def wait_log_re(t, pattern, what=None):
    t.wait_for(lambda: log_lines(t, pattern), what or pattern)
    return log_lines(t, pattern)


def postcat(t, qid):
    return t.run("postcat", "-c", t.config_dir, "-q", qid, check=0).stdout


def queued_id(reply):
    m = re.match(r"250 2\.0\.0 Ok: (?:\d+ bytes )?queued as (\w+)$", reply)
    if not m:
        raise Failure(f"not queued: {reply!r}")
    return m.group(1)


# -- greeting, EHLO and the simple commands -----------------------------------------------

def test_greeting_ehlo_keywords_and_quit(t):
    start(t)
    c = greet(t)
    c.send("EHLO client.example\r\n")
    t.expect_eq(c.reply(), ["250-mail.example.test", "250-PIPELINING", "250-SIZE 10240000",
                            "250-VRFY", "250-ETRN", "250-ENHANCEDSTATUSCODES", "250-8BITMIME",
                            "250-DSN", "250-SMTPUTF8", "250 CHUNKING"], "EHLO reply")
    t.expect_eq(c.cmd("HELO client.example"), "250 mail.example.test")
    t.expect_eq(c.cmd("NOOP"), "250 2.0.0 Ok")
    t.expect_eq(c.cmd("RSET"), "250 2.0.0 Ok")
    t.expect_eq(c.cmd("RSET x"), "501 5.5.4 Syntax: RSET")
    t.expect_eq(c.cmd("HELP"), "502 5.5.2 Error: command not recognized")
    t.expect_eq(c.cmd("STARTTLS"), "502 5.5.2 Error: command not recognized")
    t.expect_eq(c.cmd("EHLO"), "501 Syntax: EHLO hostname")
    t.expect_eq(c.cmd("HELO"), "501 Syntax: HELO hostname")
    t.expect_eq(c.cmd(""), "500 5.5.2 Error: bad syntax")
    t.expect_eq(c.cmd("QUIT"), "221 2.0.0 Bye")
    t.expect_eq(c.closed(), True, "closed after QUIT")
    lines = wait_log_re(t, r"disconnect from localhost\[127\.0\.0\.1\]")
    t.expect_in("postfix/smtpd[", lines[-1])
    t.expect_eq(lines[-1].split(": ", 1)[1],
                "disconnect from localhost[127.0.0.1] helo=1/2 ehlo=1/2 rset=1/2 noop=1 quit=1 "
                "unknown=0/2 commands=5/10")
    t.expect_eq(len(log_lines(t, r"connect from localhost\[127\.0\.0\.1\]$")), 1)


def test_discard_ehlo_keywords_and_banner(t):
    start(t, smtpd_discard_ehlo_keywords="pipelining, chunking, enhancedstatuscodes, dsn",
          smtpd_banner="$myhostname ready", message_size_limit="0", disable_vrfy_command="yes")
    c = Raw(t)
    t.expect_eq(c.reply(), ["220 mail.example.test ready"])
    c.send("EHLO x\r\n")
    t.expect_eq(c.reply(), ["250-mail.example.test", "250-SIZE", "250-ETRN", "250-8BITMIME",
                            "250 SMTPUTF8"])
    # Without ENHANCEDSTATUSCODES the replies lose their d.d.d codes.
    t.expect_eq(c.cmd("VRFY u@example.test"), "502 VRFY command is disabled")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test> RET=FULL"), "501 DSN support is disabled")
    t.expect_eq(c.cmd("BDAT 1 LAST"), "521 Error: command not implemented")
    wait_log_re(t, r"discarding EHLO keywords: PIPELINING ENHANCEDSTATUSCODES DSN CHUNKING$")


def test_vrfy_and_etrn(t):
    start(t)
    out = session(t, "VRFY u@example.test", "VRFY", "ETRN", "ETRN relay.test",
                  "ETRN example.net", "ETRN bad..name")
    t.expect_eq(out, ["252 2.0.0 u@example.test", "501 5.5.4 Syntax: VRFY address [SMTPUTF8]",
                      "500 Syntax: ETRN domain", "458 Unable to queue messages",
                      "459 <example.net>: service unavailable",
                      "501 Error: invalid parameter syntax"])
    wait_log_re(t, r"warning: unable to talk to fast flush service")
    wait_log_re(t, r"reject: ETRN example\.net\.\.\. from localhost\[127\.0\.0\.1\]")


# -- the mail transaction -------------------------------------------------------------

def test_message_end_to_end_into_incoming_with_received_header(t):
    start(t)
    s = smtplib.SMTP("127.0.0.1", t.smtp_port, timeout=30)
    s.ehlo("client.example")
    code, msg = s.mail("sender@client.example")
    t.expect_eq((code, msg), (250, b"2.1.0 Ok"))
    t.expect_eq(s.rcpt("user@example.test"), (250, b"2.1.5 Ok"))
    code, msg = s.data(b"Subject: hello\r\n\r\n.leading dot\r\nbody\r\n")
    t.expect_eq(code, 250)
    qid = queued_id(f"{code} {msg.decode()}")
    s.quit()
    out = postcat(t, qid)
    t.expect_in("*** ENVELOPE RECORDS", out)
    t.expect_in("sender: sender@client.example\n", out)
    t.expect_in("named_attribute: log_client_name=localhost\n", out)
    t.expect_in("named_attribute: log_client_address=127.0.0.1\n", out)
    t.expect_in("named_attribute: log_helo_name=client.example\n", out)
    t.expect_in("named_attribute: log_protocol_name=ESMTP\n", out)
    t.expect_in("named_attribute: rewrite_context=local\n", out)
    t.expect_in("recipient: user@example.test\n", out)
    m = re.search(r"Received: from client\.example \(localhost \[127\.0\.0\.1\]\)\n"
                  r"\tby mail\.example\.test \(Postfix\) with ESMTP id (\w+)\n"
                  r"\tfor <user@example\.test>; \w\w\w, +\d+ \w\w\w \d{4} \d\d:\d\d:\d\d "
                  r"[-+]\d{4} \([^)]+\)\n", out)
    if not m:
        raise Failure("Received: header not as Postfix writes it:\n" + out)
    t.expect_eq(m.group(1), qid)
    t.expect_in("\nSubject: hello\n", out)
    t.expect_in("\n\n.leading dot\nbody\n*** HEADER EXTRACTED", out)
    wait_log_re(t, rf"postfix/smtpd\[\d+\]: {qid}: client=localhost\[127\.0\.0\.1\]$")
    wait_log_re(t, r"disconnect from localhost\[127\.0\.0\.1\] ehlo=1 mail=1 rcpt=1 data=1 "
                   r"quit=1 commands=5$")


def test_two_recipients_received_header_without_for(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<>")
    c.cmd("RCPT TO:<a@example.test>")
    c.cmd("RCPT TO:<b@example.test>")
    t.expect_eq(c.cmd("DATA"), "354 End data with <CR><LF>.<CR><LF>")
    qid = queued_id(c.cmd("x\r\n."))
    out = postcat(t, qid)
    if not re.search(r"Received: from c \(localhost \[127\.0\.0\.1\]\)\n\tby mail\.example\.test "
                     rf"\(Postfix\) with ESMTP id {qid};\n\t\w\w\w, ", out):
        raise Failure("two-recipient Received: header:\n" + out)


def test_command_sequence_errors(t):
    start(t)
    out = session(t, "RCPT TO:<a@example.test>", "DATA", "MAIL FROM:<a@b.test>",
                  "MAIL FROM:<a@b.test>", "DATA", "RCPT TO:<a@example.test>", "DATA x",
                  "RSET", "DATA")
    t.expect_eq(out, ["503 5.5.1 Error: need MAIL command", "503 5.5.1 Error: need RCPT command",
                      "250 2.1.0 Ok", "503 5.5.1 Error: nested MAIL command",
                      "554 5.5.1 Error: no valid recipients", "250 2.1.5 Ok",
                      "501 5.5.4 Syntax: DATA", "250 2.0.0 Ok",
                      "503 5.5.1 Error: need RCPT command"])


def test_mail_rcpt_syntax_and_parameters(t):
    start(t)
    out = session(t, "MAIL FROM<a@b>", "MAIL TO:<a@b>", "MAIL FROM:<a@b.test> FOO=1",
                  "MAIL FROM:<a@b.test> SIZE=abc", "MAIL FROM:<a@b.test> RET=BOGUS",
                  "MAIL FROM:<a@b.test> ENVID=a+ZZb", "MAIL FROM:<a@b.test> AUTH=<>",
                  "MAIL FROM:<a@b.test> SIZE=20000000",
                  "MAIL FROM:<a@b.test> BODY=8BITMIME SIZE=100 RET=HDRS ENVID=x+2By SMTPUTF8",
                  "RCPT TO:<x@example.test> NOTIFY=BOGUS", "RCPT TO:<x@example.test> ORCPT=x",
                  "RCPT TO:<x@example.test> FOO", "RCPT TO:<>", "RCPT TO:",
                  "RCPT TO:<x@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y",
                  "RCPT TO: <y@example.test>", "MAIL FROM:<a@b.test>")
    t.expect_eq(out, [
        "501 5.5.4 Syntax: MAIL FROM:<address>",
        "501 5.5.4 Syntax: MAIL FROM:<address>",
        "555 5.5.4 Unsupported option: FOO=1",
        "501 5.5.4 Bad message size syntax",
        "501 5.5.4 Bad RET parameter syntax",
        "501 5.5.4 Bad ENVID parameter syntax",
        "555 5.5.4 Unsupported option: AUTH=<>",
        "552 5.3.4 Message size exceeds fixed limit",
        "250 2.1.0 Ok",
        "501 5.5.4 Error: Bad NOTIFY parameter syntax",
        "501 5.5.4 Error: Bad ORCPT parameter syntax",
        "555 5.5.4 Unsupported option: FOO",
        "501 5.1.3 Bad recipient address syntax",
        "501 5.5.4 Syntax: RCPT TO:<address>",
        "250 2.1.5 Ok",
        "250 2.1.5 Ok",
        "503 5.5.1 Error: nested MAIL command",
    ])
    # Postfix checks the size before the sender is part of the session: no from=<>.
    wait_log_re(t, r"NOQUEUE: reject: MAIL from localhost\[127\.0\.0\.1\]: 552 5\.3\.4 Message "
                   r"size exceeds fixed limit; proto=ESMTP helo=<client\.example>$")


def test_dsn_and_smtputf8_records(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test> RET=HDRS ENVID=x+2By BODY=8BITMIME"), "250 2.1.0 Ok")
    t.expect_eq(c.cmd("RCPT TO:<x@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y"),
                "250 2.1.5 Ok")
    t.expect_eq(c.cmd("RCPT TO:<Y@example.test>"), "250 2.1.5 Ok")
    c.cmd("DATA")
    qid = queued_id(c.cmd("."))
    out = postcat(t, qid)
    t.expect_in("named_attribute: envelope_id=x+y\n", out)
    t.expect_in("named_attribute: ret_flags=2\n", out)
    t.expect_in("named_attribute: encoding=8bit\n", out)
    t.expect_in("named_attribute: notify_flags=6\n", out)
    t.expect_in("named_attribute: dsn_orig_rcpt=rfc822;x@y\n", out)
    t.expect_in("named_attribute: dsn_orig_rcpt=rfc822;Y@example.test\n", out)
    c2 = greet(t)
    c2.cmd("EHLO c")
    t.expect_eq(c2.cmd("MAIL FROM:<dé@b.test>"),
                "553 5.6.7 Must declare SMTPUTF8 to send unicode address")
    t.expect_eq(c2.cmd("MAIL FROM:<dé@b.test> SMTPUTF8"), "250 2.1.0 Ok")
    t.expect_eq(c2.cmd("RCPT TO:<ü@example.test>"), "250 2.1.5 Ok")
    c2.cmd("DATA")
    qid = queued_id(c2.cmd("Subject: x\r\n\r\ny\r\n."))
    out = postcat(t, qid)
    t.expect_in("with UTF8SMTP id", out)


def test_dot_stuffing_long_lines_and_mbox_from(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    long_line = "x" * 5000
    c.send("From someone Mon Jan  1\r\n..two\r\n...three\r\n" + long_line + "\r\n.\r\n")
    qid = queued_id(c.reply()[-1])
    out = postcat(t, qid)
    t.expect_in("\nX-Mailbox-Line: From someone Mon Jan  1\n", out)
    t.expect_in("\n.two\n..three\n" + long_line + "\n*** HEADER", out)


def test_chunking(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    part1 = b"Subject: chunks\r\n\r\nline one\r\n.dot stays\r\nspl"
    part2 = b"it line\r\n"
    c.send(b"BDAT %d\r\n" % len(part1) + part1)
    t.expect_eq(c.reply(), ["250 2.0.0 Ok: %d bytes" % len(part1)])
    c.send(b"BDAT %d LAST\r\n" % len(part2) + part2)
    r = c.reply()[-1]
    t.expect_eq(r.startswith("250 2.0.0 Ok: %d bytes queued as " % (len(part1) + len(part2))),
                True, r)
    qid = queued_id(r)
    out = postcat(t, qid)
    t.expect_in("\nSubject: chunks\n", out)
    t.expect_in("\n\nline one\n.dot stays\nsplit line\n*** HEADER", out)
    t.expect_eq(c.cmd("BDAT 0"), "503 5.5.1 Error: need RCPT command")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    t.expect_eq(c.cmd("BDAT 0"), "551 5.7.1 Null BDAT request")
    t.expect_eq(c.cmd("BDAT 0 LAST"), "551 5.0.0 Discarded 0 bytes after earlier error")
    t.expect_eq(c.cmd("BDAT x"), "521 5.5.4 Syntax: BDAT count [LAST]")
    t.expect_eq(c.closed(), True, "closed after 521")


def test_pipelining_in_one_packet(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<x@example.test>\r\nRCPT TO:<y@example.test>\r\n"
           "DATA\r\n")
    t.expect_eq([c.reply()[-1] for _ in range(4)],
                ["250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok",
                 "354 End data with <CR><LF>.<CR><LF>"])
    c.send("hi\r\n.\r\nQUIT\r\n")
    queued_id(c.reply()[-1])
    t.expect_eq(c.reply(), ["221 2.0.0 Bye"])
    t.expect_eq(log_lines(t, "improper command pipelining"), [])


def test_improper_pipelining_logged_and_forbidden(t):
    start(t)
    c = Raw(t)
    c.send("EHLO early\r\n")
    t.expect_eq(c.reply(), ["220 mail.example.test ESMTP Postfix"])
    c.reply()
    c.send("EHLO c\r\nNOOP\r\n")
    c.reply()
    c.reply()
    wait_log_re(t, r"improper command pipelining after (CONNECT|EHLO) from "
                   r"localhost\[127\.0\.0\.1\]: ")
    c.close()


def test_forbid_unauth_pipelining(t):
    start(t, smtpd_forbid_unauth_pipelining="yes")
    c = greet(t)
    c.send("EHLO c\r\nMAIL FROM:<a@b.test>\r\n")
    t.expect_eq(c.reply(), ["554 5.5.0 Error: SMTP protocol synchronization"])
    t.expect_eq(c.closed(), True)
    wait_log_re(t, r"improper command pipelining after EHLO from localhost\[127\.0\.0\.1\]: "
                   r"MAIL FROM:<a@b\.test>\\r\\n")


# -- limits ---------------------------------------------------------------------------

def test_hard_error_limit_and_junk_commands(t):
    start(t, smtpd_hard_error_limit="3", smtpd_junk_command_limit="2")
    c = greet(t)
    for _ in range(3):
        t.expect_eq(c.cmd("BOGUS"), "502 5.5.2 Error: command not recognized")
    t.expect_eq(c.reply(), ["421 4.7.0 mail.example.test Error: too many errors"])
    t.expect_eq(c.closed(), True)
    wait_log_re(t, r"too many errors after UNKNOWN from localhost\[127\.0\.0\.1\]$")
    c = greet(t)
    for _ in range(10):
        c.send("NOOP\r\n")
        line = c.reply()[-1]
        if line.startswith("421"):
            break
    t.expect_eq(line, "421 4.7.0 mail.example.test Error: too many errors")


def test_recipient_limit_and_overshoot(t):
    start(t, smtpd_recipient_limit="2", smtpd_recipient_overshoot_limit="1",
          smtpd_hard_error_limit="100")
    out = session(t, "MAIL FROM:<a@b.test>", "RCPT TO:<a@example.test>", "RCPT TO:<b@example.test>",
                  "RCPT TO:<c@example.test>", "RCPT TO:<d@example.test>", "DATA", "x\r\n.")
    t.expect_eq(out[:6], ["250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok",
                          "452 4.5.3 Error: too many recipients",
                          "452 4.5.3 Error: too many recipients",
                          "354 End data with <CR><LF>.<CR><LF>"])
    wait_log_re(t, r"rcpt=3/4 data=1")


def test_message_size_limit(t):
    start(t, message_size_limit="2000")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    t.expect_eq(c.cmd(("y" * 100 + "\r\n") * 30 + "."), "552 5.3.4 Error: message file too big")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test> SIZE=2001"),
                "552 5.3.4 Message size exceeds fixed limit")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.send("BDAT 3000 LAST\r\n" + "z" * 3000)
    t.expect_eq(c.reply(), ["552 5.3.4 Chunk exceeds message size limit"])
    t.wait_for(lambda: os.listdir(os.path.join(t.queue_dir, "incoming")) == [],
               "abandoned queue files removed")


def test_timeout_and_lost_connection_logging(t):
    start(t, smtpd_timeout="2s")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.reply(), ["421 4.4.2 mail.example.test Error: timeout exceeded"])
    wait_log_re(t, r"timeout after EHLO from localhost\[127\.0\.0\.1\]$")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    c.send("Subject: x\r\n")
    c.close()
    wait_log_re(t, r"lost connection after DATA \(12 bytes\) from localhost\[127\.0\.0\.1\]$")
    wait_log_re(t, r"disconnect from localhost\[127\.0\.0\.1\] ehlo=1 mail=1 rcpt=1 data=0/1 "
                   r"commands=3/4$")


def test_helo_required_and_strict_envelopes(t):
    start(t, smtpd_helo_required="yes", strict_rfc821_envelopes="yes")
    c = greet(t)
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "503 5.5.1 Error: send HELO/EHLO first")
    c.cmd("HELO c")
    t.expect_eq(c.cmd("MAIL FROM:a@b.test"), "501 5.1.7 Bad sender address syntax")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test> (comment)"), "555 5.5.4 Unsupported option: (comment)")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")


def test_noop_commands_and_forbidden_commands(t):
    start(t, smtpd_noop_commands="ETRN")
    c = greet(t)
    t.expect_eq(c.cmd("ETRN foo"), "250 2.0.0 Ok")
    t.expect_eq(c.cmd("GET / HTTP/1.0"), "221 2.7.0 Error: I can break rules, too. Goodbye.")
    t.expect_eq(c.closed(), True)
    wait_log_re(t, r"warning: non-SMTP command from localhost\[127\.0\.0\.1\]: GET")
    c = greet(t)
    t.expect_eq(c.cmd("Subject: hello"), "221 2.7.0 Error: I can break rules, too. Goodbye.")


# -- SMTP smuggling ----------------------------------------------------------------------

def smuggle(t, payload):
    """Send payload after DATA and a real end; return (replies, postcat of the message)."""
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    c.send(payload + b"\r\n.\r\n")
    first = c.reply()[-1]
    c.send(b"QUIT\r\n")
    rest = []
    while True:
        r = c.reply()[-1]
        rest.append(r)
        if r.startswith("221"):
            break
    return [first] + rest


SMUGGLE = (b"Subject: a\r\n\r\nbody\n.\nMAIL FROM:<evil@x.test>\r\nRCPT TO:<v@example.test>\r\n"
           b"DATA\r\nSubject: smuggled\r\n\r\nx\n.\r\nbody2\r.\rend")


def test_smuggling_normalize_keeps_lf_dot_lf_as_content(t):
    start(t, smtpd_forbid_bare_newline="normalize", smtpd_forbid_bare_newline_exclusions="")
    replies = smuggle(t, SMUGGLE)
    # <LF>.<LF> does not end the message: the whole payload is one message...
    qid = queued_id(replies[0])
    # ... up to the first real <CR><LF>.<CR><LF>, and no second transaction starts.
    t.expect_eq(replies[1:], ["221 2.0.0 Bye"])
    out = postcat(t, qid)
    t.expect_in("body\n\nMAIL FROM:<evil@x.test>\nRCPT TO:<v@example.test>\nDATA\n"
                "Subject: smuggled\n\nx\n\nbody2\n.\nend\n", out)
    t.expect_eq(len(log_lines(t, r"client=localhost")), 1)


def test_smuggling_reject_bare_lf(t):
    start(t, smtpd_forbid_bare_newline="reject", smtpd_forbid_bare_newline_exclusions="")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    c.send(b"x\n.\nRCPT TO:<y@example.test>\r\n.\r\n")
    t.expect_eq(c.reply(), ["550 5.5.2 Error: bare <LF> received"])
    wait_log_re(t, r"\w+: reject: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: 550 5\.5\.2 "
                   r"Error: bare <LF> received; from=<a@b\.test> to=<x@example\.test>")
    t.wait_for(lambda: os.listdir(os.path.join(t.queue_dir, "incoming")) == [],
               "refused message removed")
    t.expect_eq(c.cmd("NOOP\n"), "550 5.5.2 mail.example.test Error: bare <LF> received")


def test_cr_dot_cr_never_ends_the_message(t):
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    c.send(b"a\r.\rb\r\n.\r\n")
    qid = queued_id(c.reply()[-1])
    # (postcat's output is read in text mode: each <CR> shows as a line break.)
    t.expect_in("\na\n.\nb\n*** HEADER", postcat(t, qid))


def test_default_no_treats_bare_lf_as_line_end(t):
    """Postfix 3.7's default (smtpd_forbid_bare_newline = no): <LF>.<LF> ends DATA."""
    start(t)
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    c.send(b"x\n.\n")
    queued_id(c.reply()[-1])


# -- relay control (the temporary minimal checks) -------------------------------------

def test_not_an_open_relay_by_default(t):
    start(t, mynetworks="10.9.9.0/24")
    out = session(t, "MAIL FROM:<a@b.test>", "RCPT TO:<u@elsewhere.test>", "RCPT TO:<u%x@relay.test>",
                  "RCPT TO:<u@relay.test>", "RCPT TO:<u@example.test>")
    t.expect_eq(out, ["250 2.1.0 Ok", "454 4.7.1 <u@elsewhere.test>: Relay access denied",
                      "454 4.7.1 <u%x@relay.test>: Relay access denied", "250 2.1.5 Ok",
                      "250 2.1.5 Ok"])
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 454 4\.7\.1 "
                   r"<u@elsewhere\.test>: Relay access denied; from=<a@b\.test> "
                   r"to=<u@elsewhere\.test> proto=ESMTP helo=<client\.example>$")


# -- XCLIENT and XFORWARD -------------------------------------------------------------

def test_xclient(t):
    start(t, smtpd_authorized_xclient_hosts="127.0.0.1", mynetworks="10.9.9.0/24")
    c = greet(t)
    c.send("EHLO c\r\n")
    t.expect_in("250-XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT",
                c.reply())
    t.expect_eq(c.cmd("XCLIENT FOO=bar"), "501 5.5.4 Bad XCLIENT attribute name: FOO")
    t.expect_eq(c.cmd("XCLIENT ADDR=1.2.3"), "501 5.5.4 Bad ADDR syntax: 1.2.3")
    t.expect_eq(c.cmd("XCLIENT NAME=spam.example ADDR=10.9.9.9 HELO=fake.example"),
                "220 mail.example.test ESMTP Postfix")
    c.cmd("EHLO c2")
    c.cmd("MAIL FROM:<a@b.test>")
    # The new client is in mynetworks: it may relay.
    t.expect_eq(c.cmd("RCPT TO:<u@elsewhere.test>"), "250 2.1.5 Ok")
    c.cmd("DATA")
    qid = queued_id(c.cmd("x\r\n."))
    wait_log_re(t, rf"{qid}: client=spam\.example\[10\.9\.9\.9\]$")
    t.expect_in("Received: from c2 (spam.example [10.9.9.9])", postcat(t, qid))
    c2 = greet(t)
    t.expect_eq(c2.cmd("XCLIENT ADDR=10.9.9.9"), "220 mail.example.test ESMTP Postfix")
    t.expect_eq(c2.cmd("XCLIENT ADDR=10.9.9.8"), "550 5.7.0 Error: insufficient authorization")


def test_xclient_xforward_refused_when_not_authorized(t):
    start(t)
    out = session(t, "XCLIENT ADDR=1.2.3.4", "XFORWARD ADDR=1.2.3.4", "XCLIENT", "XFORWARD",
                  "MAIL FROM:<a@b.test>", "XCLIENT ADDR=1.2.3.4", "XFORWARD ADDR=1.2.3.4")
    # Postfix checks the transaction, then the syntax, then the authorization.
    t.expect_eq(out, ["550 5.7.0 Error: insufficient authorization"] * 2 +
                ["501 5.5.4 Syntax: XCLIENT attribute=value...",
                 "501 5.5.4 Syntax: XFORWARD attribute=value...", "250 2.1.0 Ok"] +
                ["503 5.5.1 Error: MAIL transaction in progress"] * 2)


def test_xclient_attribute_syntax(t):
    start(t, smtpd_authorized_xclient_hosts="127.0.0.1")
    out = session(t, "XCLIENT NAME", "XCLIENT NAME=" + "a" * 256, "XCLIENT NAME=bad_name!",
                  "XCLIENT PROTO=FOO", "XCLIENT PORT=99999", "XCLIENT ADDR=IPv6:1::2::3")
    t.expect_eq(out, ["501 5.5.4 Error: attribute=value expected",
                      "501 5.5.4 Error: attribute value too long",
                      "501 5.5.4 Bad NAME syntax: bad_name!",
                      "501 5.5.4 Bad PROTO syntax: FOO",
                      "501 5.5.4 Bad PORT syntax: 99999",
                      "501 5.5.4 Bad ADDR syntax: IPv6:1::2::3"])
    c = greet(t)
    # Values may come xtext-encoded or, from old clients, as they are.
    t.expect_eq(c.cmd("XCLIENT NAME=[UNAVAILABLE] ADDR=192.0.2.9 HELO=h+2Bx"),
                "220 mail.example.test ESMTP Postfix")
    c.cmd("EHLO again")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<u@example.test>")
    c.cmd("DATA")
    qid = queued_id(c.cmd("x\r\n."))
    wait_log_re(t, rf"{qid}: client=unknown\[192\.0\.2\.9\]$")


def test_xforward(t):
    start(t, smtpd_authorized_xforward_hosts="127.0.0.0/8")
    c = greet(t)
    c.send("EHLO c\r\n")
    t.expect_in("250-XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT", c.reply())
    t.expect_eq(c.cmd("XFORWARD NAME=orig.example ADDR=192.0.2.7 PROTO=ESMTP"), "250 2.0.0 Ok")
    t.expect_eq(c.cmd("XFORWARD HELO=orig-helo IDENT=ABC123 SOURCE=REMOTE"), "250 2.0.0 Ok")
    c.cmd("MAIL FROM:<a@b.test>")
    t.expect_eq(c.cmd("XFORWARD NAME=x.example"), "503 5.5.1 Error: MAIL transaction in progress")
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    qid = queued_id(c.cmd("x\r\n."))
    wait_log_re(t, rf"{qid}: client=localhost\[127\.0\.0\.1\], orig_queue_id=ABC123, "
                   r"orig_client=orig\.example\[192\.0\.2\.7\]$")
    out = postcat(t, qid)
    t.expect_in("named_attribute: log_client_name=orig.example\n", out)
    t.expect_in("named_attribute: log_client_address=192.0.2.7\n", out)
    t.expect_in("named_attribute: log_helo_name=orig-helo\n", out)
    t.expect_in("named_attribute: rewrite_context=remote\n", out)
    t.expect_in("named_attribute: log_ident=ABC123\n", out)


# -- anvil ------------------------------------------------------------------------------

def test_anvil_connection_count_limit(t):
    start(t, smtpd_client_connection_count_limit="2", smtpd_client_event_limit_exceptions="")
    a = greet(t)
    b = greet(t)
    c = Raw(t)
    t.expect_eq(c.reply(), ["421 4.7.0 mail.example.test Error: too many connections from "
                            "127.0.0.1"])
    t.expect_eq(c.closed(), True)
    wait_log_re(t, r"warning: Connection concurrency limit exceeded: 3 from "
                   r"localhost\[127\.0\.0\.1\] for service %d" % t.smtp_port)
    a.cmd("QUIT")
    a.close()
    t.wait_for(lambda: len(log_lines(t, r"disconnect from localhost")) >= 2, "disconnects")
    d = greet(t)
    d.close()
    b.close()


def test_anvil_rate_limits(t):
    start(t, smtpd_client_connection_rate_limit="2", smtpd_client_message_rate_limit="1",
          smtpd_client_recipient_rate_limit="2", smtpd_client_event_limit_exceptions="",
          anvil_status_update_time="1s")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")
    t.expect_eq(c.cmd("RCPT TO:<a@example.test>"), "250 2.1.5 Ok")
    t.expect_eq(c.cmd("RCPT TO:<b@example.test>"), "250 2.1.5 Ok")
    t.expect_eq(c.cmd("RCPT TO:<c@example.test>"),
                "450 4.7.1 Error: too many recipients from 127.0.0.1")
    c.cmd("RSET")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "450 4.7.1 Error: too much mail from 127.0.0.1")
    wait_log_re(t, r"warning: Message delivery request rate limit exceeded: 2 from "
                   r"localhost\[127\.0\.0\.1\] for service")
    wait_log_re(t, r"warning: Recipient address rate limit exceeded: 3 from")
    greet(t).close()
    c3 = Raw(t)
    t.expect_eq(c3.reply(), ["421 4.7.0 mail.example.test Error: too many connections from "
                             "127.0.0.1"])
    wait_log_re(t, r"warning: Connection rate limit exceeded: 3 from localhost\[127\.0\.0\.1\]")
    wait_log_re(t, r"postfix/anvil\[\d+\]: statistics: max connection rate 3/60s for "
                   r"\(%d:127\.0\.0\.1\) at \w\w\w [ \d]\d \d\d:\d\d:\d\d$" % t.smtp_port)
    wait_log_re(t, r"statistics: max connection count \d for \(%d:127\.0\.0\.1\)" % t.smtp_port)
    wait_log_re(t, r"statistics: max cache size 1 at ")


# -- sendmail -bs (smtpd -S on a pipe) ------------------------------------------------------

def test_stand_alone_smtpd_on_pipes(t):
    start(t)
    os.makedirs(os.path.join(t.queue_dir, "maildrop"), exist_ok=True)
    os.chmod(os.path.join(t.queue_dir, "maildrop"), 0o1733)
    r = t.run("smtpd", "-S",
              input="EHLO me\r\nMAIL FROM:<me@example.test>\r\nRCPT TO:<u@example.test>\r\n"
                    "DATA\r\nSubject: bs\r\n\r\nhi\r\n.\r\nQUIT\r\n", check=None)
    lines = r.stdout.splitlines()
    t.expect_eq(lines[0], "220 mail.example.test ESMTP Postfix")
    t.expect_in("221 2.0.0 Bye", lines[-1])
    t.expect_eq([ln for ln in lines if ln.startswith("250 2.0.0 Ok: queued as ")] != [], True,
                r.stdout + r.stderr)


# -- master.cf services and per-service overrides -------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_submission_and_smtps_services_with_overrides(t):
    sub, smtps, enc = free_port(), free_port(), free_port()
    start(t, extra_cf=f"{sub} inet n - n - - smtpd -o syslog_name=postfix/submission "
                      f"-o smtpd_banner=submission.example -o smtpd_client_port_logging=yes\n"
                      f"{smtps} inet n - n - - smtpd -o syslog_name=postfix/smtps "
                      f"-o smtpd_tls_wrappermode=yes\n"
                      f"{enc} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt\n")
    c = Raw(t)
    c.sock.close()
    c.sock = socket.create_connection(("127.0.0.1", sub), timeout=20)
    t.expect_eq(c.reply(), ["220 submission.example"])
    c.send("EHLO c\r\n")
    # No TLS support in this build: STARTTLS is not offered.
    t.expect_eq([ln for ln in c.reply() if "STARTTLS" in ln or "AUTH" in ln], [])
    c.cmd("QUIT")
    wait_log_re(t, r"postfix/submission/smtpd\[\d+\]: connect from localhost\[127\.0\.0\.1\]:\d+$")
    # smtps: wrapper mode needs TLS, which this build does not have.
    s = socket.create_connection(("127.0.0.1", smtps), timeout=20)
    t.expect_eq(s.recv(100), b"")
    wait_log_re(t, r"postfix/smtps/smtpd\[\d+\]: warning: Wrapper-mode request dropped from "
                   r"localhost\[127\.0\.0\.1\] for service %d" % smtps)
    # encrypt: nothing but the pre-TLS commands.
    c.sock = socket.create_connection(("127.0.0.1", enc), timeout=20)
    c.buf = b""
    c.reply()
    t.expect_eq(c.cmd("EHLO c"), "250 CHUNKING")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "530 5.7.0 Must issue a STARTTLS command first")
    t.expect_eq(c.cmd("QUIT"), "221 2.0.0 Bye")


def test_reject_footer_and_error_sleep(t):
    start(t, smtpd_reject_footer="For help see http://$myhostname/\\nclient $client_address",
          smtpd_soft_error_limit="1", smtpd_error_sleep_time="1s",
          smtpd_command_filter="regexp:{{/^XYZZY/ NOOP}}")
    c = greet(t)
    c.send("MAIL FROM:<a@b.test> FOO\r\n")
    t.expect_eq(c.reply(), ["555-5.5.4 Unsupported option: FOO",
                            "555-5.5.4 For help see http://mail.example.test/",
                            "555 5.5.4 client 127.0.0.1"])
    t.expect_eq(c.cmd("XYZZY"), "250 2.0.0 Ok")
    wait_log_re(t, r'localhost\[127\.0\.0\.1\]: replacing command "XYZZY" with "NOOP"')
    before = time.time()
    c.send("NOOP\r\n")
    t.expect_eq(c.reply(), ["250 2.0.0 Ok"])
    if time.time() - before < 0.9:
        raise Failure("no error sleep after the soft error limit")


# -- all the way into a mailbox ------------------------------------------------------------

DELIVERY_CF = """\
qmgr      unix  n - n 300 1 qmgr
bounce    unix  - - n -   0 bounce
defer     unix  - - n -   0 bounce
trace     unix  - - n -   0 bounce
local     unix  - n n -   - local
"""


def test_smtp_to_mailbox(t):
    """smtpd -> cleanup -> qmgr -> local, with the real daemons under master."""
    import subprocess
    import uuid
    name = "st" + uuid.uuid4().hex[:8]
    home = t.path("home", name)
    os.makedirs(os.path.dirname(home), exist_ok=True)
    r = subprocess.run(["useradd", "-M", "-d", home, "-s", "/bin/sh", "-U", name],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"useradd: {r.stderr}")
    try:
        spool = t.path("mail")
        os.makedirs(spool, 0o755)
        aliases = t.write("etc/aliases", "postmaster: root\n")
        t.run("postalias", "hash:" + aliases, check=0)
        start(t, extra_cf=DELIVERY_CF, biff="no", mail_spool_directory=spool,
              alias_maps="hash:" + aliases, queue_run_delay="1s")
        s = smtplib.SMTP("127.0.0.1", t.smtp_port, timeout=30)
        s.ehlo("client.example")
        s.sendmail("sender@client.example", [f"{name}@example.test"],
                   b"Subject: over smtp\r\n\r\nHello over SMTP\r\n.dotted\r\n")
        s.quit()
        mbox = os.path.join(spool, name)
        t.wait_for(lambda: os.path.exists(mbox) and "Hello over SMTP" in open(mbox).read(),
                   "delivery into the mailbox")
        text = open(mbox).read()
        t.expect_in(f"Delivered-To: {name}@example.test\n", text)
        t.expect_in("Received: from client.example (localhost [127.0.0.1])\n\tby mail.example.test "
                    "(Postfix) with ESMTP id ", text)
        t.expect_in("\nHello over SMTP\n.dotted\n", text)
        t.wait_log(f"to=<{name}@example.test>, relay=local")
    finally:
        t.stop()
        subprocess.run(["userdel", name], capture_output=True)


def test_sendmail_bs(t):
    start(t)
    r = t.run("sendmail", "-bs",
              input="HELO me\r\nMAIL FROM:<me@example.test>\r\nRCPT TO:<u@example.test>\r\n"
                    "DATA\r\nSubject: bs\r\n\r\nhi\r\n.\r\nQUIT\r\n", check=0)
    lines = r.stdout.splitlines()
    t.expect_eq(lines[:4], ["220 mail.example.test ESMTP Postfix", "250 mail.example.test",
                            "250 2.1.0 Ok", "250 2.1.5 Ok"])
    t.expect_eq(lines[4], "354 End data with <CR><LF>.<CR><LF>")
    queued_id(lines[5])
    t.expect_eq(lines[6:], ["221 2.0.0 Bye"])
    t.expect_eq(len(os.listdir(os.path.join(t.queue_dir, "maildrop"))) > 0
                or bool(log_lines(t, r"postfix/pickup")), True, "submitted through maildrop")


def test_open_cleanup_at_mail_from(t):
    start(t, smtpd_delay_open_until_valid_rcpt="no")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")
    lines = wait_log_re(t, r"(\w+): client=localhost\[127\.0\.0\.1\]$")
    qid = re.search(r"(\w+): client=", lines[-1]).group(1)
    c.cmd("RCPT TO:<x@example.test>")
    c.cmd("DATA")
    t.expect_eq(queued_id(c.cmd("x\r\n.")), qid)


def test_postmaster_notice_for_notify_classes(t):
    start(t, notify_classes="protocol")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("FROBNICATE"), "502 5.5.2 Error: command not recognized")
    c.close()
    incoming = os.path.join(t.queue_dir, "incoming")
    t.wait_for(lambda: os.listdir(incoming) and "MESSAGE FILE END" in
               postcat(t, os.listdir(incoming)[0]), "postmaster notice queued")
    out = postcat(t, os.listdir(incoming)[0])
    t.expect_in("sender: double-bounce@", out)
    t.expect_in("recipient: postmaster@", out)
    t.expect_in("Subject: Postfix SMTP server: errors from localhost[127.0.0.1]\n", out)
    t.expect_in("\nTranscript of session follows.\n\n Out: 220 mail.example.test ESMTP Postfix\n"
                " In:  EHLO c\n Out: 250-mail.example.test\n", out)
    t.expect_in(" In:  FROBNICATE\n Out: 502 5.5.2 Error: command not recognized\n\n"
                "Session aborted, reason: lost connection\n\n"
                "For other details, see the local mail logfile\n", out)


def test_chrooted_smtpd(t):
    """The sample master.cf runs smtpd chrooted (column 5 "y")."""
    port = free_port()
    start(t, extra_cf=f"{port} inet n - y - - smtpd\n", smtpd_client_event_limit_exceptions="",
          smtpd_client_connection_count_limit="5")
    c = Raw(t)
    c.sock.close()
    c.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    t.expect_eq(c.reply(), ["220 mail.example.test ESMTP Postfix"])
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    t.expect_eq(c.cmd("RCPT TO:<x@example.test>"), "250 2.1.5 Ok")
    c.cmd("DATA")
    qid = queued_id(c.cmd("Subject: jailed\r\n\r\nx\r\n."))
    t.expect_in("Subject: jailed", postcat(t, qid))
    c.cmd("QUIT")


def test_haproxy_v1_and_unavailable_milters(t):
    hap, milt = free_port(), free_port()
    start(t, extra_cf=f"{hap} inet n - n - - smtpd -o smtpd_upstream_proxy_protocol=haproxy\n"
                      f"{milt} inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:9\n")
    s = socket.create_connection(("127.0.0.1", hap), timeout=20)
    c = Raw(t)
    c.sock.close()
    c.sock = s
    s.sendall(b"PROXY TCP4 192.0.2.33 127.0.0.1 40000 25\r\n")
    t.expect_eq(c.reply(), ["220 mail.example.test ESMTP Postfix"])
    c.cmd("QUIT")
    wait_log_re(t, r"connect from unknown\[192\.0\.2\.33\]$")
    s = socket.create_connection(("127.0.0.1", hap), timeout=20)
    s.sendall(b"HELO x\r\n")
    t.expect_eq(s.recv(100), b"")
    wait_log_re(t, r"warning: haproxy read: bad or unsupported protocol header from "
                   r"localhost\[127\.0\.0\.1\]")
    c = Raw(t)
    c.sock.close()
    c.sock = socket.create_connection(("127.0.0.1", milt), timeout=20)
    c.reply()
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "451 4.7.1 Service unavailable - try again later")
    wait_log_re(t, r"warning: Milter support is not available in this build")


def sample_service(name, port):
    """The commented-out service "name" of conf/master.cf, enabled on port."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))), "conf", "master.cf")) as f:
        lines = f.read().splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith(f"#{name} "):
            out.append(str(port) + line[1 + len(name):])
            for cont in lines[i + 1:]:
                if cont.startswith("#  -o "):
                    out.append(cont[1:])
                elif not cont.startswith("#     "):
                    break
            return "\n".join(out) + "\n"
    raise Failure(f"no sample {name} service in conf/master.cf")


def test_sample_submission_and_submissions_services(t):
    sub, subs = free_port(), free_port()
    start(t, extra_cf=sample_service("submission", sub) + sample_service("submissions", subs),
          smtpd_client_event_limit_exceptions="")
    c = Raw(t)
    c.sock.close()
    c.sock = socket.create_connection(("127.0.0.1", sub), timeout=20)
    t.expect_eq(c.reply(), ["220 mail.example.test ESMTP Postfix"])
    # smtpd_tls_security_level=encrypt, and this build has no TLS: nothing but
    # the commands that need no encryption.
    c.send("EHLO c\r\n")
    t.expect_eq([ln for ln in c.reply() if "STARTTLS" in ln or "AUTH" in ln], [])
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "530 5.7.0 Must issue a STARTTLS command first")
    t.expect_eq(c.cmd("QUIT"), "221 2.0.0 Bye")
    # Chrooted without a copy of /etc/hosts the client has no name.
    wait_log_re(t, r"postfix/submission/smtpd\[\d+\]: connect from unknown\[127\.0\.0\.1\]$")
    wait_log_re(t, r"postfix/submission/smtpd\[\d+\]: warning: smtpd_sasl_auth_enable is true, "
                   r"but SASL support is not compiled in$")
    s = socket.create_connection(("127.0.0.1", subs), timeout=20)
    t.expect_eq(s.recv(100), b"")
    wait_log_re(t, r"postfix/submissions/smtpd\[\d+\]: warning: Wrapper-mode request dropped "
                   r"from unknown\[127\.0\.0\.1\] for service %d" % subs)


def test_anvil_limits_spare_mynetworks_by_default(t):
    # smtpd_client_event_limit_exceptions defaults to $mynetworks (127.0.0.0/8 here).
    start(t, smtpd_client_connection_count_limit="1", smtpd_client_message_rate_limit="1")
    a = greet(t)
    b = greet(t)
    b.cmd("EHLO c")
    t.expect_eq(b.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")
    b.cmd("RSET")
    t.expect_eq(b.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")
    a.close()
    b.close()
    t.expect_eq(log_lines(t, "limit exceeded"), [])


def test_stand_alone_size_limit(t):
    start(t, message_size_limit="1000")
    r = t.run("smtpd", "-S", input="EHLO me\r\nMAIL FROM:<me@example.test> SIZE=5000\r\nQUIT\r\n",
              check=None)
    t.expect_eq(r.stdout.splitlines()[-2:], ["552 5.3.4 Message size exceeds fixed limit",
                                             "221 2.0.0 Bye"], r.stdout + r.stderr)
