"""
Exercise 21: centre and spread, the mean, median, mode and variance of a sample

Learning goals
--------------
- Compute the centre of a sample three ways (mean, median, mode); see why they disagree on a skewed feature.
- Tell the population variance (divide by n) from the sample variance (divide by n - 1, "ddof=1")
  and see the bias that the n - 1 removes.
- Compute the variance by two passes, so that a huge common offset costs no digits.

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
Why n - 1: the deviations are measured from x_bar, which sits closer to the sample than the true
mean does, so E[sum_i (x_i - x_bar)^2] = (n - 1) sigma^2 and dividing by n is low by a factor (n - 1) / n.

Algorithm
---------
1. Check the sample: one dimension, at least one value, no NaN or inf.
2. Mean and variance by the two-pass formula (first x_bar, then the squared deviations), which is
   accurate even when the values share a huge offset.
3. Median from the sorted sample; mode by counting each distinct value.

References: D. Freedman, R. Pisani, R. Purves, Statistics, 4th ed., ch. 4;
L. Wasserman, All of Statistics, ch. 3 (expectation and variance).
Difficulty: 1 of 3, about 15 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex21_centre_and_spread.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_option

# %% [markdown]
# ## Implementation


# %%
def mean(x):
    """The arithmetic mean of a sample of shape (n,)."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Add everything up and divide by the count (no np.mean: that is what you are building).
    return float(np.sum(x) / x.size)
    # END SOLUTION


def median(x):
    """The middle value of the sorted sample (average of the two middle ones for even n)."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Sort; take the middle value, or the average of the two middle values for an even count.
    # HINT 2: s = sort(x); odd n: s[n // 2]; even n: (s[n//2 - 1] + s[n//2]) / 2
    s, mid = np.sort(x), x.size // 2  # s (n,) sorted
    return float(s[mid]) if s.size % 2 == 1 else float((s[mid - 1] + s[mid]) / 2)
    # END SOLUTION


def mode(x):
    """(value, count): the most frequent value (a float) and how often it occurs; on a tie, the smallest."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Count each distinct value; the most frequent wins, ties going to the smallest value.
    # HINT 2: values, counts = np.unique(x, return_counts=True); best = argmax(counts)
    values, counts = np.unique(x, return_counts=True)  # (n_distinct,) each, values sorted ascending
    best = int(np.argmax(counts))  # argmax returns the first maximum: the smallest tied value
    return float(values[best]), int(counts[best])
    # END SOLUTION


def variance(x, ddof=0):
    """sum (x_i - mean)^2 / (n - ddof): ddof=0 population, ddof=1 sample (unbiased) variance."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    check_option(ddof, "ddof", (0, 1))  # 0: population, 1: sample
    if x.size - ddof <= 0:
        raise ValueError(f"the sample variance (ddof=1) needs at least 2 values; got {x.size}")
    # BEGIN SOLUTION
    # HINT 1: Two passes: subtract the mean first, then square and average; ddof lowers the divisor.
    # HINT 2: sum((x - mean(x))**2) / (n - ddof)
    # HINT 3: deviations = x - mean(x); return float(np.sum(deviations**2) / (x.size - ddof))
    # Two passes: the one-pass shortcut mean(x**2) - mean(x)**2 subtracts two nearly equal huge numbers
    # when the data sit far from 0 (1e9 + small noise) and can lose every digit.
    return float(np.sum((x - mean(x)) ** 2) / (x.size - ddof))  # deviations (n,), squared and summed
    # END SOLUTION


def std(x, ddof=0):
    """The standard deviation, sqrt(variance(x, ddof))."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)  # (n,)
    # Values near 1e300 square to inf although their std is an ordinary number: std(x / s) * s.
    s = np.max(np.abs(x))
    if s > 1e150:
        return float(s * std(x / s, ddof))
    # BEGIN SOLUTION
    # HINT 1: The square root of the variance with the same ddof.
    return float(np.sqrt(variance(x, ddof)))
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
                             ("std (ddof=1)", std(x, 1), np.std(x, ddof=1))]:
        print(f"{label:<18}{ours:>10.3f}{ref:>10.3f}")
    print(f"{'mode':<18}{value:>10.3f}   (appears {count} times)")

    # Why n - 1? Average both variances over many small samples from N(0, 1), true variance 1.
    rng, sizes = np.random.default_rng(0), np.arange(2, 11)
    draws = [rng.standard_normal((2000, n)) for n in sizes]  # (2000, n) each: 2000 samples of size n
    averages = {ddof: [np.mean([variance(row, ddof) for row in d]) for d in draws] for ddof in (0, 1)}
    print(f"\nSamples of size 5 from N(0, 1): mean of ddof=0 variance {averages[0][3]:.3f} "
          f"(theory 4/5 = 0.8), of ddof=1 variance {averages[1][3]:.3f} (theory 1)")

    fig, (ax_hist, ax_bias) = plotting.new_figure(1, 2, width=5.5, height=4.0)
    ax_hist.hist(x, bins=25, color=plotting.COLORS[5], edgecolor="white")
    for i, (label, v, style) in enumerate([("mean", mean(x), "-"), ("median", median(x), "--"), ("mode", value, ":")]):
        ax_hist.axvline(v, color=plotting.COLORS[(3, 0, 2)[i]], linestyle=style, linewidth=2, label=f"{label} = {v:.1f}")
    ax_hist.set(title=f"Wine {name}: three centres", xlabel=f"{name} (mg/L)", ylabel="count")
    ax_hist.legend()
    for ddof, marker in ((0, "o"), (1, "s")):
        ax_bias.plot(sizes, averages[ddof], marker=marker, label=f"ddof={ddof}")
    ax_bias.plot(sizes, (sizes - 1) / sizes, "k:", label="theory (n - 1) / n")
    ax_bias.axhline(1.0, color="black", lw=0.8)
    ax_bias.set(xlabel="sample size n", ylabel="average variance (true 1)", title="Dividing by n - 1 removes the bias")
    ax_bias.legend()
    plotting.show_or_save(fig, "ex21_centre_and_spread")


if __name__ == "__main__":
    main()
