/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Counters of every role gathered on the main lcore: the periodic stats line, the final
 * summary, and a snapshot for DPDK telemetry (/dtc/copy/...), which runs on its own thread and
 * so only ever reads the snapshot, under a seqlock.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_log.h>
#include <rte_seqlock.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "dtc_app.h"
#include "copy_dp.h"

RTE_LOG_REGISTER(dtc_copy_logtype, dtc.copy, INFO);

uint64_t dtc_copy_epoch_us;

#define NAME(n, s) #n,
#define DESC(n, s) s,
static const char *const drop_name[] = { DTC_COPY_DROP_LIST(NAME) };
static const char *const drop_desc[] = { DTC_COPY_DROP_LIST(DESC) };
static const char *const wait_name[] = { DTC_COPY_WAIT_LIST(NAME) };
static const char *const wait_desc[] = { DTC_COPY_WAIT_LIST(DESC) };
#undef NAME
#undef DESC

const char *
dtc_copy_drop_name(unsigned int i)
{
	return i < DTC_COPY_DROP_MAX ? drop_name[i] : "?";
}

const char *
dtc_copy_drop_desc(unsigned int i)
{
	return i < DTC_COPY_DROP_MAX ? drop_desc[i] : "?";
}

const char *
dtc_copy_wait_name(unsigned int i)
{
	return i < DTC_COPY_WAIT_MAX ? wait_name[i] : "?";
}

const char *
dtc_copy_wait_desc(unsigned int i)
{
	return i < DTC_COPY_WAIT_MAX ? wait_desc[i] : "?";
}

/* The kernel side of each af_packet capture port: its sockets, found once, and their drops
 * accumulated (a PACKET_STATISTICS read resets the kernel's counters). */
static struct dtc_afp_drops kside[RTE_MAX_ETHPORTS];
static bool kside_found[RTE_MAX_ETHPORTS];

static void
port_add(uint16_t port, struct dtc_copy_totals *t)
{
	struct dtc_copy_port_loss *l;
	struct rte_eth_stats ps;

	if (port >= RTE_MAX_ETHPORTS || t->n_ports >= RTE_DIM(t->ports))
		return;
	l = &t->ports[t->n_ports++];
	memset(l, 0, sizeof(*l));
	l->port = port;
	if (!kside_found[port]) {
		int n = dtc_afp_find(&kside[port], port);

		kside_found[port] = true;
		if (kside[port].is_afp)
			COPY_LOG(INFO, "port %u: af_packet, kernel ring drops read from %d socket(s)",
				port, n);
	}
	if (kside[port].is_afp) {
		l->af_packet = true;
		l->kernel_drops = dtc_afp_read(&kside[port]);
		l->kernel_packets = kside[port].packets;
		t->port_kernel_drops += l->kernel_drops;
	}
	if (rte_eth_stats_get(port, &ps) != 0)
		return;
	l->ipackets = ps.ipackets;
	l->imissed = ps.imissed;
	l->rx_nombuf = ps.rx_nombuf;
	l->ierrors = ps.ierrors;
	t->port_imissed += ps.imissed;
	t->port_rx_nombuf += ps.rx_nombuf;
	t->port_ierrors += ps.ierrors;
}

/* What the capture ports dropped before we saw it (not a hot path: the stats pass only). */
static void
port_losses(const struct dtc_copy_app *a, struct dtc_copy_totals *t)
{
	unsigned int i;
	bool resp_is_rx = false;

	if (a->offline)
		return;
	for (i = 0; i < a->o.n_rx_ports; i++) {
		port_add(a->o.rx_ports[i], t);
		resp_is_rx |= a->o.response_port == a->o.rx_ports[i];
	}
	if (a->o.response_port >= 0 && !resp_is_rx)
		port_add((uint16_t)a->o.response_port, t);
}

void
dtc_copy_totals(const struct dtc_copy_app *a, struct dtc_copy_totals *t)
{
	unsigned int i, j;

	memset(t, 0, sizeof(*t));
	t->at_us = dtc_copy_now_us();
	for (i = 0; i < DTC_COPY_DROP_MAX; i++)
		t->drop[i] = a->ctl.drop[i];
	for (j = 0; j < a->n_rx; j++) {
		const struct dtc_copy_rx *rx = &a->rx[j];

		t->captured += rx->frames;
		t->captured_bytes += rx->bytes;
		if (rx->front != NULL) {
			struct dtc_front_stats f;

			dtc_front_stats(rx->front, &f);
			t->front.kept += f.kept;
			t->front.replicas += f.replicas;
			for (i = 0; i < DTC_SESS_DROP_MAX; i++)
				t->front.drop[i] += f.drop[i];
		}
		for (i = 0; i < DTC_COPY_DROP_MAX; i++)
			t->drop[i] += rx->drop[i];
		for (i = 0; i < DTC_PERR_MAX; i++)
			t->perr[i] += rx->perr[i];
	}
	for (i = 0; i < a->n_workers; i++) {
		const struct dtc_copy_worker *w = a->workers[i];
		struct dtc_sess_stats s;

		if (w == NULL)
			continue;
		if (w->eng != NULL) {
			dtc_sess_stats(w->eng, &s);
			dtc_sess_stats_add(&t->sess, &s);
		}
		t->tx_pkts += w->tx_pkts + w->ctl_tx_pkts;
		t->tx_bytes += w->tx_bytes;
		t->route_no_intercept += w->route_no_intercept;
		t->route_ring_full += w->route_ring_full;
		t->drop[DTC_COPY_DROP_ctl_tx_full] += w->ctl_tx_drops;
		for (j = 0; j < DTC_COPY_WAIT_MAX; j++)
			t->waiting[j] += w->waiting[j];
	}
	t->routes = a->ctl.routes;
	t->routes_failed = a->ctl.routes_failed;
	t->resp_records = a->ctl.resp_records;
	t->arp_requests = a->ctl.arp.requests_sent;
	t->arp_learned = a->ctl.arp.replies_learned;
	for (j = 0; j < a->ctl.n_ports; j++) {
		t->arp_replies += a->ctl.ports[j].resp.arp_replies;
		t->icmp_replies += a->ctl.ports[j].resp.icmp_replies;
	}
	if (a->ctl.client != NULL) {
		dtc_ctl_client_stats(a->ctl.client, &t->ctl);
		t->have_ctl = true;
	}
	t->offline_packets = a->off.packets;
	t->offline_passes = a->off.passes;
	for (i = 0; i < RTE_MAX_LCORE; i++)
		t->idle_sleeps += a->idle_sleeps[i];
	if (a->mp != NULL) {
		t->mbufs = a->mp->size;
		t->mbufs_in_use = rte_mempool_in_use_count(a->mp);
	}
	port_losses(a, t);
}

static const char *
perr_name(unsigned int i)
{
	return dtc_perr_name((int)i);
}

static const char *
perr_desc(unsigned int i)
{
	return dtc_perr_str((int)i);
}

static const char *
perr_name_from1(unsigned int i)
{
	return dtc_perr_name((int)i + 1);
}

static uint64_t
sum(const uint64_t *v, unsigned int n)
{
	uint64_t s = 0;

	while (n-- > 0)
		s += v[n];
	return s;
}

static uint64_t
ended(const struct dtc_copy_totals *t)
{
	return sum(t->sess.end, DTC_SESS_END_MAX);
}

static uint64_t
port_lost(const struct dtc_copy_totals *t)
{
	return t->port_imissed + t->port_rx_nombuf + t->port_ierrors + t->port_kernel_drops;
}

static uint64_t
dropped(const struct dtc_copy_totals *t)
{
	return sum(t->drop, DTC_COPY_DROP_MAX) + sum(t->front.drop, DTC_SESS_DROP_MAX) +
		sum(t->sess.drop, DTC_SESS_DROP_MAX) + port_lost(t);
}

/* Append "name N " for every non-zero counter. */
static size_t
list_nonzero(char *buf, size_t len, size_t at, const char *prefix, const uint64_t *v,
	unsigned int n, const char *(*name)(unsigned int))
{
	unsigned int i;

	for (i = 0; i < n && at < len; i++) {
		int w;

		if (v[i] == 0)
			continue;
		w = snprintf(buf + at, len - at, " %s%s=%" PRIu64, prefix, name(i), v[i]);
		if (w > 0)
			at += (size_t)w;
	}
	return at < len ? at : len;
}

/* Copy lag of the requests released between prev and t (histogram difference). */
static uint64_t
lag_window(const struct dtc_copy_totals *t, const struct dtc_copy_totals *prev, uint64_t *h)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < DTC_HIST_BUCKETS; i++) {
		h[i] = t->sess.lag_hist[i] - prev->sess.lag_hist[i];
		n += h[i];
	}
	return n;
}

/* Percentile of the test-path RTT histogram (log2 buckets: i in [8 << i, 16 << i) us). */
static uint64_t
rtt_pct(const uint64_t *h, double pct)
{
	uint64_t total = sum(h, DTC_RTT_BUCKETS), rank, seen = 0;
	unsigned int i;

	if (total == 0)
		return 0;
	rank = (uint64_t)((double)total * pct / 100.0 + 0.999999);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < DTC_RTT_BUCKETS; i++) {
		seen += h[i];
		if (seen >= rank)
			return (16ull << i) - 1;
	}
	return (16ull << (DTC_RTT_BUCKETS - 1)) - 1;
}

static double
rate(uint64_t now, uint64_t before, uint64_t dt_us)
{
	return dt_us == 0 ? 0.0 : (double)(now - before) * 1e6 / (double)dt_us;
}

void
dtc_copy_stats_line(const struct dtc_copy_totals *t, const struct dtc_copy_totals *prev,
	char *buf, size_t len)
{
	static const struct dtc_copy_totals zero;
	const struct dtc_sess_stats *s = &t->sess;
	uint64_t dt;
	size_t at;
	int w;

	if (prev == NULL)
		prev = &zero;
	dt = t->at_us > prev->at_us && prev->at_us != 0 ? t->at_us - prev->at_us : 0;
	w = snprintf(buf, len, "captured %" PRIu64 " (%.0f/s) copied %" PRIu64 " (%.0f/s) "
		"sessions active %" PRIu64 " new %" PRIu64 " ended %" PRIu64 " retransmits %"
		PRIu64 " responses %" PRIu64 " (%.0f/s) drops %" PRIu64,
		t->captured, rate(t->captured, prev->captured, dt),
		s->c[DTC_SESS_C_seg_sent], rate(s->c[DTC_SESS_C_seg_sent],
			prev->sess.c[DTC_SESS_C_seg_sent], dt),
		s->active, s->c[DTC_SESS_C_sess_created] - prev->sess.c[DTC_SESS_C_sess_created],
		ended(t) - ended(prev),
		s->c[DTC_SESS_C_seg_retrans] + s->c[DTC_SESS_C_seg_fast_retrans],
		s->c[DTC_SESS_C_resp_in], rate(s->c[DTC_SESS_C_resp_in],
			prev->sess.c[DTC_SESS_C_resp_in], dt),
		dropped(t));
	at = w > 0 ? RTE_MIN((size_t)w, len) : 0;
	if (dropped(t) != 0 && at < len) {
		w = snprintf(buf + at, len - at, " [");
		at = RTE_MIN(at + (size_t)(w > 0 ? w : 0), len);
		at = list_nonzero(buf, len, at, "", t->drop, DTC_COPY_DROP_MAX,
			dtc_copy_drop_name);
		at = list_nonzero(buf, len, at, "", t->front.drop, DTC_SESS_DROP_MAX,
			dtc_sess_drop_name);
		at = list_nonzero(buf, len, at, "", s->drop, DTC_SESS_DROP_MAX,
			dtc_sess_drop_name);
		if (port_lost(t) != t->port_kernel_drops && at < len) {
			w = snprintf(buf + at, len - at, " port_lost %" PRIu64,
				port_lost(t) - t->port_kernel_drops);
			at = RTE_MIN(at + (size_t)(w > 0 ? w : 0), len);
		}
		if (t->port_kernel_drops != 0 && at < len) {
			w = snprintf(buf + at, len - at, " port_kernel_drops %" PRIu64,
				t->port_kernel_drops);
			at = RTE_MIN(at + (size_t)(w > 0 ? w : 0), len);
		}
		if (at < len) {
			w = snprintf(buf + at, len - at, " ]");
			at = RTE_MIN(at + (size_t)(w > 0 ? w : 0), len);
		}
	}
	if (at < len) {
		uint64_t h[DTC_HIST_BUCKETS];

		if (lag_window(t, prev, h) != 0)
			w = snprintf(buf + at, len - at, " lag p50 %" PRIu64 " p99 %" PRIu64
				" max %" PRIu64 " us", dtc_hist_pct(h, DTC_HIST_BUCKETS, 50),
				dtc_hist_pct(h, DTC_HIST_BUCKETS, 99),
				dtc_hist_pct(h, DTC_HIST_BUCKETS, 100));
		else
			w = snprintf(buf + at, len - at, " lag -");
		at = RTE_MIN(at + (size_t)(w > 0 ? w : 0), len);
	}
	if (t->have_ctl && at < len)
		snprintf(buf + at, len - at, " intercepts %u (conns %u)", t->ctl.intercepts_up,
			t->ctl.conns_up);
}

static void
summary_list(const char *title, const uint64_t *v, unsigned int n,
	const char *(*name)(unsigned int), const char *(*desc)(unsigned int))
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (v[i] != 0)
			COPY_LOG(INFO, "  %s %-16s %12" PRIu64 "  %s", title, name(i), v[i], desc(i));
}

void
dtc_copy_stats_summary(const struct dtc_copy_totals *t, uint64_t elapsed_us)
{
	const struct dtc_sess_stats *s = &t->sess;
	unsigned int i;

	COPY_LOG(INFO, "summary after %.3f s:", (double)elapsed_us / 1e6);
	COPY_LOG(INFO, "  captured %" PRIu64 " frames (%" PRIu64 " bytes), kept %" PRIu64
		" (+%" PRIu64 " replicas)", t->captured, t->captured_bytes, t->front.kept,
		t->front.replicas);
	if (t->offline_passes != 0 || t->offline_packets != 0)
		COPY_LOG(INFO, "  offline: %" PRIu64 " packets read, %" PRIu64 " passes done",
			t->offline_packets, t->offline_passes);
	COPY_LOG(INFO, "  transmitted %" PRIu64 " frames (%" PRIu64 " bytes)", t->tx_pkts,
		t->tx_bytes);
	for (i = 0; i < DTC_SESS_C_MAX; i++)
		if (s->c[i] != 0)
			COPY_LOG(INFO, "  %-20s %12" PRIu64 "  %s", dtc_sess_counter_name(i),
				s->c[i], dtc_sess_counter_desc(i));
	COPY_LOG(INFO, "  sessions active %" PRIu64 " lingering %" PRIu64 " queued segments %"
		PRIu64, s->active, s->lingering, s->queued_segs);
	if (sum(s->lag_hist, DTC_HIST_BUCKETS) != 0)
		COPY_LOG(INFO, "  copy lag (capture to release) of %" PRIu64 " requests: p50 %" PRIu64
			" p90 %" PRIu64 " p99 %" PRIu64 " p99.9 %" PRIu64 " max %" PRIu64 " us",
			sum(s->lag_hist, DTC_HIST_BUCKETS),
			dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 50),
			dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 90),
			dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 99),
			dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 99.9), s->lag_max_us);
	if (sum(s->rtt_hist, DTC_RTT_BUCKETS) != 0)
		COPY_LOG(INFO, "  test-path RTT (our data to its ACK at the worker): p50 %" PRIu64
			" p99 %" PRIu64 " us", rtt_pct(s->rtt_hist, 50), rtt_pct(s->rtt_hist, 99));
	if (sum(t->waiting, DTC_COPY_WAIT_MAX) != 0)
		COPY_LOG(INFO, "  %" PRIu64 " sessions were still active at exit (ended now, with a "
			"RST to the test server), waiting for:", sum(t->waiting, DTC_COPY_WAIT_MAX));
	summary_list("waiting", t->waiting, DTC_COPY_WAIT_MAX, dtc_copy_wait_name,
		dtc_copy_wait_desc);
	summary_list("ended", s->end, DTC_SESS_END_MAX, dtc_sess_end_name, dtc_sess_end_desc);
	summary_list("drop", t->drop, DTC_COPY_DROP_MAX, dtc_copy_drop_name, dtc_copy_drop_desc);
	summary_list("drop", t->front.drop, DTC_SESS_DROP_MAX, dtc_sess_drop_name,
		dtc_sess_drop_desc);
	summary_list("drop", s->drop, DTC_SESS_DROP_MAX, dtc_sess_drop_name, dtc_sess_drop_desc);
	summary_list("not sent", s->txf, DTC_SESS_TXF_MAX, dtc_sess_txf_name, dtc_sess_txf_desc);
	summary_list("parse", t->perr, DTC_PERR_MAX, perr_name, perr_desc);
	/* always: "0 lost before reading" is a statement too */
	COPY_LOG(INFO, "  lost on the capture ports before reading: imissed %" PRIu64
		" (RX ring full) rx_nombuf %" PRIu64 " ierrors %" PRIu64 " port_kernel_drops %"
		PRIu64 " (af_packet kernel ring full)", t->port_imissed, t->port_rx_nombuf,
		t->port_ierrors, t->port_kernel_drops);
	if (t->have_ctl)
		COPY_LOG(INFO, "  intercepts: up %u conns %u connects %" PRIu64 " disconnects %"
			PRIu64 " routes sent %" PRIu64 " dropped %" PRIu64 " records %" PRIu64
			" bad %" PRIu64, t->ctl.intercepts_up, t->ctl.conns_up, t->ctl.connects,
			t->ctl.disconnects, t->ctl.routes_sent, t->ctl.routes_dropped,
			t->ctl.records, t->ctl.bad_records);
	COPY_LOG(INFO, "  arp: requests %" PRIu64 " learned %" PRIu64 " answered %" PRIu64
		" icmp answered %" PRIu64, t->arp_requests, t->arp_learned, t->arp_replies,
		t->icmp_replies);
}

/* ------------------------------------------------------------------ */
/* Telemetry: a snapshot under a seqlock, written a few times a second by the main lcore. */

static struct {
	rte_seqlock_t lock;
	struct dtc_copy_totals t;
	bool valid;
} snap = { .lock = RTE_SEQLOCK_INITIALIZER };

void
dtc_copy_telemetry_publish(const struct dtc_copy_totals *t)
{
	rte_seqlock_write_lock(&snap.lock);
	snap.t = *t;
	snap.valid = true;
	rte_seqlock_write_unlock(&snap.lock);
}

static bool
snapshot(struct dtc_copy_totals *t)
{
	uint32_t sn;
	bool valid;

	do {
		sn = rte_seqlock_read_begin(&snap.lock);
		*t = snap.t;
		valid = snap.valid;
	} while (rte_seqlock_read_retry(&snap.lock, sn));
	return valid;
}

static uint64_t ready_ms;            /* atomic; 0 = not ready yet */

void
dtc_copy_telemetry_ready(uint64_t ms)
{
	__atomic_store_n(&ready_ms, ms != 0 ? ms : 1, __ATOMIC_RELEASE);
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;
	const struct dtc_sess_stats *s = &t.sess;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "ready", __atomic_load_n(&ready_ms, __ATOMIC_ACQUIRE) != 0);
	rte_tel_data_add_dict_u64(d, "ready_ms", __atomic_load_n(&ready_ms, __ATOMIC_ACQUIRE));
	rte_tel_data_add_dict_u64(d, "captured", t.captured);
	rte_tel_data_add_dict_u64(d, "captured_bytes", t.captured_bytes);
	rte_tel_data_add_dict_u64(d, "kept", t.front.kept);
	rte_tel_data_add_dict_u64(d, "replicas", t.front.replicas);
	rte_tel_data_add_dict_u64(d, "copied", s->c[DTC_SESS_C_seg_sent]);
	rte_tel_data_add_dict_u64(d, "tx_pkts", t.tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", t.tx_bytes);
	rte_tel_data_add_dict_u64(d, "sessions_active", s->active);
	rte_tel_data_add_dict_u64(d, "sessions_created", s->c[DTC_SESS_C_sess_created]);
	rte_tel_data_add_dict_u64(d, "sessions_ended", ended(&t));
	rte_tel_data_add_dict_u64(d, "retransmits",
		s->c[DTC_SESS_C_seg_retrans] + s->c[DTC_SESS_C_seg_fast_retrans]);
	rte_tel_data_add_dict_u64(d, "responses", s->c[DTC_SESS_C_resp_in]);
	rte_tel_data_add_dict_u64(d, "resp_records", t.resp_records);
	rte_tel_data_add_dict_u64(d, "routes", t.routes);
	rte_tel_data_add_dict_u64(d, "drops", dropped(&t));
	rte_tel_data_add_dict_u64(d, "offline_packets", t.offline_packets);
	rte_tel_data_add_dict_u64(d, "offline_passes", t.offline_passes);
	rte_tel_data_add_dict_u64(d, "idle_sleeps", t.idle_sleeps);
	rte_tel_data_add_dict_u64(d, "port_imissed", t.port_imissed);
	rte_tel_data_add_dict_u64(d, "port_rx_nombuf", t.port_rx_nombuf);
	rte_tel_data_add_dict_u64(d, "port_ierrors", t.port_ierrors);
	rte_tel_data_add_dict_u64(d, "port_kernel_drops", t.port_kernel_drops);
	rte_tel_data_add_dict_u64(d, "mbufs", t.mbufs);
	rte_tel_data_add_dict_u64(d, "mbufs_in_use", t.mbufs_in_use);
	if (t.have_ctl) {
		rte_tel_data_add_dict_u64(d, "intercepts_up", t.ctl.intercepts_up);
		rte_tel_data_add_dict_u64(d, "intercept_conns_up", t.ctl.conns_up);
	}
	return 0;
}

static void
dict_list(struct rte_tel_data *d, const char *prefix, const uint64_t *v, unsigned int n,
	const char *(*name)(unsigned int))
{
	char key[RTE_TEL_MAX_STRING_LEN];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%s%s", prefix, name(i));
		rte_tel_data_add_dict_u64(d, key, v[i]);
	}
}

static int
tel_drops(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	dict_list(d, "copier/", t.drop, DTC_COPY_DROP_MAX, dtc_copy_drop_name);
	dict_list(d, "front/", t.front.drop, DTC_SESS_DROP_MAX, dtc_sess_drop_name);
	dict_list(d, "engine/", t.sess.drop, DTC_SESS_DROP_MAX, dtc_sess_drop_name);
	dict_list(d, "not_sent/", t.sess.txf, DTC_SESS_TXF_MAX, dtc_sess_txf_name);
	dict_list(d, "parse/", t.perr + 1, DTC_PERR_MAX - 1, perr_name_from1);
	return 0;
}

static int
tel_sessions(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "active", t.sess.active);
	rte_tel_data_add_dict_u64(d, "lingering", t.sess.lingering);
	rte_tel_data_add_dict_u64(d, "queued_segs", t.sess.queued_segs);
	dict_list(d, "", t.sess.c, DTC_SESS_C_MAX, dtc_sess_counter_name);
	dict_list(d, "ended/", t.sess.end, DTC_SESS_END_MAX, dtc_sess_end_name);
	return 0;
}

/* Per capture port, as parallel arrays (telemetry dicts cannot nest dicts). */
static void
ports_array(struct rte_tel_data *d, const char *name, const struct dtc_copy_totals *t,
	size_t off)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;

	if (a == NULL)
		return;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < t->n_ports; i++) {
		uint64_t v;

		if (off == offsetof(struct dtc_copy_port_loss, port))
			v = t->ports[i].port;
		else if (off == offsetof(struct dtc_copy_port_loss, af_packet))
			v = t->ports[i].af_packet;
		else
			memcpy(&v, (const uint8_t *)&t->ports[i] + off, sizeof(v));
		rte_tel_data_add_array_u64(a, v);
	}
	if (rte_tel_data_add_dict_container(d, name, a, 0) != 0)
		rte_tel_data_free(a);
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port_imissed", t.port_imissed);
	rte_tel_data_add_dict_u64(d, "port_rx_nombuf", t.port_rx_nombuf);
	rte_tel_data_add_dict_u64(d, "port_ierrors", t.port_ierrors);
	rte_tel_data_add_dict_u64(d, "port_kernel_drops", t.port_kernel_drops);
#define PA(f) ports_array(d, #f, &t, offsetof(struct dtc_copy_port_loss, f))
	PA(port);
	PA(af_packet);
	PA(ipackets);
	PA(imissed);
	PA(rx_nombuf);
	PA(ierrors);
	PA(kernel_drops);
	PA(kernel_packets);
#undef PA
	return 0;
}

static int
tel_lag(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;
	const struct dtc_sess_stats *s = &t.sess;
	struct rte_tel_data *le, *cnt;
	unsigned int i;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "requests", s->c[DTC_SESS_C_requests]);
	rte_tel_data_add_dict_u64(d, "req_answer", s->c[DTC_SESS_C_req_answer]);
	rte_tel_data_add_dict_u64(d, "req_silence", s->c[DTC_SESS_C_req_silence]);
	rte_tel_data_add_dict_u64(d, "req_catchup", s->c[DTC_SESS_C_req_catchup]);
	rte_tel_data_add_dict_u64(d, "p50_us", dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 50));
	rte_tel_data_add_dict_u64(d, "p90_us", dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 90));
	rte_tel_data_add_dict_u64(d, "p99_us", dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 99));
	rte_tel_data_add_dict_u64(d, "p999_us",
		dtc_hist_pct(s->lag_hist, DTC_HIST_BUCKETS, 99.9));
	rte_tel_data_add_dict_u64(d, "max_us", s->lag_max_us);
	rte_tel_data_add_dict_u64(d, "test_rtt_p50_us", rtt_pct(s->rtt_hist, 50));
	rte_tel_data_add_dict_u64(d, "test_rtt_p99_us", rtt_pct(s->rtt_hist, 99));
	/* The histogram: the upper end of each bucket in use (us) and its count, two arrays
	 * of the same length (telemetry containers are arrays). */
	le = rte_tel_data_alloc();
	cnt = rte_tel_data_alloc();
	if (le == NULL || cnt == NULL) {
		rte_tel_data_free(le);
		rte_tel_data_free(cnt);
		return 0;
	}
	rte_tel_data_start_array(le, RTE_TEL_U64_VAL);
	rte_tel_data_start_array(cnt, RTE_TEL_U64_VAL);
	for (i = 0; i < DTC_HIST_BUCKETS; i++) {
		if (s->lag_hist[i] == 0)
			continue;
		rte_tel_data_add_array_u64(le, i + 1 < DTC_HIST_BUCKETS ? dtc_hist_hi(i) :
			UINT64_MAX);
		rte_tel_data_add_array_u64(cnt, s->lag_hist[i]);
	}
	if (rte_tel_data_add_dict_container(d, "hist_le_us", le, 0) != 0)
		rte_tel_data_free(le);
	if (rte_tel_data_add_dict_container(d, "hist_count", cnt, 0) != 0)
		rte_tel_data_free(cnt);
	return 0;
}

/* Telemetry dicts take an int: microsecond figures beyond +-35 min are clamped. */
static int
clamp_int(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int)v;
}

static int
tel_intercepts(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct dtc_copy_totals t;

	if (!snapshot(&t))
		return -EAGAIN;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "configured", t.have_ctl);
	if (!t.have_ctl)
		return 0;
	rte_tel_data_add_dict_u64(d, "up", t.ctl.intercepts_up);
	rte_tel_data_add_dict_u64(d, "conns_up", t.ctl.conns_up);
	rte_tel_data_add_dict_u64(d, "connects", t.ctl.connects);
	rte_tel_data_add_dict_u64(d, "disconnects", t.ctl.disconnects);
	rte_tel_data_add_dict_u64(d, "connect_failures", t.ctl.connect_failures);
	rte_tel_data_add_dict_u64(d, "routes_sent", t.ctl.routes_sent);
	rte_tel_data_add_dict_u64(d, "routes_dropped", t.ctl.routes_dropped);
	rte_tel_data_add_dict_u64(d, "records", t.ctl.records);
	rte_tel_data_add_dict_u64(d, "bad_records", t.ctl.bad_records);
	rte_tel_data_add_dict_u64(d, "bad_frames", t.ctl.bad_frames);
	rte_tel_data_add_dict_u64(d, "bytes_in", t.ctl.bytes_in);
	rte_tel_data_add_dict_u64(d, "bytes_out", t.ctl.bytes_out);
	/* protocol v2 */
	rte_tel_data_add_dict_u64(d, "v2_conns", t.ctl.v2_conns);
	rte_tel_data_add_dict_u64(d, "v1_conns", t.ctl.v1_conns);
	rte_tel_data_add_dict_u64(d, "v1_fallbacks", t.ctl.v1_fallbacks);
	rte_tel_data_add_dict_u64(d, "handshake_failures", t.ctl.handshake_failures);
	rte_tel_data_add_dict_u64(d, "auth_failures", t.ctl.auth_failures);
	rte_tel_data_add_dict_u64(d, "peer_dead", t.ctl.peer_dead);
	rte_tel_data_add_dict_u64(d, "heartbeats_sent", t.ctl.heartbeats_sent);
	rte_tel_data_add_dict_u64(d, "heartbeats_rcvd", t.ctl.heartbeats_rcvd);
	rte_tel_data_add_dict_u64(d, "byes_rcvd", t.ctl.byes_rcvd);
	rte_tel_data_add_dict_u64(d, "route_copies_v6_v1", t.ctl.route_copies_v6_v1);
	rte_tel_data_add_dict_u64(d, "clock_samples", t.ctl.clock_samples);
	rte_tel_data_add_dict_int(d, "clock_offset_us", clamp_int(t.ctl.clock_offset_us));
	rte_tel_data_add_dict_int(d, "clock_delay_us", clamp_int(t.ctl.clock_delay_us));
	rte_tel_data_add_dict_int(d, "record_delay_us", clamp_int(t.ctl.record_delay_us));
	return 0;
}

int
dtc_copy_telemetry_init(void)
{
	int rc = 0;

	rc |= rte_telemetry_register_cmd("/dtc/copy/stats", tel_stats,
		"Copier totals: captured, copied, sessions, responses, drops. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/copy/drops", tel_drops,
		"Every drop counter of the copier, front and engines, by reason. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/copy/sessions", tel_sessions,
		"Session engine counters and end reasons, all workers. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/copy/lag", tel_lag,
		"Copy lag per request (capture to release): percentiles, histogram, "
		"release reasons, test-path RTT. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/copy/ports", tel_ports,
		"Capture ports: frames lost before reading (NIC, af_packet kernel ring), "
		"in all and per port. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/copy/intercepts", tel_intercepts,
		"Control channel client: connections, routes, records. No parameters");
	return rc == 0 ? 0 : -EINVAL;
}
