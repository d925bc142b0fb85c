/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Placeholder: the control channel client lands with issue 4. */

#include <errno.h>
#include <stddef.h>

#include <rte_errno.h>

#include "copy.h"

struct dtc_ctl_client *
dtc_ctl_client_create(const struct dtc_copy_opts *o, dtc_copy_resp_fn resp, void *resp_arg)
{
	(void)o;
	(void)resp;
	(void)resp_arg;
	rte_errno = ENOTSUP;
	return NULL;
}
