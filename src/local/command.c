/*
 * command - |command destinations and mailbox_command(_maps).
 *
 * Exports deliver_command() and local_command_env(). Allowed only for the
 * expansion classes in allow_mail_to_commands (mailbox_command, outside any
 * expansion, always is); each command runs once per delivery and user.
 * The command runs with the rights of the context (the recipient, the
 * owner of the alias table or :include: file) or default_privs instead of
 * root, in command_execution_directory when set (expanded like
 * forward_path, filtered by execution_directory_expansion_filter), with
 * the message on its standard input ("From " line, Return-Path:,
 * X-Original-To:, and Delivered-To: when prepend_delivered_header says
 * "command") and an environment that describes the recipient:
 *
 *   HOME LOGNAME USER SHELL (when there is a user), LOCAL DOMAIN
 *   EXTENSION RECIPIENT SENDER ORIGINAL_RECIPIENT, CLIENT_ADDRESS
 *   CLIENT_HELO CLIENT_HOSTNAME CLIENT_PROTOCOL SASL_METHOD SASL_SENDER
 *   SASL_USERNAME (when known), plus export_environment.
 *
 * Values are filtered by command_expansion_filter (other characters
 * become '_'), because commands tend to hand them to a shell. The exit
 * status is judged by pipe_command(): temporary failures defer, others
 * bounce.
 */

#include <string.h>

#include "argv.h"
#include "local.h"
#include "mac_expand.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "pipe_command.h"

/* local_command_env_add - NAME=value, filtered, when value is non-empty */
static void local_command_env_add(ARGV *env, const char *name, const char *value,
                                  const char *filter)
{
    VSTRING *buf;
    const char *cp;

    if (value == 0 || *value == 0)
        return;
    buf = vstring_alloc(100);
    vstring_sprintf(buf, "%s=", name);
    for (cp = value; *cp; cp++)
        VSTRING_ADDCH(buf, (filter == 0 || strchr(filter, *cp)) ? *cp : '_');
    VSTRING_TERMINATE(buf);
    argv_add(env, vstring_str(buf), (char *)0);
    vstring_free(buf);
}

/* local_command_env - the environment settings for a command */
ARGV *local_command_env(LOCAL_STATE *state, USER_ATTR *usr_attr, const char *filter)
{
    DELIVER_ATTR *attr = &state->msg_attr;
    DELIVER_REQUEST *rq = state->request;
    ARGV *env = argv_alloc(20);

    local_command_env_add(env, "HOME", usr_attr->home, filter);
    local_command_env_add(env, "LOGNAME", usr_attr->logname, filter);
    local_command_env_add(env, "USER", usr_attr->logname, filter);
    local_command_env_add(env, "SHELL", usr_attr->shell, filter);
    local_command_env_add(env, "LOCAL", attr->local, filter);
    local_command_env_add(env, "DOMAIN", attr->domain, filter);
    local_command_env_add(env, "EXTENSION", attr->extension, filter);
    local_command_env_add(env, "RECIPIENT", attr->rcpt.address, filter);
    local_command_env_add(env, "SENDER", attr->sender, filter);
    local_command_env_add(env, "ORIGINAL_RECIPIENT", attr->rcpt.orig_addr, filter);
    if (rq != 0) {
        local_command_env_add(env, "CLIENT_ADDRESS", rq->client_addr, filter);
        local_command_env_add(env, "CLIENT_HELO", rq->client_helo, filter);
        local_command_env_add(env, "CLIENT_HOSTNAME", rq->client_name, filter);
        local_command_env_add(env, "CLIENT_PROTOCOL", rq->client_proto, filter);
        local_command_env_add(env, "SASL_METHOD", rq->sasl_method, filter);
        local_command_env_add(env, "SASL_SENDER", rq->sasl_sender, filter);
        local_command_env_add(env, "SASL_USERNAME", rq->sasl_username, filter);
    }
    return (env);
}

/* deliver_command_cwd - command_execution_directory, expanded; -1 if unusable */
static int deliver_command_cwd(LOCAL_STATE *state, USER_ATTR *usr_attr, VSTRING *cwd)
{
    if (*var_command_execution_directory == 0) {
        VSTRING_RESET(cwd);
        VSTRING_TERMINATE(cwd);
        return (0);
    }
    if (local_expand(cwd, var_command_execution_directory, state, usr_attr,
                     var_execution_directory_expansion_filter) &
        MAC_PARSE_ERROR) {
        dsb_simple(state->msg_attr.why, "4.3.5", "mail system configuration error");
        return (-1);
    }
    return (0);
}

/* deliver_command - run command with the message */
int deliver_command(LOCAL_STATE state, USER_ATTR usr_attr, const char *command)
{
    DSN_BUF *why = state.msg_attr.why;
    VSTRING *cwd = vstring_alloc(100);
    ARGV *env;
    ARGV *export_env;
    PIPE_CMD cmd;
    int status;

    if (local_been_here(state.dup_filter, "command %s:%ld %s", state.msg_attr.user,
                        (long)usr_attr.uid, command))
        return (vstring_free(cwd), 0);
    if (state.msg_attr.exp_type != 0 && (local_cmd_deliver_mask & state.msg_attr.exp_type) == 0) {
        vstring_free(cwd);
        dsb_simple(why, "5.7.1", "mail to command is restricted");
        return (local_bounce(state));
    }
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        vstring_free(cwd);
        dsb_simple(why, "2.0.0", "delivers to command: %s", command);
        return (local_sent(state));
    }
    if (usr_attr.uid == 0) {
        usr_attr.uid = var_default_uid;
        usr_attr.gid = var_default_gid;
    }
    if (deliver_command_cwd(&state, &usr_attr, cwd) < 0) {
        vstring_free(cwd);
        return (local_defer(state));
    }
    env = local_command_env(&state, &usr_attr, var_command_expansion_filter);
    export_env = argv_split(var_export_environment, ", \t\r\n");
    memset(&cmd, 0, sizeof(cmd));
    cmd.command = command;
    cmd.uid = usr_attr.uid;
    cmd.gid = usr_attr.gid;
    cmd.env = env->argv;
    cmd.export_env = export_env->argv;
    cmd.shell = var_local_command_shell;
    cmd.cwd = VSTRING_LEN(cwd) ? vstring_str(cwd) : 0;
    cmd.time_limit = var_command_time_limit;
    cmd.sender = state.msg_attr.sender;
    cmd.orig_rcpt = state.msg_attr.rcpt.orig_addr;
    cmd.delivered = state.msg_attr.delivered;
    cmd.src = state.msg_attr.fp;
    cmd.offset = state.msg_attr.offset;
    cmd.copy_flags = MAIL_COPY_FROM | MAIL_COPY_RETURN_PATH | MAIL_COPY_ORIG_RCPT;
    if (local_deliver_hdr_mask & DELIVER_HDR_CMD)
        cmd.copy_flags |= MAIL_COPY_DELIVERED;
    cmd.eol = "\n";

    switch (pipe_command(&cmd, why)) {
    case PIPE_STAT_OK:
        dsb_simple(why, "2.0.0", "delivered to command: %s", command);
        status = local_sent(state);
        break;
    case PIPE_STAT_BOUNCE:
    case PIPE_STAT_DEFER:
        status = local_fail(state);
        break;
    default:
        status = local_defer(state);
        break;
    }
    argv_free(env);
    argv_free(export_env);
    vstring_free(cwd);
    return (status);
}
