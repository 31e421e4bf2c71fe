/*
 * dns_lookup_test - reply parsing, null MX, record helpers and DNS list
 * query names, on hand-made DNS messages (no server needed; the e2e test
 * 120_smtpd_access runs the real lookups against dnsmasq).
 */

#include <string.h>

#include "dns_lookup.h"
#include "mymalloc.h"
#include "testing.h"
#include "vstring.h"

/* A tiny message builder: names are written uncompressed. */
typedef struct {
    unsigned char buf[2048];
    size_t len;
} PKT;

static void put8(PKT *p, unsigned v)
{
    p->buf[p->len++] = (unsigned char)v;
}

static void put16(PKT *p, unsigned v)
{
    put8(p, v >> 8);
    put8(p, v & 0xff);
}

static void put32(PKT *p, unsigned v)
{
    put16(p, v >> 16);
    put16(p, v & 0xffff);
}

static void putname(PKT *p, const char *name)
{
    const char *dot;
    size_t n;

    while (*name) {
        dot = strchr(name, '.');
        n = dot ? (size_t)(dot - name) : strlen(name);
        put8(p, (unsigned)n);
        memcpy(p->buf + p->len, name, n);
        p->len += n;
        name += n;
        if (*name == '.')
            name++;
    }
    put8(p, 0);
}

static void pkt_start(PKT *p, const char *qname, unsigned type, unsigned ancount)
{
    p->len = 0;
    put16(p, 0x1234);
    put16(p, 0x8180);
    put16(p, 1);
    put16(p, ancount);
    put16(p, 0);
    put16(p, 0);
    putname(p, qname);
    put16(p, type);
    put16(p, 1);
}

/* pkt_rr - an answer; rdata is built by the caller after this returns the length slot */
static size_t pkt_rr(PKT *p, const char *owner, unsigned type)
{
    size_t slot;

    putname(p, owner);
    put16(p, type);
    put16(p, 1);
    put32(p, 300);
    slot = p->len;
    put16(p, 0);
    return slot;
}

static void pkt_rr_end(PKT *p, size_t slot)
{
    size_t n = p->len - slot - 2;

    p->buf[slot] = (unsigned char)(n >> 8);
    p->buf[slot + 1] = (unsigned char)(n & 0xff);
}

TEST(parse_mx_sorted)
{
    PKT p;
    size_t s;
    DNS_RR *list;
    VSTRING *fqdn = vstring_alloc(10);

    pkt_start(&p, "example.com", DNS_T_MX, 2);
    s = pkt_rr(&p, "example.com", DNS_T_MX);
    put16(&p, 20);
    putname(&p, "mx2.example.com");
    pkt_rr_end(&p, s);
    s = pkt_rr(&p, "example.com", DNS_T_MX);
    put16(&p, 10);
    putname(&p, "mx1.example.com");
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "example.com", DNS_T_MX, &list, fqdn), DNS_OK);
    list = dns_rr_sort_pref(list);
    CHECK_STR(list->data, "mx1.example.com");
    CHECK_INT(list->pref, 10);
    CHECK_STR(list->next->data, "mx2.example.com");
    CHECK(list->next->next == 0);
    CHECK_STR(vstring_str(fqdn), "example.com");
    dns_rr_free(list);
    vstring_free(fqdn);
}

TEST(parse_null_mx)
{
    PKT p;
    size_t s;
    DNS_RR *list;

    pkt_start(&p, "nomail.example", DNS_T_MX, 1);
    s = pkt_rr(&p, "nomail.example", DNS_T_MX);
    put16(&p, 0);
    put8(&p, 0);
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "nomail.example", DNS_T_MX, &list, 0), DNS_NULLMX);
    dns_rr_free(list);
}

TEST(parse_cname_then_a)
{
    PKT p;
    size_t s;
    DNS_RR *list;
    VSTRING *fqdn = vstring_alloc(10);
    VSTRING *buf = vstring_alloc(10);

    pkt_start(&p, "www.example", DNS_T_A, 2);
    s = pkt_rr(&p, "www.example", DNS_T_CNAME);
    putname(&p, "host.example");
    pkt_rr_end(&p, s);
    s = pkt_rr(&p, "host.example", DNS_T_A);
    put8(&p, 192);
    put8(&p, 0);
    put8(&p, 2);
    put8(&p, 7);
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "www.example", DNS_T_A, &list, fqdn), DNS_OK);
    CHECK_STR(vstring_str(fqdn), "host.example");
    CHECK_STR(dns_rr_to_addr(list, buf), "192.0.2.7");
    CHECK_STR(list->rname, "host.example");
    CHECK_STR(list->qname, "www.example");
    dns_rr_free(list);
    vstring_free(fqdn);
    vstring_free(buf);
}

TEST(parse_txt_strings_joined)
{
    PKT p;
    size_t s;
    DNS_RR *list;

    pkt_start(&p, "2.0.0.127.bl.example", DNS_T_TXT, 1);
    s = pkt_rr(&p, "2.0.0.127.bl.example", DNS_T_TXT);
    put8(&p, 6);
    memcpy(p.buf + p.len, "listed", 6);
    p.len += 6;
    put8(&p, 4);
    memcpy(p.buf + p.len, " now", 4);
    p.len += 4;
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "2.0.0.127.bl.example", DNS_T_TXT, &list, 0), DNS_OK);
    CHECK_STR(list->data, "listed now");
    CHECK_INT(list->data_len, 10);
    dns_rr_free(list);
}

TEST(parse_nodata_and_garbage)
{
    PKT p;
    size_t s;
    DNS_RR *list;

    /* Only an unrelated type in the answer: no data of the asked type. */
    pkt_start(&p, "example.com", DNS_T_MX, 1);
    s = pkt_rr(&p, "example.com", DNS_T_A);
    put32(&p, 0x7f000001);
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "example.com", DNS_T_MX, &list, 0), DNS_NOTFOUND);
    CHECK(list == 0);

    /* A record with the wrong length. */
    pkt_start(&p, "example.com", DNS_T_A, 1);
    s = pkt_rr(&p, "example.com", DNS_T_A);
    put16(&p, 1);
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "example.com", DNS_T_A, &list, 0), DNS_INVAL);

    /* Truncated message. */
    pkt_start(&p, "example.com", DNS_T_A, 1);
    CHECK_INT(dns_reply_parse(p.buf, 7, "example.com", DNS_T_A, &list, 0), DNS_INVAL);

    /* TXT string longer than its record. */
    pkt_start(&p, "example.com", DNS_T_TXT, 1);
    s = pkt_rr(&p, "example.com", DNS_T_TXT);
    put8(&p, 50);
    put8(&p, 'x');
    pkt_rr_end(&p, s);
    CHECK_INT(dns_reply_parse(p.buf, p.len, "example.com", DNS_T_TXT, &list, 0), DNS_INVAL);
}

TEST(rbl_query_names)
{
    VSTRING *q = vstring_alloc(10);

    CHECK_INT(dns_rbl_query_name(q, "192.0.2.10", "zen.example"), 1);
    CHECK_STR(vstring_str(q), "10.2.0.192.zen.example");
    CHECK_INT(dns_rbl_query_name(q, "2001:db8::1", "bl.example"), 1);
    CHECK_STR(vstring_str(q),
              "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example");
    CHECK_INT(dns_rbl_query_name(q, "not-an-address", "bl.example"), 0);
    vstring_free(q);
}

TEST(lookup_rejects_bad_names)
{
    VSTRING *why = vstring_alloc(10);
    DNS_RR *list;

    CHECK_INT(dns_lookup("", DNS_T_A, &list, 0, why), DNS_INVAL);
    CHECK(list == 0);
    vstring_free(why);
}

TEST(strtype)
{
    CHECK_STR(dns_strtype(DNS_T_MX), "MX");
    CHECK_STR(dns_strtype(DNS_T_AAAA), "AAAA");
    CHECK_STR(dns_strtype(99), "unknown");
}

int main(void)
{
    RUN(parse_mx_sorted);
    RUN(parse_null_mx);
    RUN(parse_cname_then_a);
    RUN(parse_txt_strings_joined);
    RUN(parse_nodata_and_garbage);
    RUN(rbl_query_names);
    RUN(lookup_rejects_bad_names);
    RUN(strtype);
    return TESTS_DONE();
}
