"""More of the queue manager end to end: administrative expiry (postsuper -e
and -f), the delivery status watchdog (a fake agent that never answers),
destination rate delays, per-transport recipient refill and a single message
beside a big list, clogged-destination warnings, and the notices that qmgr
asks the bounce service for: sendmail -bv and -v reports, notify_classes
copies (bounce, 2bounce, delay), double bounces, soft_bounce, DSN ORCPT and
ENVID from SMTP, NOTIFY=DELAY, bounce_template_file.

Uses the instance, users and recorder pipe of 090_qmgr.py (loaded from
there), with its short retry times. Needs root: runs the master and creates
throwaway local users.
"""

import importlib.util
import os
import re
import socket
import threading
import time

from harness import Failure

_spec = importlib.util.spec_from_file_location(
    "qmgr_e2e", os.path.join(os.path.dirname(os.path.abspath(__file__)), "090_qmgr.py"))
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)

DELAYS = q.DELAYS
PIPE_DEST = q.PIPE_DEST


def qmgr_line(env, qid, text):
    return q.expect_line(env, qid, r"postfix/qmgr\[\d+\]: " + qid + ": " + re.escape(text),
                         f"qmgr line {text!r}")


def complete_file(env, queue, qid):
    """The path of a complete queue file (owner execute bit set), or None."""
    path = env.queue_file(queue, qid)
    try:
        return path if path and os.stat(path).st_mode & 0o100 else None
    except FileNotFoundError:
        return None


def expect_force_expired_notice(env, qid, sender, rcpt):
    """The expired message went back to the sender with the administrative reason."""
    t = env.t
    env.wait_removed(qid)
    q.expect_line(env, qid, r"postfix/\w+\[\d+\]: " + qid + r": to=<" + re.escape(rcpt) +
                  r">, relay=none, " + DELAYS + r", dsn=4\.7\.0, status=deferred "
                  r"\(message is administratively expired\)", "the retry service's line")
    qmgr_line(env, qid, f"from=<{sender}>, status=force-expired, returned to sender")
    env.wait_removed(qid)
    notice = t.wait_for(lambda: q.notices(env, "alice", "Undelivered Mail Returned to Sender"),
                        "non-delivery notice in alice's mailbox")
    msg, parts = q.parse_report(notice[0])
    per_msg, per_rcpt = q.dsn_fields(parts[1])
    t.expect_eq((per_rcpt[0].get("Final-Recipient"), per_rcpt[0].get("Action"),
                 per_rcpt[0].get("Status")), (f"rfc822; {rcpt}", "failed", "4.7.0"),
                "per-recipient fields")
    t.expect_in("message is administratively expired", parts[0].get_payload(), "text part")
    t.expect_eq(env.queue_files("deferred") + env.queue_files("defer") +
                env.queue_files("hold"), [], "queue empty")


# -- postsuper -e / -f ---------------------------------------------------------------------

def test_postsuper_e_expires_a_deferred_message(t):
    def body(env):
        open(os.path.join(env.rec, "fail"), "w").close()
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, ["x@pipe.test"])
        q.wait_count(env, qid, "status=deferred (temporary failure", 1)
        t.wait_for(lambda: env.queue_file("deferred", qid), "file in deferred/")
        r = t.run("postsuper", "-c", t.config_dir, "-e", qid, check=0)
        t.expect_eq(r.stderr, f"postsuper: {qid}: expired\npostsuper: Force-expired: 1 message\n",
                    "postsuper -e output")
        path = env.queue_file("deferred", qid)
        t.expect_eq(bool(os.stat(path).st_mode & 0o010), True, "the expire bit (g+x) is set")
        t.run("postqueue", "-c", t.config_dir, "-f", check=0)
        expect_force_expired_notice(env, qid, sender, "x@pipe.test")
        t.expect_eq(env.records(), [], "never delivered")
    q.scenario(t, body, **PIPE_DEST)


def test_postsuper_f_releases_and_expires_a_held_message(t):
    def body(env):
        t.write("etc/header_checks", "/^Subject: test 1$/ HOLD held by test\n")
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, ["held@pipe.test"])
        # cleanup moves the file to hold/ before it marks it complete (owner execute
        # bit), and postsuper acts on complete files only.
        t.wait_for(lambda: complete_file(env, "hold", qid), "complete file in hold/")
        r = t.run("postsuper", "-c", t.config_dir, "-f", qid, check=0)
        t.expect_in("postsuper: Force-expired: 1 message", r.stderr, "postsuper -f output")
        t.expect_in("postsuper: Released from hold: 1 message", r.stderr, "postsuper -f output")
        expect_force_expired_notice(env, qid, sender, "held@pipe.test")
        t.expect_eq(env.records(), [], "never delivered")
    q.scenario(t, body, **PIPE_DEST, header_checks="regexp:" + t.path("etc", "header_checks"))


# -- the delivery status watchdog --------------------------------------------------------

def attrs(pairs):
    return b"".join(str(k).encode() + b"\0" + str(v).encode() + b"\0" for k, v in pairs) + b"\0"


def fake_agent(t, name, answer):
    """A delivery agent at private/<name> that announces itself, reads one request and
    then does what answer(n) says for the n-th connection: True replies "delivered",
    False never answers (the connection stays open). Returns the list of connections."""
    path = os.path.join(t.queue_dir, "private", name)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    os.chmod(path, 0o666)
    listener.listen(5)
    conns = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conns.append(conn)
            conn.sendall(attrs([("protocol", "delivery_request_protocol")]))
            buf = b""
            conn.settimeout(10)
            try:
                while b"notify_flags\0" not in buf:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    buf += chunk
            except OSError:
                continue
            if answer(len(conns)):
                conn.sendall(attrs([("status", ""), ("diag_type", ""), ("diag_text", ""),
                                    ("mta_type", ""), ("mta_mname", ""), ("action", ""),
                                    ("reason", ""), ("status", "0")]))
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, conns


def test_agent_that_never_answers_trips_qmgr_watchdog(t):
    """A delivery agent that takes a request and never answers does not hold up other
    mail; after daemon_timeout qmgr gives up as Postfix's does (fatal "timeout receiving
    delivery status from transport"), the master starts a new qmgr and the message is
    tried again."""
    def body(env):
        text = q.sample_master_cf(t, env.extra_cf)
        text = re.sub(r"^(qmgr\s.*qmgr)$", r"\1 -o daemon_timeout=3", text, count=1, flags=re.M)
        t.start(text)
        listener, conns = fake_agent(t, "hang", lambda n: n > 1)
        try:
            sender = env.addr("alice")
            stuck = env.send(sender, ["x@hang.test"])
            t.wait_for(lambda: len(conns) == 1, "the first delivery request")
            other = env.send(sender, [env.u["bob"]])
            env.wait_removed(other, timeout=10)
            t.expect_not_in("timeout receiving", t.log_text(), "other mail goes on meanwhile")
            t.wait_log(f"fatal: {stuck}: timeout receiving delivery status from transport: hang",
                       timeout=15)
            # As with Postfix, the master starts the next qmgr when something triggers it
            # (new mail, the wakeup timer, or here "postqueue -f").
            def retried():
                if f"{stuck}: removed" in t.log_text():
                    return True
                t.run("postqueue", "-c", t.config_dir, "-f")
                return False
            t.wait_for(retried, "the message delivered by a new qmgr", timeout=20)
            t.expect_eq(len(conns), 2, "tried again by the new qmgr")
            q.expect_line(env, stuck, r"postfix/qmgr\[\d+\]: " + stuck +
                          r": from=<.*>, size=\d+, nrcpt=1 \(queue active\)", "two passes",
                          first=True)
            t.expect_eq(sum("(queue active)" in line for line in env.lines(stuck)), 2,
                        "two queue active lines")
        finally:
            listener.close()
    q.scenario(t, body, transport_maps="inline:{hang.test=hang:}", service_throttle_time="1s")


# -- destination rate delay -----------------------------------------------------------------

def test_destination_rate_delay_spaces_deliveries(t):
    """rec_destination_rate_delay 1s: one delivery at a time to a destination, each
    starting at least the delay after the previous one ended; another destination of
    the same transport is not held up."""
    def body(env):
        env.start()
        sender = env.addr("alice")
        qids = [env.send(sender, [f"r{i}@pipe.test"]) for i in range(3)]
        other = env.send(sender, ["o@other.test"])
        for qid in qids + [other]:
            env.wait_removed(qid, timeout=30)
        recs = env.records()
        runs = sorted((float(s), float(e), r) for _, r, s, e, _ in recs if r.endswith("@pipe.test"))
        t.expect_eq([r for _, _, r in runs].__len__(), 3, "three deliveries to pipe.test")
        for (s1, e1, _), (s2, e2, _) in zip(runs, runs[1:]):
            if s2 - e1 < 0.9:
                raise Failure(f"deliveries {e1:.2f}..{s2:.2f}: {s2 - e1:.2f}s apart, want >= 1s")
        o_start = [float(s) for _, r, s, _, _ in recs if r == "o@other.test"][0]
        t.expect_eq(o_start < runs[-1][0], True, "other.test not queued behind pipe.test")
    q.scenario(t, body, transport_maps="inline:{pipe.test=rec:, other.test=rec:}",
               rec_destination_rate_delay="1s")


def test_default_destination_rate_delay_applies_to_every_transport(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        qids = [env.send(sender, [f"r{i}@pipe.test"]) for i in range(2)]
        for qid in qids:
            env.wait_removed(qid, timeout=30)
        runs = sorted((float(s), float(e)) for _, _, s, e, _ in env.records())
        t.expect_eq(len(runs), 2, "two deliveries")
        if runs[1][0] - runs[0][1] < 0.9:
            raise Failure(f"deliveries only {runs[1][0] - runs[0][1]:.2f}s apart")
    q.scenario(t, body, **PIPE_DEST, default_destination_rate_delay="1s")


# -- sendmail -bv and -v reports ------------------------------------------------------------

def report_text(msg_parts):
    return msg_parts[0].get_payload(decode=True).decode()


def test_sendmail_bv_mails_a_verification_report(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        bob, bob_addr = env.u["bob"], env.addr("bob")
        r = t.run("sendmail", "-bv", "-f", sender, bob_addr, f"nosuchuser@{q.HOST}", input="",
                  check=0)
        t.expect_eq(r.stdout, f"Mail Delivery Status Report will be mailed to <{sender}>.\n",
                    "sendmail -bv output")
        report = t.wait_for(lambda: q.notices(env, "alice", "Mail Delivery Status Report"),
                            "the report in alice's mailbox")
        msg, parts = q.parse_report(report[0])
        # The template's "MAILER-DAEMON" is qualified by cleanup, as with Postfix.
        t.expect_eq((msg["From"], msg["To"]),
                    (f"Mail Delivery System <MAILER-DAEMON@{q.HOST}>", sender), "report headers")
        text = report_text(parts)
        t.expect_in(f"This is the mail system at host {q.HOST}.\n\n"
                    "Enclosed is the mail delivery report that you requested.\n\n"
                    "                   The mail system\n\n", text, "report text")
        t.expect_in(f"<{bob_addr}>: delivery via local: delivers to mailbox\n", text, "bob")
        t.expect_in(f"<nosuchuser@{q.HOST}>: delivery via local: unknown user: \"nosuchuser\"\n",
                    text, "unknown user")
        per_msg, per_rcpt = q.dsn_fields(parts[1])
        got = sorted((f.get("Final-Recipient"), f.get("Action"), f.get("Status"))
                     for f in per_rcpt)
        t.expect_eq(got, sorted([(f"rfc822; {bob_addr}", "deliverable", "2.0.0"),
                                 (f"rfc822; nosuchuser@{q.HOST}", "undeliverable", "5.1.1")]),
                    "per-recipient fields")
        t.expect_eq(env.mbox_messages("bob"), [], "nothing delivered to bob")
        t.expect_eq(len(env.mbox_messages("alice")), 1, "only the report")
    q.scenario(t, body)


def test_sendmail_v_mails_a_delivery_report(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        bob_addr = env.addr("bob")
        r = t.run("sendmail", "-v", "-f", sender, env.u["bob"], input="Subject: hi\n\nhello\n",
                  check=0)
        # An unqualified recipient: the report names what it expanded from.
        t.expect_eq(r.stdout, f"Mail Delivery Status Report will be mailed to <{sender}>.\n",
                    "sendmail -v output")
        report = t.wait_for(lambda: q.notices(env, "alice", "Mail Delivery Status Report"),
                            "the report in alice's mailbox")
        msg, parts = q.parse_report(report[0])
        text = report_text(parts)
        t.expect_in("Enclosed is the mail delivery report that you requested.\n", text, "text")
        t.expect_in(f"<{bob_addr}> (expanded from <{env.u['bob']}>): delivery via\n"
                    "    local: delivered to mailbox\n", text, "bob")
        per_msg, per_rcpt = q.dsn_fields(parts[1])
        t.expect_eq([(f.get("Final-Recipient"), f.get("Action"), f.get("Status"))
                     for f in per_rcpt], [(f"rfc822; {bob_addr}", "delivered", "2.0.0")],
                    "per-recipient fields")
        t.expect_eq(len(env.mbox_messages("bob")), 1, "delivered to bob")
    q.scenario(t, body)


# -- notify_classes copies, double bounces, soft_bounce -----------------------------------

def headers_of(message_text):
    return message_text.split("\n\n", 1)[0]


def test_notify_bounce_sends_a_postmaster_copy(t):
    def body(env):
        t.conf(bounce_notice_recipient=env.u["bob"])
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, [f"nosuchuser@{q.HOST}"], body="secret body\n")
        env.wait_removed(qid)
        t.wait_for(lambda: q.notices(env, "alice", "Undelivered Mail Returned to Sender"),
                   "the notice to the sender")
        copy = t.wait_for(lambda: q.notices(env, "bob", "Postmaster Copy: Undelivered Mail"),
                          "the postmaster copy in bob's mailbox")
        msg, parts = q.parse_report(copy[0])
        t.expect_eq(msg["To"], env.addr("bob"), "To: the bounce_notice_recipient")
        t.expect_in("Return-Path: <double-bounce@", headers_of(copy[0]),
                    "sent from the double-bounce address")
        t.expect_not_in("I'm sorry to have to inform you", parts[0].get_payload(),
                        "no boilerplate in the postmaster copy")
        t.expect_in(f"<nosuchuser@{q.HOST}>: unknown user: \"nosuchuser\"",
                    parts[0].get_payload(), "the reason")
        t.expect_eq(parts[2].get_content_type(), "text/rfc822-headers", "headers only")
        t.expect_not_in("secret body", parts[2].as_string(), "no body")
        lines = [line for line in env.lines(qid) if "notification" in line]
        t.expect_eq([re.sub(r"^postfix/bounce\[\d+\]: \w+: (.*): \w+$", r"\1", line)
                     for line in lines],
                    ["sender non-delivery notification", "postmaster non-delivery notification"],
                    "bounce's log lines")
    q.scenario(t, body, notify_classes="bounce")


def test_double_bounce_goes_to_2bounce_notice_recipient(t):
    """A bounce that cannot be delivered (its recipient, the original sender, is
    unknown) becomes a double bounce to 2bounce_notice_recipient."""
    def body(env):
        t.conf(**{"2bounce_notice_recipient": env.u["bob"]})
        env.start()
        qid = env.send(f"ghost@{q.HOST}", [f"nosuchuser@{q.HOST}"])
        env.wait_removed(qid)
        notice = t.wait_for(lambda: q.notices(env, "bob", "Postmaster Copy: Undelivered Mail"),
                            "the double bounce in bob's mailbox")
        msg, parts = q.parse_report(notice[0])
        t.expect_in(f"<ghost@{q.HOST}>: unknown user: \"ghost\"", parts[0].get_payload(),
                    "the undeliverable bounce's recipient")
        # The whole bounce comes back (RET=FULL for double bounces).
        t.expect_eq(parts[2].get_content_type(), "message/rfc822", "the failed bounce attached")
        t.wait_log("postmaster non-delivery notification")
        t.expect_eq(env.mbox_messages("alice"), [], "nothing for anyone else")
    q.scenario(t, body, notify_classes="2bounce")


def test_double_bounce_dropped_without_notify_classes(t):
    def body(env):
        env.start()
        qid = env.send(f"ghost@{q.HOST}", [f"nosuchuser@{q.HOST}"])
        env.wait_removed(qid)
        bounce_id = t.wait_for(lambda: re.search(
            qid + r": sender non-delivery notification: (\w+)", t.log_text()), "the bounce")[1]
        env.wait_removed(bounce_id)
        q.expect_line(env, bounce_id, r"postfix/local\[\d+\]: " + bounce_id + r": to=<ghost@" +
                      re.escape(q.HOST) + r">, relay=local, " + DELAYS +
                      r", dsn=5\.1\.1, status=bounced \(unknown user: \"ghost\"\)", "bounced bounce")
        t.expect_eq([line for line in env.lines(bounce_id) if "notification" in line], [],
                    "no double bounce with the default notify_classes")
    q.scenario(t, body)


def test_notify_delay_sends_a_postmaster_warning(t):
    def body(env):
        open(os.path.join(env.rec, "fail"), "w").close()
        t.conf(delay_notice_recipient=env.u["bob"])
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, ["x@pipe.test"])
        t.wait_for(lambda: q.notices(env, "alice", "Delayed Mail (still being retried)"),
                   "the delay warning to the sender")
        copy = t.wait_for(lambda: q.notices(env, "bob", "Postmaster Warning: Delayed Mail"),
                          "the postmaster warning in bob's mailbox")
        msg, parts = q.parse_report(copy[0])
        per_msg, per_rcpt = q.dsn_fields(parts[1])
        t.expect_eq((per_rcpt[0].get("Action"), per_rcpt[0].get("Status")), ("delayed", "4.3.0"),
                    "delayed fields")
        t.expect_eq(parts[2].get_content_type(), "text/rfc822-headers", "headers only")
        t.expect_in(f"{qid}: postmaster delay notification: ", t.log_text(), "log line")
        os.unlink(os.path.join(env.rec, "fail"))
        env.wait_removed(qid)
    q.scenario(t, body, **PIPE_DEST, delay_warning_time="1s", notify_classes="delay")


def test_soft_bounce_defers_instead_of_bouncing(t):
    def body(env):
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, [f"nosuchuser@{q.HOST}"])
        q.wait_count(env, qid, "status=deferred", 1)
        q.expect_line(env, qid, r"postfix/local\[\d+\]: " + qid + r": to=<nosuchuser@" +
                      re.escape(q.HOST) + r">, relay=local, " + DELAYS +
                      r", dsn=4\.1\.1, status=deferred \(unknown user: \"nosuchuser\"\)",
                      "soft-bounced recipient", first=True)
        t.wait_for(lambda: env.queue_file("deferred", qid), "file in deferred/")
        t.expect_eq([line for line in env.lines(qid) if "notification" in line], [],
                    "no notice")
        t.expect_eq(env.mbox_messages("alice"), [], "nothing returned")
    q.scenario(t, body, soft_bounce="yes")


# -- recipient refill and fairness ------------------------------------------------------------

# slow_recipient_limit 0: the transport lends no recipient slots, so a message of
# it holds qmgr_message_recipient_minimum (3) recipients in memory.
REFILL_CONF = dict(transport_maps="inline:{slow.test=slow:}", qmgr_message_recipient_limit=3,
                   qmgr_message_active_limit=3, qmgr_message_recipient_minimum=3,
                   slow_destination_recipient_limit=1, slow_recipient_refill_limit=1,
                   slow_recipient_limit=0, slow_extra_recipient_limit=0)


def test_recipient_refill_keeps_a_big_list_going(t):
    """qmgr keeps 3 recipients in memory; with slow_recipient_refill_limit 1 it reads
    the next one as soon as one is done, so two deliveries (the process limit) run all
    the time instead of stalling at the end of each batch of 3."""
    def body(env):
        env.start()
        rcpts = [f"m{i:02d}@slow.test" for i in range(8)]
        qid = env.send(env.addr("alice"), rcpts)
        env.wait_removed(qid, timeout=60)
        runs = sorted((float(s), float(e), r) for _, r, s, e, _ in env.records())
        t.expect_eq(sorted(r for _, _, r in runs), rcpts, "every recipient once")
        alone = [r for s, e, r in runs
                 if not any(s2 < e and s < e2 for s2, e2, r2 in runs if r2 != r)]
        t.expect_eq(alone, [], "deliveries that ran without a second one beside them")
    q.scenario(t, body, pipes={"slow": (2, 0.5)}, **REFILL_CONF)


def test_single_message_is_not_starved_by_a_big_list(t):
    """A message with many recipients for a slow pipe and, after it, a single-recipient
    message for the same transport: the single one gets a recipient slot and is
    delivered early, not after the whole list."""
    def body(env):
        env.start()
        rcpts = [f"m{i:02d}@slow.test" for i in range(20)]
        big = env.send(env.addr("alice"), rcpts)
        t.wait_for(lambda: len(env.running()) > 0, "the list's first delivery")
        single = env.send(env.addr("alice"), ["single@slow.test"])
        env.wait_removed(single, timeout=60)
        env.wait_removed(big, timeout=60)
        starts = sorted((float(s), r) for _, r, s, _, _ in env.records())
        order = [r for _, r in starts]
        t.expect_eq(len(order), 21, "every recipient once")
        if order.index("single@slow.test") > 8:
            raise Failure(f"single message delivered as number {order.index('single@slow.test')}"
                          f" of 21: {order}")
    q.scenario(t, body, pipes={"slow": (2, 0.3)}, **REFILL_CONF)


def test_transport_recipient_limit_bounds_in_memory_recipients(t):
    """Two lists of 20 recipients at one destination each, for two pipes that take
    one delivery at a time and every in-memory recipient of a message in that
    delivery. slow_recipient_limit 3 lends the slow list 3 recipient slots on top of
    qmgr_message_recipient_minimum 2, so no slow delivery carries more than 5
    recipients (and, once a refill filled it up, exactly 5); the other transport
    keeps its default pool of 20000 and reads the rest of its list in one go."""
    def body(env):
        env.start()
        slow = env.send(env.addr("alice"), [f"s{i:02d}@slow.test" for i in range(20)])
        fast = env.send(env.addr("alice"), [f"f{i:02d}@fast.test" for i in range(20)])
        env.wait_removed(slow, timeout=60)
        env.wait_removed(fast, timeout=60)
        runs = {}
        for qid, rcpt, _, _, pid in env.records():
            runs.setdefault((qid, pid), []).append(rcpt)
        sizes = {qid: sorted(len(v) for (q2, _), v in runs.items() if q2 == qid)
                 for qid in (slow, fast)}
        t.expect_eq([sum(sizes[slow]), sum(sizes[fast])], [20, 20], "every recipient once")
        t.expect_eq(max(sizes[slow]), 5, f"largest slow delivery (all: {sizes[slow]})")
        if max(sizes[fast]) < 16:
            raise Failure(f"the other transport was held back too: deliveries {sizes[fast]}")
    q.scenario(t, body, pipes={"slowr": (1, 0.4), "fastr": (1, 0.4)},
               transport_maps="inline:{slow.test=slowr:, fast.test=fastr:}",
               qmgr_message_recipient_limit=4, qmgr_message_active_limit=4,
               qmgr_message_recipient_minimum=2, default_recipient_refill_limit=1,
               slowr_recipient_limit=3, slowr_extra_recipient_limit=1,
               slowr_destination_recipient_limit=100, fastr_destination_recipient_limit=100)


# -- DSN requests: ORCPT over SMTP, NOTIFY=DELAY ---------------------------------------------

def smtp_session(t, commands, data):
    import smtplib
    with smtplib.SMTP("127.0.0.1", t.smtp_port, timeout=30) as s:
        s.ehlo("client.test")
        for verb, args, want in commands:
            code, msg = s.docmd(verb, args)
            if code != want:
                raise Failure(f"{verb} {args}: got {code} {msg!r}, want {want}")
        s.send(data)
        code, msg = s.getreply()
        if code != 250:
            raise Failure(f"end of data: got {code} {msg!r}")


def test_dsn_orcpt_and_envid_from_smtp_in_the_bounce(t):
    def body(env):
        t.conf(smtpd_relay_restrictions="permit_mynetworks, reject_unauth_destination",
               mynetworks="127.0.0.0/8", local_recipient_maps="")
        env.start()
        sender = env.addr("alice")
        smtp_session(t, [
            ("MAIL", f"FROM:<{sender}> RET=HDRS ENVID=smtp-env-1", 250),
            ("RCPT", f"TO:<nosuchuser@{q.HOST}> NOTIFY=FAILURE ORCPT=rfc822;orig.x@example.org",
             250),
            ("DATA", "", 354),
        ], data=b"Subject: dsn\r\n\r\nbody\r\n.\r\n")
        notice = t.wait_for(lambda: q.notices(env, "alice", "Undelivered Mail Returned to Sender"),
                            "the bounce in alice's mailbox")
        msg, parts = q.parse_report(notice[0])
        per_msg, per_rcpt = q.dsn_fields(parts[1])
        t.expect_eq(per_msg.get("Original-Envelope-Id"), "smtp-env-1", "ENVID")
        t.expect_eq((per_rcpt[0].get("Final-Recipient"), per_rcpt[0].get("Original-Recipient"),
                     per_rcpt[0].get("Action"), per_rcpt[0].get("Status")),
                    (f"rfc822; nosuchuser@{q.HOST}", "rfc822;orig.x@example.org", "failed",
                     "5.1.1"), "per-recipient fields")
        t.expect_eq(parts[2].get_content_type(), "text/rfc822-headers", "RET=HDRS")
    q.scenario(t, body)


def test_notify_delay_decides_about_delay_warnings(t):
    def body(env):
        open(os.path.join(env.rec, "fail"), "w").close()
        env.start()
        sender = env.addr("alice")
        quiet = env.send(sender, ["quiet@pipe.test"], opts=["-N", "failure"])
        warned = env.send(sender, ["warned@pipe.test"], opts=["-N", "delay,failure"])
        t.wait_log(f"{warned}: sender delay notification: ")
        q.wait_count(env, quiet, "status=deferred", 2)
        notices = q.notices(env, "alice", "Delayed Mail (still being retried)")
        t.expect_eq(len(notices), 1, "one delay warning")
        t.expect_in("warned@pipe.test", notices[0], "for the NOTIFY=DELAY recipient")
        t.expect_eq([line for line in env.lines(quiet) if "notification" in line], [],
                    "none for NOTIFY=FAILURE")
    q.scenario(t, body, **PIPE_DEST, delay_warning_time="1s")


def test_bounce_template_file_overrides_the_failure_notice(t):
    def body(env):
        t.write("etc/bounce.cf", "failure_template = <<EOF\n"
                                 "Charset: us-ascii\n"
                                 "From: Postmaster <postmaster>\n"
                                 "Subject: Returned: your mail\n"
                                 "Postmaster-Subject: Returned copy\n"
                                 "\n"
                                 "The system $myhostname could not deliver your mail.\n"
                                 "EOF\n")
        t.conf(bounce_template_file=t.path("etc", "bounce.cf"))
        env.start()
        sender = env.addr("alice")
        qid = env.send(sender, [f"nosuchuser@{q.HOST}"])
        env.wait_removed(qid)
        notice = t.wait_for(lambda: q.notices(env, "alice", "Returned: your mail"),
                            "the notice with the template's subject")
        msg, parts = q.parse_report(notice[0])
        t.expect_eq(msg["From"], f"Postmaster <postmaster@{q.HOST}>", "template From")
        text = parts[0].get_payload()
        t.expect_in(f"The system {q.HOST} could not deliver your mail.\n", text, "template text")
        t.expect_not_in("I'm sorry to have to inform you", text, "no default text")
        t.expect_in(f"<nosuchuser@{q.HOST}>: unknown user: \"nosuchuser\"", text, "the reason")
    q.scenario(t, body)


def test_clogged_destination_warning(t):
    """A destination that holds more than a fifth of qmgr_message_active_limit entries
    when a delivery starts: qmgr's helpful warnings, once per qmgr_clog_warn_time."""
    def body(env):
        env.start()
        sender = env.addr("alice")
        qids = [env.send(sender, [f"c{i}@pipe.test"]) for i in range(6)]
        for qid in qids:
            env.wait_removed(qid, timeout=30)
        warnings = [re.sub(r"^.*postfix/qmgr\[\d+\]: warning: ", "", line)
                    for line in t.log_text().splitlines() if "postfix/qmgr[" in line and
                    ": warning: " in line and "adjusting" not in line]
        if not warnings or not re.fullmatch(r"mail for pipe\.test is using up \d+ of \d+ active "
                                            r"queue entries", warnings[0]):
            raise Failure(f"no clog warning: {warnings}")
        t.expect_eq(warnings[1:], [
            "you may need to increase the main.cf rec_destination_concurrency_limit from 1",
            "please avoid flushing the whole queue when you have",
            "lots of deferred mail, that is bad for performance",
            "to turn off these warnings specify: qmgr_clog_warn_time = 0"], "the advice, once")
    q.scenario(t, body, pipes={"rec": (10, 1)}, **PIPE_DEST, qmgr_message_active_limit=10,
               rec_destination_concurrency_limit=1)
