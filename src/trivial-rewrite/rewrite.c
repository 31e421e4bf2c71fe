/*
 * rewrite - trivial-rewrite's "rewrite" request: bring an address into
 * standard user@fully.qualified.domain form.
 *
 * The local context completes addresses with $myorigin ("user" becomes
 * "user@$myorigin", append_at_myorigin) and $mydomain ("user@host" becomes
 * "user@host.$mydomain", append_dot_mydomain). The remote context uses
 * $remote_header_rewrite_domain for both, so with that parameter empty it
 * completes nothing. In both contexts: a source route "@a,@b:user@domain"
 * loses its route, "site!user" becomes "user@site" (swap_bangpath) and
 * "user%domain" becomes "user@domain" (allow_percent_hack) when the address
 * has no '@', a lone "@" becomes the empty address, and one trailing dot
 * is dropped from the domain. Broken forms (a trailing "@", "..") are left
 * as they are so that later error messages show what was given.
 *
 * Exports rewrite_init(), rewrite_tree() (token level, also used by the
 * resolver), rewrite_addr() and rewrite_proto().
 * Failure: a malformed request makes rewrite_proto() return -1 after a
 * warning; the caller drops the client.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attr.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "resolve_clnt.h"
#include "trivial-rewrite.h"

RWR_CONTEXT rewrite_local_context = {&var_myorigin, &var_mydomain};
RWR_CONTEXT rewrite_remote_context = {&var_remote_header_rewrite_domain,
                                      &var_remote_header_rewrite_domain};

/* Non-zero after a table changed: tells clients to reconnect to a fresh server. */
int trivial_rewrite_server_flags;

/* Backwards compatibility: say when append_dot_mydomain=yes comes from an old default. */
static int warn_compat_append_dot_mydomain;

/* rewrite_init - decide on compatibility logging */
void rewrite_init(void)
{
    const char *level = var_compatibility_level ? var_compatibility_level : "0";

    warn_compat_append_dot_mydomain = var_append_dot_mydomain &&
                                      mail_conf_lookup("append_dot_mydomain") == 0 &&
                                      strtol(level, (char **)0, 10) < 1;
}

/* rewrite_routing - "site!user" and "user%domain" forms, for addresses without '@' */
static int rewrite_routing(TOK822 *tree)
{
    TOK822 *bang;
    TOK822 *percent;
    TOK822 *user;

    if (var_swap_bangpath && (bang = tok822_find_type(tree->head, '!')) != 0) {
        /* The first '!' separates the site from the rest of the path. */
        tok822_sub_keep_before(tree, bang);
        user = tok822_cut_after(bang);
        tok822_free(bang);
        tok822_sub_prepend(tree, tok822_alloc('@', (char *)0));
        if (user)
            tok822_sub_prepend(tree, user);
        return (1);
    }
    if (var_allow_percent_hack && (percent = tok822_rfind_type(tree->tail, '%')) != 0) {
        percent->type = '@';
        return (1);
    }
    return (0);
}

/* rewrite_compat_log - log a rewrite that only an old default caused */
static void rewrite_compat_log(TOK822 *domain)
{
    const char *name;

    if (domain->next == 0 || domain->next->vstr == 0)
        return;
    name = vstring_str(domain->next->vstr);
    if (strcasecmp(name, "localhost") != 0)
        msg_info("using backwards-compatible default setting append_dot_mydomain=yes to "
                 "rewrite \"%s\" to \"%s.%s\"",
                 name, name, var_mydomain);
    else if (resolve_class("localhost") == RESOLVE_CLASS_DEFAULT)
        msg_info("using backwards-compatible default setting append_dot_mydomain=yes to "
                 "rewrite \"%s\" to \"%s.%s\"; please add \"localhost\" to mydestination or "
                 "other address class",
                 name, name, var_mydomain);
}

/* rewrite_tree - rewrite one address (children of a TOK822_ADDR node) in place */
void rewrite_tree(RWR_CONTEXT *context, TOK822 *tree)
{
    TOK822 *colon;
    TOK822 *domain;
    const char *origin = *context->origin;
    const char *mydomain = *context->domain;

    if (tree->head == 0)
        msg_panic("rewrite_tree: empty address");
    /* The empty address "" stays empty; a lone "@" becomes it. */
    if (tree->head == tree->tail && tree->head->type == TOK822_QSTRING &&
        VSTRING_LEN(tree->head->vstr) == 0)
        return;
    if (tree->head == tree->tail && tree->head->type == '@') {
        tok822_free_tree(tok822_sub_keep_before(tree, tree->head));
        tok822_sub_append(tree, tok822_alloc(TOK822_QSTRING, ""));
        return;
    }
    /* "@hop1,@hop2:user@domain" delivers to user@domain. */
    if (tree->head->type == '@' && (colon = tok822_find_type(tree->head, ':')) != 0 &&
        colon != tree->tail)
        tok822_free_tree(tok822_sub_keep_after(tree, colon));

    if (tok822_rfind_type(tree->tail, '@') == 0 && !rewrite_routing(tree) &&
        var_append_at_myorigin && origin != 0 && *origin != 0) {
        tok822_sub_append(tree, tok822_alloc('@', (char *)0));
        tok822_sub_append(tree, tok822_scan(origin, (TOK822 **)0));
    }
    if (var_append_dot_mydomain && mydomain != 0 && *mydomain != 0 &&
        (domain = tok822_rfind_type(tree->tail, '@')) != 0 && domain != tree->tail &&
        tok822_find_type(domain, TOK822_DOMLIT) == 0 && tok822_find_type(domain, '.') == 0) {
        if (warn_compat_append_dot_mydomain)
            rewrite_compat_log(domain);
        tok822_sub_append(tree, tok822_alloc('.', (char *)0));
        tok822_sub_append(tree, tok822_scan(mydomain, (TOK822 **)0));
    }
    /* One trailing dot goes; "..", "@." stay, to keep diagnostics truthful. */
    if (tree->tail->type == '.' && tree->tail->prev && tree->tail->prev->type != '.' &&
        tree->tail->prev->type != '@')
        tok822_free_tree(tok822_sub_keep_before(tree, tree->tail));
}

/* rewrite_addr - rewrite an external-form address into result */
void rewrite_addr(RWR_CONTEXT *context, const char *addr, VSTRING *result)
{
    TOK822 *tree;

    if (*addr == 0) {
        msg_warn("rewrite_addr: null address");
        vstring_strcpy(result, addr);
        return;
    }
    tree = tok822_scan_addr(addr);
    rewrite_tree(context, tree);
    tok822_externalize(result, tree, TOK822_STR_DEFL);
    tok822_free_tree(tree);
}

/* rewrite_proto - read the rest of a rewrite request and answer it */
int rewrite_proto(VSTREAM *stream)
{
    static VSTRING *rule;
    static VSTRING *address;
    static VSTRING *result;
    RWR_CONTEXT *context;

    if (rule == 0) {
        rule = vstring_alloc(10);
        address = vstring_alloc(100);
        result = vstring_alloc(100);
    }
    if (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_RULE, rule),
                  RECV_ATTR_STR(MAIL_ATTR_ADDR, address), ATTR_TYPE_END) != 2)
        return (-1);
    if (strcmp(vstring_str(rule), MAIL_ATTR_RWR_LOCAL) == 0) {
        context = &rewrite_local_context;
    } else if (strcmp(vstring_str(rule), MAIL_ATTR_RWR_REMOTE) == 0) {
        context = &rewrite_remote_context;
    } else {
        msg_warn("unknown context: %.100s", vstring_str(rule));
        return (-1);
    }
    rewrite_addr(context, vstring_str(address), result);
    if (msg_verbose)
        msg_info("`%s' `%s' -> `%s'", vstring_str(rule), vstring_str(address), vstring_str(result));
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, trivial_rewrite_server_flags),
               SEND_ATTR_STR(MAIL_ATTR_ADDR, vstring_str(result)), ATTR_TYPE_END);
    if (vstream_fflush(stream) != 0) {
        msg_warn("write rewrite reply: %m");
        return (-1);
    }
    return (0);
}
