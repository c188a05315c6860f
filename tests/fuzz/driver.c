/*
 * Plain-C fuzz driver: the main() the test suite links with each fuzz target
 * when libFuzzer is not used (any compiler, the normal build). It runs the
 * target on every file of the given corpus directories (seeds and crash
 * regressions), then on N mutations of them: bit flips, byte sets, deletions,
 * insertions of random bytes and of format tokens, duplications, truncations,
 * splices and numeric replacements.
 *
 * Invariants: mutation i depends only on (seed, i) and the corpus, so any
 * failure is reproduced by `-dump I FILE` (writes input i without running it)
 * and then running the target on FILE. On a crash (signal, sanitizer death)
 * the driver names the iteration and writes the input to
 * ./fuzz-crash-<target>. Exit status 0 when every input ran.
 *
 * Usage: fuzz_<target> [-n ITERATIONS] [-seed S] [-max_len BYTES]
 *                      [-dump I FILE] PATH...
 * PATH is a file or a directory (its regular files, sorted by name, skipping
 * names that start with '.' and README*). SRTUNE_FUZZ_ITERATIONS in the
 * environment overrides -n (tools/fuzz runs long campaigns that way).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

/* ------------------------------------------------------------ corpus */

typedef struct {
    char *name;    /* path of the file */
    uint8_t *data; /* its bytes (owned) */
    size_t size;   /* number of bytes */
} entry_t;

typedef struct {
    entry_t *items; /* owned array */
    size_t n;       /* entries used */
    size_t cap;     /* entries allocated */
} corpus_t;

static int read_whole(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
            cap *= 2;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static void corpus_add(corpus_t *c, const char *path)
{
    uint8_t *data;
    size_t size;
    if (read_whole(path, &data, &size) != 0) {
        fprintf(stderr, "fuzz: cannot read %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        entry_t *ni = realloc(c->items, c->cap * sizeof *ni);
        if (!ni) {
            fprintf(stderr, "fuzz: out of memory\n");
            exit(2);
        }
        c->items = ni;
    }
    size_t plen = strlen(path) + 1;
    char *name = malloc(plen);
    if (!name) {
        fprintf(stderr, "fuzz: out of memory\n");
        exit(2);
    }
    memcpy(name, path, plen);
    c->items[c->n].name = name;
    c->items[c->n].data = data;
    c->items[c->n].size = size;
    c->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void corpus_add_path(corpus_t *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (!S_ISDIR(st.st_mode)) {
        corpus_add(c, path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0)
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn)
                free(p), p = NULL;
            else
                names = nn;
        }
        if (!p) {
            fprintf(stderr, "fuzz: out of memory\n");
            exit(2);
        }
        snprintf(p, len, "%s/%s", path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            names[n++] = p;
        else
            free(p);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        corpus_add(c, names[i]);
        free(names[i]);
    }
    free(names);
}

/* --------------------------------------------------------- mutations */

static uint64_t rng_state; /* splitmix64 state of the current iteration */

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

/* Tokens of the formats under test (JSON, JSON Lines, CSV, formulas). */
/* clang-format off */
static const char *const tokens[] = {
    "\"", "\"\"", ",", ",,", "\n", "\r\n", "{", "}", "[", "]", ":", "\\", "\\u0000", "\\ud800",
    "null", "true", "false", "NaN", "Infinity", "-Infinity", "nan", "inf", "-inf", "1e309",
    "-1e309", "4.9e-324", "-0", "0", "-1", "2147483648", "4294967296", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "1e19", "0.5", "1.", ".5e", "0x10",
    "\"op_code\": ", "\"trial_id\": ", "\"study_id\": ", "\"step\": ", "\"state\": ",
    "\"params\": {", "\"distributions\": {", "\"values\": [", "\"value\": ",
    "\"type\": \"float\"", "\"type\": \"int\"", "\"choices\": [", "\"low\": ", "\"high\": ",
    "\"log\": true", "\"simplex\"", "\"equations\": ", "\":\"", "\"-1:\"",
    "**", "*", "/", "+", "-", "~", "(", ")", "((((((((", "))))))))", "pi", "exp(", "sqrt(",
    "log(", "arcsin(", "x", "y", "\xef\xbb\xbf", "\xff", "\xc3\x28", "\t", " "};

/* Byte values worth trying. */
static const uint8_t bytes[] = {0, 1, '"', ',', '\n', '\r', '{', '}', '[', ']', ':', '-', '.', 'e',
                                '9', '0', ' ', '\\', '(', ')', '*', 0x7f, 0x80, 0xff};

/* Numbers that replace a run of digits. */
static const char *const numbers[] = {"0", "-1", "1e309", "nan", "4294967296",
                                      "99999999999999999999", "-0.0", "1e-320", "65535", "65536",
                                      "257", "2147483647"};
/* clang-format on */

typedef struct {
    uint8_t *p; /* bytes */
    size_t len; /* used */
    size_t cap; /* the max_len limit (allocated cap + 1 for a NUL) */
} buf_t;

static void insert(buf_t *b, size_t pos, const uint8_t *src, size_t n)
{
    if (n > b->cap - b->len)
        n = b->cap - b->len;
    if (!n)
        return;
    memmove(b->p + pos + n, b->p + pos, b->len - pos);
    memcpy(b->p + pos, src, n);
    b->len += n;
}

static void erase(buf_t *b, size_t pos, size_t n)
{
    memmove(b->p + pos, b->p + pos + n, b->len - pos - n);
    b->len -= n;
}

static void mutate_once(buf_t *b, const corpus_t *c)
{
    size_t pos = below(b->len + 1); /* insertion point */
    size_t at = b->len ? below(b->len) : 0;
    switch (below(12)) {
    case 0: /* flip a bit */
        if (b->len)
            b->p[at] ^= (uint8_t)(1u << below(8));
        break;
    case 1: /* random byte */
        if (b->len)
            b->p[at] = (uint8_t)rnd();
        break;
    case 2: /* interesting byte */
        if (b->len)
            b->p[at] = bytes[below(sizeof bytes)];
        break;
    case 3: { /* delete a range */
        if (b->len) {
            size_t n = 1 + below(b->len - at < 32 ? b->len - at : 32);
            erase(b, at, n);
        }
        break;
    }
    case 4: { /* insert random bytes */
        uint8_t r[8];
        size_t n = 1 + below(sizeof r);
        for (size_t i = 0; i < n; i++)
            r[i] = (uint8_t)rnd();
        insert(b, pos, r, n);
        break;
    }
    case 5:
    case 6: { /* insert a token */
        const char *t = tokens[below(sizeof tokens / sizeof *tokens)];
        insert(b, pos, (const uint8_t *)t, strlen(t));
        break;
    }
    case 7: { /* duplicate a range */
        if (b->len) {
            size_t n = 1 + below(b->len - at < 64 ? b->len - at : 64);
            uint8_t tmp[64];
            memcpy(tmp, b->p + at, n);
            insert(b, pos, tmp, n);
        }
        break;
    }
    case 8: /* truncate */
        b->len = below(b->len + 1);
        break;
    case 9: { /* splice: our head + another entry's tail */
        const entry_t *o = &c->items[below(c->n)];
        size_t from = below(o->size + 1);
        size_t n = o->size - from;
        b->len = pos;
        insert(b, pos, o->data + from, n);
        break;
    }
    case 10: { /* insert a chunk of another entry */
        const entry_t *o = &c->items[below(c->n)];
        if (o->size) {
            size_t from = below(o->size);
            size_t n = 1 + below(o->size - from < 128 ? o->size - from : 128);
            insert(b, pos, o->data + from, n);
        }
        break;
    }
    default: { /* replace a run of digits by another number */
        size_t i = at;
        for (size_t k = 0; k < b->len && (b->p[i] < '0' || b->p[i] > '9'); k++)
            i = (i + 1) % b->len;
        if (!b->len || b->p[i] < '0' || b->p[i] > '9')
            break;
        size_t j = i;
        while (j < b->len && ((b->p[j] >= '0' && b->p[j] <= '9') || b->p[j] == '.'))
            j++;
        erase(b, i, j - i);
        const char *t = numbers[below(sizeof numbers / sizeof *numbers)];
        insert(b, i, (const uint8_t *)t, strlen(t));
        break;
    }
    }
}

/* Builds mutation number iter into b. */
static void make_input(buf_t *b, const corpus_t *c, uint64_t seed, long iter)
{
    rng_state = seed * 0xD1342543DE82EF95ull + (uint64_t)iter * 0x9E3779B97F4A7C15ull;
    (void)rnd();
    const entry_t *base = &c->items[below(c->n)];
    b->len = base->size < b->cap ? base->size : b->cap;
    memcpy(b->p, base->data, b->len);
    size_t n = 1 + below(4);
    if (below(4) == 0)
        n += below(12);
    for (size_t i = 0; i < n; i++)
        mutate_once(b, c);
}

/* ------------------------------------------------------ crash report */

static const char *target_name = "target"; /* basename of argv[0] */
static long current_iter = -1;             /* mutation running, -1 for corpus files */
static const char *current_file;           /* corpus file running, or NULL */
static const uint8_t *current_data;        /* the input running */
static size_t current_size;                /* its size */

static void put(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static void report_crash(void)
{
    static volatile sig_atomic_t reported = 0;
    if (reported)
        return;
    reported = 1;
    if (current_file) {
        put("\nfuzz: crash on corpus file ");
        put(current_file);
        put("\n");
        return;
    }
    char num[24];
    int k = 0;
    unsigned long v = (unsigned long)current_iter;
    char rev[24];
    do {
        rev[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && k < 23);
    for (int i = 0; i < k; i++)
        num[i] = rev[k - 1 - i];
    num[k] = 0;
    char path[256] = "fuzz-crash-";
    size_t pl = strlen(path), tl = strlen(target_name);
    if (tl > sizeof path - pl - 1)
        tl = sizeof path - pl - 1;
    memcpy(path + pl, target_name, tl);
    path[pl + tl] = 0;
    put("\nfuzz: crash on mutation ");
    put(num);
    put(" (reproduce: -dump ");
    put(num);
    put(" FILE with the same -seed and corpus); input written to ./");
    put(path);
    put("\n");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        ssize_t r = write(fd, current_data, current_size);
        (void)r;
        close(fd);
    }
}

static void on_signal(int sig)
{
    report_crash();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Called by ASan/UBSan before they end the process (weak: absent without them). */
void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void run_one(const uint8_t *data, size_t size)
{
    current_data = data;
    current_size = size;
    (void)LLVMFuzzerTestOneInput(data, size);
}

/* --------------------------------------------------------------- main */

static void usage(void)
{
    fprintf(stderr, "usage: %s [-n ITERATIONS] [-seed S] [-max_len BYTES] [-dump I FILE] PATH...\n",
            target_name);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *slash = strrchr(argv[0], '/');
    target_name = slash ? slash + 1 : argv[0];
    long iterations = 1000, dump = -1;
    uint64_t seed = 1;
    size_t max_len = (size_t)64 * 1024;
    const char *dump_file = NULL;
    corpus_t c = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            iterations = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-max_len") == 0 && i + 1 < argc)
            max_len = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "-dump") == 0 && i + 2 < argc) {
            dump = strtol(argv[++i], NULL, 10);
            dump_file = argv[++i];
        } else if (argv[i][0] == '-')
            usage();
        else
            corpus_add_path(&c, argv[i]);
    }
    const char *env = getenv("SRTUNE_FUZZ_ITERATIONS");
    if (env && *env)
        iterations = strtol(env, NULL, 10);
    if (c.n == 0 || max_len == 0)
        usage();

    buf_t b = {malloc(max_len + 1), 0, max_len};
    int rc = 0;
    if (!b.p) {
        fprintf(stderr, "fuzz: out of memory\n");
        rc = 2;
        goto cleanup;
    }
    if (dump >= 0) {
        make_input(&b, &c, seed, dump);
        FILE *f = fopen(dump_file, "wb");
        if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) != 0) {
            fprintf(stderr, "fuzz: cannot write %s\n", dump_file);
            rc = 2;
        }
        goto cleanup;
    }

    signal(SIGSEGV, on_signal);
    signal(SIGABRT, on_signal);
    signal(SIGBUS, on_signal);
    signal(SIGFPE, on_signal);
    signal(SIGILL, on_signal);
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(report_crash);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < c.n; i++) {
        current_file = c.items[i].name;
        run_one(c.items[i].data, c.items[i].size);
    }
    current_file = NULL;
    for (long it = 0; it < iterations; it++) {
        current_iter = it;
        make_input(&b, &c, seed, it);
        run_one(b.p, b.len);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%s: %zu corpus files and %ld mutations (seed %llu) ran in %.2f s\n", target_name, c.n,
           iterations, (unsigned long long)seed,
           (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
cleanup:
    free(b.p);
    for (size_t i = 0; i < c.n; i++) {
        free(c.items[i].name);
        free(c.items[i].data);
    }
    free(c.items);
    return rc;
}
