/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Issue point 8 and the front: the -x and -c parsers, classification and normalization,
 * the client endpoint rewrite (pool, replicas, -f), -n through the engine, 4-tuple
 * collisions (avoided, never merged, across two workers), -r sampling determinism and -g.
 */

#include "scen.h"

static void
t_xfer_parse(void)
{
	struct dtc_xfer x[8];
	char err[160];
	int n;

	dtc_check_case = "xfer_parse";
	n = dtc_xfer_parse("80-198.18.1.56:8080", x, 8, err, sizeof(err));
	CHECK_EQ(n, 1);
	CHECK(x[0].any_online_addr && x[0].family == 4);
	CHECK_EQ(ntohs(x[0].online_port), 80);
	CHECK_EQ(ntohs(x[0].target_port), 8080);
	CHECK_EQ(ntohl(x[0].target_addr.a32[0]), 0xc6120138);
	CHECK(!(x[0].dst_mac & DTC_MAC_VALID));
	n = dtc_xfer_parse("198.18.0.40:80-198.18.1.56:80@02:aa:bb:cc:dd:0e,"
		"[2001:db8::40]:443-[2001:db8:1::56]:8443,"
		"81@00:11:22:33:44:55-198.18.1.57:81", x, 8, err, sizeof(err));
	CHECK_EQ(n, 3);
	CHECK(!x[0].any_online_addr && x[0].has_static_mac);
	CHECK_EQ(x[0].dst_mac, DTC_MAC_VALID | 0x0eddccbbaa02ull);
	CHECK_EQ(x[1].family, 6);
	CHECK_EQ(x[1].target_addr.a8[15], 0x56);
	CHECK_EQ(ntohs(x[1].online_port), 443);
	CHECK(x[2].any_online_addr && !x[2].has_static_mac);
	/* Errors quote what is wrong. */
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56:0", x, 8, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "80-198.18.1.56:0") != NULL);
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("80198.18.1.56:80", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("198.18.0.40:80-[2001:db8::1]:80", x, 8, err, sizeof(err)),
		-EINVAL);
	CHECK(strstr(err, "families") != NULL);
	CHECK_EQ(dtc_xfer_parse("2001:db8::40:80-[2001:db8::1]:80", x, 8, err, sizeof(err)),
		-EINVAL);
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56:65536", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56:080", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56:80@02:aa:bb:cc:dd", x, 8, err, sizeof(err)),
		-EINVAL);
	CHECK_EQ(dtc_xfer_parse("80-0.0.0.0:80", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("80-198.18.1.56:80,", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("", x, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_xfer_parse("1-1.1.1.1:1,2-1.1.1.1:2", x, 1, err, sizeof(err)), -EINVAL);
	/* Matching: exact address, any address, family, port. */
	n = dtc_xfer_parse("198.18.0.40:80-198.18.1.56:80,80-198.18.1.57:80", x, 8, err,
		sizeof(err));
	CHECK_EQ(n, 2);
	{
		union dtc_addr a;

		dtc_addr_parse("198.18.0.40", &a);
		CHECK_EQ(dtc_xfer_match(x, 2, 4, &a, htons(80)), 0);
		dtc_addr_parse("198.18.0.41", &a);
		CHECK_EQ(dtc_xfer_match(x, 2, 4, &a, htons(80)), 1);
		CHECK_EQ(dtc_xfer_match(x, 2, 4, &a, htons(81)), -1);
		dtc_addr_parse("2001:db8::40", &a);
		CHECK_EQ(dtc_xfer_match(x, 2, 6, &a, htons(80)), -1);
	}
}

static void
t_pool_parse(void)
{
	struct dtc_xfer x[2];
	struct dtc_pool p;
	char err[160];

	dtc_check_case = "pool_parse";
	CHECK_EQ(dtc_xfer_parse("80-198.18.2.7:80,[2001:db8::40]:80-[2001:db8:2::5]:80", x, 2,
		err, sizeof(err)), 2);
	CHECK_EQ(dtc_pool_parse("198.18.2.100", x, 2, &p, err, sizeof(err)), 0);
	CHECK_EQ(p.total4, 1);
	CHECK_EQ(dtc_pool_parse("198.18.2.x", x, 2, &p, err, sizeof(err)), 0);
	CHECK_EQ(p.total4, 253); /* .1 to .254 minus the target .7 */
	CHECK_EQ(dtc_pool_parse("198.18.4.0/24,198.18.5.0/31,198.18.6.9/32", x, 2, &p, err,
		sizeof(err)), 0);
	CHECK_EQ(p.total4, 254 + 2 + 1);
	CHECK_EQ(dtc_pool_parse("2001:db8:2::/120,2001:db8:3::1", x, 2, &p, err, sizeof(err)),
		0);
	CHECK_EQ(p.total6, 255 - 1 + 1); /* the zero host and the target ::5 left out */
	CHECK_EQ(p.total4, 0);
	CHECK_EQ(dtc_pool_parse("198.18.4.1/24", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "198.18.4.1/24") != NULL);
	CHECK_EQ(dtc_pool_parse("2001:db8::/64", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_pool_parse("198.18.2.7", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_pool_parse("*", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_pool_parse("224.0.0.1", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_pool_parse("198.18.4.0/33", x, 2, &p, err, sizeof(err)), -EINVAL);
	CHECK_EQ(dtc_pool_parse("1.2.3.4,,5.6.7.8", x, 2, &p, err, sizeof(err)), -EINVAL);
}

static struct rte_mbuf *
raw_frame(struct h_ctx *h, const struct h_conn *c, uint16_t dport, uint16_t len, bool pad)
{
	struct dtc_seg_spec sp;
	struct rte_mbuf *m;
	uint8_t pl[64] = { 0 };

	memset(&sp, 0, sizeof(sp));
	sp.family = c->family;
	sp.flags = DTC_TCP_ACK;
	sp.wscale = DTC_WSCALE_NONE;
	sp.src = c->caddr;
	sp.dst = c->saddr;
	sp.sport = htons(c->cport);
	sp.dport = htons(dport);
	sp.seq = 1000;
	sp.ack = 2000;
	sp.payload = pl;
	sp.payload_len = len;
	m = dtc_build_tcp_mbuf(h->mp, &sp);
	if (pad)
		memset(rte_pktmbuf_append(m, 12), 0xee, 12); /* Ethernet padding */
	return m;
}

static void
t_classify(void)
{
	struct h_ctx h;
	struct h_conn c;
	struct dtc_pkt_info pi;
	struct dtc_front_stats fs;
	struct rte_mbuf *m, *out[4];
	uint16_t w[4];
	struct dtc_seg *seg;

	dtc_check_case = "classify";
	h_init(&h);
	h_start(&h, 1);
	h_conn_init(&c, 4, 5555);
	m = raw_frame(&h, &c, 81, 5, false);
	dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi);
	CHECK_EQ(dtc_front_classify(h.front, m, &pi, h.now, out, w), 0);
	m = raw_frame(&h, &c, 80, 5, true);
	dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi);
	CHECK_EQ(dtc_front_classify(h.front, m, &pi, h.now, out, w), 1);
	seg = dtc_seg_of(out[0]);
	CHECK_EQ(rte_pktmbuf_pkt_len(out[0]), 20 + 5);
	CHECK_EQ(seg->tcp_hlen, 20);
	CHECK_EQ(seg->payload_len, 5);
	CHECK_EQ(seg->seq, 1000);
	CHECK_EQ(seg->ack, 2000);
	CHECK_EQ(seg->xfer, 0);
	CHECK_EQ(ntohs(seg->key.client_port), 5555);
	CHECK_EQ(ntohs(seg->key.server_port), H_TARGET_PORT);
	CHECK_EQ(seg->flow_hash, dtc_flow_hash(&seg->key, h.conf.seed));
	CHECK_EQ(seg->owner_hash, dtc_endpoint_hash(&seg->key.client, seg->key.client_port,
		h.conf.seed));
	CHECK(rte_pktmbuf_headroom(out[0]) >= 54);
	rte_pktmbuf_free(out[0]);
	dtc_front_stats(h.front, &fs);
	CHECK_EQ(fs.kept, 1);
	CHECK_EQ(fs.drop[DTC_SESS_DROP_not_client], 1);
	h_fini(&h);
}

/* The hashes the front composes in registers (seg_fill) are those of the key it stores:
 * IPv4 and IPv6, with and without a -c pool, every replica of -n 3. */
static void
t_hashes(void)
{
	static const char *const pools[2] = { NULL, "198.18.2.16/28,2001:db8:2::/120" };
	unsigned int pl, fam, j, r, n;
	char err[128];

	dtc_check_case = "hashes";
	for (pl = 0; pl < 2; pl++) {
		struct h_ctx h;

		h_init(&h);
		if (pools[pl] != NULL)
			CHECK_EQ(dtc_pool_parse(pools[pl], h.xfer, h.n_xfer, &h.pool, err,
				sizeof(err)), 0);
		h.conf.multiply = 3;
		h_start(&h, 1);
		for (fam = 4; fam <= 6; fam += 2) {
			for (j = 0; j < 20; j++) {
				struct dtc_pkt_info pi;
				struct rte_mbuf *m, *out[4];
				struct h_conn c;
				uint16_t w[4];

				h_conn_init(&c, (uint8_t)fam, (uint16_t)(30000 + j * 77));
				m = raw_frame(&h, &c, 80, 5, false);
				CHECK_EQ(dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi), 0);
				n = dtc_front_classify(h.front, m, &pi, h.now, out, w);
				CHECK_EQ(n, 3);
				for (r = 0; r < n; r++) {
					const struct dtc_seg *seg = dtc_seg_of(out[r]);
					struct dtc_flow_key o;

					memset(&o, 0, sizeof(o));
					o.client = pi.src;
					o.server = pi.dst;
					o.client_port = pi.sport;
					o.server_port = pi.dport;
					o.family = pi.family;
					o.pad[0] = seg->replica;
					CHECK_EQ(seg->key.family, fam);
					CHECK_EQ(seg->key.pad[0] | seg->key.pad[1] | seg->key.pad[2], 0);
					CHECK_EQ(seg->flow_hash, dtc_flow_hash(&seg->key, h.conf.seed));
					CHECK_EQ(seg->owner_hash, dtc_endpoint_hash(&seg->key.client,
						seg->key.client_port, h.conf.seed));
					CHECK_EQ(seg->origin, dtc_flow_hash(&o, h.conf.seed));
					if (pools[pl] != NULL && fam == 4)
						CHECK((ntohl(seg->key.client.a32[0]) & 0xfffffff0u) ==
							0xc6120210u);
					if (pools[pl] != NULL && fam == 6)
						CHECK(ntohl(seg->key.client.a32[1]) ==
							0x00020000u && seg->key.client.a32[2] == 0 &&
							ntohl(seg->key.client.a32[3]) < 256);
					rte_pktmbuf_free(out[r]);
				}
			}
		}
		h_fini(&h);
	}
}

/* The endpoint rewrite: pool address per original address (sticky, spread), replicas and
 * -f instances on distinct ports. */
static void
t_endpoint(void)
{
	struct h_ctx h;
	struct dtc_front *f2;
	struct dtc_sess_conf c2;
	union dtc_addr a, out, out2;
	rte_be16_t port, port2;
	char err[128];
	unsigned int i, r, hits[16] = { 0 };

	dtc_check_case = "endpoint";
	h_init(&h);
	CHECK_EQ(dtc_pool_parse("198.18.2.16/28", h.xfer, h.n_xfer, &h.pool, err, sizeof(err)),
		0);
	h.conf.multiply = 8;
	h_start(&h, 1);
	c2 = h.conf;
	c2.port_offset = 1;
	f2 = dtc_front_create(&c2);
	CHECK(f2 != NULL);
	for (i = 0; i < 2000; i++) {
		uint16_t ports[8];

		a.a64[0] = a.a64[1] = 0;
		a.a32[0] = htonl(0xc6120000u | i);
		for (r = 0; r < 8; r++) {
			unsigned int k;

			dtc_front_endpoint(h.front, 4, &a, htons(40000), r, &out, &port);
			CHECK((ntohl(out.a32[0]) & 0xfffffff0u) == 0xc6120210u);
			CHECK((ntohl(out.a32[0]) & 15) != 0 && (ntohl(out.a32[0]) & 15) != 15);
			if (r == 0) {
				CHECK_EQ(ntohs(port), 40000);
				hits[ntohl(out.a32[0]) & 15]++;
				/* Sticky: another port of the same client, the same address. */
				dtc_front_endpoint(h.front, 4, &a, htons(51111), 0, &out2, &port2);
				CHECK_EQ(out2.a32[0], out.a32[0]);
			}
			ports[r] = ntohs(port);
			CHECK(ports[r] >= 1024);
			for (k = 0; k < r; k++)
				CHECK(ports[k] != ports[r]);
			/* Instance -f 1: never the same port as instance -f 0 for this origin. */
			dtc_front_endpoint(f2, 4, &a, htons(40000), r, &out2, &port2);
			for (k = 0; k < 8; k++) {
				rte_be16_t p0;

				dtc_front_endpoint(h.front, 4, &a, htons(40000), k, &out, &p0);
				CHECK(p0 != port2);
			}
		}
	}
	/* Spread over the 14 pool addresses. */
	for (i = 1; i < 15; i++)
		CHECKF(hits[i] > 2000 / 14 / 2, "address .%u got %u", 16 + i, hits[i]);
	dtc_front_free(f2);
	h_fini(&h);
}

/* -n 3: three independent sessions with their own 4-tuples, routes and SYNs. */
static void
t_multiply(void)
{
	struct h_ctx h;
	struct h_conn c;
	struct dtc_sess_stats st;
	struct h_frame f[3];
	unsigned int i;

	dtc_check_case = "multiply";
	h_init(&h);
	h.conf.multiply = 3;
	h_start(&h, 1);
	h_conn_init(&c, 4, 40100);
	CHECK_EQ(h_clt(&h, &c, DTC_TCP_SYN, c.iss, 0, 0), 3);
	CHECK_EQ(h.nroutes, 3);
	for (i = 0; i < 3; i++) {
		CHECK(h_next(&h, &f[i]));
		CHECK_EQ(f[i].flags, DTC_TCP_SYN);
		CHECK_EQ(f[i].seq, c.iss);
		CHECK(memcmp(&h.routes[i].k.client_port, &f[i].sport, 0) == 0);
		CHECK_EQ(ntohs(h.routes[i].k.client_port), f[i].sport);
	}
	CHECK(f[0].sport != f[1].sport && f[1].sport != f[2].sport && f[0].sport != f[2].sport);
	h_stats(&h, &st);
	CHECK_EQ(st.active, 3);
	CHECK_EQ(st.c[DTC_SESS_C_sess_created], 3);
	/* Data reaches all three. */
	CHECK_EQ(h_clt(&h, &c, DTC_TCP_ACK, c.iss + 1, c.irs + 1, 10), 3);
	h_stats(&h, &st);
	CHECK_EQ(st.queued_segs, 3 + 3);
	h_fini(&h);
}

/* Two original clients whose rewritten 4-tuples coincide: the second gets another port
 * owned by the same worker, its later segments and the responses follow it, nothing is
 * merged; with two workers. */
static void
t_collision(void)
{
	struct h_ctx h;
	struct scen a, b;
	struct dtc_sess_stats st;
	struct h_frame f;
	struct dtc_sess_info info;
	char err[128];
	unsigned int eng_a, nroutes;
	struct h_resp_opt o = { .wscale = 7, .mss = 1460, .ts = true, .tsval = 3 };

	dtc_check_case = "collision";
	h_init(&h);
	CHECK_EQ(dtc_pool_parse("198.18.2.100", h.xfer, h.n_xfer, &h.pool, err, sizeof(err)), 0);
	h_start(&h, 2);
	scen_init(&a, &h, 4, 40200);
	scen_init(&b, &h, 4, 40200);
	dtc_addr_parse("198.18.9.9", &b.c.caddr); /* another client, same port */
	dtc_addr_parse("198.18.2.100", &a.k.client);
	b.k = a.k;
	scen_open(&a);
	eng_a = h.fr_eng[0];
	h_clt(&h, &b.c, DTC_TCP_SYN, b.c.iss, 0, 0);
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_sess_collisions], 1);
	CHECK_EQ(st.active, 2);
	CHECK_EQ(st.redirects, 1);
	nroutes = h.nroutes;
	CHECK(h_next(&h, &f));
	CHECK_EQ(f.flags, DTC_TCP_SYN);
	CHECK_EQ(f.seq, b.c.iss);
	CHECK(f.sport != ntohs(a.k.client_port));
	CHECK_EQ(h.routes[nroutes - 1].k.client_port, htons(f.sport));
	/* The alternate endpoint belongs to the same worker (its responses come back there). */
	b.k.client_port = htons(f.sport);
	CHECK_EQ(dtc_sess_resp_owner(&(struct dtc_resp){ .key = b.k }, h.conf.seed, 2), eng_a);
	CHECK_EQ(dtc_sess_info(h.eng[eng_a], &b.k, &info), 0);
	CHECK(info.redirected);
	/* b's handshake and data run on b's own tuple; a's data on a's. */
	h_resp(&h, &b.k, DTC_TCP_SYN | DTC_TCP_ACK, b.srv, b.c.iss + 1, 0, 65535, &o);
	expect_pure(&b, DTC_TCP_ACK, b.c.iss + 1, b.srv + 1);
	scen_send(&b, 30);
	expect_data(&b, b.c.iss + 1, 30, b.srv + 1);
	scen_send(&a, 40);
	expect_data(&a, a.c.iss + 1, 40, a.srv + 1);
	/* a ends and its entry is released; b's later segments still reach b's session. */
	h_clt(&h, &a.c, DTC_TCP_RST | DTC_TCP_ACK, a.clt_nxt, a.online_nxt, 0);
	scen_reply(&a, a.clt_nxt, 0, 1);
	h_tick(&h, 1600000); /* the RST goes after close_quiet_ms (1.5 s): nothing answered */
	h_drain(&h);
	h_tick(&h, 2500000);
	h_drain(&h);
	h_stats(&h, &st);
	CHECK_EQ(st.end[DTC_SESS_END_client_rst], 1);
	CHECK_EQ(st.lingering, 0);
	scen_reply(&b, b.clt_nxt, 0, 1);
	scen_send(&b, 20);
	expect_data(&b, b.c.iss + 31, 20, b.srv + 1);
	h_stats(&h, &st);
	CHECK_EQ(st.c[DTC_SESS_C_sess_created], 2);
	h_fini(&h);
}

/* -r: a deterministic share by the client endpoint; -g: the share ramps over 100 s. */
static void
t_sampling(void)
{
	struct h_ctx h, h2;
	struct h_conn c;
	struct dtc_front_stats fs;
	unsigned int i, kept = 0, again = 0;
	bool verdict[3000];

	dtc_check_case = "sampling";
	h_init(&h);
	h.conf.sample_pct = 30;
	h_start(&h, 1);
	h_init(&h2);
	h2.conf.sample_pct = 30;
	h_start(&h2, 1);
	h_conn_init(&c, 4, 0);
	for (i = 0; i < 3000; i++) {
		c.cport = (uint16_t)(20000 + i);
		c.caddr.a32[0] = htonl(0xc6120500u + i % 7);
		verdict[i] = h_clt(&h, &c, DTC_TCP_SYN, 1, 0, 0) != 0;
		kept += verdict[i];
		/* The same endpoint again, and in another front: the same verdict. */
		again += (h_clt(&h2, &c, DTC_TCP_SYN, 1, 0, 0) != 0) == verdict[i];
		again += (h_clt(&h, &c, DTC_TCP_ACK, 2, 5, 10) != 0) == verdict[i];
	}
	CHECK_EQ(again, 6000);
	CHECKF(kept > 3000 * 25 / 100 && kept < 3000 * 35 / 100, "kept %u of 3000", kept);
	dtc_front_stats(h.front, &fs);
	CHECK_EQ(fs.drop[DTC_SESS_DROP_sampled_out], 2 * (3000 - kept));
	h_drain(&h);
	/* Both contexts draw on one mempool: empty the second before the first is checked. */
	dtc_sess_close_all(h2.eng[0], h2.now);
	h_drain(&h2);
	h_fini(&h);
	h_fini(&h2);

	dtc_check_case = "gradual";
	h_init(&h);
	h.conf.gradual = true;
	h.conf.max_sessions = 4096;
	h_start(&h, 1);
	{
		unsigned int t, k;

		for (t = 0; t <= 100; t += 50) {
			kept = 0;
			for (k = 0; k < 1000; k++) {
				c.cport = (uint16_t)(10000 + k + t * 1000);
				kept += h_clt(&h, &c, DTC_TCP_ACK, 2, 5, 0) != 0;
			}
			if (t == 0)
				CHECKF(kept < 40, "t=0: kept %u of 1000", kept);
			else if (t == 50)
				CHECKF(kept > 430 && kept < 590, "t=50: kept %u of 1000", kept);
			else
				CHECK_EQ(kept, 1000);
			h_tick(&h, 50000000);
		}
	}
	h_drain(&h);
	h_fini(&h);
}

int
main(void)
{
	h_eal("front");
	t_xfer_parse();
	t_pool_parse();
	t_classify();
	t_hashes();
	t_endpoint();
	t_multiply();
	t_collision();
	t_sampling();
	return dtc_check_end("session_front");
}
