"""
Exercise 29: confidence intervals, the bootstrap and the permutation test

Learning goals
--------------
- Build a 95 % confidence interval for a mean with the normal approximation and with Student's t, and
  check by simulation what "95 %" promises: the fraction of intervals that contain the true mean.
- Get an interval for any statistic (here the median) with the percentile bootstrap: resample the
  data with replacement and read off percentiles.
- Test whether two groups differ in mean with a permutation test; its two-sided p-value with the +1.

The math
--------
x has shape (n,): i.i.d. draws with unknown mean mu. With the sample mean x_bar and the sample
standard deviation s (ddof = 1), the standard error is s / sqrt(n), and
    x_bar +- c * s / sqrt(n)
is a confidence interval. For 95 %: c = z = 1.95996 (the 97.5 % point of N(0, 1), the normal
approximation, right for large n), or c = t_{n-1} (the 97.5 % point of Student's t with n - 1
degrees of freedom, exact for normal data; 2.262 for n = 10).
Coverage: over many repeated samples, the fraction of intervals that contain mu.
Percentile bootstrap for a statistic T: draw B resamples x*_b (n values drawn from x with
replacement), compute T*_b = T(x*_b), and report the alpha/2 and 1 - alpha/2 percentiles of
T*_1..T*_B (alpha = 0.05 for 95 %).
Permutation test for groups x (n_x,) and y (n_y,), statistic d = mean(x) - mean(y). Under H0 "both
groups come from the same distribution" every relabelling of the pooled n_x + n_y values is equally
likely. With B random relabellings d*_1..d*_B:
    p = (1 + #{b : |d*_b| >= |d|}) / (B + 1)      (two-sided).
The +1 counts the observed labelling itself; it keeps p > 0 and makes the test valid
(P(p <= alpha) <= alpha under H0) for any B.

Algorithm
---------
1. CI: x_bar, s, and x_bar -+ c s / sqrt(n) along the last axis (many samples at once).
2. Coverage: draw (n_trials, n) samples, build every interval, count hits.
3. Bootstrap: indices rng.integers(0, n, (B, n)); T on each row; np.percentile.
4. Permutation: B shuffled copies of the pooled data (B, n_x + n_y); split each row after n_x; compare |d*| with |d|.

References: L. Wasserman, All of Statistics, ch. 6.3 (confidence intervals), ch. 8 (the bootstrap) and
ch. 10.5 (permutation tests); B. Efron and R. Tibshirani, An Introduction to the Bootstrap, 1993,
ch. 13 and 15; B. Phipson and G. K. Smyth, "Permutation p-values should never be zero", Stat. Appl.
Genet. Mol. Biol. 9(1), 2010.
Difficulty: 2 of 3, about 35 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex29_confidence_intervals_bootstrap.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_positive_int

# 97.5 % points for two-sided 95 % intervals, from standard tables (NIST/SEMATECH e-Handbook of
# Statistical Methods, 1.3.6.7.1-2); the tests check them against SciPy.
Z_975 = 1.959963984540054
T_975 = {4: 2.776445, 9: 2.262157, 19: 2.093024, 29: 2.045230}  # degrees of freedom -> t quantile

# %% [markdown]
# ## Implementation


# %%
def mean_confidence_interval(x, critical_value):
    """(low, high): the interval x_bar -+ critical_value * s / sqrt(n) along the last axis of x, (n,) or
    (n_samples, n) with n >= 2; floats, or ndarrays (n_samples,). critical_value > 0: Z_975 or T_975[n - 1]."""
    x = as_float_array(x, "x")
    if x.ndim not in (1, 2) or x.shape[-1] < 2:
        raise ValueError(f"expected x of shape (n,) or (n_samples, n) with n >= 2; got {x.shape}")
    if not critical_value > 0:
        raise ValueError(f"critical_value must be positive; got {critical_value}")
    # BEGIN SOLUTION
    # HINT 1: Mean plus or minus critical_value standard errors, along the last axis.
    # HINT 2: se = std(x, ddof=1) / sqrt(n); (mean - cv * se, mean + cv * se)
    centre = x.mean(axis=-1)  # (...,)
    half_width = critical_value * x.std(axis=-1, ddof=1) / np.sqrt(x.shape[-1])  # (...,): c times the standard error
    return (centre - half_width)[()], (centre + half_width)[()]
    # END SOLUTION


def coverage(draw, true_mean, n, n_trials, critical_value, random_state=None):
    """The fraction of n_trials intervals (each from a fresh sample of size n) that contain true_mean;
    draw(rng, shape) returns i.i.d. samples of the population with mean true_mean."""
    n, n_trials = check_positive_int(n, "n"), check_positive_int(n_trials, "n_trials")
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: Draw many samples at once, build an interval for each, count how often it holds true_mean.
    # HINT 2: coverage = mean(low <= true_mean <= high)
    samples = draw(rng, (n_trials, n))  # (n_trials, n): one sample per row
    low, high = mean_confidence_interval(samples, critical_value)  # (n_trials,) each
    return float(np.mean((low <= true_mean) & (true_mean <= high)))
    # END SOLUTION


def bootstrap_distribution(x, statistic, n_resamples=2000, random_state=None):
    """statistic(resample, axis=1), shape (n_resamples,), for n_resamples resamples of x with replacement;
    statistic must take an ``axis`` argument, like np.mean or np.median."""
    x = as_float_array(x, "x")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must be a 1-D sample of shape (n,) with n >= 2; got {x.shape}")
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: Resample with replacement: an (n_resamples, n) matrix of random indices, statistic per row.
    # HINT 2: idx = rng.integers(0, n, size=(B, n)); statistic(x[idx], axis=1)
    idx = rng.integers(0, x.size, size=(n_resamples, x.size))  # (B, n): row b lists the draws of resample b
    return statistic(x[idx], axis=1)  # (B,)
    # END SOLUTION


def bootstrap_percentile_ci(x, statistic=np.median, confidence=0.95, n_resamples=2000, random_state=None):
    """The percentile-bootstrap confidence interval (low, high) for statistic(x)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1); got {confidence}")
    # BEGIN SOLUTION
    # HINT 1: Take the alpha/2 and 1 - alpha/2 percentiles of the bootstrap distribution.
    # HINT 2: np.percentile(boot, [100 alpha / 2, 100 (1 - alpha / 2)]), alpha = 1 - confidence
    boot, alpha = bootstrap_distribution(x, statistic, n_resamples, random_state), 1 - confidence  # boot (B,)
    low, high = np.percentile(boot, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(low), float(high)
    # END SOLUTION


def permutation_test(x, y, n_resamples=9999, random_state=None):
    """Two-sided permutation test of H0: x and y come from the same distribution, with d = mean(x) - mean(y).

    Returns (observed, p_value, null): d on the real labelling; (1 + #{|d*| >= |d|}) / (n_resamples + 1)
    in (0, 1]; and d* on the shuffled labellings, shape (n_resamples,).
    """
    x = as_float_array(x, "x", ndim=1, allow_empty=False)  # (n_x,)
    y = as_float_array(y, "y", ndim=1, allow_empty=False)  # (n_y,)
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: Under the null the labels are exchangeable: shuffle the pooled data many times, recompute the
    # HINT 1: difference of means, and count how often it is at least as extreme as observed.
    # HINT 2: p = (1 + #{|null| >= |observed| - slack}) / (B + 1)
    # HINT 3: observed = x.mean() - y.mean(); shuffled = rng.permuted(np.tile(concat([x, y]), (B, 1)), axis=1)
    # HINT 3: null = shuffled[:, :n_x].mean(1) - shuffled[:, n_x:].mean(1); count extremes with a small
    # HINT 3: relative slack; return observed, (1 + extreme) / (B + 1), null
    observed = x.mean() - y.mean()
    pooled = np.concatenate([x, y])  # (n_x + n_y,)
    shuffled = rng.permuted(np.tile(pooled, (n_resamples, 1)), axis=1)  # (B, n_x + n_y), each row shuffled
    null = shuffled[:, : x.size].mean(axis=1) - shuffled[:, x.size :].mean(axis=1)  # (B,)
    # A relabelling that reproduces |d| exactly may differ from it in the last bits (the sums run in
    # another order), so "as extreme" allows a relative round-off slack.
    slack = 1e-9 * max(abs(observed), np.abs(pooled).max())
    extreme = np.count_nonzero(np.abs(null) >= abs(observed) - slack)
    return float(observed), (1 + extreme) / (n_resamples + 1), null
    # END SOLUTION


def normal_draw(rng, shape, mu=5.0, sigma=2.0):
    """Draws from N(mu, sigma^2), the population of the coverage experiment."""
    return rng.normal(mu, sigma, size=shape)


# %% [markdown]
# ## Demo


# %%
def main():
    n, n_trials = 10, (2_000 if utils.quick_mode() else 20_000)
    print(f"Coverage of nominal 95 % intervals for a mean, samples of size n = {n}, {n_trials} trials "
          f"(Monte Carlo error about {np.sqrt(0.95 * 0.05 / n_trials):.3f})\n{'population':<24}{'normal z':>10}{'Student t':>11}")
    for name, draw, mu in [("N(5, 4)", normal_draw, 5.0), ("Exponential(1), skewed", lambda g, s: g.exponential(1.0, s), 1.0)]:
        print(f"{name:<24}{coverage(draw, mu, n, n_trials, Z_975, 1):>10.3f}{coverage(draw, mu, n, n_trials, T_975[n - 1], 1):>11.3f}")
    X, y, names, _ = data.load_wine(return_names=True)
    proline = X[y == 0, names.index("proline")]  # (59,), cultivar 0
    low, high = bootstrap_percentile_ci(proline, np.median, random_state=2)
    boot = bootstrap_distribution(proline, np.median, random_state=2)  # (2000,), the same resamples
    print(f"\nWine cultivar 0, proline: median {np.median(proline):.1f}, 95 % bootstrap CI [{low:.1f}, {high:.1f}]\n\n"
          f"Permutation tests, cultivar 0 vs 1, d = difference in means, 9999 relabellings\n{'feature':<18}{'d':>10}{'p-value':>10}")
    results = {}
    for feature in ("alcohol", "proanthocyanins", "hue"):
        results[feature] = permutation_test(*(X[y == c, names.index(feature)] for c in (0, 1)), random_state=3)
        print(f"{feature:<18}{results[feature][0]:>10.3f}{results[feature][1]:>10.4f}")
    fig, (ax_ci, ax_boot, ax_perm) = plotting.new_figure(1, 3, width=4.5, height=4)
    lo, hi = mean_confidence_interval(normal_draw(np.random.default_rng(8), (50, n)), T_975[n - 1])  # (50,) each: 50 experiments
    hit = (lo <= 5.0) & (5.0 <= hi)  # (50,)
    ax_ci.hlines(np.arange(50), lo, hi, colors=np.where(hit, plotting.COLORS[0], plotting.COLORS[3]), linewidths=np.where(hit, 2, 3))
    ax_ci.axvline(5.0, color="black", linestyle="--", label=r"true mean $\mu$ = 5")
    ax_ci.plot([], [], color=plotting.COLORS[3], linewidth=3, label=f"misses: {np.sum(~hit)} of 50")
    ax_ci.set(title=f"50 t-intervals (95 %), n = {n}", xlabel="interval for the mean", ylabel="experiment", ylim=(-1, 58))
    ax_ci.legend(loc="upper right", ncols=2, frameon=True, framealpha=0.95)
    ax_boot.hist(boot, bins=30, color=plotting.COLORS[5])
    ax_boot.axvline(np.median(proline), color="black", linewidth=2, label=f"sample median {np.median(proline):.0f}")
    ax_boot.axvspan(low, high, color=plotting.COLORS[3], alpha=0.15, label=f"95 % CI [{low:.0f}, {high:.0f}]")
    ax_boot.set(title="Bootstrap: median proline, cultivar 0", xlabel="median of a resample", ylabel="count")
    ax_boot.legend(loc="upper right", frameon=True, framealpha=0.95)
    d, p, null = results["proanthocyanins"]
    ax_perm.hist(null, bins=40, color=plotting.COLORS[5], label="d after relabelling (H0)")
    ax_perm.vlines([d, -d], 0, 1, transform=ax_perm.get_xaxis_transform(), color="black", label=f"observed ±d = ±{abs(d):.3f}")
    ax_perm.set(title=f"Permutation test, proanthocyanins: p = {p:.4f}", xlabel="difference in means", ylabel="count")
    ax_perm.set_ylim(0, ax_perm.get_ylim()[1] * 1.25)  # headroom for the legend
    ax_perm.legend(loc="upper left", frameon=True, framealpha=0.95)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex29_confidence_intervals_bootstrap")


if __name__ == "__main__":
    main()
