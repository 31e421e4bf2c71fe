"""sendmail and postdrop: local submission into the maildrop queue.

The maildrop files are read back with a small record reader (type byte,
base-128 length, payload), so these scenarios need nothing but sendmail and
postdrop. Once master, cleanup and pickup run in an instance, 071_pickup.py
follows the files into the incoming queue.
"""

import os
import pwd
import grp
import shutil
import signal
import stat
import subprocess

from harness import Failure, Skip

# Environment variables the test run needs to survive the commands' clean-up.
KEEP_ENV = "ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS"


def setup_queue(t, maildrop_mode=0o1730):
    """maildrop and public directories as postfix would create them."""
    user, group = t.user, t.group
    uid = pwd.getpwnam(user).pw_uid if os.geteuid() == 0 else os.geteuid()
    gid = grp.getgrnam(group).gr_gid if os.geteuid() == 0 else os.getegid()
    for name, mode in (("maildrop", maildrop_mode), ("public", 0o710)):
        d = os.path.join(t.queue_dir, name)
        os.makedirs(d, exist_ok=True)
        if os.geteuid() == 0:
            os.chown(d, uid, gid)
        os.chmod(d, mode)
    os.chmod(t.queue_dir, 0o755)
    t.conf(import_environment="MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C "
           "POSTLOG_SERVICE POSTLOG_HOSTNAME " + KEEP_ENV,
           export_environment="TZ MAIL_CONFIG LANG " + KEEP_ENV)


def maildrop_files(t):
    d = os.path.join(t.queue_dir, "maildrop")
    return sorted(os.path.join(d, f) for f in os.listdir(d))


def read_records(path):
    """[(type, payload)] of a queue file."""
    with open(path, "rb") as f:
        data = f.read()
    out, i = [], 0
    while i < len(data):
        rtype = chr(data[i])
        i += 1
        length, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        out.append((rtype, data[i:i + length].decode("utf-8", "replace")))
        i += length
    return out


def one_message(t):
    files = maildrop_files(t)
    t.expect_eq(len(files), 1, f"maildrop files {files}")
    mode = stat.S_IMODE(os.stat(files[0]).st_mode)
    t.expect_eq(oct(mode), oct(0o744), "mode of a complete maildrop file")
    recs = read_records(files[0])
    t.expect_eq(recs[0][0], "T", "first record is the arrival time")
    body = recs[1:]
    os.unlink(files[0])
    return body


def sendmail(t, *args, input="", check=0, env=None, argv0=None):
    return t.run("sendmail", *args, input=input, check=check, env=env, argv0=argv0)


def gecos_name():
    return pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0]


def login_name():
    return pwd.getpwuid(os.getuid()).pw_name


def test_sendmail_envelope_and_content_records(t):
    setup_queue(t)
    sendmail(t, "-f", "Foo <foo@x.example>", "-N", "success,delay", "-V", "envid-1", "-B",
             "8BITMIME", "-F", "Joe User", "bob@example.com,", "Carol <carol@example.com>",
             input="Subject: hi\n\nbody\n.\nafter the dot\n")
    t.expect_eq(one_message(t), [
        ("A", "envelope_id=envid-1"), ("A", "rewrite_context=local"), ("F", "Joe User"),
        ("S", "foo@x.example"), ("A", "encoding=8bit"), ("A", "notify_flags=10"),
        ("R", "bob@example.com"), ("A", "notify_flags=10"), ("R", "carol@example.com"),
        ("M", ""), ("N", "Subject: hi"), ("N", ""), ("N", "body"), ("X", ""), ("E", "")])


def test_sendmail_defaults_name_and_sender_from_the_account(t):
    setup_queue(t)
    sendmail(t, "user", input="From someone Mon Jan 1\nSubject: x\r\n\r\nline\r\r\nlast", env={})
    recs = one_message(t)
    t.expect_eq(recs[:3], [("A", "rewrite_context=local"), ("F", gecos_name()),
                           ("S", login_name())], "envelope")
    t.expect_eq(recs[4:], [("M", ""), ("N", "Subject: x"), ("N", ""), ("N", "line"),
                           ("L", "last"), ("X", ""), ("E", "")], "content")
    sendmail(t, "-i", "-G", "-R", "hdrs", "-r", "", "-XV", "u", input=".\n..\n", check=75)
    sendmail(t, "-i", "-G", "-R", "hdrs", "-r", "<>", "u", input=".\n..\n",
             env={"NAME": "Name From & Env"})
    t.expect_eq(one_message(t), [
        ("A", "ret_flags=2"), ("A", "rewrite_context=remote"), ("F", "Name From & Env"),
        ("S", ""), ("R", "u"), ("M", ""), ("N", "."), ("N", ".."), ("X", ""), ("E", "")])


def test_sendmail_t_takes_recipients_from_headers(t):
    setup_queue(t)
    sendmail(t, "-t", "-XV-=", "-f", "owner@lists.example", "cmd@example.com",
             input="To: a@x.example, \"B\" <b@y.example>\nCc: c@z.example,\n\td@w.example\n"
                   "Bcc: e@v.example\nSubject: s\n\nTo: not@header.example\n")
    recs = one_message(t)
    t.expect_eq([r for r in recs if r[0] in "RVX"], [
        ("V", "-="), ("R", "cmd@example.com"), ("X", ""), ("R", "a@x.example"),
        ("R", "b@y.example"), ("R", "c@z.example"), ("R", "d@w.example"), ("R", "e@v.example")])
    t.expect_in(("N", "Bcc: e@v.example"), recs, "Bcc stays for cleanup to remove")
    sendmail(t, "-t", input="To: t@x.example\nResent-To: r1@x.example\nResent-Bcc: r2@x.example\n\n")
    t.expect_eq([r for r in one_message(t) if r[0] == "R"],
                [("R", "r1@x.example"), ("R", "r2@x.example")], "Resent- headers win")
    r = sendmail(t, "-t", input="Subject: none\n\nbody\n", check=75)
    t.expect_eq(r.stderr, f"sendmail: fatal: {login_name()}({os.getuid()}): "
                          "No recipient addresses found in message header\n")
    t.expect_eq(maildrop_files(t), [], "no file after a refused submission")


def test_sendmail_bv_and_v_ask_for_reports(t):
    setup_queue(t)
    r = sendmail(t, "-bv", "-f", "me@example.com", "a@b.example", "x y <d@e.example>")
    t.expect_eq(r.stdout, "Mail Delivery Status Report will be mailed to <me@example.com>.\n")
    recs = one_message(t)
    t.expect_in(("A", "trace_flags=512"), recs)
    t.expect_eq(recs[recs.index(("M", "")):], [
        ("M", ""), ("N", "From: me@example.com"), ("N", "Subject: probe"), ("L", "To:"),
        ("N", "\ta@b.example,"), ("N", "\tx y <d@e.example>"), ("X", ""), ("E", "")])
    r = sendmail(t, "-v", "u", input="x\n")
    t.expect_eq(r.stdout, f"Mail Delivery Status Report will be mailed to <{login_name()}>.\n")
    t.expect_in(("A", "trace_flags=1024"), one_message(t))


def test_sendmail_long_lines_become_continued_records(t):
    setup_queue(t)
    t.conf(line_length_limit="512")
    sendmail(t, "u", input="a" * 1100 + "\n" + "b" * 512 + "\n" + "c" * 511 + "\r\n.\n")
    recs = one_message(t)
    t.expect_eq([(ty, len(p)) for ty, p in recs[recs.index(("M", "")) + 1:]],
                [("L", 512), ("L", 512), ("N", 76), ("L", 512), ("N", 0), ("L", 512), ("N", 0),
                 ("X", 0), ("E", 0)])


def test_sendmail_refuses_bad_options_with_reference_messages(t):
    setup_queue(t)
    cases = [
        (["-bx"], "sendmail: fatal: unsupported: -bx\n"),
        (["-qS"], "sendmail: fatal: -qS is not implemented\n"),
        (["-B", "foo"], "sendmail: fatal: -B option needs 8BITMIME or 7BIT\n"),
        (["-t", "-bp"], "sendmail: fatal: -t can be used only in delivery mode\n"),
        (["-bv", "-t", "x"], "sendmail: fatal: -t option cannot be used with -bv\n"),
        (["-XVab", "x"], "sendmail: fatal: -V requires two characters from -=+\n"),
        (["-n"], "sendmail: fatal: -n option not supported\n"),
        (["-qR"], "sendmail: fatal: specify: -qRsitename\n"),
        (["-bi", "foo"], "sendmail: fatal: alias initialization mode requires no recipient\n"),
        (["-bp", "foo"], "sendmail: fatal: display queue mode requires no recipient\n"),
        (["-bd", "foo"], "sendmail: fatal: daemon mode requires no recipient\n"),
        (["-bs", "foo"], "sendmail: fatal: stand-alone mode requires no recipient\n"),
        (["-q", "foo"], "sendmail: fatal: flush queue mode requires no recipient\n"),
        (["-qRsite", "foo"], "sendmail: fatal: flush site requires no recipient\n"),
        (["-oA"], "sendmail: fatal: -oA requires pathname\n"),
        (["-Z"], "sendmail: invalid option -- 'Z'\nsendmail: invalid option -- 'Z'\n"
                 "sendmail: fatal: usage: sendmail [options]\n"),
    ]
    for args, err in cases:
        r = sendmail(t, *args, check=75)
        t.expect_eq(r.stderr, err, f"sendmail {' '.join(args)}")
    r = sendmail(t, input="x\n", check=75)
    t.expect_eq(r.stderr, f"sendmail: fatal: {login_name()}({os.getuid()}): Recipient addresses "
                          "must be specified on the command line or via the -t option\n")
    r = sendmail(t, "-N", "bogus", "-V", "x" * 101, "u", input="x\n")
    t.expect_eq(r.stderr, 'sendmail: warning: unknown DSN NOTIFY command value "bogus" in "bogus"\n'
                          "sendmail: warning: bad -N option value -- ignored\n"
                          "sendmail: warning: too long -V option value -- ignored\n")
    t.expect_eq([r for r in one_message(t) if r[0] == "A"], [("A", "rewrite_context=local")])
    sendmail(t, "-q1h", "u", check=0)
    sendmail(t, "-bh", check=0)
    t.expect_eq(maildrop_files(t), [])


def test_sendmail_ignores_sendmail_options_it_does_not_need(t):
    setup_queue(t)
    sendmail(t, "-oQ/x", "-O", "a=b", "-h", "5", "-L", "lab", "-m", "-Am", "-Ac", "-U", "-oi",
             "-om", "-o7", "-o8", "-odb", "-e", "x", "-p", "x", "-c", "-x", "u", input="x\n.\ny")
    recs = one_message(t)
    t.expect_eq([r for r in recs if r[0] in "RN"], [("R", "u"), ("N", "x"), ("N", ".")])
    r = sendmail(t, "-f", "a@b", "-V", "xy", "u", input="x\n")
    t.expect_eq(r.stderr, "sendmail: warning: option -V is deprecated with Postfix 2.3; "
                          "specify -XV instead\n")
    t.expect_eq([r for r in one_message(t) if r[0] in "RV"],
                [("V", "+="), ("R", "xy"), ("R", "u")])


def test_sendmail_unauthorized_submitter(t):
    setup_queue(t)
    t.conf(authorized_submit_users="!" + login_name() + ", static:anyone")
    msg = f"User {login_name()}({os.getuid()}) is not allowed to submit mail\n"
    r = sendmail(t, "u", input="x\n", check=75)
    t.expect_eq(r.stderr, "sendmail: fatal: " + msg)
    r = sendmail(t, "-bs", check=75)
    t.expect_eq(r.stderr, "sendmail: fatal: " + msg)
    r = t.run("postdrop", "-r", input="", check=1)
    t.expect_eq(r.stderr, "postdrop: fatal: " + msg)
    t.expect_eq(maildrop_files(t), [])


def run_as(t, user, prog_path, *args, input="", env=None):
    pw = pwd.getpwnam(user)
    e = t.env(env)
    return subprocess.run([prog_path, *args], input=input, capture_output=True, text=True,
                          env=e, cwd="/", timeout=60, user=pw.pw_uid, group=pw.pw_gid,
                          extra_groups=[])


def test_unprivileged_user_and_login_sender_maps(t):
    if os.geteuid() != 0:
        raise Skip("needs root to switch users")
    setup_queue(t, maildrop_mode=0o1733)
    t.conf(local_login_sender_maps="inline:{{nobody = nobody@example.com, @lists.example}}")
    sm = t.program("sendmail")
    r = run_as(t, "nobody", sm, "-f", "nobody@example.com", "u", input="x\n")
    t.expect_eq((r.returncode, r.stderr), (0, ""), "allowed sender")
    files = maildrop_files(t)
    t.expect_eq(os.stat(files[0]).st_uid, pwd.getpwnam("nobody").pw_uid, "file owner")
    t.expect_eq(read_records(files[0])[3], ("S", "nobody@example.com"))
    os.unlink(files[0])
    r = run_as(t, "nobody", sm, "-f", "x@lists.example", "u", input="x\n")
    t.expect_eq(r.returncode, 0, r.stderr)
    os.unlink(maildrop_files(t)[0])
    r = run_as(t, "nobody", sm, "-f", "root@example.com", "u", input="x\n")
    t.expect_eq((r.returncode, r.stderr),
                (75, f"sendmail: fatal: root@example.com({pwd.getpwnam('nobody').pw_uid}): "
                     "not authorized to use sender='root@example.com'\n"))
    t.expect_eq(maildrop_files(t), [], "no file for a refused sender")
    t.conf(authorized_submit_users="root")
    r = run_as(t, "nobody", sm, "u", input="x\n")
    t.expect_eq((r.returncode, r.stderr),
                (75, f"sendmail: fatal: User nobody({pwd.getpwnam('nobody').pw_uid}) "
                     "is not allowed to submit mail\n"))


def run_busy_ok(t, pd):
    try:
        return run_as(t, "nobody", pd, "-r", input="")
    except OSError as exc:
        if exc.errno == 26:
            return None
        raise


def test_setgid_postdrop_checks_config_directory(t):
    if os.geteuid() != 0:
        raise Skip("needs root to install a set-gid program")
    setup_queue(t)
    bindir = t.path("sbin")
    os.makedirs(bindir)
    os.chmod(bindir, 0o755)
    pd = os.path.join(bindir, "postdrop")
    shutil.copy(t.program("postdrop"), pd)
    os.chown(pd, 0, grp.getgrnam(t.group).gr_gid)
    os.chmod(pd, 0o2755)
    # A child forked elsewhere may briefly hold the copy open for writing.
    r = t.wait_for(lambda: run_busy_ok(t, pd), "postdrop copy not busy")
    t.expect_eq(r.returncode, 1)
    if os.path.exists("/etc/postfix/main.cf"):
        t.expect_in("postdrop: error: unauthorized configuration directory name: "
                    + t.config_dir, r.stderr)
    else:
        t.expect_eq(r.stderr, "postdrop: fatal: open file /etc/postfix/main.cf: "
                              "No such file or directory\n")
    t.expect_eq(maildrop_files(t), [])


def start_postdrop(t):
    """postdrop with pipes; returns (process, queue id) after the greeting."""
    p = subprocess.Popen([t.program("postdrop"), "-r"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=t.env(), cwd=t.dir)
    greeting = b""
    while not greeting.endswith(b"\0\0"):
        ch = p.stdout.read(1)
        if not ch:
            raise Failure(f"postdrop closed before its greeting: {greeting!r}")
        greeting += ch
    fields = greeting[:-2].split(b"\0")
    t.expect_eq(fields[:3], [b"protocol", b"postdrop_protocol", b"queue_id"], "greeting")
    return p, fields[3].decode()


def record(rtype, payload=b""):
    out, n = bytearray([ord(rtype)]), len(payload)
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            break
    return bytes(out) + payload


def test_postdrop_killed_mid_message_leaves_no_file(t):
    setup_queue(t)
    p, qid = start_postdrop(t)
    p.stdin.write(record("S", b"me") + record("R", b"you") + record("M") + record("N", b"x"))
    p.stdin.flush()
    path = os.path.join(t.queue_dir, "maildrop", qid)
    t.wait_for(lambda: os.path.exists(path), "the maildrop file")
    t.expect_eq(oct(stat.S_IMODE(os.stat(path).st_mode)), oct(0o644), "incomplete file mode")
    p.send_signal(signal.SIGTERM)
    t.expect_eq(p.wait(timeout=30), signal.SIGTERM, "exit status after SIGTERM")
    t.expect_eq(maildrop_files(t), [], "no file after SIGTERM")

    p, qid = start_postdrop(t)
    p.stdin.write(record("S", b"me") + record("R", b"you") + record("M"))
    p.stdin.close()
    t.expect_eq(p.wait(timeout=30), 0, "exit status after end of input")
    t.expect_eq(maildrop_files(t), [], "no file after an abandoned submission")

    p, qid = start_postdrop(t)
    out, err = p.communicate(record("T", b"1 2") + record("S", b"me"), timeout=30)
    t.expect_eq((p.returncode, err.decode()),
                (1, f"postdrop: fatal: uid={os.getuid()}: unexpected record type: 84\n"))
    t.expect_eq(maildrop_files(t), [], "no file after a refused record")

    p, qid = start_postdrop(t)
    out, err = p.communicate(record("S", b"me") + record("M") + record("X") + record("E"),
                             timeout=30)
    t.expect_eq(out, b"status\x001\x00reason\x00\x00\x00", "status without recipients")
    t.expect_eq(maildrop_files(t), [], "no file without recipients")

    p, qid = start_postdrop(t)
    out, err = p.communicate(record("A", b"log_client_name=forged") + record("S", b"me")
                             + record("R", b"you") + record("M") + record("X") + record("E"),
                             timeout=30)
    t.expect_eq((p.returncode, out), (0, b"status\x000\x00reason\x00\x00\x00"))
    t.expect_eq(err.decode(), f"postdrop: warning: uid={os.getuid()}: ignoring attribute "
                              "record: log_client_name=forged\n")
    t.expect_eq(one_message(t), [("S", "me"), ("R", "you"), ("M", ""), ("X", ""), ("E", "")])


def test_postdrop_usage(t):
    r = t.run("postdrop", "-x", check=1)
    t.expect_eq(r.stderr, "postdrop: invalid option -- 'x'\n"
                          "postdrop: fatal: usage: postdrop [-c config_dir] [-v]\n")


def test_mailq_newaliases_and_other_modes_run_the_right_command(t):
    setup_queue(t)
    bindir = t.bindir
    if not os.path.exists(os.path.join(bindir, "postqueue")):
        for args in (["-bp"], ["-q"], ["-qRexample.com"], ["-qIABCDEF"]):
            r = sendmail(t, *args, check=75)
            t.expect_eq(r.stderr, f"sendmail: fatal: execv {bindir}/postqueue: "
                                  "No such file or directory\n", " ".join(args))
        r = sendmail(t, argv0="mailq", check=75)
        t.expect_eq(r.stderr, f"mailq: fatal: execv {bindir}/postqueue: "
                              "No such file or directory\n")
    if not os.path.exists(os.path.join(bindir, "smtpd")):
        r = sendmail(t, "-bs", check=75)
        t.expect_eq(r.stderr, f"sendmail: fatal: execv {bindir}/smtpd: No such file or directory\n")
    aliases = t.write("aliases", "postmaster: root\nabuse: postmaster\n")
    t.conf(alias_database=f"hash:{aliases}")
    sendmail(t, "-bi", check=0)
    t.expect_eq(os.path.exists(aliases + ".db"), True, "sendmail -bi built the alias table")
    os.unlink(aliases + ".db")
    sendmail(t, argv0="newaliases", check=0)
    t.expect_eq(os.path.exists(aliases + ".db"), True, "newaliases built the alias table")
    other = t.write("other", "x: y\n")
    sendmail(t, f"-oAhash:{other}", "-I", check=0)
    t.expect_eq(os.path.exists(other + ".db"), True, "-oA names the alias table")
    t.conf(alias_database="")
    sendmail(t, "-bi", check=0)


RECORDER_SH = """#!/bin/sh
echo "$(basename "$0") $* MAIL_CONFIG=$MAIL_CONFIG" >> "$(dirname "$0")/calls"
exit 0
"""


def test_sendmail_modes_run_the_commands_postfix_runs(t):
    """Every mode that hands over to another program, with the exact argument vectors
    Postfix 3.7's sendmail uses (checked against it with the same stand-in commands)."""
    setup_queue(t)
    fake = t.path("fakebin")
    os.makedirs(fake)
    t.write("fakebin/rec.sh", RECORDER_SH, mode=0o755)
    for name in ("postqueue", "postfix", "smtpd", "postalias"):
        os.symlink("rec.sh", os.path.join(fake, name))
    aliases = t.path("aliases")
    t.conf(command_directory=fake, daemon_directory=fake, alias_database="hash:" + aliases)
    calls = os.path.join(fake, "calls")
    cfg = " MAIL_CONFIG=" + t.config_dir
    cases = [
        ("sendmail", ["-bp"], "postqueue -p"),
        ("sendmail", ["-v", "-bp"], "postqueue -p -v"),
        ("mailq", [], "postqueue -p"),
        ("mailq", ["-v"], "postqueue -p -v"),
        ("sendmail", ["-q"], "postqueue -f"),
        ("sendmail", ["-v", "-q"], "postqueue -f -v"),
        ("sendmail", ["-qRsite.example"], "postqueue -s site.example"),
        ("sendmail", ["-v", "-qRx"], "postqueue -s x"),
        ("sendmail", ["-qIABCDEF"], "postqueue -i ABCDEF"),
        ("sendmail", ["-bs"], "smtpd -S"),
        ("sendmail", ["-v", "-bs"], "smtpd -S -v"),
        ("sendmail", ["-bi"], "postalias -- hash:" + aliases),
        ("sendmail", ["-v", "-v", "-bi"], "postalias -v -v -- hash:" + aliases),
        ("newaliases", [], "postalias -- hash:" + aliases),
        ("sendmail", ["-C", t.main_cf(), "-bp"], "postqueue -p"),
        ("sendmail", ["-C", t.config_dir, "-bp"], "postqueue -p"),
    ]
    for argv0, args, want in cases:
        if os.path.exists(calls):
            os.unlink(calls)
        r = sendmail(t, *args, argv0=argv0 if argv0 != "sendmail" else None, check=0)
        t.expect_eq(r.stderr if "-v" not in args else "", "", f"{argv0} {args} stderr")
        with open(calls) as f:
            t.expect_eq(f.read(), want + cfg + "\n", f"{argv0} {' '.join(args)}")
    # Daemon mode starts "postfix start" in the background and does not wait for it.
    for args, want in ((["-bd"], "postfix start"), (["-bl"], "postfix start"),
                       (["-v", "-bd"], "postfix -v start")):
        if os.path.exists(calls):
            os.unlink(calls)
        sendmail(t, *args, check=0)
        t.wait_for(lambda: os.path.exists(calls) and open(calls).read().endswith("\n"),
                   "postfix start")
        t.expect_eq(open(calls).read(), want + cfg + "\n", " ".join(args))
    r = sendmail(t, "-q", "-bd", check=0)
    t.expect_eq(r.stderr, "sendmail: warning: ignoring -q option in daemon mode\n", "-q -bd")
    for args, err in ((["-bD"], "sendmail: fatal: unsupported: -bD\n"),
                      (["-bt"], "sendmail: fatal: unsupported: -bt\n"),
                      (["-C", "/nonexistent", "-bp"],
                       "sendmail: fatal: open /nonexistent/main.cf: No such file or directory\n")):
        r = sendmail(t, *args, check=75)
        t.expect_eq(r.stderr, err, " ".join(args))


def test_sendmail_bm_o_and_c_options_enqueue(t):
    setup_queue(t)
    env = ("A", "rewrite_context=local"), ("F", gecos_name()), ("S", login_name())
    sendmail(t, "-bm", "u", input="x\n", check=0)
    t.expect_eq(one_message(t), list(env) + [("R", "u"), ("M", ""), ("N", "x"), ("X", ""),
                                             ("E", "")], "-bm is the default mode")
    # "-o x value": x is the ignored option, and value is just another argument.
    sendmail(t, "-o", "x", "value", "u", input="", check=0)
    t.expect_eq([r for r in one_message(t) if r[0] == "R"], [("R", "value"), ("R", "u")], "-o")
    sendmail(t, "-C", t.config_dir, "u", input="", check=0,
             env={"MAIL_CONFIG": "/nonexistent"})
    t.expect_eq([r for r in one_message(t) if r[0] == "R"], [("R", "u")], "-C overrides MAIL_CONFIG")
