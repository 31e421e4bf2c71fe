"""Throwaway instances for end-to-end tests.

An Instance is a private mail system in a temporary directory: its own
config directory (main.cf, master.cf), queue, data directory and log file,
using the binaries of one build directory. It never reads or writes the
machine's own mail configuration: every command runs with MAIL_CONFIG and -c
pointing at the instance.

    def test_something(t):           # t is an Instance
        t.conf(myhostname="host.example")
        r = t.run("postconf", "-h", "myhostname")
        t.expect_eq(r.stdout, "host.example\\n")
"""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Skip(Exception):
    """Raised by a scenario that cannot run here, with the reason."""


class Failure(AssertionError):
    pass


def free_port():
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unprivileged_account():
    """(user, group) that instance daemons run as."""
    if os.geteuid() != 0:
        pw = pwd.getpwuid(os.geteuid())
        return pw.pw_name, grp.getgrgid(pw.pw_gid).gr_name
    name = "pftest"
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "--user-group", name], check=False, capture_output=True)
    try:
        grp.getgrnam("pftestdrop")
    except KeyError:
        subprocess.run(["groupadd", "--system", "pftestdrop"], check=False, capture_output=True)
    return name, "pftestdrop"


class Instance:
    def __init__(self, build, name="instance"):
        self.build = os.path.abspath(build)
        self.bindir = os.path.join(self.build, "bin")
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        self.dir = tempfile.mkdtemp(prefix=f"pf-{safe[:60]}-")
        os.chmod(self.dir, 0o755)
        self.config_dir = os.path.join(self.dir, "etc")
        self.queue_dir = os.path.join(self.dir, "spool")
        self.data_dir = os.path.join(self.dir, "data")
        self.maillog = os.path.join(self.dir, "maillog")
        for d in (self.config_dir, self.queue_dir, self.data_dir):
            os.makedirs(d)
        self.user, self.group = unprivileged_account()
        self.smtp_port = free_port()
        self.started = False
        self.base_conf = {
            "queue_directory": self.queue_dir,
            "data_directory": self.data_dir,
            "command_directory": self.bindir,
            "daemon_directory": self.bindir,
            "mail_owner": self.user,
            "setgid_group": self.group,
            "maillog_file": self.maillog,
            "myhostname": "mail.example.test",
            "mydomain": "example.test",
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            # Programs clean their environment; the sanitizer build needs its
            # options to survive that (leak checking is off in tests).
            "import_environment": "MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C "
                                  "POSTLOG_SERVICE POSTLOG_HOSTNAME ASAN_OPTIONS UBSAN_OPTIONS "
                                  "LSAN_OPTIONS",
            "export_environment": "TZ MAIL_CONFIG LANG ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS",
        }
        self.write_main_cf(self.base_conf)
        master_cf = os.path.join(TOP, "conf", "master.cf")
        if os.path.exists(master_cf):
            shutil.copy(master_cf, os.path.join(self.config_dir, "master.cf"))

    # -- configuration ---------------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def main_cf(self):
        return os.path.join(self.config_dir, "main.cf")

    def write_main_cf(self, params, extra_text=""):
        with open(self.main_cf(), "w") as f:
            for k, v in params.items():
                f.write(f"{k} = {v}\n")
            f.write(extra_text)

    def conf(self, **params):
        """Add or change main.cf parameters (an existing setting is replaced in place)."""
        with open(self.main_cf()) as f:
            lines = f.read().splitlines()
        for k, v in params.items():
            out, replaced, skipping = [], False, False
            for line in lines:
                if skipping and line[:1] in (" ", "\t"):
                    continue            # continuation of the replaced setting
                skipping = False
                name = line.split("=", 1)[0].strip() if "=" in line and line[:1] not in "# \t" else None
                if name == k:
                    if not replaced:
                        out.append(f"{k} = {v}")
                        replaced = True
                    skipping = True
                    continue
                out.append(line)
            if not replaced:
                out.append(f"{k} = {v}")
            lines = out
        with open(self.main_cf(), "w") as f:
            f.write("\n".join(lines) + "\n")

    def write(self, relpath, text, mode=None):
        p = self.path(relpath)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        if mode is not None:
            os.chmod(p, mode)
        return p

    # -- commands --------------------------------------------------------------
    def env(self, extra=None):
        env = dict(os.environ)
        env["MAIL_CONFIG"] = self.config_dir
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        env.update(extra or {})
        return env

    def program(self, name):
        p = os.path.join(self.bindir, name)
        if not os.path.exists(p):
            raise Failure(f"program {name} was not built ({p})")
        return p

    def run(self, prog, *args, input=None, check=None, env=None, timeout=60, argv0=None):
        """Run one of the build's programs; check=N asserts the exit status."""
        cmd = [self.program(prog), *args]
        proc = subprocess.run(cmd, input=input, capture_output=True, text=True,
                              env=self.env(env), timeout=timeout, cwd=self.dir,
                              executable=cmd[0] if argv0 else None) if not argv0 else \
            subprocess.run([argv0, *args], input=input, capture_output=True, text=True,
                           env=self.env(env), timeout=timeout, cwd=self.dir, executable=cmd[0])
        if check is not None and proc.returncode != check:
            raise Failure(f"{prog} {' '.join(args)}: expected exit {check}, got {proc.returncode}\n"
                          f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")
        return proc

    def postconf(self, *args, check=0):
        return self.run("postconf", "-c", self.config_dir, *args, check=check)

    # -- waiting on events -----------------------------------------------------
    def wait_for(self, predicate, what, timeout=30.0):
        """Poll predicate until it is true; fail with 'what' after timeout."""
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise Failure(f"timed out after {timeout}s waiting for {what}")
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def log_text(self):
        try:
            with open(self.maillog, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def wait_log(self, text, timeout=30.0):
        return self.wait_for(lambda: text in self.log_text(), f"log line containing {text!r}",
                             timeout)

    # -- assertions ------------------------------------------------------------
    @staticmethod
    def expect_eq(got, want, what=""):
        if got != want:
            raise Failure(f"{what or 'value'}: expected {want!r}, got {got!r}")

    @staticmethod
    def expect_in(needle, haystack, what=""):
        if needle not in haystack:
            raise Failure(f"{what or 'text'}: expected to contain {needle!r}, got {haystack[-3000:]!r}")

    @staticmethod
    def expect_not_in(needle, haystack, what=""):
        if needle in haystack:
            raise Failure(f"{what or 'text'}: expected not to contain {needle!r}, got {haystack[-3000:]!r}")

    # -- running the mail system -----------------------------------------------
    def master_pid(self):
        """The pid in the master's pid file, or None."""
        try:
            with open(os.path.join(self.queue_dir, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def start(self, master_cf=None, check=0):
        """Run "postfix start" (root only), optionally with this master.cf text.

        Installs what a real installation has and the tests do not build
        elsewhere: postfix-files in a private meta_directory, and a data
        directory owned by mail_owner. Waits for master's start-up log line.
        """
        if os.geteuid() != 0:
            raise Skip("the master daemon runs only as root")
        if master_cf is not None:
            self.write(os.path.join("etc", "master.cf"), master_cf)
        meta = os.path.join(self.dir, "meta")
        if not os.path.isdir(meta):
            os.makedirs(meta)
            shutil.copy(os.path.join(TOP, "conf", "postfix-files"), meta)
            self.conf(meta_directory=meta)
        pw = pwd.getpwnam(self.user)
        os.chown(self.data_dir, pw.pw_uid, pw.pw_gid)
        before = self.log_text().count("daemon started")
        r = self.run("postfix", "-c", self.config_dir, "start", check=check)
        if r.returncode == 0:
            self.started = True
            self.wait_for(lambda: self.log_text().count("daemon started") > before,
                          "master start-up log line")
        return r

    # -- teardown --------------------------------------------------------------
    def stop(self):
        if self.started and os.path.exists(os.path.join(self.bindir, "postfix")):
            subprocess.run([self.program("postfix"), "-c", self.config_dir, "stop"],
                           capture_output=True, env=self.env(), timeout=60)
            self.started = False

    def log_tail(self, lines=40):
        text = self.log_text().splitlines()[-lines:]
        return ("--- maillog tail ---\n" + "\n".join(text)) if text else ""

    def keep(self, logs_dir):
        os.makedirs(logs_dir, exist_ok=True)
        dest = os.path.join(logs_dir, os.path.basename(self.dir))
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(self.dir, dest, symlinks=True, ignore_dangling_symlinks=True,
                        ignore=shutil.ignore_patterns("*.sock", "public", "private"))
        self.destroy()
        return dest

    def destroy(self):
        shutil.rmtree(self.dir, ignore_errors=True)
