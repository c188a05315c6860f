#!/usr/bin/env bash
# Optuna compatibility of the journal (tests/compat/compat_optuna.py): Optuna
# 3.1 loads what srtune writes, srtune replays what Optuna writes, and both
# append to one file at the same time without losing or tearing a line.
# Needs python3 with optuna (Debian's python3-optuna) and the helper program
# test_study_tool, found next to the srtune binary's build tree
# ($SRTUNE_BINARY/../tests/test_study_tool) or in $SRTUNE_STUDY_TOOL.
# Exit 77 (ctest SKIP_RETURN_CODE) when Optuna is not installed.
set -u
src=${SRTUNE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tool=${SRTUNE_STUDY_TOOL:-}
if [ -z "$tool" ] && [ -n "${SRTUNE_BINARY:-}" ]; then
  tool=$(dirname "$SRTUNE_BINARY")/tests/test_study_tool
fi
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
  echo "compat_optuna: helper test_study_tool not found (set SRTUNE_STUDY_TOOL)" >&2
  exit 1
fi
py=
for cand in /usr/bin/python3 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import optuna' >/dev/null 2>&1; then
    py=$cand
    break
  fi
done
if [ -z "$py" ]; then
  echo "compat_optuna: SKIP: no python3 with optuna (apt-get install python3-optuna)" >&2
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/srtune-compat-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$py" "$src/tests/compat/compat_optuna.py" "$tool" "$work"
