/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

#include <stdlib.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"

static const char *const perr_str[DTC_PERR_MAX] = {
	[DTC_PERR_OK] = "no error",
#define X(n, s) [DTC_PERR_##n] = s,
	DTC_PERR_LIST(X)
#undef X
};

static const char *const perr_name[DTC_PERR_MAX] = {
	[DTC_PERR_OK] = "ok",
#define X(n, s) [DTC_PERR_##n] = #n,
	DTC_PERR_LIST(X)
#undef X
};

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
