#!/usr/bin/env python3
"""make bench: throughput and memory of a throwaway instance on this machine.

Scenarios (each on a fresh instance, as root, with the sample master.cf):
  discard   smtp-source -s 10 -m N -l 1024 into smtpd, delivery to discard
  relay     the same, delivery by smtp to an smtp-sink on loopback
  maildir   the same, delivery by local to a Maildir
  sendmail  sendmail injection of M messages, delivery to discard

For each: messages per second from the first connection until the last
message is removed from the queue, machine CPU seconds per message (from
/proc/stat, so run it on a quiet machine), and the peak resident memory
(VmHWM) seen for smtpd, cleanup and qmgr processes. Every accepted message
is still fsync'd before its 250: nothing here relaxes durability.

    BENCH_MESSAGES=20000 BENCH_SENDMAIL=2000 python3 tests/bench/bench.py [build] [scenario...]
"""

import glob
import os
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tests", "lib"))
import harness  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "20000"))
SENDMAIL_MESSAGES = int(os.environ.get("BENCH_SENDMAIL", "2000"))
SESSIONS = 10


def cpu_busy():
    """Machine-wide busy CPU seconds so far."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")


class PeakMemory(threading.Thread):
    """Samples VmHWM of the named daemons of one instance until stopped.

    Only children of the instance's master count: a test or another
    instance running on the machine at the same time has daemons of the
    same names."""

    def __init__(self, names, master):
        super().__init__(daemon=True)
        self.names = names
        self.master = str(master)
        self.peak = {n: 0 for n in names}
        self.running = True

    def run(self):
        while self.running:
            for status in glob.glob("/proc/[0-9]*/status"):
                try:
                    with open(status) as f:
                        text = f.read()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
                name = fields.get("Name", "").strip()
                if name in self.peak and fields.get("PPid", "").strip() == self.master:
                    hwm = fields.get("VmHWM", "0 kB").split()[0]
                    self.peak[name] = max(self.peak[name], int(hwm))
            time.sleep(0.2)


def instance_cpu(t):
    """CPU seconds used so far by the instance: master itself plus every
    daemon it has reaped (cutime/cstime), so that other load on the machine
    does not count. Daemons still running are added from their own stat."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    master = t.master_pid() if hasattr(t, "master_pid") else None
    pids = [master] if master else []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        if master and fields[1] == str(master):
            pids.append(pid)
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[11..14] = utime stime cutime cstime (after the state field)
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        total += utime + stime + (cutime + cstime if pid == master else 0)
    return total / tick


def removed_count(t):
    return t.log_text().count(": removed")


def instance(build, name, **conf):
    t = harness.Instance(build, name=f"bench-{name}")
    master_cf = open(os.path.join(TOP, "conf", "master.cf")).read()
    master_cf = master_cf.replace("\nsmtp      inet", f"\n127.0.0.1:{t.smtp_port}      inet", 1)
    t.conf(mydestination="$myhostname, localhost", compatibility_level="3.7",
           alias_maps="", alias_database="", local_recipient_maps="", **conf)
    t.start(master_cf=master_cf)
    return t


def measure(t, count, inject):
    """Run inject(), wait until count messages are removed; return figures."""
    mem = PeakMemory(["smtpd", "cleanup", "qmgr"], t.master_pid())
    mem.start()
    cpu0, icpu0, t0 = cpu_busy(), instance_cpu(t), time.monotonic()
    inject()
    t.wait_for(lambda: removed_count(t) >= count, f"{count} messages removed",
               timeout=max(600, count / 20))
    elapsed, cpu = time.monotonic() - t0, cpu_busy() - cpu0
    icpu = instance_cpu(t) - icpu0
    mem.running = False
    mem.join()
    return {"messages": count, "seconds": round(elapsed, 2), "msg_per_sec": round(count / elapsed, 1),
            "cpu_ms_per_msg": round(1000 * cpu / count, 3),
            "instance_cpu_ms_per_msg": round(1000 * icpu / count, 3),
            "peak_rss_kb": mem.peak}


def smtp_source(t, count, extra_to="user@elsewhere.test"):
    subprocess.run([t.program("smtp-source"), "-s", str(SESSIONS), "-m", str(count), "-l", "1024",
                    "-f", "bench@example.test", "-t", extra_to, f"127.0.0.1:{t.smtp_port}"],
                   check=True, timeout=3600)


def scenario_discard(build):
    t = instance(build, "discard", default_transport="discard", mynetworks="127.0.0.0/8")
    try:
        return measure(t, MESSAGES, lambda: smtp_source(t, MESSAGES))
    finally:
        t.stop()
        t.destroy()


def scenario_relay(build):
    sink_port = harness.free_port()
    sink = subprocess.Popen([os.path.join(build, "bin", "smtp-sink"), "-u", "nobody", "-c",
                             f"127.0.0.1:{sink_port}", "256"], stdout=subprocess.DEVNULL)
    t = instance(build, "relay", relayhost=f"[127.0.0.1]:{sink_port}", mynetworks="127.0.0.0/8",
                 smtp_connection_cache_on_demand="yes")
    try:
        return measure(t, MESSAGES, lambda: smtp_source(t, MESSAGES))
    finally:
        t.stop()
        t.destroy()
        sink.terminate()


def scenario_maildir(build):
    t = instance(build, "maildir", mynetworks="127.0.0.0/8", home_mailbox="Maildir/")
    home = t.path("home")
    os.makedirs(home)
    subprocess.run(["useradd", "-d", home, "-M", "pfbench"], capture_output=True)
    subprocess.run(["chown", "pfbench", home], check=True)
    try:
        return measure(t, MESSAGES, lambda: smtp_source(t, MESSAGES, "pfbench@localhost"))
    finally:
        t.stop()
        t.destroy()
        subprocess.run(["userdel", "pfbench"], capture_output=True)


def scenario_sendmail(build):
    t = instance(build, "sendmail", default_transport="discard")
    body = "Subject: bench\n\n" + ("x" * 70 + "\n") * 14

    def inject():
        for _ in range(SENDMAIL_MESSAGES):
            t.run("sendmail", "-f", "bench@example.test", "user@elsewhere.test", input=body, check=0)
    try:
        return measure(t, SENDMAIL_MESSAGES, inject)
    finally:
        t.stop()
        t.destroy()


SCENARIOS = {"discard": scenario_discard, "relay": scenario_relay,
             "maildir": scenario_maildir, "sendmail": scenario_sendmail}


def main():
    args = sys.argv[1:]
    build = os.path.abspath(args.pop(0) if args and not args[0] in SCENARIOS else "build")
    if os.geteuid() != 0:
        print("bench: the instance's master runs only as root", file=sys.stderr)
        return 1
    wanted = args or list(SCENARIOS)
    needs_smtpd = {"discard", "relay", "maildir"}
    for name in wanted:
        if name in needs_smtpd and not os.path.exists(os.path.join(build, "bin", "smtpd")):
            print(f"{name}: skipped: smtpd is not built")
            continue
        result = SCENARIOS[name](build)
        print(f"{name}: {result}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
