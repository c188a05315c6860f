#!/usr/bin/env bash
# The README and docs stay true: docs/configuration.md lists every SR option of
# the option table, the README every command of `srtune --help` and the test
# command that .ci/run runs.
set -u
. "$(dirname "$0")/lib.sh"

run_srtune options --markdown
expect_rc 0 "srtune options"
for opt in $(grep -oE '^\| `[a-z_]+`' "$WORK/out" | tr -d '|` '); do
  CHECKS=$((CHECKS + 1))
  grep -q "\`$opt\`" "$SRC/docs/configuration.md" || fail "docs/configuration.md lacks the SR option '$opt'"
done
run_srtune --help
for cmd in $(awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on = 0}' "$WORK/out"); do
  CHECKS=$((CHECKS + 1))
  grep -q "srtune $cmd" "$SRC/README.md" || fail "README lacks the command 'srtune $cmd'"
done
CHECKS=$((CHECKS + 1))
grep -q '^tools/test' "$SRC/README.md" || fail "README lacks the test command tools/test"
CHECKS=$((CHECKS + 1))
grep -q '^tools/test' "$SRC/.ci/run" || fail ".ci/run does not run tools/test"
finish
