/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The session table and the collision redirect table against brute-force models: random
 * insert/remove/lookup with many keys sharing buckets, LRU/linger list integrity, and the
 * open-addressing redirect table with backward-shift deletion under heavy clustering.
 * Also the per-session memory figure (printed; bounded here at 256 bytes).
 */

#include <string.h>

#include <rte_malloc.h>

#include "harness.h"
#include "sess_private.h"

#define NS 2048

static struct dtc_flow_key keys[NS];
static bool present[NS];

static void
t_hash(void)
{
	struct dtc_sess_engine *e = rte_zmalloc(NULL, sizeof(*e), 64);
	unsigned int step, i;
	uint32_t idx_of[NS];

	dtc_check_case = "hash";
	e->conf.max_sessions = NS;
	e->conf.seed = 7;
	CHECK_EQ(table_init(e), 0);
	for (i = 0; i < NS; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].family = 4;
		keys[i].client.a32[0] = (uint32_t)dtc_rand_range(4); /* few addresses, ports vary */
		keys[i].client_port = (uint16_t)i;
		keys[i].server.a32[0] = 0x01020304;
		keys[i].server_port = 80;
		present[i] = false;
		idx_of[i] = SESS_NIL;
	}
	for (step = 0; step < 200000; step++) {
		unsigned int k = dtc_rand_range(NS);
		uint32_t hash = dtc_flow_hash(&keys[k], 7);
		uint32_t got = table_lookup(e, &keys[k], hash);

		CHECK_EQ(got != SESS_NIL, present[k]);
		if (present[k])
			CHECK_EQ(got, idx_of[k]);
		if (!present[k] && (dtc_rand() & 1)) {
			uint32_t idx = table_alloc(e);

			CHECK(idx != SESS_NIL);
			e->s[idx].key = keys[k];
			e->s[idx].state = SS_ESTAB;
			table_insert(e, idx, hash);
			lru_push(e, idx, false);
			present[k] = true;
			idx_of[k] = idx;
		} else if (present[k]) {
			table_remove(e, idx_of[k]);
			lru_unlink(e, idx_of[k]);
			table_release(e, idx_of[k]);
			present[k] = false;
		}
	}
	/* The LRU list holds exactly the present keys. */
	{
		unsigned int n = 0, want = 0;
		uint32_t x, prev = SESS_NIL;

		for (x = e->lru_head; x != SESS_NIL; x = e->s[x].lnext) {
			CHECK_EQ(e->s[x].lprev, prev);
			prev = x;
			n++;
		}
		CHECK_EQ(e->lru_tail, prev);
		for (i = 0; i < NS; i++)
			want += present[i];
		CHECK_EQ(n, want);
		CHECK_EQ(e->n_live, want);
	}
	table_fini(e);
	rte_free(e);
}

static void
t_redirect(void)
{
	struct dtc_sess_engine *e = rte_zmalloc(NULL, sizeof(*e), 64);
	static uint32_t val[4096];
	static bool in[4096];
	static uint32_t origin[4096];
	unsigned int step, i, n = 0;

	dtc_check_case = "redirect";
	e->conf.max_sessions = 1024;
	e->conf.max_redirects = 64; /* 128 slots, at most 64 used: long clusters */
	CHECK_EQ(table_init(e), 0);
	for (i = 0; i < 4096; i++) {
		/* Origins chosen to collide on the home slot often. */
		origin[i] = (uint32_t)dtc_rand() & 0xff0000ffu;
		in[i] = false;
	}
	for (step = 0; step < 300000; step++) {
		unsigned int k = dtc_rand_range(200);
		uint32_t got = redir_find(e, origin[k]);
		bool dup = false;

		for (i = 0; i < 200; i++)
			if (i != k && in[i] && origin[i] == origin[k])
				dup = true;
		if (dup)
			continue;
		CHECK_EQ(got != SESS_NIL, in[k]);
		if (in[k])
			CHECK_EQ(got, val[k]);
		if (in[k] && (dtc_rand() & 1)) {
			redir_del(e, origin[k], val[k]);
			in[k] = false;
			n--;
		} else if (!in[k]) {
			val[k] = (uint32_t)dtc_rand_range(1000);
			if (redir_add(e, origin[k], val[k]) == 0) {
				in[k] = true;
				n++;
			} else {
				CHECK(n * 2 + 2 > e->redir_mask + 1);
			}
		}
		CHECK_EQ(e->n_redirect, n);
	}
	table_fini(e);
	rte_free(e);
}

static void
t_memory(void)
{
	struct dtc_sess_conf c;
	size_t bytes;

	dtc_check_case = "memory";
	dtc_sess_conf_defaults(&c);
	CHECK_EQ(sizeof(struct dtc_sess), 192);
	c.max_sessions = 1000000;
	bytes = table_mem_size(&c, NULL, NULL);
	printf("per-session memory at 1,000,000 sessions: %.1f bytes (%zu bytes in all)\n",
		(double)bytes / c.max_sessions, bytes);
	CHECK(bytes / c.max_sessions <= 256);
	c.max_sessions = 100000;
	bytes = table_mem_size(&c, NULL, NULL);
	printf("per-session memory at 100,000 sessions: %.1f bytes\n",
		(double)bytes / c.max_sessions);
	CHECK(bytes / c.max_sessions <= 256);
}

/* Measured: the EAL heap bytes dtc_sess_create takes, per session, at 1,000,000 sessions. */
static void
t_memory_measured(void)
{
	struct h_ctx h;
	struct rte_malloc_socket_stats a, b;
	struct dtc_sess_engine *e;
	struct dtc_sess_conf c;
	unsigned int sizes[] = { 100000, 1000000 }, i;

	dtc_check_case = "memory_measured";
	h_init(&h);
	for (i = 0; i < RTE_DIM(sizes); i++) {
		size_t used;

		c = h.conf;
		c.xfer = h.xfer;
		c.n_xfer = h.n_xfer;
		c.max_sessions = sizes[i];
		rte_malloc_get_socket_stats(0, &a);
		e = dtc_sess_create(&c);
		CHECK(e != NULL);
		if (e == NULL)
			continue;
		rte_malloc_get_socket_stats(0, &b);
		used = b.heap_allocsz_bytes - a.heap_allocsz_bytes;
		printf("measured: %u sessions take %zu heap bytes = %.1f bytes/session "
			"(dtc_sess_mem_size says %zu)\n", sizes[i], used,
			(double)used / sizes[i], dtc_sess_mem_size(&c));
		CHECK(used / sizes[i] <= 256);
		CHECK(used <= dtc_sess_mem_size(&c) + 4096 * 4);
		dtc_sess_free(e);
	}
	free(h.fr);
}

int
main(void)
{
	h_eal_pool("table", 256);
	t_memory_measured();
	t_hash();
	t_redirect();
	t_memory();
	return dtc_check_end("session_table");
}
