/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy --compare (issue 13): one struct dtc_cmp and pairer per worker
 * (lib/session/dtc_compare.h), snapshots merged on the main lcore for the stats line, the
 * exit table, the JSON report (--compare-report) and telemetry (/dtc/copy/compare).
 */

#ifndef DTC_COPY_COMPARE_H
#define DTC_COPY_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtc_compare.h"

struct dtc_copy_opts;

#define DTC_COPY_CMP_DEF_KEYS 32
#define DTC_COPY_CMP_DEF_RECORDS 16384 /* requests waiting for their pair, per worker */

/* Create the per-worker state (main lcore, before the workers): 0 or -errno.  Nothing when
 * --compare is off. */
int dtc_copy_cmp_init(const struct dtc_copy_opts *o, uint16_t n_workers, uint32_t max_sessions,
	int socket_id);
void dtc_copy_cmp_fini(void);
bool dtc_copy_cmp_on(void);
/* Bytes the comparison takes per worker (for the memory plan and the log). */
size_t dtc_copy_cmp_mem_size(const struct dtc_copy_opts *o, uint32_t max_sessions);

/* The memory plan's share (-m): per worker, for `sessions` sessions, when the engine
 * configuration has online_answers (--compare on), with the K of dtc_copy_cmp_plan_keys(). */
struct dtc_sess_conf;
uint64_t dtc_copy_cmp_plan_bytes(const struct dtc_sess_conf *conf, uint32_t sessions);
void dtc_copy_cmp_plan_keys(unsigned int keys);

/* Worker w's pairer (NULL: off), for its engine's configuration. */
struct dtc_cmp_pairs *dtc_copy_cmp_pairs(uint16_t w);
/* In worker w's poll loop: make a snapshot when the main lcore asked. */
static inline void
dtc_copy_cmp_poll(struct dtc_cmp *c)
{
	if (c != NULL)
		dtc_cmp_poll(c);
}
struct dtc_cmp *dtc_copy_cmp_worker(uint16_t w);

/*
 * Main lcore: gather the workers' figures (snapshots, or the live tables once the workers
 * have stopped), then publish them for telemetry and rewrite the report.  `poll_self` runs
 * the snapshot of a worker that lives on the main lcore.
 */
void dtc_copy_cmp_collect(bool workers_stopped, bool poll_self);
/* " compare N differing X % p99 online A ms test B ms" for the stats line. */
size_t dtc_copy_cmp_stats_field(char *buf, size_t len);
/* The exit table, to the log. */
void dtc_copy_cmp_summary(void);
/* The JSON report of the last collect to f (also what --compare-report holds). */
void dtc_copy_cmp_report(FILE *f);
/* Two-host mode, control lcore: classify a test-server data segment's first bytes into its
 * record (dtc_cmp_resp_set_outcome).  m: the frame, pi: its parse. */
struct dtc_resp;
struct dtc_pkt_info;
struct rte_mbuf;
void dtc_copy_cmp_resp(struct dtc_resp *r, const struct dtc_pkt_info *pi,
	const struct rte_mbuf *m);

/* Register /dtc/copy/compare. */
int dtc_copy_cmp_telemetry_init(void);

#endif /* DTC_COPY_COMPARE_H */
