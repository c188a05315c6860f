#!/usr/bin/env bash
# PySR's cross-option rules over many random configs: `srtune validate`
# accepts a config exactly when no trial its search space can produce breaks
# tournament_selection_n < population_size or topn <= population_size (each
# option fixed, tuned as an int range or as categorical choices), and a refusal
# names the keys (exit 3). Seeded, so the same 300 configs every time.
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}
CHECKS=$((CHECKS + 1))
"$PYTHON" - "$SRTUNE" "$WORK" <<'PY' || fail "validate disagrees with PySR's rules"
import json, random, subprocess, sys
srtune, work = sys.argv[1], sys.argv[2]
rng = random.Random(14)
bad = nvalid = 0
for case in range(300):
    model, space, values = {"niterations": 1}, {}, {}
    for name, lo, hi in (("population_size", 2, 40), ("tournament_selection_n", 1, 40),
                         ("topn", 1, 40)):
        how = rng.choice(["default", "fixed", "int", "categorical"])
        if how == "default":
            values[name] = {"population_size": [27], "tournament_selection_n": [15],
                            "topn": [12]}[name]
        elif how == "fixed":
            v = rng.randint(lo, hi)
            model[name] = v
            values[name] = [v]
        elif how == "int":
            a, b = sorted(rng.randint(lo, hi) for _ in range(2))
            space[name] = {"type": "int", "low": a, "high": b}
            values[name] = list(range(a, b + 1))
        else:
            ch = sorted(set(rng.randint(lo, hi) for _ in range(rng.randint(1, 4))))
            space[name] = {"type": "categorical", "choices": ch}
            values[name] = ch
    if not space:
        space["parsimony"] = {"type": "float", "low": 1e-5, "high": 0.1}
    cfg = {"study": {"name": "rules", "output_dir": work + "/out"},
           "dataset": {"name": "feynman", "equations": [0]},
           "model": model, "search_space": space}
    path = "%s/c%d.json" % (work, case)
    json.dump(cfg, open(path, "w"))
    p = subprocess.run([srtune, "validate", path], capture_output=True, text=True)
    ps, tn, tp = values["population_size"], values["tournament_selection_n"], values["topn"]
    valid = max(tn) < min(ps) and max(tp) <= min(ps)
    nvalid += valid
    if p.returncode != (0 if valid else 3):
        bad += 1
        print("case %d: exit %d, want %d: %s\n  %s" % (case, p.returncode, 0 if valid else 3,
              json.dumps(cfg), p.stderr.strip()[:300]))
    elif not valid:
        keys = [k for k in ("tournament_selection_n", "population_size", "topn") if k in p.stderr]
        if len(keys) < 2:
            bad += 1
            print("case %d: the refusal names %s: %s" % (case, keys, p.stderr.strip()[:300]))
print("%d configs (%d valid), %d wrong" % (300, nvalid, bad))
sys.exit(1 if bad else 0)
PY
finish
