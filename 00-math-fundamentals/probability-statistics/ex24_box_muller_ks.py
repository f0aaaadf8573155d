"""
Exercise 24: normal draws by the Box-Muller transform, checked by the Kolmogorov-Smirnov distance

Learning goals
--------------
- Know the normal distribution: its density, its CDF through the error function, mean and variance.
- Turn pairs of uniform random numbers into independent standard normals (Box-Muller), where the
  inverse transform has no closed form.
- Check a sampler against its distribution: a histogram over the density, and the
  Kolmogorov-Smirnov distance between the empirical and the true CDF, which shrinks like 1/sqrt(n)
  for a correct sampler and stalls for a wrong one.

The math
--------
U ~ Uniform(0, 1) is a uniform random number in [0, 1).
    Normal(mu, s^2)  f(x) = exp(-(x-mu)^2 / (2 s^2)) / sqrt(2 pi s^2);  mean mu, variance s^2
    CDF  Phi((x - mu) / s),  Phi(z) = (1 + erf(z / sqrt(2))) / 2
Phi^{-1} has no closed form, so inverse-transform sampling (exercise 23) is awkward here.
Box-Muller: with U_1, U_2 independent, R = sqrt(-2 log(1 - U_1)) and theta = 2 pi U_2, the pair
(R cos theta, R sin theta) is two independent N(0, 1): in polar coordinates the 2-D standard
normal has a uniform angle and R^2 ~ Exponential(1/2), which is -2 log(1 - U_1) by inverse transform.
Kolmogorov-Smirnov distance of samples x of shape (n,) from a CDF F:
    D = max over x of |F_n(x) - F(x)|,  F_n(x) = (number of samples <= x) / n.
With the samples sorted, x_(1) <= ... <= x_(n), F_n jumps from (i-1)/n to i/n at x_(i), so
    D = max_i max(i/n - F(x_(i)), F(x_(i)) - (i-1)/n).
For a correct sampler D shrinks like 1/sqrt(n) (about 1.36/sqrt(n) at most, 95 % of the time).

Algorithm
---------
1. Draw ceil(size / 2) pairs of uniforms with rng.random; radius and angle as above; the cosines
   and the sines are the normals; drop the spare one when size is odd.
2. Sort the samples, evaluate the true CDF there, and take the largest gap just after and just
   before each jump of the empirical CDF.
3. Compare the KS distance of Box-Muller draws with that of a wrong sampler as n grows.

References: G. E. P. Box, M. E. Muller, Ann. Math. Statist. 29(2), 1958; L. Devroye,
Non-Uniform Random Variate Generation, Springer 1986, ch. 5; L. Wasserman, All of Statistics, ch. 2-3.
Difficulty: 2 of 3, about 15 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex24_box_muller_ks.py
"""

# %%
import math

import numpy as np

from utils import plotting
from utils.validation import as_float_array, check_positive_int, check_positive_number

# %% [markdown]
# ## The normal distribution


# %%
def normal_pdf(x, mu=0.0, sigma=1.0):
    """Density of Normal(mu, sigma^2) at x (any shape)."""
    sigma, x = check_positive_number(sigma, "sigma"), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Standardise x first; the density is a Gaussian bump in z divided by sigma.
    # HINT 2: z = (x - mu) / sigma; exp(-z**2 / 2) / (sigma * sqrt(2 pi))
    z = (x - mu) / sigma  # shape of x
    return np.exp(-0.5 * z**2) / (sigma * np.sqrt(2 * np.pi))
    # END SOLUTION


def normal_cdf(x, mu=0.0, sigma=1.0):
    """P(X <= x) for X ~ Normal(mu, sigma^2): Phi(z) = (1 + erf(z / sqrt(2))) / 2."""
    sigma = check_positive_number(sigma, "sigma")
    z = (as_float_array(x, "x") - mu) / sigma  # shape of x
    return 0.5 * (1.0 + np.vectorize(math.erf, otypes=[float])(z / np.sqrt(2.0)))


# %% [markdown]
# ## Box-Muller and the Kolmogorov-Smirnov distance


# %%
def box_muller(size, rng):
    """size independent N(0, 1) draws from pairs of uniforms (the Box-Muller transform)."""
    size = check_positive_int(size, "size")
    # BEGIN SOLUTION
    # HINT 1: Two independent uniforms give a radius and an angle; the two coordinates are two
    # HINT 1: independent standard normals. Make pairs, then trim to size.
    # HINT 2: r = sqrt(-2 log(1 - u1)); angle = 2 pi u2; z = [r cos(angle), r sin(angle)]
    # HINT 3: n_pairs = (size + 1) // 2; u1, u2 = rng.random(n_pairs), rng.random(n_pairs); radius, angle as above
    # HINT 3: z = concat([radius * cos(angle), radius * sin(angle)]); return z[:size]
    n_pairs = (size + 1) // 2
    u1, u2 = rng.random(n_pairs), rng.random(n_pairs)  # (n_pairs,) each
    radius = np.sqrt(-2.0 * np.log1p(-u1))  # 1 - u1 in (0, 1], so the log is finite
    angle = 2.0 * np.pi * u2
    z = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)])  # (2 n_pairs,)
    return z[:size]  # drop the spare one when size is odd
    # END SOLUTION


def ks_statistic(samples, cdf):
    """The Kolmogorov-Smirnov distance max_x |F_n(x) - F(x)| (a float in [0, 1]) between
    samples of shape (n,) and a CDF (a function F(x) of an array x)."""
    x = as_float_array(samples, "samples", ndim=1, finite=True, allow_empty=False)
    # BEGIN SOLUTION
    # HINT 1: Sort the samples; the empirical CDF jumps at each one, so the largest gap to the true CDF
    # HINT 1: is just before or just after a jump.
    # HINT 2: D = max(max(i / n - F(x_(i))), max(F(x_(i)) - (i - 1) / n)), i = 1..n
    # HINT 3: x = np.sort(x); F = cdf(x); n = x.size
    # HINT 3: above = np.arange(1, n + 1) / n - F; below = F - np.arange(0, n) / n
    # HINT 3: return float(max(above.max(), below.max()))
    x, n = np.sort(x), x.size  # (n,)
    F = cdf(x)  # (n,), the true CDF at each sample; F_n jumps there from (i-1)/n to i/n
    above = np.arange(1, n + 1) / n - F  # (n,): the gap just after each jump
    below = F - np.arange(0, n) / n  # (n,): the gap just before it
    return float(max(above.max(), below.max()))
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    # A wrong sampler with the right mean and variance: uniform on [-sqrt 3, sqrt 3] has variance 1.
    samplers = {"Box-Muller": lambda m: box_muller(m, rng),
                "uniform, variance 1": lambda m: np.sqrt(3.0) * (2.0 * rng.random(m) - 1.0)}
    sizes = np.array([100, 1_000, 10_000, 100_000])
    ks = {name: np.array([ks_statistic(draw(m), normal_cdf) for m in sizes]) for name, draw in samplers.items()}
    print(f"KS distance to N(0, 1); a correct sampler stays below 1.36 / sqrt(n) 95 % of the time\n"
          f"{'n':>8}{'1.36/sqrt(n)':>14}" + "".join(f"{name:>22}" for name in ks))
    for i, m in enumerate(sizes):
        print(f"{m:>8}{1.36 / np.sqrt(m):>14.4f}" + "".join(f"{d[i]:>22.4f}" for d in ks.values()))
    z = box_muller(20_000, rng)  # (20000,)
    print(f"Box-Muller, 20000 draws: mean {z.mean():.4f} (theory 0), variance {z.var(ddof=1):.4f} (theory 1)")

    fig, (ax_hist, ax_ecdf, ax_ks) = plotting.new_figure(1, 3, width=4.3, height=3.6)
    grid = np.linspace(-4, 4, 400)  # (400,)
    plotting.plot_samples_vs_density(ax_hist, z, grid, normal_pdf(grid), title="Box-Muller: R cos(theta), R sin(theta)")
    few = box_muller(25, rng)  # (25,): the KS distance on a small sample, so that the gap is visible
    plotting.plot_ecdf_gap(ax_ecdf, few, normal_cdf, label=f"KS distance {ks_statistic(few, normal_cdf):.3f}")
    ax_ecdf.set(title="Kolmogorov-Smirnov, 25 Box-Muller draws")
    for name, d in ks.items():
        ax_ks.loglog(sizes, d, marker="o", label=name)
    ax_ks.loglog(sizes, 1.36 / np.sqrt(sizes), "k--", label="1.36 / sqrt(n)")
    ax_ks.set(xlabel="n draws", ylabel="KS distance to N(0, 1)", title="A wrong sampler stalls")
    for ax in (ax_hist, ax_ecdf, ax_ks):
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    plotting.show_or_save(fig, "ex24_box_muller_ks")


if __name__ == "__main__":
    main()
