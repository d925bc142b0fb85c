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

/* ---- the buckets sized to the load (linear hashing) ---- */

#define NR 16384 /* 32768 buckets allocated: grown from 1024 through five levels */

static struct dtc_flow_key rkeys[NR];
static bool rin[NR];
static uint32_t ridx[NR];
static uint32_t rperm[NR];   /* key numbers: [0, n) present, [n, NR) absent */
static uint32_t rpos[NR];    /* where each key is in rperm */

static void
rperm_swap(unsigned int a, unsigned int b)
{
	uint32_t ka = rperm[a], kb = rperm[b];

	rperm[a] = kb;
	rperm[b] = ka;
	rpos[kb] = a;
	rpos[ka] = b;
}

/* Every bucket in use holds exactly the sessions that hash to it, the rest of the array is
 * empty, the count is right, and every key is found (or not) as the model says. */
static void
resize_check(struct dtc_sess_engine *e, unsigned int want)
{
	uint32_t nb = table_nbuckets(e), b, n = 0, i, k;

	CHECK(nb <= e->bmax && e->bsplit <= e->bmask);
	for (b = 0; b < e->bmax; b++) {
		for (i = e->bucket[b]; i != SESS_NIL && n <= NR; i = e->s[i].hnext) {
			CHECKF(b < nb, "entry %u in bucket %u beyond the %u in use", i, b, nb);
			CHECK_EQ(table_bucket(e, dtc_flow_hash(&e->s[i].key, 7)), b);
			n++;
		}
	}
	CHECK_EQ(n, want);
	CHECK_EQ(e->n_hashed, want);
	for (k = 0; k < NR; k++) {
		uint32_t got = table_lookup(e, &rkeys[k], dtc_flow_hash(&rkeys[k], 7));

		CHECK_EQ(got, rin[k] ? ridx[k] : SESS_NIL);
	}
}

static void
resize_insert(struct dtc_sess_engine *e, unsigned int k)
{
	uint32_t idx = table_alloc(e);

	CHECK(idx != SESS_NIL);
	e->s[idx].key = rkeys[k];
	e->s[idx].state = SS_ESTAB;
	table_insert(e, idx, dtc_flow_hash(&rkeys[k], 7));
	rin[k] = true;
	ridx[k] = idx;
}

static void
resize_remove(struct dtc_sess_engine *e, unsigned int k)
{
	table_remove(e, ridx[k]);
	table_release(e, ridx[k]);
	rin[k] = false;
}

static void
t_resize(void)
{
	struct dtc_sess_engine *e = rte_zmalloc(NULL, sizeof(*e), 64);
	unsigned int step, k, n = 0, phase, grew = 0, shrank = 0;
	uint32_t nb;

	dtc_check_case = "resize";
	e->conf.max_sessions = NR;
	e->conf.seed = 7;
	CHECK_EQ(table_init(e), 0);
	CHECK_EQ(e->bmax, 2 * NR);
	CHECK_EQ(table_nbuckets(e), TABLE_MIN_BUCKETS);
	for (k = 0; k < NR; k++) {
		rperm[k] = k;
		rpos[k] = k;
		memset(&rkeys[k], 0, sizeof(rkeys[k]));
		rkeys[k].family = 4;
		rkeys[k].client.a32[0] = (uint32_t)dtc_rand_range(8);
		rkeys[k].client_port = (uint16_t)k;
		rkeys[k].server.a32[0] = 0x01020304;
		rkeys[k].server_port = 80;
		rin[k] = false;
	}
	/* Twice: grow to the whole array under inserts mixed with removes (2 in 3 insert),
	 * then shrink back to the least under removes mixed with inserts (1 in 3). */
	for (phase = 0; phase < 4; phase++) {
		bool up = (phase & 1) == 0;

		for (step = 0; up ? n < NR : n > 16; step++) {
			bool ins = n == 0 || (n < NR && dtc_rand_range(3) < (up ? 2u : 1u));

			nb = table_nbuckets(e);
			if (ins) {
				k = rperm[n + dtc_rand_range(NR - n)];
				resize_insert(e, k);
				rperm_swap(rpos[k], n);
				n++;
				/* never above one session per two buckets below the whole array */
				CHECK(table_nbuckets(e) >= RTE_MIN(2 * n, e->bmax));
				grew += table_nbuckets(e) > nb;
			} else {
				k = rperm[dtc_rand_range(n)];
				resize_remove(e, k);
				n--;
				rperm_swap(rpos[k], n);
				shrank += table_nbuckets(e) < nb;
			}
			if (step % 4099 == 0)
				resize_check(e, n);
		}
		resize_check(e, n);
		if (up)
			CHECK_EQ(table_nbuckets(e), e->bmax);
		else
			CHECKF(table_nbuckets(e) <= RTE_MAX(TABLE_MIN_BUCKETS, 4 * n + 4),
				"%u buckets in use for %u sessions", table_nbuckets(e), n);
	}
	CHECK(grew >= 2 * (2 * NR - TABLE_MIN_BUCKETS) / 2 / 2);
	CHECK(shrank > 0);
	/* Down to none: back to the least. */
	for (k = 0; k < NR; k++)
		if (rin[k])
			resize_remove(e, k);
	resize_check(e, 0);
	CHECK_EQ(table_nbuckets(e), TABLE_MIN_BUCKETS);
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
	t_resize();
	t_memory();
	return dtc_check_end("session_table");
}
