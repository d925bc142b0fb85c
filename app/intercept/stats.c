/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Statistics: a log line every --stats-interval seconds and at exit, and the DPDK telemetry
 * command /dtc/intercept/stats.  Telemetry runs on its own thread; it never touches the live
 * tables, only a snapshot the main lcore refreshes every 100 ms under a spinlock.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_spinlock.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "dtc_app.h"
#include "intercept.h"

#define SNAP_CONNS 128               /* copiers listed in telemetry */

struct icpt_snap {
	uint64_t cap[DTC_CAP_STAT_MAX];
	uint64_t rx[ICPT_RX_STAT_MAX];
	uint64_t rt[ICPT_RT_STAT_MAX];
	uint64_t srv[ICPT_SRV_STAT_MAX];
	uint64_t arp_replies, icmp_replies;
	/* Lost before we read them: the NIC ring was full (imissed), no mbuf (rx_nombuf),
	 * bad frames (ierrors).  Read from the port: the PMD counts them, we cannot. */
	uint64_t port_imissed, port_ierrors, port_rx_nombuf;
	/* ... and what its af_packet kernel ring dropped, full (PACKET_STATISTICS). */
	uint64_t port_ipackets, port_kernel_drops, port_kernel_packets;
	bool af_packet;
	uint32_t routes, held, conns;
	unsigned int n_ci;
	struct icpt_conn_info ci[SNAP_CONNS];
};

static struct icpt_snap snap;
static rte_spinlock_t snap_lock = RTE_SPINLOCK_INITIALIZER;
static struct dtc_afp_drops kside;   /* main lcore only */
static bool kside_found;
static uint16_t ctx_port;

static void
snap_fill(struct icpt_ctx *ctx, struct icpt_snap *s)
{
	const struct icpt_rx *rx = ctx->rx;
	struct rte_eth_stats ps;

	/* The RX lcore may be writing these: aligned 64-bit loads, a slightly old value is
	 * fine for statistics. */
	memcpy(s->cap, rx->cap.stats, sizeof(s->cap));
	memcpy(s->rx, rx->stats, sizeof(s->rx));
	s->arp_replies = rx->resp.arp_replies;
	s->icmp_replies = rx->resp.icmp_replies;
	memcpy(s->rt, icpt_rt_stats(ctx->rt), sizeof(s->rt));
	memcpy(s->srv, icpt_server_stats(ctx->srv), sizeof(s->srv));
	s->routes = icpt_rt_count(ctx->rt);
	s->held = icpt_rt_held_count(ctx->rt);
	s->conns = icpt_server_conns(ctx->srv);
	s->n_ci = icpt_server_conn_info(ctx->srv, s->ci, SNAP_CONNS);
	if (!kside_found) {
		int n = dtc_afp_find(&kside, ctx->o->rx_port);

		kside_found = true;
		if (kside.is_afp)
			ICPT_LOG(NOTICE, "port %u: af_packet, kernel ring drops read from %d "
				"socket(s)", ctx->o->rx_port, n);
	}
	if (kside.is_afp) {
		s->af_packet = true;
		s->port_kernel_drops = dtc_afp_read(&kside);
		s->port_kernel_packets = kside.packets;
	}
	if (rte_eth_stats_get(ctx->o->rx_port, &ps) == 0) {
		s->port_ipackets = ps.ipackets;
		s->port_imissed = ps.imissed;
		s->port_ierrors = ps.ierrors;
		s->port_rx_nombuf = ps.rx_nombuf;
	}
}

void
icpt_stats_snapshot(struct icpt_ctx *ctx)
{
	static struct icpt_snap tmp;

	snap_fill(ctx, &tmp);
	rte_spinlock_lock(&snap_lock);
	snap = tmp;
	rte_spinlock_unlock(&snap_lock);
}

static void
tel_array(struct rte_tel_data *d, const char *name, const struct icpt_snap *s, size_t off)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;

	if (a == NULL)
		return;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < s->n_ci; i++) {
		const uint8_t *p = (const uint8_t *)&s->ci[i] + off;
		uint64_t v;

		if (off == offsetof(struct icpt_conn_info, routes))
			v = *(const uint32_t *)p;
		else
			memcpy(&v, p, sizeof(v));
		rte_tel_data_add_array_u64(a, v);
	}
	if (rte_tel_data_add_dict_container(d, name, a, 0) != 0)
		rte_tel_data_free(a);
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct icpt_snap *s = malloc(sizeof(*s));
	struct rte_tel_data *peers;
	unsigned int i;

	if (s == NULL)
		return -ENOMEM;
	rte_spinlock_lock(&snap_lock);
	*s = snap;
	rte_spinlock_unlock(&snap_lock);
	rte_tel_data_start_dict(d);
	/* The names the docs use first, then every counter under its own name. */
	rte_tel_data_add_dict_u64(d, "captured", s->cap[DTC_CAP_STAT_rx]);
	rte_tel_data_add_dict_u64(d, "filtered", s->cap[DTC_CAP_STAT_matched]);
	rte_tel_data_add_dict_u64(d, "arp_answered", s->arp_replies);
	rte_tel_data_add_dict_u64(d, "icmp_answered", s->icmp_replies);
	rte_tel_data_add_dict_u64(d, "routes", s->routes);
	rte_tel_data_add_dict_u64(d, "held_now", s->held);
	rte_tel_data_add_dict_u64(d, "connections", s->conns);
	rte_tel_data_add_dict_u64(d, "port_imissed", s->port_imissed);
	rte_tel_data_add_dict_u64(d, "port_ierrors", s->port_ierrors);
	rte_tel_data_add_dict_u64(d, "port_rx_nombuf", s->port_rx_nombuf);
	rte_tel_data_add_dict_u64(d, "port_kernel_drops", s->port_kernel_drops);
	for (i = 0; i < DTC_CAP_STAT_MAX; i++)
		rte_tel_data_add_dict_u64(d, dtc_cap_stat_name(i), s->cap[i]);
	for (i = 0; i < ICPT_RX_STAT_MAX; i++)
		rte_tel_data_add_dict_u64(d, icpt_rx_stat_names[i], s->rx[i]);
	for (i = 0; i < ICPT_RT_STAT_MAX; i++)
		rte_tel_data_add_dict_u64(d, icpt_rt_stat_names[i], s->rt[i]);
	for (i = 0; i < ICPT_SRV_STAT_MAX; i++)
		rte_tel_data_add_dict_u64(d, icpt_srv_stat_names[i], s->srv[i]);
	/* Per copier connection, as parallel arrays (telemetry dicts cannot nest dicts). */
	peers = rte_tel_data_alloc();
	if (peers != NULL) {
		rte_tel_data_start_array(peers, RTE_TEL_STRING_VAL);
		for (i = 0; i < s->n_ci; i++)
			rte_tel_data_add_array_string(peers, s->ci[i].peer);
		if (rte_tel_data_add_dict_container(d, "copier_peer", peers, 0) != 0)
			rte_tel_data_free(peers);
	}
	tel_array(d, "copier_routes", s, offsetof(struct icpt_conn_info, routes));
	tel_array(d, "copier_records", s, offsetof(struct icpt_conn_info, records));
	tel_array(d, "copier_frames", s, offsetof(struct icpt_conn_info, frames));
	tel_array(d, "copier_overflow", s, offsetof(struct icpt_conn_info, overflow));
	tel_array(d, "copier_bytes", s, offsetof(struct icpt_conn_info, bytes));
	free(s);
	return 0;
}

/* The capture port: what it lost before we read it (the names of /dtc/copy/ports). */
static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct icpt_snap *s = malloc(sizeof(*s));

	if (s == NULL)
		return -ENOMEM;
	rte_spinlock_lock(&snap_lock);
	*s = snap;
	rte_spinlock_unlock(&snap_lock);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "port", ctx_port);
	rte_tel_data_add_dict_u64(d, "af_packet", s->af_packet);
	rte_tel_data_add_dict_u64(d, "ipackets", s->port_ipackets);
	rte_tel_data_add_dict_u64(d, "port_imissed", s->port_imissed);
	rte_tel_data_add_dict_u64(d, "port_rx_nombuf", s->port_rx_nombuf);
	rte_tel_data_add_dict_u64(d, "port_ierrors", s->port_ierrors);
	rte_tel_data_add_dict_u64(d, "port_kernel_drops", s->port_kernel_drops);
	rte_tel_data_add_dict_u64(d, "kernel_packets", s->port_kernel_packets);
	free(s);
	return 0;
}

int
icpt_stats_init(struct icpt_ctx *ctx)
{
	int rc;

	ctx_port = ctx->o->rx_port;
	icpt_stats_snapshot(ctx);
	rc = rte_telemetry_register_cmd("/dtc/intercept/stats", tel_stats,
		"dpdk-intercept counters and per-copier records. No parameters");
	rc |= rte_telemetry_register_cmd("/dtc/intercept/ports", tel_ports,
		"The capture port: frames lost before reading (NIC, af_packet kernel ring). "
		"No parameters");
	return rc;
}

void
icpt_stats_log(struct icpt_ctx *ctx, const char *what)
{
	static struct icpt_snap s;
	unsigned int i;

	snap_fill(ctx, &s);
	ICPT_LOG(NOTICE, "%s: captured=%" PRIu64 " filtered=%" PRIu64 " filter_miss=%" PRIu64
		" parse_err=%" PRIu64 " records=%" PRIu64 " unrouted=%" PRIu64 " held=%" PRIu64
		" held_delivered=%" PRIu64 " held_expired=%" PRIu64 " routes=%u routes_added=%"
		PRIu64 " evicted=%" PRIu64 " aged=%" PRIu64 " arp=%" PRIu64 " icmp=%" PRIu64
		" conns=%u accepted=%" PRIu64 " refused=%" PRIu64 " refused_full=%" PRIu64
		" malformed=%" PRIu64 " stalled=%" PRIu64 " overflow=%" PRIu64 " not_ipv4=%"
		PRIu64 " ring_full=%" PRIu64 " port_imissed=%" PRIu64 " port_ierrors=%" PRIu64
		" port_rx_nombuf=%" PRIu64 " port_kernel_drops=%" PRIu64, what,
		s.cap[DTC_CAP_STAT_rx], s.cap[DTC_CAP_STAT_matched], s.cap[DTC_CAP_STAT_filter_miss],
		s.cap[DTC_CAP_STAT_parse_err], s.srv[ICPT_SRV_records_routed],
		s.srv[ICPT_SRV_unrouted], s.rt[ICPT_RT_held], s.rt[ICPT_RT_held_delivered],
		s.rt[ICPT_RT_held_expired], s.routes, s.rt[ICPT_RT_routes_added],
		s.rt[ICPT_RT_routes_evicted], s.rt[ICPT_RT_routes_aged], s.arp_replies,
		s.icmp_replies, s.conns, s.srv[ICPT_SRV_accepted], s.srv[ICPT_SRV_refused],
		s.srv[ICPT_SRV_refused_full], s.srv[ICPT_SRV_malformed], s.srv[ICPT_SRV_stalled],
		s.srv[ICPT_SRV_overflow], s.rx[ICPT_RX_not_ipv4], s.rx[ICPT_RX_ring_full],
		s.port_imissed, s.port_ierrors, s.port_rx_nombuf, s.port_kernel_drops);
	for (i = 0; i < s.n_ci; i++)
		ICPT_LOG(NOTICE, "%s: copier %s routes=%u records=%" PRIu64 " frames=%" PRIu64
			" overflow=%" PRIu64 " bytes=%" PRIu64, what, s.ci[i].peer, s.ci[i].routes,
			s.ci[i].records, s.ci[i].frames, s.ci[i].overflow, s.ci[i].bytes);
}
