"""smtpd restrictions that need no DNS, and every *_reject_code / *_defer_code
parameter that shapes their replies, end to end against 110's instance
(smtpd, cleanup, trivial-rewrite and anvil under the master; the client is
localhost[127.0.0.1]). Replies and log lines are Postfix 3.7's.
"""

import importlib.util
import os

from harness import TOP

_spec = importlib.util.spec_from_file_location(
    "smtpd110", os.path.join(TOP, "tests", "e2e", "110_smtpd.py"))
_s = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_s)
start, greet, Raw, queued_id = _s.start, _s.greet, _s.Raw, _s.queued_id
wait_log_re = _s.wait_log_re


def dialogue(t, helo, *cmds):
    """Replies (last line) to EHLO helo and each command."""
    c = greet(t)
    out = [c.cmd(f"EHLO {helo}")] + [c.cmd(x) for x in cmds]
    c.cmd("QUIT")
    c.close()
    return out[1:]


def rcpt(t, sender, recipient, helo="c.example"):
    return dialogue(t, helo, f"MAIL FROM:<{sender}>", f"RCPT TO:<{recipient}>")[1]


# -- HELO, sender and recipient syntax ------------------------------------------------------

def test_helo_and_address_syntax_restrictions(t):
    start(t, smtpd_helo_restrictions="reject_invalid_helo_hostname, "
                                     "reject_non_fqdn_helo_hostname",
          smtpd_sender_restrictions="reject_non_fqdn_sender",
          smtpd_recipient_restrictions="reject_non_fqdn_recipient")
    cases = [
        ("bad_name!", "a@b.test", "u@example.test",
         "501 5.5.2 <bad_name!>: Helo command rejected: Invalid name"),
        ("[1.2.3]", "a@b.test", "u@example.test",
         "501 5.5.2 <[1.2.3]>: Helo command rejected: invalid ip address"),
        ("single", "a@b.test", "u@example.test",
         "504 5.5.2 <single>: Helo command rejected: need fully-qualified hostname"),
        ("[127.0.0.1]", "a@b.test", "u@example.test", "250 2.1.5 Ok"),
        ("c.example.", "a@b.test", "u@example.test", "250 2.1.5 Ok"),
        ("c.example", "a@single", "u@example.test",
         "504 5.5.2 <a@single>: Sender address rejected: need fully-qualified address"),
        ("c.example", "", "u@example.test", "250 2.1.5 Ok"),
        ("c.example", "a@b.test", "u@single",
         "504 5.5.2 <u@single>: Recipient address rejected: need fully-qualified address"),
        ("c.example", "a@b.test", "u@[192.0.2.1]", "250 2.1.5 Ok"),
    ]
    for helo, sender, recipient, want in cases:
        t.expect_eq(rcpt(t, sender, recipient, helo), want, f"HELO {helo} {sender} {recipient}")
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 501 5\.5\.2 "
                   r"<bad_name!>: Helo command rejected: Invalid name; from=<a@b\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<bad_name!>$")


def test_syntax_reject_codes(t):
    start(t, smtpd_helo_restrictions="reject_invalid_helo_hostname, "
                                     "reject_non_fqdn_helo_hostname",
          invalid_hostname_reject_code="550", non_fqdn_reject_code="450")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test", "bad_name!"),
                "550 5.5.2 <bad_name!>: Helo command rejected: Invalid name")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test", "single"),
                "450 4.5.2 <single>: Helo command rejected: need fully-qualified hostname")


def test_helo_restrictions_at_helo_without_delay_reject(t):
    start(t, smtpd_delay_reject="no",
          smtpd_helo_restrictions="check_helo_access inline:{{bad.example=REJECT go away}}")
    c = greet(t)
    t.expect_eq(c.cmd("HELO x.bad.example"),
                "554 5.7.1 <x.bad.example>: Helo command rejected: go away")
    t.expect_eq(c.cmd("HELO good.example"), "250 mail.example.test")
    c.close()
    wait_log_re(t, r"NOQUEUE: reject: HELO from localhost\[127\.0\.0\.1\]: 554 5\.7\.1 "
                   r"<x\.bad\.example>: Helo command rejected: go away; proto=SMTP "
                   r"helo=<x\.bad\.example>$")


# -- client access by name and address --------------------------------------------------------

def test_client_access_by_name_address_and_network(t):
    t.write("etc/clients", "localhost DUNNO\n127.0.0.1 REJECT by address\n")
    t.write("etc/addrs", "127.0.0.1 REJECT by address\n127.0 REJECT by network\n")
    t.write("etc/nets", "127.0 REJECT by network\n")
    # A name that is found (even DUNNO) ends the lookup: the address is not tried.
    start(t, smtpd_client_restrictions=f"check_client_access texthash:{t.path('etc/clients')}")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")
    t.stop()
    start(t, smtpd_client_restrictions=f"check_client_access texthash:{t.path('etc/addrs')}")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"),
                "554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: by address")
    t.stop()
    start(t, smtpd_client_restrictions=f"check_client_access texthash:{t.path('etc/nets')}")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"),
                "554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: by network")
    t.stop()
    start(t, smtpd_client_restrictions="check_client_access inline:{localhost=OK}, reject")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")


def test_reverse_client_hostname_access(t):
    start(t, smtpd_client_restrictions="check_reverse_client_hostname_access "
                                       "inline:{{localhost=REJECT reverse name}}")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"),
                "554 5.7.1 <localhost>: Unverified Client host rejected: reverse name")


# -- access actions and the reply code parameters ----------------------------------------------

def test_access_codes_dunno_and_defer(t):
    t.write("etc/senders", "user@dunno.test DUNNO\ndunno.test REJECT\n"
                           "later@b.test DEFER\nsoon@b.test DEFER come back soon\n"
                           "x@b.test 421 4.7.0 closing now\n")
    start(t, smtpd_sender_restrictions=f"check_sender_access texthash:{t.path('etc/senders')}",
          access_map_reject_code="550", access_map_defer_code="451")
    t.expect_eq(rcpt(t, "user@dunno.test", "u@example.test"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "other@dunno.test", "u@example.test"),
                "550 5.7.1 <other@dunno.test>: Sender address rejected: Access denied")
    t.expect_eq(rcpt(t, "later@b.test", "u@example.test"),
                "451 4.7.1 <later@b.test>: Sender address rejected: Access denied")
    t.expect_eq(rcpt(t, "soon@b.test", "u@example.test"),
                "451 4.7.1 <soon@b.test>: Sender address rejected: come back soon")
    # 421 closes the connection after the reply.
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<x@b.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "421 4.7.0 <x@b.test>: Sender address rejected: closing now")
    t.expect_eq(c.closed(), True, "closed after 421")


def test_reject_and_defer_codes(t):
    # In a table, "reject" is the REJECT action; a restriction class runs the
    # restrictions "reject" and "defer".
    start(t, smtpd_restriction_classes="rc, dc", rc="reject", dc="defer",
          smtpd_recipient_restrictions="check_recipient_access "
                                       "inline:{r@example.test=rc, d@example.test=dc, "
                                       "t@example.test=reject}",
          reject_code="550", defer_code="451")
    t.expect_eq(rcpt(t, "a@b.test", "t@example.test"),
                "554 5.7.1 <t@example.test>: Recipient address rejected: Access denied")
    t.expect_eq(rcpt(t, "a@b.test", "r@example.test"),
                "550 5.7.1 <r@example.test>: Recipient address rejected: Access denied")
    t.expect_eq(rcpt(t, "a@b.test", "d@example.test"),
                "451 4.3.2 <d@example.test>: Recipient address rejected: Try again later")


def test_relay_domains_reject_code_and_permit_auth_destination(t):
    start(t, mynetworks="10.0.0.0/8", relay_domains_reject_code="550",
          smtpd_relay_restrictions="reject_unauth_destination")
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test"), "550 5.7.1 <u@foreign.test>: Relay "
                                                       "access denied")
    t.stop()
    start(t, smtpd_relay_restrictions="defer_unauth_destination")
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test"), "450 4.7.1 <u@foreign.test>: Relay "
                                                       "access denied")
    t.stop()
    start(t, smtpd_relay_restrictions="permit_auth_destination, reject")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "a@b.test", "u@relay.test"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test"),
                "554 5.7.1 <u@foreign.test>: Recipient address rejected: Access denied")


# -- recipient validation -----------------------------------------------------------------

def test_recipient_tables_of_every_address_class(t):
    t.write("etc/local", "alice x\n")
    t.write("etc/relay", "known@relay.test x\n")
    t.write("etc/valias", "a@alias.test alice@example.test\n")
    t.write("etc/vmailbox", "m@vmail.test m/\n")
    start(t, local_recipient_maps=f"texthash:{t.path('etc/local')}",
          relay_recipient_maps=f"texthash:{t.path('etc/relay')}",
          virtual_alias_domains="alias.test",
          virtual_alias_maps=f"texthash:{t.path('etc/valias')}",
          virtual_mailbox_domains="vmail.test",
          virtual_mailbox_maps=f"texthash:{t.path('etc/vmailbox')}",
          unknown_local_recipient_reject_code="450")
    cases = [
        ("alice@example.test", "250 2.1.5 Ok"),
        ("bob@example.test", "450 4.1.1 <bob@example.test>: Recipient address rejected: "
                             "User unknown in local recipient table"),
        ("postmaster@example.test", "250 2.1.5 Ok"),
        ("known@relay.test", "250 2.1.5 Ok"),
        ("other@relay.test", "550 5.1.1 <other@relay.test>: Recipient address rejected: "
                             "User unknown in relay recipient table"),
        ("a@alias.test", "250 2.1.5 Ok"),
        ("b@alias.test", "550 5.1.1 <b@alias.test>: Recipient address rejected: "
                         "User unknown in virtual alias table"),
        ("m@vmail.test", "250 2.1.5 Ok"),
        ("n@vmail.test", "550 5.1.1 <n@vmail.test>: Recipient address rejected: "
                         "User unknown in virtual mailbox table"),
    ]
    for r, want in cases:
        t.expect_eq(rcpt(t, "a@b.test", r), want, f"RCPT {r}")
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 550 5\.1\.1 "
                   r"<other@relay\.test>: Recipient address rejected: User unknown in relay "
                   r"recipient table; from=<a@b\.test> to=<other@relay\.test> proto=ESMTP "
                   r"helo=<c\.example>$")
    t.stop()
    start(t, unknown_relay_recipient_reject_code="450", unknown_virtual_alias_reject_code="450",
          unknown_virtual_mailbox_reject_code="450", show_user_unknown_table_name="no",
          local_recipient_maps=f"texthash:{t.path('etc/local')}")
    for r in ("other@relay.test", "b@alias.test", "n@vmail.test"):
        t.expect_eq(rcpt(t, "a@b.test", r),
                    f"450 4.1.1 <{r}>: Recipient address rejected: User unknown", f"RCPT {r}")


def test_unlisted_sender_and_recipient(t):
    t.write("etc/local", "alice x\n")
    start(t, local_recipient_maps=f"texthash:{t.path('etc/local')}",
          smtpd_reject_unlisted_sender="yes", show_user_unknown_table_name="no")
    t.expect_eq(rcpt(t, "bob@example.test", "alice@example.test"),
                "550 5.1.0 <bob@example.test>: Sender address rejected: User unknown")
    t.expect_eq(rcpt(t, "alice@example.test", "alice@example.test"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "stranger@b.test", "alice@example.test"), "250 2.1.5 Ok")
    t.stop()
    # Without the implicit check, the explicit restrictions do the same.
    start(t, smtpd_reject_unlisted_sender="no", smtpd_reject_unlisted_recipient="no",
          local_recipient_maps=f"texthash:{t.path('etc/local')}",
          smtpd_sender_restrictions="reject_unlisted_sender",
          smtpd_recipient_restrictions="check_recipient_access inline:{bob@example.test=OK}, "
                                       "reject_unlisted_recipient")
    t.expect_eq(rcpt(t, "bob@example.test", "alice@example.test"),
                "550 5.1.0 <bob@example.test>: Sender address rejected: User unknown")
    t.expect_eq(rcpt(t, "alice@example.test", "bob@example.test"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "alice@example.test", "carol@example.test"),
                "550 5.1.1 <carol@example.test>: Recipient address rejected: User unknown")
    t.stop()
    # smtpd_reject_unlisted_recipient = yes (the default) needs no restriction.
    start(t, smtpd_recipient_restrictions="", smtpd_reject_unlisted_recipient="yes",
          local_recipient_maps=f"texthash:{t.path('etc/local')}")
    t.expect_eq(rcpt(t, "alice@example.test", "bob@example.test"),
                "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown")


# -- queue space and ETRN ----------------------------------------------------------------------

def test_queue_minfree(t):
    start(t, queue_minfree="999999999999999")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "452 4.3.1 Insufficient system storage")
    c.close()
    wait_log_re(t, r"warning: not enough free space in mail queue: \d+ bytes < 1\.5\*message "
                   r"size limit$")
    wait_log_re(t, r"NOQUEUE: reject: MAIL from localhost\[127\.0\.0\.1\]: 452 4\.3\.1 "
                   r"Insufficient system storage; proto=ESMTP helo=<c>$")


def test_etrn_restrictions(t):
    start(t, smtpd_etrn_restrictions="check_etrn_access inline:{relay.test=REJECT}, "
                                     "permit_mynetworks, reject")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("ETRN relay.test"),
                "554 5.7.1 <relay.test>: Etrn command rejected: Access denied")
    # Permitted, but not a fast flush domain; relay.test would be (458: no flush service).
    t.expect_eq(c.cmd("ETRN other.test"), "459 <other.test>: service unavailable")
    c.close()
    wait_log_re(t, r"NOQUEUE: reject: ETRN from localhost\[127\.0\.0\.1\]: 554 5\.7\.1 "
                   r"<relay\.test>: Etrn command rejected: Access denied; proto=ESMTP "
                   r"helo=<c>$")
    t.stop()
    start(t, mynetworks="10.0.0.0/8")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("ETRN other.test"),
                "554 5.7.1 <other.test>: Etrn command rejected: Access denied")
    c.close()


def test_reject_plaintext_session(t):
    start(t, smtpd_recipient_restrictions="reject_plaintext_session")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "450 4.7.1 Session encryption is required")
    t.stop()
    start(t, plaintext_reject_code="550")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "550 5.7.1 Session encryption is required")


def test_policy_service_unavailable(t):
    start(t, smtpd_recipient_restrictions=f"check_policy_service unix:{t.path('nosuch.sock')}",
          smtpd_policy_service_retry_delay="1s")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"),
                "451 4.3.5 <u@example.test>: Recipient address rejected: Server configuration "
                "problem")
    wait_log_re(t, r"warning: connect to %s: No such file or directory$" % t.path('nosuch.sock'))
    wait_log_re(t, r"warning: problem talking to server %s: No such file or directory$"
                % t.path('nosuch.sock'))
    t.stop()
    start(t, smtpd_policy_service_default_action="DUNNO")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")


def test_permit_inet_interfaces_and_mynetworks(t):
    start(t, mynetworks="10.0.0.0/8",
          smtpd_client_restrictions="permit_inet_interfaces, reject")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")
    t.stop()
    start(t, mynetworks="10.0.0.0/8", smtpd_client_restrictions="permit_mynetworks, reject")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"),
                "554 5.7.1 <localhost[127.0.0.1]>: Client host rejected: Access denied")
    t.stop()
    start(t, mynetworks="127.0.0.0/8")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")


def test_policy_service_with_per_server_settings(t):
    spec = importlib.util.spec_from_file_location(
        "smtpd120", os.path.join(TOP, "tests", "e2e", "120_smtpd_access.py"))
    acc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(acc)
    sock = t.path("policy.sock")
    server = acc.PolicyServer(sock)
    server.start()
    start(t, smtpd_recipient_restrictions=f"check_policy_service {{ unix:{sock}, timeout=10s, "
                                          f"policy_context=submission }}, "
                                          f"check_policy_service {{ unix:{t.path('none.sock')}, "
                                          f"try_limit=1, default_action=DUNNO }}")
    t.expect_eq(rcpt(t, "a@b.test", "grey@example.test"),
                "450 4.7.1 <grey@example.test>: Recipient address rejected: Greylisted, see "
                "http://postgrey.schweikert.ch/")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")
    req = server.requests[-1]
    t.expect_eq(req.get("policy_context"), "submission", "policy_context attribute")
    t.expect_eq(req.get("client_address"), "127.0.0.1")
    t.expect_eq(req.get("recipient"), "u@example.test")
    wait_log_re(t, r"warning: problem talking to server %s: No such file or directory$"
                % t.path("none.sock"))


def test_deprecated_restrictions(t):
    start(t, mynetworks="10.0.0.0/8", relay_domains="relay.test, localhost",
          smtpd_helo_restrictions="permit_naked_ip_address, reject",
          smtpd_relay_restrictions="check_relay_domains")
    # The client's own name is in relay_domains: it may relay.
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test", "127.0.0.1"), "250 2.1.5 Ok")
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test", "[127.0.0.1]"),
                "554 5.7.1 <[127.0.0.1]>: Helo command rejected: Access denied")
    wait_log_re(t, r"warning: restriction permit_naked_ip_address is deprecated\. Use "
                   r"permit_mynetworks or permit_sasl_authenticated instead$")
    wait_log_re(t, r'warning: support for restriction "check_relay_domains" will be removed '
                   r'from Postfix; use "reject_unauth_destination" instead$')
    t.stop()
    start(t, mynetworks="10.0.0.0/8", relay_domains="relay.test",
          smtpd_helo_restrictions="", smtpd_relay_restrictions="check_relay_domains")
    t.expect_eq(rcpt(t, "a@b.test", "u@foreign.test"),
                "554 5.7.1 <u@foreign.test>: Recipient address rejected: Relay access denied")
    t.expect_eq(rcpt(t, "a@b.test", "u@relay.test"), "250 2.1.5 Ok")


def test_log_access_permit_actions(t):
    t.write("etc/ok", "u@example.test OK\n")
    start(t, smtpd_log_access_permit_actions="static:all",
          smtpd_recipient_restrictions=f"check_recipient_access texthash:{t.path('etc/ok')}")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")
    wait_log_re(t, r"NOQUEUE: permit: RCPT from localhost\[127\.0\.0\.1\]: action=permit_mynetworks "
                   r"for Client host=localhost\[127\.0\.0\.1\]; from=<a@b\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c\.example>$")
    wait_log_re(t, r"NOQUEUE: permit: RCPT from localhost\[127\.0\.0\.1\]: action=OK for "
                   r"Recipient address=u@example\.test from texthash:\S+/etc/ok; ")


def test_vrfy_runs_the_recipient_checks(t):
    t.write("etc/local", "alice x\n")
    start(t, local_recipient_maps=f"texthash:{t.path('etc/local')}")
    out = dialogue(t, "c", "VRFY alice@example.test", "VRFY bob@example.test",
                   "VRFY u@foreign.test")
    t.expect_eq(out, ["252 2.0.0 alice@example.test",
                      "550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in "
                      "local recipient table",
                      "252 2.0.0 u@foreign.test"])
    wait_log_re(t, r"NOQUEUE: reject: VRFY from localhost\[127\.0\.0\.1\]: 550 5\.1\.1 "
                   r"<bob@example\.test>: Recipient address rejected: User unknown in local "
                   r"recipient table; to=<bob@example\.test> proto=ESMTP helo=<c>$")


def test_null_sender_access_lookup_key(t):
    t.write("etc/null", "<> REJECT no bounces here\n")
    start(t, smtpd_sender_restrictions=f"check_sender_access texthash:{t.path('etc/null')}")
    t.expect_eq(rcpt(t, "", "u@example.test"),
                "554 5.7.1 <>: Sender address rejected: no bounces here")
    t.stop()
    t.write("etc/null", "MAILER-DAEMON REJECT no bounces here\n")
    start(t, smtpd_null_access_lookup_key="MAILER-DAEMON")
    t.expect_eq(rcpt(t, "", "u@example.test"),
                "554 5.7.1 <>: Sender address rejected: no bounces here")
    t.expect_eq(rcpt(t, "a@b.test", "u@example.test"), "250 2.1.5 Ok")


def test_421_and_521_at_connect_hang_up(t):
    start(t, smtpd_delay_reject="no",
          smtpd_client_restrictions="check_client_access inline:{{127.0.0.1=521 5.7.1 bye}}")
    c = Raw(t)
    t.expect_eq(c.reply(), ["521 5.7.1 <localhost[127.0.0.1]>: Client host rejected: bye"])
    t.expect_eq(c.closed(), True, "closed after 521")
    wait_log_re(t, r"NOQUEUE: reject: CONNECT from localhost\[127\.0\.0\.1\]: 521 5\.7\.1 "
                   r"<localhost\[127\.0\.0\.1\]>: Client host rejected: bye; proto=SMTP$")
