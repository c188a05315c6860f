#!/usr/bin/env bash
# The precision option (docs/precision.md): 32 or 64 only, in a config's model
# section, a categorical search-space parameter and `srtune fit --option`; an
# int range is refused; `srtune fit` records the precision in its files and a
# fit at 64 differs from one at 32.
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}

mkdir -p "$WORK/cfg"
Q="$SRC/configs/quickstart.json"
CHECKS=$((CHECKS + 1))
grep -q '"maxsize": 20,' "$Q" && grep -q '"parsimony": {"type"' "$Q" || fail "fixture: quickstart.json changed"

sed 's/"maxsize": 20,/"maxsize": 20, "precision": 64,/' "$Q" > "$WORK/cfg/p64.json"
run_srtune validate "$WORK/cfg/p64.json"
expect_rc 0 "validate with precision 64"

sed 's/"maxsize": 20,/"maxsize": 20, "precision": 48,/' "$Q" > "$WORK/cfg/p48.json"
run_srtune validate "$WORK/cfg/p48.json"
expect_rc 3 "validate with precision 48"
expect_err "p48.json: model.precision: must be 32 or 64, got 48" "the bad precision is named"

sed 's/"parsimony": {"type"/"precision": {"type": "categorical", "choices": [32, 64]}, &/' "$Q" > "$WORK/cfg/cat.json"
run_srtune validate "$WORK/cfg/cat.json"
expect_rc 0 "validate with precision tuned over [32, 64]"

sed 's/"parsimony": {"type"/"precision": {"type": "categorical", "choices": [32, 16]}, &/' "$Q" > "$WORK/cfg/cat16.json"
run_srtune validate "$WORK/cfg/cat16.json"
expect_rc 3 "validate with precision choice 16"
expect_err "precision.*must be 32 or 64, got 16" "the bad choice is named"

sed 's/"parsimony": {"type"/"precision": {"type": "int", "low": 32, "high": 64}, &/' "$Q" > "$WORK/cfg/int.json"
run_srtune validate "$WORK/cfg/int.json"
expect_rc 3 "validate with precision as an int range"
expect_err "precision.*categorical" "an int range for precision is refused"

run_srtune fit --feynman I.12.1 --option niterations=2 --option precision=16
expect_nonzero "fit with precision 16"
expect_err "precision: must be 32 or 64, got 16" "fit names the bad precision"

# a value beyond Float32's range is refused at 32 (naming feature and row) and
# fine at 64
printf 'x0,y\n1,2\n3e39,4\n2,3\n' > "$WORK/big.csv"
run_srtune fit "$WORK/big.csv" --option niterations=1
expect_nonzero "fit of data beyond Float32 at precision 32"
expect_err "feature 0 at row 2 .* beyond Float32's range" "the value and its row are named"
run_srtune fit "$WORK/big.csv" --option niterations=1 --option precision=64
expect_rc 0 "the same data at precision 64"

for p in 32 64; do
  run_srtune fit --feynman I.12.1 --samples 100 --option niterations=3 --option precision=$p --seed 3 --out "$WORK/f$p"
  expect_rc 0 "fit at precision $p"
  CHECKS=$((CHECKS + 1))
  grep -q "^  \"precision\": $p," "$WORK/f$p/run.json" || fail "run.json lacks precision $p"
  CHECKS=$((CHECKS + 1))
  "$PYTHON" - "$WORK/f$p" "$p" <<'PY' || fail "precision $p not recorded in the CSV files"
import csv, struct, sys
d, p = sys.argv[1], sys.argv[2]
hof = list(csv.DictReader(open(d + "/hall_of_fame.csv")))
sc = list(csv.DictReader(open(d + "/tensorboard_scalars.csv")))
assert hof and sc
assert all(r["precision"] == p for r in hof) and all(r["precision"] == p for r in sc)
f32 = lambda v: struct.unpack("f", struct.pack("f", v))[0]
exact32 = all(f32(float(r["loss"])) == float(r["loss"]) for r in hof)
assert exact32 == (p == "32"), "losses are Float32 values exactly at 32"
PY
done
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/f32/hall_of_fame.csv" "$WORK/f64/hall_of_fame.csv" && fail "fits at 32 and 64 gave the same front"
finish
