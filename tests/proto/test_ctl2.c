/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Control channel v2: message layouts against docs/protocol.md section 3 (offsets written out
 * by hand), the AUTH MACs against Python's hmac (values computed independently and pasted
 * here), records for IPv4 (the v1 record inside, byte for byte) and IPv6, payload prefixes,
 * the message stream decoder fed whole, at every split point and byte by byte, its strict
 * errors, heartbeat clock samples, and the secret file checks.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "../common/dtc_check.h"
#include "pktgen.h"

static const uint8_t ip4a[4] = {198, 18, 2, 100}, ip4b[4] = {198, 18, 1, 56};
static const uint8_t ip6a[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x64};
static const uint8_t ip6b[16] = {0x20, 0x01, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x38};

static void
mk_hello(struct dtc_v2_hello *h, uint16_t features, uint8_t nonce0, const char *name,
	uint16_t prefix)
{
	unsigned int i;

	memset(h, 0, sizeof(*h));
	h->version = 2;
	h->features = features;
	h->prefix = prefix;
	for (i = 0; i < DTC_V2_NONCE_LEN; i++)
		h->nonce[i] = (uint8_t)(nonce0 + i);
	snprintf(h->name, sizeof(h->name), "%s", name);
}

static void
test_hello_auth(void)
{
	static const uint8_t want_c[32] = {0x01, 0xb8, 0x5b, 0xbb, 0x6c, 0xbb, 0x89, 0xca, 0x8f,
		0xd5, 0xe3, 0x33, 0xd5, 0x8e, 0xdf, 0x21, 0x41, 0xd1, 0x5f, 0xb3, 0xba, 0xfb, 0x23,
		0x21, 0xbe, 0xb4, 0x8c, 0x70, 0xb3, 0x69, 0x73, 0xf0};
	static const uint8_t want_i[32] = {0xf0, 0x24, 0xcc, 0x1d, 0xdc, 0x84, 0x30, 0xac, 0x4d,
		0x8d, 0xe1, 0x76, 0x74, 0x86, 0xf6, 0xe0, 0xa6, 0xbb, 0xa4, 0x61, 0xc8, 0xf0, 0xbb,
		0x00, 0x2d, 0x9e, 0x13, 0x50, 0xd1, 0x30, 0x5a, 0x95};
	uint8_t hi[64], hc[64], mac[32], out[64];
	struct dtc_v2_secret k;
	struct dtc_v2_hello h, d;

	dtc_check_case = "hello";
	mk_hello(&h, 0x1f, 0, "icpt", 0);
	CHECK_EQ(dtc_v2_hello_encode(hi, sizeof(hi), &h), 48);
	CHECK_EQ(hi[0], 1);
	CHECK_EQ(hi[1], 0);
	CHECK_EQ(pg_get16(hi + 2), 44);
	CHECK(memcmp(hi + 4, "DTC2", 4) == 0);
	CHECK_EQ(pg_get16(hi + 8), 2);
	CHECK_EQ(pg_get16(hi + 10), 0x1f);
	CHECK_EQ(hi[12], 0);
	CHECK_EQ(hi[27], 15);
	CHECK(memcmp(hi + 28, "icpt\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
	CHECK_EQ(pg_get16(hi + 44), 0);
	CHECK_EQ(dtc_v2_hello_decode(hi + 4, 44, &d), 0);
	CHECK_EQ(d.features, 0x1f);
	CHECK_EQ(strcmp(d.name, "icpt"), 0);
	CHECK(memcmp(d.nonce, h.nonce, 16) == 0);
	CHECK_EQ(dtc_v2_hello_encode(hi, 47, &h), -ENOSPC);
	mk_hello(&h, 0x3f, 16, "copier", 64);
	CHECK_EQ(dtc_v2_hello_encode(hc, sizeof(hc), &h), 48);
	CHECK_EQ(dtc_v2_hello_decode(hc + 4, 44, &d), 0);
	CHECK_EQ(d.prefix, 64);
	/* A 16-byte name has no NUL on the wire; an unprintable byte is shown as '?'. */
	mk_hello(&h, 0, 0, "abcdefghijklmnopq", 0);
	CHECK_EQ(dtc_v2_hello_encode(out, sizeof(out), &h), 48);
	out[4 + 24 + 3] = 0x07;
	CHECK_EQ(dtc_v2_hello_decode(out + 4, 44, &d), 0);
	CHECK_EQ(strcmp(d.name, "abc?efghijklmnop"), 0);
	/* Bad magic, version 1, wrong length. */
	out[4] = 'X';
	CHECK_EQ(dtc_v2_hello_decode(out + 4, 44, &d), -DTC_CTL_ERR_V2_HELLO);
	out[4] = 'D';
	out[9] = 1;
	CHECK_EQ(dtc_v2_hello_decode(out + 4, 44, &d), -DTC_CTL_ERR_V2_HELLO);
	CHECK_EQ(dtc_v2_hello_decode(out + 4, 43, &d), -DTC_CTL_ERR_V2_LEN);

	dtc_check_case = "mac";
	memset(&k, 0, sizeof(k));
	memcpy(k.key, "0123456789abcdef0123456789abcdef", 32);
	k.len = 32;
	CHECK_EQ(dtc_v2_mac(&k, DTC_V2_ROLE_COPIER, hi + 4, hc + 4, mac), 0);
	CHECK(memcmp(mac, want_c, 32) == 0);
	CHECK(dtc_v2_mac_equal(mac, want_c));
	CHECK(!dtc_v2_mac_equal(mac, want_i));
	CHECK_EQ(dtc_v2_mac(&k, DTC_V2_ROLE_INTERCEPT, hi + 4, hc + 4, mac), 0);
	CHECK(memcmp(mac, want_i, 32) == 0);
	/* Another nonce (the next connection), another MAC: an old AUTH does not replay. */
	hi[4 + 8] ^= 1;
	CHECK_EQ(dtc_v2_mac(&k, DTC_V2_ROLE_INTERCEPT, hi + 4, hc + 4, mac), 0);
	CHECK(!dtc_v2_mac_equal(mac, want_i));
	k.len = 0;
	CHECK_EQ(dtc_v2_mac(&k, DTC_V2_ROLE_COPIER, hi + 4, hc + 4, mac), -EINVAL);
	CHECK_EQ(dtc_v2_auth_encode(out, sizeof(out), want_c), 36);
	CHECK_EQ(out[0], 2);
	CHECK_EQ(pg_get16(out + 2), 32);
	CHECK(memcmp(out + 4, want_c, 32) == 0);
	CHECK_EQ(dtc_v2_random(mac, 32), 0);
	CHECK_EQ(dtc_v2_random(out, 32), 0);
	CHECK(memcmp(mac, out, 32) != 0);
	dtc_check_case = NULL;
}

static void
mk_key4(struct dtc_flow_key *k, uint16_t cport)
{
	memset(k, 0, sizeof(*k));
	k->family = 4;
	memcpy(k->client.a8, ip4a, 4);
	memcpy(k->server.a8, ip4b, 4);
	k->client_port = rte_cpu_to_be_16(cport);
	k->server_port = rte_cpu_to_be_16(80);
}

struct keys {
	unsigned int n;
	uint16_t type;
	struct dtc_flow_key k[8];
};

static void
on_key(void *arg, const struct dtc_flow_key *k, uint16_t type)
{
	struct keys *ks = arg;

	if (ks->n < 8)
		ks->k[ks->n] = *k;
	ks->n++;
	ks->type = type;
}

static void
test_routes(void)
{
	uint8_t out[256];
	struct dtc_flow_key k[3];
	struct keys ks;

	dtc_check_case = "routes";
	mk_key4(&k[0], 40000);
	mk_key4(&k[1], 40001);
	memset(&k[2], 0, sizeof(k[2]));
	k[2].family = 6;
	memcpy(k[2].client.a8, ip6a, 16);
	memcpy(k[2].server.a8, ip6b, 16);
	k[2].client_port = rte_cpu_to_be_16(5000);
	k[2].server_port = rte_cpu_to_be_16(6379);
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_ROUTE_ADD, k, 3), 124);
	CHECK_EQ(out[0], 3);
	CHECK_EQ(pg_get16(out + 2), 120);
	/* Key layout: client 16, target 16, client port, target port, family, 3 zero. */
	CHECK(memcmp(out + 4, ip4a, 4) == 0);
	CHECK_EQ(pg_get32(out + 8), 0);
	CHECK(memcmp(out + 4 + 16, ip4b, 4) == 0);
	CHECK_EQ(pg_get16(out + 4 + 32), 40000);
	CHECK_EQ(pg_get16(out + 4 + 34), 80);
	CHECK_EQ(out[4 + 36], 4);
	CHECK_EQ(out[4 + 37] | out[4 + 38] | out[4 + 39], 0);
	CHECK(memcmp(out + 4 + 80, ip6a, 16) == 0);
	CHECK_EQ(out[4 + 80 + 36], 6);
	memset(&ks, 0, sizeof(ks));
	CHECK_EQ(dtc_v2_routes_decode(out + 4, 120, DTC_V2_ROUTE_ADD, on_key, &ks), 0);
	CHECK_EQ(ks.n, 3);
	CHECK_EQ(ks.type, DTC_V2_ROUTE_ADD);
	CHECK(memcmp(ks.k, k, sizeof(k)) == 0);
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_ROUTE_DEL, k, 1), 44);
	CHECK_EQ(out[0], 4);
	CHECK_EQ(dtc_v2_route_encode(out, 43, DTC_V2_ROUTE_DEL, k, 1), -ENOSPC);
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_RECORDS, k, 1), -EINVAL);
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_ROUTE_ADD, k, 0), -EINVAL);
	/* Bad keys: family 5, padding, an IPv4 key with bits beyond its 4 bytes.  All keys are
	 * checked before the first callback. */
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_ROUTE_ADD, k, 3), 124);
	out[4 + 80 + 36] = 5;
	memset(&ks, 0, sizeof(ks));
	CHECK_EQ(dtc_v2_routes_decode(out + 4, 120, DTC_V2_ROUTE_ADD, on_key, &ks),
		-DTC_CTL_ERR_V2_KEY);
	CHECK_EQ(ks.n, 0);
	out[4 + 80 + 36] = 6;
	out[4 + 40 + 38] = 1;
	CHECK_EQ(dtc_v2_routes_decode(out + 4, 120, DTC_V2_ROUTE_ADD, on_key, &ks),
		-DTC_CTL_ERR_V2_KEY);
	out[4 + 40 + 38] = 0;
	out[4 + 40 + 20] = 1;
	CHECK_EQ(dtc_v2_routes_decode(out + 4, 120, DTC_V2_ROUTE_ADD, on_key, &ks),
		-DTC_CTL_ERR_V2_KEY);
	CHECK_EQ(dtc_v2_routes_decode(out + 4, 119, DTC_V2_ROUTE_ADD, on_key, &ks),
		-DTC_CTL_ERR_V2_LEN);
	k[1].pad[1] = 1;
	CHECK_EQ(dtc_v2_route_encode(out, sizeof(out), DTC_V2_ROUTE_ADD, k, 2), -EINVAL);
	dtc_check_case = NULL;
}

static void
test_hb_bye(void)
{
	struct dtc_v2_hb hb = { .seq = 7, .tx_us = 0x0102030405060708ull,
		.echo_tx_us = 1000, .echo_rx_us = 2000 }, d;
	uint8_t out[256];
	int64_t off, delay;
	char text[300];

	dtc_check_case = "heartbeat";
	CHECK_EQ(dtc_v2_hb_encode(out, sizeof(out), &hb), 36);
	CHECK_EQ(out[0], 6);
	CHECK_EQ(pg_get16(out + 2), 32);
	CHECK_EQ(pg_get32(out + 4), 7);
	CHECK_EQ(pg_get32(out + 8), 0);
	CHECK_EQ(pg_get32(out + 12), 0x01020304);
	CHECK_EQ(pg_get32(out + 16), 0x05060708);
	CHECK_EQ(pg_get32(out + 24), 1000);
	CHECK_EQ(pg_get32(out + 32), 2000);
	CHECK_EQ(dtc_v2_hb_decode(out + 4, 32, &d), 0);
	CHECK(d.seq == 7 && d.tx_us == hb.tx_us && d.echo_tx_us == 1000 && d.echo_rx_us == 2000);
	CHECK_EQ(dtc_v2_hb_decode(out + 4, 31, &d), -DTC_CTL_ERR_V2_LEN);

	/* NTP: we sent at 1000 (our clock), the peer, 500 us ahead, got it after 100 us at
	 * 1600 (its clock), answered 300 us later at 1900; back after 100 us: 1500 ours. */
	hb.echo_tx_us = 1000;
	hb.echo_rx_us = 1600;
	hb.tx_us = 1900;
	CHECK(dtc_v2_clock_sample(&hb, 1500, &off, &delay));
	CHECK_EQ(off, 500);
	CHECK_EQ(delay, 200);
	/* ... and 700 us behind. */
	hb.echo_rx_us = 1000 + 100 - 700;
	hb.tx_us = hb.echo_rx_us + 300;
	CHECK(dtc_v2_clock_sample(&hb, 1500, &off, &delay));
	CHECK_EQ(off, -700);
	CHECK_EQ(delay, 200);
	hb.echo_tx_us = 0;
	CHECK(!dtc_v2_clock_sample(&hb, 1500, &off, &delay));
	hb.echo_tx_us = 2000;  /* echoes a time after now: not ours */
	CHECK(!dtc_v2_clock_sample(&hb, 1500, &off, &delay));

	dtc_check_case = "bye";
	CHECK_EQ(dtc_v2_bye_encode(out, sizeof(out), DTC_V2_BYE_AUTH_FAILED, "bad mac"), 13);
	CHECK_EQ(out[0], 7);
	CHECK_EQ(pg_get16(out + 2), 9);
	CHECK_EQ(pg_get16(out + 4), 2);
	CHECK(memcmp(out + 6, "bad mac", 7) == 0);
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	CHECK_EQ(dtc_v2_bye_encode(out, sizeof(out), 1, text), 4 + 2 + 200);
	CHECK_EQ(dtc_v2_bye_encode(out, sizeof(out), 1, NULL), 6);
	dtc_check_case = NULL;
}

static void
test_records(void)
{
	static const uint8_t opts40[40] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6,
		1, 3, 3, 9, 1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
	uint8_t payload[300], ip[1500], rec[DTC_V2_REC_MAX], v1[64];
	struct dtc_v2_rec_meta m;
	struct dtc_resp r, r1;
	struct pg_tcp t = {
		.sport = 80, .dport = 40000, .seq = 1000, .ack = 2000,
		.flags = DTC_TCP_SYN | DTC_TCP_ACK, .win = 65000, .opts = opts40, .optlen = 40,
		.payload = payload, .plen = 300,
	};
	unsigned int i;
	size_t n;
	int len;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)i;
	dtc_check_case = "rec4";
	n = pg_ipv4_tcp(ip, ip4b, ip4a, NULL, 0, &t);
	len = dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 20, 300, 0x1122334455667788ull, 0);
	CHECK_EQ(len, 96);
	CHECK_EQ(rec[0], 4);
	CHECK_EQ(rec[1], 40);
	CHECK_EQ(pg_get16(rec + 2), 300);
	CHECK_EQ(pg_get16(rec + 4), 0);
	CHECK_EQ(pg_get16(rec + 6), 0);
	CHECK_EQ(pg_get32(rec + 8), 0x11223344);
	CHECK_EQ(pg_get32(rec + 12), 0x55667788);
	CHECK(memcmp(rec + 16, ip, 20) == 0);
	CHECK(memcmp(rec + 36, ip + 20, 60) == 0);  /* all 40 option bytes (v1: 24) */
	/* The v1 record of the segment is inside, byte for byte. */
	CHECK_EQ(dtc_v1_rec_encode(v1, ip, (uint32_t)n), 0);
	CHECK(memcmp(rec + DTC_V2_REC_V1_OFF, v1, 64) == 0);
	CHECK_EQ(dtc_v2_rec_len(rec, 96), 96);
	CHECK_EQ(dtc_v2_rec_len(rec, 95), 0);
	CHECK_EQ(dtc_v2_rec_decode(rec, 96, &r, &m), 0);
	CHECK_EQ(dtc_v1_rec_decode(v1, &r1), 0);
	CHECK(memcmp(&r, &r1, sizeof(r)) == 0);
	CHECK_EQ(m.capture_us, 0x1122334455667788ull);
	CHECK_EQ(m.prefix_len, 0);
	CHECK_EQ(r.payload_len, 300);
	CHECK_EQ(r.mss, 1460);

	dtc_check_case = "rec4 prefix";
	len = dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 20, 300, 1, 64);
	CHECK_EQ(len, 96 + 64);
	CHECK_EQ(pg_get16(rec + 4), 64);
	CHECK_EQ(dtc_v2_rec_decode(rec, 160, &r, &m), 0);
	CHECK_EQ(m.prefix_len, 64);
	CHECK(memcmp(m.prefix, payload, 64) == 0);
	/* Capped at DTC_V2_PREFIX_MAX, and at what was captured. */
	CHECK_EQ(dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 20, 300, 1, 1000), 96 + 128);
	CHECK_EQ(dtc_v2_rec_encode(rec, 4, ip, 20 + 60 + 10, 20, 300, 1, 64), 96 + 10);
	/* Length fields that do not match: rejected. */
	CHECK_EQ(dtc_v2_rec_decode(rec, 96 + 11, &r, &m), -DTC_CTL_ERR_REC_IP);
	CHECK_EQ(dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 20, 300, 1, 0), 96);
	rec[1] = 20;  /* says 20 option bytes, the data offset says 40 */
	CHECK_EQ(dtc_v2_rec_decode(rec, 96, &r, &m), -DTC_CTL_ERR_REC_TCP);
	rec[1] = 40;
	rec[16 + 9] = 17;
	CHECK_EQ(dtc_v2_rec_decode(rec, 96, &r, &m), -DTC_CTL_ERR_REC_TCP);
	rec[16 + 9] = 6;
	rec[16] = 0x46;
	CHECK_EQ(dtc_v2_rec_decode(rec, 96, &r, &m), -DTC_CTL_ERR_REC_IP);
	rec[16] = 0x45;
	rec[0] = 5;
	CHECK_EQ(dtc_v2_rec_len(rec, 96), 0);
	rec[0] = 4;
	rec[4] = 1;  /* prefix 256 + ... > max */
	CHECK_EQ(dtc_v2_rec_len(rec, 4000), 0);

	dtc_check_case = "rec6";
	t.flags = DTC_TCP_ACK;
	t.optlen = 12;
	t.opts = (const uint8_t *)"\x01\x01\x08\x0a\x00\x00\x00\x09\x00\x00\x00\x01";
	n = pg_ipv6_tcp(ip, ip6b, ip6a, 0, NULL, 0, &t);
	len = dtc_v2_rec_encode(rec, 6, ip, (uint32_t)n, 40, 300, 42, 16);
	CHECK_EQ(len, 116 + 16);
	CHECK_EQ(rec[0], 6);
	CHECK_EQ(rec[1], 12);
	CHECK(memcmp(rec + 16, ip, 40) == 0);
	CHECK(memcmp(rec + 56, ip + 40, 32) == 0);
	CHECK_EQ(rec[56 + 32], 0);
	CHECK_EQ(dtc_v2_rec_decode(rec, (uint32_t)len, &r, &m), 0);
	CHECK_EQ(r.key.family, 6);
	CHECK(memcmp(r.key.client.a8, ip6a, 16) == 0);
	CHECK(memcmp(r.key.server.a8, ip6b, 16) == 0);
	CHECK_EQ(rte_be_to_cpu_16(r.key.client_port), 40000);
	CHECK_EQ(r.payload_len, 300);
	CHECK_EQ(r.tsval, 9);
	CHECK_EQ(r.flags, DTC_TCP_ACK);
	CHECK_EQ(m.capture_us, 42);
	CHECK(memcmp(m.prefix, payload, 16) == 0);
	rec[16] = 0x45;
	CHECK_EQ(dtc_v2_rec_decode(rec, (uint32_t)len, &r, &m), -DTC_CTL_ERR_REC_IP);
	CHECK_EQ(dtc_v2_rec_encode(rec, 6, ip, 39, 40, 0, 0, 0), -EINVAL);
	CHECK_EQ(dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 40, 0, 0, 0), -EINVAL);
	CHECK_EQ(dtc_v2_rec_encode(rec, 5, ip, (uint32_t)n, 40, 0, 0, 0), -EINVAL);
	dtc_check_case = NULL;
}

/* ---- the message stream ---- */

struct msgs {
	unsigned int n, recs, stop_at;
	uint8_t type[64];
	uint32_t len[64];
	uint32_t sum;
};

static int
on_msg(void *arg, uint8_t type, const uint8_t *body, uint32_t len)
{
	struct msgs *m = arg;
	uint32_t i;

	if (m->n < 64) {
		m->type[m->n] = type;
		m->len[m->n] = len;
	}
	for (i = 0; i < len; i++)
		m->sum = m->sum * 31 + body[i];
	m->n++;
	if (m->stop_at != 0 && m->n == m->stop_at)
		return -1000;
	return 0;
}

static size_t
mk_stream(uint8_t *s, bool preamble)
{
	uint8_t ip[200], rec[DTC_V2_REC_MAX];
	struct pg_tcp t = { .sport = 80, .dport = 40000, .flags = DTC_TCP_ACK, .win = 1 };
	struct dtc_v2_hello h;
	struct dtc_v2_hb hb = { .seq = 1, .tx_us = 5 };
	uint8_t mac[32] = {9};
	size_t at = 0, n;
	unsigned int i;
	int rl;

	if (preamble) {
		s[at++] = 0;
		s[at++] = 0;
	}
	mk_hello(&h, DTC_V2_F_AUTH, 3, "x", 0);
	at += (size_t)dtc_v2_hello_encode(s + at, 64, &h);
	at += (size_t)dtc_v2_auth_encode(s + at, 64, mac);
	at += (size_t)dtc_v2_hb_encode(s + at, 64, &hb);
	/* RECORDS with 16 records. */
	n = pg_ipv4_tcp(ip, ip4b, ip4a, NULL, 0, &t);
	dtc_v2_hdr_encode(s + at, DTC_V2_RECORDS, 16 * 96);
	for (i = 0; i < 16; i++) {
		rl = dtc_v2_rec_encode(rec, 4, ip, (uint32_t)n, 20, 0, i, 0);
		memcpy(s + at + 4 + i * 96, rec, (size_t)rl);
	}
	at += 4 + 16 * 96;
	at += (size_t)dtc_v2_bye_encode(s + at, 300, 5, "bye");
	return at;
}

static void
feed_split(const uint8_t *s, size_t len, size_t split, struct msgs *m, int *rc)
{
	struct dtc_v2_rx rx;

	dtc_v2_rx_init(&rx, DTC_V2_FROM_INTERCEPT, true);
	memset(m, 0, sizeof(*m));
	*rc = dtc_v2_rx_feed(&rx, s, split, on_msg, m);
	if (*rc == 0)
		*rc = dtc_v2_rx_feed(&rx, s + split, len - split, on_msg, m);
}

static void
test_stream(void)
{
	static uint8_t s[4096];
	size_t len = mk_stream(s, true), i;
	struct msgs whole, part;
	struct dtc_v2_rx rx;
	uint64_t bad = 0;
	int rc;

	dtc_check_case = "stream whole";
	feed_split(s, len, len, &whole, &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(whole.n, 5);
	CHECK_EQ(whole.type[0], DTC_V2_HELLO);
	CHECK_EQ(whole.type[1], DTC_V2_AUTH);
	CHECK_EQ(whole.type[2], DTC_V2_HEARTBEAT);
	CHECK_EQ(whole.type[3], DTC_V2_RECORDS);
	CHECK_EQ(whole.len[3], 16 * 96);
	CHECK_EQ(whole.type[4], DTC_V2_BYE);
	CHECK_EQ(dtc_v2_records_decode(s + 2 + 48 + 36 + 36 + 4, 16 * 96, NULL, NULL, &bad), 0);
	CHECK_EQ(bad, 0);
	dtc_check_case = "stream split";
	for (i = 0; i <= len; i++) {
		feed_split(s, len, i, &part, &rc);
		CHECKF(rc == 0 && part.n == whole.n && part.sum == whole.sum, "split at %zu", i);
	}
	dtc_check_case = "stream bytewise";
	dtc_v2_rx_init(&rx, DTC_V2_FROM_INTERCEPT, true);
	memset(&part, 0, sizeof(part));
	for (i = 0; i < len; i++)
		CHECK_EQ(dtc_v2_rx_feed(&rx, s + i, 1, on_msg, &part), 0);
	CHECK(part.n == whole.n && part.sum == whole.sum);
	CHECK_EQ(rx.msgs, 5);

	dtc_check_case = "stream stop";
	dtc_v2_rx_init(&rx, DTC_V2_FROM_INTERCEPT, true);
	memset(&part, 0, sizeof(part));
	part.stop_at = 2;
	CHECK_EQ(dtc_v2_rx_feed(&rx, s, len, on_msg, &part), -1000);
	CHECK_EQ(part.n, 2);
	CHECK_EQ(dtc_v2_rx_feed(&rx, s, len, on_msg, &part), -1000);  /* sticky */
	CHECK_EQ(part.n, 2);

	dtc_check_case = "stream errors";
	dtc_v2_rx_init(&rx, DTC_V2_FROM_INTERCEPT, true);
	CHECK_EQ(dtc_v2_rx_feed(&rx, s + 2, len - 2, on_msg, &part), -DTC_CTL_ERR_V2_PREAMBLE);
	/* The copier's direction does not take RECORDS; the intercept's takes no ROUTE_ADD. */
	dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
	memset(&part, 0, sizeof(part));
	CHECK_EQ(dtc_v2_rx_feed(&rx, s + 2, len - 2, on_msg, &part), -DTC_CTL_ERR_V2_TYPE);
	CHECK_EQ(part.n, 3);
	{
		uint8_t m[8] = {DTC_V2_ROUTE_ADD, 0, 0, 40};

		dtc_v2_rx_init(&rx, DTC_V2_FROM_INTERCEPT, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 4, on_msg, &part), -DTC_CTL_ERR_V2_TYPE);
		m[0] = 0;
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 4, on_msg, &part), -DTC_CTL_ERR_V2_TYPE);
		m[0] = 99;
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 1, on_msg, &part), 0);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m + 1, 3, on_msg, &part), -DTC_CTL_ERR_V2_TYPE);
		/* Lengths: a route body of 41, a HELLO of 45, a body above 4096. */
		m[0] = DTC_V2_ROUTE_ADD;
		m[3] = 41;
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 4, on_msg, &part), -DTC_CTL_ERR_V2_LEN);
		m[0] = DTC_V2_HELLO;
		m[3] = 45;
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 4, on_msg, &part), -DTC_CTL_ERR_V2_LEN);
		m[0] = DTC_V2_ROUTE_ADD;
		m[2] = 0x10;
		m[3] = 40;  /* 4136 */
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 4, on_msg, &part), -DTC_CTL_ERR_V2_LEN);
		/* Flags are ignored. */
		memset(m, 0, sizeof(m));
		m[0] = DTC_V2_BYE;
		m[1] = 0xff;
		m[3] = 2;
		dtc_v2_rx_init(&rx, DTC_V2_FROM_COPIER, false);
		memset(&part, 0, sizeof(part));
		CHECK_EQ(dtc_v2_rx_feed(&rx, m, 6, on_msg, &part), 0);
		CHECK_EQ(part.n, 1);
	}
	dtc_check_case = "records body";
	{
		const uint8_t *body = s + 2 + 48 + 36 + 36 + 4;
		static uint8_t b2[4096];

		/* 17 records: too many.  A record cut by the body's end.  An empty body. */
		memcpy(b2, body, 16 * 96);
		memcpy(b2 + 16 * 96, body, 96);
		CHECK_EQ(dtc_v2_records_decode(b2, 17 * 96, NULL, NULL, &bad),
			-DTC_CTL_ERR_V2_RECORDS);
		CHECK_EQ(dtc_v2_records_decode(b2, 95, NULL, NULL, &bad), -DTC_CTL_ERR_V2_RECORDS);
		CHECK_EQ(dtc_v2_records_decode(b2, 0, NULL, NULL, &bad), -DTC_CTL_ERR_V2_RECORDS);
		/* One bad record among good ones: counted, the others delivered. */
		b2[96 + 16 + 9] = 17;
		bad = 0;
		CHECK_EQ(dtc_v2_records_decode(b2, 3 * 96, NULL, NULL, &bad), 0);
		CHECK_EQ(bad, 1);
	}
	dtc_check_case = NULL;
}

static void
write_secret(const char *path, const char *text, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(write(fd, text, strlen(text)), (long long)strlen(text));
	close(fd);
	CHECK_EQ(chmod(path, mode), 0);
}

static void
test_secret(void)
{
	char path[] = "/tmp/dtc-test-secret-XXXXXX", file[64], err[256];
	struct dtc_v2_secret s;

	dtc_check_case = "secret";
	CHECK(mkdtemp(path) != NULL);
	snprintf(file, sizeof(file), "%s/k", path);
	write_secret(file, "0123456789abcdef\n", 0600);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), 0);
	CHECK_EQ(s.len, 16);  /* the trailing newline is not part of it */
	CHECK(memcmp(s.key, "0123456789abcdef", 16) == 0);
	write_secret(file, "0123456789abcdef\n", 0400);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), 0);
	write_secret(file, "0123456789abcdef", 0640);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), -EPERM);
	CHECK(strstr(err, "0640") != NULL);
	CHECK_EQ(s.len, 0);
	write_secret(file, "0123456789abcdef", 0604);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), -EPERM);
	write_secret(file, "0123456789abcdef", 0620);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), -EPERM);
	write_secret(file, "short\n", 0600);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "at least 16") != NULL);
	unlink(file);
	CHECK_EQ(dtc_v2_secret_load(file, &s, err, sizeof(err)), -ENOENT);
	CHECK_EQ(dtc_v2_secret_load(path, &s, err, sizeof(err)), -EINVAL);  /* a directory */
	rmdir(path);
	dtc_check_case = NULL;
}

int
main(void)
{
	test_hello_auth();
	test_routes();
	test_hb_bye();
	test_records();
	test_stream();
	test_secret();
	return dtc_check_end("test_ctl2");
}
