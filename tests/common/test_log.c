/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/* The capped log file: rotation at the cap, reopen on SIGHUP. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>

#include "dtc_app.h"
#include "dtc_check.h"

static long
fsize(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

int
main(void)
{
	char dir[] = "/tmp/dtc-log-XXXXXX";
	char path[128], old[128], moved[128];
	int i;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/app.log", dir);
	snprintf(old, sizeof(old), "%s/app.log.1", dir);
	snprintf(moved, sizeof(moved), "%s/rotated.log", dir);

	dtc_signals_install();
	CHECK(dtc_log_open(path, 1000) == 0);
	for (i = 0; i < 100; i++)
		RTE_LOG(ERR, USER1, "line %03d of a log that must stay under its cap\n", i);
	CHECK(fsize(path) > 0 && fsize(path) <= 1000);
	CHECK(fsize(old) > 0 && fsize(old) <= 1000);

	/* logrotate moves the file away, then sends SIGHUP */
	CHECK(rename(path, moved) == 0);
	raise(SIGHUP);
	CHECK(!dtc_force_quit);
	dtc_log_service();
	RTE_LOG(ERR, USER1, "after reopen\n");
	CHECK(fsize(path) > 0);
	dtc_log_close();

	raise(SIGTERM);
	CHECK(dtc_force_quit);

	unlink(path);
	unlink(old);
	unlink(moved);
	rmdir(dir);
	return dtc_check_end("test_log");
}
