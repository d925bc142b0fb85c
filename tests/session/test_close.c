/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Scripted sessions, part 3 (issue points 6 and 7): FIN either side first, RST either side,
 * the early-RST rebuild, port reuse (closing and lingering sessions), every timeout, the
 * per-session and engine-wide buffer caps, oversize captures, table recycling, unmatched
 * responses.  IPv4 and IPv6.
 */

#include "scen.h"

static void
stats(struct h_ctx *h, struct dtc_sess_stats *st)
{
	h_stats(h, st);
}

/* One request/response, the response ended and acknowledged. */
static void
exchange(struct scen *s, uint16_t req, uint32_t resp)
{
	scen_send(s, req);
	h_drain(s->h);
	s->online_nxt += resp;
	scen_reply(s, s->clt_nxt, resp, 1);
	h_tick(s->h, 1000);
	h_drain(s->h);
}

static void
t_fin_client_first(uint8_t fam, bool early)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_resp_opt o = { .wscale = -1, .ts = true };

	dtc_check_case = early ? "fin_client_early" : (fam == 4 ? "fin_client4" : "fin_client6");
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42000);
	scen_open(&s);
	if (!early) {
		exchange(&s, 100, 500);
		h_clt(&h, &s.c, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
	} else {
		/* The client closes right after its request; its FIN acknowledges the online
		 * answer, so ours waits for the test server's answer to end. */
		scen_send(&s, 100);
		h_drain(&h);
		s.online_nxt += 500;
		h_clt(&h, &s.c, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
		expect_none(&s, "FIN before the response");
		expect_none(&s, "FIN before the response");
		scen_reply(&s, s.clt_nxt, 300, 1);
		expect_only_acks(&s, "FIN before the whole response (300 of 500 bytes)");
		/* The rest of the answer releases the FIN at once, with its ACK. */
		scen_reply(&s, s.clt_nxt, 200, 1);
	}
	expect_pure(&s, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt);
	/* The test server acknowledges our FIN, then sends its own. */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, s.clt_nxt + 1, 0, 512, &o);
	expect_none(&s, "after the ACK of our FIN");
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_FIN | DTC_TCP_ACK, s.srv_nxt, s.clt_nxt + 1, 0, 512, &o);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt + 1, s.srv_nxt + 1);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_fin], 1);
	CHECK_EQ(st.active, 0);
	CHECK_EQ(st.lingering, 1);
	/* Our last ACK was lost: the repeated FIN is acknowledged again. */
	h_resp(&h, &s.k, DTC_TCP_FIN | DTC_TCP_ACK, s.srv_nxt, s.clt_nxt + 1, 0, 512, &o);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt + 1, s.srv_nxt + 1);
	/* The client's last ACK, captured late. */
	h_clt(&h, &s.c, DTC_TCP_ACK, s.clt_nxt + 1, s.online_nxt + 1, 0);
	expect_none(&s, "for the client's last ACK");
	/* Linger over: the 4-tuple and its route are released. */
	h_tick(&h, 2100000);
	stats(&h, &st);
	CHECK_EQ(st.lingering, 0);
	CHECK_EQ(h.routes[h.nroutes - 1].op, DTC_V1_ROUTE_DEL);
	h_fini(&h);
}

/* A FIN that follows an answer the test server never gives: it goes after close_quiet_ms of
 * quiet from the test server (counted), so the session is not held until -t. */
static void
t_fin_quiet(void)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;

	dtc_check_case = "fin_quiet";
	h_init(&h);
	h.conf.close_quiet_ms = 50;
	h_start(&h, 1);
	scen_init(&s, &h, 4, 42003);
	scen_open(&s);
	scen_send(&s, 100);
	h_drain(&h);
	s.online_nxt += 500;
	h_clt(&h, &s.c, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
	scen_reply(&s, s.clt_nxt, 0, 1); /* the test server acknowledges the request only */
	h_tick(&h, 40000);
	expect_only_acks(&s, "FIN 40 ms into a 50 ms quiet");
	h_tick(&h, 12000);
	expect_pure(&s, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt);
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_close_quiet], 1);
	CHECK_EQ(st.c[DTC_SESS_C_close_answer], 0);
	h_fini(&h);
}

static void
t_fin_server_first(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_resp_opt o = { .wscale = -1, .ts = true };

	dtc_check_case = fam == 4 ? "fin_server4" : "fin_server6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42001);
	scen_open(&s);
	scen_send(&s, 100);
	h_drain(&h);
	s.online_nxt += 300;
	scen_reply(&s, s.clt_nxt, 300, 1);
	/* Its FIN right behind the data: acknowledged at once, data and FIN. */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_FIN | DTC_TCP_ACK, s.srv_nxt, s.clt_nxt, 0, 512, &o);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt, s.srv_nxt + 1);
	stats(&h, &st);
	CHECK_EQ(st.active, 1);
	/* The client closes too (after the online server's FIN: ACK + 1). */
	h_clt(&h, &s.c, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.online_nxt + 1, 0);
	h_tick(&h, resp_end_us(&s));
	expect_pure(&s, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt + 1);
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt + 1, s.clt_nxt + 1, 0, 512, &o);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_fin], 1);
	expect_none(&s, "after the close");
	h_fini(&h);
}

static void
t_rst_client(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t b;

	dtc_check_case = fam == 4 ? "rst_client4" : "rst_client6";
	h_init(&h);
	h.conf.close_quiet_ms = 200;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42002);
	scen_open(&s);
	/* Data not yet acknowledged when the RST is captured: the RST waits for it. */
	b = s.clt_nxt;
	scen_send(&s, 100);
	expect_data(&s, b, 100, s.srv + 1);
	h_clt(&h, &s.c, DTC_TCP_RST | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
	expect_none(&s, "RST before the ACK");
	scen_reply(&s, s.clt_nxt, 0, 1);
	/* The request is acknowledged but not answered: a RST now would abort the test
	 * server's work on it (the online server had it); it goes when the answer starts, or
	 * after close_quiet_ms (200 ms here) without a test-server packet. */
	h_tick(&h, 150000);
	expect_none(&s, "RST before the answer starts");
	h_tick(&h, 60000);
	expect_pure(&s, DTC_TCP_RST | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt);
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_close_quiet], 1);
	CHECK_EQ(st.end[DTC_SESS_END_client_rst], 1);
	CHECK_EQ(st.c[DTC_SESS_C_seg_ctl], 1);
	h_fini(&h);
}

static void
t_rst_server(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;

	dtc_check_case = fam == 4 ? "rst_server4" : "rst_server6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42003);
	scen_open(&s);
	exchange(&s, 100, 200);
	/* Out of window: ignored. */
	h_resp(&h, &s.k, DTC_TCP_RST, s.srv_nxt + 5000000, 0, 0, 0, NULL);
	stats(&h, &st);
	CHECK_EQ(st.active, 1);
	CHECK_EQ(st.c[DTC_SESS_C_resp_ignored], 1);
	h_resp(&h, &s.k, DTC_TCP_RST, s.srv_nxt, 0, 0, 0, NULL);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_server_rst], 1);
	CHECK_EQ(st.c[DTC_SESS_C_sess_rebuilt], 0);
	expect_none(&s, "after the test server's RST");
	h_fini(&h);
}

/* A RST while captured data is pending: a new SYN just before it (route again), then the
 * data over the new connection; a second RST ends it. */
static void
t_rebuild(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_frame f;
	struct h_resp_opt o = { .wscale = 5, .mss = 1400, .ts = true, .tsval = 5 };
	uint32_t b, srv2 = 77777;
	unsigned int nr;

	dtc_check_case = fam == 4 ? "rebuild4" : "rebuild6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42004);
	scen_open(&s);
	exchange(&s, 100, 200);
	b = s.clt_nxt;
	scen_send(&s, 100);
	scen_send(&s, 50);
	h_drain(&h);
	nr = h.nroutes;
	h_resp(&h, &s.k, DTC_TCP_RST | DTC_TCP_ACK, s.srv_nxt, b, 0, 0, NULL);
	CHECK_EQ(h.nroutes, nr + 1);
	CHECK_EQ(h.routes[nr].op, DTC_V1_ROUTE_ADD);
	if (expect_frame(&s, &f, "rebuilt SYN")) {
		CHECK_EQ(f.flags, DTC_TCP_SYN);
		CHECK_EQ(f.seq, b - 1);
		CHECK_EQ(f.wscale, -1);
		CHECK(f.has_ts);
	}
	h_tick(&h, 200);
	h_resp(&h, &s.k, DTC_TCP_SYN | DTC_TCP_ACK, srv2, b, 0, 65535, &o);
	expect_pure(&s, DTC_TCP_ACK, b, srv2 + 1);
	expect_data(&s, b, 100, srv2 + 1);
	expect_data(&s, b + 100, 50, srv2 + 1);
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_sess_rebuilt], 1);
	CHECK_EQ(st.c[DTC_SESS_C_sess_established], 2);
	/* Rebuilt once only. */
	h_resp(&h, &s.k, DTC_TCP_RST, srv2 + 1, 0, 0, 0, NULL);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_server_rst], 1);
	expect_none(&s, "after the second RST");
	h_fini(&h);
}

/* Port reuse: a new SYN on a 4-tuple whose session is closing ends it (RST) and starts the
 * new one; on a lingering one it just starts.  The new session loses nothing. */
static void
t_port_reuse(uint8_t fam, bool dead)
{
	struct h_ctx h;
	struct scen s, s2;
	struct dtc_sess_stats st;
	struct h_frame f;
	uint32_t old_nxt;

	dtc_check_case = dead ? "port_reuse_linger" : (fam == 4 ? "port_reuse4" : "port_reuse6");
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42005);
	scen_open(&s);
	exchange(&s, 100, 200);
	h_clt(&h, &s.c, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
	expect_pure(&s, DTC_TCP_FIN | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt);
	old_nxt = s.clt_nxt + 1;
	if (dead) {
		struct h_resp_opt o = { .wscale = -1, .ts = true, .tsval = ++s.srv_ts };

		h_resp(&h, &s.k, DTC_TCP_FIN | DTC_TCP_ACK, s.srv_nxt, old_nxt, 0, 512, &o);
		h_drain(&h);
		stats(&h, &st);
		CHECK_EQ(st.end[DTC_SESS_END_fin], 1);
	}
	/* The same client port, a new connection. */
	s2 = s;
	s2.c.iss = s.c.iss + 1000000;
	s2.c.irs = (uint32_t)dtc_rand();
	s2.clt_nxt = s2.c.iss + 1;
	s2.online_nxt = s2.c.irs + 1;
	s2.srv = (uint32_t)dtc_rand();
	s2.srv_nxt = s2.srv + 1;
	s2.ts = s.ts + 10;
	h_clt_ts(&h, &s2.c, DTC_TCP_SYN, s2.c.iss, 0, 0, s2.ts);
	if (!dead) {
		expect_pure(&s, DTC_TCP_RST | DTC_TCP_ACK, old_nxt, s.srv_nxt);
		stats(&h, &st);
		CHECK_EQ(st.end[DTC_SESS_END_port_reuse], 1);
	}
	if (expect_frame(&s2, &f, "new SYN")) {
		CHECK_EQ(f.flags, DTC_TCP_SYN);
		CHECK_EQ(f.seq, s2.c.iss);
	}
	/* Its data, captured before its SYN-ACK, is kept and sent after it. */
	scen_send(&s2, 70);
	expect_none(&s2, "data before the SYN-ACK");
	{
		struct h_resp_opt o = { .wscale = 8, .mss = 1460, .ts = true, .tsval = 9 };

		h_resp(&h, &s2.k, DTC_TCP_SYN | DTC_TCP_ACK, s2.srv, s2.c.iss + 1, 0, 65535, &o);
	}
	expect_pure(&s2, DTC_TCP_ACK, s2.c.iss + 1, s2.srv + 1);
	expect_data(&s2, s2.c.iss + 1, 70, s2.srv + 1);
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_sess_created], 2);
	CHECK_EQ(st.active, 1);
	h_fini(&h);
}

static void
t_syn_timeout(uint8_t fam, uint64_t epoch_us)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_frame f;

	dtc_check_case = epoch_us != 0 ? "syn_timeout_tsc_epoch" : fam == 4 ? "syn_timeout4" :
		"syn_timeout6";
	h_init(&h);
	/* Any epoch works: e.g. a TSC-derived clock far beyond 2^31 wheel ticks. */
	if (epoch_us != 0)
		h.now = epoch_us;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42006);
	h_clt(&h, &s.c, DTC_TCP_SYN, s.c.iss, 0, 0);
	if (expect_frame(&s, &f, "SYN"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	/* Retransmitted at 200 ms, 600 ms, 1.4 s, 3 s, 6.2 s (initial RTO: the 200 ms floor,
	 * doubling), over the 10 s bound: a busy test server gets time. */
	h_tick(&h, 201000);
	if (expect_frame(&s, &f, "SYN again at 200 ms"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	h_tick(&h, 400000);
	if (expect_frame(&s, &f, "SYN again at 600 ms"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	h_tick(&h, 800000);
	if (expect_frame(&s, &f, "SYN again at 1.4 s"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	h_tick(&h, 1600000);
	if (expect_frame(&s, &f, "SYN again at 3 s"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	h_tick(&h, 3200000);
	if (expect_frame(&s, &f, "SYN again at 6.2 s"))
		CHECK_EQ(f.flags, DTC_TCP_SYN);
	h_tick(&h, 3700000);
	expect_none(&s, "before 10 s");
	h_tick(&h, 101000);
	expect_pure(&s, DTC_TCP_RST, s.c.iss + 1, 0);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_syn_timeout], 1);
	CHECK_EQ(st.active, 0);
	h_fini(&h);
}

/* -t: data pending and no response for t seconds. */
static void
t_resp_timeout(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_frame f;
	unsigned int n;

	dtc_check_case = fam == 4 ? "resp_timeout4" : "resp_timeout6";
	h_init(&h);
	h.conf.session_timeout_ms = 2000;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42007);
	scen_open(&s);
	scen_send(&s, 100);
	h_tick(&h, 1990000);
	stats(&h, &st);
	CHECK_EQ(st.active, 1);
	h_drain(&h);
	h_tick(&h, 20000);
	n = 0;
	while (h_next(&h, &f))
		if (f.flags & DTC_TCP_RST)
			n++;
	CHECK_EQ(n, 1);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_resp_timeout], 1);
	h_fini(&h);
}

/* -k: nothing pending, no test-server packet for k seconds. */
static void
t_idle_timeout(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;

	dtc_check_case = fam == 4 ? "idle_timeout4" : "idle_timeout6";
	h_init(&h);
	h.conf.session_timeout_ms = 1000;
	h.conf.keepalive_timeout_ms = 3000;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42008);
	scen_open(&s);
	exchange(&s, 100, 100);
	h_tick(&h, 2900000);
	stats(&h, &st);
	CHECK_EQ(st.active, 1);
	h_tick(&h, 200000);
	expect_pure(&s, DTC_TCP_RST | DTC_TCP_ACK, s.clt_nxt, s.srv_nxt);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_idle_timeout], 1);
	h_fini(&h);
}

static void
t_buf_cap(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_resp_opt o = { .wscale = -1, .ts = true, .tsval = 1 };
	unsigned int i;

	dtc_check_case = fam == 4 ? "buf_cap4" : "buf_cap6";
	h_init(&h);
	h.conf.max_seg_per_sess = 8;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42009);
	scen_open(&s);
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, s.clt_nxt, 0, 0, &o);
	for (i = 0; i < 8; i++)
		scen_send(&s, 10);
	stats(&h, &st);
	CHECK_EQ(st.queued_segs, 8);
	CHECK_EQ(st.active, 1);
	scen_send(&s, 10);
	expect_pure(&s, DTC_TCP_RST | DTC_TCP_ACK, s.c.iss + 1, s.srv_nxt);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_buf_cap], 1);
	CHECK_EQ(st.drop[DTC_SESS_DROP_session_full], 1);
	CHECK_EQ(st.queued_segs, 0);
	h_fini(&h);
}

static void
t_engine_cap(void)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_resp_opt o = { .wscale = -1, .ts = true, .tsval = 1 };
	unsigned int i;

	dtc_check_case = "engine_cap";
	h_init(&h);
	h.conf.max_seg_total = 5;
	h_start(&h, 1);
	scen_init(&s, &h, 4, 42010);
	scen_open(&s);
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, s.clt_nxt, 0, 0, &o);
	for (i = 0; i < 7; i++)
		scen_send(&s, 10);
	stats(&h, &st);
	CHECK_EQ(st.queued_segs, 5);
	CHECK_EQ(st.drop[DTC_SESS_DROP_engine_full], 2);
	CHECK_EQ(st.active, 1);
	h_fini(&h);
}

/* GRO/TSO captures bigger than -M are cut into pieces that fit. */
static void
t_oversize(uint8_t fam, uint16_t mtu)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t b, off;
	uint16_t max;

	dtc_check_case = fam == 4 ? "oversize4" : "oversize6";
	h_init(&h);
	h.conf.mtu = mtu;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42011);
	s.srv_win = 20000;
	scen_open(&s);
	scen_reply(&s, s.clt_nxt, 0, 1); /* open the window wide */
	b = s.clt_nxt;
	scen_send(&s, 4000);
	max = (uint16_t)(mtu - (fam == 4 ? 20 : 40) - 32); /* TS option: 32-byte header */
	for (off = 0; off < 4000; off += max)
		expect_data(&s, b + off, (uint16_t)RTE_MIN((uint32_t)max, 4000 - off), s.srv_nxt);
	expect_none(&s, "after the pieces");
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_seg_split], (4000 + max - 1) / max - 1);
	CHECK_EQ(st.c[DTC_SESS_C_seg_queued], 2); /* the SYN and the capture */
	h_fini(&h);
}

/* Table full: a lingering session is reused first, then the least recently used live one
 * idle for recycle_idle_ms; else the new one is refused. */
static void
t_recycle(void)
{
	struct h_ctx h;
	struct scen s[6];
	struct dtc_sess_stats st;
	unsigned int i;

	dtc_check_case = "recycle";
	h_init(&h);
	h.conf.max_sessions = 4;
	h.conf.syn_timeout_ms = 60000;
	h_start(&h, 1);
	for (i = 0; i < 6; i++)
		scen_init(&s[i], &h, 4, (uint16_t)(43000 + i));
	for (i = 0; i < 4; i++)
		h_clt(&h, &s[i].c, DTC_TCP_SYN, s[i].c.iss, 0, 0);
	h_drain(&h);
	h_tick(&h, 100000);
	h_clt(&h, &s[4].c, DTC_TCP_SYN, s[4].c.iss, 0, 0);
	stats(&h, &st);
	CHECK_EQ(st.drop[DTC_SESS_DROP_table_full], 1);
	expect_none(&s[4], "with a full table");
	h_tick(&h, 2500000);
	h_drain(&h);
	h_clt(&h, &s[4].c, DTC_TCP_SYN, s[4].c.iss, 0, 0);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_recycled], 1);
	CHECK_EQ(st.active, 4);
	expect_pure(&s[0], DTC_TCP_RST, s[0].c.iss + 1, 0); /* the oldest went */
	h_drain(&h);
	CHECK_EQ(dtc_sess_info(h.eng[0], &s[0].k, &(struct dtc_sess_info){0}), -ENOENT);
	/* A client RST ends s[1] (nothing pending: at once); its entry is reused silently. */
	h_clt(&h, &s[1].c, DTC_TCP_RST, s[1].c.iss + 1, 0, 0);
	expect_pure(&s[1], DTC_TCP_RST, s[1].c.iss + 1, 0);
	stats(&h, &st);
	CHECK_EQ(st.lingering, 1);
	h_clt(&h, &s[5].c, DTC_TCP_SYN, s[5].c.iss, 0, 0);
	stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_recycled], 1);
	CHECK_EQ(st.lingering, 0);
	CHECK_EQ(st.active, 4);
	h_fini(&h);
}

/* Records without a session: RST (seq = their ACK); RSTs are not answered. */
static void
t_unmatched(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	struct h_frame f;

	dtc_check_case = fam == 4 ? "unmatched4" : "unmatched6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 42012);
	h_resp(&h, &s.k, DTC_TCP_ACK | DTC_TCP_PSH, 1000, 2000, 10, 512, NULL);
	if (expect_frame(&s, &f, "RST for a stray segment")) {
		CHECK_EQ(f.flags, DTC_TCP_RST);
		CHECK_EQ(f.seq, 2000);
	}
	h_resp(&h, &s.k, DTC_TCP_SYN, 1000, 0, 0, 512, NULL);
	if (expect_frame(&s, &f, "RST for a stray SYN")) {
		CHECK_EQ(f.flags, DTC_TCP_RST | DTC_TCP_ACK);
		CHECK_EQ(f.ack, 1001);
	}
	h_resp(&h, &s.k, DTC_TCP_RST, 1000, 0, 0, 0, NULL);
	expect_none(&s, "for a stray RST");
	stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_resp_unmatched], 3);
	CHECK_EQ(st.c[DTC_SESS_C_resp_rst_sent], 2);
	h_fini(&h);
}

int
main(void)
{
	h_eal("close");
	t_fin_client_first(4, false);
	t_fin_client_first(6, false);
	t_fin_client_first(4, true);
	t_fin_quiet();
	t_fin_server_first(4);
	t_fin_server_first(6);
	t_rst_client(4);
	t_rst_client(6);
	t_rst_server(4);
	t_rst_server(6);
	t_rebuild(4);
	t_rebuild(6);
	t_port_reuse(4, false);
	t_port_reuse(6, false);
	t_port_reuse(4, true);
	t_syn_timeout(4, 0);
	t_syn_timeout(6, 0);
	t_syn_timeout(4, 0xb000000000ull); /* ~8.8 days of uptime: tick 2^34 + ... */
	t_resp_timeout(4);
	t_resp_timeout(6);
	t_idle_timeout(4);
	t_idle_timeout(6);
	t_buf_cap(4);
	t_buf_cap(6);
	t_engine_cap();
	t_oversize(4, 1500);
	t_oversize(6, 1500);
	t_oversize(4, 1000);
	t_recycle();
	t_unmatched(4);
	t_unmatched(6);
	return dtc_check_end("session_close");
}
