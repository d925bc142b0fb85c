/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * dpdk-tcpcopy internals shared between its files: the parsed options (args.c), the control
 * channel client (control.c), and the data path (main.c, rx.c, worker.c, offline.c, stats.c).
 */

#ifndef DTC_COPY_H
#define DTC_COPY_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "dtc_proto.h"
#include "dtc_ctl.h"
#include "dtc_session.h"

extern int dtc_copy_logtype;
#define COPY_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, dtc_copy_logtype, "dtc.copy: " fmt "\n", ##__VA_ARGS__)

#define DTC_COPY_MAX_INTERCEPTS 32
#define DTC_COPY_MAX_CONNS 16       /* -C upper bound */
#define DTC_COPY_MAX_RX_PORTS 8

struct dtc_intercept_addr {
	uint8_t family;              /* 4 or 6 */
	union dtc_addr addr;         /* network order */
	uint16_t port;               /* host order */
};

/* Everything the command line (and --config) says.  Filled by dtc_copy_args_parse(). */
struct dtc_copy_opts {
	/* what to copy */
	struct dtc_xfer xfer[DTC_XFER_MAX];  /* -x */
	unsigned int n_xfer;
	struct dtc_pool pool;                /* -c; empty = keep client addresses */
	bool have_pool;
	/* intercepts */
	struct dtc_intercept_addr intercept[DTC_COPY_MAX_INTERCEPTS]; /* -s */
	unsigned int n_intercept;
	uint16_t intercept_port;             /* -p (36524) */
	unsigned int conns_per_intercept;    /* -C (2) */
	/* session behaviour */
	unsigned int multiply;               /* -n (1) */
	unsigned int port_offset;            /* -f (0) */
	unsigned int sample_pct;             /* -r (0 = all) */
	bool gradual;                        /* -g */
	bool full_sessions_only;             /* -O */
	bool no_wait;                        /* -W */
	bool lonely;                         /* -L */
	uint32_t session_timeout_s;          /* -t (120) */
	uint32_t keepalive_timeout_s;        /* -k (t + 120) */
	uint16_t mtu;                        /* -M (1500) */
	uint16_t mss;                        /* -D (1460) */
	uint32_t rtt_ms;                     /* -R (0 = measure) */
	uint64_t max_memory_mb;              /* -m (1024) */
	/* offline replay */
	const char *pcap_file;               /* -i */
	double speed;                        /* -a (1) */
	uint32_t gap_ms;                     /* -I (0 = off) */
	uint32_t loops;                      /* -T (1) */
	/* capture filter */
	const char *filter;                  /* -F */
	/* process */
	const char *log_file;                /* -l */
	const char *pid_file;                /* -P */
	bool daemon;                         /* -d */
	const char *config_file;             /* --config (already expanded into argv) */
	/* DPDK specifics */
	uint16_t rx_ports[DTC_COPY_MAX_RX_PORTS]; /* --rx-port (0) */
	unsigned int n_rx_ports;
	int tx_port;                         /* --tx-port (-1 = default: 1 if 2+ ports, else 0) */
	bool have_tx_ip;
	rte_be32_t tx_ip;                    /* --tx-ip, network order */
	int response_port;                   /* --response-port (-1 = none: intercept mode) */
	uint32_t stats_interval_s;           /* --stats-interval (0 = off) */
	uint32_t idle_sleep_us;              /* --idle-sleep (0 = busy polling) */
};

/*
 * Parse the application arguments (the part after "--", argv[0] = program name).  Invalid
 * input prints "<prog>: invalid value '<v>' for option <opt>: <why>" and exits with status 2
 * before any port is touched; -h prints the help and exits 0; -v the version.  Contradictions
 * (e.g. neither -s nor --response-port nor -i... see args.c) are errors too.
 */
void dtc_copy_args_parse(int argc, char **argv, struct dtc_copy_opts *o);
/* The help text (also used by the docs test that checks every option is documented). */
void dtc_copy_usage(const char *prog);

/* ------------------------------------------------------------------ */
/* Control channel client (main lcore only; control.c). */

struct dtc_ctl_client;

/* Route registrations from workers to the main lcore travel through one SP/SC ring per worker
 * (elements are struct dtc_copy_route). */
struct dtc_copy_route {
	struct dtc_flow_key key;
	uint16_t op;                         /* DTC_V1_ROUTE_ADD / _DEL */
	uint16_t pad[3];
};

/* Response records go to a worker by this callback (it enqueues to the owner's ring). */
typedef void (*dtc_copy_resp_fn)(void *arg, const struct dtc_resp *r);

struct dtc_ctl_client *dtc_ctl_client_create(const struct dtc_copy_opts *o,
	dtc_copy_resp_fn resp, void *resp_arg);
void dtc_ctl_client_free(struct dtc_ctl_client *c);
/* Connect to every intercept (-C connections each), non-blocking; returns the number of
 * intercepts with at least one connection up after waiting up to timeout_ms. */
int dtc_ctl_client_connect(struct dtc_ctl_client *c, uint32_t timeout_ms);
/* Queue a route message to one connection of EVERY intercept (round-robin over its
 * connections).  0, or -ENOTCONN when no intercept is connected, -ENOBUFS when full. */
int dtc_ctl_client_route(struct dtc_ctl_client *c, const struct dtc_copy_route *r);
/* One non-blocking service pass: epoll with zero timeout, send queued bytes, read and decode
 * records (calling resp), reconnect with backoff.  Returns the amount of work done. */
unsigned int dtc_ctl_client_poll(struct dtc_ctl_client *c, uint64_t now_us);
/* Intercepts with at least one live connection. */
unsigned int dtc_ctl_client_up(const struct dtc_ctl_client *c);

struct dtc_ctl_client_stats {
	uint64_t connects, disconnects, connect_failures;
	uint64_t routes_sent, routes_dropped;        /* dropped: no connection / buffer full */
	uint64_t records, bad_records, bad_frames;
	uint64_t bytes_in, bytes_out;
	unsigned int intercepts_up, conns_up;
};

void dtc_ctl_client_stats(const struct dtc_ctl_client *c, struct dtc_ctl_client_stats *s);

#endif /* DTC_COPY_H */
