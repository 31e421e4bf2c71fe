"""postmap: build, query, delete, dump and incremental updates of lookup tables.

Expected texts and exit codes are those of the reference postmap 3.7 (checked by
hand when these scenarios were written); the fixtures under tests/fixtures/dict
were made by the reference and prove that we read its files.
"""

import os
import shutil
import stat

from harness import TOP

FIXTURES = os.path.join(TOP, "tests", "fixtures", "dict")

SOURCE = """# comment
Example.COM   relay:[mx.example.com]
user@example.org OK
"quoted key" value with  blanks
long v1
  continued
"""


def pm(t, *args, input=None, check=None):
    return t.run("postmap", "-c", t.config_dir, *args, input=input, check=check)


def test_build_and_query_with_case_folding(t):
    src = t.write("map", SOURCE)
    pm(t, src, check=0)
    t.expect_eq(os.path.exists(src + ".db"), True, "map.db created")
    r = pm(t, "-q", "EXAMPLE.com", src, check=0)
    t.expect_eq(r.stdout, "relay:[mx.example.com]\n")
    t.expect_eq(r.stderr, "")
    t.expect_eq(pm(t, "-q", '"quoted key"', src, check=0).stdout, "value with  blanks\n")
    t.expect_eq(pm(t, "-q", "long", "hash:" + src, check=0).stdout, "v1  continued\n")
    r = pm(t, "-q", "nosuchkey", src, check=1)
    t.expect_eq(r.stdout + r.stderr, "")
    # -f: no folding of the query, so mixed case misses the folded key.
    pm(t, "-f", "-q", "Example.COM", src, check=1)


def test_no_folding_at_build_time(t):
    src = t.write("map", "MiXed v\n")
    pm(t, "-f", src, check=0)
    t.expect_eq(pm(t, "-f", "-q", "MiXed", src, check=0).stdout, "v\n")
    pm(t, "-q", "MiXed", src, check=1)


def test_duplicates_warn_keep_first_replace_and_ignore(t):
    src = t.write("dup", "foo bar\nFOO baz\n")
    r = pm(t, src, check=0)
    t.expect_eq(r.stderr, f'postmap: warning: {src}.db: duplicate entry: "foo"\n')
    t.expect_eq(pm(t, "-q", "foo", src).stdout, "bar\n")
    r = pm(t, "-r", src, check=0)
    t.expect_eq(r.stderr, "")
    t.expect_eq(pm(t, "-q", "foo", src).stdout, "baz\n")
    r = pm(t, "-w", src, check=0)
    t.expect_eq(r.stderr, "")
    t.expect_eq(pm(t, "-q", "foo", src).stdout, "bar\n")


def test_malformed_lines_are_reported_and_skipped(t):
    t.write("bad", ' lead x\nonlykey\n"unbal x\nroot: admin\nok yes\n')
    r = pm(t, "bad", check=0)
    t.expect_eq(r.stderr,
                'postmap: warning: bad: logical line must not start with whitespace: " lead x"\n'
                "postmap: warning: bad, line 2: expected format: key whitespace value\n"
                "postmap: warning: bad, line 3: unbalanced '\"' in '\"unbal x' -- ignoring this line\n"
                'postmap: warning: bad, line 4: record is in "key: value" format; '
                "is this an alias file?\n")
    # Database order, the same as the reference's for the same input.
    t.expect_eq(pm(t, "-s", "bad", check=0).stdout, "ok\tyes\nroot:\tadmin\n")
    t.expect_eq(pm(t, "-q", "onlykey", "bad", check=1).stdout, "")


def test_batch_query_delete_and_dump(t):
    t.write("m", "a 1\nb 2\nc 3\n")
    pm(t, "m", check=0)
    r = pm(t, "-q", "-", "m", input="a\nzz\nC\n", check=0)
    t.expect_eq(r.stdout, "a\t1\nC\t3\n")
    pm(t, "-q", "-", "m", input="zz\n", check=1)
    pm(t, "-d", "b", "m", check=0)
    pm(t, "-d", "b", "m", check=1)
    pm(t, "-d", "-", "m", input="nothere\nc\n", check=0)
    r = pm(t, "-s", "m", check=0)
    t.expect_eq(r.stdout, "a\t1\n")
    r = pm(t, "-q", "a", "-d", "b", "m", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: specify only one of -s -q or -d\n")


def test_first_table_with_the_key_wins(t):
    t.write("one", "x from-one\n")
    t.write("two", "x from-two\ny only-two\n")
    pm(t, "one", "two", check=0)
    t.expect_eq(pm(t, "-q", "x", "one", "two").stdout, "from-one\n")
    t.expect_eq(pm(t, "-q", "y", "one", "two").stdout, "only-two\n")


def test_incremental_updates_from_stdin(t):
    t.write("inc", "a 1\n")
    pm(t, "inc", check=0)
    r = pm(t, "-i", "inc", input="b 2\na 9\n", check=0)
    t.expect_eq(r.stderr, f'postmap: warning: inc.db: duplicate entry: "a"\n')
    t.expect_eq(pm(t, "-q", "b", "inc").stdout, "2\n")
    t.expect_eq(pm(t, "-q", "a", "inc").stdout, "1\n")
    pm(t, "-i", "-r", "inc", input="a 9\n", check=0)
    t.expect_eq(pm(t, "-q", "a", "inc").stdout, "9\n")


def test_null_termination_options_and_btree(t):
    t.write("n", "k v\n")
    pm(t, "-n", "n", check=0)
    t.expect_eq(pm(t, "-q", "k", "n").stdout, "v\n")
    pm(t, "-N", "btree:n", check=0)
    t.expect_eq(pm(t, "-q", "k", "btree:n").stdout, "v\n")
    t.expect_eq(pm(t, "-s", "btree:n").stdout, "k\tv\n")


def test_reads_tables_made_by_the_reference(t):
    for name in os.listdir(FIXTURES):
        shutil.copy(os.path.join(FIXTURES, name), t.path(name))
    for spec in ("hash:ref_hash", "btree:ref_btree", "hash:ref_nonull"):
        t.expect_eq(pm(t, "-q", "EXAMPLE.COM", spec, check=0).stdout, "relay:[mx.example.com]\n",
                    spec)
        t.expect_eq(pm(t, "-q", "long", spec, check=0).stdout, "v1  continued\n", spec)
    r = pm(t, "-s", "btree:ref_btree", check=0)
    t.expect_eq(r.stdout, '"quoted key"\tvalue with  blanks\nexample.com\trelay:[mx.example.com]\n'
                "long\tv1  continued\nuser@example.org\tOK\n")


def test_rebuild_from_reference_source_gives_same_dump(t):
    shutil.copy(os.path.join(FIXTURES, "ref_src"), t.path("mine"))
    shutil.copy(os.path.join(FIXTURES, "ref_btree.db"), t.path("theirs.db"))
    pm(t, "btree:mine", check=0)
    t.expect_eq(pm(t, "-s", "btree:mine").stdout, pm(t, "-s", "btree:theirs").stdout)


def test_open_errors_are_fatal_with_reference_texts(t):
    r = pm(t, "-q", "x", "foo:/x", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: unsupported dictionary type: foo\n")
    r = pm(t, "-q", "x", "/no/such", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: open database /no/such.db: No such file or directory\n")
    r = pm(t, "/no/such", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: open /no/such: No such file or directory\n")
    t.write("src", "a b\n")
    r = pm(t, "texthash:src", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: unsupported map type for this operation: texthash\n")
    r = pm(t, "-d", "a", "inline:{a=b}", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: inline:{a=b} map requires O_RDONLY access mode\n")
    r = pm(t, check=1)
    t.expect_eq(r.stderr, "postmap: fatal: usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] "
                "[-d key] [-q key] [map_type:]file...\n")


def test_garbage_database_is_refused_not_crashed_on(t):
    with open(t.path("junk.db"), "wb") as f:
        f.write(os.urandom(20000))
    open(t.path("empty.db"), "wb").close()
    for name in ("junk", "empty"):
        r = pm(t, "-q", "x", name, check=1)
        t.expect_eq(r.stderr, f"postmap: fatal: open database {name}.db: Invalid argument\n")
        r = pm(t, "-s", "btree:" + name, check=1)
        t.expect_eq(r.stderr, f"postmap: fatal: open database {name}.db: Invalid argument\n")


def test_rebuild_replaces_file_atomically_and_keeps_mode(t):
    src = t.write("r", "a 1\n")
    pm(t, src, check=0)
    os.chmod(src + ".db", 0o640)
    before = os.stat(src + ".db")
    t.write("r", "a 2\n")
    pm(t, src, check=0)
    after = os.stat(src + ".db")
    t.expect_eq(after.st_ino != before.st_ino, True, "rebuilt table is a new file")
    t.expect_eq(stat.S_IMODE(after.st_mode), 0o640, "mode of the rebuilt table")
    t.expect_eq(os.path.exists(src + ".db.tmp"), False, "no temporary file left")
    t.expect_eq(pm(t, "-q", "a", src).stdout, "2\n")


def test_new_table_takes_read_permissions_of_source(t):
    src = t.write("p", "a 1\n", mode=0o600)
    pm(t, src, check=0)
    t.expect_eq(stat.S_IMODE(os.stat(src + ".db").st_mode), 0o600, "mode from source")
    os.unlink(src + ".db")
    pm(t, "-p", src, check=0)
    t.expect_eq(stat.S_IMODE(os.stat(src + ".db").st_mode), 0o644, "-p: default mode")


def test_in_memory_table_types(t):
    t.expect_eq(pm(t, "-q", "A", "inline:{a=b, { c = d e }, A=x}", check=0).stdout, "x\n")
    t.expect_eq(pm(t, "-q", "c", "inline:{a=b, { c = d e }}", check=0).stdout, "d e\n")
    r = pm(t, "-q", "a", "inline:{a=b", check=1)
    t.expect_eq(r.stderr, 'postmap: fatal: bad syntax: "inline:{a=b"; need "inline:{name=value...}"\n')
    t.expect_eq(pm(t, "-q", "x", "static:{ a b }", check=0).stdout, "a b\n")
    r = pm(t, "-q", "x", "fail:bar", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: table fail:bar: query error: Application error\n")
    t.expect_eq(pm(t, "-q", "a", "pipemap:{inline:{a=B}, inline:{b=c}}", check=0).stdout, "c\n")
    t.expect_eq(pm(t, "-q", "a", "unionmap:{inline:{a=b}, static:c}", check=0).stdout, "b,c\n")
    r = pm(t, "-q", "a", "unionmap:{inline:{a=b}, fail:f}", check=1)
    t.expect_eq(r.stderr,
                "postmap: fatal: table unionmap:{inline:{a=b}, fail:f}: query error: Application error\n")
    t.expect_eq(pm(t, "-q", "root", "unix:passwd.byname", check=0).stdout.split(":")[:3],
                ["root", "x", "0"])
    r = pm(t, "-q", "x", "static:{}", check=0)
    t.expect_eq(r.stdout, "\n")
    t.expect_eq(r.stderr, "postmap: warning: table static:{}: key x: empty string result is not allowed\n"
                "postmap: warning: table static:{} should return NO RESULT in case of NOT FOUND\n")
    r = pm(t, "-s", "static:x", check=1)
    t.expect_eq(r.stderr, "postmap: fatal: table static:x: sequence operation is not supported\n")


def test_texthash_reads_the_source_directly(t):
    t.write("th", "a b\nA c\nonly\n")
    r = pm(t, "-q", "A", "texthash:th", check=0)
    t.expect_eq(r.stdout, "b\n")
    t.expect_eq(r.stderr,
                'postmap: warning: th, line 2: duplicate entry: "A"\n'
                "postmap: warning: th, line 3: expected format: key whitespace value -- ignoring this line\n")
    t.expect_eq(pm(t, "-f", "-q", "A", "texthash:th", check=0).stdout, "c\n")


def test_base64_file_values(t):
    t.write("f1", "x\n\ny\n")
    t.write("fsrc", "k f1\nk2 f1,nofile\n")
    r = pm(t, "-F", "fsrc", check=0)
    t.expect_eq(r.stderr, "postmap: warning: fsrc, line 2: open nofile: No such file or directory: "
                "skipping this entry\n")
    t.expect_eq(pm(t, "-q", "k", "fsrc").stdout, "eAoKeQo=\n")
    t.expect_eq(pm(t, "-F", "-q", "k", "fsrc").stdout, "x\n\ny\n\n")


def test_header_and_body_query_modes(t):
    msg = "Subject: hi\nX-A: 1\n  two\nBad line\nbody1\n\nbody2\n"
    r = pm(t, "-h", "-q", "-", "static:{v}", input=msg, check=0)
    t.expect_eq(r.stdout, "Subject: hi\tv\nX-A: 1\n  two\tv\n")
    r = pm(t, "-b", "-q", "-", "static:{v}", input=msg, check=0)
    t.expect_eq(r.stdout, "\tv\nBad line\tv\nbody1\tv\n\tv\nbody2\tv\n")


MIME_MSG = """From: a@example.com
Subject: test
 folded
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BB"

preamble
--BB
Content-Type: text/plain

hello body
--BB
Content-Type: message/rfc822

Subject: inner
X-Inner: yes

inner body
--BB--
epilogue
"""

MIME_RE = """/^Content-Type:/\tCT
/^Subject: inner/\tNESTED
/^$/\tEMPTY
/^--BB/\tBOUNDARY
/body/\tBODY
"""


def test_mime_parsing_for_header_and_body_queries(t):
    t.write("re", MIME_RE)
    re = "regexp:" + t.path("re")
    # -h -m: headers of the multipart parts and of the attached message too.
    r = pm(t, "-h", "-m", "-q", "-", re, input=MIME_MSG, check=0)
    t.expect_eq(r.stdout, 'Content-Type: multipart/mixed; boundary="BB"\tCT\n'
                "Content-Type: text/plain\tCT\nContent-Type: message/rfc822\tCT\n"
                "Subject: inner\tNESTED\n")
    # -b -m: those headers are no longer body lines.
    r = pm(t, "-bm", "-q", "-", re, input=MIME_MSG, check=0)
    t.expect_eq(r.stdout, "\tEMPTY\n--BB\tBOUNDARY\n\tEMPTY\nhello body\tBODY\n"
                "--BB\tBOUNDARY\n\tEMPTY\n\tEMPTY\ninner body\tBODY\n--BB--\tBOUNDARY\n")
    # Without -m the MIME headers are plain body lines.
    r = pm(t, "-b", "-q", "-", re, input=MIME_MSG, check=0)
    t.expect_eq(r.stdout, "\tEMPTY\n--BB\tBOUNDARY\nContent-Type: text/plain\tCT\n"
                "\tEMPTY\nhello body\tBODY\n--BB\tBOUNDARY\n"
                "Content-Type: message/rfc822\tCT\n\tEMPTY\nSubject: inner\tNESTED\n"
                "\tEMPTY\ninner body\tBODY\n--BB--\tBOUNDARY\n")
    # Both: one pass in message order.
    r = pm(t, "-hbm", "-q", "-", re, input=MIME_MSG, check=0)
    t.expect_eq(r.stdout, 'Content-Type: multipart/mixed; boundary="BB"\tCT\n\tEMPTY\n'
                "--BB\tBOUNDARY\nContent-Type: text/plain\tCT\n\tEMPTY\n"
                "hello body\tBODY\n--BB\tBOUNDARY\nContent-Type: message/rfc822\tCT\n"
                "\tEMPTY\nSubject: inner\tNESTED\n\tEMPTY\ninner body\tBODY\n"
                "--BB--\tBOUNDARY\n")
    # A primary header ended by a non-header line: the separator is looked up.
    r = pm(t, "-bm", "-q", "-", re, input="X: y\nno match\n", check=0)
    t.expect_eq(r.stdout, "\tEMPTY\n")
    pm(t, "-hm", "-q", "-", re, input="X: y\n\nbody\n", check=1)
    # Option checks, as the reference.
    r = pm(t, "-m", "-q", "-", re, input="Content-Type: x\n", check=0)
    t.expect_eq(r.stdout, "Content-Type: x\tCT\n")
    t.expect_eq(r.stderr, "postmap: warning: ignoring -m option without -b or -h\n")
    for args in (["-m", "-q", "Content-Type: x"], ["-h", "-q", "x"], ["-b", "-s"], ["-m"]):
        r = pm(t, *args, re, check=1)
        t.expect_eq(r.stderr, 'postmap: fatal: specify -b -h or -m only with "-q -"\n')


def test_utf8_checks_and_folding_with_smtputf8(t):
    t.conf(compatibility_level="3.6")
    with open(t.path("u"), "wb") as f:
        f.write(b"a\xff b\n\xc3\x84\xc3\x96 x\n")
    r = pm(t, "u", check=0)
    t.expect_eq(r.stderr, 'postmap: warning: u, line 1: non-UTF-8 input "a? b" -- ignoring this line\n')
    t.expect_eq(pm(t, "-q", "\u00e4\u00f6", "u", check=0).stdout, "x\n")
    # -u: no UTF-8 checks, and only ASCII letters are folded.
    t.expect_eq(pm(t, "-u", "u", check=0).stderr, "")
    t.expect_eq(pm(t, "-u", "-q", "\u00c4\u00d6", "u", check=0).stdout, "x\n")
    pm(t, "-u", "-q", "\u00e4\u00f6", "u", check=1)


def test_root_builds_with_the_privileges_of_the_source_owner(t):
    import pwd
    from harness import Skip
    if os.geteuid() != 0:
        raise Skip("needs root to give the source file away")
    uid = pwd.getpwnam(t.user).pw_uid
    src = t.write("owned", "a b\n")
    os.chown(src, uid, -1)
    # The instance directory is writable by root only: the owner cannot build there.
    r = pm(t, src, check=1)
    t.expect_eq(r.stderr, f"postmap: fatal: open database {src}.db: Permission denied\n")
    pm(t, "-o", src, check=0)
    t.expect_eq(os.stat(src + ".db").st_uid, 0, "-o keeps root as the builder")
