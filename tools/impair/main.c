/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dtc-impair: a two-port impairment forwarder for the lab.  Whatever port 0 receives leaves
 * by port 1 and the other way round, each direction through its own loss / duplication /
 * delay ± jitter / reorder window (dtc_impair.h), with a seeded generator so that a run can
 * be repeated.  One lcore, run to completion; it sleeps while nothing is due, since it shares
 * the lab's small machine with the servers it impairs.
 *
 *   dtc-impair [EAL options] -- [--loss P] [--dup P] [--reorder P] [--delay MS] [--jitter MS]
 *       [--window MS] [--slow-delay MS] [--seed N] [--queue N] [--stats-interval S]
 *       [--idle-sleep US]
 *
 * Every impairment value is "V" (both directions) or "V01,V10" (port 0 -> 1, port 1 -> 0).
 * Counters go to stdout every --stats-interval seconds and at exit (SIGINT, SIGTERM).
 * SIGUSR1 switches the delay to --slow-delay (a slow test server on demand), SIGUSR2 back.
 * Exit status: 0 after a signal, 1 on a setup failure, 2 on invalid options.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "dtc_impair.h"

#define BURST 32
#define NB_DESC 1024
#define MBUF_CACHE 256

static volatile sig_atomic_t force_quit;
static volatile sig_atomic_t slow_wanted;	/* SIGUSR1: 1, SIGUSR2: 0 */

static struct {
	struct dtc_imp_cfg cfg[2];
	uint64_t slow_delay_ns[2];
	uint64_t seed;
	uint32_t queue;
	uint32_t stats_s;
	uint32_t idle_us;
} opt = {
	.cfg = { { .window_ns = 3000000 }, { .window_ns = 3000000 } },
	.seed = 1,
	.queue = 4096,
	.stats_s = 5,
	.idle_us = 50,
};

static struct dtc_imp_line line[2];

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		slow_wanted = 1;
	else if (sig == SIGUSR2)
		slow_wanted = 0;
	else
		force_quit = 1;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: dtc-impair [EAL options] -- [options]\n"
		"  Forwards between ports 0 and 1, impairing each direction.  Values: V for both\n"
		"  directions, or V01,V10 (port 0 -> 1, port 1 -> 0).\n"
		"  --loss P            drop P %% of the packets (0-100, default 0)\n"
		"  --dup P             send P %% twice (default 0)\n"
		"  --reorder P         hold P %% back by the reorder window (default 0)\n"
		"  --delay MS          delay every packet by MS ms (default 0)\n"
		"  --jitter MS         plus or minus up to MS ms, uniform; never reorders (default 0)\n"
		"  --window MS         reorder window: extra hold of a reordered packet (default 3)\n"
		"  --slow-delay MS     the delay while slowed down: SIGUSR1 switches to it, SIGUSR2\n"
		"                      back to --delay (default: same as --delay)\n"
		"  --seed N            random seed (default 1); direction 1 -> 0 uses N + 1\n"
		"  --queue N           delay line entries per direction, power of two (default 4096)\n"
		"  --stats-interval S  counters every S s, 0: only at exit (default 5)\n"
		"  --idle-sleep US     sleep up to US us when nothing arrives or is due (default 50)\n"
		"  -h, --help\n");
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "loss", required_argument, NULL, 'l' },
		{ "dup", required_argument, NULL, 'd' },
		{ "reorder", required_argument, NULL, 'r' },
		{ "delay", required_argument, NULL, 'D' },
		{ "jitter", required_argument, NULL, 'j' },
		{ "window", required_argument, NULL, 'w' },
		{ "slow-delay", required_argument, NULL, 'W' },
		{ "seed", required_argument, NULL, 's' },
		{ "queue", required_argument, NULL, 'q' },
		{ "stats-interval", required_argument, NULL, 'S' },
		{ "idle-sleep", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v[2], x;
	bool slow_given = false;
	int c, i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'l': case 'd': case 'r':
			if (dtc_imp_parse_pair(optarg, 100, 1e4, v) != 0)
				goto bad;
			for (i = 0; i < 2; i++) {
				uint32_t *p = c == 'l' ? &opt.cfg[i].loss_ppm :
					c == 'd' ? &opt.cfg[i].dup_ppm : &opt.cfg[i].reorder_ppm;
				*p = (uint32_t)v[i];
			}
			break;
		case 'D': case 'j': case 'w': case 'W':
			if (dtc_imp_parse_pair(optarg, 10000, 1e6, v) != 0)
				goto bad;
			for (i = 0; i < 2; i++) {
				uint64_t *p = c == 'D' ? &opt.cfg[i].delay_ns :
					c == 'j' ? &opt.cfg[i].jitter_ns :
					c == 'w' ? &opt.cfg[i].window_ns : &opt.slow_delay_ns[i];
				*p = v[i];
			}
			slow_given |= c == 'W';
			break;
		case 's':
			if (parse_u64(optarg, UINT64_MAX - 1, &opt.seed) != 0)
				goto bad;
			break;
		case 'q':
			if (parse_u64(optarg, 1u << 20, &x) != 0 || x < 2 || (x & (x - 1)) != 0)
				goto bad;
			opt.queue = (uint32_t)x;
			break;
		case 'S':
			if (parse_u64(optarg, 3600, &x) != 0)
				goto bad;
			opt.stats_s = (uint32_t)x;
			break;
		case 'i':
			if (parse_u64(optarg, 100000, &x) != 0)
				goto bad;
			opt.idle_us = (uint32_t)x;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (!slow_given)
		for (i = 0; i < 2; i++)
			opt.slow_delay_ns[i] = opt.cfg[i].delay_ns;
	if (optind != argc) {
		fprintf(stderr, "dtc-impair: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "dtc-impair: invalid value '%s' for --%s\n", optarg,
		c == 'l' ? "loss" : c == 'd' ? "dup" : c == 'r' ? "reorder" : c == 'D' ? "delay" :
		c == 'j' ? "jitter" : c == 'w' ? "window" : c == 'W' ? "slow-delay" : c == 's' ? "seed" : c == 'q' ? "queue" :
		c == 'S' ? "stats-interval" : "idle-sleep");
	return -EINVAL;
}

static uint64_t
now_ns(void)
{
	uint64_t c = rte_get_timer_cycles(), hz = rte_get_timer_hz();

	return c / hz * 1000000000ULL + c % hz * 1000000000ULL / hz;
}

static void
print_counters(const char *when)
{
	int d;

	for (d = 0; d < 2; d++) {
		const struct dtc_imp_counters *c = &line[d].c;

		printf("dtc-impair: %s %d->%d rx %" PRIu64 " tx %" PRIu64 " lost %" PRIu64
			" dup %" PRIu64 " reordered %" PRIu64 " overflow %" PRIu64
			" tx_full %" PRIu64 " queued %" PRIu32 "\n", when, d, 1 - d, c->rx, c->tx,
			c->lost, c->dup, c->reordered, c->overflow, c->tx_full,
			dtc_imp_queued(&line[d]));
	}
	fflush(stdout);
}

static int
port_setup(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	uint16_t nrx = NB_DESC, ntx = NB_DESC;
	int socket = rte_eth_dev_socket_id(port), rc;

	if (socket < 0)
		socket = (int)rte_socket_id();
	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_dev_adjust_nb_rx_tx_desc(port, &nrx, &ntx);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, nrx, (unsigned int)socket, NULL, mp);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, ntx, (unsigned int)socket, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc == 0)
		rte_eth_promiscuous_enable(port);	/* af_packet: best effort */
	return rc;
}

/* Send what is due in direction d (out of port 1 - d); what the port does not take is freed
 * and counted. */
static unsigned int
drain(int d, uint64_t now)
{
	struct rte_mbuf *pk[BURST];
	unsigned int n, sent, total = 0;

	do {
		n = dtc_imp_pop(&line[d], now, (void **)pk, BURST);
		if (n == 0)
			break;
		sent = rte_eth_tx_burst((uint16_t)(1 - d), 0, pk, (uint16_t)n);
		if (sent < n)
			sent += rte_eth_tx_burst((uint16_t)(1 - d), 0, pk + sent,
				(uint16_t)(n - sent));
		line[d].c.tx += sent;
		if (sent < n) {
			line[d].c.tx_full += n - sent;
			rte_pktmbuf_free_bulk(pk + sent, n - sent);
		}
		total += n;
	} while (n == BURST);
	return total;
}

static unsigned int
take(int d, uint64_t now)
{
	struct rte_mbuf *pk[BURST];
	unsigned int n, i;

	n = rte_eth_rx_burst((uint16_t)d, 0, pk, BURST);
	for (i = 0; i < n; i++) {
		switch (dtc_imp_push(&line[d], pk[i], now)) {
		case DTC_IMP_LOST:
		case DTC_IMP_FULL:
			rte_pktmbuf_free(pk[i]);
			break;
		case DTC_IMP_QUEUED_TWICE:
			rte_mbuf_refcnt_update(pk[i], 1);
			break;
		case DTC_IMP_QUEUED:
			break;
		}
	}
	return n;
}

static void
run(void)
{
	uint64_t next_stats = 0, now, due, wait;
	struct timespec ts;
	unsigned int work;
	int d, slow = 0;

	if (opt.stats_s != 0)
		next_stats = now_ns() + (uint64_t)opt.stats_s * 1000000000ULL;
	while (!force_quit) {
		if (slow != slow_wanted) {
			slow = slow_wanted;
			for (d = 0; d < 2; d++)
				line[d].cfg.delay_ns = slow ? opt.slow_delay_ns[d] : opt.cfg[d].delay_ns;
			printf("dtc-impair: %s: delay %.3f,%.3f ms\n", slow ? "slow" : "normal",
				line[0].cfg.delay_ns / 1e6, line[1].cfg.delay_ns / 1e6);
			print_counters("stats");
		}
		now = now_ns();
		work = take(0, now) + take(1, now);
		work += drain(0, now) + drain(1, now);
		if (next_stats != 0 && now >= next_stats) {
			print_counters("stats");
			next_stats = now + (uint64_t)opt.stats_s * 1000000000ULL;
		}
		if (work != 0 || opt.idle_us == 0)
			continue;
		wait = (uint64_t)opt.idle_us * 1000;
		for (d = 0; d < 2; d++) {
			due = dtc_imp_next_due(&line[d]);
			if (due != UINT64_MAX)
				wait = RTE_MIN(wait, due > now ? due - now : 0);
		}
		if (wait == 0)
			continue;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)wait;
		nanosleep(&ts, NULL);
	}
}

int
main(int argc, char **argv)
{
	struct rte_mempool *mp;
	unsigned int nb;
	int ret, d;
	void *left[BURST];
	unsigned int n;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "dtc-impair: EAL initialisation failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)(uintptr_t)"dtc-impair";
	if (parse_args(argc, argv) != 0) {
		rte_eal_cleanup();
		return 2;
	}
	if (rte_eth_dev_count_avail() != 2) {
		fprintf(stderr, "dtc-impair: needs exactly 2 ports (--vdev=net_af_packet0,iface=A "
			"--vdev=net_af_packet1,iface=B), found %u\n", rte_eth_dev_count_avail());
		rte_eal_cleanup();
		return 1;
	}
	for (d = 0; d < 2; d++) {
		ret = dtc_imp_line_init(&line[d], &opt.cfg[d], opt.queue, opt.seed + (uint64_t)d);
		if (ret != 0) {
			fprintf(stderr, "dtc-impair: delay line: %s\n", strerror(-ret));
			return 1;
		}
	}
	/* Both lines full (main and held rings), the RX rings, the per-lcore cache. */
	nb = 4 * opt.queue + 2 * NB_DESC + 2 * BURST + MBUF_CACHE;
	mp = rte_pktmbuf_pool_create("impair", nb, MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		(int)rte_socket_id());
	if (mp == NULL) {
		fprintf(stderr, "dtc-impair: mbuf pool of %u: %s\n", nb, rte_strerror(rte_errno));
		return 1;
	}
	for (d = 0; d < 2; d++) {
		ret = port_setup((uint16_t)d, mp);
		if (ret != 0) {
			fprintf(stderr, "dtc-impair: port %d: %s\n", d, strerror(-ret));
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);
	signal(SIGUSR2, on_signal);
	for (d = 0; d < 2; d++) {
		const struct dtc_imp_cfg *c = &opt.cfg[d];

		printf("dtc-impair: %d->%d loss %.4f%% dup %.4f%% reorder %.4f%% (window %.3f ms) "
			"delay %.3f ms jitter %.3f ms seed %" PRIu64 "\n", d, 1 - d,
			c->loss_ppm / 1e4, c->dup_ppm / 1e4, c->reorder_ppm / 1e4, c->window_ns / 1e6,
			c->delay_ns / 1e6, c->jitter_ns / 1e6, opt.seed + (uint64_t)d);
	}
	printf("dtc-impair: forwarding (queue %u per direction, %u mbufs)\n", opt.queue, nb);
	fflush(stdout);

	run();

	print_counters("exit");
	for (d = 0; d < 2; d++) {
		while ((n = dtc_imp_pop(&line[d], UINT64_MAX, left, BURST)) != 0)
			rte_pktmbuf_free_bulk((struct rte_mbuf **)left, n);
		dtc_imp_line_free(&line[d]);
		rte_eth_dev_stop((uint16_t)d);
		rte_eth_dev_close((uint16_t)d);
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
