"""
Exercise 23: distributions, and sampling them from a uniform random number

Learning goals
--------------
- Know the Bernoulli, binomial, uniform and exponential distributions: pmf or pdf, CDF, mean, variance.
- Turn uniform random numbers into any distribution by inverse-transform sampling (continuous: the
  exponential; discrete: cumulative sums + searchsorted).
- Check a sampler against its distribution: the sample mean and variance against theory (in
  standard errors), a histogram over the density.

The math
--------
U ~ Uniform(0, 1) is a uniform random number in [0, 1).
    Bernoulli(p)     P(X=1) = p, P(X=0) = 1 - p;        mean p,   variance p (1 - p)
    Binomial(n, p)   P(X=k) = C(n, k) p^k (1-p)^(n-k);   mean n p, variance n p (1 - p)
    Uniform(a, b)    f(x) = 1 / (b - a) on [a, b];       mean (a+b)/2, variance (b-a)^2 / 12
    Exponential(l)   f(x) = l exp(-l x) for x >= 0, F(x) = 1 - exp(-l x);  mean 1/l, variance 1/l^2
Inverse transform: if F is a CDF, X = F^{-1}(U) has CDF F, since
P(F^{-1}(U) <= x) = P(U <= F(x)) = F(x). For the exponential X = -log(1 - U) / l.
For a discrete distribution with probabilities p of shape (K,), the cumulative sums
c_k = p_0 + ... + p_k cut [0, 1) into K pieces of lengths p_k; X is the piece U falls in: the
smallest k with U < c_k.
A sample mean of n draws misses the mean mu by about sqrt(variance / n) (its standard error), so
z = (x_bar - mu) / sqrt(variance / n) lies in (-2, 2) about 95 % of the time for a correct sampler.

Algorithm
---------
1. Draw U with rng.random(size).
2. Bernoulli: U < p; binomial: count successes of n Bernoulli draws; uniform: a + (b - a) U.
3. Exponential: -log1p(-U) / rate. Discrete: np.searchsorted(cumsum(p), U, side="right").
4. Compare each with its mean and variance (z) and its pmf/pdf (histogram).

References: L. Devroye, Non-Uniform Random Variate Generation, Springer 1986, ch. 2;
L. Wasserman, All of Statistics, ch. 2-3.
Difficulty: 2 of 3, about 20 minutes.
Run: python 00-math-fundamentals/probability-statistics/ex23_distributions_inverse_transform.py
"""

# %%
import math

import numpy as np

from utils import plotting
from utils.probability_checks import check_probabilities, check_probability
from utils.validation import as_float_array, check_positive_int, check_positive_number

# %% [markdown]
# ## Densities and distribution functions


# %%
def binomial_pmf(k, n, p):
    """P(X = k) for X ~ Binomial(n, p); k is an int or an int array. Bernoulli(p) is n = 1."""
    p, k = check_probability(p), np.asarray(k)
    if np.any((k < 0) | (k > n)):
        raise ValueError(f"k must lie in 0..n = 0..{n}; got {k}")
    # BEGIN SOLUTION
    # HINT 1: The number of ways to choose k successes, times the probability of one such sequence.
    # HINT 2: C(n, k) p^k (1 - p)^(n - k), with math.comb vectorised over k
    ways = np.vectorize(math.comb)(n, k).astype(float)  # C(n, k), shape of k
    return ways * p**k * (1 - p) ** (n - k)  # 0.0**0 = 1, so p = 0 or 1 needs no special case
    # END SOLUTION


def uniform_pdf(x, a, b):
    """Density of Uniform(a, b) at x (any shape)."""
    if not a < b:
        raise ValueError(f"Uniform(a, b) needs a < b; got a={a}, b={b}")
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Constant density on [a, b], zero outside.
    # HINT 2: where(a <= x <= b, 1 / (b - a), 0)
    return np.where((x >= a) & (x <= b), 1.0 / (b - a), 0.0)  # shape of x
    # END SOLUTION



def exponential_pdf(x, rate=1.0):
    """Density rate * exp(-rate x) for x >= 0, and 0 below."""
    rate, x = check_positive_number(rate, "rate"), as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: The density is zero for negative x; np.where computes both branches, so keep exp away
    # HINT 1: from huge positive arguments.
    # HINT 2: where(x >= 0, rate * exp(-rate * max(x, 0)), 0)
    return np.where(x >= 0, rate * np.exp(-rate * np.maximum(x, 0.0)), 0.0)  # maximum: no overflow for x << 0
    # END SOLUTION


def exponential_cdf(x, rate=1.0):
    """P(X <= x) = 1 - exp(-rate x) for x >= 0, and 0 below."""
    rate, x = check_positive_number(rate, "rate"), as_float_array(x, "x")
    return -np.expm1(-rate * np.maximum(x, 0.0))  # expm1: accurate for small rate * x


# %% [markdown]
# ## Samplers: everything from uniform random numbers


# %%
def sample_bernoulli(p, size, rng):
    """size draws of Bernoulli(p) as 0/1 ints: 1 exactly when U < p."""
    p, size = check_probability(p), check_positive_int(size, "size")
    return (rng.random(size) < p).astype(int)  # (size,)


def sample_binomial(n, p, size, rng):
    """size draws of Binomial(n, p): the number of successes among n Bernoulli(p) trials."""
    p, size, n = check_probability(p), check_positive_int(size, "size"), check_positive_int(n, "n")
    return (rng.random((size, n)) < p).sum(axis=1)  # (size, n) trials -> (size,) counts


def sample_uniform(a, b, size, rng):
    """size draws of Uniform(a, b) by stretching U to [a, b)."""
    if not a < b:
        raise ValueError(f"Uniform(a, b) needs a < b; got a={a}, b={b}")
    size = check_positive_int(size, "size")
    return a + (b - a) * rng.random(size)  # (size,)


def exponential_inverse_cdf(u, rate=1.0):
    """F^{-1}(u) = -log(1 - u) / rate for u in [0, 1): the exponential quantile function."""
    rate, u = check_positive_number(rate, "rate"), as_float_array(u, "u")
    if np.any((u < 0) | (u >= 1)):
        raise ValueError("u must lie in [0, 1)")
    # BEGIN SOLUTION
    # HINT 1: Inverse-transform sampling: solve u = F(x) for x, with F the exponential CDF.
    # HINT 2: x = -log(1 - u) / rate, with np.log1p(-u) for accuracy
    # log1p(-u) = log(1 - u), accurate for tiny u; and 1 - u > 0 because u < 1, so no log(0).
    return -np.log1p(-u) / rate  # shape of u
    # END SOLUTION


def sample_exponential(rate, size, rng):
    """size draws of Exponential(rate) by inverse-transform sampling."""
    return exponential_inverse_cdf(rng.random(check_positive_int(size, "size")), rate)  # (size,)


def discrete_inverse_cdf(probs, u):
    """The category k (an int in 0..K-1, the shape of u) of each uniform u in [0, 1): the smallest k
    with u < p_0 + ... + p_k, for a probability vector probs (K,)."""
    probs, u = check_probabilities(probs), as_float_array(u, "u")
    # BEGIN SOLUTION
    # HINT 1: Cut [0, 1) into pieces of lengths probs; the category is the piece u falls into.
    # HINT 2: cumulative = cumsum(probs) (last set to 1); k = searchsorted(cumulative, u, side="right")
    # HINT 3: cumulative = np.cumsum(probs); cumulative[-1] = 1.0; return np.searchsorted(cumulative, u, side="right")
    cumulative = np.cumsum(probs)  # (K,), non-decreasing
    cumulative[-1] = 1.0  # round-off may leave 0.9999999999; u close to 1 must still land in 0..K-1
    # side="right": the first k with u < c_k, so an empty piece (p_k = 0, c_k = c_{k-1}) is never chosen.
    return np.searchsorted(cumulative, u, side="right")  # shape of u
    # END SOLUTION


def sample_discrete(probs, size, rng):
    """size draws from the categorical distribution probs, by inverse transform."""
    return discrete_inverse_cdf(probs, rng.random(check_positive_int(size, "size")))  # (size,)



# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    n, p, n_trials, (a, b), rate = 20_000, 0.3, 20, (-1.0, 2.0), 1.5
    probs = np.array([0.1, 0.0, 0.45, 0.25, 0.2])
    draws = {  # name: (samples, theoretical mean, variance)
        "Bernoulli(0.3)": (sample_bernoulli(p, n, rng), p, p * (1 - p)),
        "Binomial(20, 0.3)": (sample_binomial(n_trials, p, n, rng), n_trials * p, n_trials * p * (1 - p)),
        "Uniform(-1, 2)": (sample_uniform(a, b, n, rng), (a + b) / 2, (b - a) ** 2 / 12),
        "Exponential(1.5)": (sample_exponential(rate, n, rng), 1 / rate, 1 / rate**2)}
    # "z" is the mean's miss in standard errors sqrt(variance / n): |z| < 2 about 95 % of the time.
    print(f"{n} draws each\n{'distribution':<20}{'mean':>8}{'theory':>8}{'z':>7}{'variance':>10}{'theory':>8}")
    for name, (x, m, v) in draws.items():
        print(f"{name:<20}{x.mean():>8.3f}{m:>8.3f}{(x.mean() - m) / np.sqrt(v / n):>7.2f}{x.var(ddof=1):>10.3f}{v:>8.3f}")
    print(f"Exponential(1.5): a fraction {np.mean(draws['Exponential(1.5)'][0] <= 1.0):.4f} of the draws is <= 1; "
          f"F(1) = {exponential_cdf(1.0, rate):.4f}")
    freq = np.bincount(sample_discrete(probs, n, rng), minlength=probs.size) / n  # (K,)
    print("Discrete", probs, "-> frequencies", np.round(freq, 3), "(the empty category is never drawn)")

    fig, axes = plotting.new_figure(2, 2, width=4.6, height=3.4)
    k = np.arange(n_trials + 1)
    counts = np.bincount(draws["Binomial(20, 0.3)"][0], minlength=k.size) / n  # (n_trials + 1,)
    plotting.plot_frequencies_vs_pmf(axes[0, 0], k, counts, binomial_pmf(k, n_trials, p), "Binomial(20, 0.3)", "k successes")
    for ax, (name, t, pdf, how) in zip(axes.flat[1:3], [
            ("Uniform(-1, 2)", np.linspace(-1.5, 2.5, 400), lambda t: uniform_pdf(t, a, b), "a + (b - a) U"),
            ("Exponential(1.5)", np.linspace(0, 5, 400), lambda t: exponential_pdf(t, rate), "-log(1 - U) / rate")]):
        plotting.plot_samples_vs_density(ax, draws[name][0], t, pdf(t), title=f"{name}: {how}")
    plotting.plot_frequencies_vs_pmf(axes[1, 1], np.arange(probs.size), freq, probs, "Discrete: searchsorted(cumsum(p), U)", "category")
    for ax in axes.flat:
        ax.legend(loc="best")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex23_distributions_inverse_transform")


if __name__ == "__main__":
    main()
