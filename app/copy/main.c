/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy: options first (a bad one exits 2 before the EAL starts), then the EAL, the
 * memory plan, ports, roles, launch; on SIGINT/SIGTERM or when an offline replay is over:
 * RX stops, every session ends with a RST, the summary is printed, ports stop.
 *
 * Lcore roles: 1 lcore runs everything to completion; with 2 the main lcore is the control
 * lcore and the other receives and works; with 3 or more, --rx-lcores N lcores (1) receive,
 * each from its own RX queue of every mirror port (RSS), and the others are workers.
 *
 * Exit status: 0 done (signal, or offline replay complete), 1 setup or runtime failure,
 * 2 bad command line, 3 the -i file is unreadable, truncated or corrupt (what was valid has
 * been replayed).
 */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_pause.h>
#include <rte_pdump.h>
#include <rte_random.h>
#include <rte_ring.h>

#include "dtc_app.h"
#include "copy.h"
#include "copy_dp.h"
#include "compare.h"

#define EXIT_FILE 3
#define CONNECT_TIMEOUT_MS 3000
#define TELEMETRY_US 250000
#define CHECK_US 10000
#define CTL_POLL_US 20

enum { PHASE_RUN = 0, PHASE_STOP };

static struct dtc_copy_app app;
static char *abs_log, *abs_pid, *abs_pcap;   /* owned copies of the user's paths */
static int phase;        /* atomic: PHASE_* */
static unsigned int rx_left; /* atomic: RX lcores still running (workers wait for 0) */
static int exit_status;

static char *
absolute(const char *path)
{
	char cwd[PATH_MAX], *out;

	if (path == NULL || path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return path != NULL ? strdup(path) : NULL;
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		return NULL;
	return out;
}

static bool
is_rx_port(const struct dtc_copy_opts *o, uint16_t port)
{
	unsigned int i;

	if (o->pcap_file != NULL)
		return false;
	for (i = 0; i < o->n_rx_ports; i++)
		if (o->rx_ports[i] == port)
			return true;
	return false;
}

static void
add_port(uint16_t port)
{
	uint16_t i;

	for (i = 0; i < app.n_ports; i++)
		if (app.ports[i] == port)
			return;
	app.ports[app.n_ports++] = port;
}

static bool eal_up;
static bool eal_legacy_mem;   /* --legacy-mem: the EAL never grows its memory */

/* Leave before the data path runs: ports closed (virtual devices hold libpcap handles and
 * sockets), EAL cleaned up, so that nothing leaks even on an error exit. */
static void __attribute__((noreturn))
early_exit(int status)
{
	uint16_t port;

	if (eal_up) {
		RTE_ETH_FOREACH_DEV(port) {
			(void)rte_eth_dev_stop(port);
			rte_eth_dev_close(port);
		}
		rte_eal_cleanup();
	}
	dtc_log_close();
	exit(status);
}

static void __attribute__((format(printf, 1, 2), noreturn))
fail(const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	COPY_LOG(ERR, "%s", buf);
	fprintf(stderr, "dpdk-tcpcopy: %s\n", buf);
	early_exit(1);
}

/* A bad option value only found out once the EAL is up (-m too small, -F for the file's
 * link type): the same message and status as the option parser's. */
static void __attribute__((noreturn))
opt_fail(const char *prog, const char *opt, const char *value, const char *reason)
{
	fprintf(stderr, "%s: invalid value '%s' for option %s: %s\n", prog, value, opt, reason);
	fprintf(stderr, "Try '%s -- --help' for more information.\n", prog);
	early_exit(DTC_EXIT_USAGE);
}

/* ------------------------------------------------------------------ */
/* Setup. */

/* --iface MIRROR[,TX]: their ports are the RX port and the TX port unless given. */
static void
iface_ports(void)
{
	struct dtc_copy_opts *o = &app.o;
	uint16_t ids[RTE_DIM(o->ifaces)];
	unsigned int i;

	for (i = 0; i < o->n_ifaces; i++) {
		char name[64];

		snprintf(name, sizeof(name), "net_af_packet_dtc%u", i);
		if (rte_eth_dev_get_port_by_name(name, &ids[i]) != 0)
			fail("--iface %s: no port was created (see the EAL's message above)",
				o->ifaces[i]);
		COPY_LOG(INFO, "--iface %s is port %u", o->ifaces[i], ids[i]);
	}
	if (o->n_ifaces == 0)
		return;
	if (o->pcap_file == NULL && !o->rx_port_given) {
		o->rx_ports[0] = ids[0];
		o->n_rx_ports = 1;
	}
	if (o->tx_port < 0)
		o->tx_port = ids[o->n_ifaces - 1];
}

static void
check_ports(void)
{
	const struct dtc_copy_opts *o = &app.o;
	uint16_t avail = rte_eth_dev_count_avail();
	unsigned int i;

	if (avail == 0)
		fail("no DPDK port: give a NIC, a --vdev (e.g. net_pcap0,rx_pcap=IN.pcap) or "
			"--iface NAME");
	iface_ports();
	for (i = 0; o->pcap_file == NULL && i < o->n_rx_ports; i++)
		if (!rte_eth_dev_is_valid_port(o->rx_ports[i]))
			fail("--rx-port %u: no such port (%u available)", o->rx_ports[i], avail);
	app.tx_port = o->tx_port >= 0 ? (uint16_t)o->tx_port : (avail >= 2 ? 1 : 0);
	if (!rte_eth_dev_is_valid_port(app.tx_port))
		fail("--tx-port %u: no such port (%u available)", app.tx_port, avail);
	app.response_port = o->response_port;
	if (app.response_port >= 0 && !rte_eth_dev_is_valid_port((uint16_t)app.response_port))
		fail("--response-port %d: no such port (%u available)", app.response_port, avail);
	if (is_rx_port(o, app.tx_port))
		COPY_LOG(NOTICE, "port %u is both a mirror RX port and the TX port", app.tx_port);
	for (i = 0; o->pcap_file == NULL && i < o->n_rx_ports; i++)
		add_port(o->rx_ports[i]);
	add_port(app.tx_port);
	if (app.response_port >= 0)
		add_port((uint16_t)app.response_port);
}

/* RX queues a port is set up with: one per RX lcore on a mirror port, one elsewhere (an
 * af_packet port has the queues its qpairs gave it, every one to be read). */
static uint16_t
rxq(uint16_t port)
{
	return dtc_copy_port_rxq(port, is_rx_port(&app.o, port) ? (uint16_t)app.n_rx : 1);
}

/* TX queues of the TX port: one per worker, plus one for the control lcore when it has its
 * own lcore and the port has a queue to spare (else its rare frames go via worker 0). */
static uint16_t
tx_queues(bool *ctl_own_queue)
{
	uint16_t max = dtc_copy_port_max_txq(app.tx_port);

	*ctl_own_queue = app.n_lcores > 1 && max > app.n_workers;
	return (uint16_t)(app.n_workers + (*ctl_own_queue ? 1 : 0));
}

static void
sess_conf(void)
{
	const struct dtc_copy_opts *o = &app.o;
	struct dtc_sess_conf *c = &app.sconf;
	struct rte_eth_dev_info info;

	dtc_sess_conf_defaults(c);
	c->xfer = app.o.xfer;
	c->n_xfer = o->n_xfer;
	c->pool = o->have_pool ? &app.o.pool : NULL;
	c->multiply = (uint16_t)o->multiply;
	c->port_offset = (uint16_t)o->port_offset;
	c->seed = (uint32_t)rte_rand();
	c->sample_pct = (uint8_t)o->sample_pct;
	c->gradual = o->gradual;
	c->full_sessions_only = o->full_sessions_only;
	c->no_wait = o->no_wait;
	c->online_answers = o->compare;
	c->max_lag_us = o->max_lag_ms * 1000u;
	c->mss = o->mss;
	c->mtu = o->mtu;
	c->rtt_us = o->rtt_ms * 1000u;
	c->session_timeout_ms = o->session_timeout_s * 1000u;
	c->keepalive_timeout_ms = o->keepalive_timeout_s * 1000u;
	c->socket_id = rte_eth_dev_socket_id(app.tx_port);
	if (c->socket_id < 0)
		c->socket_id = (int)rte_socket_id();
	c->n_workers = app.n_workers;
	rte_eth_macaddr_get(app.tx_port, &c->src_mac);
	if (rte_eth_dev_info_get(app.tx_port, &info) == 0)
		c->tx_offloads = info.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS);
}

/* What the plan leaves to the EAL itself, the ports' queues and the small allocations outside
 * the plan (fronts, control role, telemetry) when -m comes from the EAL's memory: measured
 * with --no-huge -m 256/512 and hugepages, see docs/operations.md. */
#define EAL_RESERVE_MB 16u
#define EAL_RESERVE_DIV 32u

/* -m not given: what the EAL can still give, less the reserve. */
static uint64_t
memory_from_eal(const char *prog, char *how, size_t len)
{
	uint64_t avail = dtc_eal_mem_avail(app.sconf.socket_id, !eal_legacy_mem, how, len);
	uint64_t reserve = ((uint64_t)EAL_RESERVE_MB << 20) + avail / EAL_RESERVE_DIV;
	uint64_t mb = avail > reserve ? (avail - reserve) >> 20 : 0;

	if (mb < 16) {
		char v[96];

		snprintf(v, sizeof(v), "(from the EAL: %" PRIu64 " MB)", mb);
		opt_fail(prog, "-m/--max-memory", v, "the EAL has too little memory for a plan: "
			"give it more (EAL -m with --no-huge, or hugepages)");
	}
	return mb;
}

static void
memory_plan(uint16_t n_txq, const char *prog)
{
	struct dtc_copy_plan *p = &app.plan;
	uint32_t rxd = 0, txd = 0;
	char err[256], mb[32], how[160] = "";
	bool from_eal = app.o.max_memory_mb == 0;
	uint16_t i;

	if (from_eal)
		app.o.max_memory_mb = memory_from_eal(prog, how, sizeof(how));
	for (i = 0; i < app.n_ports; i++) {
		rxd += DTC_COPY_NB_RXD * rxq(app.ports[i]);
		txd += DTC_COPY_NB_TXD * (app.ports[i] == app.tx_port ? n_txq : 1);
	}
	if (dtc_copy_plan_make(p, app.o.max_memory_mb, app.n_workers, rxd, txd, app.n_lcores,
			&app.sconf, err, sizeof(err)) != 0) {
		snprintf(mb, sizeof(mb), "%" PRIu64, app.o.max_memory_mb);
		opt_fail(prog, "-m/--max-memory", mb, err);
	}
	COPY_LOG(INFO, "memory plan for -m %" PRIu64 " MB%s%s%s: %u session(s) in all; %u "
		"lcore(s), %u worker(s); %u mbufs of %u bytes = %.1f MB (%u fixed for descriptors, "
		"caches and rings); per worker %u sessions and %u buffered segments (%u per "
		"session), session tables %.1f MB; rings %.1f MB", app.o.max_memory_mb,
		from_eal ? " (not given: what the EAL has, " : "", how, from_eal ? ")" : "",
		p->max_sessions * app.n_workers, app.n_lcores, app.n_workers, p->n_mbufs,
		p->mbuf_size, (double)p->mbuf_bytes / 1048576.0, p->fixed_mbufs, p->max_sessions,
		p->max_seg_total, p->max_seg_per_sess, (double)p->engine_bytes / 1048576.0,
		(double)p->ring_bytes / 1048576.0);
}

static struct rte_ring *
ring(const char *what, unsigned int i, unsigned int count, unsigned int esize, int socket,
	bool multi_producer)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "dtc_%s_%u", what, i);
	r = rte_ring_create_elem(name, esize, count, socket,
		(multi_producer ? 0 : RING_F_SP_ENQ) | RING_F_SC_DEQ);
	if (r == NULL)
		fail("cannot create ring %s (%u x %u bytes): %s", name, count, esize,
			rte_strerror(rte_errno));
	return r;
}

static void
make_workers(bool ctl_own_queue)
{
	struct dtc_sess_conf c = app.sconf;
	uint16_t i;

	c.mp = app.mp;
	for (i = 0; i < app.n_workers; i++) {
		unsigned int flags = 0;

		if (app.n_lcores >= 3)
			flags |= DTC_COPY_W_SEG_RING;
		if (app.n_rx > 1)
			flags |= DTC_COPY_W_SEG_MP;
		if (app.o.n_intercept > 0)
			flags |= DTC_COPY_W_ROUTE_RING;
		if (i == 0 && app.n_lcores > 1 && !ctl_own_queue)
			flags |= DTC_COPY_W_CTL_TX;
		c.cmp = dtc_copy_cmp_pairs(i);
		app.workers[i] = dtc_copy_worker_create(&c, i, app.tx_port, i, flags,
			&app.ctl.intercepts_up);
		if (app.workers[i] == NULL)
			fail("cannot create worker %u (rings, session engine): %s", i,
				rte_strerror(rte_errno));
	}
}

/* A mirror port that is also the TX or response port: its ARP, ICMP and response frames are
 * handed to the control lcore. */
static bool
is_divert_port(uint16_t port)
{
	return port == app.tx_port || (int)port == app.response_port;
}

/* RX lcore r of n: its own front (deterministic, the same on every RX lcore) and queue q of
 * every mirror port for each q = r (mod n). */
static void
make_rx_one(unsigned int r, struct rte_ring *ctl_in)
{
	struct dtc_copy_rx *rx = &app.rx[r];
	const struct dtc_copy_opts *o = &app.o;
	struct dtc_sess_conf c = app.sconf;
	unsigned int i;

	c.mp = app.mp;
	rx->front = dtc_front_create(&c);
	if (rx->front == NULL)
		fail("cannot create the session front: %s", rte_strerror(rte_errno));
	if (dtc_copy_rx_init(rx, app.n_workers, o->multiply, c.socket_id) != 0)
		fail("out of memory for the RX role");
	rx->filter = app.filter;
	rx->workers = app.workers;
	rx->direct = app.n_lcores < 3;
	rx->tx_ip = o->have_tx_ip ? o->tx_ip : 0;
	rx->divert_responses = app.response_port >= 0;
	rx->xfer = app.o.xfer;
	rx->n_xfer = o->n_xfer;
	rx->ctl_in = ctl_in;
	for (i = 0; o->pcap_file == NULL && i < o->n_rx_ports; i++) {
		uint16_t port = o->rx_ports[i], q, n_rxq = rxq(port);

		if (n_rxq < app.n_rx)
			fail("port %u has %u RX queue(s) and --rx-lcores %u needs one per RX lcore "
				"(net_af_packet: qpairs=%u)", port, n_rxq, app.n_rx, app.n_rx);
		for (q = (uint16_t)r; q < n_rxq; q = (uint16_t)(q + app.n_rx)) {
			struct dtc_copy_rx_port *p;

			if (rx->n_ports == DTC_COPY_MAX_RXQ)
				fail("more than %u RX queues to poll", DTC_COPY_MAX_RXQ);
			p = &rx->ports[rx->n_ports++];
			p->port = port;
			p->queue = q;
			p->divert = is_divert_port(port);
		}
	}
}

static void
make_rx(void)
{
	const struct dtc_copy_opts *o = &app.o;
	struct rte_ring *ctl_in = NULL;
	unsigned int i;
	bool any_divert = false;

	for (i = 0; o->pcap_file == NULL && i < o->n_rx_ports; i++)
		any_divert |= is_divert_port(o->rx_ports[i]);
	if (any_divert)
		app.ctl.ctl_in = ctl_in = ring("ctlin", 0, DTC_COPY_CTL_RING, sizeof(void *),
			app.sconf.socket_id, app.n_rx > 1);
	for (i = 0; i < app.n_rx; i++)
		make_rx_one(i, ctl_in);
}

static void
ctl_port(struct dtc_copy_ctl_port *p, uint16_t port, bool is_tx, bool is_response,
	uint16_t txq, bool via_worker)
{
	struct rte_ether_addr mac;

	rte_eth_macaddr_get(port, &mac);
	p->port = port;
	p->is_tx = is_tx;
	p->is_response = is_response;
	p->poll = !is_rx_port(&app.o, port);
	p->n_rxq = rxq(port);
	p->txq = txq;
	p->via_worker = via_worker;
	dtc_responder_init(&p->resp, app.o.have_tx_ip ? app.o.tx_ip : 0, &mac);
	dtc_capture_init(&p->cap, DTC_LINK_ETHER, NULL, &p->resp);
}

static void
make_ctl(bool ctl_own_queue)
{
	struct dtc_copy_ctl *c = &app.ctl;
	const struct dtc_copy_opts *o = &app.o;
	uint16_t txq = app.n_lcores == 1 ? 0 : (ctl_own_queue ? app.n_workers : 0);
	bool via_worker = app.n_lcores > 1 && !ctl_own_queue;
	unsigned int i, j;

	if (dtc_copy_ctl_init(c, app.n_workers, app.sconf.socket_id) != 0)
		fail("out of memory for the control role");
	c->workers = app.workers;
	c->seed = app.sconf.seed;
	c->mp = app.mp;
	c->xfer = app.o.xfer;
	c->n_xfer = o->n_xfer;
	ctl_port(&c->ports[c->n_ports++], app.tx_port, true,
		app.response_port == app.tx_port, txq, via_worker);
	if (app.response_port >= 0 && app.response_port != app.tx_port)
		ctl_port(&c->ports[c->n_ports++], (uint16_t)app.response_port, false, true, 0,
			false);
	dtc_arp_init(&c->arp, o->have_tx_ip ? o->tx_ip : 0, &app.sconf.src_mac);
	for (i = 0; i < o->n_xfer; i++) {
		const struct dtc_xfer *x = &o->xfer[i];

		c->arp_idx[i] = -1;
		if (x->family != 4 || x->has_static_mac)
			continue;
		for (j = 0; j < i; j++)
			if (c->arp_idx[j] >= 0 && o->xfer[j].target_addr.a32[0] ==
					x->target_addr.a32[0])
				c->arp_idx[i] = c->arp_idx[j];
		if (c->arp_idx[i] < 0)
			c->arp_idx[i] = dtc_arp_add(&c->arp, x->target_addr.a32[0]);
		if (c->arp_idx[i] < 0)
			fail("too many distinct targets to resolve by ARP (max %u)", DTC_ARP_MAX);
	}
	if (o->n_intercept > 0) {
		c->client = dtc_ctl_client_create(o, dtc_copy_ctl_resp, c);
		if (c->client == NULL)
			fail("cannot create the control channel client: %s",
				rte_strerror(rte_errno));
	}
}

static void
start_ports(uint16_t n_txq, bool ctl_own_queue)
{
	char err[512];
	uint16_t i;

	for (i = 0; i < app.n_ports; i++) {
		struct dtc_copy_port_conf pc = { .port = app.ports[i] };
		uint64_t offl;

		pc.promisc = is_rx_port(&app.o, pc.port);
		pc.n_rxq = rxq(pc.port);
		if (pc.port == app.tx_port) {
			pc.n_txq = n_txq;
			pc.ctl_txq = ctl_own_queue;
		} else if ((int)pc.port == app.response_port) {
			pc.n_txq = 1;
		} else {
			pc.n_txq = RTE_MIN(dtc_copy_port_max_txq(pc.port), 1);
		}
		if (dtc_copy_port_start(&pc, app.mp, &offl, err, sizeof(err)) != 0)
			fail("%s", err);
	}
}

/*
 * The mbuf pool.  Without hugepages the EAL's pages are 4 KiB and an IOVA-contiguous mbuf
 * (2.5 KB) cannot cross one: a pool would take a whole page per mbuf, 64 % more than the plan
 * counts, and touch all of it.  Its IOVAs are virtual addresses then (no physical addresses
 * without hugepages), so objects may cross pages: packed, as the plan counts them.
 */
static struct rte_mempool *
mbuf_pool(const char *name, unsigned int n, int socket)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = RTE_MBUF_DEFAULT_BUF_SIZE,
		.mbuf_priv_size = DTC_MBUF_PRIV_SIZE,
	};
	struct rte_mempool *mp;
	int rc;

	if (rte_eal_has_hugepages())
		return rte_pktmbuf_pool_create(name, n, DTC_COPY_MP_CACHE, DTC_MBUF_PRIV_SIZE,
			RTE_MBUF_DEFAULT_BUF_SIZE, socket);
	mp = rte_mempool_create_empty(name, n, sizeof(struct rte_mbuf) + DTC_MBUF_PRIV_SIZE +
		RTE_MBUF_DEFAULT_BUF_SIZE, DTC_COPY_MP_CACHE, sizeof(priv), socket,
		RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	rc = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL);
	if (rc == 0) {
		rte_pktmbuf_pool_init(mp, &priv);
		rc = rte_mempool_populate_default(mp);
		rc = rc < 0 ? rc : 0;
	}
	if (rc != 0) {
		rte_mempool_free(mp);
		rte_errno = -rc;
		return NULL;
	}
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	return mp;
}

static void
setup(const char *prog)
{
	const struct dtc_copy_opts *o = &app.o;
	enum dtc_link link = DTC_LINK_ETHER;
	struct dtc_pcap_reader *rd = NULL;
	bool ctl_own_queue;
	uint16_t n_txq;
	char err[512];

	app.n_lcores = rte_lcore_count();
	app.n_rx = o->rx_lcores;
	if (app.n_rx > 1 && app.n_lcores < app.n_rx + 2) {
		char v[16];

		snprintf(v, sizeof(v), "%u", app.n_rx);
		opt_fail(prog, "--rx-lcores", v, "needs at least N + 2 lcores (control, N RX, "
			"one worker or more): give the EAL more with -l");
	}
	app.n_workers = (uint16_t)(app.n_lcores <= 2 ? 1 : app.n_lcores - 1 - app.n_rx);
	check_ports();
	n_txq = tx_queues(&ctl_own_queue);
	if (dtc_copy_port_max_txq(app.tx_port) < app.n_workers)
		fail("port %u has %u TX queue(s) and %u worker(s) need one each: use fewer lcores "
			"or give the device more queues (net_af_packet qpairs=N, net_pcap one tx_pcap "
			"per queue)", app.tx_port, dtc_copy_port_max_txq(app.tx_port),
			app.n_workers);
	sess_conf();
	dtc_copy_cmp_plan_keys(o->compare_keys);
	memory_plan(n_txq, prog);
	if (dtc_copy_cmp_init(o, app.n_workers, app.plan.max_sessions, app.sconf.socket_id) != 0)
		fail("--compare: cannot allocate %.1f MB per worker", (double)dtc_copy_cmp_mem_size(o,
			app.plan.max_sessions) / 1048576.0);

	app.mp = mbuf_pool("dtc_mbuf", app.plan.n_mbufs, app.sconf.socket_id);
	if (app.mp == NULL) {
		char how[160];
		int e = rte_errno;

		(void)dtc_eal_mem_avail(app.sconf.socket_id, !eal_legacy_mem, how, sizeof(how));
		fail("cannot allocate %u mbufs (%.1f MB) for -m %" PRIu64 ": %s (the EAL has %s); "
			"give the EAL more memory (EAL -m, or hugepages), or leave -m out to plan for "
			"what it has", app.plan.n_mbufs, (double)app.plan.mbuf_bytes / 1048576.0,
			o->max_memory_mb, rte_strerror(e), how);
	}
	app.sconf.mp = app.mp;

	if (o->pcap_file != NULL) {
		rd = dtc_pcap_open(o->pcap_file, err, sizeof(err));
		if (rd == NULL) {
			COPY_LOG(ERR, "%s", err);
			fprintf(stderr, "dpdk-tcpcopy: %s\n", err);
			early_exit(EXIT_FILE);
		}
		link = dtc_pcap_link(rd);
		app.offline = true;
	}
	if (o->filter != NULL) {
		app.filter = dtc_filter_compile(o->filter, link, err, sizeof(err));
		if (app.filter == NULL)
			opt_fail(prog, "-F/--filter", o->filter, err);
	}
	make_workers(ctl_own_queue);
	make_rx();
	if (rd != NULL)
		dtc_copy_offline_init(&app.off, rd, o, app.mp, &app.rx[0]);
	make_ctl(ctl_own_queue);
	start_ports(n_txq, ctl_own_queue);
	{
		char how[160];

		(void)dtc_eal_mem_avail(app.sconf.socket_id, !eal_legacy_mem, how, sizeof(how));
		COPY_LOG(INFO, "memory left after setup (%s)", how);
	}
	COPY_LOG(INFO, "%s; TX port %u (%u queue(s)%s)%s; %s", app.offline ? "offline replay" :
		"capturing", app.tx_port, n_txq, app.n_lcores > 1 && !ctl_own_queue ?
		", control frames via worker 0" : "", app.response_port >= 0 ?
		", two-host mode" : ", intercept mode", app.filter != NULL ? "with -F" : "no -F");
}

static void
connect_intercepts(void)
{
	int up;

	if (app.ctl.client == NULL)
		return;
	up = dtc_ctl_client_connect(app.ctl.client, CONNECT_TIMEOUT_MS);
	__atomic_store_n(&app.ctl.intercepts_up, (uint32_t)(up > 0 ? up : 0), __ATOMIC_RELAXED);
	if (up > 0) {
		COPY_LOG(INFO, "%d of %u intercept(s) connected", up, app.o.n_intercept);
		return;
	}
	if (!app.o.lonely)
		fail("no intercept reachable within %u ms (-s); -L keeps trying", CONNECT_TIMEOUT_MS);
	COPY_LOG(WARNING, "no intercept reachable yet; -L: retrying in the background");
}

/* ------------------------------------------------------------------ */
/* Lcore loops. */

static inline bool
running(void)
{
	return __atomic_load_n(&phase, __ATOMIC_RELAXED) == PHASE_RUN;
}

static inline unsigned int
source_poll(struct dtc_copy_rx *rx, uint64_t now)
{
	return app.offline ? dtc_copy_offline_poll(&app.off, now) : dtc_copy_rx_poll(rx, now);
}

/* An RX lcore (arg: its struct dtc_copy_rx); with 2 lcores it is also the worker. */
static int
lcore_rx(void *arg)
{
	struct dtc_copy_rx *rx = arg;
	struct dtc_idle idle;
	unsigned int id = rte_lcore_id();
	bool with_worker = app.n_lcores == 2;

	dtc_idle_init(&idle, app.o.idle_sleep_us);
	while (running()) {
		uint64_t now = dtc_copy_now_us();
		unsigned int work;

		if (with_worker && !app.offline)
			work = dtc_copy_rtc_poll(rx, app.workers[0], now);
		else if (with_worker)
			work = dtc_copy_offline_poll(&app.off, now) +
				dtc_copy_worker_poll(app.workers[0], now);
		else
			work = source_poll(rx, now);
		dtc_idle_update(&idle, work);
		app.idle_sleeps[id] = idle.sleeps;
	}
	__atomic_fetch_sub(&rx_left, 1, __ATOMIC_RELEASE);
	if (with_worker)
		dtc_copy_worker_close(app.workers[0], dtc_copy_now_us());
	return 0;
}

static int
lcore_worker(void *arg)
{
	struct dtc_copy_worker *w = arg;
	struct dtc_idle idle;
	unsigned int id = rte_lcore_id();

	dtc_idle_init(&idle, app.o.idle_sleep_us);
	while (running()) {
		uint64_t now = dtc_copy_now_us();

		dtc_idle_update(&idle, dtc_copy_worker_poll(w, now));
		app.idle_sleeps[id] = idle.sleeps;
	}
	/* nothing may arrive in the ring after we empty it for good */
	while (__atomic_load_n(&rx_left, __ATOMIC_ACQUIRE) != 0)
		rte_pause();
	dtc_copy_worker_close(w, dtc_copy_now_us());
	return 0;
}

static void
launch(void)
{
	unsigned int lcore, k = 0, n_rx = app.n_lcores == 2 ? 1 : app.n_rx;

	if (app.n_lcores == 1)
		return;
	__atomic_store_n(&rx_left, n_rx, __ATOMIC_RELEASE);
	RTE_LCORE_FOREACH_WORKER(lcore) {
		int rc;

		if (k < n_rx)
			rc = rte_eal_remote_launch(lcore_rx, &app.rx[k], lcore);
		else
			rc = rte_eal_remote_launch(lcore_worker, app.workers[k - n_rx], lcore);
		if (rc != 0)
			fail("cannot launch lcore %u: %s", lcore, strerror(-rc));
		k++;
	}
	COPY_LOG(INFO, "lcores: main %u (control), %u RX%s, %u worker(s)", rte_get_main_lcore(),
		n_rx, app.n_lcores == 2 ? " and worker" : "", app.n_workers);
}

/* Every worker idle: input rings empty and no live session. */
static bool
all_quiet(const struct dtc_copy_totals *t)
{
	uint16_t i;

	for (i = 0; i < app.n_workers; i++) {
		const struct dtc_copy_worker *w = app.workers[i];

		if ((w->seg_in != NULL && rte_ring_count(w->seg_in) != 0) ||
				rte_ring_count(w->resp_in) != 0)
			return false;
	}
	return t->sess.active == 0;
}

/* Offline replay: next pass or the end, once every session of this pass has ended. */
static bool
offline_check(const struct dtc_copy_totals *t, unsigned int *quiet)
{
	int st = dtc_copy_offline_state(&app.off);
	static bool reported;

	if (st == DTC_OFFLINE_RUN) {
		*quiet = 0;
		return false;
	}
	if (st == DTC_OFFLINE_ERROR && !reported) {
		reported = true;
		COPY_LOG(ERR, "%s; replayed what came before it, waiting for those sessions to end",
			app.off.err);
		fprintf(stderr, "dpdk-tcpcopy: %s\n", app.off.err);
		exit_status = EXIT_FILE;
	}
	*quiet = all_quiet(t) ? *quiet + 1 : 0;
	if (*quiet < 2)
		return false;
	*quiet = 0;
	if (st == DTC_OFFLINE_WAIT_PASS) {
		COPY_LOG(INFO, "pass %" PRIu64 " of %u done, every session ended", t->offline_passes,
			app.o.loops);
		dtc_copy_offline_request_next_pass(&app.off);
		return false;
	}
	COPY_LOG(INFO, "offline replay done: %" PRIu64 " packets, every copied session ended",
		t->offline_packets);
	return true;
}

static bool
intercepts_gone(uint64_t now)
{
	uint64_t down;

	if (app.ctl.client == NULL || app.o.lonely)
		return false;
	down = dtc_ctl_client_down_us(app.ctl.client, now + dtc_copy_epoch_us);
	if (down < (uint64_t)DTC_COPY_LONELY_GRACE_S * 1000000u)
		return false;
	COPY_LOG(ERR, "no intercept connected for %u s: exiting (-L keeps running)",
		DTC_COPY_LONELY_GRACE_S);
	exit_status = 1;
	return true;
}

static void
main_loop(void)
{
	struct dtc_copy_totals t, prev;
	uint64_t next_tel = 0, next_check = 0, next_stats, last_ctl = 0;
	unsigned int quiet = 0, id = rte_lcore_id();
	struct dtc_idle idle;
	char line[1024];

	dtc_idle_init(&idle, app.o.idle_sleep_us);
	memset(&prev, 0, sizeof(prev));
	prev.at_us = app.start_us;
	next_stats = app.start_us + (uint64_t)app.o.stats_interval_s * 1000000u;
	while (!dtc_force_quit) {
		uint64_t now = dtc_copy_now_us();
		unsigned int work = 0;

		if (app.n_lcores == 1) {
			work += source_poll(&app.rx[0], now);
			work += dtc_copy_worker_poll(app.workers[0], now);
		}
		/* Alone on one lcore, the control pass (an epoll_wait syscall with -s) runs when
		 * the data path is idle or every CTL_POLL_US, not on every busy iteration. */
		if (app.n_lcores > 1 || work == 0 || now - last_ctl >= CTL_POLL_US) {
			work += dtc_copy_ctl_poll(&app.ctl, now);
			last_ctl = now;
		}
		dtc_idle_update(&idle, work);
		app.idle_sleeps[id] = idle.sleeps;
		if (now < next_check)
			continue;
		next_check = now + CHECK_US;
		dtc_log_service();
		dtc_copy_totals(&app, &t);
		if (now >= next_tel) {
			dtc_copy_telemetry_publish(&t);
			next_tel = now + TELEMETRY_US;
		}
		if (app.o.stats_interval_s != 0 && now >= next_stats) {
			dtc_copy_cmp_collect(false, app.n_lcores == 1);
			dtc_copy_stats_line(&t, &prev, line, sizeof(line));
			dtc_copy_cmp_stats_field(line + strlen(line), sizeof(line) - strlen(line));
			COPY_LOG(INFO, "stats: %s", line);
			prev = t;
			next_stats = now + (uint64_t)app.o.stats_interval_s * 1000000u;
		}
		if (app.offline && offline_check(&t, &quiet))
			break;
		if (intercepts_gone(now))
			break;
	}
	if (dtc_force_quit)
		COPY_LOG(INFO, "signal received: stopping");
}

/* ------------------------------------------------------------------ */
/* Shutdown. */

static void
shutdown_all(void)
{
	struct dtc_copy_totals t;
	uint16_t i;

	__atomic_store_n(&phase, PHASE_STOP, __ATOMIC_RELEASE);
	if (app.n_lcores == 1) {
		__atomic_store_n(&rx_left, 0, __ATOMIC_RELEASE);
		dtc_copy_worker_close(app.workers[0], dtc_copy_now_us());
	} else {
		rte_eal_mp_wait_lcore();
	}
	/* the control frames the workers queued last (route deletes) are not needed any more */
	dtc_copy_ctl_poll(&app.ctl, dtc_copy_now_us());
	dtc_copy_totals(&app, &t);
	dtc_copy_telemetry_publish(&t);
	dtc_copy_stats_summary(&t, dtc_copy_now_us() - app.start_us);
	dtc_copy_cmp_collect(true, false);
	dtc_copy_cmp_summary();
	for (i = 0; app.n_rx > 1 && i < app.n_rx; i++)
		COPY_LOG(INFO, "  RX lcore %u: %" PRIu64 " frames from %u queue(s)", i,
			app.rx[i].frames, app.rx[i].n_ports);

	for (i = 0; i < app.n_ports; i++)
		dtc_copy_port_stop(app.ports[i]);
	rte_pdump_uninit();
	for (i = 0; i < app.n_workers; i++) {
		dtc_copy_worker_free(app.workers[i]);
		app.workers[i] = NULL;
	}
	dtc_copy_cmp_fini();
	dtc_ctl_client_free(app.ctl.client);
	app.ctl.client = NULL;
	rte_ring_free(app.ctl.ctl_in);
	for (i = 0; i < app.n_rx; i++) {
		dtc_front_free(app.rx[i].front);
		app.rx[i].front = NULL;
		dtc_copy_rx_fini(&app.rx[i]);
	}
	dtc_copy_ctl_fini(&app.ctl);
	if (app.offline)
		dtc_copy_offline_fini(&app.off);
	dtc_filter_free(app.filter);
	rte_mempool_free(app.mp);
}

int
main(int argc, char **argv)
{
	struct dtc_argv all, eal;
	const char *prog = argc > 0 ? argv[0] : "dpdk-tcpcopy";
	const char *ifaces[RTE_DIM(app.o.ifaces)];
	char afp_note[1024];
	char **eal_argv;
	int n_eal, rc;

	n_eal = dtc_copy_cmdline(argc, argv, &app.o, &all);
	/* daemon mode changes directory to /: keep the user's relative paths meaningful */
	app.o.log_file = abs_log = absolute(app.o.log_file);
	app.o.pid_file = abs_pid = absolute(app.o.pid_file);
	app.o.pcap_file = abs_pcap = absolute(app.o.pcap_file);
	if (app.o.daemon && (rc = dtc_daemonize()) != 0) {
		fprintf(stderr, "%s: cannot become a daemon: %s\n", prog, strerror(-rc));
		return 1;
	}
	if (app.o.log_file != NULL && (rc = dtc_log_open(app.o.log_file, 0)) != 0) {
		fprintf(stderr, "%s: cannot open log file %s: %s\n", prog, app.o.log_file,
			strerror(-rc));
		return 1;
	}
	/* af_packet vdevs get a ring sized for a mirror unless the user sized it; --iface
	 * becomes such a vdev */
	for (rc = 0; rc < (int)app.o.n_ifaces; rc++)
		ifaces[rc] = app.o.ifaces[rc];
	rc = dtc_eal_args_fixup(n_eal, all.argv, ifaces, app.o.n_ifaces, &eal, afp_note,
		sizeof(afp_note));
	if (rc != 0) {
		fprintf(stderr, "%s: EAL arguments: %s\n", prog, strerror(-rc));
		return 1;
	}
	n_eal = eal.argc;
	/* the EAL rewrites its argv (argv[optind - 1] = argv[0]): give it a copy of the
	 * pointers so that freeing the strings later stays exact */
	eal_argv = calloc((size_t)n_eal + 1, sizeof(*eal_argv));
	if (eal_argv == NULL) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	memcpy(eal_argv, eal.argv, sizeof(*eal_argv) * (size_t)n_eal);
	for (rc = 1; rc < n_eal; rc++)
		eal_legacy_mem |= strcmp(eal_argv[rc], "--legacy-mem") == 0;
	rc = rte_eal_init(n_eal, eal_argv);
	if (rc < 0) {
		fprintf(stderr, "%s: EAL initialisation failed: %s\n", prog,
			rte_strerror(rte_errno));
		return 1;
	}
	eal_up = true;
	dtc_signals_install();
	dtc_clock_init();
	dtc_copy_epoch_us = dtc_now_us();
	if (app.o.pid_file != NULL && (rc = dtc_pidfile_write(app.o.pid_file)) != 0)
		fail("cannot write pid file %s: %s", app.o.pid_file, strerror(-rc));
	if (afp_note[0] != '\0')
		COPY_LOG(INFO, "af_packet capture ring sized for a mirror (%u MiB; give framecnt= "
			"to choose): %s", DTC_AFP_RING_BYTES >> 20, afp_note);
	if (rte_pdump_init() != 0)
		COPY_LOG(WARNING, "packet capture (dpdk-dumpcap) unavailable: %s",
			rte_strerror(rte_errno));
	if (dtc_copy_telemetry_init() != 0 || dtc_copy_cmp_telemetry_init() != 0)
		COPY_LOG(WARNING, "telemetry commands could not be registered");

	setup(prog);
	connect_intercepts();
	app.start_us = dtc_copy_now_us();
	launch();
	main_loop();
	shutdown_all();

	dtc_pidfile_remove(app.o.pid_file);
	rte_eal_cleanup();
	dtc_log_close();
	dtc_argv_free(&all);
	dtc_argv_free(&eal);
	free(eal_argv);
	free(abs_log);
	free(abs_pid);
	free(abs_pcap);
	return exit_status;
}
