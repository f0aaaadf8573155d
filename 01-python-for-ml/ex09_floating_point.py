"""
Exercise 09: floating point: machine epsilon, cancellation and summation error

Learning goals
--------------
- Find machine epsilon by halving, and read float precision as a RELATIVE spacing.
- Recognise catastrophic cancellation and remove it by rewriting the formula.
- See summation error grow with n, and shrink it with pairwise summation.

The math
--------
A float64 number is (-1)^s * m * 2^e with a 53-bit significand m. Rounding a real
number r gives fl(r) = r (1 + d) with |d| <= u = eps / 2, where machine epsilon
eps = 2^-52 is the gap between 1 and the next float (float32: 2^-23).
- Cancellation: 1 - cos x for small x subtracts two nearly equal numbers; the
  error of about eps in cos x becomes a relative error of about eps / (x^2 / 2).
  Rewrite without the subtraction: 1 - cos x = 2 sin^2(x / 2), so
      (1 - cos x) / x^2 = (1/2) * (sin h / h)^2,   h = x / 2.
- Summation: adding n numbers one by one has an error bound growing like
  (n - 1) u sum |x_i|; adding the two halves recursively (pairwise) grows like
  log2(n) u sum |x_i|. math.fsum returns the correctly rounded exact sum.
Rounding limits the precision; the range (overflow of exp) is exercise 10.

Algorithm
---------
1. machine_epsilon: start at 1, halve while 1 + eps/2 is still > 1 in the given dtype.
2. The naive and the rewritten (1 - cos x) / x^2, compared with an exact series in fractions.
3. naive_sum (one accumulator) and pairwise_sum (split in halves down to small blocks).

References: D. Goldberg, "What every computer scientist should know about floating-point
arithmetic", ACM Computing Surveys 23(1) (1991); N. J. Higham, Accuracy and Stability of
Numerical Algorithms, 2nd ed. (2002), ch. 1-4.
Difficulty: 2 of 3, about 20 minutes.
Run: python 01-python-for-ml/ex09_floating_point.py
"""

# %%
import math
from fractions import Fraction

import numpy as np

import utils
from utils import plotting
from utils.validation import as_float_array, check_positive_int

# %% [markdown]
# ## Implementation


# %%
def _float_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype must be a floating-point type such as np.float32 or np.float64; got {dtype}")
    return dtype.type


def machine_epsilon(dtype=np.float64):
    """The gap between 1 and the next larger number of `dtype`, found by halving. Returns a Python float."""
    scalar = _float_dtype(dtype)
    # BEGIN SOLUTION
    # HINT 1: Halve eps while adding half of it to 1 still changes 1, computing in the given dtype.
    # HINT 2: while one + eps / 2 > one: eps = eps / 2
    one, eps = scalar(1), scalar(1)
    while one + eps / 2 > one:  # NumPy scalars of one dtype compute in that dtype
        eps = eps / 2
    return float(eps)
    # END SOLUTION


def one_minus_cos_naive(x):
    """(1 - cos x) / x^2 as written: loses every digit for |x| below about 1e-8."""
    x = as_float_array(x, "x")
    if np.any(x == 0):
        raise ValueError("x must be non-zero (at x = 0 the expression has only a limit, 1/2)")
    # BEGIN SOLUTION
    # HINT 1: The formula exactly as written (it will cancel catastrophically for small x).
    return (1.0 - np.cos(x)) / x**2
    # END SOLUTION


def one_minus_cos_stable(x):
    """The same value as (1/2) (sin h / h)^2 with h = x / 2: no subtraction, no cancellation."""
    x = as_float_array(x, "x")
    if np.any(x == 0):
        raise ValueError("x must be non-zero (at x = 0 the expression has only a limit, 1/2)")
    # BEGIN SOLUTION
    # HINT 1: Rewrite 1 - cos x with a half-angle identity so nothing cancels.
    # HINT 2: 1 - cos x = 2 sin^2(x / 2); so (1 - cos x) / x^2 = 0.5 * (sin(h) / h)**2 with h = x / 2
    h = x / 2.0
    # 1 - cos x = 2 sin^2(h). Dividing sin h by h before squaring also keeps tiny x from
    # underflowing: x^2 for x = 1e-200 is 0 in float64, but sin(h) / h is simply 1.
    return 0.5 * (np.sin(h) / h) ** 2
    # END SOLUTION


def naive_sum(x, dtype=np.float64):
    """Add the values one by one into a single accumulator of the given dtype. Returns a Python float."""
    scalar = _float_dtype(dtype)
    values = as_float_array(x, "x", ndim=1).astype(scalar)  # (n,)
    # BEGIN SOLUTION
    # HINT 1: Add the values one by one in the given dtype, rounding after every addition.
    total = scalar(0)
    for v in values:
        total = total + v  # rounded to `dtype` after every step
    return float(total)
    # END SOLUTION


def pairwise_sum(x, dtype=np.float64, block=8):
    """Sum by splitting in halves until blocks of at most `block` values, added one by one."""
    scalar = _float_dtype(dtype)
    values = as_float_array(x, "x", ndim=1).astype(scalar)  # (n,)
    block = check_positive_int(block, "block")
    # BEGIN SOLUTION
    # HINT 1: Divide and conquer: split the range in half, sum each half, add
    # HINT 1: the two partial sums; small blocks are summed with a plain loop.
    # HINT 2: add(lo, hi) = loop sum if hi - lo <= block else add(lo, mid) + add(mid, hi)
    # HINT 3: def add(lo, hi): if hi - lo <= block: loop-sum values[lo:hi] in dtype
    # HINT 3:     else: mid = (lo + hi) // 2; return add(lo, mid) + add(mid, hi)
    # HINT 3: return float(add(0, len(values)))
    def add(lo, hi):  # the sum of values[lo:hi], in `dtype`
        if hi - lo <= block:
            total = scalar(0)
            for v in values[lo:hi]:
                total = total + v
            return total
        mid = (lo + hi) // 2
        return add(lo, mid) + add(mid, hi)  # two partial sums of similar size: small relative error

    return float(add(0, values.shape[0]))
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _one_minus_cos_exact(x, terms=30):
    """(1 - cos x) / x^2 = sum_k (-1)^k x^(2k) / (2k + 2)!, summed exactly in fractions, then rounded."""
    xf, total = Fraction(float(x)), Fraction(0)
    for k in range(terms):
        total += (-1) ** k * xf ** (2 * k) / math.factorial(2 * k + 2)
    return float(total)


def main():
    print("Machine epsilon: halving vs np.finfo")
    for dtype in (np.float16, np.float32, np.float64):
        found = machine_epsilon(dtype)
        print(f"  {np.dtype(dtype).name:8s} {found:.6e}  {float(np.finfo(dtype).eps):.6e}  equal: {found == np.finfo(dtype).eps}")
    print(f"  0.1 + 0.2 == 0.3? {0.1 + 0.2 == 0.3} (the difference is {0.1 + 0.2 - 0.3:.1e}, a few eps at this size)")

    print(f"\n(1 - cos x) / x^2 (true value near 1/2)\n  {'x':>7s} {'naive':>22s} {'stable':>22s} {'rel. error naive':>17s} {'stable':>9s}")
    for x in (1e-1, 1e-3, 1e-5, 1e-7, 1e-8):  # below about 1e-154, x**2 underflows: naive divides 0 by 0
        exact, naive, stable = _one_minus_cos_exact(x), one_minus_cos_naive(x), one_minus_cos_stable(x)
        print(f"  {x:7.0e} {naive:22.17f} {stable:22.17f} {abs(naive - exact) / exact:17.1e} {abs(stable - exact) / exact:9.1e}")

    rng = np.random.default_rng(0)
    x32 = rng.uniform(0, 1, 2 ** (14 if utils.quick_mode() else 17)).astype(np.float32)  # (n,) positive: no cancellation
    exact = math.fsum(x32.tolist())  # the correctly rounded sum of the float32 values we actually hold
    print(f"\nSumming n = {x32.size} uniform float32 values: relative error against math.fsum")
    for name, value in [("naive, float32", naive_sum(x32, np.float32)), ("pairwise, float32", pairwise_sum(x32, np.float32)),
                        ("np.sum, float32", float(np.sum(x32))), ("naive, float64", naive_sum(x32, np.float64))]:
        print(f"  {name:18s} {value:18.6f}  {abs(value - exact) / exact:9.1e}")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=4.0)
    xs, floor = np.logspace(-8, 0, 200), 1e-18  # (200,); exact zeros cannot sit on a log axis
    exact_c = np.array([_one_minus_cos_exact(v) for v in xs])  # (200,)
    for f, label in [(one_minus_cos_naive, "(1 - cos x) / x^2"), (one_minus_cos_stable, "(1/2)(sin h / h)^2")]:
        axes[0].loglog(xs, np.maximum(np.abs(f(xs) - exact_c) / exact_c, floor), label=label)
    axes[0].loglog(xs, np.finfo(float).eps / xs**2, "k--", lw=1, label="eps / x^2")
    axes[0].set(ylim=(1e-18, 10), xlabel="x", ylabel="relative error (0 drawn at 1e-18)", title="Cancellation in 1 - cos x")
    ns = 2 ** np.arange(4, int(np.log2(x32.size)) + 1)  # (k,)
    exact_n = np.array([math.fsum(x32[:n].tolist()) for n in ns])  # (k,)
    for f, marker in [(naive_sum, "o-"), (pairwise_sum, "s-")]:
        sums = np.array([f(x32[:n], np.float32) for n in ns])  # (k,)
        axes[1].loglog(ns, np.maximum(np.abs(sums - exact_n) / exact_n, floor), marker, label=f.__name__)
    u32 = float(np.finfo(np.float32).eps) / 2  # unit round-off of float32
    axes[1].loglog(ns, u32 * ns, "k--", lw=1, label="n u (bound for naive)")
    axes[1].loglog(ns, u32 * np.log2(ns), "k:", lw=1, label="log2(n) u (bound for pairwise)")
    axes[1].set(ylim=(1e-10, 1), xlabel="n values summed", ylabel="relative error (0 drawn at 1e-18)", title="float32 summation error")
    for ax in axes:
        ax.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_floating_point")


if __name__ == "__main__":
    main()
