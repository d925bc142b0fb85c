/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * EAL for the C unit tests that need mbufs or the TSC.  The file prefix is per test and per
 * process (dtc-<tag>-<pid>): helpers and CI may run the suite from several build directories
 * at once, and two primaries with one prefix fail on the config lock (--in-memory is not an
 * option with --no-huge in DPDK 22.11).  dtc_test_eal_fini() removes the runtime directory
 * the EAL leaves behind in /var/run/dpdk; it also runs at exit, for the tests that do not
 * call it.
 */

#ifndef DTC_TEST_EAL_H
#define DTC_TEST_EAL_H

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>

static char dtc_test_rundir[PATH_MAX];
static int dtc_test_eal_done;

static inline void dtc_test_eal_fini(void);

static void
dtc_test_eal_atexit(void)
{
	dtc_test_eal_fini();
}

/* No hugepages, PCI, telemetry or shared config; mem_mb of memory; errors only.  0 or -1. */
static inline int
dtc_test_eal_init(const char *argv0, const char *tag, unsigned int mem_mb)
{
	char prefix[64], mem[16];
	char *eal[] = { (char *)(uintptr_t)argv0, (char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m", mem, (char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-telemetry", (char *)(uintptr_t)"--no-shconf",
		(char *)(uintptr_t)"--log-level=lib.*:error", (char *)(uintptr_t)"--file-prefix",
		prefix, NULL };

	snprintf(mem, sizeof(mem), "%u", mem_mb);
	snprintf(prefix, sizeof(prefix), "dtc-%s-%d", tag, (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed\n", tag);
		return -1;
	}
	snprintf(dtc_test_rundir, sizeof(dtc_test_rundir), "%s", rte_eal_get_runtime_dir());
	atexit(dtc_test_eal_atexit); /* tests that never call dtc_test_eal_fini() */
	return 0;
}

/* rte_eal_cleanup(), then remove the runtime directory and its files, if it is one of ours. */
static inline void
dtc_test_eal_fini(void)
{
	const char *base = strrchr(dtc_test_rundir, '/');
	struct dirent *de;
	DIR *d;

	if (dtc_test_eal_done++)
		return; /* once: called again from atexit */
	rte_eal_cleanup();
	if (base == NULL || strncmp(base, "/dtc-", 5) != 0)
		return; /* never touch anything but our own prefix */
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
