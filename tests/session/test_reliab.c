/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Scripted sessions, part 2 (issue point 5): retransmission on timeout with exponential
 * backoff and Karn's rule, fast retransmit on three duplicate ACKs, the test server's window
 * (limit, zero window, probes, update), client retransmissions and overlaps, a hole in the
 * capture filled late, and one never filled (lost_capture).  IPv4 and IPv6.
 */

#include "scen.h"

static uint64_t
stat(struct h_ctx *h, unsigned int c)
{
	struct dtc_sess_stats st;

	h_stats(h, &st);
	return st.c[c];
}

static void
t_rto(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint64_t rtt_samples;
	unsigned int i;
	uint32_t seq;

	dtc_check_case = fam == 4 ? "rto4" : "rto6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41000);
	scen_open(&s);
	seq = s.clt_nxt;
	scen_send(&s, 120);
	expect_data(&s, seq, 120, s.srv + 1);
	/* The SYN-ACK came 100 us after the SYN: RTO = its floor, 200 ms, then 400, 800. */
	for (i = 0; i < 3; i++) {
		uint64_t rto = 200000ull << i;

		h_tick(&h, rto - 1500);
		expect_none(&s, "before the RTO");
		h_tick(&h, 1500);
		expect_data(&s, seq, 120, s.srv + 1);
	}
	h_stats(&h, &st);
	rtt_samples = 0;
	for (i = 0; i < DTC_RTT_BUCKETS; i++)
		rtt_samples += st.rtt_hist[i];
	CHECK_EQ(st.c[DTC_SESS_C_seg_retrans], 3);
	/* The ACK of a retransmitted segment gives no RTT sample (Karn). */
	scen_reply(&s, s.clt_nxt, 0, 1);
	h_stats(&h, &st);
	for (i = 0; i < DTC_RTT_BUCKETS; i++)
		rtt_samples -= st.rtt_hist[i];
	CHECK_EQ(rtt_samples, 0);
	/* Backoff is reset by the new ACK: the next segment's RTO is 200 ms again, and its
	 * ACK is a sample. */
	seq = s.clt_nxt;
	scen_send(&s, 30);
	expect_data(&s, seq, 30, s.srv + 1);
	h_tick(&h, 198000);
	expect_none(&s, "second RTO early");
	h_tick(&h, 3000);
	expect_data(&s, seq, 30, s.srv + 1);
	h_fini(&h);
}

static void
t_fast_retrans(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	unsigned int i;
	uint32_t base;

	dtc_check_case = fam == 4 ? "fast_retrans4" : "fast_retrans6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41001);
	scen_open(&s);
	base = s.clt_nxt;
	for (i = 0; i < 4; i++)
		scen_send(&s, 100);
	for (i = 0; i < 4; i++)
		expect_data(&s, base + 100 * i, 100, s.srv + 1);
	scen_reply(&s, base + 100, 0, 1);
	scen_reply(&s, base + 100, 0, 1);
	scen_reply(&s, base + 100, 0, 1);
	expect_none(&s, "after two duplicate ACKs");
	scen_reply(&s, base + 100, 0, 1);
	expect_data(&s, base + 100, 100, s.srv + 1);
	scen_reply(&s, base + 100, 0, 1);
	expect_none(&s, "after a fourth duplicate ACK");
	CHECK_EQ(stat(&h, DTC_SESS_C_seg_fast_retrans), 1);
	/* A duplicate ACK carrying data is no duplicate ACK. */
	scen_reply(&s, base + 200, 0, 1);
	scen_reply(&s, base + 200, 10, 1);
	scen_reply(&s, base + 200, 10, 1);
	scen_reply(&s, base + 200, 10, 1);
	h_drain(&h);
	CHECK_EQ(stat(&h, DTC_SESS_C_seg_fast_retrans), 1);
	h_fini(&h);
}

/* The test server's window: a limit, then zero (probes with backoff), then an update. */
static void
t_window(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct h_resp_opt o = { .wscale = -1, .ts = true };
	struct h_frame f;
	uint32_t base;

	dtc_check_case = fam == 4 ? "window4" : "window6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41002);
	s.srv_ws = -1;      /* no scaling: windows are bytes */
	scen_open(&s);
	base = s.clt_nxt;
	/* Window 250: two 100-byte segments fit, the third waits. */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, base, 0, 250, &o);
	scen_send(&s, 100);
	scen_send(&s, 100);
	scen_send(&s, 100);
	expect_data(&s, base, 100, s.srv + 1);
	expect_data(&s, base + 100, 100, s.srv + 1);
	expect_none(&s, "beyond the window");
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, base + 100, 0, 250, &o);
	expect_data(&s, base + 200, 100, s.srv + 1);
	/* Everything acknowledged, window zero: data waits, probes go out. */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, base + 300, 0, 0, &o);
	scen_send(&s, 50);
	expect_none(&s, "with a zero window");
	h_tick(&h, 202000);
	if (expect_frame(&s, &f, "window probe")) {
		CHECK_EQ(f.flags, DTC_TCP_ACK);
		CHECK_EQ(f.seq, base + 299);
		CHECK_EQ(f.payload_len, 0);
	}
	h_tick(&h, 398000);
	expect_none(&s, "second probe early");
	h_tick(&h, 4000);
	if (expect_frame(&s, &f, "second window probe"))
		CHECK_EQ(f.seq, base + 299);
	CHECK_EQ(stat(&h, DTC_SESS_C_zwin_probes), 2);
	/* The window opens: the data goes. */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, s.srv_nxt, base + 300, 0, 1000, &o);
	expect_data(&s, base + 300, 50, s.srv + 1);
	expect_none(&s, "after the window opened");
	h_fini(&h);
}

/* Client retransmissions are not sent twice; overlaps are trimmed to the new bytes. */
static void
t_client_dup(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t base;

	dtc_check_case = fam == 4 ? "client_dup4" : "client_dup6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41003);
	scen_open(&s);
	base = s.clt_nxt;
	scen_send(&s, 100);
	expect_data(&s, base, 100, s.srv + 1);
	/* The same segment again (the online server did not ack it in time). */
	h_clt(&h, &s.c, DTC_TCP_ACK, base, s.online_nxt, 100);
	expect_none(&s, "for a client retransmission");
	/* Overlaps: [50,150) and [120,200) bring 50 and 50 new bytes. */
	h_clt(&h, &s.c, DTC_TCP_ACK, base + 50, s.online_nxt, 100);
	expect_data(&s, base + 100, 50, s.srv + 1);
	h_clt(&h, &s.c, DTC_TCP_ACK, base + 120, s.online_nxt, 80);
	expect_data(&s, base + 150, 50, s.srv + 1);
	/* Acknowledged and released: a late copy of old bytes is still a duplicate. */
	scen_reply(&s, base + 200, 0, 1);
	h_clt(&h, &s.c, DTC_TCP_ACK, base + 10, s.online_nxt, 60);
	expect_none(&s, "for acknowledged bytes");
	h_stats(&h, &st);
	CHECK_EQ(st.drop[DTC_SESS_DROP_duplicate], 2);
	CHECK_EQ(st.c[DTC_SESS_C_seg_trimmed], 2);
	CHECK_EQ(st.c[DTC_SESS_C_bytes_sent], 200);
	h_fini(&h);
}

/* A hole in the capture: later data waits, the late segment fills it, all goes in order;
 * reordered pieces with overlaps on both sides. */
static void
t_gap_filled(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t b;

	dtc_check_case = fam == 4 ? "gap_filled4" : "gap_filled6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41004);
	scen_open(&s);
	b = s.clt_nxt;
	h_clt(&h, &s.c, DTC_TCP_ACK, b, s.online_nxt, 100);
	expect_data(&s, b, 100, s.srv + 1);
	scen_reply(&s, b + 100, 0, 1);
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 300, s.online_nxt, 100);
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 200, s.online_nxt, 60);
	expect_none(&s, "beyond the hole");
	/* [150,260) overlaps the queued [200,260): trimmed at its end. */
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 150, s.online_nxt, 110);
	expect_none(&s, "with a hole at 100");
	/* [90,160): trimmed at both ends (what is queued stays as it is); fills [100,150). */
	h_tick(&h, 1000000);
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 90, s.online_nxt, 70);
	expect_data(&s, b + 100, 50, s.srv + 1);
	expect_data(&s, b + 150, 50, s.srv + 1);
	expect_data(&s, b + 200, 60, s.srv + 1);
	expect_none(&s, "with a hole at 260");
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 260, s.online_nxt, 40);
	expect_data(&s, b + 260, 40, s.srv + 1);
	expect_data(&s, b + 300, 100, s.srv + 1);
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_bytes_sent], 400);
	CHECK_EQ(st.end[DTC_SESS_END_lost_capture], 0);
	/* No hole left: the gap bound does not apply any more. */
	scen_reply(&s, b + 400, 0, 1);
	h_tick(&h, 5000000);
	h_stats(&h, &st);
	CHECK_EQ(st.active, 1);
	h_fini(&h);
}

static void
t_gap_lost(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t b;

	dtc_check_case = fam == 4 ? "gap_lost4" : "gap_lost6";
	h_init(&h);
	h.conf.gap_timeout_ms = 2000;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41005);
	scen_open(&s);
	b = s.clt_nxt;
	h_clt(&h, &s.c, DTC_TCP_ACK, b, s.online_nxt, 100);
	expect_data(&s, b, 100, s.srv + 1);
	scen_reply(&s, b + 100, 0, 1);
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 200, s.online_nxt, 100);
	h_tick(&h, 1999000);
	expect_none(&s, "before the gap bound");
	h_stats(&h, &st);
	CHECK_EQ(st.active, 1);
	h_tick(&h, 2000);
	expect_pure(&s, DTC_TCP_RST | DTC_TCP_ACK, b + 100, s.srv + 1);
	h_stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_lost_capture], 1);
	CHECK_EQ(st.active, 0);
	CHECK_EQ(st.queued_segs, 0);
	/* A late piece of the ended session is dropped as closed, not a new session. */
	h_clt(&h, &s.c, DTC_TCP_ACK, b + 100, s.online_nxt, 100);
	h_stats(&h, &st);
	CHECK_EQ(st.drop[DTC_SESS_DROP_closed], 1);
	CHECK_EQ(st.c[DTC_SESS_C_sess_created], 1);
	expect_none(&s, "for the ended session");
	h_fini(&h);
}

/* A lost test-server segment: data beyond it is not acknowledged, a duplicate ACK asks for
 * it; its retransmission is acknowledged. */
static void
t_server_loss(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct h_resp_opt o = { .wscale = -1, .ts = true };
	uint32_t lost;

	dtc_check_case = fam == 4 ? "server_loss4" : "server_loss6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41006);
	scen_open(&s);
	scen_send(&s, 50);
	h_drain(&h);
	lost = s.srv_nxt;
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, lost + 1000, s.clt_nxt, 1000, s.srv_win, &o);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt, lost);
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, lost, s.clt_nxt, 1000, s.srv_win, &o);
	h_tick(&h, 500);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt, lost + 1000);
	/* A repeat of data already acknowledged: acknowledged again at once. */
	h_resp(&h, &s.k, DTC_TCP_ACK, lost, s.clt_nxt, 1000, s.srv_win, &o);
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt, lost + 1000);
	h_fini(&h);
}

/* A test-server segment of a response is lost on its way to the intercept: the rest of the
 * response arrives, the next request is captured, and however long the retransmission takes,
 * the request waits until the hole is filled (the response has not ended). */
static void
t_server_loss_pacing(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct h_resp_opt o = { .wscale = -1, .ts = true };
	uint32_t req, lost;

	dtc_check_case = fam == 4 ? "server_loss_pacing4" : "server_loss_pacing6";
	h_init(&h);
	h.conf.max_lag_us = 0; /* the hole rule alone (catch-up would go ahead after 5 ms) */
	h_start(&h, 1);
	scen_init(&s, &h, fam, 41007);
	scen_open(&s);
	scen_send(&s, 50);
	h_drain(&h);
	s.online_nxt += 3000; /* the online server answered 3000 bytes */
	lost = s.srv_nxt;
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, lost + 1000, s.clt_nxt, 1000, s.srv_win, &o);
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK | DTC_TCP_PSH, lost + 2000, s.clt_nxt, 1000, s.srv_win, &o);
	h_drain(&h); /* duplicate ACKs */
	req = s.clt_nxt;
	scen_send(&s, 60); /* the next request: its ACK moved on */
	h_tick(&h, 300000);
	expect_none(&s, "a request while the response has a hole (300 ms on)");
	/* The retransmission of the lost segment: still a hole after it (the copier keeps no
	 * test-server data, so the segments beyond it come again too). */
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, lost, s.clt_nxt - 60, 1000, s.srv_win, &o);
	h_tick(&h, 500);
	expect_pure(&s, DTC_TCP_ACK, req, lost + 1000);
	h_tick(&h, 100000);
	expect_none(&s, "a request while part of the response is still missing");
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK, lost + 1000, s.clt_nxt - 60, 1000, s.srv_win, &o);
	o.tsval = ++s.srv_ts;
	h_resp(&h, &s.k, DTC_TCP_ACK | DTC_TCP_PSH, lost + 2000, s.clt_nxt - 60, 1000, s.srv_win,
		&o);
	h_tick(&h, 5000);
	/* The whole response acknowledged, one silence later: the request goes out. */
	expect_data(&s, req, 60, lost + 3000);
	h_fini(&h);
}

int
main(void)
{
	h_eal("reliab");
	t_rto(4);
	t_rto(6);
	t_fast_retrans(4);
	t_fast_retrans(6);
	t_window(4);
	t_window(6);
	t_client_dup(4);
	t_client_dup(6);
	t_gap_filled(4);
	t_gap_filled(6);
	t_gap_lost(4);
	t_gap_lost(6);
	t_server_loss(4);
	t_server_loss(6);
	t_server_loss_pacing(4);
	t_server_loss_pacing(6);
	return dtc_check_end("session_reliab");
}
