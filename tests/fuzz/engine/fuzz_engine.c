/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * libFuzzer harness for the session engine: the input is a configuration and a sequence of
 * operations (captured client segments of a few connections, response records for them or
 * for strangers, clock steps, timer runs, MAC and route refusals) applied to one front and
 * one engine.  Invariants, checked by abort():
 *  - every emitted frame is a well-formed Ethernet/IP/TCP frame with valid checksums (read
 *    by the test harness's independent reader);
 *  - the counters balance after every operation (each client segment has one verdict, each
 *    session is live or ended exactly once);
 *  - once the clock has run past every bound with no more input, no session is left
 *    (nothing stuck past its timeouts), no timer is armed;
 *  - after the engine is freed every mbuf is back in the pool.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"
#include "dtc_session.h"
#include "harness.h"
#include "../../common/dtc_test_eal.h"

#define NCONN 6

struct rd {
	const uint8_t *p;
	size_t n;
};

static uint8_t
u8(struct rd *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint16_t
u16(struct rd *r)
{
	return (uint16_t)(u8(r) | u8(r) << 8);
}

static struct rte_mempool *mp;
static bool refuse_route;
static struct dtc_xfer xfer[2];
static unsigned int frames;

static uint16_t
fz_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t i;

	(void)arg;
	for (i = 0; i < n; i++) {
		uint8_t buf[4200];
		struct h_frame f;
		const uint8_t *p = rte_pktmbuf_read(pkts[i], 0,
			RTE_MIN(pkts[i]->pkt_len, (uint32_t)sizeof(buf)), buf);

		if (p == NULL || !h_read_frame(p, pkts[i]->pkt_len, &f) || !f.tcp_csum_ok ||
				!f.ip_csum_ok)
			abort();
		frames++;
	}
	/* Now and then the TX queue is full. */
	if (n > 1 && (frames & 15) == 0)
		n--;
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(pkts[i]);
	return n;
}

static int
fz_route(void *arg, const struct dtc_flow_key *k, uint16_t op)
{
	(void)arg;
	(void)k;
	return refuse_route && op == DTC_V1_ROUTE_ADD ? -1 : 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (dtc_test_eal_init("fuzz", "sess-fuzz-engine", 128) < 0)
		abort();
	mp = rte_pktmbuf_pool_create("fz", 4096, 0, DTC_MBUF_PRIV_SIZE,
		RTE_PKTMBUF_HEADROOM + 4096, SOCKET_ID_ANY);
	if (mp == NULL)
		abort();
	memset(xfer, 0, sizeof(xfer));
	xfer[0].family = 4;
	dtc_addr_parse("198.18.0.40", &xfer[0].online_addr);
	dtc_addr_parse("198.18.1.56", &xfer[0].target_addr);
	xfer[0].online_port = htons(80);
	xfer[0].target_port = htons(8080);
	xfer[1].family = 6;
	xfer[1].any_online_addr = 1;
	dtc_addr_parse("2001:db8:1::56", &xfer[1].target_addr);
	xfer[1].online_port = htons(80);
	xfer[1].target_port = htons(80);
	return 0;
}

static void
check_stats(struct dtc_sess_engine *e)
{
	struct dtc_sess_stats s;
	uint64_t drops = 0, ends = 0;
	unsigned int i;

	dtc_sess_stats(e, &s);
	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		drops += s.drop[i];
	for (i = 0; i < DTC_SESS_END_MAX; i++)
		ends += s.end[i];
	if (s.c[DTC_SESS_C_seg_in] != s.c[DTC_SESS_C_seg_queued] + s.c[DTC_SESS_C_seg_ctl] +
			drops)
		abort();
	if (s.c[DTC_SESS_C_sess_created] != ends + s.active)
		abort();
	if (dtc_sess_walk(e, NULL, NULL) != s.active + s.lingering)
		abort();
	if (dtc_sess_timer_count(e) != s.active + s.lingering)
		abort();
}

struct conn {
	uint8_t family;
	union dtc_addr caddr, saddr;
	uint16_t cport;
	uint32_t cbase, sbase;
	struct dtc_flow_key key;   /* replica 0, no pool: what the test server sees */
};

static void
conn_init(struct conn *c, unsigned int i)
{
	memset(c, 0, sizeof(*c));
	c->family = i < 4 ? 4 : 6;
	if (c->family == 4) {
		dtc_addr_parse("198.18.5.7", &c->caddr);
		dtc_addr_parse("198.18.0.40", &c->saddr);
		dtc_addr_parse("198.18.1.56", &c->key.server);
		c->key.server_port = htons(8080);
	} else {
		dtc_addr_parse("2001:db8:5::7", &c->caddr);
		dtc_addr_parse("2001:db8::40", &c->saddr);
		dtc_addr_parse("2001:db8:1::56", &c->key.server);
		c->key.server_port = htons(80);
	}
	/* Pairs of connections from one client; with a one-address pool, clients collide. */
	c->caddr.a8[c->family == 4 ? 3 : 15] = (uint8_t)(7 + i / 2);
	c->cport = (uint16_t)(40000 + (i & 1));
	c->cbase = 0x10000000u * (i + 1);
	c->sbase = 0x80000000u + 0x1000000u * i;
	c->key.family = c->family;
	c->key.client = c->caddr;
	c->key.client_port = htons(c->cport);
}

static void
op_client(struct rd *r, struct dtc_front *f, struct dtc_sess_engine *e, struct conn *cs,
	uint64_t now)
{
	struct conn *c = &cs[u8(r) % NCONN];
	struct dtc_seg_spec sp;
	struct dtc_pkt_info pi;
	struct rte_mbuf *m, *out[8];
	uint16_t w[8];
	uint8_t pl[4000];
	uint8_t fl = u8(r), opt = u8(r), lb = u8(r);
	unsigned int n, i;

	memset(&sp, 0, sizeof(sp));
	sp.family = c->family;
	sp.flags = fl;
	sp.wscale = (opt & 1) ? (uint8_t)(opt >> 4) : DTC_WSCALE_NONE;
	sp.mss = (opt & 2) ? 1460 : 0;
	sp.ts = (opt & 4) != 0;
	sp.sack_ok = (opt & 8) != 0;
	sp.tsval = u16(r);
	sp.src = c->caddr;
	sp.dst = c->saddr;
	sp.sport = htons(c->cport);
	sp.dport = htons(80);
	sp.seq = c->cbase + u16(r);
	sp.ack = c->sbase + u16(r);
	sp.win = u16(r);
	sp.payload_len = (uint16_t)(lb < 200 ? lb : (lb - 200) * 70);
	for (i = 0; i < sp.payload_len; i++)
		pl[i] = (uint8_t)i;
	sp.payload = pl;
	m = dtc_build_tcp_mbuf(mp, &sp);
	if (m == NULL)
		return;
	if (dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi) != 0) {
		rte_pktmbuf_free(m);
		return;
	}
	n = dtc_front_classify(f, m, &pi, now, out, w);
	if (n > 8)
		abort();
	for (i = 0; i < n; i++)
		if (w[i] != 0)
			abort();
	dtc_sess_client_burst(e, out, (uint16_t)n, now);
}

static void
op_resp(struct rd *r, struct dtc_sess_engine *e, struct conn *cs, uint64_t now)
{
	struct conn *c = &cs[u8(r) % NCONN];
	struct dtc_resp rec;
	uint8_t o = u8(r);

	memset(&rec, 0, sizeof(rec));
	rec.key = c->key;
	if (o & 0x80)
		rec.key.client_port = htons((uint16_t)(1024 + u16(r))); /* a stranger */
	rec.flags = u8(r);
	rec.seq = c->sbase + u16(r);
	rec.ack = c->cbase + u16(r);
	rec.win = u16(r);
	rec.payload_len = (uint16_t)(u8(r) * 9);
	rec.wscale = (o & 1) ? (uint8_t)((o >> 1) & 15) : DTC_WSCALE_NONE;
	rec.mss = (o & 0x20) ? 1400 : 0;
	if (o & 0x40) {
		rec.opt = DTC_RESP_TS;
		rec.tsval = u16(r);
	}
	dtc_sess_resp_burst(e, &rec, 1, now);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd r = { data, size };
	struct dtc_sess_conf conf;
	struct dtc_front *f;
	struct dtc_sess_engine *e;
	struct dtc_pool pool;
	struct conn cs[NCONN];
	struct dtc_sess_stats st;
	unsigned int base = rte_mempool_avail_count(mp), i;
	uint64_t now = 5000000;
	uint8_t cfg = u8(&r), cfg2 = u8(&r);
	char err[64];

	for (i = 0; i < NCONN; i++)
		conn_init(&cs[i], i);
	dtc_sess_conf_defaults(&conf);
	xfer[0].dst_mac = DTC_MAC_VALID | 0x0200000000ull;
	xfer[1].dst_mac = DTC_MAC_VALID | 0x0200000000ull;
	conf.xfer = xfer;
	conf.n_xfer = 2;
	conf.mp = mp;
	conf.tx = fz_tx;
	conf.route = fz_route;
	conf.max_sessions = 8 + (cfg & 7);
	conf.max_seg_per_sess = 4 + (cfg2 & 31);
	conf.max_seg_total = 64 + (cfg2 & 0xc0);
	conf.max_redirects = 4;
	conf.multiply = (uint16_t)(1 + ((cfg >> 3) & 1));
	conf.no_wait = (cfg & 0x10) != 0;
	conf.full_sessions_only = (cfg & 0x20) != 0;
	conf.mtu = (cfg & 0x40) ? 600 : 1500;
	conf.syn_timeout_ms = 3000;
	conf.session_timeout_ms = 5000;
	conf.keepalive_timeout_ms = 8000;
	conf.gap_timeout_ms = 2000;
	conf.linger_ms = 1000;
	conf.recycle_idle_ms = 500;
	conf.rtt_us = (cfg2 & 1) ? 300 : 0;
	conf.seed = 42;
	if (cfg & 0x80) {
		/* A one-address pool: every client collides on it. */
		if (dtc_pool_parse("198.18.2.100,2001:db8:2::100", xfer, 2, &pool, err,
				sizeof(err)) != 0)
			abort();
		conf.pool = &pool;
	}
	refuse_route = false;
	f = dtc_front_create(&conf);
	e = dtc_sess_create(&conf);
	if (f == NULL || e == NULL)
		abort();
	/* Responses address the rewritten endpoint of replica 0. */
	for (i = 0; i < NCONN; i++)
		dtc_front_endpoint(f, cs[i].family, &cs[i].caddr, htons(cs[i].cport), 0,
			&cs[i].key.client, &cs[i].key.client_port);
	while (r.n > 0) {
		uint8_t op = u8(&r);

		switch (op % 9) {
		case 0:
		case 1:
		case 2:
			op_client(&r, f, e, cs, now);
			break;
		case 3:
		case 4:
			op_resp(&r, e, cs, now);
			break;
		case 5:
			now += u16(&r);
			dtc_sess_timers(e, now);
			break;
		case 6:
			now += (uint64_t)u8(&r) * 20000;
			dtc_sess_timers(e, now);
			break;
		case 7:
			xfer[op & 1].dst_mac ^= DTC_MAC_VALID;
			break;
		default:
			refuse_route = !refuse_route;
			break;
		}
		dtc_sess_flush(e);
		check_stats(e);
	}
	/* No more input: every session must end within its bounds, then linger out. */
	xfer[0].dst_mac |= DTC_MAC_VALID;
	xfer[1].dst_mac |= DTC_MAC_VALID;
	for (i = 0; i < 4; i++) {
		now += 10000000;
		dtc_sess_timers(e, now);
		dtc_sess_flush(e);
	}
	dtc_sess_stats(e, &st);
	if (getenv("FUZZ_VERBOSE") != NULL)
		fprintf(stderr, "created %lu established %lu sent %lu synth %lu resp %lu "
			"frames %u collisions %lu split %lu rebuilt %lu\n",
			(unsigned long)st.c[DTC_SESS_C_sess_created],
			(unsigned long)st.c[DTC_SESS_C_sess_established],
			(unsigned long)st.c[DTC_SESS_C_seg_sent],
			(unsigned long)st.c[DTC_SESS_C_seg_synth],
			(unsigned long)st.c[DTC_SESS_C_resp_in], frames,
			(unsigned long)st.c[DTC_SESS_C_sess_collisions],
			(unsigned long)st.c[DTC_SESS_C_seg_split],
			(unsigned long)st.c[DTC_SESS_C_sess_rebuilt]);
	if (st.active != 0 || st.lingering != 0 || st.queued_segs != 0 ||
			dtc_sess_walk(e, NULL, NULL) != 0 || dtc_sess_timer_count(e) != 0)
		abort();
	check_stats(e);
	dtc_sess_close_all(e, now);
	dtc_sess_free(e);
	dtc_front_free(f);
	if (rte_mempool_avail_count(mp) != base)
		abort();
	return 0;
}
