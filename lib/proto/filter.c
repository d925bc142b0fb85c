/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Capture filter: pcap syntax compiled by libpcap (so users keep the expressions they know
 * from tcpdump and intercept 1.x), converted to eBPF by DPDK and run on the mbuf itself, JIT
 * compiled when the platform allows.  The mbuf is never copied or linearized: the program's
 * packet loads go through rte_pktmbuf_read().
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <bpf_def.h>
#include <rte_bpf.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "dtc_capture.h"

/* As tcpdump: long enough for any frame we will see; the value only matters to "len" tests
 * beyond it, and the program's return value (non-zero = match). */
#define FILTER_SNAPLEN 262144
#define FILTER_BURST 32

struct dtc_filter {
	struct rte_bpf *bpf;
	uint64_t (*jit)(void *);
	char expr[];
};

/* pcap_open_dead() wants a DLT_ value; ours are LINKTYPE_ values, equal except for raw IP. */
static int
link_to_dlt(enum dtc_link link)
{
	switch (link) {
	case DTC_LINK_ETHER:
		return DLT_EN10MB;
	case DTC_LINK_RAW:
		return DLT_RAW;
	case DTC_LINK_SLL:
		return DLT_LINUX_SLL;
	case DTC_LINK_IPV4:
		return DLT_IPV4;
	case DTC_LINK_IPV6:
		return DLT_IPV6;
	case DTC_LINK_SLL2:
		return DLT_LINUX_SLL2;
	}
	return -1;
}

/*
 * DPDK 22.11's rte_bpf_convert() picks the index register of an indirect load from the BPF_X
 * bit of the opcode, which is really part of the size field: halfword loads get X (r7) by
 * luck, byte and word loads get A (r0), so "tcp[13] & 4 != 0" reads the wrong byte.  Classic
 * BPF indexes indirect loads by X only, and the converter keeps X in r7: say so explicitly.
 * (tests/intercept/test_filter.c checks every filter against libpcap's interpreter.)
 */
static void
fix_indirect_loads(struct rte_bpf_prm *prm)
{
	/* The instructions follow the parameter block in the converter's own allocation. */
	struct ebpf_insn *ins = (struct ebpf_insn *)(uintptr_t)prm->ins;
	uint32_t i;

	for (i = 0; i < prm->nb_ins; i++)
		if (BPF_CLASS(ins[i].code) == BPF_LD && BPF_MODE(ins[i].code) == BPF_IND)
			ins[i].src_reg = EBPF_REG_7;
}

/*
 * DPDK 22.11's x86 JIT encodes "jset rN, #imm" as TEST with a one-byte immediate when imm fits
 * in int8, but TEST has no such form: the bytes that follow are decoded as garbage and the
 * program crashes or lies.  libpcap emits small JSETs for any TCP flag test ("tcp[13] & 4 !=
 * 0"), so run such programs in the interpreter, which is correct, only slower.
 */
static bool
jit_safe(const struct rte_bpf_prm *prm)
{
	uint32_t i;

	for (i = 0; i < prm->nb_ins; i++) {
		const struct ebpf_insn *in = &prm->ins[i];

		if (in->code == (BPF_JMP | BPF_JSET | BPF_K) && in->imm >= INT8_MIN &&
				in->imm <= INT8_MAX)
			return false;
	}
	return true;
}

/* Compile to classic BPF; on error the message quotes the filter and libpcap's reason. */
static int
filter_cbpf(const char *expr, enum dtc_link link, struct bpf_program *prog, char *err,
	size_t errlen)
{
	int dlt = link_to_dlt(link);
	pcap_t *p;
	size_t len;

	if (expr == NULL) {
		snprintf(err, errlen, "no filter expression");
		return -EINVAL;
	}
	len = strnlen(expr, DTC_FILTER_EXPR_MAX + 1);
	if (len > DTC_FILTER_EXPR_MAX) {
		snprintf(err, errlen, "filter '%.64s...' is longer than %d characters", expr,
			DTC_FILTER_EXPR_MAX);
		return -EINVAL;
	}
	if (dlt < 0) {
		snprintf(err, errlen, "filter '%s': unsupported link type %d", expr, (int)link);
		return -EINVAL;
	}
	p = pcap_open_dead(dlt, FILTER_SNAPLEN);
	if (p == NULL) {
		snprintf(err, errlen, "filter '%s': libpcap cannot open a dead handle", expr);
		return -ENOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "invalid filter '%s': %s", expr, pcap_geterr(p));
		pcap_close(p);
		return -EINVAL;
	}
	pcap_close(p);
	return 0;
}

int
dtc_filter_check(const char *expr, enum dtc_link link, char *err, size_t errlen)
{
	struct bpf_program prog;
	int rc;

	rc = filter_cbpf(expr, link, &prog, err, errlen);
	if (rc == 0)
		pcap_freecode(&prog);
	return rc;
}

struct dtc_filter *
dtc_filter_compile(const char *expr, enum dtc_link link, char *err, size_t errlen)
{
	struct bpf_program prog;
	struct rte_bpf_prm *prm;
	struct rte_bpf_jit jit;
	struct dtc_filter *f;
	bool jit_ok;
	int rc;

	rc = filter_cbpf(expr, link, &prog, err, errlen);
	if (rc != 0) {
		rte_errno = -rc;
		return NULL;
	}
	f = calloc(1, sizeof(*f) + strlen(expr) + 1);
	if (f == NULL) {
		pcap_freecode(&prog);
		snprintf(err, errlen, "filter '%s': out of memory", expr);
		rte_errno = ENOMEM;
		return NULL;
	}
	strcpy(f->expr, expr);
	prm = rte_bpf_convert(&prog);
	pcap_freecode(&prog);
	if (prm == NULL) {
		rc = rte_errno;
		snprintf(err, errlen, "filter '%s': DPDK cannot convert it to eBPF: %s", expr,
			rte_strerror(rc));
		free(f);
		rte_errno = rc;
		return NULL;
	}
	fix_indirect_loads(prm);
	jit_ok = jit_safe(prm);
	f->bpf = rte_bpf_load(prm);
	rc = rte_errno;
	rte_free(prm);
	if (f->bpf == NULL) {
		snprintf(err, errlen, "filter '%s': DPDK BPF refused the program: %s", expr,
			rte_strerror(rc));
		free(f);
		rte_errno = rc;
		return NULL;
	}
	if (jit_ok && rte_bpf_get_jit(f->bpf, &jit) == 0 && jit.func != NULL)
		f->jit = jit.func;
	if (errlen > 0)
		err[0] = '\0';
	return f;
}

void
dtc_filter_free(struct dtc_filter *f)
{
	if (f == NULL)
		return;
	rte_bpf_destroy(f->bpf);
	free(f);
}

const char *
dtc_filter_expr(const struct dtc_filter *f)
{
	return f->expr;
}

bool
dtc_filter_is_jit(const struct dtc_filter *f)
{
	return f->jit != NULL;
}

void
dtc_filter_no_jit(struct dtc_filter *f)
{
	f->jit = NULL;
}

uint16_t
dtc_filter_burst(const struct dtc_filter *f, struct rte_mbuf **m, bool *match, uint16_t n)
{
	uint64_t rc[FILTER_BURST];
	uint16_t i, hits = 0;

	if (f->jit != NULL) {
		for (i = 0; i < n; i++) {
			match[i] = f->jit(m[i]) != 0;
			hits += match[i];
		}
		return hits;
	}
	for (i = 0; i < n; i += FILTER_BURST) {
		uint32_t k, cnt = RTE_MIN((uint32_t)(n - i), (uint32_t)FILTER_BURST);

		rte_bpf_exec_burst(f->bpf, (void **)&m[i], rc, cnt);
		for (k = 0; k < cnt; k++) {
			match[i + k] = rc[k] != 0;
			hits += match[i + k];
		}
	}
	return hits;
}
