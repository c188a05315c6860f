/*
 * The effective config (every key present, canonical key order, presets
 * expanded, paths absolute), its hashes, <output_dir>/config.json, and the
 * relaunch guard.
 *
 * Invariants: the canonical text is cJSON's unformatted print of the effective
 * tree without the hash fields, and both hashes are srt_hash64 of such a text
 * (seed 0), so loading a written config.json back gives the same hashes. A
 * config.json whose study-defining parts differ is never overwritten.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_int.h"
#include "config/model_maps.h"

static int add(cJSON *obj, const char *name, cJSON *item)
{
    if (!item)
        return 0;
    if (!cJSON_AddItemToObject(obj, name, item)) {
        cJSON_Delete(item);
        return 0;
    }
    return 1;
}

static int is_tuned(const srt_config_t *cfg, const srt_sr_option_info_t *info)
{
    for (size_t i = 0; i < cfg->space.n; i++) {
        const srt_config_param_t *p = &cfg->space.params[i];
        if (p->option == info)
            return 1;
        for (size_t k = 0; k < p->n_keys; k++)
            if (p->keys[k] == info)
                return 1;
    }
    return 0;
}

static cJSON *op_array(const uint8_t *ops, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++) {
        cJSON *s = cJSON_CreateString(srt_op_name((srt_op_t)ops[i]));
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static cJSON *model_tree(const srt_config_t *cfg)
{
    cJSON *m = cJSON_CreateObject();
    if (!m || !add(m, "preset",
                   cJSON_CreateString(cfg->preset == SRT_SR_PRESET_PYSR0 ? "pysr-0" : "pysr-1")))
        goto fail;
    size_t n = 0;
    const srt_sr_option_info_t *table = srt_sr_option_table(&n);
    for (size_t i = 0; i < n; i++) {
        const srt_sr_option_info_t *info = &table[i];
        if (is_tuned(cfg, info))
            continue;
        double v = srt_sr_option_get(&cfg->model, info);
        cJSON *item = info->kind == SRT_OPTKIND_BOOL ? cJSON_CreateBool(v != 0.0)
                      : isnan(v)                     ? cJSON_CreateNull()
                                                     : cJSON_CreateNumber(v);
        if (!add(m, info->name, item))
            goto fail;
    }
    if (!add(m, "binary_operators", op_array(cfg->model.binops, cfg->model.n_binops)) ||
        !add(m, "unary_operators", op_array(cfg->model.unaops, cfg->model.n_unaops)) ||
        !cfg_model_maps_to_json(&cfg->model, m))
        goto fail;
    return m;
fail:
    cJSON_Delete(m);
    return NULL;
}

static cJSON *param_tree(const srt_config_param_t *p)
{
    static const char *const type_names[] = {"float", "int", "categorical", "simplex"};
    cJSON *o = cJSON_CreateObject();
    if (!o || !add(o, "type", cJSON_CreateString(type_names[p->kind])))
        goto fail;
    if (p->kind == SRT_CONFIG_PARAM_FLOAT || p->kind == SRT_CONFIG_PARAM_INT) {
        if (!add(o, "low", cJSON_CreateNumber(p->low)) ||
            !add(o, "high", cJSON_CreateNumber(p->high)) ||
            !add(o, "log", cJSON_CreateBool(p->log)) ||
            !add(o, "step", p->step > 0 ? cJSON_CreateNumber(p->step) : cJSON_CreateNull()))
            goto fail;
    } else if (p->kind == SRT_CONFIG_PARAM_CATEGORICAL) {
        cJSON *a = cJSON_CreateArray();
        if (!add(o, "choices", a))
            goto fail;
        for (size_t i = 0; i < p->n_choices; i++) {
            const srt_config_choice_t *c = &p->choices[i];
            cJSON *item = c->kind == SRT_CONFIG_CHOICE_NULL     ? cJSON_CreateNull()
                          : c->kind == SRT_CONFIG_CHOICE_BOOL   ? cJSON_CreateBool(c->boolean)
                          : c->kind == SRT_CONFIG_CHOICE_NUMBER ? cJSON_CreateNumber(c->number)
                                                                : cJSON_CreateString(c->string);
            if (!item || !cJSON_AddItemToArray(a, item)) {
                cJSON_Delete(item);
                goto fail;
            }
        }
    } else {
        cJSON *a = cJSON_CreateArray();
        if (!add(o, "keys", a))
            goto fail;
        for (size_t i = 0; i < p->n_keys; i++) {
            cJSON *item = cJSON_CreateString(p->keys[i]->name);
            if (!item || !cJSON_AddItemToArray(a, item)) {
                cJSON_Delete(item);
                goto fail;
            }
        }
        if (!add(o, "total", cJSON_CreateNumber(p->total)))
            goto fail;
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static int add_hex(cJSON *root, const char *name, uint64_t h)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
    return add(root, name, cJSON_CreateString(buf));
}

cJSON *cfg_effective_tree(const srt_config_t *cfg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *space = NULL;
    if (!root || !cfg_table_to_json(cfg, root) || !add(root, "model", model_tree(cfg)))
        goto fail;
    space = cJSON_CreateObject();
    if (!add(root, "search_space", space))
        goto fail;
    for (size_t i = 0; i < cfg->space.n; i++)
        if (!add(space, cfg->space.params[i].name, param_tree(&cfg->space.params[i])))
            goto fail;
    if (!add_hex(root, "data_hash", cfg->data_hash))
        goto fail;
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

static int add_copy(cJSON *dst, const char *name, const cJSON *src)
{
    if (!src)
        return 1;
    return add(dst, name, cJSON_Duplicate(src, 1));
}

cJSON *cfg_study_tree(const cJSON *eff)
{
    static const char *const study_keys[] = {"name",          "seed",          "direction",
                                             "on_run_error",  "failure_value", "baselines"};
    static const char *const parts[] = {"dataset", "model", "search_space"};
    cJSON *t = cJSON_CreateObject();
    cJSON *study = cJSON_CreateObject();
    if (!t || !add(t, "study", study))
        goto fail;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(eff, "study");
    for (size_t i = 0; i < sizeof study_keys / sizeof study_keys[0]; i++)
        if (!add_copy(study, study_keys[i], cJSON_GetObjectItemCaseSensitive(s, study_keys[i])))
            goto fail;
    for (int i = 0; i < 3; i++)
        if (!add_copy(t, parts[i], cJSON_GetObjectItemCaseSensitive(eff, parts[i])))
            goto fail;
    /* the data by content: the paths to them are not study-defining (a config.json
     * written before data_hash existed keeps its paths, and is compared by them) */
    const cJSON *data_hash = cJSON_GetObjectItemCaseSensitive(eff, "data_hash");
    if (data_hash) {
        cJSON *d = cJSON_GetObjectItemCaseSensitive(t, "dataset");
        cJSON_DeleteItemFromObjectCaseSensitive(d, "catalogue");
        cJSON_DeleteItemFromObjectCaseSensitive(d, "path");
        cJSON_DeleteItemFromObjectCaseSensitive(d, "paths");
        if (!add_copy(t, "data_hash", data_hash))
            goto fail;
    }
    return t;
fail:
    cJSON_Delete(t);
    return NULL;
}

static int hash_tree(const cJSON *t, uint64_t *h)
{
    char *text = cJSON_PrintUnformatted(t);
    if (!text)
        return 0;
    *h = srt_hash64(text, strlen(text), 0);
    cJSON_free(text);
    return 1;
}

/* srt_hash64 of a file's bytes (mapped, not read: a CSV may be large). */
static srt_rc file_hash(const char *path, uint64_t *h, srt_err_t *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        srt_rc rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot read: %s",
                                strerror(errno));
        if (fd >= 0)
            close(fd);
        return rc;
    }
    size_t len = (size_t)st.st_size;
    if (len == 0) {
        *h = srt_hash64("", 0, 0);
        close(fd);
        return SRT_OK;
    }
    void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot map: %s", strerror(errno));
    *h = srt_hash64(p, len, 0);
    munmap(p, len);
    return SRT_OK;
}

srt_rc cfg_compute_hashes(srt_config_t *cfg, srt_err_t *err)
{
    const char *data = cfg->dataset.path ? cfg->dataset.path : cfg->dataset.catalogue;
    cfg->data_hash = 0;
    if (cfg->dataset.kind == SRT_DATASET_FILES) {
        /* every file by content, under its instance id, in order: an edited or
         * renamed file is another study, a moved suite the same one */
        uint64_t h = srt_hash64("files", 5, 0);
        for (size_t i = 0; i < cfg->dataset.files.n; i++) {
            uint64_t fh = 0;
            srt_rc rc = file_hash(cfg->dataset.files.items[i], &fh, err);
            if (rc != SRT_OK)
                return rc;
            const char *id = cfg->dataset.ids.items[i];
            h = srt_hash64(id, strlen(id) + 1, h);
            h = srt_hash64(&fh, sizeof fh, h);
        }
        cfg->data_hash = h;
    } else if (data) {
        srt_rc rc = file_hash(data, &cfg->data_hash, err);
        if (rc != SRT_OK)
            return rc;
    }
    srt_rc rc = SRT_ERR_NOMEM;
    cJSON *eff = cfg_effective_tree(cfg);
    cJSON *study = eff ? cfg_study_tree(eff) : NULL;
    if (study && hash_tree(eff, &cfg->config_hash) && hash_tree(study, &cfg->study_hash))
        rc = SRT_OK;
    else
        srt_err_set(err, rc, cfg->path, NULL, 0, "out of memory");
    cJSON_Delete(study);
    cJSON_Delete(eff);
    return rc;
}

uint64_t srt_config_hash(const srt_config_t *cfg)
{
    return cfg ? cfg->config_hash : 0;
}

uint64_t srt_config_study_hash(const srt_config_t *cfg)
{
    return cfg ? cfg->study_hash : 0;
}

char *srt_config_to_json(const srt_config_t *cfg)
{
    char *text = NULL;
    if (!cfg)
        return NULL;
    cJSON *eff = cfg_effective_tree(cfg);
    if (eff && add_hex(eff, "config_hash", cfg->config_hash) &&
        add_hex(eff, "study_hash", cfg->study_hash)) {
        char *printed = cJSON_Print(eff);
        if (printed) {
            size_t n = strlen(printed);
            text = malloc(n + 2);
            if (text) {
                memcpy(text, printed, n);
                text[n] = '\n';
                text[n + 1] = '\0';
            }
            cJSON_free(printed);
        }
    }
    cJSON_Delete(eff);
    return text;
}

/* ------------------------------------------------------ relaunch guard */

typedef struct keylist {
    char buf[900]; /* "a.b, c.d" */
    size_t count;  /* keys listed (or counted once the buffer is full) */
} keylist_t;

static void keylist_add(keylist_t *l, const char *key)
{
    if (strcmp(key, "data_hash") == 0)
        key = "data_hash (the contents of the catalogue or CSV)";
    size_t used = strlen(l->buf);
    size_t need = strlen(key) + (l->count ? 2 : 0);
    if (used + need + 8 < sizeof l->buf)
        snprintf(l->buf + used, sizeof l->buf - used, "%s%s", l->count ? ", " : "", key);
    else if (!strstr(l->buf, ", ..."))
        snprintf(l->buf + used, sizeof l->buf - used, ", ...");
    l->count++;
}

/* Lists the dotted keys whose values differ between old and new. */
static void diff(const cJSON *old, const cJSON *cur, const char *prefix, keylist_t *out)
{
    char key[600];
    if (cJSON_IsObject(old) && cJSON_IsObject(cur)) {
        for (const cJSON *c = cur->child; c; c = c->next) {
            cfg_key(key, sizeof key, prefix, c->string);
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(old, c->string);
            if (!o)
                keylist_add(out, key);
            else
                diff(o, c, key, out);
        }
        for (const cJSON *o = old->child; o; o = o->next) {
            if (!cJSON_GetObjectItemCaseSensitive(cur, o->string)) {
                cfg_key(key, sizeof key, prefix, o->string);
                keylist_add(out, key);
            }
        }
        return;
    }
    if (!old || !cur || !cJSON_Compare(old, cur, 1))
        keylist_add(out, prefix);
}

/* Study-defining keys added after studies existed, with the default that
 * gives the old behaviour: a config.json written before a key existed is
 * compared as if it had that default (so old studies still resume). */
static const struct {
    const char *section, *key, *json;
} later_keys[] = {{"dataset", "order", "\"catalogue\""},
                 {"dataset", "holdout", "[]"}, /* issue #16 */
                 {"study", "baselines", "[]"},
                 /* issue #14: complexity, constraints, warm-up */
                 {"model", "warmup_maxsize_by", "0"},
                 {"model", "complexity_of_constants", "1"},
                 {"model", "complexity_of_variables", "1"},
                 {"model", "complexity_of_operators", "null"},
                 {"model", "constraints", "null"},
                 {"model", "nested_constraints", "null"}};

static void add_later_defaults(cJSON *study_tree)
{
    for (size_t i = 0; i < sizeof later_keys / sizeof later_keys[0]; i++) {
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(study_tree, later_keys[i].section);
        /* a tuned SR option is in search_space, not missing from model */
        const cJSON *space = cJSON_GetObjectItemCaseSensitive(study_tree, "search_space");
        if (!strcmp(later_keys[i].section, "model") && cJSON_IsObject(space) &&
            cJSON_GetObjectItemCaseSensitive(space, later_keys[i].key))
            continue;
        if (cJSON_IsObject(sec) && !cJSON_GetObjectItemCaseSensitive(sec, later_keys[i].key)) {
            cJSON *v = cJSON_Parse(later_keys[i].json);
            if (v)
                cJSON_AddItemToObject(sec, later_keys[i].key, v);
        }
    }
}

srt_rc srt_config_check_existing(const srt_config_t *cfg, srt_config_existing_t *state,
                                 srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *path = NULL, *text = NULL;
    size_t len = 0;
    cJSON *old = NULL, *cur = NULL, *old_study = NULL, *cur_study = NULL;
    srt_config_existing_t st = SRT_CONFIG_EXISTING_NONE;
    keylist_t keys;
    memset(&keys, 0, sizeof keys);
    if (!cfg)
        return srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "no config");
    path = srt_path_join(cfg->study.output_dir, "config.json");
    if (!path) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (!srt_fs_is_file(path))
        goto cleanup;
    rc = srt_fs_read_file(path, &text, &len, err);
    if (rc != SRT_OK)
        goto cleanup;
    old = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(old)) {
        rc = srt_err_set(err, SRT_ERR_PARSE, path, NULL, 0,
                         "the existing study's config is not a JSON object; refusing to "
                         "replace it");
        goto cleanup;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(old, "config_hash");
    cJSON_DeleteItemFromObjectCaseSensitive(old, "study_hash");
    cur = cfg_effective_tree(cfg);
    old_study = cfg_study_tree(old);
    if (cur && !cJSON_GetObjectItemCaseSensitive(old, "data_hash")) {
        /* written before data_hash existed: compare the data by path (once
         * accepted, the rewritten config.json has the hash) */
        cJSON *by_path = cJSON_Duplicate(cur, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(by_path, "data_hash");
        cur_study = by_path ? cfg_study_tree(by_path) : NULL;
        cJSON_Delete(by_path);
    } else {
        cur_study = cur ? cfg_study_tree(cur) : NULL;
    }
    if (!cur || !old_study || !cur_study) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    add_later_defaults(old_study);
    diff(old_study, cur_study, "", &keys);
    if (keys.count > 0) {
        st = SRT_CONFIG_EXISTING_MISMATCH;
        rc = srt_err_set(err, SRT_ERR_MISMATCH, path, NULL, 0,
                         "study-defining keys differ from the existing study: %s (use another "
                         "study.output_dir for a new study, or restore the old values)",
                         keys.buf);
        goto cleanup;
    }
    st = cJSON_Compare(old, cur, 1) ? SRT_CONFIG_EXISTING_SAME : SRT_CONFIG_EXISTING_CHANGED;
cleanup:
    if (state)
        *state = st;
    cJSON_Delete(cur_study);
    cJSON_Delete(old_study);
    cJSON_Delete(cur);
    cJSON_Delete(old);
    free(text);
    free(path);
    return rc;
}

srt_rc srt_config_write_effective(const srt_config_t *cfg, srt_config_existing_t *state,
                                  srt_err_t *err)
{
    srt_config_existing_t st = SRT_CONFIG_EXISTING_NONE;
    char *path = NULL, *json = NULL;
    srt_rc rc = srt_config_check_existing(cfg, &st, err);
    if (rc != SRT_OK || st == SRT_CONFIG_EXISTING_SAME)
        goto cleanup;
    rc = srt_fs_mkdir_p(cfg->study.output_dir, err);
    if (rc != SRT_OK)
        goto cleanup;
    path = srt_path_join(cfg->study.output_dir, "config.json");
    json = srt_config_to_json(cfg);
    if (!path || !json) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    rc = srt_fs_write_atomic(path, json, strlen(json), err);
cleanup:
    if (state)
        *state = st;
    free(json);
    free(path);
    return rc;
}
