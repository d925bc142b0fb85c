/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

#include <ctype.h>
#include <stdlib.h>

#include <rte_common.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"

static const char *const perr_str[DTC_PERR_MAX] = {
	[DTC_PERR_OK] = "no error",
#define X(n, s) [DTC_PERR_##n] = s,
	DTC_PERR_LIST(X)
#undef X
};

/* Upper-case identifiers from the X-macro, lowered once at start-up for counter names. */
static const char *const perr_upper[DTC_PERR_MAX] = {
	[DTC_PERR_OK] = "OK",
#define X(n, s) [DTC_PERR_##n] = #n,
	DTC_PERR_LIST(X)
#undef X
};

#define PERR_NAME_MAX 24
static char perr_name[DTC_PERR_MAX][PERR_NAME_MAX];

RTE_INIT(dtc_perr_names_init)
{
	unsigned int i, j;

	for (i = 0; i < DTC_PERR_MAX; i++)
		for (j = 0; j + 1 < PERR_NAME_MAX && perr_upper[i][j] != '\0'; j++)
			perr_name[i][j] = (char)tolower((unsigned char)perr_upper[i][j]);
}

static const char *const ctl_str[DTC_CTL_ERR_MAX] = {
	[DTC_CTL_OK] = "no error",
#define X(n, s) [DTC_CTL_ERR_##n] = s,
	DTC_CTL_ERR_LIST(X)
#undef X
};

const char *
dtc_perr_str(int err)
{
	err = abs(err);
	return err < DTC_PERR_MAX ? perr_str[err] : "unknown parse error";
}

const char *
dtc_perr_name(int err)
{
	err = abs(err);
	return err < DTC_PERR_MAX ? perr_name[err] : "unknown";
}

const char *
dtc_ctl_strerror(int err)
{
	err = abs(err);
	return err < DTC_CTL_ERR_MAX ? ctl_str[err] : "unknown control-channel error";
}
