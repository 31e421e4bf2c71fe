/* trivial_rewrite_cases - scenarios for trivial_rewrite_test; the answers are Postfix 3.7's */

TEST(defaults)
{
    static const char *files[] = {
        "main.cf",
        "compatibility_level = 3.7\n"
        "myhostname = host.example.com\n"
        "mydomain = example.com\n"
        "mail_owner = daemon\nsetgid_group = mail\n",
        0,
    };
    static const char *expect[] = {
        "rewrite local user", "<user@host.example.com>",
        "rewrite local user@host", "<user@host>",
        "rewrite local user@host.", "<user@host>",
        "rewrite local user@host..", "<user@host..>",
        "rewrite local user@", "<user@>",
        "rewrite local @", "<\"\">",
        "rewrite local \"\"", "<\"\">",
        "rewrite local \"a b\"", "<\"a b\"@host.example.com>",
        "rewrite local \"a b\"@host", "<\"a b\"@host>",
        "rewrite local site!user", "<user@site>",
        "rewrite local a!b!user", "<b!user@a>",
        "rewrite local user%domain", "<user@domain>",
        "rewrite local a%b%c", "<a%b@c>",
        "rewrite local a%b@c", "<a%b@c>",
        "rewrite local site!user@host", "<site!user@host>",
        "rewrite local @a,@b:user@domain", "<user@domain>",
        "rewrite local @a:user", "<user@host.example.com>",
        "rewrite local user@[1.2.3.4]", "<user@[1.2.3.4]>",
        "rewrite local user@localhost", "<user@localhost>",
        "rewrite remote user", "<user>",
        "rewrite remote user@host", "<user@host>",
        "rewrite remote site!user", "<user@site>",
        "rewrite remote user%domain", "<user@domain>",
        "rewrite local <user@x>", "<\"<user\"@x>>",
        "rewrite local user (comment)", "<\"user (comment)\"@host.example.com>",
        "rewrite local .user.", "<\".user.\"@host.example.com>",
        "rewrite local user@domain.com.", "<user@domain.com>",
        "rewrite local \"user@x\"@y", "<\"user@x\"@y>",
        "rewrite local MAILER-DAEMON", "<MAILER-DAEMON@host.example.com>",
        "resolve - user", "local | host.example.com | user@host.example.com | 0x100",
        "resolve - user@host.example.com", "local | host.example.com | user@host.example.com | 0x100",
        "resolve - USER@Host.Example.COM", "local | host.example.com | USER@Host.Example.COM | 0x100",
        "resolve - user@localhost", "local | host.example.com | user@localhost | 0x100",
        "resolve - user@localhost.example.com", "local | host.example.com | user@localhost.example.com | 0x100",
        "resolve - user@localhost.example.com.", "local | host.example.com | user@localhost.example.com | 0x100",
        "resolve - user@remote.org", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - user@remote.org.", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - user@remote..org", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@remote..org | 0x1004",
        "resolve - user@", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@ | 0x1004",
        "resolve - @", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | MAILER-DAEMON@ | 0x1004",
        "resolve - ", "local | host.example.com | MAILER-DAEMON@host.example.com | 0x100",
        "resolve - user@[127.0.0.1]", "local | host.example.com | user@[127.0.0.1] | 0x100",
        "resolve - user@[10.1.2.3]", "smtp | [10.1.2.3] | user@[10.1.2.3] | 0x1000",
        "resolve - user@[IPv6:::1]", "local | host.example.com | user@[IPv6:::1] | 0x100",
        "resolve - user@127.0.0.1", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@127.0.0.1 | 0x1004",
        "resolve - user@remote@host.example.com", "smtp | remote | user@remote | 0x1000",
        "resolve - user%remote.org@host.example.com", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - user%remote.org", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - remote.org!user", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - remote.org!user@host.example.com", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - user@remote.org@other.org", "smtp | other.org | user@remote.org@other.org | 0x1002",
        "resolve - \"user@remote.org\"@host.example.com", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | \"user@remote.org  | 0x1004",
        "resolve - user@remote.org@host.example.com", "smtp | remote.org | user@remote.org | 0x1000",
        /* Literal quotes come off one level per pass: no runaway loop. */
        "resolve - \"a!b\"@host.example.com", "smtp | a | b@a | 0x1000",
        "resolve - \"a!b\"", "smtp | a | b@a | 0x1000",
        "resolve - \"a!b!c\"@host.example.com", "smtp | a | b!c@a | 0x1002",
        "resolve - a b@c@host.example.com", "smtp | c | a b@c | 0x1000",
        "resolve - a b@remote.org", "smtp | remote.org | a b@remote.org | 0x1000",
        "resolve - a b", "local | host.example.com | a b@host.example.com | 0x100",
        "resolve - user@re_mote.org", "smtp | re_mote.org | user@re_mote.org | 0x1000",
        "resolve - -user", "local | host.example.com | -user@host.example.com | 0x104",
        "resolve - -user@remote.org", "smtp | remote.org | -user@remote.org | 0x1004",
        "resolve - user%x@remote.org", "smtp | remote.org | user%x@remote.org | 0x1002",
        "resolve - site!user@remote.org", "smtp | remote.org | site!user@remote.org | 0x1002",
        "resolve - user@[1.2.3.4.5]", "CHANNEL NOT UPDATED | NEXTHOP NOT UPDATED | user@[1.2.3.4.5] | 0x1004",
        "resolve - @host.example.com", "local | host.example.com | MAILER-DAEMON@host.example.com | 0x100",
        "resolve - \"\"@host.example.com", "local | host.example.com | \"\"@host.example.com | 0x100",
        "resolve - user@host.example.com@host.example.com", "local | host.example.com | user@host.example.com | 0x100",
        "verify - user@remote.org", "smtp | remote.org | user@remote.org | 0x1000",
        "resolve - user+ext@remote.org", "smtp | remote.org | user+ext@remote.org | 0x1000",
        "resolve - @a,@b:user@remote.org", "smtp | remote.org | @a, @b:user@remote.org | 0x1002",
        "resolve - user@xn--bcher-kva.example", "smtp | xn--bcher-kva.example | user@xn--bcher-kva.example | 0x1000",
        "resolve - user@bücher.example", "smtp | bücher.example | user@bücher.example | 0x1000",
        "rewrite local a b", "<\"a b\"@host.example.com>",
        "rewrite local a  b@x", "<\"a b\"@x>",
        "rewrite local a(b)c@x", "<\"a (b) c\"@x>",
        "rewrite local a<b@x", "<\"a <b\"@x>",
        "rewrite local a,b@x", "<\"a, b\"@x>",
        "rewrite local a;b@x", "<\"a;b\"@x>",
        "rewrite local a:b@x", "<\"a:b\"@x>",
        "rewrite local a\"b\"c@x", "<\"a b c\"@x>",
        "rewrite local \"a\"b@x", "<\"a b\"@x>",
        "rewrite local a.b@x", "<a.b@x>",
        "rewrite local a[b]@x", "<\"a [b]\"@x>",
        "rewrite local a\\b@x", "<ab@x>",
        "rewrite local a\\@b@x", "<\"a@b\"@x>",
        "rewrite local a@b c", "<a@b c>",
        "rewrite local a@b(c)", "<a@b (c)>",
        "rewrite local a@[1.2.3.4] x", "<a@[1.2.3.4] x>",
        "rewrite local a@b:c", "<a@b:c>",
        "rewrite local a@b,c", "<a@b, c>",
        "rewrite local a@b<c", "<a@b <c>",
        "rewrite local a@x y.z", "<a@x y.z>",
        "rewrite local a!b@x", "<a!b@x>",
        "rewrite local a%b@x", "<a%b@x>",
        "rewrite local a.@x", "<\"a.\"@x>",
        "rewrite local a..b@x", "<\"a..b\"@x>",
        "rewrite local a@b..c", "<a@b..c>",
        "rewrite local a@b.", "<a@b>",
        "rewrite local \"a b\"@x y", "<\"a b\"@x y>",
        "rewrite local \"a@b\"", "<\"a@b\"@host.example.com>",
        "rewrite local \"a@b\"@c", "<\"a@b\"@c>",
        "rewrite local a|b@x", "<a|b@x>",
        "rewrite local a#b@x", "<a#b@x>",
        "rewrite local a=b@x", "<a=b@x>",
        "rewrite local a/b@x", "<a/b@x>",
        "rewrite local a{b}@x", "<a{b}@x>",
        "rewrite local @x", "<\"\"@x>",
        "rewrite local @x.y", "<\"\"@x.y>",
        "rewrite local @a,@b:u v@x.y", "<\"u v\"@x.y>",
        "rewrite local @a:b", "<b@host.example.com>",
        "rewrite local \"\"@x.y", "<\"\"@x.y>",
        "rewrite local \"a b\"@x.y", "<\"a b\"@x.y>",
        0,
    };
    scenario(files, expect);
}

TEST(domain_classes_and_tables)
{
    static const char *files[] = {
        "main.cf",
        "compatibility_level = 3.7\n"
        "myhostname = host.example.com\n"
        "mydomain = example.com\n"
        "inet_interfaces = loopback-only\n"
        "proxy_interfaces = 192.0.2.7\n"
        "mydestination = $myhostname, localhost.$mydomain, localhost, example.com\n"
        "virtual_alias_domains = valias.example, inline:{ valias2.example=x }\n"
        "virtual_mailbox_domains = vmbox.example\n"
        "relay_domains = relay.example\n"
        "relayhost = [smarthost.example]:587\n"
        "transport_maps = texthash:$dir/transport\n"
        "sender_dependent_relayhost_maps = inline:{ special@sender.example=[special-relay.example], @dom.example=[dom-relay.example] }\n"
        "sender_dependent_default_transport_maps = inline:{ bulk@sender.example=bulk:, <>=bounces }\n"
        "empty_address_relayhost_maps_lookup_key = <>\n"
        "relocated_maps = inline:{ moved@example.com=new@else.example }\n"
        "virtual_transport = lmtp:unix:private/dovecot-lmtp\n"
        "mail_owner = daemon\nsetgid_group = mail\n",
        "transport",
        "special.example   smtp:[mx.special.example]:25\n"
        ".sub.example      relay:\n"
        "sub.example       :[sub-hop.example]\n"
        "user@tr.example   error:5.7.1 go away\n"
        "tr.example        local:\n"
        "err.example       error:\n"
        "keep.example      :\n"
        "user+ext@ext.example uucp:exthost\n"
        "user@ext.example  smtp:noext-hop\n",
        0,
    };
    static const char *expect[] = {
        "resolve - user@valias.example", "error | 5.1.1 User unknown in virtual alias table | user@valias.example | 0x200",
        "resolve - user@VALIAS.example", "error | 5.1.1 User unknown in virtual alias table | user@VALIAS.example | 0x200",
        "resolve - user@valias2.example", "error | 5.1.1 User unknown in virtual alias table | user@valias2.example | 0x200",
        "resolve - user@sub.valias.example", "bounces | [smarthost.example]:587 | user@sub.valias.example | 0x1000",
        "resolve - user@vmbox.example", "lmtp | unix:private/dovecot-lmtp | user@vmbox.example | 0x400",
        "resolve - user@relay.example", "relay | [smarthost.example]:587 | user@relay.example | 0x800",
        "resolve - user@sub.relay.example", "relay | [smarthost.example]:587 | user@sub.relay.example | 0x800",
        "resolve - user@remote.org", "bounces | [smarthost.example]:587 | user@remote.org | 0x1000",
        "resolve special@sender.example user@remote.org", "smtp | [special-relay.example] | user@remote.org | 0x1000",
        "resolve x@dom.example user@remote.org", "smtp | [dom-relay.example] | user@remote.org | 0x1000",
        "resolve bulk@sender.example user@remote.org", "bulk | [smarthost.example]:587 | user@remote.org | 0x1000",
        "resolve - user@special.example", "smtp | [mx.special.example]:25 | user@special.example | 0x1000",
        "resolve - user@sub.example", "bounces | [sub-hop.example] | user@sub.example | 0x1000",
        "resolve - user@a.sub.example", "relay | a.sub.example | user@a.sub.example | 0x1000",
        "resolve - user@tr.example", "error | 5.7.1 go away | user@tr.example | 0x1000",
        "resolve - other@tr.example", "local | tr.example | other@tr.example | 0x1000",
        "resolve - user@err.example", "error | Address is undeliverable | user@err.example | 0x1000",
        "resolve - user@keep.example", "bounces | [smarthost.example]:587 | user@keep.example | 0x1000",
        "resolve - user+ext@ext.example", "uucp | exthost | user+ext@ext.example | 0x1000",
        "resolve - user+foo@ext.example", "bounces | [smarthost.example]:587 | user+foo@ext.example | 0x1000",
        "resolve - user@ext.example", "smtp | noext-hop | user@ext.example | 0x1000",
        "resolve - moved@example.com", "error | 5.1.6 User has moved to new@else.example | moved@example.com | 0x100",
        "resolve - moved", "local | host.example.com | moved@host.example.com | 0x100",
        "resolve - user@example.com", "local | host.example.com | user@example.com | 0x100",
        "resolve - user@[192.0.2.7]", "local | host.example.com | user@[192.0.2.7] | 0x100",
        "resolve - user@[192.0.2.8]", "bounces | [smarthost.example]:587 | user@[192.0.2.8] | 0x1000",
        "resolve - user@vmbox.example@host.example.com", "lmtp | unix:private/dovecot-lmtp | user@vmbox.example | 0x400",
        "verify - user@remote.org", "bounces | [smarthost.example]:587 | user@remote.org | 0x1000",
        "verify special@sender.example user@relay.example", "relay | [special-relay.example] | user@relay.example | 0x800",
        "rewrite local user", "<user@host.example.com>",
        "rewrite remote user", "<user>",
        0,
    };
    scenario(files, expect);
}

TEST(rewrite_and_resolve_options)
{
    static const char *files[] = {
        "main.cf",
        "compatibility_level = 3.7\n"
        "myhostname = host.example.com\n"
        "mydomain = example.com\n"
        "myorigin = $mydomain\n"
        "mydestination = $myhostname, localhost, $mydomain\n"
        "inet_interfaces = loopback-only\n"
        "recipient_delimiter = +\n"
        "parent_domain_matches_subdomains = transport_maps\n"
        "allow_percent_hack = no\n"
        "swap_bangpath = no\n"
        "append_dot_mydomain = yes\n"
        "remote_header_rewrite_domain = domain.invalid\n"
        "resolve_null_domain = yes\n"
        "resolve_numeric_domain = yes\n"
        "resolve_dequoted_address = no\n"
        "show_user_unknown_table_name = no\n"
        "empty_address_recipient = postmaster\n"
        "allow_min_user = yes\n"
        "local_transport = local\n"
        "default_transport = error:mail for remote domains is disabled\n"
        "virtual_alias_domains = valias.example\n"
        "transport_maps = inline:{ sub.example=smtp:[p.example], user@ext.example=uucp:x, *=wild:[wild.example] }\n"
        "mail_owner = daemon\nsetgid_group = mail\n",
        0,
    };
    static const char *expect[] = {
        "rewrite local user", "<user@example.com>",
        "rewrite local user@host", "<user@host.example.com>",
        "rewrite local user@host.", "<user@host>",
        "rewrite local user@[1.2.3.4]", "<user@[1.2.3.4]>",
        "rewrite local site!user", "<site!user@example.com>",
        "rewrite local user%domain", "<user%domain@example.com>",
        "rewrite remote user", "<user@domain.invalid>",
        "rewrite remote user@host", "<user@host.domain.invalid>",
        "rewrite remote site!user", "<site!user@domain.invalid>",
        "resolve - user@valias.example", "error | 5.1.1 User unknown | user@valias.example | 0x200",
        "resolve - user@remote.org", "wild | [wild.example] | user@remote.org | 0x1000",
        "resolve - user@a.sub.example", "smtp | [p.example] | user@a.sub.example | 0x1000",
        "resolve - user@sub.example", "smtp | [p.example] | user@sub.example | 0x1000",
        "resolve - user+x@ext.example", "uucp | x | user+x@ext.example | 0x1000",
        "resolve - user@", "wild | [wild.example] | user@host.example.com | 0x100",
        "resolve - @", "wild | [wild.example] | postmaster@host.example.com | 0x100",
        "resolve - ", "wild | [wild.example] | postmaster@host.example.com | 0x100",
        "resolve - user@127.0.0.1", "wild | [wild.example] | user@[127.0.0.1] | 0x100",
        "resolve - user@10.0.0.1", "wild | [wild.example] | user@[10.0.0.1] | 0x1000",
        "resolve - \"user@remote.org\"@example.com", "wild | [wild.example] | \"user@remote.org\"@example.com | 0x102",
        "resolve - user%remote.org@example.com", "wild | [wild.example] | user%remote.org@example.com | 0x102",
        "resolve - remote.org!user", "wild | [wild.example] | remote.org!user@host.example.com | 0x102",
        "resolve - -user", "wild | [wild.example] | -user@host.example.com | 0x100",
        "resolve - user@example.com", "wild | [wild.example] | user@example.com | 0x100",
        "resolve - user+foo@example.com", "wild | [wild.example] | user+foo@example.com | 0x100",
        "resolve - user@remote@example.com", "wild | [wild.example] | user@remote@example.com | 0x102",
        0,
    };
    scenario(files, expect);
}

TEST(myhostname_not_in_mydestination)
{
    static const char *files[] = {
        "main.cf",
        "myhostname = host.example.com\n"
        "mydomain = example.com\n"
        "inet_interfaces = loopback-only\n"
        "mydestination = localhost\n"
        "relay_domains = relay.example\n"
        "mail_owner = daemon\nsetgid_group = mail\n",
        0,
    };
    static const char *expect[] = {
        "resolve - user", "smtp | host.example.com | user@host.example.com | 0x1000",
        "resolve - user@localhost", "local | host.example.com | user@localhost | 0x100",
        "resolve - @localhost", "local | host.example.com | MAILER-DAEMON@localhost | 0x100",
        0,
    };
    scenario(files, expect);
}

#define RUN_ALL_CASES() \
    do { \
        RUN(defaults); \
        RUN(domain_classes_and_tables); \
        RUN(rewrite_and_resolve_options); \
        RUN(myhostname_not_in_mydestination); \
    } while (0)
