"""smtp: the conversation against a scripted server (SMTPUTF8, DSN, timeouts, greetings).

The delivery requests are played as in 140_smtp (whose helpers this file loads). The
server is a Python thread on a loopback port that announces the EHLO keywords a
scenario asks for, records every command line and the message, and can answer a
given command with a given reply, or stall at a given stage (it stops reading and
answering until the scenario ends), so that each smtp_*_timeout fires where it should.
"""

import importlib.util
import os
import socket
import threading
import time

import harness
from harness import Failure

_spec = importlib.util.spec_from_file_location(
    "smtp140", os.path.join(os.path.dirname(os.path.abspath(__file__)), "140_smtp.py"))
smtp140 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smtp140)
deliver, expect_result, start = smtp140.deliver, smtp140.expect_result, smtp140.start

HOST = "127.0.0.1[127.0.0.1]"


class ScriptServer:
    """A scripted SMTP server. stall: "greeting", "EHLO", "HELO", "MAIL", "RCPT", "DATA",
    "XFORWARD", "body" (stop reading after 354), "dot" (no reply to the end of data),
    "QUIT"."""

    def __init__(self, t, ehlo=("PIPELINING", "8BITMIME"), greeting="220 script.example ESMTP",
                 replies=None, stall=None, rcvbuf=None, rcpt_replies=None, read_rate=None):
        self.t = t
        self.ehlo = ehlo
        self.greeting = greeting
        self.replies = replies or {}
        self.rcpt_replies = rcpt_replies or {}
        self.read_rate = read_rate
        self.conns = []
        self.stall = stall
        self.lines = []
        self.messages = []
        self.sessions = 0
        self.done = threading.Event()
        self.stalled = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self.lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(5)
        self.port = self.lsock.getsockname()[1]
        self.nexthop = f"[127.0.0.1]:{self.port}"
        self.relay = f"{HOST}:{self.port}"
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.lsock.settimeout(0.2)
        while not self.done.is_set():
            try:
                conn, _ = self.lsock.accept()
            except OSError:
                continue
            self.sessions += 1
            self.conns.append(conn)
            self.idle.clear()
            with conn:
                try:
                    self.session(conn)
                except OSError:
                    pass
            self.idle.set()

    def hold(self):
        """Stall: neither read nor answer until the scenario ends."""
        self.stalled.set()
        self.done.wait(120)
        raise OSError("stalled session ends")

    def session(self, conn):
        conn.settimeout(60)
        f = conn.makefile("rb")

        def reply(text):
            conn.sendall(text.encode() + b"\r\n")

        if self.stall == "greeting":
            self.hold()
        reply(self.greeting)
        if not self.greeting.startswith("2"):
            return
        while True:
            line = f.readline(10000)
            if not line:
                return
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            self.lines.append(line)
            verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
            if verb == self.stall:
                self.hold()
            if verb in self.replies:
                reply(self.replies[verb])
                continue
            if verb == "RCPT":
                addr = line[line.index("<") + 1:line.index(">")]
                if addr in self.rcpt_replies:
                    reply(self.rcpt_replies[addr])
                    continue
            if verb == "EHLO":
                keys = ["script.example"] + list(self.ehlo)
                for i, k in enumerate(keys):
                    reply(("250 " if i == len(keys) - 1 else "250-") + k)
            elif verb == "DATA":
                reply("354 go ahead")
                if self.stall == "body":
                    self.hold()
                if self.read_rate:
                    self.messages.append(self.read_slowly(conn, f))
                else:
                    body = []
                    while True:
                        data = f.readline(100000)
                        if not data:
                            return
                        if data == b".\r\n":
                            break
                        body.append(data)
                    self.messages.append(b"".join(body))
                if self.stall == "dot":
                    self.hold()
                reply("250 2.0.0 queued")
            elif verb == "QUIT":
                reply("221 2.0.0 bye")
                return
            else:
                reply("250 2.0.0 ok")

    def read_slowly(self, conn, f):
        """The message at about read_rate bytes per second (f holds nothing yet)."""
        data = b""
        began = time.time()
        while not data.endswith(b"\r\n.\r\n"):
            chunk = conn.recv(4096)
            if not chunk:
                raise OSError("lost connection in the message")
            data += chunk
            ahead = len(data) / self.read_rate - (time.time() - began)
            if ahead > 0:
                time.sleep(ahead)
        return data[:-5]

    def stop(self):
        # The client does not wait for the reply to QUIT: let the session end by
        # itself (the client hangs up), unless it is stalled on purpose.
        if not self.stalled.is_set():
            self.idle.wait(10)
        self.done.set()
        for conn in self.conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.thread.join(10)
        self.lsock.close()


def scripted(t, server_args, params, rcpts=("u@example.org",), **deliver_args):
    server = ScriptServer(t, **server_args)
    try:
        start(t, **params)
        status, hop, qf = deliver(t, "smtp", server.nexthop, list(rcpts), **deliver_args)
        return server, status, qf
    finally:
        server.stop()


def expect_deferred(t, qf, server, status, reason, dsn="4.4.2"):
    expect_result(t, qf, "u@example.org", server.relay, dsn, "deferred", reason)
    t.expect_eq(status, -1, "request status")


# -- SMTPUTF8 ------------------------------------------------------------------------------

UTF8_RCPT = "j\u00f6rg@example.org"


def test_smtputf8_on_the_wire(t):
    server, status, qf = scripted(
        t, {"ehlo": ("PIPELINING", "8BITMIME", "SMTPUTF8")}, {}, rcpts=(UTF8_RCPT,),
        smtputf8=1 | 8)
    t.expect_eq(status, 0, "request status")
    t.expect_eq(server.lines[1:3], ["MAIL FROM:<joe@example.test> BODY=7BIT SMTPUTF8",
                                    f"RCPT TO:<{UTF8_RCPT}>"], "MAIL and RCPT")
    expect_result(t, qf, UTF8_RCPT, server.relay, "2.0.0", "sent", "250 2.0.0 queued")


def test_smtputf8_not_requested_is_not_sent(t):
    server, status, _ = scripted(t, {"ehlo": ("8BITMIME", "SMTPUTF8")}, {})
    t.expect_eq(server.lines[1], "MAIL FROM:<joe@example.test> BODY=7BIT", "plain MAIL FROM")


def test_smtputf8_required_but_not_offered_bounces(t):
    server, status, qf = scripted(t, {"ehlo": ("PIPELINING", "8BITMIME")}, {},
                                  rcpts=(UTF8_RCPT,), smtputf8=1 | 8)
    expect_result(t, qf, UTF8_RCPT, server.relay, "5.6.7", "bounced",
                  f"SMTPUTF8 is required, but was not offered by host {HOST}")
    t.expect_eq(status, 0, "bounced: final")
    # Nothing was sent: the session ended with QUIT after EHLO.
    t.expect_eq([line.split()[0] for line in server.lines], ["EHLO", "QUIT"], "commands")


def test_smtputf8_requested_for_ascii_mail_goes_anyway(t):
    server, status, qf = scripted(t, {"ehlo": ("8BITMIME",)}, {}, smtputf8=1)
    t.expect_eq(status, 0, "delivered without SMTPUTF8")
    t.expect_eq(server.lines[1], "MAIL FROM:<joe@example.test> BODY=7BIT", "MAIL FROM")


def test_smtputf8_without_8bitmime_is_ignored(t):
    server, status, qf = scripted(t, {"ehlo": ("SMTPUTF8",)}, {}, rcpts=(UTF8_RCPT,),
                                  smtputf8=1 | 8)
    expect_result(t, qf, UTF8_RCPT, server.relay, "5.6.7", "bounced",
                  f"SMTPUTF8 is required, but was not offered by host {HOST}")
    t.expect_in(f"host {HOST} offers SMTPUTF8 support, but not 8BITMIME\n", t.log_text())


# -- DSN ----------------------------------------------------------------------------------

def test_dsn_parameters_on_the_wire(t):
    server, status, qf = scripted(
        t, {"ehlo": ("PIPELINING", "DSN", "8BITMIME")}, {},
        rcpts=("a@example.org", "b@example.org", "c@example.org"),
        envid="env+id=1", ret=2,
        notify={"a@example.org": 1, "b@example.org": 2 | 4 | 8},
        orcpt={"a@example.org": "rfc822;A+1@example.org"})
    t.expect_eq(status, 0, "request status")
    t.expect_eq(server.lines[1:5], [
        "MAIL FROM:<joe@example.test> BODY=7BIT ENVID=env+2Bid+3D1 RET=HDRS",
        "RCPT TO:<a@example.org> NOTIFY=NEVER ORCPT=rfc822;A+2B1@example.org",
        "RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE,DELAY ORCPT=rfc822;b@example.org",
        "RCPT TO:<c@example.org> ORCPT=rfc822;c@example.org"], "MAIL and RCPT with DSN")


def test_dsn_parameters_not_sent_without_dsn(t):
    server, status, qf = scripted(t, {"ehlo": ("PIPELINING", "8BITMIME")}, {},
                                  envid="x", ret=1, notify={"u@example.org": 8})
    t.expect_eq(server.lines[1:3], ["MAIL FROM:<joe@example.test> BODY=7BIT",
                                    "RCPT TO:<u@example.org>"], "plain MAIL and RCPT")


# -- greetings and HELO --------------------------------------------------------------------

def test_helo_when_ehlo_is_refused(t):
    server, status, qf = scripted(t, {"replies": {"EHLO": "502 5.5.1 no EHLO here"}}, {})
    t.expect_eq(status, 0, "request status")
    t.expect_eq([line.split()[0] for line in server.lines],
                ["EHLO", "HELO", "MAIL", "RCPT", "DATA", "QUIT"], "commands")
    t.expect_eq(server.lines[1], "HELO mail.example.test", "HELO with myhostname")


def test_helo_name_and_greeting_without_esmtp(t):
    server, status, qf = scripted(t, {"greeting": "220 script.example plain"},
                                  {"smtp_helo_name": "client.example.net",
                                   "smtp_always_send_ehlo": "no"})
    t.expect_eq(server.lines[0], "HELO client.example.net", "HELO only")


def test_esmtp_word_in_greeting(t):
    params = {"smtp_always_send_ehlo": "no"}
    server, _, _ = scripted(t, {"greeting": "220 script.example esmtp service"}, params)
    t.expect_eq(server.lines[0].split()[0], "EHLO", "ESMTP as a word, any case")
    server = ScriptServer(t, greeting="220 script.example ESMTPish service")
    try:
        deliver(t, "smtp", server.nexthop, ["u@example.org"])
    finally:
        server.stop()
    t.expect_eq(server.lines[0].split()[0], "HELO", "not as part of a word")


def test_5xx_greeting_bounces_when_not_skipped(t):
    server, status, qf = scripted(t, {"greeting": "554 5.7.1 go away"},
                                  {"smtp_skip_5xx_greeting": "no"})
    expect_result(t, qf, "u@example.org", server.relay, "5.7.1", "bounced",
                  f"host {HOST} refused to talk to me: 554 5.7.1 go away")


def test_5xx_greeting_is_skipped_by_default(t):
    server, status, qf = scripted(t, {"greeting": "554 5.7.1 go away"}, {})
    expect_deferred(t, qf, server, status,
                    f"host {HOST} refused to talk to me: 554 5.7.1 go away", dsn="4.7.1")


# -- timeouts ------------------------------------------------------------------------------

def timeout_case(t, stall, param, where, size=None, **server_args):
    body = "Subject: test\n\nhello world"
    if size:
        line = "x" * 99 + "\n"
        body = "Subject: big\n\n" + line * (size // 100)
    server, status, qf = scripted(t, dict(stall=stall, **server_args), {param: "1s"}, body=body)
    expect_deferred(t, qf, server, status, f"conversation with {HOST} timed out while {where}")
    t.expect_eq(server.stalled.is_set(), True, "the server stalled")


def test_helo_timeout_at_greeting(t):
    timeout_case(t, "greeting", "smtp_helo_timeout", "receiving the initial server greeting")


def test_helo_timeout_at_ehlo(t):
    timeout_case(t, "EHLO", "smtp_helo_timeout", "performing the EHLO handshake")


def test_helo_timeout_at_helo(t):
    timeout_case(t, "HELO", "smtp_helo_timeout", "performing the HELO handshake",
                 replies={"EHLO": "500 5.5.1 what"})


def test_mail_timeout(t):
    timeout_case(t, "MAIL", "smtp_mail_timeout", "sending MAIL FROM", ehlo=("8BITMIME",))


def test_rcpt_timeout(t):
    timeout_case(t, "RCPT", "smtp_rcpt_timeout", "sending RCPT TO", ehlo=("8BITMIME",))


def test_rcpt_timeout_pipelined(t):
    timeout_case(t, "RCPT", "smtp_rcpt_timeout", "sending RCPT TO")


def test_data_done_timeout(t):
    timeout_case(t, "dot", "smtp_data_done_timeout",
                 "sending end of data -- message may be sent more than once")


def test_data_xfer_timeout(t):
    # A small receive window and a message larger than the socket buffers: the
    # client's writes block once the server stops reading.
    timeout_case(t, "body", "smtp_data_xfer_timeout", "sending message body",
                 size=12 * 1024 * 1024, rcvbuf=4096)


def test_quit_timeout_does_not_hold_up_delivery(t):
    server = ScriptServer(t, stall="QUIT")
    try:
        start(t, smtp_skip_quit_response="no", smtp_quit_timeout="1s")
        began = time.time()
        status, _, qf = deliver(t, "smtp", server.nexthop, ["u@example.org"])
        t.expect_eq(status, 0, "delivered")
        expect_result(t, qf, "u@example.org", server.relay, "2.0.0", "sent",
                      "250 2.0.0 queued")
        t.expect_eq(server.stalled.is_set(), True, "QUIT was not answered")
        if time.time() - began > 20:
            raise Failure("the delivery waited for the QUIT reply beyond smtp_quit_timeout")
    finally:
        server.stop()


def test_connect_timeout(t):
    # A listener whose backlog is full drops further connection attempts.
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(0)
    port = lsock.getsockname()[1]
    fillers = []
    try:
        for _ in range(3):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            fillers.append(s)
        start(t, smtp_connect_timeout="1s")
        status, _, qf = deliver(t, "smtp", f"[127.0.0.1]:{port}", ["u@example.org"])
        expect_result(t, qf, "u@example.org", "none", "4.4.1", "deferred",
                      f"connect to {HOST}:{port}: Connection timed out")
    finally:
        for s in fillers:
            s.close()
        lsock.close()


# -- replies, SIZE, connection reuse --------------------------------------------------

def test_per_recipient_results(t):
    server, status, qf = scripted(
        t, {"rcpt_replies": {"b@example.org": "450 4.2.1 mailbox busy",
                             "c@example.org": "550-5.1.1 no such user\r\n550 5.1.1 really not"}},
        {}, rcpts=("a@example.org", "b@example.org", "c@example.org"))
    t.expect_eq(status, -1, "request status: one recipient deferred")
    expect_result(t, qf, "a@example.org", server.relay, "2.0.0", "sent", "250 2.0.0 queued")
    expect_result(t, qf, "b@example.org", server.relay, "4.2.1", "deferred",
                  f"host {HOST} said: 450 4.2.1 mailbox busy (in reply to RCPT TO command)")
    expect_result(t, qf, "c@example.org", server.relay, "5.1.1", "bounced",
                  f"host {HOST} said: 550-5.1.1 no such user 550 5.1.1 really not "
                  "(in reply to RCPT TO command)")
    t.expect_eq(qf.done_marks(), ["D", "R", "D"], "queue file marks")
    t.expect_eq(len(server.messages), 1, "the message went to the accepted recipient")


def test_size_announced_and_enforced(t):
    server, status, qf = scripted(t, {"ehlo": ("PIPELINING", "SIZE 100000")}, {})
    t.expect_eq(status, 0, "small message delivered")
    t.expect_eq(server.lines[1], f"MAIL FROM:<joe@example.test> SIZE={qf.size}",
                "SIZE on MAIL FROM")
    body = "Subject: big\n\n" + ("y" * 79 + "\n") * 20
    server = ScriptServer(t, ehlo=("PIPELINING", "SIZE 1000"))
    try:
        status, _, qf = deliver(t, "smtp", server.nexthop, ["u@example.org"], body=body)
    finally:
        server.stop()
    expect_result(t, qf, "u@example.org", server.relay, "5.3.4", "bounced",
                  f"message size {qf.size} exceeds size limit 1000 of server {HOST}")
    t.expect_eq([line.split()[0] for line in server.lines], ["EHLO", "QUIT"], "nothing sent")


def test_connection_reuse_on_demand(t):
    server = ScriptServer(t)
    try:
        start(t)
        store, load = 1 << 12, 1 << 11
        _, _, first = deliver(t, "smtp", server.nexthop, ["one@example.org"], flags=3 | store)
        _, _, second = deliver(t, "smtp", server.nexthop, ["two@example.org"], flags=3 | load)
        _, _, third = deliver(t, "smtp", server.nexthop, ["three@example.org"], flags=3)
        t.expect_eq(server.sessions, 2, "the second delivery reused the first session")
        expect_result(t, first, "one@example.org", server.relay, "2.0.0", "sent",
                      "250 2.0.0 queued")
        line = smtp140.normalized(smtp140.delivery_line(t, second.qid, "two@example.org"))
        t.expect_in(f"relay={server.relay}, conn_use=2, delay=D", line)
        # QUIT is not waited for: let the server read the last one.
        t.wait_for(lambda: len(server.lines) >= 13 and server.idle.is_set(),
                   "the server has read every command")
        t.expect_eq([line.split()[0] for line in server.lines],
                    ["EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "QUIT",
                     "EHLO", "MAIL", "RCPT", "DATA", "QUIT"], "commands of both sessions")
    finally:
        server.stop()


# -- XFORWARD -----------------------------------------------------------------------------

XFWD_EHLO = ("PIPELINING", "8BITMIME", "XFORWARD NAME ADDR PORT PROTO HELO IDENT SOURCE")
CLIENT = {"log_client_name": "client.example.net", "log_client_address": "192.0.2.9",
          "log_client_port": "4321", "log_helo_name": "helo example", "log_protocol_name": "ESMTP",
          "rewrite_context": "remote"}


def test_xforward_sent_when_enabled(t):
    server, status, qf = scripted(t, {"ehlo": XFWD_EHLO}, {"smtp_send_xforward_command": "yes"},
                                  client=CLIENT)
    t.expect_eq(status, 0, "request status")
    t.expect_eq(server.lines[1:4], [
        "XFORWARD NAME=client.example.net ADDR=192.0.2.9 PORT=4321",
        f"XFORWARD PROTO=ESMTP HELO=helo+20example IDENT={qf.qid} SOURCE=REMOTE",
        "MAIL FROM:<joe@example.test> BODY=7BIT"], "XFORWARD before MAIL")


def test_xforward_unavailable_and_partial(t):
    client = dict(CLIENT, log_client_name="unknown", log_client_port="",
                  rewrite_context="local")
    server, status, qf = scripted(t, {"ehlo": ("8BITMIME", "XFORWARD NAME PORT SOURCE"),
                                      "replies": {"XFORWARD": "550 5.7.0 not you"}},
                                  {"smtp_send_xforward_command": "yes"}, client=client)
    t.expect_eq(status, 0, "a refused XFORWARD does not stop the delivery")
    # Unknown attributes are left out; the first command would be empty, so it is not sent.
    t.expect_eq(server.lines[1:3], ["XFORWARD SOURCE=LOCAL",
                                    "MAIL FROM:<joe@example.test> BODY=7BIT"],
                "only announced and known attributes")
    t.expect_in(f"warning: host {server.relay} said: 550 5.7.0 not you (in reply to XFORWARD "
                "helo/protocol command)\n", t.log_text())


def test_xforward_not_sent_by_default(t):
    server, status, qf = scripted(t, {"ehlo": XFWD_EHLO}, {}, client=CLIENT)
    t.expect_eq(server.lines[1], "MAIL FROM:<joe@example.test> BODY=7BIT", "no XFORWARD")


def test_xforward_timeout(t):
    server, status, qf = scripted(t, {"ehlo": XFWD_EHLO, "stall": "XFORWARD"},
                                  {"smtp_send_xforward_command": "yes",
                                   "smtp_xforward_timeout": "1s"}, client=CLIENT)
    expect_deferred(t, qf, server, status,
                    f"conversation with {HOST} timed out while sending XFORWARD name/address")


# -- PIX firewall workarounds --------------------------------------------------------------

def test_pix_firewall_greeting(t):
    server = ScriptServer(t, greeting="220 ******************************")
    try:
        start(t, smtp_pix_workaround_threshold_time="0s", smtp_pix_workaround_delay_time="1s")
        began = time.time()
        status, _, qf = deliver(t, "smtp", server.nexthop, ["u@example.org"])
        took = time.time() - began
    finally:
        server.stop()
    t.expect_eq(status, 0, "delivered")
    t.expect_eq(server.lines[0], "HELO mail.example.test", "no EHLO to a PIX firewall")
    t.expect_in(f"]: {qf.qid}: enabling PIX workarounds: disable_esmtp delay_dotcrlf for "
                f"{server.relay}\n", t.log_text())
    if took < 0.9:
        raise Failure(f"no pause before the end of data ({took:.2f}s)")


def test_connection_reuse_count_limit(t):
    server = ScriptServer(t)
    try:
        start(t, smtp_connection_cache_destinations="127.0.0.1",
              smtp_connection_cache_time_limit="10s", smtp_connection_reuse_count_limit="1")
        uses = []
        for i in range(3):
            _, _, qf = deliver(t, "smtp", server.nexthop, [f"r{i}@example.org"])
            line = smtp140.normalized(smtp140.delivery_line(t, qf.qid, f"r{i}@example.org"))
            uses.append("conn_use=2" in line)
        t.expect_eq(uses, [False, True, False], "reused once, then a new session")
        t.expect_eq(server.sessions, 2, "two sessions")
    finally:
        server.stop()



# -- smtp_per_request_deadline and smtp_min_data_rate -------------------------------------

def deadline_case(t, min_data_rate):
    # A message larger than the socket buffers, read at 2 MB/s: sending it takes
    # longer than the 1s DATA deadline unless the data rate extends it.
    body = "Subject: big\n\n" + ("z" * 99 + "\n") * 80000
    server = ScriptServer(t, read_rate=2000000, rcvbuf=4096)
    try:
        start(t, smtp_per_request_deadline="yes", smtp_data_xfer_timeout="1s",
              smtp_min_data_rate=str(min_data_rate))
        status, _, qf = deliver(t, "smtp", server.nexthop, ["u@example.org"], body=body)
    finally:
        server.stop()
    return server, status, qf


def test_min_data_rate_extends_the_deadline(t):
    server, status, qf = deadline_case(t, 1000)
    t.expect_eq(status, 0, "delivered within the extended deadline")
    t.expect_eq(len(server.messages[0]), 80000 * 101 + len("Subject: big\r\n\r\n"),
                "the whole message arrived")


def test_deadline_without_enough_rate(t):
    server, status, qf = deadline_case(t, 100000000)
    expect_deferred(t, qf, server, status,
                    f"conversation with {HOST} timed out while sending message body")
