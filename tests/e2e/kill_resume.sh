#!/usr/bin/env bash
# SIGKILL of the whole MPI job (a node failure: nothing gets to clean up), then
# a relaunch after the heartbeat grace: the lost RUNNING trials are marked FAIL
# and retried, their finished runs are reused, and the study completes with
# the same values as an uninterrupted one (random sampler).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

slow='s/"niterations": 4/"niterations": 400/'
make_config random.json "$WORK/ref" "$WORK/ref.json" "$slow"
run_study 2 "$WORK/ref.json"
expect_rc 0 "reference study"
table "$WORK/ref" e2e-random --final > "$WORK/ref.table"

out="$WORK/killed"
make_config random.json "$out" "$WORK/k.json" "$slow"
setsid "$MPIRUN" --oversubscribe -np 3 "$SRTUNE" run "$WORK/k.json" >"$WORK/k.out" 2>"$WORK/k.err" &
pid=$!
for _ in $(seq 1 600); do
  n=$(find "$out/trials" -name tensorboard_scalars.csv 2>/dev/null | wc -l)
  [ "$n" -ge 4 ] && break
  sleep 0.05
done
kill -KILL -- "-$pid"   # the whole process group: mpirun and every rank
wait "$pid" 2>/dev/null
sleep 0.5
n_done=$(find "$out/trials" -name tensorboard_scalars.csv | wc -l)
CHECKS=$((CHECKS + 1))
[ "$n_done" -lt 30 ] || fail "the study finished before the kill; the test proves nothing"
CHECKS=$((CHECKS + 1))
table "$out" e2e-random > "$WORK/k.before"
grep -q RUNNING "$WORK/k.before" || fail "no RUNNING trial was left behind by the kill"
before=$(finished_runs "$out")
sleep 4.5   # the heartbeat grace of random.json is 4 s
run_study 2 "$WORK/k.json"
expect_rc 0 "relaunch after SIGKILL"
after=$(finished_runs "$out")
CHECKS=$((CHECKS + 1))
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || { fail "finished runs were computed again:"; echo "$missing" | head -3; }
table "$out" e2e-random > "$WORK/k.all"
table "$out" e2e-random --final > "$WORK/k.table"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/k.table")" = 5 ] || { fail "expected 5 finished trials"; cat "$WORK/k.all"; }
CHECKS=$((CHECKS + 1))
grep -q ' FAIL ' "$WORK/k.all" || fail "the lost trials were not recorded as FAIL"
CHECKS=$((CHECKS + 1))
diff <(cut -d' ' -f3- "$WORK/ref.table" | sort) <(cut -d' ' -f3- "$WORK/k.table" | sort) >/dev/null ||
  { fail "values differ from the uninterrupted study"; diff "$WORK/ref.table" "$WORK/k.table" | head; }
finish
