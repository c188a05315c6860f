#!/usr/bin/env python3
"""For each COMPLETE trial of a study, writes a config that evaluates exactly
its params once, in a fresh output directory: the study config with every
tuned parameter turned into a single-choice categorical and n_trials 1.
Prints 'number value path' per trial.
Usage: fresh_configs.py STUDY_CONFIG JOURNAL STUDY OUT_DIR"""
import json
import sys
import warnings

import optuna

warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
optuna.logging.set_verbosity(optuna.logging.WARNING)
config_path, journal, name, out = sys.argv[1:5]
base = json.load(open(config_path))
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
study = optuna.load_study(study_name=name, storage=storage)
for t in study.trials:
    if t.state != optuna.trial.TrialState.COMPLETE:
        continue
    cfg = json.loads(json.dumps(base))
    cfg["study"]["output_dir"] = f"{out}/fresh{t.number}"
    cfg["study"]["n_trials"] = 1
    cfg["study"]["sampler"] = {"name": "random"}
    cfg["study"]["pruner"] = {"name": "none"}
    cfg["search_space"] = {k: {"type": "categorical", "choices": [v]} for k, v in t.params.items()}
    path = f"{out}/fresh{t.number}.json"
    json.dump(cfg, open(path, "w"))
    print(t.number, repr(t.value), path)
