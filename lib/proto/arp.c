/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* Placeholder: implemented with app/intercept (issue 5). */

#include <errno.h>

#include "dtc_capture.h"
