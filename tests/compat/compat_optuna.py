#!/usr/bin/env python3
"""Optuna compatibility tests of srtune's journal (docs: study.md).

Needs Debian's python3-optuna (3.1) and the helper program test_study_tool
(built from tests/unit/test_study_tool.c). Usage:

    compat_optuna.py TOOL [WORKDIR]

Tests (each prints PASS/FAIL; the exit status is 1 when any failed):
  1. srtune writes, Optuna 3.1 loads: same studies, trials, params, states,
     values, intermediate values, attrs and datetimes.
  2. Optuna writes (ask/tell, enqueue_trial, report, attrs, a failed trial
     retried with RetryFailedTrialCallback, a deleted study), srtune replays
     the same state.
  3. Optuna enqueues a trial, srtune pops it (its fixed params), Optuna sees
     it RUNNING and finishes it, srtune sees the result.
  4. srtune and Optuna writers append to one file at the same time (several
     processes, hundreds of trials): every line parses, no line is lost or
     duplicated, every trial is complete, and both sides replay the same.
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

warnings.simplefilter("ignore")

import optuna  # noqa: E402
from optuna.storages import RetryFailedTrialCallback  # noqa: E402
from optuna.trial import TrialState  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)

TOOL = None
FAILURES = []


def storage(path):
    return optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))


def canon_optuna(path):
    """The canonical dump of what Optuna replays (same shape as the tool's)."""
    st = storage(path)
    out = []
    for fs in sorted(st.get_all_studies(), key=lambda s: s._study_id):
        trials = []
        for t in st.get_all_trials(fs._study_id, deepcopy=False):
            trials.append(
                {
                    "trial_id": t._trial_id,
                    "number": t.number,
                    "state": int(t.state),
                    "values": t.values,
                    "params": {
                        k: float(t.distributions[k].to_internal_repr(v)) for k, v in t.params.items()
                    },
                    "distributions": {
                        k: json.loads(optuna.distributions.distribution_to_json(d))
                        for k, d in t.distributions.items()
                    },
                    "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
                    "user_attrs": t.user_attrs,
                    "system_attrs": t.system_attrs,
                    "datetime_start": t.datetime_start.isoformat(timespec="microseconds")
                    if t.datetime_start
                    else None,
                    "datetime_complete": t.datetime_complete.isoformat(timespec="microseconds")
                    if t.datetime_complete
                    else None,
                }
            )
        out.append(
            {
                "study_id": fs._study_id,
                "name": fs.study_name,
                "directions": [int(d) for d in fs.directions],
                "user_attrs": fs.user_attrs,
                "system_attrs": fs.system_attrs,
                "trials": trials,
            }
        )
    return out


def canon_srtune(path):
    res = subprocess.run([TOOL, "dump", path], capture_output=True, text=True, check=True)
    d = json.loads(res.stdout)
    for s in d["studies"]:
        for t in s["trials"]:
            t["params"] = {k: float(v) for k, v in t["params"].items()}
    return d


def normalise(x):
    """Numbers compare as floats (0 == 0.0), tuples as lists."""
    if isinstance(x, dict):
        return {k: normalise(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [normalise(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (int, float)):
        return float(x)
    return x


def compare(name, ours, theirs):
    ours = normalise(ours)
    theirs = normalise(theirs)
    if ours == theirs:
        return True
    # find the first difference for the report
    if len(ours) != len(theirs):
        fail(name, f"{len(ours)} studies in srtune vs {len(theirs)} in Optuna")
        return False
    for so, st in zip(ours, theirs):
        for k in so:
            if k == "trials":
                continue
            if so[k] != st.get(k):
                fail(name, f"study {so.get('name')}: {k}: srtune {so[k]!r} != optuna {st.get(k)!r}")
                return False
        if len(so["trials"]) != len(st["trials"]):
            fail(name, f"study {so['name']}: {len(so['trials'])} vs {len(st['trials'])} trials")
            return False
        for to, tt in zip(so["trials"], st["trials"]):
            for k in to:
                if to[k] != tt.get(k):
                    fail(name, f"trial {to['number']} of {so['name']}: {k}: "
                         f"srtune {to[k]!r} != optuna {tt.get(k)!r}")
                    return False
    fail(name, "dumps differ")
    return False


def fail(name, msg):
    FAILURES.append(name)
    print(f"FAIL {name}: {msg}")


def test_optuna_loads_srtune_journal(work):
    name = "optuna_loads_an_srtune_journal"
    path = os.path.join(work, "srtune-written.log")
    subprocess.run([TOOL, "write-demo", path], check=True)
    ours = canon_srtune(path)
    theirs = canon_optuna(path)
    if ours["lines_skipped"] != 0:
        fail(name, "srtune skipped lines of its own journal")
        return
    states = sorted({t["state"] for s in ours["studies"] for t in s["trials"]})
    if states != [0, 1, 2, 3, 4]:
        fail(name, f"demo should hold every state, got {states}")
        return
    # Optuna's own high-level view works too: best trial, dataframe
    st = optuna.load_study(study_name="demo", storage=storage(path))
    st.best_trial
    st.get_trials(states=(TrialState.COMPLETE,))
    for t in st.trials:
        for k, v in t.params.items():
            assert t.distributions[k]._contains(t.distributions[k].to_internal_repr(v)), (k, v)
    if compare(name, ours["studies"], theirs):
        print(f"PASS {name}")


def optuna_writes(path):
    st = storage(path)
    s = optuna.create_study(study_name="opt", storage=st, direction="minimize")
    s.set_user_attr("who", "optuna")
    s.set_system_attr("sys", {"a": [1, None]})
    s2 = optuna.create_study(study_name="gone", storage=st, direction="maximize")
    s2.enqueue_trial({"x": 1.0})
    optuna.delete_study(study_name="gone", storage=st)
    s3 = optuna.create_study(study_name="max", storage=st, direction="maximize")
    s.enqueue_trial({"x": 0.5, "c": "b"}, user_attrs={"enq": True})
    for i in range(12):
        t = s.ask()
        x = t.suggest_float("x", -2, 2)
        lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
        n = t.suggest_int("n", 1, 10, step=3)
        p = t.suggest_int("pop", 10, 1000, log=True)
        q = t.suggest_float("q", 0, 1, step=0.25)
        c = t.suggest_categorical("c", ["a", "b", None, True, 1.5])
        t.report(x * x, 1)
        t.report(x * x + 1, 3)
        t.set_user_attr("i", i)
        t.set_user_attr("nested", {"a": [1, 2.5, None], "b": "s"})
        t.storage.set_trial_system_attr(t._trial_id, "sys", [i])
        if i == 3:
            s.tell(t, state=TrialState.FAIL)
            RetryFailedTrialCallback(max_retry=2)(s, s.trials[t.number])
        elif i == 5:
            s.tell(t, state=TrialState.PRUNED)
        elif i == 7:
            pass  # left RUNNING
        else:
            s.tell(t, x * x + lr + n + p + q + (0 if c == "a" else 1))
    # the retry is popped (first writer wins), fails again and is retried again
    t = s.ask()
    s.tell(t, state=TrialState.FAIL)
    RetryFailedTrialCallback(max_retry=2)(s, s.trials[t.number])
    t3 = s3.ask()
    t3.suggest_float("x", 0, 1)
    s3.tell(t3, 1.0)


def test_srtune_pops_an_optuna_enqueued_trial(work):
    name = "srtune_pops_an_optuna_enqueued_trial"
    path = os.path.join(work, "enqueue.log")
    st = storage(path)
    s = optuna.create_study(study_name="pop", storage=st)
    s.enqueue_trial({"x": 0.25, "y": 3, "c": "b"}, user_attrs={"from": "optuna"})
    out = subprocess.run([TOOL, "ask", path, "pop"], capture_output=True, text=True, check=True)
    number, from_waiting, x, y, c, run_dir = out.stdout.split()
    if (int(number), int(from_waiting), float(x), float(y), float(c)) != (0, 1, 0.25, 3.0, 1.0):
        fail(name, f"srtune asked {out.stdout.strip()}")
        return
    t = optuna.load_study(study_name="pop", storage=storage(path)).trials[0]
    if t.state != TrialState.RUNNING or t.params != {"x": 0.25, "y": 3, "c": "b"}:
        fail(name, f"Optuna sees {t.state} {t.params}")
        return
    if t.system_attrs.get("srtune:run_dir") != run_dir or t.user_attrs != {"from": "optuna"}:
        fail(name, f"attrs {t.system_attrs} {t.user_attrs}")
        return
    # and Optuna can finish it
    s2 = optuna.load_study(study_name="pop", storage=storage(path))
    s2.tell(t.number, 1.5)
    if canon_srtune(path)["studies"][0]["trials"][0]["state"] != 1:
        fail(name, "srtune does not see Optuna's tell")
        return
    print(f"PASS {name}")


def test_srtune_replays_optuna_journal(work):
    name = "srtune_replays_an_optuna_journal"
    path = os.path.join(work, "optuna-written.log")
    optuna_writes(path)
    ours = canon_srtune(path)
    theirs = canon_optuna(path)
    states = sorted({t["state"] for s in theirs for t in s["trials"]})
    if states != [0, 1, 2, 3, 4]:
        fail(name, f"the Optuna journal should hold every state, got {states}")
        return
    if ours["lines_skipped"] != 0:
        fail(name, f"srtune skipped {ours['lines_skipped']} lines")
        return
    if compare(name, ours["studies"], theirs):
        print(f"PASS {name}")


OPTUNA_WRITER = r"""
import sys, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
path, study, n, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
st = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
s = optuna.create_study(study_name=study, storage=st, load_if_exists=True,
                        sampler=optuna.samplers.RandomSampler(seed=hash(tag) % 1000))
for i in range(n):
    t = s.ask()
    x = t.suggest_float("x", -5.0, 5.0)
    y = t.suggest_int("y", 0, 10)
    c = t.suggest_categorical("c", ["a", "b", "c"])
    v = x * x + y + ["a", "b", "c"].index(c)
    t.report(v, 1)
    t.set_user_attr("writer", tag)
    t.set_user_attr("seq", i)
    s.tell(t, v)
"""


def test_concurrent_writers(work, n_srtune=3, n_optuna=2, per_srtune=60, per_optuna=40):
    name = "concurrent_srtune_and_optuna_writers_lose_no_line"
    path = os.path.join(work, "shared.log")
    script = os.path.join(work, "optuna_writer.py")
    with open(script, "w") as f:
        f.write(OPTUNA_WRITER)
    procs = []
    for k in range(n_optuna):
        procs.append(subprocess.Popen([sys.executable, script, path, "shared", str(per_optuna),
                                       f"optuna-{k}"]))
    for k in range(n_srtune):
        procs.append(subprocess.Popen([TOOL, "writer", path, "shared", str(per_srtune),
                                       f"srtune-{k}"]))
    rcs = [p.wait() for p in procs]
    if any(rcs):
        fail(name, f"a writer failed: exit codes {rcs}")
        return
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(b"\n"):
        fail(name, "the journal does not end with a newline")
        return
    lines = data.split(b"\n")[:-1]
    try:
        logs = [json.loads(line) for line in lines]
    except ValueError as e:
        fail(name, f"a torn line: {e}")
        return
    if len(set(lines)) != len(lines):
        fail(name, "a duplicated line")
        return
    n_create = sum(1 for log in logs if log["op_code"] == 0)
    # per trial: srtune 1 template + 1 report + 2 attrs + 1 state;
    # Optuna 1 create + 3 params + 1 report + 2 attrs + 1 state
    want = n_create + 5 * n_srtune * per_srtune + 8 * n_optuna * per_optuna
    if len(lines) != want:
        fail(name, f"{len(lines)} lines, expected {want}")
        return
    s = optuna.load_study(study_name="shared", storage=storage(path))
    trials = s.trials
    if len(trials) != n_srtune * per_srtune + n_optuna * per_optuna:
        fail(name, f"{len(trials)} trials")
        return
    seen = set()
    for t in trials:
        if t.state != TrialState.COMPLETE:
            fail(name, f"trial {t.number} is {t.state}")
            return
        v = t.params["x"] ** 2 + t.params["y"] + ["a", "b", "c"].index(t.params["c"])
        if abs(v - t.value) > 1e-9 * max(1.0, abs(v)):
            fail(name, f"trial {t.number}: value {t.value} != {v}")
            return
        seen.add((t.user_attrs["writer"], t.user_attrs["seq"]))
    want_keys = {(f"srtune-{k}", i) for k in range(n_srtune) for i in range(per_srtune)}
    want_keys |= {(f"optuna-{k}", i) for k in range(n_optuna) for i in range(per_optuna)}
    if seen != want_keys:
        fail(name, f"missing or duplicated trials: {len(want_keys ^ seen)} differences")
        return
    if not compare(name, canon_srtune(path)["studies"], canon_optuna(path)):
        return
    print(f"PASS {name} ({len(trials)} trials, {len(lines)} lines)")


def main():
    global TOOL
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    TOOL = os.path.abspath(sys.argv[1])
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="srtune-compat-")
    os.makedirs(work, exist_ok=True)
    print(f"optuna {optuna.__version__}, work dir {work}")
    test_optuna_loads_srtune_journal(work)
    test_srtune_replays_optuna_journal(work)
    test_srtune_pops_an_optuna_enqueued_trial(work)
    test_concurrent_writers(work)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
