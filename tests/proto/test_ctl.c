/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control channel v1: byte layouts checked against PROTOCOL.md's tables (offsets written out
 * here by hand), record encode/decode, the two stream decoders fed whole, split at every byte
 * boundary, byte by byte and in random chunks, strict errors, the batch writer.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "../common/dtc_test_eal.h"
#include "pktgen.h"

static const uint8_t ip4a[4] = {198, 18, 2, 100}, ip4b[4] = {198, 18, 1, 56};
static struct rte_mempool *mp;

static void
test_encode_layout(void)
{
	uint8_t out[DTC_V1_ROUTE_LEN];
	static const uint8_t want_ver[14] = {0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0};
	static const uint8_t want_add[14] = {198, 18, 2, 100, 0x9c, 0x40, 0, 1, 198, 18, 1, 56,
		0, 80};
	struct dtc_flow_key k;

	dtc_v1_version_encode(out, DTC_V1_VERSION);
	CHECK(memcmp(out, want_ver, 14) == 0);
	memset(&k, 0, sizeof(k));
	k.family = 4;
	memcpy(&k.client.a32[0], ip4a, 4);
	memcpy(&k.server.a32[0], ip4b, 4);
	k.client_port = rte_cpu_to_be_16(40000);
	k.server_port = rte_cpu_to_be_16(80);
	CHECK_EQ(dtc_v1_route_encode(out, &k, DTC_V1_ROUTE_ADD), 0);
	CHECK(memcmp(out, want_add, 14) == 0);
	CHECK_EQ(dtc_v1_route_encode(out, &k, DTC_V1_ROUTE_DEL), 0);
	CHECK_EQ(out[7], 2);
	CHECK_EQ(dtc_v1_route_encode(out, &k, 3), -EINVAL);
	k.family = 6;
	CHECK_EQ(dtc_v1_route_encode(out, &k, DTC_V1_ROUTE_ADD), -EAFNOSUPPORT);
}

/* An IPv4/TCP packet from pktgen with the given IP options and TCP options. */
static size_t
mk_ip(uint8_t *p, unsigned int ipoptlen, const uint8_t *opts, unsigned int optlen,
	unsigned int plen, uint8_t flags)
{
	static const uint8_t ipopts[40] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	static uint8_t payload[1000];
	struct pg_tcp t = {
		.sport = 80, .dport = 40000, .seq = 1000, .ack = 2000, .flags = flags,
		.win = 65000, .opts = opts, .optlen = optlen, .payload = payload, .plen = plen,
	};

	return pg_ipv4_tcp(p, ip4b, ip4a, ipopts, ipoptlen, &t);
}

static void
test_record(void)
{
	static const uint8_t synack[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
		1, 3, 3, 9};
	uint8_t sack[40] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 26};
	uint8_t ip[1200], rec[64], rec2[64];
	struct dtc_resp r;
	size_t n;

	/* SYN-ACK, 20 option bytes: all carried, 4 bytes of zero padding. */
	n = mk_ip(ip, 0, synack, sizeof(synack), 0, DTC_TCP_SYN | DTC_TCP_ACK);
	memset(rec, 0xee, sizeof(rec));
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), 0);
	CHECK(memcmp(rec, ip, 20) == 0);
	CHECK(memcmp(rec + 20, ip + 20, 40) == 0);
	CHECK(rec[60] == 0 && rec[61] == 0 && rec[62] == 0 && rec[63] == 0);
	CHECK_EQ(dtc_v1_rec_decode(rec, &r), 0);
	CHECK_EQ(r.key.family, 4);
	CHECK(memcmp(&r.key.client.a32[0], ip4a, 4) == 0);  /* destination = fake client */
	CHECK(memcmp(&r.key.server.a32[0], ip4b, 4) == 0);
	CHECK_EQ(rte_be_to_cpu_16(r.key.client_port), 40000);
	CHECK_EQ(rte_be_to_cpu_16(r.key.server_port), 80);
	CHECK_EQ(r.seq, 1000);
	CHECK_EQ(r.ack, 2000);
	CHECK_EQ(r.win, 65000);
	CHECK_EQ(r.flags, DTC_TCP_SYN | DTC_TCP_ACK);
	CHECK_EQ(r.payload_len, 0);
	CHECK_EQ(r.mss, 1460);
	CHECK_EQ(r.wscale, 9);
	CHECK_EQ(r.tsval, 5);
	CHECK_EQ(r.opt, DTC_RESP_TS | DTC_RESP_SACK_OK);

	/* Data with TS + 3 SACK blocks (40 option bytes): cut at 24, TS still decoded. */
	n = mk_ip(ip, 0, sack, sizeof(sack), 777, DTC_TCP_ACK);
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), 0);
	CHECK(memcmp(rec + 20, ip + 20, 44) == 0);
	CHECK_EQ(dtc_v1_rec_decode(rec, &r), 0);
	CHECK_EQ(r.payload_len, 777);
	CHECK_EQ(r.opt, DTC_RESP_TS);
	CHECK_EQ(r.mss, 0);
	CHECK_EQ(r.wscale, DTC_WSCALE_NONE);
	/* A capture cut inside the options: what is there is carried. */
	CHECK_EQ(dtc_v1_rec_encode(rec2, ip, 20 + 20 + 10), 0);
	CHECK(memcmp(rec2 + 20, ip + 20, 30) == 0);
	CHECK_EQ(rec2[50], 0);

	/* IPv4 options: record says IHL 5, tot_len minus 8, checksum still valid. */
	n = mk_ip(ip, 8, NULL, 0, 100, DTC_TCP_ACK | DTC_TCP_FIN);
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), 0);
	CHECK_EQ(rec[0], 0x45);
	CHECK_EQ(pg_get16(rec + 2), 20 + 20 + 100);
	CHECK_EQ(pg_csum_final(pg_sum(rec, 20, 0)), 0);
	CHECK(memcmp(rec + 20, ip + 28, 20) == 0);
	CHECK_EQ(dtc_v1_rec_decode(rec, &r), 0);
	CHECK_EQ(r.payload_len, 100);
	CHECK_EQ(r.flags, DTC_TCP_ACK | DTC_TCP_FIN);
	/* ... and a 1.x intercept's verbatim IHL 7 record (TCP at 20 anyway) decodes the same. */
	memcpy(rec2, ip, 20);
	memcpy(rec2 + 20, ip + 28, 20);
	memset(rec2 + 40, 0, 24);
	CHECK_EQ(dtc_v1_rec_decode(rec2, &r), 0);
	CHECK_EQ(r.payload_len, 100);

	/* Encoder refusals. */
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, 39 + 8), -EINVAL);
	n = mk_ip(ip, 0, NULL, 0, 0, DTC_TCP_ACK);
	ip[9] = 17;
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), -EINVAL);
	ip[9] = 6;
	ip[0] = 0x65;
	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), -EINVAL);
}

static void
test_record_errors(void)
{
	uint8_t ip[200], rec[64], bad[64];
	static const uint8_t zero_len_opt[4] = {1, 30, 0, 0};
	struct dtc_resp r;
	size_t n = mk_ip(ip, 0, NULL, 0, 10, DTC_TCP_ACK);

	CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), 0);
	memcpy(bad, rec, 64); bad[0] = 0x65;
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_IP);
	memcpy(bad, rec, 64); bad[0] = 0x44;
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_IP);
	memcpy(bad, rec, 64); bad[9] = 17;
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_TCP);
	memcpy(bad, rec, 64); bad[32] = 0x40;
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_TCP);
	memcpy(bad, rec, 64); pg_put16(bad + 2, 39);
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_TCP);
	memcpy(bad, rec, 64); pg_put16(bad + 2, 40);
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), 0);
	CHECK_EQ(r.payload_len, 0);
	/* An option of length 0 inside a fully carried block is an error. */
	memcpy(bad, rec, 64); bad[32] = 0x60; memcpy(bad + 40, zero_len_opt, 4);
	pg_put16(bad + 2, 44);
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), -DTC_CTL_ERR_REC_TCP);
	/* In a block cut at 24 the same bytes at the end are forgiven. */
	memcpy(bad, rec, 64); bad[32] = 0xf0; memset(bad + 40, 1, 24); bad[62] = 30; bad[63] = 40;
	pg_put16(bad + 2, 80);
	CHECK_EQ(dtc_v1_rec_decode(bad, &r), 0);
}

/* ---- stream decoders ---- */

struct sink {
	unsigned int n;
	uint32_t seq[600];
	uint16_t version;
	unsigned int nver;
	struct dtc_flow_key keys[300];
	uint16_t types[300];
};

static void
rec_cb(void *arg, const struct dtc_resp *r, const uint8_t *raw)
{
	struct sink *s = arg;

	if (s->n < RTE_DIM(s->seq))
		s->seq[s->n] = r->seq;
	s->n++;
	CHECK_EQ(pg_get32(raw + 24), r->seq);
}

/* A stream of frames with counts 1..16, record i carrying seq = i. */
static size_t
mk_stream(uint8_t *out, unsigned int *nrec)
{
	uint8_t ip[200], rec[64];
	struct dtc_v1_batch b;
	size_t len = 0;
	unsigned int c, i, seq = 0;
	size_t n = mk_ip(ip, 0, NULL, 0, 0, DTC_TCP_ACK);

	for (c = 1; c <= DTC_V1_BATCH_MAX; c++) {
		dtc_v1_batch_reset(&b);
		for (i = 0; i < c; i++) {
			pg_put32(ip + 24, seq++);
			CHECK_EQ(dtc_v1_rec_encode(rec, ip, (uint32_t)n), 0);
			CHECK_EQ(dtc_v1_batch_add(&b, rec), i + 1);
		}
		CHECK_EQ(dtc_v1_batch_finish(&b), 2 + c * 64);
		CHECK_EQ(pg_get16(b.buf), c);
		memcpy(out + len, b.buf, 2 + c * 64);
		len += 2 + c * 64;
	}
	*nrec = seq;
	return len;
}

static void
check_sink(const struct sink *s, unsigned int nrec, const char *how, size_t at)
{
	unsigned int i, bad = 0;

	CHECKF(s->n == nrec, "%s %zu: %u records", how, at, s->n);
	for (i = 0; i < s->n && i < nrec; i++)
		bad += s->seq[i] != i;
	CHECKF(bad == 0, "%s %zu", how, at);
}

static void
test_rec_stream(void)
{
	static uint8_t st[20000];
	unsigned int nrec;
	size_t len = mk_stream(st, &nrec), cut, off;
	struct dtc_v1_rec_rx rx;
	struct sink s;

	memset(&s, 0, sizeof(s));
	dtc_v1_rec_rx_init(&rx);
	CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st, len, rec_cb, &s), 0);
	check_sink(&s, nrec, "whole", 0);
	CHECK_EQ(rx.frames, 16);
	CHECK_EQ(rx.records, nrec);
	/* Two pieces, cut at every byte. */
	for (cut = 1; cut < len; cut++) {
		memset(&s, 0, sizeof(s));
		dtc_v1_rec_rx_init(&rx);
		CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st, cut, rec_cb, &s), 0);
		CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st + cut, len - cut, rec_cb, &s), 0);
		check_sink(&s, nrec, "cut", cut);
	}
	/* Byte by byte, then random chunks. */
	memset(&s, 0, sizeof(s));
	dtc_v1_rec_rx_init(&rx);
	for (off = 0; off < len; off++)
		CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st + off, 1, rec_cb, &s), 0);
	check_sink(&s, nrec, "bytes", 0);
	CHECK_EQ(rx.have, 0);
	memset(&s, 0, sizeof(s));
	dtc_v1_rec_rx_init(&rx);
	for (off = 0; off < len;) {
		size_t c = RTE_MIN(len - off, (size_t)dtc_rand_range(300));

		CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st + off, c, rec_cb, &s), 0);
		off += c;
	}
	check_sink(&s, nrec, "chunks", 0);
}

static void
test_rec_stream_errors(void)
{
	static const uint16_t bad_counts[] = {0, 17, 65535};
	static uint8_t st[20000], all[20000];
	unsigned int i, nrec;
	struct dtc_v1_rec_rx rx;
	struct sink s;
	size_t len;

	for (i = 0; i < RTE_DIM(bad_counts); i++) {
		size_t k;

		/* One good frame (count 1) then the bad count: the good one is delivered. */
		mk_stream(all, &nrec);
		memcpy(st, all, 66);
		len = 66;
		pg_put16(st + len, bad_counts[i]);
		memset(st + len + 2, 0x45, 200);
		len += 202;
		for (k = 1; k <= len; k += 61) {
			size_t off = 0;
			int ret = 0;

			memset(&s, 0, sizeof(s));
			dtc_v1_rec_rx_init(&rx);
			while (off < len && ret == 0) {
				size_t c = RTE_MIN(k, len - off);

				ret = dtc_v1_rec_rx_feed(&rx, st + off, c, rec_cb, &s);
				off += c;
			}
			CHECK_EQF(ret, -DTC_CTL_ERR_COUNT, "count %u chunk %zu", bad_counts[i], k);
			CHECK_EQ(s.n, 1);
			/* sticky */
			CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st, 66, rec_cb, &s), -DTC_CTL_ERR_COUNT);
			CHECK_EQ(s.n, 1);
		}
	}
	/* A malformed record in a frame is skipped and counted; the next frame still decodes. */
	mk_stream(st, &nrec);
	st[2 + 64 + 2] = 0x65; /* 2nd frame (count 2), 1st record: version 6 */
	memset(&s, 0, sizeof(s));
	dtc_v1_rec_rx_init(&rx);
	CHECK_EQ(dtc_v1_rec_rx_feed(&rx, st, 66 + 130 + 194, rec_cb, &s), 0);
	CHECK_EQ(rx.bad_records, 1);
	CHECK_EQ(rx.records, 5);
	CHECK_EQ(rx.frames, 3);
	CHECK_EQ(s.n, 5);
}

static void
route_cb(void *arg, const struct dtc_flow_key *k, uint16_t type)
{
	struct sink *s = arg;

	if (s->n < RTE_DIM(s->keys)) {
		s->keys[s->n] = *k;
		s->types[s->n] = type;
	}
	s->n++;
}

static void
ver_cb(void *arg, uint16_t v)
{
	struct sink *s = arg;

	s->version = v;
	s->nver++;
}

static size_t
mk_routes(uint8_t *st, unsigned int n)
{
	struct dtc_flow_key k;
	unsigned int i;

	dtc_v1_version_encode(st, DTC_V1_VERSION);
	memset(&k, 0, sizeof(k));
	k.family = 4;
	memcpy(&k.client.a32[0], ip4a, 4);
	memcpy(&k.server.a32[0], ip4b, 4);
	k.server_port = rte_cpu_to_be_16(80);
	for (i = 0; i < n; i++) {
		k.client_port = rte_cpu_to_be_16((uint16_t)(1024 + i));
		CHECK_EQ(dtc_v1_route_encode(st + 14 + 14 * i, &k,
			(i % 5 == 4) ? DTC_V1_ROUTE_DEL : DTC_V1_ROUTE_ADD), 0);
	}
	return 14 + 14 * (size_t)n;
}

static void
check_routes(const struct sink *s, unsigned int n, const char *how, size_t at)
{
	unsigned int i, bad = 0;

	CHECKF(s->n == n && s->nver == 1 && s->version == DTC_V1_VERSION, "%s %zu", how, at);
	for (i = 0; i < s->n && i < n; i++) {
		bad += rte_be_to_cpu_16(s->keys[i].client_port) != 1024 + i;
		bad += s->keys[i].family != 4 || s->keys[i].pad[0] != 0;
		bad += memcmp(&s->keys[i].server.a32[0], ip4b, 4) != 0;
		bad += s->types[i] != ((i % 5 == 4) ? DTC_V1_ROUTE_DEL : DTC_V1_ROUTE_ADD);
	}
	CHECKF(bad == 0, "%s %zu", how, at);
}

static void
test_route_stream(void)
{
	uint8_t st[14 * 201];
	size_t len = mk_routes(st, 200), cut, off;
	struct dtc_v1_route_rx rx;
	struct sink *s = calloc(1, sizeof(*s));

	dtc_v1_route_rx_init(&rx);
	CHECK_EQ(dtc_v1_route_rx_feed(&rx, st, len, route_cb, ver_cb, s), 0);
	check_routes(s, 200, "whole", 0);
	CHECK_EQ(rx.routes, 200);
	for (cut = 1; cut < len; cut++) {
		memset(s, 0, sizeof(*s));
		dtc_v1_route_rx_init(&rx);
		CHECK_EQ(dtc_v1_route_rx_feed(&rx, st, cut, route_cb, ver_cb, s), 0);
		CHECK_EQ(dtc_v1_route_rx_feed(&rx, st + cut, len - cut, route_cb, ver_cb, s), 0);
		check_routes(s, 200, "cut", cut);
	}
	memset(s, 0, sizeof(*s));
	dtc_v1_route_rx_init(&rx);
	for (off = 0; off < len; off++)
		CHECK_EQ(dtc_v1_route_rx_feed(&rx, st + off, 1, route_cb, ver_cb, s), 0);
	check_routes(s, 200, "bytes", 0);

	/* 1.x "client too old": non-zero address in the first 8 bytes: those 8 are dropped, the
	 * version callback says 0, and 14-byte messages start at byte 8. */
	memset(s, 0, sizeof(*s));
	dtc_v1_route_rx_init(&rx);
	memcpy(st, ip4a, 4); /* overwrite the version message's address */
	memmove(st + 8, st + 14, 14 * 200);
	for (off = 0; off < len - 6; off++)
		CHECK_EQ(dtc_v1_route_rx_feed(&rx, st + off, 1, route_cb, ver_cb, s), 0);
	CHECK_EQ(s->nver, 1);
	CHECK_EQ(s->version, 0);
	CHECK_EQ(s->n, 200);

	/* Unknown type: error, sticky, nothing delivered after it. */
	len = mk_routes(st, 3);
	pg_put16(st + 14 + 14 + 6, 6); /* 2nd route claims to be a version message */
	memset(s, 0, sizeof(*s));
	dtc_v1_route_rx_init(&rx);
	CHECK_EQ(dtc_v1_route_rx_feed(&rx, st, len, route_cb, ver_cb, s), -DTC_CTL_ERR_ROUTE_TYPE);
	CHECK_EQ(s->n, 1);
	CHECK_EQ(dtc_v1_route_rx_feed(&rx, st, 14, route_cb, ver_cb, s), -DTC_CTL_ERR_ROUTE_TYPE);
	CHECK_EQ(s->n, 1);
	/* A different version is reported, not judged. */
	len = mk_routes(st, 1);
	pg_put16(st + 6, 0x8001);
	memset(s, 0, sizeof(*s));
	dtc_v1_route_rx_init(&rx);
	CHECK_EQ(dtc_v1_route_rx_feed(&rx, st, len, NULL, ver_cb, s), 0);
	CHECK_EQ(s->version, 0x8001);
	CHECK_EQ(rx.routes, 1);
	free(s);
}

static void
test_batch(void)
{
	struct dtc_v1_batch b;
	uint8_t rec[64];
	unsigned int i;

	dtc_v1_batch_reset(&b);
	CHECK_EQ(dtc_v1_batch_finish(&b), 0);
	for (i = 0; i < DTC_V1_BATCH_MAX; i++) {
		memset(rec, (int)i, sizeof(rec));
		CHECK_EQ(dtc_v1_batch_add(&b, rec), i + 1);
	}
	CHECK_EQ(dtc_v1_batch_add(&b, rec), 0);
	CHECK_EQ(dtc_v1_batch_finish(&b), DTC_V1_FRAME_MAX);
	CHECK_EQ(b.buf[0], 0);
	CHECK_EQ(b.buf[1], 16);
	CHECK_EQ(b.buf[2 + 64 * 15], 15);
}

static void
test_resp_from_pkt(void)
{
	static const uint8_t a6[16] = {0x20, 1, 0xd, 0xb8, [15] = 9}, b6[16] = {0xfd, [15] = 1};
	static const uint8_t opts[8] = {2, 4, 0x23, 0x28, 1, 3, 3, 2};
	uint8_t f[300], rec[64];
	struct pg_tcp t = {
		.sport = 8080, .dport = 50000, .seq = 77, .ack = 88, .flags = DTC_TCP_SYN |
		DTC_TCP_ACK, .win = 1000, .opts = opts, .optlen = 8,
	};
	struct dtc_pkt_info pi;
	struct dtc_resp r, r2;
	struct rte_mbuf *m, *m2;
	size_t n = pg_eth(f, 0x86dd);

	n += pg_ipv6_tcp(f + n, b6, a6, 0, NULL, 0, &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(dtc_resp_from_pkt(&pi, &r), 0);
	CHECK_EQ(r.key.family, 6);
	CHECK(memcmp(&r.key.client, a6, 16) == 0 && memcmp(&r.key.server, b6, 16) == 0);
	CHECK_EQ(rte_be_to_cpu_16(r.key.client_port), 50000);
	CHECK_EQ(r.mss, 9000);
	CHECK_EQ(r.wscale, 2);
	CHECK_EQ(r.opt, 0);
	CHECK_EQ(r.seq, 77);
	CHECK_EQ(dtc_v1_rec_encode_mbuf(rec, NULL, &pi), -EINVAL); /* IPv6: no v1 record */

	/* IPv4: resp from the packet == resp from its record, via a 2-segment mbuf. */
	n = pg_eth(f, 0x0800);
	n += pg_ipv4_tcp(f + n, ip4b, ip4a, NULL, 0, &t);
	CHECK_EQ(dtc_parse(f, (uint32_t)n, DTC_LINK_ETHER, false, &pi), 0);
	CHECK_EQ(dtc_resp_from_pkt(&pi, &r), 0);
	m = rte_pktmbuf_alloc(mp);
	m2 = rte_pktmbuf_alloc(mp);
	memcpy(rte_pktmbuf_append(m, 41), f, 41);
	memcpy(rte_pktmbuf_append(m2, (uint16_t)(n - 41)), f + 41, n - 41);
	rte_pktmbuf_chain(m, m2);
	CHECK_EQ(dtc_v1_rec_encode_mbuf(rec, m, &pi), 0);
	CHECK_EQ(dtc_v1_rec_decode(rec, &r2), 0);
	CHECK(memcmp(&r, &r2, sizeof(r)) == 0);
	rte_pktmbuf_free(m);
	pi.l4 = DTC_L4_UDP;
	CHECK_EQ(dtc_resp_from_pkt(&pi, &r), -EINVAL);
	CHECK(strlen(dtc_ctl_strerror(-DTC_CTL_ERR_COUNT)) > 5);
}

int
main(int argc, char **argv)
{
	(void)argc;
	if (dtc_test_eal_init(argv[0], "proto-ctl", 128) < 0)
		return 1;
	mp = rte_pktmbuf_pool_create("ctl", 64, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM, 0);
	if (mp == NULL)
		return 1;
	test_encode_layout();
	test_record();
	test_record_errors();
	test_rec_stream();
	test_rec_stream_errors();
	test_route_stream();
	test_batch();
	test_resp_from_pkt();
	rte_mempool_free(mp);
	dtc_test_eal_fini();
	return dtc_check_end("test_ctl");
}
