"""cleanup's rewriting, inspection and limit parameters, one scenario each, with the
stand-alone daemon and the stand-in rewrite service of 060_cleanup.py (unqualified
addresses get "@example.test"). Queue files are read back with postcat.
"""

import importlib.util
import os
import re

_spec = importlib.util.spec_from_file_location(
    "cleanup_e2e", os.path.join(os.path.dirname(os.path.abspath(__file__)), "060_cleanup.py"))
cu = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cu)
submit, postcat = cu.submit, cu.postcat


def envelope(t, qid):
    """The sender, original recipient and recipient records, in order."""
    out = postcat(t, "-eq", qid)
    return [line for line in out.splitlines()
            if re.match(r"(sender|original_recipient|recipient|named_attribute: dsn_\w+): ", line)]


def headers(t, qid):
    return postcat(t, "-hq", qid).splitlines()[2:]   # without our Received: header


def table(t, name, text):
    return "texthash:" + t.write("etc/" + name, text)


def test_undisclosed_recipients_header(t):
    qid, status, _ = submit(t, ["Subject: no to"])
    t.expect_eq([h for h in headers(t, qid) if h.startswith("To:")], [],
                "empty by default (Postfix 2.8 and later)")
    t.conf(undisclosed_recipients_header="To: undisclosed-recipients:;")
    qid, status, _ = submit(t, ["Subject: no to"])
    t.expect_eq(headers(t, qid)[-1], "To: undisclosed-recipients:;", "added last")
    qid, status, _ = submit(t, ["Subject: cc only", "Cc: c@example.test"])
    t.expect_eq([h for h in headers(t, qid) if h.startswith("To:")], [], "a Cc: is enough")
    t.conf(undisclosed_recipients_header="undisclosed")
    qid, status, _ = submit(t, ["Subject: no to"])
    t.expect_eq(status, 0, "a bad setting is only a warning")
    t.wait_log('warning: bad undisclosed_recipients_header header text "undisclosed" '
               '-- need "headername: headervalue"')


def submit_named(t, name, fmt=None):
    if fmt:
        t.conf(header_from_format=fmt)
    a, proc, qid = cu.start(t)
    a.sendall(b"flags\0" + b"50\0\0")
    recs = [("T", "1700000000 5"), ("F", name), ("S", "joe@example.test"),
            ("R", "bob@example.test"), ("M", ""), ("N", "Subject: x"), ("N", ""), ("N", "b"),
            ("X", ""), ("E", "")]
    a.sendall(b"".join(cu.record(r, d) for r, d in recs))
    cu.read_attrs(a)
    proc.wait(timeout=30)
    a.close()
    return [h for h in postcat(t, "-hq", qid).splitlines() if h.startswith("From:")]


def test_from_header_with_full_name(t):
    t.expect_eq(submit_named(t, "Joe User"), ["From: Joe User <joe@example.test>"], "plain")
    t.expect_eq(submit_named(t, "Joe Q. User"), ['From: "Joe Q. User" <joe@example.test>'],
                "quoted when needed")
    t.expect_eq(submit_named(t, "Joe User", "obsolete"), ["From: joe@example.test (Joe User)"],
                "obsolete format")


def test_resent_headers_get_their_own_missing_headers(t):
    qid, status, _ = submit(t, ["Resent-To: carol@example.test", "From: a@example.test",
                                "Message-Id: <m@x>", "Date: Tue, 14 Nov 2023 22:13:20 +0000",
                                "To: b@example.test", "Subject: r"])
    h = headers(t, qid)
    t.expect_eq([x.split(":")[0] for x in h],
                ["Resent-To", "From", "Message-Id", "Date", "To", "Subject", "Resent-Message-Id",
                 "Resent-Date", "Resent-From"], "added Resent- headers")
    t.expect_in("Resent-From: joe@example.test", h)
    t.wait_log("%s: resent-message-id=<" % qid)


def test_header_size_limit_truncates_a_long_header(t):
    t.conf(header_size_limit="100")
    qid, status, _ = submit(t, ["Subject: " + "x" * 300, "X-After: 1"])
    t.expect_eq(status, 0, "accepted")
    h = headers(t, qid)
    t.expect_in("Subject: " + "x" * 91, h, "truncated to header_size_limit")
    t.expect_in("X-After: 1", h, "the next header survives")


def test_duplicate_filter_limit_and_enable_original_recipient(t):
    qid, status, _ = submit(t, [], rcpts=("a@example.test", "b@example.test", "b@example.test"))
    t.expect_eq([x for x in envelope(t, qid) if x.startswith("recipient")],
                ["recipient: a@example.test", "recipient: b@example.test"], "duplicate removed")
    t.conf(duplicate_filter_limit="1")
    qid, status, _ = submit(t, [], rcpts=("a@example.test", "b@example.test", "b@example.test"))
    t.expect_eq([x for x in envelope(t, qid) if x.startswith("recipient")],
                ["recipient: a@example.test", "recipient: b@example.test",
                 "recipient: b@example.test"], "past the limit duplicates pass")
    t.conf(duplicate_filter_limit="1000",
           virtual_alias_maps=table(t, "virtual", "a@example.test x@example.test\n"
                                                  "b@example.test x@example.test\n"))
    qid, status, _ = submit(t, [], rcpts=("a@example.test", "b@example.test"))
    t.expect_eq(envelope(t, qid)[1:],
                ["original_recipient: a@example.test", "recipient: x@example.test",
                 "original_recipient: b@example.test", "recipient: x@example.test"],
                "different original recipients are kept apart")
    t.conf(enable_original_recipient="no")
    qid, status, _ = submit(t, [], rcpts=("a@example.test", "b@example.test"))
    t.expect_eq(envelope(t, qid)[1:],
                ["original_recipient: a@example.test", "recipient: x@example.test"],
                "without enable_original_recipient only the final address counts")


def test_sender_and_recipient_canonical_maps_and_classes(t):
    t.conf(sender_canonical_maps=table(t, "scanon", "joe@example.test joseph@example.test\n"
                                                    "bob@example.test sender-bob@example.test\n"),
           recipient_canonical_maps=table(t, "rcanon", "bob@example.test robert@example.test\n"
                                                       "joe@example.test rcpt-joe@example.test\n"))
    qid, status, _ = submit(t, ["From: joe@example.test", "To: bob@example.test",
                                "Cc: joe@example.test", "Reply-To: bob@example.test"])
    t.expect_eq(envelope(t, qid), ["sender: joseph@example.test",
                                   "original_recipient: bob@example.test",
                                   "recipient: robert@example.test"], "envelope")
    h = headers(t, qid)
    for want in ("From: joseph@example.test", "To: robert@example.test",
                 "Cc: rcpt-joe@example.test", "Reply-To: robert@example.test"):
        t.expect_in(want, h, "headers")
    # sender_canonical_classes and recipient_canonical_classes govern these two tables ...
    t.conf(sender_canonical_classes="header_sender", recipient_canonical_classes="header_recipient")
    qid, status, _ = submit(t, ["From: joe@example.test", "To: bob@example.test"])
    t.expect_eq(envelope(t, qid), ["sender: joe@example.test",
                                   "original_recipient: bob@example.test",
                                   "recipient: bob@example.test"], "envelope not mapped")
    t.expect_in("From: joseph@example.test", headers(t, qid), "header still mapped")
    t.expect_in("To: robert@example.test", headers(t, qid), "header still mapped")
    # ... and canonical_classes the common canonical_maps.
    t.conf(sender_canonical_maps="", recipient_canonical_maps="",
           canonical_maps=table(t, "canon", "joe@example.test joseph@example.test\n"
                                            "bob@example.test robert@example.test\n"),
           canonical_classes="envelope_sender, envelope_recipient")
    qid, status, _ = submit(t, ["From: joe@example.test", "To: bob@example.test"])
    t.expect_eq(envelope(t, qid), ["sender: joseph@example.test",
                                   "original_recipient: bob@example.test",
                                   "recipient: robert@example.test"], "envelope mapped")
    t.expect_in("From: joe@example.test", headers(t, qid), "headers left alone")
    t.expect_in("To: bob@example.test", headers(t, qid), "headers left alone")


def test_propagate_unmatched_extensions(t):
    t.conf(recipient_delimiter="+",
           canonical_maps=table(t, "canon", "bob@example.test robert@example.org\n"),
           virtual_alias_maps=table(t, "virtual", "list@example.test a@example.org, "
                                                  "b@example.org\n"))
    qid, status, _ = submit(t, ["To: bob+tag@example.test"],
                            rcpts=("bob+tag@example.test", "list+x@example.test"))
    t.expect_eq([x for x in envelope(t, qid) if x.startswith("recipient")],
                ["recipient: robert+tag@example.org", "recipient: a+x@example.org",
                 "recipient: b+x@example.org"], "extensions propagated")
    t.expect_in("To: robert+tag@example.org", headers(t, qid))
    t.conf(propagate_unmatched_extensions="")
    qid, status, _ = submit(t, [], rcpts=("bob+tag@example.test", "list+x@example.test"))
    t.expect_eq([x for x in envelope(t, qid) if x.startswith("recipient")],
                ["recipient: robert@example.org", "recipient: a@example.org",
                 "recipient: b@example.org"], "extensions dropped")


def test_masquerade_classes_and_exceptions(t):
    t.conf(masquerade_domains="!dev.example.test, example.test", masquerade_exceptions="root")
    qid, status, _ = submit(t, ["From: joe@host.example.test", "To: bob@host.example.test",
                                "Cc: ann@a.dev.example.test, root@host.example.test"],
                            sender="joe@host.example.test", rcpts=("bob@host.example.test",))
    t.expect_eq(envelope(t, qid), ["sender: joe@example.test",
                                   "original_recipient: bob@host.example.test",
                                   "recipient: bob@host.example.test"],
                "the envelope recipient is not masqueraded by default")
    h = headers(t, qid)
    t.expect_in("From: joe@example.test", h)
    t.expect_in("To: bob@example.test", h)
    t.expect_in("Cc: ann@a.dev.example.test, root@host.example.test", h, "! and exceptions")
    t.conf(masquerade_classes="envelope_recipient")
    qid, status, _ = submit(t, ["From: joe@host.example.test"], sender="joe@host.example.test",
                            rcpts=("bob@host.example.test",))
    t.expect_eq(envelope(t, qid), ["sender: joe@host.example.test",
                                   "original_recipient: bob@host.example.test",
                                   "recipient: bob@example.test"], "classes")
    t.expect_in("From: joe@host.example.test", headers(t, qid))


def test_virtual_alias_limits(t):
    chain = "".join("v%d@example.test v%d@example.test\n" % (i, i + 1) for i in range(5))
    t.conf(virtual_alias_maps=table(t, "virtual", chain + "big@example.test " +
                                    ", ".join("m%d@example.test" % i for i in range(5)) + "\n"),
           virtual_alias_recursion_limit="3", virtual_alias_expansion_limit="3")
    qid, status, reason = submit(t, [], rcpts=("v0@example.test",))
    t.expect_eq(status, 0x100, "nesting: deferred")
    t.wait_log("warning: %s: unreasonable virtual_alias_maps map nesting for v0@example.test "
               "-- message not accepted, try again later" % qid)
    qid, status, reason = submit(t, [], rcpts=("big@example.test",))
    t.expect_eq(status, 0x100, "expansion: deferred")
    t.wait_log("warning: %s: unreasonable virtual_alias_maps map expansion size for "
               "big@example.test -- message not accepted, try again later" % qid)
    t.conf(virtual_alias_recursion_limit="1000", virtual_alias_expansion_limit="1000")
    qid, status, reason = submit(t, [], rcpts=("v0@example.test",))
    t.expect_eq([x for x in envelope(t, qid) if x.startswith("recipient")],
                ["recipient: v5@example.test"], "within the limits")


def test_automatic_bcc(t):
    t.conf(always_bcc="archive@example.test",
           sender_bcc_maps=table(t, "sbcc", "joe@example.test sent@example.test\n"),
           recipient_bcc_maps=table(t, "rbcc", "bob@example.test bobcopy@example.test\n"))
    qid, status, _ = submit(t, ["Subject: bcc"], extra=[("R", "xtra@example.test")])
    out = postcat(t, "-eq", qid)
    env, xtra = out.split("*** MESSAGE CONTENTS")[0], out.split("*** HEADER EXTRACTED")[1]
    t.expect_in("original_recipient: bob@example.test\nrecipient: bob@example.test\n"
                "named_attribute: notify_flags=1\noriginal_recipient: bobcopy@example.test\n"
                "recipient: bobcopy@example.test\nnamed_attribute: notify_flags=1\n"
                "original_recipient: sent@example.test\nrecipient: sent@example.test\n", env)
    t.expect_in("recipient: xtra@example.test\nnamed_attribute: notify_flags=1\n"
                "original_recipient: archive@example.test\nrecipient: archive@example.test\n",
                xtra)


def test_mime_and_nested_header_checks_and_body_checks_size_limit(t):
    t.conf(header_checks="regexp:" + t.write("etc/hc", "/^Subject: top/ WARN top\n"),
           mime_header_checks="regexp:" + t.write("etc/mhc", "/^Content-Type: .*name=.*\\.exe/"
                                                  " REJECT exe attachment\n"),
           nested_header_checks="regexp:" + t.write("etc/nhc", "/^Subject: inner/ WARN inner\n"),
           body_checks="regexp:" + t.write("etc/bc", "/^forbidden/ REJECT no body\n"),
           body_checks_size_limit="30")
    mime = ["MIME-Version: 1.0", "Subject: top", 'Content-Type: multipart/mixed; boundary="b"']
    body = "\n".join(["--b", "Content-Type: message/rfc822", "", "Subject: inner", "",
                      "inner body", "--b", "Content-Type: text/plain", "",
                      "x" * 40, "forbidden after the limit", "--b--"])
    qid, status, _ = submit(t, mime, body=body)
    t.expect_eq(status, 0, "accepted")
    t.wait_log("%s: warning: header Subject: top from local;" % qid)
    t.wait_log("%s: warning: header Subject: inner from local;" % qid)
    body2 = "\n".join(["--b", 'Content-Type: application/octet-stream; name="x.exe"', "",
                       "AAAA", "--b--"])
    qid, status, reason = submit(t, mime, body=body2)
    t.expect_eq((status, reason), (8, "5.7.1 exe attachment"), "MIME header REJECT")
    qid, status, reason = submit(t, ["Subject: s"], body="forbidden at the start")
    t.expect_eq((status, reason), (8, "5.7.1 no body"), "body REJECT within the limit")


def test_strict_mime_settings_and_nesting_limit(t):
    t.conf(strict_mime_encoding_domain="yes")
    qid, status, reason = submit(t, ["MIME-Version: 1.0", "Content-Type: multipart/mixed; "
                                     'boundary="b"', "Content-Transfer-Encoding: base64"],
                                 body="--b\n\nx\n--b--")
    t.expect_eq((status, reason), (8, "5.6.0 invalid message/* or multipart/* encoding domain"),
                "encoding domain")
    t.conf(strict_mime_encoding_domain="no", strict_8bitmime="yes")
    qid, status, reason = submit(t, ["Subject: Grüße"])
    t.expect_eq((status, reason), (8, "5.6.0 improper use of 8-bit data in message header"),
                "8-bit header")
    t.conf(strict_8bitmime="no", mime_nesting_limit="2", header_checks="regexp:" +
           t.write("etc/hc", "/^X-Never:/ WARN\n"))
    nest = ["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="a"']
    body = "\n".join(["--a", 'Content-Type: multipart/mixed; boundary="b"', "", "--b",
                      'Content-Type: multipart/mixed; boundary="c"', "", "--c", "", "x", "--c--",
                      "--b--", "--a--"])
    qid, status, reason = submit(t, nest, body=body)
    t.expect_eq((status, reason), (8, "5.6.0 MIME nesting exceeds safety limit"), "nesting")


def test_message_reject_and_strip_characters(t):
    t.conf(message_strip_characters="\\0\\r")
    qid, status, _ = submit(t, ["Subject: a\0b\rc"], body="x\0y")
    t.expect_in("Subject: abc", headers(t, qid))
    t.expect_eq(postcat(t, "-bq", qid), "\nxy\n", "stripped body")
    t.conf(message_strip_characters="", message_reject_characters="\\0")
    qid, status, reason = submit(t, ["Subject: ok"], body="x\0y")
    t.expect_eq((status, reason), (8, "5.7.1 disallowed character"), "rejected")
    t.wait_log("%s: reject: content x" % qid)


def test_long_lines_are_split_at_line_length_limit(t):
    t.conf(line_length_limit="512")
    qid, status, _ = submit(t, ["Subject: s"], body="y" * 1100)
    out = postcat(t, "-vq", qid)
    t.expect_in("\nunterminated_text: " + "y" * 512 + "\n" + "unterminated_text: " + "y" * 512 +
                "\nregular_text: " + "y" * 76 + "\n", out)
    t.expect_eq(postcat(t, "-bq", qid), "\n" + "y" * 1100 + "\n", "joined again by postcat")


def test_bad_input_is_accepted_or_refused_never_corrupt(t):
    """Malformed headers, 8-bit garbage, NUL bytes, endless headers, a MIME bomb and broken
    addresses: each message is queued as a well-formed file (postcat reads it to the end)."""
    t.conf(header_size_limit="1000")
    cases = [
        (["To: <<<@@@>>>, \"unterminated", "From: (((", "Subject: \x01\x02"], "x"),
        (["Subject: \xff\xfe garbage", "X-8bit: caf\xe9"], "body \xff\xfe"),
        (["Subject: a\0b", "X-Nul: \0"], "n\0ul"),
        (["X-Endless: start"] + ["\tcontinued %d" % i for i in range(500)], "after"),
        (["MIME-Version: 1.0", 'Content-Type: multipart/mixed; boundary="b0"'],
         "\n".join('--b%d\nContent-Type: multipart/mixed; boundary="b%d"\n' % (i, i + 1)
                   for i in range(100))),
        (["Not a header line", "Subject: after a non-header"], "x"),
        ([":no name", " leading space"], "x"),
    ]
    for hdrs, body in cases:
        qid, status, reason = submit(t, hdrs, body=body)
        t.expect_eq((status, reason), (0, ""), f"accepted: {hdrs[0]!r}")
        out = postcat(t, "-q", qid)
        t.expect_in("*** MESSAGE FILE END incoming/%s ***\n" % qid, out, "a complete file")
    # The endless header was cut at header_size_limit, and the body survived.
    qid, status, _ = submit(t, cases[3][0], body="after")
    h = postcat(t, "-hq", qid)
    t.expect_eq(len(h.split("X-Endless:", 1)[1].split("\nMessage-Id:")[0]) < 1000, True,
                "truncated header")
    t.expect_eq(postcat(t, "-bq", qid), "\nafter\n", "body")


def test_every_header_and_body_checks_action(t):
    t.conf(header_checks="regexp:" + t.write("etc/hc", "\n".join([
        "/^X-Warn:/ WARN warned", "/^X-Info:/ INFO noted", "/^X-Prepend:/ PREPEND X-Added: yes",
        "/^X-Replace:/ REPLACE X-Replaced: new", "/^X-Ignore:/ IGNORE", "/^X-Dunno:/ DUNNO",
        "/^X-Strip:/ STRIP stripped", "/^X-Bcc:/ BCC copy@example.test",
        "/^X-Filter:/ FILTER smtp:[filter.example]:10025",
        "/^X-Redirect:/ REDIRECT elsewhere@example.test", "/^X-Hold:/ HOLD held",
        "/^X-Bad:/ FROBNICATE", ""])),
           body_checks="regexp:" + t.write("etc/bc", "/^body prepend/ PREPEND before it\n"
                                                     "/^body replace/ REPLACE replaced body\n"
                                                     "/^body ignore/ IGNORE\n"))
    hdrs = ["X-Warn: 1", "X-Info: 1", "X-Prepend: 1", "X-Replace: old", "X-Ignore: 1",
            "X-Dunno: 1", "X-Strip: 1", "X-Bcc: 1", "X-Filter: 1", "X-Redirect: 1", "X-Bad: 1",
            "X-Hold: 1"]
    qid, status, _ = submit(t, hdrs, body="body prepend\nbody replace\nbody ignore\nlast")
    t.expect_eq(status, 0, "accepted")
    path = os.path.join(t.queue_dir, "hold", qid)
    t.expect_eq(os.path.exists(path), True, "HOLD put it in the hold queue")
    out = postcat(t, "-q", qid)
    h = out.split("*** MESSAGE CONTENTS")[1].split("\n\n")[0]
    for want in ("X-Warn: 1\nX-Info: 1\nX-Added: yes\nX-Prepend: 1\nX-Replaced: new\n"
                 "X-Dunno: 1\nX-Bcc: 1\nX-Filter: 1\nX-Redirect: 1\nX-Bad: 1\nX-Hold: 1\n",):
        t.expect_in(want, h + "\n", "headers after the actions")
    t.expect_in("\n\nbefore it\nbody prepend\nreplaced body\nlast\n*** HEADER EXTRACTED", out,
                "body after the actions")
    xtra = out.split("*** HEADER EXTRACTED")[1]
    t.expect_in("content_filter: smtp:[filter.example]:10025\nredirect_to: elsewhere@example.test\n",
                xtra, "FILTER and REDIRECT records")
    t.expect_in("recipient: copy@example.test\n", xtra, "BCC recipient")
    lines = [re.sub(r"^.*?\]: ", "", x) for x in t.log_text().splitlines() if qid + ":" in x]
    ctx = " from local; from=<joe@example.test> to=<bob@example.test>"
    for want in ("warning: header X-Warn: 1" + ctx + ": warned",
                 "info: header X-Info: 1" + ctx + ": noted",
                 "prepend: header X-Prepend: 1" + ctx + ": X-Added: yes",
                 "replace: header X-Replace: old" + ctx + ": X-Replaced: new",
                 "strip: header X-Strip: 1" + ctx + ": stripped",
                 "bcc: header X-Bcc: 1" + ctx + ": copy@example.test",
                 "filter: header X-Filter: 1" + ctx + ": smtp:[filter.example]:10025",
                 "redirect: header X-Redirect: 1" + ctx + ": elsewhere@example.test",
                 "hold: header X-Hold: 1" + ctx + ": held",
                 "prepend: body body prepend" + ctx + ": before it",
                 "replace: body body replace" + ctx + ": replaced body"):
        t.expect_in(qid + ": " + want, lines, "log")
    t.expect_eq([x for x in lines if "X-Ignore" in x or "X-Dunno" in x or "body ignore" in x], [],
                "IGNORE and DUNNO are silent")
    t.wait_log("warning: unknown command in header_checks map: FROBNICATE")
