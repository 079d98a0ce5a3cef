/*
 * `mmsim report --html`: runs a script and draws what it did as one
 * self-contained HTML page (inline SVG and CSS, no script, nothing
 * fetched): for each process left at the end an address-space map to
 * scale with the gaps compressed, its VMAs and its page-table tree; for
 * each process the script ran, its resident memory, page faults and THPs
 * after every operation as line charts; the machine's /proc/meminfo and
 * the script with its output.
 */
#ifndef MMSIM_TRACE_REPORT_H
#define MMSIM_TRACE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/replay.h"
#include "trace/script.h"

/*
 * Runs the script text (len bytes) as script_run() does with opts (its
 * out is captured for the page; its observe hook is the report's own) and
 * writes the page to html. title names the script in the page. Returns
 * the run's status (SCRIPT_OK, SCRIPT_FAILED, SCRIPT_ERROR), with
 * *written set when the page was written: a script with syntax errors
 * runs nothing and writes none, a run that stops writes what ran. -EIO
 * when html could not be written, -ENOMEM when memory ran out.
 */
int report_html(const char *text, size_t len, const struct script_opts *opts,
		const char *title, FILE *html, bool *written);

/* A process of a replay at its last moment (report_replay_html()). */
struct report_exit {
	int pid;			/* the recorded pid */
	char exe[256];			/* the last program it exec'd */
	bool exited;			/* reached its exit, not the log's end */
	bool oom_killed;
	uint64_t step;			/* operations replayed before */
	char *maps, *smaps;		/* its /proc/PID/maps and smaps then */
	char *html;			/* its map and page tables, drawn then */
	size_t html_len;
};

/*
 * Replays opts->path as replay_run() does (into *res: release it with
 * replay_result_free()) and draws it into html: each process's address
 * space and page tables at its exit (captured before exit tears them
 * down), its resident memory, faults and THPs after every replayed
 * operation, the machine at the end. When exits is not NULL, the
 * processes' captures are handed over (free with report_exits_free()).
 * Returns replay_run()'s status, with *written set when the page was
 * written (not when bad input stopped the replay before it ran); -EIO,
 * -ENOMEM.
 */
int report_replay_html(const struct replay_opts *opts,
		       struct replay_result *res, const char *title,
		       FILE *html, bool *written, struct report_exit **exits,
		       size_t *nexits);
void report_exits_free(struct report_exit *e, size_t n);

/*
 * A replay and its what-ifs on one page: report_page_begin(), then
 * report_page_replay() for the replay as recorded and again for each
 * what-if (opts with its settings; whatif names them), then
 * report_page_end(), which writes the page to html: the head, figures
 * (the what-ifs' comparison as text; NULL for none), then each replay's
 * address spaces, charts and machine. report_page_replay() returns
 * replay_run()'s status into *res, or -ENOMEM; report_page_end() 0 with
 * *written set, -EIO, -ENOMEM (it frees pg in every case; NULL from a
 * failed begin gives -ENOMEM). Nothing is written when the first replay
 * stopped on bad input.
 */
struct report_page;
struct report_page *report_page_begin(FILE *html, const char *title);
int report_page_replay(struct report_page *pg, const struct replay_opts *opts,
		       struct replay_result *res, const char *whatif);
int report_page_end(struct report_page *pg, const char *figures,
		    bool *written);

/*
 * Writes s (len bytes) as HTML text: & < > " ' as entities, and bytes
 * that are not printable UTF-8 (control characters, malformed sequences)
 * as a visible \xNN, so any file name shows as what it is. Newlines and
 * tabs are kept when keep_newlines is set (inside <pre>).
 */
void html_escape(FILE *out, const char *s, size_t len, int keep_newlines);

#endif /* MMSIM_TRACE_REPORT_H */
