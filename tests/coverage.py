#!/usr/bin/env python3
"""Line coverage of the libraries (src/util, src/global, src/master).

    tests/coverage.py --reset BUILD     zero the counters before a run
    tests/coverage.py BUILD [-o FILE]   print the per-file table

BUILD is a tree made with "make COVERAGE=1" (build-cov). Instrumented
programs add their counts to BUILD/obj/<dir>/<file>.gcda when they exit.
Daemons of a test instance run as an unprivileged account and cannot create
files in a root-owned tree, so --reset leaves an empty, world-writable
counter file next to every object (an empty file counts as "no data yet").

The report needs only gcov (part of gcc). Per library it lists each module,
its executable lines, the lines that ran, the percentage, and whether the
module has a <module>_test.c of its own; the last lines are the totals.
"""

import argparse
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIBS = ("util", "global", "master")


def reset(build):
    """Replace every counter file with an empty one that anybody may write."""
    for objdir, _, files in os.walk(os.path.join(build, "obj")):
        os.chmod(objdir, 0o777)
        for name in files:
            if name.endswith(".gcno"):
                gcda = os.path.join(objdir, name[:-5] + ".gcda")
                with open(gcda, "w"):
                    pass
                os.chmod(gcda, 0o666)


def measure(build, lib):
    """{source file: (executable lines, executed lines)} for one library."""
    objdir = os.path.join(build, "obj", lib)
    srcs = sorted(f for f in os.listdir(os.path.join(TOP, "src", lib))
                  if f.endswith(".c") and not f.endswith("_test.c"))
    result = {}
    if not srcs:
        return result
    proc = subprocess.run(["gcov", "-n", "-o", objdir] + [os.path.join("src", lib, s) for s in srcs],
                          cwd=TOP, capture_output=True, text=True)
    current = None
    for line in proc.stdout.splitlines():
        m = re.match(r"File '(.*)'", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"Lines executed:([\d.]+)% of (\d+)", line)
        if m and current:
            path = os.path.normpath(current)
            if (path.startswith(os.path.join("src", lib) + os.sep) and path.endswith(".c")
                    and path not in result):
                total = int(m.group(2))
                result[path] = (total, round(float(m.group(1)) * total / 100))
            current = None
    for s in srcs:                      # a module that was never compiled in counts as 0
        path = os.path.join("src", lib, s)
        if path not in result:
            result[path] = (0, 0)
    return result


def report(build):
    lines = []
    totals = {}
    for lib in LIBS:
        data = measure(build, lib)
        lines.append(f"src/{lib}")
        lines.append(f"  {'module':32} {'lines':>6} {'run':>6} {'cover':>7}  own test")
        lib_total = lib_run = 0
        for path, (total, run) in sorted(data.items()):
            module = os.path.basename(path)[:-2]
            own = os.path.exists(os.path.join(TOP, "src", lib, module + "_test.c"))
            pct = f"{100.0 * run / total:6.1f}%" if total else "     -"
            lines.append(f"  {module:32} {total:6d} {run:6d} {pct:>7}  {'yes' if own else 'no'}")
            lib_total += total
            lib_run += run
        totals[lib] = (lib_total, lib_run)
        lines.append("")
    lines.append("Totals")
    for lib, (total, run) in totals.items():
        pct = 100.0 * run / total if total else 0.0
        lines.append(f"  src/{lib:10} {run:6d} of {total:6d} lines  {pct:5.1f}%")
    all_total = sum(t for t, _ in totals.values())
    all_run = sum(r for _, r in totals.values())
    lines.append(f"  {'all':14} {all_run:6d} of {all_total:6d} lines  "
                 f"{100.0 * all_run / all_total if all_total else 0.0:5.1f}%")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--reset", action="store_true")
    ap.add_argument("-o", dest="output")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    if not os.path.isdir(os.path.join(build, "obj")):
        sys.exit(f"coverage: {build} has no obj directory; run make COVERAGE=1 first")
    if args.reset:
        reset(build)
        return 0
    text = report(build)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
