"""The master daemon, the daemon skeletons and the postfix command.

Every scenario that runs the master needs root (t.start() skips otherwise).
Services are the test daemons of src/testdaemons: test-echo (one client at a
time, answers "id", "pid", "param", "quit"), test-multi, test-event (greets
and hangs up), test-trigger and test-dgram (log each trigger or datagram)
and test-crash (dies at start-up).
"""

import grp
import os
import pwd
import select
import signal
import shutil
import socket
import subprocess

from harness import TOP, Failure, Skip


def sock_path(t, name, public=True):
    return os.path.join(t.queue_dir, "public" if public else "private", name)


class Client:
    """A line-oriented client of a test service."""

    def __init__(self, t, name=None, port=None, timeout=20):
        if port is not None:
            self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        else:
            path = sock_path(t, name)
            t.wait_for(lambda: os.path.exists(path), f"socket {path}")
            self.sock = socket.socket(socket.AF_UNIX)
            self.sock.settimeout(timeout)
            self.sock.connect(path)
        self.buf = b""

    def ready(self, seconds):
        """Whether a reply arrives within seconds (bounded wait, not a sleep)."""
        if b"\n" in self.buf:
            return True
        r, _, _ = select.select([self.sock], [], [], seconds)
        return bool(r)

    def line(self):
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise Failure(f"connection closed, got {self.buf!r}")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def ask(self, text):
        self.sock.sendall(text.encode() + b"\n")
        return self.line()

    def close(self):
        self.sock.close()


def proc_uid(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return [int(x) for x in line.split()[1:]]
    raise Failure(f"no Uid line for pid {pid}")


def proc_cmdline(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return [a.decode() for a in f.read().split(b"\0") if a]


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


ECHO_CF = "echo      unix  n       -       n       -       2       test-echo\n"


def test_master_spawns_service_on_demand_with_dropped_privileges(t):
    t.start(ECHO_CF)
    t.expect_not_in("echo: started", t.log_text(), "log before any client")
    c = Client(t, "echo")
    greeting = c.line()
    t.expect_eq(greeting.split(" pid ")[0], "hello echo", "greeting")
    pid = int(greeting.split(" pid ")[1])
    pw = pwd.getpwnam(t.user)
    t.expect_eq(c.ask("id"), f"uid={pw.pw_uid} euid={pw.pw_uid} gid={pw.pw_gid} egid={pw.pw_gid}",
                "ids reported by the daemon")
    t.expect_eq(proc_uid(pid), [pw.pw_uid] * 4, "process owner in /proc")
    t.expect_eq(proc_cmdline(pid), ["test-echo", "-n", "echo", "-t", "unix", "-u"],
                "child argument vector")
    t.expect_eq(c.ask("quit"), "bye", "quit")
    c.close()
    t.wait_log(f"postfix/test-echo[{pid}]: echo: started as uid {pw.pw_uid}")


def test_chroot_column_confines_the_daemon_to_the_queue(t):
    t.start("jail unix n - y - 1 test-echo\n")
    c = Client(t, "jail")
    pid = int(c.line().split(" pid ")[1])
    t.expect_eq(os.readlink(f"/proc/{pid}/root"), os.path.realpath(t.queue_dir), "root dir")
    t.expect_eq(proc_cmdline(pid), ["test-echo", "-l", "-n", "jail", "-t", "unix", "-u", "-c"],
                "argv")
    t.expect_eq(c.ask("ping"), "jail: ping", "served from the jail")
    c.close()


def test_child_gets_overrides_and_process_limit_flags(t):
    port = t.smtp_port
    t.start(f"{port} inet n - n - 1 test-echo -o syslog_name=postfix/$service_name\n")
    c = Client(t, port=port)
    pid = int(c.line().split(" pid ")[1])
    t.expect_eq(c.ask("param"), f"service_name={port} syslog_name=postfix/{port}", "-o override")
    t.expect_eq(proc_cmdline(pid), ["test-echo", "-l", "-n", str(port), "-t", "inet", "-u",
                                    "-o", "syslog_name=postfix/$service_name"], "argv")
    t.wait_log(f"postfix/{port}/test-echo[{pid}]: {port}: started as uid")
    c.close()


def test_maxproc_makes_extra_clients_wait(t):
    t.start(ECHO_CF)
    first, second, third = Client(t, "echo"), Client(t, "echo"), Client(t, "echo")
    pids = {first.line().split(" pid ")[1], second.line().split(" pid ")[1]}
    t.expect_eq(len(pids), 2, "two processes for two clients")
    t.expect_eq(third.ready(1.5), False, "third client waits while maxproc 2 are busy")
    first.ask("quit")
    first.close()
    t.expect_eq(third.line().split(" pid ")[1] in pids, True, "third served by a freed process")
    for c in (second, third):
        c.close()
    # Local services wait silently; only internet services warn (stress mode).
    t.expect_not_in("has reached its process limit", t.log_text(), "log of a local service")


def test_inet_service_at_its_limit_warns(t):
    port = t.smtp_port
    t.start(f"{port} inet n - n - 1 test-echo\n")
    first = Client(t, port=port)
    first.line()
    second = Client(t, port=port)
    t.expect_eq(second.ready(1.0), False, "second client waits while maxproc 1 is busy")
    t.wait_log(f'warning: service "{port}" ({port}) has reached its process limit "1": '
               'new clients may experience noticeable delays')
    first.ask("quit")
    first.close()
    second.line()
    second.close()


def test_multi_server_serves_concurrent_clients_in_one_process(t):
    t.start("multi unix n - n - - test-multi\n")
    a, b = Client(t, "multi"), Client(t, "multi")
    pa, pb = a.ask("pid"), b.ask("pid")
    t.expect_eq(pa, pb, "same process for both clients")
    t.expect_eq(a.ask("hello"), "multi: hello", "echo")
    a.close()
    b.close()


def test_wakeup_timer_triggers_and_conditional_waits_for_use(t):
    t.start("trig unix n - n 1 1 test-trigger\n"
            "cond unix n - n 1? 1 test-trigger\n")
    t.wait_for(lambda: t.log_text().count("trig: trigger received: W") >= 2,
               "two wakeups of trig")
    t.expect_not_in("cond: trigger received", t.log_text(), "conditional wakeup before use")
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock_path(t, "cond"))
    s.sendall(b"X")
    s.close()
    t.wait_log("cond: trigger received: X")
    t.wait_log("cond: trigger received: W")


def test_event_server_greets_clients_from_one_process(t):
    t.start("ev unix n - n - 1 test-event\n")
    a = Client(t, "ev")
    first = a.line()
    t.expect_eq(first.startswith("hello ev pid "), True, "greeting")
    t.expect_eq(a.sock.recv(100), b"", "event service hangs up after the greeting")
    b = Client(t, "ev")
    t.expect_eq(b.line(), first, "second client, same process")
    a.close()
    b.close()


def test_dgram_server_receives_datagrams(t):
    t.start("dg unix-dgram n - n - 1 test-dgram\n")
    path = sock_path(t, "dg")
    t.wait_for(lambda: os.path.exists(path), f"socket {path}")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.sendto(b"first datagram", path)
    t.wait_log("dg: trigger received: first datagram")
    s.sendto(b"second", path)
    t.wait_log("dg: trigger received: second")
    s.close()


def test_fifo_trigger_reaches_the_trigger_server(t):
    t.start("tf fifo n - n - 1 test-trigger\n")
    path = sock_path(t, "tf")
    t.wait_for(lambda: os.path.exists(path), f"fifo {path}")
    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    os.write(fd, b"Z")
    os.close(fd)
    t.wait_log("tf: trigger received: Z")


def test_use_and_idle_limits_end_the_process(t):
    t.start("once unix n - n - - test-multi -o max_use=1\n"
            "idle unix n - n - - test-multi -o max_idle=1\n"
            "ev1 unix n - n - - test-event -o max_use=1\n")
    for name in ("once", "idle"):
        c = Client(t, name)
        pid = int(c.ask("pid").split("=")[1])
        c.close()
        t.wait_for(lambda: not alive(pid), f"{name} process {pid} exits")
    c = Client(t, "ev1")
    pid = int(c.line().split()[-1])
    c.close()
    t.wait_for(lambda: not alive(pid), f"event process {pid} exits after one client")


def standalone(t, prog, text):
    """Run a daemon with -S, standard input and output on one end of a socket pair."""
    mine, theirs = socket.socketpair()
    proc = subprocess.Popen([t.program(prog), "-S"], stdin=theirs.fileno(),
                            stdout=theirs.fileno(), stderr=subprocess.PIPE,
                            env=t.env(), cwd=t.dir)
    theirs.close()
    mine.settimeout(20)
    try:
        mine.sendall(text)
        mine.shutdown(socket.SHUT_WR)
    except BrokenPipeError:
        pass    # the daemon is gone already: its exit status and output tell why
    out = b""
    while True:
        data = mine.recv(4096)
        if not data:
            break
        out += data
    mine.close()
    err = proc.communicate(timeout=20)[1]
    t.expect_eq(proc.returncode, 0, f"{prog} -S exit status ({err!r})")
    return out.decode()


def test_stand_alone_mode_serves_standard_input(t):
    out = standalone(t, "test-echo", b"ping\nquit\n").splitlines()
    t.expect_eq(out[0].startswith("hello test-echo pid "), True, "single server greeting")
    t.expect_eq(out[1:], ["test-echo: ping", "bye"], "single server answers")
    t.expect_eq(standalone(t, "test-multi", b"ping\n"), "test-multi: ping\n", "multi server")
    t.expect_eq(standalone(t, "test-event", b"").startswith("hello test-event pid "), True,
                "event server greeting")


def test_reload_adds_and_removes_services(t):
    t.start("one unix n - n - - test-echo\n")
    c = Client(t, "one")
    t.expect_eq(c.line().startswith("hello one"), True, "service one works")
    c.close()
    pid = t.master_pid()
    t.write(os.path.join("etc", "master.cf"), "two unix n - n - - test-echo\n")
    r = t.run("postfix", "-c", t.config_dir, "reload", check=0)
    t.expect_eq(r.stderr, "postfix/postfix-script: refreshing the Postfix mail system\n",
                "reload message")
    t.wait_log("postfix/master[%d]: reload -- version" % pid)
    c = Client(t, "two")
    t.expect_eq(c.line().startswith("hello two"), True, "service two works")
    c.close()
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(sock_path(t, "one"))
        raise Failure("service one still accepts connections after reload")
    except (ConnectionRefusedError, FileNotFoundError):
        pass
    t.expect_eq(t.master_pid(), pid, "master pid unchanged by reload")


def test_broken_master_cf_on_reload_keeps_running_configuration(t):
    t.start(ECHO_CF)
    cf = os.path.join(t.config_dir, "master.cf")
    t.write(os.path.join("etc", "master.cf"), ECHO_CF + "bad unix x - n - - test-echo\n")
    t.run("postfix", "-c", t.config_dir, "reload", check=0)
    t.wait_log(f'warning: {cf}: line 2: field "private": bad value: "x"')
    c = Client(t, "echo")
    t.expect_eq(c.line().startswith("hello echo"), True, "old configuration still serves")
    c.close()


def test_broken_master_cf_line_refuses_start(t):
    if os.geteuid() != 0:
        raise Skip("the master daemon runs only as root")
    cf = os.path.join(t.config_dir, "master.cf")
    for line, why in (("bad unix x - n - - test-echo", 'field "private": bad value: "x"'),
                      ("bad blah n - n - - test-echo", "bad transport type: blah"),
                      ("bad unix n - n - -", 'missing "command" field'),
                      ("bad inet - - n - - test-echo", "inet service cannot be private"),
                      ("bad unix n - n - x test-echo", 'field "max_proc": bad value: "x"')):
        r = t.start("echo unix n - n - - test-echo\n" + line + "\n", check=1)
        t.expect_eq(r.stderr.splitlines()[-1],
                    "postfix/postfix-script: fatal: mail system startup failed", "start")
        t.wait_log(f"postfix/master[")
        t.expect_in(f"fatal: {cf}: line 2: {why}", t.log_text(), "master's complaint")
        t.expect_eq(t.run("postfix", "-c", t.config_dir, "status").returncode, 1, "not running")


def test_second_start_is_refused_and_status_reports_pid(t):
    t.start(ECHO_CF)
    r = t.run("postfix", "-c", t.config_dir, "start", check=1)
    t.expect_eq(r.stderr, "postfix/postfix-script: fatal: the Postfix mail system is already "
                "running\n", "second start")
    r = t.run("postfix", "-c", t.config_dir, "status", check=0)
    t.expect_eq(r.stderr, "postfix/postfix-script: the Postfix mail system is running: "
                f"PID: {t.master_pid()}\n", "status")
    with open(os.path.join(t.queue_dir, "pid", "master.pid")) as f:
        t.expect_eq(f.read(), "%32d\n" % t.master_pid(), "pid file format")


def test_stop_ends_master_and_children(t):
    t.start(ECHO_CF)
    c = Client(t, "echo")
    child = int(c.line().split(" pid ")[1])
    master = t.master_pid()
    r = t.run("postfix", "-c", t.config_dir, "stop", check=0)
    t.expect_eq(r.stderr, "postfix/postfix-script: stopping the Postfix mail system\n", "stop")
    t.started = False
    t.wait_for(lambda: not alive(master), "master exit")
    t.wait_for(lambda: not alive(child), "child exit")
    t.wait_log("postfix/master[%d]: terminating on signal 15" % master)
    r = t.run("postfix", "-c", t.config_dir, "status", check=1)
    t.expect_eq(r.stderr, "postfix/postfix-script: the Postfix mail system is not running\n",
                "status after stop")
    for cmd in ("stop", "reload", "abort"):
        r = t.run("postfix", "-c", t.config_dir, cmd, check=1)
        t.expect_eq(r.stderr, "postfix/postfix-script: fatal: the Postfix mail system is not "
                    "running\n", cmd)
    c.close()


def test_crashing_service_is_throttled(t):
    t.start("crash unix n - n - - test-crash\n")
    path = sock_path(t, "crash")
    t.wait_for(lambda: os.path.exists(path), "crash socket")
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    prog = os.path.join(t.bindir, "test-crash")
    t.wait_log(f"warning: {prog}: bad command startup -- throttling")
    text = t.log_text()
    t.expect_in(f"postfix/test-crash[", text, "child's own complaint")
    t.expect_in("fatal: crash: cannot start, as configured for this test", text, "child fatal")
    exits = [line for line in text.splitlines() if f"process {prog} pid " in line]
    t.expect_eq(len(exits), 1, "one failed process")
    t.expect_eq(exits[0].split("]: ", 1)[1].split(" pid ")[0], f"warning: process {prog}",
                "exit warning")
    t.expect_eq(exits[0].endswith("exit status 1"), True, "exit status logged")
    # Throttled: the waiting client does not make the master start another one.
    s2 = socket.socket(socket.AF_UNIX)
    s2.connect(path)
    select.select([s2], [], [], 1.5)
    t.expect_eq(t.log_text().count(f"process {prog} pid "), 1, "no respawn while throttled")
    s.close()
    s2.close()


def test_kill_9_of_master_does_not_block_next_start(t):
    t.start(ECHO_CF)
    c = Client(t, "echo")
    child = int(c.line().split(" pid ")[1])
    c.close()
    os.kill(t.master_pid(), signal.SIGKILL)
    t.wait_for(lambda: t.run("postfix", "-c", t.config_dir, "status").returncode == 1,
               "status not running after kill -9")
    t.wait_for(lambda: not alive(child), "orphaned child notices that master is gone")
    t.start()
    c = Client(t, "echo")
    t.expect_eq(c.line().startswith("hello echo"), True, "new master serves")
    c.close()


def test_postfix_check_passes_on_sample_configuration(t):
    if os.geteuid() != 0:
        raise Skip("postfix check is reserved for the superuser")
    if not os.path.exists(os.path.join(t.config_dir, "master.cf")):
        raise Skip("conf/master.cf sample not present yet")
    meta = t.path("meta")
    os.makedirs(meta)
    shutil.copy(os.path.join(TOP, "conf", "postfix-files"), meta)
    t.conf(meta_directory=meta)
    pw = pwd.getpwnam(t.user)
    os.chown(t.data_dir, pw.pw_uid, pw.pw_gid)
    # As installed: the set-gid commands belong to setgid_group, mode 2755.
    commands = t.path("sbin")
    shutil.copytree(t.bindir, commands)
    gid = grp.getgrnam(t.group).gr_gid
    for prog in ("postdrop", "postqueue", "postlog"):
        path = os.path.join(commands, prog)
        if os.path.exists(path):
            os.chown(path, 0, gid)
            os.chmod(path, 0o2755)
    t.conf(command_directory=commands)
    r = t.run("postfix", "-c", t.config_dir, "check")
    t.expect_eq((r.returncode, r.stdout, r.stderr), (0, "", ""), "postfix check")
    for q, mode in (("maildrop", 0o1730), ("public", 0o2710), ("private", 0o700),
                    ("incoming", 0o700), ("pid", 0o755)):
        st = os.stat(os.path.join(t.queue_dir, q))
        t.expect_eq(oct(st.st_mode & 0o7777), oct(mode & 0o777), f"mode of {q}")
    # A problem is reported the way postfix-script reports it.
    os.chmod(os.path.join(t.config_dir, "main.cf"), 0o666)
    r = t.run("postfix", "-c", t.config_dir, "check", check=0)
    t.expect_eq(r.stderr, "postfix/postfix-script: warning: group or other writable: "
                f"{t.config_dir}/./main.cf\n", "warning")


def test_postfix_command_refuses_unknown_command(t):
    if os.geteuid() != 0:
        raise Skip("the postfix command is reserved for the superuser")
    r = t.run("postfix", "-c", t.config_dir, "bogus", check=1)
    t.expect_eq(r.stderr, "postfix/postfix-script: fatal: unknown command: 'bogus'. Usage: "
                "postfix start (or stop, reload, abort, flush, check, status, set-permissions, "
                "upgrade-configuration, logrotate)\n", "unknown command")
