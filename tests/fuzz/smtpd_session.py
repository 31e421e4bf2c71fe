#!/usr/bin/env python3
"""smtpd_session.py - random SMTP sessions against smtpd in stand-alone mode.

smtpd's command parsing (word splitting, MAIL FROM/RCPT TO addresses and
ESMTP parameters, XCLIENT/XFORWARD attributes, BDAT sizes, DATA content)
lives in the program, not in a library, so libFuzzer cannot call it
directly. This script runs the given smtpd binary (normally the ASan/UBSan
build) with -S, its standard input being a generated session: plausible
commands with mutated arguments (long and empty words, odd bytes, bare CR
and LF, broken brackets and quotes, huge numbers). A fake postdrop takes
the mail. Any sanitizer report, panic, fatal error, death by a signal or
run over the time limit is a finding; its input is saved under the
output directory.

    python3 tests/fuzz/smtpd_session.py build-asan/bin/smtpd SECONDS [OUTDIR]
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = [b"", b"<>", b"<a@b>", b"<@r1,@r2:u@d>", b'<"q u"@d>', b"<a@[1.2.3.4]>",
         b"<a@[IPv6:::1]>", b"a@b", b"<a@b", b"a@b>", b"<<a@b>>", b'"', b"\\", b"<a\\@b@c>",
         b"SIZE=", b"SIZE=99999999999999999999", b"SIZE=-1", b"BODY=8BITMIME", b"BODY=BINARYMIME",
         b"RET=FULL", b"RET=HDRS", b"ENVID=a+2Bb+", b"ENVID=+zz", b"SMTPUTF8", b"XVERP", b"XVERP=+=",
         b"NOTIFY=SUCCESS,FAILURE", b"NOTIFY=NEVER,DELAY", b"ORCPT=rfc822;a+40b", b"ORCPT=utf-8;a\\x{41}",
         b"ORCPT=;", b"AUTH=<>", b"NAME=x", b"ADDR=1.2.3.4", b"ADDR=IPV6:::1", b"PORT=99999",
         b"PROTO=ESMTP", b"HELO=[1.2.3.4]", b"LOGIN=x", b"DESTADDR=x", b"IDENT=x", b"SOURCE=LOCAL",
         b"NAME=[UNAVAILABLE]", b"ADDR=[TEMPUNAVAIL]", b"LAST", b"0", b"1", b"-1", b"18446744073709551617",
         b"\xff\xfe", b"\xc3\xa9", b"\x00", b"\t", b"=", b"FROM:", b"TO:", b"FROM:<a@b>", b"TO:<c@d>",
         b"TO:<postmaster>", b"TO:<root@fuzz.example>", b"@", b"(comment)", b"a" * 300, b"<" + b"a" * 1100 + b">"]
VERBS = [b"HELO", b"EHLO", b"MAIL", b"RCPT", b"DATA", b"BDAT", b"RSET", b"NOOP", b"VRFY", b"ETRN",
         b"QUIT", b"XCLIENT", b"XFORWARD", b"AUTH", b"STARTTLS", b"HELP", b"GET", b"POST", b"CONNECT",
         b"mail from:", b"rcpt to:", b"", b"X" * 600]
CONTENT = [b"Subject: x\r\n\r\nbody\r\n", b"From: <a@b>\r\nTo: c@d\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n",
           b"..\r\n.x\r\n", b"\r\n", b"bare\nlf\n", b"a" * 3000 + b"\r\n", b"\xff\x00\r\n"]


def mutate(data, rnd):
    """Byte-level damage: flip, insert, delete, duplicate."""
    data = bytearray(data)
    for _ in range(rnd.randrange(4)):
        op = rnd.randrange(4)
        pos = rnd.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] = rnd.randrange(256)
        elif op == 1:
            data[pos:pos] = bytes([rnd.choice([0, 13, 10, 32, 34, 60, 62, 92, 255, 64, 58])])
        elif op == 2 and data:
            del data[pos:pos + rnd.randrange(1, 8)]
        else:
            data[pos:pos] = data[pos:pos + rnd.randrange(1, 40)] * rnd.randrange(1, 4)
    return bytes(data)


def session(rnd):
    """One session: a greeting, then commands (and mail content) at random."""
    out = [rnd.choice([b"EHLO fuzz\r\n", b"HELO fuzz\r\n", b""])]
    if rnd.random() < 0.5:
        out.append(b"MAIL FROM:<a@b>\r\nRCPT TO:<postmaster>\r\n")
    for _ in range(rnd.randrange(1, 12)):
        verb = rnd.choice(VERBS)
        args = b" ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(4)))
        line = verb + (b" " + args if args else b"")
        if rnd.random() < 0.3:
            line = mutate(line, rnd)
        out.append(line + rnd.choice([b"\r\n", b"\r\n", b"\n", b"\r", b"\r\r\n"]))
        if verb == b"DATA" and rnd.random() < 0.7:
            out.append(mutate(rnd.choice(CONTENT), rnd) + b".\r\n")
        if verb == b"BDAT" and rnd.random() < 0.7:
            chunk = mutate(rnd.choice(CONTENT), rnd)
            out[-1] = b"BDAT %d%s\r\n" % (len(chunk), rnd.choice([b"", b" LAST", b" last", b"  LAST"]))
            out.append(chunk)
    if rnd.random() < 0.8:
        out.append(b"QUIT\r\n")
    return b"".join(out)


def write_config(top):
    """A private configuration and queue for stand-alone smtpd."""
    conf = os.path.join(top, "conf")
    bindir = os.path.join(top, "bin")
    for d in (conf, bindir, os.path.join(top, "queue")):
        os.makedirs(d, exist_ok=True)
    os.chmod(top, 0o755)
    os.chmod(os.path.join(top, "queue"), 0o755)
    postdrop = os.path.join(bindir, "postdrop")
    with open(postdrop, "w") as f:
        f.write("#!/bin/sh\nexec python3 %s\n" % os.path.join(HERE, "fake_postdrop.py"))
    os.chmod(postdrop, 0o755)
    owner, group = ("daemon", "sys") if os.getuid() == 0 else (None, None)
    lines = ["queue_directory = %s/queue" % top, "command_directory = %s" % bindir,
             "myhostname = fuzz.example", "mydestination = fuzz.example", "alias_maps =",
             "local_recipient_maps =", "compatibility_level = 3.6", "maillog_file = /dev/null",
             "mynetworks = 127.0.0.0/8", "smtpd_authorized_xclient_hosts = 127.0.0.0/8",
             "smtpd_authorized_xforward_hosts = 127.0.0.0/8", "smtpd_client_event_limit_exceptions =",
             "anvil_rate_time_unit = 60s", "smtpd_error_sleep_time = 0", "smtpd_soft_error_limit = 1000",
             "smtpd_hard_error_limit = 1000", "smtpd_timeout = 5s"]
    if owner:
        lines += ["mail_owner = %s" % owner, "setgid_group = %s" % group]
    else:
        import grp
        import pwd
        lines += ["mail_owner = %s" % pwd.getpwuid(os.getuid()).pw_name,
                  "setgid_group = %s" % grp.getgrgid(os.getgid()).gr_name]
    with open(os.path.join(conf, "main.cf"), "w") as f:
        f.write("\n".join(lines) + "\n")
    return conf


BAD = [b"AddressSanitizer", b"runtime error:", b"LeakSanitizer", b"panic:", b"fatal:"]


def main():
    smtpd, secs = sys.argv[1], float(sys.argv[2])
    outdir = sys.argv[3] if len(sys.argv) > 3 else "build-fuzz/findings"
    os.makedirs(outdir, exist_ok=True)
    rnd = random.Random(int(os.environ.get("SEED", time.time())))
    top = tempfile.mkdtemp(prefix="smtpd-fuzz-")
    env = dict(os.environ, MAIL_CONFIG=write_config(top),
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0", UBSAN_OPTIONS="print_stacktrace=1")
    runs = found = 0
    end = time.time() + secs
    while time.time() < end:
        data = session(rnd)
        runs += 1
        try:
            p = subprocess.run([smtpd, "-S", "-V"], input=data, capture_output=True, env=env,
                               timeout=20)
            bad = p.returncode < 0 or any(b in p.stderr for b in BAD)
            why = p.stderr
        except subprocess.TimeoutExpired:
            bad, why = True, b"timeout"
        if bad:
            found += 1
            base = os.path.join(outdir, "smtpd-session-%d" % found)
            with open(base + ".in", "wb") as f:
                f.write(data)
            with open(base + ".log", "wb") as f:
                f.write(why)
            print("finding %s (exit %s)" % (base, "timeout" if why == b"timeout" else p.returncode))
    shutil.rmtree(top, ignore_errors=True)
    print("smtpd_session: %d sessions, %d findings" % (runs, found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
