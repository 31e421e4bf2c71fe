/*
 * fuzz_dns_reply - libFuzzer target for the DNS reply parser in
 * src/global/dns_lookup.c: dns_reply_parse() on raw reply packets, asking
 * for each record type the MTA looks up (MX, A, AAAA, TXT, PTR, NS, CNAME)
 * as picked by the first input byte, then converting address records with
 * dns_rr_to_addr() and sorting MX lists. A malformed packet must give an
 * error status, never a read past the packet.
 */
#include <arpa/nameser.h>

#include "dns_lookup.h"
#include "fuzz_common.h"
#include "vstring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned types[] = {T_MX, T_A, T_AAAA, T_TXT, T_PTR, T_NS, T_CNAME, T_SOA};
    DNS_RR *list = 0, *rr;
    VSTRING *fqdn, *addr;
    unsigned char *packet;
    unsigned type;

    if (size < 1)
        return (0);
    fuzz_quiet();
    type = types[data[0] % (sizeof(types) / sizeof(types[0]))];
    packet = mymalloc(size); /* exact size, for ASan */
    memcpy(packet, data + 1, size - 1);
    fqdn = vstring_alloc(10);
    addr = vstring_alloc(10);
    if (dns_reply_parse(packet, size - 1, "example.com", type, &list, fqdn) == DNS_OK) {
        for (rr = list; rr; rr = rr->next)
            if (rr->type == T_A || rr->type == T_AAAA)
                (void)dns_rr_to_addr(rr, addr);
        list = dns_rr_sort_pref(list);
    }
    if (list)
        dns_rr_free(list);
    myfree(packet);
    vstring_free(fqdn);
    vstring_free(addr);
    return (0);
}
