/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Offline source (-i): frames of the file, paced by their capture timestamps (-a, -I), copied
 * into mbufs and handed to the same RX path as captured frames.  Runs on the RX lcore.  The
 * file is read one frame ahead: a frame that is not due yet stays pending (libpcap keeps its
 * bytes until the next read), so nothing is copied twice.
 */

#include <string.h>

#include <rte_mbuf.h>

#include "copy_dp.h"

/* GRO/TSO captures reach 64 KiB; longer records are no TCP segment we can send. */
#define OFFLINE_MAX_FRAME 65535u

void
dtc_copy_offline_init(struct dtc_copy_offline *off, struct dtc_pcap_reader *rd,
	const struct dtc_copy_opts *o, struct rte_mempool *mp, struct dtc_copy_rx *rx)
{
	memset(off, 0, sizeof(*off));
	off->rd = rd;
	off->mp = mp;
	off->rx = rx;
	off->speed = o->speed > 0 ? o->speed : 1.0;
	off->gap_ms = o->gap_ms;
	off->loops_left = o->loops > 1 ? o->loops - 1 : 0;
	dtc_pace_init(&off->pace, off->speed, off->gap_ms);
	off->xfer = o->xfer;
	off->n_xfer = o->n_xfer;
	off->state = DTC_OFFLINE_RUN;
}

/* Before the first packet of the file: the MAC of every target is known (ARP answered or
 * "@MAC"), so that the first sessions do not start with their SYNs held for want of it; at
 * most DTC_OFFLINE_ARP_WAIT_US, then the replay starts anyway (the engine retries). */
static bool
arp_ready(struct dtc_copy_offline *off, uint64_t now_us)
{
	unsigned int i;

	if (off->arp_done)
		return true;
	if (off->arp_wait_end_us == 0) {
		off->arp_wait_end_us = now_us + DTC_OFFLINE_ARP_WAIT_US;
		off->arp_wait_us = now_us; /* start, for the figure below */
	}
	for (i = 0; i < off->n_xfer; i++)
		if (!(__atomic_load_n(&off->xfer[i].dst_mac, __ATOMIC_RELAXED) & DTC_MAC_VALID))
			break;
	if (i < off->n_xfer && now_us < off->arp_wait_end_us)
		return false;
	off->arp_wait_us = now_us - off->arp_wait_us;
	off->arp_done = true;
	return true;
}

void
dtc_copy_offline_fini(struct dtc_copy_offline *off)
{
	dtc_pcap_close(off->rd);
	off->rd = NULL;
}

struct rte_mbuf *
dtc_copy_frame_to_mbuf(struct rte_mempool *mp, const uint8_t *data, uint32_t len,
	enum dtc_copy_drop *why)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0;

	if (len > OFFLINE_MAX_FRAME) {
		*why = DTC_COPY_DROP_too_big;
		return NULL;
	}
	do {
		uint16_t room, take;

		m = rte_pktmbuf_alloc(mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			*why = DTC_COPY_DROP_no_mbuf;
			return NULL;
		}
		room = rte_pktmbuf_tailroom(m);
		take = (uint16_t)RTE_MIN((uint32_t)room, len - off);
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), data + off, take);
		m->data_len = take;
		m->pkt_len = take;
		off += take;
		if (head == NULL) {
			head = m;
		} else if (rte_pktmbuf_chain(head, m) != 0) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			*why = DTC_COPY_DROP_too_big;
			return NULL;
		}
	} while (off < len);
	return head;
}

/* Read the next frame of the file into pending; false at the end of a pass or on error. */
static bool
offline_read(struct dtc_copy_offline *off, uint64_t now_us)
{
	int rc = dtc_pcap_next(off->rd, &off->pending);

	if (rc == 0) {
		off->passes++;
		__atomic_store_n(&off->state,
			off->loops_left > 0 ? DTC_OFFLINE_WAIT_PASS : DTC_OFFLINE_DONE,
			__ATOMIC_RELEASE);
		return false;
	}
	if (rc < 0) {
		snprintf(off->err, sizeof(off->err), "%s", dtc_pcap_error(off->rd));
		__atomic_store_n(&off->state, DTC_OFFLINE_ERROR, __ATOMIC_RELEASE);
		return false;
	}
	off->packets++;
	if (!off->pass_started) {
		off->pass_started = true;
		off->start_us = now_us;
	}
	off->pending_due_us = off->start_us + dtc_pace_due_us(&off->pace, off->pending.ts_ns);
	off->have_pending = true;
	return true;
}

static void
next_pass(struct dtc_copy_offline *off)
{
	char err[512];

	__atomic_store_n(&off->next_pass, false, __ATOMIC_RELAXED);
	if (dtc_pcap_rewind(off->rd, err, sizeof(err)) != 0) {
		snprintf(off->err, sizeof(off->err), "%s", err);
		__atomic_store_n(&off->state, DTC_OFFLINE_ERROR, __ATOMIC_RELEASE);
		return;
	}
	off->loops_left--;
	dtc_pace_init(&off->pace, off->speed, off->gap_ms);
	off->pass_started = false;
	__atomic_store_n(&off->state, DTC_OFFLINE_RUN, __ATOMIC_RELEASE);
}

unsigned int
dtc_copy_offline_poll(struct dtc_copy_offline *off, uint64_t now_us)
{
	struct rte_mbuf *burst[DTC_COPY_BURST];
	struct dtc_copy_rx *rx = off->rx;
	unsigned int n = 0, seen = 0;

	if (off->state == DTC_OFFLINE_WAIT_PASS &&
			__atomic_load_n(&off->next_pass, __ATOMIC_ACQUIRE))
		next_pass(off);
	if (off->state != DTC_OFFLINE_RUN || !arp_ready(off, now_us))
		return 0;
	/* bounded: at most two bursts' worth of file records per pass */
	while (n < DTC_COPY_BURST && seen < 2 * DTC_COPY_BURST) {
		enum dtc_copy_drop why;
		struct rte_mbuf *m;

		if (!off->have_pending && !offline_read(off, now_us))
			break;
		if (now_us < off->pending_due_us)
			break;
		off->have_pending = false;
		seen++;
		if (off->pending.caplen < off->pending.len) {
			/* a snapped frame lacks payload bytes: it cannot be replayed faithfully */
			rx->frames++;
			rx->bytes += off->pending.caplen;
			rx->drop[DTC_COPY_DROP_snapped]++;
			continue;
		}
		m = dtc_copy_frame_to_mbuf(off->mp, off->pending.data, off->pending.caplen, &why);
		if (m == NULL) {
			rx->frames++;
			rx->bytes += off->pending.caplen;
			rx->drop[why]++;
			continue;
		}
		burst[n++] = m;
	}
	if (n > 0)
		dtc_copy_rx_burst(rx, burst, (uint16_t)n, dtc_pcap_link(off->rd), false, now_us);
	return seen;
}

int
dtc_copy_offline_state(const struct dtc_copy_offline *off)
{
	return __atomic_load_n(&off->state, __ATOMIC_ACQUIRE);
}

void
dtc_copy_offline_request_next_pass(struct dtc_copy_offline *off)
{
	__atomic_store_n(&off->next_pass, true, __ATOMIC_RELEASE);
}
