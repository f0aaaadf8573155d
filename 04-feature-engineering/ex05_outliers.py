"""
Exercise 05: outliers, found by three rules

Learning goals
--------------
- Flag outliers with the z-score rule, Tukey's IQR fences and the modified
  z-score (median absolute deviation), and see why the first one is fooled by the
  very outliers it looks for (masking).
- Know what to do with a flag: check the value, fix it, drop it, or use a model
  that resists it (exercise 06's Huber loss).

The math
--------
For a sample x of shape (n_samples,) = (n,):

    z-score          z_i = (x_i - mean(x)) / std(x)                flag |z_i| > 3
    Tukey fences     Q1, Q3 = 25th, 75th percentiles, IQR = Q3 - Q1
                     flag x_i < Q1 - k IQR or x_i > Q3 + k IQR     (k = 1.5)
    modified z       MAD = median(|x - median(x)|)
                     M_i = 0.6745 (x_i - median(x)) / MAD          flag |M_i| > 3.5
(0.6745 is the 75th percentile of the standard normal, so MAD / 0.6745
estimates the standard deviation of normal data.) One huge value moves the mean
and inflates the std, hiding the others; medians and quantiles barely move.

Algorithm
---------
1. z-score: standardise with the mean and std; flag |z| > threshold.
2. Tukey: the quartiles by np.percentile, fences k IQR beyond them.
3. Modified z: median and MAD; a zero MAD flags every value off the median.
4. Demo: flag a sample with 8 planted outliers with each rule, count the hits.

References: B. Iglewicz, D. Hoaglin, How to Detect and Handle Outliers, ASQC, 1993
(modified z-score); J. W. Tukey, Exploratory Data Analysis, 1977 (fences).
Difficulty: 1 of 3, about 25 minutes.
Run: python 04-feature-engineering/ex05_outliers.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation: three outlier rules


# %%
def zscores(x):
    """(x - mean) / std with the population std (ddof=0); all zeros for a constant sample."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Distance from the mean in units of the standard deviation; a constant x has no outliers.
    # HINT 2: (x - mean(x)) / std(x), zeros when std == 0
    std = x.std()
    if std == 0:
        return np.zeros_like(x)
    return (x - x.mean()) / std  # (n_samples,)
    # END SOLUTION


def zscore_outliers(x, threshold=3.0):
    """True where |z-score| > threshold."""
    # BEGIN SOLUTION
    # HINT 1: Flag the points whose |z-score| exceeds the threshold.
    return np.abs(zscores(x)) > threshold
    # END SOLUTION


def tukey_fences(x, k=1.5):
    """The fences (Q1 - k IQR, Q3 + k IQR), with NumPy's default (linear) percentiles."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)
    if k < 0:
        raise ValueError(f"k must be non-negative; got {k}")
    # BEGIN SOLUTION
    # HINT 1: The fences sit k interquartile ranges outside the quartiles.
    # HINT 2: q1, q3 = np.percentile(x, [25, 75]); low, high = q1 - k (q3 - q1), q3 + k (q3 - q1)
    q1, q3 = np.percentile(x, [25, 75])
    iqr = q3 - q1
    return float(q1 - k * iqr), float(q3 + k * iqr)
    # END SOLUTION


def iqr_outliers(x, k=1.5):
    """True outside Tukey's fences."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)
    low, high = tukey_fences(x, k)
    # BEGIN SOLUTION
    # HINT 1: Outside the fences is an outlier.
    return (x < low) | (x > high)
    # END SOLUTION


def modified_zscores(x):
    """0.6745 (x - median) / MAD.

    When MAD = 0 (more than half the values equal the median), values at the median
    score 0 and every other value scores +-inf: any difference is infinitely many MADs.
    """
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Median and MAD replace mean and std, so the outliers cannot hide themselves.
    # HINT 2: mad = median(|x - median(x)|); M = 0.6745 (x - median) / mad; mad == 0: 0 or +-inf
    # HINT 3: deviation = x - np.median(x); mad = np.median(np.abs(deviation))
    # HINT 3: if mad == 0: return where(deviation == 0, 0.0, copysign(inf, deviation))
    # HINT 3: return 0.6745 * deviation / mad
    median = np.median(x)
    deviation = x - median  # (n_samples,)
    mad = np.median(np.abs(deviation))
    if mad == 0:
        return np.where(deviation == 0, 0.0, np.copysign(np.inf, deviation))
    return 0.6745 * deviation / mad
    # END SOLUTION


def mad_outliers(x, threshold=3.5):
    """True where |modified z-score| > threshold (Iglewicz and Hoaglin recommend 3.5)."""
    # BEGIN SOLUTION
    # HINT 1: Flag the points whose |modified z-score| exceeds the threshold.
    return np.abs(modified_zscores(x)) > threshold
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(7)
    # 1. One sample: 200 normal values and 8 planted outliers, three of them enormous.
    planted = np.array([5.5, -5.0, 6.0, 4.8, -5.2, 40.0, 55.0, -60.0])
    x = np.concatenate([rng.normal(0.0, 1.0, 200), planted])  # (208,)
    is_planted = np.arange(x.size) >= 200
    print("208 values: 200 from N(0, 1) and 8 planted outliers (5 moderate, 3 enormous)")
    print(f"{'rule':<26}{'flagged':>8}{'planted found':>15}{'false alarms':>14}")
    rules = {
        "z-score, |z| > 3": zscore_outliers(x),
        "Tukey fences, k = 1.5": iqr_outliers(x),
        "modified z, |M| > 3.5": mad_outliers(x),
    }
    for name, flags in rules.items():
        print(f"{name:<26}{flags.sum():8d}{(flags & is_planted).sum():>11d} / 8{(flags & ~is_planted).sum():14d}")
    print(f"(the enormous values inflate the std to {x.std():.1f}, so |z| > 3 means |x| > {3 * x.std() + x.mean():.1f})")

    fig, ax_rules = plotting.new_figure(width=7.0, height=4.3)
    inliers = np.abs(x) < 20
    ax_rules.hist(x[inliers], bins=40, color="grey", alpha=0.6, label="sample")
    shown = planted[np.abs(planted) < 20]
    ax_rules.plot(shown, np.zeros(shown.size), "v", color="black", markersize=8, label="planted outliers")
    med, mad = np.median(x), np.median(np.abs(x - np.median(x)))
    fences = {
        "z-score: mean +- 3 std": (x.mean() - 3 * x.std(), x.mean() + 3 * x.std()),
        "Tukey fences": tukey_fences(x),
        "modified z: 3.5 MAD / 0.6745": (med - 3.5 * mad / 0.6745, med + 3.5 * mad / 0.6745),
    }
    for (name, (lo, hi)), color, style in zip(fences.items(), plotting.COLORS[1:], ["-", "--", ":"]):
        for edge in (lo, hi):
            ax_rules.axvline(np.clip(edge, -20, 20), color=color, linestyle=style, linewidth=2, label=name if edge == lo else None)
    counts, _ = np.histogram(x[inliers], bins=40)
    ax_rules.set(xlim=(-20, 20), ylim=(0, 2.1 * counts.max()), title="Where each rule draws the line",
                 xlabel="x (3 values beyond +-40 not shown)", ylabel="count")
    ax_rules.legend(loc="upper center", fontsize=8, frameon=True, framealpha=1.0)

    plotting.show_or_save(fig, "ex05_outliers")


if __name__ == "__main__":
    main()
