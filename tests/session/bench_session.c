/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * A quick single-core micro-benchmark of the engine's steady state (not a test, and not the
 * formal benchmark of issue 7): S established sessions, each request a 64..512-byte client
 * segment (already classified, as a worker receives it from the RX lcore) and each answer one
 * response record (ACK + 100 bytes), a cumulative ACK after the response's silence, the
 * virtual clock advancing 1 us per burst of 32.  Output frames go to a sink that frees them
 * in bulk (as net_null does).  Prints input packets per second through the engine calls
 * only (client_burst, resp_burst, timers, flush), and the same including building the input
 * mbufs.
 *
 *   bench_session [sessions] [rounds] [rxcsum]
 *
 * rxcsum = 1: captures carry RTE_MBUF_F_RX_L4_CKSUM_GOOD, as from a NIC with RX checksum
 * offload (the engine then updates checksums incrementally instead of summing payloads).
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "dtc_proto.h"
#include "dtc_session.h"

struct bsess {
	struct dtc_flow_key key;
	uint32_t flow_hash, origin;
	uint32_t seq, ack, srv;
};

static struct rte_mempool *mp;
static bool rxcsum;

/* CPU time of this thread: the machine is shared, wall time is not ours alone. */
static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static uint64_t out_frames;

static uint16_t
sink(void *arg, struct rte_mbuf **p, uint16_t n)
{
	(void)arg;
	out_frames += n;
	rte_pktmbuf_free_bulk(p, n);
	return n;
}

static struct rte_mbuf *
capture(struct bsess *b, uint8_t flags, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct dtc_seg *seg;
	uint8_t *th;

	if (m == NULL)
		return NULL;
	th = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(32 + len));
	memset(th, 0, 32);
	th[12] = 8 << 4;
	th[13] = flags;
	th[20] = 1;
	th[21] = 1;
	th[22] = 8;
	th[23] = 10;
	seg = dtc_seg_of(m);
	memset(seg, 0, sizeof(*seg));
	seg->key = b->key;
	seg->flow_hash = b->flow_hash;
	seg->origin = b->origin;
	seg->seq = b->seq;
	seg->ack = b->ack;
	seg->tsval = b->seq;
	seg->ts_off = 22;
	seg->payload_len = len;
	seg->flags = flags;
	seg->tcp_hlen = 32;
	seg->wscale = 7;
	if (rxcsum)
		seg->sflags |= DTC_SEG_F_CSUM_OK;
	return m;
}

int
main(int argc, char **argv)
{
	uint32_t S = argc > 1 ? (uint32_t)atoi(argv[1]) : 100000;
	uint32_t rounds = argc > 2 ? (uint32_t)atoi(argv[2]) : 20;

	rxcsum = argc > 3 && atoi(argv[3]) != 0;
	char prefix[64];
	char *eal[] = { (char *)"bench", (char *)"--no-huge", (char *)"-m", (char *)"512",
		(char *)"--no-pci", (char *)"--file-prefix", prefix,
		(char *)"--log-level=lib.*:error", (char *)"--no-telemetry", NULL };
	struct dtc_sess_conf c;
	struct dtc_xfer x;
	struct dtc_sess_engine *e;
	struct bsess *bs;
	struct dtc_sess_stats st;
	uint64_t now = 1000000, t_eng = 0, t_all, in_pkts = 0, t0, c_eng = 0, c_all, c0;
	uint32_t i, r, *order, step;
	double hz;

	snprintf(prefix, sizeof(prefix), "dtc-sess-bench-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		return 1;
	hz = (double)rte_get_tsc_hz();
	mp = rte_pktmbuf_pool_create("bench", 65535, 256, DTC_MBUF_PRIV_SIZE,
		RTE_PKTMBUF_HEADROOM + 1600, SOCKET_ID_ANY);
	if (mp == NULL)
		return 1;
	memset(&x, 0, sizeof(x));
	x.family = 4;
	x.any_online_addr = 1;
	x.online_port = htons(80);
	x.target_port = htons(80);
	x.target_addr.a32[0] = htonl(0xc6120138);
	x.dst_mac = DTC_MAC_VALID | 0x020000000002ull;
	dtc_sess_conf_defaults(&c);
	c.xfer = &x;
	c.n_xfer = 1;
	c.mp = mp;
	c.tx = sink;
	c.max_sessions = S + S / 8;
	c.max_seg_total = 1u << 20;
	e = dtc_sess_create(&c);
	bs = calloc(S, sizeof(*bs));
	order = calloc(S, sizeof(*order));
	if (e == NULL || bs == NULL || order == NULL) {
		fprintf(stderr, "setup: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	printf("engine memory: %zu bytes for %u sessions = %.1f bytes/session "
		"(sizeof session %u)\n", dtc_sess_mem_size(&c), c.max_sessions,
		(double)dtc_sess_mem_size(&c) / c.max_sessions, 192);
	/* Establish S sessions. */
	for (i = 0; i < S; i++) {
		struct bsess *b = &bs[i];
		struct rte_mbuf *m;
		struct dtc_resp rec;

		b->key.family = 4;
		b->key.client.a32[0] = htonl(0x0a000000u + i / 50000);
		b->key.client_port = htons((uint16_t)(10000 + i % 50000));
		b->key.server = x.target_addr;
		b->key.server_port = x.target_port;
		b->flow_hash = dtc_flow_hash(&b->key, c.seed);
		b->origin = b->flow_hash ^ 0x5555;
		b->seq = (uint32_t)rand();
		b->ack = (uint32_t)rand();
		b->srv = (uint32_t)rand();
		m = capture(b, DTC_TCP_SYN, 0);
		dtc_sess_client_burst(e, &m, 1, now);
		b->seq++;
		memset(&rec, 0, sizeof(rec));
		rec.key = b->key;
		rec.flags = DTC_TCP_SYN | DTC_TCP_ACK;
		rec.seq = b->srv++;
		rec.ack = b->seq;
		rec.win = 65535;
		rec.wscale = 7;
		rec.mss = 1460;
		rec.opt = DTC_RESP_TS;
		dtc_sess_resp_burst(e, &rec, 1, now);
		dtc_sess_flush(e);
		order[i] = i;
	}
	/* Visit sessions in a random order, as traffic does (no cache-friendly sweep). */
	for (i = S - 1; i > 0; i--) {
		uint32_t j = (uint32_t)rand() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	dtc_sess_stats(e, &st);
	printf("established %" PRIu64 " of %u\n", st.c[DTC_SESS_C_sess_established], S);
	/* Each session's next request comes after its previous response's silence (300 us),
	 * as in steady traffic: the clock moves at least 300 us per sweep of all sessions. */
	step = (300u * 32 + S - 1) / S;
	if (step == 0)
		step = 1;
	out_frames = 0;
	t0 = rte_rdtsc();
	c0 = cpu_ns();
	for (r = 0; r < rounds; r++) {
		for (i = 0; i + 32 <= S; i += 32) {
			struct rte_mbuf *m[32];
			struct dtc_resp rec[32];
			uint64_t a;
			unsigned int k;

			for (k = 0; k < 32; k++) {
				struct bsess *b = &bs[order[i + k]];
				uint16_t len = (uint16_t)(64 + ((b->seq * 7) & 447));

				m[k] = capture(b, DTC_TCP_ACK | DTC_TCP_PSH, len);
				if (m[k] == NULL) {
					fprintf(stderr, "mbuf pool empty\n");
					return 1;
				}
				memset(&rec[k], 0, sizeof(rec[k]));
				rec[k].key = b->key;
				rec[k].flags = DTC_TCP_ACK | DTC_TCP_PSH;
				rec[k].seq = b->srv;
				rec[k].ack = b->seq + len;
				rec[k].win = 65535;
				rec[k].payload_len = 100;
				rec[k].opt = DTC_RESP_TS;
				rec[k].tsval = (uint32_t)now;
				b->seq += len;
				b->srv += 100;
				b->ack += 100; /* the next request follows an answer: a new request */
			}
			{
				uint64_t ca = cpu_ns();

				a = rte_rdtsc();
				dtc_sess_client_burst(e, m, 32, now);
				dtc_sess_resp_burst(e, rec, 32, now);
				dtc_sess_timers(e, now);
				dtc_sess_flush(e);
				t_eng += rte_rdtsc() - a;
				c_eng += cpu_ns() - ca;
			}
			in_pkts += 64;
			now += step;
		}
	}
	t_all = rte_rdtsc() - t0;
	c_all = cpu_ns() - c0;
	dtc_sess_stats(e, &st);
	printf("rx checksum verified by the NIC: %s\n", rxcsum ? "yes" : "no");
	printf("sessions %u, %" PRIu64 " input packets (client segments + response records), "
		"%" PRIu64 " frames out\n", S, in_pkts, out_frames);
	printf("engine only: %.2f Mpps, %.1f ns/packet (thread CPU time; wall: %.2f Mpps); "
		"with input mbuf building: %.2f Mpps (wall %.2f)\n",
		in_pkts / (c_eng / 1e9) / 1e6, (double)c_eng / in_pkts,
		in_pkts / (t_eng / hz) / 1e6, in_pkts / (c_all / 1e9) / 1e6,
		in_pkts / (t_all / hz) / 1e6);
	printf("requests %" PRIu64 ", acks %" PRIu64 ", tx_copy %" PRIu64 ", drops: dup %"
		PRIu64 " no_mbuf %" PRIu64 " engine_full %" PRIu64 ", txf no_mbuf %" PRIu64 "\n",
		st.c[DTC_SESS_C_requests], st.c[DTC_SESS_C_acks_sent], st.c[DTC_SESS_C_tx_copy],
		st.drop[DTC_SESS_DROP_duplicate], st.drop[DTC_SESS_DROP_no_mbuf],
		st.drop[DTC_SESS_DROP_engine_full], st.txf[DTC_SESS_TXF_no_mbuf]);
	dtc_sess_close_all(e, now);
	dtc_sess_free(e);
	free(bs);
	free(order);
	rte_eal_cleanup();
	return 0;
}
