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

#include <stdbool.h>
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
	X(VERSION, "version message expected first") \
	X(V2_PREAMBLE, "v2 answer does not start with two zero bytes") \
	X(V2_TYPE, "v2 message type unknown or not allowed in this direction") \
	X(V2_LEN, "v2 message length invalid for its type") \
	X(V2_HELLO, "v2 HELLO invalid (magic, version)") \
	X(V2_KEY, "v2 route key invalid (family, padding)") \
	X(V2_RECORDS, "v2 RECORDS body invalid (count, record lengths)")

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

/* ================================================================== */
/* Version 2 (docs/protocol.md section 3): negotiated with a version-1 version message. */

#define DTC_V2_VERSION 0x4402     /* type of the copier's version message: "D" 2 */
#define DTC_V2_HDR_LEN 4          /* type, flags, big-endian body length */
#define DTC_V2_BODY_MAX 4096
#define DTC_V2_MSG_MAX (DTC_V2_HDR_LEN + DTC_V2_BODY_MAX)
#define DTC_V2_HELLO_LEN 44
#define DTC_V2_NONCE_LEN 16
#define DTC_V2_NAME_LEN 16
#define DTC_V2_MAC_LEN 32         /* HMAC-SHA256 */
#define DTC_V2_KEY_LEN 40         /* a flow key on the wire */
#define DTC_V2_HB_LEN 32
#define DTC_V2_BYE_TEXT_MAX 200
#define DTC_V2_REC_MAX_COUNT 16   /* records per RECORDS message */
#define DTC_V2_REC_HDR 16         /* family, opt bytes, payload len, prefix len, 0, time */
#define DTC_V2_OPT_MAX 40
#define DTC_V2_PREFIX_MAX 128     /* payload bytes a record may carry (--record-prefix) */
#define DTC_V2_REC4_LEN (DTC_V2_REC_HDR + 20 + 20 + DTC_V2_OPT_MAX)   /* 96 + prefix */
#define DTC_V2_REC6_LEN (DTC_V2_REC_HDR + 40 + 20 + DTC_V2_OPT_MAX)   /* 116 + prefix */
#define DTC_V2_REC_MAX (DTC_V2_REC6_LEN + DTC_V2_PREFIX_MAX)
/* An IPv4 v2 record holds the v1 record of the same segment at this offset, byte for byte. */
#define DTC_V2_REC_V1_OFF DTC_V2_REC_HDR

/* Timing (both sides). */
#define DTC_V2_HB_INTERVAL_US 1000000u  /* a heartbeat every second */
#define DTC_V2_PEER_DEAD_US 3000000u    /* nothing received for 3 s: the peer is dead */
#define DTC_V2_ANSWER_US 2000000u       /* copier: the intercept's v2 answer within 2 s */
#define DTC_V2_HANDSHAKE_US 5000000u    /* both: the whole handshake within 5 s */

_Static_assert(DTC_V2_REC_MAX_COUNT * DTC_V2_REC_MAX <= DTC_V2_BODY_MAX,
	"16 largest records fit one message");

enum dtc_v2_type {
	DTC_V2_HELLO = 1,
	DTC_V2_AUTH = 2,
	DTC_V2_ROUTE_ADD = 3,
	DTC_V2_ROUTE_DEL = 4,
	DTC_V2_RECORDS = 5,
	DTC_V2_HEARTBEAT = 6,
	DTC_V2_BYE = 7,
	DTC_V2_TYPE_MAX
};

/* Message types each direction may send (bit 1 << type), for dtc_v2_rx_init. */
#define DTC_V2_FROM_COPIER ((1u << DTC_V2_HELLO) | (1u << DTC_V2_AUTH) | \
	(1u << DTC_V2_ROUTE_ADD) | (1u << DTC_V2_ROUTE_DEL) | (1u << DTC_V2_HEARTBEAT) | \
	(1u << DTC_V2_BYE))
#define DTC_V2_FROM_INTERCEPT ((1u << DTC_V2_HELLO) | (1u << DTC_V2_AUTH) | \
	(1u << DTC_V2_RECORDS) | (1u << DTC_V2_HEARTBEAT) | (1u << DTC_V2_BYE))

/* HELLO feature bits. */
#define DTC_V2_F_IPV6 0x01
#define DTC_V2_F_ROUTE_DEL 0x02
#define DTC_V2_F_HEARTBEAT 0x04
#define DTC_V2_F_AUTH 0x08        /* the sender has a secret and requires authentication */
#define DTC_V2_F_TIMESTAMPS 0x10
#define DTC_V2_F_PREFIX 0x20      /* records carry a payload prefix when asked */

/* BYE reasons. */
#define DTC_V2_BYE_PROTO 1
#define DTC_V2_BYE_AUTH_FAILED 2
#define DTC_V2_BYE_AUTH_REQUIRED 3
#define DTC_V2_BYE_VERSION 4
#define DTC_V2_BYE_SHUTDOWN 5
#define DTC_V2_BYE_LIMIT 6
#define DTC_V2_BYE_TIMEOUT 7

struct dtc_v2_hello {
	uint16_t version;          /* 2 */
	uint16_t features;         /* DTC_V2_F_* */
	uint16_t prefix;           /* payload bytes wanted per record (copier), else 0 */
	uint8_t nonce[DTC_V2_NONCE_LEN];
	char name[DTC_V2_NAME_LEN + 1]; /* NUL-terminated, logs only */
};

struct dtc_v2_hb {
	uint32_t seq;
	uint64_t tx_us;            /* sender's wall clock when sent (µs since the epoch) */
	uint64_t echo_tx_us;       /* tx_us of the last heartbeat received from the peer, or 0 */
	uint64_t echo_rx_us;       /* sender's wall clock when that one arrived */
};

/* Per-record extras of a v2 record (beside the struct dtc_resp). */
struct dtc_v2_rec_meta {
	uint64_t capture_us;       /* intercept's wall clock at capture, µs since the epoch */
	const uint8_t *prefix;     /* payload prefix, prefix_len bytes */
	uint16_t prefix_len;
};

/* ---- encoding: each returns the bytes written (header included), or -errno ---- */

/* Header of a message with a body of len bytes (the body follows at out + 4). */
void dtc_v2_hdr_encode(uint8_t out[DTC_V2_HDR_LEN], uint8_t type, uint16_t len);
int dtc_v2_hello_encode(uint8_t *out, size_t cap, const struct dtc_v2_hello *h);
int dtc_v2_auth_encode(uint8_t *out, size_t cap, const uint8_t mac[DTC_V2_MAC_LEN]);
/* n keys (1..DTC_V2_BODY_MAX / 40) into one ROUTE_ADD or ROUTE_DEL. */
int dtc_v2_route_encode(uint8_t *out, size_t cap, uint8_t type, const struct dtc_flow_key *k,
	unsigned int n);
int dtc_v2_hb_encode(uint8_t *out, size_t cap, const struct dtc_v2_hb *hb);
int dtc_v2_bye_encode(uint8_t *out, size_t cap, uint16_t reason, const char *text);
/*
 * One record from a captured segment: l3 points at the IP header (IPv4 or IPv6, family given),
 * l3_len bytes available (header, TCP header with options, then what there is of the payload).
 * l4_off is the TCP header's offset from l3 (IPv6: after any extension headers), payload_len
 * the TCP payload length from the IP lengths; up to prefix payload bytes are carried (capped
 * at DTC_V2_PREFIX_MAX and at what l3_len holds).  Returns the record length or -EINVAL.
 */
int dtc_v2_rec_encode(uint8_t out[DTC_V2_REC_MAX], uint8_t family, const uint8_t *l3,
	uint32_t l3_len, uint32_t l4_off, uint16_t payload_len, uint64_t capture_us,
	uint16_t prefix);
/* The same from a parsed mbuf. */
int dtc_v2_rec_encode_mbuf(uint8_t out[DTC_V2_REC_MAX], const struct rte_mbuf *m,
	const struct dtc_pkt_info *pi, uint64_t capture_us, uint16_t prefix);
/* Length of the record at rec (from its family and prefix fields); 0 when invalid. */
uint32_t dtc_v2_rec_len(const uint8_t *rec, uint32_t avail);
/* One record into a struct dtc_resp and its extras: 0, -DTC_CTL_ERR_REC_IP/_REC_TCP. */
int dtc_v2_rec_decode(const uint8_t *rec, uint32_t len, struct dtc_resp *r,
	struct dtc_v2_rec_meta *m);

/* ---- decoding ---- */

int dtc_v2_hello_decode(const uint8_t *body, uint32_t len, struct dtc_v2_hello *h);
int dtc_v2_hb_decode(const uint8_t *body, uint32_t len, struct dtc_v2_hb *hb);
/* A route body into keys: calls cb for each (type DTC_V2_ROUTE_ADD/_DEL); all keys are
 * checked before the first callback, so a bad key rejects the whole message. */
int dtc_v2_routes_decode(const uint8_t *body, uint32_t len, uint8_t type, dtc_v1_route_cb cb,
	void *arg);
/* A RECORDS body: 1..16 records; each good one goes to cb.  A structural error (count, a
 * record running past the body) rejects the message (-DTC_CTL_ERR_V2_RECORDS, close); a
 * well framed record that fails dtc_v2_rec_decode is counted in *bad and skipped. */
typedef void (*dtc_v2_rec_cb)(void *arg, const struct dtc_resp *r,
	const struct dtc_v2_rec_meta *m);
int dtc_v2_records_decode(const uint8_t *body, uint32_t len, dtc_v2_rec_cb cb, void *arg,
	uint64_t *bad);

/*
 * Incremental decoder of a v2 message stream (either direction): header, then the body
 * assembled when it spans calls.  Each message whose type is in `allowed` and whose length
 * fits its type is passed to cb; cb returns 0 to go on, or a negative value that stops the
 * decoder (sticky, returned by this and every later call: the caller closes).  Messages are
 * delivered in order, so cb can change the state (authentication) between two of them.
 * With `preamble` set, the stream must start with two zero bytes (the intercept's answer).
 */
typedef int (*dtc_v2_msg_cb)(void *arg, uint8_t type, const uint8_t *body, uint32_t len);

struct dtc_v2_rx {
	uint8_t buf[DTC_V2_MSG_MAX];
	uint32_t have;
	uint32_t need;            /* header + body of the current message, 0 = header not yet */
	uint32_t allowed;         /* bit 1 << type */
	uint8_t preamble;         /* zero bytes still expected first */
	int32_t err;
	uint64_t msgs;
};

void dtc_v2_rx_init(struct dtc_v2_rx *rx, uint32_t allowed, bool preamble);
int dtc_v2_rx_feed(struct dtc_v2_rx *rx, const uint8_t *data, size_t len, dtc_v2_msg_cb cb,
	void *arg);
/* Whether a body length is legal for a message type (the framing check of the decoder). */
bool dtc_v2_len_ok(uint8_t type, uint32_t len);

/* ---- authentication (OpenSSL libcrypto) ---- */

#define DTC_V2_SECRET_MIN 16
#define DTC_V2_SECRET_MAX 1024

struct dtc_v2_secret {
	uint8_t key[DTC_V2_SECRET_MAX];
	uint32_t len;
};

/*
 * Read a shared secret from a file: a regular file, not readable or writable by group or
 * others, 16..1024 bytes (one trailing newline is not part of the secret).  0, or -errno with
 * a message in err.
 */
int dtc_v2_secret_load(const char *path, struct dtc_v2_secret *s, char *err, size_t errlen);
/* Fill n bytes from the system's cryptographic random source: 0 or -EIO. */
int dtc_v2_random(uint8_t *out, size_t n);
/*
 * The AUTH MACs: HMAC-SHA256(K, label || intercept HELLO body || copier HELLO body), label
 * "dtc2 copier" for the copier's AUTH and "dtc2 intercept" for the intercept's.  Both bodies
 * carry both nonces, so neither AUTH can be replayed on another connection, and the features
 * cannot be altered on the way.
 */
#define DTC_V2_ROLE_COPIER 0
#define DTC_V2_ROLE_INTERCEPT 1
int dtc_v2_mac(const struct dtc_v2_secret *s, int role,
	const uint8_t icpt_hello[DTC_V2_HELLO_LEN], const uint8_t copier_hello[DTC_V2_HELLO_LEN],
	uint8_t mac[DTC_V2_MAC_LEN]);
/* Constant-time comparison of two MACs: true when equal. */
bool dtc_v2_mac_equal(const uint8_t a[DTC_V2_MAC_LEN], const uint8_t b[DTC_V2_MAC_LEN]);

/* The current wall clock in microseconds since the Unix epoch (capture and heartbeat times). */
uint64_t dtc_v2_wall_us(void);

/*
 * The clock offset from heartbeat round trips, NTP's formula: we sent t1 (echo_tx), the peer
 * got it at t2 (echo_rx) and sent its heartbeat at t3 (tx), which we got at t4.
 * offset = ((t2 - t1) + (t3 - t4)) / 2 (peer clock minus ours), delay = (t4 - t1) - (t3 - t2).
 * Returns false when the heartbeat echoes nothing.
 */
bool dtc_v2_clock_sample(const struct dtc_v2_hb *hb, uint64_t t4, int64_t *offset_us,
	int64_t *delay_us);

#ifdef __cplusplus
}
#endif

#endif /* DTC_CTL_H */
