#!/usr/bin/env bash
# A tiny study under valgrind memcheck, in local mode and with mpirun -np 2
# (coordinator + worker), then status/best/export on it: no invalid access, no
# use of uninitialised values and no definitely lost memory from srtune code;
# Open MPI's own reports are suppressed by tests/valgrind.supp (documented
# there). tools/valgrind does the work. Skipped (77) without valgrind or for
# an ASan build (the asan preset), which valgrind cannot run.
set -u
. "$(dirname "$0")/../cli/lib.sh"

command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed"; exit 77; }
if ldd "$SRTUNE" 2>/dev/null | grep -q 'libasan\|libtsan'; then
  echo "SKIP: $SRTUNE is a sanitizer build"; exit 77
fi
SRTUNE_BINARY=$SRTUNE "$SRC/tools/valgrind" >"$WORK/out" 2>"$WORK/err"
RC=$?
expect_rc 0 "tools/valgrind"
[ "$RC" = 0 ] || tail -60 "$WORK/out"
expect_out "local: 1 process\(es\), no errors from srtune code" "local mode checked"
expect_out "mpirun -np 2: 2 process\(es\), no errors from srtune code" "MPI ranks checked"
expect_out "status, best, export: 3 process\(es\), no errors from srtune code" "commands checked"
finish
