/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Frames toward the test server.
 *
 * A captured segment is turned into a complete frame once, at intake: Ethernet and IP headers
 * prepended, addresses and ports of the session, FIN/ECN bits cleared (the engine sends its
 * own FIN), SACK blocks blanked (they count in the online server's sequence space), and the
 * TCP checksum computed in full.  Each transmission then patches only what changes (ACK,
 * window, timestamps: incremental checksum; the next-hop MAC) and hands the same mbuf to TX
 * with one more reference.  A frame whose previous transmission is still held by the driver is
 * copied instead, so a buffer is never written while a NIC may read it.
 */

#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "sess_private.h"
#include "sess_tcp.h"

#define ETH_HLEN 14

static inline uint16_t
win_field(const struct dtc_sess_engine *e, const struct dtc_sess *s)
{
	uint32_t w = e->conf.rcv_wnd >> s->rcv_ws;

	return w > UINT16_MAX ? UINT16_MAX : (w == 0 ? 1 : (uint16_t)w);
}

/* Next-hop MAC of the session's map: false while ARP has not resolved it. */
static inline bool
next_hop(const struct dtc_sess_engine *e, const struct dtc_sess *s, struct rte_ether_addr *mac)
{
	uint64_t v = __atomic_load_n(&e->conf.xfer[s->xfer].dst_mac, __ATOMIC_RELAXED);

	if (!(v & DTC_MAC_VALID))
		return false;
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	memcpy(mac->addr_bytes, &v, RTE_ETHER_ADDR_LEN); /* byte 0 in bits 0..7: memory order */
#else
	{
		unsigned int i;

		for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
			mac->addr_bytes[i] = (uint8_t)(v >> (8 * i));
	}
#endif
	return true;
}

void
tx_stage(struct dtc_sess_engine *e, struct rte_mbuf *m)
{
	if (e->n_tx == TX_BURST)
		dtc_sess_flush(e);
	e->tx[e->n_tx++] = m;
}

void
dtc_sess_flush(struct dtc_sess_engine *e)
{
	uint16_t n = e->n_tx, done = 0;

	if (n == 0)
		return;
	e->n_tx = 0;
	if (e->conf.tx != NULL)
		done = e->conf.tx(e->conf.tx_arg, e->tx, n);
	if (done < n) {
		e->st.txf[DTC_SESS_TXF_tx_full] += n - done;
		rte_pktmbuf_free_bulk(&e->tx[done], n - done);
	}
}

/* Blank SACK blocks (kind 5) with NOPs: their edges are the online server's sequence numbers,
 * meaningless to the test server.  SACK-permitted (kind 4, in a SYN) too: the copier never
 * sends SACK blocks, and a test server that believes SACK is on does not count plain
 * duplicate ACKs towards fast retransmit (Linux waits for its RTO, 200 ms and more, for
 * every response segment the intercept missed). */
static void
blank_sack(uint8_t *th, unsigned int hlen)
{
	unsigned int i = 20;

	while (i < hlen) {
		uint8_t kind = th[i], len;

		if (kind == 0)
			return;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen)
			return;
		len = th[i + 1];
		if (len < 2 || i + len > hlen)
			return;
		if (kind == 5 || kind == 4)
			memset(th + i, 1, len);
		i += len;
	}
}

static inline uint64_t
sum_words(const void *p, unsigned int n32, uint64_t sum)
{
	const uint8_t *b = p;
	unsigned int i;

	for (i = 0; i < n32; i++) {
		uint32_t w;

		memcpy(&w, b + 4 * i, 4);
		sum += w;
	}
	return sum;
}

static inline uint16_t
fold64(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * Header words composed in registers, in memory byte order, so that a header is summed and
 * stored without reading back what was just written: a load that spans several smaller
 * stores cannot be forwarded from the store buffer and waits until they all reach the cache
 * (with a cold mbuf, a full miss).  RAW16(a, b) is the 16-bit word whose bytes in memory are
 * a then b; RAW32/RAW64 join two raw words (the first lowest in memory).  A big-endian field
 * (rte_be16_t, rte_be32_t) is already a raw word.
 */
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
#define RAW16(a, b) ((uint16_t)((uint16_t)(a) | ((uint16_t)(b) << 8)))
#define RAW32(lo, hi) ((uint32_t)(uint16_t)(lo) | ((uint32_t)(uint16_t)(hi) << 16))
#define RAW64(lo, hi) ((uint64_t)(uint32_t)(lo) | ((uint64_t)(uint32_t)(hi) << 32))
#else
#define RAW16(a, b) ((uint16_t)(((uint16_t)(a) << 8) | (uint16_t)(b)))
#define RAW32(lo, hi) (((uint32_t)(uint16_t)(lo) << 16) | (uint32_t)(uint16_t)(hi))
#define RAW64(lo, hi) (((uint64_t)(uint32_t)(lo) << 32) | (uint64_t)(uint32_t)(hi))
#endif

static inline void
put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/*
 * Ethernet and IP headers of a frame toward the test server, written once, straight into the
 * (cold) buffer: the IPv4 header is composed and summed in registers, never read back.
 * dst = the next hop, or NULL (written at each transmission).  Returns the IP header length.
 */
static unsigned int
l2l3_write(struct dtc_sess_engine *e, const struct dtc_flow_key *k,
	const struct rte_ether_addr *dst, uint8_t *p, unsigned int l4_len)
{
	if (dst != NULL)
		memcpy(p, dst, 6);
	else
		memset(p, 0, 6);
	memcpy(p + 6, &e->conf.src_mac, 6);
	if (k->family == 4) {
		uint32_t w0 = RAW32(RAW16(0x45, 0), rte_cpu_to_be_16((uint16_t)(20 + l4_len)));
		uint32_t w1 = RAW32(rte_cpu_to_be_16(e->ip_id++), RTE_BE16(RTE_IPV4_HDR_DF_FLAG));
		uint16_t ttl_proto = RAW16(64, IPPROTO_TCP);
		uint16_t ck = (uint16_t)~fold64((uint64_t)w0 + w1 + ttl_proto + k->client.a32[0] +
			k->server.a32[0]);

		p[12] = 0x08;
		p[13] = 0x00;
		put64(p + ETH_HLEN, RAW64(w0, w1));
		put64(p + ETH_HLEN + 8, RAW64(RAW32(ttl_proto, ck), k->client.a32[0]));
		memcpy(p + ETH_HLEN + 16, &k->server.a32[0], 4);
		return 20;
	} else {
		struct rte_ipv6_hdr ih;

		p[12] = 0x86;
		p[13] = 0xdd;
		ih.vtc_flow = RTE_BE32(6u << 28);
		ih.payload_len = rte_cpu_to_be_16((uint16_t)l4_len);
		ih.proto = IPPROTO_TCP;
		ih.hop_limits = 64;
		memcpy(ih.src_addr, k->client.a8, 16);
		memcpy(ih.dst_addr, k->server.a8, 16);
		memcpy(p + ETH_HLEN, &ih, 40);
		return 40;
	}
}

/*
 * The captured TCP header for the session: its ports and seq, FIN/ECN cleared (our own FIN
 * goes separately), ACK set (a SYN: no ACK, window 65535), SACK blocks blanked.  Each change
 * is folded into the checksum, which is valid only when it was on arrival (CSUM_OK: for
 * the front's endpoints, and a collision may have moved the session); returns it.
 */
static uint16_t
tcp_rewrite(const struct dtc_flow_key *k, const struct dtc_seg *seg, struct rte_tcp_hdr *th)
{
	rte_be32_t seq = rte_cpu_to_be_32(seg->seq); /* trimmed or split: seq moved */
	uint16_t c = th->cksum;
	uint8_t doff, fl, nfl;

	if ((seg->sflags & DTC_SEG_F_CSUM_OK) && !key_eq(&seg->key, k)) {
		unsigned int i;

		for (i = 0; i < (k->family == 4 ? 1u : 4u); i++) {
			c = dtc_csum_adjust32(c, seg->key.client.a32[i], k->client.a32[i]);
			c = dtc_csum_adjust32(c, seg->key.server.a32[i], k->server.a32[i]);
		}
	}
	c = dtc_csum_adjust16(c, th->src_port, k->client_port);
	c = dtc_csum_adjust16(c, th->dst_port, k->server_port);
	th->src_port = k->client_port;
	th->dst_port = k->server_port;
	c = dtc_csum_adjust32(c, th->sent_seq, seq);
	th->sent_seq = seq;
	/* the data offset / flags word, old and new, from registers (see RAW16) */
	doff = th->data_off;
	fl = th->tcp_flags;
	nfl = fl & (uint8_t)~(DTC_TCP_FIN | DTC_TCP_ECE | DTC_TCP_CWR);
	if (nfl & DTC_TCP_SYN) {
		nfl &= (uint8_t)~DTC_TCP_ACK;
		c = dtc_csum_adjust32(c, th->recv_ack, 0);
		c = dtc_csum_adjust16(c, th->rx_win, RTE_BE16(UINT16_MAX));
		th->recv_ack = 0;
		th->rx_win = RTE_BE16(UINT16_MAX);
	} else {
		nfl |= DTC_TCP_ACK;
	}
	th->tcp_flags = nfl;
	c = dtc_csum_adjust16(c, RAW16(doff, fl), RAW16(doff, nfl));
	if (seg->tcp_hlen > 20 + 12 || ((nfl & DTC_TCP_SYN) && seg->tcp_hlen > 20)) {
		uint16_t before = rte_raw_cksum((uint8_t *)th + 20, seg->tcp_hlen - 20u);

		blank_sack((uint8_t *)th, seg->tcp_hlen);
		c = dtc_csum_adjust16(c, before,
			rte_raw_cksum((uint8_t *)th + 20, seg->tcp_hlen - 20u));
	}
	return c;
}

int
tx_frame_build(struct dtc_sess_engine *e, const struct dtc_sess *s, struct rte_mbuf *m)
{
	struct dtc_seg *seg = dtc_seg_of(m);
	struct rte_tcp_hdr *th = rte_pktmbuf_mtod(m, struct rte_tcp_hdr *);
	unsigned int l3 = s->key.family == 4 ? 20 : 40;
	uint8_t *eth;
	uint16_t c;

	c = tcp_rewrite(&s->key, seg, th);
	eth = (uint8_t *)rte_pktmbuf_prepend(m, (uint16_t)(ETH_HLEN + l3));
	if (eth == NULL)
		return -ENOSPC;
	l2l3_write(e, &s->key, NULL, eth, seg->tcp_hlen + seg->payload_len);
	if (!(seg->sflags & DTC_SEG_F_CSUM_OK))
		c = dtc_tcp_cksum(eth + ETH_HLEN, s->key.family);
	th->cksum = c;
	seg->l3_len = (uint8_t)l3;
	m->l2_len = ETH_HLEN;
	m->l3_len = l3;
	m->l4_len = seg->tcp_hlen;
	return 0;
}

static inline struct rte_tcp_hdr *
frame_tcp(struct rte_mbuf *m, const struct dtc_seg *seg)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, ETH_HLEN + seg->l3_len);
}

/* What changes between transmissions: ACK, window, timestamps.  Incremental checksum. */
static inline void
frame_patch(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m,
	const struct dtc_seg *seg)
{
	struct rte_tcp_hdr *th = frame_tcp(m, seg);
	uint16_t c = th->cksum;

	if (th->tcp_flags & DTC_TCP_ACK) {
		rte_be32_t ack = rte_cpu_to_be_32(s->rcv_nxt);
		rte_be16_t win = rte_cpu_to_be_16(win_field(e, s));

		c = dtc_csum_adjust32(c, th->recv_ack, ack);
		c = dtc_csum_adjust16(c, th->rx_win, win);
		th->recv_ack = ack;
		th->rx_win = win;
		s->rcv_acked = s->rcv_nxt;
		s->fl2 &= (uint16_t)~SF2_ACK_NOW;
	}
	if (seg->ts_off != 0 && (s->fl & SF_TS)) {
		uint32_t tsval = SEQ_GT(seg->tsval, s->ts_val) ? seg->tsval : s->ts_val;
		uint32_t tsecr = (th->tcp_flags & DTC_TCP_ACK) ? s->ts_recent : 0;

		s->ts_val = tsval;
		if (((seg->ts_off + 2) & 1) == 0) {
			uint8_t *p = (uint8_t *)th + seg->ts_off + 2;
			rte_be32_t o[2], n[2];

			memcpy(o, p, 8);
			n[0] = rte_cpu_to_be_32(tsval);
			n[1] = rte_cpu_to_be_32(tsecr);
			c = dtc_csum_adjust32(c, o[0], n[0]);
			c = dtc_csum_adjust32(c, o[1], n[1]);
			memcpy(p, n, 8);
		} else {
			struct dtc_l3_view v = {
				.l3 = (uint8_t *)th - seg->l3_len, .tcp = th, .family = s->key.family };

			th->cksum = c;
			dtc_rw_ts(&v, seg->ts_off, tsval, tsecr);
			c = th->cksum;
		}
	}
	th->cksum = c;
}

bool
tx_seg(struct dtc_sess_engine *e, struct dtc_sess *s, struct rte_mbuf *m)
{
	const struct dtc_seg *seg = dtc_seg_of(m);
	struct rte_ether_addr mac;
	struct rte_mbuf *out;

	if (!next_hop(e, s, &mac)) {
		TXF(e, no_mac);
		return false;
	}
	if (rte_mbuf_refcnt_read(m) > 1) {
		/* Still in a TX ring (or our own staging array): never touch it. */
		out = rte_pktmbuf_copy(m, e->conf.mp, 0, UINT32_MAX);
		if (out == NULL) {
			TXF(e, no_mbuf);
			return false;
		}
		CNT(e, tx_copy);
	} else {
		rte_mbuf_refcnt_update(m, 1);
		out = m;
	}
	frame_patch(e, s, out, seg);
	memcpy(rte_pktmbuf_mtod(out, uint8_t *), &mac, RTE_ETHER_ADDR_LEN);
	tx_stage(e, out);
	return true;
}

/* A segment the engine makes itself (ACK, FIN, RST, window probe). */
bool
tx_ctl(struct dtc_sess_engine *e, struct dtc_sess *s, uint8_t flags, uint32_t seq)
{
	struct dtc_seg_spec sp;
	struct rte_mbuf *m;

	memset(&sp, 0, sizeof(sp));
	if (!next_hop(e, s, &sp.eth_dst)) {
		TXF(e, no_mac);
		return false;
	}
	sp.family = s->key.family;
	sp.flags = flags;
	sp.wscale = DTC_WSCALE_NONE;
	sp.src = s->key.client;
	sp.dst = s->key.server;
	sp.sport = s->key.client_port;
	sp.dport = s->key.server_port;
	sp.seq = seq;
	sp.ip_id = e->ip_id++;
	sp.eth_src = e->conf.src_mac;
	if (flags & DTC_TCP_ACK) {
		sp.ack = s->rcv_nxt;
		sp.win = win_field(e, s);
	}
	if (s->fl & SF_TS) {
		sp.ts = true;
		sp.tsval = s->ts_val;
		sp.tsecr = s->ts_recent;
	}
	m = dtc_build_tcp_mbuf(e->conf.mp, &sp);
	if (m == NULL) {
		TXF(e, no_mbuf);
		return false;
	}
	if (flags & DTC_TCP_ACK) {
		s->rcv_acked = s->rcv_nxt;
		s->fl2 &= (uint16_t)~SF2_ACK_NOW;
	}
	CNT(e, seg_synth);
	tx_stage(e, m);
	return true;
}

/*
 * A pure ACK, the most frequent segment the engine makes (one per response): the TCP header
 * is composed and summed in registers and stored once into the new mbuf, never read back
 * (see RAW16); dtc_build_tcp_mbuf, general, stays for the rare SYN/FIN/RST/probe.
 */
bool
tx_ack(struct dtc_sess_engine *e, struct dtc_sess *s)
{
	const struct dtc_flow_key *k = &s->key;
	struct rte_ether_addr mac;
	struct rte_mbuf *m;
	unsigned int l3 = k->family == 4 ? 20 : 40, hl = (s->fl & SF_TS) ? 32 : 20;
	uint32_t t0, t1, t2, t3, o0 = 0, o1 = 0, o2 = 0;
	uint16_t ck;
	uint8_t *p;
	uint64_t sum;

	if (!next_hop(e, s, &mac)) {
		TXF(e, no_mac);
		return false;
	}
	m = rte_pktmbuf_alloc(e->conf.mp);
	if (m == NULL) {
		TXF(e, no_mbuf);
		return false;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(ETH_HLEN + l3 + hl));
	if (p == NULL) {
		/* A fresh mbuf always has the room (a pool's data room is >= MTU + headroom):
		 * only a misconfigured pool gets here. */
		rte_pktmbuf_free(m);
		TXF(e, no_mbuf);
		return false;
	}
	t0 = RAW32(k->client_port, k->server_port);
	t1 = rte_cpu_to_be_32(s->snd_nxt);
	t2 = rte_cpu_to_be_32(s->rcv_nxt);
	t3 = RAW32(RAW16((hl / 4) << 4, DTC_TCP_ACK), rte_cpu_to_be_16(win_field(e, s)));
	sum = (uint64_t)t0 + t1 + t2 + t3;
	if (hl == 32) {
		o0 = RAW32(RAW16(1, 1), RAW16(8, 10));
		o1 = rte_cpu_to_be_32(s->ts_val);
		o2 = rte_cpu_to_be_32(s->ts_recent);
		sum += (uint64_t)o0 + o1 + o2;
	}
	sum = sum_words(&k->client, l3 == 20 ? 1 : 4, sum);
	sum = sum_words(&k->server, l3 == 20 ? 1 : 4, sum);
	sum += rte_cpu_to_be_16(IPPROTO_TCP) + rte_cpu_to_be_16((uint16_t)hl);
	ck = (uint16_t)~fold64(sum);
	l2l3_write(e, k, &mac, p, hl);
	p += ETH_HLEN + l3;
	put64(p, RAW64(t0, t1));
	put64(p + 8, RAW64(t2, t3));
	if (hl == 32) {
		put64(p + 16, RAW64(RAW32(ck, 0), o0));
		put64(p + 24, RAW64(o1, o2));
	} else {
		uint32_t t4 = RAW32(ck, 0);

		memcpy(p + 16, &t4, 4);
	}
	m->l2_len = ETH_HLEN;
	m->l3_len = l3;
	m->l4_len = hl;
	s->rcv_acked = s->rcv_nxt;
	s->fl2 &= (uint16_t)~SF2_ACK_NOW;
	CNT(e, seg_synth);
	tx_stage(e, m);
	return true;
}

/* A RST for a test-server segment that has no session (RFC 793: seq = its ACK). */
void
tx_rst_unmatched(struct dtc_sess_engine *e, const struct dtc_resp *r)
{
	struct dtc_seg_spec sp;
	struct rte_mbuf *m;
	int x;
	uint64_t v;
	unsigned int i;

	x = dtc_xfer_match_target(e->conf.xfer, e->conf.n_xfer, r->key.family, &r->key.server,
		r->key.server_port);
	if (x < 0)
		return;
	v = __atomic_load_n(&e->conf.xfer[x].dst_mac, __ATOMIC_RELAXED);
	if (!(v & DTC_MAC_VALID)) {
		TXF(e, no_mac);
		return;
	}
	memset(&sp, 0, sizeof(sp));
	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		sp.eth_dst.addr_bytes[i] = (uint8_t)(v >> (8 * i));
	sp.family = r->key.family;
	sp.wscale = DTC_WSCALE_NONE;
	sp.src = r->key.client;
	sp.dst = r->key.server;
	sp.sport = r->key.client_port;
	sp.dport = r->key.server_port;
	if (r->flags & DTC_TCP_ACK) {
		sp.flags = DTC_TCP_RST;
		sp.seq = r->ack;
	} else {
		sp.flags = DTC_TCP_RST | DTC_TCP_ACK;
		sp.ack = r->seq + r->payload_len + !!(r->flags & DTC_TCP_SYN) +
			!!(r->flags & DTC_TCP_FIN);
	}
	sp.ip_id = e->ip_id++;
	sp.eth_src = e->conf.src_mac;
	m = dtc_build_tcp_mbuf(e->conf.mp, &sp);
	if (m == NULL) {
		TXF(e, no_mbuf);
		return;
	}
	CNT(e, resp_rst_sent);
	tx_stage(e, m);
}

/* A SYN the engine makes (missed SYN, rebuild): queued like a captured one, at the head. */
struct rte_mbuf *
tx_syn_build(struct dtc_sess_engine *e, struct dtc_sess *s, bool ts, uint32_t tsval)
{
	struct dtc_seg_spec sp;
	struct dtc_seg *seg;
	struct rte_mbuf *m;

	memset(&sp, 0, sizeof(sp));
	sp.family = s->key.family;
	sp.flags = DTC_TCP_SYN;
	sp.wscale = DTC_WSCALE_NONE;
	sp.src = s->key.client;
	sp.dst = s->key.server;
	sp.sport = s->key.client_port;
	sp.dport = s->key.server_port;
	sp.seq = s->iss;
	sp.win = UINT16_MAX;
	sp.mss = e->conf.mss;
	sp.ip_id = e->ip_id++;
	sp.eth_src = e->conf.src_mac;
	sp.ts = ts;
	sp.tsval = tsval;
	m = dtc_build_tcp_mbuf(e->conf.mp, &sp);
	if (m == NULL)
		return NULL;
	seg = dtc_seg_of(m);
	memset(seg, 0, sizeof(*seg));
	seg->key = s->key;
	seg->seq = s->iss;
	seg->flags = DTC_TCP_SYN;
	seg->tcp_hlen = (uint8_t)m->l4_len;
	seg->l3_len = (uint8_t)m->l3_len;
	seg->wscale = DTC_WSCALE_NONE;
	seg->xfer = s->xfer;
	seg->t_in = e->now;
	if (ts) {
		/* MSS (4 bytes), then NOP NOP TS: the TS kind byte is at 20 + 4 + 2. */
		seg->ts_off = 26;
		seg->tsval = tsval;
	}
	seg->qnext = NULL;
	return m;
}
