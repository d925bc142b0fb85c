/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * -c client address pool: "a.b.c.d", "a.b.c.x" (.1 to .254, as tcpcopy 1.x), "a.b.c.d/n"
 * (IPv4 CIDR; network and broadcast addresses left out up to /30), IPv6 addresses and IPv6
 * CIDR blocks of at most 2^32 addresses (/96 and longer; the all-zero host left out up to
 * /126), comma separated, IPv4 and IPv6 mixed.  Target addresses of the -x maps are cut out
 * of the ranges, so the test server never sees a client with its own address.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sess_tcp.h"

#define ITEM_MAX 64

static int __attribute__((format(printf, 3, 4)))
perr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen != 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Low 64 bits of an address as a host-order integer (IPv4: the whole address). */
static uint64_t
addr_low(uint8_t fam, const union dtc_addr *a)
{
	if (fam == 4)
		return rte_be_to_cpu_32(a->a32[0]);
	return rte_be_to_cpu_64(a->a64[1]);
}

static void
addr_set_low(uint8_t fam, union dtc_addr *a, uint64_t v)
{
	if (fam == 4)
		a->a32[0] = rte_cpu_to_be_32((uint32_t)v);
	else
		a->a64[1] = rte_cpu_to_be_64(v);
}

static int
range_add(struct dtc_pool *p, uint8_t fam, const union dtc_addr *base, uint64_t count)
{
	struct dtc_pool_range *r = fam == 4 ? p->r4 : p->r6;
	uint16_t *n = fam == 4 ? &p->n4 : &p->n6;

	if (count == 0)
		return 0;
	if (*n >= DTC_POOL_RANGES_MAX)
		return -ENOSPC;
	r[*n].base = *base;
	r[*n].count = count;
	(*n)++;
	return 0;
}

static int
parse_decimal(const char *s, unsigned int max, unsigned int *out)
{
	unsigned int v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned int)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

static bool
v4_unusable(uint32_t v)
{
	return v == 0 || v == UINT32_MAX || (v >> 28) == 0xe || (v >> 24) == 127;
}

static int
parse_item(struct dtc_pool *p, char *item, char *err, size_t errlen)
{
	char *slash = strchr(item, '/');
	size_t len = strlen(item);
	union dtc_addr a;
	unsigned int plen;
	int fam;

	memset(&a, 0, sizeof(a));
	if (len >= 2 && strcmp(item + len - 2, ".x") == 0 && slash == NULL) {
		item[len - 1] = '0';
		if (dtc_addr_parse(item, &a) != 4 || (rte_be_to_cpu_32(a.a32[0]) & 0xff) != 0)
			goto bad;
		addr_set_low(4, &a, addr_low(4, &a) + 1);
		if (v4_unusable((uint32_t)addr_low(4, &a)))
			goto bad;
		return range_add(p, 4, &a, 254);
	}
	if (slash != NULL)
		*slash = '\0';
	fam = dtc_addr_parse(item, &a);
	if (fam < 0)
		goto bad;
	if (slash == NULL) {
		if (fam == 4 ? v4_unusable((uint32_t)addr_low(4, &a)) :
				((a.a64[0] | a.a64[1]) == 0 || a.a8[0] == 0xff))
			goto bad;
		return range_add(p, (uint8_t)fam, &a, 1);
	}
	if (parse_decimal(slash + 1, fam == 4 ? 32 : 128, &plen) != 0)
		goto bad_prefix;
	if (fam == 4) {
		uint32_t v = (uint32_t)addr_low(4, &a);
		uint32_t host = plen == 32 ? 0 : UINT32_MAX >> plen;
		uint64_t count = (uint64_t)host + 1;

		if (plen == 0 || (v & host) != 0)
			goto bad_prefix;
		if (plen <= 30) {
			v++;
			count -= 2;
		}
		addr_set_low(4, &a, v);
		if (v4_unusable(v) || v4_unusable((uint32_t)(v + count - 1)))
			goto bad;
		return range_add(p, 4, &a, count);
	} else {
		uint64_t lo = addr_low(6, &a), host, count;

		if (plen < 96)
			return perr(err, errlen,
				"'%s/%s': IPv6 blocks may hold at most 2^32 addresses (/96 or longer)",
				item, slash + 1);
		host = plen == 128 ? 0 : UINT64_MAX >> (plen - 64);
		count = host + 1;
		if ((lo & host) != 0)
			goto bad_prefix;
		if (plen <= 126) {
			lo++;
			count--;
		}
		addr_set_low(6, &a, lo);
		if (a.a8[0] == 0xff)
			goto bad;
		return range_add(p, 6, &a, count);
	}
bad_prefix:
	return perr(err, errlen, "'%s/%s': bad prefix (length, or host bits set)", item,
		slash != NULL ? slash + 1 : "");
bad:
	return perr(err, errlen, "'%s': not a usable client address", item);
}

/* Cut address a out of every range containing it. */
static int
pool_exclude(struct dtc_pool *p, uint8_t fam, const union dtc_addr *a)
{
	struct dtc_pool_range *r = fam == 4 ? p->r4 : p->r6;
	uint16_t *n = fam == 4 ? &p->n4 : &p->n6;
	uint64_t x = addr_low(fam, a);
	unsigned int i;

	for (i = 0; i < *n; i++) {
		uint64_t b = addr_low(fam, &r[i].base);
		union dtc_addr after;

		if (fam == 6 && r[i].base.a64[0] != a->a64[0])
			continue;
		if (x < b || x - b >= r[i].count)
			continue;
		after = r[i].base;
		addr_set_low(fam, &after, x + 1);
		if (range_add(p, fam, &after, r[i].count - (x - b) - 1) != 0)
			return -ENOSPC;
		r[i].count = x - b;
		if (r[i].count == 0) {
			r[i] = r[*n - 1];
			(*n)--;
			i--;
		}
	}
	return 0;
}

int
dtc_pool_parse(const char *s, const struct dtc_xfer *xfer, unsigned int n_xfer,
	struct dtc_pool *p, char *err, size_t errlen)
{
	const char *q = s;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (s == NULL || *s == '\0')
		return perr(err, errlen, "empty -c value");
	for (;;) {
		const char *end = strchr(q, ',');
		size_t len = end != NULL ? (size_t)(end - q) : strlen(q);
		char item[ITEM_MAX];
		int rc;

		if (len == 0)
			return perr(err, errlen, "empty address in '%s'", s);
		if (len >= sizeof(item))
			return perr(err, errlen, "'%.32s...': too long", q);
		memcpy(item, q, len);
		item[len] = '\0';
		rc = parse_item(p, item, err, errlen);
		if (rc == -ENOSPC)
			return perr(err, errlen, "more than %u address ranges per family",
				DTC_POOL_RANGES_MAX);
		if (rc != 0)
			return rc;
		if (end == NULL)
			break;
		q = end + 1;
	}
	for (i = 0; xfer != NULL && i < n_xfer; i++)
		if (pool_exclude(p, xfer[i].family, &xfer[i].target_addr) != 0)
			return perr(err, errlen, "more than %u address ranges per family",
				DTC_POOL_RANGES_MAX);
	p->total4 = p->total6 = 0;
	for (i = 0; i < p->n4; i++)
		p->total4 += p->r4[i].count;
	for (i = 0; i < p->n6; i++)
		p->total6 += p->r6[i].count;
	if (p->total4 + p->total6 == 0)
		return perr(err, errlen, "'%s': no usable address left", s);
	return 0;
}
