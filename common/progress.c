/*
 * progress.c - a progress bar on stderr, drawn only when stderr is a terminal.
 * Redraws are throttled so the bar costs nothing next to the work it reports.
 */
#include "progress.h"
#include "timer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct Progress {
    char label[64];
    long total;
    double start, last_draw;
    int color;
    int width;   /* visible columns of the last line drawn, to overwrite it fully */
};

Progress *progress_start(const char *label, long total)
{
    if (!isatty(STDERR_FILENO)) return NULL;
    Progress *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    p->total = total > 0 ? total : 1;
    p->start = timer_now();
    p->last_draw = 0.0;
    const char *nc = getenv("NO_COLOR");
    p->color = !(nc && nc[0]);
    progress_update(p, 0);
    return p;
}

void progress_update(Progress *p, long done)
{
    if (!p) return;
    double now = timer_now();
    if (done < p->total && now - p->last_draw < 0.1) return;
    p->last_draw = now;
    if (done > p->total) done = p->total;
    const int width = 30;
    int filled = (int)((double)done / p->total * width);
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    double elapsed = now - p->start;
    double eta = done > 0 ? elapsed * (p->total - done) / done : 0.0;
    char tail[96];
    int len = snprintf(tail, sizeof tail, " [%s] %3d%%  %.1fs elapsed, ~%.0fs left ", bar,
                       (int)(100.0 * done / p->total), elapsed, eta);
    if (len < 0) return;
    if ((size_t)len >= sizeof tail) len = (int)sizeof tail - 1;
    int label_len = (int)strlen(p->label);
    int visible = (label_len > 24 ? label_len : 24) + len;
    /* The line can get shorter (the ETA loses digits): pad with spaces so no
     * characters of the previous draw are left at its end. */
    int pad = p->width > visible ? p->width - visible : 0;
    fprintf(stderr, "\r%s%-24s%s%s%*s", p->color ? "\033[1m" : "", p->label,
            p->color ? "\033[0m" : "", tail, pad, "");
    if (visible > p->width) p->width = visible;
    fflush(stderr);
}

void progress_end(Progress *p)
{
    if (!p) return;
    fprintf(stderr, "\r%*s\r", p->width, "");   /* exactly what was drawn */
    fflush(stderr);
    free(p);
}
