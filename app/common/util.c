/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>

#include "dtc_app.h"

volatile bool dtc_force_quit;
uint64_t dtc_tsc_hz = 1;
uint64_t dtc_us_mult = 1;

int
dtc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -EINVAL; /* no sign, no space, not empty */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0')
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
dtc_parse_u64_list(const char *s, uint64_t min, uint64_t max, uint64_t *out,
	unsigned int max_n)
{
	char buf[1024];
	char *tok, *save = NULL;
	unsigned int n = 0;

	if (s == NULL || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n >= max_n || dtc_parse_u64(tok, min, max, &out[n]) != 0)
			return -EINVAL;
		n++;
	}
	return n > 0 ? (int)n : -EINVAL;
}

void
dtc_opt_fail(const char *prog, const char *opt, const char *value, const char *reason)
{
	char buf[300];

	dtc_opt_fail_at(prog, dtc_config_where(value, buf, sizeof(buf)), opt, value, reason);
}

void
dtc_opt_fail_at(const char *prog, const char *where, const char *opt, const char *value,
	const char *reason)
{
	fprintf(stderr, "%s: ", prog);
	if (where != NULL)
		fprintf(stderr, "%s: ", where);
	if (value != NULL)
		fprintf(stderr, "invalid value '%s' for option %s: %s\n", value, opt, reason);
	else
		fprintf(stderr, "option %s: %s\n", opt, reason);
	fprintf(stderr, "Try '%s -- --help' for more information.\n", prog);
	exit(DTC_EXIT_USAGE);
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		dtc_log_request_reopen();
	else
		dtc_force_quit = true;
}

void
dtc_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
dtc_pidfile_write(const char *path)
{
	char buf[32];
	int fd, n, rc = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n)
		rc = -EIO;
	close(fd);
	return rc;
}

void
dtc_pidfile_remove(const char *path)
{
	if (path != NULL)
		unlink(path);
}

int
dtc_daemonize(void)
{
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		exit(0);
	if (setsid() < 0)
		return -errno;
	pid = fork(); /* never reacquire a controlling terminal */
	if (pid < 0)
		return -errno;
	if (pid > 0)
		exit(0);
	if (chdir("/") != 0)
		return -errno;
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

void
dtc_clock_init(void)
{
	dtc_tsc_hz = rte_get_tsc_hz();
	if (dtc_tsc_hz == 0)
		dtc_tsc_hz = 1;
	dtc_us_mult = (uint64_t)(((unsigned __int128)1000000u << 48) / dtc_tsc_hz);
}

double
dtc_since_launch_ms(void)
{
	static double start_s = -1.0;
	struct timespec now;

	if (start_s < 0) {
		char buf[1024], *p;
		unsigned long long ticks = 0;
		FILE *f = fopen("/proc/self/stat", "r");
		size_t n = f != NULL ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		int i;

		if (f != NULL)
			fclose(f);
		buf[n] = '\0';
		/* field 22 (starttime, clock ticks since boot), counted after "(comm)" */
		p = strrchr(buf, ')');
		for (i = 0; p != NULL && i < 20; i++)
			p = strchr(p + 1, ' ');
		if (p != NULL)
			ticks = strtoull(p + 1, NULL, 10);
		start_s = (double)ticks / (double)sysconf(_SC_CLK_TCK);
	}
	/* the start time counts from boot, as CLOCK_BOOTTIME does */
	clock_gettime(CLOCK_BOOTTIME, &now);
	return ((double)now.tv_sec + (double)now.tv_nsec / 1e9 - start_s) * 1000.0;
}

void
dtc_idle_sleep(struct dtc_idle *s)
{
	struct timespec ts;

	s->cur_us = s->cur_us == 0 ? 1 : s->cur_us * 2;
	if (s->cur_us > s->max_us)
		s->cur_us = s->max_us;
	ts.tv_sec = s->cur_us / 1000000;
	ts.tv_nsec = (long)(s->cur_us % 1000000) * 1000;
	nanosleep(&ts, NULL);
	s->sleeps++;
}
