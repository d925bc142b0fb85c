/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The control channel between dpdk-tcpcopy and dpdk-intercept, version 1: byte-compatible
 * with tcpcopy 1.x / intercept 1.x (../../docs/protocol.md).  Encoders, strict incremental
 * decoders for both directions, and the decoded response record the session engine consumes.
 */

#ifndef DTC_CTL_H
#define DTC_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "dtc_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DTC_CTL_PORT 36524
#define DTC_V1_VERSION 6       /* "INTERNAL_VERSION" of the 1.x family */
#define DTC_V1_ROUTE_LEN 14    /* copier -> intercept message */
#define DTC_V1_REC_LEN 64      /* one response record */
#define DTC_V1_BATCH_MAX 16    /* records per batched frame */
#define DTC_V1_FRAME_MAX (2 + DTC_V1_BATCH_MAX * DTC_V1_REC_LEN)
#define DTC_V1_OPT_MAX 24      /* TCP option bytes carried per record */

#define DTC_V1_ROUTE_ADD 1
#define DTC_V1_ROUTE_DEL 2

/* copier -> intercept, 14 bytes, packed. */
struct dtc_v1_route {
	rte_be32_t client_ip;   /* network order: the rewritten client address */
	rte_be16_t client_port; /* network order */
	rte_be16_t type;        /* network order: DTC_V1_ROUTE_* or, first message, the version */
	rte_be32_t target_ip;   /* network order */
	rte_be16_t target_port; /* network order */
} __attribute__((packed));

_Static_assert(sizeof(struct dtc_v1_route) == DTC_V1_ROUTE_LEN, "v1 route is 14 bytes");

/*
 * A decoded response header: one segment the test server sent, as the engine needs it.
 * key.client = the segment's destination (our fake client), key.server = its source.
 */
struct dtc_resp {
	struct dtc_flow_key key;
	uint32_t seq;          /* host order */
	uint32_t ack;          /* host order */
	uint32_t tsval;        /* host order, valid when opt & DTC_RESP_TS */
	uint16_t win;          /* host order, unscaled */
	uint16_t payload_len;  /* from the IP length */
	uint16_t mss;          /* host order, 0 = absent (SYN-ACK) */
	uint8_t flags;         /* DTC_TCP_* */
	uint8_t wscale;        /* DTC_WSCALE_NONE = absent */
	uint8_t opt;           /* DTC_RESP_* */
	uint8_t pad[3];
};

#define DTC_RESP_TS 0x01      /* timestamp option present (tsval valid) */
#define DTC_RESP_SACK_OK 0x02 /* SACK-permitted present */

_Static_assert(sizeof(struct dtc_resp) == 64, "struct dtc_resp is one cache line");

/* Decode errors (returned negated). */
#define DTC_CTL_ERR_LIST(X) \
	X(COUNT, "batch count is 0 or above 16") \
	X(REC_IP, "record is not an IPv4 header (version/IHL)") \
	X(REC_TCP, "record TCP header invalid (data offset, protocol, length)") \
	X(ROUTE_TYPE, "route message type unknown") \
	X(VERSION, "version message expected first")

enum dtc_ctl_err {
	DTC_CTL_OK = 0,
#define DTC_CTL_ENUM(n, s) DTC_CTL_ERR_##n,
	DTC_CTL_ERR_LIST(DTC_CTL_ENUM)
#undef DTC_CTL_ENUM
	DTC_CTL_ERR_MAX
};

const char *dtc_ctl_strerror(int err);

/* ---- encoding ---- */

/* The version message every connection starts with: all zero except type. */
void dtc_v1_version_encode(uint8_t out[DTC_V1_ROUTE_LEN], uint16_t version);
/* A route add/delete for an IPv4 key (-EAFNOSUPPORT for IPv6 keys). */
int dtc_v1_route_encode(uint8_t out[DTC_V1_ROUTE_LEN], const struct dtc_flow_key *k,
	uint16_t type);
/*
 * Build a 64-byte record from a captured IPv4 TCP segment: the first 20 bytes of the IP header
 * verbatim, the 20-byte TCP header verbatim, up to 24 option bytes, zero padded.  l3 points at
 * the IP header, l3_len bytes are available.  -EINVAL when not IPv4/TCP or too short, or when
 * tot_len is below IHL*4 + data offset*4.
 * IP options are not carried: a header with IHL > 5 is written with IHL 5 and tot_len reduced
 * by the option bytes (header checksum recomputed), so that a 1.x tcpcopy, which looks for the
 * TCP header at IHL*4, parses the record right and derives the same payload length.
 */
int dtc_v1_rec_encode(uint8_t out[DTC_V1_REC_LEN], const uint8_t *l3, uint32_t l3_len);
/* The same from a parsed mbuf (headers may span segments). */
int dtc_v1_rec_encode_mbuf(uint8_t out[DTC_V1_REC_LEN], const struct rte_mbuf *m,
	const struct dtc_pkt_info *pi);

/* ---- decoding ---- */

/* One record into a struct dtc_resp (strict: version 4, IHL >= 5, protocol TCP,
 * data offset 5..15, tot_len >= IHL*4 + doff*4, options walked within the 24 carried).
 * The TCP header is at byte 20 whatever the IHL (1.x intercepts copy IHL > 5 verbatim);
 * payload_len = tot_len - IHL*4 - doff*4.  A malformed option is an error only when the whole
 * option block was carried (doff*4 - 20 <= 24); a cut block yields the options before the cut.
 * Returns 0, -DTC_CTL_ERR_REC_IP or -DTC_CTL_ERR_REC_TCP. */
int dtc_v1_rec_decode(const uint8_t rec[DTC_V1_REC_LEN], struct dtc_resp *r);
/* A captured segment (parsed) into a struct dtc_resp: the two-host path, IPv4 and IPv6. */
int dtc_resp_from_pkt(const struct dtc_pkt_info *pi, struct dtc_resp *r);

/*
 * Incremental decoder of the intercept -> copier byte stream (batched frames).  Feed any
 * number of bytes; each complete record is decoded and passed to cb (may be NULL).  Returns 0,
 * or a negative DTC_CTL_ERR_xxx after which the stream is unusable (close the connection);
 * the error is sticky.  Whole frames in the caller's buffer are decoded in place, without a
 * copy; only a frame split across calls is assembled in buf.
 * A record that is well framed but fails dtc_v1_rec_decode is counted in bad_records and
 * skipped; the frame boundary is kept.
 */
typedef void (*dtc_v1_rec_cb)(void *arg, const struct dtc_resp *r, const uint8_t *raw);

struct dtc_v1_rec_rx {
	uint8_t buf[DTC_V1_FRAME_MAX];
	uint32_t have;         /* bytes of the current frame in buf */
	uint32_t need;         /* bytes of the current frame (0 = count not known yet) */
	int32_t err;           /* sticky: 0, or the error that ended the stream */
	uint64_t frames;
	uint64_t records;
	uint64_t bad_records;
};

void dtc_v1_rec_rx_init(struct dtc_v1_rec_rx *rx);
int dtc_v1_rec_rx_feed(struct dtc_v1_rec_rx *rx, const uint8_t *data, size_t len,
	dtc_v1_rec_cb cb, void *arg);

/*
 * Incremental decoder of the copier -> intercept byte stream: the version message first,
 * then 14-byte route messages.  cb gets each route (type DTC_V1_ROUTE_ADD or _DEL) as an IPv4
 * flow key.  A first message that is not a version message (non-zero addresses) is accepted as
 * 1.x does ("client too old": ignored, logged by the caller through the version callback with
 * version 0).  Returns 0 or a negative DTC_CTL_ERR_xxx (unknown type: close the connection).
 * Exactly as a 1.x intercept: the first 8 bytes are examined alone; when the address or port
 * in them is non-zero only those 8 bytes are dropped and 14-byte messages start right after.
 * The version is reported, not judged (a mismatch is the caller's call; DTC_CTL_ERR_VERSION is
 * for callers that insist).  cb and vcb may be NULL.  Errors are sticky.
 */
typedef void (*dtc_v1_route_cb)(void *arg, const struct dtc_flow_key *k, uint16_t type);
typedef void (*dtc_v1_version_cb)(void *arg, uint16_t version);

struct dtc_v1_route_rx {
	uint8_t buf[DTC_V1_ROUTE_LEN];
	uint32_t have;
	uint8_t got_version;
	uint16_t version;
	int32_t err;           /* sticky: 0, or the error that ended the stream */
	uint64_t routes;
};

void dtc_v1_route_rx_init(struct dtc_v1_route_rx *rx);
int dtc_v1_route_rx_feed(struct dtc_v1_route_rx *rx, const uint8_t *data, size_t len,
	dtc_v1_route_cb cb, dtc_v1_version_cb vcb, void *arg);

/* A batched frame writer: add records, then take the bytes. */
struct dtc_v1_batch {
	uint8_t buf[DTC_V1_FRAME_MAX];
	uint16_t count;
};

static inline void
dtc_v1_batch_reset(struct dtc_v1_batch *b)
{
	b->count = 0;
}

/* Append one record; returns the new count (DTC_V1_BATCH_MAX means full: flush it), or 0
 * (record not added) when called on a full batch. */
uint16_t dtc_v1_batch_add(struct dtc_v1_batch *b, const uint8_t rec[DTC_V1_REC_LEN]);
/* Write the count and return the frame length (0 when empty). */
size_t dtc_v1_batch_finish(struct dtc_v1_batch *b);

#ifdef __cplusplus
}
#endif

#endif /* DTC_CTL_H */
