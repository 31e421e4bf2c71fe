"""SMTP server access control, end to end.

The instance runs in its own network namespace, with dnsmasq on the
namespace's loopback as its DNS server (/etc/netns/NS/resolv.conf, which
"ip netns exec" mounts over /etc/resolv.conf). The server listens on
127.0.0.1:25 and mynetworks is 127.0.0.1/32, so a client that connects from
127.0.0.2 is "outside" (reverse DNS outside.test) and one from 127.0.0.3 has
no reverse name ("unknown"). Every dialogue runs inside the namespace
through a small client script; replies and the "NOQUEUE: reject:" log lines
are compared with Postfix's exact texts.
"""

import os
import pwd
import shutil
import socket
import subprocess
import threading

from harness import TOP, Failure, Skip

NS_PREFIX = "pfacc"
_ns_count = [0]

CHAT = r'''
import socket, sys
src = sys.argv[1]
s = socket.create_connection(("127.0.0.1", 25), timeout=30, source_address=(src, 0))
f = s.makefile("rb")
def reply():
    lines = []
    while True:
        line = f.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            lines.append("(eof)")
            break
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            break
    return lines[-1]
print(reply())
for cmd in sys.stdin.read().splitlines():
    s.sendall(cmd.encode() + b"\r\n")
    print(reply(), flush=True)
'''

DNSMASQ_RECORDS = [
    "--local=/test/", "--local=/in-addr.arpa/",
    "--ptr-record=2.0.0.127.in-addr.arpa,outside.test",
    "--host-record=outside.test,127.0.0.2",
    "--host-record=2.0.0.127.bl.test,127.0.0.2",
    "--txt-record=2.0.0.127.bl.test,Listed by the test list",
    "--host-record=2.0.0.127.wl.test,127.0.0.5",
    "--host-record=spammer.test.rhsbl.test,127.0.0.2",
    "--host-record=spammer.test,192.0.2.70",
    "--host-record=held.test,192.0.2.71",
    "--host-record=warned.test,192.0.2.72",
    "--mx-host=mxbad.test,mx.evil.test,10",
    "--host-record=mx.evil.test,192.0.2.50",
    "--mx-host=good.test,mx.good.test,10",
    "--host-record=mx.good.test,192.0.2.60",
    "--dns-rr=nsbad.test,2,026e73046576696c047465737400",
    "--host-record=ns.evil.test,192.0.2.51",
    "--mx-host=nullmx.test,.,0",
    "--server=/tempfail.test/127.0.0.1#9",
    # 127.0.0.4: a PTR name that does not map back; 127.0.0.6: PTR lookups fail.
    "--ptr-record=4.0.0.127.in-addr.arpa,forged.test",
    "--host-record=forged.test,127.0.0.9",
    "--server=/6.0.0.127.in-addr.arpa/127.0.0.1#9",
    "--mx-host=outside.test,mx.evil.test,10",
    # MX lists with this host (mail.example.test, or 127.0.0.1) as backup or primary.
    "--mx-host=backup.test,primary.far.test,10",
    "--mx-host=backup.test,mail.example.test,20",
    "--host-record=primary.far.test,192.0.2.80",
    "--mx-host=backup2.test,primary.other.test,10",
    "--mx-host=backup2.test,mx2.self.test,20",
    "--host-record=primary.other.test,198.51.100.1",
    "--host-record=mx2.self.test,127.0.0.1",
    "--mx-host=primaryself.test,mx2.self.test,10",
    "--host-record=outside.test.rhsbl.test,127.0.0.2",
    "--host-record=outside.test.rhswl.test,127.0.0.2",
    "--dns-rr=outside.test,2,026e73046576696c047465737400",
    "--mx-host=forged.test,mx.evil.test,10",
    "--dns-rr=forged.test,2,026e73046576696c047465737400",
    "--mx-host=badmx.test,mx.tempfail.test,10",
    "--mx-host=badmx.test,mail.example.test,20",
]

MASTER_CF = """\
smtp      inet  n       -       n       -       -       smtpd
cleanup   unix  n       -       n       -       0       cleanup
rewrite   unix  -       -       n       -       -       trivial-rewrite
anvil     unix  -       -       n       -       1       anvil
"""


class Netns:
    """A network namespace with its own resolv.conf and a dnsmasq in it."""

    def __init__(self, t):
        _ns_count[0] += 1
        self.name = f"{NS_PREFIX}{os.getpid()}x{_ns_count[0]}"
        self.etc = f"/etc/netns/{self.name}"
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        subprocess.run(self.cmd("ip", "link", "set", "lo", "up"), check=True)
        subprocess.run(self.cmd("ip", "addr", "add", "127.0.0.2/8", "dev", "lo"),
                       capture_output=True)
        os.makedirs(self.etc, exist_ok=True)
        with open(os.path.join(self.etc, "resolv.conf"), "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        self.pidfile = t.path("dnsmasq.pid")
        self.dns = subprocess.Popen(self.cmd(
            "/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
            "--no-hosts", "--listen-address=127.0.0.1", "--bind-interfaces", "--user=root",
            f"--pid-file={self.pidfile}", *DNSMASQ_RECORDS),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def cmd(self, *args):
        return ["ip", "netns", "exec", self.name, *args]

    def close(self):
        self.dns.terminate()
        self.dns.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        shutil.rmtree(self.etc, ignore_errors=True)


class PolicyServer(threading.Thread):
    """A postgrey-style policy server: greylists the first try of each triplet."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        os.chmod(path, 0o666)
        self.sock.listen(5)
        self.seen = set()
        self.requests = []

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        f = conn.makefile("rwb")
        while True:
            attrs = {}
            for line in f:
                line = line.decode().rstrip("\n")
                if not line:
                    break
                k, _, v = line.partition("=")
                attrs[k] = v
            if not attrs:
                return
            self.requests.append(attrs)
            triplet = (attrs.get("client_address"), attrs.get("sender"), attrs.get("recipient"))
            if attrs.get("recipient", "").startswith("grey"):
                if triplet not in self.seen:
                    self.seen.add(triplet)
                    action = "DEFER_IF_PERMIT Greylisted, see http://postgrey.schweikert.ch/"
                else:
                    action = "PREPEND X-Greylist: delayed"
            else:
                action = "DUNNO"
            f.write(f"action={action}\n\n".encode())
            f.flush()


def setup(t):
    if os.geteuid() != 0:
        raise Skip("needs root: network namespace and the master daemon")
    if not os.path.exists("/usr/sbin/dnsmasq") or shutil.which("ip") is None:
        raise Skip("needs dnsmasq (Debian dnsmasq-base) and ip (iproute2)")
    for prog in ("smtpd", "cleanup", "trivial-rewrite", "master", "postfix"):
        if not os.path.exists(os.path.join(t.bindir, prog)):
            raise Skip(f"program {prog} is not built yet")
    ns = Netns(t)
    t.ns = ns
    return ns


def start(t, ns, **params):
    """main.cf settings for the test, then "postfix start" inside the namespace."""
    t.write("etc/master.cf", MASTER_CF)
    t.write("etc/local_users", "alice x\ngrey x\npostmaster x\n")
    t.write("etc/client_access", "127.0.0.3 REJECT no unknown clients here\n")
    t.write("etc/sender_access", "spam@bad.test REJECT\nbad.test 550 5.7.1 Go away\n"
                                 "held.test HOLD\ndisc.test DISCARD\nwarned.test WARN watch this\n")
    t.write("etc/mx_access", "mx.evil.test REJECT bad mail exchanger\n")
    t.write("etc/ns_access", "192.0.2.51 REJECT bad name server\n")
    conf = {
        "mydestination": "example.test",
        "relay_domains": "relay.test",
        "mynetworks": "127.0.0.1/32",
        "inet_interfaces": "127.0.0.1",
        "local_recipient_maps": f"texthash:{t.path('etc/local_users')}",
        "alias_maps": "",
        "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
        "smtpd_recipient_restrictions": "",
    }
    conf.update(params)
    t.conf(**conf)
    meta = os.path.join(t.dir, "meta")
    if not os.path.isdir(meta):
        os.makedirs(meta)
        shutil.copy(os.path.join(TOP, "conf", "postfix-files"), meta)
    t.conf(meta_directory=meta)
    pw = pwd.getpwnam(t.user)
    os.chown(t.data_dir, pw.pw_uid, pw.pw_gid)
    before = t.log_text().count("daemon started")
    r = subprocess.run(ns.cmd(t.program("postfix"), "-c", t.config_dir, "start"),
                       capture_output=True, text=True, env=t.env())
    if r.returncode != 0:
        raise Failure(f"postfix start: {r.stderr}")
    t.started = True
    t.wait_for(lambda: t.log_text().count("daemon started") > before, "master start-up")


def stop(t, ns):
    subprocess.run(ns.cmd(t.program("postfix"), "-c", t.config_dir, "stop"),
                   capture_output=True, env=t.env())
    t.started = False
    ns.close()


def chat(t, ns, src, commands):
    """Replies (last line of each) to the greeting and each command."""
    script = t.write("chat.py", CHAT)
    r = subprocess.run(ns.cmd("python3", script, src), input="\n".join(commands) + "\n",
                       capture_output=True, text=True, timeout=120)
    return r.stdout.splitlines()


def rcpt_reply(t, ns, src, sender, rcpt, helo="client.test"):
    out = chat(t, ns, src, [f"EHLO {helo}", f"MAIL FROM:<{sender}>", f"RCPT TO:<{rcpt}>", "QUIT"])
    return out[3] if len(out) > 3 else f"(no reply: {out})"


def run_scenario(t, params, cases):
    ns = setup(t)
    try:
        start(t, ns, **params)
        for src, sender, rcpt, want, log in cases:
            got = rcpt_reply(t, ns, src, sender, rcpt)
            t.expect_eq(got, want, f"RCPT {rcpt} from {src} sender {sender}")
            if log:
                t.wait_log(log)
    finally:
        stop(t, ns)


def test_open_relay_battery(t):
    out = "127.0.0.2"
    cases = []
    for rcpt in ["user@elsewhere.test", "user%elsewhere.test@example.test",
                 "elsewhere.test!user@example.test", "@example.test:user@elsewhere.test",
                 '"user@elsewhere.test"@example.test', "user@[192.0.2.1]",
                 "user@elsewhere.test@example.test"]:
        shown = rcpt.replace('"', "")  # replies show the internal (unquoted) form
        cases.append((out, "a@outside.test", rcpt, f"554 5.7.1 <{shown}>: Relay access denied",
                      f"NOQUEUE: reject: RCPT from outside.test[127.0.0.2]: 554 5.7.1 <{shown}>: "
                      f"Relay access denied; from=<a@outside.test> to=<{shown}> proto=ESMTP "
                      f"helo=<client.test>"))
    cases.append(("127.0.0.1", "a@outside.test", "user@elsewhere.test", "250 2.1.5 Ok", None))
    cases.append((out, "a@outside.test", "alice@example.test", "250 2.1.5 Ok", None))
    cases.append((out, "a@outside.test", "bob@example.test",
                  "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in "
                  "local recipient table", None))
    run_scenario(t, {}, cases)


def test_access_tables_and_dns(t):
    params = {
        "smtpd_client_restrictions": f"check_client_access texthash:{t.path('etc/client_access')}",
        "smtpd_sender_restrictions":
            f"check_sender_access texthash:{t.path('etc/sender_access')}, "
            f"check_sender_mx_access texthash:{t.path('etc/mx_access')}, "
            f"check_sender_ns_access texthash:{t.path('etc/ns_access')}, "
            "reject_unknown_sender_domain, reject_rhsbl_sender rhsbl.test",
    }
    out = "127.0.0.2"
    cases = [
        ("127.0.0.3", "a@good.test", "alice@example.test",
         "554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: no unknown clients here", None),
        (out, "spam@bad.test", "alice@example.test",
         "554 5.7.1 <spam@bad.test>: Sender address rejected: Access denied", None),
        (out, "x@bad.test", "alice@example.test",
         "550 5.7.1 <x@bad.test>: Sender address rejected: Go away", None),
        (out, "x@mxbad.test", "alice@example.test",
         "554 5.7.1 <x@mxbad.test>: Sender address rejected: bad mail exchanger", None),
        (out, "x@nsbad.test", "alice@example.test",
         "554 5.7.1 <x@nsbad.test>: Sender address rejected: bad name server", None),
        (out, "x@nodomain.test", "alice@example.test",
         "450 4.1.8 <x@nodomain.test>: Sender address rejected: Domain not found", None),
        (out, "x@nullmx.test", "alice@example.test",
         "550 5.7.27 <x@nullmx.test>: Sender address rejected: Domain nullmx.test does not "
         "accept mail (nullMX)", None),
        (out, "x@tempfail.test", "alice@example.test", "450 4.1.8 <x@tempfail.test>: Sender "
         "address rejected: Domain not found", None),
        (out, "x@spammer.test", "alice@example.test",
         "554 5.7.1 Service unavailable; Sender address [x@spammer.test] blocked using "
         "rhsbl.test", None),
        (out, "x@good.test", "alice@example.test", "250 2.1.5 Ok", None),
        (out, "x@held.test", "alice@example.test", "250 2.1.5 Ok",
         "NOQUEUE: hold: RCPT from outside.test[127.0.0.2]: <x@held.test>: Sender address "
         "triggers HOLD action;"),
        (out, "x@warned.test", "alice@example.test", "250 2.1.5 Ok",
         "NOQUEUE: warn: RCPT from outside.test[127.0.0.2]: watch this;"),
    ]
    run_scenario(t, params, cases)


def test_rbl_dnswl_warn_if_reject(t):
    # The client stage only warns and the filtered list does not match; the
    # allow-list lets the HELO stage pass; the sender stage rejects.
    params = {"smtpd_client_restrictions": "warn_if_reject reject_rbl_client bl.test, "
                                           "reject_rbl_client bl.test=127.0.0.[3..9]",
              "smtpd_helo_restrictions": "permit_dnswl_client wl.test, reject",
              "smtpd_sender_restrictions": "reject_rbl_client bl.test"}
    reply = ("554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked using bl.test; "
             "Listed by the test list")
    cases = [
        ("127.0.0.2", "a@good.test", "alice@example.test", reply,
         "NOQUEUE: reject_warning: RCPT from outside.test[127.0.0.2]: " + reply),
    ]
    run_scenario(t, params, cases)


def test_policy_server_greylisting(t):
    ns = setup(t)
    try:
        sock = t.path("spool", "policy.sock")
        server = PolicyServer(sock)
        server.start()
        start(t, ns, smtpd_recipient_restrictions=f"check_policy_service unix:{sock}")
        first = rcpt_reply(t, ns, "127.0.0.2", "a@good.test", "grey@example.test")
        t.expect_eq(first, "450 4.7.1 <grey@example.test>: Recipient address rejected: "
                           "Greylisted, see http://postgrey.schweikert.ch/", "first try")
        second = rcpt_reply(t, ns, "127.0.0.2", "a@good.test", "grey@example.test")
        t.expect_eq(second, "250 2.1.5 Ok", "second try")
        req = server.requests[0]
        for k, v in [("request", "smtpd_access_policy"), ("protocol_state", "RCPT"),
                     ("protocol_name", "ESMTP"), ("client_address", "127.0.0.2"),
                     ("client_name", "outside.test"), ("helo_name", "client.test"),
                     ("sender", "a@good.test"), ("recipient", "grey@example.test")]:
            t.expect_eq(req.get(k), v, f"policy attribute {k}")
    finally:
        stop(t, ns)


def test_delay_reject_off(t):
    ns = setup(t)
    try:
        start(t, ns, smtpd_delay_reject="no",
              smtpd_client_restrictions=f"check_client_access texthash:{t.path('etc/client_access')}")
        out = chat(t, ns, "127.0.0.3", ["EHLO client.test", "QUIT"])
        t.expect_in("554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: no unknown clients here",
                    "\n".join(out), "client rejected at connect")
    finally:
        stop(t, ns)


def run_cases(t, params, cases):
    """cases: (client address, helo, sender, recipient, wanted RCPT reply, log text or None)."""
    ns = setup(t)
    try:
        start(t, ns, **params)
        for src, helo, sender, rcpt, want, log in cases:
            got = rcpt_reply(t, ns, src, sender, rcpt, helo=helo)
            t.expect_eq(got, want, f"RCPT {rcpt} from {src} helo {helo} sender {sender}")
            if log:
                t.wait_log(log)
    finally:
        stop(t, ns)


def test_reject_unknown_client_and_reverse_hostname(t):
    params = {"smtpd_client_restrictions": "reject_unknown_reverse_client_hostname, "
                                           "reject_unknown_client_hostname"}
    ok = "250 2.1.5 Ok"
    rev = "Client host rejected: cannot find your reverse hostname"
    fwd = "Client host rejected: cannot find your hostname"
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", ok, None),
        ("127.0.0.3", "h.test", "a@good.test", "alice@example.test",
         f"450 4.7.1 {rev}, [127.0.0.3]",
         f"NOQUEUE: reject: RCPT from unknown[127.0.0.3]: 450 4.7.1 {rev}, [127.0.0.3]; "
         "from=<a@good.test> to=<alice@example.test> proto=ESMTP helo=<h.test>"),
        # A reverse name that does not map back: the reverse check passes.
        ("127.0.0.4", "h.test", "a@good.test", "alice@example.test",
         f"450 4.7.25 {fwd}, [127.0.0.4]",
         "warning: hostname forged.test does not resolve to address 127.0.0.4"),
        ("127.0.0.6", "h.test", "a@good.test", "alice@example.test",
         f"450 4.7.1 {rev}, [127.0.0.6]", None),
    ])


def test_unknown_client_reject_code_spares_temporary_failures(t):
    params = {"smtpd_client_restrictions": "reject_unknown_client_hostname",
              "unknown_client_reject_code": "550"}
    fwd = "Client host rejected: cannot find your hostname"
    run_cases(t, params, [
        ("127.0.0.3", "h.test", "a@good.test", "alice@example.test",
         f"550 5.7.25 {fwd}, [127.0.0.3]", None),
        ("127.0.0.4", "h.test", "a@good.test", "alice@example.test",
         f"550 5.7.25 {fwd}, [127.0.0.4]", None),
        ("127.0.0.6", "h.test", "a@good.test", "alice@example.test",
         f"450 4.7.25 {fwd}, [127.0.0.6]", None),
    ])


def test_reject_unknown_helo_hostname(t):
    params = {"smtpd_helo_restrictions": "reject_unknown_helo_hostname",
              "unknown_hostname_reject_code": "550"}
    ok = "250 2.1.5 Ok"
    run_cases(t, params, [
        ("127.0.0.2", "outside.test", "a@good.test", "alice@example.test", ok, None),
        ("127.0.0.2", "good.test", "a@good.test", "alice@example.test", ok, None),
        ("127.0.0.2", "[127.0.0.2]", "a@good.test", "alice@example.test", ok, None),
        ("127.0.0.2", "nohost.test", "a@good.test", "alice@example.test",
         "550 5.7.1 <nohost.test>: Helo command rejected: Host not found",
         "NOQUEUE: reject: RCPT from outside.test[127.0.0.2]: 550 5.7.1 <nohost.test>: Helo "
         "command rejected: Host not found; from=<a@good.test> to=<alice@example.test> "
         "proto=ESMTP helo=<nohost.test>"),
        # A DNS failure is never permanent, whatever the reject code says.
        ("127.0.0.2", "x.tempfail.test", "a@good.test", "alice@example.test",
         "450 4.7.1 <x.tempfail.test>: Helo command rejected: Host not found", None),
    ])


def test_reject_unknown_helo_tempfail_then_reject(t):
    # defer_if_permit (the default tempfail action): a later reject still wins.
    params = {"smtpd_helo_restrictions": "reject_unknown_helo_hostname",
              "smtpd_recipient_restrictions": "check_recipient_access inline:{bob@example.test="
                                              "REJECT}"}
    run_cases(t, params, [
        ("127.0.0.2", "x.tempfail.test", "a@good.test", "bob@example.test",
         "554 5.7.1 <bob@example.test>: Recipient address rejected: Access denied", None),
    ])


def test_permit_mx_backup(t):
    params = {"smtpd_relay_restrictions": "permit_mynetworks, permit_mx_backup, "
                                          "reject_unauth_destination"}
    ok = "250 2.1.5 Ok"

    def denied(r):
        return f"554 5.7.1 <{r}>: Relay access denied"
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "u@backup.test", ok, None),
        ("127.0.0.2", "h.test", "a@good.test", "u@backup2.test", ok, None),
        ("127.0.0.2", "h.test", "a@good.test", "u@primaryself.test", denied("u@primaryself.test"),
         None),
        ("127.0.0.2", "h.test", "a@good.test", "u@good.test", denied("u@good.test"), None),
        ("127.0.0.2", "h.test", "a@good.test", "u@nomx.test", denied("u@nomx.test"), None),
        ("127.0.0.2", "h.test", "a@good.test", "u@relay.test", ok, None),
        # The MX lookup fails: the reject that follows becomes a deferral.
        ("127.0.0.2", "h.test", "a@good.test", "u@x.tempfail.test",
         "450 4.4.4 <u@x.tempfail.test>: Recipient address rejected: Unable to look up mail "
         "exchanger information: Host or domain name not found. Name service error for "
         "name=x.tempfail.test type=MX: Host not found, try again", None),
    ])


def test_permit_mx_backup_networks(t):
    params = {"smtpd_relay_restrictions": "permit_mynetworks, permit_mx_backup, "
                                          "reject_unauth_destination",
              "permit_mx_backup_networks": "192.0.2.0/24"}
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "u@backup.test", "250 2.1.5 Ok", None),
        ("127.0.0.2", "h.test", "a@good.test", "u@backup2.test",
         "554 5.7.1 <u@backup2.test>: Relay access denied", None),
    ])


def test_a_mx_ns_access_of_every_stage(t):
    t.write("etc/a_access", "192.0.2.70 REJECT bad address\n127.0.0.2 REJECT bad client address\n"
                            "192.0.2.72 OK\n")
    a, mx, ns = (f"texthash:{t.path('etc', n)}" for n in ("a_access", "mx_access", "ns_access"))
    out = "127.0.0.2"
    run_cases(t, {"smtpd_client_restrictions": f"check_client_a_access {a}"}, [
        (out, "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: bad client address", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": f"check_client_mx_access {mx}"}, [
        (out, "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: bad mail exchanger", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": "",
                  "smtpd_helo_restrictions": f"check_helo_a_access {a}, check_helo_mx_access "
                                             f"{mx}, check_helo_ns_access {ns}"}, [
        (out, "spammer.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <spammer.test>: Helo command rejected: bad address", None),
        (out, "mxbad.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <mxbad.test>: Helo command rejected: bad mail exchanger", None),
        (out, "nsbad.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <nsbad.test>: Helo command rejected: bad name server", None),
        (out, "good.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
    ])
    run_cases(t, {"smtpd_helo_restrictions": "",
                  "smtpd_sender_restrictions": f"check_sender_a_access {a}",
                  "relay_domains": "relay.test, spammer.test, mxbad.test, nsbad.test",
                  "smtpd_recipient_restrictions": f"check_recipient_a_access {a}, "
                                                  f"check_recipient_mx_access {mx}, "
                                                  f"check_recipient_ns_access {ns}"}, [
        (out, "h.test", "x@spammer.test", "alice@example.test",
         "554 5.7.1 <x@spammer.test>: Sender address rejected: bad address", None),
        (out, "h.test", "a@good.test", "u@spammer.test",
         "554 5.7.1 <u@spammer.test>: Recipient address rejected: bad address", None),
        (out, "h.test", "a@good.test", "u@mxbad.test",
         "554 5.7.1 <u@mxbad.test>: Recipient address rejected: bad mail exchanger", None),
        (out, "h.test", "a@good.test", "u@nsbad.test",
         "554 5.7.1 <u@nsbad.test>: Recipient address rejected: bad name server", None),
        # OK from an A/MX/NS table would let a spammer white-list itself.
        (out, "h.test", "x@warned.test", "alice@example.test",
         "451 4.3.5 Server configuration error",
         "warning: restriction check_sender_a_access returns OK for x@warned.test"),
    ])


def test_reject_unknown_recipient_domain(t):
    params = {"smtpd_relay_restrictions": "permit_mynetworks, reject_unknown_recipient_domain, "
                                          "permit_auth_destination, reject",
              "relay_domains": "relay.test, good.test, nodomain.test, nullmx.test"}
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "u@good.test", "250 2.1.5 Ok", None),
        ("127.0.0.2", "h.test", "a@good.test", "u@nodomain.test",
         "450 4.1.2 <u@nodomain.test>: Recipient address rejected: Domain not found", None),
        ("127.0.0.2", "h.test", "a@good.test", "u@nullmx.test",
         "556 5.1.10 <u@nullmx.test>: Recipient address rejected: Domain nullmx.test does not "
         "accept mail (nullMX)", None),
        ("127.0.0.2", "h.test", "a@good.test", "u@x.tempfail.test",
         "554 5.7.1 <u@x.tempfail.test>: Recipient address rejected: Access denied", None),
        # Local domains are never looked up.
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
    ])


def test_unknown_address_reject_code(t):
    params = {"smtpd_sender_restrictions": "reject_unknown_sender_domain",
              "unknown_address_reject_code": "550"}
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "x@nodomain.test", "alice@example.test",
         "550 5.1.8 <x@nodomain.test>: Sender address rejected: Domain not found", None),
        ("127.0.0.2", "h.test", "x@tempfail.test", "alice@example.test",
         "450 4.1.8 <x@tempfail.test>: Sender address rejected: Domain not found", None),
    ])


def test_rhsbl_of_every_kind_and_maps_rbl_reject_code(t):
    blocked = "Service unavailable; {} [{}] blocked using rhsbl.test"
    params = {"smtpd_client_restrictions": "reject_rhsbl_reverse_client rhsbl.test",
              "maps_rbl_reject_code": "550"}
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test",
         "550 5.7.1 " + blocked.format("Unverified Client host", "outside.test"),
         "NOQUEUE: reject: RCPT from outside.test[127.0.0.2]: 550 5.7.1 Service unavailable; "
         "Unverified Client host [outside.test] blocked using rhsbl.test; from=<a@good.test> "
         "to=<alice@example.test> proto=ESMTP helo=<h.test>"),
    ])
    run_cases(t, {"smtpd_client_restrictions": "reject_rhsbl_client rhsbl.test",
                  "maps_rbl_reject_code": "554"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 " + blocked.format("Client host", "outside.test"), None),
        # No name, nothing to look up.
        ("127.0.0.3", "h.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": "",
                  "smtpd_helo_restrictions": "reject_rhsbl_helo rhsbl.test",
                  "smtpd_recipient_restrictions": "reject_rhsbl_recipient rhsbl.test",
                  "relay_domains": "relay.test, spammer.test"}, [
        ("127.0.0.2", "spammer.test", "a@good.test", "alice@example.test",
         "554 5.7.1 " + blocked.format("Helo command", "spammer.test"), None),
        ("127.0.0.2", "h.test", "a@good.test", "u@spammer.test",
         "554 5.7.1 " + blocked.format("Recipient address", "u@spammer.test"), None),
        ("127.0.0.2", "h.test", "a@good.test", "u@relay.test", "250 2.1.5 Ok", None),
    ])


def test_tempfail_actions(t):
    # reject_tempfail_action's default, defer_if_permit, lets a later reject win;
    # "defer" answers 450 at once.
    restrictions = ("reject_unknown_sender_domain, "
                    "check_sender_access inline:{x@tempfail.test=REJECT}")
    case = ("127.0.0.2", "h.test", "x@tempfail.test", "alice@example.test")
    run_cases(t, {"smtpd_sender_restrictions": restrictions}, [
        case + ("554 5.7.1 <x@tempfail.test>: Sender address rejected: Access denied", None),
    ])
    run_cases(t, {"smtpd_sender_restrictions": restrictions,
                  "unknown_address_tempfail_action": "defer"}, [
        case + ("450 4.1.8 <x@tempfail.test>: Sender address rejected: Domain not found", None),
    ])


def test_rbl_reply_maps(t):
    t.write("etc/rbl_replies", "bl.test $rbl_code 5.7.9 Listed at $rbl_domain "
                               "($rbl_class $rbl_what): $rbl_reason\n")
    params = {"smtpd_client_restrictions": "reject_rbl_client bl.test",
              "rbl_reply_maps": f"texthash:{t.path('etc/rbl_replies')}",
              "maps_rbl_reject_code": "550"}
    run_cases(t, params, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test",
         "550 5.7.9 Listed at bl.test (Client host 127.0.0.2): Listed by the test list", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": "reject_rbl_client bl.test",
                  "rbl_reply_maps": "",
                  "default_rbl_reply": "$rbl_code Go away, $client_address is in $rbl_domain"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test",
         "550 5.7.1 Go away, 127.0.0.2 is in bl.test", None),
    ])


def test_reverse_client_and_client_ns_access_rhswl_and_maps_rbl(t):
    t.write("etc/rev_a", "127.0.0.9 REJECT forged address\n")
    rev_a, mx, ns = (f"texthash:{t.path('etc', n)}" for n in ("rev_a", "mx_access", "ns_access"))
    run_cases(t, {"smtpd_client_restrictions": f"check_client_ns_access {ns}, "
                                               f"check_reverse_client_hostname_a_access {rev_a}"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: bad name server", None),
        ("127.0.0.4", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <forged.test>: Unverified Client host rejected: forged address", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": f"check_reverse_client_hostname_mx_access {mx}"}, [
        ("127.0.0.4", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <forged.test>: Unverified Client host rejected: bad mail exchanger", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": f"check_reverse_client_hostname_ns_access {ns}"}, [
        ("127.0.0.4", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <forged.test>: Unverified Client host rejected: bad name server", None),
        # No reverse name: nothing to look up.
        ("127.0.0.3", "h.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
    ])
    run_cases(t, {"smtpd_client_restrictions": "permit_rhswl_client rhswl.test, reject"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
        ("127.0.0.3", "h.test", "a@good.test", "alice@example.test",
         "554 5.7.1 <unknown[127.0.0.3]>: Client host rejected: Access denied", None),
    ])
    listed = ("554 5.7.1 Service unavailable; Client host [127.0.0.2] blocked using bl.test; "
              "Listed by the test list")
    run_cases(t, {"smtpd_client_restrictions": "reject_maps_rbl", "maps_rbl_domains": "bl.test"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", listed,
         'warning: support for restriction "reject_maps_rbl" will be removed from Postfix; '
         'use "reject_rbl_client domain-name" instead'),
    ])
    run_cases(t, {"smtpd_client_restrictions": "reject_rbl bl.test"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", listed, None),
    ])


def test_client_access_by_parent_domain(t):
    t.write("etc/parent", "test REJECT parent domain\n")
    t.write("etc/dotparent", ".test REJECT dotted parent\n")
    out = ("127.0.0.2", "h.test", "a@good.test", "alice@example.test")
    # smtpd_access_maps is in parent_domain_matches_subdomains: "test" matches outside.test.
    run_cases(t, {"smtpd_client_restrictions": f"check_client_access "
                                               f"texthash:{t.path('etc/parent')}"}, [
        out + ("554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: parent domain", None),
    ])
    # Without it, only ".test" does.
    run_cases(t, {"parent_domain_matches_subdomains": "relay_domains",
                  "smtpd_client_restrictions": f"check_client_access "
                                               f"texthash:{t.path('etc/parent')}, "
                                               f"check_client_access "
                                               f"texthash:{t.path('etc/dotparent')}"}, [
        out + ("554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: dotted parent", None),
    ])


def test_dnswl_never_permits_relaying(t):
    run_cases(t, {"smtpd_client_restrictions": "permit_dnswl_client wl.test, reject"}, [
        ("127.0.0.2", "h.test", "a@good.test", "alice@example.test", "250 2.1.5 Ok", None),
        ("127.0.0.2", "h.test", "a@good.test", "u@elsewhere.test",
         "554 5.7.1 <outside.test[127.0.0.2]>: Client host rejected: Access denied", None),
    ])
