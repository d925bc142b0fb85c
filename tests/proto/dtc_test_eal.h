/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * EAL for the lib/proto tests that need mbufs.  The file prefix is per test and per process
 * (dtc-proto-<name>-<pid>): helpers and CI may run the suite from several build directories
 * at once, and two primaries with one prefix fail on the config lock (--in-memory is not an
 * option with --no-huge in DPDK 22.11).  The runtime directory is removed at the end.
 */

#ifndef DTC_TEST_EAL_H
#define DTC_TEST_EAL_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

static char dtc_test_rundir[PATH_MAX];

static inline int
dtc_test_eal_init(const char *argv0, const char *name)
{
	char prefix[64];
	char *eal[] = {(char *)(uintptr_t)argv0, "--no-huge", "-m", "128", "--no-pci",
		"--file-prefix", prefix, "--log-level=lib.*:error", NULL};

	snprintf(prefix, sizeof(prefix), "dtc-proto-%s-%d", name, (int)getpid());
	if (rte_eal_init(RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return -1;
	}
	snprintf(dtc_test_rundir, sizeof(dtc_test_rundir), "%s", rte_eal_get_runtime_dir());
	return 0;
}

static inline void
dtc_test_eal_fini(void)
{
	DIR *d;
	struct dirent *de;

	rte_eal_cleanup();
	d = opendir(dtc_test_rundir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char p[PATH_MAX + 256];

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dtc_test_rundir, de->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dtc_test_rundir);
}

#endif /* DTC_TEST_EAL_H */
