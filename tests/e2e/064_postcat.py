"""postcat against Postfix 3.7's postcat: one hand-made queue file (every segment, a done
recipient, a delay warning time, a long line split into L/N records, Return-Receipt-To and
Errors-To records, an extracted recipient), printed with each option, from a file, from
standard input and through -q in hashed queue directories with short and long queue ids.

golden/postcat.json holds what the reference printed for exactly these inputs (TZ=UTC,
program name shortened to "postcat"). With -v the reference also logs its own
configuration set-up on stderr; only standard output is compared there.
"""

import json
import os

from harness import TOP


def record(rtype, data=b""):
    if isinstance(data, str):
        data = data.encode()
    n, out = len(data), bytes([ord(rtype)])
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | 0x80]) if n else bytes([b])
        if not n:
            return out + data


def golden_queue_file():
    head = [("T", "1700000000 123456"), ("A", "create_time=1700000001"),
            ("A", "rewrite_context=local"), ("F", "Joe User"), ("S", "joe@example.test"),
            ("A", "log_message_origin=local"), ("A", "notify_flags=10"),
            ("O", "bob@example.test"), ("R", "bob@example.test"),
            ("O", "carol"), ("D", "carol@example.test"), ("W", "%15d" % 1700003600), ("M", "")]
    body = [("N", "Received: by mail.example.test (Postfix, from userid 0)"),
            ("N", "\tid X; Tue, 14 Nov 2023 22:13:20 +0000 (UTC)"),
            ("N", "From: Joe User <joe@example.test>"), ("N", "Subject: golden"), ("N", ""),
            ("N", "first line"), ("L", "a" * 20), ("N", "b" * 5), ("N", ""), ("N", "last")]
    tail = [("X", ""), ("r", "rr@example.test"), ("e", "err@example.test"),
            ("O", "dave@example.test"), ("R", "dave@example.test"), ("E", "")]
    size = "%15d %15d %15d %15d %15d %15d" % (0, 0, 0, 0, 0, 0)
    h = record("C", size) + b"".join(record(t, d) for t, d in head)
    b = b"".join(record(t, d) for t, d in body)
    data_off, x_off = len(h), len(h) + len(b)
    size = "%15d %15d %15d %15d %15d %15d" % (x_off - data_off, data_off, 3, 0, x_off - data_off, 0)
    h = record("C", size) + b"".join(record(t, d) for t, d in head)
    return h + b + b"".join(record(t, d) for t, d in tail)


def setup(t):
    data = golden_queue_file()
    t.conf(hash_queue_names="deferred", hash_queue_depth="2")
    for rel in ("deferred/E/B/4jYBss6rgYz1bn95", "deferred/7/F/7FA9CA791F5", "hold/ABCDEF12345"):
        path = os.path.join(t.queue_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    for name, content in (("golden.q", data), ("trunc.q", data[:400]),
                          ("text.txt", b"hello world\n")):
        with open(t.path(name), "wb") as f:
            f.write(content)
    with open(os.path.join(TOP, "tests", "e2e", "golden", "postcat.json")) as f:
        return data, json.load(f)


def check(t, gold, key, args, stdin=None):
    r = t.run("postcat", "-c", t.config_dir, *args, input=stdin, env={"TZ": "UTC"})
    want_rc, want_out, want_err = gold[key]
    t.expect_eq(r.stdout, want_out, f"postcat {' '.join(args)}: standard output")
    t.expect_eq(r.returncode, want_rc, f"postcat {' '.join(args)}: exit status")
    if "v" not in "".join(a for a in args if a.startswith("-")):
        t.expect_eq(r.stderr, want_err, f"postcat {' '.join(args)}: standard error")


def test_postcat_options_on_a_file(t):
    data, gold = setup(t)
    for opts in ["", "-e", "-h", "-b", "-o", "-v", "-eh", "-hb", "-eb", "-oe", "-ob", "-ov",
                 "-ehb", "-d", "-od", "-r"]:
        check(t, gold, "file " + opts, opts.split() + ["golden.q"])


def test_postcat_queue_lookup_in_hashed_directories(t):
    data, gold = setup(t)
    for qid in ("4jYBss6rgYz1bn95", "7FA9CA791F5", "ABCDEF12345", "NOSUCH"):
        check(t, gold, "queue " + qid, ["-q", qid])
    check(t, gold, "queue -eq 7FA9CA791F5", ["-eq", "7FA9CA791F5"])


def test_postcat_standard_input_and_bad_input(t):
    data, gold = setup(t)
    # A pipe cannot be searched past the END record: the reference fails there too.
    check(t, gold, "stdin", [], data.decode())
    check(t, gold, "stdin -q", ["-q"], data.decode())
    check(t, gold, "stdin empty", [], "")
    check(t, gold, "file trunc", ["trunc.q"])
    check(t, gold, "file text", ["text.txt"])
    check(t, gold, "file missing", ["/nonexistent/file"])
