/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-intercept: options first (a bad one exits 2 before the EAL starts), then the EAL, the
 * checks that need it (port, filter: still exit 2), the route table and the control server
 * (listening before the port starts), the port, and the loop.
 *
 * Lcores: with one, the main lcore runs everything to completion: RX burst, parse, answer,
 * filter, record, route, batch, control sockets, flush.  With two or more, the first worker
 * lcore does the capture side and hands (record, 4-tuple) items to the main lcore through an
 * SP/SC ring; the route table and the sockets stay on the main lcore, single-threaded.
 *
 * Exit status: 0 on SIGINT/SIGTERM, 1 on a setup failure, 2 on invalid options.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "dtc_app.h"
#include "intercept.h"

#define RX_DESC 1024
#define TX_DESC 256
#define RING_SIZE 8192
#define MBUF_CACHE 256
#define TIMER_US 1000
#define SNAP_US 100000
#define DRAIN_BURSTS 8

int dtc_icpt_logtype;

static struct icpt_opts opts;
static volatile bool rx_go;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ICPT_LOG(ERR, "%s", buf);
	fprintf(stderr, "dpdk-intercept: %s\n", buf);
	rte_eal_cleanup();
	exit(1);
}

static struct rte_mempool *
port_setup(uint16_t port)
{
	struct rte_eth_conf conf;
	struct rte_mempool *mp;
	uint16_t nrx = RX_DESC, ntx = TX_DESC;
	int socket = rte_eth_dev_socket_id(port), rc;
	unsigned int nb;

	if (socket < 0)
		socket = (int)rte_socket_id();
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrx, &ntx);
	if (rc != 0)
		die("port %u: configure: %s", port, strerror(-rc));
	/* Descriptors, one burst in flight per lcore, and the caches. */
	nb = nrx + ntx + 2 * ICPT_BURST + rte_lcore_count() * MBUF_CACHE;
	nb = rte_align32pow2(nb) - 1;
	mp = rte_pktmbuf_pool_create("icpt_rx", nb, MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		socket);
	if (mp == NULL)
		die("port %u: mbuf pool of %u: %s", port, nb, rte_strerror(rte_errno));
	rc = rte_eth_rx_queue_setup(port, 0, nrx, (unsigned int)socket, NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, ntx, (unsigned int)socket, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc != 0)
		die("port %u: queues/start: %s", port, strerror(-rc));
	/* Mirrors and hubs deliver frames for other MACs too; 1.x captured promiscuously. */
	rc = rte_eth_promiscuous_enable(port);
	if (rc != 0 && rc != -ENOTSUP)
		ICPT_LOG(WARNING, "port %u: promiscuous mode: %s", port, strerror(-rc));
	return mp;
}

/* The checks that need the EAL: still "bad values", still exit 2, still before any port. */
static struct dtc_filter *
check_after_eal(const char *prog)
{
	struct dtc_filter *f;
	char err[768], v[16];

	snprintf(v, sizeof(v), "%u", opts.rx_port);
	if (!rte_eth_dev_is_valid_port(opts.rx_port)) {
		snprintf(err, sizeof(err), "no such DPDK port (%u available; give one with the EAL's"
			" -a or --vdev)", rte_eth_dev_count_avail());
		dtc_opt_fail(prog, "--rx-port", v, err);
	}
	f = dtc_filter_compile(opts.filter, DTC_LINK_ETHER, err, sizeof(err));
	if (f == NULL)
		dtc_opt_fail(prog, "-F/--filter", opts.filter, err);
	return f;
}

/* Deliver what the RX lcore queued; returns the number of items. */
static unsigned int
drain_ring(struct icpt_rx *rx, struct icpt_server *srv, uint64_t now)
{
	struct icpt_item items[ICPT_BURST];
	unsigned int k, n, total = 0;

	for (k = 0; k < DRAIN_BURSTS; k++) {
		unsigned int i;

		n = rte_ring_sc_dequeue_burst_elem(rx->ring, items, sizeof(items[0]), ICPT_BURST,
			NULL);
		for (i = 0; i < n; i++)
			icpt_server_deliver(srv, &items[i], now);
		total += n;
		if (n < ICPT_BURST)
			break;
	}
	return total;
}

static void
main_loop(struct icpt_ctx *ctx, bool single)
{
	struct icpt_item items[ICPT_BURST];
	uint64_t now = dtc_now_us(), next_timer = now, next_snap = now, next_stats;
	uint64_t interval = (uint64_t)opts.stats_interval_s * 1000000;
	struct dtc_idle idle;

	next_stats = now + interval;
	dtc_idle_init(&idle, opts.idle_sleep_us);
	while (!dtc_force_quit) {
		unsigned int work = 0, i, n;

		now = dtc_now_us();
		if (!rx_go && icpt_rt_stats(ctx->rt)[ICPT_RT_routes_added] >= opts.wait_routes) {
			if (opts.wait_routes > 0)
				ICPT_LOG(NOTICE, "%u routes registered: capture starts", opts.wait_routes);
			rx_go = true;
		}
		if (rx_go && single) {
			uint64_t before = ctx->rx->cap.stats[DTC_CAP_STAT_rx];

			n = icpt_rx_poll(ctx->rx, items);
			for (i = 0; i < n; i++)
				icpt_server_deliver(ctx->srv, &items[i], now);
			work += (unsigned int)(ctx->rx->cap.stats[DTC_CAP_STAT_rx] - before);
		} else if (!single) {
			work += drain_ring(ctx->rx, ctx->srv, now);
		}
		work += icpt_server_poll(ctx->srv, now);
		icpt_server_flush(ctx->srv, now);
		if (now >= next_timer) {
			icpt_server_timers(ctx->srv, now);
			next_timer = now + TIMER_US;
		}
		if (now >= next_snap) {
			icpt_stats_snapshot(ctx);
			dtc_log_service();
			next_snap = now + SNAP_US;
		}
		if (interval != 0 && now >= next_stats) {
			icpt_stats_log(ctx, "stats");
			next_stats = now + interval;
		}
		dtc_idle_update(&idle, work);
	}
}

static unsigned int
launch_rx(struct icpt_rx *rx)
{
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	int rc;

	if (lcore >= RTE_MAX_LCORE)
		return RTE_MAX_LCORE;
	rx->ring = rte_ring_create_elem("icpt_items", sizeof(struct icpt_item), RING_SIZE,
		(int)rte_lcore_to_socket_id(lcore), RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rx->ring == NULL)
		die("ring: %s", rte_strerror(rte_errno));
	rx->go = &rx_go;
	rc = rte_eal_remote_launch(icpt_rx_lcore, rx, lcore);
	if (rc != 0)
		die("launch RX lcore %u: %s", lcore, strerror(-rc));
	if (rte_lcore_count() > 2)
		ICPT_LOG(NOTICE, "%u lcores given, 2 used (main + RX lcore %u)", rte_lcore_count(),
			lcore);
	return lcore;
}

int
main(int argc, char **argv)
{
	static struct icpt_rx rx;
	struct icpt_ctx ctx = { .o = &opts, .rx = &rx };
	struct rte_ether_addr mac;
	struct dtc_filter *filter;
	struct rte_mempool *mp;
	struct dtc_argv av, eal;
	const char *iface;
	char err[512], afp_note[1024];
	int split, rc;
	unsigned int rx_lcore;
	char *prog, *dashes = NULL, **eal_argv;
	double t_eal, t_tables, t_port, ready_ms;   /* start-up phases, ms since launch */

	if (dtc_config_expand(argc, argv, &av, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return DTC_EXIT_USAGE;
	}
	split = dtc_argv_split(av.argc, av.argv);
	prog = av.argv[0];
	/* The application's arguments, with the program name in front for getopt. */
	if (split < av.argc) {
		dashes = av.argv[split];
		av.argv[split] = prog;
	}
	/* Without "--" there are no application options: -F is then reported missing. */
	icpt_args_parse(split < av.argc ? av.argc - split : 1, split < av.argc ? av.argv + split :
		&prog, &opts);
	if (dashes != NULL)
		av.argv[split] = dashes;
	if (opts.secret_file != NULL) {
		static struct dtc_v2_secret secret;

		if (dtc_v2_secret_load(opts.secret_file, &secret, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s: --secret: %s\n", prog, err);
			dtc_argv_free(&av); /* prog points into it: after the message */
			return DTC_EXIT_USAGE;
		}
		opts.secret = &secret;
	}

	if (opts.daemon && dtc_daemonize() != 0) {
		fprintf(stderr, "%s: cannot daemonize: %s\n", prog, strerror(errno));
		return 1;
	}
	rc = dtc_log_open(opts.log_file, DTC_LOG_MAX_DEFAULT);
	if (rc != 0) {
		fprintf(stderr, "%s: log file %s: %s\n", prog, opts.log_file, strerror(-rc));
		return 1;
	}
	/* af_packet vdevs get a ring sized for a mirror unless the user sized it; --iface
	 * becomes such a vdev. */
	iface = opts.iface;
	rc = dtc_eal_args_fixup(split, av.argv, &iface, opts.iface[0] != '\0' ? 1 : 0, &eal,
		afp_note, sizeof(afp_note));
	if (rc != 0) {
		fprintf(stderr, "%s: EAL arguments: %s\n", prog, strerror(-rc));
		return 1;
	}
	/* The EAL permutes and overwrites its argv: give it a copy of the pointers. */
	eal_argv = calloc((size_t)eal.argc + 1, sizeof(char *));
	if (eal_argv == NULL)
		return 1;
	memcpy(eal_argv, eal.argv, sizeof(char *) * (size_t)eal.argc);
	if (rte_eal_init(eal.argc, eal_argv) < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", prog,
			rte_strerror(rte_errno));
		return 1;
	}
	t_eal = dtc_since_launch_ms();
	dtc_icpt_logtype = rte_log_register_type_and_pick_level("dtc.intercept", RTE_LOG_INFO);
	if (dtc_icpt_logtype < 0)
		dtc_icpt_logtype = RTE_LOGTYPE_USER1;
	dtc_clock_init();
	dtc_signals_install();
	if (afp_note[0] != '\0')
		ICPT_LOG(NOTICE, "af_packet capture ring sized for a mirror (%u MiB; give "
			"framecnt= to choose): %s", DTC_AFP_RING_BYTES >> 20, afp_note);
	if (opts.iface[0] != '\0') {
		uint16_t id;

		if (rte_eth_dev_get_port_by_name("net_af_packet_dtc0", &id) != 0)
			die("--iface %s: no port was created (see the EAL's message above)",
				opts.iface);
		if (!opts.rx_port_given)
			opts.rx_port = id;
		ICPT_LOG(NOTICE, "--iface %s is port %u", opts.iface, id);
	}
	filter = check_after_eal(prog);
	if (opts.pid_file != NULL && (rc = dtc_pidfile_write(opts.pid_file)) != 0)
		die("pid file %s: %s", opts.pid_file, strerror(-rc));

	ctx.rt = icpt_rt_create(opts.routes, opts.hold, opts.max_conns,
		(uint64_t)opts.route_timeout_s * 1000000, (uint32_t)rte_rand());
	if (ctx.rt == NULL)
		die("route table of %u: %s", opts.routes, rte_strerror(rte_errno));
	ctx.srv = icpt_server_create(&opts, ctx.rt, err, sizeof(err));
	if (ctx.srv == NULL)
		die("control server: %s", err);
	icpt_server_prefix_target(ctx.srv, &rx.prefix);

	rx.port = opts.rx_port;
	rx.idle_sleep_us = opts.idle_sleep_us;
	t_tables = dtc_since_launch_ms();
	mp = port_setup(rx.port);
	t_port = dtc_since_launch_ms();
	rte_eth_macaddr_get(rx.port, &mac);
	dtc_responder_init(&rx.resp, opts.have_ip ? opts.ip : 0, &mac);
	dtc_capture_init(&rx.cap, DTC_LINK_ETHER, filter, &rx.resp);
	if (rte_pdump_init() != 0)
		ICPT_LOG(NOTICE, "packet capture (dpdk-dumpcap) unavailable: %s",
			rte_strerror(rte_errno));
	if (icpt_stats_init(&ctx) != 0)
		ICPT_LOG(WARNING, "telemetry command /dtc/intercept/stats not registered");

	rx_lcore = rte_lcore_count() > 1 ? launch_rx(&rx) : RTE_MAX_LCORE;
	{
		char a[64];

		dtc_addr_fmt(opts.bind_family == 6 ? 6 : 4, &opts.bind_addr, a, sizeof(a));
		ICPT_LOG(NOTICE, "port %u (" RTE_ETHER_ADDR_PRT_FMT "), filter '%s'%s, %s; control "
			"channel on %s port %u; %s", rx.port, RTE_ETHER_ADDR_BYTES(&mac), opts.filter,
			dtc_filter_is_jit(filter) ? " (JIT)" : "",
			opts.have_ip ? "answering ARP/ICMP" : "answering nothing",
			opts.bind_family != 0 ? a : "0.0.0.0", opts.port,
			rx_lcore < RTE_MAX_LCORE ? "RX lcore + main lcore" : "one lcore");
	}
	ready_ms = dtc_since_launch_ms();
	icpt_stats_ready((uint64_t)(ready_ms + 0.5));
	ICPT_LOG(NOTICE, "ready: capturing on port %u, control channel listening, in %.0f ms "
		"since launch (EAL %.0f, route table and control server %.0f, port %.0f, lcores "
		"%.0f)", rx.port, ready_ms, t_eal, t_tables - t_eal, t_port - t_tables,
		ready_ms - t_port);
	main_loop(&ctx, rx_lcore >= RTE_MAX_LCORE);

	/* Stop: the RX lcore first, then deliver what it left in the ring, then say it all. */
	rte_eal_mp_wait_lcore();
	if (rx.ring != NULL)
		while (drain_ring(&rx, ctx.srv, dtc_now_us()) > 0)
			;
	icpt_server_flush(ctx.srv, dtc_now_us());
	icpt_stats_log(&ctx, "final");
	rte_eth_dev_stop(rx.port);
	rte_eth_dev_close(rx.port);
	icpt_server_free(ctx.srv);
	icpt_rt_free(ctx.rt);
	rte_ring_free(rx.ring);
	dtc_filter_free(filter);
	rte_mempool_free(mp);
	dtc_pidfile_remove(opts.pid_file);
	ICPT_LOG(NOTICE, "stopped");
	rte_eal_cleanup();
	dtc_log_close();
	dtc_argv_free(&av);
	dtc_argv_free(&eal);
	free(eal_argv);
	return 0;
}
