"""Pattern tables (regexp:, pcre:, cidr:) through `postmap -q`.

Every expected output below was taken from Postfix 3.7's own postmap on the
same table text and key (F stands for the table's path). The scenarios need
our postmap; where it has not been built they are skipped.
"""

import os

import harness

CASES = [
    # (name, type, table text, key, stdout, stderr, exit status)
    ("regexp_substitution", "regexp", "/^(.*)@(.*)$/ user=$1 dom=${2} $$ $(1)\n", "Foo@Bar",
     "user=Foo dom=Bar $ Foo\n", "", 0),
    ("regexp_first_match", "regexp", "/a/ b\n/a/ c\n", "a", "b\n", "", 0),
    ("regexp_case_flag", "regexp", "/a/i b\n", "A", "", "", 1),
    ("regexp_if_endif", "regexp", "if !/a/\n/b/ c\nendif\n/b/ d\n", "ab", "d\n", "", 0),
    ("regexp_unset_group", "regexp", "/(a)(b)?/ x [$2]\n", "a", "x []\n", "", 0),
    ("regexp_zero_index", "regexp", "/(a)(b)/ $0\n", "ab", "",
     "postmap: warning: regexp map F, line 1: out-of-range replacement index \"0\"\n"
     "postmap: warning: regexp map F, line 1: bad replacement syntax: skipping this rule\n", 1),
    ("regexp_range", "regexp", "/(a)(b)/ $3\n", "ab", "",
     "postmap: warning: regexp map F, line 1: out of range replacement index \"3\": "
     "skipping this rule\n", 1),
    ("regexp_negative_subst", "regexp", "!/(a)(b)/ $1\n", "ab", "",
     "postmap: warning: regexp map F, line 1: $number found in negative match replacement "
     "text: skipping this rule\n", 1),
    ("regexp_compile_error", "regexp", "/fo(o/ bar\n", "foo", "",
     "postmap: warning: regexp map F, line 1: Unmatched ( or \\(\n", 1),
    ("regexp_unclosed_if", "regexp", "if /a/\nif /b/\n", "abc", "",
     "postmap: warning: regexp map F, line 2: IF has no matching ENDIF\n"
     "postmap: warning: regexp map F, line 1: IF has no matching ENDIF\n", 1),
    ("regexp_indented_rule", "regexp", "  /a/ b\n", "a", "",
     "postmap: warning: F: logical line must not start with whitespace: \"  /a/ b\"\n", 1),
    ("pcre_groups", "pcre", "/(a)|(b)/ [$1][$2]\n", "b", "[][b]\n", "", 0),
    ("pcre_compile_error", "pcre", "/fo(o/ bar\n", "foo", "",
     "postmap: warning: pcre map F, line 1: error in regex at offset 4: missing closing "
     "parenthesis\n", 1),
    ("pcre_no_delimiter", "pcre", "/foo bar\n", "x", "",
     "postmap: warning: pcre map F, line 1: no closing regexp delimiter \"/\": ignoring this "
     "rule\n", 1),
    ("pcre_obsolete_x", "pcre", "/a/X ok\n", "a",
     "ok\n", "postmap: warning: pcre map F, line 1: ignoring obsolete regexp option \"X\"\n", 0),
    ("cidr_v4", "cidr", "192.168.1.1 OK\n192.168.0.0/16 REJECT\n", "192.168.7.1",
     "REJECT\n", "", 0),
    ("cidr_v6", "cidr", "2001:db8::1 OK\n2001:db8::/32 REJECT\n", "2001:DB8:0::1", "OK\n", "", 0),
    ("cidr_host_bits", "cidr", "1.2.3.1/24 a\n", "1.2.3.4", "",
     "postmap: warning: cidr map F, line 1: non-null host address bits in \"1.2.3.1/24\", "
     "perhaps you should use \"1.2.3.0/24\" instead: skipping this rule\n", 1),
    ("cidr_if", "cidr", "if !1.2.3.0/24\n1.2.3.4 in\nendif\n1.2.3.4 out\n", "1.2.3.4",
     "out\n", "", 0),
    ("cidr_bad_endif", "cidr", "endif x\n", "1.2.3.4", "",
     "postmap: warning: cidr map F, line 1: garbage after ENDIF: skipping this rule\n", 1),
]


def have_pcre():
    """Did makedefs build pcre: support in?"""
    try:
        with open(os.path.join(harness.TOP, "conf", "makedefs.out")) as f:
            return any(line.startswith("FEATURES") and " pcre" in line for line in f)
    except OSError:
        return False


def need_postmap(t):
    if not os.path.exists(os.path.join(t.bindir, "postmap")):
        raise harness.Skip("postmap is not built yet")


def run_case(t, case):
    name, kind, text, key, out, err, status = case
    need_postmap(t)
    path = t.write(f"etc/{name}", text)
    proc = t.run("postmap", "-c", t.config_dir, "-q", key, f"{kind}:{path}")
    t.expect_eq(proc.stdout, out, f"{name} stdout")
    t.expect_eq(proc.stderr.replace(path, "F"), err, f"{name} stderr")
    t.expect_eq(proc.returncode, status, f"{name} exit status")


def test_pattern_cases(t):
    for case in CASES:
        if case[1] == "pcre" and not have_pcre():
            continue
        run_case(t, case)


def test_inline_regexp(t):
    need_postmap(t)
    proc = t.run("postmap", "-c", t.config_dir, "-q", "ab", "regexp:{ {/(a)/ x$1}, {/b/ y} }")
    t.expect_eq(proc.stdout, "xa\n", "inline result")
    t.expect_eq(proc.returncode, 0, "exit status")


def test_query_from_stdin(t):
    need_postmap(t)
    path = t.write("etc/stdin.regexp", "/(a)/ x\n")
    proc = t.run("postmap", "-c", t.config_dir, "-q", "-", f"regexp:{path}", input="a\nb\n")
    t.expect_eq(proc.stdout, "a\tx\n", "postmap -q - output")
    t.expect_eq(proc.returncode, 0, "exit status")
