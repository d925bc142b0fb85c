/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * --compare: per worker a struct dtc_cmp (statistics) and a struct dtc_cmp_pairs (pairing),
 * both sized at start.  The main lcore asks every worker for a snapshot at each stats
 * interval (the workers copy their tables between two bursts, nothing is read while they
 * write), merges them, and from the merged body writes the stats field, the exit table, the
 * JSON report and the telemetry answer.  Telemetry runs on its own thread and reads the merged
 * body under a mutex that only the main lcore's merge also takes; no worker ever waits.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "copy.h"
#include "dtc_session.h"
#include "compare.h"

static struct {
	bool on;
	uint16_t n_workers;
	unsigned int keys;
	const char *report;          /* --compare-report FILE, or NULL */
	const char *time_source;     /* where test-side times are taken */
	const struct dtc_xfer *xfer;
	unsigned int n_xfer;
	uint8_t proto[DTC_XFER_MAX];
	struct dtc_cmp *cmp[RTE_MAX_LCORE];
	struct dtc_cmp_pairs *pairs[RTE_MAX_LCORE];
	const struct dtc_cmp_body *last[RTE_MAX_LCORE]; /* each worker's latest snapshot */
	pthread_mutex_t lock;        /* merged, for telemetry */
	struct dtc_cmp_body *merged;
	bool have_merged;
	uint64_t collects, snap_missed;
} g = { .lock = PTHREAD_MUTEX_INITIALIZER };

#define SNAP_WAIT_US 200000 /* longest wait for the workers' snapshots */

bool
dtc_copy_cmp_on(void)
{
	return g.on;
}

static unsigned int plan_keys = DTC_COPY_CMP_DEF_KEYS;

void
dtc_copy_cmp_plan_keys(unsigned int keys)
{
	plan_keys = keys;
}

uint64_t
dtc_copy_cmp_plan_bytes(const struct dtc_sess_conf *conf, uint32_t sessions)
{
	if (!conf->online_answers)
		return 0;
	return dtc_cmp_mem_size(plan_keys) +
		dtc_cmp_pairs_mem_size(sessions, DTC_COPY_CMP_DEF_RECORDS);
}

size_t
dtc_copy_cmp_mem_size(const struct dtc_copy_opts *o, uint32_t max_sessions)
{
	if (!o->compare)
		return 0;
	return dtc_cmp_mem_size(o->compare_keys) +
		dtc_cmp_pairs_mem_size(max_sessions, DTC_COPY_CMP_DEF_RECORDS);
}

int
dtc_copy_cmp_init(const struct dtc_copy_opts *o, uint16_t n_workers, uint32_t max_sessions,
	int socket_id)
{
	unsigned int i, x;

	if (!o->compare)
		return 0;
	g.n_workers = n_workers;
	g.keys = o->compare_keys;
	g.report = o->compare_report;
	g.xfer = o->xfer;
	g.n_xfer = o->n_xfer;
	for (x = 0; x < o->n_xfer; x++)
		g.proto[x] = x < o->n_compare_proto ? o->compare_proto[x] : DTC_CLS_AUTO;
	g.time_source = o->response_port >= 0 ? "response port arrival" :
		"copier arrival of the intercept records (1.x records carry no capture time)";
	for (i = 0; i < n_workers; i++) {
		g.cmp[i] = dtc_cmp_create(g.keys, socket_id);
		if (g.cmp[i] == NULL)
			return -rte_errno;
		g.pairs[i] = dtc_cmp_pairs_create(g.cmp[i], max_sessions,
			DTC_COPY_CMP_DEF_RECORDS, socket_id);
		if (g.pairs[i] == NULL)
			return -rte_errno;
		for (x = 0; x < o->n_xfer && x < DTC_CMP_XFER_MAX; x++)
			dtc_cmp_pairs_set_proto(g.pairs[i], x,
				x < o->n_compare_proto ? o->compare_proto[x] : DTC_CLS_AUTO);
		g.last[i] = dtc_cmp_body(g.cmp[i]); /* until the first snapshot: empty */
	}
	g.merged = dtc_cmp_body_alloc(g.keys);
	if (g.merged == NULL)
		return -ENOMEM;
	g.on = true;
	return 0;
}

void
dtc_copy_cmp_fini(void)
{
	unsigned int i;

	pthread_mutex_lock(&g.lock);
	g.on = false;
	g.have_merged = false;
	for (i = 0; i < g.n_workers; i++) {
		dtc_cmp_pairs_free(g.pairs[i]);
		dtc_cmp_free(g.cmp[i]);
		g.pairs[i] = NULL;
		g.cmp[i] = NULL;
	}
	dtc_cmp_body_free(g.merged);
	g.merged = NULL;
	pthread_mutex_unlock(&g.lock);
}

struct dtc_cmp_pairs *
dtc_copy_cmp_pairs(uint16_t w)
{
	return g.on && w < g.n_workers ? g.pairs[w] : NULL;
}

struct dtc_cmp *
dtc_copy_cmp_worker(uint16_t w)
{
	return g.on && w < g.n_workers ? g.cmp[w] : NULL;
}

static void write_report(void);

void
dtc_copy_cmp_collect(bool workers_stopped, bool poll_self)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * SNAP_WAIT_US / 1000000;
	unsigned int i, missing;

	if (!g.on)
		return;
	if (workers_stopped) {
		for (i = 0; i < g.n_workers; i++)
			g.last[i] = dtc_cmp_body(g.cmp[i]);
	} else {
		for (i = 0; i < g.n_workers; i++)
			dtc_cmp_snap_request(g.cmp[i]);
		do {
			missing = 0;
			for (i = 0; i < g.n_workers; i++) {
				const struct dtc_cmp_body *b;

				if (poll_self)
					dtc_cmp_poll(g.cmp[i]);
				if (dtc_cmp_snap_get(g.cmp[i], &b) == 0)
					g.last[i] = b;
				else
					missing++;
			}
			if (missing != 0)
				rte_delay_us_sleep(50);
		} while (missing != 0 && rte_get_timer_cycles() < deadline);
		/* a worker that did not answer (sleeping with --idle-sleep, say) keeps its
		 * previous snapshot: counted, never read while it writes */
		g.snap_missed += missing;
	}
	pthread_mutex_lock(&g.lock);
	dtc_cmp_merge(g.merged, g.last, g.n_workers);
	g.have_merged = true;
	g.collects++;
	pthread_mutex_unlock(&g.lock);
	write_report();
}

void
dtc_copy_cmp_resp(struct dtc_resp *r, const struct dtc_pkt_info *pi, const struct rte_mbuf *m)
{
	uint8_t buf[DTC_CMP_HEAD];
	const uint8_t *d;
	unsigned int x;
	uint16_t n;
	int proto = DTC_CLS_AUTO;

	if (!g.on || r->payload_len == 0 || (r->flags & DTC_TCP_SYN))
		return;
	for (x = 0; x < g.n_xfer; x++)
		if (g.xfer[x].family == pi->family && g.xfer[x].target_port == pi->sport &&
				memcmp(&g.xfer[x].target_addr, &pi->src, sizeof(pi->src)) == 0) {
			proto = g.proto[x];
			break;
		}
	if (x == g.n_xfer)
		return;
	n = (uint16_t)RTE_MIN(r->payload_len, (uint16_t)DTC_CMP_HEAD);
	d = rte_pktmbuf_read(m, (uint32_t)pi->l4_off + pi->tcp_hlen, n, buf);
	if (d == NULL)
		return;
	if (proto == DTC_CLS_AUTO) /* as the worker would from the request: answer and port */
		proto = n >= 5 && memcmp(d, "HTTP/", 5) == 0 ? DTC_CLS_http :
			(int)dtc_cls_detect(rte_be_to_cpu_16(g.xfer[x].online_port), NULL, 0);
	dtc_cmp_resp_set_outcome(r, dtc_cls_outcome((enum dtc_cls_proto)proto, d, n));
}

/* ------------------------------------------------------------------ */
/* Figures. */

static const double pcts[] = { 0.5, 0.9, 0.99, 0.999 };
static const char *const pct_names[] = { "p50", "p90", "p99", "p99.9" };
/* telemetry names: alphanumeric, '_' and '/' only */
static const char *const tel_pct_names[] = { "p50", "p90", "p99", "p999" };

static uint64_t
differing(const struct dtc_cmp_stats *s)
{
	return s->compared - s->equal;
}

static double
pct_of(uint64_t a, uint64_t b)
{
	return b == 0 ? 0.0 : 100.0 * (double)a / (double)b;
}

size_t
dtc_copy_cmp_stats_field(char *buf, size_t len)
{
	const struct dtc_cmp_stats *s;
	int w;

	if (!g.on || !g.have_merged || len == 0)
		return 0;
	pthread_mutex_lock(&g.lock);
	s = &g.merged->all;
	w = snprintf(buf, len, " compare %" PRIu64 " differing %.2f %% p99 online %.3f ms test "
		"%.3f ms", s->compared, pct_of(differing(s), s->compared),
		(double)dtc_cmp_hist_quantile(&s->online, 0.99) / 1000.0,
		(double)dtc_cmp_hist_quantile(&s->test, 0.99) / 1000.0);
	pthread_mutex_unlock(&g.lock);
	return w > 0 ? RTE_MIN((size_t)w, len - 1) : 0;
}

static void
log_row(const char *name, const struct dtc_cmp_stats *s)
{
	char cells[160];
	size_t at = 0;
	unsigned int i;

	cells[0] = '\0';
	for (i = 0; i < DTC_CMP_CELLS && at < sizeof(cells); i++) {
		char on[24], te[24];
		int w;

		if (s->cells[i].n == 0 || s->cells[i].online == s->cells[i].test)
			continue;
		w = snprintf(cells + at, sizeof(cells) - at, " %s->%s:%" PRIu64,
			dtc_cls_outcome_name(s->cells[i].online, on, sizeof(on)),
			dtc_cls_outcome_name(s->cells[i].test, te, sizeof(te)), s->cells[i].n);
		at = w > 0 ? RTE_MIN(at + (size_t)w, sizeof(cells)) : at;
	}
	COPY_LOG(INFO, "  %-32.32s %9" PRIu64 " %9" PRIu64 " %6.2f%% %9.3f %9.3f %9.3f%s", name,
		s->compared, differing(s), pct_of(differing(s), s->compared),
		(double)dtc_cmp_hist_quantile(&s->online, 0.99) / 1000.0,
		(double)dtc_cmp_hist_quantile(&s->test, 0.99) / 1000.0,
		(double)dtc_cmp_shist_quantile(&s->delta, 0.99) / 1000.0, cells);
}

void
dtc_copy_cmp_summary(void)
{
	const struct dtc_cmp_body *b;
	unsigned int i;

	if (!g.on || !g.have_merged)
		return;
	pthread_mutex_lock(&g.lock);
	b = g.merged;
	COPY_LOG(INFO, "comparison online vs test (%" PRIu64 " requests, test times: %s):",
		b->all.pairs, g.time_source);
	COPY_LOG(INFO, "  %-32s %9s %9s %7s %9s %9s %9s  %s", "key", "compared", "differ", "",
		"p99 onl", "p99 test", "p99 delta", "outcomes online->test (ms)");
	for (i = 0; i < b->n_keys; i++)
		log_row(b->keys[i].name, &b->keys[i].st);
	if (b->other.st.pairs != 0)
		log_row("other", &b->other.st);
	log_row("all", &b->all);
	for (i = 0; i < DTC_CMP_DIFF_MAX; i++)
		if (b->all.diff[i] != 0)
			COPY_LOG(INFO, "  %-16s %12" PRIu64 "  %s", dtc_cmp_diff_name(i),
				b->all.diff[i], dtc_cmp_diff_desc(i));
	if (b->no_record != 0 || b->not_sent != 0)
		COPY_LOG(INFO, "  not compared: %" PRIu64 " (pairing pool full), %" PRIu64
			" (session ended before the copy went out)", b->no_record, b->not_sent);
	pthread_mutex_unlock(&g.lock);
}

/* ------------------------------------------------------------------ */
/* The JSON report. */

static void
json_str(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c > 0x7e)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
json_hist(FILE *f, const struct dtc_cmp_hist *h)
{
	unsigned int i;
	bool first = true;

	fprintf(f, "{\"count\": %" PRIu64 ", \"mean\": %.1f, \"min\": %" PRIu64, h->n,
		h->n ? (double)h->sum / (double)h->n : 0.0, h->n ? h->min : 0);
	for (i = 0; i < RTE_DIM(pcts); i++)
		fprintf(f, ", \"%s\": %" PRIu64, pct_names[i], dtc_cmp_hist_quantile(h, pcts[i]));
	fprintf(f, ", \"max\": %" PRIu64 ", \"buckets\": [", h->n ? h->max : 0);
	for (i = 0; i < DTC_CMP_HIST_BUCKETS; i++) {
		if (h->b[i] == 0)
			continue;
		fprintf(f, "%s[%" PRIu64 ", %" PRIu64 "]", first ? "" : ", ",
			RTE_MIN(dtc_cmp_hist_bucket_hi(i), h->max), h->b[i]);
		first = false;
	}
	fputs("]}", f);
}

static void
json_shist(FILE *f, const struct dtc_cmp_shist *h)
{
	unsigned int i;

	fprintf(f, "{\"count\": %" PRIu64, dtc_cmp_shist_count(h));
	for (i = 0; i < RTE_DIM(pcts); i++)
		fprintf(f, ", \"%s\": %" PRId64, pct_names[i], dtc_cmp_shist_quantile(h, pcts[i]));
	fprintf(f, ", \"max\": %" PRId64 "}", dtc_cmp_shist_quantile(h, 1.0));
}

static const char *const len_bucket_names[DTC_CMP_LEN_BUCKETS] = {
	"1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128-255", "256-511",
	"512-1023", "1024-2047", "2048-4095", "4096-8191", "8192-16383", "16384-32767",
	">=32768",
};

static void
json_stats(FILE *f, const struct dtc_cmp_stats *s, const char *ind)
{
	unsigned int i;
	uint64_t mismatch = 0;
	bool first = true;

	fprintf(f, "%s\"pairs\": %" PRIu64 ",\n%s\"compared\": %" PRIu64 ",\n%s\"equal\": %"
		PRIu64 ",\n%s\"differing\": %" PRIu64 ",\n%s\"differing_pct\": %.3f,\n", ind,
		s->pairs, ind, s->compared, ind, s->equal, ind, differing(s), ind,
		pct_of(differing(s), s->compared));
	fprintf(f, "%s\"diff\": {", ind);
	for (i = 0; i < DTC_CMP_DIFF_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i ? ", " : "", dtc_cmp_diff_name(i), s->diff[i]);
	fprintf(f, "},\n%s\"test_missing\": %" PRIu64 ",\n%s\"test_reset\": %" PRIu64 ",\n", ind,
		s->diff[DTC_CMP_DIFF_test_missing], ind, s->diff[DTC_CMP_DIFF_test_reset]);
	fprintf(f, "%s\"length_differs\": {\"count\": %" PRIu64 ", \"test_longer\": %" PRIu64
		", \"test_shorter\": %" PRIu64 ", \"by_bytes\": {", ind,
		s->test_longer + s->test_shorter, s->test_longer, s->test_shorter);
	for (i = 0; i < DTC_CMP_LEN_BUCKETS; i++) {
		if (s->len_diff[i] == 0)
			continue;
		fprintf(f, "%s\"%s\": %" PRIu64, first ? "" : ", ", len_bucket_names[i],
			s->len_diff[i]);
		first = false;
	}
	fprintf(f, "}},\n%s\"latency_us\": {\n%s  \"online\": ", ind, ind);
	json_hist(f, &s->online);
	fprintf(f, ",\n%s  \"test\": ", ind);
	json_hist(f, &s->test);
	fprintf(f, ",\n%s  \"delta\": ", ind);
	json_shist(f, &s->delta);
	fprintf(f, "\n%s},\n%s\"outcomes\": {\"matrix\": [", ind, ind);
	first = true;
	for (i = 0; i < DTC_CMP_CELLS; i++) {
		char on[24], te[24];

		if (s->cells[i].n == 0)
			continue;
		if (s->cells[i].online != s->cells[i].test)
			mismatch += s->cells[i].n;
		fprintf(f, "%s{\"online\": \"%s\", \"test\": \"%s\", \"count\": %" PRIu64 "}",
			first ? "" : ", ", dtc_cls_outcome_name(s->cells[i].online, on, sizeof(on)),
			dtc_cls_outcome_name(s->cells[i].test, te, sizeof(te)), s->cells[i].n);
		first = false;
	}
	fprintf(f, "], \"other\": %" PRIu64 ", \"mismatch\": %" PRIu64 ", \"test_unknown\": %"
		PRIu64 "}", s->cells_other, mismatch, s->outcome_unknown);
}

static void
json_key(FILE *f, const struct dtc_cmp_key *k)
{
	unsigned int d, i;
	bool first = true;

	fputs("    {\n      \"key\": ", f);
	json_str(f, (const uint8_t *)k->name, strlen(k->name));
	fprintf(f, ",\n      \"estimate\": %" PRIu64 ",\n", k->est);
	json_stats(f, &k->st, "      ");
	fputs(",\n      \"samples\": {", f);
	for (d = 0; d < DTC_CMP_DIFF_MAX; d++) {
		if (k->n_samples[d] == 0)
			continue;
		fprintf(f, "%s\n        \"%s\": [", first ? "" : ",", dtc_cmp_diff_name(d));
		for (i = 0; i < k->n_samples[d]; i++) {
			const struct dtc_cmp_sample *s = &k->samples[d][i];

			fprintf(f, "%s{\"request\": ", i ? ", " : "");
			json_str(f, s->req, s->req_len);
			fputs(", \"online\": ", f);
			json_str(f, s->online, s->online_head_len);
			fputs(", \"test\": ", f);
			json_str(f, s->test, s->test_head_len);
			fprintf(f, ", \"online_len\": %u, \"test_len\": %u}", s->online_len,
				s->test_len);
		}
		fputs("]", f);
		first = false;
	}
	fputs(first ? "}\n    }" : "\n      }\n    }", f);
}

void
dtc_copy_cmp_report(FILE *f)
{
	const struct dtc_cmp_body *b;
	unsigned int i;

	if (!g.on || !g.have_merged)
		return;
	pthread_mutex_lock(&g.lock);
	b = g.merged;
	fprintf(f, "{\n  \"version\": 1,\n  \"test_time_source\": \"%s\",\n", g.time_source);
	json_stats(f, &b->all, "  ");
	fprintf(f, ",\n  \"latency_last_us\": {\"online\": ");
	json_hist(f, &b->online_last);
	fprintf(f, ", \"test\": ");
	json_hist(f, &b->test_last);
	fprintf(f, "},\n  \"no_record\": %" PRIu64 ",\n  \"not_sent\": %" PRIu64 ",\n"
		"  \"online_segs\": %" PRIu64 ",\n  \"online_unmatched\": %" PRIu64 ",\n"
		"  \"keys_max\": %u,\n  \"keys_evicted\": %" PRIu64 ",\n  \"keys\": [\n",
		b->no_record, b->not_sent, b->online_segs, b->online_unmatched, b->cap_keys,
		b->keys_evicted);
	for (i = 0; i < b->n_keys; i++) {
		json_key(f, &b->keys[i]);
		fputs(i + 1 < b->n_keys ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"other\":\n", f);
	json_key(f, &b->other);
	fputs("\n}\n", f);
	pthread_mutex_unlock(&g.lock);
}

/* Rewritten whole: a reader never sees half a report. */
static void
write_report(void)
{
	char tmp[4096];
	FILE *f;

	if (g.report == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", g.report);
	f = fopen(tmp, "w");
	if (f == NULL) {
		COPY_LOG(WARNING, "--compare-report %s: %s", tmp, strerror(errno));
		return;
	}
	dtc_copy_cmp_report(f);
	if (fclose(f) != 0 || rename(tmp, g.report) != 0) {
		COPY_LOG(WARNING, "--compare-report %s: %s", g.report, strerror(errno));
		unlink(tmp);
	}
}

/* ------------------------------------------------------------------ */
/* Telemetry. */

/* Cumulative counts at le = 2^k us (k = 0..DTC_CMP_HIST_MAX_EXP), Prometheus style: the fine
 * buckets nest in powers of two, so these are exact. */
static struct rte_tel_data *
tel_buckets(const struct dtc_cmp_hist *h)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	uint64_t cum = 0, lim;
	unsigned int i = 0, k;
	char name[24];

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	for (k = 0; k <= DTC_CMP_HIST_MAX_EXP; k++) {
		lim = 1ull << k;
		while (i < DTC_CMP_HIST_BUCKETS && dtc_cmp_hist_bucket_hi(i) <= lim) {
			cum += h->b[i];
			i++;
		}
		snprintf(name, sizeof(name), "%" PRIu64, lim);
		rte_tel_data_add_dict_u64(d, name, cum);
		if (cum == h->n)
			break;
	}
	rte_tel_data_add_dict_u64(d, "inf", h->n);
	rte_tel_data_add_dict_u64(d, "sum", h->sum);
	return d;
}

static struct rte_tel_data *
tel_stats_dict(const struct dtc_cmp_stats *s, bool buckets, const char *key)
{
	struct rte_tel_data *d = rte_tel_data_alloc();
	unsigned int i;
	uint64_t mismatch = 0;
	char name[64];
	int64_t dv;

	if (d == NULL)
		return NULL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "key", key); /* a value: any characters */
	rte_tel_data_add_dict_u64(d, "pairs", s->pairs);
	rte_tel_data_add_dict_u64(d, "compared", s->compared);
	rte_tel_data_add_dict_u64(d, "equal", s->equal);
	rte_tel_data_add_dict_u64(d, "differing", differing(s));
	for (i = 0; i < DTC_CMP_DIFF_MAX; i++)
		rte_tel_data_add_dict_u64(d, dtc_cmp_diff_name(i), s->diff[i]);
	rte_tel_data_add_dict_u64(d, "length_differs", s->test_longer + s->test_shorter);
	for (i = 0; i < DTC_CMP_CELLS; i++)
		if (s->cells[i].n != 0 && s->cells[i].online != s->cells[i].test)
			mismatch += s->cells[i].n;
	rte_tel_data_add_dict_u64(d, "outcome_mismatch", mismatch);
	rte_tel_data_add_dict_u64(d, "outcome_unknown", s->outcome_unknown);
	for (i = 0; i < RTE_DIM(pcts); i++) {
		snprintf(name, sizeof(name), "online_%s_us", tel_pct_names[i]);
		rte_tel_data_add_dict_u64(d, name, dtc_cmp_hist_quantile(&s->online, pcts[i]));
		snprintf(name, sizeof(name), "test_%s_us", tel_pct_names[i]);
		rte_tel_data_add_dict_u64(d, name, dtc_cmp_hist_quantile(&s->test, pcts[i]));
		snprintf(name, sizeof(name), "delta_%s_us", tel_pct_names[i]);
		dv = dtc_cmp_shist_quantile(&s->delta, pcts[i]);
		if (dv > INT32_MAX)
			dv = INT32_MAX;
		if (dv < INT32_MIN)
			dv = INT32_MIN;
		rte_tel_data_add_dict_int(d, name, (int)dv);
	}
	rte_tel_data_add_dict_u64(d, "online_max_us", s->online.max);
	rte_tel_data_add_dict_u64(d, "test_max_us", s->test.max);
	if (buckets) {
		struct rte_tel_data *b;

		b = tel_buckets(&s->online);
		if (b != NULL)
			rte_tel_data_add_dict_container(d, "online_hist_us", b, 0);
		b = tel_buckets(&s->test);
		if (b != NULL)
			rte_tel_data_add_dict_container(d, "test_hist_us", b, 0);
	}
	return d;
}

static int
tel_compare(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *c;
	unsigned int i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "enabled", g.on);
	pthread_mutex_lock(&g.lock);
	if (g.on && g.have_merged) {
		const struct dtc_cmp_body *b = g.merged;

		rte_tel_data_add_dict_u64(d, "no_record", b->no_record);
		rte_tel_data_add_dict_u64(d, "not_sent", b->not_sent);
		rte_tel_data_add_dict_u64(d, "online_segs", b->online_segs);
		rte_tel_data_add_dict_u64(d, "online_unmatched", b->online_unmatched);
		rte_tel_data_add_dict_u64(d, "snapshots_missed", g.snap_missed);
		c = tel_stats_dict(&b->all, true, "all");
		if (c != NULL)
			rte_tel_data_add_dict_container(d, "all", c, 0);
		/* keys are not valid telemetry names ("GET /x"): dictionaries k0, k1, ... (by
		 * rank), each with its key as a value (DPDK 22.11 encodes no dictionary inside an
		 * array).  The reply must fit the 16 KB telemetry buffer: the 16 biggest keys (the
		 * report has them all), then other. */
		for (i = 0; i < b->n_keys && i < 16; i++) {
			char name[8];

			snprintf(name, sizeof(name), "k%u", i);
			c = tel_stats_dict(&b->keys[i].st, false, b->keys[i].name);
			if (c != NULL)
				rte_tel_data_add_dict_container(d, name, c, 0);
		}
		if (b->other.st.pairs != 0) {
			c = tel_stats_dict(&b->other.st, false, "other");
			if (c != NULL)
				rte_tel_data_add_dict_container(d, "other", c, 0);
		}
	}
	pthread_mutex_unlock(&g.lock);
	return 0;
}

int
dtc_copy_cmp_telemetry_init(void)
{
	return rte_telemetry_register_cmd("/dtc/copy/compare", tel_compare,
		"Online vs test comparison: counts, latency percentiles and histograms, per key. "
		"No parameters");
}
