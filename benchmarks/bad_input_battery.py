"""Bad-input battery: every public function and estimator of every exercise, fed bad input.

Issue 15's rule: a public function or estimator either returns a correct, finite
result or raises a ValueError/TypeError whose message names the argument, what was
expected and what arrived. This script finds every module-level public function and
every estimator class (anything with ``fit``) of every exercise script automatically
(``utils.list_exercises``), so a new exercise is covered without editing anything.

How a function is probed
    1. Sample valid arguments from the parameter names (``X`` is a small data matrix,
       ``y`` labels or targets, ``A`` a square matrix, ``p`` a distribution, ``k`` a
       small count, ...). Several candidate sets are tried; the first one whose call
       returns a finite result is the baseline. Functions for which no candidate works
       (callables to pass, files to read, figures to draw) are reported as "unsampled".
    2. Perturb one array argument at a time: one NaN, one inf, values x 1e300, a list,
       float32, Fortran order, a column (n, 1) for a vector, a 1-D / 3-D version, an
       empty or zero-column version, one sample, strings, one class, a row fewer than
       its partner (mismatched lengths), and negative counts / tolerances for the
       numeric keyword arguments (invalid hyperparameters).
    3. Each call runs in a forked worker with a hard time limit; a call that does not
       return in time is a hang (the worker is killed and replaced).

Long-running entry points
    A function named ``train``, ``run``, ``benchmark`` or ``train_* / run_* / benchmark_*``
    whose every parameter has a default (and no ``*args``) is a whole training run or
    benchmark: with nothing to sample, the battery would run it exactly as configured,
    the full run. Its valid call is not made (the exercise's own tests and quick path
    cover it). Instead each positive numeric default is made negative, one at a time, and
    each such call gets ENTRY_BUDGET seconds: a bad value must be refused before the run
    starts (a quick finite answer is fine too); a call still running then is a hang.

How an estimator is probed: default constructor, ``fit(X, y)`` with labels, else with
numeric targets, else ``fit(X)``; then NaN / inf / huge / empty / zero-column /
one-sample / 1-D / 3-D / string / list / float32 / Fortran X, NaN y, one class,
mismatched lengths, predict before fit, a different feature count at predict, and
-1 / 0 / -1.0 for each numeric constructor argument.

Outcome classes
    clear    ValueError or TypeError (or a subclass) naming the perturbed argument
    handled  a finite result of the right shape (equal to the baseline where the
             perturbation does not change the data: list, float32, Fortran, column);
             NaN in -> NaN out (honest propagation); a documented missing-value path
    unclear  any other exception, an exception raised inside NumPy/SciPy, or a message
             that does not name the argument
    silent   non-finite or wrong-shape output from finite in-range input, a different
             answer for the same data (list / float32 / column), NaN swallowed into a
             different finite answer, input an estimator should refuse accepted
    overflow non-finite output from values x 1e300 where the true answer itself overflows
             float64 (a variance, a determinant, a cube); counted as silent for the
             functions whose lesson is stability (softmax, sigmoid, log-sum-exp,
             cross-entropy, standardize, scalers), where it must stay finite
    hang     no answer within the time limit

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/bad_input_battery.py [--timeout 10] [--only 03-] [--show 15]
"""

import argparse
import copy
import inspect
import multiprocessing
import os
import re
import signal
import sys
import time
import traceback
import warnings
from collections import Counter, defaultdict

import numpy as np

import utils

N, D = 12, 3  # samples and features of the sampled data
OUTCOMES = ("clear", "handled", "unclear", "silent", "overflow", "hang")
SKIP_PARAMS = {"random_state", "rng", "verbose", "n_jobs", "seed", "warm_start", "copy", "dtype", "clock"}
MISSING_WORDS = re.compile(r"\bnan\b|missing", re.IGNORECASE)

# ----------------------------------------------------------------------------- discovery


def discover(only=None, practice=False):
    """(functions, estimators): lists of (exercise path, name, object), in curriculum order.

    ``practice=None`` follows ``pytest --practice``; a missing practice copy is left out.
    """
    functions, estimators = [], []
    for path in utils.list_exercises():
        if only and not path.startswith(only):
            continue
        try:
            module = utils.load_exercise(path, practice=practice)
        except FileNotFoundError:
            continue
        for name, obj in vars(module).items():
            if name.startswith("_") or name == "main" or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                functions.append((path, name, obj))
            elif inspect.isclass(obj) and hasattr(obj, "fit") and not issubclass(obj, BaseException):
                estimators.append((path, name, obj))
    return functions, estimators


# ----------------------------------------------------------------------------- valid arguments


def _rng():
    return np.random.default_rng(0)


def _spd(d=D):
    B = _rng().normal(size=(d, d))  # (d, d)
    return B @ B.T + d * np.eye(d)  # (d, d), well conditioned


def _labels(n=N, k=2):
    return np.arange(n) % k  # (n,) every class present


MATRIX = {"X", "X_train", "X_test", "Q", "Y", "Z", "X_sorted", "points", "data", "A_train", "A_test", "x_q", "x_kv"}
SQUARE = {"A", "M", "H", "K", "U", "L", "R", "B", "gram", "cov", "covariance"}
VECTOR = {"x", "u", "v", "z", "a", "values", "samples", "residuals", "target", "errors", "column", "s", "d",
          "w", "mu", "scale", "y_pm", "flips", "t", "grad", "dout", "dh", "q_scores", "activations"}
PROBS = {"p", "q", "probs", "prior", "likelihood", "pi", "weights"}
LABELS = {"y", "y_true", "labels", "t", "T", "codes"}
SCORES = {"y_score", "y_prob", "scores", "score", "proba", "z_scores", "logits", "y_pred"}
COUNTS = {"k": 2, "n": 4, "n_samples": N, "size": 5, "n_points": 50, "n_steps": 3, "n_iter": 3, "n_iters": 3,
          "n_repeats": 3, "n_trials": 3, "n_positions": 4, "d_model": 4, "n_heads": 2, "order": 3, "degree": 2,
          "window": 3, "n_streams": 2, "n_workers": 2, "n_components": 2, "n_clusters": 2, "n_classes": 2,
          "n_in": 3, "n_out": 2, "n_hidden": 4, "fan_in": 3, "fan_out": 2, "n_splits": 3, "n_bins": 3,
          "n_features": D, "n_rows": 3, "n_cols": 4, "max_iter": 20, "n_resamples": 20, "n_new": 2,
          "n_sequences": 4, "n_digits": 3, "seq_len": 3, "epochs": 1, "budget": 4, "total_steps": 10,
          "step_size": 3, "warmup_steps": 2, "step": 3, "n_max": N, "n_categories": 3, "batch_size": 4,
          "i": 0, "column": 0, "max_cols": 3, "n_test": 3, "n_datasets": 3, "n_train": 6, "n_local_trials": 2,
          "n_levels": 3, "n_noise": 2, "max_epochs": 2, "n_layers": 1, "eval_every": 2, "lo": 0, "hh": 2, "ww": 2}
FLOATS = {"lr": 0.1, "learning_rate": 0.1, "eta": 0.5, "alpha": 0.1, "C": 1.0, "gamma": 0.5, "eps": 1e-3,
          "h": 1e-4, "tol": 1e-6, "lmbda": 0.5, "reg": 0.1, "p_drop": 0.2, "rate": 1.5, "sigma": 1.0,
          "base_lr": 0.1, "min_lr": 1e-3, "max_lr": 1.0, "critical_value": 1.96, "smooth": 1.0, "y_mean": 0.5,
          "y_var": 0.25, "threshold": 3.0, "epsilon": 1.35, "period": 7.0, "max_norm": 1.0, "low": -1.0,
          "high": 1.0, "margin": 0.2, "noise": 0.3, "true_mean": 0.0, "cost_fp": 1.0, "cost_fn": 1.0,
          "prevalence": 0.1, "sensitivity": 0.9, "specificity": 0.9, "sigma2": 1.0, "log_sigma": 0.0,
          "l2": 0.1, "total_energy": 10.0, "beta": 0.9, "penalty": 0.1, "whis": 1.5, "delta_b": None,
          "reg_covar": 1e-6, "f_scale": 1.0, "derivative_scale": 1.0, "x0": 0.5, "start_lr": 0.0,
          "end_lr": 0.0, "factor": 100.0, "f_star": 0.0, "lo": 0, "t": 0.5}


LAYER_PARAMS = {"bn_param": {"mode": "train"}, "conv_param": {"stride": 1, "pad": 1},
                "pool_param": {"pool_height": 2, "pool_width": 2, "stride": 2}, "mode": "train"}


def _value(name, variant):
    """A valid-looking value for parameter ``name`` in candidate ``variant`` (0, 1, 2, ...), or KeyError."""
    rng = _rng()
    X = rng.normal(size=(N, D))  # (n, d)
    vec = rng.normal(size=N)  # (n,)
    if name in ("rng",):
        return np.random.default_rng(0)
    if name in LAYER_PARAMS:  # layer settings: dicts the forward passes read
        value = LAYER_PARAMS[name]
        return dict(value) if isinstance(value, dict) else value
    if name in ("h_prev", "c_prev", "h0"):
        return rng.normal(size=(N, D))  # (n, hidden): hidden = d
    if variant == 2 and name == "w":
        return rng.normal(size=(2, 1, 3, 3))  # (filters, channels, height, width) for the 4-D images
    if name in ("random_state", "seed"):
        return 0
    if variant == 3 and name in COUNTS:  # scalar-probability variant below wins for p
        pass
    if variant == 3 and name in ("p", "q", "x", "a", "b", "theta", "mu"):
        return {"p": 0.3, "q": 0.6, "x": 0.5, "a": 2.0, "b": 3.0, "theta": 0.4, "mu": 0.0}[name]
    if name in COUNTS and not (name in VECTOR and variant != 3):
        return COUNTS[name]
    if name in FLOATS and FLOATS[name] is not None and name not in VECTOR:
        return FLOATS[name]
    if name == "delta_b":
        return 1e-6 * np.ones(D if variant == 0 else N)
    if name in MATRIX:
        if variant == 2:  # images / sequences: (n, channels, height, width) or (n, T, d)
            return rng.normal(size=(4, 1, 4, 4))
        return X
    if name in SQUARE:
        return _spd()
    if name in LABELS and variant in (0, 2):
        return _labels(N, 2 if variant == 0 else 3)
    if name in LABELS and variant == 1:
        return vec
    if name in SCORES:
        if name == "logits" and variant == 2:
            return rng.normal(size=(N, 3))  # (n, k)
        if name == "y_pred":
            return _labels(N, 2)[::-1].copy() if variant == 0 else vec + 0.1
        return 1 / (1 + np.exp(-vec))  # (n,) in (0, 1)
    if name in PROBS:
        return np.array([0.1, 0.2, 0.3, 0.4]) if variant != 0 else np.full(N, 1.0 / N)
    if name in ("W", "Wx", "Wh"):
        return rng.normal(size=(D, 4)) if N != D else rng.normal(size=(D, D))  # (d, m)
    if name == "b":
        if N == D:
            return np.zeros(D)
        return np.zeros(2) if variant == 2 else (rng.normal(size=D) if variant == 0 else 0.0)
    if name in VECTOR:
        if variant == 2:
            return X
        return rng.normal(size=D) if name in ("w", "u", "v", "mu", "target", "grad") and variant == 0 else vec
    raise KeyError(name)


CALLABLES = {"f": lambda x: np.sum(np.sin(x)), "F": lambda x: np.sin(x), "df": np.cos, "d2f": lambda x: -np.sin(x),
             "dfdx": np.cos, "grad_f": np.cos, "hess": lambda x: np.diag(-np.sin(x)), "statistic": np.mean,
             "draw": lambda rng, shape: rng.normal(size=shape), "cdf": lambda x: 0.5 * (1 + np.tanh(x)),
             "schedule": lambda step, base_lr: base_lr}


def candidates(fn, n_variants=8):
    """Keyword-argument sets for ``fn`` to try, in order.

    Variants 0-3 use n = 12 samples of d = 3 features (labels, targets, 4-D images,
    scalars); variants 4-5 make every size 3 (so x @ w + b and square A b line up),
    variant 5 also passes small callables for the function-valued parameters; variant 6 is
    variant 4 with a scalar intercept b; variant 7 makes x and p points of shape (n, 2).
    """
    global N
    params = list(inspect.signature(fn).parameters.values())
    for variant in range(n_variants):
        kwargs = {}
        saved, N = N, (D if variant in (4, 5, 6) else N)
        try:
            for p in params:
                if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                    continue
                if p.default is inspect.Parameter.empty or p.name in ("random_state", "rng"):
                    if variant == 5 and p.name in CALLABLES:
                        kwargs[p.name] = CALLABLES[p.name]
                    elif variant == 6 and p.name == "b":
                        kwargs[p.name] = 0.0
                    elif variant == 7 and p.name in ("x", "p"):
                        kwargs[p.name] = _rng().normal(size=(N, 2))  # points in the plane
                    elif p.name == "y_pm":
                        kwargs[p.name] = np.where(_labels(N) == 1, 1.0, -1.0)  # labels in {-1, +1}
                    elif p.name in ("gamma", "beta") and {"gamma", "beta"} <= {q.name for q in params}:
                        kwargs[p.name] = np.ones(D) if p.name == "gamma" else np.zeros(D)  # a norm layer's scale, shift
                    elif p.name in ("q", "k", "v") and {"q", "k", "v"} <= {q.name for q in params}:
                        kwargs[p.name] = _rng().normal(size=(N, D))  # attention: (T, d) each
                    elif p.name == "logits" and "X" in {q.name for q in params}:
                        kwargs[p.name] = _rng().normal(size=(N, D))  # a reconstruction: one logit per entry of X
                    else:
                        kwargs[p.name] = _value(p.name, {4: 0, 5: 1, 6: 0, 7: 0}.get(variant, variant))
        except KeyError:
            continue
        finally:
            N = saved
        yield kwargs


# ----------------------------------------------------------------------------- outputs


def _leaves(out, depth=0):
    """Numeric arrays and scalars inside an output (tuples, lists, dicts one level deep)."""
    if depth > 2:
        return
    if isinstance(out, np.ndarray):
        if out.dtype.kind in "fciub":
            yield out
    elif isinstance(out, (bool, np.bool_)):
        return
    elif isinstance(out, (int, float, complex, np.number)):
        yield np.asarray(out)
    elif isinstance(out, (tuple, list)):
        for item in out[:20]:
            yield from _leaves(item, depth + 1)
    elif isinstance(out, dict):
        for item in list(out.values())[:20]:
            yield from _leaves(item, depth + 1)


def _finite(out):
    return all(np.isfinite(leaf).all() for leaf in _leaves(out) if leaf.dtype.kind in "fc")


def _main_shape(out):
    first = next(_leaves(out), None)
    return None if first is None else np.shape(first)


def _same(a, b, rtol, ravel=False):
    la, lb = list(_leaves(a)), list(_leaves(b))
    if len(la) != len(lb):
        return False
    for x, y in zip(la, lb):
        if ravel:  # an elementwise function may keep the (n, 1) shape it was given
            x, y = np.ravel(x), np.ravel(y)
        if np.shape(x) != np.shape(y):
            return False
        if not np.allclose(np.asarray(x, dtype=complex), np.asarray(y, dtype=complex), rtol=rtol, atol=rtol, equal_nan=True):
            return False
    return True


# ----------------------------------------------------------------------------- perturbations

SAME_DATA = ("list", "float32", "fortran", "column")  # the same numbers, another container: same answer expected


def perturbations(kwargs):
    """(input class, perturbed argument, new kwargs) for each array argument and numeric keyword."""
    # The cache of a backward pass is the forward pass's own record, not user input: left alone.
    arrays = {k: v for k, v in kwargs.items() if isinstance(v, np.ndarray) and v.ndim >= 1 and v.size >= 1 and k != "cache"}
    for name, a in arrays.items():
        def put(value, name=name):
            new = dict(kwargs)
            new[name] = value
            return new
        floating = a.dtype.kind == "f"
        if floating:
            bad = a.copy()
            bad.flat[0] = np.nan
            yield "nan", name, put(bad)
            bad = a.copy()
            bad.flat[0] = np.inf
            yield "inf", name, put(bad)
            yield "huge", name, put(a * 1e300)
            yield "float32", name, put(a.astype(np.float32))
        yield "list", name, put(a.tolist())
        if a.ndim == 2:
            yield "fortran", name, put(np.asfortranarray(a))
            yield "zero_columns", name, put(np.empty((a.shape[0], 0)))
            yield "1d", name, put(a[:, 0].copy())
        partners = [k for k, v in arrays.items() if k != name and v.shape[:1] == a.shape[:1]]
        if a.ndim == 1 and partners:  # (n, 1) next to a partner of length n: the broadcasting trap
            yield "column", name, put(a[:, None])
        yield "3d", name, put(a.reshape(a.shape + (1,) * (4 - a.ndim)) if a.ndim < 3 else a[..., None])
        yield "empty", name, put(a[:0])
        if a.shape[0] > 1:
            yield "one_sample", name, put(a[:1])
        yield "strings", name, put(np.array([str(v) + "x" for v in a.ravel()]).reshape(a.shape))
        if a.dtype.kind in "iu" and len(np.unique(a)) <= 5:
            yield "one_class", name, put(np.zeros_like(a))
        if partners and a.shape[0] > 2:
            yield "mismatched", name, put(a[:-1])
    for name, value in kwargs.items():
        if name in SKIP_PARAMS or isinstance(value, (bool, np.bool_)):
            continue
        if isinstance(value, (int, np.integer)) and value > 0:
            yield "invalid_hyper", name, {**kwargs, name: -1}
        elif isinstance(value, (float, np.floating)) and value > 0:
            yield "invalid_hyper", name, {**kwargs, name: -1.0}


# ----------------------------------------------------------------------------- classification


def _raised_in_library(error):
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    last = frames[-1].filename.replace("\\", "/")
    return "/numpy/" in last or "/scipy/" in last


def classify_error(error, names):
    """'clear' or 'unclear' for an exception; ``names``: the argument(s) the message must name."""
    if not isinstance(error, (ValueError, TypeError)) or _raised_in_library(error):
        return "unclear"
    message = str(error)
    if not any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message) for n in names):
        return "unclear"
    return "clear"


# Functions whose lesson is numerical stability: finite output for finite input up to 1e300. (A loss with an
# L2 penalty or a backward pass fed 1e300 "probabilities" is not one: its true value overflows.)
STABLE = re.compile(r"^(?!.*(_loss|_backward|_jacobian)$).*(softmax|sigmoid|logsumexp|log_sum_exp|cross_entropy|standardi[sz]e|scaler|^std$)",
                    re.IGNORECASE)


def classify_output(out, input_class, baseline, documented_missing, name_of_target="", documented_inf=False):
    """Outcome of a call that returned ``out``."""
    if input_class == "inf":  # sigmoid(inf) = 1, exp(-inf) = 0: a finite answer can be the right limit
        return "handled"
    if input_class in ("nan", "nan_y"):
        unchanged = baseline is not None and _same(out, baseline, 1e-12)  # the value played no part (a count, a shape)
        if _finite(out) and not documented_missing and not unchanged:
            return "silent"  # a missing value swallowed into a finite answer
        return "handled"
    if input_class == "invalid_hyper":
        return "handled" if _finite(out) else "silent"
    if not _finite(out):
        if input_class == "huge" and not STABLE.search(name_of_target):
            return "overflow"
        if documented_inf:
            return "handled"  # the docstring says the answer can be infinite (cross-entropy against a zero)
        return "silent"
    if input_class in SAME_DATA and baseline is not None:
        return "handled" if _same(out, baseline, 1e-2 if input_class == "float32" else 1e-9, ravel=input_class == "column") else "silent"
    return "handled"


# ----------------------------------------------------------------------------- function cases


def _call(fn, kwargs):
    # A fresh copy of every generator and dict (bn_param is updated in place), so every call starts alike.
    kwargs = {k: (copy.deepcopy(v) if isinstance(v, (np.random.Generator, dict)) else v) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return fn(**kwargs)


def _backward_candidates(fn):
    """For NAME_backward(grads..., cache): run NAME_forward on its own sample, pass ones as the upstream grads."""
    forward = fn.__globals__.get(fn.__name__.replace("_backward", "_forward"))
    names = [p.name for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty]
    if forward is None or names[-1:] != ["cache"]:
        return
    kwargs, out = sample_function(forward)
    if kwargs is None or not isinstance(out, tuple) or len(out) != len(names):
        return
    yield {**{name: np.ones_like(np.asarray(o, dtype=float)) for name, o in zip(names[:-1], out[:-1])}, "cache": out[-1]}


def sample_function(fn):
    """(kwargs, baseline output) for the first candidate that works, or (None, reason)."""
    reason = "no candidate arguments"
    backward = fn.__name__.endswith("_backward")
    for kwargs in (_backward_candidates(fn) if backward else candidates(fn)):
        try:
            out = _call(fn, kwargs)
        except Exception as error:  # noqa: BLE001 - any failure means: try the next candidate
            reason = f"{type(error).__name__}: {str(error)[:80]}"
            continue
        if out is not None and _finite(out):
            try:  # a function that draws its own random numbers gives no baseline to compare with
                deterministic = _same(_call(fn, kwargs), out, 1e-12)
            except Exception:  # noqa: BLE001
                deterministic = False
            return kwargs, (out if deterministic else None)
        reason = "baseline output not finite" if out is not None else "returns None"
    return None, reason


def probe_function(fn, kwargs, baseline, limit=None):
    """List of (input class, argument, outcome, detail) for every perturbation of ``kwargs``."""
    documented = bool(MISSING_WORDS.search(fn.__doc__ or ""))
    results = []
    for i, (input_class, name, new) in enumerate(perturbations(kwargs)):
        if limit is not None and i >= limit:
            break
        results.append((input_class, name) + run_function_case(fn, input_class, name, new, baseline, documented))
    return results


def run_function_case(fn, input_class, name, kwargs, baseline, documented):
    try:
        out = _call(fn, kwargs)
    except Exception as error:  # noqa: BLE001
        names = [name] + ([k for k in kwargs if k != name] if input_class == "mismatched" else [])
        return classify_error(error, names), f"{type(error).__name__}: {str(error)[:160]}"
    documented_inf = bool(re.search(r"\binf\b", fn.__doc__ or ""))
    return classify_output(out, input_class, baseline, documented, fn.__name__, documented_inf), _summary(out)


def _summary(out):
    leaves = list(_leaves(out))
    if not leaves:
        return f"returned {type(out).__name__}"
    first = leaves[0]
    return f"returned shape {np.shape(first)}, finite={_finite(out)}"


# ----------------------------------------------------------------------------- long-running entry points

ENTRY_POINT = re.compile(r"^(train|run|benchmark)(_|$)")
ENTRY_BUDGET = 3.0  # seconds for one bad-hyperparameter call of an entry point: refusing takes milliseconds


def is_entry_point(fn):
    """A training run / benchmark the battery could only call with its own (full-run) defaults."""
    params = inspect.signature(fn).parameters.values()
    return (bool(ENTRY_POINT.match(fn.__name__)) and not any(p.kind == p.VAR_POSITIONAL for p in params)
            and all(p.default is not p.empty for p in params if p.kind != p.VAR_KEYWORD))


def entry_point_cases(fn):
    """(input class, argument, kwargs): each positive numeric default of ``fn``, alone, made negative."""
    defaults = {p.name: p.default for p in inspect.signature(fn).parameters.values()
                if p.default is not p.empty and isinstance(p.default, (int, float, np.number))}
    return list(perturbations(defaults))


class _OverBudget(BaseException):
    """Raised by the alarm inside a call that ran past ENTRY_BUDGET (BaseException: no ``except Exception`` eats it)."""


def run_entry_case(fn, name, kwargs, budget=ENTRY_BUDGET):
    """(outcome, detail) for one bad-hyperparameter call of an entry point, stopped after ``budget`` seconds."""
    if not hasattr(signal, "setitimer"):  # no interval timer (Windows): the worker's overall limit still applies
        return run_function_case(fn, "invalid_hyper", name, kwargs, None, False)

    def alarm(signum, frame):
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        return run_function_case(fn, "invalid_hyper", name, kwargs, None, False)
    except _OverBudget:
        return "hang", f"still running after {budget:g} s: {name}={kwargs[name]!r} was not refused before the run started"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def probe_entry_point(fn):
    """List of (input class, argument, outcome, detail) for an entry point's bad hyperparameters."""
    return [(c, name) + run_entry_case(fn, name, new) for c, name, new in entry_point_cases(fn)]


# ----------------------------------------------------------------------------- estimator cases


def _estimator_data(kind):
    rng = _rng()
    X = rng.normal(size=(30, D))  # (n, d)
    if kind == "scores":  # calibrators: one score per sample, binary labels
        return X[:, 0] + (np.arange(30) % 2), np.arange(30) % 2
    y = (np.arange(30) % 2) if kind == "classifier" else (X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=30))
    return X, y


def _make(cls, **params):
    """cls(**params), seeded when it takes a random_state: the same fit for the same data."""
    if "random_state" in inspect.signature(cls).parameters:
        params.setdefault("random_state", 0)
    return cls(**params)


def _predict(model, X):
    for method in ("predict", "transform"):
        if hasattr(model, method):
            return getattr(model, method)(X)
    return None


def sample_estimator(cls):
    """(kind, baseline output) with kind in classifier / regressor / unsupervised, or (None, reason)."""
    try:
        _make(cls)
    except Exception as error:  # noqa: BLE001
        return None, f"constructor needs arguments ({type(error).__name__})"
    reason = ""
    y_param = inspect.signature(cls.fit).parameters.get("y")
    optional_y = y_param is not None and y_param.default is None  # fit(X, y=None): y is ignored
    for kind in ("unsupervised",) if optional_y else ("classifier", "regressor", "unsupervised", "scores"):
        X, y = _estimator_data(kind)
        try:
            outs = []
            for _ in range(2):  # twice: an estimator that draws its own random numbers has no fixed baseline
                model = _make(cls)
                model.fit(X) if kind == "unsupervised" else model.fit(X, y)
                outs.append(_call(_predict, {"model": model, "X": X}))
        except Exception as error:  # noqa: BLE001
            reason = f"{type(error).__name__}: {str(error)[:80]}"
            continue
        out = outs[0]
        if out is not None and _finite(out):
            return kind, (out if _same(outs[1], out, 1e-12) else None)
    return None, reason or "no finite output"


def estimator_cases(cls, kind):
    """(input class, argument, callable taking nothing) for every estimator perturbation."""
    X, y = _estimator_data(kind)
    supervised = kind != "unsupervised"
    if kind == "scores":  # calibrators: 1-D scores at fit and at predict
        return _score_cases(cls, X, y)

    def fit_predict(X_fit, y_fit=None, X_pred=None, params=None):
        model = _make(cls, **(params or {}))
        model.fit(X_fit, y_fit) if supervised else model.fit(X_fit)
        return _predict(model, X_fit if X_pred is None else X_pred)

    def with_x(value):
        return lambda: fit_predict(value, y)

    cases = []
    bad = X.copy()
    bad[0, 0] = np.nan
    cases.append(("nan", "X", with_x(bad)))
    bad = X.copy()
    bad[0, 0] = np.inf
    cases.append(("inf", "X", with_x(bad)))
    cases += [("huge", "X", with_x(X * 1e300)), ("empty", "X", lambda: fit_predict(X[:0], y[:0])),
              ("zero_columns", "X", with_x(np.empty((len(X), 0)))), ("one_sample", "X", lambda: fit_predict(X[:1], y[:1])),
              ("1d", "X", with_x(X[:, 0].copy())), ("3d", "X", with_x(X[:, :, None])),
              ("strings", "X", with_x(np.char.add(X.astype(str), "x"))), ("list", "X", with_x(X.tolist())),
              ("float32", "X", with_x(X.astype(np.float32))), ("fortran", "X", with_x(np.asfortranarray(X)))]
    if supervised:
        bad_y = y.astype(float)
        bad_y[0] = np.nan
        cases += [("nan_y", "y", lambda: fit_predict(X, bad_y)), ("mismatched", "y", lambda: fit_predict(X, y[:-1]))]
        if kind == "classifier":
            cases.append(("one_class", "y", lambda: fit_predict(X, np.zeros_like(y))))
    cases.append(("predict_before_fit", "fit", lambda: _predict(_make(cls), X)))
    cases.append(("feature_count", "X", lambda: fit_predict(X, y, X_pred=X[:, :2])))
    for p in inspect.signature(cls).parameters.values():
        default = p.default
        if p.name in SKIP_PARAMS or isinstance(default, (bool, np.bool_)):
            continue
        if isinstance(default, (int, np.integer)) and default > 0:
            for value in (-1, 0) if default > 1 else (-1,):
                cases.append(("invalid_hyper", p.name, lambda n=p.name, v=value: fit_predict(X, y, params={n: v})))
        elif isinstance(default, (float, np.floating)) and default > 0:
            cases.append(("invalid_hyper", p.name, lambda n=p.name: fit_predict(X, y, params={n: -1.0})))
    return cases


def _score_cases(cls, s, y):
    def fit_predict(s_fit, y_fit, s_pred=None):
        return _make(cls).fit(s_fit, y_fit).predict(s_fit if s_pred is None else s_pred)

    nan, inf = s.copy(), s.copy()
    nan[0], inf[0] = np.nan, np.inf
    return [("nan", "scores", lambda: fit_predict(nan, y)), ("inf", "scores", lambda: fit_predict(inf, y)),
            ("nan", "scores", lambda: fit_predict(s, y, nan)), ("inf", "scores", lambda: fit_predict(s, y, inf)),
            ("huge", "scores", lambda: fit_predict(s * 1e300, y)), ("empty", "scores", lambda: fit_predict(s[:0], y[:0])),
            ("one_sample", "scores", lambda: fit_predict(s[:1], y[:1])), ("3d", "scores", lambda: fit_predict(s[:, None, None], y)),
            ("strings", "scores", lambda: fit_predict(np.char.add(s.astype(str), "x"), y)), ("list", "scores", lambda: fit_predict(s.tolist(), y)),
            ("float32", "scores", lambda: fit_predict(s.astype(np.float32), y)), ("mismatched", "y", lambda: fit_predict(s, y[:-1])),
            ("one_class", "y", lambda: fit_predict(s, np.zeros_like(y))), ("predict_before_fit", "fit", lambda: _make(cls).predict(s)),
            ("strings", "scores", lambda: fit_predict(s, y, np.char.add(s.astype(str), "x")))]


def run_estimator_case(input_class, name, thunk, baseline, documented_missing=False):
    try:
        out = _call(lambda: thunk(), {})
    except Exception as error:  # noqa: BLE001
        if input_class == "predict_before_fit":
            ok = isinstance(error, ValueError) and isinstance(error, AttributeError) or "not fitted" in str(error)
            return ("clear" if ok and not _raised_in_library(error) else "unclear"), f"{type(error).__name__}: {str(error)[:160]}"
        return classify_error(error, [name]), f"{type(error).__name__}: {str(error)[:160]}"
    if input_class in ("zero_columns", "empty", "3d", "1d", "strings", "predict_before_fit", "feature_count",
                       "invalid_hyper", "mismatched"):
        return "silent", _summary(out)  # the estimator should have refused this input
    if input_class == "one_sample" or input_class == "one_class":
        return ("handled" if _finite(out) else "silent"), _summary(out)
    return classify_output(out, input_class, baseline, documented_missing, name_of_target="scaler"), _summary(out)


# ----------------------------------------------------------------------------- worker with a time limit


class Worker:
    """A forked process that runs jobs (a callable and its arguments) with a hard time limit."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.context = multiprocessing.get_context("fork")
        self.process = None
        self._start()

    def _start(self):
        self.conn, child = self.context.Pipe()
        self.process = self.context.Process(target=self._loop, args=(child,), daemon=True)
        self.process.start()

    @staticmethod
    def _loop(conn):
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        while True:
            job = conn.recv()
            if job is None:
                return
            try:
                conn.send(("ok", job()))
            except Exception as error:  # noqa: BLE001 - reported, never raised here
                conn.send(("error", f"{type(error).__name__}: {error}"))

    def run(self, job):
        """job() in the worker: ('ok', result), ('error', text) or ('hang', None) after the time limit."""
        self.conn.send(job)
        if self.conn.poll(self.timeout):
            return self.conn.recv()
        self.process.kill()
        self.process.join()
        self._start()
        return "hang", None

    def close(self):
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(1)
        if self.process.is_alive():
            self.process.kill()


# The worker is forked after discovery, so a job only needs indices into these tables.
_FUNCTIONS, _ESTIMATORS, _SAMPLES = [], [], {}


def _function_job(index, case=None):
    path, name, fn = _FUNCTIONS[index]
    if is_entry_point(fn):
        cases = entry_point_cases(fn)
        if case is None:
            return [(c[0], c[1]) for c in cases]
        input_class, arg, new = cases[case]
        return (input_class, arg) + run_entry_case(fn, arg, new)
    kwargs, baseline = sample_function(fn)
    if kwargs is None:
        return None if case is None else ("unsampled", baseline)
    cases = list(perturbations(kwargs))
    if case is None:
        return [(c[0], c[1]) for c in cases]
    input_class, arg, new = cases[case]
    documented = bool(MISSING_WORDS.search(fn.__doc__ or ""))
    return (input_class, arg) + run_function_case(fn, input_class, arg, new, baseline, documented)


def probe_function_job(index):
    """("unsampled", reason) or ("probed", [(input class, argument, outcome, detail), ...]) for one function."""
    fn = _FUNCTIONS[index][2]
    if is_entry_point(fn):
        return "probed", probe_entry_point(fn)
    kwargs, baseline = sample_function(fn)
    if kwargs is None:
        return "unsampled", baseline
    return "probed", probe_function(fn, kwargs, baseline)


def _estimator_job(index, case=None):
    path, name, cls = _ESTIMATORS[index]
    kind, baseline = sample_estimator(cls)
    if kind is None:
        return None
    cases = estimator_cases(cls, kind)
    if case is None:
        return [(c[0], c[1]) for c in cases]
    input_class, arg, thunk = cases[case]
    documented = bool(MISSING_WORDS.search(cls.__doc__ or ""))  # imputers and NaN-aware scalers say so
    return (input_class, arg) + run_estimator_case(input_class, arg, thunk, baseline, documented)


class _Job:
    """A picklable-free job: run in a forked worker that already holds the tables."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __call__(self):
        return self.fn(*self.args)


def run_battery(timeout=10.0, only=None, log=print, kinds=("function", "estimator")):
    """Every case of every function and estimator: list of dicts (kind, target, input class, arg, outcome, detail)."""
    functions, estimators = discover(only)
    _FUNCTIONS[:], _ESTIMATORS[:] = functions, estimators
    rows, unsampled = [], []
    worker = Worker(timeout)
    try:
        for kind, table, job_fn in (("function", functions, _function_job), ("estimator", estimators, _estimator_job)):
            if kind not in kinds:
                continue
            for index, (path, name, _) in enumerate(table):
                target = f"{path}:{name}"
                status, labels = worker.run(_Job(job_fn, index))
                if status != "ok" or labels is None:
                    unsampled.append((kind, target))
                    continue
                for case, (input_class, arg) in enumerate(labels):
                    status, result = worker.run(_Job(job_fn, index, case))
                    if status == "hang":
                        rows.append(dict(kind=kind, target=target, input=input_class, arg=arg, outcome="hang",
                                         detail=f"no answer within {timeout:g} s"))
                    elif status == "error":
                        rows.append(dict(kind=kind, target=target, input=input_class, arg=arg, outcome="unclear",
                                         detail=f"battery: {result}"))
                    else:
                        input_class, arg, outcome, detail = result
                        rows.append(dict(kind=kind, target=target, input=input_class, arg=arg, outcome=outcome, detail=detail))
                log(f"  {kind:9s} {target}: {len(labels)} cases")
    finally:
        worker.close()
    return rows, unsampled, len(functions), len(estimators)


def report(rows, unsampled, n_functions, n_estimators, show=15):
    """Totals per outcome (functions and estimators apart), per input class, and the worst cases."""
    lines = []
    for kind, total in (("function", n_functions), ("estimator", n_estimators)):
        mine = [r for r in rows if r["kind"] == kind]
        probed = len({r["target"] for r in mine})
        skipped = sum(1 for k, _ in unsampled if k == kind)
        counts = Counter(r["outcome"] for r in mine)
        lines.append(f"\n{kind}s: {total} found, {probed} probed, {skipped} unsampled, {len(mine)} cases")
        lines.append("  " + "  ".join(f"{o}={counts.get(o, 0)}" for o in OUTCOMES))
        per_input = defaultdict(Counter)
        for r in mine:
            per_input[r["input"]][r["outcome"]] += 1
        lines.append(f"  {'input class':20s}" + "".join(f"{o:>9s}" for o in OUTCOMES))
        for input_class in sorted(per_input):
            c = per_input[input_class]
            lines.append(f"  {input_class:20s}" + "".join(f"{c.get(o, 0):9d}" for o in OUTCOMES))
    for outcome in ("hang", "silent", "unclear"):
        bad = [r for r in rows if r["outcome"] == outcome]
        if bad:
            lines.append(f"\n{outcome} cases ({len(bad)}), first {show}:" if show else f"\n{outcome} cases ({len(bad)}):")
            for r in bad[: show if show else None]:
                lines.append(f"  [{r['input']}/{r['arg']}] {r['target']}: {r['detail']}")
    clear = [r for r in rows if r["outcome"] == "clear"]
    if clear:
        step = max(1, len(clear) // 15)
        lines.append("\nA sample of 15 clear error messages:")
        for r in clear[::step][:15]:
            lines.append(f"  [{r['input']}/{r['arg']}] {r['target'].split('/')[-1]}: {r['detail']}")
    if unsampled:
        lines.append(f"\nunsampled ({len(unsampled)}): " + ", ".join(t.split("/")[-1] for _, t in unsampled))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per call before it counts as a hang")
    parser.add_argument("--only", default=None, help="exercise paths starting with this (e.g. 03-)")
    parser.add_argument("--show", type=int, default=15, help="cases listed per bad outcome (0: all)")
    parser.add_argument("--kind", choices=("function", "estimator"), default=None, help="probe only these")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    start = time.perf_counter()
    rows, unsampled, n_f, n_e = run_battery(args.timeout, args.only, log=(lambda *a: None) if args.quiet else print,
                                           kinds=(args.kind,) if args.kind else ("function", "estimator"))
    print(report(rows, unsampled, n_f, n_e, show=args.show))
    print(f"\n{len(rows)} cases in {time.perf_counter() - start:.0f} s (timeout {args.timeout:g} s per call)")


if __name__ == "__main__":
    sys.exit(main())
