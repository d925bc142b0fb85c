/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The front: stateless classification of captured frames on an RX lcore.
 *
 * The rewritten client endpoint of a replica is a pure function of (original client address,
 * original client port, replica, -f, seed): the address is drawn from the -c pool by a hash of
 * the original address and the replica (so a client keeps one fake address, and replicas
 * spread over the pool), the port is shifted by a bijection of (replica, -f) over the
 * 64512 ports from 1024 up (replica 0 without -f keeps its port).  So any RX lcore computes
 * the same endpoint, and the owning worker, without shared state.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "sess_tcp.h"

#define PORT_SPACE 64512u
#define PORT_MULT 4099u /* coprime with 64512 = 2^10 * 63: (replica, -f) -> shift is 1:1 */

struct dtc_front {
	struct dtc_sess_conf c;
	struct dtc_pool pool;
	uint64_t cum4[DTC_POOL_RANGES_MAX]; /* cumulative counts: end of range i */
	uint64_t cum6[DTC_POOL_RANGES_MAX];
	bool have_pool;
	/* -g ramp */
	bool started;
	uint8_t pct;
	uint64_t next_step_us;
	struct dtc_front_stats st;
};

struct dtc_front *
dtc_front_create(const struct dtc_sess_conf *c)
{
	struct dtc_front *f;
	unsigned int i;

	if (c == NULL || c->xfer == NULL || c->n_xfer == 0 || c->n_workers == 0 ||
			c->multiply == 0 || c->multiply > 1024 || c->port_offset > 62 ||
			(c->multiply > 1 && c->mp == NULL) || c->sample_pct > 100) {
		rte_errno = EINVAL;
		return NULL;
	}
	f = rte_zmalloc_socket("dtc_front", sizeof(*f), RTE_CACHE_LINE_SIZE, c->socket_id);
	if (f == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	f->c = *c;
	if (c->pool != NULL) {
		f->pool = *c->pool;
		f->have_pool = f->pool.total4 + f->pool.total6 != 0;
	}
	for (i = 0; i < f->pool.n4; i++)
		f->cum4[i] = (i > 0 ? f->cum4[i - 1] : 0) + f->pool.r4[i].count;
	for (i = 0; i < f->pool.n6; i++)
		f->cum6[i] = (i > 0 ? f->cum6[i - 1] : 0) + f->pool.r6[i].count;
	return f;
}

void
dtc_front_free(struct dtc_front *f)
{
	rte_free(f);
}

void
dtc_front_stats(const struct dtc_front *f, struct dtc_front_stats *s)
{
	*s = f->st;
}

/* Pool address number i (0 <= i < total) of a family, as its two 64-bit words (composed in
 * registers: the caller hashes them before storing them). */
static void
pool_addr_w(const struct dtc_front *f, uint8_t fam, uint64_t i, uint64_t *w0, uint64_t *w1)
{
	const struct dtc_pool_range *r = fam == 4 ? f->pool.r4 : f->pool.r6;
	const uint64_t *cum = fam == 4 ? f->cum4 : f->cum6;
	unsigned int n = fam == 4 ? f->pool.n4 : f->pool.n6, lo = 0, hi = n - 1;
	uint64_t off, b0, b1;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (i < cum[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	off = i - (lo > 0 ? cum[lo - 1] : 0);
	b0 = r[lo].base.a64[0];
	b1 = r[lo].base.a64[1];
	if (fam == 4) {
		union dtc_addr a;

		a.a64[0] = b0;
		a.a32[0] = rte_cpu_to_be_32(rte_be_to_cpu_32(r[lo].base.a32[0]) + (uint32_t)off);
		b0 = a.a64[0];
	} else {
		b1 = rte_cpu_to_be_64(rte_be_to_cpu_64(b1) + off);
	}
	*w0 = b0;
	*w1 = b1;
}

/* The rewritten endpoint, its address as two 64-bit words. */
static inline void
endpoint_w(const struct dtc_front *f, uint8_t family, uint64_t a0, uint64_t a1,
	rte_be16_t port, unsigned int replica, uint64_t *w0, uint64_t *w1, rte_be16_t *out_port)
{
	uint64_t total = family == 4 ? f->pool.total4 : f->pool.total6;
	uint32_t idx = replica + (uint32_t)f->c.port_offset * 1024u;

	if (f->have_pool && total != 0) {
		uint32_t h1 = rte_hash_crc_8byte(a1, rte_hash_crc_8byte(a0, f->c.seed));
		uint64_t h = ((uint64_t)rte_hash_crc_4byte(replica, h1) << 32) |
			rte_hash_crc_4byte(replica, h1 ^ 0x5bd1e995u);

		pool_addr_w(f, family, (uint64_t)(((unsigned __int128)h * total) >> 64), w0, w1);
	} else {
		*w0 = a0;
		*w1 = a1;
	}
	if (idx == 0) {
		*out_port = port;
	} else {
		uint32_t p = rte_be_to_cpu_16(port);
		uint32_t base = p >= 1024 ? p - 1024 : p;
		uint32_t shift = (uint32_t)(((uint64_t)idx * PORT_MULT) % PORT_SPACE);

		p = 1024 + (base + shift) % PORT_SPACE;
		*out_port = rte_cpu_to_be_16((uint16_t)p);
	}
}

void
dtc_front_endpoint(const struct dtc_front *f, uint8_t family, const union dtc_addr *addr,
	rte_be16_t port, unsigned int replica, union dtc_addr *out, rte_be16_t *out_port)
{
	uint64_t w0, w1;

	endpoint_w(f, family, addr->a64[0], addr->a64[1], port, replica, &w0, &w1, out_port);
	out->a64[0] = w0;
	out->a64[1] = w1;
}

/* -r / -g: keep a deterministic share of original client endpoints. */
static bool
sampled(struct dtc_front *f, const struct dtc_pkt_info *pi, uint64_t now_us)
{
	uint32_t pct = f->c.sample_pct, h;

	if (f->c.gradual) {
		if (!f->started) {
			f->started = true;
			f->pct = 1;
			f->next_step_us = now_us + 1000000;
		}
		while (f->pct < 100 && now_us >= f->next_step_us) {
			f->pct++;
			f->next_step_us += 1000000;
		}
		if (pct == 0 || pct >= 100 || f->pct < pct)
			pct = f->pct;
	}
	if (pct == 0 || pct >= 100)
		return true;
	h = dtc_endpoint_hash(&pi->src, pi->sport, f->c.seed ^ 0x2545f491u);
	return (((uint64_t)h * 100) >> 32) < pct;
}

/* The capture's checksum (verified by the RX NIC) made valid for the rewritten endpoints:
 * pseudo-header addresses and both ports, incrementally (RFC 1624). */
static void
csum_rewrite(struct rte_mbuf *m, struct dtc_seg *seg, const struct dtc_pkt_info *pi)
{
	struct rte_tcp_hdr *th = rte_pktmbuf_mtod(m, struct rte_tcp_hdr *);
	uint16_t c = th->cksum;
	unsigned int i, nw = pi->family == 4 ? 1 : 4;

	for (i = 0; i < nw; i++) {
		c = dtc_csum_adjust32(c, pi->src.a32[i], seg->key.client.a32[i]);
		c = dtc_csum_adjust32(c, pi->dst.a32[i], seg->key.server.a32[i]);
	}
	c = dtc_csum_adjust16(c, th->src_port, seg->key.client_port);
	c = dtc_csum_adjust16(c, th->dst_port, seg->key.server_port);
	th->src_port = seg->key.client_port;
	th->dst_port = seg->key.server_port;
	th->cksum = c;
	seg->sflags |= DTC_SEG_F_CSUM_OK;
}

/* dtc_flow_hash of the key (c0, c1, s0, s1, w4) given as its five 64-bit words, and
 * dtc_endpoint_hash of (c0, c1, port): computed in registers, so that nothing just stored is
 * loaded back (a load spanning several smaller stores waits for them to reach the cache). */
static inline uint32_t
key_hash_w(uint64_t c0, uint64_t c1, uint64_t s0, uint64_t s1, uint64_t w4, uint32_t seed)
{
	uint32_t h = rte_hash_crc_8byte(c0, seed);

	h = rte_hash_crc_8byte(c1, h);
	h = rte_hash_crc_8byte(s0, h);
	h = rte_hash_crc_8byte(s1, h);
	return rte_hash_crc_8byte(w4, h);
}

/* The last word of a struct dtc_flow_key: ports, family, pad (little-endian layout). */
static inline uint64_t
key_w4(rte_be16_t cport, rte_be16_t sport, uint8_t family, uint16_t pad01)
{
	return (uint64_t)cport | (uint64_t)sport << 16 | (uint64_t)family << 32 |
		(uint64_t)pad01 << 40;
}

static void
seg_fill(const struct dtc_front *f, struct dtc_seg *seg, const struct dtc_pkt_info *pi,
	int x, unsigned int replica)
{
	const struct dtc_xfer *xf = &f->c.xfer[x];
	uint64_t p0 = pi->src.a64[0], p1 = pi->src.a64[1];
	uint64_t c0, c1, s0 = xf->target_addr.a64[0], s1 = xf->target_addr.a64[1], w4;
	uint64_t *kw = (uint64_t *)&seg->key;
	rte_be16_t cport;
	uint32_t h;

	RTE_BUILD_BUG_ON(RTE_BYTE_ORDER != RTE_LITTLE_ENDIAN);
	RTE_BUILD_BUG_ON(sizeof(seg->key) != 40 ||
		offsetof(struct dtc_flow_key, client_port) != 32 ||
		offsetof(struct dtc_flow_key, server_port) != 34 ||
		offsetof(struct dtc_flow_key, family) != 36 ||
		offsetof(struct dtc_flow_key, pad) != 37);
	memset(seg, 0, sizeof(*seg));
	endpoint_w(f, pi->family, p0, p1, pi->sport, replica, &c0, &c1, &cport);
	w4 = key_w4(cport, xf->target_port, pi->family, 0);
	kw[0] = c0;
	kw[1] = c1;
	kw[2] = s0;
	kw[3] = s1;
	kw[4] = w4;
	/* The original 4-tuple and the replica: who the session really belongs to. */
	seg->origin = key_hash_w(p0, p1, pi->dst.a64[0], pi->dst.a64[1],
		key_w4(pi->sport, pi->dport, pi->family, (uint16_t)replica), f->c.seed);
	h = rte_hash_crc_8byte(c1, rte_hash_crc_8byte(c0, f->c.seed));
	seg->owner_hash = rte_hash_crc_2byte(cport, h);
	seg->flow_hash = key_hash_w(c0, c1, s0, s1, w4, f->c.seed);
	seg->seq = pi->seq;
	seg->ack = pi->ack;
	if (pi->opts.present & DTC_OPT_TS) {
		seg->ts_off = pi->opts.ts_off;
		seg->tsval = pi->opts.tsval;
		seg->tsecr = pi->opts.tsecr;
	}
	seg->payload_len = pi->payload_len;
	seg->win = pi->win;
	seg->flags = pi->tcp_flags;
	seg->tcp_hlen = pi->tcp_hlen;
	seg->mss = (pi->opts.present & DTC_OPT_MSS) ? pi->opts.mss : 0;
	seg->wscale = (pi->opts.present & DTC_OPT_WSCALE) ? pi->opts.wscale : DTC_WSCALE_NONE;
	seg->sack_ok = (pi->opts.present & DTC_OPT_SACK_OK) != 0;
	seg->replica = (uint8_t)replica;
	seg->xfer = (uint8_t)x;
}

/*
 * --compare: a segment of the online server to a client of a -x map goes, with the key of the
 * client's copied session (one per replica), to the session's worker, which pairs its bytes
 * with the request they answer (dtc_compare.h).  Counted in online, not in kept or the drops.
 */
static unsigned int
front_online(struct dtc_front *f, struct rte_mbuf *m, const struct dtc_pkt_info *pi,
	uint64_t now_us, struct rte_mbuf **out, uint16_t *worker)
{
	struct dtc_pkt_info rev = *pi;
	unsigned int r, n = 0;
	int x;

	x = dtc_xfer_match(f->c.xfer, f->c.n_xfer, pi->family, &pi->src, pi->sport);
	if (x < 0 || pi->is_frag || pi->tcp_hlen < 20 ||
			(uint32_t)pi->l4_off + pi->tcp_hlen + pi->payload_len > m->pkt_len ||
			(pi->payload_len == 0 && !(pi->tcp_flags & DTC_TCP_RST))) {
		f->st.drop[DTC_SESS_DROP_not_client]++;
		rte_pktmbuf_free(m);
		return 0;
	}
	/* as the client's segment would be: the same sampling, endpoints and origin */
	rev.src = pi->dst;
	rev.dst = pi->src;
	rev.sport = pi->dport;
	rev.dport = pi->sport;
	if (!sampled(f, &rev, now_us)) {
		f->st.drop[DTC_SESS_DROP_sampled_out]++;
		rte_pktmbuf_free(m);
		return 0;
	}
	rte_pktmbuf_adj(m, pi->l4_off);
	if (m->pkt_len > (uint32_t)pi->tcp_hlen + pi->payload_len)
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - pi->tcp_hlen - pi->payload_len));
	for (r = 0; r < f->c.multiply; r++) {
		struct rte_mbuf *c = r + 1 < f->c.multiply ?
			rte_pktmbuf_copy(m, f->c.mp, 0, UINT32_MAX) : m;

		if (c == NULL) {
			f->st.drop[DTC_SESS_DROP_no_mbuf]++;
			continue;
		}
		seg_fill(f, dtc_seg_of(c), &rev, x, r);
		dtc_seg_of(c)->seq = pi->seq;
		dtc_seg_of(c)->ack = pi->ack;
		dtc_seg_of(c)->sflags = DTC_SEG_F_ONLINE;
		dtc_seg_of(c)->t_cap = (uint32_t)now_us;
		out[n] = c;
		worker[n] = dtc_sess_owner(dtc_seg_of(c)->owner_hash, f->c.n_workers);
		n++;
	}
	f->st.online += n;
	return n;
}

unsigned int
dtc_front_classify(struct dtc_front *f, struct rte_mbuf *m, const struct dtc_pkt_info *pi,
	uint64_t now_us, struct rte_mbuf **out, uint16_t *worker)
{
	uint32_t l4_len;
	unsigned int r, n = 0;
	bool csum_good;
	int x;

	if (pi->l4 != DTC_L4_TCP || (pi->family != 4 && pi->family != 6)) {
		f->st.drop[DTC_SESS_DROP_not_client]++;
		goto drop;
	}
	x = dtc_xfer_match(f->c.xfer, f->c.n_xfer, pi->family, &pi->dst, pi->dport);
	if (x < 0) {
		if (f->c.online_answers)
			return front_online(f, m, pi, now_us, out, worker);
		f->st.drop[DTC_SESS_DROP_not_client]++;
		goto drop;
	}
	l4_len = (uint32_t)pi->tcp_hlen + pi->payload_len;
	if (pi->is_frag || pi->tcp_hlen < 20 || (uint32_t)pi->l4_off + l4_len > m->pkt_len ||
			(uint32_t)pi->l4_off + pi->tcp_hlen > m->data_len ||
			((pi->tcp_flags & DTC_TCP_SYN) && pi->payload_len != 0) ||
			(pi->tcp_flags & (DTC_TCP_SYN | DTC_TCP_ACK)) ==
			(DTC_TCP_SYN | DTC_TCP_ACK)) {
		f->st.drop[DTC_SESS_DROP_bad_segment]++;
		goto drop;
	}
	if (!sampled(f, pi, now_us)) {
		f->st.drop[DTC_SESS_DROP_sampled_out]++;
		goto drop;
	}
	csum_good = (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
		m->nb_segs == 1;
	/* Data starts at the TCP header; Ethernet padding goes. */
	rte_pktmbuf_adj(m, pi->l4_off);
	if (m->pkt_len > l4_len)
		rte_pktmbuf_trim(m, (uint16_t)(m->pkt_len - l4_len));
	for (r = 1; r < f->c.multiply; r++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, f->c.mp, 0, UINT32_MAX);

		if (c == NULL) {
			f->st.drop[DTC_SESS_DROP_no_mbuf]++;
			continue;
		}
		seg_fill(f, dtc_seg_of(c), pi, x, r);
		dtc_seg_of(c)->t_cap = (uint32_t)now_us;
		if (csum_good)
			csum_rewrite(c, dtc_seg_of(c), pi);
		out[n] = c;
		worker[n] = dtc_sess_owner(dtc_seg_of(c)->owner_hash, f->c.n_workers);
		n++;
		f->st.replicas++;
	}
	seg_fill(f, dtc_seg_of(m), pi, x, 0);
	dtc_seg_of(m)->t_cap = (uint32_t)now_us;
	if (csum_good)
		csum_rewrite(m, dtc_seg_of(m), pi);
	/* Replica 0 last in the list is fine: each replica is its own session. */
	out[n] = m;
	worker[n] = dtc_sess_owner(dtc_seg_of(m)->owner_hash, f->c.n_workers);
	n++;
	f->st.kept++;
	return n;
drop:
	rte_pktmbuf_free(m);
	return 0;
}
