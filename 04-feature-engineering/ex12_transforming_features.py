"""
Exercise 12: transforming features (Box-Cox for skew, dates, cyclic values)

Learning goals
--------------
- Tame a skewed feature with log1p and with a Box-Cox transform whose lambda is
  found by maximum likelihood (a golden-section search).
- Turn timestamps into day of week, month and hour, and encode cyclic values
  with sin / cos so that 23:00 and 00:00 end up close together.

The math
--------
Box-Cox (x > 0):  y = (x^lambda - 1) / lambda   (log x when lambda = 0).
If y (n = n_samples values) is normal with mean mu and variance s^2, the log-likelihood of lambda,
after maximising over mu and s^2, is

    llf(lambda) = (lambda - 1) sum_i log x_i - (n / 2) log( var(y) ),
where (lambda - 1) sum log x is the log-Jacobian of x -> y. We maximise it over
lambda in [-5, 5] by golden-section search (the function is unimodal in practice).
The sample skewness mean((x - mean)^3) / std^3 (module 00) measures the result.

Cyclic features: a value v with period P (hours: 24) maps to
(sin(2 pi v / P), cos(2 pi v / P)), a point on the unit circle.

Algorithm
---------
1. Box-Cox: golden-section search on llf, shrinking [a, b] by 0.618 per step.
2. Dates: days since 1970-01-01 (a Thursday) give the weekday; datetime64[M] the month.
3. Cyclic values: the angle 2 pi v / P, then its sine and cosine.

References: G. E. P. Box, D. R. Cox, "An analysis of transformations", JRSS B 26(2),
1964; J. Kiefer, "Sequential minimax search for a maximum", Proc. AMS 4(3), 1953
(golden section).
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex12_transforming_features.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0  # 0.618...: the interval shrinks by this each step


# %% [markdown]
# ## Implementation: power transforms


# %%
def _positive(x):
    """x as a 1-D float array; Box-Cox is defined for x > 0 only (log x)."""
    x = as_float_array(x, "x", ndim=1, finite=True, allow_empty=False)
    if np.any(x <= 0):
        raise ValueError("Box-Cox needs strictly positive data (shift it, or use log1p for x >= 0)")
    return x


def boxcox(x, lmbda):
    """(x^lambda - 1) / lambda, or log x when lambda = 0; x > 0."""
    x = _positive(x)
    # BEGIN SOLUTION
    # HINT 1: The lambda -> 0 limit is the log; otherwise use expm1 to avoid cancellation.
    # HINT 2: lambda == 0: log(x); else expm1(lambda * log(x)) / lambda
    if abs(lmbda) < 1e-12:
        return np.log(x)
    return np.expm1(lmbda * np.log(x)) / lmbda  # expm1: x^lambda - 1 without cancellation near 0
    # END SOLUTION


def inv_boxcox(y, lmbda):
    """The inverse of boxcox: (lambda y + 1)^(1 / lambda), or exp(y) when lambda = 0."""
    y = as_float_array(y, "y")
    if abs(lmbda) < 1e-12:
        return np.exp(y)
    if np.any(lmbda * y <= -1):  # boxcox never returns such y
        raise ValueError(f"y must satisfy 1 + lmbda * y > 0 (the range of boxcox); got lmbda={lmbda} and y from {y.min():.4g} to {y.max():.4g}")
    return np.exp(np.log1p(lmbda * y) / lmbda)


def boxcox_llf(lmbda, x):
    """The profile log-likelihood of lambda: (lambda - 1) sum log x - n/2 log var(boxcox(x))."""
    x = _positive(x)
    # BEGIN SOLUTION
    # HINT 1: The profile log-likelihood of the transformed data: a Jacobian term plus a variance term.
    # HINT 2: llf = (lambda - 1) * sum(log x) - (n / 2) * log(var(boxcox(x, lambda)))
    y = boxcox(x, lmbda)
    return float((lmbda - 1.0) * np.log(x).sum() - 0.5 * x.size * np.log(y.var()))
    # END SOLUTION


def boxcox_mle(x, bounds=(-5.0, 5.0), tol=1e-9):
    """The lambda that maximises boxcox_llf on [bounds], by golden-section search."""
    x = _positive(x)
    a, b = bounds
    if not a < b:
        raise ValueError(f"bounds must be (low, high) with low < high; got {bounds}")
    if np.ptp(x) == 0:
        raise ValueError("x is constant: every lambda fits equally well")
    # BEGIN SOLUTION
    # HINT 1: The log-likelihood has one maximum in lambda: golden-section search shrinks the
    # HINT 1: bracket [a, b] by a constant factor, reusing one of the two inner points each time.
    # HINT 2: c = b - g (b - a), d = a + g (b - a); if f(c) > f(d): keep [a, d], else keep [c, b]
    # HINT 3: c, d = two inner points; while b - a > tol: if fc > fd: b, d, fd = d, c, fc and a new c,
    # HINT 3: fc = boxcox_llf(c, x); else: a, c, fc = c, d, fd and a new d; return the middle of [a, b]
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)  # two inner points
    fc, fd = boxcox_llf(c, x), boxcox_llf(d, x)
    while b - a > tol:
        if fc > fd:  # the maximum is in [a, d]: d becomes the right end, c the new d
            b, d, fd = d, c, fc
            c = b - GOLDEN * (b - a)
            fc = boxcox_llf(c, x)
        else:  # the maximum is in [c, b]: c becomes the left end, d the new c
            a, c, fc = c, d, fd
            d = a + GOLDEN * (b - a)
            fd = boxcox_llf(d, x)
    return float((a + b) / 2)
    # END SOLUTION


# %% [markdown]
# ## Implementation: date and time features


# %%
def datetime_features(timestamps):
    """{"day_of_week" (Monday = 0), "month" (1-12), "hour" (0-23)}: int arrays of shape (n_samples,) from datetime64 values."""
    t = np.asarray(timestamps)
    if not np.issubdtype(t.dtype, np.datetime64):
        raise TypeError(f"expected np.datetime64 values; got dtype {t.dtype}")
    # BEGIN SOLUTION
    # HINT 1: Cast datetime64 to coarser units and back to integers; day 0 (1970-01-01) was a Thursday.
    # HINT 2: day_of_week = (days since epoch + 3) % 7; month = months since epoch % 12 + 1
    # HINT 2: hour = (t as datetime64[h] - t as datetime64[D]) as int
    days = t.astype("datetime64[D]")  # (n_samples,), truncated to the day
    day_number = days.astype(np.int64)  # days since 1970-01-01, which was a Thursday (weekday 3)
    months = t.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    hours = (t.astype("datetime64[h]") - days).astype(np.int64)  # whole hours since midnight
    # % is a floor modulo: right before 1970 too
    return {"day_of_week": (day_number + 3) % 7, "month": months % 12 + 1, "hour": hours}
    # END SOLUTION


def cyclic_encode(values, period):
    """(sin, cos) of 2 pi values / period: shape (n_samples, 2), so value 0 and value period - 1 are neighbours."""
    values = as_float_array(values, "values")
    if not period > 0:
        raise ValueError(f"period must be positive; got {period}")
    # BEGIN SOLUTION
    # HINT 1: Put the value on a circle so that the end of the period sits next to its start.
    # HINT 2: angle = 2 pi values / period; return column_stack([sin(angle), cos(angle)])
    angle = 2.0 * np.pi * np.asarray(values, dtype=float) / period  # (n_samples,)
    return np.column_stack([np.sin(angle), np.cos(angle)])  # (n_samples, 2)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    from scipy.stats import skew as skewness  # module 00's sample skewness, from the library

    X, _, names = data.load_breast_cancer(return_names=True)[:3]
    area = X[:, names.index("area error")]  # (569,), strictly positive and skewed
    lam = boxcox_mle(area)
    transformed = {"raw": area, "log1p": np.log1p(area), f"Box-Cox, lambda = {lam:.3f}": boxcox(area, lam)}
    print(f"{'area error (breast cancer)':<28}{'skewness':>9}")
    for name, values in transformed.items():
        print(f"{name:<28}{skewness(values):9.3f}")

    # 2. Dates: one timestamp every 7 hours for a week, and the hour on a circle.
    stamps = np.arange(np.datetime64("2024-03-29T20"), np.datetime64("2024-04-05T20"), np.timedelta64(7, "h"))
    feats = datetime_features(stamps)
    cyc = cyclic_encode(feats["hour"], 24)
    print("\ntimestamp          weekday month hour  sin(hour)  cos(hour)")
    for i in range(0, len(stamps), 4):
        print(f"{str(stamps[i]):<19}{feats['day_of_week'][i]:>7}{feats['month'][i]:>6}{feats['hour'][i]:>5}{cyc[i, 0]:>11.3f}{cyc[i, 1]:>11.3f}")
    gap = np.linalg.norm(cyclic_encode([23], 24) - cyclic_encode([0], 24))
    print(f"23:00 vs 00:00: raw hours differ by 23, cyclic points by {gap:.3f}")

    fig, axes = plotting.new_figure(1, 4, width=3.6, height=3.6)
    for ax, (name, values), color in zip(axes, transformed.items(), plotting.COLORS):
        ax.hist(values, bins=40, color=color, alpha=0.8)
        ax.set(title=f"{name}: skew {skewness(values):.2f}", xlabel="area error" if name == "raw" else "transformed", ylabel="rows")
    hours, ax = np.arange(24), axes[3]
    points = cyclic_encode(hours, 24)  # (24, 2)
    ax.scatter(points[:, 1], points[:, 0], c=hours, cmap="viridis", s=50)
    for h in (0, 6, 12, 18, 23):
        ax.annotate(f"{h}h", points[h, ::-1] * 1.2, ha="center", va="center", fontsize=8)
    ax.set(aspect="equal", xlim=(-1.35, 1.35), ylim=(-1.35, 1.35), title="Hours on a circle: 23h next to 0h",
           xlabel="cos(2 pi h / 24)", ylabel="sin(2 pi h / 24)")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex12_transforming_features")


if __name__ == "__main__":
    main()
