/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Request-key and answer-outcome classifiers (lib/proto/classify.c).  Byte 0: the protocol
 * (mod DTC_CLS_PROTO_MAX); byte 1: a key buffer size (mod DTC_CLS_KEY_MAX, plus 1); the rest:
 * the first bytes of a request or an answer, as an exact-size heap copy.  Checks: keys are
 * printable, NUL-terminated and fit; a smaller buffer gives a prefix of the full key; an
 * outcome's kind is known and its name fits; detection returns a protocol.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_classify.h"
#include "../fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char full[DTC_CLS_KEY_MAX], small[DTC_CLS_KEY_MAX], name[32];
	enum dtc_cls_proto proto;
	size_t n, r, rs, cap, i;
	uint8_t *p;
	uint32_t o;

	if (size < 2)
		return 0;
	proto = (enum dtc_cls_proto)(data[0] % DTC_CLS_PROTO_MAX);
	cap = data[1] % DTC_CLS_KEY_MAX + 1;
	n = size - 2;
	p = malloc(n ? n : 1);
	memcpy(p, data + 2, n);

	memset(full, 0x55, sizeof(full));
	r = dtc_cls_key(proto, p, n, full, sizeof(full));
	REQUIRE(r < sizeof(full) && strlen(full) == r);
	for (i = 0; i < r; i++)
		REQUIRE(full[i] >= 0x20 && full[i] <= 0x7e && full[i] != '"' && full[i] != '\\');
	rs = dtc_cls_key(proto, p, n, small, cap);
	REQUIRE(rs < cap && strlen(small) == rs);
	REQUIRE(memcmp(small, full, rs) == 0);
	REQUIRE(rs == (r < cap - 1 ? r : cap - 1) || rs == 0);

	o = dtc_cls_outcome(proto, p, n);
	REQUIRE(DTC_CLS_OUT_KIND(o) <= DTC_CLS_K_MYSQL);
	REQUIRE(n > 0 || DTC_CLS_OUT_KIND(o) == DTC_CLS_K_NONE);
	dtc_cls_outcome_name(o, name, sizeof(name));
	REQUIRE(strlen(name) > 0 && strlen(name) < sizeof(name));
	if (DTC_CLS_OUT_KIND(o) == DTC_CLS_K_HTTP) {
		REQUIRE(DTC_CLS_OUT_VALUE(o) >= 100 && DTC_CLS_OUT_VALUE(o) <= 999);
		REQUIRE(dtc_cls_outcome_is_error(o) == (name[0] >= '5'));
	}
	REQUIRE(dtc_cls_detect((uint16_t)(data[0] << 8 | data[1]), p, n) < DTC_CLS_PROTO_MAX);
	free(p);
	return 0;
}
