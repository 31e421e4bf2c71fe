"""local_header_rewrite_clients: which SMTP clients get their message headers rewritten
and completed as local mail, end to end (smtpd decides, cleanup rewrites).

smtpd, cleanup and trivial-rewrite run under the master without a queue manager, so the
message stays in the incoming queue for postcat. The client always connects from
127.0.0.1, one of the server's own addresses (inet_interfaces = 127.0.0.1); each scenario
changes the list instead. A local client gets unqualified header addresses completed with
$myorigin and missing Message-Id:, Date:, From: headers added; a remote client gets
remote_header_rewrite_domain (nothing when empty; append_dot_mydomain is off at
compatibility level 3.6, so "user@host" stays) and no added headers unless
always_add_missing_headers = yes, as Postfix 3.7 does.
"""

import os
import re
import smtplib

SMTPD_CF = """\
{port} inet n - n - - smtpd
cleanup unix n - n - 0 cleanup
rewrite unix - - n - - trivial-rewrite
"""

MESSAGE = "To: bob, Carol <carol@host>\r\nSubject: rewrite test\r\n\r\nbody\r\n"


def deliver(t, **conf):
    base = {"compatibility_level": "3.6", "mynetworks": "10.0.0.0/8",
            "mydestination": "mail.example.test, localhost", "local_recipient_maps": "",
            "smtpd_error_sleep_time": "0"}
    base.update(conf)
    t.conf(**base)
    t.start(SMTPD_CF.format(port=t.smtp_port))
    try:
        with smtplib.SMTP("127.0.0.1", t.smtp_port, timeout=30) as s:
            s.ehlo("client.example")
            s.mail("joe")
            s.rcpt("bob@mail.example.test")
            code, reply = s.data(MESSAGE)
        m = re.search(rb"queued as (\w+)", reply)
        qid = m.group(1).decode()
        out = t.run("postcat", "-c", t.config_dir, "-q", qid, check=0).stdout
    finally:
        t.stop()
    env, rest = out.split("*** MESSAGE CONTENTS", 1)
    headers = rest.split("\n", 1)[1].split("\n\n", 1)[0]
    # The Received: header (with its continuation lines) is smtpd's; the rest is the
    # client's, rewritten.
    lines = headers.split("\n")
    while lines and (lines[0].startswith("Received:") or lines[0][:1] in (" ", "\t")):
        lines.pop(0)
    return qid, env, lines


def added(qid):
    return [r"Message-Id: <\d{14}\.%s@mail\.example\.test>" % qid,
            r"Date: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)",
            "From: joe@mail.example.test"]


def expect_headers(t, got, want):
    t.expect_eq(len(got), len(want), f"headers {got!r}")
    for g, w in zip(got, want):
        t.expect_eq(bool(re.fullmatch(w, g)), True, f"header {g!r} against {w!r}")


def test_default_permit_inet_interfaces_is_local(t):
    qid, env, hdrs = deliver(t)
    t.expect_in("named_attribute: rewrite_context=local\n", env)
    t.expect_in("sender: joe@mail.example.test\n", env)
    expect_headers(t, hdrs, [r"To: bob@mail\.example\.test, Carol <carol@host>",
                             "Subject: rewrite test"] + added(qid))


def test_empty_list_makes_every_client_remote(t):
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="")
    t.expect_in("named_attribute: rewrite_context=remote\n", env)
    # The envelope is still completed in the local context.
    t.expect_in("sender: joe@mail.example.test\n", env)
    expect_headers(t, hdrs, ["To: bob, Carol <carol@host>", "Subject: rewrite test"])


def test_remote_header_rewrite_domain(t):
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="permit_mynetworks",
                             remote_header_rewrite_domain="domain.invalid")
    t.expect_in("named_attribute: rewrite_context=remote\n", env)
    expect_headers(t, hdrs, [r"To: bob@domain\.invalid, Carol <carol@host>",
                             "Subject: rewrite test"] + added(qid))


def test_always_add_missing_headers_for_remote_clients(t):
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="",
                             always_add_missing_headers="yes")
    expect_headers(t, hdrs, ["To: bob, Carol <carol@host>", "Subject: rewrite test"] + [
        r"Message-Id: <\d{14}\.%s@mail\.example\.test>" % qid,
        r"Date: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)",
        "From: joe@mail.example.test"])


def test_permit_mynetworks_and_check_address_map(t):
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="permit_mynetworks",
                             mynetworks="127.0.0.0/8")
    t.expect_in("named_attribute: rewrite_context=local\n", env)
    t.expect_eq(hdrs[0], "To: bob@mail.example.test, Carol <carol@host>", "mynetworks")
    amap = t.write("etc/rewrite_clients", "127.0.0.1 OK\n")
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="check_address_map texthash:" + amap,
                             mynetworks="10.0.0.0/8")
    t.expect_in("named_attribute: rewrite_context=local\n", env)
    t.expect_eq(hdrs[0], "To: bob@mail.example.test, Carol <carol@host>", "address map hit")
    other = t.write("etc/other_clients", "192.0.2.1 OK\n")
    qid, env, hdrs = deliver(t, local_header_rewrite_clients="texthash:" + other)
    t.expect_in("named_attribute: rewrite_context=remote\n", env)
    t.expect_eq(hdrs[0], "To: bob, Carol <carol@host>", "address map miss")
