"""smtp-source and smtp-sink, the SMTP/LMTP load generator and test server.

The sink is started on a free loopback port and exercised with our
smtp-source, with Python's smtplib and with raw sockets; the source is
pointed at a small scripted SMTP server in this file that records the exact
dialogue. Expected replies and message layouts were taken from Postfix 3.7's
own smtp-sink and smtp-source.
"""

import os
import smtplib
import socket
import subprocess
import threading

import harness

EHLO_KEYWORDS = {"pipelining", "8bitmime", "auth", "xclient", "xforward",
                 "enhancedstatuscodes", "dsn"}


class Sink:
    """A running smtp-sink on a free port; stdout and stderr go to files."""

    def __init__(self, t, *opts, lmtp=False):
        self.t = t
        self.port = harness.free_port()
        self.out_path = t.path(f"sink-{self.port}.out")
        self.err_path = t.path(f"sink-{self.port}.err")
        args = [t.program("smtp-sink")]
        if os.geteuid() == 0:
            args += ["-u", t.user]
        args += [*opts, f"127.0.0.1:{self.port}", "100"]
        self.proc = subprocess.Popen(args, stdout=open(self.out_path, "w"),
                                     stderr=open(self.err_path, "w"), env=t.env(), cwd=t.dir)
        t.wait_for(self.accepting, f"smtp-sink accepting on port {self.port}")

    def accepting(self):
        if self.proc.poll() is not None:
            raise harness.Failure(f"smtp-sink exited with {self.proc.returncode}: {self.stderr()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5):
                return True
        except OSError:
            return False

    def stdout(self):
        with open(self.out_path, newline="") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def with_sink(t, *opts):
    sink = Sink(t, *opts)
    t._smtpstone_sinks = getattr(t, "_smtpstone_sinks", []) + [sink]
    return sink


def stop_sinks(t):
    for sink in getattr(t, "_smtpstone_sinks", []):
        sink.stop()


def raw_session(port, data, until=b"221 Bye\r\n"):
    """Send data in one write after the greeting; return everything read until 'until' or EOF."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        banner = f.readline()
        s.sendall(data)
        got = b""
        while not got.endswith(until):
            line = f.readline()
            if not line:
                break
            got += line
        return banner, got


def test_source_to_sink_counts(t):
    sink = with_sink(t, "-c")
    try:
        r = t.run("smtp-source", "-m", "200", "-s", "5", "-c", f"127.0.0.1:{sink.port}", check=0)
        # "1\r2\r...200\r\n"; text mode turns each CR and the final CRLF into LF.
        t.expect_eq(r.stdout, "".join(f"{i}\n" for i in range(1, 201)), "source counter")
        t.wait_for(lambda: "mesg=200\r" in sink.stdout(), "sink counting 200 messages")
        t.expect_not_in("mesg=201", sink.stdout())
        # -d: all messages over the same five connections.
        r = t.run("smtp-source", "-m", "100", "-s", "5", "-d", "-r", "3",
                  f"127.0.0.1:{sink.port}", check=0)
        t.wait_for(lambda: "mesg=300\r" in sink.stdout(), "sink counting 300 messages")
    finally:
        stop_sinks(t)


def test_sink_smtplib_ehlo(t):
    sink = with_sink(t)
    try:
        smtp = smtplib.SMTP("127.0.0.1", sink.port, timeout=10)
        code, msg = smtp.ehlo("client.example")
        t.expect_eq(code, 250)
        t.expect_eq(set(smtp.esmtp_features), EHLO_KEYWORDS, "EHLO keywords")
        t.expect_eq(smtp.esmtp_features["auth"], " PLAIN LOGIN")
        t.expect_eq(smtp.noop(), (250, b"2.0.0 Ok"))
        t.expect_eq(smtp.docmd("ETRN", "x"), (500, b"5.5.1 Error: unknown command"))
        t.expect_eq(smtp.docmd("RCPT", "TO:<x@y>"), (503, b"5.5.1 Error: need MAIL command"))
        t.expect_eq(smtp.sendmail("a@example", ["b@example"], "Subject: x\r\n\r\n.dot\r\n"), {})
        t.expect_eq(smtp.quit(), (221, b"Bye"))
        # -e -E -p -8 -a -C -F -N leave only the host name and the empty last line.
        sink2 = with_sink(t, "-e", "-h", "sink.example")
        banner, got = raw_session(sink2.port, b"EHLO x\r\nHELO x\r\nQUIT\r\n")
        t.expect_eq(banner, b"220 sink.example\r\n")
        t.expect_eq(got, b"500 5.5.1 Error: unknown command\r\n250 sink.example\r\n221 Bye\r\n")
        sink3 = with_sink(t, "-E", "-N", "-p", "-8", "-a", "-C", "-F")
        banner, got = raw_session(sink3.port, b"EHLO x\r\nQUIT\r\n")
        t.expect_eq(banner, b"220 smtp-sink ESMTP\r\n")
        t.expect_eq(got, b"250-smtp-sink\r\n250 \r\n221 Bye\r\n")
    finally:
        stop_sinks(t)


def test_sink_pipelining(t):
    sink = with_sink(t)
    try:
        cmds = (b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\n"
                b"line 1\r\n..stuffed\r\n.\r\nMAIL FROM:<a>\r\nMAIL FROM:<b>\r\nRSET\r\n"
                b"DATA\r\nNOOP\r\n\r\nQUIT\r\n")
        banner, got = raw_session(sink.port, cmds)
        t.expect_eq(banner, b"220 smtp-sink ESMTP\r\n")
        want = (b"250-smtp-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n"
                b"250-XCLIENT NAME HELO\r\n250-XFORWARD NAME ADDR PROTO HELO\r\n"
                b"250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250 \r\n"
                b"250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n"
                b"354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok\r\n"
                b"250 2.1.0 Ok\r\n503 5.5.1 Error: nested MAIL command\r\n250 2.1.0 Ok\r\n"
                b"503 5.5.1 Error: need RCPT command\r\n250 2.0.0 Ok\r\n"
                b"500 5.5.2 Error: unknown command\r\n221 Bye\r\n")
        t.expect_eq(got, want, "pipelined replies")
    finally:
        stop_sinks(t)


def test_sink_lmtp(t):
    sink = with_sink(t, "-L")
    try:
        lmtp = smtplib.LMTP("127.0.0.1", sink.port, timeout=10)
        t.expect_eq(lmtp.sendmail("a@example", ["b@x", "c@x", "d@x"], "Subject: l\r\n\r\nhi\r\n"),
                    {})
        lmtp.quit()
        banner, got = raw_session(sink.port, b"LHLO x\r\nMAIL FROM:<a>\r\nRCPT TO:<b>\r\n"
                                             b"RCPT TO:<c>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n")
        t.expect_in(b"354 End data with <CR><LF>.<CR><LF>\r\n250 2.2.0 Ok\r\n250 2.2.0 Ok\r\n"
                    b"221 Bye\r\n", got)
        # Our smtp-source in LMTP mode reads one reply per recipient.
        t.run("smtp-source", "-L", "-r", "4", "-m", "20", "-s", "4", "-d",
              f"127.0.0.1:{sink.port}", check=0)
    finally:
        stop_sinks(t)


def test_sink_soft_reject_rcpt(t):
    sink = with_sink(t, "-r", "rcpt", "-Q", "vrfy")
    try:
        smtp = smtplib.SMTP("127.0.0.1", sink.port, timeout=10)
        smtp.ehlo("x")
        t.expect_eq("pipelining" in smtp.esmtp_features, False, "-r implies -p")
        try:
            smtp.sendmail("a@example", ["b@example"], "Subject: x\r\n\r\nbody\r\n")
            raise harness.Failure("sendmail succeeded despite -r rcpt")
        except smtplib.SMTPRecipientsRefused as e:
            t.expect_eq(e.recipients, {"b@example": (450, b"4.3.0 Error: command failed")})
        t.expect_eq(smtp.docmd("VRFY", "x"), (421, b"4.0.0 Server closing connection"))
        r = t.run("smtp-source", f"127.0.0.1:{sink.port}", check=1)
        t.expect_eq(r.stderr, "smtp-source: fatal: recipient rejected: "
                              "450 4.3.0 Error: command failed\n")
        r = t.run("smtp-source", "-A", "-m", "2", f"127.0.0.1:{sink.port}", check=0)
        t.expect_eq(r.stderr, "smtp-source: warning: recipient rejected: "
                              "450 4.3.0 Error: command failed\n" * 2)
    finally:
        stop_sinks(t)


def test_sink_dump_files(t):
    dump_dir = t.path("dump")
    os.makedirs(dump_dir)
    os.chmod(dump_dir, 0o777)
    sink = with_sink(t, "-d", dump_dir + "/%Y/msg.", "-S", "==\\n", "-h", "sink.test")
    try:
        banner, got = raw_session(sink.port, b"EHLO helo.test\r\nMAIL FROM:<a@b> SIZE=10\r\n"
                                             b"RCPT TO:<c@d> NOTIFY=NEVER\r\nRCPT TO:<e@f>\r\n"
                                             b"DATA\r\nSubject: s\r\n\r\n..dot\r\nend\r\n.\r\n"
                                             b"QUIT\r\n")
        t.expect_in(b"250 2.0.0 Ok\r\n221 Bye\r\n", got)

        def dumped():
            found = []
            for top, _, files in os.walk(dump_dir):
                found += [os.path.join(top, f) for f in files]
            return found
        files = t.wait_for(dumped, "a dump file")
        t.expect_eq(len(files), 1, "dump files")
        name = os.path.basename(files[0])
        t.expect_eq(name.startswith("msg.") and len(name) == 12, True, f"dump file name {name}")
        with open(files[0]) as f:
            lines = f.read().split("\n")
        ident = name[4:]
        t.expect_eq(lines[:9], ["==", "X-Client-Addr: 127.0.0.1", "X-Client-Proto: ESMTP",
                                "X-Helo-Args: helo.test", "X-Mail-Args: <a@b> SIZE=10",
                                "X-Rcpt-Args: <c@d> NOTIFY=NEVER", "X-Rcpt-Args: <e@f>",
                                "Received: from helo.test ([127.0.0.1])",
                                f"\tby sink.test (smtp-sink) with ESMTP id {ident};"])
        t.expect_eq(lines[9].startswith("\t") and lines[9].endswith(")"), True, "date line")
        t.expect_eq(lines[10:], ["Subject: s", "", ".dot", "end", "", ""], "dumped message")
    finally:
        stop_sinks(t)


def test_sink_robustness(t):
    sink = with_sink(t, "-t", "2")
    try:
        # An overlong command line ends the session with a warning.
        banner, got = raw_session(sink.port, b"NOOP " + b"x" * 3000 + b"\r\nNOOP\r\n")
        t.expect_eq(got, b"", "reply to an overlong line")
        t.wait_for(lambda: "command line too long" in sink.stderr(), "overlong-line warning")
        # Garbage is answered as unknown commands; NUL bytes do not confuse the parser.
        banner, got = raw_session(sink.port, b"\x00\xff\r\n\x01 x\r\n \r\n\tNOOP\r\nNOOP\x00x\r\n"
                                             b"QUIT\r\n")
        t.expect_eq(got, b"500 5.5.2 Error: unknown command\r\n500 5.5.1 Error: unknown command\r\n"
                         b"500 5.5.2 Error: unknown command\r\n250 2.0.0 Ok\r\n250 2.0.0 Ok\r\n"
                         b"221 Bye\r\n")
        # A client that goes quiet is dropped after the -t timeout.
        with socket.create_connection(("127.0.0.1", sink.port), timeout=10) as s:
            s.recv(100)
            s.settimeout(10)
            t.expect_eq(s.recv(100), b"", "idle client is disconnected")
        t.wait_for(lambda: "read timeout" in sink.stderr(), "read timeout warning")
        # Clients that vanish in the middle of DATA do not hurt the server.
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", sink.port), timeout=10)
            s.sendall(b"EHLO x\r\nMAIL FROM:<a>\r\nRCPT TO:<b>\r\nDATA\r\npartial")
            s.close()
        # Many sessions at once.
        socks = [socket.create_connection(("127.0.0.1", sink.port), timeout=10)
                 for _ in range(90)]
        for s in socks:
            t.expect_eq(s.recv(100), b"220 smtp-sink ESMTP\r\n")
        for s in socks:
            s.sendall(b"QUIT\r\n")
        for s in socks:
            t.expect_eq(s.recv(100), b"221 Bye\r\n")
            s.close()
        t.expect_eq(sink.proc.poll(), None, "sink still running")
    finally:
        stop_sinks(t)


class ScriptedServer:
    """Accept sessions, answer like a plain SMTP server, record the dialogue."""

    def __init__(self, sessions=1, lmtp=False):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.port = self.listener.getsockname()[1]
        self.sessions = sessions
        self.lmtp = lmtp
        self.commands = []
        self.messages = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        for _ in range(self.sessions):
            conn, _ = self.listener.accept()
            with conn:
                conn.settimeout(20)
                f = conn.makefile("rb")
                conn.sendall(b"220 scripted ESMTP\r\n")
                rcpts = 0
                while True:
                    line = f.readline()
                    if not line:
                        break
                    self.commands.append(line)
                    verb = line[:4].upper()
                    if verb == b"RCPT":
                        rcpts += 1
                    if verb == b"DATA":
                        conn.sendall(b"354 go ahead\r\n")
                        data = b""
                        while True:
                            dl = f.readline()
                            if dl in (b".\r\n", b""):
                                break
                            data += dl
                        self.messages.append(data)
                        conn.sendall(b"250 ok\r\n" * (rcpts if self.lmtp else 1))
                        rcpts = 0
                    elif verb == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        break
                    else:
                        conn.sendall(b"250 ok\r\n")
        self.listener.close()

    def join(self):
        self.thread.join(20)


def test_source_dialogue(t):
    server = ScriptedServer()
    t.run("smtp-source", "-l", "500", "-N", "-r", "2", "-f", "from@a.test", "-t", "to@b.test",
          "-M", "client.test", "-S", "hello", f"127.0.0.1:{server.port}", check=0)
    server.join()
    t.expect_eq(server.commands, [b"HELO client.test\r\n", b"MAIL FROM:<from@a.test>\r\n",
                                  b"RCPT TO:<1to@b.test>\r\n", b"RCPT TO:<2to@b.test>\r\n",
                                  b"DATA\r\n", b"QUIT\r\n"], "dialogue")
    head, body = server.messages[0].split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    t.expect_eq(lines[0], b"From: <from@a.test>")
    t.expect_eq(lines[1], b"To: <to@b.test>")
    t.expect_eq(lines[2].startswith(b"Date: "), True, "Date header")
    t.expect_eq(lines[3].startswith(b"Message-Id: <") and lines[3].endswith(b"@client.test>"),
                True, "Message-Id header")
    t.expect_eq(lines[4:], [b"Subject: hello"])
    # 500 payload bytes in 80-byte numbered lines, then the closing CRLF.
    t.expect_eq(len(body), 502, "body length")
    t.expect_eq(body, b"1" + b"X" * 77 + b"\r\n" + b"".join(
        str(n % 10).encode() + b"X" * 77 + b"\r\n" for n in range(2, 7)) + b"X" * 20 + b"\r\n")

    # Without -N the recipients count down; -o drops HELO and the headers; -d reuses.
    server = ScriptedServer()
    t.run("smtp-source", "-o", "-d", "-m", "2", "-r", "3", "-t", "to@b.test",
          f"127.0.0.1:{server.port}", check=0)
    server.join()
    rcpts = [b"RCPT TO:<3to@b.test>\r\n", b"RCPT TO:<2to@b.test>\r\n", b"RCPT TO:<to@b.test>\r\n"]
    t.expect_eq(server.commands[1:4], rcpts)
    t.expect_eq(server.commands[0].startswith(b"MAIL FROM:<foo@"), True, "no HELO with -o")
    t.expect_eq(len(server.commands), 11, "two transactions and QUIT")
    t.expect_eq(server.messages, [b"".join(b"La de da de da %d.\r\n" % i for i in range(1, 5))] * 2)

    # -F: the file's own lines, dot-stuffed, CRLF-terminated.
    path = t.write("msg.txt", "Subject: f\n\n.dot\nlast")
    server = ScriptedServer()
    t.run("smtp-source", "-F", path, f"127.0.0.1:{server.port}", check=0)
    server.join()
    t.expect_eq(server.messages, [b"Subject: f\r\n\r\n..dot\r\nlast\r\n\r\n"])


def test_source_errors(t):
    r = t.run("smtp-source", "-m", "0", "127.0.0.1:1", check=1)
    t.expect_eq(r.stderr, "smtp-source: fatal: bad message count: 0\n")
    port = harness.free_port()
    r = t.run("smtp-source", f"127.0.0.1:{port}", check=1)
    t.expect_eq(r.stderr, "smtp-source: fatal: connect: Connection refused\n")
    r = t.run("smtp-source", check=1)
    t.expect_in("smtp-source: fatal: usage: ", r.stderr)
    r = t.run("smtp-sink", "-u", "nobody", "-f", "bdat", "127.0.0.1:1", "1", check=1)
    t.expect_eq(r.stderr, "smtp-sink: fatal: unknown command: bdat\n")
