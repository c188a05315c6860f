#!/usr/bin/env python3
"""Reference side of bench_journal: Optuna 3.1 replays a journal.

    bench_journal.py JOURNAL STUDY  ->  prints "seconds <float> trials <n>"
"""
import sys
import time
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    path, name = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
    study = optuna.load_study(study_name=name, storage=storage)
    n = len(study.get_trials(deepcopy=False))
    t1 = time.perf_counter()
    print(f"seconds {t1 - t0:.4f} trials {n}")


if __name__ == "__main__":
    main()
