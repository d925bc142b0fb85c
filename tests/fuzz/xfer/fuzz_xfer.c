/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * libFuzzer harness for the -x parser.  Invariants (abort): the result is -EINVAL with a
 * NUL-terminated message, or a count within bounds whose maps are all consistent (family 4
 * or 6, non-zero ports, online family equal to the target's unless any address, a MAC marked
 * valid exactly when static), and a match on each map's own online endpoint finds a map.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dtc_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtc_xfer x[8];
	char *s = malloc(size + 1), err[96];
	int n, i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(err, 'z', sizeof(err));
	n = dtc_xfer_parse(s, x, 8, err, sizeof(err));
	if (n < 0) {
		if (n != -EINVAL || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
	} else {
		if (n == 0 || n > 8)
			abort();
		for (i = 0; i < n; i++) {
			if ((x[i].family != 4 && x[i].family != 6) || x[i].online_port == 0 ||
					x[i].target_port == 0 ||
					!!(x[i].dst_mac & DTC_MAC_VALID) != !!x[i].has_static_mac)
				abort();
			if (dtc_xfer_match(x, (unsigned int)n, x[i].family, &x[i].online_addr,
					x[i].online_port) < 0)
				abort();
		}
	}
	free(s);
	return 0;
}
