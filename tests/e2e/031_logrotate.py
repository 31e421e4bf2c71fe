"""postfix logrotate: rename maillog_file, tell the master, compress the old file.

As in Postfix 3.4 and later: the file becomes "$maillog_file.SUFFIX" with
SUFFIX the local time in maillog_file_rotate_suffix format, the master
(when one runs) gets SIGHUP and reopens the file, and the renamed file is
then handed to maillog_file_compressor.
"""

import glob
import gzip
import os
import re
import time

from harness import Skip


def need_root():
    if os.geteuid() != 0:
        raise Skip("the postfix command is reserved for the superuser")


def logrotate(t, check):
    return t.run("postfix", "-c", t.config_dir, "logrotate", check=check)


def test_logrotate_with_running_master(t):
    t.start("one unix n - n - - test-echo\n")
    pid = t.master_pid()
    before = t.log_text()
    t.expect_in("daemon started", before)
    logrotate(t, 0)
    rotated = glob.glob(t.maillog + ".*")
    t.expect_eq(len(rotated), 1, f"rotated files {rotated}")
    t.expect_eq(re.fullmatch(re.escape(t.maillog) + r"\.\d{8}-\d{6}\.gz", rotated[0]) is not None,
                True, rotated[0])
    with gzip.open(rotated[0], "rt") as f:
        t.expect_eq(f.read().startswith(before), True, "old lines in the compressed file")
    # The master reopened maillog_file: its reload line starts the new file.
    t.wait_log("postfix/master[%d]: reload -- version" % pid)
    t.expect_eq("daemon started" in t.log_text(), False, "new file holds only new lines")


def test_logrotate_suffix_and_compressor(t):
    need_root()
    t.write("maillog", "old line\n")
    t.write("compress", "#!/bin/sh\necho compressed \"$@\" >> %s\n" % t.path("calls"), mode=0o755)
    t.conf(maillog_file_rotate_suffix="%Y", maillog_file_compressor=t.path("compress"))
    logrotate(t, 0)
    year = time.strftime("%Y")
    with open(t.maillog + "." + year) as f:
        t.expect_eq(f.read(), "old line\n")
    with open(t.path("calls")) as f:
        t.expect_eq(f.read(), f"compressed {t.maillog}.{year}\n")


def test_logrotate_errors(t):
    need_root()
    prefix = "postfix/postfix-script: fatal: "
    # The postfix command itself creates maillog_file: only a missing
    # directory makes a missing file.
    missing = t.path("nodir", "maillog")
    t.conf(maillog_file=missing)
    r = logrotate(t, 1)
    t.expect_eq(r.stderr.splitlines()[-1], f"{prefix}logfile '{missing}' rotation failed: mv: "
                f"cannot stat '{missing}': No such file or directory")
    t.conf(maillog_file=t.maillog)
    r = t.run("postfix", "-c", t.config_dir, "logrotate", "now", check=1)
    t.expect_eq(r.stderr, f"{prefix}usage postfix logrotate (no arguments)\n")
    t.write("maillog", "old line\n")
    t.conf(maillog_file_compressor="no-such-compressor")
    r = logrotate(t, 1)
    t.expect_eq(r.stderr.splitlines()[-1],
                f"{prefix}logfile '{t.maillog}' rotation failed: no-such-compressor: "
                "No such file or directory")
    # As with Postfix, the two with a minimum length fail when main.cf is read.
    t.conf(maillog_file_compressor="gzip")
    for name in ("maillog_file_compressor", "maillog_file_rotate_suffix"):
        t.conf(**{name: ""})
        r = logrotate(t, 1)
        t.expect_eq(r.stderr, f"postfix: fatal: bad string length 0 < 1: {name} = \n")
        t.conf(maillog_file_compressor="gzip", maillog_file_rotate_suffix="%Y%m%d-%H%M%S")
    t.conf(maillog_file="")
    r = logrotate(t, 1)
    t.expect_eq(r.stderr, f"{prefix}empty 'maillog_file' parameter value - logfile rotation "
                "failed\n")
    t.conf(maillog_file="/dev/stdout")
    r = logrotate(t, 1)
    t.expect_eq(r.stderr, f"{prefix}not rotating '/dev/stdout'\n")
