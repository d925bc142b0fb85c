/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * -x transfer maps: "[srcIP:]srcPort[@srcMAC]-dstIP:dstPort[@dstMAC][,...]".  IPv6 addresses
 * go in brackets ("[2001:db8::1]:80").  The "@srcMAC" of tcpcopy 1.x's pcap-send build is
 * accepted and ignored (our source MAC is the TX port's).  Strict: every number is checked,
 * every error quotes the part it is about.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sess_tcp.h"

#define ENTRY_MAX 160

static int __attribute__((format(printf, 3, 4)))
xerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen != 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int
parse_port(const char *s, size_t len, rte_be16_t *out)
{
	uint32_t v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v == 0 || v > 65535 || (len > 1 && s[0] == '0'))
		return -1;
	*out = rte_cpu_to_be_16((uint16_t)v);
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "aa:bb:cc:dd:ee:ff" (exactly), packed as struct dtc_xfer.dst_mac wants it. */
static int
parse_mac(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int i;

	if (len != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -1;
		v |= (uint64_t)(hi * 16 + lo) << (8 * i);
	}
	*out = v;
	return 0;
}

/* An address ("1.2.3.4" or "[v6]") of exactly len bytes: returns the family or -1. */
static int
parse_addr(const char *s, size_t len, union dtc_addr *a)
{
	char buf[64];
	int fam;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
		if (len == 0 || len >= sizeof(buf))
			return -1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		fam = dtc_addr_parse(buf, a);
		return fam == 6 ? 6 : -1;
	}
	if (len == 0 || len >= sizeof(buf) || memchr(s, ':', len) != NULL)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	fam = dtc_addr_parse(buf, a);
	return fam == 4 ? 4 : -1;
}

/* "addr:port" with the address optional when allow_noaddr; '@' part already cut off. */
static int
parse_endpoint(const char *s, size_t len, bool allow_noaddr, union dtc_addr *a, int *fam,
	rte_be16_t *port)
{
	const char *colon = NULL;
	size_t i;

	/* The port follows the last ':' outside brackets. */
	for (i = 0; i < len; i++) {
		if (s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);

			if (close == NULL)
				return -1;
			i = (size_t)(close - s);
		} else if (s[i] == ':') {
			colon = s + i;
		}
	}
	if (colon == NULL) {
		if (!allow_noaddr)
			return -1;
		*fam = 0;
		memset(a, 0, sizeof(*a));
		return parse_port(s, len, port);
	}
	*fam = parse_addr(s, (size_t)(colon - s), a);
	if (*fam < 0)
		return -1;
	return parse_port(colon + 1, len - (size_t)(colon - s) - 1, port);
}

static bool
addr_unusable(int fam, const union dtc_addr *a)
{
	if (fam == 4) {
		uint32_t v = rte_be_to_cpu_32(a->a32[0]);

		return v == 0 || v == UINT32_MAX || (v >> 28) == 0xe;
	}
	return (a->a64[0] | a->a64[1]) == 0 || a->a8[0] == 0xff;
}

/* Cut "...@MAC" off the end of a side; returns the side's length without it. */
static int
split_mac(const char *s, size_t len, size_t *core, bool *has, uint64_t *mac)
{
	const char *at = memchr(s, '@', len);

	*has = false;
	*core = len;
	if (at == NULL)
		return 0;
	*core = (size_t)(at - s);
	*has = true;
	return parse_mac(at + 1, len - *core - 1, mac);
}

static int
parse_entry(const char *s, size_t len, struct dtc_xfer *x, char *err, size_t errlen)
{
	const char *dash = NULL, *r;
	size_t i, llen, rlen, core;
	uint64_t mac;
	bool has;
	int lfam, rfam;

	for (i = 0; i < len && dash == NULL; i++) {
		if (s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);

			if (close == NULL)
				break;
			i = (size_t)(close - s);
		} else if (s[i] == '-') {
			dash = s + i;
		}
	}
	if (dash == NULL)
		return xerr(err, errlen, "'%.*s': expected [srcIP:]srcPort-dstIP:dstPort",
			(int)len, s);
	memset(x, 0, sizeof(*x));
	llen = (size_t)(dash - s);
	r = dash + 1;
	rlen = len - llen - 1;

	if (split_mac(s, llen, &core, &has, &mac) != 0)
		return xerr(err, errlen, "'%.*s': bad source MAC (want aa:bb:cc:dd:ee:ff)",
			(int)len, s);
	if (parse_endpoint(s, core, true, &x->online_addr, &lfam, &x->online_port) != 0)
		return xerr(err, errlen, "'%.*s': bad online endpoint '%.*s'", (int)len, s,
			(int)core, s);

	if (split_mac(r, rlen, &core, &has, &mac) != 0)
		return xerr(err, errlen, "'%.*s': bad next-hop MAC (want aa:bb:cc:dd:ee:ff)",
			(int)len, s);
	if (parse_endpoint(r, core, false, &x->target_addr, &rfam, &x->target_port) != 0)
		return xerr(err, errlen, "'%.*s': bad target endpoint '%.*s'", (int)len, s,
			(int)core, r);
	if (has) {
		x->has_static_mac = 1;
		x->dst_mac = mac | DTC_MAC_VALID;
	}
	if (addr_unusable(rfam, &x->target_addr))
		return xerr(err, errlen, "'%.*s': target address not usable", (int)len, s);
	if (lfam == 0) {
		x->any_online_addr = 1;
	} else {
		if (lfam != rfam)
			return xerr(err, errlen,
				"'%.*s': online and target addresses of different families",
				(int)len, s);
		if (addr_unusable(lfam, &x->online_addr))
			return xerr(err, errlen, "'%.*s': online address not usable", (int)len,
				s);
	}
	x->family = (uint8_t)rfam;
	return 0;
}

int
dtc_xfer_parse(const char *s, struct dtc_xfer *out, unsigned int max, char *err,
	size_t errlen)
{
	unsigned int n = 0;
	const char *p;

	if (s == NULL || *s == '\0')
		return xerr(err, errlen, "empty -x value");
	p = s;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		int rc;

		if (len == 0)
			return xerr(err, errlen, "empty map in '%s'", s);
		if (len > ENTRY_MAX)
			return xerr(err, errlen, "'%.40s...': map too long", p);
		if (n >= max)
			return xerr(err, errlen, "more than %u maps", max);
		rc = parse_entry(p, len, &out[n], err, errlen);
		if (rc != 0)
			return rc;
		n++;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return (int)n;
}

static inline bool
addr_eq(uint8_t family, const union dtc_addr *a, const union dtc_addr *b)
{
	if (family == 4)
		return a->a32[0] == b->a32[0];
	return a->a64[0] == b->a64[0] && a->a64[1] == b->a64[1];
}

int
dtc_xfer_match(const struct dtc_xfer *x, unsigned int n, uint8_t family,
	const union dtc_addr *dst, rte_be16_t dport)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (x[i].online_port == dport && x[i].family == family &&
				(x[i].any_online_addr || addr_eq(family, &x[i].online_addr, dst)))
			return (int)i;
	return -1;
}

int
dtc_xfer_match_target(const struct dtc_xfer *x, unsigned int n, uint8_t family,
	const union dtc_addr *addr, rte_be16_t port)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (x[i].target_port == port && x[i].family == family &&
				addr_eq(family, &x[i].target_addr, addr))
			return (int)i;
	return -1;
}
