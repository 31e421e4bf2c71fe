"""postalias: aliases(5) tables, with the reference's value normalization and trailer entries."""

import os
import shutil

from harness import TOP

FIXTURES = os.path.join(TOP, "tests", "fixtures", "dict")

ALIASES = """# aliases
Postmaster: root
root: admin
"a b": "|cmd x", /tmp/f
  , :include:/x
MAILER-DAEMON:postmaster
a1: x @ y . com , b (comment) , "c d"@e
a3:   x,,y ,
a6: \\\\x, \\y
a9: :include: /etc/x
b6: <a> b
d7: <<a>>
bad line
"x y"@z: v
"""


def pa(t, *args, input=None, check=None):
    return t.run("postalias", "-c", t.config_dir, *args, input=input, check=check)


def dump(t, *args):
    """-s output as a dict, without the time stamp."""
    out = pa(t, "-s", *args, check=0).stdout
    pairs = dict(line.split(":\t", 1) for line in out.splitlines())
    pairs.pop("YP_LAST_MODIFIED")
    return pairs


def test_build_normalizes_values_like_the_reference(t):
    t.write("aliases", ALIASES)
    r = pa(t, "aliases", check=0)
    t.expect_eq(r.stderr, "postalias: warning: aliases, line 13: need name:value pair\n"
                "postalias: warning: aliases, line 14: name must be local\n")
    t.expect_eq(dump(t, "aliases"), {
        "@": "@",
        "YP_MASTER_NAME": "mail.example.test",
        "postmaster": "root",
        "root": "admin",
        "a b": '"|cmd x", /tmp/f, :include:/x',
        "mailer-daemon": "postmaster",
        "a1": 'x@y.com, b (comment), "c d"@e',
        "a3": "x, , y, ",
        "a6": '"\\\\x", y',
        "a9": ":include:/etc/x",
        "b6": "<a>b",
        "d7": "< <a>>",
    })


def test_query_folds_keys_and_batch_prints_key_colon_value(t):
    t.write("aliases", ALIASES)
    pa(t, "aliases", check=0)
    t.expect_eq(pa(t, "-q", "POSTMASTER", "aliases", check=0).stdout, "root\n")
    pa(t, "-q", "nobody", "aliases", check=1)
    r = pa(t, "-q", "-", "aliases", input="root\nPostmaster\nnone\n", check=0)
    t.expect_eq(r.stdout, "root:\tadmin\nPostmaster:\troot\n")
    pa(t, "-d", "root", "aliases", check=0)
    pa(t, "-q", "root", "aliases", check=1)


def test_duplicates_and_options(t):
    t.write("dup", "r: a\nR: b\n")
    r = pa(t, "dup", check=0)
    t.expect_eq(r.stderr, f'postalias: warning: dup.db: duplicate entry: "r"\n')
    t.expect_eq(pa(t, "-q", "r", "dup").stdout, "a\n")
    pa(t, "-r", "dup", check=0)
    t.expect_eq(pa(t, "-q", "r", "dup").stdout, "b\n")
    t.expect_eq(pa(t, "-f", "dup", check=0).stderr, "")
    t.expect_eq(pa(t, "-f", "-q", "R", "dup").stdout, "b\n")


def test_trailer_entries_are_stored_without_null_and_unfolded(t):
    t.write("al", "x: y\n")
    pa(t, "al", check=0)
    # The NIS keys are only found with their exact case.
    t.expect_eq(pa(t, "-f", "-q", "YP_MASTER_NAME", "al", check=0).stdout, "mail.example.test\n")
    pa(t, "-q", "YP_MASTER_NAME", "al", check=1)
    t.expect_eq(len(pa(t, "-f", "-q", "YP_LAST_MODIFIED", "al", check=0).stdout), 11)
    t.expect_eq(pa(t, "-q", "@", "al", check=0).stdout, "@\n")


def test_incremental_mode(t):
    pa(t, "-i", "inc", input="x: y\n", check=0)
    t.expect_eq(pa(t, "-q", "x", "inc").stdout, "y\n")
    pa(t, "-i", "inc", input="z: w\n", check=0)
    t.expect_eq(pa(t, "-q", "x", "inc").stdout, "y\n")
    t.expect_eq(pa(t, "-q", "z", "inc").stdout, "w\n")


def test_reads_alias_table_made_by_the_reference(t):
    shutil.copy(os.path.join(FIXTURES, "ref_alias.db"), t.path("ref_alias.db"))
    t.expect_eq(pa(t, "-q", "Postmaster", "ref_alias", check=0).stdout, "root\n")
    t.expect_eq(pa(t, "-q", "root", "ref_alias", check=0).stdout,
                'admin, "|/bin/cat", /tmp/file\n')


def test_errors(t):
    r = pa(t, "nonexist", check=1)
    t.expect_eq(r.stderr, "postalias: fatal: open nonexist: No such file or directory\n")
    r = pa(t, check=1)
    t.expect_eq(r.stderr, "postalias: fatal: usage: postalias [-Nfinoprsuvw] [-c config_dir] "
                "[-d key] [-q key] [map_type:]file...\n")
