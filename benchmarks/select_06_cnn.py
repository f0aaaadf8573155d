"""Model selection for the digits CNN of 06-intro-to-deep-learning/ex11, on training data only.

The test quarter of the digits decides whether the CNN meets its target, so it must
not also choose the model: a choice made by looking at test accuracy (a seed, an
epoch count, an augmentation) overstates how well the model does on new digits.
This script therefore splits only the *training* three quarters into stratified
folds, trains every candidate on four fifths and scores it on the held-out fifth,
and reports the validation accuracy over all the folds. It then names its choice by
the one-standard-error rule (Breiman et al. 1984; Hastie, Tibshirani, Friedman, The
Elements of Statistical Learning, 2nd ed., sec. 7.10): the cheapest candidate whose
accuracy is within one standard error of the best one. ex11 uses that choice, trained once
on the whole training part with its fixed seed, and the benchmark (bench_06_conv.py)
reports its test accuracy.

Round 1 varies the number of epochs, random shifts of the images (data augmentation:
ex11.shift_images) and averaging several networks (an ensemble); round 2, at round 1's
choice, varies the step size, the batch size and the initialisation. Each round's
choice was evaluated once on the test digits; benchmarks/README.md lists every such
evaluation, so the reader can judge how much the test set has been reused.
Every run uses one BLAS thread; `--jobs` runs are trained side by side.

Run: python benchmarks/select_06_cnn.py [--round 1|2] [--folds 5] [--jobs 2] [--only REGEX]
"""

import argparse
import multiprocessing
import re
import sys
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

import utils
from utils.timing import format_table

ROUND_1 = {  # name: the settings that differ from ex11's defaults (round 1 varies length, shifts, averaging)
    "20 epochs (before)": {"epochs": 20},
    "30 epochs": {"epochs": 30},
    "40 epochs": {"epochs": 40},
    "60 epochs": {"epochs": 60},
    "20 epochs, shift 1": {"epochs": 20, "max_shift": 1},
    "40 epochs, shift 1": {"epochs": 40, "max_shift": 1},
    "60 epochs, shift 1": {"epochs": 60, "max_shift": 1},
    "3 nets x 20 epochs": {"epochs": 20, "members": 3},
    "3 nets x 40 epochs, shift 1": {"epochs": 40, "max_shift": 1, "members": 3},
}
ROUND_2 = {  # at round 1's choice of 30 epochs: step size, batch size and initialisation
    "30 epochs": {"epochs": 30},
    "30 epochs, lr 1e-3": {"epochs": 30, "lr": 1e-3},
    "30 epochs, lr 6e-3": {"epochs": 30, "lr": 6e-3},
    "30 epochs, batch 32": {"epochs": 30, "batch_size": 32},
    "30 epochs, batch 128": {"epochs": 30, "batch_size": 128},
    "30 epochs, uniform init": {"epochs": 30, "init": "uniform"},
}
ROUNDS = {1: ROUND_1, 2: ROUND_2}
DEFAULTS = {"max_shift": 0, "members": 1, "lr": 3e-3, "batch_size": 64, "init": "he"}


def uniform_init(params, rng):
    """PyTorch's default for conv and linear layers: weights and biases uniform in
    +-1 / sqrt(fan_in), a smaller scale than He's sqrt(2 / fan_in) for the weights."""
    drawn = {}
    for k in range(1, 5):
        W = params[f"W{k}"]
        bound = 1 / np.sqrt(W[0].size if W.ndim == 4 else W.shape[0])  # fan_in: the inputs of one output unit
        drawn[f"W{k}"] = rng.uniform(-bound, bound, W.shape)
        drawn[f"b{k}"] = rng.uniform(-bound, bound, params[f"b{k}"].shape)
    return drawn


def cost(settings):
    """Training cost in epochs of one network (ensembles train several)."""
    return settings["epochs"] * settings["members"]


def run_fold(task):
    """Train one candidate on one fold; returns (name, fold, validation accuracy, seconds)."""
    name, settings, fold, train, valid = task
    ex11 = utils.load_exercise("06-intro-to-deep-learning/ex12_cnn.py", practice=False)
    X, _, y, _ = ex11.load_digit_images()  # the training part only; the test part is dropped unseen
    with threadpool_limits(1):
        start = time.perf_counter()
        probabilities = 0.0
        for member in range(settings["members"]):
            rng = np.random.default_rng([fold, member])
            params = ex11.init_cnn(rng)
            if settings["init"] == "uniform":
                params = uniform_init(params, rng)
            ex11.train_cnn(params, X[train], y[train], None, None, settings["epochs"], rng,
                           batch_size=settings["batch_size"], lr=settings["lr"], max_shift=settings["max_shift"])
            scores = ex11.cnn_forward(params, X[valid])[0]
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            probabilities = probabilities + scores / scores.sum(axis=1, keepdims=True)
        seconds = time.perf_counter() - start
    return name, fold, np.mean(probabilities.argmax(axis=1) == y[valid]), seconds


def print_choice(summary):
    """The one-standard-error rule: among the candidates whose validation accuracy is within
    one standard error of the best, the cheapest (fewest epochs of training). Differences
    smaller than that are noise of the folds, and a cheaper model that is as good as the best
    within the noise is preferred. Accuracy is pooled over the folds (right answers / digits),
    so equal numbers of mistakes tie exactly; ties go to the candidate listed first, which is
    ex11's current setting: a change has to earn its place."""
    best = max(summary, key=lambda name: summary[name]["accuracy"])
    bar = summary[best]["accuracy"] - summary[best]["standard error"]
    chosen = min((name for name in summary if summary[name]["accuracy"] >= bar), key=lambda name: summary[name]["cost"])
    print(f"\nBest: {best} ({summary[best]['accuracy']:.2%} +- {summary[best]['standard error']:.2%}); the cheapest within one "
          f"standard error of it (>= {bar:.2%}): {chosen} ({summary[chosen]['accuracy']:.2%}, {summary[chosen]['cost']} epochs of training).")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="stratified folds of the training part")
    parser.add_argument("--jobs", type=int, default=2, help="trainings run side by side (one BLAS thread each)")
    parser.add_argument("--round", type=int, choices=sorted(ROUNDS), default=max(ROUNDS), help="which set of candidates")
    parser.add_argument("--only", default="", help="only the candidates whose name matches this regular expression")
    args = parser.parse_args(argv)

    ex11 = utils.load_exercise("06-intro-to-deep-learning/ex12_cnn.py", practice=False)
    X, _, y, _ = ex11.load_digit_images()
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(X, y))
    candidates = {name: {**DEFAULTS, **settings} for name, settings in ROUNDS[args.round].items() if re.search(args.only, name)}
    tasks = [(name, settings, k, train, valid) for name, settings in candidates.items() for k, (train, valid) in enumerate(folds)]
    print(f"{len(X)} training digits in {args.folds} stratified folds; round {args.round}: {len(candidates)} candidates, "
          f"{len(tasks)} trainings on {args.jobs} processes")
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(run_fold, tasks, chunksize=1)

    rows, summary = [], {}
    for name, settings in candidates.items():
        accuracy = np.array([r[2] for r in results if r[0] == name])  # (folds,)
        seconds = np.median([r[3] for r in results if r[0] == name])
        wrong = sum(round((1 - a) * len(valid)) for a, (_, valid) in zip(accuracy, folds))
        standard_error = accuracy.std(ddof=1) / np.sqrt(len(accuracy))  # of the mean over the folds
        summary[name] = {"accuracy": 1 - wrong / len(X), "standard error": standard_error, "cost": cost(settings)}
        rows.append([name, f"{1 - wrong / len(X):.2%}", f"{standard_error:.2%}", f"{accuracy.min():.2%}", f"{wrong} / {len(X)}", f"{seconds:.1f}"])
    print(format_table(["candidate", "validation accuracy", "standard error", "worst fold", "wrong", "s per training (1 thread)"], rows))
    print_choice(summary)
    print(f"\nCommand: python benchmarks/select_06_cnn.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
