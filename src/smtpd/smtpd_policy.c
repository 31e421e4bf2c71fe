/*
 * smtpd_policy - check_policy_service: the SMTP access policy delegation
 * protocol (SMTPD_POLICY_README), so that policy servers such as postgrey
 * decide. The request is name=value lines ending in an empty line; the
 * reply's "action=" is evaluated like an access(5) table value.
 *
 * Exports smtpd_policy_register() (called while the restriction lists
 * are parsed, once per service) and smtpd_policy_check(). A service is
 * "inet:host:port" or "unix:/path" (or "unix:private/name", relative to
 * the queue directory), optionally in braces with per-service settings:
 * "{ inet:127.0.0.1:9998, timeout=10s, default_action=DUNNO }" with
 * timeout, max_idle, max_ttl, try_limit, retry_delay, request_limit,
 * default_action and policy_context.
 *
 * Failure: when the server does not answer (or answers without action=),
 * after the configured tries the default action is used
 * (smtpd_policy_service_default_action, "451 4.3.5 Server configuration
 * problem"). A malformed service specification is fatal at start-up.
 */

#include <string.h>
#include <strings.h>

#include "attr.h"
#include "attr_clnt.h"
#include "conv_time.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "valid_utf8_string.h"
#include "vstring.h"

typedef struct SMTPD_POLICY {
    ATTR_CLNT *client;
    char *def_action;
    char *context;
} SMTPD_POLICY;

static HTABLE *policy_table;

/* policy_override - one "name=value" setting of a braced service */
static void policy_override(const char *service, char *setting, int *tmout, int *idle, int *ttl,
                            int *try_limit, int *try_delay, int *req_limit, const char **def_act,
                            const char **context)
{
    char *name;
    char *value;
    const char *err;
    int *time_var = 0;
    int *int_var = 0;

    if ((err = split_nameval(setting, &name, &value)) != 0)
        msg_fatal("policy service %s: %s: \"%s\"", service, err, setting);
    if (strcmp(name, "timeout") == 0)
        time_var = tmout;
    else if (strcmp(name, "max_idle") == 0)
        time_var = idle;
    else if (strcmp(name, "max_ttl") == 0)
        time_var = ttl;
    else if (strcmp(name, "retry_delay") == 0)
        time_var = try_delay;
    else if (strcmp(name, "try_limit") == 0)
        int_var = try_limit;
    else if (strcmp(name, "request_limit") == 0)
        int_var = req_limit;
    else if (strcmp(name, "default_action") == 0)
        *def_act = value;
    else if (strcmp(name, "policy_context") == 0)
        *context = value;
    else
        msg_fatal("policy service %s: unknown attribute name: \"%s\"", service, name);
    if (time_var && !conv_time(value, time_var, 's'))
        msg_fatal("policy service %s: bad time value: \"%s=%s\"", service, name, value);
    if (int_var && !conv_int(value, int_var))
        msg_fatal("policy service %s: bad numerical value: \"%s=%s\"", service, name, value);
}

/* smtpd_policy_register - create the client of one policy service */
void smtpd_policy_register(const char *name)
{
    int tmout = var_smtpd_policy_service_timeout;
    int idle = var_smtpd_policy_service_max_idle;
    int ttl = var_smtpd_policy_service_max_ttl;
    int try_limit = var_smtpd_policy_service_try_limit;
    int try_delay = var_smtpd_policy_service_retry_delay;
    int req_limit = var_smtpd_policy_service_request_limit;
    const char *def_act = var_smtpd_policy_service_default_action;
    const char *context = var_smtpd_policy_service_policy_context;
    char *saved = 0;
    char *cp;
    char *setting;
    const char *service = name;
    const char *err;
    SMTPD_POLICY *policy;

    if (policy_table == 0)
        policy_table = htable_create(3);
    if (htable_find(policy_table, name) != 0)
        return;
    if (*name == '{') {
        cp = saved = mystrdup(name);
        if ((err = extpar(&cp, "{}", 0)) != 0)
            msg_fatal("policy service syntax error: %s", err);
        if ((service = mystrtok(&cp, ", \t\r\n")) == 0)
            msg_fatal("empty policy service: \"%s\"", name);
        while ((setting = mystrtokq(&cp, ", \t\r\n", "{}")) != 0) {
            if (*setting == '{' && extpar(&setting, "{}", 0) != 0)
                msg_fatal("policy service syntax error: %s", setting);
            policy_override(service, setting, &tmout, &idle, &ttl, &try_limit, &try_delay,
                            &req_limit, &def_act, &context);
        }
    }
    if (strchr(service, ':') == 0)
        msg_fatal("policy service %s: need transport:server", service);
    policy = (SMTPD_POLICY *)mymalloc(sizeof(*policy));
    policy->client = attr_clnt_create(service, tmout, idle, ttl);
    attr_clnt_control(policy->client, ATTR_CLNT_CTL_REQ_LIMIT, req_limit,
                      ATTR_CLNT_CTL_TRY_LIMIT, try_limit, ATTR_CLNT_CTL_TRY_DELAY, try_delay,
                      ATTR_CLNT_CTL_END);
    policy->def_action = mystrdup(def_act);
    policy->context = mystrdup(context);
    htable_enter(policy_table, name, policy);
    if (saved)
        myfree(saved);
}

/* empty_if_null - attribute values are never null */
static const char *empty_if_null(const char *value)
{
    return value ? value : "";
}

/* smtpd_policy_check - ask the server, evaluate its action */
int smtpd_policy_check(SMTPD_STATE *state, const char *server, const char *reply_name,
                       const char *reply_class, const char *def_acl)
{
    static VSTRING *action;
    static int nesting;
    SMTPD_POLICY *policy;
    const char *where;
    int rcpt_count;
    int status;
    int ok;
    jmp_buf saved;

    if (policy_table == 0 || (policy = (SMTPD_POLICY *)htable_find(policy_table, server)) == 0)
        msg_panic("smtpd_policy_check: no client endpoint for server %s", server);
    if (action == 0)
        action = vstring_alloc(100);
    where = strcmp(state->where, SMTPD_CMD_BDAT) == 0 ? SMTPD_CMD_DATA : state->where;
    rcpt_count = (strcasecmp(state->where, SMTPD_CMD_DATA) == 0
                  || strcasecmp(state->where, SMTPD_CMD_BDAT) == 0
                  || strcasecmp(state->where, SMTPD_AFTER_EOM) == 0)
                     ? state->rcpt_count
                     : 0;
    ok = attr_clnt_request(
        policy->client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, "smtpd_access_policy"),
        SEND_ATTR_STR(MAIL_ATTR_ACT_PROTO_STATE, where),
        SEND_ATTR_STR(MAIL_ATTR_ACT_PROTO_NAME, empty_if_null(state->protocol)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_CLIENT_ADDR, empty_if_null(state->addr)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_CLIENT_NAME, empty_if_null(state->name)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_CLIENT_PORT, empty_if_null(state->port)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_REVERSE_CLIENT_NAME, empty_if_null(state->reverse_name)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_SERVER_ADDR, empty_if_null(state->dest_addr)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_SERVER_PORT, empty_if_null(state->dest_port)),
        SEND_ATTR_STR(MAIL_ATTR_ACT_HELO_NAME, empty_if_null(state->helo_name)),
        SEND_ATTR_STR(MAIL_ATTR_SENDER, empty_if_null(state->sender)),
        SEND_ATTR_STR(MAIL_ATTR_RECIP, empty_if_null(state->recipient)),
        SEND_ATTR_INT(MAIL_ATTR_RCPT_COUNT, rcpt_count),
        SEND_ATTR_STR(MAIL_ATTR_QUEUEID, empty_if_null(state->queue_id)),
        SEND_ATTR_STR(MAIL_ATTR_INSTANCE, empty_if_null(state->instance)),
        SEND_ATTR_LONG(MAIL_ATTR_SIZE, state->act_size > 0 ? state->act_size : state->msg_size),
        SEND_ATTR_STR("etrn_domain", empty_if_null(state->etrn_name)),
        SEND_ATTR_STR(MAIL_ATTR_STRESS, var_stress),
        SEND_ATTR_STR(MAIL_ATTR_SASL_METHOD, empty_if_null(state->sasl_method)),
        SEND_ATTR_STR(MAIL_ATTR_SASL_USERNAME, empty_if_null(state->sasl_username)),
        SEND_ATTR_STR(MAIL_ATTR_SASL_SENDER, empty_if_null(state->sasl_sender)),
        SEND_ATTR_STR(MAIL_ATTR_CCERT_SUBJECT, ""), SEND_ATTR_STR(MAIL_ATTR_CCERT_ISSUER, ""),
        SEND_ATTR_STR(MAIL_ATTR_CCERT_CERT_FPRINT, ""),
        SEND_ATTR_STR(MAIL_ATTR_CCERT_PKEY_FPRINT, ""),
        SEND_ATTR_STR(MAIL_ATTR_CRYPTO_PROTOCOL, ""), SEND_ATTR_STR(MAIL_ATTR_CRYPTO_CIPHER, ""),
        SEND_ATTR_INT(MAIL_ATTR_CRYPTO_KEYSIZE, 0),
        SEND_ATTR_STR(MAIL_ATTR_POL_CONTEXT, policy->context), ATTR_TYPE_END,
        ATTR_FLAG_MISSING, RECV_ATTR_STR(MAIL_ATTR_ACTION, action), ATTR_TYPE_END);
    if (ok == 1 && var_smtputf8_enable
        && !valid_utf8_string(vstring_str(action), VSTRING_LEN(action))) {
        msg_warn("malformed UTF-8 in policy server %s response: \"%s\"", server,
                 vstring_str(action));
        ok = 0;
    }
    if (ok == 1)
        return smtpd_access_table_result(state, server, vstring_str(action), "policy query",
                                         reply_name, reply_class, def_acl);

    /* No usable answer: the default action, but never recursively. */
    nesting += 1;
    memcpy(saved, smtpd_check_jmp, sizeof(saved));
    if ((status = setjmp(smtpd_check_jmp)) != 0) {
        nesting -= 1;
        memcpy(smtpd_check_jmp, saved, sizeof(saved));
        longjmp(smtpd_check_jmp, status);
    }
    status = smtpd_access_table_result(state, server,
                                       nesting == 1 ? policy->def_action
                                                    : "451 4.3.5 Server configuration problem",
                                       "policy query", reply_name, reply_class, def_acl);
    nesting -= 1;
    memcpy(smtpd_check_jmp, saved, sizeof(saved));
    return status;
}
