"""
Exercise 22: percentiles, the IQR, skewness and the box plot

Learning goals
--------------
- Compute percentiles with linear interpolation (NumPy's default) and the interquartile range.
- Measure the asymmetry of a sample by its skewness, a scale-free third moment.
- Build a box plot from our own numbers: box, median, Tukey's whiskers and the outliers.

The math
--------
x has shape (n,): n observations x_1, ..., x_n of one feature, with mean x_bar.
    percentile q  sort x into x_(0) <= ... <= x_(n-1) (0-based) and put q in [0, 100] at the
                  virtual index h = (n - 1) q / 100. With j = floor(h) and t = h - j:
                      P_q = x_(j) + t (x_(j+1) - x_(j))       (linear interpolation)
                  P_50 is the median.
    IQR           P_75 - P_25, the width of the middle half of the data
    skewness      g_1 = m_3 / m_2^(3/2), with central moments m_k = (1/n) sum_i (x_i - x_bar)^k.
                  g_1 > 0: a long right tail (mean pulled above the median).
A box plot draws the box from P_25 to P_75, a line at the median, whiskers to the most extreme
points within 1.5 IQR of the box (Tukey's fences), and every point beyond the whiskers on its own.

Algorithm
---------
1. Check the sample: one dimension, at least one value, no NaN or inf.
2. Percentiles from the sorted sample by linear interpolation; the IQR from two of them.
3. Skewness from the second and third central moments.
4. Box plot: quartiles and median, then the points inside the fences give the whisker ends.

References: R. J. Hyndman, Y. Fan, "Sample quantiles in statistical packages", Am. Stat. 50(4),
1996 (our percentile is their definition 7); D. Freedman, R. Pisani, R. Purves, Statistics, 4th ed.,
ch. 4; J. W. Tukey, Exploratory Data Analysis, 1977 (box plots).
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex22_percentiles_box_plot.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array

# %% [markdown]
# ## Implementation


# %%
def percentile(x, q):
    """The q-th percentiles of x (n,) by linear interpolation (NumPy's default method), for q a float or
    floats in [0, 100]: a float, or an ndarray of the shape of q."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
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
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    if np.all(x == x[0]):
        raise ValueError("skewness is undefined for a constant sample x (its variance is 0)")
    # BEGIN SOLUTION
    # HINT 1: The third central moment, made scale-free by the second moment to the power 3/2.
    # HINT 2: m2 = mean(d**2), m3 = mean(d**3) with d = x - np.mean(x); skew = m3 / m2**1.5
    deviations = x - np.mean(x)  # (n,)
    m2, m3 = np.mean(deviations**2), np.mean(deviations**3)  # the central moments
    return float(m3 / m2**1.5)
    # END SOLUTION


def box_plot_stats(x, whis=1.5):
    """The numbers a box plot draws, as a dict that matplotlib's ``ax.bxp`` accepts: "q1", "med", "q3"
    (the box), "whislo", "whishi" (the whisker ends: the most extreme data points within whis * IQR of
    the box), "fliers" (ndarray of the points beyond the whiskers) and "mean"."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Quartiles and median from percentile; the whiskers reach the most extreme points
    # HINT 1: still inside q1 - whis IQR and q3 + whis IQR; everything beyond them is a flier.
    # HINT 2: inside = x[(x >= q1 - whis * iqr) & (x <= q3 + whis * iqr)]; whislo, whishi = inside.min(), inside.max()
    # HINT 3: q1, med, q3 = percentile(x, [25, 50, 75]); inside = points within the fences
    # HINT 3: return dict(q1, med, q3, whislo, whishi, fliers = x outside [whislo, whishi], mean=np.mean(x))
    q1, med, q3 = percentile(x, [25, 50, 75])
    inside = x[(x >= q1 - whis * (q3 - q1)) & (x <= q3 + whis * (q3 - q1))]  # (n_inside,): within the fences
    lo, hi = float(inside.min()), float(inside.max())
    return {"q1": q1, "med": med, "q3": q3, "whislo": lo, "whishi": hi, "mean": float(np.mean(x)),
            "fliers": x[(x < lo) | (x > hi)]}  # fliers (n_outliers,)
    # END SOLUTION



# %% [markdown]
# ## Demo


# %%
def main():
    X, _, feature_names, _ = data.load_wine(return_names=True)
    name = "magnesium"
    x = X[:, feature_names.index(name)]  # (178,), mg per litre, whole numbers
    q = np.array([10, 25, 50, 75, 90])
    print(f"Wine data: {name}, n = {x.size}\n{'statistic':<18}{'ours':>10}{'NumPy':>10}")
    for label, ours, ref in [*((f"P_{k}", p, r) for k, p, r in zip(q, percentile(x, q), np.percentile(x, q))),
                             ("IQR", iqr(x), np.subtract(*np.percentile(x, [75, 25])))]:
        print(f"{label:<18}{ours:>10.3f}{ref:>10.3f}")
    print(f"{'skewness':<18}{skewness(x):>10.3f}   (positive: a long right tail; mean {np.mean(x):.1f} > "
          f"median {percentile(x, 50):.1f})")

    fig, (ax_hist, ax_box) = plotting.new_figure(2, 1, width=7, height=3, sharex=True)
    ax_hist.hist(x, bins=25, color=plotting.COLORS[5], edgecolor="white")
    for k, p in zip(q, percentile(x, q)):
        ax_hist.axvline(p, color=plotting.COLORS[3], linestyle="--" if k == 50 else ":", linewidth=1.5)
    ax_hist.set(title=f"Wine {name}: percentiles 10, 25, 50, 75, 90; skewness {skewness(x):.2f}", ylabel="count")
    stats = box_plot_stats(x)
    ax_box.bxp([stats], orientation="horizontal", showmeans=True, widths=0.5)
    ax_box.set(title=f"Box plot from our numbers: IQR = {iqr(x):.1f}, {len(stats['fliers'])} outliers beyond 1.5 IQR",
               xlabel=f"{name} (mg/L)", yticks=[])
    plotting.show_or_save(fig, "ex22_percentiles_box_plot")


if __name__ == "__main__":
    main()
