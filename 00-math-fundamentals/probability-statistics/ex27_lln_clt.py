"""
Exercise 27: the law of large numbers and the central limit theorem

Learning goals
--------------
- Watch the running mean of i.i.d. draws settle on the expectation (the law of
  large numbers), and its wobble shrink like 1/sqrt(n).
- See the central limit theorem at work: means of a skewed distribution (the
  exponential), standardised, look more and more like N(0, 1) as n grows.
- Measure "looks like N(0, 1)" with the Kolmogorov-Smirnov distance.

The math
--------
X_1, X_2, ... are i.i.d. with mean mu and standard deviation sigma (finite).
The mean of the first n is X_bar_n = (1/n) sum_{i<=n} X_i, with
    E[X_bar_n] = mu,   sd(X_bar_n) = sigma / sqrt(n)   (the standard error).
Law of large numbers: X_bar_n -> mu as n -> infinity (with probability 1).
The running means can be updated one draw at a time:
    X_bar_k = X_bar_{k-1} + (X_k - X_bar_{k-1}) / k,
which never forms a huge sum (no overflow, little round-off).
Central limit theorem: the standardised mean
    Z_n = (X_bar_n - mu) / (sigma / sqrt(n))
has a distribution that approaches N(0, 1) as n grows, whatever the shape of
the X_i. For Exponential(1) (mu = sigma = 1, skewness 2) the skewness of X_bar_n
is 2 / sqrt(n), so the approach is slow at first and visible by n = 50.

Algorithm
---------
1. Draw a (n_paths, n) array of i.i.d. samples; running means by the update above,
   one column at a time, all paths at once.
2. For each n, draw n_repeats samples of size n: a (n_repeats, n) array; the mean
   of each row is one X_bar_n.
3. Their standard deviation estimates the standard error; standardise the means
   with the true mu and sigma, and compare their empirical CDF with Phi by the
   Kolmogorov-Smirnov distance (built in exercise 24).

References: L. Wasserman, All of Statistics, ch. 5; W. Feller, An Introduction
to Probability Theory and Its Applications, vol. 1, 3rd ed., ch. X.
Difficulty: 1 of 3, about 20 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex27_lln_clt.py
"""

# %%
import math

import numpy as np

import utils
from utils import plotting
from utils.validation import as_float_array, check_positive_int

# %% [markdown]
# ## Implementation


# %%
def running_mean(x):
    """The running means along the last axis of x, (n,) or (n_paths, n): out[..., k] = mean of x[..., :k + 1]."""
    x = as_float_array(x, "x")
    if x.ndim not in (1, 2) or x.shape[-1] == 0:
        raise ValueError(f"expected x of shape (n,) or (n_paths, n) with n >= 1; got {x.shape}")
    # BEGIN SOLUTION
    # HINT 1: Update the mean incrementally along the last axis, for all paths at once.
    # HINT 2: mean_k = mean_{k-1} + (x_k - mean_{k-1}) / k
    # HINT 3: out = empty_like(x); current = zeros(x.shape[:-1])
    # HINT 3: for k in range(n): current = current + (x[..., k] - current) / (k + 1); out[..., k] = current
    out = np.empty_like(x)  # (..., n)
    current = np.zeros(x.shape[:-1])  # (n_paths,) or (): the mean so far
    for k in range(x.shape[-1]):
        current = current + (x[..., k] - current) / (k + 1)  # X_bar_k from X_bar_{k-1}, all paths at once
        out[..., k] = current
    return out
    # END SOLUTION


def sample_means(draw, n, n_repeats, rng):
    """n_repeats independent means of n draws each, shape (n_repeats,); draw(rng, shape) gives i.i.d. samples."""
    n, n_repeats = check_positive_int(n, "n"), check_positive_int(n_repeats, "n_repeats")
    # BEGIN SOLUTION
    # HINT 1: Draw all repeats at once as rows of an (n_repeats, n) array and average each row.
    # HINT 2: draw(rng, (n_repeats, n)).mean(axis=1)
    samples = draw(rng, (n_repeats, n))  # (n_repeats, n): one sample of size n per row
    return samples.mean(axis=1)  # (n_repeats,)
    # END SOLUTION


def standardized_means(draw, mu, sigma, n, n_repeats, rng):
    """Z = (X_bar_n - mu) / (sigma / sqrt(n)) for n_repeats samples of size n; shape (n_repeats,)."""
    mu = as_float_array(mu, "mu", ndim=0)  # one population mean
    if not sigma > 0:
        raise ValueError(f"sigma must be positive; got {sigma}")
    # BEGIN SOLUTION
    # HINT 1: Centre by mu and divide by the standard error of the mean.
    # HINT 2: (means - mu) / (sigma / sqrt(n))
    return (sample_means(draw, n, n_repeats, rng) - mu) / (sigma / np.sqrt(n))
    # END SOLUTION


def spread_of_means(draw, ns, n_repeats, rng):
    """The standard deviation of X_bar_n over n_repeats samples, for each n in ns, shape (len(ns),):
    it estimates the standard error sigma / sqrt(n)."""
    # BEGIN SOLUTION
    # HINT 1: For each n, the standard deviation (ddof 1) of the sample means: it shrinks like 1/sqrt(n).
    return np.array([sample_means(draw, n, n_repeats, rng).std(ddof=1) for n in ns])  # (len(ns),)
    # END SOLUTION


def ks_distance_to_normal(z):
    """The Kolmogorov-Smirnov distance max |F_m - Phi| (exercise 24) between the samples z (m,) and N(0, 1)."""
    z = np.sort(as_float_array(z, "z", ndim=1, finite=True, allow_empty=False))  # (m,)
    phi = 0.5 * (1 + np.vectorize(math.erf, otypes=[float])(z / np.sqrt(2)))  # (m,): Phi(z), the normal CDF
    steps = np.arange(z.size + 1) / z.size  # (m + 1,): F_m jumps from steps[i] to steps[i + 1] at z[i]
    return float(max((steps[1:] - phi).max(), (phi - steps[:-1]).max()))  # the gap after / before each jump


def exponential_draw(rng, shape):
    """Exponential(1) draws: mean 1, standard deviation 1, skewness 2."""
    return rng.exponential(1.0, size=shape)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    n_max = 2_000 if utils.quick_mode() else 10_000
    paths = running_mean(exponential_draw(rng, (5, n_max)))  # (5, n_max)
    steps = np.arange(1, n_max + 1)  # (n_max,)

    ns, n_repeats, zs = [1, 2, 10, 50], 20_000, {}
    print(f"{'n':>4}{'sd of means':>13}{'1/sqrt(n)':>11}{'mean Z':>9}{'sd Z':>7}{'KS to N(0,1)':>14}")
    for n in ns:
        zs[n] = standardized_means(exponential_draw, 1.0, 1.0, n, n_repeats, rng)  # (n_repeats,)
        sd = spread_of_means(exponential_draw, [n], n_repeats, rng)[0]
        print(f"{n:>4}{sd:>13.4f}{1 / np.sqrt(n):>11.4f}{zs[n].mean():>9.3f}{zs[n].std():>7.3f}"
              f"{ks_distance_to_normal(zs[n]):>14.4f}")
    print(f"(Exponential(1) draws, {n_repeats} repeats; KS noise level about {0.9 / np.sqrt(n_repeats):.4f})")

    fig, axes = plotting.new_mosaic([["lln"] * len(ns), ns], width=3.2, height=3.2)
    ax = axes["lln"]
    for i, path in enumerate(paths):
        ax.plot(steps, path, color=plotting.COLORS[i], linewidth=1, label="running means (5 paths)" if i == 0 else None)
    band = 2 / np.sqrt(steps)  # (n_max,): two standard errors, sigma = 1
    ax.fill_between(steps, 1 - band, 1 + band, color="grey", alpha=0.2, label=r"$\mu \pm 2\sigma/\sqrt{n}$")
    ax.axhline(1.0, color="black", linestyle="--", label=r"$\mu$ = 1")
    ax.set(title="Law of large numbers: running means of 5 exponential sequences", xlabel="n (log scale)", xscale="log",
           ylabel="mean of the first n draws", ylim=(0, 2.5))
    ax.legend(loc="upper right")
    t = np.linspace(-4, 4, 300)  # (300,)
    for n in ns:  # the central limit theorem: standardised means of n exponential draws against N(0, 1)
        axes[n].hist(zs[n], bins=np.linspace(-4, 4, 50), density=True, color=plotting.COLORS[5], label="Z")
        axes[n].plot(t, np.exp(-t**2 / 2) / np.sqrt(2 * np.pi), color=plotting.COLORS[3], linewidth=2, label="N(0, 1)")
        axes[n].set(title=f"CLT, n = {n}: KS {ks_distance_to_normal(zs[n]):.3f}", xlabel="standardised mean Z", ylim=(0, 0.8))
    axes[ns[0]].legend(loc="upper left")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex27_lln_clt")


if __name__ == "__main__":
    main()
