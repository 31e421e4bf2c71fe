/* cleanup_test - drive the cleanup modules with records and check the queue files they write */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/cleanup_test.XXXXXX";

/* fake_rewrite - trivial-rewrite's "local" context, as far as tests need */
static void fake_rewrite(const char *context, const char *addr, VSTRING *result)
{
    (void) context;
    vstring_strcpy(result, addr);
    if (*addr && strchr(addr, '@') == 0)
        vstring_strcat(result, "@example.test");
}

/* setup - defaults plus the given main.cf lines, fresh tables */
static void setup(const char *main_cf)
{
    char path[256];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/main.cf", topdir);
    if ((fp = fopen(path, "w")) == 0)
        exit(1);
    fprintf(fp, "myhostname = mail.example.test\nmydomain = example.test\nmail_owner = daemon\n"
            "setgid_group = bin\n%s", main_cf);
    fclose(fp);
    mail_conf_set_dir(topdir);
    mail_conf_flush();
    mail_conf_read();
    if (chdir(topdir) < 0)
        exit(1);
    mkdir("incoming", 0700);
    mkdir("hold", 0700);
    cleanup_init_tables();
    cleanup_rewrite_set(fake_rewrite);
}

/*
 * run - one message: records are "T:payload" strings; returns the status,
 * and the queue file dump in *dump ("" when no file was kept).
 */
static int run(const char **recs, VSTRING *dump, VSTRING *reason, const char **queue)
{
    CLEANUP_STATE *state = cleanup_open();
    VSTRING *path = vstring_alloc(100);
    VSTRING *buf = vstring_alloc(100);
    VSTREAM *fp;
    int status;
    int type;
    struct stat st;
    char *id = mystrdup(state->queue_id);

    cleanup_control(state, CLEANUP_FLAG_MASK_EXTERNAL);
    for (; *recs; recs++)
        cleanup_record(state, (*recs)[0], *recs + 2, (ssize_t) strlen(*recs + 2));
    status = cleanup_flush(state);
    vstring_strcpy(reason, state->reason ? state->reason : "");
    *queue = (state->flags & CLEANUP_FLAG_HOLD) ? MAIL_QUEUE_HOLD : MAIL_QUEUE_INCOMING;
    cleanup_free(state);
    VSTRING_RESET(dump);
    VSTRING_TERMINATE(dump);
    mail_queue_path(path, *queue, id);
    if ((fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) != 0) {
        if (fstat(vstream_fileno(fp), &st) == 0 && (st.st_mode & 0777) != 0700)
            vstring_sprintf_append(dump, "mode %o\n", (unsigned) (st.st_mode & 0777));
        while ((type = rec_get(fp, buf, 0)) > 0) {
            /* Volatile values: times and the queue id. */
            if (type == REC_TYPE_TIME || strncmp(vstring_str(buf), "create_time=", 12) == 0)
                vstring_sprintf_append(dump, "%c:*\n", type);
            else if (type == REC_TYPE_SIZE)
                vstring_sprintf_append(dump, "%c:%s\n", type, vstring_str(buf));
            else if (strncmp(vstring_str(buf), "Message-Id: <", 13) == 0
                     || strncmp(vstring_str(buf), "Date: ", 6) == 0)
                vstring_sprintf_append(dump, "%c:%.*s*\n", type, 6, vstring_str(buf));
            else
                vstring_sprintf_append(dump, "%c:%s\n", type, vstring_str(buf));
        }
        vstream_fclose(fp);
        unlink(vstring_str(path));
    }
    myfree(id);
    vstring_free(path);
    vstring_free(buf);
    return (status);
}

/* skip_size - the dump without its first (C) line */
static const char *skip_size(VSTRING *dump)
{
    const char *nl = strchr(vstring_str(dump), '\n');

    return (nl ? nl + 1 : "");
}

static const char *basic[] = {
    "T:1700000000 5", "A:rewrite_context=local", "A:log_message_origin=local", "F:Joe User", "S:joe",
    "R:bob@example.com", "M:", "N:Received: by mail.example.test (Postfix, from userid 0)",
    "N:\tid X; Tue, 14 Nov 2023 22:13:20 +0000 (UTC)", "N:Subject: hi", "N:", "N:body", "X:", "E:",
    0,
};

TEST(basic_layout_and_missing_headers)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;

    setup("");
    CHECK_INT(run(basic, dump, reason, &queue), 0);
    CHECK_STR(skip_size(dump),
              "T:*\nA:*\nA:rewrite_context=local\nA:log_message_origin=local\nF:Joe User\n"
              "S:joe@example.test\nO:bob@example.com\nR:bob@example.com\nM:\n"
              "N:Received: by mail.example.test (Postfix, from userid 0)\n"
              "N:\tid X; Tue, 14 Nov 2023 22:13:20 +0000 (UTC)\nN:Subject: hi\n"
              "N:Messag*\nN:Date: *\nN:From: Joe User <joe@example.test>\nN:\nN:body\nX:\nE:\n");
    /* Content size, content offset, 1 recipient, flags 0, content length, 0 */
    CHECK(strncmp(vstring_str(dump), "C:", 2) == 0);
    vstring_free(dump);
    vstring_free(reason);
}

TEST(size_record_fields)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;
    long f[6] = {0};

    setup("");
    run(basic, dump, reason, &queue);
    CHECK_INT(sscanf(vstring_str(dump), "C:%ld %ld %ld %ld %ld %ld", f, f + 1, f + 2, f + 3, f + 4, f + 5), 6);
    CHECK_INT(strcspn(vstring_str(dump) + 2, "\n"), REC_SIZE_SIZE);
    CHECK(f[0] > 100 && f[1] > 50);
    CHECK_INT(f[2], 1);
    CHECK_INT(f[0], f[4]);
    vstring_free(dump);
    vstring_free(reason);
}

static const char *dsn_success[] = {
    "T:1700000000 5", "S:joe@example.test", "i:envid-1", "<:2", "n:2", "R:bob@example.com",
    "M:", "N:Subject: hi", "N:", "N:body", "X:", "E:", 0,
};

/* The C record's flags field carries only what qmgr accepts there: NOTIFY= is per recipient. */
TEST(size_record_flags_without_dsn_bits)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;
    long f[6] = {0};

    setup("");
    CHECK_INT(run(dsn_success, dump, reason, &queue), 0);
    CHECK_INT(sscanf(vstring_str(dump), "C:%ld %ld %ld %ld %ld %ld", f, f + 1, f + 2, f + 3,
                     f + 4, f + 5), 6);
    CHECK_INT(f[3], 0);
    CHECK(strstr(vstring_str(dump),
                 "\nA:notify_flags=2\nO:bob@example.com\nR:bob@example.com\n") != 0);
    vstring_free(dump);
    vstring_free(reason);
}

static const char *mapped[] = {
    "T:1700000000 5", "S:joe@host.example.test", "R:info@example.com", "R:info@example.com",
    "R:sales@example.com", "M:", "N:From: joe@host.example.test", "N:To: info@example.com",
    "N:Message-ID: <1@x>", "N:Date: today", "N:", "X:", "E:", 0,
};

TEST(canonical_masquerade_virtual_and_duplicates)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;

    setup("sender_canonical_maps = inline:{joe@host.example.test=joseph@host.example.test}\n"
          "masquerade_domains = !sub.example.test, example.test\n"
          "virtual_alias_maps = inline:{{info@example.com=sales@example.com, bob@example.org},"
          "{sales@example.com=sales@example.com, carol@example.org}}\n");
    CHECK_INT(run(mapped, dump, reason, &queue), 0);
    CHECK_STR(skip_size(dump),
              "T:*\nA:*\nS:joseph@example.test\n"
              "O:info@example.com\nR:sales@example.com\nO:info@example.com\nR:bob@example.org\n"
              "O:info@example.com\nR:carol@example.org\n"
              "O:sales@example.com\nR:sales@example.com\nO:sales@example.com\nR:carol@example.org\n"
              "M:\nN:From: joseph@example.test\nN:To: info@example.com\nN:Message-ID: <1@x>\n"
              "N:Date: *\nN:\nX:\nE:\n");
    vstring_free(dump);
    vstring_free(reason);
}

static const char *checked[] = {
    "T:1700000000 5", "A:log_message_origin=local", "S:a@example.test", "R:b@example.test", "M:",
    "N:Subject: buy now", "N:X-Tag: old", "N:", "N:hello", "X:", "E:", 0,
};

TEST(header_checks_reject_removes_the_file)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;

    setup("header_checks = regexp:{{/^Subject: buy/ REJECT no spam here}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), CLEANUP_STAT_CONT);
    CHECK_STR(vstring_str(reason), "5.7.1 no spam here");
    CHECK_STR(vstring_str(dump), "");
    setup("header_checks = regexp:{{/^Subject: buy/ REJECT 4.7.0 later}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), CLEANUP_STAT_DEFER);
    CHECK_STR(vstring_str(reason), "4.7.0 later");
    vstring_free(dump);
    vstring_free(reason);
}

TEST(header_and_body_actions)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;

    setup("header_checks = regexp:{{/^X-Tag:/ REPLACE X-Tag: new}, {/^Subject:/ PREPEND X-Seen: yes}}\n"
          "body_checks = regexp:{{/^hello/ BCC audit@example.test}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), 0);
    CHECK_STR(skip_size(dump),
              "T:*\nA:*\nA:log_message_origin=local\nS:a@example.test\nO:b@example.test\nR:b@example.test\n"
              "M:\nN:X-Seen: yes\nN:Subject: buy now\nN:X-Tag: new\nN:Messag*\nN:Date: *\n"
              "N:From: a@example.test\nN:\nN:hello\nX:\n"
              "A:notify_flags=1\nO:audit@example.test\nR:audit@example.test\nE:\n");
    setup("header_checks = regexp:{{/^X-Tag:/ HOLD}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), 0);
    CHECK_STR(queue, MAIL_QUEUE_HOLD);
    CHECK(strstr(vstring_str(dump), "N:X-Tag: old") != 0);
    setup("body_checks = regexp:{{/^hello/ DISCARD}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), 0);
    CHECK_STR(vstring_str(dump), "");
    setup("header_checks = regexp:{{/^X-Tag:/ IGNORE}, {/^Subject/ FILTER smtp:[127.0.0.1]:10025}}\n");
    CHECK_INT(run(checked, dump, reason, &queue), 0);
    CHECK(strstr(vstring_str(dump), "X-Tag") == 0);
    CHECK(strstr(vstring_str(dump), "X:\nL:smtp:[127.0.0.1]:10025\n") != 0);
    vstring_free(dump);
    vstring_free(reason);
}

static const char *hops[] = {
    "T:1700000000 5", "S:a@example.test", "R:b@example.test", "M:", "N:Received: 1",
    "N:Received: 2", "N:Received: 3", "N:", "X:", "E:", 0,
};

TEST(limits_hops_size_and_no_recipient)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;
    static const char *norcpt[] = {"T:1700000000 5", "S:a@example.test", "M:", "N:", "X:", "E:", 0};

    setup("hopcount_limit = 3\n");
    CHECK_INT(run(hops, dump, reason, &queue), CLEANUP_STAT_HOPS);
    CHECK_STR(vstring_str(dump), "");
    setup("message_size_limit = 200\n");
    CHECK_INT(run(hops, dump, reason, &queue) & CLEANUP_STAT_SIZE, CLEANUP_STAT_SIZE);
    CHECK_STR(vstring_str(dump), "");
    setup("");
    CHECK_INT(run(norcpt, dump, reason, &queue), CLEANUP_STAT_RCPT);
    setup("always_bcc = archive\n");
    CHECK_INT(run(hops, dump, reason, &queue), 0);
    CHECK(strstr(vstring_str(dump), "R:archive@example.test\nE:") != 0);
    vstring_free(dump);
    vstring_free(reason);
}

TEST(protocol_errors_are_rejected)
{
    VSTRING *dump = vstring_alloc(100), *reason = vstring_alloc(10);
    const char *queue;
    static const char *nosender[] = {"T:1700000000 5", "R:b@example.test", "M:", "X:", "E:", 0};
    static const char *noend[] = {"T:1700000000 5", "S:a", "R:b", "M:", "N:x", "X:", 0};

    setup("");
    CHECK_INT(run(nosender, dump, reason, &queue), CLEANUP_STAT_BAD);
    CHECK_STR(vstring_str(dump), "");
    CHECK_INT(run(noend, dump, reason, &queue), CLEANUP_STAT_BAD);
    CHECK_STR(vstring_str(dump), "");
    vstring_free(dump);
    vstring_free(reason);
}

int main(void)
{
    if (mkdtemp(topdir) == 0)
        return (1);
    RUN(basic_layout_and_missing_headers);
    RUN(size_record_fields);
    RUN(size_record_flags_without_dsn_bits);
    RUN(canonical_masquerade_virtual_and_duplicates);
    RUN(header_checks_reject_removes_the_file);
    RUN(header_and_body_actions);
    RUN(limits_hops_size_and_no_recipient);
    RUN(protocol_errors_are_rejected);
    return (TESTS_DONE());
}
