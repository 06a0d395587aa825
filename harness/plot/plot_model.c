/* plot_model.c - the ok results grouped into panels and schemes, their
   statistics, and the writing of data files and meta.gp. */
#include "plot_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

static const char *const col_names[C_NCOLS] = {
    "ops_per_sec", "oversubscribed", "p50_ns", "p99_ns", "p999_ns", "max_ns", "allocator",
    "publish_p50_ns", "publish_p99_ns", "publish_max_ns", "publish_wait_p50_ns",
    "publish_wait_p99_ns", "publish_wait_max_ns", "publish_apply_p50_ns",
    "publish_apply_p99_ns", "publish_apply_max_ns"};

bool model_fail(struct model *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->err, m->errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* ---- statistics ---- */

/* Whether summary row r is an ok result of (panel, scheme, threads). */
static bool row_is(const struct model *m, size_t r, size_t p, size_t s, unsigned threads)
{
    return m->row_panel[r] == (int)p && m->row_scheme[r] == (int)s &&
           m->in->rows[r].threads == threads;
}

size_t collect(const struct model *m, size_t p, size_t s, unsigned threads, int c)
{
    size_t n = 0;
    for (size_t r = 0; r < m->s->nrows; r++) {
        if (!row_is(m, r, p, s, threads))
            continue;
        double v = csv_num(m->s, r, m->col[c]);
        if (!isnan(v))
            m->scratch[n++] = v;
    }
    util_sort(m->scratch, n);
    return n;
}

double collect_median(const struct model *m, size_t p, size_t s, unsigned threads, int c)
{
    size_t n = collect(m, p, s, threads, c);
    return n ? util_median(m->scratch, n) : NAN;
}

bool panel_has(const struct model *m, size_t p, size_t s)
{
    for (size_t r = 0; r < m->s->nrows; r++)
        if (m->row_panel[r] == (int)p && m->row_scheme[r] == (int)s)
            return true;
    return false;
}

long first_ok_rep(const struct model *m, size_t p, size_t s, unsigned threads)
{
    long rep = -1;
    for (size_t r = 0; r < m->s->nrows; r++)
        if (row_is(m, r, p, s, threads) && (rep < 0 || m->in->rows[r].rep < (unsigned long)rep))
            rep = (long)m->in->rows[r].rep;
    return rep;
}

size_t most_reps(const struct model *m)
{
    size_t most = 1;
    for (size_t p = 0; p < m->npanels; p++)
        for (size_t s = 0; s < m->nschemes; s++)
            for (size_t t = 0; t < m->panels[p].nthreads; t++) {
                size_t n = collect(m, p, s, m->panels[p].threads[t], C_OPS);
                most = n > most ? n : most;
            }
    return most;
}

/* ---- the model: schemes, groups and machines in the order the run wrote them ---- */

static int find_or_add(const char **list, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], name) == 0)
            return (int)i;
    if (*n == PLOT_MAX)
        return -1;
    list[*n] = name;
    return (int)(*n)++;
}

/* The panel of (structure, mix, machine) in list, added when new; -1 when full. */
static int panel_of(struct panel *list, size_t *n, const char *structure, const char *mix,
                    const char *machine)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i].structure, structure) == 0 && strcmp(list[i].mix, mix) == 0 &&
            (!machine || strcmp(list[i].machine, machine) == 0))
            return (int)i;
    if (*n == PLOT_MAX)
        return -1;
    list[*n] = (struct panel){.structure = structure, .mix = mix, .machine = machine};
    return (int)(*n)++;
}

static bool add_threads(struct panel *p, unsigned t)
{
    size_t i = 0;
    while (i < p->nthreads && p->threads[i] < t)
        i++;
    if (i < p->nthreads && p->threads[i] == t)
        return true;
    if (p->nthreads == PLOT_MAX)
        return false;
    memmove(&p->threads[i + 1], &p->threads[i], (p->nthreads - i) * sizeof(unsigned));
    p->threads[i] = t;
    p->nthreads++;
    p->top = p->threads[p->nthreads - 1];
    return true;
}

bool model_build(struct model *m)
{
    const struct csv *s = m->s;
    for (int c = 0; c < C_NCOLS; c++)
        m->col[c] = csv_col(s, col_names[c]);
    m->row_panel = calloc(s->nrows, sizeof(int));
    m->row_scheme = calloc(s->nrows, sizeof(int));
    m->scratch = calloc(s->nrows, sizeof(double));
    if (!m->row_panel || !m->row_scheme || !m->scratch)
        return model_fail(m, "out of memory");
    /* Groups, machines and schemes first, so that the panels can be laid
       out by group, then machine: the scripts draw a group as a row. */
    for (size_t r = 0; r < s->nrows; r++) {
        const struct runset_result *res = &m->in->rows[r];
        m->row_panel[r] = m->row_scheme[r] = -1;
        if (res->status != RUNSET_OK) {
            m->left_out[res->status]++;
            continue;
        }
        int g = panel_of(m->groups, &m->ngroups, res->structure, res->mix, NULL);
        int k = find_or_add(m->machines, &m->nmachines, res->machine);
        int sc = find_or_add(m->schemes, &m->nschemes, res->scheme);
        if (g < 0 || k < 0 || sc < 0 || !add_threads(&m->groups[g], res->threads))
            return model_fail(m, "more than %d structures, machines, schemes or thread counts "
                              "to plot", PLOT_MAX);
        m->row_scheme[r] = sc;
    }
    for (size_t g = 0; g < m->ngroups; g++)
        for (size_t k = 0; k < m->nmachines; k++)
            for (size_t r = 0; r < s->nrows; r++) {
                const struct runset_result *res = &m->in->rows[r];
                if (m->row_scheme[r] < 0 || strcmp(res->machine, m->machines[k]) != 0 ||
                    strcmp(res->structure, m->groups[g].structure) != 0 ||
                    strcmp(res->mix, m->groups[g].mix) != 0)
                    continue;
                int p = panel_of(m->panels, &m->npanels, res->structure, res->mix, res->machine);
                if (p < 0 || !add_threads(&m->panels[p], res->threads))
                    return model_fail(m, "more than %d panels (structure, mix and machine) to "
                                      "plot", PLOT_MAX);
                m->panels[p].group = g;
                m->panels[p].machine_index = k;
                m->row_panel[r] = p;
            }
    return m->npanels > 0 || model_fail(m, "no ok result to draw");
}

void model_free(struct model *m)
{
    free(m->row_panel);
    free(m->row_scheme);
    free(m->scratch);
}

/* ---- meta.gp: gnuplot assignments ---- */

void meta_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        if (*s == '\n')
            fputs("\\n", f);
        else if ((unsigned char)*s >= 0x20)
            fputc(*s, f);
    }
    fputc('"', f);
}

bool has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; (p = strstr(p, w)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return true;
    return false;
}

void add_word(char *list, size_t len, const char *w)
{
    size_t n = strlen(list);
    snprintf(list + n, len - n, "%s%s", n ? " " : "", w);
}

/* The machine column's value as a run writes it: "LABEL (CPU MODEL)", the
   model's commas and quotes replaced (harness/run/sweep.c). */
static bool machine_is(const char *machine, const char *label, const char *cpu)
{
    size_t n = strlen(label), c = strlen(cpu);
    if (strncmp(machine, label, n) != 0 || strncmp(machine + n, " (", 2) != 0 ||
        strlen(machine) != n + c + 3 || machine[n + c + 2] != ')')
        return false;
    for (size_t i = 0; i < c; i++) {
        char want = cpu[i] == ',' ? ';' : cpu[i] == '"' ? '\'' : cpu[i];
        if (machine[n + 2 + i] != want)
            return false;
    }
    return true;
}

static bool info_is(json_t *info, const char *machine)
{
    const char *label = runset_json_str(info, "label", NULL);
    return label && machine_is(machine, label, runset_json_str(info, "cpu_model", ""));
}

json_t *machine_info(const struct model *m, const char *machine)
{
    json_t *list = json_object_get(m->in->run, "machines"), *one;
    size_t i;
    json_array_foreach(list, i, one)
        if (json_is_object(one) && info_is(one, machine))
            return one;
    one = json_object_get(m->in->run, "machine");
    return json_is_object(one) && info_is(one, machine) ? one : NULL;
}

void machine_name(const struct model *m, size_t k, char *buf, size_t len)
{
    const char *machine = m->machines[k], *open = strstr(machine, " (");
    json_t *info = machine_info(m, machine);
    size_t n = strlen(machine);
    if (info)
        snprintf(buf, len, "%s", runset_json_str(info, "label", ""));
    else if (!*machine)
        snprintf(buf, len, "machine not recorded");
    else if (open && machine[n - 1] == ')')
        snprintf(buf, len, "%.*s", (int)(open - machine), machine);
    else
        snprintf(buf, len, "%s", machine);
}

void panel_title(const struct model *m, const struct panel *p, unsigned threads, char *buf,
                 size_t len)
{
    unsigned v;
    char mix[64], host[128] = "";
    if (sscanf(p->mix, "r%u", &v) == 1)
        snprintf(mix, sizeof mix, "%u %% reads", v);
    else if (sscanf(p->mix, "w%u", &v) == 1 && v == 1)
        snprintf(mix, sizeof mix, "writer thread 0");
    else if (sscanf(p->mix, "w%u", &v) == 1)
        snprintf(mix, sizeof mix, "writers threads 0-%u", v - 1);
    else
        snprintf(mix, sizeof mix, "mix %s", p->mix);
    if (m->nmachines > 1) {
        machine_name(m, p->machine_index, host, sizeof host - 2);
        strcat(host, ": ");
    }
    size_t n = (size_t)snprintf(buf, len, "%s%s, %s", host, p->structure, mix);
    if (threads && n < len)
        snprintf(buf + n, len - n, ", %u thread%s", threads, threads == 1 ? "" : "s");
}

/* (A little below the decade, or gnuplot may leave out the tic at the axis' end.) */
double decade_below(double v) { return 0.999 * pow(10, floor(log10(v > 1 ? v : 1))); }
double decade_above(double v) { return pow(10, ceil(log10(v > 1 ? v * 1.05 : 10))); }

void meta_str(struct figure_meta *fm, const char *name, const char *v)
{
    fprintf(fm->f, "%s_%s[%zu] = ", fm->prefix, name, fm->n + 1);
    meta_string(fm->f, v);
    fputc('\n', fm->f);
}

void meta_num(struct figure_meta *fm, const char *name, double v)
{
    fprintf(fm->f, "%s_%s[%zu] = %.6g\n", fm->prefix, name, fm->n + 1, v);
}

void meta_shared(struct figure_meta *fm, const char *name, double v, bool most)
{
    size_t i = 0;
    while (i < fm->nshared && strcmp(fm->shared[i].name, name) != 0)
        i++;
    if (i == fm->nshared) {
        if (i == FIGURE_SHARED)
            abort(); /* a figure with more shared ranges: raise FIGURE_SHARED */
        fm->shared[fm->nshared++].name = name;
    }
    fm->shared[i].most = most;
    fm->shared[i].v[fm->n] = v;
}

void figure_panel_done(struct figure_meta *fm, size_t p)
{
    fm->panel[fm->n++] = p;
}

/* The grid's variables and the shared ranges, per panel; the number of rows. */
static size_t meta_grid(const struct model *m, struct figure_meta *fm)
{
    size_t n = fm->n, rows = 0;
    for (size_t i = 0; i < n; i++) {
        const struct panel *pn = &m->panels[fm->panel[i]];
        /* Panels come by group: a row begins where the group changes. */
        if (i == 0 || m->panels[fm->panel[i - 1]].group != pn->group)
            rows++;
        fm->n = i; /* meta_num's panel */
        meta_num(fm, "grow", (double)rows);
        meta_num(fm, "mcol", (double)pn->machine_index + 1);
        meta_num(fm, "cell", m->nmachines > 1 ? (double)((rows - 1) * m->nmachines +
                                                         pn->machine_index + 1) : (double)i + 1);
        for (size_t k = 0; k < fm->nshared; k++) {
            double v = fm->shared[k].v[i];
            for (size_t j = 0; j < n; j++) {
                double w = fm->shared[k].v[j];
                if (m->panels[fm->panel[j]].group == pn->group)
                    v = fm->shared[k].most ? fmax(v, w) : fmin(v, w);
            }
            meta_num(fm, fm->shared[k].name, v);
        }
    }
    fm->n = n;
    return rows;
}

/* ---- data files ---- */

FILE *figure_open(struct model *m, const char *name, const char *prefix, struct figure_meta *fm)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.dat", m->datadir, name);
    *fm = (struct figure_meta){.prefix = prefix};
    FILE *f = fopen(path, "w");
    if (!f) {
        model_fail(m, "cannot write '%s'", path);
        return NULL;
    }
    if (!(fm->f = open_memstream(&fm->buf, &fm->len))) {
        fclose(f);
        model_fail(m, "out of memory");
        return NULL;
    }
    return f;
}

bool figure_close(struct model *m, FILE *f, struct figure_meta *fm, const char *name,
                  const char *const *arrays)
{
    static const char *const grid[] = {"grow", "mcol", "cell", NULL};
    char path[4200];
    size_t rows = meta_grid(m, fm);
    bool ok = fclose(fm->f) == 0;
    fprintf(m->meta, "%s_n = %zu\n%s_rows = %zu\n", fm->prefix, fm->n, fm->prefix, rows);
    for (; *arrays && fm->n; arrays++)
        fprintf(m->meta, "array %s_%s[%zu]\n", fm->prefix, *arrays, fm->n);
    for (arrays = grid; *arrays && fm->n; arrays++)
        fprintf(m->meta, "array %s_%s[%zu]\n", fm->prefix, *arrays, fm->n);
    if (ok)
        fwrite(fm->buf, 1, fm->len, m->meta);
    free(fm->buf);
    snprintf(path, sizeof path, "%s/%s.dat", m->datadir, name);
    if (ferror(f) | (fclose(f) != 0))
        return model_fail(m, "cannot write '%s'", path);
    if (fm->n == 0)
        remove(path);
    return ok || model_fail(m, "out of memory");
}
