"""smtpd access actions and restriction bookkeeping, end to end.

The access(5) actions that smtpd hands to cleanup (FILTER, REDIRECT, BCC,
HOLD, DISCARD, PREPEND) are checked in the queue file that cleanup wrote
(postcat), or in the hold queue, or by the absence of a queue file; those
that only log (WARN, INFO) and the deferred decisions (DEFER_IF_PERMIT,
DEFER_IF_REJECT, warn_if_reject) by their replies and log lines, with
Postfix 3.7's texts. The actions are tried at the RCPT stage, at DATA and
at end-of-data, where cleanup learns them in the middle of the stream.

The instance is 110's: smtpd, cleanup, trivial-rewrite and anvil under the
master, no queue manager, so queue files stay where cleanup put them.
"""

import importlib.util
import os
import re

from harness import TOP, Failure

_spec = importlib.util.spec_from_file_location(
    "smtpd110", os.path.join(TOP, "tests", "e2e", "110_smtpd.py"))
_s = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_s)
start, greet, Raw, postcat, queued_id = _s.start, _s.greet, _s.Raw, _s.postcat, _s.queued_id
wait_log_re, log_lines = _s.wait_log_re, _s.log_lines

SENDER_ACCESS = """\
redir@a.test    REDIRECT boss@example.test
bcc@a.test      BCC copy@example.test
filt@a.test     FILTER smtp:[127.0.0.1]:10025
prep@a.test     PREPEND X-Tag: tagged by access
hold@a.test     HOLD
holdtext@a.test HOLD kept for review
disc@a.test     DISCARD
disctext@a.test DISCARD dropped quietly
warn@a.test     WARN watch this one
info@a.test     INFO noted
dip@a.test      DEFER_IF_PERMIT 4.7.9 come back later
dir@a.test      DEFER_IF_REJECT
dipdefault@a.test DEFER_IF_PERMIT
okay@a.test     OK
"""

REJECT_LOG = ("from=<{s}> to=<{r}> proto=ESMTP helo=<c>")


def send(t, sender, rcpts=("u@example.test",), body="Subject: t\r\n\r\nbody\r\n", c=None):
    """One transaction; returns (list of RCPT replies, end-of-data reply or None)."""
    own = c is None
    if own:
        c = greet(t)
        c.cmd("EHLO c")
    t.expect_eq(c.cmd(f"MAIL FROM:<{sender}>"), "250 2.1.0 Ok", f"MAIL FROM {sender}")
    replies = [c.cmd(f"RCPT TO:<{r}>") for r in rcpts]
    end = None
    if any(r.startswith("250") for r in replies):
        data = c.cmd("DATA")
        if data.startswith("354"):
            end = c.cmd(body + ".")
        else:
            end = data
    if own:
        c.cmd("QUIT")
        c.close()
    return replies, end


def queue_files(t, queue):
    d = os.path.join(t.queue_dir, queue)
    found = []
    for root, _, files in os.walk(d):
        found.extend(files)
    return found


def records(out, name):
    """The values of the "name: value" lines of postcat output."""
    return [ln.split(": ", 1)[1] for ln in out.splitlines() if ln.startswith(name + ": ")]


def last(out, name):
    """The last such record: the one the queue manager uses."""
    found = records(out, name)
    return found[-1] if found else None


def gone(t, qid):
    """cleanup answered for a discarded message: it must have no queue file."""
    t.expect_eq([f for q in ("incoming", "hold", "active", "deferred")
                 for f in queue_files(t, q) if f == qid], [], f"queue file of {qid}")


def setup_tables(t):
    t.write("etc/sender_access", SENDER_ACCESS)
    return f"texthash:{t.path('etc/sender_access')}"


# -- actions at the RCPT stage ------------------------------------------------------------

def test_rcpt_stage_filter_redirect_bcc_prepend(t):
    table = setup_tables(t)
    start(t, smtpd_sender_restrictions=f"check_sender_access {table}")
    _, end = send(t, "filt@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(last(out, "content_filter"), "smtp:[127.0.0.1]:10025", "FILTER record")
    wait_log_re(t, r"NOQUEUE: filter: RCPT from localhost\[127\.0\.0\.1\]: <filt@a\.test>: "
                   r"Sender address triggers FILTER smtp:\[127\.0\.0\.1\]:10025; "
                   r"from=<filt@a\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")

    _, end = send(t, "redir@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(last(out, "redirect_to"), "boss@example.test", "REDIRECT record")
    t.expect_eq(records(out, "recipient"), ["u@example.test"], "original recipient kept")
    wait_log_re(t, r"NOQUEUE: redirect: RCPT from localhost\[127\.0\.0\.1\]: <redir@a\.test>: "
                   r"Sender address triggers REDIRECT boss@example\.test; from=<redir@a\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")

    _, end = send(t, "bcc@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "recipient"), ["u@example.test", "copy@example.test"],
                "BCC recipient added")
    # The BCC copy never produces a DSN (NOTIFY=NEVER).
    t.expect_in("*** HEADER EXTRACTED", out)
    t.expect_in("named_attribute: notify_flags=1\noriginal_recipient: copy@example.test\n"
                "recipient: copy@example.test\n*** MESSAGE FILE END", out)
    wait_log_re(t, r"NOQUEUE: bcc: RCPT from localhost\[127\.0\.0\.1\]: <bcc@a\.test>: "
                   r"Sender address triggers BCC copy@example\.test;")

    _, end = send(t, "prep@a.test")
    out = postcat(t, queued_id(end))
    if not re.search(r"\*\*\* MESSAGE CONTENTS [^\n]*\nX-Tag: tagged by access\nReceived: from c ",
                     out):
        raise Failure("PREPEND header not first:\n" + out)


def test_rcpt_stage_hold_discard_warn_info(t):
    table = setup_tables(t)
    start(t, smtpd_sender_restrictions=f"check_sender_access {table}")
    _, end = send(t, "hold@a.test")
    qid = queued_id(end)
    t.wait_for(lambda: qid in queue_files(t, "hold"), "message in the hold queue")
    t.expect_eq(qid in queue_files(t, "incoming"), False, "not in incoming")
    wait_log_re(t, r"NOQUEUE: hold: RCPT from localhost\[127\.0\.0\.1\]: <hold@a\.test>: "
                   r"Sender address triggers HOLD action; from=<hold@a\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")
    _, end = send(t, "holdtext@a.test")
    wait_log_re(t, r"NOQUEUE: hold: RCPT from localhost\[127\.0\.0\.1\]: <holdtext@a\.test>: "
                   r"Sender address kept for review; from=")

    _, end = send(t, "disc@a.test")
    gone(t, queued_id(end))
    wait_log_re(t, r"NOQUEUE: discard: RCPT from localhost\[127\.0\.0\.1\]: <disc@a\.test>: "
                   r"Sender address triggers DISCARD action; from=<disc@a\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")
    send(t, "disctext@a.test")
    wait_log_re(t, r"NOQUEUE: discard: RCPT from localhost\[127\.0\.0\.1\]: <disctext@a\.test>: "
                   r"Sender address dropped quietly; from=")

    replies, end = send(t, "warn@a.test")
    t.expect_eq(replies, ["250 2.1.5 Ok"])
    queued_id(end)
    wait_log_re(t, r"NOQUEUE: warn: RCPT from localhost\[127\.0\.0\.1\]: watch this one; "
                   r"from=<warn@a\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")
    replies, end = send(t, "info@a.test")
    queued_id(end)
    wait_log_re(t, r"NOQUEUE: info: RCPT from localhost\[127\.0\.0\.1\]: noted; "
                   r"from=<info@a\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")


def test_discard_skips_the_remaining_restrictions(t):
    table = setup_tables(t)
    # DISCARD is a permit: the reject after it never runs, and the relay
    # check for a foreign recipient does not either.
    start(t, smtpd_sender_restrictions=f"check_sender_access {table}, reject",
          mynetworks="10.0.0.0/8")
    replies, end = send(t, "disc@a.test", rcpts=("u@foreign.test",))
    t.expect_eq(replies, ["250 2.1.5 Ok"])
    gone(t, queued_id(end))


# -- actions that fire after the cleanup stream is open ---------------------------------------

def test_end_of_data_actions_reach_cleanup(t):
    table = setup_tables(t)
    start(t, smtpd_end_of_data_restrictions=f"check_sender_access {table}")
    _, end = send(t, "hold@a.test")
    qid = queued_id(end)
    t.wait_for(lambda: qid in queue_files(t, "hold"), "end-of-data HOLD: hold queue")
    wait_log_re(t, rf"{qid}: hold: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: "
                   r"<hold@a\.test>: Sender address triggers HOLD action; from=<hold@a\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")

    _, end = send(t, "disc@a.test")
    gone(t, queued_id(end))
    wait_log_re(t, r": discard: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: <disc@a\.test>: "
                   r"Sender address triggers DISCARD action; from=<disc@a\.test> ")

    _, end = send(t, "filt@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "content_filter"), ["smtp:[127.0.0.1]:10025"],
                "end-of-data FILTER in the queue file")

    _, end = send(t, "redir@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "redirect_to"), ["boss@example.test"],
                "end-of-data REDIRECT in the queue file")

    _, end = send(t, "bcc@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "recipient"), ["u@example.test", "copy@example.test"],
                "end-of-data BCC recipient")

    # PREPEND cannot work after the content was received: logged, ignored.
    _, end = send(t, "prep@a.test")
    t.expect_not_in("X-Tag:", postcat(t, queued_id(end)))
    wait_log_re(t, r"warning: access table texthash:\S+sender_access: action PREPEND must be "
                   r"used before smtpd_end_of_data_restrictions$")


def test_data_stage_hold_and_filter(t):
    table = setup_tables(t)
    start(t, smtpd_data_restrictions=f"check_sender_access {table}")
    _, end = send(t, "hold@a.test")
    qid = queued_id(end)
    t.wait_for(lambda: qid in queue_files(t, "hold"), "DATA-stage HOLD: hold queue")
    wait_log_re(t, rf"{qid}: hold: DATA from localhost\[127\.0\.0\.1\]: <hold@a\.test>: "
                   r"Sender address triggers HOLD action; from=<hold@a\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")
    _, end = send(t, "filt@a.test")
    t.expect_eq(last(postcat(t, queued_id(end)), "content_filter"), "smtp:[127.0.0.1]:10025")


def test_filter_action_overrides_content_filter(t):
    table = setup_tables(t)
    start(t, content_filter="scan:[127.0.0.1]:10024",
          smtpd_end_of_data_restrictions=f"check_sender_access {table}")
    _, end = send(t, "filt@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "content_filter")[-1], "smtp:[127.0.0.1]:10025",
                "the last content_filter record (the one the queue manager uses)")
    _, end = send(t, "okay@a.test")
    out = postcat(t, queued_id(end))
    t.expect_eq(records(out, "content_filter")[-1], "scan:[127.0.0.1]:10024")


# -- DEFER_IF_PERMIT, DEFER_IF_REJECT, warn_if_reject -------------------------------------

def test_defer_if_permit_and_defer_if_reject(t):
    table = setup_tables(t)
    t.write("etc/rcpt_access", "bad@example.test REJECT no such user here\n")
    start(t, smtpd_sender_restrictions=f"check_sender_access {table}",
          smtpd_recipient_restrictions=f"check_recipient_access texthash:"
                                       f"{t.path('etc/rcpt_access')}, permit")
    replies, _ = send(t, "dip@a.test", rcpts=("u@example.test",))
    t.expect_eq(replies, ["450 4.7.9 <dip@a.test>: Sender address rejected: come back later"])
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 450 4\.7\.9 "
                   r"<dip@a\.test>: Sender address rejected: come back later; "
                   r"from=<dip@a\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")
    replies, _ = send(t, "dipdefault@a.test", rcpts=("u@example.test",))
    t.expect_eq(replies, ["450 4.7.1 <dipdefault@a.test>: Sender address rejected: "
                          "Service unavailable"])
    # A later reject wins over a pending DEFER_IF_PERMIT.
    replies, _ = send(t, "dip@a.test", rcpts=("bad@example.test",))
    t.expect_eq(replies, ["554 5.7.1 <bad@example.test>: Recipient address rejected: "
                          "no such user here"])
    # DEFER_IF_REJECT lasts for its own stage: the recipient stage's reject stays.
    replies, end = send(t, "dir@a.test", rcpts=("bad@example.test", "u@example.test"))
    t.expect_eq(replies, ["554 5.7.1 <bad@example.test>: Recipient address rejected: "
                          "no such user here", "250 2.1.5 Ok"])
    queued_id(end)


def test_defer_if_reject_turns_a_reject_of_the_same_stage_into_a_deferral(t):
    table = setup_tables(t)
    start(t, smtpd_sender_restrictions=f"check_sender_access {table}, "
                                       "check_sender_access inline:{dir@a.test=REJECT}")
    replies, _ = send(t, "dir@a.test")
    t.expect_eq(replies, ["450 4.7.1 <dir@a.test>: Sender address rejected: Service unavailable"])
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 450 4\.7\.1 "
                   r"<dir@a\.test>: Sender address rejected: Service unavailable; "
                   r"from=<dir@a\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")


def test_defer_if_permit_and_reject_restrictions(t):
    start(t, smtpd_client_restrictions="defer_if_permit",
          smtpd_relay_restrictions="",
          smtpd_recipient_restrictions="check_recipient_access inline:{bad@example.test=REJECT}, "
                                       "defer_if_reject, reject_unauth_destination",
          mynetworks="10.0.0.0/8")
    replies, _ = send(t, "a@b.test", rcpts=("u@example.test", "bad@example.test",
                                           "u@foreign.test"))
    # With both pending the list stops; the client's deferral is the answer.
    t.expect_eq(replies, [
        "450 4.7.0 <localhost[127.0.0.1]>: Client host rejected: defer_if_permit requested",
        "554 5.7.1 <bad@example.test>: Recipient address rejected: Access denied",
        "450 4.7.0 <localhost[127.0.0.1]>: Client host rejected: defer_if_permit requested"])
    t.stop()
    start(t, smtpd_client_restrictions="")
    replies, _ = send(t, "a@b.test", rcpts=("u@foreign.test", "u@example.test"))
    t.expect_eq(replies, [
        "450 4.7.0 <u@foreign.test>: Recipient address rejected: defer_if_reject requested",
        "250 2.1.5 Ok"])


def test_warn_if_reject(t):
    start(t, smtpd_helo_restrictions="warn_if_reject, reject_non_fqdn_helo_hostname",
          smtpd_sender_restrictions="warn_if_reject check_sender_access "
                                    "inline:{x@b.test=REJECT}, permit")
    replies, end = send(t, "x@b.test")
    t.expect_eq(replies, ["250 2.1.5 Ok"])
    queued_id(end)
    wait_log_re(t, r"NOQUEUE: reject_warning: RCPT from localhost\[127\.0\.0\.1\]: 504 5\.5\.2 "
                   r"<c>: Helo command rejected: need fully-qualified hostname; from=<x@b\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")
    wait_log_re(t, r"NOQUEUE: reject_warning: RCPT from localhost\[127\.0\.0\.1\]: 554 5\.7\.1 "
                   r"<x@b\.test>: Sender address rejected: Access denied; from=<x@b\.test> ")


# -- restriction classes and lists in tables ------------------------------------------------

def test_restriction_classes(t):
    t.write("etc/rcpt_classes", "strict@example.test  strict_class\n"
                                "open@example.test    permissive\n"
                                "list@example.test    reject_non_fqdn_sender, permit\n"
                                "nested@example.test  nested_class\n")
    start(t, smtpd_restriction_classes="strict_class, permissive, nested_class",
          strict_class="check_sender_access inline:{friend@b.test=OK}, reject",
          permissive="permit",
          nested_class="strict_class",
          smtpd_recipient_restrictions=f"check_recipient_access texthash:"
                                       f"{t.path('etc/rcpt_classes')}, reject_unauth_destination",
          mynetworks="10.0.0.0/8")
    c = greet(t)
    c.cmd("EHLO c")
    out = []
    for sender, rcpt in [("x@example.test", "strict@example.test"),
                         ("friend@b.test", "strict@example.test"),
                         ("x@example.test", "open@example.test"),
                         ("x", "list@example.test"),
                         ("x@example.test", "list@example.test"),
                         ("x@example.test", "nested@example.test"),
                         ("x@example.test", "other@example.test")]:
        c.cmd(f"MAIL FROM:<{sender}>")
        out.append(c.cmd(f"RCPT TO:<{rcpt}>"))
        c.cmd("RSET")
    t.expect_eq(out, [
        "554 5.7.1 <strict@example.test>: Recipient address rejected: Access denied",
        "250 2.1.5 Ok",
        "250 2.1.5 Ok",
        "504 5.5.2 <x>: Sender address rejected: need fully-qualified address",
        "250 2.1.5 Ok",
        "554 5.7.1 <nested@example.test>: Recipient address rejected: Access denied",
        "250 2.1.5 Ok",
    ])


def test_undefined_restriction_is_a_configuration_error(t):
    start(t, smtpd_recipient_restrictions="no_such_class")
    replies, _ = send(t, "a@b.test")
    t.expect_eq(replies, ["451 4.3.5 Server configuration error"])
    wait_log_re(t, r'warning: unknown smtpd restriction: "no_such_class"$')
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 451 4\.3\.5 Server "
                   r"configuration error; from=<a@b\.test> to=<u@example\.test> proto=ESMTP "
                   r"helo=<c>$")


# -- other restrictions --------------------------------------------------------------------

def test_reject_multi_recipient_bounce(t):
    start(t, smtpd_data_restrictions="reject_multi_recipient_bounce",
          smtpd_recipient_restrictions="reject_multi_recipient_bounce, permit")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<>")
    t.expect_eq(c.cmd("RCPT TO:<a@example.test>"), "250 2.1.5 Ok")
    t.expect_eq(c.cmd("RCPT TO:<b@example.test>"),
                "550 5.5.3 <b@example.test>: Recipient address rejected: Multi-recipient bounce")
    c.cmd("DATA")
    queued_id(c.cmd("x\r\n."))
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<a@example.test>")
    t.expect_eq(c.cmd("RCPT TO:<b@example.test>"), "250 2.1.5 Ok")
    c.cmd("RSET")
    c.close()
    # At DATA time the recipients are counted already: with
    # smtpd_delay_reject the RCPT check saw one, DATA sees two.
    start_data_only(t)


def start_data_only(t):
    t.stop()
    start(t, smtpd_data_restrictions="reject_multi_recipient_bounce",
          smtpd_recipient_restrictions="", multi_recipient_bounce_reject_code="554")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<>")
    c.cmd("RCPT TO:<a@example.test>")
    c.cmd("RCPT TO:<b@example.test>")
    t.expect_eq(c.cmd("DATA"),
                "554 5.5.3 <DATA>: Data command rejected: Multi-recipient bounce")
    # The queue file exists already; with two recipients none is logged.
    wait_log_re(t, r"postfix/smtpd\[\d+\]: \w+: reject: DATA from localhost\[127\.0\.0\.1\]: "
                   r"554 5\.5\.3 <DATA>: Data command rejected: Multi-recipient bounce; from=<> "
                   r"proto=ESMTP helo=<c>$")


def test_reject_unauth_pipelining(t):
    start(t, smtpd_data_restrictions="reject_unauth_pipelining",
          smtpd_discard_ehlo_keywords="pipelining")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<u@example.test>")
    c.send("DATA\r\nSubject: early\r\n")
    t.expect_eq(c.reply(), ["503 5.5.0 <DATA>: Data command rejected: Improper use of SMTP "
                            "command pipelining"])
    wait_log_re(t, r"\w+: reject: DATA from localhost\[127\.0\.0\.1\]: 503 5\.5\.0 <DATA>: "
                   r"Data command rejected: Improper use of SMTP command pipelining; "
                   r"from=<a@b\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")
    c.close()
    # Without pipelined input the same DATA is accepted.
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    c.cmd("RCPT TO:<u@example.test>")
    t.expect_eq(c.cmd("DATA"), "354 End data with <CR><LF>.<CR><LF>")
    queued_id(c.cmd("x\r\n."))
    c.close()
    # With PIPELINING offered, a group that ends with DATA is proper pipelining.
    t.stop()
    start(t, smtpd_recipient_restrictions="reject_unauth_pipelining",
          smtpd_discard_ehlo_keywords="")
    c = greet(t)
    c.cmd("EHLO c")
    c.send("MAIL FROM:<a@b.test>\r\nRCPT TO:<u@example.test>\r\nDATA\r\n")
    t.expect_eq([c.reply()[-1] for _ in range(3)],
                ["250 2.1.0 Ok", "250 2.1.5 Ok", "354 End data with <CR><LF>.<CR><LF>"])
    queued_id(c.cmd("x\r\n."))


def test_sleep_restriction(t):
    import time
    start(t, smtpd_client_restrictions="sleep 2, permit", smtpd_delay_reject="no")
    before = time.monotonic()
    c = greet(t)
    elapsed = time.monotonic() - before
    if elapsed < 1.9:
        raise Failure(f"greeting after {elapsed:.2f}s, expected the 2s sleep first")
    t.expect_eq(c.cmd("EHLO c"), "250 CHUNKING")
    c.close()
    t.stop()
    # A configuration error at connect time replaces the greeting.
    start(t, smtpd_client_restrictions="sleep x")
    c = Raw(t)
    t.expect_eq(c.reply(), ["451 4.3.5 Server configuration error"])
    t.expect_eq(c.cmd("EHLO c"), "503 5.7.0 Error: access denied for localhost[127.0.0.1]")
    t.expect_eq(c.cmd("QUIT"), "221 2.0.0 Bye")
    wait_log_re(t, r"warning: restriction sleep must be followed by number$")
    wait_log_re(t, r"NOQUEUE: reject: CONNECT from localhost\[127\.0\.0\.1\]: 451 4\.3\.5 "
                   r"Server configuration error; proto=SMTP$")
    wait_log_re(t, r"disconnect from localhost\[127\.0\.0\.1\] ehlo=0/1 quit=1 commands=1/2$")


# -- reject_unverified_sender/recipient with the verify service ----------------------------

VERIFY_CF = """\
verify    unix  -       -       n       -       1       verify
qmgr      unix  n       -       n       300     1       qmgr
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
error     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
"""


def start_verify(t, **conf):
    t.write("etc/transport", "good.test discard:\nbad.test error:5.1.1 mailbox unavailable\n")
    start(t, extra_cf=VERIFY_CF, transport_maps=f"texthash:{t.path('etc/transport')}",
          relay_domains="good.test, bad.test", address_verify_poll_count="1",
          queue_run_delay="1s", **conf)


def rcpt_until(t, c, cmd, want_prefix, what):
    """Repeat an RCPT/MAIL command until its reply starts differently than 450 in progress."""
    def attempt():
        reply = c.cmd(cmd)
        return reply if reply.startswith(want_prefix) else None
    return t.wait_for(attempt, what)


def test_reject_unverified_recipient(t):
    start_verify(t, smtpd_recipient_restrictions="reject_unverified_recipient",
                 unverified_recipient_reject_code="550", unverified_recipient_defer_code="451")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@example.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@bad.test>"),
                "451 4.1.1 <u@bad.test>: Recipient address rejected: unverified address: "
                "Address verification in progress")
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 451 4\.1\.1 "
                   r"<u@bad\.test>: Recipient address rejected: unverified address: Address "
                   r"verification in progress; from=<a@example\.test> to=<u@bad\.test> "
                   r"proto=ESMTP helo=<c>$")
    wait_log_re(t, r"to=<u@bad\.test>, relay=none, .*status=undeliverable \(mailbox unavailable\)")
    t.expect_eq(c.cmd("RCPT TO:<u@bad.test>"),
                "550 5.1.1 <u@bad.test>: Recipient address rejected: undeliverable address: "
                "mailbox unavailable")
    c.cmd("RCPT TO:<u@good.test>")
    wait_log_re(t, r"to=<u@good\.test>, relay=none, .*status=deliverable")
    t.expect_eq(c.cmd("RCPT TO:<u@good.test>"), "250 2.1.5 Ok")
    c.close()


def test_reject_unverified_sender_default_codes(t):
    # unverified_sender_reject_code is 450 by default: a bounced probe still
    # only defers, and the deferral waits for a later reject or permit.
    start_verify(t, smtpd_sender_restrictions="reject_unverified_sender",
                 unverified_sender_reject_reason="Sender address lookup failed")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<s@bad.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "450 4.1.7 <s@bad.test>: Sender address rejected: unverified address: "
                "Sender address lookup failed")
    wait_log_re(t, r"to=<s@bad\.test>, relay=none, .*status=undeliverable")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "450 4.1.7 <s@bad.test>: Sender address rejected: unverified address: "
                "Sender address lookup failed")
    c.cmd("RSET")
    c.cmd("MAIL FROM:<s@good.test>")
    c.cmd("RCPT TO:<u@example.test>")
    wait_log_re(t, r"to=<s@good\.test>, relay=none, .*status=deliverable")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"), "250 2.1.5 Ok")
    c.close()


def test_verify_service_failure_defers(t):
    start(t, smtpd_recipient_restrictions="reject_unverified_recipient",
          address_verify_service_name="noverify")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@example.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "450 4.1.1 <u@example.test>: Recipient address rejected: address verification "
                "problem")
    wait_log_re(t, r"warning: noverify service failure$")


# -- reject_sender_login_mismatch without SASL ---------------------------------------------

def test_sender_login_mismatch(t):
    t.write("etc/logins", "owned@example.test alice\n")
    logins = f"texthash:{t.path('etc/logins')}"
    start(t, smtpd_sender_login_maps=logins,
          smtpd_sender_restrictions="reject_sender_login_mismatch")
    # smtpd_sasl_auth_enable = no: the restriction is ignored, as Postfix does.
    replies, end = send(t, "owned@example.test")
    t.expect_eq(replies, ["250 2.1.5 Ok"])
    wait_log_re(t, r"warning: restriction `reject_sender_login_mismatch' ignored: no SASL "
                   r"support$")
    t.stop()
    # With AUTH enabled, nobody has logged in: an owned sender is refused.
    start(t, smtpd_sasl_auth_enable="yes",
          smtpd_sender_restrictions="reject_sender_login_mismatch")
    replies, _ = send(t, "owned@example.test")
    t.expect_eq(replies, ["553 5.7.1 <owned@example.test>: Sender address rejected: not logged "
                          "in"])
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 553 5\.7\.1 "
                   r"<owned@example\.test>: Sender address rejected: not logged in; "
                   r"from=<owned@example\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")
    replies, end = send(t, "free@example.test")
    t.expect_eq(replies, ["250 2.1.5 Ok"])
    for name, want in [("reject_unauthenticated_sender_login_mismatch", "553"),
                       ("reject_known_sender_login_mismatch", "553"),
                       ("reject_authenticated_sender_login_mismatch", "250")]:
        t.stop()
        start(t, smtpd_sasl_auth_enable="yes", smtpd_sender_restrictions=name)
        replies, _ = send(t, "owned@example.test")
        t.expect_eq(replies[0][:3], want, name)


# -- lookup failures: 451 -----------------------------------------------------------------

def test_rewrite_clients_lookup_failure(t):
    start(t, local_header_rewrite_clients="permit_mynetworks, fail:rewrite_clients")
    c = greet(t)
    c.cmd("EHLO c")
    # The client is in mynetworks: the failing table is never asked.
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "250 2.1.0 Ok")
    c.close()
    t.stop()
    start(t, mynetworks="10.0.0.0/8")
    c = greet(t)
    c.cmd("EHLO c")
    t.expect_eq(c.cmd("MAIL FROM:<a@b.test>"), "451 4.3.0 Temporary lookup error")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"), "503 5.5.1 Error: need MAIL command")
    wait_log_re(t, r"NOQUEUE: reject: MAIL from localhost\[127\.0\.0\.1\]: 451 4\.3\.0 Temporary "
                   r"lookup error; proto=ESMTP helo=<c>$")
    c.close()


def test_resolver_lookup_failure(t):
    # trivial-rewrite cannot resolve (its transport table fails): defer the recipient.
    start(t, transport_maps="fail:transport")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "451 4.3.0 <u@example.test>: Temporary lookup failure")
    wait_log_re(t, r"NOQUEUE: reject: RCPT from localhost\[127\.0\.0\.1\]: 451 4\.3\.0 "
                   r"<u@example\.test>: Temporary lookup failure; from=<a@b\.test> "
                   r"to=<u@example\.test> proto=ESMTP helo=<c>$")
    c.close()


def test_end_of_data_reject_removes_the_queue_file(t):
    start(t, smtpd_end_of_data_restrictions="check_sender_access inline:{bad@b.test=REJECT}, "
                                            "check_client_access inline:{127.0.0.1=DUNNO}")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<bad@b.test>")
    c.cmd("RCPT TO:<u@example.test>")
    c.cmd("DATA")
    t.expect_eq(c.cmd("Subject: x\r\n\r\nbody\r\n."),
                "554 5.7.1 <bad@b.test>: Sender address rejected: Access denied")
    lines = wait_log_re(t, r"(\w+): reject: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: 554 "
                           r"5\.7\.1 <bad@b\.test>: Sender address rejected: Access denied; "
                           r"from=<bad@b\.test> to=<u@example\.test> proto=ESMTP helo=<c>$")
    qid = lines[-1].split(": ")[1]
    # cleanup removes the unfinished file when smtpd hangs up on it.
    t.wait_for(lambda: qid not in queue_files(t, "incoming"), "abandoned queue file removed")
    # The session goes on.
    t.expect_eq(c.cmd("RSET"), "250 2.0.0 Ok")
    c.close()
    t.stop()
    start(t, smtpd_end_of_data_restrictions="reject")
    _, end = send(t, "a@b.test", rcpts=("u@example.test", "v@example.test"))
    t.expect_eq(end, "554 5.7.1 <END-OF-DATA>: End-of-data rejected: Access denied")
    wait_log_re(t, r"\w+: reject: END-OF-MESSAGE from localhost\[127\.0\.0\.1\]: 554 5\.7\.1 "
                   r"<END-OF-DATA>: End-of-data rejected: Access denied; from=<a@b\.test> "
                   r"proto=ESMTP helo=<c>$")


def test_end_of_data_actions_after_bdat(t):
    table = setup_tables(t)
    start(t, smtpd_end_of_data_restrictions=f"check_sender_access {table}")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<hold@a.test>")
    c.cmd("RCPT TO:<u@example.test>")
    body = b"Subject: chunked\r\n\r\nbody\r\n"
    c.send(b"BDAT %d LAST\r\n" % len(body) + body)
    qid = queued_id(c.reply()[-1])
    t.wait_for(lambda: qid in queue_files(t, "hold"), "BDAT message on hold")
    c.cmd("MAIL FROM:<bcc@a.test>")
    c.cmd("RCPT TO:<u@example.test>")
    c.send(b"BDAT %d LAST\r\n" % len(body) + body)
    out = postcat(t, queued_id(c.reply()[-1]))
    t.expect_eq(records(out, "recipient"), ["u@example.test", "copy@example.test"])
    c.close()


def test_own_verify_sender_is_never_refused(t):
    start(t, smtpd_recipient_restrictions="reject")
    c = greet(t)
    c.cmd("EHLO c")
    c.cmd("MAIL FROM:<a@b.test>")
    t.expect_eq(c.cmd("RCPT TO:<u@example.test>"),
                "554 5.7.1 <u@example.test>: Recipient address rejected: Access denied")
    t.expect_eq(c.cmd("RCPT TO:<double-bounce@mail.example.test>"), "250 2.1.5 Ok")
    c.close()
