/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Scripted sessions, part 1: session start (captured and made-up SYN, -O, route first,
 * refused route, unknown MAC), handshake, translation (seq kept, ACK translated, timestamps,
 * window, addresses), pacing (continuations, new requests, pipelining, -W, server-first),
 * IPv4 and IPv6 alike.
 */

#include "scen.h"

static uint32_t
silence_us(struct scen *s)
{
	struct dtc_sess_info i;

	if (dtc_sess_info(s->h->eng[0], &s->k, &i) != 0)
		return 0;
	return i.silence_us;
}

/* 1, 2, 3: captured SYN, handshake, one request and its response, cumulative ACK. */
static void
t_handshake(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_info i;
	struct dtc_sess_stats st;
	struct h_frame f;
	uint32_t ack;

	dtc_check_case = fam == 4 ? "handshake4" : "handshake6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40000);
	scen_open(&s);
	CHECK_EQ(dtc_sess_info(h.eng[0], &s.k, &i), 0);
	CHECK_EQ(i.state, DTC_SESS_STATE_ESTABLISHED);
	CHECK_EQ(i.snd_wscale, 8);
	CHECK_EQ(i.rcv_wscale, 7);
	CHECK(i.ts);
	/* The client's RTT was 0 ticks here: the floor applies. */
	CHECK_EQ(i.silence_us, 208);

	/* A request: sent at once with the translated ACK, the window for scale 7. */
	scen_send(&s, 300);
	if (expect_frame(&s, &f, "request")) {
		CHECK_EQ(f.seq, s.c.iss + 1);
		CHECK_EQ(f.ack, s.srv + 1);
		CHECK_EQ(f.payload_len, 300);
		CHECK(f.pat_ok);
		CHECK_EQ(f.win, 8192);
		CHECK(f.has_ts && f.tsval == s.ts && f.tsecr == s.srv_ts);
	}
	/* The response: 2 segments; after a silence one cumulative ACK. */
	h_tick(&h, 50);
	scen_reply(&s, s.clt_nxt, 2000, 2);
	expect_none(&s, "during the response");
	h_tick(&h, 100);
	expect_none(&s, "before the silence");
	h_tick(&h, 300);
	ack = s.srv_nxt;
	expect_pure(&s, DTC_TCP_ACK, s.clt_nxt, ack);
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_sess_established], 1);
	CHECK_EQ(st.c[DTC_SESS_C_requests], 1);
	CHECK_EQ(st.c[DTC_SESS_C_bytes_sent], 300);
	CHECK_EQ(st.c[DTC_SESS_C_resp_bytes], 2000);
	CHECK_EQ(st.drop[DTC_SESS_DROP_pure_ack], 1);
	CHECK_EQ(st.active, 1);
	CHECK_EQ(st.rtt_hist[3], 1); /* SYN -> SYN-ACK took 100 us: bucket 64..127 us */
	h_fini(&h);
}

/* 1: data of a session whose SYN was missed: a SYN is made (seq - 1, MSS -D, no window scale,
 * window 65535, TS kept), route first; -O refuses. */
static void
t_missed_syn(uint8_t fam, bool full_only)
{
	struct h_ctx h;
	struct scen s;
	struct h_frame f;
	struct dtc_sess_stats st;
	struct h_resp_opt o = { .wscale = 7, .mss = 1400, .ts = true, .tsval = 99 };

	dtc_check_case = full_only ? "missed_syn_O" : (fam == 4 ? "missed_syn4" : "missed_syn6");
	h_init(&h);
	h.conf.mss = 1380;
	h.conf.full_sessions_only = full_only;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40001);
	scen_send(&s, 100);
	h_stats(&h, &st);
	if (full_only) {
		CHECK_EQ(st.drop[DTC_SESS_DROP_no_session], 1);
		CHECK_EQ(st.c[DTC_SESS_C_sess_created], 0);
		CHECK_EQ(h.nroutes, 0);
		expect_none(&s, "with -O");
		h_fini(&h);
		return;
	}
	CHECK_EQ(st.c[DTC_SESS_C_sess_syn_synth], 1);
	CHECK_EQ(h.nroutes, 1);
	if (expect_frame(&s, &f, "made-up SYN")) {
		CHECK_EQ(f.flags, DTC_TCP_SYN);
		CHECK_EQ(f.seq, s.c.iss);
		CHECK_EQ(f.mss, 1380);
		CHECK_EQ(f.wscale, -1);
		CHECK_EQ(f.win, 65535);
		CHECK(f.has_ts && f.tsval == s.ts);
	}
	expect_none(&s, "before the SYN-ACK");
	h_tick(&h, 1000);
	h_resp(&h, &s.k, DTC_TCP_SYN | DTC_TCP_ACK, s.srv, s.c.iss + 1, 0, 29200, &o);
	/* Third ACK, then the data: no window scale on either side. */
	expect_pure(&s, DTC_TCP_ACK, s.c.iss + 1, s.srv + 1);
	if (expect_frame(&s, &f, "queued data")) {
		CHECK_EQ(f.seq, s.c.iss + 1);
		CHECK_EQ(f.ack, s.srv + 1);
		CHECK_EQ(f.payload_len, 100);
		CHECK_EQ(f.win, 65535);
		CHECK(f.pat_ok);
		CHECK(f.has_ts && f.tsecr == 99);
	}
	/* The test server's RTT stands in for the client's: 1 ms. */
	CHECK_EQ(silence_us(&s), 1008);
	h_fini(&h);
}

/* The route goes before the SYN, and a refused route means no session and no SYN. */
static void
t_route(bool refuse)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;

	dtc_check_case = refuse ? "route_refused" : "route_order";
	h_init(&h);
	h_start(&h, 1);
	h.refuse_routes = refuse;
	scen_init(&s, &h, 4, 40002);
	h_clt(&h, &s.c, DTC_TCP_SYN, s.c.iss, 0, 0);
	h_stats(&h, &st);
	if (refuse) {
		CHECK_EQ(st.drop[DTC_SESS_DROP_no_route], 1);
		CHECK_EQ(st.c[DTC_SESS_C_sess_created], 0);
		CHECK_EQ(st.active, 0);
		expect_none(&s, "after a refused route");
		/* The client's next data may try again (made-up SYN), refused again. */
		scen_send(&s, 10);
		h_stats(&h, &st);
		CHECK_EQ(st.drop[DTC_SESS_DROP_no_route], 2);
		expect_none(&s, "after a second refused route");
	} else {
		CHECK_EQ(h.nroutes, 1);
		CHECK_EQ(h.routes[0].op, DTC_V1_ROUTE_ADD);
		CHECK_EQ(st.c[DTC_SESS_C_route_sent], 1);
		CHECK_EQ(h_pending(&h), 1);
	}
	h_fini(&h);
	if (!refuse) {
		/* Ending the session and its linger deletes the route. */
		CHECK_EQ(h.nroutes, 2);
		CHECK_EQ(h.routes[1].op, DTC_V1_ROUTE_DEL);
	}
}

/* Next hop unknown: nothing is sent (counted), the RTO sends once ARP has answered. */
static void
t_no_mac(void)
{
	struct h_ctx h;
	struct scen s;
	struct h_frame f;
	struct dtc_sess_stats st;

	dtc_check_case = "no_mac";
	h_init(&h);
	h.xfer[0].dst_mac = 0;
	h_start(&h, 1);
	scen_init(&s, &h, 4, 40003);
	h_clt(&h, &s.c, DTC_TCP_SYN, s.c.iss, 0, 0);
	expect_none(&s, "without a MAC");
	h_stats(&h, &st);
	CHECK_EQ(st.txf[DTC_SESS_TXF_no_mac], 1);
	__atomic_store_n(&h.xfer[0].dst_mac, DTC_MAC_VALID | 0x02ull | (0x02ull << 40),
		__ATOMIC_RELAXED);
	h_tick(&h, 199000);
	expect_none(&s, "before the first RTO (200 ms)");
	h_tick(&h, 2000);
	if (expect_frame(&s, &f, "SYN after ARP")) {
		CHECK_EQ(f.flags, DTC_TCP_SYN);
		CHECK_EQ(f.seq, s.c.iss);
	}
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_seg_retrans], 1);
	h_fini(&h);
}

/* 3: TSval stays monotonic (a captured segment with an older TSval is raised), TSecr follows
 * the test server, the ACK follows what it sent. */
static void
t_translation(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct h_frame f;
	uint32_t hi;

	dtc_check_case = fam == 4 ? "translation4" : "translation6";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40004);
	scen_open(&s);
	s.ts += 1000;
	hi = s.ts;
	h_clt_ts(&h, &s.c, DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 10, hi);
	s.clt_nxt += 10;
	expect_data(&s, s.clt_nxt - 10, 10, s.srv + 1);
	/* Reordered capture timestamps: this one is older. */
	h_clt_ts(&h, &s.c, DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 20, hi - 500);
	s.clt_nxt += 20;
	if (expect_frame(&s, &f, "older TSval")) {
		CHECK_EQ(f.tsval, hi);
		CHECK_EQ(f.tsecr, s.srv_ts);
		CHECK(f.pat_ok);
	}
	/* The test server sends data; our next segment acknowledges it and echoes its TSval. */
	scen_reply(&s, s.clt_nxt, 700, 1);
	h_clt_ts(&h, &s.c, DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 5, hi + 3);
	s.clt_nxt += 5;
	if (expect_frame(&s, &f, "after response data")) {
		CHECK_EQ(f.ack, s.srv_nxt);
		CHECK_EQ(f.tsecr, s.srv_ts);
		CHECK_EQ(f.tsval, hi + 3);
	}
	h_fini(&h);
}

/* 4: pacing over several requests: a new request waits for the end of the previous response
 * (all acked, data seen, then silence). */
static void
t_pacing(uint8_t fam, bool no_wait)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	int r;

	dtc_check_case = no_wait ? "pacing_W" : (fam == 4 ? "pacing4" : "pacing6");
	h_init(&h);
	h.conf.no_wait = no_wait;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40005);
	scen_open(&s);
	for (r = 0; r < 4; r++) {
		uint32_t req = s.clt_nxt;

		/* Request in two pieces with the same ACK: a continuation goes out at once. */
		scen_send(&s, 200);
		expect_data(&s, req, 200, s.srv_nxt);
		scen_send(&s, 100);
		expect_data(&s, req + 200, 100, s.srv_nxt);
		/* The online server answered 1500 bytes: the next request's ACK moves on. */
		s.online_nxt += 1500;
		h_tick(&h, 40);
		scen_reply(&s, s.clt_nxt, 0, 1); /* a pure ACK of the request */
		scen_send(&s, 50);
		if (no_wait) {
			expect_data(&s, req + 300, 50, s.srv_nxt);
			scen_reply(&s, s.clt_nxt, 1200, 1);
			h_tick(&h, 1000);
			h_drain(&h);
			s.online_nxt += 700;
			continue;
		}
		expect_none(&s, "new request before the response");
		h_tick(&h, 40);
		scen_reply(&s, s.clt_nxt - 50, 1200, 2);
		h_tick(&h, 64);
		expect_none(&s, "new request before the whole answer (1200 of 1500 bytes)");
		scen_reply(&s, s.clt_nxt - 50, 300, 1);
		/* As many bytes as the online server answered: released at once (no silence),
		 * carrying the ACK of the whole answer. */
		expect_data(&s, req + 300, 50, s.srv_nxt);
		expect_none(&s, "after the released request");
		/* Its own response; the next round's first piece has the same ACK as this one,
		 * so make it a new request by moving the online server on. */
		s.online_nxt += 700;
		scen_reply(&s, s.clt_nxt, 700, 1);
		h_tick(&h, 400);
		h_drain(&h);
	}
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_requests], 8);
	/* The first data is no "new request"; the other 7 waited for their answer. */
	CHECK_EQ(st.c[DTC_SESS_C_req_answer], no_wait ? 0 : 7);
	CHECK_EQ(st.c[DTC_SESS_C_req_silence], 0);
	CHECK_EQ(st.c[DTC_SESS_C_req_catchup], 0);
	CHECK(st.lag_max_us < 5000);
	h_fini(&h);
}

/* 4: the test server answers less than the online server (a different release): after the
 * silence that ends its answer, the next request goes (req_silence).  Bounded by the
 * catch-up: with no answer at all, the request goes max_lag_us after its capture. */
static void
t_pacing_short(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t req, q;

	dtc_check_case = fam == 4 ? "pacing_short4" : "pacing_short6";
	h_init(&h);
	h.conf.max_lag_us = 3000;
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40007);
	scen_open(&s);
	req = s.clt_nxt;
	scen_send(&s, 100);
	expect_data(&s, req, 100, s.srv_nxt);
	s.online_nxt += 1000;
	scen_send(&s, 40);
	expect_none(&s, "new request before any answer");
	scen_reply(&s, s.clt_nxt - 40, 400, 1); /* 400 of 1000 bytes, then nothing */
	q = resp_end_us(&s);
	CHECK(q >= 200 && q < 3000);
	h_tick(&h, q - 64);
	expect_only_acks(&s, "inside the silence after a short answer");
	h_tick(&h, 128);
	expect_data_after_acks(&s, req + 100, 40, s.srv_nxt);
	/* No answer at all to this one: the next waits for the catch-up bound. */
	s.online_nxt += 500;
	scen_send(&s, 30);
	h_tick(&h, 2900);
	expect_only_acks(&s, "before max_lag with no answer");
	h_tick(&h, 200);
	expect_data_after_acks(&s, req + 140, 30, s.srv_nxt);
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_req_silence], 1);
	CHECK_EQ(st.c[DTC_SESS_C_req_catchup], 1);
	CHECK(st.lag_max_us >= 3000 && st.lag_max_us < 4000);
	h_fini(&h);
}

/* 4: a session behind its test server: requests queued behind an answer that is late go out
 * in order once they have waited max_lag_us since their capture, and the answers that do come
 * are counted from where the answers due end (the one after them waits for its own). */
static void
t_catchup(void)
{
	struct h_ctx h;
	struct scen s;
	struct dtc_sess_stats st;
	uint32_t req;

	dtc_check_case = "catchup";
	h_init(&h);
	h_start(&h, 1); /* max_lag_us: the default, 5 ms */
	scen_init(&s, &h, 4, 40009);
	scen_open(&s);
	req = s.clt_nxt;
	scen_send(&s, 100);
	expect_data(&s, req, 100, s.srv_nxt);
	/* Three more requests, each after a 200-byte online answer, 1 ms apart. */
	s.online_nxt += 200;
	scen_send(&s, 10);
	h_tick(&h, 1000);
	s.online_nxt += 200;
	scen_send(&s, 10);
	h_tick(&h, 1000);
	s.online_nxt += 200;
	scen_send(&s, 10);
	expect_only_acks(&s, "queued behind the first answer");
	h_tick(&h, 3100); /* the first queued one was captured 5.1 ms ago */
	expect_data_after_acks(&s, req + 100, 10, s.srv_nxt);
	expect_none(&s, "the second is only 4.1 ms behind");
	h_tick(&h, 1000);
	expect_data_after_acks(&s, req + 110, 10, s.srv_nxt);
	/* The answers to the first two arrive (400 bytes, with the ACK of all we sent): the
	 * third is 5.1 ms behind anyway; then a fourth request waits for the third's answer. */
	scen_reply(&s, s.clt_nxt - 10, 400, 2);
	h_tick(&h, 1000);
	expect_data_after_acks(&s, req + 120, 10, s.srv_nxt);
	s.online_nxt += 200;
	scen_send(&s, 10);
	expect_none(&s, "the fourth, before any answer to the third");
	scen_reply(&s, s.clt_nxt - 10, 200, 1); /* the answer to the second */
	expect_only_acks(&s, "the fourth, before the third's answer");
	scen_reply(&s, s.clt_nxt - 10, 200, 1); /* the third's */
	expect_data_after_acks(&s, req + 130, 10, s.srv_nxt);
	/* A fifth goes ahead of the fourth's answer; then the client resets without reading
	 * (its RST acknowledges no more): the RST waits for the answers due, or the test server
	 * would drop the request it has not answered yet. */
	s.online_nxt += 200;
	scen_send(&s, 10);
	h_tick(&h, 5100);
	expect_data_after_acks(&s, req + 140, 10, s.srv_nxt);
	h_clt(&h, &s.c, DTC_TCP_RST | DTC_TCP_ACK, s.clt_nxt, s.online_nxt, 0);
	scen_reply(&s, s.clt_nxt, 0, 1); /* our data acknowledged, no answer yet */
	h_tick(&h, 1000);
	expect_only_acks(&s, "RST while the fourth's answer is due");
	scen_reply(&s, s.clt_nxt, 200, 1);
	h_tick(&h, 1000);
	expect_only_acks(&s, "RST while the fifth's answer is due");
	scen_reply(&s, s.clt_nxt, 200, 1);
	{
		struct h_frame f;

		do {
			if (!expect_frame(&s, &f, "RST"))
				break;
		} while (f.flags == DTC_TCP_ACK);
		CHECK_EQ(f.flags, DTC_TCP_RST | DTC_TCP_ACK);
		CHECK_EQ(f.seq, s.clt_nxt);
	}
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_req_catchup], 4);
	CHECK_EQ(st.c[DTC_SESS_C_req_answer], 1);
	CHECK_EQ(st.end[DTC_SESS_END_client_rst], 1);
	CHECK(st.lag_max_us >= 5000);
	h_fini(&h);
}

/* 4: pipelined requests (the client sent the second before any answer: same ACK) go out
 * together. */
static void
t_pipelined(void)
{
	struct h_ctx h;
	struct scen s;

	dtc_check_case = "pipelined";
	h_init(&h);
	h_start(&h, 1);
	scen_init(&s, &h, 4, 40006);
	scen_open(&s);
	scen_send(&s, 80);
	scen_send(&s, 90);
	scen_send(&s, 70);
	expect_data(&s, s.c.iss + 1, 80, s.srv + 1);
	expect_data(&s, s.c.iss + 81, 90, s.srv + 1);
	expect_data(&s, s.c.iss + 171, 70, s.srv + 1);
	expect_none(&s, "after the pipeline");
	h_fini(&h);
}

/* 4: a server-first protocol: the client's first data acknowledges a greeting, so it waits
 * for the test server's greeting and a silence. */
static void
t_greeting(uint8_t fam)
{
	struct h_ctx h;
	struct scen s;

	dtc_check_case = fam == 4 ? "greeting4" : "greeting6";
	h_init(&h);
	h.conf.rtt_us = 5000; /* -R 5 ms */
	h_start(&h, 1);
	scen_init(&s, &h, fam, 40007);
	scen_open(&s);
	CHECK_EQ(silence_us(&s), 5008);
	s.online_nxt += 80; /* the online server's greeting */
	scen_send(&s, 40);
	expect_none(&s, "before the greeting");
	h_tick(&h, 3000);
	scen_reply(&s, s.c.iss + 1, 64, 1);
	h_tick(&h, 4000);
	expect_none(&s, "inside the silence (-R)");
	h_tick(&h, 1100);
	expect_data(&s, s.c.iss + 1, 40, s.srv_nxt);
	h_fini(&h);
}

int
main(void)
{
	h_eal("basic");
	t_handshake(4);
	t_handshake(6);
	t_missed_syn(4, false);
	t_missed_syn(6, false);
	t_missed_syn(4, true);
	t_route(false);
	t_route(true);
	t_no_mac();
	t_translation(4);
	t_translation(6);
	t_pacing(4, false);
	t_pacing(6, false);
	t_pacing(4, true);
	t_pacing_short(4);
	t_pacing_short(6);
	t_catchup();
	t_pipelined();
	t_greeting(4);
	t_greeting(6);
	return dtc_check_end("session_basic");
}
