/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Test driver for the capture triage (dtc_capture_burst with the ARP/ICMP responder and an
 * optional filter): reads IN.pcap, writes the replies it produced to OUT.pcap and prints the
 * counters, one "name=value" per line.  The frames are made and the replies checked by scapy
 * (test_responder.py), not by our parser.
 *
 *   cap_tool IN.pcap OUT.pcap IP MAC [FILTER]
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "dtc_capture.h"
#include "icpt_test.h"

#define BURST 32

static void
flush_burst(struct dtc_capture *c, struct rte_mbuf **pkts, uint16_t n, pcap_dumper_t *out)
{
	struct dtc_cap_seg seg[BURST];
	struct rte_mbuf *tx[BURST];
	uint16_t ns, nt, i;

	ns = dtc_capture_burst(c, pkts, n, seg, tx, &nt);
	for (i = 0; i < nt; i++) {
		struct pcap_pkthdr h = { .caplen = rte_pktmbuf_pkt_len(tx[i]),
			.len = rte_pktmbuf_pkt_len(tx[i]) };
		uint8_t buf[2048];
		const void *p = rte_pktmbuf_read(tx[i], 0, h.caplen, buf);

		pcap_dump((u_char *)out, &h, p);
		rte_pktmbuf_free(tx[i]);
	}
	for (i = 0; i < ns; i++)
		rte_pktmbuf_free(seg[i].m);
}

int
main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE], err[512];
	struct rte_mbuf *pkts[BURST];
	struct dtc_filter *f = NULL;
	struct dtc_responder resp;
	struct dtc_capture cap;
	struct rte_ether_addr mac;
	struct rte_mempool *mp;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_dumper_t *out;
	struct in_addr ip;
	uint16_t n = 0;
	unsigned int i;
	pcap_t *in, *dead;

	if (argc < 5 || inet_pton(AF_INET, argv[3], &ip) != 1 ||
			rte_ether_unformat_addr(argv[4], &mac) != 0) {
		fprintf(stderr, "usage: %s IN.pcap OUT.pcap IP MAC [FILTER]\n", argv[0]);
		return 2;
	}
	if (dtc_test_eal_init(argv[0], "icpt-captool", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("cap", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	in = pcap_open_offline(argv[1], errbuf);
	if (mp == NULL || in == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], errbuf);
		return 1;
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	out = pcap_dump_open(dead, argv[2]);
	if (out == NULL) {
		fprintf(stderr, "%s: %s\n", argv[2], pcap_geterr(dead));
		return 1;
	}
	if (argc > 5) {
		f = dtc_filter_compile(argv[5], DTC_LINK_ETHER, err, sizeof(err));
		if (f == NULL) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	dtc_responder_init(&resp, ip.s_addr, &mac);
	dtc_capture_init(&cap, DTC_LINK_ETHER, f, &resp);
	while (pcap_next_ex(in, &h, &data) == 1) {
		/* Big frames arrive in two segments, headers in the first, as from a NIC with
		 * small buffers: the triage and the replies must not care. */
		pkts[n] = t_mbuf(mp, data, (uint16_t)h->caplen, h->caplen > 200 ? 128 : 0);
		if (++n == BURST) {
			flush_burst(&cap, pkts, n, out);
			n = 0;
		}
	}
	flush_burst(&cap, pkts, n, out);
	pcap_dump_close(out);
	pcap_close(dead);
	pcap_close(in);
	for (i = 0; i < DTC_CAP_STAT_MAX; i++)
		printf("%s=%" PRIu64 "\n", dtc_cap_stat_name(i), cap.stats[i]);
	printf("arp_replies=%" PRIu64 "\nicmp_replies=%" PRIu64 "\nignored=%" PRIu64 "\n",
		resp.arp_replies, resp.icmp_replies, resp.ignored);
	dtc_filter_free(f);
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return 0;
}
