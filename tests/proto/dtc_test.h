/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* A tiny assertion kit for the lib/proto unit tests: failures are counted and printed, the
 * program exits non-zero when any failed, and every CHECK is live code in every build. */

#ifndef DTC_TEST_H
#define DTC_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned int dtc_test_checks;
static unsigned int dtc_test_failures;

#define CHECK(c) CHECKF(c, "%s", "")

#define CHECKF(c, fmt, ...) do { \
	dtc_test_checks++; \
	if (!(c)) { \
		dtc_test_failures++; \
		fprintf(stderr, "%s:%d: CHECK failed: %s " fmt "\n", __FILE__, __LINE__, #c, \
			__VA_ARGS__); \
	} \
} while (0)

#define CHECK_EQ(a, b) CHECK_EQF(a, b, "%s", "")

#define CHECK_EQF(a, b, fmt, ...) do { \
	long long va_ = (long long)(a), vb_ = (long long)(b); \
	dtc_test_checks++; \
	if (va_ != vb_) { \
		dtc_test_failures++; \
		fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld (0x%llx != 0x%llx) " fmt \
			"\n", __FILE__, __LINE__, #a, #b, va_, vb_, va_, vb_, __VA_ARGS__); \
	} \
} while (0)

static inline int
dtc_test_end(const char *name)
{
	printf("%s: %u checks, %u failed\n", name, dtc_test_checks, dtc_test_failures);
	return dtc_test_failures == 0 && dtc_test_checks > 0 ? 0 : 1;
}

/* xorshift64*: reproducible pseudo-random data, seed printed by each test. */
static uint64_t dtc_test_rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t
dtc_rand(void)
{
	dtc_test_rng ^= dtc_test_rng >> 12;
	dtc_test_rng ^= dtc_test_rng << 25;
	dtc_test_rng ^= dtc_test_rng >> 27;
	return dtc_test_rng * 0x2545f4914f6cdd1dULL;
}

static inline uint32_t
dtc_rand_range(uint32_t n)
{
	return (uint32_t)(dtc_rand() % n);
}

static inline void
dtc_rand_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)dtc_rand();
}

#endif /* DTC_TEST_H */
