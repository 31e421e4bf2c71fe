"""make install: the Postfix file layout under DESTDIR."""

import os
import stat
import subprocess

from harness import TOP, Failure


def install(t, destdir, **params):
    env = dict(os.environ)
    env.update(params)
    proc = subprocess.run(["sh", os.path.join(TOP, "conf", "post-install.sh"), t.build, destdir],
                          capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode != 0:
        raise Failure(f"post-install.sh failed: {proc.stdout}{proc.stderr}")
    return proc


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_install_puts_commands_daemons_and_queue_in_postfix_layout(t):
    dest = t.path("destdir")
    install(t, dest)
    for prog in ("postconf", "postmap", "postalias"):
        if os.path.exists(os.path.join(t.bindir, prog)):
            t.expect_eq(mode_of(f"{dest}/usr/sbin/{prog}"), 0o755, f"mode of {prog}")
    t.expect_eq(os.path.isfile(f"{dest}/etc/postfix/postfix-files"), True, "postfix-files installed")
    t.expect_eq(os.path.isdir(f"{dest}/usr/libexec/postfix"), True, "daemon directory")
    for q, mode in (("incoming", 0o700), ("active", 0o700), ("deferred", 0o700), ("hold", 0o700),
                    ("maildrop", 0o730), ("public", 0o710), ("private", 0o700), ("pid", 0o755)):
        t.expect_eq(mode_of(f"{dest}/var/spool/postfix/{q}"), mode, f"mode of queue {q}")
    t.expect_eq(mode_of(f"{dest}/var/lib/postfix"), 0o700, "data directory mode")
    if os.path.exists(os.path.join(t.bindir, "sendmail")):
        t.expect_eq(os.readlink(f"{dest}/usr/bin/mailq"), "/usr/sbin/sendmail", "mailq link")
        t.expect_eq(os.readlink(f"{dest}/usr/bin/newaliases"), "/usr/sbin/sendmail", "newaliases link")
    for page in os.listdir(os.path.join(TOP, "man", "man1")):
        if os.path.exists(os.path.join(t.bindir, page.rsplit(".", 1)[0])):
            t.expect_eq(os.path.isfile(f"{dest}/usr/share/man/man1/{page}"), True, f"man page {page}")


def test_install_parameters_on_the_command_line_move_the_tree(t):
    dest = t.path("destdir")
    proc = install(t, dest, config_directory="/opt/pf/etc", queue_directory="/opt/pf/spool",
                   command_directory="/opt/pf/sbin", daemon_directory="/opt/pf/libexec")
    t.expect_eq(os.path.isdir(f"{dest}/opt/pf/spool/incoming"), True, "queue moved")
    t.expect_eq(os.path.isfile(f"{dest}/opt/pf/etc/postfix-files"), False, "meta stays in meta_directory")
    main_cf = f"{dest}/opt/pf/etc/main.cf"
    if os.path.exists(os.path.join(TOP, "conf", "main.cf")):
        with open(main_cf) as f:
            text = f.read()
        t.expect_in("queue_directory = /opt/pf/spool", text, "installed main.cf")
        t.expect_in("daemon_directory = /opt/pf/libexec", text, "installed main.cf")
    t.expect_in("installed into", proc.stdout)


def test_installer_reports_what_it_skips(t):
    proc = install(t, t.path("destdir"))
    for line in proc.stdout.splitlines():
        if line.startswith("post-install: not built yet, skipped: "):
            name = os.path.basename(line.split(": ")[-1])
            t.expect_eq(os.path.exists(os.path.join(t.bindir, name)), False,
                        f"{name} reported as not built")
