/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The offline (-i) input: a pcap or pcapng file read with libpcap, one frame at a time, with
 * the packet number of every frame so that a truncated or corrupt file is reported exactly.
 * No EAL needed: the reader takes a path, a FILE* or a memory buffer (the fuzz harness).
 */

#ifndef DTC_PCAP_READER_H
#define DTC_PCAP_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtc_proto.h"

struct dtc_pcap_reader;

struct dtc_pcap_frame {
	const uint8_t *data;    /* valid until the next dtc_pcap_next() */
	uint32_t caplen;        /* bytes in data */
	uint32_t len;           /* bytes on the wire (> caplen when cut by the snaplen) */
	uint64_t ts_ns;         /* capture timestamp, nanoseconds */
	uint64_t index;         /* 1-based packet number in the file */
};

/*
 * Open a file.  NULL on error with "FILE: reason" in err (not a capture file, unsupported
 * link type, ...).
 */
struct dtc_pcap_reader *dtc_pcap_open(const char *path, char *err, size_t errlen);
/* The same over an open stream (taken over: closed by dtc_pcap_close, also on error); name
 * is used in messages. */
struct dtc_pcap_reader *dtc_pcap_open_fp(FILE *fp, const char *name, char *err,
	size_t errlen);
/* The same over a memory buffer (not copied: it must outlive the reader). */
struct dtc_pcap_reader *dtc_pcap_open_mem(const void *buf, size_t len, const char *name,
	char *err, size_t errlen);

/*
 * Next frame: 1 and *f filled, 0 at the clean end of the file, -EIO when the file is
 * truncated or corrupt at packet f->index (the message, naming the file and the packet, is
 * in dtc_pcap_error()).  After 0 or -EIO the reader stays at the end.
 */
int dtc_pcap_next(struct dtc_pcap_reader *r, struct dtc_pcap_frame *f);
/* Back to the first packet (-T loops); only for readers opened by path.  0 or -errno. */
int dtc_pcap_rewind(struct dtc_pcap_reader *r, char *err, size_t errlen);
const char *dtc_pcap_error(const struct dtc_pcap_reader *r);
enum dtc_link dtc_pcap_link(const struct dtc_pcap_reader *r);
/* The libpcap datalink value (for the -F filter and messages). */
int dtc_pcap_dlt(const struct dtc_pcap_reader *r);
const char *dtc_pcap_name(const struct dtc_pcap_reader *r);
void dtc_pcap_close(struct dtc_pcap_reader *r);

/*
 * Replay timeline of -i: when, relative to the first packet, a packet should leave, from its
 * capture timestamp.  -a divides the elapsed capture time, -I shortens any silence longer than
 * gap to gap.  Timestamps going backwards (merged captures) do not move the timeline back.
 */
struct dtc_pace {
	double speed;           /* -a, > 0 */
	uint64_t gap_ns;        /* -I in ns, 0 = keep every silence */
	uint64_t first_ns;      /* timestamp of the first packet */
	uint64_t prev_ns;       /* largest timestamp seen */
	uint64_t skipped_ns;    /* silence removed so far by -I */
	int started;
};

void dtc_pace_init(struct dtc_pace *p, double speed, uint32_t gap_ms);
/* Offset in microseconds from the start of the replay at which this packet is due. */
uint64_t dtc_pace_due_us(struct dtc_pace *p, uint64_t ts_ns);

#endif /* DTC_PCAP_READER_H */
