#!/usr/bin/env python3
"""Write man/man5/postconf.5 from src/global/mail_params.def.

The parameter table is the one list of parameters (STYLE.md); this page is
made from it so that the manual never disagrees with the code. Run it after
changing mail_params.def:  python3 man/postconf5.py > man/man5/postconf.5
"""

import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r'^MAIL_PARAM(_FN)?\((\w+), (\w+), (.*), (0|\'.\'), (-?\d+), (-?\d+), (\w+)\)$')
KIND = {"STR": "text", "RAW": "text, expanded per use", "INT": "number", "LONG": "number",
        "BOOL": "yes or no", "TIME": "time"}
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def install_default(macro):
    """The value makedefs compiles in for DEF_<NAME> unless told otherwise."""
    with open(os.path.join(TOP, "makedefs")) as f:
        text = f.read()
    name = macro[len("DEF_"):].lower()
    m = re.search(r"\b" + name + r":(\S+)", text)
    return m.group(1) if m else macro


def roff(text):
    return text.replace("\\", "\\e").replace("-", "\\-").replace("'", "\\(aq")


def main():
    out = sys.stdout
    out.write('.TH POSTCONF 5\n.SH NAME\npostconf \\- main.cf parameters\n.SH DESCRIPTION\n'
              'The file \\fBmain.cf\\fR in the configuration directory holds settings of the form\n'
              '\\fIname\\fR = \\fIvalue\\fR. A line that starts with white space continues the one\n'
              'before it; a line whose first non-blank character is # is a comment. Values may\n'
              'refer to other parameters as $name, ${name}, ${name?text} (text when name is\n'
              'set and not empty) and ${name:text} (text otherwise). The last setting of a\n'
              'name wins. Every program reads main.cf when it starts; "postfix reload" makes\n'
              'running daemons start over with the new settings.\n.PP\n'
              'Times are a number with an optional unit: s (seconds), m (minutes), h (hours),\n'
              'd (days) or w (weeks); without a unit, the unit of the default applies. Sizes\n'
              'are in bytes. Yes/no values are case-insensitive.\n.PP\n'
              'Below is every parameter with its kind and its default as "postconf -d" shows\n'
              'it. Defaults marked "computed" depend on the host. Per-transport parameters\n'
              'such as \\fItransport\\fR_destination_concurrency_limit are derived from\n'
              'master.cf and are shown by "postconf -d" when master.cf is present.\n'
              '.SH PARAMETERS\n')
    with open(os.path.join(TOP, "src", "global", "mail_params.def")) as f:
        for line in f:
            m = LINE.match(line.strip())
            if not m:
                continue
            fn, kind, name, default, unit, lo, hi, flags = m.groups()
            if fn:
                shown = "computed"
            elif default.startswith('"'):
                shown = '"' + bytes(default[1:-1], "utf-8").decode("unicode_escape") + '"'
            else:
                shown = install_default(default) + " (set when the programs are built)"
            desc = KIND.get(kind, kind.lower())
            if kind == "TIME" and unit != "0":
                desc += f", default unit {UNITS.get(unit.strip(chr(39)), unit)}"
            if lo not in ("0",) or hi not in ("0",):
                bounds = []
                if lo != "0":
                    bounds.append(f"at least {lo}" + (" characters" if kind in ("STR", "RAW") else ""))
                if hi != "0":
                    bounds.append(f"at most {hi}")
                desc += "; " + ", ".join(bounds)
            if flags == "MP_RO":
                desc += "; read-only"
            out.write(f'.TP\n\\fB{roff(name)}\\fR ({desc})\nDefault: {roff(shown)}\n')
    out.write('.SH SEE ALSO\npostconf(1), master(5), master(8)\n')


if __name__ == "__main__":
    main()
