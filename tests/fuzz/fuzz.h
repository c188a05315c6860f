/*
 * Fuzz targets: the libFuzzer entry point every target defines, and the small
 * helpers the targets share (a private temporary directory the input is
 * written into, so that each target calls the file-based loader users hit).
 *
 * A target is one file tests/fuzz/fuzz_<name>.c defining
 * LLVMFuzzerTestOneInput. It is linked either with libFuzzer (clang,
 * -DSRTUNE_FUZZ=ON, tools/fuzz) or with driver.c, the plain-C driver the test
 * suite runs (seed corpus + regressions + seeded deterministic mutations).
 * Invariants: a target never aborts on bad input (only on a broken property
 * of the code under test), frees everything it allocates, and leaves nothing
 * behind but its temporary directory, which fuzz_cleanup() removes at exit.
 */
#ifndef SRTUNE_FUZZ_H
#define SRTUNE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Once per process: logging off (loaders warn on bad input), GSL's aborting
 * error handler off, the temporary directory made and removed at exit. Every
 * helper below calls it; calling it again does nothing. */
void fuzz_init(void);

/* Path of `name` inside the process's temporary directory (static storage,
 * valid for the next three calls too: four buffers are used in turn). Aborts
 * when the directory cannot be made. */
const char *fuzz_path(const char *name);

/* Writes size bytes to fuzz_path(name) (truncating) and returns that path.
 * Aborts on an I/O error (that is the harness failing, not the code). */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);

/* Appends size bytes to the file at path. Aborts on an I/O error. */
void fuzz_append(const char *path, const uint8_t *data, size_t size);

/* Removes every file in the temporary directory (not the directory). */
void fuzz_clear(void);

/* Fails the run with a message (a property of the code under test is broken):
 * prints it and aborts, so both libFuzzer and the driver report a crash. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
