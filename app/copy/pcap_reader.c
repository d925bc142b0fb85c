/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * libpcap does the format work (pcap in both byte orders and precisions, pcapng); this file
 * adds what the copier needs on top: a packet counter for error messages, the link type
 * mapped to ours, and a check libpcap leaves out (a record claiming more captured bytes than
 * were on the wire).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcap_reader.h"

struct dtc_pcap_reader {
	pcap_t *p;
	char *path;            /* NULL when opened from a stream */
	char *name;
	int dlt;
	enum dtc_link link;
	uint64_t index;        /* packets returned so far */
	int done;              /* 0 reading, 1 clean end, -1 error */
	char err[PCAP_ERRBUF_SIZE + 512];
};

static int
reader_attach(struct dtc_pcap_reader *r, pcap_t *p, char *err, size_t errlen)
{
	int link;

	r->p = p;
	r->dlt = pcap_datalink(p);
	link = dtc_link_from_pcap(r->dlt);
	if (link < 0) {
		const char *dname = pcap_datalink_val_to_name(r->dlt);

		snprintf(err, errlen, "%s: link type %d (%s) is not supported (Ethernet, Linux "
			"cooked v1/v2 and raw IP are)", r->name, r->dlt,
			dname != NULL ? dname : "unknown");
		return -ENOTSUP;
	}
	r->link = (enum dtc_link)link;
	r->index = 0;
	r->done = 0;
	r->err[0] = '\0';
	return 0;
}

static struct dtc_pcap_reader *
reader_new(const char *path, const char *name)
{
	struct dtc_pcap_reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->name = strdup(name != NULL ? name : "(pcap)");
	r->path = path != NULL ? strdup(path) : NULL;
	if (r->name == NULL || (path != NULL && r->path == NULL)) {
		free(r->name);
		free(r->path);
		free(r);
		return NULL;
	}
	return r;
}

static void
reader_free(struct dtc_pcap_reader *r)
{
	if (r->p != NULL)
		pcap_close(r->p);
	free(r->name);
	free(r->path);
	free(r);
}

/* The end of every open: p is what libpcap opened for r (NULL: perr says why). */
static struct dtc_pcap_reader *
reader_open(struct dtc_pcap_reader *r, pcap_t *p, const char *perr, char *err, size_t errlen)
{
	if (p == NULL) {
		snprintf(err, errlen, "%s: cannot read as a capture file: %s", r->name, perr);
		reader_free(r);
		return NULL;
	}
	if (reader_attach(r, p, err, errlen) != 0) {
		reader_free(r);
		return NULL;
	}
	return r;
}

struct dtc_pcap_reader *
dtc_pcap_open(const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct dtc_pcap_reader *r = reader_new(path, path);
	pcap_t *p;

	if (r == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	return reader_open(r, p, perr, err, errlen);
}

struct dtc_pcap_reader *
dtc_pcap_open_fp(FILE *fp, const char *name, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct dtc_pcap_reader *r = reader_new(NULL, name);
	pcap_t *p;

	if (r == NULL) {
		fclose(fp);
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (p == NULL)
		fclose(fp); /* libpcap leaves the stream to us when it fails */
	return reader_open(r, p, perr, err, errlen);
}

struct dtc_pcap_reader *
dtc_pcap_open_mem(const void *buf, size_t len, const char *name, char *err, size_t errlen)
{
	FILE *fp;

	if (len == 0) {
		snprintf(err, errlen, "%s: empty file", name);
		return NULL;
	}
	fp = fmemopen((void *)(uintptr_t)buf, len, "rb");
	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	return dtc_pcap_open_fp(fp, name, err, errlen);
}

int
dtc_pcap_next(struct dtc_pcap_reader *r, struct dtc_pcap_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (r->done != 0 || r->p == NULL)
		return r->done > 0 ? 0 : -EIO;
	rc = pcap_next_ex(r->p, &h, &data);
	if (rc == PCAP_ERROR_BREAK) {
		r->done = 1;
		return 0;
	}
	f->index = r->index + 1;
	if (rc != 1) {
		snprintf(r->err, sizeof(r->err), "%s: packet %" PRIu64 ": %s", r->name, f->index,
			pcap_geterr(r->p));
		r->done = -1;
		return -EIO;
	}
	if (h->caplen > h->len) {
		snprintf(r->err, sizeof(r->err), "%s: packet %" PRIu64 ": corrupt record: %u "
			"captured bytes but only %u on the wire", r->name, f->index, h->caplen,
			h->len);
		r->done = -1;
		return -EIO;
	}
	r->index++;
	f->data = data;
	f->caplen = h->caplen;
	f->len = h->len;
	/* nanosecond precision was asked for, so tv_usec holds nanoseconds */
	f->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	return 1;
}

int
dtc_pcap_rewind(struct dtc_pcap_reader *r, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	if (r->path == NULL) {
		snprintf(err, errlen, "%s: cannot rewind a stream", r->name);
		return -ENOTSUP;
	}
	p = pcap_open_offline_with_tstamp_precision(r->path, PCAP_TSTAMP_PRECISION_NANO, perr);
	if (p == NULL) {
		snprintf(err, errlen, "%s: cannot reopen: %s", r->path, perr);
		return -EIO;
	}
	pcap_close(r->p);
	r->p = NULL;
	if (reader_attach(r, p, err, errlen) != 0) {
		pcap_close(p);
		r->p = NULL;
		r->done = -1;
		return -EIO;
	}
	return 0;
}

const char *
dtc_pcap_error(const struct dtc_pcap_reader *r)
{
	return r->err;
}

enum dtc_link
dtc_pcap_link(const struct dtc_pcap_reader *r)
{
	return r->link;
}

int
dtc_pcap_dlt(const struct dtc_pcap_reader *r)
{
	return r->dlt;
}

const char *
dtc_pcap_name(const struct dtc_pcap_reader *r)
{
	return r->name;
}

void
dtc_pcap_close(struct dtc_pcap_reader *r)
{
	if (r != NULL)
		reader_free(r);
}

void
dtc_pace_init(struct dtc_pace *p, double speed, uint32_t gap_ms)
{
	memset(p, 0, sizeof(*p));
	p->speed = speed > 0 ? speed : 1.0;
	p->gap_ns = (uint64_t)gap_ms * 1000000u;
}

uint64_t
dtc_pace_due_us(struct dtc_pace *p, uint64_t ts_ns)
{
	double us;

	if (!p->started) {
		p->started = 1;
		p->first_ns = ts_ns;
		p->prev_ns = ts_ns;
	}
	if (ts_ns > p->prev_ns) {
		uint64_t gap = ts_ns - p->prev_ns;

		if (p->gap_ns != 0 && gap > p->gap_ns)
			p->skipped_ns += gap - p->gap_ns;
		p->prev_ns = ts_ns;
	}
	/* prev_ns - first_ns >= skipped_ns always: only parts of observed gaps are skipped */
	us = (double)(p->prev_ns - p->first_ns - p->skipped_ns) / 1000.0 / p->speed;
	return us >= 1.8e19 ? UINT64_MAX : (uint64_t)us;
}
