/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

#include <arpa/inet.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "harness.h"
#include "../common/dtc_test_eal.h"

bool h_rx_csum_default;

#define H_DATA_ROOM (4096 + RTE_PKTMBUF_HEADROOM)

static struct rte_mempool *h_mp;

void
h_eal(const char *name)
{
	h_eal_pool(name, 4096);
}

void
h_eal_pool(const char *name, unsigned int nb_mbuf)
{
	char tag[48];

	snprintf(tag, sizeof(tag), "sess-%s", name);
	h_rx_csum_default = getenv("DTC_TEST_RX_CSUM") != NULL &&
		strcmp(getenv("DTC_TEST_RX_CSUM"), "1") == 0;
	if (dtc_test_eal_init("test", tag, 256) < 0) {
		fprintf(stderr, "rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		exit(2);
	}
	/* No cache: the pool's free count is exact, so leaks show. */
	h_mp = rte_pktmbuf_pool_create("h_mp", nb_mbuf, 0, DTC_MBUF_PRIV_SIZE, H_DATA_ROOM,
		SOCKET_ID_ANY);
	if (h_mp == NULL) {
		fprintf(stderr, "mempool: %s\n", rte_strerror(rte_errno));
		exit(2);
	}
}

/* ---- independent frame reader ---- */

static uint32_t
sum16(const uint8_t *p, uint32_t len, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool
h_read_frame(const uint8_t *p, uint32_t len, struct h_frame *f)
{
	const uint8_t *ip = p + 14, *th;
	uint32_t iplen, l4len, hl, i, sum;
	uint16_t et;

	memset(f, 0, sizeof(*f));
	f->wscale = -1;
	if (len < 14 + 20)
		return false;
	memcpy(f->eth_dst, p, 6);
	memcpy(f->eth_src, p + 6, 6);
	et = rd16(p + 12);
	if (et == 0x0800) {
		if ((ip[0] >> 4) != 4 || (ip[0] & 15) != 5 || ip[9] != 6)
			return false;
		f->family = 4;
		iplen = rd16(ip + 2);
		if (iplen + 14 > len || iplen < 40)
			return false;
		f->ip_csum_ok = fold(sum16(ip, 20, 0)) == 0xffff;
		f->df = (ip[6] & 0x40) != 0;
		f->ttl = ip[8];
		memcpy(&f->src.a32[0], ip + 12, 4);
		memcpy(&f->dst.a32[0], ip + 16, 4);
		th = ip + 20;
		l4len = iplen - 20;
		sum = sum16(ip + 12, 8, 0) + 6 + l4len;
	} else if (et == 0x86dd) {
		if (len < 14 + 40 + 20 || (ip[0] >> 4) != 6 || ip[6] != 6)
			return false;
		f->family = 6;
		l4len = rd16(ip + 4);
		if (l4len + 40 + 14 > len || l4len < 20)
			return false;
		f->ip_csum_ok = true;
		f->ttl = ip[7];
		memcpy(f->src.a8, ip + 8, 16);
		memcpy(f->dst.a8, ip + 24, 16);
		th = ip + 40;
		sum = sum16(ip + 8, 32, 0) + 6 + l4len;
	} else {
		return false;
	}
	f->tcp_csum_ok = fold(sum16(th, l4len, sum)) == 0xffff;
	f->sport = rd16(th);
	f->dport = rd16(th + 2);
	f->seq = rd32(th + 4);
	f->ack = rd32(th + 8);
	hl = (uint32_t)(th[12] >> 4) * 4;
	if (hl < 20 || hl > l4len)
		return false;
	f->flags = th[13];
	f->win = rd16(th + 14);
	f->opt_len = (uint8_t)(hl - 20);
	for (i = 20; i < hl; ) {
		uint8_t k = th[i], ol;

		if (k == 0)
			break;
		if (k == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hl || (ol = th[i + 1]) < 2 || i + ol > hl)
			return false;
		if (k == 2 && ol == 4)
			f->mss = rd16(th + i + 2);
		else if (k == 3 && ol == 3)
			f->wscale = th[i + 2];
		else if (k == 4 && ol == 2)
			f->sack_ok = true;
		else if (k == 5)
			f->has_sack_blocks = true;
		else if (k == 8 && ol == 10) {
			f->has_ts = true;
			f->tsval = rd32(th + i + 2);
			f->tsecr = rd32(th + i + 6);
		}
		i += ol;
	}
	f->payload_len = (uint16_t)(l4len - hl);
	f->pat_ok = true;
	for (i = 0; i < f->payload_len; i++)
		if (th[hl + i] != h_pat(f->seq + i)) {
			f->pat_ok = false;
			break;
		}
	return true;
}

/* ---- callbacks ---- */

struct h_txarg {
	struct h_ctx *h;
	unsigned int eng;
};

static struct h_txarg h_txargs[H_MAX_ENG];

static uint16_t
h_tx(void *arg, struct rte_mbuf **pkts, uint16_t n)
{
	struct h_txarg *a = arg;
	struct h_ctx *h = a->h;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (h->sink != NULL) {
			h->sink(h->sink_arg, a->eng, m);
			continue;
		}
		if (h->nfr < H_MAX_FRAMES) {
			uint8_t buf[4200];
			const uint8_t *p = rte_pktmbuf_read(m, 0, RTE_MIN(m->pkt_len,
				(uint32_t)sizeof(buf)), buf);
			struct h_frame *f = &h->fr[h->nfr];

			if (p == NULL || !h_read_frame(p, m->pkt_len, f)) {
				CHECKF(false, "unreadable frame of %u bytes", m->pkt_len);
				memset(f, 0, sizeof(*f));
			}
			h->fr_eng[h->nfr] = a->eng;
			h->nfr++;
		}
		rte_pktmbuf_free(m);
	}
	return n;
}

static int
h_route_cb(void *arg, const struct dtc_flow_key *k, uint16_t op)
{
	struct h_ctx *h = arg;

	if (h->refuse_routes && op == DTC_V1_ROUTE_ADD)
		return -ENOBUFS;
	if (h->nroutes < H_MAX_ROUTES) {
		h->routes[h->nroutes].k = *k;
		h->routes[h->nroutes].op = op;
		h->routes[h->nroutes].t = h->now;
		h->nroutes++;
	}
	return 0;
}

/* ---- setup ---- */

static void
xfer_set(struct dtc_xfer *x, uint8_t fam, const char *online, const char *target)
{
	memset(x, 0, sizeof(*x));
	x->family = fam;
	dtc_addr_parse(online, &x->online_addr);
	dtc_addr_parse(target, &x->target_addr);
	x->online_port = htons(H_ONLINE_PORT);
	x->target_port = htons(H_TARGET_PORT);
	/* 02:00:00:00:00:02 */
	x->dst_mac = DTC_MAC_VALID | (0x02ull << 0) | (0x02ull << 40);
}

void
h_init(struct h_ctx *h)
{
	memset(h, 0, sizeof(*h));
	h->mp = h_mp;
	h->fr = calloc(H_MAX_FRAMES, sizeof(*h->fr));
	xfer_set(&h->xfer[0], 4, H_ONLINE4, H_TARGET4);
	xfer_set(&h->xfer[1], 6, H_ONLINE6, H_TARGET6);
	h->n_xfer = 2;
	dtc_sess_conf_defaults(&h->conf);
	h->conf.max_sessions = 1024;
	h->conf.max_seg_per_sess = 256;
	h->conf.max_seg_total = 8192;
	h->conf.mp = h_mp;
	h->conf.seed = 0x1234567;
	h->conf.src_mac.addr_bytes[0] = 0x02;
	h->conf.src_mac.addr_bytes[5] = 0x01;
	h->now = 1000000000; /* an arbitrary epoch */
	h->rx_csum_good = h_rx_csum_default;
}

void
h_start(struct h_ctx *h, unsigned int n_eng)
{
	unsigned int i;

	h->base_avail = rte_mempool_avail_count(h_mp);
	h->conf.xfer = h->xfer;
	h->conf.n_xfer = h->n_xfer;
	if (h->pool.total4 + h->pool.total6 != 0)
		h->conf.pool = &h->pool;
	h->conf.n_workers = (uint16_t)n_eng;
	h->conf.route = h_route_cb;
	h->conf.route_arg = h;
	h->conf.tx = h_tx;
	h->front = dtc_front_create(&h->conf);
	if (h->front == NULL) {
		fprintf(stderr, "dtc_front_create: %s\n", rte_strerror(rte_errno));
		exit(2);
	}
	for (i = 0; i < n_eng; i++) {
		struct dtc_sess_conf c = h->conf;

		h_txargs[i].h = h;
		h_txargs[i].eng = i;
		c.worker_id = (uint16_t)i;
		c.tx_arg = &h_txargs[i];
		h->eng[i] = dtc_sess_create(&c);
		if (h->eng[i] == NULL) {
			fprintf(stderr, "dtc_sess_create: %s\n", rte_strerror(rte_errno));
			exit(2);
		}
	}
	h->n_eng = n_eng;
}

void
h_flush(struct h_ctx *h)
{
	unsigned int i;

	for (i = 0; i < h->n_eng; i++)
		dtc_sess_flush(h->eng[i]);
}

void
h_fini(struct h_ctx *h)
{
	unsigned int i;

	for (i = 0; i < h->n_eng; i++) {
		dtc_sess_close_all(h->eng[i], h->now);
		CHECK_EQ(dtc_sess_walk(h->eng[i], NULL, NULL), 0);
		CHECK_EQ(dtc_sess_timer_count(h->eng[i]), 0);
	}
	h_check_accounting(h);
	for (i = 0; i < h->n_eng; i++) {
		dtc_sess_free(h->eng[i]);
		h->eng[i] = NULL;
	}
	dtc_front_free(h->front);
	h->front = NULL;
	CHECKF(rte_mempool_avail_count(h_mp) == h->base_avail, "%u mbufs not returned",
		h->base_avail - rte_mempool_avail_count(h_mp));
	free(h->fr);
	h->fr = NULL;
}

void
h_conn_init(struct h_conn *c, uint8_t family, uint16_t cport)
{
	memset(c, 0, sizeof(*c));
	c->family = family;
	dtc_addr_parse(family == 4 ? H_CLIENT4 : H_CLIENT6, &c->caddr);
	dtc_addr_parse(family == 4 ? H_ONLINE4 : H_ONLINE6, &c->saddr);
	c->cport = cport;
	c->sport = H_ONLINE_PORT;
	c->iss = (uint32_t)dtc_rand();
	c->irs = (uint32_t)dtc_rand();
	c->ts = true;
	c->tsval = (uint32_t)dtc_rand();
	c->wscale = 7;
}

void
h_key(const struct h_ctx *h, const struct h_conn *c, struct dtc_flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->family = c->family;
	k->client = c->caddr;
	k->client_port = htons(c->cport);
	dtc_addr_parse(c->family == 4 ? H_TARGET4 : H_TARGET6, &k->server);
	k->server_port = htons(H_TARGET_PORT);
	(void)h;
}

static void
h_dispatch(struct h_ctx *h, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t w = h->last_worker[i];

		CHECK(w < h->n_eng);
		dtc_sess_client_burst(h->eng[w < h->n_eng ? w : 0], &h->last_out[i], 1, h->now);
	}
	h_flush(h);
}

unsigned int
h_clt_ts(struct h_ctx *h, const struct h_conn *c, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len, uint32_t tsval)
{
	struct dtc_seg_spec sp;
	struct dtc_pkt_info pi;
	struct rte_mbuf *m;
	uint8_t pl[4096];
	unsigned int i, n;
	int rc;

	memset(&sp, 0, sizeof(sp));
	sp.family = c->family;
	sp.flags = flags;
	sp.wscale = DTC_WSCALE_NONE;
	sp.src = c->caddr;
	sp.dst = c->saddr;
	sp.sport = htons(c->cport);
	sp.dport = htons(c->sport);
	sp.seq = seq;
	sp.ack = ack;
	sp.win = 502;
	sp.ip_id = 77;
	if ((flags & (DTC_TCP_SYN | DTC_TCP_ACK)) == DTC_TCP_SYN) {
		sp.mss = 1460;
		sp.sack_ok = true;
		sp.win = 64240;
		if (c->wscale >= 0)
			sp.wscale = (uint8_t)c->wscale;
	}
	if (c->ts) {
		sp.ts = true;
		sp.tsval = tsval;
		sp.tsecr = (flags & DTC_TCP_ACK) ? 0x11111111 : 0;
	}
	if (len > sizeof(pl))
		len = sizeof(pl);
	for (i = 0; i < len; i++)
		pl[i] = h_pat(seq + i);
	sp.payload = pl;
	sp.payload_len = len;
	sp.eth_src.addr_bytes[0] = 0x0a;
	sp.eth_dst.addr_bytes[0] = 0x0b;
	m = dtc_build_tcp_mbuf(h_mp, &sp);
	if (m == NULL) {
		CHECKF(false, "%s", "cannot build a captured frame");
		return 0;
	}
	if (h->rx_csum_good)
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	rc = dtc_parse_mbuf(m, DTC_LINK_ETHER, &pi);
	CHECK_EQ(rc, 0);
	n = dtc_front_classify(h->front, m, &pi, h->now, h->last_out, h->last_worker);
	h->front_out = n;
	h_dispatch(h, n);
	return n;
}

unsigned int
h_clt(struct h_ctx *h, const struct h_conn *c, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len)
{
	return h_clt_ts(h, c, flags, seq, ack, len, c->tsval);
}

void
h_resp(struct h_ctx *h, const struct dtc_flow_key *k, uint8_t flags, uint32_t seq, uint32_t ack,
	uint16_t len, uint16_t win, const struct h_resp_opt *o)
{
	struct dtc_resp r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.key = *k;
	r.seq = seq;
	r.ack = ack;
	r.win = win;
	r.payload_len = len;
	r.flags = flags;
	r.wscale = DTC_WSCALE_NONE;
	if (o != NULL) {
		if (o->wscale >= 0)
			r.wscale = (uint8_t)o->wscale;
		r.mss = o->mss;
		if (o->ts) {
			r.opt |= DTC_RESP_TS;
			r.tsval = o->tsval;
		}
	}
	for (i = 0; i < h->n_eng; i++)
		if (dtc_sess_resp_owner(&r, h->conf.seed, (uint16_t)h->n_eng) == i)
			dtc_sess_resp_burst(h->eng[i], &r, 1, h->now);
	h_flush(h);
}

void
h_tick(struct h_ctx *h, uint64_t us)
{
	unsigned int i;

	h->now += us;
	for (i = 0; i < h->n_eng; i++)
		dtc_sess_timers(h->eng[i], h->now);
	h_flush(h);
}

bool
h_next(struct h_ctx *h, struct h_frame *f)
{
	if (h->rd >= h->nfr)
		return false;
	*f = h->fr[h->rd++];
	if (h->rd == h->nfr)
		h->rd = h->nfr = 0;
	return true;
}

unsigned int
h_pending(const struct h_ctx *h)
{
	return h->nfr - h->rd;
}

void
h_drain(struct h_ctx *h)
{
	h->rd = h->nfr = 0;
}

void
h_stats(const struct h_ctx *h, struct dtc_sess_stats *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < h->n_eng; i++) {
		struct dtc_sess_stats t;

		if (h->eng[i] == NULL)
			continue;
		dtc_sess_stats(h->eng[i], &t);
		dtc_sess_stats_add(s, &t);
	}
}

void
h_check_accounting(const struct h_ctx *h)
{
	struct dtc_sess_stats s;

	h_stats(h, &s);
	CHECKF(s.c[DTC_SESS_C_seg_in] == s.c[DTC_SESS_C_seg_queued] + s.c[DTC_SESS_C_seg_ctl] +
		h_drops(&s), "in %" PRIu64 " queued %" PRIu64 " ctl %" PRIu64 " drops %" PRIu64,
		s.c[DTC_SESS_C_seg_in], s.c[DTC_SESS_C_seg_queued], s.c[DTC_SESS_C_seg_ctl],
		h_drops(&s));
	CHECKF(s.c[DTC_SESS_C_sess_created] == h_ends(&s) + s.active, "created %" PRIu64
		" ended %" PRIu64 " active %" PRIu64, s.c[DTC_SESS_C_sess_created], h_ends(&s),
		s.active);
}
