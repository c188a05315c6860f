/*
 * Private part of the data module: the libcsv row reader shared by the
 * catalogue and the user data set loaders, and the catalogue's layout.
 *
 * Invariant of the row reader: rows are handed over whole, in file order, with
 * the 1-based line on which each row starts; a leading UTF-8 BOM is dropped;
 * rows whose fields are all empty (blank lines, lines of only commas) are
 * never handed over.
 */
#ifndef SRTUNE_DATA_INT_H
#define SRTUNE_DATA_INT_H

#include <stddef.h>

#include "srtune/data.h"

/* Called once per non-blank row. fields[0..nfields) are NUL-terminated and
 * trimmed of surrounding blanks; they are borrowed (valid during the call).
 * A return other than SRT_OK stops the reading and becomes its result. */
typedef srt_rc (*srt_data__row_fn)(void *ud, long line, size_t nfields, char **fields,
                                   srt_err_t *err);

/* Reads path with libcsv (strict quoting) and calls fn for every non-blank
 * row. Errors: SRT_ERR_IO (read), SRT_ERR_DATA ("path:line: malformed CSV"),
 * SRT_ERR_NOMEM, or whatever fn returned. *nrows (may be NULL) receives the
 * number of rows handed over. */
srt_rc srt_data__csv_foreach(const char *path, srt_data__row_fn fn, void *ud, size_t *nrows,
                             srt_err_t *err);

/* Parses a whole string as a finite double (no trailing junk, not empty).
 * Returns 0 on success, -1 when it is not a number, -2 when it is a number
 * but not finite (nan, inf, overflow). */
int srt_data__parse_double(const char *s, double *out);

/* Parses a whole string as a long (optional sign). Returns 0 or -1. */
int srt_data__parse_long(const char *s, long *out);

struct srt_catalogue {
    char *path;                     /* path as given to srt_catalogue_load */
    size_t count;                   /* entries in use */
    size_t cap;                     /* entries allocated */
    srt_catalogue_entry_t *entries; /* count entries in file order */
};

#endif
