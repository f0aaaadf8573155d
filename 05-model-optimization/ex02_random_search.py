"""
Exercise 02: random search, and why it beats a grid for the same budget

Learning goals
--------------
- Sample hyperparameters from distributions, not a grid: log-uniform for scales (learning rates, penalties).
- Write a log-uniform sampler by inverse-transform sampling; reuse ex01's cross-validation for RandomizedSearchCV.
- See Bergstra & Bengio's argument with numbers: when only one of two hyperparameters matters, a 3 x 3 grid
  tries 3 values of it while nine random draws try 9, so random search usually lands closer to the best value.

The math
--------
X is log-uniform on [low, high] (0 < low < high) when log X is uniform on [log low, log high]; its CDF and
inverse CDF (quantile function) are
    F(x) = log(x / low) / log(high / low),      F^-1(q) = low * (high / low)^q,   q in [0, 1].
Inverse-transform sampling: if U ~ Uniform(0, 1), F^-1(U) has CDF F. Each decade [10^j, 10^(j+1)] gets the same probability.

A grid with budget B over D hyperparameters has m = B^(1/D) values per axis, the quantiles
F^-1((i + offset) / m), i = 0..m-1 (offset 1/2: the cell centres). If the score depends on hyperparameter 1
only, the grid tests m distinct values of it, a random search B of them (almost surely distinct).

We tune logistic regression trained by exactly 20 full-batch gradient steps, w <- w - lr (X^T (sigmoid(X w + b) - y)
/ n + alpha w), scored by the validation log-loss. lr decides everything: too small and 20 steps barely move, too
large and they overshoot. A small L2 penalty alpha in [1e-5, 1e-3] hardly matters: the unimportant hyperparameter. X is (n_samples, n_features) = (n, d).

Algorithm
---------
1. loguniform.ppf(q) = low * (high/low)^q; rvs draws q ~ U(0, 1) and returns ppf(q).
2. Sample n_iter candidates: every hyperparameter from its distribution (or uniformly from a list), keys sorted.
3. Score them with ex01's BaseSearchCV (the fold loop, ranking and refit).
4. Many times, on the same folds: a randomly shifted 3 x 3 grid against 9 random candidates (best lr and log-loss).

References: J. Bergstra, Y. Bengio, "Random search for hyper-parameter optimization", JMLR 13, 2012 (Figure 1);
L. Devroye, Non-Uniform Random Variate Generation, 1986, ch. 2.1 (inversion); scikit-learn user guide,
"Randomized parameter optimization".
Builds on: 05-model-optimization/ex01_grid_search.py (grid_search).
Difficulty: 1 of 3, about 20 minutes.
Run: python 05-model-optimization/ex02_random_search.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import check_fitted, check_non_negative_int, check_positive_int, check_positive_number, check_X, check_X_y

grid_search = utils.load_exercise("05-model-optimization/ex01_grid_search.py", practice=False)

# %% [markdown]
# ## Distributions to sample from


# %%
class uniform:
    """Uniform on [low, high] (named like scipy.stats' distributions; ppf and rvs only)."""

    def __init__(self, low, high):
        if not low < high:
            raise ValueError(f"uniform needs low < high; got low={low!r}, high={high!r}")
        self.low, self.high = float(low), float(high)

    def ppf(self, q):
        """The quantile function low + q (high - low), for q in [0, 1]."""
        return self.low + np.asarray(q, dtype=float) * (self.high - self.low)

    def rvs(self, size=None, random_state=None):
        """``size`` samples (a float when size is None), reproducible by ``random_state``."""
        return self.ppf(data.as_rng(random_state).uniform(0.0, 1.0, size))


class loguniform:
    """Log-uniform on [low, high], 0 < low < high: log X is uniform on [log low, log high].
    integer=True rounds every value to the nearest integer (for counts such as k of k-NN)."""

    def __init__(self, low, high, integer=False):
        if not 0 < low < high:
            raise ValueError(f"loguniform needs 0 < low < high; got low={low!r}, high={high!r}")
        self.low, self.high, self.integer = float(low), float(high), integer

    def ppf(self, q):
        """The quantile function F^-1(q) = low (high / low)^q, for q in [0, 1]."""
        q = np.asarray(q, dtype=float)
        if np.any((q < 0) | (q > 1)):
            raise ValueError("ppf needs probabilities q in [0, 1]")
        # BEGIN SOLUTION
        # HINT 1: A log-uniform variable is uniform in log space: map q linearly between log(low) and log(high).
        # HINT 2: value = exp(log(low) + q * log(high / low)), clipped to [low, high]
        # Interpolate in log space; exp(log(...)) may land one ulp outside: clip to the range.
        values = np.clip(np.exp(np.log(self.low) + q * np.log(self.high / self.low)), self.low, self.high)
        # END SOLUTION
        return np.rint(values).astype(int) if self.integer else values

    def rvs(self, size=None, random_state=None):
        """``size`` samples by inverse-transform sampling, reproducible by ``random_state``."""
        rng = data.as_rng(random_state)
        # BEGIN SOLUTION
        # HINT 1: Inverse-transform sampling: feed uniform numbers through ppf.
        # HINT 2: self.ppf(rng.uniform(0, 1, size))
        return self.ppf(rng.uniform(0.0, 1.0, size))  # F^-1(U) with U ~ Uniform(0, 1)
        # END SOLUTION


def _as_python(value):  # a NumPy scalar as a plain int or float, so candidates print nicely
    return value.item() if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0) else value


def sample_parameters(param_distributions, n_iter, random_state=None):
    """``n_iter`` candidates, dicts with keys sorted by name, each drawing every hyperparameter once from
    param_distributions (name -> an object with rvs(random_state=...), or a list sampled uniformly)."""
    if not isinstance(param_distributions, dict) or not param_distributions:
        raise TypeError(f"param_distributions must be a non-empty dict; got {param_distributions!r}")
    for name, dist in param_distributions.items():
        if not hasattr(dist, "rvs") and (isinstance(dist, str) or not hasattr(dist, "__len__") or len(dist) == 0):
            raise ValueError(f"param_distributions[{name!r}] must have an rvs method or be a non-empty list; got {dist!r}")
    n_iter = check_positive_int(n_iter, "n_iter")
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: One dict per candidate; for each name, sample from a distribution (it has .rvs) or
    # HINT 1: pick uniformly from a list. Always visit names in sorted order for reproducibility.
    # HINT 2: params[name] = dist.rvs(random_state=rng) or dist[rng.integers(len(dist))]
    # HINT 3: candidates = []; repeat n_iter times: params = {}
    # HINT 3:     for name in sorted(param_distributions): dist = param_distributions[name]
    # HINT 3:         params[name] = _as_python(dist.rvs(random_state=rng)) or dist[rng.integers(len)]
    # HINT 3:     candidates.append(params)
    candidates = []
    for _ in range(int(n_iter)):
        params = {}
        for name in sorted(param_distributions):  # a fixed order: the same seed gives the same candidates
            dist = param_distributions[name]
            if hasattr(dist, "rvs"):
                params[name] = _as_python(dist.rvs(random_state=rng))
            else:
                params[name] = dist[rng.integers(len(dist))]
        candidates.append(params)
    return candidates
    # END SOLUTION


def grid_for_budget(param_distributions, budget, offset=0.5):
    """The grid a budget buys, a dict name -> list of m = budget^(1/D) values: the quantiles (i + offset) / m of
    each distribution (it needs a ``ppf``). offset (a number, or a dict name -> number) 0.5 puts them at the
    cell centres; a random offset in [0, 1) shifts the whole grid, so its luck can be averaged out."""
    per_axis = int(round(budget ** (1.0 / len(param_distributions))))
    if per_axis ** len(param_distributions) != budget:
        raise ValueError(f"budget {budget} is not a perfect power of the {len(param_distributions)} hyperparameters")
    grid = {}
    for name, dist in param_distributions.items():
        shift = offset[name] if isinstance(offset, dict) else offset
        quantiles = (np.arange(per_axis) + shift) / per_axis  # (per_axis,), one per cell of [0, 1]
        grid[name] = [_as_python(v) for v in dist.ppf(quantiles)]
    return grid


# %% [markdown]
# ## RandomizedSearchCV: ex01's search with sampled candidates


# %%
class RandomizedSearchCV(grid_search.BaseSearchCV):
    """Cross-validated search over ``n_iter`` candidates drawn by sample_parameters (scikit-learn's names; the
    other arguments as in ex01's GridSearchCV); the same random_state gives the same candidates."""

    def __init__(self, estimator, param_distributions, n_iter=10, scoring=None, cv=5, refit=True, random_state=None):
        super().__init__(estimator, scoring=scoring, cv=cv, refit=refit)
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.random_state = random_state

    def _candidates(self):
        return sample_parameters(self.param_distributions, self.n_iter, self.random_state)


# %% [markdown]
# ## The experiment: a model with one important and one unimportant hyperparameter, and the demo


# %%
class LogisticRegressionGD(ClassifierMixin, BaseEstimator):
    """Logistic regression trained by n_steps full-batch gradient steps of learning rate lr > 0, with the
    L2 penalty 0.5 alpha ||w||^2 (alpha >= 0) added to the mean log-loss."""

    _domain = {"binary_only": True}  # two classes

    def __init__(self, lr=0.1, alpha=1e-4, n_steps=20):
        self.lr = lr
        self.alpha = alpha
        self.n_steps = n_steps

    def fit(self, X, y):
        """Run n_steps gradient steps from w = 0, b = 0 on two classes (classes_[1] is 1); returns self."""
        check_non_negative_int(self.n_steps, "n_steps")  # 0 steps: w = 0, b = 0
        X, labels = check_X_y(X, y, classification=True)
        self.classes_ = np.unique(labels)  # sorted
        if len(self.classes_) != 2:
            raise ValueError(f"Only binary classification is supported: y must hold 2 classes; got {len(self.classes_)} class(es) in the {len(X)} sample(s) of X")
        y = (labels == self.classes_[1]).astype(float)  # (n_samples,), 0 or 1
        check_positive_number(self.lr, "lr")
        check_positive_number(self.alpha, "alpha", allow_zero=True)
        w, b = np.zeros(X.shape[1]), 0.0  # (n_features,), float
        # Module 02's logistic-loss gradient, inline: the demo fits this model thousands of times.
        for _ in range(int(self.n_steps)):
            z = X @ w + b  # (n_samples,)
            residual = (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / len(y)  # (sigmoid(z) - y) / n, no overflow for any z
            w = w - self.lr * (X.T @ residual + self.alpha * w)
            b = b - self.lr * residual.sum()
        self.coef_, self.intercept_, self.n_features_in_ = w, b, X.shape[1]
        return self

    def decision_function(self, X):
        """The logits X w + b, shape (n_samples,)."""
        check_fitted(self, "coef_")
        return check_X(X, n_features=len(self.coef_)) @ self.coef_ + self.intercept_

    def predict(self, X):
        """classes_[1] where the logit is positive, else classes_[0]; shape (n_samples,)."""
        return np.where(self.decision_function(X) > 0, self.classes_[1], self.classes_[0])  # the logit first: it checks fit


def neg_log_loss(estimator, X, y):
    """Scorer: minus the mean log-loss of the estimator's logits (larger is better)."""
    z = estimator.decision_function(X)  # (n_samples,)
    return -float(np.mean(np.logaddexp(0.0, z) - y * z))  # log(1 + e^z) - y z, stable for any z


def shuffled_folds(n_samples, n_splits, rng):
    """Contiguous folds of a random permutation of the samples (module 03's shuffled KFold), as a list."""
    order = data.as_rng(rng).permutation(n_samples)  # (n_samples,)
    return [(order[train], order[test]) for train, test in grid_search.kfold_indices(n_samples, n_splits)]


def compare_grid_and_random(estimator, param_distributions, X, y, budget, n_repeats, cv=5, random_state=None, scoring=None):
    """Grid and random search with the same budget and folds, n_repeats times, each with a new random grid offset
    (a grid that happens to sit on the optimum is not favoured) and new candidates. Returns "grid" / "random" ->
    {"best_params": list of dicts, "best_score": (n_repeats,) array, "tried": list of candidate lists}."""
    rng = data.as_rng(random_state)
    results = {name: {"best_params": [], "best_score": np.empty(0), "tried": []} for name in ("grid", "random")}
    for _ in range(n_repeats):
        offset = {name: rng.uniform() for name in sorted(param_distributions)}
        grid = grid_search.GridSearchCV(estimator, grid_for_budget(param_distributions, budget, offset), scoring=scoring, cv=cv, refit=False)
        random = RandomizedSearchCV(estimator, param_distributions, n_iter=budget, scoring=scoring, cv=cv, refit=False, random_state=rng)
        for name, search in [("grid", grid.fit(X, y)), ("random", random.fit(X, y))]:
            results[name]["best_params"].append(search.best_params_)
            results[name]["best_score"] = np.append(results[name]["best_score"], search.best_score_)  # (repeats so far,)
            results[name]["tried"].append(search.cv_results_["params"])
    return results


def main():
    X, y = data.load_breast_cancer()
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised: one learning rate suits every feature
    space = {"alpha": loguniform(1e-5, 1e-3), "lr": loguniform(1e-3, 1e2)}
    budget, n_repeats = 9, (25 if utils.quick_mode() else 100)
    folds = shuffled_folds(len(X), 3, np.random.default_rng(0))  # the same 3 folds for every search below
    # 1. How much does each hyperparameter matter? The CV log-loss along lr, for three alphas.
    lrs, alphas = list(np.logspace(-3, 2, 21)), [1e-5, 1e-4, 1e-3]
    scan = grid_search.GridSearchCV(LogisticRegressionGD(), {"alpha": alphas, "lr": lrs}, scoring=neg_log_loss, cv=folds, refit=False).fit(X, y)
    scan_loss = -scan.cv_results_["mean_test_score"].reshape(len(alphas), len(lrs))  # (n_alpha, n_lr)
    # 2. One random search, as we would run it in practice.
    search = RandomizedSearchCV(LogisticRegressionGD(), space, n_iter=20, scoring=neg_log_loss, cv=folds, random_state=0).fit(X, y)
    print(f"RandomizedSearchCV, 20 candidates: best lr = {search.best_params_['lr']:.3g}, "
          f"alpha = {search.best_params_['alpha']:.2g}, CV log-loss = {-search.best_score_:.4f}")
    # 3. Grid against random with the same budget, many times.
    results = compare_grid_and_random(LogisticRegressionGD(), space, X, y, budget, n_repeats, cv=folds, random_state=1, scoring=neg_log_loss)
    best_lr = lrs[int(np.argmin(scan_loss.min(axis=0)))]
    print(f"\nSame budget ({budget} candidates x 3 folds), {n_repeats} repeats (a new grid offset and new samples each time);")
    print(f"the best lr on a fine scan is about {best_lr:.3g}, with CV log-loss {scan_loss.min():.4f}")
    print(f"{'search':<8}{'distinct lr tried':>18}{'best log-loss: mean':>21}{'median':>8}{'worst':>8}{'wins':>6}")
    for name, other in [("grid", "random"), ("random", "grid")]:
        distinct = np.mean([len({c["lr"] for c in tried}) for tried in results[name]["tried"]])
        loss, wins = -results[name]["best_score"], np.sum(results[name]["best_score"] > results[other]["best_score"])
        print(f"{name:<8}{distinct:>18.1f}{loss.mean():>21.4f}{np.median(loss):>8.4f}{loss.max():>8.4f}{wins:>6}")
    fig, (ax_scan, ax_tried) = plotting.new_figure(1, 2, width=5.2, height=4.0)
    ax_scan.plot(lrs, scan_loss.T, marker="o", markersize=3, label=[f"alpha = {alpha:g}" for alpha in alphas])  # one line per alpha
    ax_scan.set(xscale="log", yscale="log", ylim=(0.05, 1.0), xlabel="learning rate lr (log scale)", ylabel="mean 3-fold CV log-loss",
                title="lr matters; alpha hardly")
    ax_scan.legend(loc="lower left")
    grid = grid_search.parameter_grid(grid_for_budget(space, budget))  # the centred 3 x 3 grid
    sample = sample_parameters(space, budget, random_state=2)
    for tried, name, marker, color, rug in [(grid, "grid", "s", plotting.COLORS[0], 2.2e-6), (sample, "random", "o", plotting.COLORS[3], 4.5e-6)]:
        lr = [c["lr"] for c in tried]
        ax_tried.scatter(lr, [c["alpha"] for c in tried], marker=marker, s=50, color=color, label=f"{name}: {len(set(lr))} distinct lr")
        ax_tried.plot(lr, np.full(len(lr), rug), "|", color=color, markersize=14)  # the lr values each search tests
    ax_tried.axvline(best_lr, color="grey", linestyle="--", linewidth=1, label="best lr (fine scan)")
    ax_tried.set(xscale="log", yscale="log", xlim=(5e-4, 2e2), ylim=(1.5e-6, 3e-3), xlabel="lr (log scale); ticks: the lr values tried",
                 ylabel="alpha (log scale)", title=f"Budget {budget}: what each search tries")
    ax_tried.legend(loc="upper left", frameon=True, framealpha=0.9, edgecolor="white")
    plotting.show_or_save(fig, "ex02_random_search")


if __name__ == "__main__":
    main()
