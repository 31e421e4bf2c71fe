"""postconf -m, -l, -t and -b: the built-in table types, lock types and bounce templates."""


def test_postconf_m_lists_exactly_the_table_types_we_implement(t):
    r = t.postconf("-m")
    types = r.stdout.split()
    t.expect_eq(types, sorted(types), "sorted")
    for must in ("btree", "cidr", "environ", "fail", "hash", "inline", "pcre", "pipemap",
                 "regexp", "static", "texthash", "unionmap", "unix"):
        t.expect_in(must, types, "postconf -m")
    # The simple types answer a query through postmap (file-based ones have their own tests).
    specs = {"inline": "inline:{a=b}", "static": "static:b", "unionmap": "unionmap:{inline:{a=b}}",
             "pipemap": "pipemap:{inline:{a=x}, inline:{x=b}}"}
    for name, spec in specs.items():
        t.expect_eq(t.run("postmap", "-c", t.config_dir, "-q", "a", spec).stdout, "b\n", spec)
    r = t.run("postmap", "-c", t.config_dir, "-q", "a", "fail:x")
    t.expect_eq((r.returncode, r.stderr), (1, "postmap: fatal: table fail:x: query error: "
                                              "Application error\n"), "fail: is an error, not 'not found'")


def test_postconf_l_lists_lock_types(t):
    t.expect_eq(t.postconf("-l").stdout, "flock\nfcntl\ndotlock\n")


def test_postconf_t_and_b_show_the_bounce_templates(t):
    raw = t.postconf("-t").stdout
    for name in ("failure_template", "delay_template", "success_template", "verify_template"):
        t.expect_in(f"{name} = <<EOF", raw, "postconf -t")
    t.expect_in("$myhostname", raw, "raw template keeps $names")
    expanded = t.postconf("-b").stdout
    t.expect_in("mail.example.test", expanded, "postconf -b expands $myhostname")
    t.write("etc/bounce.cf", "failure_template = <<EOF\nSubject: custom failure\n\nsorry\nEOF\n")
    t.expect_in("Subject: custom failure", t.postconf("-t", t.path("etc/bounce.cf")).stdout)
