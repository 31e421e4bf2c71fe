"""More of the queue manager end to end: administrative expiry (postsuper -e
and -f), destination rate delays, per-transport recipient refill, the
delivery status watchdog, and the notices that qmgr asks the bounce service
for (sendmail -bv and -v reports, notify_classes copies, soft_bounce).

Uses the instance, users and recorder pipe of 090_qmgr.py (loaded from
there), with its short retry times. Needs root: runs the master and creates
throwaway local users.
"""

import importlib.util
import os
import re
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
        t.wait_for(lambda: env.queue_file("hold", qid), "file in hold/")
        r = t.run("postsuper", "-c", t.config_dir, "-f", qid, check=0)
        t.expect_in("postsuper: Force-expired: 1 message", r.stderr, "postsuper -f output")
        t.expect_in("postsuper: Released from hold: 1 message", r.stderr, "postsuper -f output")
        expect_force_expired_notice(env, qid, sender, "held@pipe.test")
        t.expect_eq(env.records(), [], "never delivered")
    q.scenario(t, body, **PIPE_DEST, header_checks="regexp:" + t.path("etc", "header_checks"))
