/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-intercept authors
 */

/* Placeholder until the intercept lands (issue 5). */

#include <stdio.h>

int
main(void)
{
	fprintf(stderr, "dpdk-intercept: not implemented yet\n");
	return 1;
}
