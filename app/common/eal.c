/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The dpdk-tcpcopy authors
 */

/*
 * What both apps need to know about their EAL and its af_packet ports: how much memory the
 * EAL can still give (the default of the copier's -m), the EAL arguments with the af_packet
 * capture ring sized for a mirror (and --iface NAME turned into such a vdev), and the kernel
 * ring's own drop counter (PACKET_STATISTICS tp_drops), which no DPDK counter shows.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_packet.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "dtc_app.h"

/* ------------------------------------------------------------------ */
/* Memory. */

struct mem_walk {
	int socket;
	uint64_t va_left;             /* room left in the memseg lists of that socket */
	uint64_t page_sz[4];          /* distinct page sizes of those lists */
	unsigned int n_sz;
};

static int
msl_cb(const struct rte_memseg_list *msl, void *arg)
{
	struct mem_walk *w = arg;
	uint64_t used;
	unsigned int i;

	if (msl->external || msl->socket_id != w->socket || msl->page_sz == 0)
		return 0;
	used = (uint64_t)msl->memseg_arr.count * msl->page_sz;
	if (msl->len > used)
		w->va_left += msl->len - used;
	for (i = 0; i < w->n_sz; i++)
		if (w->page_sz[i] == msl->page_sz)
			return 0;
	if (w->n_sz < RTE_DIM(w->page_sz))
		w->page_sz[w->n_sz++] = msl->page_sz;
	return 0;
}

static uint64_t
free_hugepages(int socket, uint64_t page_sz)
{
	char path[160];
	unsigned long long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/hugepages/hugepages-%"
		PRIu64 "kB/free_hugepages", socket, page_sz >> 10);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%" PRIu64
			"kB/free_hugepages", page_sz >> 10);
		f = fopen(path, "r");
	}
	if (f == NULL)
		return 0;
	if (fscanf(f, "%llu", &n) != 1)
		n = 0;
	fclose(f);
	return (uint64_t)n * page_sz;
}

uint64_t
dtc_eal_mem_avail(int socket, bool dynamic, char *how, size_t len)
{
	struct rte_malloc_socket_stats st;
	struct mem_walk w = { .socket = socket };
	uint64_t heap = 0, more = 0;
	unsigned int i;

	if (socket < 0)
		socket = w.socket = (int)rte_socket_id();
	if (rte_malloc_get_socket_stats(socket, &st) == 0)
		heap = st.heap_freesz_bytes;
	/* hugepages in dynamic mode: the heap grows into the free pages, within its lists */
	if (rte_eal_has_hugepages() && dynamic) {
		rte_memseg_list_walk(msl_cb, &w);
		for (i = 0; i < w.n_sz; i++)
			more += free_hugepages(socket, w.page_sz[i]);
		more = RTE_MIN(more, w.va_left);
	}
	if (how != NULL && more != 0)
		snprintf(how, len, "hugepages: %.1f MB free in the heap + %.1f MB of free hugepages",
			(double)heap / 1048576.0, (double)more / 1048576.0);
	else if (how != NULL)
		snprintf(how, len, "%s: %.1f MB free in the heap", rte_eal_has_hugepages() ?
			"hugepages" : "no hugepages", (double)heap / 1048576.0);
	return heap + more;
}

/* ------------------------------------------------------------------ */
/* af_packet ring defaults and --iface. */

static bool
is_afp_vdev(const char *v)
{
	return strncmp(v, "net_af_packet", 13) == 0 || strncmp(v, "eth_af_packet", 13) == 0;
}

/* The value of key in a "name,k=v,k=v" devargs string, 0 when absent or not a number. */
static uint64_t
devarg_u64(const char *v, const char *key, bool *present)
{
	size_t kl = strlen(key);
	const char *p = strchr(v, ',');

	*present = false;
	while (p != NULL) {
		p++;
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			*present = true;
			return strtoull(p + kl + 1, NULL, 10);
		}
		p = strchr(p, ',');
	}
	return 0;
}

int
dtc_eal_afp_devargs(const char *v, char *out, size_t len, bool *changed)
{
	bool has_cnt, has_fsz, has_bsz;
	uint64_t fsz, bsz, cnt;
	int w;

	*changed = false;
	if (!is_afp_vdev(v) || strchr(v, ',') == NULL) {
		w = snprintf(out, len, "%s", v);
		return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
	}
	(void)devarg_u64(v, "framecnt", &has_cnt);
	fsz = devarg_u64(v, "framesz", &has_fsz);
	bsz = devarg_u64(v, "blocksz", &has_bsz);
	if (has_cnt) {
		w = snprintf(out, len, "%s", v);
		return w < 0 || (size_t)w >= len ? -ENAMETOOLONG : 0;
	}
	if (!has_fsz || fsz == 0)
		fsz = DTC_AFP_FRAMESZ;
	cnt = DTC_AFP_RING_BYTES / fsz;
	if (has_bsz && bsz >= fsz && bsz % fsz == 0)
		cnt -= cnt % (bsz / fsz);
	cnt = RTE_MAX(cnt, (uint64_t)DTC_AFP_MIN_FRAMES);
	w = snprintf(out, len, "%s,framecnt=%" PRIu64, v, cnt);
	if (w < 0 || (size_t)w >= len)
		return -ENAMETOOLONG;
	*changed = true;
	return 0;
}

static void
add_note(char *note, size_t len, const char *val)
{
	size_t at = strlen(note);

	if (at < len)
		snprintf(note + at, len - at, "%s%s", at != 0 ? "; " : "", val);
}

int
dtc_eal_args_fixup(int argc, char **argv, const char *const *ifaces, unsigned int n_ifaces,
	struct dtc_argv *out, char *note, size_t note_len)
{
	char buf[1040], val[1024];
	unsigned int i;
	int k, rc = 0;
	bool changed;

	memset(out, 0, sizeof(*out));
	if (note_len > 0)
		note[0] = '\0';
	for (k = 0; k < argc && rc == 0; k++) {
		const char *a = argv[k];

		if (k > 0 && strncmp(a, "--vdev=", 7) == 0) {
			rc = dtc_eal_afp_devargs(a + 7, val, sizeof(val), &changed);
			if (rc == 0 && changed)
				add_note(note, note_len, val);
			if (rc == 0) {
				snprintf(buf, sizeof(buf), "--vdev=%s", val);
				rc = dtc_argv_push(out, buf);
			}
		} else if (k > 0 && strcmp(a, "--vdev") == 0 && k + 1 < argc) {
			rc = dtc_argv_push(out, a);
			if (rc == 0)
				rc = dtc_eal_afp_devargs(argv[++k], val, sizeof(val), &changed);
			if (rc == 0 && changed)
				add_note(note, note_len, val);
			if (rc == 0)
				rc = dtc_argv_push(out, val);
		} else {
			rc = dtc_argv_push(out, a);
		}
	}
	for (i = 0; i < n_ifaces && rc == 0; i++) {
		char v[256];

		if (snprintf(v, sizeof(v), "net_af_packet_dtc%u,iface=%s", i, ifaces[i]) >=
				(int)sizeof(v)) {
			rc = -ENAMETOOLONG;
			break;
		}
		rc = dtc_eal_afp_devargs(v, val, sizeof(val), &changed);
		if (rc == 0) {
			add_note(note, note_len, val);
			snprintf(buf, sizeof(buf), "--vdev=%s", val);
			rc = dtc_argv_push(out, buf);
		}
	}
	if (rc != 0)
		dtc_argv_free(out);
	return rc;
}

int
dtc_parse_iface_list(const char *s, char (*out)[DTC_IFNAMSIZ], unsigned int max_n)
{
	unsigned int n = 0, i;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len == 0 || len >= DTC_IFNAMSIZ || n == max_n)
			return -EINVAL;
		for (i = 0; i < len; i++)
			if (p[i] <= ' ' || p[i] > '~' || strchr("=:/", p[i]) != NULL)
				return -EINVAL;
		memcpy(out[n], p, len);
		out[n][len] = '\0';
		for (i = 0; i < n; i++)
			if (strcmp(out[i], out[n]) == 0)
				return -EINVAL;
		n++;
		if (p[len] == '\0')
			return (int)n;
		p += len + 1;
	}
}

/* ------------------------------------------------------------------ */
/* Kernel ring drops of af_packet ports. */

int
dtc_afp_find(struct dtc_afp_drops *d, uint16_t port)
{
	struct rte_eth_dev_info info;
	struct dirent *de;
	DIR *dir;

	memset(d, 0, sizeof(*d));
	d->port = port;
	if (rte_eth_dev_info_get(port, &info) != 0 ||
			strcmp(info.driver_name, "net_af_packet") != 0 || info.if_index == 0)
		return 0;
	d->is_afp = true;
	dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return -errno;
	while ((de = readdir(dir)) != NULL && d->n_fds < DTC_AFP_MAX_FDS) {
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		int fd, dom = 0;
		socklen_t dl = sizeof(dom);
		char *end;

		fd = (int)strtol(de->d_name, &end, 10);
		if (*end != '\0' || fd == dirfd(dir))
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &dl) != 0 || dom != AF_PACKET)
			continue;
		if (getsockname(fd, (struct sockaddr *)&sll, &sl) != 0 ||
				sll.sll_family != AF_PACKET ||
				(unsigned int)sll.sll_ifindex != info.if_index)
			continue;
		d->fds[d->n_fds++] = fd;
	}
	closedir(dir);
	return (int)d->n_fds;
}

uint64_t
dtc_afp_read(struct dtc_afp_drops *d)
{
	unsigned int i;

	/* PACKET_STATISTICS returns the counts since the last read and resets them */
	for (i = 0; i < d->n_fds; i++) {
		struct tpacket_stats st;
		socklen_t sl = sizeof(st);

		if (getsockopt(d->fds[i], SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0) {
			d->drops += st.tp_drops;
			d->packets += st.tp_packets;
		}
	}
	return d->drops;
}
