/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control channel v1 (docs/protocol.md): encoders and strict, incremental, allocation-free
 * decoders.  The peer is untrusted: every count and type is checked before use, and an error
 * is sticky (the caller closes the connection; feeding more bytes changes nothing).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "proto_private.h"

#define IP4_HLEN 20
#define TCP_HLEN 20
#define REC_TCP_OFF 20   /* the TCP header always starts at byte 20 of a record */
#define VERSION_PEEK 8   /* a 1.x intercept reads this much of the first message first */

/* ------------------------------------------------------------------ */
/* Encoding */

void
dtc_v1_version_encode(uint8_t out[DTC_V1_ROUTE_LEN], uint16_t version)
{
	memset(out, 0, DTC_V1_ROUTE_LEN);
	dtc_wr16(out + 6, version);
}

int
dtc_v1_route_encode(uint8_t out[DTC_V1_ROUTE_LEN], const struct dtc_flow_key *k,
	uint16_t type)
{
	if (k->family != 4)
		return -EAFNOSUPPORT;
	if (type != DTC_V1_ROUTE_ADD && type != DTC_V1_ROUTE_DEL)
		return -EINVAL;
	memcpy(out, &k->client.a32[0], 4);
	memcpy(out + 4, &k->client_port, 2);
	dtc_wr16(out + 6, type);
	memcpy(out + 8, &k->server.a32[0], 4);
	memcpy(out + 12, &k->server_port, 2);
	return 0;
}

int
dtc_v1_rec_encode(uint8_t out[DTC_V1_REC_LEN], const uint8_t *l3, uint32_t l3_len)
{
	uint32_t ihl, doff, tot, opt;
	const uint8_t *th;

	if (l3_len < IP4_HLEN || (l3[0] >> 4) != 4 || l3[9] != IPPROTO_TCP)
		return -EINVAL;
	ihl = (uint32_t)(l3[0] & 0xf) * 4;
	tot = dtc_rd16(l3 + 2);
	if (ihl < IP4_HLEN || l3_len < ihl + TCP_HLEN)
		return -EINVAL;
	th = l3 + ihl;
	doff = (uint32_t)(th[12] >> 4) * 4;
	if (doff < TCP_HLEN || tot < ihl + doff)
		return -EINVAL;
	opt = RTE_MIN(doff - TCP_HLEN, (uint32_t)DTC_V1_OPT_MAX);
	opt = RTE_MIN(opt, l3_len - ihl - TCP_HLEN); /* a capture may have cut the options */

	memcpy(out, l3, IP4_HLEN);
	memcpy(out + REC_TCP_OFF, th, TCP_HLEN + opt);
	memset(out + REC_TCP_OFF + TCP_HLEN + opt, 0, DTC_V1_OPT_MAX - opt);
	if (ihl > IP4_HLEN) {
		/*
		 * IP options are not carried.  A 1.x tcpcopy finds the TCP header at IHL*4, so say
		 * IHL 5 and shrink tot_len by the options: the payload length derived from the
		 * record is unchanged.  The header checksum covered the options, so recompute it.
		 */
		uint16_t c;

		out[0] = 0x45;
		dtc_wr16(out + 2, (uint16_t)(tot - (ihl - IP4_HLEN)));
		memset(out + 10, 0, 2);
		c = (uint16_t)~rte_raw_cksum(out, IP4_HLEN);
		memcpy(out + 10, &c, 2);
	}
	return 0;
}

int
dtc_v1_rec_encode_mbuf(uint8_t out[DTC_V1_REC_LEN], const struct rte_mbuf *m,
	const struct dtc_pkt_info *pi)
{
	uint8_t copy[60 + TCP_HLEN + DTC_V1_OPT_MAX];
	uint32_t len;
	const uint8_t *p;

	if (pi->l3 != DTC_L3_IPV4 || pi->l4 != DTC_L4_TCP || pi->l4_off < pi->l3_off)
		return -EINVAL;
	len = (uint32_t)(pi->l4_off - pi->l3_off) +
		RTE_MIN((uint32_t)pi->tcp_hlen, (uint32_t)(TCP_HLEN + DTC_V1_OPT_MAX));
	if (len > sizeof(copy))
		return -EINVAL;
	p = rte_pktmbuf_read(m, pi->l3_off, len, copy);
	if (p == NULL)
		return -EINVAL;
	return dtc_v1_rec_encode(out, p, len);
}

/* ------------------------------------------------------------------ */
/* Decoding */

static void
resp_opts(struct dtc_resp *r, const struct dtc_tcp_opts *o)
{
	r->mss = (o->present & DTC_OPT_MSS) ? o->mss : 0;
	r->wscale = (o->present & DTC_OPT_WSCALE) ? o->wscale : DTC_WSCALE_NONE;
	r->opt = 0;
	r->tsval = 0;
	if (o->present & DTC_OPT_TS) {
		r->tsval = o->tsval;
		r->opt |= DTC_RESP_TS;
	}
	if (o->present & DTC_OPT_SACK_OK)
		r->opt |= DTC_RESP_SACK_OK;
}

int
dtc_v1_rec_decode(const uint8_t rec[DTC_V1_REC_LEN], struct dtc_resp *r)
{
	const uint8_t *th = rec + REC_TCP_OFF;
	uint32_t ihl, doff, tot, opt;
	struct dtc_tcp_opts o;

	if ((rec[0] >> 4) != 4 || (rec[0] & 0xf) < 5)
		return -DTC_CTL_ERR_REC_IP;
	ihl = (uint32_t)(rec[0] & 0xf) * 4;
	doff = (uint32_t)(th[12] >> 4) * 4;
	tot = dtc_rd16(rec + 2);
	if (rec[9] != IPPROTO_TCP || doff < TCP_HLEN || tot < ihl + doff)
		return -DTC_CTL_ERR_REC_TCP;
	/* A block longer than the 24 carried bytes was cut by the sender: an option running
	 * past the cut is expected then, and what precedes it is still good. */
	opt = doff - TCP_HLEN;
	if (dtc_tcp_opts_parse(th + TCP_HLEN, RTE_MIN(opt, (uint32_t)DTC_V1_OPT_MAX), &o) != 0 &&
			opt <= DTC_V1_OPT_MAX)
		return -DTC_CTL_ERR_REC_TCP;

	memset(&r->key, 0, sizeof(r->key));
	r->key.family = 4;
	memcpy(&r->key.client.a32[0], rec + 16, 4); /* the segment's destination */
	memcpy(&r->key.server.a32[0], rec + 12, 4);
	memcpy(&r->key.client_port, th + 2, 2);
	memcpy(&r->key.server_port, th, 2);
	r->seq = dtc_rd32(th + 4);
	r->ack = dtc_rd32(th + 8);
	r->flags = th[13];
	r->win = dtc_rd16(th + 14);
	r->payload_len = (uint16_t)(tot - ihl - doff);
	memset(r->pad, 0, sizeof(r->pad));
	resp_opts(r, &o);
	return 0;
}

int
dtc_resp_from_pkt(const struct dtc_pkt_info *pi, struct dtc_resp *r)
{
	if (pi->l4 != DTC_L4_TCP || (pi->family != 4 && pi->family != 6))
		return -EINVAL;
	memset(&r->key, 0, sizeof(r->key));
	r->key.family = pi->family;
	r->key.client = pi->dst;
	r->key.server = pi->src;
	r->key.client_port = pi->dport;
	r->key.server_port = pi->sport;
	r->seq = pi->seq;
	r->ack = pi->ack;
	r->flags = pi->tcp_flags;
	r->win = pi->win;
	r->payload_len = pi->payload_len;
	memset(r->pad, 0, sizeof(r->pad));
	resp_opts(r, &pi->opts);
	return 0;
}

/* ---- intercept -> copier stream ---- */

void
dtc_v1_rec_rx_init(struct dtc_v1_rec_rx *rx)
{
	rx->have = 0;
	rx->need = 0;
	rx->err = 0;
	rx->frames = 0;
	rx->records = 0;
	rx->bad_records = 0;
}

/* One complete frame: count already checked. */
static void
rec_frame(struct dtc_v1_rec_rx *rx, const uint8_t *frame, unsigned int n, dtc_v1_rec_cb cb,
	void *arg)
{
	const uint8_t *rec = frame + 2;
	struct dtc_resp r;
	unsigned int i;

	for (i = 0; i < n; i++, rec += DTC_V1_REC_LEN) {
		if (dtc_v1_rec_decode(rec, &r) != 0) {
			rx->bad_records++;
			continue;
		}
		rx->records++;
		if (cb != NULL)
			cb(arg, &r, rec);
	}
	rx->frames++;
}

/* Frame length for a count read from the wire, or 0 when the count is illegal. */
static inline uint32_t
frame_len(const uint8_t *p)
{
	uint16_t n = dtc_rd16(p);

	return (n == 0 || n > DTC_V1_BATCH_MAX) ? 0 : 2u + n * (uint32_t)DTC_V1_REC_LEN;
}

int
dtc_v1_rec_rx_feed(struct dtc_v1_rec_rx *rx, const uint8_t *data, size_t len,
	dtc_v1_rec_cb cb, void *arg)
{
	while (rx->err == 0 && len > 0) {
		uint32_t take;

		/* Whole frames straight from the caller's buffer: no copy. */
		if (rx->have == 0 && len >= 2) {
			uint32_t flen = frame_len(data);

			if (flen == 0) {
				rx->err = -DTC_CTL_ERR_COUNT;
				break;
			}
			if (len >= flen) {
				rec_frame(rx, data, (flen - 2) / DTC_V1_REC_LEN, cb, arg);
				data += flen;
				len -= flen;
				continue;
			}
		}
		if (rx->need == 0) {
			/* Collect the two count bytes first. */
			take = RTE_MIN((uint32_t)len, 2 - rx->have);
			memcpy(rx->buf + rx->have, data, take);
			rx->have += take;
			data += take;
			len -= take;
			if (rx->have < 2)
				break;
			rx->need = frame_len(rx->buf);
			if (rx->need == 0)
				rx->err = -DTC_CTL_ERR_COUNT;
			continue;
		}
		take = RTE_MIN((uint32_t)len, rx->need - rx->have);
		memcpy(rx->buf + rx->have, data, take);
		rx->have += take;
		data += take;
		len -= take;
		if (rx->have == rx->need) {
			rec_frame(rx, rx->buf, (rx->need - 2) / DTC_V1_REC_LEN, cb, arg);
			rx->have = 0;
			rx->need = 0;
		}
	}
	return rx->err;
}

/* ---- copier -> intercept stream ---- */

void
dtc_v1_route_rx_init(struct dtc_v1_route_rx *rx)
{
	rx->have = 0;
	rx->got_version = 0;
	rx->version = 0;
	rx->err = 0;
	rx->routes = 0;
}

static int
route_msg(struct dtc_v1_route_rx *rx, const uint8_t *msg, dtc_v1_route_cb cb, void *arg)
{
	uint16_t type = dtc_rd16(msg + 6);
	struct dtc_flow_key k;

	if (type != DTC_V1_ROUTE_ADD && type != DTC_V1_ROUTE_DEL)
		return -DTC_CTL_ERR_ROUTE_TYPE;
	memset(&k, 0, sizeof(k));
	k.family = 4;
	memcpy(&k.client.a32[0], msg, 4);
	memcpy(&k.client_port, msg + 4, 2);
	memcpy(&k.server.a32[0], msg + 8, 4);
	memcpy(&k.server_port, msg + 12, 2);
	rx->routes++;
	if (cb != NULL)
		cb(arg, &k, type);
	return 0;
}

/*
 * The first message, as a 1.x intercept reads it: 8 bytes, and when address or port are set
 * it is an old client's message, ignored ("client too old"); else 6 more bytes and the type is
 * the version.  Returns the bytes consumed from data.
 */
static size_t
route_first(struct dtc_v1_route_rx *rx, const uint8_t *data, size_t len,
	dtc_v1_version_cb vcb, void *arg)
{
	static const uint8_t zero[6];
	uint32_t want = rx->have < VERSION_PEEK ? VERSION_PEEK : DTC_V1_ROUTE_LEN;
	uint32_t take = RTE_MIN((uint32_t)len, want - rx->have);

	memcpy(rx->buf + rx->have, data, take);
	rx->have += take;
	if (rx->have == VERSION_PEEK && memcmp(rx->buf, zero, sizeof(zero)) != 0) {
		rx->version = 0;
	} else if (rx->have == DTC_V1_ROUTE_LEN) {
		rx->version = dtc_rd16(rx->buf + 6);
	} else {
		return take;
	}
	rx->got_version = 1;
	rx->have = 0;
	if (vcb != NULL)
		vcb(arg, rx->version);
	return take;
}

int
dtc_v1_route_rx_feed(struct dtc_v1_route_rx *rx, const uint8_t *data, size_t len,
	dtc_v1_route_cb cb, dtc_v1_version_cb vcb, void *arg)
{
	while (rx->err == 0 && len > 0) {
		uint32_t take;

		if (!rx->got_version) {
			take = (uint32_t)route_first(rx, data, len, vcb, arg);
			data += take;
			len -= take;
			continue;
		}
		if (rx->have == 0 && len >= DTC_V1_ROUTE_LEN) {
			rx->err = route_msg(rx, data, cb, arg);
			data += DTC_V1_ROUTE_LEN;
			len -= DTC_V1_ROUTE_LEN;
			continue;
		}
		take = RTE_MIN((uint32_t)len, DTC_V1_ROUTE_LEN - rx->have);
		memcpy(rx->buf + rx->have, data, take);
		rx->have += take;
		data += take;
		len -= take;
		if (rx->have == DTC_V1_ROUTE_LEN) {
			rx->have = 0;
			rx->err = route_msg(rx, rx->buf, cb, arg);
		}
	}
	return rx->err;
}

/* ---- batch writer ---- */

uint16_t
dtc_v1_batch_add(struct dtc_v1_batch *b, const uint8_t rec[DTC_V1_REC_LEN])
{
	if (b->count >= DTC_V1_BATCH_MAX)
		return 0;
	memcpy(b->buf + 2 + (size_t)b->count * DTC_V1_REC_LEN, rec, DTC_V1_REC_LEN);
	return ++b->count;
}

size_t
dtc_v1_batch_finish(struct dtc_v1_batch *b)
{
	if (b->count == 0)
		return 0;
	dtc_wr16(b->buf, b->count);
	return 2 + (size_t)b->count * DTC_V1_REC_LEN;
}
