/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The data path of dpdk-tcpcopy: the RX role (parse, -F, the session front, dispatch to the
 * owning worker), the worker role (engine, TX on its own queue), the control role on the main
 * lcore (routes out, response records in, ARP, responder, two-host responses), the offline
 * source, stats and the -m memory plan.  main.c only wires them; the benchmark and the tests
 * drive the same functions.
 *
 * Every role is a struct with a poll function that does one bounded pass and returns the
 * amount of work done (for adaptive idle polling).  Roles on different lcores talk only through
 * lock-free rings, single-producer/single-consumer but for the worker input rings (and the
 * diverted-frame ring) that several RX lcores share with --rx-lcores; counters are plain 64-bit fields written by the owning
 * lcore and read by the main lcore or the telemetry thread.
 */

#ifndef DTC_COPY_DP_H
#define DTC_COPY_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "dtc_app.h"
#include "dtc_capture.h"
#include "dtc_ctl.h"
#include "dtc_proto.h"
#include "dtc_session.h"
#include "copy.h"
#include "pcap_reader.h"

/*
 * The data path's clock: dtc_now_us() minus an epoch taken at start, so that every time the
 * engines and the ARP resolver see starts near zero (the TSC of a VM can count from the
 * host's boot, and the engines keep time in 32-bit ticks).  The control client keeps its own
 * clock (plain dtc_now_us()).
 */
extern uint64_t dtc_copy_epoch_us;

static inline uint64_t
dtc_copy_now_us(void)
{
	return dtc_now_us() - dtc_copy_epoch_us;
}

#define DTC_COPY_BURST 32
#define DTC_COPY_NB_RXD 1024
#define DTC_COPY_NB_TXD 1024
#define DTC_COPY_MP_CACHE 256
#define DTC_COPY_SEG_RING 4096       /* client mbufs, RX -> worker */
#define DTC_COPY_RESP_RING 8192      /* struct dtc_resp, main -> worker */
#define DTC_COPY_ROUTE_RING 4096     /* struct dtc_copy_route, worker -> main */
#define DTC_COPY_CTL_RING 1024       /* diverted frames, RX -> main; frames main -> worker 0 */
#define DTC_COPY_MAX_RXQ 32          /* (port, RX queue) pairs the RX role polls */

/*
 * Frames dropped by the copier itself, before or beside the session front and engines (whose
 * drops are DTC_SESS_DROP_*).  Each frame is counted once.
 */
#define DTC_COPY_DROP_LIST(X) \
	X(parse_error, "captured frame failed to parse (by reason in parse_errors)") \
	X(not_tcp, "captured frame is not an IPv4/IPv6 TCP segment") \
	X(filtered, "rejected by the -F filter") \
	X(ring_full, "worker input ring full") \
	X(ctl_ring_full, "control ring full (ARP/ICMP/response from a shared RX port)") \
	X(snapped, "offline: packet cut by the capture snaplen") \
	X(too_big, "offline: packet longer than the mbuf chain allows") \
	X(no_mbuf, "offline: mbuf pool empty") \
	X(resp_ring_full, "response record ring of a worker full") \
	X(resp_not_target, "TCP segment on the response/TX port not sent by a target") \
	X(resp_bad, "response segment could not be turned into a record") \
	X(port_other, "diverted frame from a port the control lcore does not serve") \
	X(ctl_tx_full, "ARP/ICMP frame of the control lcore not taken by the TX queue")

enum dtc_copy_drop {
#define DTC_X_ENUM(n, s) DTC_COPY_DROP_##n,
	DTC_COPY_DROP_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_COPY_DROP_MAX
};

const char *dtc_copy_drop_name(unsigned int i);
const char *dtc_copy_drop_desc(unsigned int i);

/* What a session still active at shutdown was waiting for (the exit summary lists them). */
#define DTC_COPY_WAIT_LIST(X) \
	X(handshake, "SYN sent, no SYN-ACK from the test server yet") \
	X(closing, "our FIN sent, the test server has not finished the close") \
	X(server_closed, "the test server closed; the client's FIN not captured yet") \
	X(unacked, "data sent, the test server has not acknowledged all of it") \
	X(queued, "client segments queued: the answer they wait for, or a capture hole") \
	X(idle, "nothing queued or unacknowledged (a connection between requests)")

enum dtc_copy_wait {
#define DTC_X_ENUM(n, s) DTC_COPY_WAIT_##n,
	DTC_COPY_WAIT_LIST(DTC_X_ENUM)
#undef DTC_X_ENUM
	DTC_COPY_WAIT_MAX
};

const char *dtc_copy_wait_name(unsigned int i);
const char *dtc_copy_wait_desc(unsigned int i);

/* ------------------------------------------------------------------ */
/* Worker: one session engine, its rings and its TX queue. */

struct dtc_copy_worker {
	struct dtc_sess_engine *eng;
	struct rte_ring *seg_in;     /* client mbufs from the RX lcore (NULL: fed directly) */
	struct rte_ring *resp_in;    /* struct dtc_resp records from the main lcore */
	struct rte_ring *route_out;  /* struct dtc_copy_route to the main lcore (NULL: no -s) */
	struct rte_ring *ctl_tx;     /* frames the main lcore asks us to send (NULL: it has its
				      * own TX queue) */
	const uint32_t *intercepts_up; /* published by the main lcore (atomic loads) */
	uint16_t id;
	uint16_t tx_port;
	uint16_t tx_queue;
	/* counters (this worker's lcore writes them) */
	uint64_t polls;
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t route_no_intercept;  /* route asked while no intercept was up */
	uint64_t route_ring_full;
	uint64_t ctl_tx_pkts;
	uint64_t ctl_tx_drops;
	/* the sessions still active when dtc_copy_worker_close ended them, by what they waited for */
	uint64_t waiting[DTC_COPY_WAIT_MAX];
} __rte_cache_aligned;

/* What dtc_copy_worker_create gives a worker besides its engine and response ring. */
#define DTC_COPY_W_SEG_RING 0x1     /* its RX role runs on another lcore */
#define DTC_COPY_W_ROUTE_RING 0x2   /* intercepts (-s): route registrations to the main lcore */
#define DTC_COPY_W_CTL_TX 0x4       /* it transmits the control lcore's frames */
#define DTC_COPY_W_SEG_MP 0x8       /* several RX lcores feed it (--rx-lcores) */

/*
 * A worker with its rings and engine: conf is the engine template (mp, limits, maps...); tx
 * and route callbacks are set to this worker's.  NULL with rte_errno on failure.  The
 * benchmark builds its workers with this too.
 */
struct dtc_copy_worker *dtc_copy_worker_create(const struct dtc_sess_conf *conf, uint16_t id,
	uint16_t tx_port, uint16_t tx_queue, unsigned int flags, const uint32_t *intercepts_up);
void dtc_copy_worker_free(struct dtc_copy_worker *w);

/* The engine's callbacks (conf.tx/route with arg = the worker). */
uint16_t dtc_copy_worker_tx(void *arg, struct rte_mbuf **pkts, uint16_t n);
int dtc_copy_worker_route(void *arg, const struct dtc_flow_key *k, uint16_t op);

/* One pass: drain the input rings into the engine, run its timers, flush its TX. */
unsigned int dtc_copy_worker_poll(struct dtc_copy_worker *w, uint64_t now_us);
/* Shutdown on the worker's lcore: drain what is queued, end every session with a RST, flush. */
void dtc_copy_worker_close(struct dtc_copy_worker *w, uint64_t now_us);

/* ------------------------------------------------------------------ */
/* RX: captured frames -> parse -> divert (ARP/ICMP/responses of a shared port) -> -F ->
 * front -> dispatch to the owning worker. */

struct dtc_copy_rx_port {
	uint16_t port;
	uint16_t queue;
	bool divert;                 /* also the TX or response port: see dtc_copy_rx_burst */
};

struct dtc_copy_rx {
	struct dtc_front *front;
	const struct dtc_filter *filter;   /* -F for this source's link type, NULL = none */
	struct dtc_copy_worker **workers;
	uint16_t n_workers;
	bool direct;                 /* one worker on this lcore: call its engine directly */
	struct rte_ring *ctl_in;     /* diverted frames to the main lcore */
	/* what a divert port hands to the control lcore */
	rte_be32_t tx_ip;            /* ICMP echo to this address (0 = none) */
	bool divert_responses;       /* TCP from a target endpoint (two-host mode) */
	const struct dtc_xfer *xfer;
	unsigned int n_xfer;
	struct dtc_copy_rx_port ports[DTC_COPY_MAX_RXQ];   /* one per (port, queue) polled */
	uint16_t n_ports;
	uint16_t next_port;
	/* per-call scratch, sized at creation */
	struct rte_mbuf **rep;       /* front output (multiply entries) */
	uint16_t *rep_worker;
	struct rte_mbuf **stage;     /* n_workers x DTC_COPY_BURST staged segments */
	uint16_t *n_stage;
	/* counters */
	uint64_t frames;
	uint64_t bytes;
	uint64_t diverted;
	uint64_t drop[DTC_COPY_DROP_MAX];
	uint64_t perr[DTC_PERR_MAX];
} __rte_cache_aligned;

/* Allocate the scratch arrays (multiply = -n). 0 or -ENOMEM. */
int dtc_copy_rx_init(struct dtc_copy_rx *rx, uint16_t n_workers, unsigned int multiply,
	int socket);
void dtc_copy_rx_fini(struct dtc_copy_rx *rx);
/*
 * Process a burst of frames of one source (link type, divert flag).  Takes every mbuf.
 * Returns the number of segments handed to workers.
 */
unsigned int dtc_copy_rx_burst(struct dtc_copy_rx *rx, struct rte_mbuf **pkts, uint16_t n,
	enum dtc_link link, bool divert, uint64_t now_us);
/* One pass over the RX ports (one burst from each, round-robin start). */
unsigned int dtc_copy_rx_poll(struct dtc_copy_rx *rx, uint64_t now_us);

/*
 * Run to completion on one lcore (RX, front and the one worker's engine, as with 1 or 2
 * lcores; rx->direct must be set): RX burst -> parse -> -F -> front -> engine, then the
 * engine's timers and TX burst.  The benchmark drives exactly this.
 */
static inline unsigned int
dtc_copy_rtc_poll(struct dtc_copy_rx *rx, struct dtc_copy_worker *w, uint64_t now_us)
{
	unsigned int work = dtc_copy_rx_poll(rx, now_us);

	return work + dtc_copy_worker_poll(w, now_us);
}

/* ------------------------------------------------------------------ */
/* Offline source (-i): the file paced by its timestamps into dtc_copy_rx_burst. */

struct dtc_copy_offline {
	struct dtc_pcap_reader *rd;
	struct dtc_pace pace;
	struct rte_mempool *mp;
	struct dtc_copy_rx *rx;
	double speed;
	uint32_t gap_ms;
	uint32_t loops_left;         /* passes still to start after the current one */
	uint64_t start_us;           /* wall clock of the current pass's first packet */
	uint64_t pending_due_us;
	bool have_pending;           /* a frame read but not due yet (data valid until the next
				      * read) */
	bool pass_started;
	bool arp_done;               /* the targets' MACs are known (or the wait is over) */
	uint64_t arp_wait_end_us;    /* the first pass waits for them until then */
	const struct dtc_xfer *xfer; /* the -x maps (dst_mac read live) */
	unsigned int n_xfer;
	struct dtc_pcap_frame pending;
	int state;                   /* DTC_OFFLINE_*, atomic: read by the main lcore */
	bool next_pass;              /* atomic: the main lcore asks for the next -T pass */
	char err[512];               /* the file error (state ERROR) */
	/* counters */
	uint64_t packets;            /* frames read from the file, all passes */
	uint64_t passes;             /* passes finished */
	uint64_t arp_wait_us;        /* how long the first pass waited for ARP */
};

#define DTC_OFFLINE_ARP_WAIT_US 3000000ull /* longest wait for the targets' MACs */

enum {
	DTC_OFFLINE_RUN = 0,
	DTC_OFFLINE_WAIT_PASS,       /* pass done, waiting for sessions to end before the next */
	DTC_OFFLINE_DONE,            /* every pass done */
	DTC_OFFLINE_ERROR,           /* stopped at a truncated/corrupt packet (err says which) */
};

/* Open -i (the reader is the caller's: opened first, to compile -F for its link type). */
void dtc_copy_offline_init(struct dtc_copy_offline *off, struct dtc_pcap_reader *rd,
	const struct dtc_copy_opts *o, struct rte_mempool *mp, struct dtc_copy_rx *rx);
void dtc_copy_offline_fini(struct dtc_copy_offline *off);
/* One pass on the RX lcore: convert and hand over every frame that is due (bounded). */
unsigned int dtc_copy_offline_poll(struct dtc_copy_offline *off, uint64_t now_us);
/* The main lcore's view and request (the reader lives on the RX lcore). */
int dtc_copy_offline_state(const struct dtc_copy_offline *off);
void dtc_copy_offline_request_next_pass(struct dtc_copy_offline *off);
/* Copy a frame into a (possibly chained) mbuf; NULL with *why set when it cannot. */
struct rte_mbuf *dtc_copy_frame_to_mbuf(struct rte_mempool *mp, const uint8_t *data,
	uint32_t len, enum dtc_copy_drop *why);

/* ------------------------------------------------------------------ */
/* Control role (main lcore). */

struct dtc_copy_ctl_port {
	uint16_t port;
	uint16_t txq;                /* our TX queue on it */
	uint16_t n_rxq;              /* RX queues to poll (see dtc_copy_port_rxq) */
	bool poll;                   /* we read its RX queue (false: it is an RX port: the RX
				      * lcore diverts its control frames to us) */
	bool via_worker;             /* our frames go through worker 0's ctl_tx ring */
	bool is_tx;
	bool is_response;
	struct dtc_responder resp;
	struct dtc_capture cap;
};

struct dtc_copy_ctl {
	struct dtc_ctl_client *client;      /* NULL: no -s intercept */
	struct dtc_copy_worker **workers;
	uint16_t n_workers;
	uint32_t seed;                      /* the session conf seed (owner hash) */
	struct rte_ring *ctl_in;            /* diverted frames from the RX lcore */
	struct dtc_copy_ctl_port ports[2];  /* TX port, response port (if different) */
	uint16_t n_ports;
	struct rte_mempool *mp;
	struct dtc_xfer *xfer;              /* dst_mac written here */
	unsigned int n_xfer;
	struct dtc_arp arp;
	int arp_idx[DTC_XFER_MAX];          /* ARP entry of each map, -1 = "@MAC" or none */
	uint32_t intercepts_up;             /* published for the workers */
	uint64_t next_arp_us;
	/* per-worker staging of response records */
	struct dtc_resp *stage;             /* n_workers x DTC_COPY_BURST */
	uint16_t *n_stage;
	/* counters */
	uint64_t routes;                    /* route messages drained from the workers */
	uint64_t routes_failed;             /* refused by the control client */
	uint64_t resp_records;              /* records handed to workers */
	uint64_t ctl_frames;                /* frames received on the TX/response ports */
	uint64_t arp_requests;
	uint64_t drop[DTC_COPY_DROP_MAX];
};

int dtc_copy_ctl_init(struct dtc_copy_ctl *c, uint16_t n_workers, int socket);
void dtc_copy_ctl_fini(struct dtc_copy_ctl *c);
/* Response record from the control client or the response port: to the owner's ring. */
void dtc_copy_ctl_resp(void *arg, const struct dtc_resp *r);
/* Which worker owns a response record (the same hash the front uses for segments). */
uint16_t dtc_copy_resp_owner(const struct dtc_resp *r, uint32_t seed, uint16_t n_workers);
/* One pass: routes out, control client, port input, ARP. */
unsigned int dtc_copy_ctl_poll(struct dtc_copy_ctl *c, uint64_t now_us);
/* Triage received frames of one of our ports (or diverted from an RX lcore); takes them. */
void dtc_copy_ctl_input(struct dtc_copy_ctl *c, struct dtc_copy_ctl_port *p,
	struct rte_mbuf **pkts, uint16_t n, uint64_t now_us);

/* ------------------------------------------------------------------ */
/* Ports. */

struct dtc_copy_port_conf {
	uint16_t port;
	uint16_t n_txq;              /* may be 0 for a mirror-only port */
	bool promisc;                /* mirror port */
	bool ctl_txq;                /* one of the TX queues is the control lcore's (messages) */
	uint16_t n_rxq;              /* RX queues (dtc_copy_port_rxq); more than 1: RSS */
};

uint16_t dtc_copy_port_max_txq(uint16_t port);
/*
 * RX queues a port is given: want (one per RX lcore on a mirror port, else 1), except for
 * devices whose queue count is fixed when they are created and that spread frames over all of
 * them (net_af_packet with qpairs=N fans out by flow): then every queue, or frames would be
 * lost.
 */
uint16_t dtc_copy_port_rxq(uint16_t port, uint16_t want);
/* Configure (n_rxq RX queues spread by RSS on the IP addresses and TCP ports, n_txq TX
 * queues) and start; *tx_offloads = the checksum offloads
 * the port has.  0 or -errno with a message in err. */
int dtc_copy_port_start(const struct dtc_copy_port_conf *pc, struct rte_mempool *mp,
	uint64_t *tx_offloads, char *err, size_t errlen);
void dtc_copy_port_stop(uint16_t port);

/* ------------------------------------------------------------------ */
/* Memory plan (-m). */

struct dtc_copy_plan {
	uint64_t budget;             /* -m in bytes */
	uint32_t mbuf_size;          /* bytes per mbuf in the pool (object + header + priv) */
	uint32_t n_mbufs;
	uint32_t fixed_mbufs;        /* descriptors, caches, rings: never available to sessions */
	uint32_t max_sessions;       /* per worker */
	uint32_t max_seg_total;      /* buffered segments per worker */
	uint32_t max_seg_per_sess;
	uint64_t mbuf_bytes;
	uint64_t engine_bytes;       /* all workers */
	uint64_t ring_bytes;
};

/*
 * Size everything from -m: conf is the engine configuration template (its max_* fields are
 * set here).  n_tx_desc counts every TX descriptor of every queue, n_rx_desc every RX one.
 * 0, or -ENOSPC with the minimum in err when the budget cannot hold the fixed part.
 */
int dtc_copy_plan_make(struct dtc_copy_plan *p, uint64_t max_memory_mb, uint16_t n_workers,
	uint32_t n_rx_desc, uint32_t n_tx_desc, unsigned int n_lcores,
	struct dtc_sess_conf *conf, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Stats (main lcore) and telemetry. */

struct dtc_copy_totals {
	uint64_t at_us;
	uint64_t captured;           /* frames from RX ports or the file */
	uint64_t captured_bytes;
	struct dtc_front_stats front;
	struct dtc_sess_stats sess;
	uint64_t drop[DTC_COPY_DROP_MAX];
	uint64_t perr[DTC_PERR_MAX];
	uint64_t waiting[DTC_COPY_WAIT_MAX]; /* at shutdown: see struct dtc_copy_worker */
	uint64_t tx_pkts, tx_bytes;
	uint64_t routes, routes_failed, route_no_intercept, route_ring_full;
	uint64_t resp_records;
	uint64_t arp_requests, arp_replies, icmp_replies, arp_learned;
	struct dtc_ctl_client_stats ctl;
	bool have_ctl;
	uint64_t offline_packets, offline_passes;
	uint64_t idle_sleeps;
	/* Frames the capture ports (mirror, response) lost before we could read them, as
	 * their PMDs count them: RX ring full, no mbuf, bad frames. */
	uint64_t port_imissed, port_rx_nombuf, port_ierrors;
	/* ... and what the kernel's af_packet rings dropped, full (PACKET_STATISTICS). */
	uint64_t port_kernel_drops;
	/* The same per capture port, for /dtc/copy/ports. */
	struct dtc_copy_port_loss {
		uint16_t port;
		bool af_packet;
		uint64_t ipackets, imissed, rx_nombuf, ierrors, kernel_drops, kernel_packets;
	} ports[DTC_COPY_MAX_RX_PORTS + 1];
	unsigned int n_ports;
	/* The mbuf pool: its size, and the mbufs out of it (not in its ring or an lcore cache). */
	uint64_t mbufs, mbufs_in_use;
};

/* The whole application (main.c builds it; stats and telemetry read it). */
struct dtc_copy_app {
	struct dtc_copy_opts o;
	struct rte_mempool *mp;
	struct dtc_sess_conf sconf;
	struct dtc_copy_plan plan;
	unsigned int n_lcores;
	uint16_t n_workers;
	struct dtc_copy_worker *workers[RTE_MAX_LCORE];
	struct dtc_copy_rx rx[DTC_COPY_MAX_RX_LCORES];   /* one per RX lcore (--rx-lcores) */
	unsigned int n_rx;
	struct dtc_copy_ctl ctl;
	struct dtc_copy_offline off;
	bool offline;
	struct dtc_filter *filter;
	uint16_t tx_port;
	int response_port;
	uint16_t ports[DTC_COPY_MAX_RX_PORTS + 2];   /* every port started */
	uint16_t n_ports;
	uint64_t start_us;
	uint64_t idle_sleeps[RTE_MAX_LCORE];          /* per lcore, written by that lcore */
};

/* Gather every counter (main lcore). */
void dtc_copy_totals(const struct dtc_copy_app *a, struct dtc_copy_totals *t);
/* One stats line: totals and rates since prev (prev may be NULL). */
void dtc_copy_stats_line(const struct dtc_copy_totals *t, const struct dtc_copy_totals *prev,
	char *buf, size_t len);
/* The final summary, several lines, to the log. */
void dtc_copy_stats_summary(const struct dtc_copy_totals *t, uint64_t elapsed_us);
/* Register /dtc/copy/... telemetry commands (they read the snapshot published below). */
int dtc_copy_telemetry_init(void);
/* The copier is ready (capturing, and connected with -s) ms after launch: "ready" 1 and
 * "ready_ms" in /dtc/copy/stats from now on. */
void dtc_copy_telemetry_ready(uint64_t ms);
/* Publish a snapshot for telemetry (main lcore, a few times a second). */
void dtc_copy_telemetry_publish(const struct dtc_copy_totals *t);

#endif /* DTC_COPY_DP_H */
