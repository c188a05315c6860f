/*
 * `srtune fit`: standalone symbolic regression on a user's CSV file or on a
 * generated Feynman data set, printing the final Pareto front as a table
 * (complexity, loss, score, equation) on stdout. It uses only the SR engine
 * (sr/) and data sets (data/); with --out it writes the engine's run
 * directory (scalar log, hall of fame, run.json) and can be interrupted and
 * resumed: SIGINT/SIGTERM checkpoint the search and exit 75, and the same
 * command line continues it.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/model_select.h"
#include "srtune/config.h"
#include "srtune/core.h"
#include "srtune/data.h"
#include "srtune/sr.h"

static volatile sig_atomic_t fit_stop;

static void on_signal(int sig)
{
    (void)sig;
    fit_stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: srtune fit DATA.csv [--target NAME] [options]\n"
            "       srtune fit --feynman ID [--samples N] [--noise X] [--catalogue FILE] "
            "[options]\n\n"
            "Runs one symbolic-regression search and prints its Pareto front.\n\n"
            "  --target NAME      target column of DATA.csv (default: the last column)\n"
            "  --feynman ID       generate data for a catalogue equation (I.6.2a, test_1, ...)\n"
            "  --samples N        rows to generate (default 1000)\n"
            "  --noise X          noise level: y += N(0, X * rms(y)) (default 0)\n"
            "  --catalogue FILE   catalogue to search for ID (default: FeynmanEquations.csv,\n"
            "                     then BonusEquations.csv in $SRTUNE_DATA_DIR or the source "
            "data/)\n"
            "  --preset P         pysr-1 (default) or pysr-0 defaults\n"
            "  --option K=V       set an SR option (repeatable), e.g. niterations=20,\n"
            "                     unary_operators=sin,cos,exp, timeout_in_seconds=60;\n"
            "                     structured ones as JSON, e.g. constraints='{\"^\": [-1, 1]}'\n"
            "  --seed N           seed (default 0); data and search seeds derive from it\n"
            "  --out DIR          write the run directory (resumable after an interruption)\n"
            "  --sympy            print equations in sympy syntax (constants in full)\n"
            "  --option model_selection=best|accuracy|score\n"
            "                     which equation is marked >>>> (PySR's rules; default best)\n"
            "  --list-options     print the SR options with their defaults and exit\n");
}

static void list_options(void)
{
    size_t n;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    printf("%-30s %-12s %-12s %s\n", "option", "pysr-1", "pysr-0", "meaning");
    for (size_t i = 0; i < n; i++)
        printf("%-30s %-12g %-12g %s\n", t[i].name, t[i].def_pysr1, t[i].def_pysr0, t[i].help);
    printf("%-30s %-12s %-12s %s\n", "binary_operators", "+,-,*,/", "+,-,*,/",
           "binary operators");
    printf("%-30s %-12s %-12s %s\n", "unary_operators", "none", "none",
           "unary operators (sin cos exp log sqrt square ...)");
    printf("%-30s %-12s %-12s %s\n", "complexity_of_operators", "null", "null",
           "JSON, e.g. complexity_of_operators='{\"sin\": 3}'");
    printf("%-30s %-12s %-12s %s\n", "constraints", "null", "null",
           "JSON, e.g. constraints='{\"sin\": 5, \"^\": [-1, 1]}'");
    printf("%-30s %-12s %-12s %s\n", "nested_constraints", "null", "null",
           "JSON, e.g. nested_constraints='{\"sin\": {\"sin\": 0}}'");
}

/* Finds a catalogue entry by id in the given file or the default ones. */
static int load_feynman(const char *catalogue, const char *id, size_t samples, double noise,
                        uint64_t seed, srt_dataset_t **ds)
{
    const char *defaults[] = {"FeynmanEquations.csv", "BonusEquations.csv"};
    const char *dir = getenv("SRTUNE_DATA_DIR");
    if (!dir || !*dir)
        dir = SRTUNE_SOURCE_DIR "/data";
    int tried = 0;
    for (int k = 0; k < (catalogue ? 1 : 2); k++) {
        char *path = catalogue ? srt_strdup(catalogue) : srt_path_join(dir, defaults[k]);
        srt_catalogue_t *cat = NULL;
        srt_err_t err;
        char buf[2048];
        srt_err_clear(&err);
        if (!path || srt_catalogue_load(path, &cat, &err) != SRT_OK) {
            fprintf(stderr, "srtune fit: %s\n", srt_err_format(&err, buf, sizeof buf));
            free(path);
            return SRT_EXIT_INVALID;
        }
        tried++;
        size_t idx;
        if (srt_catalogue_find(cat, id, &idx) == SRT_OK) {
            const srt_catalogue_entry_t *e = srt_catalogue_entry(cat, idx);
            uint64_t dseed = srt_seed_derive(seed, "data", "fit", (long)idx, 0);
            srt_rc rc = srt_dataset_generate(e, samples, noise, dseed, ds, &err);
            if (rc == SRT_OK)
                fprintf(stderr, "srtune fit: %s: %s = %s, %zu samples, noise %g\n", id, e->output,
                        e->formula, samples, noise);
            else
                fprintf(stderr, "srtune fit: %s\n", srt_err_format(&err, buf, sizeof buf));
            srt_catalogue_destroy(&cat);
            free(path);
            return rc == SRT_OK ? SRT_EXIT_OK : SRT_EXIT_INVALID;
        }
        srt_catalogue_destroy(&cat);
        free(path);
    }
    fprintf(stderr, "srtune fit: no equation '%s' in the %s\n", id,
            tried > 1 ? "Feynman or Bonus catalogues" : "catalogue");
    return SRT_EXIT_INVALID;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-')
        return -1;
    *out = (uint64_t)v;
    return 0;
}

/* ------------------------------------------------ the progress line */

/* On a terminal (stderr, unless SRTUNE_NO_PROGRESS is set) a thread redraws
 * one line every 0.25 s: elapsed time and, with --out, the latest row of the
 * scalar log (iteration, best loss, evaluations). The engine is not touched:
 * the thread only reads the .partial file the engine appends to. */
typedef struct fit_progress {
    pthread_t thread;
    int running;
    atomic_int stop;
    double t0;
    long niterations, populations;
    char *partial; /* run_dir/tensorboard_scalars.csv.partial or NULL */
} fit_progress_t;

/* The last complete line of a file into buf; 0 when there is none. */
static int last_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char tail[4096];
    long pos = 0;
    if (fseek(f, 0, SEEK_END) == 0 && (pos = ftell(f)) > (long)sizeof tail - 1)
        (void)fseek(f, pos - (long)sizeof tail + 1, SEEK_SET);
    else
        (void)fseek(f, 0, SEEK_SET);
    size_t n = fread(tail, 1, sizeof tail - 1, f);
    fclose(f);
    tail[n] = '\0';
    char *end = strrchr(tail, '\n');
    if (!end)
        return 0;
    *end = '\0';
    char *start = strrchr(tail, '\n');
    start = start ? start + 1 : tail;
    if (!strncmp(start, "timestamp", 9))
        return 0; /* only the header yet */
    size_t len = strlen(start);
    if (len >= size)
        len = size - 1;
    memcpy(buf, start, len);
    buf[len] = '\0';
    return 1;
}

static void *progress_main(void *arg)
{
    fit_progress_t *p = arg;
    while (!atomic_load(&p->stop)) {
        char line[512], row[1024];
        int len = snprintf(line, sizeof line, "srtune fit: %.1f s of niterations %ld",
                           srt_time_monotonic() - p->t0, p->niterations);
        if (p->partial && last_line(p->partial, row, sizeof row)) {
            /* timestamp,step,min_loss,pareto_volume,num_evals,... */
            double ts, loss, pv, evals;
            long step;
            if (sscanf(row, "%lf,%ld,%lf,%lf,%lf", &ts, &step, &loss, &pv, &evals) == 5 &&
                len > 0 && (size_t)len < sizeof line)
                snprintf(line + len, sizeof line - (size_t)len,
                         ": iteration %ld, best loss %.4g, %.0f evaluations",
                         p->populations > 0 ? step / p->populations + 1 : step, loss, evals);
        }
        fprintf(stderr, "\r\033[K%s", line);
        fflush(stderr);
        struct timespec ts = {0, 250000000L};
        nanosleep(&ts, NULL);
    }
    fputs("\r\033[K", stderr);
    fflush(stderr);
    return NULL;
}

static void progress_start(fit_progress_t *p, const srt_sr_options_t *o, const char *out_dir)
{
    memset(p, 0, sizeof *p);
    atomic_init(&p->stop, 0);
    if (!isatty(STDERR_FILENO) || getenv("SRTUNE_NO_PROGRESS"))
        return;
    p->t0 = srt_time_monotonic();
    p->niterations = o->niterations;
    p->populations = o->populations;
    p->partial = out_dir ? srt_path_join(out_dir, SRT_SR_SCALARS_PARTIAL) : NULL;
    p->running = pthread_create(&p->thread, NULL, progress_main, p) == 0;
}

static void progress_stop(fit_progress_t *p)
{
    if (p->running) {
        atomic_store(&p->stop, 1);
        pthread_join(p->thread, NULL);
    }
    free(p->partial);
    p->partial = NULL;
    p->running = 0;
}

static int is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* Rewrites each numeric constant of an equation with `digits` significant
 * digits (the digits that matter to a reader; PySR prints 5), or, with digits
 * 0, with the fewest digits that read back as the same double. Numbers inside
 * names (x0, x12) are left alone. Returns a heap string, or NULL. */
static char *fit_format_constants(const char *eq, int digits)
{
    size_t cap = strlen(eq) * 2 + 64, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = eq; *p;) {
        int starts = (*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9');
        if (!starts || (p > eq && is_ident_char(p[-1]))) {
            if (n + 2 > cap) {
                char *t = realloc(out, cap *= 2);
                if (!t) {
                    free(out);
                    return NULL;
                }
                out = t;
            }
            out[n++] = *p++;
            continue;
        }
        char *end;
        double v = strtod(p, &end);
        char buf[48];
        if (digits > 0) {
            snprintf(buf, sizeof buf, "%.*g", digits, v);
        } else {
            for (int prec = 1; prec <= 17; prec++) {
                snprintf(buf, sizeof buf, "%.*g", prec, v);
                if (strtod(buf, NULL) == v)
                    break;
            }
        }
        size_t len = strlen(buf);
        if (n + len + 2 > cap) {
            char *t = realloc(out, cap = (n + len) * 2 + 64);
            if (!t) {
                free(out);
                return NULL;
            }
            out = t;
        }
        memcpy(out + n, buf, len);
        n += len;
        p = end;
    }
    out[n] = '\0';
    return out;
}

int srt_cmd_fit(int argc, char **argv)
{
    const char *csv = NULL, *target = NULL, *feynman = NULL, *catalogue = NULL, *out_dir = NULL;
    const char *preset_name = "pysr-1";
    uint64_t seed = 0, samples = 1000;
    double noise = 0.0;
    int sympy = 0;
    srt_select_t selection = SRT_SELECT_BEST;
    /* first pass: the preset, so that --option values apply on top of it */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--preset") && i + 1 < argc)
            preset_name = argv[++i];
    srt_sr_preset_t preset;
    if (srt_sr_preset_lookup(preset_name, &preset) != SRT_OK) {
        fprintf(stderr, "srtune fit: --preset: unknown preset '%s' (pysr-1 or pysr-0)\n",
                preset_name);
        return SRT_EXIT_USAGE;
    }
    srt_sr_options_t opts;
    srt_sr_options_default(&opts, preset);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return SRT_EXIT_OK;
        } else if (!strcmp(a, "--list-options")) {
            list_options();
            return SRT_EXIT_OK;
        } else if (!strcmp(a, "--sympy")) {
            sympy = 1;
        } else if (!strcmp(a, "--preset") && has) {
            i++;
        } else if (!strcmp(a, "--target") && has) {
            target = argv[++i];
        } else if (!strcmp(a, "--feynman") && has) {
            feynman = argv[++i];
        } else if (!strcmp(a, "--catalogue") && has) {
            catalogue = argv[++i];
        } else if (!strcmp(a, "--out") && has) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--seed") && has) {
            if (parse_u64(argv[++i], &seed) != 0) {
                fprintf(stderr, "srtune fit: --seed: expected a non-negative integer, got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--samples") && has) {
            if (parse_u64(argv[++i], &samples) != 0 || samples == 0) {
                fprintf(stderr, "srtune fit: --samples: expected a positive integer, got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--noise") && has) {
            char *end;
            noise = strtod(argv[++i], &end);
            if (end == argv[i] || *end || !(noise >= 0) || !isfinite(noise)) {
                fprintf(stderr, "srtune fit: --noise: expected a number >= 0, got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if ((!strcmp(a, "--option") || !strcmp(a, "-o")) && has &&
                   !strncmp(argv[i + 1], "model_selection=", 16)) {
            const char *val = argv[++i] + 16;
            if (srt_select_lookup(val, &selection) != 0) {
                fprintf(stderr,
                        "srtune fit: --option model_selection: must be one of best, accuracy, "
                        "score, got '%s'\n",
                        val);
                return SRT_EXIT_USAGE;
            }
        } else if ((!strcmp(a, "--option") || !strcmp(a, "-o")) && has) {
            srt_err_t err;
            srt_err_clear(&err);
            if (srt_config_parse_sr_option(&opts, argv[++i], &err) != SRT_OK) {
                char msg[2048];
                fprintf(stderr, "srtune fit: --option %s\n", srt_err_format(&err, msg, sizeof msg));
                return SRT_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "srtune fit: unknown or incomplete option '%s' (see --help)\n", a);
            return SRT_EXIT_USAGE;
        } else if (!csv) {
            csv = a;
        } else {
            fprintf(stderr, "srtune fit: more than one data file given\n");
            return SRT_EXIT_USAGE;
        }
    }
    if (!!csv == !!feynman) {
        usage(stderr);
        return SRT_EXIT_USAGE;
    }
    {
        srt_err_t perr;
        srt_err_clear(&perr);
        if (srt_config_check_pysr(&opts, &perr) != SRT_OK) {
            char msg[2048];
            fprintf(stderr, "srtune fit: --option %s\n", srt_err_format(&perr, msg, sizeof msg));
            return SRT_EXIT_USAGE;
        }
    }
    if (opts.n_unaops == 0)
        fprintf(stderr, "srtune fit: no unary operators; try --option "
                        "unary_operators=sin,cos,exp\n");
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    char buf[2048];
    srt_err_clear(&err);
    if (feynman) {
        int code = load_feynman(catalogue, feynman, (size_t)samples, noise, seed, &ds);
        if (code != SRT_EXIT_OK)
            return code;
    } else if (srt_dataset_load_csv(csv, target, &ds, &err) != SRT_OK) {
        fprintf(stderr, "srtune fit: %s\n", srt_err_format(&err, buf, sizeof buf));
        return SRT_EXIT_INVALID;
    }
    srt_sr_data_t data = {(const double *const *)ds->cols, ds->y, ds->nrows, ds->nfeatures,
                          (const char *const *)ds->names};
    uint64_t search_seed = srt_seed_derive(seed, "search", feynman ? "fit" : csv, 0, 0);
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, &old_int);
    (void)sigaction(SIGTERM, &sa, &old_term);
    srt_sr_result_t res;
    fit_progress_t progress;
    progress_start(&progress, &opts, out_dir);
    srt_rc rc = srt_sr_run(&opts, &data, search_seed, out_dir, &fit_stop, &res, &err);
    progress_stop(&progress);
    (void)sigaction(SIGINT, &old_int, NULL);
    (void)sigaction(SIGTERM, &old_term, NULL);
    int code = SRT_EXIT_OK;
    if (rc == SRT_OK || rc == SRT_ERR_INTERRUPTED) {
        /* PySR's table: the chosen equation marked >>>>; constants with 5
         * significant digits, in full (round trip) under --sympy or --out */
        double *losses = calloc(res.nfront + 1, sizeof *losses);
        double *scores = calloc(res.nfront + 1, sizeof *scores);
        for (size_t k = 0; losses && scores && k < res.nfront; k++) {
            losses[k] = res.front[k].loss;
            scores[k] = res.front[k].score;
        }
        long chosen = losses && scores ? srt_select_member(losses, scores, res.nfront, selection)
                                       : -1;
        free(losses);
        free(scores);
        printf("%-4s  %-10s  %-22s  %-10s  %s\n", "", "complexity", "loss", "score", "equation");
        for (size_t k = 0; k < res.nfront; k++) {
            char *eq = srt_expr_to_string(&res.front[k].expr, data.names,
                                          sympy ? SRT_EXPR_STYLE_SYMPY : SRT_EXPR_STYLE_PYSR);
            char *shown = eq ? fit_format_constants(eq, sympy || out_dir ? 0 : 5) : NULL;
            printf("%-4s  %-10u  %-22.17g  %-10.6g  %s\n", (long)k == chosen ? ">>>>" : "",
                   res.front[k].complexity, res.front[k].loss, res.front[k].score,
                   shown ? shown : eq ? eq : "?");
            free(shown);
            free(eq);
        }
        if (chosen >= 0)
            fprintf(stderr, "srtune fit: model_selection=%s chose complexity %u (marked >>>>)\n",
                    srt_select_name(selection), res.front[chosen].complexity);
        fprintf(stderr,
                "srtune fit: %s after %ld iterations, %.0f evaluations, %.2f s; "
                "pareto_volume %.6g\n",
                srt_sr_stop_name(res.stop), res.iterations, res.num_evals, res.elapsed_s,
                res.pareto_volume);
        if (rc == SRT_ERR_INTERRUPTED) {
            fprintf(stderr, "srtune fit: interrupted%s\n",
                    out_dir ? "; run the same command again to resume" : "");
            code = SRT_EXIT_RESUMABLE;
        }
    } else {
        fprintf(stderr, "srtune fit: %s\n", srt_err_format(&err, buf, sizeof buf));
        code = rc == SRT_ERR_CONFIG || rc == SRT_ERR_DATA || rc == SRT_ERR_INVALID
                   ? SRT_EXIT_INVALID
                   : SRT_EXIT_FAILURE;
    }
    srt_sr_result_fini(&res);
    srt_dataset_destroy(&ds);
    return code;
}
