/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Helpers the fuzz harnesses share: a failed property traps (libFuzzer and the replay runner
 * both report it as a crash), stream inputs cut into pseudo-random chunks, and inputs read as
 * argument vectors.
 */

#ifndef DTC_FUZZ_UTIL_H
#define DTC_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c) do { if (!(c)) __builtin_trap(); } while (0)

/*
 * A stream fed in pieces of 1..max bytes, sizes drawn from an LCG seeded by the input.  Each
 * piece is an exact-size heap copy, freed before the next one is made, so ASan catches a
 * decoder that reads past a piece or keeps a pointer into one.
 */
struct fuzz_chunks {
	const uint8_t *data;
	size_t size, off, max;
	uint32_t rng;
	uint8_t *piece;
};

static inline void
fuzz_chunks_init(struct fuzz_chunks *c, const uint8_t *data, size_t size, uint32_t seed,
	size_t max)
{
	c->data = data;
	c->size = size;
	c->off = 0;
	c->max = max;
	c->rng = seed;
	c->piece = NULL;
}

/* The next piece (its length in *n), or NULL at the end of the stream. */
static inline const uint8_t *
fuzz_chunks_next(struct fuzz_chunks *c, size_t *n)
{
	free(c->piece);
	c->piece = NULL;
	if (c->off >= c->size)
		return NULL;
	c->rng = c->rng * 1103515245u + 12345u;
	*n = 1 + (c->rng >> 16) % c->max;
	if (*n > c->size - c->off)
		*n = c->size - c->off;
	c->piece = malloc(*n);
	REQUIRE(c->piece != NULL);
	memcpy(c->piece, c->data + c->off, *n);
	c->off += *n;
	return c->piece;
}

/* Free the last piece when the caller stopped before the end. */
static inline void
fuzz_chunks_end(struct fuzz_chunks *c)
{
	free(c->piece);
	c->piece = NULL;
}

/*
 * The input as an argument vector for an option parser: argv[0] = prog, then the input's
 * NUL-separated words (an empty word is a word, but not at the very end), at most
 * FUZZ_ARGV_MAX_WORDS of them; argv[argc] = NULL.  Returns the buffer the words live in (free
 * it after the last use of argv), or NULL when the input is larger than FUZZ_ARGV_MAX_INPUT.
 */
#define FUZZ_ARGV_MAX_WORDS 48
#define FUZZ_ARGV_MAX_INPUT 4096

static inline char *
fuzz_argv(const uint8_t *data, size_t size, const char *prog,
	char *argv[FUZZ_ARGV_MAX_WORDS + 2], int *argc)
{
	size_t i, start = 0;
	char *buf;
	int n = 0;

	if (size > FUZZ_ARGV_MAX_INPUT)
		return NULL;
	buf = malloc(size + 1);
	if (buf == NULL)
		return NULL;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[n++] = (char *)(uintptr_t)prog;
	for (i = 0; i <= size && n <= FUZZ_ARGV_MAX_WORDS; i++) {
		if (i == size || buf[i] == '\0') {
			if (i > start || i < size)
				argv[n++] = buf + start;
			start = i + 1;
		}
	}
	argv[n] = NULL;
	*argc = n;
	return buf;
}

#endif /* DTC_FUZZ_UTIL_H */
