/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The parser against scapy, frame by frame: tests/data/proto/gen_fixtures.py wrote pcaps of
 * every link type and expected.txt with the fields scapy dissected; here libpcap reads the
 * pcaps, dtc_parse and dtc_parse_mbuf (on a two-segment chain) parse each frame, and every
 * key of the expected line is compared.  An unknown key fails, so nothing is silently skipped.
 *
 * usage: test_proto_fixtures DATA_DIR
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"

struct frame {
	const uint8_t *data;
	uint32_t len;
	struct dtc_pkt_info pi;
	int err;
	bool ip_cksum_ok;     /* from the expected line, for the combined verdict */
	bool lib_cksum_ok;    /* dtc_cksum_ok_mbuf */
};

static struct rte_mempool *mp;

static const char *const l3_names[] = {"none", "ipv4", "ipv6", "arp"};
static const char *const l4_names[] = {"none", "tcp", "udp", "icmp", "icmp6", "other", "frag"};

static void
fmt_opts(const struct dtc_tcp_opts *o, char *out, size_t n)
{
	/* alphabetical, as the generator sorts them */
	static const struct { uint8_t bit; const char *name; } order[] = {
		{DTC_OPT_MSS, "mss"}, {DTC_OPT_SACK, "sack"}, {DTC_OPT_SACK_OK, "sackok"},
		{DTC_OPT_TS, "ts"}, {DTC_OPT_WSCALE, "wscale"},
	};
	size_t used = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < RTE_DIM(order); i++)
		if (o->present & order[i].bit)
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "+" : "",
				order[i].name);
	if (used == 0)
		snprintf(out, n, "-");
}

static void
fmt_list(char *out, size_t n, const uint16_t *v, unsigned int cnt)
{
	size_t used = 0;
	unsigned int i;

	snprintf(out, n, "-");
	for (i = 0; i < cnt; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%u", i ? "," : "", v[i]);
}

/* Our value for key, formatted like the generator does.  false: unknown key. */
static bool
ours(const char *key, const struct frame *f, char *out, size_t n)
{
	const struct dtc_pkt_info *pi = &f->pi;
	unsigned int i;
	size_t used;

#define U(k, v) if (strcmp(key, k) == 0) { snprintf(out, n, "%llu", (unsigned long long)(v)); \
		return true; }
	U("frame_len", pi->frame_len) U("n_vlan", pi->n_vlan) U("ethertype", pi->ethertype)
	U("family", pi->family) U("l3_off", pi->l3_off) U("is_frag", pi->is_frag)
	U("mf", pi->more_frags) U("frag_off", pi->frag_off) U("ttl", pi->ttl)
	U("ip_id", pi->ip_id) U("ip_len", pi->ip_len) U("l4_off", pi->l4_off)
	U("l4_proto", pi->l4_proto) U("sport", rte_be_to_cpu_16(pi->sport))
	U("dport", rte_be_to_cpu_16(pi->dport)) U("seq", pi->seq) U("ack", pi->ack)
	U("win", pi->win) U("flags", pi->tcp_flags) U("tcp_hlen", pi->tcp_hlen)
	U("payload_off", pi->payload_off) U("payload_len", pi->payload_len)
	U("mss", pi->opts.mss) U("mss_off", pi->opts.mss_off) U("ts_off", pi->opts.ts_off)
	U("tsval", pi->opts.tsval) U("tsecr", pi->opts.tsecr) U("wscale", pi->opts.wscale)
	U("icmp_type", pi->icmp_type) U("icmp_code", pi->icmp_code)
	U("tcp_cksum_ok", f->lib_cksum_ok)
#undef U
	if (strcmp(key, "l3") == 0) {
		snprintf(out, n, "%s", pi->l3 < RTE_DIM(l3_names) ? l3_names[pi->l3] : "?");
	} else if (strcmp(key, "l4") == 0) {
		snprintf(out, n, "%s", pi->l4 < RTE_DIM(l4_names) ? l4_names[pi->l4] : "?");
	} else if (strcmp(key, "src") == 0 || strcmp(key, "dst") == 0) {
		dtc_addr_fmt(pi->family == 6 ? 6 : 4, key[0] == 's' ? &pi->src : &pi->dst, out, n);
	} else if (strcmp(key, "vlan") == 0) {
		fmt_list(out, n, pi->vlan_tci, pi->n_vlan);
	} else if (strcmp(key, "opts") == 0) {
		fmt_opts(&pi->opts, out, n);
	} else if (strcmp(key, "sack") == 0) {
		for (i = 0, used = 0; i < pi->opts.sack_cnt; i++)
			used += (size_t)snprintf(out + used, n - used, "%s%u:%u", i ? "," : "",
				pi->opts.sack[i][0], pi->opts.sack[i][1]);
	} else if (strcmp(key, "tcp_cksum") == 0) {
		/* dtc_tcp_cksum takes IPv6 without extension headers only */
		if (pi->family == 6 && pi->l4_off != pi->l3_off + 40)
			return snprintf(out, n, "skip"), true;
		snprintf(out, n, "%u", rte_be_to_cpu_16(dtc_tcp_cksum(f->data + pi->l3_off,
			pi->family)));
	} else {
		return false;
	}
	return true;
}

static void
check_line(char *line, struct frame *f, const char *where)
{
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		char *eq = strchr(tok, '='), got[256];

		if (eq == NULL)
			continue;
		*eq = '\0';
		if (!strcmp(tok, "file") || !strcmp(tok, "idx") || !strcmp(tok, "name") ||
				!strcmp(tok, "ip_cksum_ok"))
			continue;
		if (!ours(tok, f, got, sizeof(got))) {
			CHECKF(false, "%s: unknown key %s", where, tok);
			continue;
		}
		if (strcmp(got, "skip") == 0)
			continue;
		if (strcmp(tok, "tcp_cksum_ok") == 0 && !f->ip_cksum_ok)
			snprintf(eq + 1, 2, "0"); /* our verdict covers the IPv4 header too */
		CHECKF(strcmp(got, eq + 1) == 0, "%s: %s: ours %s, scapy %s", where, tok, got,
			eq + 1);
	}
}

/* dtc_parse_mbuf on a 2-segment copy must agree with dtc_parse; also the checksum verdict. */
static void
mbuf_side(struct frame *f, enum dtc_link link, unsigned int split, const char *where)
{
	struct rte_mbuf *a = rte_pktmbuf_alloc(mp), *b = rte_pktmbuf_alloc(mp);
	struct dtc_pkt_info pm;

	split = split % f->len;
	memcpy(rte_pktmbuf_append(a, (uint16_t)split), f->data, split);
	memcpy(rte_pktmbuf_append(b, (uint16_t)(f->len - split)), f->data + split,
		f->len - split);
	rte_pktmbuf_chain(a, b);
	CHECK_EQF(dtc_parse_mbuf(a, link, &pm), f->err, "%s split %u", where, split);
	if (f->err == 0) {
		CHECK_EQF(pm.payload_off, f->pi.payload_off, "%s", where);
		CHECK_EQF(pm.payload_len, f->pi.payload_len, "%s", where);
		CHECK_EQF(pm.l4, f->pi.l4, "%s", where);
		if (pm.l4 == DTC_L4_TCP)
			CHECK_EQF(pm.opts.present, f->pi.opts.present, "%s", where);
	}
	f->lib_cksum_ok = dtc_cksum_ok_mbuf(a, &f->pi);
	rte_pktmbuf_free(a);
}

static unsigned int
run(const char *dir)
{
	char path[4096], line[4096], cur[64] = "", err[PCAP_ERRBUF_SIZE];
	pcap_t *p = NULL;
	FILE *exp;
	unsigned int frames = 0;
	enum dtc_link link = DTC_LINK_ETHER;

	snprintf(path, sizeof(path), "%s/expected.txt", dir);
	exp = fopen(path, "r");
	CHECKF(exp != NULL, "%s", path);
	if (exp == NULL)
		return 0;
	while (fgets(line, sizeof(line), exp) != NULL) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct frame f;
		char file[64] = "", where[128], name[64] = "";
		int idx = -1;

		if (line[0] == '#')
			continue;
		if (sscanf(line, "file=%63s idx=%d name=%63s", file, &idx, name) != 3)
			continue;
		if (strcmp(file, cur) != 0) {
			if (p != NULL)
				pcap_close(p);
			snprintf(path, sizeof(path), "%s/%s", dir, file);
			p = pcap_open_offline(path, err);
			CHECKF(p != NULL, "%s: %s", path, err);
			if (p == NULL)
				break;
			snprintf(cur, sizeof(cur), "%s", file);
			link = (enum dtc_link)dtc_link_from_pcap(pcap_datalink(p));
		}
		snprintf(where, sizeof(where), "%s#%d(%s)", file, idx, name);
		if (pcap_next_ex(p, &h, &data) != 1) {
			CHECKF(false, "%s: missing in pcap", where);
			break;
		}
		memset(&f, 0, sizeof(f));
		f.data = data;
		f.len = h->caplen;
		f.ip_cksum_ok = strstr(line, "ip_cksum_ok=0") == NULL;
		f.err = dtc_parse(data, h->caplen, link, false, &f.pi);
		CHECKF(f.err == 0, "%s: parse error %s", where, dtc_perr_name(f.err));
		mbuf_side(&f, link, frames * 7 + 1, where);
		check_line(line, &f, where);
		frames++;
	}
	if (p != NULL)
		pcap_close(p);
	fclose(exp);
	return frames;
}

int
main(int argc, char **argv)
{
	unsigned int n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	if (dtc_test_eal_init(argv[0], "proto-fixtures", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("fix", 64, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	if (mp == NULL)
		return 1;
	n = run(argv[1]);
	printf("%u fixture frames compared with scapy\n", n);
	CHECKF(n >= 60, "only %u frames", n);
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end("test_fixtures");
}
