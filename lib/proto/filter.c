/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Placeholder: implemented with app/intercept (issue 5). */

#include <errno.h>

#include "dtc_capture.h"

struct dtc_filter *
dtc_filter_compile(const char *expr, enum dtc_link link, char *err, size_t errlen)
{
	(void)expr;
	(void)link;
	if (errlen > 0)
		err[0] = '\0';
	return NULL;
}
