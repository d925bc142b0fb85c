/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * The log never fills a disk and never blocks a worker: workers do not log at all (they
 * count), DPDK's log stream is a FILE whose writer keeps the file under a size cap by
 * rotating it to "<path>.1", and SIGHUP reopens it for external rotation.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>

#include "dtc_app.h"

static struct {
	char *path;
	int fd;
	uint64_t size;
	uint64_t max;
	FILE *stream;
} lg = { .fd = -1 };

static volatile sig_atomic_t log_reopen;

static int
log_reopen_fd(void)
{
	struct stat st;
	int fd;

	fd = open(lg.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0)
		return -errno;
	if (lg.fd >= 0)
		close(lg.fd);
	lg.fd = fd;
	lg.size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

static void
log_rotate(void)
{
	char old[4096];

	if (snprintf(old, sizeof(old), "%s.1", lg.path) >= (int)sizeof(old))
		return;
	if (rename(lg.path, old) == 0)
		log_reopen_fd();
}

static ssize_t
log_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;

	(void)cookie;
	if (lg.size + len > lg.max)
		log_rotate();
	while (done < len) {
		ssize_t n = write(lg.fd, buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break; /* a full disk must not stop the copier: drop the line */
		}
		done += (size_t)n;
	}
	lg.size += done;
	return (ssize_t)len;
}

int
dtc_log_open(const char *path, uint64_t max_bytes)
{
	cookie_io_functions_t io = { .write = log_write };
	int rc;

	if (path == NULL)
		return 0; /* stderr (the journal under systemd) */
	lg.path = strdup(path);
	if (lg.path == NULL)
		return -ENOMEM;
	lg.max = max_bytes != 0 ? max_bytes : DTC_LOG_MAX_DEFAULT;
	rc = log_reopen_fd();
	if (rc != 0)
		return rc;
	lg.stream = fopencookie(NULL, "w", io);
	if (lg.stream == NULL)
		return -errno;
	setvbuf(lg.stream, NULL, _IOLBF, 0);
	return rte_openlog_stream(lg.stream);
}

void
dtc_log_request_reopen(void)
{
	log_reopen = 1;
}

void
dtc_log_service(void)
{
	if (!log_reopen || lg.path == NULL)
		return;
	log_reopen = 0;
	fflush(lg.stream);
	if (log_reopen_fd() != 0)
		RTE_LOG(ERR, USER1, "cannot reopen log file %s: %s\n", lg.path, strerror(errno));
}

void
dtc_log_close(void)
{
	if (lg.stream != NULL) {
		rte_openlog_stream(NULL);
		fclose(lg.stream);
		lg.stream = NULL;
	}
	if (lg.fd >= 0)
		close(lg.fd);
	lg.fd = -1;
	free(lg.path);
	lg.path = NULL;
}
