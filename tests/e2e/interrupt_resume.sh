#!/usr/bin/env bash
# SIGUSR1 and SIGTERM to mpirun mid-study, then relaunch: every trial ends
# exactly once COMPLETE, no finished run is computed again, and the values
# equal the uninterrupted study's bit for bit (random sampler).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

# longer runs than random.json's, so that a signal lands mid-study
slow='s/"niterations": 4/"niterations": 400/'
make_config random.json "$WORK/ref" "$WORK/ref.json" "$slow"
run_study 2 "$WORK/ref.json"
expect_rc 0 "reference study"
table "$WORK/ref" e2e-random --final > "$WORK/ref.table"

for sig in USR1 TERM; do
  out="$WORK/int$sig"
  make_config random.json "$out" "$WORK/$sig.json" "$slow"
  "$MPIRUN" --oversubscribe -np 3 "$SRTUNE" run "$WORK/$sig.json" >"$WORK/$sig.out" 2>"$WORK/$sig.err" &
  pid=$!
  # wait until some runs are finished, then signal mpirun
  for _ in $(seq 1 600); do
    n=$(find "$out/trials" -name tensorboard_scalars.csv 2>/dev/null | wc -l)
    [ "$n" -ge 4 ] && break
    sleep 0.05
  done
  kill -"$sig" "$pid"
  wait "$pid"
  RC=$?
  CHECKS=$((CHECKS + 1))
  if [ "$sig" = USR1 ]; then
    [ "$RC" = 75 ] || fail "SIGUSR1: mpirun exit code $RC, expected 75 (resumable)"
  else
    [ "$RC" != 0 ] || fail "SIGTERM: mpirun exit code 0"
  fi
  n_done=$(find "$out/trials" -name tensorboard_scalars.csv | wc -l)
  CHECKS=$((CHECKS + 1))
  [ "$n_done" -lt 30 ] || fail "$sig: the study finished before the signal; the test proves nothing"
  before=$(finished_runs "$out")
  # SIGTERM may leave trials RUNNING (killed after ~1 s): wait out the heartbeat grace
  [ "$sig" = TERM ] && sleep 5
  run_study 2 "$WORK/$sig.json"
  expect_rc 0 "relaunch after SIG$sig"
  after=$(finished_runs "$out")
  CHECKS=$((CHECKS + 1))
  missing=$(comm -23 <(echo "$before") <(echo "$after"))
  [ -z "$missing" ] || { fail "$sig: finished runs were computed again:"; echo "$missing" | head -3; }
  table "$out" e2e-random --final > "$WORK/$sig.table"
  CHECKS=$((CHECKS + 1))
  [ "$(wc -l < "$WORK/$sig.table")" = 5 ] || { fail "$sig: expected 5 finished trials"; cat "$WORK/$sig.table"; }
  # same params and values as the uninterrupted study (trial numbers may differ
  # only if a retry copy took a new number: compare the sorted value+params)
  CHECKS=$((CHECKS + 1))
  diff <(cut -d' ' -f3- "$WORK/ref.table" | sort) <(cut -d' ' -f3- "$WORK/$sig.table" | sort) >/dev/null ||
    { fail "$sig: values differ from the uninterrupted study"; diff "$WORK/ref.table" "$WORK/$sig.table" | head; }
done
finish
