#!/usr/bin/env bash
# A real full disk (docs/reliability.md): a tiny study on a 64 KiB tmpfs that
# fills up mid-study. srtune exits 1 naming a file on it and "No space left on
# device", Optuna 3.1 loads the journal it left, every journal line parses;
# then the tmpfs is grown and the same command finishes the study with the
# trials and values of an uninterrupted one, recomputing no finished run.
# Needs root and permission to mount: otherwise prints why and exits 77.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_NO_PROGRESS=1

if [ "$(id -u)" != 0 ]; then
  echo "skipped: needs root to mount a tmpfs"
  exit 77
fi
mnt="$WORK/mnt"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=64k tmpfs "$mnt" 2>"$WORK/mount.err"; then
  echo "skipped: cannot mount a tmpfs here: $(head -1 "$WORK/mount.err")"
  exit 77
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$WORK"' EXIT

tiny=('s/"n_trials": 5/"n_trials": 3/'
      's/"I.12.1", "I.14.3", "I.25.13"/"I.12.1", "I.14.3"/'
      's/"n_runs": 2/"n_runs": 1/'
      's/"niterations": 4/"niterations": 2/'
      's/"heartbeat_grace_s": 4/"heartbeat_grace_s": 300/')
make_config random.json "$WORK/ref" "$WORK/ref.json" "${tiny[@]}"
run_study 1 "$WORK/ref.json"
expect_rc 0 "reference study"
table "$WORK/ref" e2e-random --final > "$WORK/ref.table"

make_config random.json "$mnt/study" "$WORK/full.json" "${tiny[@]}"
run_study 1 "$WORK/full.json"
CHECKS=$((CHECKS + 1))
[ "$RC" = 1 ] || { fail "study on a full tmpfs exited $RC, expected 1"; tail -3 "$WORK/run.err"; }
CHECKS=$((CHECKS + 1))
grep -Eq "$mnt/study[^ ]*: .*No space left on device" "$WORK/run.err" ||
  { fail "no message naming a file on the tmpfs and ENOSPC"; tail -3 "$WORK/run.err"; }
if [ -s "$mnt/study/journal.log" ]; then
  CHECKS=$((CHECKS + 1))
  "$PYTHON" "$SRC/tests/e2e/journals_check.py" e2e-random "$mnt/study/journal.log" > "$WORK/check" 2>&1
  grep -q "load-ok" "$WORK/check" || { fail "Optuna 3.1 cannot load the journal on the full disk"; cat "$WORK/check"; }
  CHECKS=$((CHECKS + 1))
  [ "$(tail -c 1 "$mnt/study/journal.log" | od -An -c | tr -d ' ')" = '\n' ] ||
    fail "the journal on the full disk ends in a torn line"
fi
before=$(finished_runs "$mnt/study")
mount -o remount,size=16m "$mnt"
timeout 240 "$SRTUNE" run "$WORK/full.json" >"$WORK/run.out" 2>"$WORK/run.err"
RC=$?
expect_rc 0 "relaunch once the tmpfs has room"
after=$(finished_runs "$mnt/study")
CHECKS=$((CHECKS + 1))
missing=$(comm -23 <(echo "$before") <(echo "$after"))
[ -z "$missing" ] || { fail "finished runs were computed again:"; echo "$missing" | head -3; }
table "$mnt/study" e2e-random --final > "$WORK/full.table"
CHECKS=$((CHECKS + 1))
diff <(cut -d' ' -f3- "$WORK/ref.table" | sort) <(cut -d' ' -f3- "$WORK/full.table" | sort) >/dev/null ||
  { fail "values differ from the uninterrupted study"; diff "$WORK/ref.table" "$WORK/full.table" | head; }
umount "$mnt"
finish
