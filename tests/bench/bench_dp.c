/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dtc_bench: the benchmark of dpdk-tcpcopy's data path (issue 7).  Not a test: it prints one
 * JSON object per line and workload configuration.  docs/performance.md explains every field.
 *
 * What runs is the copier's own code (app/copy, linked from copy_dp_lib): on each worker lcore
 * the run-to-completion pass dtc_copy_rtc_poll() (RX burst from a net_ring port -> parse ->
 * front -> session engine -> rewrite/checksum -> TX burst to a net_null port), with response
 * records fed through the worker's response ring, as the control lcore does.  Input frames are
 * built before each timed run (a chunk of BENCH_CHUNK_STEPS passes); the time to put each
 * pass's frames and records into the rings (the NIC's and the control lcore's work) is read
 * with the TSC and left out, so the figure is the worker's own time.
 *
 * The baseline, on the same lcore, over a copy of the same chunk, through the same ports: the
 * plainest forwarder (RX burst, swap the MAC addresses, TX burst).
 *
 * With several worker lcores, each has its own input port, engine, TX queue and share of the
 * sessions (those whose client endpoint hashes to it, as with one RSS queue per worker):
 * nothing is shared between them but the mbuf pools.
 *
 * usage: dtc_bench [EAL options] -- [--workload steady,churn,mixed] [--sessions LIST]
 *        [--lcores LIST] [--rounds N] [--round-frames N] [--max-memory MB] [--rx-csum 0|1]
 *        [--mixed-sessions N] [--missed-pct N] [--churn-pct N] [--quick]
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_ring.h>

#include "bench.h"
#include "copy_dp.h"

#define MAX_ROUNDS 64
#define MAX_LIST 8
#define MAX_WORKERS 64
#define IN_RING_SIZE 1024
#define NIC_MBUFS_PER_WORKER (BENCH_CHUNK_STEPS * BENCH_BURST * 3)
#define NIC_DATA_ROOM (RTE_PKTMBUF_HEADROOM + 1024)
#define BASE_PREFETCH 4
#define BENCH_SEED 0x2b7e1516u
#define BENCH_XFER "198.18.0.40:80-198.18.1.56:80@02:00:00:00:00:02"
#define NULL_NAME "net_null_dtcbench"

struct bench_opts {
	bool wl[WL_MAX];
	uint32_t sessions[MAX_LIST];
	unsigned int n_sessions;
	uint32_t lcores[MAX_LIST];
	unsigned int n_lcores;
	uint32_t rounds;
	uint64_t round_frames;
	uint64_t max_mb;
	bool rx_csum;
	uint32_t mixed_sessions, missed_pct, churn_pct;
};

/* One timed round of one worker. */
struct round_res {
	uint64_t frames, recs, out, created;
	uint64_t base_frames;
	uint64_t ns, wall_ns, base_ns;   /* CPU time of the thread, and TSC, feeding excluded */
	uint64_t feed_ns;
};

struct lctx {
	uint16_t idx;
	unsigned int lcore;
	struct dtc_copy_worker *w;
	struct dtc_copy_rx rx;
	struct gen g;
	struct chunk ch;
	uint16_t in_port;
	struct rte_ring *in_ring;
	uint64_t now_us;
	size_t engine_bytes;
	uint32_t capacity;
	/* results */
	struct round_res rr[MAX_ROUNDS];
	struct dtc_sess_stats s0, s1;
	struct dtc_front_stats f0, f1;
	uint64_t rxd0[DTC_COPY_DROP_MAX], rxd1[DTC_COPY_DROP_MAX];
	uint64_t route_full0, route_full1, route_noi0, route_noi1;
	uint64_t feed_full, base_unsent, routes;
	int err;
	char errmsg[160];
} __rte_cache_aligned;

static struct bench_opts O;
static struct rte_mempool *nic_mp;        /* the input frames (a NIC's RX pool) */
static uint16_t null_port;
static uint16_t in_ports[MAX_WORKERS];
static struct rte_ring *in_rings[MAX_WORKERS];
static unsigned int worker_lcores[MAX_WORKERS];
static unsigned int n_lcores_avail;
static struct frame_tmpl tmpl;
static struct dtc_xfer xfer[1];
static uint32_t intercepts_up = 1;
static double tsc_ns;                     /* ns per TSC cycle */
static struct lctx *ctx;

static const char *const wl_name[WL_MAX] = { "steady", "churn", "mixed" };

/*
 * Profiling only the timed passes: with DTC_BENCH_PERF_FIFO=<ctl>,<ack>, "perf record -D -1
 * --control fifo:<ctl>,<ack>" is switched on around each timed run of ours (worker 0).
 */
static int perf_fd = -1, perf_ack = -1;

static void
perf_ctl(const struct lctx *x, bool on)
{
	char ack[8];

	if (perf_fd < 0 || x->idx != 0)
		return;
	if (write(perf_fd, on ? "enable\n" : "disable\n", on ? 7 : 8) < 0 ||
			read(perf_ack, ack, sizeof(ack)) <= 0)
		perf_fd = -1;
}

static void
perf_open(const char *spec)
{
	char ctl[256];
	const char *comma = strchr(spec, ',');

	if (comma == NULL || (size_t)(comma - spec) >= sizeof(ctl))
		return;
	memcpy(ctl, spec, (size_t)(comma - spec));
	ctl[comma - spec] = '\0';
	perf_fd = open(ctl, O_WRONLY);
	perf_ack = open(comma + 1, O_RDONLY);
	if (perf_ack < 0)
		perf_fd = -1;
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t
tsc2ns(uint64_t c)
{
	return (uint64_t)((double)c * tsc_ns);
}

/* ------------------------------------------------------------------ */
/* Feeding (not timed): frames into the input port's ring, records into the worker's
 * response ring, route registrations out of its route ring (the control lcore's jobs). */

static void
feed_frames(struct lctx *x, struct rte_mbuf **m, uint32_t n)
{
	uint32_t k = n != 0 ? rte_ring_sp_enqueue_burst(x->in_ring, (void **)m, n, NULL) : 0;

	if (k < n) {
		x->feed_full += n - k;
		rte_pktmbuf_free_bulk(m + k, n - k);
	}
}

static void
feed_recs(struct lctx *x, const struct dtc_resp *r, uint32_t n)
{
	uint32_t k = n != 0 ? rte_ring_sp_enqueue_burst_elem(x->w->resp_in, r, sizeof(*r), n,
		NULL) : 0;

	x->feed_full += n - k;
}

static void
drain_routes(struct lctx *x)
{
	struct dtc_copy_route rt[64];
	unsigned int n;

	while ((n = rte_ring_sc_dequeue_burst_elem(x->w->route_out, rt, sizeof(rt[0]),
			RTE_DIM(rt), NULL)) > 0)
		x->routes += n;
}

/* ------------------------------------------------------------------ */
/* Timed runs over one chunk. */

/* The copier's pass, as dpdk-tcpcopy runs it on a lcore that receives and works. */
static void
run_ours(struct lctx *x, struct round_res *rr)
{
	const struct chunk *ch = &x->ch;
	uint64_t feed = 0, c0, w0, t0;
	uint32_t f = 0, r = 0, i;
	uint64_t out0 = x->w->tx_pkts;

	c0 = cpu_ns();
	w0 = rte_rdtsc();
	for (i = 0; i < ch->ns; i++) {
		const struct bstep *st = &ch->st[i];

		t0 = rte_rdtsc();
		feed_frames(x, ch->m + f, st->f_end - f);
		feed_recs(x, ch->r + r, st->r_end - r);
		drain_routes(x);
		f = st->f_end;
		r = st->r_end;
		feed += rte_rdtsc() - t0;
		dtc_copy_rtc_poll(&x->rx, x->w, st->now_us);
		x->now_us = st->now_us;
	}
	rr->wall_ns += tsc2ns(rte_rdtsc() - w0 - feed);
	rr->ns += cpu_ns() - c0 - tsc2ns(feed);
	rr->feed_ns += tsc2ns(feed);
	rr->frames += ch->nf;
	rr->recs += ch->nr;
	rr->out += x->w->tx_pkts - out0;
	drain_routes(x);
}

/* The baseline: receive, swap MACs, transmit. */
static inline void
base_poll(struct lctx *x)
{
	struct rte_mbuf *p[BENCH_BURST];
	uint16_t n = rte_eth_rx_burst(x->in_port, 0, p, BENCH_BURST), i, sent;

	for (i = 0; i < n && i < BASE_PREFETCH; i++)
		rte_prefetch0(rte_pktmbuf_mtod(p[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_ether_hdr *eh = rte_pktmbuf_mtod(p[i], struct rte_ether_hdr *);
		struct rte_ether_addr a = eh->dst_addr;

		if (i + BASE_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(p[i + BASE_PREFETCH], void *));
		eh->dst_addr = eh->src_addr;
		eh->src_addr = a;
	}
	sent = n != 0 ? rte_eth_tx_burst(null_port, x->idx, p, n) : 0;
	if (unlikely(sent < n)) {
		x->base_unsent += n - sent;
		rte_pktmbuf_free_bulk(p + sent, n - sent);
	}
}

static void
run_base(struct lctx *x, struct round_res *rr)
{
	const struct chunk *ch = &x->ch;
	uint64_t feed = 0, c0, t0;
	uint32_t f = 0, i;

	c0 = cpu_ns();
	for (i = 0; i < ch->ns; i++) {
		t0 = rte_rdtsc();
		feed_frames(x, ch->m + f, ch->st[i].f_end - f);
		f = ch->st[i].f_end;
		feed += rte_rdtsc() - t0;
		base_poll(x);
	}
	rr->base_ns += cpu_ns() - c0 - tsc2ns(feed);
	rr->base_frames += ch->nf;
}

/* ------------------------------------------------------------------ */
/* One worker's whole run (on its lcore). */

static int
build(struct lctx *x)
{
	if (chunk_build(&x->ch, nic_mp, &tmpl, x->in_port) != 0) {
		snprintf(x->errmsg, sizeof(x->errmsg), "input mbuf pool empty");
		return -ENOMEM;
	}
	return 0;
}

static uint64_t
created(const struct lctx *x)
{
	struct dtc_sess_stats s;

	dtc_sess_stats(x->w->eng, &s);
	return s.c[DTC_SESS_C_sess_created];
}

/* Established sessions opened through the same path (not timed). */
static int
open_sessions(struct lctx *x)
{
	struct round_res scratch;

	memset(&scratch, 0, sizeof(scratch));
	while (gen_setup_chunk(&x->g, &x->ch)) {
		if (build(x) != 0)
			return -ENOMEM;
		run_ours(x, &scratch);
	}
	return 0;
}

static int
warm_up(struct lctx *x, uint64_t frames)
{
	struct round_res scratch;

	memset(&scratch, 0, sizeof(scratch));
	while (scratch.frames < frames) {
		gen_chunk(&x->g, &x->ch);
		if (build(x) != 0)
			return -ENOMEM;
		run_ours(x, &scratch);
	}
	return 0;
}

static void
snapshot(struct lctx *x, struct dtc_sess_stats *s, struct dtc_front_stats *f, uint64_t *rxd,
	uint64_t *route_full, uint64_t *route_noi)
{
	dtc_sess_stats(x->w->eng, s);
	dtc_front_stats(x->rx.front, f);
	memcpy(rxd, x->rx.drop, sizeof(x->rx.drop));
	*route_full = x->w->route_ring_full;
	*route_noi = x->w->route_no_intercept;
}

static int
lcore_run(void *arg)
{
	struct lctx *x = arg;
	uint64_t warm = x->g.n_ss != 0 ? RTE_MAX((uint64_t)x->g.n_ss, O.round_frames / 4) :
		O.round_frames / 2;
	uint32_t r;

	if (open_sessions(x) != 0 || warm_up(x, warm) != 0)
		goto fail;
	snapshot(x, &x->s0, &x->f0, x->rxd0, &x->route_full0, &x->route_noi0);
	for (r = 0; r < O.rounds; r++) {
		struct round_res *rr = &x->rr[r];
		uint64_t c0 = created(x);

		while (rr->frames < O.round_frames) {
			gen_chunk(&x->g, &x->ch);
			if (build(x) != 0)
				goto fail;
			run_base(x, rr);
			if (build(x) != 0)
				goto fail;
			perf_ctl(x, true);
			run_ours(x, rr);
			perf_ctl(x, false);
		}
		rr->created = created(x) - c0;
	}
	snapshot(x, &x->s1, &x->f1, x->rxd1, &x->route_full1, &x->route_noi1);
	return 0;
fail:
	x->err = -ENOMEM;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Per configuration: the copier's -m plan, its pool, one worker per lcore. */

static size_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;
	unsigned int s;

	for (s = 0; s < rte_socket_count(); s++)
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(s), &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

static struct rte_ring *
mk_ring(const char *what, unsigned int i, unsigned int count, unsigned int esize)
{
	char name[RTE_RING_NAMESIZE];

	snprintf(name, sizeof(name), "dtcb_%s_%u", what, i);
	return rte_ring_create_elem(name, esize, count, (int)rte_socket_id(),
		RING_F_SP_ENQ | RING_F_SC_DEQ);
}

static void
sess_conf(struct dtc_sess_conf *c, uint16_t n_workers)
{
	struct rte_eth_dev_info info;

	dtc_sess_conf_defaults(c);
	c->xfer = xfer;
	c->n_xfer = 1;
	c->seed = BENCH_SEED;
	c->socket_id = (int)rte_socket_id();
	c->n_workers = n_workers;
	rte_eth_macaddr_get(null_port, &c->src_mac);
	if (rte_eth_dev_info_get(null_port, &info) == 0)
		c->tx_offloads = info.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
	c->tx = dtc_copy_worker_tx;
	c->route = dtc_copy_worker_route;   /* three-host mode: routes to the intercepts */
}

/*
 * The memory plan dpdk-tcpcopy makes for -m with this many workers: one mirror port and the
 * TX port, 1024 descriptors each way, lcores as the copier would use (1 for one worker, RX +
 * workers + control otherwise).
 */
static int
plan(struct dtc_copy_plan *p, struct dtc_sess_conf *c, uint64_t mb, uint16_t n_workers,
	char *err, size_t len)
{
	unsigned int n_lcores = n_workers == 1 ? 1 : n_workers + 2u;
	uint32_t n_txq = n_workers + (n_lcores > 1 ? 1u : 0u);

	return dtc_copy_plan_make(p, mb, n_workers, 2 * DTC_COPY_NB_RXD,
		DTC_COPY_NB_TXD * (1 + n_txq), n_lcores, c, err, len);
}

static int
ctx_init(struct lctx *x, uint16_t k, const struct dtc_sess_conf *sc, struct rte_mempool *mp,
	const struct gen_conf *gc)
{
	struct dtc_sess_conf c = *sc;
	struct dtc_copy_worker *w;
	size_t h0;

	memset(x, 0, sizeof(*x));
	x->idx = k;
	x->lcore = worker_lcores[k];
	x->in_port = in_ports[k];
	x->in_ring = in_rings[k];
	snprintf(x->errmsg, sizeof(x->errmsg), "out of memory");
	c.mp = mp;
	h0 = heap_used();
	/* the copier's own worker: response ring, route ring (three-host mode), engine */
	w = dtc_copy_worker_create(&c, k, null_port, k, DTC_COPY_W_ROUTE_RING, &intercepts_up);
	if (w == NULL) {
		snprintf(x->errmsg, sizeof(x->errmsg), "worker for %u sessions: %s",
			c.max_sessions, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	x->w = w;
	x->engine_bytes = heap_used() - h0;
	x->capacity = c.max_sessions;
	/* this lcore receives for its own worker only (rx n_workers = 1, direct engine calls);
	 * the front still computes owners among all workers, and the input holds only ours */
	if (dtc_copy_rx_init(&x->rx, 1, 1, (int)rte_socket_id()) != 0)
		return -ENOMEM;
	x->rx.front = dtc_front_create(&c);
	if (x->rx.front == NULL)
		return -rte_errno;
	x->rx.workers = &x->w;
	x->rx.direct = true;
	x->rx.ports[0].port = x->in_port;
	x->rx.ports[0].queue = 0;
	x->rx.n_ports = 1;
	if (chunk_init(&x->ch, BENCH_CHUNK_STEPS) != 0 || gen_init(&x->g, gc) != 0)
		return -ENOMEM;
	return 0;
}

static void
ctx_fini(struct lctx *x)
{
	if (x->w != NULL) {
		if (x->w->eng != NULL && x->rx.front != NULL) {
			/* as the copier stops: end every session (RSTs go to net_null) */
			dtc_copy_worker_close(x->w, x->now_us + 1000000);
			drain_routes(x);
		}
		dtc_copy_worker_free(x->w);
	}
	dtc_front_free(x->rx.front);
	dtc_copy_rx_fini(&x->rx);
	chunk_fini(&x->ch);
	gen_fini(&x->g);
	x->w = NULL;
}

/* ------------------------------------------------------------------ */
/* Report. */

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

/* Sum over workers of per-worker rates of round r: count / ns (per second x scale). */
enum { M_OURS, M_WALL, M_CLIENT, M_RESP, M_OUT, M_BASE, M_NEW, M_MAX };

static double
round_metric(unsigned int L, unsigned int r, int what)
{
	double sum = 0;
	unsigned int k;

	for (k = 0; k < L; k++) {
		const struct round_res *rr = &ctx[k].rr[r];
		double ns = (double)rr->ns;

		switch (what) {
		case M_OURS: sum += (double)(rr->frames + rr->recs) / ns * 1e3; break;
		case M_WALL: sum += (double)(rr->frames + rr->recs) / (double)rr->wall_ns * 1e3;
			break;
		case M_CLIENT: sum += (double)rr->frames / ns * 1e3; break;
		case M_RESP: sum += (double)rr->recs / ns * 1e3; break;
		case M_OUT: sum += (double)rr->out / ns * 1e3; break;
		case M_BASE: sum += (double)rr->base_frames / (double)rr->base_ns * 1e3; break;
		case M_NEW: sum += (double)rr->created / ns * 1e9; break;
		default: break;
		}
	}
	return sum;
}

static void
metrics(unsigned int L, double med[M_MAX], double lo[M_MAX], double hi[M_MAX])
{
	double v[MAX_ROUNDS];
	unsigned int r;
	int m;

	for (m = 0; m < M_MAX; m++) {
		for (r = 0; r < O.rounds; r++)
			v[r] = round_metric(L, r, m);
		med[m] = median(v, O.rounds);
		lo[m] = v[0];
		hi[m] = v[O.rounds - 1];
	}
}

struct totals {
	struct dtc_sess_stats d;         /* s1 - s0 over workers (counters), s1 (gauges) */
	uint64_t front[DTC_SESS_DROP_MAX], rx[DTC_COPY_DROP_MAX];
	uint64_t route_full, route_noi, feed_full, base_unsent;
	uint64_t frames, recs, ns, wall_ns, feed_ns;
	size_t engine_bytes;
	uint64_t capacity;
};

static void
totals(unsigned int L, struct totals *t)
{
	unsigned int k, i, r;

	memset(t, 0, sizeof(*t));
	for (k = 0; k < L; k++) {
		const struct lctx *x = &ctx[k];

		for (i = 0; i < DTC_SESS_C_MAX; i++)
			t->d.c[i] += x->s1.c[i] - x->s0.c[i];
		for (i = 0; i < DTC_SESS_DROP_MAX; i++) {
			t->d.drop[i] += x->s1.drop[i] - x->s0.drop[i];
			t->front[i] += x->f1.drop[i] - x->f0.drop[i];
		}
		for (i = 0; i < DTC_SESS_END_MAX; i++)
			t->d.end[i] += x->s1.end[i] - x->s0.end[i];
		for (i = 0; i < DTC_SESS_TXF_MAX; i++)
			t->d.txf[i] += x->s1.txf[i] - x->s0.txf[i];
		for (i = 0; i < DTC_COPY_DROP_MAX; i++)
			t->rx[i] += x->rxd1[i] - x->rxd0[i];
		t->d.active += x->s1.active;
		t->d.lingering += x->s1.lingering;
		t->d.queued_segs += x->s1.queued_segs;
		t->route_full += x->route_full1 - x->route_full0;
		t->route_noi += x->route_noi1 - x->route_noi0;
		t->feed_full += x->feed_full;
		t->base_unsent += x->base_unsent;
		t->engine_bytes += x->engine_bytes;
		t->capacity += x->capacity;
		for (r = 0; r < O.rounds; r++) {
			t->frames += x->rr[r].frames;
			t->recs += x->rr[r].recs;
			t->ns += x->rr[r].ns;
			t->wall_ns += x->rr[r].wall_ns;
			t->feed_ns += x->rr[r].feed_ns;
		}
	}
}

/* "drops": every loss counter that moved, by name; returns their sum.  A captured pure ACK
 * is not a loss (the copier makes its own ACKs): reported apart. */
static uint64_t
print_drops(const struct totals *t)
{
	const char *sep = "";
	uint64_t sum = 0;
	unsigned int i;

#define DROP_OUT(prefix, name, v) do { \
	if ((v) != 0) { \
		printf("%s\"%s%s\":%" PRIu64, sep, prefix, name, (uint64_t)(v)); \
		sep = ","; \
		sum += (v); \
	} \
} while (0)
	printf("\"drops\":{");
	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		if (i != DTC_SESS_DROP_pure_ack)
			DROP_OUT("engine.", dtc_sess_drop_name(i), t->d.drop[i]);
	for (i = 0; i < DTC_SESS_TXF_MAX; i++)
		DROP_OUT("tx_fail.", dtc_sess_txf_name(i), t->d.txf[i]);
	for (i = 0; i < DTC_SESS_DROP_MAX; i++)
		DROP_OUT("front.", dtc_sess_drop_name(i), t->front[i]);
	for (i = 0; i < DTC_COPY_DROP_MAX; i++)
		DROP_OUT("rx.", dtc_copy_drop_name(i), t->rx[i]);
	DROP_OUT("", "route_ring_full", t->route_full);
	DROP_OUT("", "route_no_intercept", t->route_noi);
	DROP_OUT("", "bench_feed_full", t->feed_full);
	DROP_OUT("", "baseline_unsent", t->base_unsent);
#undef DROP_OUT
	printf("},");
	return sum;
}

static void
report(enum bench_wl wl, uint32_t S, unsigned int L, const struct dtc_copy_plan *p,
	uint32_t mbuf_size)
{
	double med[M_MAX], lo[M_MAX], hi[M_MAX], bps;
	struct totals t;
	uint64_t drops, live;
	unsigned int k, r;

	metrics(L, med, lo, hi);
	totals(L, &t);
	live = t.d.active;
	/* engine bytes per table entry, plus the buffers the live sessions hold */
	bps = (double)t.engine_bytes / (double)t.capacity +
		(live != 0 ? (double)t.d.queued_segs * mbuf_size / (double)live : 0);
	printf("{\"workload\":\"%s\",\"lcores\":%u,\"sessions\":%" PRIu64 ",\"huge\":%s,",
		wl_name[wl], L, live, rte_eal_has_hugepages() ? "true" : "false");
	printf("\"mpps\":%.3f,\"ns_per_pkt\":%.1f,\"baseline_mpps\":%.3f,\"ratio\":%.3f,",
		med[M_OURS], 1e3 * L / med[M_OURS], med[M_BASE], med[M_OURS] / med[M_BASE]);
	printf("\"bytes_per_session\":%.1f,\"new_sessions_per_s\":%.0f,", bps, med[M_NEW]);
	printf("\"population\":%u,\"client_mpps\":%.3f,\"resp_mpps\":%.3f,\"out_mpps\":%.3f,",
		S, med[M_CLIENT], med[M_RESP], med[M_OUT]);
	printf("\"mpps_min\":%.3f,\"mpps_max\":%.3f,\"baseline_min\":%.3f,"
		"\"baseline_max\":%.3f,\"mpps_wall\":%.3f,\"cpu_share\":%.3f,",
		lo[M_OURS], hi[M_OURS], lo[M_BASE], hi[M_BASE], med[M_WALL],
		(double)t.ns / (double)t.wall_ns);
	printf("\"per_lcore_mpps\":[");
	for (k = 0; k < L; k++) {
		double v[MAX_ROUNDS];

		for (r = 0; r < O.rounds; r++)
			v[r] = (double)(ctx[k].rr[r].frames + ctx[k].rr[r].recs) /
				(double)ctx[k].rr[r].ns * 1e3;
		printf("%s%.3f", k ? "," : "", median(v, O.rounds));
	}
	printf("],\"rounds\":%u,\"frames\":%" PRIu64 ",\"records\":%" PRIu64 ",", O.rounds,
		t.frames, t.recs);
	printf("\"feed_ns_per_pkt\":%.1f,", (double)t.feed_ns / (double)(t.frames + t.recs));
	drops = print_drops(&t);
	printf("\"drops_total\":%" PRIu64 ",\"pure_acks_absorbed\":%" PRIu64 ",", drops,
		t.d.drop[DTC_SESS_DROP_pure_ack]);
	printf("\"retransmits\":%" PRIu64 ",\"resp_ignored\":%" PRIu64 ",\"resp_unmatched\":%"
		PRIu64 ",\"tx_copy\":%" PRIu64 ",", t.d.c[DTC_SESS_C_seg_retrans] +
		t.d.c[DTC_SESS_C_seg_fast_retrans], t.d.c[DTC_SESS_C_resp_ignored],
		t.d.c[DTC_SESS_C_resp_unmatched], t.d.c[DTC_SESS_C_tx_copy]);
	printf("\"requests\":%" PRIu64 ",\"sess_created\":%" PRIu64 ",\"sess_closed_fin\":%"
		PRIu64 ",\"sess_recycled\":%" PRIu64 ",\"lingering\":%" PRIu64 ",",
		t.d.c[DTC_SESS_C_requests], t.d.c[DTC_SESS_C_sess_created],
		t.d.end[DTC_SESS_END_fin], t.d.end[DTC_SESS_END_recycled], t.d.lingering);
	printf("\"engine_bytes\":%zu,\"table_capacity\":%" PRIu64 ",\"plan_max_sessions\":%"
		PRIu64 ",\"max_memory_mb\":%" PRIu64 ",\"queued_segs\":%" PRIu64 ",\"rx_csum\":%s}\n",
		t.engine_bytes, t.capacity, (uint64_t)p->max_sessions * L, O.max_mb,
		t.d.queued_segs, O.rx_csum ? "true" : "false");
	fflush(stdout);
}

static void
report_error(enum bench_wl wl, uint32_t S, unsigned int L, const char *why)
{
	printf("{\"workload\":\"%s\",\"lcores\":%u,\"sessions\":%u,\"huge\":%s,"
		"\"error\":\"%s\"}\n", wl_name[wl], L, S, rte_eal_has_hugepages() ? "true" : "false",
		why);
	fflush(stdout);
}

static int
run_config(enum bench_wl wl, uint32_t S, uint16_t L)
{
	struct dtc_sess_conf sc;
	struct dtc_copy_plan p;
	struct rte_mempool *mp = NULL;
	struct gen_conf gc;
	char err[256];
	uint16_t k;
	int rc = 0;

	sess_conf(&sc, L);
	if (plan(&p, &sc, O.max_mb, L, err, sizeof(err)) != 0) {
		report_error(wl, S, L, err);
		return 0;
	}
	if (wl != WL_CHURN && (S / L > p.max_sessions || S / L < 64)) {
		snprintf(err, sizeof(err), "%u sessions per worker: the -m %" PRIu64 " plan holds "
			"%u (and at least 64 are needed)", S / L, O.max_mb, p.max_sessions);
		report_error(wl, S, L, err);
		return 0;
	}
	mp = rte_pktmbuf_pool_create("dtcb_mbuf", p.n_mbufs, DTC_COPY_MP_CACHE,
		DTC_MBUF_PRIV_SIZE, RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (mp == NULL) {
		snprintf(err, sizeof(err), "cannot allocate the -m %" PRIu64 " pool (%u mbufs): %s; "
			"give the EAL more memory (-m)", O.max_mb, p.n_mbufs,
			rte_strerror(rte_errno));
		report_error(wl, S, L, err);
		return -1;
	}
	memset(&gc, 0, sizeof(gc));
	gc.wl = wl;
	gc.sessions = S / L;
	gc.n_workers = L;
	gc.seed = BENCH_SEED;
	gc.missed_pct = wl == WL_MIXED ? O.missed_pct : 0;
	gc.churn_pct = O.churn_pct;
	gc.target_addr = xfer[0].target_addr;
	gc.target_port = xfer[0].target_port;
	for (k = 0; k < L; k++) {
		gc.lcore_idx = k;
		gc.rng = 0x9e3779b97f4a7c15ull * (k + 1) + S;
		if (ctx_init(&ctx[k], k, &sc, mp, &gc) != 0) {
			snprintf(err, sizeof(err), "worker %u: %s (EAL -m too small?)", k,
				ctx[k].errmsg);
			report_error(wl, S, L, err);
			rc = -1;
			goto out;
		}
	}
	for (k = 1; k < L; k++)
		rte_eal_remote_launch(lcore_run, &ctx[k], ctx[k].lcore);
	lcore_run(&ctx[0]);
	rte_eal_mp_wait_lcore();
	for (k = 0; k < L; k++)
		if (ctx[k].err != 0) {
			report_error(wl, S, L, ctx[k].errmsg);
			rc = -1;
			goto out;
		}
	report(wl, S, L, &p, p.mbuf_size);
out:
	for (k = 0; k < L; k++)
		ctx_fini(&ctx[k]);
	rte_mempool_free(mp);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Ports: one net_ring port per worker (its input), one net_null port (a TX queue each). */

static int
ports_init(uint16_t max_workers)
{
	struct dtc_copy_port_conf pc;
	uint64_t offl;
	char err[512], name[64];
	uint16_t k;

	if (rte_vdev_init(NULL_NAME, NULL) != 0 ||
			rte_eth_dev_get_port_by_name(NULL_NAME, &null_port) != 0) {
		fprintf(stderr, "dtc_bench: cannot create %s\n", NULL_NAME);
		return -1;
	}
	memset(&pc, 0, sizeof(pc));
	pc.port = null_port;
	pc.n_txq = max_workers;
	if (dtc_copy_port_start(&pc, nic_mp, &offl, err, sizeof(err)) != 0) {
		fprintf(stderr, "dtc_bench: %s\n", err);
		return -1;
	}
	for (k = 0; k < max_workers; k++) {
		struct rte_ring *tx;
		int port;

		in_rings[k] = mk_ring("in", k, IN_RING_SIZE, sizeof(void *));
		tx = mk_ring("unused_tx", k, 64, sizeof(void *));
		snprintf(name, sizeof(name), "net_ring_dtcb%u", k);
		port = in_rings[k] != NULL && tx != NULL ?
			rte_eth_from_rings(name, &in_rings[k], 1, &tx, 1, (unsigned int)rte_socket_id()) :
			-1;
		if (port < 0) {
			fprintf(stderr, "dtc_bench: cannot create %s\n", name);
			return -1;
		}
		in_ports[k] = (uint16_t)port;
		memset(&pc, 0, sizeof(pc));
		pc.port = in_ports[k];
		pc.n_txq = 1;
		pc.promisc = true;
		if (dtc_copy_port_start(&pc, nic_mp, &offl, err, sizeof(err)) != 0) {
			fprintf(stderr, "dtc_bench: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static void
ports_fini(void)
{
	uint16_t port;

	RTE_ETH_FOREACH_DEV(port) {
		(void)rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
	}
}

/* ------------------------------------------------------------------ */
/* Options. */

static int
num(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	if (*end == 'k' || *end == 'K') {
		v *= 1000;
		end++;
	} else if (*end == 'M') {
		v *= 1000000;
		end++;
	}
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
num_list(char *s, uint32_t *out, unsigned int *n, uint64_t min, uint64_t max)
{
	char *save = NULL, *tok;

	*n = 0;
	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;

		if (*n == MAX_LIST || num(tok, &v) != 0 || v < min || v > max)
			return -1;
		out[(*n)++] = (uint32_t)v;
	}
	return *n > 0 ? 0 : -1;
}

static int
wl_list(char *s)
{
	char *save = NULL, *tok;
	int i;

	memset(O.wl, 0, sizeof(O.wl));
	for (tok = strtok_r(s, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < WL_MAX; i++)
			if (strcmp(tok, wl_name[i]) == 0 || strcmp(tok, "all") == 0)
				O.wl[i] = true;
		if (strcmp(tok, "all") != 0) {
			for (i = 0; i < WL_MAX && strcmp(tok, wl_name[i]) != 0; i++)
				;
			if (i == WL_MAX)
				return -1;
		}
	}
	return 0;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [EAL options] -- [--workload steady,churn,mixed|all] "
		"[--sessions N,N,...] [--lcores N,N,...] [--rounds N] [--round-frames N] "
		"[--max-memory MB] [--rx-csum 0|1] [--mixed-sessions N] [--missed-pct N] "
		"[--churn-pct N] [--quick]\n", prog);
}

static void
defaults(void)
{
	unsigned int i;

	for (i = 0; i < WL_MAX; i++)
		O.wl[i] = true;
	O.sessions[0] = 1000;
	O.sessions[1] = 100000;
	O.sessions[2] = 1000000;
	O.n_sessions = 3;
	O.lcores[0] = 1;
	O.lcores[1] = 2;
	O.n_lcores = n_lcores_avail >= 2 ? 2 : 1;
	O.rounds = 5;
	O.round_frames = 1000000;
	O.max_mb = 1024;
	O.rx_csum = true;
	O.mixed_sessions = 100000;
	O.missed_pct = 5;
	O.churn_pct = 20;
}

static int
parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "workload", 1, NULL, 'w' }, { "sessions", 1, NULL, 's' },
		{ "lcores", 1, NULL, 'l' }, { "rounds", 1, NULL, 'r' },
		{ "round-frames", 1, NULL, 'f' }, { "max-memory", 1, NULL, 'm' },
		{ "rx-csum", 1, NULL, 'c' }, { "mixed-sessions", 1, NULL, 'x' },
		{ "missed-pct", 1, NULL, 'p' }, { "churn-pct", 1, NULL, 'n' },
		{ "quick", 0, NULL, 'q' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	uint64_t v = 0;
	int c;
	bool ok = true;

	defaults();
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'w': ok = wl_list(optarg) == 0; break;
		case 's': ok = num_list(optarg, O.sessions, &O.n_sessions, 64, 1u << 27) == 0;
			break;
		case 'l': ok = num_list(optarg, O.lcores, &O.n_lcores, 1, n_lcores_avail) == 0;
			break;
		case 'r': ok = num(optarg, &v) == 0 && v >= 1 && v <= MAX_ROUNDS;
			O.rounds = (uint32_t)v; break;
		case 'f': ok = num(optarg, &v) == 0 && v >= 1000 && v <= (1ull << 32);
			O.round_frames = v; break;
		case 'm': ok = num(optarg, &v) == 0 && v >= 16 && v <= (1u << 20);
			O.max_mb = v; break;
		case 'c': ok = num(optarg, &v) == 0 && v <= 1; O.rx_csum = v != 0; break;
		case 'x': ok = num(optarg, &v) == 0 && v >= 64 && v <= (1u << 27);
			O.mixed_sessions = (uint32_t)v; break;
		case 'p': ok = num(optarg, &v) == 0 && v <= 100; O.missed_pct = (uint32_t)v; break;
		case 'n': ok = num(optarg, &v) == 0 && v <= 50; O.churn_pct = (uint32_t)v; break;
		case 'q':
			O.sessions[0] = 256;
			O.n_sessions = 1;
			O.mixed_sessions = 256;
			O.rounds = 1;
			O.round_frames = 20000;
			O.max_mb = 128;
			break;
		default: ok = false; break;
		}
		if (!ok)
			return -1;
	}
	return optind == argc ? 0 : -1;
}

/* ------------------------------------------------------------------ */

static int
setup(void)
{
	char err[256];
	unsigned int lc, i;

	RTE_LCORE_FOREACH(lc) {
		if (n_lcores_avail < MAX_WORKERS)
			worker_lcores[n_lcores_avail++] = lc;
	}
	/* the main lcore is worker 0 */
	for (i = 0; i < n_lcores_avail; i++)
		if (worker_lcores[i] == rte_get_main_lcore()) {
			worker_lcores[i] = worker_lcores[0];
			worker_lcores[0] = rte_get_main_lcore();
		}
	if (dtc_xfer_parse(BENCH_XFER, xfer, 1, err, sizeof(err)) != 1) {
		fprintf(stderr, "dtc_bench: -x %s: %s\n", BENCH_XFER, err);
		return -1;
	}
	tsc_ns = 1e9 / (double)rte_get_tsc_hz();
	if (getenv("DTC_BENCH_PERF_FIFO") != NULL)
		perf_open(getenv("DTC_BENCH_PERF_FIFO"));
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned int i, j, l, max_l = 1;
	int n, rc = 0;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr, "dtc_bench: EAL initialisation failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argv[n] = argv[0];
	if (setup() != 0 || parse_opts(argc - n, argv + n) != 0) {
		usage(argv[0]);
		rte_eal_cleanup();
		return 2;
	}
	for (i = 0; i < O.n_lcores; i++)
		max_l = RTE_MAX(max_l, O.lcores[i]);
	ctx = rte_zmalloc("dtcb_ctx", sizeof(*ctx) * max_l, RTE_CACHE_LINE_SIZE);
	nic_mp = rte_pktmbuf_pool_create("dtcb_nic", NIC_MBUFS_PER_WORKER * max_l, 256,
		DTC_MBUF_PRIV_SIZE, NIC_DATA_ROOM, (int)rte_socket_id());
	tmpl.rx_csum = O.rx_csum;
	tmpl.online_addr = xfer[0].online_addr.a32[0];
	tmpl.online_port = xfer[0].online_port;
	rte_ether_unformat_addr("02:00:00:00:00:40", &tmpl.dst);
	rte_ether_unformat_addr("02:00:00:00:00:01", &tmpl.src);
	if (ctx == NULL || nic_mp == NULL || ports_init((uint16_t)max_l) != 0) {
		fprintf(stderr, "dtc_bench: setup failed (EAL -m too small?)\n");
		rc = 1;
		goto out;
	}
	for (i = 0; i < WL_MAX && rc == 0; i++) {
		unsigned int n_s = i == WL_STEADY ? O.n_sessions : 1;

		if (!O.wl[i])
			continue;
		for (j = 0; j < n_s && rc == 0; j++) {
			uint32_t S = i == WL_STEADY ? O.sessions[j] :
				(i == WL_MIXED ? O.mixed_sessions : 0);

			for (l = 0; l < O.n_lcores && rc == 0; l++)
				if (run_config((enum bench_wl)i, S, (uint16_t)O.lcores[l]) != 0)
					rc = 1;
		}
	}
out:
	ports_fini();
	rte_mempool_free(nic_mp);
	rte_free(ctx);
	rte_eal_cleanup();
	return rc;
}
