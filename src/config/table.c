/*
 * The option table of the "study" and "dataset" sections: one row per key with
 * its type, bounds, default (as JSON text), help and place in srt_config_t.
 * Reading, defaults, messages and the effective JSON all come from this table,
 * so they cannot drift apart. (The "model" section uses SRT_SR_OPTION_LIST.)
 *
 * A key is read in two passes: the walk records which JSON node gives each
 * table row (and reports unknown and duplicate keys), then every row is applied
 * in table order from its node or its default.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

typedef enum {
    K_SECTION,   /* a nested object */
    K_INT,       /* long */
    K_U64,       /* uint64_t (a number up to 2^53, or a decimal string) */
    K_FLOAT,     /* double */
    K_BOOL,      /* int 0/1 */
    K_STRING,    /* owned char * */
    K_PATH,      /* owned char *, resolved against the config's directory */
    K_CHOICE,    /* enum stored as int: base + index into choices */
    K_EQUATIONS, /* dataset.equations (dataset.c) */
    K_OPLIST,    /* dataset.remove_op_equations */
    K_PATHLIST,  /* srt_config_strlist_t of paths, resolved against the config's directory */
    K_STRLIST,   /* srt_config_strlist_t of non-empty strings */
    K_BASELINES  /* study.baselines (read by baselines.c once the space is known) */
} cfg_kind_t;

#define F_REQUIRED 1u  /* no default: the user must give it */
#define F_NULLABLE 2u  /* null means "not set" (stored as NULL) */
#define F_CATALOGUE 4u /* only for the feynman and bonus catalogues */
#define F_CSV 8u       /* only for dataset.name "csv" */
#define F_GT_LOW 16u   /* the lower bound is exclusive */
#define F_NAME 32u     /* a name that reaches file names and job scripts (srt_config_name_check) */
#define F_FILES 64u    /* only for dataset.name "files" */
#define F_KINDS (F_CATALOGUE | F_CSV | F_FILES)

typedef struct cfg_option {
    const char *key;            /* dotted key */
    cfg_kind_t kind;            /* value type */
    double low, high;           /* inclusive bounds of numbers (see F_GT_LOW) */
    const char *def;            /* default as JSON text; NULL: required or computed */
    const char *const *choices; /* K_CHOICE: names, NULL-terminated */
    int base;                   /* K_CHOICE: enum value of choices[0] */
    size_t offset;              /* field in srt_config_t */
    unsigned flags;             /* F_* */
    const char *help;           /* one line, shown with "missing required key" */
} cfg_option_t;

static const char *const directions[] = {"minimize", "maximize", NULL};
static const char *const samplers[] = {"random", "tpe", "qmc", "grid", NULL};
static const char *const pruners[] = {"median", "none", "wilcoxon", NULL};
static const char *const orders[] = {"catalogue", "shuffle", NULL};
static const char *const datasets[] = {"feynman", "bonus", "csv", "files", NULL};
static const char *const on_errors[] = {"fail_trial", "value", NULL};

#define OFF(field) offsetof(srt_config_t, field)
#define BIG 1e9

static const cfg_option_t options[] = {
    {"study", K_SECTION, 0, 0, NULL, NULL, 0, 0, 0, "the study"},
    {"study.name", K_STRING, 0, 0, NULL, NULL, 0, OFF(study.name), F_REQUIRED | F_NAME,
     "the study name, as in the journal"},
    {"study.output_dir", K_PATH, 0, 0, NULL, NULL, 0, OFF(study.output_dir), F_REQUIRED,
     "the directory that holds config.json, the journal and the trial runs"},
    {"study.seed", K_U64, 0, 0, "0", NULL, 0, OFF(study.seed), 0, "the study seed"},
    {"study.n_trials", K_INT, 1, 1e7, "100", NULL, 0, OFF(study.n_trials), 0, "trials to finish"},
    {"study.direction", K_CHOICE, 0, 0, "\"maximize\"", directions, SRT_DIRECTION_MINIMIZE,
     OFF(study.direction), 0, "minimize or maximize the objective"},
    {"study.sampler", K_SECTION, 0, 0, NULL, NULL, 0, 0, 0, "the sampler"},
    {"study.sampler.name", K_CHOICE, 0, 0, "\"tpe\"", samplers, SRT_SAMPLER_RANDOM,
     OFF(study.sampler.kind), 0, "the sampler"},
    {"study.sampler.n_startup_trials", K_INT, 0, 1e6, "10", NULL, 0,
     OFF(study.sampler.n_startup_trials), 0, "random trials before TPE"},
    {"study.sampler.multivariate", K_BOOL, 0, 1, "false", NULL, 0, OFF(study.sampler.multivariate),
     0, "multivariate TPE"},
    {"study.sampler.constant_liar", K_BOOL, 0, 1, "true", NULL, 0, OFF(study.sampler.constant_liar),
     0, "TPE counts running trials"},
    {"study.sampler.n_ei_candidates", K_INT, 1, 1e6, "24", NULL, 0,
     OFF(study.sampler.n_ei_candidates), 0, "TPE candidates per suggestion"},
    {"study.pruner", K_SECTION, 0, 0, NULL, NULL, 0, 0, 0, "the pruner"},
    {"study.pruner.name", K_CHOICE, 0, 0, "\"median\"", pruners, SRT_CONFIG_PRUNER_MEDIAN,
     OFF(study.pruner.kind), 0, "the pruner"},
    {"study.pruner.n_startup_trials", K_INT, 0, 1e6, "5", NULL, 0,
     OFF(study.pruner.n_startup_trials), 0, "finished trials before pruning"},
    {"study.pruner.n_warmup_steps", K_INT, 0, 1e6, "0", NULL, 0, OFF(study.pruner.n_warmup_steps),
     0, "steps before a trial can be pruned"},
    {"study.pruner.interval", K_INT, 1, 1e6, "1", NULL, 0, OFF(study.pruner.interval), 0,
     "steps between pruning checks"},
    {"study.pruner.p_threshold", K_FLOAT, 0, 1, "0.1", NULL, 0, OFF(study.pruner.p_threshold), 0,
     "wilcoxon: prune when the one-sided p-value is below this"},
    {"study.pruner.n_startup_steps", K_INT, 0, 1e6, "0", NULL, 0,
     OFF(study.pruner.n_startup_steps), 0, "wilcoxon: equations compared before pruning"},
    {"study.max_retries", K_INT, 0, 1000, "3", NULL, 0, OFF(study.max_retries), 0,
     "retries of an interrupted or lost trial"},
    {"study.heartbeat_interval_s", K_FLOAT, 0, 86400, "30", NULL, 0,
     OFF(study.heartbeat_interval_s), F_GT_LOW, "seconds between heartbeats"},
    {"study.heartbeat_grace_s", K_FLOAT, 0, 1e7, "300", NULL, 0, OFF(study.heartbeat_grace_s),
     F_GT_LOW, "a running trial without a heartbeat for this long is lost"},
    {"study.on_run_error", K_CHOICE, 0, 0, "\"fail_trial\"", on_errors,
     SRT_CONFIG_ON_ERROR_FAIL_TRIAL, OFF(study.on_run_error), 0,
     "a failed run fails its trial (fail_trial) or counts as failure_value (value)"},
    {"study.failure_value", K_FLOAT, -1e300, 1e300, "0", NULL, 0, OFF(study.failure_value), 0,
     "the value of a failed run under on_run_error \"value\""},
    {"study.baselines", K_BASELINES, 0, 0, "[]", NULL, 0, 0, 0,
     "baseline trials run first: presets (\"pysr-1\", \"pysr-0\") or option maps"},
    {"dataset", K_SECTION, 0, 0, NULL, NULL, 0, 0, 0, "the dataset"},
    {"dataset.name", K_CHOICE, 0, 0, NULL, datasets, SRT_DATASET_FEYNMAN, OFF(dataset.kind),
     F_REQUIRED, "feynman, bonus, csv or files"},
    {"dataset.catalogue", K_PATH, 0, 0, NULL, NULL, 0, OFF(dataset.catalogue), F_CATALOGUE,
     "the equation catalogue CSV"},
    {"dataset.equations", K_EQUATIONS, 0, 0, "\":\"", NULL, 0, OFF(dataset.equations), F_CATALOGUE,
     "the equations: \"a:b\", a list of indices or a list of ids"},
    {"dataset.holdout", K_STRLIST, 0, 0, "[]", NULL, 0, OFF(dataset.holdout), 0,
     "held-out instances (ids or globs): never tuned on, for srtune evaluate"},
    {"dataset.num_samples", K_INT, 1, BIG, "2000", NULL, 0, OFF(dataset.num_samples), 0,
     "rows per dataset"},
    {"dataset.noise", K_FLOAT, 0, INFINITY, "0", NULL, 0, OFF(dataset.noise), 0,
     "relative noise level"},
    {"dataset.remove_op_equations", K_OPLIST, 0, 0, "[]", NULL, 0, 0, F_CATALOGUE,
     "drop equations that use these operators"},
    {"dataset.n_runs", K_INT, 1, 1e6, "1", NULL, 0, OFF(dataset.n_runs), 0, "SR runs per equation"},
    {"dataset.order", K_CHOICE, 0, 0, "\"catalogue\"", orders, SRT_ORDER_CATALOGUE,
     OFF(dataset.order), 0, "equation order per trial: catalogue or shuffle (seeded per trial)"},
    {"dataset.path", K_PATH, 0, 0, NULL, NULL, 0, OFF(dataset.path), F_CSV | F_REQUIRED,
     "the CSV file to fit: a header row, then one row per sample"},
    {"dataset.target", K_STRING, 0, 0, "null", NULL, 0, OFF(dataset.target),
     F_CSV | F_FILES | F_NULLABLE,
     "the target column (null: the last column; files: a column named target, else the last)"},
    {"dataset.paths", K_PATHLIST, 0, 0, NULL, NULL, 0, OFF(dataset.paths), F_FILES | F_REQUIRED,
     "the suite's files: a list of paths and globs (*.tsv.gz), relative to the config"},
    {"dataset.weights", K_STRING, 0, 0, "null", NULL, 0, OFF(dataset.weights),
     F_FILES | F_NULLABLE, "the weights column (null: none)"},
    {"dataset.exclude_columns", K_STRLIST, 0, 0, "[]", NULL, 0, OFF(dataset.exclude),
     F_FILES, "columns that are neither features nor target"},
    {"dataset.drop_nonfinite_rows", K_BOOL, 0, 1, "false", NULL, 0, OFF(dataset.drop_nonfinite),
     F_FILES, "drop rows with NaN or Inf instead of refusing the file"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

_Static_assert(sizeof(srt_direction_t) == sizeof(int), "enums are stored as int");
_Static_assert(sizeof(srt_order_t) == sizeof(int), "enums are stored as int");

const char *srt_config_sampler_name(srt_sampler_kind_t kind)
{
    return (unsigned)kind < 4 ? samplers[kind] : "unknown";
}

const char *srt_config_pruner_name(srt_config_pruner_kind_t kind)
{
    return (unsigned)kind < 3 ? pruners[kind] : "unknown";
}

const char *srt_config_direction_name(srt_direction_t dir)
{
    return dir == SRT_DIRECTION_MINIMIZE   ? "minimize"
           : dir == SRT_DIRECTION_MAXIMIZE ? "maximize"
                                           : "unknown";
}

const char *srt_config_dataset_name(srt_dataset_kind_t kind)
{
    return (unsigned)kind < 4 ? datasets[kind] : "unknown";
}

static void *field(srt_config_t *cfg, const cfg_option_t *o)
{
    return (char *)cfg + o->offset;
}

static const void *cfield(const srt_config_t *cfg, const cfg_option_t *o)
{
    return (const char *)cfg + o->offset;
}

static const char *last_part(const char *key)
{
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

static int parent_is(const char *key, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(key, prefix, n) == 0 && key[n] == '.' && !strchr(key + n + 1, '.');
}

static int find_option(const char *key)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------- walking */

static void walk(cfg_ctx_t *ctx, const cJSON *obj, const char *prefix, const cJSON **given)
{
    char key[512];
    for (const cJSON *c = obj->child; c; c = c->next) {
        cfg_key(key, sizeof key, prefix, c->string);
        if (cfg_dup_check(ctx, c, key))
            continue;
        int i = find_option(key);
        if (i < 0) {
            const char *cands[N_OPTIONS];
            size_t n = 0;
            for (size_t j = 0; j < N_OPTIONS; j++)
                if (parent_is(options[j].key, prefix))
                    cands[n++] = last_part(options[j].key);
            char hint[128];
            cfg_hint(c->string, cands, n, hint, sizeof hint);
            if (strcmp(key, "study.sampler.seed") == 0)
                cfg_error(ctx, c, 0, key,
                          "unknown key: the sampler seed is derived from study.seed");
            else
                cfg_error(ctx, c, 0, key, "unknown key%s", hint);
            continue;
        }
        if (options[i].kind == K_SECTION) {
            if (cJSON_IsObject(c)) {
                walk(ctx, c, key, given);
            } else {
                char got[128];
                cfg_describe_json(c, got, sizeof got);
                cfg_error(ctx, c, 0, key, "must be an object like {\"name\": ...}, got %s", got);
            }
            continue;
        }
        given[i] = c;
    }
}

/* ------------------------------------------------------------ applying */

static void describe_range(const cfg_option_t *o, char *buf, size_t size)
{
    char lo[32], hi[32];
    cfg_fmt_num(o->low, lo, sizeof lo);
    cfg_fmt_num(o->high, hi, sizeof hi);
    const char *what = o->kind == K_INT ? "an integer" : "a number";
    if (isinf(o->high))
        snprintf(buf, size, "%s %s %s", what, (o->flags & F_GT_LOW) ? ">" : ">=", lo);
    else if (o->flags & F_GT_LOW)
        snprintf(buf, size, "%s in (%s, %s]", what, lo, hi);
    else
        snprintf(buf, size, "%s in [%s, %s]", what, lo, hi);
}

static void bad_value(cfg_ctx_t *ctx, const cJSON *v, const char *key, const char *want)
{
    char got[160];
    cfg_describe_json(v, got, sizeof got);
    cfg_error(ctx, v, 0, key, "must be %s, got %s", want, got);
}

static int set_string(cfg_ctx_t *ctx, char **dst, const char *value)
{
    free(*dst);
    *dst = srt_strdup(value);
    if (!*dst)
        ctx->nomem = 1;
    return *dst != NULL;
}

static void set_choice(cfg_ctx_t *ctx, const cfg_option_t *o, const cJSON *v, void *dst)
{
    char want[256] = "one of";
    size_t n = 0;
    for (; o->choices[n]; n++) {
        size_t l = strlen(want);
        snprintf(want + l, sizeof want - l, "%s \"%s\"", n ? "," : "", o->choices[n]);
    }
    if (cJSON_IsString(v)) {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(v->valuestring, o->choices[i]) == 0) {
                int e = o->base + (int)i;
                memcpy(dst, &e, sizeof e);
                return;
            }
        }
        char hint[128];
        cfg_hint(v->valuestring, o->choices, n, hint, sizeof hint);
        cfg_error(ctx, v, 0, o->key, "must be %s, got \"%s\"%s", want, v->valuestring, hint);
        return;
    }
    bad_value(ctx, v, o->key, want);
}

static void set_u64(cfg_ctx_t *ctx, const cfg_option_t *o, const cJSON *v, uint64_t *dst)
{
    const char *want = "an integer in [0, 2^64 - 1] (write seeds above 2^53 as a string)";
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (cfg_is_integer(d) && d >= 0 && d < 9007199254740992.0) {
            *dst = (uint64_t)d;
            return;
        }
    } else if (cJSON_IsString(v) && v->valuestring[0] >= '0' && v->valuestring[0] <= '9') {
        char *end = NULL;
        errno = 0;
        unsigned long long u = strtoull(v->valuestring, &end, 10);
        if (errno == 0 && *end == '\0') {
            *dst = (uint64_t)u;
            return;
        }
    }
    bad_value(ctx, v, o->key, want);
}

static void set_oplist(cfg_ctx_t *ctx, const cfg_option_t *o, const cJSON *v)
{
    srt_config_dataset_t *d = &ctx->cfg->dataset;
    d->n_remove_ops = 0;
    if (!cJSON_IsArray(v)) {
        bad_value(ctx, v, o->key, "a list of operator names");
        return;
    }
    char key[300], msg[256];
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(key, sizeof key, "%s[%d]", o->key, i);
        srt_op_t op;
        if (!cJSON_IsString(c)) {
            bad_value(ctx, c, key, "an operator name");
            continue;
        }
        if (!cfg_check_op(c->valuestring, 0, &op, msg, sizeof msg)) {
            cfg_error(ctx, c, 0, key, "%s", msg);
            continue;
        }
        int dup = 0;
        for (int j = 0; j < d->n_remove_ops; j++)
            dup |= d->remove_ops[j] == (uint8_t)op;
        if (dup) {
            cfg_error(ctx, c, 0, key, "'%s' is listed twice", c->valuestring);
            continue;
        }
        d->remove_ops[d->n_remove_ops++] = (uint8_t)op;
    }
}

static void set_strlist(cfg_ctx_t *ctx, const cfg_option_t *o, const cJSON *v,
                        srt_config_strlist_t *l)
{
    char key[300];
    cfg_strlist_fini(l);
    if (!cJSON_IsArray(v) || (o->flags & F_REQUIRED && !v->child)) {
        bad_value(ctx, v, o->key,
                  o->kind == K_PATHLIST                     ? "a non-empty list of paths or globs"
                  : strcmp(o->key, "dataset.holdout") == 0 ? "a list of instance ids or globs"
                                                           : "a list of column names");
        return;
    }
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(key, sizeof key, "%s[%d]", o->key, i);
        if (!cJSON_IsString(c) || !c->valuestring[0]) {
            bad_value(ctx, c, key, "a non-empty string");
            continue;
        }
        if (cfg_control_char(c->valuestring) >= 0) {
            cfg_error(ctx, c, 0, key, "must not contain control characters, got 0x%02x",
                      cfg_control_char(c->valuestring));
            continue;
        }
        int dup = 0;
        for (const cJSON *d = v->child; d != c; d = d->next)
            dup |= cJSON_IsString(d) && strcmp(d->valuestring, c->valuestring) == 0;
        if (dup) {
            cfg_error(ctx, c, 0, key, "\"%s\" is listed twice", c->valuestring);
            continue;
        }
        char *p = o->kind == K_PATHLIST ? cfg_path_resolve(ctx->cfg->dir, c->valuestring)
                                        : srt_strdup(c->valuestring);
        if (!p || !cfg_strlist_push(l, p))
            ctx->nomem = 1;
        free(p);
    }
}

/* Sets one row from a JSON value (given or default). */
static void apply(cfg_ctx_t *ctx, const cfg_option_t *o, const cJSON *v)
{
    void *dst = field(ctx->cfg, o);
    char want[320];
    switch (o->kind) {
    case K_INT:
    case K_FLOAT: {
        double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        int ok = isfinite(d) && d <= o->high && ((o->flags & F_GT_LOW) ? d > o->low : d >= o->low);
        if (ok && o->kind == K_INT)
            ok = cfg_is_integer(d);
        if (!ok) {
            describe_range(o, want, sizeof want);
            bad_value(ctx, v, o->key, want);
        } else if (o->kind == K_INT) {
            long l = (long)d;
            memcpy(dst, &l, sizeof l);
        } else {
            memcpy(dst, &d, sizeof d);
        }
        break;
    }
    case K_U64:
        set_u64(ctx, o, v, dst);
        break;
    case K_BOOL:
        if (cJSON_IsBool(v)) {
            int b = cJSON_IsTrue(v) ? 1 : 0;
            memcpy(dst, &b, sizeof b);
        } else {
            bad_value(ctx, v, o->key, "true or false");
        }
        break;
    case K_STRING:
    case K_PATH:
        if ((o->flags & F_NULLABLE) && cJSON_IsNull(v)) {
            free(*(char **)dst);
            *(char **)dst = NULL;
        } else if (!cJSON_IsString(v) || !v->valuestring[0]) {
            bad_value(ctx, v, o->key,
                      (o->flags & F_NULLABLE) ? "a non-empty string or null"
                                              : "a non-empty string");
        } else if ((o->flags & F_NAME) &&
                   !srt_config_name_check(v->valuestring, want, sizeof want)) {
            cfg_error(ctx, v, 0, o->key, "%s", want);
        } else if (cfg_control_char(v->valuestring) >= 0) {
            /* a newline in a path would split a job script's line */
            cfg_error(ctx, v, 0, o->key, "must not contain control characters, got 0x%02x",
                      cfg_control_char(v->valuestring));
        } else if (o->kind == K_PATH) {
            char *p = cfg_path_resolve(ctx->cfg->dir, v->valuestring);
            if (!p)
                ctx->nomem = 1;
            free(*(char **)dst);
            *(char **)dst = p;
        } else {
            set_string(ctx, (char **)dst, v->valuestring);
        }
        break;
    case K_CHOICE:
        set_choice(ctx, o, v, dst);
        break;
    case K_OPLIST:
        set_oplist(ctx, o, v);
        break;
    case K_PATHLIST:
    case K_STRLIST:
        set_strlist(ctx, o, v, dst);
        break;
    case K_EQUATIONS:
    case K_SECTION:
    case K_BASELINES:
        break;
    }
}

static char *default_catalogue(srt_dataset_kind_t kind)
{
    const char *dir = getenv("SRTUNE_DATA_DIR");
    if (!dir || !*dir)
        dir = SRTUNE_SOURCE_DIR "/data";
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, "/");
    char *abs_dir = cfg_path_resolve(cwd, dir);
    char *path = NULL;
    if (abs_dir)
        path = cfg_path_resolve(abs_dir, kind == SRT_DATASET_BONUS ? "BonusEquations.csv"
                                                                   : "FeynmanEquations.csv");
    free(abs_dir);
    return path;
}

static const cJSON *section_node(const cfg_ctx_t *ctx, const char *key)
{
    return strncmp(key, "study", 5) == 0 ? ctx->study : ctx->dataset;
}

static int applies_to(const cfg_option_t *o, srt_dataset_kind_t kind)
{
    return ((o->flags & F_CATALOGUE) &&
            (kind == SRT_DATASET_FEYNMAN || kind == SRT_DATASET_BONUS)) ||
           ((o->flags & F_CSV) && kind == SRT_DATASET_CSV) ||
           ((o->flags & F_FILES) && kind == SRT_DATASET_FILES);
}

static const char *kinds_text(unsigned flags)
{
    switch (flags & F_KINDS) {
    case F_CATALOGUE: return "\"feynman\" or \"bonus\"";
    case F_CSV: return "\"csv\"";
    case F_FILES: return "\"files\"";
    case F_CSV | F_FILES: return "\"csv\" or \"files\"";
    default: return "another kind";
    }
}

void cfg_read_table_sections(cfg_ctx_t *ctx)
{
    const cJSON *given[N_OPTIONS] = {0};
    srt_config_t *cfg = ctx->cfg;
    if (ctx->study)
        walk(ctx, ctx->study, "study", given);
    if (ctx->dataset)
        walk(ctx, ctx->dataset, "dataset", given);
    if (!ctx->study)
        cfg_error(ctx, ctx->root, 1, "study", "missing required section");
    if (!ctx->dataset)
        cfg_error(ctx, ctx->root, 1, "dataset", "missing required section");

    int kind_ok = 0; /* dataset.name was valid: applicability can be decided */
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const cfg_option_t *o = &options[i];
        const cJSON *v = given[i];
        const cJSON *sec = section_node(ctx, o->key);
        if (o->kind == K_SECTION)
            continue;
        if (o->flags & F_KINDS) {
            if (!kind_ok)
                continue;
            if (!applies_to(o, cfg->dataset.kind)) {
                if (v)
                    cfg_error(ctx, v, 0, o->key, "only valid when dataset.name is %s",
                              kinds_text(o->flags));
                continue;
            }
        }
        if (o->offset == OFF(dataset.num_samples) && !v &&
            cfg->dataset.kind == SRT_DATASET_FILES) {
            cfg->dataset.num_samples = 0; /* every row of each file */
            continue;
        }
        if (!v && (o->flags & F_REQUIRED)) {
            if (sec)
                cfg_error(ctx, sec, 1, o->key, "missing required key (%s)", o->help);
            continue;
        }
        if (o->kind == K_EQUATIONS) {
            cfg_read_equations(ctx, v, sec, given[find_option("dataset.catalogue")]);
            continue;
        }
        if (!v && o->offset == OFF(dataset.catalogue)) {
            cfg->dataset.catalogue = default_catalogue(cfg->dataset.kind);
            if (!cfg->dataset.catalogue)
                ctx->nomem = 1;
            continue;
        }
        size_t before = cfg_error_count(ctx);
        if (v) {
            apply(ctx, o, v);
        } else {
            cJSON *d = cJSON_Parse(o->def);
            if (!d) {
                ctx->nomem = 1;
                continue;
            }
            apply(ctx, o, d);
            cJSON_Delete(d);
        }
        if (o->offset == OFF(dataset.kind) && o->kind == K_CHOICE &&
            cfg_error_count(ctx) == before) {
            kind_ok = 1;
            cfg->dataset.name = srt_config_dataset_name(cfg->dataset.kind);
        }
        if (o->offset == OFF(dataset.path) && v && cfg->dataset.path &&
            !srt_fs_is_file(cfg->dataset.path))
            cfg_error(ctx, v, 0, o->key, "no such file: %s", cfg->dataset.path);
        if (o->offset == OFF(dataset.paths) && v && cfg_error_count(ctx) == before)
            cfg_expand_files(ctx, v);
    }

    const cJSON *grace = given[find_option("study.heartbeat_grace_s")];
    const cJSON *interval = given[find_option("study.heartbeat_interval_s")];
    if ((grace || interval) && cfg->study.heartbeat_grace_s <= cfg->study.heartbeat_interval_s) {
        char a[32], b[32];
        cfg_fmt_num(cfg->study.heartbeat_grace_s, a, sizeof a);
        cfg_fmt_num(cfg->study.heartbeat_interval_s, b, sizeof b);
        if (grace)
            cfg_error(ctx, grace, 0, "study.heartbeat_grace_s",
                      "must be larger than study.heartbeat_interval_s (%s), got %s", b, a);
        else
            cfg_error(ctx, interval, 0, "study.heartbeat_interval_s",
                      "must be smaller than study.heartbeat_grace_s (%s), got %s", a, b);
    }
}

/* ----------------------------------------------------- effective JSON */

static cJSON *object_for(cJSON *root, const char *key)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", key);
    char *dot = strrchr(buf, '.');
    if (!dot)
        return root;
    *dot = '\0';
    cJSON *obj = root;
    char *save = NULL;
    for (char *p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save)) {
        cJSON *next = cJSON_GetObjectItemCaseSensitive(obj, p);
        if (!next) {
            next = cJSON_AddObjectToObject(obj, p);
            if (!next)
                return NULL;
        }
        obj = next;
    }
    return obj;
}

int cfg_table_to_json(const srt_config_t *cfg, cJSON *root)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const cfg_option_t *o = &options[i];
        if (o->kind == K_SECTION)
            continue;
        if ((o->flags & F_KINDS) && !applies_to(o, cfg->dataset.kind))
            continue;
        cJSON *obj = object_for(root, o->key);
        if (!obj)
            return 0;
        const char *name = last_part(o->key);
        const void *src = cfield(cfg, o);
        cJSON *item = NULL;
        switch (o->kind) {
        case K_INT: {
            long l;
            memcpy(&l, src, sizeof l);
            item = o->offset == OFF(dataset.num_samples) && l == 0 ? cJSON_CreateNull()
                                                                   : cJSON_CreateNumber((double)l);
            break;
        }
        case K_U64: {
            uint64_t u;
            memcpy(&u, src, sizeof u);
            if (u < 9007199254740992ULL) {
                item = cJSON_CreateNumber((double)u);
            } else {
                char buf[32];
                snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
                item = cJSON_CreateString(buf);
            }
            break;
        }
        case K_FLOAT: {
            double d;
            memcpy(&d, src, sizeof d);
            item = cJSON_CreateNumber(d);
            break;
        }
        case K_PATHLIST:
        case K_STRLIST: {
            const srt_config_strlist_t *l = src;
            item = cJSON_CreateArray();
            for (size_t j = 0; item && j < l->n; j++) {
                cJSON *s = cJSON_CreateString(l->items[j]);
                if (!s || !cJSON_AddItemToArray(item, s)) {
                    cJSON_Delete(s);
                    cJSON_Delete(item);
                    item = NULL;
                }
            }
            break;
        }
        case K_BOOL: {
            int b;
            memcpy(&b, src, sizeof b);
            item = cJSON_CreateBool(b);
            break;
        }
        case K_STRING:
        case K_PATH:
        case K_EQUATIONS: {
            const char *s = *(char *const *)src;
            item = s ? cJSON_CreateString(s) : cJSON_CreateNull();
            break;
        }
        case K_CHOICE: {
            int e;
            memcpy(&e, src, sizeof e);
            item = cJSON_CreateString(o->choices[e - o->base]);
            break;
        }
        case K_OPLIST:
            item = cJSON_CreateArray();
            for (int j = 0; item && j < cfg->dataset.n_remove_ops; j++) {
                cJSON *s = cJSON_CreateString(srt_op_name((srt_op_t)cfg->dataset.remove_ops[j]));
                if (!s || !cJSON_AddItemToArray(item, s)) {
                    cJSON_Delete(s);
                    cJSON_Delete(item);
                    item = NULL;
                }
            }
            break;
        case K_BASELINES:
            item = cfg_baselines_to_json(&cfg->study);
            break;
        case K_SECTION:
            break;
        }
        if (!item || !cJSON_AddItemToObject(obj, name, item)) {
            cJSON_Delete(item);
            return 0;
        }
    }
    return 1;
}
