"""trivial-rewrite through the master: rewrite, resolve and verify requests.

Each scenario starts an instance whose master.cf has only the rewrite
service, connects to private/rewrite like Postfix's clients do (the server
first announces protocol=trivial_rewrite_protocol, then answers requests in
the null-terminated attribute encoding), and compares the answers with the
ones Postfix 3.7 gives for the same configuration. Needs root (t.start()).
"""

import os
import socket

REWRITE_CF = "rewrite unix - - n - - trivial-rewrite\n"


class RewriteClient:
    """A client of private/rewrite speaking the attribute protocol."""

    def __init__(self, t):
        path = os.path.join(t.queue_dir, "private", "rewrite")
        t.wait_for(lambda: os.path.exists(path), f"socket {path}")
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(20)
        self.sock.connect(path)
        self.buf = b""
        announce = self.recv()
        t.expect_eq(announce, [("protocol", "trivial_rewrite_protocol")], "announcement")

    def recv(self):
        """One attribute list: name\\0value\\0 ... \\0."""
        attrs = []
        while True:
            while self.buf.startswith(b"\0") is False and self.buf.count(b"\0") < 2:
                self.fill()
            if self.buf.startswith(b"\0"):
                self.buf = self.buf[1:]
                return attrs
            name, value, self.buf = self.buf.split(b"\0", 2)
            attrs.append((name.decode(), value.decode()))

    def fill(self):
        data = self.sock.recv(4096)
        if not data:
            raise EOFError("server closed the connection")
        self.buf += data

    def send(self, *pairs):
        self.sock.sendall(b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in pairs)
                          + b"\0")

    def rewrite(self, rule, addr):
        self.send(("request", "rewrite"), ("rule", rule), ("address", addr))
        reply = self.recv()
        return reply[1][1]

    def resolve(self, addr, sender="", request="resolve"):
        self.send(("request", request), ("sender", sender), ("address", addr))
        r = self.recv()
        return f"{r[1][1]} | {r[2][1]} | {r[3][1]} | {int(r[4][1]):#x}"

    def close(self):
        self.sock.close()


def check_all(t, client, cases):
    for query, want in cases:
        if query[0] == "rewrite":
            got = client.rewrite(query[1], query[2])
        else:
            got = client.resolve(query[2], sender=query[1], request=query[0])
        t.expect_eq(got, want, " ".join(query))


def test_rewrite_contexts_default_configuration(t):
    t.conf(compatibility_level="3.7")
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("rewrite", "local", "user"), "user@mail.example.test"),
        (("rewrite", "local", "user@host"), "user@host"),
        (("rewrite", "local", "user@host."), "user@host"),
        (("rewrite", "local", "site!user"), "user@site"),
        (("rewrite", "local", "a!b!user"), "b!user@a"),
        (("rewrite", "local", "user%domain"), "user@domain"),
        (("rewrite", "local", "a%b%c"), "a%b@c"),
        (("rewrite", "local", "@a,@b:user@domain"), "user@domain"),
        (("rewrite", "local", "@"), '""'),
        (("rewrite", "local", "a b"), '"a b"@mail.example.test'),
        (("rewrite", "local", "a(b)c@x"), '"a (b) c"@x'),
        (("rewrite", "local", ""), ""),
        (("rewrite", "remote", "user"), "user"),
        (("rewrite", "remote", "site!user"), "user@site"),
    ])
    c.close()
    t.expect_in("warning: rewrite_addr: null address", t.log_text())


def test_append_dot_mydomain_backwards_compatible_default_is_logged(t):
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("rewrite", "local", "user@host"), "user@host.example.test"),
        (("rewrite", "local", "user@localhost"), "user@localhost.example.test"),
    ])
    c.close()
    t.wait_log('using backwards-compatible default setting append_dot_mydomain=yes to rewrite '
               '"host" to "host.example.test"')


def test_rewrite_options(t):
    t.conf(myorigin="$mydomain", append_dot_mydomain="yes", swap_bangpath="no",
           allow_percent_hack="no", remote_header_rewrite_domain="domain.invalid")
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("rewrite", "local", "user"), "user@example.test"),
        (("rewrite", "local", "user@host"), "user@host.example.test"),
        (("rewrite", "local", "user@[1.2.3.4]"), "user@[1.2.3.4]"),
        (("rewrite", "local", "site!user"), "site!user@example.test"),
        (("rewrite", "local", "user%domain"), "user%domain@example.test"),
        (("rewrite", "remote", "user"), "user@domain.invalid"),
        (("rewrite", "remote", "user@host"), "user@host.domain.invalid"),
    ])
    c.close()


def test_resolve_local_and_default_classes(t):
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("resolve", "", "user"),
         "local | mail.example.test | user@mail.example.test | 0x100"),
        (("resolve", "", "USER@Mail.Example.TEST"),
         "local | mail.example.test | USER@Mail.Example.TEST | 0x100"),
        (("resolve", "", "user@localhost."),
         "local | mail.example.test | user@localhost | 0x100"),
        (("resolve", "", ""),
         "local | mail.example.test | MAILER-DAEMON@mail.example.test | 0x100"),
        (("resolve", "", "user@[127.0.0.1]"),
         "local | mail.example.test | user@[127.0.0.1] | 0x100"),
        (("resolve", "", "user@[10.1.2.3]"), "smtp | [10.1.2.3] | user@[10.1.2.3] | 0x1000"),
        (("resolve", "", "user@remote.org"), "smtp | remote.org | user@remote.org | 0x1000"),
        (("resolve", "", "user%remote.org@mail.example.test"),
         "smtp | remote.org | user@remote.org | 0x1000"),
        (("resolve", "", "user@remote.org@other.org"),
         "smtp | other.org | user@remote.org@other.org | 0x1002"),
        # A quoted local part opens one level of quotes per pass: literal quotes
        # around a bang path end in the swapped path, without a runaway loop ...
        # (append_dot_mydomain is on: this instance has no compatibility_level.)
        (("resolve", "", '"a!b"@localhost'), "smtp | a.example.test | b@a.example.test | 0x1000"),
        (("resolve", "", '"a!b!c"'), "smtp | a.example.test | b!c@a.example.test | 0x1002"),
        (("resolve", "", "a b@c@localhost"), "smtp | c.example.test | a b@c.example.test | 0x1000"),
        # ... while a quoted address with an '@' keeps its quote and is no relay target.
        (("resolve", "", '"user@remote.org"@mail.example.test'),
         'CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | "user@remote.org  | 0x1004'),
        (("resolve", "", "user@remote..org"),
         "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@remote..org | 0x1004"),
        (("resolve", "", "user@127.0.0.1"),
         "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@127.0.0.1 | 0x1004"),
        (("resolve", "", "-user"),
         "local | mail.example.test | -user@mail.example.test | 0x104"),
        (("verify", "", "user@remote.org"), "smtp | remote.org | user@remote.org | 0x1000"),
    ])
    c.close()


def test_resolve_domain_classes_relayhost_and_tables(t):
    t.write("etc/transport",
            "special.example   smtp:[mx.special.example]:25\n"
            ".sub.example      relay:\n"
            "sub.example       :[sub-hop.example]\n"
            "user@tr.example   error:5.7.1 go away\n"
            "tr.example        local:\n"
            "err.example       error:\n"
            "keep.example      :\n")
    t.conf(proxy_interfaces="192.0.2.7",
           mydestination="$myhostname, localhost.$mydomain, localhost, example.test",
           virtual_alias_domains="valias.example",
           virtual_mailbox_domains="vmbox.example",
           relay_domains="relay.example",
           relayhost="[smarthost.example]:587",
           transport_maps=f"texthash:{t.config_dir}/transport",
           sender_dependent_relayhost_maps="inline:{ special@sender.example=[special-relay.example] }",
           sender_dependent_default_transport_maps="inline:{ bulk@sender.example=bulk:, <>=bounces }",
           relocated_maps="inline:{ moved@example.test=new@else.example }",
           virtual_transport="lmtp:unix:private/dovecot-lmtp")
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("resolve", "", "user@valias.example"),
         "error | 5.1.1 User unknown in virtual alias table | user@valias.example | 0x200"),
        (("resolve", "", "user@vmbox.example"),
         "lmtp | unix:private/dovecot-lmtp | user@vmbox.example | 0x400"),
        (("resolve", "", "user@relay.example"),
         "relay | [smarthost.example]:587 | user@relay.example | 0x800"),
        (("resolve", "", "user@remote.org"),
         "bounces | [smarthost.example]:587 | user@remote.org | 0x1000"),
        (("resolve", "special@sender.example", "user@remote.org"),
         "smtp | [special-relay.example] | user@remote.org | 0x1000"),
        (("resolve", "bulk@sender.example", "user@remote.org"),
         "bulk | [smarthost.example]:587 | user@remote.org | 0x1000"),
        (("resolve", "", "user@special.example"),
         "smtp | [mx.special.example]:25 | user@special.example | 0x1000"),
        (("resolve", "", "user@sub.example"),
         "bounces | [sub-hop.example] | user@sub.example | 0x1000"),
        (("resolve", "", "user@a.sub.example"), "relay | a.sub.example | user@a.sub.example | 0x1000"),
        (("resolve", "", "user@tr.example"), "error | 5.7.1 go away | user@tr.example | 0x1000"),
        (("resolve", "", "other@tr.example"), "local | tr.example | other@tr.example | 0x1000"),
        (("resolve", "", "user@err.example"),
         "error | Address is undeliverable | user@err.example | 0x1000"),
        (("resolve", "", "user@keep.example"),
         "bounces | [smarthost.example]:587 | user@keep.example | 0x1000"),
        (("resolve", "", "moved@example.test"),
         "error | 5.1.6 User has moved to new@else.example | moved@example.test | 0x100"),
        (("resolve", "", "user@[192.0.2.7]"),
         "local | mail.example.test | user@[192.0.2.7] | 0x100"),
        (("verify", "special@sender.example", "user@relay.example"),
         "relay | [special-relay.example] | user@relay.example | 0x800"),
    ])
    c.close()


def test_resolve_options(t):
    t.conf(resolve_null_domain="yes", resolve_numeric_domain="yes", show_user_unknown_table_name="no",
           empty_address_recipient="postmaster", allow_min_user="yes", local_transport="local",
           virtual_alias_domains="valias.example", recipient_delimiter="+",
           parent_domain_matches_subdomains="transport_maps",
           default_transport="error:mail for remote domains is disabled",
           transport_maps="inline:{ sub.example=smtp:[p.example], user@ext.example=uucp:x, "
                          "*=wild:[wild.example] }")
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("resolve", "", "user@valias.example"),
         "error | 5.1.1 User unknown | user@valias.example | 0x200"),
        (("resolve", "", "user@remote.org"), "wild | [wild.example] | user@remote.org | 0x1000"),
        (("resolve", "", "user@a.sub.example"), "smtp | [p.example] | user@a.sub.example | 0x1000"),
        (("resolve", "", "user+x@ext.example"), "uucp | x | user+x@ext.example | 0x1000"),
        (("resolve", "", "user@"), "wild | [wild.example] | user@mail.example.test | 0x100"),
        (("resolve", "", ""), "wild | [wild.example] | postmaster@mail.example.test | 0x100"),
        (("resolve", "", "user@127.0.0.1"), "wild | [wild.example] | user@[127.0.0.1] | 0x100"),
        (("resolve", "", "-user"), "wild | [wild.example] | -user@mail.example.test | 0x100"),
    ])
    c.close()


def test_table_failure_makes_the_client_defer(t):
    t.conf(virtual_alias_domains="fail:broken")
    t.start(REWRITE_CF)
    c = RewriteClient(t)
    check_all(t, c, [
        (("resolve", "", "user@remote.org"),
         "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@remote.org | 0x8"),
        (("resolve", "", "user"), "local | mail.example.test | user@mail.example.test | 0x100"),
    ])
    c.close()
    t.wait_log("warning: virtual_alias_domains lookup failure")
