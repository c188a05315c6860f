# Helpers for the shell-driven tests (sourced). Environment from ctest:
# SRTUNE_BINARY (the srtune executable) and SRTUNE_SOURCE_DIR (the source tree).
SRC=${SRTUNE_SOURCE_DIR:?SRTUNE_SOURCE_DIR not set}
SRTUNE=${SRTUNE_BINARY:?SRTUNE_BINARY not set}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/srtune-cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
CHECKS=0
RC=0

fail() { echo "FAIL: $*"; FAILURES=$((FAILURES + 1)); }

# Runs srtune with the given arguments; stdout/stderr land in $WORK/out, $WORK/err.
run_srtune() {
  "$SRTUNE" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
}

expect_rc() {
  CHECKS=$((CHECKS + 1))
  [ "$RC" = "$1" ] || { fail "$2: exit code $RC, expected $1"; sed 's/^/  stderr: /' "$WORK/err" | head -5; }
}
expect_nonzero() {
  CHECKS=$((CHECKS + 1))
  [ "$RC" != 0 ] || fail "$1: exit code 0, expected non-zero"
}
expect_out() {
  CHECKS=$((CHECKS + 1))
  grep -Eq -- "$1" "$WORK/out" || { fail "$2: stdout lacks /$1/"; sed 's/^/  stdout: /' "$WORK/out" | head -5; }
}
expect_err() {
  CHECKS=$((CHECKS + 1))
  grep -Eq -- "$1" "$WORK/err" || { fail "$2: stderr lacks /$1/"; sed 's/^/  stderr: /' "$WORK/err" | head -5; }
}
finish() {
  echo "$((CHECKS - FAILURES)) passed, $FAILURES failed"
  [ "$FAILURES" = 0 ]
}
