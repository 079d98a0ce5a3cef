/*
 * Explain mode around one operation: a header naming it, and at its end
 * what it changed, measured rather than narrated: the maps lines of the
 * process that went and came, and every counter that moved (vmstat events
 * and page counts, the process's fault counts and RSS). The narration of
 * the path itself is written by explain() calls in the mm code.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mm/internal.h"

struct explain_snap {
	int pid;			/* 0: no process */
	char *maps;			/* its /proc/PID/maps */
	uint64_t min_flt, maj_flt;
	int64_t rss[NR_MM_COUNTERS];
	int64_t pgtables_bytes;
	int64_t vmstat[NR_VMSTAT_ITEMS];
};

/* vmstat items worth reporting: events and the page counts a learner
 * follows; the per-zone mirrors and NUMA counters only repeat them. */
static bool item_reported(int i)
{
	switch (i) {
	case NR_ANON_PAGES: case NR_MAPPED: case NR_FILE_PAGES:
	case NR_DIRTY: case NR_WRITEBACK: case NR_SHMEM:
	case NR_ANON_TRANSPARENT_HUGEPAGES: case NR_PAGE_TABLE_PAGES:
	case NR_SWAPCACHED: case NR_MLOCK: case NR_INACTIVE_ANON:
	case NR_ACTIVE_ANON: case NR_INACTIVE_FILE: case NR_ACTIVE_FILE:
	case NR_UNEVICTABLE: case NR_FREE_PAGES:
		return true;
	case NUMA_HIT: case NUMA_MISS: case NUMA_FOREIGN:
	case NUMA_INTERLEAVE: case NUMA_LOCAL: case NUMA_OTHER:
		return false;
	default:
		return i >= PGPGIN && strncmp(vmstat_text[i], "numa_", 5);
	}
}

static char *maps_text(struct mmsim_process *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (p && p->mm)
		mmsim_proc_maps(p, f);
	fclose(f);
	return buf;
}

static void snap_free(struct explain *xp)
{
	struct explain_snap *s = xp->snap;

	if (s)
		free(s->maps);
	free(s);
	xp->snap = NULL;
}

void mmsim_explain_set(struct mmsim_machine *m, int mode, FILE *out)
{
	snap_free(&m->xp);
	explain_reset(&m->xp);
	m->xp.on = mode != MMSIM_EXPLAIN_OFF;
	m->xp.json = mode == MMSIM_EXPLAIN_JSON;
	m->xp.out = out;
}

int mmsim_explain_get(const struct mmsim_machine *m)
{
	if (!m->xp.on)
		return MMSIM_EXPLAIN_OFF;
	return m->xp.json ? MMSIM_EXPLAIN_JSON : MMSIM_EXPLAIN_TEXT;
}

void mmsim_explain_begin(struct mmsim_machine *m, struct mmsim_process *p,
			 const char *what)
{
	struct explain_snap *s;

	if (!m->xp.on)
		return;
	snap_free(&m->xp);
	explain_reset(&m->xp);
	s = calloc(1, sizeof(*s));
	if (!s)
		return;
	if (p && p->mm && !p->oom_killed) {
		s->pid = p->pid;
		s->maps = maps_text(p);
		s->min_flt = p->min_flt;
		s->maj_flt = p->maj_flt;
		memcpy(s->rss, p->mm->rss_stat, sizeof(s->rss));
		s->pgtables_bytes = p->mm->pgtables_bytes;
	}
	memcpy(s->vmstat, m->vmstat, sizeof(s->vmstat));
	m->xp.snap = s;
	if (m->xp.json) {
		explain_emit_json(&m->xp, json_pack("{s:s, s:i}", "op",
						     what ? what : "", "pid",
						     s->pid));
		return;
	}
	fprintf(m->xp.out ? m->xp.out : stdout, "> %s\n", what ? what : "");
}

/* Each line of a that is not in b, by the line's whole text. */
static void lines_missing(const char *a, const char *b, const char *sign,
			  FILE *out, json_t *arr)
{
	const char *l = a;

	while (l && *l) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		const char *q = b;
		bool found = false;

		while (q && *q) {
			const char *qn = strchr(q, '\n');
			size_t qlen = qn ? (size_t)(qn - q) : strlen(q);

			if (qlen == n && !memcmp(q, l, n)) {
				found = true;
				break;
			}
			q = qn ? qn + 1 : NULL;
		}
		if (!found) {
			size_t k = n;

			/* maps pads anonymous lines with a blank */
			while (k && l[k - 1] == ' ')
				k--;
			if (arr)
				json_array_append_new(arr,
						      json_stringn(l, k));
			else
				fprintf(out, "  %s %.*s\n", sign, (int)k, l);
		}
		l = nl ? nl + 1 : NULL;
	}
}

static void counter(FILE *out, json_t *obj, bool *first, const char *name,
		    int64_t delta)
{
	if (!delta)
		return;
	if (obj) {
		json_object_set_new(obj, name, json_integer(delta));
		return;
	}
	fprintf(out, "%s%s %+" PRId64, *first ? "  counters: " : ", ", name,
		delta);
	*first = false;
}

void mmsim_explain_end(struct mmsim_machine *m, struct mmsim_process *np)
{
	static const char *const rss_names[NR_MM_COUNTERS] = {
		"rss_file", "rss_anon", "swapents", "rss_shmem"
	};
	struct explain_snap *s = m->xp.snap;
	FILE *out = m->xp.out ? m->xp.out : stdout;
	struct mmsim_process *p;
	json_t *obj = NULL, *gone = NULL, *came = NULL, *cnt = NULL;
	bool first = true;
	char *maps;
	int i;

	if (!m->xp.on || !s)
		return;
	m->xp.depth = 0;
	if (m->xp.dropped) {
		unsigned int n = m->xp.dropped;

		m->xp.events = 0;
		explain(m, "explain", "%u more event(s) not shown: repeats of the paths above", n);
	}
	p = s->pid ? mmsim_process_find(m, s->pid) : np;
	if (p && (!p->mm || p->oom_killed))
		p = NULL;
	if (!s->pid && p) {
		/* a process the operation made: all of its maps came */
		s->maps = strdup("");
		s->pid = p->pid;
	}
	if (m->xp.json) {
		obj = json_object();
		gone = json_array();
		came = json_array();
		cnt = json_object();
	}
	if (s->pid && p) {
		maps = maps_text(p);
		if (maps && s->maps) {
			lines_missing(s->maps, maps, "-", out, gone);
			lines_missing(maps, s->maps, "+", out, came);
		}
		free(maps);
	} else if (s->pid && s->maps) {
		lines_missing(s->maps, "", "-", out, gone);
	}
	for (i = 0; i < NR_VMSTAT_ITEMS; i++) {
		int64_t d = m->vmstat[i] - s->vmstat[i];

		/* /proc/vmstat prints these in PMD-sized units */
		if (i == NR_ANON_TRANSPARENT_HUGEPAGES ||
		    i == NR_SHMEM_HUGEPAGES || i == NR_SHMEM_PMDMAPPED ||
		    i == NR_FILE_HUGEPAGES || i == NR_FILE_PMDMAPPED)
			d /= HPAGE_PMD_NR;
		if (item_reported(i))
			counter(out, cnt, &first, vmstat_text[i], d);
	}
	if (p) {
		counter(out, cnt, &first, "min_flt",
			(int64_t)(p->min_flt - s->min_flt));
		counter(out, cnt, &first, "maj_flt",
			(int64_t)(p->maj_flt - s->maj_flt));
		for (i = 0; i < NR_MM_COUNTERS; i++)
			counter(out, cnt, &first, rss_names[i],
				p->mm->rss_stat[i] - s->rss[i]);
		counter(out, cnt, &first, "pgtables_bytes",
			p->mm->pgtables_bytes - s->pgtables_bytes);
	}
	if (obj) {
		json_object_set_new(obj, "fn", json_string("changes"));
		json_object_set_new(obj, "maps_removed", gone);
		json_object_set_new(obj, "maps_added", came);
		json_object_set_new(obj, "counters", cnt);
		explain_emit_json(&m->xp, obj);
	} else if (!first) {
		fputc('\n', out);
	}
	snap_free(&m->xp);
}

void explain_machine_free(struct mmsim_machine *m)
{
	snap_free(&m->xp);
	explain_free(&m->xp);
}
