/*
 * Oracle: the model's boot-time tuning against the live kernel. Builds a
 * machine with this host's zones (RAM from the present pages, each zone's
 * managed pages from /proc/zoneinfo, THP mode, watermark_scale_factor and
 * lowmem_reserve_ratio from sysctl) and checks that min_free_kbytes, every
 * zone's min/low/high/promo watermarks, its protection array and its PCP
 * batch are what the kernel computed. Spanned and present pages and the
 * model's own estimate of managed pages are reported, not checked: they
 * depend on the firmware's memory map, which the model fixes to the
 * reference machine's.
 *
 * Also the layout of /proc/buddyinfo: the same lines, zone names and
 * columns, each count ending in the same column when both fit its width.
 *
 * Exit 0: equal; 1: a difference; 77: not a Linux 6.18 host with the
 * x86-64 zone layout (or no /proc).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "mm/internal.h"

#define SKIP 77

struct live_zone {
	bool seen;
	uint64_t boost, wmark[NR_WMARK];
	uint64_t spanned, present, managed;
	uint64_t protection[MAX_NR_ZONES];
	int nr_protection;
	long batch;
};

static struct live_zone live[MAX_NR_ZONES];
static const char *const names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

static int skip(const char *why)
{
	printf("zoneinfo oracle skipped: %s\n", why);
	return SKIP;
}

static int read_u64_file(const char *path, uint64_t *v, int n)
{
	FILE *f = fopen(path, "re");
	int i;

	if (!f)
		return -errno;
	for (i = 0; i < n; i++)
		if (fscanf(f, "%" SCNu64, &v[i]) != 1) {
			fclose(f);
			return -EINVAL;
		}
	fclose(f);
	return 0;
}

static int parse_zoneinfo(void)
{
	static const char *const wm[NR_WMARK] = { "min", "low", "high",
						  "promo" };
	char line[512], name[32];
	struct live_zone *z = NULL;
	FILE *f = fopen("/proc/zoneinfo", "re");
	int node, i;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char key[32];
		uint64_t v;

		if (sscanf(line, "Node %d, zone %31s", &node, name) == 2) {
			z = NULL;
			if (node != 0)
				goto bad;
			for (i = 0; i < MAX_NR_ZONES; i++)
				if (!strcmp(name, names[i]))
					z = &live[i];
			if (!z)
				goto bad;
			z->seen = true;
			z->batch = -1;
			continue;
		}
		if (!z)
			continue;
		if (!strncmp(line, "        protection: (", 21)) {
			char *p = line + 21;

			for (z->nr_protection = 0;
			     z->nr_protection < MAX_NR_ZONES;) {
				z->protection[z->nr_protection++] =
					strtoull(p, &p, 10);
				if (*p != ',')
					break;
				p++;
			}
			continue;
		}
		if (sscanf(line, " batch: %" SCNu64, &v) == 1) {
			if (z->batch < 0)
				z->batch = (long)v;
			continue;
		}
		if (sscanf(line, " pages free %" SCNu64, &v) == 1)
			continue;
		if (sscanf(line, " %31s %" SCNu64, key, &v) != 2)
			continue;
		for (i = 0; i < NR_WMARK; i++)
			if (!strcmp(key, wm[i]))
				z->wmark[i] = v;
		if (!strcmp(key, "boost"))
			z->boost = v;
		else if (!strcmp(key, "spanned"))
			z->spanned = v;
		else if (!strcmp(key, "present"))
			z->present = v;
		else if (!strcmp(key, "managed"))
			z->managed = v;
	}
	fclose(f);
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (!live[i].seen || live[i].nr_protection != MAX_NR_ZONES)
			return -EINVAL;
	return 0;
bad:
	fclose(f);
	return -EINVAL;
}

static int failures;

static void check(const char *what, const char *zone, uint64_t model,
		  uint64_t kernel)
{
	if (model == kernel)
		return;
	printf("DIFF %-8s %-16s model %" PRIu64 " kernel %" PRIu64 "\n",
	       zone, what, model, kernel);
	failures++;
}

/*
 * /proc/buddyinfo's layout: line for line the same text up to the first
 * count, as many counts, each ending in the same column (when both the
 * live and the model's count fit the field) and the same line ending.
 */
static void check_buddyinfo_layout(struct mmsim_machine *m)
{
	char *model = NULL, live_buf[4096], *ml, *ll, *msave, *lsave;
	size_t mlen = 0, n;
	FILE *f = open_memstream(&model, &mlen);
	int line = 0;

	if (!f)
		return;
	mmsim_proc_buddyinfo(m, f);
	fclose(f);
	f = fopen("/proc/buddyinfo", "r");
	if (!f) {
		free(model);
		return;
	}
	n = fread(live_buf, 1, sizeof(live_buf) - 1, f);
	live_buf[n] = '\0';
	fclose(f);
	ml = strtok_r(model, "\n", &msave);
	ll = strtok_r(live_buf, "\n", &lsave);
	for (; ml || ll; ml = strtok_r(NULL, "\n", &msave),
			 ll = strtok_r(NULL, "\n", &lsave)) {
		size_t mi, li, mstart, lstart;

		line++;
		if (!ml || !ll) {
			printf("buddyinfo: line %d only in the %s\n", line,
			       ml ? "model" : "kernel");
			failures++;
			return;
		}
		/* "Node 0, zone      DMA": the zone's name 8 wide */
		mi = li = 21;
		if (strlen(ml) < 21 || strlen(ll) < 21 || strncmp(ml, ll, 21)) {
			printf("buddyinfo line %d: model '%s', kernel '%s'\n",
			       line, ml, ll);
			failures++;
			continue;
		}
		for (;;) {
			while (ml[mi] == ' ')
				mi++;
			while (ll[li] == ' ')
				li++;
			mstart = mi;
			lstart = li;
			while (ml[mi] >= '0' && ml[mi] <= '9')
				mi++;
			while (ll[li] >= '0' && ll[li] <= '9')
				li++;
			if (mi - mstart <= 6 && li - lstart <= 6 && mi != li) {
				printf("buddyinfo line %d: a count ends at column "
				       "%zu in the model, %zu in the kernel\n",
				       line, mi, li);
				failures++;
				break;
			}
			if (mi == mstart || li == lstart ||
			    ml[mi] != ll[li]) {
				printf("buddyinfo line %d: model '%s', kernel "
				       "'%s'\n", line, ml, ll);
				failures++;
				break;
			}
			/* the line ends after this count (and a blank) */
			if (!ml[mi] || !ml[mi + 1] || !ll[li + 1]) {
				if (ml[mi] && (ml[mi + 1] || ll[li + 1])) {
					printf("buddyinfo line %d: model '%s', "
					       "kernel '%s'\n", line, ml, ll);
					failures++;
				}
				break;
			}
		}
	}
	free(model);
}

static int thp_mode(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");

	if (!f)
		return THP_NEVER;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	if (strstr(buf, "[always]"))
		return THP_ALWAYS;
	if (strstr(buf, "[madvise]"))
		return THP_MADVISE;
	return THP_NEVER;
}

int main(void)
{
	static const char *const thp_names[] = { "never", "madvise", "always" };
	uint64_t min_free_kbytes, wsf, ratio[MAX_NR_ZONES], present = 0;
	struct mmsim_config cfg = { 0 };
	struct mmsim_machine *m;
	struct utsname u;
	int i, w, thp;

	if (uname(&u) || strcmp(u.sysname, "Linux") ||
	    strncmp(u.release, "6.18", 4) ||
	    (u.release[4] != '.' && u.release[4] != '-' && u.release[4]))
		return skip("not Linux 6.18");
	if (strcmp(u.machine, "x86_64"))
		return skip("not x86-64");
	if (parse_zoneinfo())
		return skip("/proc/zoneinfo is not one node with DMA, DMA32, "
			    "Normal, Movable and Device");
	if (read_u64_file("/proc/sys/vm/min_free_kbytes", &min_free_kbytes,
			  1) ||
	    read_u64_file("/proc/sys/vm/watermark_scale_factor", &wsf, 1) ||
	    read_u64_file("/proc/sys/vm/lowmem_reserve_ratio", ratio,
			  MAX_NR_ZONES))
		return skip("cannot read /proc/sys/vm");

	/*
	 * RAM: the present pages plus what the model's e820 map leaves out
	 * below the end of RAM (page 0 and 636 KiB..1 MiB).
	 */
	for (i = 0; i < MAX_NR_ZONES; i++)
		present += live[i].present;
	cfg.ram_bytes = (present + 1 + 0x100 - 0x9f) << PAGE_SHIFT;
	for (i = 0; i <= ZONE_NORMAL; i++)
		cfg.managed_pages[i] = live[i].managed;
	m = mmsim_machine_create(&cfg);
	if (!m) {
		printf("zoneinfo oracle: cannot create the model\n");
		return 1;
	}
	thp = thp_mode();
	mmsim_knob_set(m, "mm.transparent_hugepage.enabled", thp_names[thp]);
	memcpy(m->pgdat->lowmem_reserve_ratio, ratio, sizeof(ratio));
	m->watermark_scale_factor = wsf;
	/* boot again with the host's settings */
	init_per_zone_wmark_min(m);
	set_recommended_min_free_kbytes(m);

	printf("host: %" PRIu64 " present pages, THP %s, "
	       "watermark_scale_factor %" PRIu64 "\n",
	       present, thp_names[thp], wsf);
	check("min_free_kbytes", "-", m->min_free_kbytes, min_free_kbytes);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &m->pgdat->node_zones[i];
		int j;

		for (w = 0; w < NR_WMARK; w++) {
			static const char *const wn[] = { "min", "low", "high",
							  "promo" };

			check(wn[w], names[i], zone->_watermark[w],
			      live[i].wmark[w] - live[i].boost);
		}
		for (j = 0; j < MAX_NR_ZONES; j++) {
			char what[32];

			snprintf(what, sizeof(what), "protection[%d]", j);
			check(what, names[i], zone->lowmem_reserve[j],
			      live[i].protection[j]);
		}
		if (live[i].batch >= 0)
			check("pcp batch", names[i], (uint64_t)zone->pcp.batch,
			      (uint64_t)live[i].batch);
		printf("%-8s spanned %8" PRIu64 " (model %8" PRIu64
		       ")  present %8" PRIu64 " (model %8" PRIu64
		       ")  managed %8" PRIu64 "\n",
		       names[i], live[i].spanned, zone->spanned_pages,
		       live[i].present, zone->present_pages, live[i].managed);
	}
	check_buddyinfo_layout(m);
	mmsim_machine_destroy(m);

	/* the model's own estimate of managed pages, for information */
	cfg = (struct mmsim_config){ .ram_bytes = cfg.ram_bytes };
	m = mmsim_machine_create(&cfg);
	if (m) {
		for (i = 0; i <= ZONE_NORMAL; i++)
			printf("%-8s managed estimate %8" PRIu64 " (%+" PRId64
			       ")\n",
			       names[i], m->pgdat->node_zones[i].managed_pages,
			       (int64_t)(m->pgdat->node_zones[i].managed_pages -
					 live[i].managed));
		mmsim_machine_destroy(m);
	}
	if (failures) {
		printf("zoneinfo oracle: %d differences (a min_free_kbytes "
		       "set by hand, or managed pages changed since boot by a "
		       "balloon or hotplug, also show here)\n",
		       failures);
		return 1;
	}
	printf("zoneinfo oracle: min_free_kbytes, watermarks, protection "
	       "and PCP batch equal the kernel's; /proc/buddyinfo's layout "
	       "is the kernel's\n");
	return 0;
}
