/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Micro-benchmark of the per-packet lib/proto paths (not a test: prints figures).
 * usage: bench_proto [iterations [which]]   which: 1 parse, 2 rewrite, 4 cksum, 8 hash (bits)
 * On a loaded machine time per op is noisy; `perf stat -e instructions:u` with one "which"
 * bit gives a load-independent figure.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "dtc_proto.h"
#include "pktgen.h"

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define BENCH(label, n, body) if (which & bench_bit) do { \
	double t0_ = now_ns(); \
	for (uint64_t i_ = 0; i_ < (n); i_++) { body; } \
	printf("%-36s %7.2f ns/op\n", label, (now_ns() - t0_) / (double)(n)); \
} while (0); bench_bit <<= 1

int
main(int argc, char **argv)
{
	static const uint8_t a[4] = {198, 18, 0, 1}, b[4] = {198, 18, 1, 56};
	static const uint8_t ts[12] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
	static uint8_t payload[200];
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000;
	unsigned int which = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 15;
	unsigned int bench_bit = 1;
	struct pg_tcp t = {.sport = 40000, .dport = 80, .seq = 1, .ack = 2, .flags = 0x18,
		.win = 1000, .opts = ts, .optlen = 12, .payload = payload, .plen = 200};
	uint8_t f[400];
	size_t len = pg_eth(f, 0x0800);
	struct dtc_pkt_info pi;
	struct dtc_flow_key k = {0};
	struct dtc_l3_view v;
	union dtc_addr dst = {0};
	volatile uint32_t sink = 0;

	len += pg_ipv4_tcp(f + len, a, b, NULL, 0, &t);
	if (dtc_parse(f, (uint32_t)len, DTC_LINK_ETHER, false, &pi) != 0)
		return 1;
	BENCH("dtc_parse eth/ipv4/tcp+ts", n,
		sink += (uint32_t)dtc_parse(f, (uint32_t)len, DTC_LINK_ETHER, false, &pi) +
		pi.seq);
	v.l3 = f + 14;
	v.tcp = f + pi.l4_off;
	v.family = 4;
	dst.a32[0] = 0x01020304;
	BENCH("rewrite dst+ack+ts (incremental)", n,
		dtc_rw_dst(&v, &dst, (rte_be16_t)i_); dtc_rw_ack(&v, (uint32_t)i_);
		dtc_rw_ts(&v, pi.opts.ts_off, (uint32_t)i_, 7));
	BENCH("dtc_tcp_cksum full (252 B)", n / 4, sink += dtc_tcp_cksum(f + 14, 4));
	k.family = 4;
	BENCH("dtc_flow_hash", n, k.client_port = (rte_be16_t)i_; sink += dtc_flow_hash(&k, 0));
	(void)sink;
	return 0;
}
