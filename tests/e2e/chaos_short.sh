#!/usr/bin/env bash
# tools/chaos, a few rounds: random SIGUSR1 / SIGTERM / SIGKILL to the mpirun or
# a rank of 2-3 concurrent coordinators on one study, relaunching them; checks
# values against an uninterrupted run, that no finished run is recomputed, that
# the journal has no torn line and that Optuna loads it (see tools/chaos).
# CHAOS_ROUNDS / CHAOS_SEED override the defaults (a failing seed reproduces
# the same choice of signals and targets, not the same timing).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

seed=${CHAOS_SEED:-$(( $(date +%s) % 100000 ))}
CHECKS=$((CHECKS + 1))
"$PYTHON" "$SRC/tools/chaos" --rounds "${CHAOS_ROUNDS:-6}" --trials 6 --niterations 300 \
  --seed "$seed" --srtune "$SRTUNE" --python "$PYTHON" --work "$WORK/chaos" >"$WORK/chaos.log" 2>&1
RC=$?
grep -E 'round|summary|rounds in|  (SIG|study)|PASSED|FAIL' "$WORK/chaos.log" | tail -n 40
[ "$RC" = 0 ] || { fail "tools/chaos --seed $seed failed (exit $RC)"; tail -n 30 "$WORK/chaos.log"; }
finish
