/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The assertion kit of every C unit test: failures are counted and printed with file, line and
 * the current case, the program exits non-zero when any failed or when nothing was checked,
 * and every CHECK is live code in every build.  Also a reproducible random generator.
 *
 * The counters, the case name and the generator state are weak definitions, so that a test
 * made of several files (tests/session's harness and its suites) shares one of each.
 */

#ifndef DTC_CHECK_H
#define DTC_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((weak)) unsigned int dtc_checks;
__attribute__((weak)) unsigned int dtc_failures;
/* What the test is doing now, printed with every failure (NULL: nothing). */
__attribute__((weak)) const char *dtc_check_case;

/* Report a failure found by the test's own logic: "file:line [case]: message". */
#define DTC_FAIL(fmt, ...) do { \
	dtc_failures++; \
	fprintf(stderr, "%s:%d%s%s%s: " fmt "\n", __FILE__, __LINE__, \
		dtc_check_case != NULL ? " [" : "", dtc_check_case != NULL ? dtc_check_case : "", \
		dtc_check_case != NULL ? "]" : "", ##__VA_ARGS__); \
} while (0)

#define CHECK(c) CHECKF(c, "")

#define CHECKF(c, fmt, ...) do { \
	dtc_checks++; \
	if (!(c)) \
		DTC_FAIL("CHECK failed: %s " fmt, #c, ##__VA_ARGS__); \
} while (0)

#define CHECK_EQ(a, b) CHECK_EQF(a, b, "")

#define CHECK_EQF(a, b, fmt, ...) do { \
	long long va_ = (long long)(a), vb_ = (long long)(b); \
	dtc_checks++; \
	if (va_ != vb_) \
		DTC_FAIL("%s == %s failed: %lld != %lld (0x%llx != 0x%llx) " fmt, #a, #b, va_, \
			vb_, va_, vb_, ##__VA_ARGS__); \
} while (0)

/* main()'s exit status: 0 when every check passed and there was at least one. */
static inline int
dtc_check_end(const char *name)
{
	printf("%s: %u checks, %u failed\n", name, dtc_checks, dtc_failures);
	return dtc_failures == 0 && dtc_checks > 0 ? 0 : 1;
}

/* xorshift64*: reproducible pseudo-random data; a test may seed dtc_rng and print it. */
__attribute__((weak)) uint64_t dtc_rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t
dtc_rand(void)
{
	dtc_rng ^= dtc_rng >> 12;
	dtc_rng ^= dtc_rng << 25;
	dtc_rng ^= dtc_rng >> 27;
	return dtc_rng * 0x2545f4914f6cdd1dULL;
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

#endif /* DTC_CHECK_H */
