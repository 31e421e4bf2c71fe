/*
 * resolve - trivial-rewrite's "resolve" and "verify" requests: where does
 * a recipient go?
 *
 * The answer is a transport (a master.cf service), a next hop (its meaning
 * is the transport's), the recipient as it is to be delivered, and flags:
 * the address class and problem bits (see resolve_clnt.h).
 *
 * First the address is reduced: local domains (resolve_local: mydestination,
 * inet_interfaces/proxy_interfaces literals) are stripped from the right
 * and remembered, and routing operators left over ("a@b" inside, "site!u"
 * and "u%site" when swap_bangpath/allow_percent_hack allow them, also
 * inside a quoted local part when resolve_dequoted_address is on) are
 * rewritten and the loop starts over. An empty local part becomes
 * $empty_address_recipient. What is left is either local (user, then
 * user@<the stripped local domain> or user@$myhostname) or has a remote
 * domain, which is checked for syntax (resolve_numeric_domain turns
 * user@1.2.3.4 into user@[1.2.3.4]) and classified: virtual alias domains
 * (no mailboxes: the error transport with "User unknown"), virtual mailbox
 * domains, relay domains, and the default class, where
 * sender_dependent_default_transport_maps, sender_dependent_relayhost_maps
 * and relayhost apply. A "transport:nexthop" value in the class transport
 * sets the next hop; then transport_maps may override both, and
 * relocated_maps turns moved users into errors.
 *
 * "verify" does the same with the address_verify_* parameters.
 *
 * Exports resolve_init(), resolve_addr(), resolve_class(), resolve_proto()
 * and the contexts resolve_regular and resolve_verify.
 * Failure: a table failure sets RESOLVE_FLAG_FAIL (the client defers);
 * bad syntax sets RESOLVE_FLAG_ERROR; a malformed request makes
 * resolve_proto() return -1.
 */

#include <string.h>

#include "attr.h"
#include "dict.h"
#include "mail_addr_find.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "resolve_clnt.h"
#include "resolve_local.h"
#include "stringops.h"
#include "trivial-rewrite.h"
#include "valid_hostname.h"
#include "valid_mailhost_addr.h"
#include "valid_utf8_string.h"

/* One parameter of a resolver context: its name (for messages) and value. */
typedef struct RES_PARAM {
    const char *name;
    char **value;
} RES_PARAM;

struct RES_CONTEXT {
    RES_PARAM local_transport;
    RES_PARAM virt_transport;
    RES_PARAM relay_transport;
    RES_PARAM def_transport;
    RES_PARAM relayhost;
    RES_PARAM snd_relay_maps;
    RES_PARAM snd_def_xport_maps;
    RES_PARAM transport_maps;
    MAPS *snd_relay_info;
    MAPS *snd_def_xport_info;
    TRANSPORT_INFO *transport_info;
};

static RES_CONTEXT regular_context = {
    {"local_transport", &var_local_transport},
    {"virtual_transport", &var_virtual_transport},
    {"relay_transport", &var_relay_transport},
    {"default_transport", &var_default_transport},
    {"relayhost", &var_relayhost},
    {"sender_dependent_relayhost_maps", &var_sender_dependent_relayhost_maps},
    {"sender_dependent_default_transport_maps", &var_sender_dependent_default_transport_maps},
    {"transport_maps", &var_transport_maps},
    0,
    0,
    0,
};

static RES_CONTEXT verify_context = {
    {"address_verify_local_transport", &var_address_verify_local_transport},
    {"address_verify_virtual_transport", &var_address_verify_virtual_transport},
    {"address_verify_relay_transport", &var_address_verify_relay_transport},
    {"address_verify_default_transport", &var_address_verify_default_transport},
    {"address_verify_relayhost", &var_address_verify_relayhost},
    {"address_verify_sender_dependent_relayhost_maps",
     &var_address_verify_sender_dependent_relayhost_maps},
    {"address_verify_sender_dependent_default_transport_maps",
     &var_address_verify_sender_dependent_default_transport_maps},
    {"address_verify_transport_maps", &var_address_verify_transport_maps},
    0,
    0,
    0,
};

RES_CONTEXT *resolve_regular = &regular_context;
RES_CONTEXT *resolve_verify = &verify_context;

static MATCH_LIST *relay_domains;
static MATCH_LIST *virt_alias_doms;
static MATCH_LIST *virt_mailbox_doms;
static MAPS *relocated_maps;

#define STR(x) vstring_str(x)
#define PVAL(p) (*(p).value ? *(p).value : "")

/* resolve_parent_style - MATCH_FLAG_PARENT when parent_domain_matches_subdomains lists name */
static int resolve_parent_style(const char *name)
{
    char *saved =
        mystrdup(var_parent_domain_matches_subdomains ? var_parent_domain_matches_subdomains : "");
    char *bp = saved;
    char *word;
    int found = 0;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0)
        if (strcmp(word, name) == 0)
            found = MATCH_FLAG_PARENT;
    myfree(saved);
    return (found);
}

/* resolve_context_init - open the tables of one resolver context */
static void resolve_context_init(RES_CONTEXT *rp)
{
    int flags = DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB;

    if (*PVAL(rp->snd_relay_maps))
        rp->snd_relay_info = maps_create(rp->snd_relay_maps.name, PVAL(rp->snd_relay_maps), flags);
    if (*PVAL(rp->snd_def_xport_maps))
        rp->snd_def_xport_info =
            maps_create(rp->snd_def_xport_maps.name, PVAL(rp->snd_def_xport_maps), flags);
    if (*PVAL(rp->transport_maps))
        rp->transport_info = transport_init(rp->transport_maps.name, PVAL(rp->transport_maps));
}

/* resolve_check_transport - a transport parameter must not be empty */
static void resolve_check_transport(const RES_PARAM *param)
{
    if (*PVAL(*param) == 0)
        msg_fatal("bad string length 0 < 1: %s = ", param->name);
}

/* resolve_init - open the domain lists and tables */
void resolve_init(void)
{
    RES_CONTEXT *contexts[2] = {&regular_context, &verify_context};
    int i;

    for (i = 0; i < 2; i++) {
        resolve_check_transport(&contexts[i]->local_transport);
        resolve_check_transport(&contexts[i]->virt_transport);
        resolve_check_transport(&contexts[i]->relay_transport);
        resolve_check_transport(&contexts[i]->def_transport);
    }
    if (*var_relay_domains)
        relay_domains = domain_list_init("relay_domains",
                                         MATCH_FLAG_RETURN | resolve_parent_style("relay_domains"),
                                         var_relay_domains);
    if (*var_virtual_alias_domains)
        virt_alias_doms =
            string_list_init("virtual_alias_domains", MATCH_FLAG_RETURN, var_virtual_alias_domains);
    if (*var_virtual_mailbox_domains)
        virt_mailbox_doms = string_list_init("virtual_mailbox_domains", MATCH_FLAG_RETURN,
                                             var_virtual_mailbox_domains);
    if (*var_relocated_maps)
        relocated_maps = maps_create("relocated_maps", var_relocated_maps,
                                     DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB);
    resolve_local_init();
    resolve_context_init(resolve_regular);
    resolve_context_init(resolve_verify);
}

/* resolve_list_match - 1 match, 0 no match, -1 table failure (logged) */
static int resolve_list_match(MATCH_LIST *list, const char *name, const char *domain)
{
    if (list == 0)
        return (0);
    if (match_list_match(list, domain))
        return (1);
    if (list->error != 0) {
        msg_warn("%s lookup failure", name);
        return (-1);
    }
    return (0);
}

/* resolve_class - the class of a domain, for rewrite's compatibility messages */
int resolve_class(const char *domain)
{
    if (resolve_local(domain) > 0)
        return (RESOLVE_CLASS_LOCAL);
    if (virt_alias_doms && match_list_match(virt_alias_doms, domain))
        return (RESOLVE_CLASS_ALIAS);
    if (virt_mailbox_doms && match_list_match(virt_mailbox_doms, domain))
        return (RESOLVE_CLASS_VIRTUAL);
    if (relay_domains && match_list_match(relay_domains, domain))
        return (RESOLVE_CLASS_RELAY);
    return (RESOLVE_CLASS_DEFAULT);
}

/* resolve_is_local - mail_addr_find() callback: 1 local, 0 not, -1 table failure */
static int resolve_is_local(const char *domain, void *context)
{
    int status = resolve_local(domain);

    (void)context;
    return (status < 0 ? -1 : status);
}

/* resolve_find - look up an address the way sender-dependent and relocated tables are */
static const char *resolve_find(MAPS *maps, const char *addr)
{
    MAIL_ADDR_FIND_ENV env;

    memset(&env, 0, sizeof(env));
    env.delimiters = var_recipient_delimiter;
    env.double_bounce = var_double_bounce_sender;
    env.is_local = resolve_is_local;
    return (mail_addr_find(maps, addr, (char **)0, MA_FIND_DEFAULT, &env));
}

/* resolve_domain_text - a domain's tokens (from tp to the end of the list) as internal text */
static const char *resolve_domain_text(VSTRING *buf, TOK822 *tp)
{
    VSTRING_RESET(buf);
    tok822_internalize(buf, tp, TOK822_STR_TERM);
    VSTRING_TERMINATE(buf);
    return (STR(buf));
}

/*
 * resolve_dequote - open a quoted local part that hides routing operators;
 * 1 if done. Each call removes one level of quoting, so that nested quotes
 * ("\"a!b\"") come apart in as many passes and the loop always ends. With
 * '@' (or '%') as the operator, the text before it stays quoted when it
 * needs quotes; with '!' the whole text is opened for the bang-path swap.
 */
static int resolve_dequote(TOK822 *tree, VSTRING *buf)
{
    char *local;
    char *oper;

    if (!var_resolve_dequoted_address || tree->head == 0 || tree->head != tree->tail ||
        tree->head->type != TOK822_QSTRING)
        return (0);
    local = STR(tree->head->vstr);
    if ((oper = strrchr(local, '@')) == 0 &&
        (!var_allow_percent_hack || (oper = strrchr(local, '%')) == 0) &&
        (!var_swap_bangpath || (oper = strrchr(local, '!')) == 0))
        return (0);
    if (*oper == '%')
        *oper = '@';
    if (*oper == '@') {
        *oper = 0;
        quote_822_local_flags(buf, local, QUOTE_FLAG_DEFAULT | QUOTE_FLAG_BARE_LOCALPART);
        *oper = '@';
        vstring_strcat(buf, oper);
    } else {
        vstring_strcpy(buf, local);
    }
    tok822_free_tree(tree->head);
    /* Loose tokens, as from tok822_scan_addr(): text forms space them out. */
    tree->head = tok822_scan(STR(buf), &tree->tail);
    return (1);
}

/* resolve_is_empty - an empty local part, or "" */
static int resolve_is_empty(TOK822 *tree)
{
    return (tree->head == 0 || (tree->head == tree->tail && tree->head->type == TOK822_QSTRING &&
                                VSTRING_LEN(tree->head->vstr) == 0));
}

/*
 * resolve_reduce - strip local domains and undo routing until the address
 * is "user" (local) or "user@remote". Returns the '@' of a remote domain
 * or null; *saved gets the last local "@domain" that was stripped.
 * Returns with *status < 0 on table failure or runaway.
 */
static TOK822 *resolve_reduce(TOK822 *tree, const char *addr, TOK822 **saved, int *status)
{
    VSTRING *buf = vstring_alloc(100);
    TOK822 *domain = 0;
    long loops;
    long max_loops = (long)strlen(addr) + 100;
    int local;

    *status = 0;
    for (loops = 0;; loops++) {
        if (loops > max_loops) {
            msg_warn("resolve_addr: <%s>: giving up after %ld iterations", addr, loops);
            *status = -1;
            break;
        }
        /* One trailing dot after a domain goes; "..", "@." stay for diagnostics. */
        if (tree->tail && tree->tail->type == '.' && tok822_rfind_type(tree->tail, '@') != 0 &&
            tree->tail->prev->type != '.' && tree->tail->prev->type != '@')
            tok822_free_tree(tok822_sub_keep_before(tree, tree->tail));
        if (var_resolve_null_domain && tree->tail && tree->tail->type == '@')
            tok822_free_tree(tok822_sub_keep_before(tree, tree->tail));
        if ((domain = tok822_rfind_type(tree->tail, '@')) != 0) {
            /* A null domain ("user@") is stripped like a local one and fails later. */
            if (domain->next != 0 &&
                (local = resolve_local(resolve_domain_text(buf, domain->next))) <= 0) {
                if (local < 0)
                    *status = -1;
                break;
            }
            tok822_sub_keep_before(tree, domain);
            if (*saved)
                tok822_free_tree(*saved);
            *saved = domain;
            domain = 0;
        }
        if (tok822_rfind_type(tree->tail, '@') ||
            (var_swap_bangpath && tok822_rfind_type(tree->tail, '!')) ||
            (var_allow_percent_hack && tok822_rfind_type(tree->tail, '%'))) {
            rewrite_tree(&rewrite_local_context, tree);
            continue;
        }
        if (resolve_dequote(tree, buf)) {
            rewrite_tree(&rewrite_local_context, tree);
            continue;
        }
        if (resolve_is_empty(tree)) {
            if (tree->head)
                tok822_free_tree(tok822_sub_keep_before(tree, tree->head));
            /* As in our own From: headers; the domain is added by the caller. */
            tok822_sub_append(tree, tok822_alloc(TOK822_ATOM, var_empty_address_recipient));
        }
        break;
    }
    vstring_free(buf);
    return (domain);
}

/* resolve_domain_ok - is a remote domain well-formed? */
static int resolve_domain_ok(const char *domain)
{
    if (*domain == '[')
        return (valid_mailhost_literal(domain, DONT_GRIPE));
    if (*domain == 0)
        return (0);
    if (valid_hostname(domain, DONT_GRIPE))
        return (1);
    /* With SMTPUTF8, a UTF-8 domain name is acceptable as it is. */
    if (var_smtputf8_enable) {
        const char *cp;

        for (cp = domain; *cp; cp++)
            if (*(const unsigned char *)cp >= 0x80)
                break;
        return (*cp != 0 && valid_utf8_string(domain, (ssize_t)strlen(domain)) &&
                strlen(domain) <= VALID_HOSTNAME_LEN && strstr(domain, "..") == 0 &&
                *domain != '.' && *domain != '-');
    }
    return (0);
}

/* resolve_warn_both - helpful warning: a domain in two exclusive lists */
static void resolve_warn_both(MATCH_LIST *list, const char *domain, const char *name1,
                              const char *name2)
{
    if (var_helpful_warnings && list && match_list_match(list, domain))
        msg_warn("do not list domain %s in BOTH %s and %s", domain, name1, name2);
}

/* resolve_remote - class, transport and next hop of a remote domain; 0 on table failure */
static int resolve_remote(RES_CONTEXT *rp, const char *sender, const char *rcpt_domain,
                          VSTRING *channel, VSTRING *nexthop, int *flags, const char **blame)
{
    const char *value;
    int hit;

    if ((hit = resolve_list_match(virt_alias_doms, "virtual_alias_domains", rcpt_domain)) < 0)
        return (0);
    if (hit) {
        resolve_warn_both(virt_mailbox_doms, rcpt_domain, "virtual_alias_domains",
                          "virtual_mailbox_domains");
        resolve_warn_both(relay_domains, rcpt_domain, "virtual_alias_domains", "relay_domains");
        vstring_strcpy(channel, var_error_service_name);
        vstring_sprintf(nexthop, "5.1.1 User unknown%s",
                        var_show_user_unknown_table_name ? " in virtual alias table" : "");
        *flags |= RESOLVE_CLASS_ALIAS;
        return (1);
    }
    if ((hit = resolve_list_match(virt_mailbox_doms, "virtual_mailbox_domains", rcpt_domain)) < 0)
        return (0);
    if (hit) {
        resolve_warn_both(relay_domains, rcpt_domain, "virtual_mailbox_domains", "relay_domains");
        vstring_strcpy(channel, PVAL(rp->virt_transport));
        vstring_strcpy(nexthop, rcpt_domain);
        *blame = rp->virt_transport.name;
        *flags |= RESOLVE_CLASS_VIRTUAL;
        return (1);
    }
    if ((hit = resolve_list_match(relay_domains, "relay_domains", rcpt_domain)) < 0)
        return (0);
    if (hit) {
        vstring_strcpy(channel, PVAL(rp->relay_transport));
        *blame = rp->relay_transport.name;
        *flags |= RESOLVE_CLASS_RELAY;
    } else {
        value = 0;
        if (rp->snd_def_xport_info &&
            (value = resolve_find(
                 rp->snd_def_xport_info,
                 *sender ? sender : var_empty_address_default_transport_maps_lookup_key)) == 0 &&
            rp->snd_def_xport_info->error != 0) {
            msg_warn("%s lookup failure", rp->snd_def_xport_maps.name);
            return (0);
        }
        vstring_strcpy(channel, value ? value : PVAL(rp->def_transport));
        *blame = value ? rp->snd_def_xport_maps.name : rp->def_transport.name;
        *flags |= RESOLVE_CLASS_DEFAULT;
    }
    /* Off-host delivery: a relay host replaces the recipient domain as next hop. */
    value = 0;
    if (rp->snd_relay_info &&
        (value = resolve_find(rp->snd_relay_info,
                              *sender ? sender : var_empty_address_relayhost_maps_lookup_key)) ==
            0 &&
        rp->snd_relay_info->error != 0) {
        msg_warn("%s lookup failure", rp->snd_relay_maps.name);
        return (0);
    }
    if (value)
        vstring_strcpy(nexthop, value);
    else if (*PVAL(rp->relayhost))
        vstring_strcpy(nexthop, PVAL(rp->relayhost));
    else
        vstring_strcpy(nexthop, rcpt_domain);
    return (1);
}

/* resolve_has_route - does the local part of an internal-form address hold routing operators? */
static int resolve_has_route(const char *rcpt, const char *at)
{
    const char *cp;

    for (cp = rcpt; cp < at; cp++)
        if (*cp == '@' || *cp == '!' || *cp == '%')
            return (1);
    return (0);
}

/* resolve_addr - resolve an internal-form address */
void resolve_addr(RES_CONTEXT *rp, const char *sender, const char *addr, VSTRING *channel,
                  VSTRING *nexthop, VSTRING *nextrcpt, int *flags)
{
    VSTRING *buf = vstring_alloc(100);
    TOK822 *tree;
    TOK822 *domain;
    TOK822 *saved = 0;
    const char *blame = 0;
    const char *value;
    char *rcpt_domain;
    char *destination;
    int status;

    /* Answers that end early (errors, failures) carry this text, as Postfix's do. */
    *flags = 0;
    vstring_strcpy(channel, "CHANNEL NOT UPDATED");
    vstring_strcpy(nexthop, "NEXTHOP NOT UPDATED");
    vstring_strcpy(nextrcpt, "NEXTRCPT NOT UPDATED");

    /*
     * Work on the quoted form: the tokenizer then sees the local part as the
     * sender meant it; resolve_dequote() looks inside quotes where needed.
     */
    quote_822_local(buf, addr);
    tree = tok822_scan_addr(STR(buf));
    domain = resolve_reduce(tree, addr, &saved, &status);
    if (status < 0) {
        *flags |= RESOLVE_FLAG_FAIL;
        goto done;
    }
    if (domain == 0) {
        if (saved) {
            tok822_sub_append(tree, saved);
            saved = 0;
        } else {
            /* No domain at all: this host, which is local only if mydestination says so. */
            if ((status = resolve_local(var_myhostname)) < 0) {
                *flags |= RESOLVE_FLAG_FAIL;
                goto done;
            }
            domain = tok822_sub_append(tree, tok822_alloc('@', (char *)0));
            tok822_sub_append(tree, tok822_scan(var_myhostname, (TOK822 **)0));
            if (status > 0)
                domain = 0;
        }
    }
    tok822_internalize(nextrcpt, tree->head, TOK822_STR_DEFL);
    if ((rcpt_domain = strrchr(STR(nextrcpt), '@')) == 0)
        msg_panic("resolve_addr: no @ in address: \"%s\"", STR(nextrcpt));
    rcpt_domain++;

    if (!resolve_domain_ok(rcpt_domain)) {
        if (var_resolve_numeric_domain && valid_hostaddr(rcpt_domain, DONT_GRIPE)) {
            vstring_insert(nextrcpt, rcpt_domain - STR(nextrcpt), "[", 1);
            vstring_strcat(nextrcpt, "]");
            rcpt_domain = strrchr(STR(nextrcpt), '@') + 1;
            if ((status = resolve_local(rcpt_domain)) > 0) {
                domain = 0;
            } else if (status < 0) {
                *flags |= RESOLVE_FLAG_FAIL;
                goto done;
            }
        } else {
            *flags |= RESOLVE_FLAG_ERROR | RESOLVE_CLASS_DEFAULT;
            goto done;
        }
    }
    /* Routing operators left in the local part: smtpd will not relay such mail. */
    if (resolve_has_route(STR(nextrcpt), rcpt_domain - 1))
        *flags |= RESOLVE_FLAG_ROUTED;
    if (domain != 0) {
        if (!resolve_remote(rp, sender, rcpt_domain, channel, nexthop, flags, &blame)) {
            *flags |= RESOLVE_FLAG_FAIL;
            goto done;
        }
    } else {
        resolve_warn_both(virt_alias_doms, rcpt_domain, "mydestination", "virtual_alias_domains");
        resolve_warn_both(virt_mailbox_doms, rcpt_domain, "mydestination",
                          "virtual_mailbox_domains");
        vstring_strcpy(channel, PVAL(rp->local_transport));
        vstring_strcpy(nexthop, rcpt_domain);
        blame = rp->local_transport.name;
        *flags |= RESOLVE_CLASS_LOCAL;
    }

    /* "transport:nexthop" in a main.cf transport setting sets the next hop. */
    if ((destination = split_at(STR(channel), ':')) != 0) {
        if (*destination)
            vstring_strcpy(nexthop, destination);
        vstring_truncate(channel, strlen(STR(channel)));
    }
    if (*STR(channel) == 0) {
        if (blame == 0)
            msg_panic("resolve_addr: null transport without a parameter to blame");
        msg_warn("file %s/main.cf: parameter %s: null transport is not allowed", mail_conf_dir(),
                 blame);
        *flags |= RESOLVE_FLAG_FAIL;
        goto done;
    }
    if (*STR(nexthop) == 0)
        msg_panic("resolve_addr: null nexthop for <%s>", addr);

    /* Virtual alias domains have no mailboxes; transport_maps cannot give them one. */
    if (rp->transport_info && !(*flags & RESOLVE_CLASS_ALIAS) &&
        !transport_lookup(rp->transport_info, STR(nextrcpt), rcpt_domain, channel, nexthop) &&
        transport_error(rp->transport_info) != 0) {
        msg_warn("%s lookup failure", rp->transport_maps.name);
        *flags |= RESOLVE_FLAG_FAIL;
        goto done;
    }

    /* Moved users bounce, whatever their class; done last, after transport_maps. */
    if (relocated_maps) {
        if ((value = resolve_find(relocated_maps, STR(nextrcpt))) != 0) {
            vstring_strcpy(channel, var_error_service_name);
            vstring_sprintf(nexthop, "5.1.6 User has moved to %s", value);
        } else if (relocated_maps->error != 0) {
            msg_warn("relocated_maps lookup failure");
            *flags |= RESOLVE_FLAG_FAIL;
            goto done;
        }
    }
    /* A recipient that looks like a command option could fool a pipe command. */
    if (!var_allow_min_user && STR(nextrcpt)[0] == '-')
        *flags |= RESOLVE_FLAG_ERROR;

done:
    if (saved)
        tok822_free_tree(saved);
    tok822_free_tree(tree);
    vstring_free(buf);
}

/* resolve_proto - read the rest of a resolve/verify request and answer it */
int resolve_proto(RES_CONTEXT *rp, VSTREAM *stream)
{
    static VSTRING *sender;
    static VSTRING *query;
    static VSTRING *channel;
    static VSTRING *nexthop;
    static VSTRING *nextrcpt;
    int flags;

    if (sender == 0) {
        sender = vstring_alloc(100);
        query = vstring_alloc(100);
        channel = vstring_alloc(100);
        nexthop = vstring_alloc(100);
        nextrcpt = vstring_alloc(100);
    }
    if (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_SENDER, sender),
                  RECV_ATTR_STR(MAIL_ATTR_ADDR, query), ATTR_TYPE_END) != 2)
        return (-1);
    resolve_addr(rp, STR(sender), STR(query), channel, nexthop, nextrcpt, &flags);
    if (msg_verbose)
        msg_info("`%s' -> `%s' -> (`%s' `%s' `%s' `%d')", STR(sender), STR(query), STR(channel),
                 STR(nexthop), STR(nextrcpt), flags);
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, trivial_rewrite_server_flags),
               SEND_ATTR_STR(MAIL_ATTR_TRANSPORT, STR(channel)),
               SEND_ATTR_STR(MAIL_ATTR_NEXTHOP, STR(nexthop)),
               SEND_ATTR_STR(MAIL_ATTR_RECIP, STR(nextrcpt)), SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags),
               ATTR_TYPE_END);
    if (vstream_fflush(stream) != 0) {
        msg_warn("write resolver reply: %m");
        return (-1);
    }
    return (0);
}
