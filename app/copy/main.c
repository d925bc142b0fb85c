/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Placeholder until the copier lands (issue 4). */

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "dpdk-tcpcopy: not implemented yet\n");
	return 1;
}
