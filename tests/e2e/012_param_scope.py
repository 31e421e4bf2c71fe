"""A bad parameter value stops the programs that use it, and only those.

Postfix checks a parameter where it is used: a broken smtpd_timeout makes
smtpd fail with a fatal error, while sendmail, postqueue and postconf keep
working. Parameters that every program uses (ipc_timeout here) still stop
everything. smtpd runs stand-alone (-S) with -V so that its fatal error
shows on stderr.
"""



def smtpd_session(t):
    t.conf(compatibility_level="3.6", local_recipient_maps="", alias_maps="",
           smtpd_error_sleep_time="0")
    return t.run("smtpd", "-S", "-V", input="QUIT\r\n")


def test_bad_smtpd_timeout_stops_smtpd_only(t):
    t.conf(smtpd_timeout="xyz")
    r = smtpd_session(t)
    t.expect_eq(r.returncode, 1)
    t.expect_eq(r.stderr.splitlines()[-1],
                "smtpd: fatal: parameter smtpd_timeout: bad time value or unit: xyz")
    t.expect_eq(r.stdout, "")
    r = t.run("postqueue", "-c", t.config_dir, "-p", check=0)
    t.expect_eq(r.stdout, "Mail queue is empty\n")
    t.expect_eq(t.postconf("-h", "smtpd_timeout").stdout, "xyz\n")
    t.expect_eq(t.postconf("-b").returncode, 0)
    r = t.run("sendmail", "-bv", "root", check=None)
    t.expect_eq("smtpd_timeout" in r.stderr, False, r.stderr)


def test_bad_smtpd_number_stops_smtpd(t):
    t.conf(smtpd_recipient_limit="many")
    r = smtpd_session(t)
    t.expect_eq(r.returncode, 1)
    t.expect_eq(r.stderr.splitlines()[-1],
                "smtpd: fatal: bad numerical configuration: smtpd_recipient_limit = many")
    r = t.run("postqueue", "-c", t.config_dir, "-p", check=0)
    t.expect_eq(r.stdout, "Mail queue is empty\n")


def test_good_smtpd_timeout_lets_smtpd_run(t):
    t.conf(smtpd_timeout="20s")
    r = smtpd_session(t)
    t.expect_eq(r.stdout.splitlines()[-1:], ["221 2.0.0 Bye"], r.stderr)


def test_bad_common_parameter_stops_everyone(t):
    t.conf(ipc_timeout="soon")
    want = "parameter ipc_timeout: bad time value or unit: soon"
    r = t.run("postqueue", "-c", t.config_dir, "-p", check=1)
    t.expect_eq(r.stderr, f"postqueue: fatal: {want}\n")
    r = smtpd_session(t)
    t.expect_eq(r.returncode, 1)
    t.expect_eq(r.stderr.splitlines()[-1], f"smtpd: fatal: {want}")
