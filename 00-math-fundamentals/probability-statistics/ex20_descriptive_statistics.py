"""
Exercise 20: descriptive statistics, the numbers that summarise a sample

Learning goals
--------------
- Compute the centre of a sample three ways (mean, median, mode); see why they disagree on a skewed feature.
- Tell the population variance (divide by n) from the sample variance (divide by n - 1, "ddof=1")
  and see the bias that the n - 1 removes.
- Compute percentiles with linear interpolation (NumPy's default), the IQR and the skewness, and
  build a box plot from our own numbers.

The math
--------
x has shape (n,): n observations x_1, ..., x_n of one feature.
    mean          x_bar = (1/n) sum_i x_i
    median        the middle value of the sorted sample (the mean of the two middle ones for even n)
    mode          the most frequent value (ties: we return the smallest)
    variance      s^2 = sum_i (x_i - x_bar)^2 / (n - ddof)
                  ddof = 0: the population variance (the maximum-likelihood one);
                  ddof = 1: the sample variance, unbiased: E[s^2] = sigma^2.
    std           s = sqrt(s^2)
    percentile q  sort x into x_(0) <= ... <= x_(n-1) (0-based) and put q in [0, 100] at the
                  virtual index h = (n - 1) q / 100. With j = floor(h) and t = h - j:
                      P_q = x_(j) + t (x_(j+1) - x_(j))       (linear interpolation)
    IQR           P_75 - P_25, the width of the middle half of the data
    skewness      g_1 = m_3 / m_2^(3/2), with central moments m_k = (1/n) sum_i (x_i - x_bar)^k.
                  g_1 > 0: a long right tail (mean pulled above the median).
A box plot draws the box from P_25 to P_75, a line at the median, whiskers to the most extreme
points within 1.5 IQR of the box (Tukey's fences), and every point beyond the whiskers on its own.

Algorithm
---------
1. Check the sample: one dimension, at least one value, no NaN or inf.
2. Mean and variance by the two-pass formula (first x_bar, then the squared deviations), which is
   accurate even when the values share a huge offset.
3. Median and percentiles from the sorted sample by linear interpolation.
4. Mode by counting each distinct value.
5. Skewness from the second and third central moments.

References: D. Freedman, R. Pisani, R. Purves, Statistics, 4th ed., ch. 4; R. J. Hyndman, Y. Fan,
"Sample quantiles in statistical packages", Am. Stat. 50(4), 1996 (our percentile is their
definition 7); J. W. Tukey, Exploratory Data Analysis, 1977 (box plots).
Difficulty: 1 of 3, about 35 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex20_descriptive_statistics.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_option

# %% [markdown]
# ## Implementation


# %%
def _as_sample(x):  # a 1-D float sample with at least one value and no NaN or inf
    x = as_float_array(x, "x", finite=True)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D sample of shape (n,); got shape {x.shape}")
    return x


def mean(x):
    """The arithmetic mean of a sample of shape (n,)."""
    x = _as_sample(x)
    # BEGIN SOLUTION
    # HINT 1: Add everything up and divide by the count (no np.mean: that is what you are building).
    return float(np.sum(x) / x.size)
    # END SOLUTION


def median(x):
    """The middle value of the sorted sample (average of the two middle ones for even n)."""
    x = _as_sample(x)
    # BEGIN SOLUTION
    # HINT 1: Sort; take the middle value, or the average of the two middle values for an even count.
    # HINT 2: s = sort(x); odd n: s[n // 2]; even n: (s[n//2 - 1] + s[n//2]) / 2
    s, mid = np.sort(x), x.size // 2  # s (n,) sorted
    return float(s[mid]) if s.size % 2 == 1 else float((s[mid - 1] + s[mid]) / 2)
    # END SOLUTION


def mode(x):
    """(value, count): the most frequent value (a float) and how often it occurs; on a tie, the smallest."""
    x = _as_sample(x)
    # BEGIN SOLUTION
    # HINT 1: Count each distinct value; the most frequent wins, ties going to the smallest value.
    # HINT 2: values, counts = np.unique(x, return_counts=True); best = argmax(counts)
    values, counts = np.unique(x, return_counts=True)  # (n_distinct,) each, values sorted ascending
    best = int(np.argmax(counts))  # argmax returns the first maximum: the smallest tied value
    return float(values[best]), int(counts[best])
    # END SOLUTION


def variance(x, ddof=0):
    """sum (x_i - mean)^2 / (n - ddof): ddof=0 population, ddof=1 sample (unbiased) variance."""
    x = _as_sample(x)
    check_option(ddof, "ddof", (0, 1))  # 0: population, 1: sample
    if x.size - ddof <= 0:
        raise ValueError(f"the sample variance (ddof=1) needs at least 2 values; got {x.size}")
    # BEGIN SOLUTION
    # HINT 1: Two passes: subtract the mean first, then square and average; ddof lowers the divisor.
    # HINT 2: sum((x - mean(x))**2) / (n - ddof)
    # Two passes: the one-pass shortcut mean(x**2) - mean(x)**2 subtracts two nearly equal huge numbers
    # when the data sit far from 0 (1e9 + small noise) and can lose every digit.
    return float(np.sum((x - mean(x)) ** 2) / (x.size - ddof))  # deviations (n,), squared and summed
    # END SOLUTION


def std(x, ddof=0):
    """The standard deviation, sqrt(variance(x, ddof))."""
    x = _as_sample(x)
    # Values near 1e300 square to inf although their std is an ordinary number: std(x / s) * s.
    s = np.max(np.abs(x))
    if s > 1e150:
        return float(s * std(x / s, ddof))
    # BEGIN SOLUTION
    # HINT 1: The square root of the variance with the same ddof.
    return float(np.sqrt(variance(x, ddof)))
    # END SOLUTION


def percentile(x, q):
    """The q-th percentiles of x (n,) by linear interpolation (NumPy's default method), for q a float or
    floats in [0, 100]: a float, or an ndarray of the shape of q."""
    x = _as_sample(x)
    q_arr = as_float_array(q, "q")
    if np.any(~np.isfinite(q_arr)) or np.any((q_arr < 0) | (q_arr > 100)):
        raise ValueError(f"percentiles q must lie in [0, 100]; got {q}")
    # BEGIN SOLUTION
    # HINT 1: Linear interpolation between order statistics: q maps to a fractional index into the
    # HINT 1: sorted data, between position 0 (q = 0) and n - 1 (q = 100).
    # HINT 2: h = (n - 1) q / 100; lo = floor(h); hi = min(lo + 1, n - 1); s[lo] + (h - lo)(s[hi] - s[lo])
    # HINT 3: s = np.sort(x); h = (s.size - 1) * q_arr / 100; lo = floor(h).astype(int)
    # HINT 3: hi = np.minimum(lo + 1, s.size - 1); result = s[lo] + (h - lo) * (s[hi] - s[lo]); float if 0-d
    s = np.sort(x)  # (n,)
    h = (s.size - 1) * q_arr / 100.0  # virtual (fractional) index, shape of q
    lo = np.floor(h).astype(int)  # index just below, shape of q
    hi = np.minimum(lo + 1, s.size - 1)  # index just above (stays inside for q = 100)
    result = s[lo] + (h - lo) * (s[hi] - s[lo])  # shape of q; h - lo in [0, 1) is how far between the two
    return float(result) if result.ndim == 0 else result
    # END SOLUTION


def iqr(x):
    """The interquartile range P_75 - P_25."""
    # BEGIN SOLUTION
    # HINT 1: The distance between the 75th and the 25th percentile.
    q1, q3 = percentile(x, [25, 75])
    return float(q3 - q1)
    # END SOLUTION


def skewness(x):
    """The (biased, population) skewness g_1 = m_3 / m_2^(3/2) of a sample of shape (n,); a ValueError for
    a constant sample (then m_2 = m_3 = 0 and g_1 is 0/0)."""
    x = _as_sample(x)
    if np.all(x == x[0]):
        raise ValueError("skewness is undefined for a constant sample x (its variance is 0)")
    # BEGIN SOLUTION
    # HINT 1: The third central moment, made scale-free by the second moment to the power 3/2.
    # HINT 2: m2 = mean(d**2), m3 = mean(d**3) with d = x - mean(x); skew = m3 / m2**1.5
    deviations = x - mean(x)  # (n,)
    m2, m3 = np.mean(deviations**2), np.mean(deviations**3)  # the central moments
    return float(m3 / m2**1.5)
    # END SOLUTION


def box_plot_stats(x, whis=1.5):
    """The numbers a box plot draws, as a dict that matplotlib's ``ax.bxp`` accepts: "q1", "med", "q3"
    (the box), "whislo", "whishi" (the whisker ends: the most extreme data points within whis * IQR of
    the box), "fliers" (ndarray of the points beyond the whiskers) and "mean"."""
    x = _as_sample(x)
    # BEGIN SOLUTION
    # HINT 1: Quartiles and median from percentile; the whiskers reach the most extreme points
    # HINT 1: still inside q1 - whis IQR and q3 + whis IQR; everything beyond them is a flier.
    # HINT 2: inside = x[(x >= q1 - whis * iqr) & (x <= q3 + whis * iqr)]; whislo, whishi = inside.min(), inside.max()
    # HINT 3: q1, med, q3 = percentile(x, [25, 50, 75]); inside = points within the fences
    # HINT 3: return dict(q1, med, q3, whislo, whishi, fliers = x outside [whislo, whishi], mean=mean(x))
    q1, med, q3 = percentile(x, [25, 50, 75])
    inside = x[(x >= q1 - whis * (q3 - q1)) & (x <= q3 + whis * (q3 - q1))]  # (n_inside,): within the fences
    lo, hi = float(inside.min()), float(inside.max())
    return {"q1": q1, "med": med, "q3": q3, "whislo": lo, "whishi": hi, "mean": mean(x),
            "fliers": x[(x < lo) | (x > hi)]}  # fliers (n_outliers,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    X, _, feature_names, _ = data.load_wine(return_names=True)
    name = "magnesium"
    x = X[:, feature_names.index(name)]  # (178,), mg per litre, whole numbers
    value, count = mode(x)
    print(f"Wine data: {name}, n = {x.size}\n{'statistic':<18}{'ours':>10}{'NumPy':>10}")
    for label, ours, ref in [("mean", mean(x), np.mean(x)), ("median", median(x), np.median(x)),
                             ("variance (ddof=0)", variance(x, 0), np.var(x)),
                             ("variance (ddof=1)", variance(x, 1), np.var(x, ddof=1)),
                             ("std (ddof=1)", std(x, 1), np.std(x, ddof=1)),
                             ("10th percentile", percentile(x, 10), np.percentile(x, 10)),
                             ("IQR", iqr(x), np.subtract(*np.percentile(x, [75, 25])))]:
        print(f"{label:<18}{ours:>10.3f}{ref:>10.3f}")
    print(f"{'skewness':<18}{skewness(x):>10.3f}   (positive: a long right tail)\n"
          f"{'mode':<18}{value:>10.3f}   (appears {count} times)")

    # Why n - 1? Average both variances over many small samples from N(0, 1), true variance 1.
    small = np.random.default_rng(0).standard_normal((4000, 5))  # (n_repeats, 5): 4000 samples of size 5
    pop, samp = (np.mean([variance(row, ddof) for row in small]) for ddof in (0, 1))
    print(f"\nSamples of size 5 from N(0, 1): mean of ddof=0 variance {pop:.3f} "
          f"(theory 4/5 = 0.8), of ddof=1 variance {samp:.3f} (theory 1)")

    fig, (ax_hist, ax_box) = plotting.new_figure(2, 1, width=7, height=3, sharex=True)
    ax_hist.hist(x, bins=25, color=plotting.COLORS[5], edgecolor="white")
    for i, (label, v, style) in enumerate([("mean", mean(x), "-"), ("median", median(x), "--"), ("mode", value, ":")]):
        ax_hist.axvline(v, color=plotting.COLORS[(3, 0, 2)[i]], linestyle=style, linewidth=2, label=f"{label} = {v:.1f}")
    ax_hist.set(title=f"Wine {name}: skewness {skewness(x):.2f}", ylabel="count")
    ax_hist.legend()
    stats = box_plot_stats(x)
    ax_box.bxp([stats], orientation="horizontal", showmeans=True, widths=0.5)
    ax_box.set(title=f"Box plot from our numbers: IQR = {iqr(x):.1f}, {len(stats['fliers'])} outliers beyond 1.5 IQR",
               xlabel=f"{name} (mg/L)", yticks=[])
    plotting.show_or_save(fig, "ex20_descriptive_statistics")


if __name__ == "__main__":
    main()
