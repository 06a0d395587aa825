/*
 * compare_report.c - what `smrbench compare` prints: a table for people
 * (--format table, the default), or the same rows for programs, one JSON
 * object (--format json) or CSV with a header (--format csv), so that no
 * script has to read the table by column position.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"

#define CMP_NOTES_MAX 14
#define CMP_NOTE_LEN 512

/* The machines of `of` that `other` lacks, with their entries, as a note
   into out (CMP_NOTE_LEN); false when there is none. */
static bool machines_only_in(const struct cmp_set *of, const char *role,
                             const struct cmp_set *other, char *out)
{
    size_t used = (size_t)snprintf(out, CMP_NOTE_LEN, "only %s has ", role), listed = 0;
    for (size_t i = 0; i < of->n; i++) {
        const char *machine = of->e[i].machine;
        bool seen = false, shared = false;
        size_t entries = 0;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(of->e[j].machine, machine) == 0;
        for (size_t j = 0; j < other->n; j++)
            shared |= strcmp(other->e[j].machine, machine) == 0;
        if (seen || shared)
            continue;
        for (size_t j = i; j < of->n; j++)
            entries += strcmp(of->e[j].machine, machine) == 0;
        if (used < CMP_NOTE_LEN)
            used += (size_t)snprintf(out + used, CMP_NOTE_LEN - used, "%smachine '%s' (%zu entries)",
                                     listed ? ", " : "", machine, entries);
        listed++;
    }
    if (listed && used < CMP_NOTE_LEN)
        snprintf(out + used, CMP_NOTE_LEN - used, ": unmatched, not compared");
    return listed > 0;
}

/* The notes under the table (and in the JSON): what was left out and why. */
static size_t notes(const struct cmp_report *r, char out[][CMP_NOTE_LEN])
{
    const struct cmp_opts *o = r->o;
    const struct cmp_tally *t = &r->tally;
    size_t n = 0;
    if (t->untested)
        snprintf(out[n++], CMP_NOTE_LEN, "%zu entries have too few repetitions for the U test to reach "
                 "alpha %g: judged by the threshold alone", t->untested, r->alpha);
    if (t->missing)
        snprintf(out[n++], CMP_NOTE_LEN, "%zu entries of BASE are not in NEW", t->missing);
    if (t->added)
        snprintf(out[n++], CMP_NOTE_LEN, "%zu entries of NEW are not in BASE", t->added);
    if (r->per_machine && machines_only_in(r->base, "BASE", r->next, out[n]))
        n++;
    if (r->per_machine && machines_only_in(r->next, "NEW", r->base, out[n]))
        n++;
    if (t->no_reference && strcmp(o->reference, CMP_REFERENCE_PEERS) == 0)
        snprintf(out[n++], CMP_NOTE_LEN, "%zu entries have no other scheme measured alongside them "
                 "(--reference, --raw)", t->no_reference);
    else if (t->no_reference)
        snprintf(out[n++], CMP_NOTE_LEN, "%zu entries have no '%s' measured alongside them (--reference, "
                 "--raw)", t->no_reference, o->reference);
    if (r->base->failed || r->next->failed)
        snprintf(out[n++], CMP_NOTE_LEN, "runs that reported an error were left out: %zu in BASE, %zu in "
                 "NEW", r->base->failed, r->next->failed);
    const struct cmp_set *sets[] = {r->base, r->next};
    const char *roles[] = {"BASE", "NEW"};
    for (int i = 0; i < 2; i++) {
        if (sets[i]->interrupted + sets[i]->cut)
            snprintf(out[n++], CMP_NOTE_LEN, "%s: %zu row(s) left out, not measured in full: %zu "
                     "interrupted, %zu failed (their status in summary.csv)", roles[i],
                     sets[i]->interrupted + sets[i]->cut, sets[i]->interrupted, sets[i]->cut);
        if (sets[i]->unfinished)
            snprintf(out[n++], CMP_NOTE_LEN, "%s is an unfinished sweep (\"complete\": false in "
                     "run.json): it was interrupted or stopped before its last cell", roles[i]);
    }
    /* (Per machine, each entry names its own.) */
    if (!r->per_machine && r->base->machine[0] && r->next->machine[0] &&
        strcmp(r->base->machine, r->next->machine) != 0)
        snprintf(out[n++], CMP_NOTE_LEN, "BASE ran on '%.100s', NEW on '%.100s'", r->base->machine,
                 r->next->machine);
    return n;
}

/* What the values are, in words. */
static const char *value_meaning(const struct cmp_report *r)
{
    bool micro = r->base->kind == CMP_MICRO;
    if (r->o->raw)
        return micro ? "raw time (lower is better)" : "raw ops/s (higher is better)";
    return micro ? "time / the reference's median time in the same file (lower is better)"
                 : "ops/s / the reference's ops/s at the same repetition (higher is better)";
}

/* ---- the table ---- */

static void format_value(char *buf, size_t len, double v, const struct cmp_report *r)
{
    if (!r->o->raw)
        snprintf(buf, len, "%.4fx", v);
    else if (r->base->kind == CMP_MICRO)
        snprintf(buf, len, "%.3f ns", v);
    else
        snprintf(buf, len, "%.3f M/s", v / 1e6);
}

static void print_table(const struct cmp_report *r)
{
    const struct cmp_opts *o = r->o;
    if (o->confirm)
        printf("# %s; confirming the %zu entries '%s' flagged: U test two-sided, alpha %g / %zu "
               "(Bonferroni over them); threshold %g%%", value_meaning(r), r->flagged, o->confirm,
               o->alpha, r->flagged, o->threshold);
    else
        printf("# %s; U test two-sided, alpha %g%s; threshold %g%%", value_meaning(r), o->alpha,
               o->holm ? ", p corrected for the entries tested (Holm)" : "", o->threshold);
    if (!o->raw)
        printf("; reference %s", o->reference);
    printf("\n");
    if (o->confirm && r->flagged == 0) {
        printf("'%s' flagged nothing against BASE: nothing to confirm\n", o->confirm);
        return;
    }
    /* The entry column as wide as its longest name (machines make them long). */
    int width = 44;
    for (size_t i = 0; i < r->nrows; i++) {
        char name[CMP_NOTE_LEN];
        cmp_entry_name(r->rows[i].base, name, sizeof name);
        width = (int)strlen(name) > width ? (int)strlen(name) : width;
    }
    printf("%-*s %13s %13s %9s %7s  %s\n", width, "entry", "base", "new", "change", "p",
           "verdict");
    for (size_t i = 0; i < r->nrows; i++) {
        const struct cmp_row *row = &r->rows[i];
        char bs[32], ns[32], ps[16], name[CMP_NOTE_LEN];
        format_value(bs, sizeof bs, row->base_median, r);
        format_value(ns, sizeof ns, row->next_median, r);
        snprintf(ps, sizeof ps, isnan(row->p) ? "n/a" : "%.4f", row->p);
        cmp_entry_name(row->base, name, sizeof name);
        printf("%-*s %13s %13s %+8.1f%% %7s  %s\n", width, name, bs, ns, row->change * 100, ps,
               row->verdict);
    }
    const struct cmp_tally *t = &r->tally;
    printf("%zu compared: %zu regressed, %zu improved, %zu noise (beyond the threshold, not "
           "significant), %zu same\n", t->compared, t->regressed, t->improved, t->noise, t->same);
    char lines[CMP_NOTES_MAX][CMP_NOTE_LEN];
    size_t n = notes(r, lines);
    for (size_t i = 0; i < n; i++)
        printf("note: %s\n", lines[i]);
}

/* ---- JSON ---- */

/* A number, or null where there is none (JSON has no NaN). */
static json_t *number_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static void print_json(const struct cmp_report *r)
{
    const struct cmp_opts *o = r->o;
    const struct cmp_tally *t = &r->tally;
    json_t *rows = json_array();
    for (size_t i = 0; i < r->nrows; i++) {
        const struct cmp_row *row = &r->rows[i];
        char name[CMP_NOTE_LEN];
        cmp_entry_name(row->base, name, sizeof name);
        json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:f, s:o, s:s}",
                                              "entry", name, "base", row->base_median,
                                              "new", row->next_median, "change_percent",
                                              row->change * 100, "p", number_or_null(row->p),
                                              "verdict", row->verdict));
    }
    char lines[CMP_NOTES_MAX][CMP_NOTE_LEN];
    size_t n = notes(r, lines);
    json_t *note_list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(note_list, json_string(lines[i]));
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:s, s:s?, s:f, s:f, s:f, s:s, s:s?, s:b}",
        "base", o->base, "new", o->next, "kind", r->base->kind == CMP_MICRO ? "micro" : "run",
        "values", value_meaning(r), "reference", o->raw ? NULL : o->reference,
        "threshold_percent", o->threshold, "alpha", o->alpha, "alpha_per_entry", r->alpha,
        "correction", o->confirm ? "bonferroni" : o->holm ? "holm" : "none", "confirm",
        o->confirm, "regressed", t->regressed > 0);
    if (o->confirm)
        json_object_set_new(doc, "flagged_by_first", json_integer((json_int_t)r->flagged));
    json_object_set_new(doc, "summary",
                        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "compared",
                                  (json_int_t)t->compared, "regressed", (json_int_t)t->regressed,
                                  "improved", (json_int_t)t->improved, "noise",
                                  (json_int_t)t->noise, "same", (json_int_t)t->same,
                                  "untested", (json_int_t)t->untested, "missing",
                                  (json_int_t)t->missing, "added", (json_int_t)t->added,
                                  "no_reference", (json_int_t)t->no_reference));
    json_object_set_new(doc, "rows", rows);
    json_object_set_new(doc, "notes", note_list);
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    printf("\n");
    json_decref(doc);
}

/* ---- CSV ---- */

/* RFC 4180: quoted, quotes doubled, when it holds a comma or a quote. */
static void print_csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void print_csv(const struct cmp_report *r)
{
    printf("entry,base,new,change_percent,p,verdict\n");
    for (size_t i = 0; i < r->nrows; i++) {
        const struct cmp_row *row = &r->rows[i];
        char name[CMP_NOTE_LEN];
        cmp_entry_name(row->base, name, sizeof name);
        print_csv_field(name);
        printf(",%.10g,%.10g,%.4f,", row->base_median, row->next_median, row->change * 100);
        if (!isnan(row->p))
            printf("%.6g", row->p);
        printf(",%s\n", row->verdict);
    }
}

void cmp_report_print(const struct cmp_report *r)
{
    switch (r->o->format) {
    case CMP_TABLE:
        print_table(r);
        break;
    case CMP_JSON:
        print_json(r);
        break;
    case CMP_CSV:
        print_csv(r);
        break;
    }
}
