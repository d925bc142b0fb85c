/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

#include "dtc_session.h"

#define NAME(n, s) #n,
#define DESC(n, s) s,

static const char *const c_name[] = { DTC_SESS_COUNTER_LIST(NAME) };
static const char *const c_desc[] = { DTC_SESS_COUNTER_LIST(DESC) };
static const char *const d_name[] = { DTC_SESS_DROP_LIST(NAME) };
static const char *const d_desc[] = { DTC_SESS_DROP_LIST(DESC) };
static const char *const e_name[] = { DTC_SESS_END_LIST(NAME) };
static const char *const e_desc[] = { DTC_SESS_END_LIST(DESC) };
static const char *const t_name[] = { DTC_SESS_TXF_LIST(NAME) };
static const char *const t_desc[] = { DTC_SESS_TXF_LIST(DESC) };

#define GETTER(fn, tab, max) \
	const char *fn(unsigned int i) { return i < (max) ? tab[i] : "?"; }

GETTER(dtc_sess_counter_name, c_name, DTC_SESS_C_MAX)
GETTER(dtc_sess_counter_desc, c_desc, DTC_SESS_C_MAX)
GETTER(dtc_sess_drop_name, d_name, DTC_SESS_DROP_MAX)
GETTER(dtc_sess_drop_desc, d_desc, DTC_SESS_DROP_MAX)
GETTER(dtc_sess_end_name, e_name, DTC_SESS_END_MAX)
GETTER(dtc_sess_end_desc, e_desc, DTC_SESS_END_MAX)
GETTER(dtc_sess_txf_name, t_name, DTC_SESS_TXF_MAX)
GETTER(dtc_sess_txf_desc, t_desc, DTC_SESS_TXF_MAX)
