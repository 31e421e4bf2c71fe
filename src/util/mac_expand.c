/*
 * mac_expand - expand macros in configuration text.
 *
 * Configuration values refer to other values by name. mac_expand() copies a
 * pattern into a result string, replacing
 *
 *      $name, ${name}, $(name)     the value of name (empty when undefined)
 *      ${name?text}                text when name has a non-empty value
 *      ${name:text}                text when name is empty or undefined
 *      ${name?{text1}:{text2}}     one of two texts, by the same test
 *      ${{a} op {b} ? {t} : {f}}   one of two texts by comparing a and b;
 *                                  op is ==, !=, <, <=, >, >= (numbers when
 *                                  both sides are numbers, else text), or
 *                                  <level, <=level, >level, >=level
 *                                  (compatibility levels); without "? ..."
 *                                  the result is "true" or empty
 *      $$                          a single $
 *
 * Names are looked up through a caller-supplied function, so the same code
 * serves main.cf parameters, per-message attributes in delivery agents and
 * anything else. With MAC_EXP_FLAG_RECURSE looked-up values are themselves
 * expanded; a chain deeper than MAC_EXP_MAX_DEPTH is reported as a loop.
 * With a filter, every byte of a looked-up value that is not in the filter
 * is replaced by '_' (so that data from mail cannot inject shell syntax).
 * MAC_EXP_FLAG_SCAN visits every name in every branch without producing
 * output, which is how callers find out which names a value refers to.
 *
 * Failure: syntax errors and runaway recursion are logged with msg_warn() in
 * the words that Postfix uses and make the result include MAC_PARSE_ERROR;
 * plain references to names without a value set MAC_PARSE_UNDEF (tests with
 * ? and : do not). The result string then holds
 * whatever was expanded so far.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

typedef struct MAC_EXP {
    VSTRING *result;
    int flags;
    const char *filter;
    MAC_EXP_LOOKUP_FN lookup;
    void *context;
    int status;
    int depth;
} MAC_EXP;

#define MAC_EXP_WHITE " \t\r\n"

static void mac_exp_text(MAC_EXP *mc, const char *text);

/* mac_exp_failed - stop further work once a syntax error was seen */
#define mac_exp_failed(mc) ((mc)->status & MAC_PARSE_ERROR)

/* mac_exp_error - log one syntax error and remember it */
static void mac_exp_error(MAC_EXP *mc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void mac_exp_error(MAC_EXP *mc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_WARN, fmt, ap);
    va_end(ap);
    mc->status |= MAC_PARSE_ERROR;
}

/* skip_white - skip blanks and newlines */
static const char *skip_white(const char *cp)
{
    return (cp + strspn(cp, MAC_EXP_WHITE));
}

/* name_len - length of the name at the start of cp */
static size_t name_len(const char *cp)
{
    size_t n = 0;

    while (isalnum((unsigned char)cp[n]) || cp[n] == '_')
        n++;
    return (n);
}

/* mac_exp_emit - append bytes, filtering them when they came from a value */
static void mac_exp_emit(MAC_EXP *mc, const char *str, size_t len, int filtered)
{
    size_t i;

    if (mc->flags & MAC_EXP_FLAG_SCAN)
        return;
    if (!filtered || mc->filter == 0) {
        vstring_memcat(mc->result, str, len);
        return;
    }
    for (i = 0; i < len; i++)
        VSTRING_ADDCH(mc->result, (str[i] && strchr(mc->filter, str[i])) ? str[i] : '_');
}

/* mac_exp_group - extract the text of a balanced {...} group at *cpp */
static char *mac_exp_group(MAC_EXP *mc, const char **cpp)
{
    const char *start = *cpp + 1;
    const char *cp;
    int level = 1;

    for (cp = start; *cp; cp++) {
        if (*cp == '{')
            level++;
        else if (*cp == '}' && --level == 0)
            break;
    }
    if (*cp == 0) {
        mac_exp_error(mc, "truncated macro reference: \"%s\"", *cpp);
        return (0);
    }
    *cpp = cp + 1;
    return (mystrndup(start, cp - start));
}

/* mac_exp_use - insert the value of one name */
static void mac_exp_use(MAC_EXP *mc, const char *name)
{
    const char *value;
    char *copy;
    VSTRING *saved;
    VSTRING *tmp;

    if ((value = mc->lookup(name, MAC_EXP_MODE_USE, mc->context)) == 0) {
        mc->status |= MAC_PARSE_UNDEF;
        return;
    }
    if (mc->flags & MAC_EXP_FLAG_SCAN)
        return;
    if (!(mc->flags & MAC_EXP_FLAG_RECURSE)) {
        mac_exp_emit(mc, value, strlen(value), 1);
        return;
    }
    if (mc->depth >= MAC_EXP_MAX_DEPTH) {
        mac_exp_error(mc, "unreasonable macro call nesting: \"%s\"", name);
        return;
    }
    /* The callback may reuse its buffer during the nested expansion. */
    copy = mystrdup(value);
    mc->depth++;
    if (mc->filter == 0) {
        mac_exp_text(mc, copy);
    } else {
        saved = mc->result;
        mc->result = vstring_alloc(100);
        mac_exp_text(mc, copy);
        tmp = mc->result;
        mc->result = saved;
        mac_exp_emit(mc, vstring_str(tmp), VSTRING_LEN(tmp), 1);
        vstring_free(tmp);
    }
    mc->depth--;
    myfree(copy);
}

/*
 * mac_exp_nonempty - does name have a non-empty value (for ? and :). A
 * test of an undefined name is not an undefined reference: only a plain
 * $name sets MAC_PARSE_UNDEF, so "${extension?+$extension}" is usable in
 * forward_path when there is no extension, as with Postfix.
 */
static int mac_exp_nonempty(MAC_EXP *mc, const char *name)
{
    const char *value = mc->lookup(name, MAC_EXP_MODE_TEST, mc->context);

    return (value != 0 && *value != 0);
}

/*
 * mac_exp_branches - parse "{t}", "{t} : {f}", or plain text after ? or :.
 * On return *when_true and *when_false (either may be null) are allocated;
 * the result is 0 on a syntax error. after_qmark says whether ":" is allowed.
 */
static int mac_exp_branches(MAC_EXP *mc, const char *text, int after_qmark, char **when_true,
                            char **when_false, int skip_plain)
{
    const char *cp = skip_white(text);
    char *first;
    char *second;

    *when_true = *when_false = 0;
    if (*cp != '{') {
        *when_true = mystrdup(skip_plain ? cp : text);
        return (1);
    }
    if ((first = mac_exp_group(mc, &cp)) == 0)
        return (0);
    cp = skip_white(cp);
    if (*cp == 0) {
        *when_true = first;
        return (1);
    }
    if (!after_qmark) {
        mac_exp_error(mc, "unexpected input at: \"...%s}>>>%.20s\"", first, cp);
        myfree(first);
        return (0);
    }
    if (*cp != ':') {
        mac_exp_error(mc, "\":\" expected at: \"...%s}>>>%.20s\"", first, cp);
        myfree(first);
        return (0);
    }
    cp = skip_white(cp + 1);
    if (*cp != '{') {
        *when_true = first;
        *when_false = mystrdup(cp);
        return (1);
    }
    if ((second = mac_exp_group(mc, &cp)) == 0) {
        myfree(first);
        return (0);
    }
    cp = skip_white(cp);
    if (*cp != 0) {
        mac_exp_error(mc, "unexpected input at: \"...%s}>>>%.20s\"", second, cp);
        myfree(first);
        myfree(second);
        return (0);
    }
    *when_true = first;
    *when_false = second;
    return (1);
}

/* mac_exp_choose - expand the chosen branch (or both when scanning) */
static void mac_exp_choose(MAC_EXP *mc, int which, char *when_true, char *when_false)
{
    if (mc->flags & MAC_EXP_FLAG_SCAN) {
        if (when_true)
            mac_exp_text(mc, when_true);
        if (when_false)
            mac_exp_text(mc, when_false);
    } else if (which && when_true) {
        mac_exp_text(mc, when_true);
    } else if (!which && when_false) {
        mac_exp_text(mc, when_false);
    }
    if (when_true)
        myfree(when_true);
    if (when_false)
        myfree(when_false);
}

/* compat_level_parse - split "major[.minor[.patch]]"; 0 on success */
int compat_level_parse(const char *text, long *major, long *minor, long *patch)
{
    long parts[3] = {0, 0, 0};
    const char *cp = text;
    char *end;
    int n;

    for (n = 0; n < 3; n++) {
        if (!isdigit((unsigned char)*cp))
            return (-1);
        parts[n] = strtol(cp, &end, 10);
        if (end - cp > 9)
            return (-1);
        cp = end;
        if (*cp == 0)
            break;
        if (*cp++ != '.' || n == 2)
            return (-1);
    }
    *major = parts[0];
    *minor = parts[1];
    *patch = parts[2];
    return (0);
}

/* compat_level_compare - *cmp is <0, 0, >0; -1 when either side is malformed */
int compat_level_compare(const char *a, const char *b, int *cmp)
{
    long x[3], y[3];
    int i;

    if (compat_level_parse(a, &x[0], &x[1], &x[2]) < 0 ||
        compat_level_parse(b, &y[0], &y[1], &y[2]) < 0)
        return (-1);
    *cmp = 0;
    for (i = 0; i < 3 && *cmp == 0; i++)
        *cmp = (x[i] > y[i]) - (x[i] < y[i]);
    return (0);
}

/* is_number - optional sign and digits only */
static int is_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    return (*s != 0 && strspn(s, "0123456789") == strlen(s) && strlen(s) < 19);
}

static const char *const relops[] = {
    "==", "!=", "<=level", "<level", ">=level", ">level", "<=", "<", ">=", ">", 0,
};

/* mac_exp_compare - evaluate "left op right"; -1 on a malformed level */
static int mac_exp_compare(MAC_EXP *mc, const char *op, const char *left, const char *right)
{
    int cmp;
    const char *bad;

    if (strstr(op, "level")) {
        if (compat_level_compare(left, right, &cmp) < 0) {
            long d1, d2, d3;

            bad = compat_level_parse(left, &d1, &d2, &d3) < 0 ? left : right;
            mac_exp_error(mc, "malformed compatibility level syntax: \"%s\"", bad);
            return (-1);
        }
    } else if (is_number(left) && is_number(right)) {
        long long l = strtoll(left, 0, 10), r = strtoll(right, 0, 10);

        cmp = (l > r) - (l < r);
    } else {
        cmp = strcmp(left, right);
    }
    if (strncmp(op, "==", 2) == 0)
        return (cmp == 0);
    if (strncmp(op, "!=", 2) == 0)
        return (cmp != 0);
    if (strncmp(op, "<=", 2) == 0)
        return (cmp <= 0);
    if (strncmp(op, ">=", 2) == 0)
        return (cmp >= 0);
    if (*op == '<')
        return (cmp < 0);
    return (cmp > 0);
}

/* mac_exp_operand - expand one side of a comparison into a new string */
static char *mac_exp_operand(MAC_EXP *mc, const char *text)
{
    VSTRING *saved = mc->result;
    int flags = mc->flags;
    char *value;

    mc->result = vstring_alloc(100);
    mac_exp_text(mc, text);
    mc->flags = flags;
    value = vstring_export(mc->result);
    mc->result = saved;
    return (value);
}

/* mac_exp_relational - ${{left} op {right} ...} */
static void mac_exp_relational(MAC_EXP *mc, const char *start)
{
    const char *cp = start;
    const char *after_op;
    const char *const *op;
    char *left = 0, *right = 0, *lval = 0, *rval = 0;
    char *when_true, *when_false;
    int truth = 0;

    if ((left = mac_exp_group(mc, &cp)) == 0)
        return;
    cp = skip_white(cp);
    for (op = relops; *op; op++)
        if (strncmp(cp, *op, strlen(*op)) == 0)
            break;
    if (*op == 0) {
        mac_exp_error(mc,
                      "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" "
                      "expected at: \"...%s}>>>%.20s\"",
                      left, cp);
        goto done;
    }
    after_op = cp + strlen(*op);
    cp = skip_white(after_op);
    if (*cp != '{') {
        mac_exp_error(mc, "\"{expression}\" expected at: \"...%.*s>>>%.20s\"",
                      (int)(after_op - start), start, after_op);
        goto done;
    }
    if ((right = mac_exp_group(mc, &cp)) == 0)
        goto done;
    cp = skip_white(cp);
    lval = mac_exp_operand(mc, left);
    rval = mac_exp_operand(mc, right);
    if (mac_exp_failed(mc))
        goto done;
    if (!(mc->flags & MAC_EXP_FLAG_SCAN) && (truth = mac_exp_compare(mc, *op, lval, rval)) < 0)
        goto done;
    if (*cp == 0) {
        if (truth)
            mac_exp_emit(mc, "true", 4, 0);
    } else if (*cp == '?') {
        if (mac_exp_branches(mc, cp + 1, 1, &when_true, &when_false, 1))
            mac_exp_choose(mc, truth, when_true, when_false);
    } else if (*cp == ':') {
        if (mac_exp_branches(mc, cp + 1, 0, &when_false, &when_true, 1))
            mac_exp_choose(mc, truth, when_true, when_false);
    } else {
        mac_exp_error(mc, "\"?\" or \":\" expected at: \"...}>>>%.20s\"", cp);
    }
done:
    if (left)
        myfree(left);
    if (right)
        myfree(right);
    if (lval)
        myfree(lval);
    if (rval)
        myfree(rval);
}

/* mac_exp_braced - the inside of ${...} or $(...) */
static void mac_exp_braced(MAC_EXP *mc, char *inner, const char *text)
{
    char *cp = (char *)skip_white(inner);
    char *end = trimblanks(cp, 0);
    char *when_true, *when_false;
    const char *rest;
    char *name;
    size_t n;
    int set;

    *end = 0;
    if (*cp == 0) {
        mac_exp_error(mc, "empty macro name: \"%s\"", text);
        return;
    }
    if (*cp == '{') {
        mac_exp_relational(mc, cp);
        return;
    }
    n = name_len(cp);
    name = mystrndup(cp, n);
    rest = skip_white(cp + n);
    if (*rest == 0) {
        mac_exp_use(mc, name);
    } else if (n > 0 && (*rest == '?' || *rest == ':')) {
        set = mac_exp_nonempty(mc, name);
        if (*rest == '?') {
            if (mac_exp_branches(mc, rest + 1, 1, &when_true, &when_false, 0))
                mac_exp_choose(mc, set, when_true, when_false);
        } else {
            if (mac_exp_branches(mc, rest + 1, 0, &when_false, &when_true, 0))
                mac_exp_choose(mc, set, when_true, when_false);
        }
    } else {
        mac_exp_error(mc, "attribute name syntax error at: \"...%s>>>%.20s\"", name, cp + n);
    }
    myfree(name);
}

/* mac_exp_text - expand one text into mc->result */
static void mac_exp_text(MAC_EXP *mc, const char *text)
{
    const char *cp = text;
    const char *start;
    const char *end;
    char open, close;
    char *inner;
    char *name;
    size_t n;
    int level;

    while (*cp && !mac_exp_failed(mc)) {
        if (*cp != '$') {
            n = strcspn(cp, "$");
            mac_exp_emit(mc, cp, n, 0);
            cp += n;
            continue;
        }
        cp++;
        if (*cp == '$') {
            mac_exp_emit(mc, "$", 1, 0);
            cp++;
        } else if (*cp == '{' || *cp == '(') {
            open = *cp;
            close = (open == '{') ? '}' : ')';
            start = cp + 1;
            for (level = 1, end = start; *end; end++) {
                if (*end == open)
                    level++;
                else if (*end == close && --level == 0)
                    break;
            }
            if (*end == 0) {
                mac_exp_error(mc, "truncated macro reference: \"%s\"", text);
                return;
            }
            inner = mystrndup(start, end - start);
            mac_exp_braced(mc, inner, text);
            myfree(inner);
            cp = end + 1;
        } else if ((n = name_len(cp)) > 0) {
            name = mystrndup(cp, n);
            mac_exp_use(mc, name);
            myfree(name);
            cp += n;
        } else {
            mac_exp_error(mc, "empty macro name: \"%s\"", text);
            return;
        }
    }
}

/* mac_expand - expand pattern into result; MAC_PARSE_* bits */
int mac_expand(VSTRING *result, const char *pattern, int flags, const char *filter,
               MAC_EXP_LOOKUP_FN lookup, void *context)
{
    MAC_EXP mc;

    if (!(flags & MAC_EXP_FLAG_APPEND))
        VSTRING_RESET(result);
    mc.result = result;
    mc.flags = flags;
    mc.filter = filter;
    mc.lookup = lookup;
    mc.context = context;
    mc.status = MAC_PARSE_OK;
    mc.depth = 0;
    mac_exp_text(&mc, pattern);
    VSTRING_TERMINATE(result);
    return (mc.status);
}
