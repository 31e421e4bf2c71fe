"""postconf: parameter listings, main.cf and master.cf edits, and error messages.

The expected texts and exit codes are those of the reference postconf 3.7,
compared side by side when these scenarios were written; golden/postconf-d.txt
is the reference's "postconf -d" with conf/master.cf installed, with our
installation defaults (daemon_directory, no NIS in alias_maps, ...) in place
of the reference build's. Values that depend on the host are masked.
"""

import os

from harness import TOP

GOLDEN = os.path.join(TOP, "tests", "e2e", "golden", "postconf-d.txt")

# Host-specific values, and install-time choices where we differ on purpose
# (Debian's paths; no NIS in alias_maps).
MASKED = {"myhostname", "mydomain", "mynetworks", "process_id"}


def mask(text):
    out = []
    for line in text.splitlines():
        name = line.split(" =", 1)[0]
        out.append(f"{name} = <masked>" if name in MASKED else line)
    return "\n".join(out) + "\n"


def main_path(t):
    return os.path.join(t.config_dir, "main.cf")


def master_path(t):
    return os.path.join(t.config_dir, "master.cf")


def read(path):
    with open(path) as f:
        return f.read()


def test_defaults_match_reference(t):
    r = t.postconf("-d")
    t.expect_eq(r.stderr, "")
    with open(GOLDEN) as f:
        golden = f.read()
    t.expect_eq(mask(r.stdout), mask(golden))
    t.expect_eq(t.postconf("-d", "alias_maps").stdout, "alias_maps = hash:/etc/aliases\n")
    t.expect_eq(t.postconf("-d", "daemon_directory").stdout,
                "daemon_directory = /usr/libexec/postfix\n")
    t.expect_eq(t.postconf("-dh", "mail_version").stdout, "3.7.11\n")
    # Per-transport names come from master.cf entries that run delivery agents.
    t.expect_eq(t.postconf("-d", "relay_destination_concurrency_limit").stdout,
                "relay_destination_concurrency_limit = $default_destination_concurrency_limit\n")
    r = t.postconf("-d", "discard_destination_concurrency_limit")
    t.expect_eq(r.stdout, "")
    t.expect_eq(r.stderr,
                "postconf: warning: discard_destination_concurrency_limit: unknown parameter\n")


def test_computed_defaults_follow_main_cf(t):
    t.write("etc/main.cf", "myhostname = mx.example.org\nmynetworks_style = host\n"
            "inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\n")
    r = t.postconf("-h", "mydomain", "myorigin", "mynetworks")
    t.expect_eq(r.stdout, "example.org\n$myhostname\n127.0.0.1/32\n")
    t.expect_eq(t.postconf("-hx", "mydestination").stdout,
                "mx.example.org, localhost.example.org, localhost\n")
    # -d ignores main.cf, also for computed defaults.
    t.expect_eq(t.postconf("-dh", "mynetworks_style").stdout,
                "${{$compatibility_level} <level {2} ? {subnet} : {host}}\n")
    t.expect_eq(t.postconf("-dhx", "mynetworks_style").stdout, "subnet\n")


def test_nondefault_names_and_values(t):
    t.conf(foo="1", bar="$foo", zot="$nosuch", mail_name="Mail  server")
    r = t.postconf("-n")
    expected = sorted([f"{k} = {v}" for k, v in t.base_conf.items()]
                      + [f"config_directory = {t.config_dir}", "foo = 1",
                         "mail_name = Mail server"])
    t.expect_eq(r.stdout, "\n".join(expected) + "\n")
    t.expect_eq(sorted(r.stderr.splitlines()), sorted([
        f"postconf: warning: {main_path(t)}: undefined parameter: nosuch",
        f"postconf: warning: {main_path(t)}: unused parameter: bar=$foo",
        f"postconf: warning: {main_path(t)}: unused parameter: zot=$nosuch",
    ]))
    r = t.postconf("-h", "mail_name", "foo", "nosuch")
    t.expect_eq(r.stdout, "Mail server\n1\n")
    t.expect_in("postconf: warning: nosuch: unknown parameter\n", r.stderr)
    t.expect_eq(t.postconf("-H", "mail_name").stdout, "mail_name\n")
    t.expect_eq(t.postconf("-o", "mail_name=Other", "-h", "mail_name").stdout, "Other\n")


def test_expand_and_fold(t):
    r = t.postconf("-x", "smtpd_banner", "forward_path")
    t.expect_eq(r.stdout, "smtpd_banner = mail.example.test ESMTP Postfix\n"
                "forward_path = $home/.forward${recipient_delimiter}${extension}, $home/.forward\n")
    r = t.postconf("-fd", "default_rbl_reply", "smtpd_relay_restrictions")
    t.expect_eq(r.stdout,
                "default_rbl_reply = $rbl_code Service unavailable; $rbl_class [$rbl_what]\n"
                "    blocked using $rbl_domain${rbl_reason?; $rbl_reason}\n"
                "smtpd_relay_restrictions = ${{$compatibility_level} <level {1} ? {} :\n"
                "    {permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination}}\n")
    t.expect_eq(t.postconf("-dhx", "smtpd_relay_restrictions").stdout, "\n")
    t.conf(mail_name="${foo")
    r = t.postconf("-x", "mail_name", check=1)
    t.expect_eq(r.stderr, 'postconf: warning: truncated macro reference: "${foo"\n'
                "postconf: fatal: dictionary mail_dict: macro processing error\n")


MAIN_CF = """# head
myhostname = a.example
# mid
mydomain = example
  cont
foo = 1

foo = 2
"""


def test_main_cf_edits_keep_comments(t):
    path = t.write("etc/main.cf", MAIN_CF)
    t.postconf("-e", "myorigin=x", "mydomain = zz")
    t.expect_eq(read(path), MAIN_CF.replace("mydomain = example\n  cont\n", "mydomain = zz\n")
                + "myorigin = x\n")
    t.write("etc/main.cf", MAIN_CF)
    r = t.postconf("-X", "foo")
    t.expect_eq(r.stderr, f'postconf: warning: {path}: multiple entries for "foo"\n')
    t.expect_eq(read(path), "# head\nmyhostname = a.example\n# mid\nmydomain = example\n"
                "  cont\n\n")
    t.write("etc/main.cf", MAIN_CF)
    t.postconf("-#", "mydomain")
    t.expect_eq(read(path), MAIN_CF.replace("mydomain = example\n  cont\n",
                                            "#mydomain = example\n#  cont\n"))
    t.write("etc/main.cf", MAIN_CF)
    t.postconf("foo=", "relayhost=[gw]")
    t.expect_eq(read(path), MAIN_CF.replace("foo = 1", "foo = ").replace("foo = 2", "foo = ")
                + "relayhost = [gw]\n")
    t.expect_eq(os.path.exists(path + ".tmp"), False, "no temporary file left")


def test_usage_errors(t):
    cases = [
        (["-d", "-n"], "postconf: fatal: specify one of -d -n\n"),
        (["-a", "-A"], "postconf: fatal: specify one of -a -A\n"),
        (["-M", "-F"], "postconf: fatal: specify one of -F -M\n"),
        (["-X", "-e", "a=b"], "postconf: fatal: specify one of -e -X\n"),
        (["-x", "-e", "a=b"], "postconf: fatal: specify one of -e -x\n"),
        (["-e"], "postconf: fatal: -e requires name=value argument\n"),
        (["-e", "foo"], "postconf: fatal: missing '=' after attribute name: \"foo\"\n"),
        (["-e", "=x"], "postconf: fatal: missing attribute name: \"=x\"\n"),
        (["-X"], "postconf: fatal: missing service argument\n"),
        (["-X", "a=b"], "postconf: fatal: -X or -# requires parameter names without value\n"),
        (["-o", "x"], "postconf: fatal: invalid parameter override: x: "
                      "missing '=' after attribute name\n"),
        (["-MX", "relay"], "postconf: fatal: -Me, -MX or -M# requires service_name/type\n"),
        (["-F", "smtp/inet/maxproc"],
         'postconf: fatal: invalid service attribute name: "maxproc"\n'),
        (["-Pe", "smtp/inet/x=a b"],
         "postconf: fatal: -Pe does not accept whitespace in parameter value\n"),
    ]
    for args, err in cases:
        r = t.postconf(*args, check=1)
        t.expect_eq(r.stderr, err, " ".join(args))
    t.expect_eq(t.postconf("-a").stdout, "cyrus\ndovecot\n")
    t.expect_eq(t.postconf("-A").stdout, "cyrus\n")


def test_postconf_does_not_check_values(t):
    # Like the reference: values are checked by the programs that use them.
    t.conf(smtpd_timeout="abc", biff="maybe")
    t.expect_eq(t.postconf("-h", "smtpd_timeout", "biff").stdout, "abc\nmaybe\n")


def test_malformed_main_cf(t):
    path = t.write("etc/main.cf", "# c\nfoo bar = 1\n")
    r = t.postconf("-n", check=1)
    t.expect_eq(r.stderr, f"postconf: fatal: {path}, line 2: missing '=' after attribute name: "
                '"foo bar = 1"\n')
    t.write("etc/main.cf", "= 1\n")
    r = t.postconf("-n", check=1)
    t.expect_eq(r.stderr, f'postconf: fatal: {path}, line 1: missing attribute name: "= 1"\n')
    t.write("etc/main.cf", "  bar = 1\nmail_name = x\n")
    r = t.postconf("-h", "mail_name", check=0)
    t.expect_eq(r.stdout, "x\n")
    t.expect_eq(r.stderr, f"postconf: warning: {path}: logical line must not start with "
                'whitespace: "  bar = 1"\n')
    r = t.run("postconf", "-c", t.path("nonexistent"), "-n", check=1)
    t.expect_eq(r.stderr, "postconf: fatal: open " + t.path("nonexistent") +
                "/main.cf: No such file or directory\n")


def test_malformed_master_cf(t):
    path = master_path(t)
    cases = [
        ("smtp inet n - y -\n", f"postconf: fatal: file {path}: line 2: bad field count\n"),
        ("smtp foo n - y - - smtpd\n",
         'postconf: fatal: invalid type field "foo" in "smtp foo n - y - - smtpd"\n'),
        ("smtp inet n - x - - smtpd\n",
         'postconf: fatal: invalid chroot field "x" in "smtp inet n - x - - smtpd"\n'),
        ("smtp inet n - y 10 x smtpd\n",
         'postconf: fatal: invalid process_limit field "x" in "smtp inet n - y 10 x smtpd"\n'),
    ]
    for text, err in cases:
        t.write("etc/master.cf", "# c\n" + text)
        r = t.postconf("-M", check=1)
        t.expect_eq(r.stderr, err, text)
    t.write("etc/master.cf", "  smtp inet n - y - - smtpd\nx unix - - n - - smtpd {a b\n")
    r = t.postconf("-M", check=0)
    t.expect_eq(r.stdout, "x          unix  -       -       n       -       -       smtpd a b\n")
    t.expect_eq(r.stderr, f"postconf: warning: {path}: logical line must not start with "
                'whitespace: "  smtp inet n - y - - smtpd"\n'
                "postconf: warning: master.cf: missing '}' in \"{a b\"\n")


def test_master_listings(t):
    r = t.postconf("-M", "smtp/inet", "relay", "bogus")
    t.expect_eq(r.stdout,
                "smtp       inet  n       -       y       -       -       smtpd\n"
                "relay      unix  -       -       y       -       -       smtp "
                "-o syslog_name=postfix/$service_name\n")
    t.expect_eq(r.stderr, 'postconf: warning: unmatched request: "bogus"\n')
    r = t.postconf("-Mf", "relay/unix", "postlog")
    t.expect_eq(r.stdout,
                "relay      unix  -       -       y       -       -       smtp\n"
                "    -o syslog_name=postfix/$service_name\n"
                "postlog    unix-dgram n  -       n       -       1       postlogd\n")
    t.expect_eq(t.postconf("-F", "pickup/unix").stdout,
                "pickup/unix/service = pickup\npickup/unix/type = unix\n"
                "pickup/unix/private = n\npickup/unix/unprivileged = -\n"
                "pickup/unix/chroot = y\npickup/unix/wakeup = 60\n"
                "pickup/unix/process_limit = 1\npickup/unix/command = pickup\n")
    t.expect_eq(t.postconf("-P").stdout, "relay/unix/syslog_name = postfix/$service_name\n")
    t.expect_eq(t.postconf("-Px").stdout, "relay/unix/syslog_name = postfix/\n")
    services = [line.split()[0] + "/" + line.split()[1]
                for line in t.postconf("-M").stdout.splitlines()]
    t.expect_eq(services, ["smtp/inet", "pickup/unix", "cleanup/unix", "qmgr/unix",
                           "tlsmgr/unix", "rewrite/unix", "bounce/unix", "defer/unix",
                           "trace/unix", "verify/unix", "flush/unix", "proxymap/unix",
                           "proxywrite/unix", "smtp/unix", "relay/unix", "showq/unix",
                           "error/unix", "retry/unix", "discard/unix", "local/unix",
                           "virtual/unix", "lmtp/unix", "anvil/unix", "scache/unix",
                           "postlog/unix-dgram"])


MASTER_CF = """# top
smtp      inet  n       -       y       -       -       smtpd
#  -o foo=bar
relay     unix  -       -       y       -       -       smtp
        -o syslog_name=postfix/$service_name
# tail
"""


def test_master_edits(t):
    path = t.write("etc/master.cf", MASTER_CF)
    t.postconf("-Pe", "relay/unix/smtp_helo_timeout=5")
    t.expect_eq(read(path), "# top\nsmtp      inet  n       -       y       -       -       smtpd\n"
                "#  -o foo=bar\n# tail\n"
                "relay      unix  -       -       y       -       -       smtp\n"
                "    -o syslog_name=postfix/$service_name\n    -o smtp_helo_timeout=5\n")
    t.write("etc/master.cf", MASTER_CF)
    t.postconf("-PX", "relay/unix/syslog_name")
    t.expect_eq(read(path), "# top\nsmtp      inet  n       -       y       -       -       smtpd\n"
                "#  -o foo=bar\n# tail\n"
                "relay      unix  -       -       y       -       -       smtp\n")
    t.write("etc/master.cf", MASTER_CF)
    t.postconf("-Fe", "smtp/inet/chroot=n", "relay/unix/command=smtp -v")
    t.expect_eq(read(path), "# top\n#  -o foo=bar\n"
                "smtp       inet  n       -       n       -       -       smtpd\n# tail\n"
                "relay      unix  -       -       y       -       -       smtp -v\n")
    t.write("etc/master.cf", MASTER_CF)
    t.postconf("-Me", "smtp/inet=smtp inet n - n - 5 smtpd -o x=y",
               "submission/inet=submission inet n - n - - smtpd -o a=b")
    t.expect_eq(read(path), "# top\nsmtp       inet  n       -       n       -       5       smtpd\n"
                "    -o x=y\n#  -o foo=bar\n"
                "relay     unix  -       -       y       -       -       smtp\n"
                "        -o syslog_name=postfix/$service_name\n# tail\n"
                "submission inet  n       -       n       -       -       smtpd\n    -o a=b\n")
    t.write("etc/master.cf", MASTER_CF)
    t.postconf("-M#", "relay/unix")
    t.expect_eq(read(path), MASTER_CF.replace("relay     unix", "#relay     unix")
                .replace("        -o syslog", "#        -o syslog"))
    t.write("etc/master.cf", MASTER_CF)
    t.postconf("-MX", "relay/unix")
    t.expect_eq(read(path), "# top\nsmtp      inet  n       -       y       -       -       smtpd\n"
                "#  -o foo=bar\n# tail\n")
    t.write("etc/master.cf", MASTER_CF)
    r = t.postconf("-Pe", "nosuch/inet/x=y")
    t.expect_eq(r.stderr, 'postconf: warning: unmatched service_name/type: "nosuch/inet/x=y"\n')
    r = t.postconf("-Fe", "smtp/inet/type=bogus", check=1)
    t.expect_eq(r.stderr, 'postconf: fatal: invalid type field "bogus" in "bogus"\n')
    t.expect_eq(read(path), MASTER_CF)


def test_master_cf_parameters_are_known(t):
    t.write("etc/master.cf", "smtp inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua\n"
            "  -o baz=1\n")
    r = t.postconf("-n")
    t.expect_eq(sorted(r.stderr.splitlines()), [
        f"postconf: warning: {master_path(t)}: undefined parameter: mua",
        f"postconf: warning: {master_path(t)}: unused parameter: baz=1",
    ])
    t.conf(mua="permit")
    r = t.postconf("-n", "mua")
    t.expect_eq(r.stdout, "mua = permit\n")
    t.expect_eq(r.stderr, f"postconf: warning: {master_path(t)}: unused parameter: baz=1\n")
