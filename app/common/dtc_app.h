/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * Runtime pieces both applications share: --config files, the capped log file reopened on
 * SIGHUP, pid file, daemon mode, a TSC clock in microseconds, adaptive idle polling, and
 * strict option value parsing.  Everything here runs on the main lcore only, except
 * dtc_now_us() and struct dtc_idle, which are safe on any lcore.
 */

#ifndef DTC_APP_H
#define DTC_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_cycles.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status for bad command-line input, as getopt tools use. */
#define DTC_EXIT_USAGE 2

/* ------------------------------------------------------------------ */
/* Strict parsing of option values. */

/* Decimal integer in [min, max], whole string, no sign surprises.  0 or -EINVAL/-ERANGE. */
int dtc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* A list "a,b,c" of integers in [min, max]; returns the count (<= max_n) or -EINVAL. */
int dtc_parse_u64_list(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	unsigned int max_n);

/* Print "<prog>: invalid value 'value' for option opt: reason" to stderr and exit(2).  When
 * value points into a word from a --config file, the message starts with "FILE:LINE: ". */
void dtc_opt_fail(const char *prog, const char *opt, const char *value, const char *reason)
	__attribute__((noreturn));
/* The same with the location given (where may be NULL). */
void dtc_opt_fail_at(const char *prog, const char *where, const char *opt, const char *value,
	const char *reason) __attribute__((noreturn));

/* ------------------------------------------------------------------ */
/*
 * Command-line options from one table (opts.c).  An app lists its options once in an X-macro
 * of S(title) help sections and O(long name, code, has_arg, metavar, help) options, and
 * expands it with DTC_OPT_LONG into getopt_long's table and with DTC_OPT_DESC into
 * struct dtc_optdesc entries, from which the short option string and the help text are
 * generated: none of them can miss an option.  The parser never prints or exits, so tests and
 * fuzz harnesses can run it many times; dtc_opts_exit_unless_ok() is main()'s side.
 */

struct option;

struct dtc_optdesc {
	const char *name;             /* long name; NULL: a help section title (in help) */
	int code;                     /* the letter, or >= 256 for a long-only option */
	int has_arg;                  /* no_argument or required_argument */
	const char *meta;             /* the value in the help ("FILE"), NULL for a flag */
	const char *help;             /* lines separated by '\n' */
};

#define DTC_OPT_NO_SECTION(title)
#define DTC_OPT_LONG(name, code, has, meta, help) { name, has, NULL, code },
#define DTC_OPT_DESC_SECTION(title) { NULL, 0, 0, NULL, title },
#define DTC_OPT_DESC(name, code, has, meta, help) { name, code, has, meta, help },

/* A letter of the original tool that we do not have, and what to use instead. */
struct dtc_opt_gone {
	int letter;
	const char *why;
};

struct dtc_opts_table {
	const struct dtc_optdesc *desc;
	unsigned int n_desc;
	const struct option *longopts;  /* NULL-terminated, from the same X-macro */
	const char *gone_from;        /* "intercept 1.x": "option -i of intercept 1.x: why" */
	const struct dtc_opt_gone *gone;
	unsigned int n_gone;
};

/* Results of the non-exiting parser. */
enum dtc_opts_rc {
	DTC_OPTS_OK = 0,              /* options valid, the app's options filled */
	DTC_OPTS_HELP = 1,            /* -h/--help seen: print the help and exit 0 */
	DTC_OPTS_VERSION = 2,         /* -v/--version seen: print the version and exit 0 */
	DTC_OPTS_ERROR = -1,          /* invalid input, described in struct dtc_opts_err */
};

/* What was wrong; dtc_opts_exit_unless_ok() prints it (exit status 2). */
struct dtc_opts_err {
	char opt[48];                 /* "-x/--transfer", "--rx-port", or "" when not one option */
	char value[256];              /* the offending value (cut at 255 bytes); "" when none */
	bool has_value;               /* false: "option X: reason" (missing, unknown, required) */
	char reason[640];
	const char *src;              /* the argv word it is about (for --config lines), or NULL */
};

/* One parse: the table, where errors go, and nothing else (apps embed it in their state). */
struct dtc_opts_ctx {
	const struct dtc_opts_table *table;
	struct dtc_opts_err *err;
};

/* Record an error about option code's value (value NULL: about the option itself, e.g. "is
 * required"); returns DTC_OPTS_ERROR. */
int dtc_opts_fail(struct dtc_opts_ctx *p, int code, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An error not about one option's value (opt left empty); returns DTC_OPTS_ERROR. */
int dtc_opts_fail_free(struct dtc_opts_ctx *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Option values for set() functions: an integer in [min, max] ("expected an integer from MIN
 * to MAX"), a file name that is not empty.  0 or DTC_OPTS_ERROR; *out is set on success only. */
int dtc_opts_u64(struct dtc_opts_ctx *p, int code, const char *v, uint64_t min, uint64_t max,
	uint64_t *out);
int dtc_opts_u32(struct dtc_opts_ctx *p, int code, const char *v, uint64_t min, uint64_t max,
	uint32_t *out);
int dtc_opts_file(struct dtc_opts_ctx *p, int code, const char *v, const char **out);

/* Called for every option but -h and -v, in command-line order; 0 or DTC_OPTS_ERROR. */
typedef int (*dtc_opts_set_t)(struct dtc_opts_ctx *p, int code, const char *value);

/*
 * Run getopt_long over argv (argv[0] = program name; getopt is reset first, so any number of
 * calls; argv may be permuted): fills *p->err and returns DTC_OPTS_ERROR for an unknown
 * option, a missing or unwanted value, a stray argument or whatever set() rejects; returns
 * DTC_OPTS_HELP or _VERSION at the first -h or -v, DTC_OPTS_OK at the end of the options.
 */
int dtc_opts_getopt(struct dtc_opts_ctx *p, int argc, char **argv, dtc_opts_set_t set);

/* The option sections of the help, on stdout (the app prints what comes before and after). */
void dtc_opts_usage(const struct dtc_opts_table *t);

typedef void (*dtc_opts_usage_t)(const char *prog);
typedef void (*dtc_opts_version_t)(void);

/*
 * main()'s side of a parser result rc: return on DTC_OPTS_OK; print the help or the version
 * and exit 0; or print err ("<prog>: [FILE:LINE: ]invalid value '<v>' for option <opt>:
 * <why>") and exit with status 2.
 */
void dtc_opts_exit_unless_ok(int rc, const char *prog, const struct dtc_opts_err *err,
	dtc_opts_usage_t usage, dtc_opts_version_t version);

/* ------------------------------------------------------------------ */
/* --config FILE: the same long options, one per line ("transfer 80-198.18.1.56:80"), '#'
 * comments, and "eal <EAL arguments>" lines for the EAL.  The command line overrides the file
 * (its options come after the file's). */

struct dtc_argv {
	int argc;
	char **argv;                  /* NULL-terminated, owned */
};

/*
 * Build the argument vector to use from the real one: when "--config FILE" (or
 * "--config=FILE") appears among the options (after "--"), the file's EAL
 * arguments are inserted before the command line's EAL arguments and the file's options
 * before the command line's options.  Without --config, a plain copy.  On error returns
 * -EINVAL with "FILE:LINE: reason" in err.
 */
int dtc_config_expand(int argc, char **argv, struct dtc_argv *out, char *err, size_t errlen);
/* Parse config text (for tests and fuzzing): EAL and option words appended to the vectors. */
int dtc_config_parse_text(const char *text, size_t len, const char *fname, struct dtc_argv *eal,
	struct dtc_argv *opts, char *err, size_t errlen);
void dtc_argv_free(struct dtc_argv *a);
/*
 * When p points into an option word that came from the last expanded --config file, write
 * "FILE:LINE" into buf and return it; otherwise NULL.  Lets option parsers locate errors.
 */
const char *dtc_config_where(const char *p, char *buf, size_t len);
int dtc_argv_push(struct dtc_argv *a, const char *s);

/* Index of "--" in argv (the end of EAL arguments), or argc when absent. */
int dtc_argv_split(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* Logging: DPDK's log stream goes to a size-capped file (path.1 keeps the previous one), or
 * stderr when no file is given.  SIGHUP sets a flag; dtc_log_service() on the main lcore
 * reopens the file (for logrotate). */

#define DTC_LOG_MAX_DEFAULT (64u << 20)

int dtc_log_open(const char *path, uint64_t max_bytes);
/* Async-signal-safe: ask dtc_log_service() to reopen the file. */
void dtc_log_request_reopen(void);
void dtc_log_service(void);
void dtc_log_close(void);

/* ------------------------------------------------------------------ */
/* Signals: SIGINT/SIGTERM set dtc_force_quit; SIGHUP asks for a log reopen; SIGPIPE ignored. */

extern volatile bool dtc_force_quit;
void dtc_signals_install(void);

/* ------------------------------------------------------------------ */
/* Pid file and daemon mode. */

/* Write our pid (O_EXCL-free, replaces a stale file); 0 or -errno. */
int dtc_pidfile_write(const char *path);
void dtc_pidfile_remove(const char *path);
/* Fork into the background before rte_eal_init(): setsid, chdir /, stdio to /dev/null.
 * Returns 0 in the daemon, -errno on failure (the parent exits 0). */
int dtc_daemonize(void);

/* ------------------------------------------------------------------ */
/* Clock: microseconds from the TSC, no syscall. */

extern uint64_t dtc_tsc_hz;
extern uint64_t dtc_us_mult;          /* (1e6 << 48) / tsc_hz */

/* After rte_eal_init (uses rte_get_tsc_hz). */
void dtc_clock_init(void);

static inline uint64_t
dtc_now_us(void)
{
	/* A multiply and a shift instead of a division; 128-bit so it never overflows. */
	return (uint64_t)(((unsigned __int128)rte_get_tsc_cycles() * dtc_us_mult) >> 48);
}

/* ------------------------------------------------------------------ */
/* Adaptive polling: after a run of empty polls, sleep, doubling up to max_us; any work
 * resets it.  max_us == 0 means pure busy polling. */

struct dtc_idle {
	uint32_t max_us;
	uint32_t cur_us;
	uint32_t empty;
	uint64_t sleeps;              /* how many times we slept (for stats) */
};

static inline void
dtc_idle_init(struct dtc_idle *s, uint32_t max_us)
{
	s->max_us = max_us;
	s->cur_us = 0;
	s->empty = 0;
	s->sleeps = 0;
}

void dtc_idle_sleep(struct dtc_idle *s);

/* Call once per poll-loop iteration with the amount of work done. */
static inline void
dtc_idle_update(struct dtc_idle *s, unsigned int work)
{
	if (work != 0 || s->max_us == 0) {
		s->empty = 0;
		s->cur_us = 0;
		return;
	}
	if (++s->empty >= 64)
		dtc_idle_sleep(s);
}

/* ------------------------------------------------------------------ */
/* The EAL and its af_packet ports (eal.c). */

/*
 * Bytes the EAL can still give on socket (< 0: the caller's): the heap's free bytes, plus with
 * hugepages in dynamic memory mode (dynamic: not --legacy-mem) the free hugepages of the page
 * sizes the EAL uses.  how (may be NULL) gets a one-line account for the log.
 */
uint64_t dtc_eal_mem_avail(int socket, bool dynamic, char *how, size_t len);

/* The af_packet capture ring a mirror needs: 32 MiB of 2048-byte frames (16384 frames), which
 * lost nothing on the lab loads; the PMD's own default is 512 frames (1 MiB). */
#define DTC_AFP_RING_BYTES (32u << 20)
#define DTC_AFP_FRAMESZ 2048u
#define DTC_AFP_MIN_FRAMES 512u

/*
 * An af_packet vdev's devargs ("net_af_packet0,iface=eth1,...") with framecnt filled in when
 * the user gave none (a DTC_AFP_RING_BYTES ring of the frame size given, or 2048), *changed
 * set; any other string unchanged.  0 or -ENAMETOOLONG.
 */
int dtc_eal_afp_devargs(const char *v, char *out, size_t len, bool *changed);
/*
 * The EAL argument vector to use (argv[0] first): every af_packet --vdev through
 * dtc_eal_afp_devargs, then one af_packet vdev (net_af_packet_dtcI,iface=NAME,framecnt=...)
 * per --iface name, after the user's vdevs.  note gets the vdevs that were changed or added,
 * for the log ("" when none).  0 or -errno (out is then empty).
 */
int dtc_eal_args_fixup(int argc, char **argv, const char *const *ifaces, unsigned int n_ifaces,
	struct dtc_argv *out, char *note, size_t note_len);

/* --iface NAME[,NAME]: Linux interface names (1..15 characters, none of ",=:/" or spaces),
 * distinct; the count (<= max_n) or -EINVAL. */
#define DTC_IFNAMSIZ 16
int dtc_parse_iface_list(const char *s, char (*out)[DTC_IFNAMSIZ], unsigned int max_n);

#define DTC_AFP_MAX_FDS 16

/* The kernel side of an af_packet port: its sockets (one per queue pair) and what their rings
 * dropped because they were full (PACKET_STATISTICS tp_drops, accumulated: a read resets). */
struct dtc_afp_drops {
	uint16_t port;
	bool is_afp;
	unsigned int n_fds;
	int fds[DTC_AFP_MAX_FDS];
	uint64_t drops, packets;
};

/* Find port's af_packet sockets (among our fds, by their bound ifindex); the number found, 0
 * for another driver, or -errno. */
int dtc_afp_find(struct dtc_afp_drops *d, uint16_t port);
/* Read and accumulate the kernel counters; returns the drops so far.  Main lcore only. */
uint64_t dtc_afp_read(struct dtc_afp_drops *d);

#ifdef __cplusplus
}
#endif

#endif /* DTC_APP_H */
