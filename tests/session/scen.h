/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Building blocks shared by the scripted engine tests. */

#ifndef DTC_SESS_SCEN_H
#define DTC_SESS_SCEN_H

#include <arpa/inet.h>

#include "harness.h"

/* A copied connection being scripted: the captured client, what the test server sees, and
 * the test server's own sequence space. */
struct scen {
	struct h_ctx *h;
	struct h_conn c;
	struct dtc_flow_key k;
	uint32_t srv;        /* test server ISN */
	uint32_t srv_nxt;    /* test server's next seq */
	uint32_t clt_nxt;    /* client's next seq (captured) */
	uint32_t online_nxt; /* online server's next seq: the ACK the client captures carry */
	uint32_t srv_ts;     /* test server TSval */
	uint32_t ts;         /* captured client TSval */
	int srv_ws;          /* window scale in the SYN-ACK, -1 none */
	uint16_t srv_win;    /* unscaled window the test server advertises */
};

/* Expect the next frame; a frame with good checksums, right addresses and ports. */
static inline bool
expect_frame(struct scen *s, struct h_frame *f, const char *what)
{
	if (!h_next(s->h, f)) {
		CHECKF(false, "no frame (expected %s)", what);
		return false;
	}
	CHECKF(f->tcp_csum_ok && f->ip_csum_ok, "bad checksum on %s", what);
	CHECKF(f->family == s->k.family, "family of %s", what);
	CHECKF(memcmp(&f->src, &s->k.client, s->k.family == 4 ? 4 : 16) == 0, "src of %s", what);
	CHECKF(memcmp(&f->dst, &s->k.server, s->k.family == 4 ? 4 : 16) == 0, "dst of %s", what);
	CHECKF(f->sport == ntohs(s->k.client_port) && f->dport == ntohs(s->k.server_port),
		"ports of %s", what);
	CHECKF(f->eth_dst[0] == 0x02 && f->eth_dst[5] == 0x02 && f->eth_src[5] == 0x01,
		"MACs of %s", what);
	return true;
}

static inline void
expect_none(struct scen *s, const char *when)
{
	struct h_frame f;

	if (h_next(s->h, &f))
		CHECKF(false, "unexpected frame %s: flags %#x seq %u ack %u len %u", when, f.flags,
			f.seq, f.ack, f.payload_len);
	h_drain(s->h);
}

/* No frame but pure ACKs (delayed ACKs of test-server data) are pending. */
static inline void
expect_only_acks(struct scen *s, const char *when)
{
	struct h_frame f;

	while (h_next(s->h, &f))
		if (f.payload_len != 0 || f.flags != DTC_TCP_ACK)
			CHECKF(false, "unexpected frame %s: flags %#x seq %u ack %u len %u", when,
				f.flags, f.seq, f.ack, f.payload_len);
}

/* Expect a data frame [seq, seq+len) acknowledging ack, after any pure ACKs. */
static inline void
expect_data_after_acks(struct scen *s, uint32_t seq, uint16_t len, uint32_t ack)
{
	struct h_frame f;

	do {
		if (!expect_frame(s, &f, "data"))
			return;
	} while (f.payload_len == 0 && f.flags == DTC_TCP_ACK);
	CHECK_EQ(f.flags & (DTC_TCP_SYN | DTC_TCP_FIN | DTC_TCP_RST | DTC_TCP_ACK), DTC_TCP_ACK);
	CHECK_EQ(f.seq, seq);
	CHECK_EQ(f.payload_len, len);
	CHECK_EQ(f.ack, ack);
	CHECK(f.pat_ok);
}

/* Expect a data frame [seq, seq+len) acknowledging ack. */
static inline void
expect_data(struct scen *s, uint32_t seq, uint16_t len, uint32_t ack)
{
	struct h_frame f;

	if (!expect_frame(s, &f, "data"))
		return;
	CHECK_EQ(f.flags & (DTC_TCP_SYN | DTC_TCP_FIN | DTC_TCP_RST | DTC_TCP_ACK), DTC_TCP_ACK);
	CHECK_EQ(f.seq, seq);
	CHECK_EQ(f.payload_len, len);
	CHECK_EQ(f.ack, ack);
	CHECK(f.pat_ok);
	CHECK(!f.has_sack_blocks);
}

static inline void
expect_pure(struct scen *s, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct h_frame f;

	if (!expect_frame(s, &f, "control segment"))
		return;
	CHECK_EQ(f.flags, flags);
	CHECK_EQ(f.seq, seq);
	if (flags & DTC_TCP_ACK)
		CHECK_EQ(f.ack, ack);
	CHECK_EQ(f.payload_len, 0);
}

static inline void
scen_init(struct scen *s, struct h_ctx *h, uint8_t family, uint16_t cport)
{
	memset(s, 0, sizeof(*s));
	s->h = h;
	h_conn_init(&s->c, family, cport);
	h_key(h, &s->c, &s->k);
	s->srv = (uint32_t)dtc_rand();
	s->srv_nxt = s->srv + 1;
	s->clt_nxt = s->c.iss + 1;
	s->online_nxt = s->c.irs + 1;
	s->srv_ts = (uint32_t)dtc_rand();
	s->ts = s->c.tsval;
	s->srv_ws = 8;
	s->srv_win = 512;
}

/* Captured SYN -> route, SYN out; SYN-ACK in -> third ACK out; captured third ACK. */
static inline void
scen_open(struct scen *s)
{
	struct h_ctx *h = s->h;
	struct h_frame f;
	struct h_resp_opt o = { .wscale = s->srv_ws, .mss = 1460, .ts = true, .tsval = s->srv_ts };
	unsigned int nr = h->nroutes;

	h_clt_ts(h, &s->c, DTC_TCP_SYN, s->c.iss, 0, 0, s->ts);
	CHECK_EQ(h->nroutes, nr + 1);
	if (h->nroutes == nr + 1) {
		CHECK_EQ(h->routes[nr].op, DTC_V1_ROUTE_ADD);
		CHECK(memcmp(&h->routes[nr].k, &s->k, sizeof(s->k)) == 0);
	}
	if (expect_frame(s, &f, "SYN")) {
		CHECK_EQ(f.flags, DTC_TCP_SYN);
		CHECK_EQ(f.seq, s->c.iss);
		CHECK_EQ(f.mss, 1460);
		CHECK_EQ(f.wscale, s->c.wscale);
		CHECK(!f.sack_ok); /* never passed on: the copier sends no SACK blocks */
		CHECK(f.has_ts && f.tsval == s->ts && f.tsecr == 0);
		CHECK((f.family == 6 || f.df) && f.ttl == 64);
	}
	h_tick(h, 100);
	h_resp(h, &s->k, DTC_TCP_SYN | DTC_TCP_ACK, s->srv, s->c.iss + 1, 0, 65535, &o);
	if (expect_frame(s, &f, "third ACK")) {
		CHECK_EQ(f.flags, DTC_TCP_ACK);
		CHECK_EQ(f.seq, s->c.iss + 1);
		CHECK_EQ(f.ack, s->srv + 1);
		CHECK(f.has_ts && f.tsecr == s->srv_ts && f.tsval == s->ts);
		if (s->srv_ws >= 0 && s->c.wscale >= 0)
			CHECK_EQ(f.win, (1u << 20) >> s->c.wscale > 65535 ? 65535 :
				(1u << 20) >> s->c.wscale);
		else
			CHECK_EQ(f.win, 65535);
	}
	/* The client's own third ACK, as captured: absorbed. */
	h_clt_ts(h, &s->c, DTC_TCP_ACK, s->c.iss + 1, s->c.irs + 1, 0, s->ts);
	expect_none(s, "after the captured third ACK");
}

/* Captured client data of len bytes, with the ACK of the online server's position. */
static inline void
scen_send(struct scen *s, uint16_t len)
{
	s->ts++;
	h_clt_ts(s->h, &s->c, DTC_TCP_ACK | DTC_TCP_PSH, s->clt_nxt, s->online_nxt, len, s->ts);
	s->clt_nxt += len;
}

/* The test server acknowledges everything and answers with len bytes in segs segments. */
static inline void
scen_reply(struct scen *s, uint32_t ack, uint32_t len, unsigned int segs)
{
	struct h_resp_opt o = { .wscale = -1, .ts = true };
	unsigned int i;

	for (i = 0; i < segs; i++) {
		uint16_t l = (uint16_t)(len / segs + (i == segs - 1 ? len % segs : 0));

		o.tsval = ++s->srv_ts;
		h_resp(s->h, &s->k, DTC_TCP_ACK | (l ? DTC_TCP_PSH : 0), s->srv_nxt, ack, l,
			s->srv_win, &o);
		s->srv_nxt += l;
	}
}

/* The quiet time after test-server data that ends an answer, as the engine has it now. */
static inline uint32_t
resp_end_us(struct scen *s)
{
	struct dtc_sess_info i;

	if (dtc_sess_info(s->h->eng[0], &s->k, &i) != 0)
		return 0;
	return i.resp_end_us;
}

#endif /* DTC_SESS_SCEN_H */
