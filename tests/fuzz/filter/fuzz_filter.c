/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Fuzz the capture filter (lib/proto/filter.c): libpcap compile, DPDK conversion, load, JIT.
 * Any expression must either compile or fail with a message naming it, never crash, and
 * dtc_filter_check() must agree with dtc_filter_compile() about libpcap's verdict.  When it
 * compiles, the rest of the input is run as a frame (one and two mbuf segments) through the
 * JIT (where used) and the interpreter, and both must match libpcap's own interpreter: the
 * converter and JIT bugs worked around in filter.c were found exactly this way.
 *
 * Input: byte 0 = link type selector, then the expression up to a '\n' (or the end), then
 * the frame.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "dtc_capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct rte_mempool *mp;
static char runtime_dir[4096];

/* libFuzzer exits without cleaning up: at least leave no empty runtime directory behind. */
static void
remove_runtime_dir(void)
{
	rmdir(runtime_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64];
	char *eal[] = { (char *)(uintptr_t)"fuzz_filter", (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", (char *)(uintptr_t)"128", (char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry", (char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--log-level=*:emerg", (char *)(uintptr_t)"--file-prefix",
		prefix, NULL };

	(void)argc;
	(void)argv;
	snprintf(prefix, sizeof(prefix), "dtc-fuzz-filter-%d", (int)getpid());
	if (rte_eal_init(10, eal) < 0)
		abort();
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	atexit(remove_runtime_dir);
	mp = rte_pktmbuf_pool_create("fuzz", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL)
		abort();
	return 0;
}

static const enum dtc_link links[] = { DTC_LINK_ETHER, DTC_LINK_RAW, DTC_LINK_SLL,
	DTC_LINK_IPV4, DTC_LINK_IPV6, DTC_LINK_SLL2, DTC_LINK_ETHER, DTC_LINK_ETHER };

static struct rte_mbuf *
mbuf_of(const uint8_t *p, size_t len, size_t split)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp), *m2;

	if (m == NULL)
		abort();
	if (split == 0 || split >= len)
		split = len;
	memcpy(rte_pktmbuf_append(m, (uint16_t)split), p, split);
	if (split == len)
		return m;
	m2 = rte_pktmbuf_alloc(mp);
	if (m2 == NULL)
		abort();
	memcpy(rte_pktmbuf_append(m2, (uint16_t)(len - split)), p + split, len - split);
	if (rte_pktmbuf_chain(m, m2) != 0)
		abort();
	return m;
}

/* Both execution paths of f against libpcap's verdict on frame p. */
static void
check_frame(struct dtc_filter *f, int dlt, const char *expr, const uint8_t *p, size_t len)
{
	struct pcap_pkthdr h = { .caplen = (uint32_t)len, .len = (uint32_t)len };
	struct bpf_program prog;
	pcap_t *dead = pcap_open_dead(dlt, 262144);
	bool ref, match[2];
	unsigned int pass;

	if (dead == NULL || pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0)
		abort(); /* it compiled a moment ago */
	ref = pcap_offline_filter(&prog, &h, p) != 0;
	for (pass = 0; pass < 2; pass++) {
		struct rte_mbuf *m[2] = { mbuf_of(p, len, 0), mbuf_of(p, len, len / 2) };

		dtc_filter_burst(f, m, match, 2);
		rte_pktmbuf_free(m[0]);
		rte_pktmbuf_free(m[1]);
		if (match[0] != ref || match[1] != ref) {
			fprintf(stderr, "filter '%s' (%s): dpdk %d/%d, libpcap %d\n", expr,
				dtc_filter_is_jit(f) ? "jit" : "interpreter", match[0], match[1], ref);
			abort();
		}
		dtc_filter_no_jit(f);
	}
	pcap_freecode(&prog);
	pcap_close(dead);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	size_t elen, flen;
	char *expr, err[512], err2[512];
	struct dtc_filter *f;
	enum dtc_link link;
	int dlt, rc;

	if (size < 1 || size > 8192)
		return 0;
	link = links[data[0] & 7];
	data++;
	size--;
	nl = memchr(data, '\n', size);
	elen = nl != NULL ? (size_t)(nl - data) : size;
	flen = nl != NULL ? size - elen - 1 : 0;
	expr = malloc(elen + 1);
	if (expr == NULL)
		return 0;
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	rc = dtc_filter_check(expr, link, err2, sizeof(err2));
	f = dtc_filter_compile(expr, link, err, sizeof(err));
	if (f == NULL) {
		/* A failure names the filter and says why. */
		if (err[0] == '\0' || (strlen(expr) <= 64 && strstr(err, expr) == NULL))
			abort();
		if (rc == 0 && strstr(err, "DPDK") == NULL)
			abort(); /* libpcap accepted it once, refused it the second time */
	} else {
		if (rc != 0 || strcmp(dtc_filter_expr(f), expr) != 0)
			abort();
		dlt = link == DTC_LINK_RAW ? DLT_RAW : link == DTC_LINK_ETHER ? DLT_EN10MB :
			(int)link;
		if (flen > 0 && flen <= 2000)
			check_frame(f, dlt, expr, nl + 1, flen);
		dtc_filter_free(f);
	}
	free(expr);
	return 0;
}
