/* deliver_request_test - round trip of a delivery request over a socketpair */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deliver_completed.h"
#include "deliver_request.h"
#include "dsn_buf.h"
#include "dsn_mask.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/deliver_request_test.XXXXXX";
static long rcpt_offset[2];
static long data_offset;

/* make_queue_file - active/ID with two recipients */
static void make_queue_file(const char *id)
{
    VSTREAM *fp;

    mkdir("active", 0700);
    fp = mail_queue_open("active", id, O_CREAT | O_TRUNC | O_RDWR, 0600);
    rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", 1000L, 0L);
    rec_fputs(fp, REC_TYPE_FROM, "sender@example.com");
    rcpt_offset[0] = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "one@example.com");
    rcpt_offset[1] = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_RCPT, "two@example.com");
    rec_fputs(fp, REC_TYPE_MESG, "");
    data_offset = (long)vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_NORM, "Subject: hi");
    rec_fputs(fp, REC_TYPE_XTRA, "");
    rec_fputs(fp, REC_TYPE_END, "");
    vstream_fclose(fp);
}

/* agent - the delivery agent side: check the request, mark one recipient */
static int agent(VSTREAM *stream)
{
    DELIVER_REQUEST *rq = deliver_request_read(stream);
    VSTRING *buf = vstring_alloc(100);
    int bad = 0;

    if (rq == 0)
        return (10);
    bad |= strcmp(rq->queue_id, "4F2A81C0D2") != 0;
    bad |= strcmp(rq->queue_name, "active") != 0;
    bad |= strcmp(rq->sender, "sender@example.com") != 0;
    bad |= strcmp(rq->nexthop, "example.com") != 0;
    bad |= strcmp(rq->client_addr, "192.0.2.1") != 0;
    bad |= strcmp(rq->log_ident, "4F2A81C0D2") != 0;
    bad |= rq->flags != DEL_REQ_FLAG_DEFLT || rq->dsn_ret != DSN_RET_HDRS;
    bad |= rq->data_offset != data_offset || rq->data_size != 1234;
    bad |= rq->msg_stats.incoming_arrival.tv_sec != 1000;
    bad |= rq->msg_stats.agent_handoff.tv_usec != 5;
    bad |= rq->rcpt_list.len != 2;
    if (!bad) {
        bad |= strcmp(rq->rcpt_list.info[1].address, "two@example.com") != 0;
        bad |= strcmp(rq->rcpt_list.info[1].orig_addr, "Two@example.com") != 0;
        bad |= strcmp(rq->rcpt_list.info[1].dsn_orcpt, "rfc822;Two@example.com") != 0;
        bad |= rq->rcpt_list.info[1].dsn_notify != DSN_NOTIFY_SUCCESS;
        bad |= rq->rcpt_list.info[0].offset != rcpt_offset[0];
        /* Positioned at the content. */
        bad |= rec_get(rq->fp, buf, 0) != REC_TYPE_NORM || strcmp(vstring_str(buf), "Subject: hi");
        bad |= deliver_completed(rq->fp, rq->rcpt_list.info[0].offset) != 0;
    }
    rq->hop_status = dsn_create("4.4.1", "", "connection refused", "", "", "", "");
    vstring_free(buf);
    deliver_request_done(stream, rq, DEL_STAT_DEFER);
    return (bad ? 11 : 0);
}

TEST(request_and_reply_round_trip)
{
    int sv[2];
    pid_t pid;
    int wstat;
    VSTREAM *qmgr;
    DELIVER_REQUEST rq;
    DSN_BUF *hop = dsb_create();
    int status = 99;
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(100);

    make_queue_file("4F2A81C0D2");
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    if ((pid = fork()) == 0) {
        close(sv[0]);
        _exit(agent(vstream_fdopen(sv[1], O_RDWR)));
    }
    close(sv[1]);
    qmgr = vstream_fdopen(sv[0], O_RDWR);
    memset(&rq, 0, sizeof(rq));
    rq.flags = DEL_REQ_FLAG_DEFLT;
    rq.queue_name = "active";
    rq.queue_id = "4F2A81C0D2";
    rq.data_offset = data_offset;
    rq.data_size = 1234;
    rq.nexthop = "example.com";
    rq.encoding = "7bit";
    rq.sender = "sender@example.com";
    rq.dsn_ret = DSN_RET_HDRS;
    rq.msg_stats.incoming_arrival.tv_sec = 1000;
    rq.msg_stats.agent_handoff.tv_usec = 5;
    rq.client_addr = "192.0.2.1";
    rq.rewrite_context = "remote";
    rq.log_ident = "4F2A81C0D2";
    recipient_list_init(&rq.rcpt_list, RCPT_LIST_INIT_QUEUE);
    recipient_list_add(&rq.rcpt_list, rcpt_offset[0], "", 0, "", "one@example.com");
    recipient_list_add(&rq.rcpt_list, rcpt_offset[1], "rfc822;Two@example.com", DSN_NOTIFY_SUCCESS,
                       "Two@example.com", "two@example.com");
    CHECK_INT(deliver_request_send(qmgr, &rq), 0);
    CHECK_INT(deliver_request_reply(qmgr, hop, &status), 0);
    CHECK_INT(status, DEL_STAT_DEFER);
    CHECK_STR(vstring_str(hop->status), "4.4.1");
    CHECK_STR(vstring_str(hop->reason), "connection refused");
    CHECK(waitpid(pid, &wstat, 0) == pid);
    CHECK_INT(WEXITSTATUS(wstat), 0);
    /* The first recipient is done in the file. */
    fp = mail_queue_open("active", "4F2A81C0D2", O_RDONLY, 0);
    vstream_fseek(fp, rcpt_offset[0], SEEK_SET);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_DONE);
    CHECK_INT(rec_get(fp, buf, 0), REC_TYPE_RCPT);
    vstream_fclose(fp);
    recipient_list_free(&rq.rcpt_list);
    vstream_fclose(qmgr);
    dsb_free(hop);
    vstring_free(buf);
}

TEST(missing_queue_file_means_no_reply)
{
    int sv[2];
    pid_t pid;
    int wstat;
    VSTREAM *qmgr;
    DELIVER_REQUEST rq;
    int status;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    if ((pid = fork()) == 0) {
        VSTREAM *s;

        close(sv[0]);
        s = vstream_fdopen(sv[1], O_RDWR);
        _exit(deliver_request_read(s) == 0 ? 0 : 1);
    }
    close(sv[1]);
    qmgr = vstream_fdopen(sv[0], O_RDWR);
    memset(&rq, 0, sizeof(rq));
    rq.queue_name = "active";
    rq.queue_id = "ABCDEF1234";
    recipient_list_init(&rq.rcpt_list, RCPT_LIST_INIT_QUEUE);
    recipient_list_add(&rq.rcpt_list, 10, "", 0, "", "x@y");
    CHECK_INT(deliver_request_send(qmgr, &rq), 0);
    CHECK(waitpid(pid, &wstat, 0) == pid);
    CHECK_INT(WEXITSTATUS(wstat), 0);
    CHECK_INT(deliver_request_reply(qmgr, (DSN_BUF *)0, &status), -1);
    recipient_list_free(&rq.rcpt_list);
    vstream_fclose(qmgr);
}

TEST(bad_queue_id_is_refused)
{
    int sv[2];
    pid_t pid;
    int wstat;
    VSTREAM *qmgr;
    DELIVER_REQUEST rq;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    if ((pid = fork()) == 0) {
        close(sv[0]);
        _exit(deliver_request_read(vstream_fdopen(sv[1], O_RDWR)) == 0 ? 0 : 1);
    }
    close(sv[1]);
    qmgr = vstream_fdopen(sv[0], O_RDWR);
    memset(&rq, 0, sizeof(rq));
    rq.queue_name = "active";
    rq.queue_id = "../../etc/passwd";
    recipient_list_init(&rq.rcpt_list, RCPT_LIST_INIT_QUEUE);
    CHECK_INT(deliver_request_send(qmgr, &rq), 0);
    CHECK(waitpid(pid, &wstat, 0) == pid);
    CHECK_INT(WEXITSTATUS(wstat), 0);
    recipient_list_free(&rq.rcpt_list);
    vstream_fclose(qmgr);
}

int main(void)
{
    static char names[] = "deferred, defer";

    msg_stderr_init("deliver_request_test");
    var_hash_queue_names = names;
    var_hash_queue_depth = 1;
    if (mkdtemp(topdir) == 0 || chdir(topdir) < 0)
        return (1);
    RUN(request_and_reply_round_trip);
    RUN(missing_queue_file_means_no_reply);
    RUN(bad_queue_id_is_refused);
    unlink("active/4F2A81C0D2");
    rmdir("active");
    rmdir(topdir);
    return (TESTS_DONE());
}
