/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control channel v1 and v2 (docs/protocol.md): encoders and strict, incremental,
 * allocation-free decoders, and v2's authentication (HMAC-SHA256, libcrypto).  The peer is untrusted: every count and type is checked before use, and an error
 * is sticky (the caller closes the connection; feeding more bytes changes nothing).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

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

/* ================================================================== */
/* Version 2 */

#define V2_HELLO_MAGIC "DTC2"
#define IP6_HLEN 40

uint64_t
dtc_v2_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static inline uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static inline void
wr64(uint8_t *p, uint64_t v)
{
	dtc_wr32(p, (uint32_t)(v >> 32));
	dtc_wr32(p + 4, (uint32_t)v);
}

static inline uint64_t
rd64(const uint8_t *p)
{
	return ((uint64_t)dtc_rd32(p) << 32) | dtc_rd32(p + 4);
}

void
dtc_v2_hdr_encode(uint8_t out[DTC_V2_HDR_LEN], uint8_t type, uint16_t len)
{
	out[0] = type;
	out[1] = 0;
	dtc_wr16(out + 2, len);
}

bool
dtc_v2_len_ok(uint8_t type, uint32_t len)
{
	if (len > DTC_V2_BODY_MAX)
		return false;
	switch (type) {
	case DTC_V2_HELLO:
		return len == DTC_V2_HELLO_LEN;
	case DTC_V2_AUTH:
		return len == DTC_V2_MAC_LEN;
	case DTC_V2_ROUTE_ADD:
	case DTC_V2_ROUTE_DEL:
		return len > 0 && len % DTC_V2_KEY_LEN == 0;
	case DTC_V2_RECORDS:
		return len >= DTC_V2_REC4_LEN;
	case DTC_V2_HEARTBEAT:
		return len == DTC_V2_HB_LEN;
	case DTC_V2_BYE:
		return len >= 2 && len <= 2 + DTC_V2_BYE_TEXT_MAX;
	default:
		return false;
	}
}

int
dtc_v2_hello_encode(uint8_t *out, size_t cap, const struct dtc_v2_hello *h)
{
	uint8_t *b = out + DTC_V2_HDR_LEN;

	if (cap < DTC_V2_HDR_LEN + DTC_V2_HELLO_LEN)
		return -ENOSPC;
	dtc_v2_hdr_encode(out, DTC_V2_HELLO, DTC_V2_HELLO_LEN);
	memset(b, 0, DTC_V2_HELLO_LEN);
	memcpy(b, V2_HELLO_MAGIC, 4);
	dtc_wr16(b + 4, h->version);
	dtc_wr16(b + 6, h->features);
	memcpy(b + 8, h->nonce, DTC_V2_NONCE_LEN);
	memcpy(b + 24, h->name, strnlen(h->name, DTC_V2_NAME_LEN));
	dtc_wr16(b + 40, h->prefix);
	return DTC_V2_HDR_LEN + DTC_V2_HELLO_LEN;
}

int
dtc_v2_hello_decode(const uint8_t *body, uint32_t len, struct dtc_v2_hello *h)
{
	unsigned int i;

	if (len != DTC_V2_HELLO_LEN)
		return -DTC_CTL_ERR_V2_LEN;
	if (memcmp(body, V2_HELLO_MAGIC, 4) != 0 || dtc_rd16(body + 4) < 2)
		return -DTC_CTL_ERR_V2_HELLO;
	h->version = dtc_rd16(body + 4);
	h->features = dtc_rd16(body + 6);
	memcpy(h->nonce, body + 8, DTC_V2_NONCE_LEN);
	/* For logs: printable ASCII only, the rest becomes '?'. */
	for (i = 0; i < DTC_V2_NAME_LEN && body[24 + i] != 0; i++)
		h->name[i] = (body[24 + i] >= 0x20 && body[24 + i] < 0x7f) ? (char)body[24 + i] : '?';
	h->name[i] = '\0';
	h->prefix = RTE_MIN(dtc_rd16(body + 40), (uint16_t)DTC_V2_PREFIX_MAX);
	return 0;
}

int
dtc_v2_auth_encode(uint8_t *out, size_t cap, const uint8_t mac[DTC_V2_MAC_LEN])
{
	if (cap < DTC_V2_HDR_LEN + DTC_V2_MAC_LEN)
		return -ENOSPC;
	dtc_v2_hdr_encode(out, DTC_V2_AUTH, DTC_V2_MAC_LEN);
	memcpy(out + DTC_V2_HDR_LEN, mac, DTC_V2_MAC_LEN);
	return DTC_V2_HDR_LEN + DTC_V2_MAC_LEN;
}

static bool
key_ok(const struct dtc_flow_key *k)
{
	static const uint8_t zero[12];

	if (k->pad[0] != 0 || k->pad[1] != 0 || k->pad[2] != 0)
		return false;
	if (k->family == 4)
		return memcmp(k->client.a8 + 4, zero, 12) == 0 &&
			memcmp(k->server.a8 + 4, zero, 12) == 0;
	return k->family == 6;
}

int
dtc_v2_route_encode(uint8_t *out, size_t cap, uint8_t type, const struct dtc_flow_key *k,
	unsigned int n)
{
	size_t body = (size_t)n * DTC_V2_KEY_LEN;
	unsigned int i;

	if ((type != DTC_V2_ROUTE_ADD && type != DTC_V2_ROUTE_DEL) || n == 0 ||
			body > DTC_V2_BODY_MAX)
		return -EINVAL;
	if (cap < DTC_V2_HDR_LEN + body)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		if (!key_ok(&k[i]))
			return -EINVAL;
	dtc_v2_hdr_encode(out, type, (uint16_t)body);
	/* The wire layout is the in-memory layout of struct dtc_flow_key (no padding). */
	memcpy(out + DTC_V2_HDR_LEN, k, body);
	return (int)(DTC_V2_HDR_LEN + body);
}

int
dtc_v2_routes_decode(const uint8_t *body, uint32_t len, uint8_t type, dtc_v1_route_cb cb,
	void *arg)
{
	struct dtc_flow_key k;
	uint32_t off;

	if (!dtc_v2_len_ok(type, len) || (type != DTC_V2_ROUTE_ADD && type != DTC_V2_ROUTE_DEL))
		return -DTC_CTL_ERR_V2_LEN;
	for (off = 0; off < len; off += DTC_V2_KEY_LEN) {
		memcpy(&k, body + off, sizeof(k));
		if (!key_ok(&k))
			return -DTC_CTL_ERR_V2_KEY;
	}
	for (off = 0; off < len && cb != NULL; off += DTC_V2_KEY_LEN) {
		memcpy(&k, body + off, sizeof(k));
		cb(arg, &k, type);
	}
	return 0;
}

int
dtc_v2_hb_encode(uint8_t *out, size_t cap, const struct dtc_v2_hb *hb)
{
	uint8_t *b = out + DTC_V2_HDR_LEN;

	if (cap < DTC_V2_HDR_LEN + DTC_V2_HB_LEN)
		return -ENOSPC;
	dtc_v2_hdr_encode(out, DTC_V2_HEARTBEAT, DTC_V2_HB_LEN);
	dtc_wr32(b, hb->seq);
	dtc_wr32(b + 4, 0);
	wr64(b + 8, hb->tx_us);
	wr64(b + 16, hb->echo_tx_us);
	wr64(b + 24, hb->echo_rx_us);
	return DTC_V2_HDR_LEN + DTC_V2_HB_LEN;
}

int
dtc_v2_hb_decode(const uint8_t *body, uint32_t len, struct dtc_v2_hb *hb)
{
	if (len != DTC_V2_HB_LEN)
		return -DTC_CTL_ERR_V2_LEN;
	hb->seq = dtc_rd32(body);
	hb->tx_us = rd64(body + 8);
	hb->echo_tx_us = rd64(body + 16);
	hb->echo_rx_us = rd64(body + 24);
	return 0;
}

int
dtc_v2_bye_encode(uint8_t *out, size_t cap, uint16_t reason, const char *text)
{
	size_t tl = text != NULL ? strnlen(text, DTC_V2_BYE_TEXT_MAX) : 0;

	if (cap < DTC_V2_HDR_LEN + 2 + tl)
		return -ENOSPC;
	dtc_v2_hdr_encode(out, DTC_V2_BYE, (uint16_t)(2 + tl));
	dtc_wr16(out + DTC_V2_HDR_LEN, reason);
	if (tl > 0)
		memcpy(out + DTC_V2_HDR_LEN + 2, text, tl);
	return (int)(DTC_V2_HDR_LEN + 2 + tl);
}

bool
dtc_v2_clock_sample(const struct dtc_v2_hb *hb, uint64_t t4, int64_t *offset_us,
	int64_t *delay_us)
{
	int64_t t1 = (int64_t)hb->echo_tx_us, t2 = (int64_t)hb->echo_rx_us;
	int64_t t3 = (int64_t)hb->tx_us, t4s = (int64_t)t4;

	if (hb->echo_tx_us == 0 || hb->echo_rx_us == 0 || hb->tx_us == 0 ||
			hb->echo_tx_us > t4 || hb->echo_rx_us > hb->tx_us ||
			hb->echo_tx_us > INT64_MAX || hb->tx_us > INT64_MAX || t4 > INT64_MAX)
		return false;
	*offset_us = ((t2 - t1) + (t3 - t4s)) / 2;
	*delay_us = (t4s - t1) - (t3 - t2);
	return true;
}

/* ---- records ---- */

int
dtc_v2_rec_encode(uint8_t out[DTC_V2_REC_MAX], uint8_t family, const uint8_t *l3,
	uint32_t l3_len, uint32_t l4_off, uint16_t payload_len, uint64_t capture_us,
	uint16_t prefix)
{
	uint32_t iph = family == 6 ? IP6_HLEN : IP4_HLEN, doff, opt, pre, len;
	uint8_t *ip = out + DTC_V2_REC_HDR, *th;

	if (family == 4) {
		/* The IPv4 part is the v1 record of the same segment, byte for byte. */
		if (dtc_v1_rec_encode(ip, l3, l3_len) != 0)
			return -EINVAL;
		l4_off = (uint32_t)(l3[0] & 0xf) * 4;
	} else if (family == 6) {
		if (l3_len < IP6_HLEN || (l3[0] >> 4) != 6 || l4_off < IP6_HLEN ||
				l3_len < l4_off + TCP_HLEN)
			return -EINVAL;
		memcpy(ip, l3, IP6_HLEN);
		ip[6] = IPPROTO_TCP;  /* extension headers are not carried */
		dtc_wr16(ip + 4, (uint16_t)(((l3[l4_off + 12] >> 4) * 4) + payload_len));
	} else {
		return -EINVAL;
	}
	th = out + DTC_V2_REC_HDR + iph;
	doff = (uint32_t)(l3[l4_off + 12] >> 4) * 4;
	if (doff < TCP_HLEN || l3_len < l4_off + TCP_HLEN)
		return -EINVAL;
	opt = RTE_MIN(doff - TCP_HLEN, l3_len - l4_off - TCP_HLEN);
	memcpy(th, l3 + l4_off, TCP_HLEN + opt);
	memset(th + TCP_HLEN + opt, 0, DTC_V2_OPT_MAX - opt);
	pre = 0;
	if (l3_len > l4_off + doff)
		pre = min32(min32(prefix, DTC_V2_PREFIX_MAX),
			min32(payload_len, l3_len - l4_off - doff));
	len = DTC_V2_REC_HDR + iph + TCP_HLEN + DTC_V2_OPT_MAX;
	memcpy(out + len, l3 + l4_off + doff, pre);
	out[0] = family;
	out[1] = (uint8_t)opt;
	dtc_wr16(out + 2, payload_len);
	dtc_wr16(out + 4, (uint16_t)pre);
	dtc_wr16(out + 6, 0);
	wr64(out + 8, capture_us);
	return (int)(len + pre);
}

int
dtc_v2_rec_encode_mbuf(uint8_t out[DTC_V2_REC_MAX], const struct rte_mbuf *m,
	const struct dtc_pkt_info *pi, uint64_t capture_us, uint16_t prefix)
{
	uint8_t copy[IP6_HLEN + 256 + 60 + DTC_V2_PREFIX_MAX];
	uint32_t len, l4, avail;
	const uint8_t *p;

	if (pi->l4 != DTC_L4_TCP || pi->l4_off < pi->l3_off ||
			(pi->family != 4 && pi->family != 6))
		return -EINVAL;
	l4 = (uint32_t)(pi->l4_off - pi->l3_off);
	prefix = RTE_MIN(prefix, pi->payload_len);
	prefix = RTE_MIN(prefix, (uint16_t)DTC_V2_PREFIX_MAX);
	len = l4 + pi->tcp_hlen + prefix;
	avail = rte_pktmbuf_pkt_len(m) > pi->l3_off ? rte_pktmbuf_pkt_len(m) - pi->l3_off : 0;
	len = RTE_MIN(len, avail);
	if (len > sizeof(copy) || len < l4 + TCP_HLEN)
		return -EINVAL;
	p = rte_pktmbuf_read(m, pi->l3_off, len, copy);
	if (p == NULL)
		return -EINVAL;
	return dtc_v2_rec_encode(out, pi->family, p, len, l4, pi->payload_len, capture_us, prefix);
}

uint32_t
dtc_v2_rec_len(const uint8_t *rec, uint32_t avail)
{
	uint32_t len, pre;

	if (avail < DTC_V2_REC_HDR)
		return 0;
	if (rec[0] == 4)
		len = DTC_V2_REC4_LEN;
	else if (rec[0] == 6)
		len = DTC_V2_REC6_LEN;
	else
		return 0;
	pre = dtc_rd16(rec + 4);
	if (pre > DTC_V2_PREFIX_MAX || len + pre > avail)
		return 0;
	return len + pre;
}

int
dtc_v2_rec_decode(const uint8_t *rec, uint32_t len, struct dtc_resp *r,
	struct dtc_v2_rec_meta *m)
{
	uint32_t iph, doff, opt = rec[1];
	const uint8_t *ip = rec + DTC_V2_REC_HDR, *th;
	struct dtc_tcp_opts o;

	if (dtc_v2_rec_len(rec, len) != len)
		return -DTC_CTL_ERR_REC_IP;
	memset(&r->key, 0, sizeof(r->key));
	if (rec[0] == 4) {
		if (ip[0] != 0x45)
			return -DTC_CTL_ERR_REC_IP;
		if (ip[9] != IPPROTO_TCP)
			return -DTC_CTL_ERR_REC_TCP;
		iph = IP4_HLEN;
		r->key.family = 4;
		memcpy(&r->key.client.a32[0], ip + 16, 4); /* the segment's destination */
		memcpy(&r->key.server.a32[0], ip + 12, 4);
	} else {
		if ((ip[0] >> 4) != 6)
			return -DTC_CTL_ERR_REC_IP;
		if (ip[6] != IPPROTO_TCP)
			return -DTC_CTL_ERR_REC_TCP;
		iph = IP6_HLEN;
		r->key.family = 6;
		memcpy(r->key.client.a8, ip + 24, 16);
		memcpy(r->key.server.a8, ip + 8, 16);
	}
	th = ip + iph;
	doff = (uint32_t)(th[12] >> 4) * 4;
	if (doff < TCP_HLEN || opt != doff - TCP_HLEN ||
			dtc_tcp_opts_parse(th + TCP_HLEN, opt, &o) != 0)
		return -DTC_CTL_ERR_REC_TCP;
	memcpy(&r->key.client_port, th + 2, 2);
	memcpy(&r->key.server_port, th, 2);
	r->seq = dtc_rd32(th + 4);
	r->ack = dtc_rd32(th + 8);
	r->flags = th[13];
	r->win = dtc_rd16(th + 14);
	r->payload_len = dtc_rd16(rec + 2);
	memset(r->pad, 0, sizeof(r->pad));
	resp_opts(r, &o);
	if (m != NULL) {
		m->capture_us = rd64(rec + 8);
		m->prefix_len = dtc_rd16(rec + 4);
		m->prefix = rec + len - m->prefix_len;
	}
	return 0;
}

int
dtc_v2_records_decode(const uint8_t *body, uint32_t len, dtc_v2_rec_cb cb, void *arg,
	uint64_t *bad)
{
	struct dtc_v2_rec_meta m;
	struct dtc_resp r;
	uint32_t off, n, rl;

	/* Structure first: a message is taken whole or not at all. */
	for (off = 0, n = 0; off < len; off += rl, n++) {
		rl = dtc_v2_rec_len(body + off, len - off);
		if (rl == 0 || n == DTC_V2_REC_MAX_COUNT)
			return -DTC_CTL_ERR_V2_RECORDS;
	}
	if (n == 0)
		return -DTC_CTL_ERR_V2_RECORDS;
	for (off = 0; off < len; off += rl) {
		rl = dtc_v2_rec_len(body + off, len - off);
		if (dtc_v2_rec_decode(body + off, rl, &r, &m) != 0) {
			if (bad != NULL)
				(*bad)++;
			continue;
		}
		if (cb != NULL)
			cb(arg, &r, &m);
	}
	return 0;
}

/* ---- message stream ---- */

void
dtc_v2_rx_init(struct dtc_v2_rx *rx, uint32_t allowed, bool preamble)
{
	rx->have = 0;
	rx->need = 0;
	rx->allowed = allowed;
	rx->preamble = preamble ? 2 : 0;
	rx->err = 0;
	rx->msgs = 0;
}

/* The length of a message from its header, or a negative error. */
static int64_t
v2_msg_len(const struct dtc_v2_rx *rx, const uint8_t *hdr)
{
	uint8_t type = hdr[0];
	uint32_t body = dtc_rd16(hdr + 2);

	if (type >= DTC_V2_TYPE_MAX || !(rx->allowed & (1u << type)))
		return -DTC_CTL_ERR_V2_TYPE;
	if (!dtc_v2_len_ok(type, body))
		return -DTC_CTL_ERR_V2_LEN;
	return DTC_V2_HDR_LEN + body;
}

static int
v2_deliver(struct dtc_v2_rx *rx, const uint8_t *msg, uint32_t len, dtc_v2_msg_cb cb, void *arg)
{
	int rc = 0;

	rx->msgs++;
	if (cb != NULL)
		rc = cb(arg, msg[0], msg + DTC_V2_HDR_LEN, len - DTC_V2_HDR_LEN);
	if (rc < 0)
		rx->err = rc;
	return rc;
}

int
dtc_v2_rx_feed(struct dtc_v2_rx *rx, const uint8_t *data, size_t len, dtc_v2_msg_cb cb,
	void *arg)
{
	while (rx->err == 0 && len > 0) {
		uint32_t take;
		int64_t ml;

		if (rx->preamble > 0) {
			if (*data != 0) {
				rx->err = -DTC_CTL_ERR_V2_PREAMBLE;
				break;
			}
			rx->preamble--;
			data++;
			len--;
			continue;
		}
		/* Whole messages straight from the caller's buffer. */
		if (rx->have == 0 && len >= DTC_V2_HDR_LEN) {
			ml = v2_msg_len(rx, data);
			if (ml < 0) {
				rx->err = (int32_t)ml;
				break;
			}
			if (len >= (size_t)ml) {
				v2_deliver(rx, data, (uint32_t)ml, cb, arg);
				data += ml;
				len -= (size_t)ml;
				continue;
			}
		}
		if (rx->need == 0) {
			take = RTE_MIN((uint32_t)len, DTC_V2_HDR_LEN - rx->have);
			memcpy(rx->buf + rx->have, data, take);
			rx->have += take;
			data += take;
			len -= take;
			if (rx->have < DTC_V2_HDR_LEN)
				break;
			ml = v2_msg_len(rx, rx->buf);
			if (ml < 0) {
				rx->err = (int32_t)ml;
				break;
			}
			rx->need = (uint32_t)ml;
		}
		if (rx->have < rx->need) {
			take = RTE_MIN((uint32_t)len, rx->need - rx->have);
			memcpy(rx->buf + rx->have, data, take);
			rx->have += take;
			data += take;
			len -= take;
		}
		if (rx->have == rx->need) {
			uint32_t ml32 = rx->need;

			rx->have = 0;
			rx->need = 0;
			v2_deliver(rx, rx->buf, ml32, cb, arg);
		}
	}
	return rx->err;
}

/* ---- authentication ---- */

int
dtc_v2_secret_load(const char *path, struct dtc_v2_secret *s, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "secret file %s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) != 0) {
		rc = -errno;
		snprintf(err, errlen, "secret file %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		snprintf(err, errlen, "secret file %s: not a regular file", path);
	} else if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		rc = -EPERM;
		snprintf(err, errlen, "secret file %s: mode %04o is open to group or others "
			"(chmod 600 it)", path, (unsigned int)(st.st_mode & 07777));
	} else if ((n = read(fd, s->key, sizeof(s->key))) < 0) {
		rc = -errno;
		snprintf(err, errlen, "secret file %s: %s", path, strerror(errno));
	} else {
		uint8_t extra;

		if (n > 0 && s->key[n - 1] == '\n')
			n--;
		if (n == (ssize_t)sizeof(s->key) && read(fd, &extra, 1) > 0) {
			rc = -EFBIG;
			snprintf(err, errlen, "secret file %s: longer than %u bytes", path,
				DTC_V2_SECRET_MAX);
		} else if (n < DTC_V2_SECRET_MIN) {
			rc = -EINVAL;
			snprintf(err, errlen, "secret file %s: %zd bytes, at least %u needed", path,
				n, DTC_V2_SECRET_MIN);
		} else {
			s->len = (uint32_t)n;
		}
	}
	close(fd);
	if (rc != 0)
		memset(s, 0, sizeof(*s));
	return rc;
}

int
dtc_v2_random(uint8_t *out, size_t n)
{
	return RAND_bytes(out, (int)n) == 1 ? 0 : -EIO;
}

int
dtc_v2_mac(const struct dtc_v2_secret *s, int role,
	const uint8_t icpt_hello[DTC_V2_HELLO_LEN], const uint8_t copier_hello[DTC_V2_HELLO_LEN],
	uint8_t mac[DTC_V2_MAC_LEN])
{
	static const char lc[] = "dtc2 copier", li[] = "dtc2 intercept";
	uint8_t msg[sizeof(li) + 2 * DTC_V2_HELLO_LEN];
	const char *label = role == DTC_V2_ROLE_COPIER ? lc : li;
	size_t ll = strlen(label);
	unsigned int ml = DTC_V2_MAC_LEN;

	if (s == NULL || s->len == 0)
		return -EINVAL;
	memcpy(msg, label, ll);
	memcpy(msg + ll, icpt_hello, DTC_V2_HELLO_LEN);
	memcpy(msg + ll + DTC_V2_HELLO_LEN, copier_hello, DTC_V2_HELLO_LEN);
	if (HMAC(EVP_sha256(), s->key, (int)s->len, msg, ll + 2 * DTC_V2_HELLO_LEN, mac,
			&ml) == NULL || ml != DTC_V2_MAC_LEN)
		return -EIO;
	return 0;
}

bool
dtc_v2_mac_equal(const uint8_t a[DTC_V2_MAC_LEN], const uint8_t b[DTC_V2_MAC_LEN])
{
	return CRYPTO_memcmp(a, b, DTC_V2_MAC_LEN) == 0;
}
