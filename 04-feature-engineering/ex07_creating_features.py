"""
Exercise 07: creating features (polynomials, bins, power transforms, dates)

Learning goals
--------------
- Generate polynomial and interaction features in scikit-learn's column order
  (PolynomialFeatures), and watch a linear classifier draw a circle with them.
- Discretise a feature into equal-width or equal-count bins (KBinsDiscretizer).
- Tame a skewed feature with log1p and with a Box-Cox transform whose lambda is
  found by maximum likelihood (a golden-section search).
- Turn timestamps into day of week, month and hour, and encode cyclic values
  with sin / cos so that 23:00 and 00:00 end up close together.

The math
--------
Polynomial features of x in R^d up to degree p: every monomial
x_1^a_1 * ... * x_d^a_d with a_1 + ... + a_d <= p, ordered by degree, then as
itertools.combinations_with_replacement lists the factors (for d = 2, p = 2:
1, x0, x1, x0^2, x0 x1, x1^2). interaction_only keeps the monomials with every
a_j <= 1. powers_ holds the exponents, shape (n_output_features, d).

Bins: uniform edges min + k (max - min) / K, or quantile edges at the
percentiles 100 k / K; a value gets the index of the bin it falls in.

Box-Cox (x > 0):  y = (x^lambda - 1) / lambda   (log x when lambda = 0).
If y is normal with mean mu and variance s^2, the log-likelihood of lambda,
after maximising over mu and s^2, is

    llf(lambda) = (lambda - 1) sum_i log x_i - (n / 2) log( var(y) ),
where (lambda - 1) sum log x is the log-Jacobian of x -> y. We maximise it over
lambda in [-5, 5] by golden-section search (the function is unimodal in practice).

Cyclic features: a value v with period P (hours: 24) maps to
(sin(2 pi v / P), cos(2 pi v / P)), a point on the unit circle.

Algorithm
---------
1. PolynomialFeatures: list exponent vectors with itertools, then multiply powers.
2. KBinsDiscretizer: compute edges per column, drop duplicate quantile edges,
   bin with np.searchsorted on the inner edges.
3. Box-Cox: golden-section search on llf, shrinking [a, b] by 0.618 per step.
4. Dates: days since 1970-01-01 (a Thursday) give the weekday; datetime64[M] the month.

References: G. E. P. Box, D. R. Cox, "An analysis of transformations", JRSS B 26(2),
1964; J. Kiefer, "Sequential minimax search for a maximum", Proc. AMS 4(3), 1953
(golden section); T. Hastie, R. Tibshirani, J. Friedman, The Elements of
Statistical Learning, 2nd ed., ch. 5.1 (basis expansions).
Difficulty: 2 of 3, about 50 minutes.
Run: python 04-feature-engineering/ex07_creating_features.py
"""

# %%
import itertools

import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_fitted, check_option, check_X

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0  # 0.618...: the interval shrinks by this each step


# %% [markdown]
# ## Implementation: polynomial features


# %%
class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input features up to a degree, in scikit-learn's order.

    Parameters
    ----------
    degree : int >= 0
    interaction_only : bool, only products of distinct features (no x0^2)
    include_bias : bool, start with the constant column 1

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_), the exponents
    n_output_features_ : int
    n_features_in_ : int
    """

    def __init__(self, degree=2, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X, y=None):
        """Work out powers_ from the number of features; returns self."""
        if isinstance(self.degree, bool) or not isinstance(self.degree, (int, np.integer)) or self.degree < 0:
            raise ValueError(f"degree must be a non-negative integer; got {self.degree!r}")
        if self.degree == 0 and not self.include_bias:
            raise ValueError("degree=0 with include_bias=False leaves no output feature")
        X = check_X(X, owner="PolynomialFeatures")
        d = X.shape[1]
        # BEGIN SOLUTION
        # HINT 1: Describe each output feature by its exponent
        # HINT 1: vector: a multiset of feature indices, counted.
        # HINT 2: for each degree, each combination (with replacement unless interaction_only) of
        # HINT 2:   range(d): powers row = np.bincount(factors, minlength=d)
        # HINT 3: combine = combinations if interaction_only else combinations_with_replacement
        # HINT 3: for degree in range(0 if include_bias else 1, self.degree + 1):
        # HINT 3:     for factors in combine(range(d), degree): powers.append(bincount(factors, d))
        # HINT 3: self.powers_ = np.array(powers, dtype=int).reshape(-1, d)
        combine = itertools.combinations if self.interaction_only else itertools.combinations_with_replacement
        powers = []
        for degree in range(0 if self.include_bias else 1, self.degree + 1):
            for factors in combine(range(d), degree):  # e.g. (0, 0, 1) means x0 * x0 * x1
                powers.append(np.bincount(np.array(factors, dtype=int), minlength=d))
        self.powers_ = np.array(powers, dtype=int).reshape(-1, d)  # (n_output_features, d)
        # END SOLUTION
        self.n_output_features_ = len(self.powers_)
        self.n_features_in_ = d
        return self

    def transform(self, X):
        """The monomials, shape (n_samples, n_output_features_)."""
        check_fitted(self, "powers_")
        X = check_X(X, self.n_features_in_, owner="this PolynomialFeatures")
        # BEGIN SOLUTION
        # HINT 1: Each output column is a product of the inputs raised to that row of powers_.
        # HINT 2: out[:, k] = prod(X ** powers_[k], axis=1)
        out = np.empty((X.shape[0], self.n_output_features_))  # (n, n_out)
        for k, powers in enumerate(self.powers_):
            out[:, k] = np.prod(X**powers, axis=1)  # x**0 is 1, so unused features drop out
        return out
        # END SOLUTION

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def get_feature_names_out(self, input_features=None):
        """Names like "1", "x0", "x0^2", "x0 x1" (scikit-learn's format)."""
        check_fitted(self, "powers_")
        if input_features is None:
            input_features = [f"x{j}" for j in range(self.n_features_in_)]
        if len(input_features) != self.n_features_in_:
            raise ValueError(f"input_features must have {self.n_features_in_} names; got {len(input_features)}")
        # BEGIN SOLUTION
        # HINT 1: Build a name from the features with a positive
        # HINT 1: power: "x0^2 x1"; the empty product is "1".
        names = []
        for powers in self.powers_:
            factors = [name if p == 1 else f"{name}^{p}" for name, p in zip(input_features, powers) if p > 0]
            names.append(" ".join(factors) if factors else "1")
        return np.array(names, dtype=object)
        # END SOLUTION


# %% [markdown]
# ## Implementation: binning


# %%
class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Put each feature's values into bins; returns the bin index (encode="ordinal").

    Parameters
    ----------
    n_bins : int >= 2 (or one int per feature)
    encode : "ordinal" (the only one here; one-hot the result with exercise 06)
    strategy : "uniform" (equal width) or "quantile" (equal counts)
    quantile_method : a np.percentile method; scikit-learn's default "averaged_inverted_cdf"

    Attributes
    ----------
    bin_edges_ : ndarray of object, bin_edges_[j] the sorted edges of feature j
    n_bins_ : ndarray of int, the number of bins per feature (fewer when edges coincide;
        1 for a constant feature, with edges [-inf, inf])
    n_features_in_ : int
    """

    def __init__(self, n_bins=5, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf"):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method

    def fit(self, X, y=None):
        """Learn bin_edges_; returns self."""
        if self.encode != "ordinal":
            raise ValueError(f"encode must be 'ordinal' here; got {self.encode!r}")
        check_option(self.strategy, "strategy", ("uniform", "quantile"))
        X = check_X(X, owner="KBinsDiscretizer")
        n_bins = np.broadcast_to(np.asarray(self.n_bins), (X.shape[1],)).astype(int).copy()  # (d,)
        if np.any(n_bins < 2) or np.any(n_bins != np.asarray(self.n_bins)):
            raise ValueError(f"n_bins must be integers >= 2; got {self.n_bins!r}")
        edges = np.empty(X.shape[1], dtype=object)
        # BEGIN SOLUTION
        # HINT 1: Per feature: uniform edges span [min, max]; quantile edges sit
        # HINT 1: at percentiles, and repeated edges (ties) are removed, which
        # HINT 1: can reduce the number of bins. Constant: one infinite bin.
        # HINT 2: uniform: np.linspace(lo, hi, n_bins + 1);
        # HINT 2:   quantile: np.percentile(column, linspace(0, 100, n+1))
        # HINT 3: for j: lo, hi = min, max; if lo == hi: edges[j] = [-inf, inf]; n_bins[j] = 1; continue
        # HINT 3: uniform: edges[j] = np.linspace(lo, hi, n_bins[j] + 1)
        # HINT 3: quantile: edges[j] = np.percentile(column, levels, method=quantile_method)
        # HINT 3:   drop edges closer than 1e-8 to the previous one; n_bins[j] = len(edges[j]) - 1
        for j in range(X.shape[1]):
            column = X[:, j]
            lo, hi = column.min(), column.max()
            if lo == hi:  # a constant feature: one bin that holds everything
                edges[j], n_bins[j] = np.array([-np.inf, np.inf]), 1
                continue
            if self.strategy == "uniform":
                edges[j] = np.linspace(lo, hi, n_bins[j] + 1)
            else:
                levels = np.linspace(0, 100, n_bins[j] + 1)
                edges[j] = np.percentile(column, levels, method=self.quantile_method)
                # Heavy ties give repeated quantiles: drop bins narrower than 1e-8.
                edges[j] = edges[j][np.diff(edges[j], prepend=-np.inf) > 1e-8]
                n_bins[j] = len(edges[j]) - 1
        # END SOLUTION
        self.bin_edges_, self.n_bins_ = edges, n_bins
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Bin indices 0 .. n_bins_[j] - 1 (as floats); values outside the training range go to the end bins."""
        check_fitted(self, "bin_edges_")
        X = check_X(X, self.n_features_in_, owner="this KBinsDiscretizer")
        out = np.empty(X.shape)
        # BEGIN SOLUTION
        # HINT 1: A bin index is the number of inner edges at or below the value: a binary search.
        # HINT 2: out[:, j] = np.searchsorted(edges[1:-1], X[:, j], side="right")
        for j, edges in enumerate(self.bin_edges_):
            # Inner edges only: below the first inner edge is bin 0, at or above the last is the last bin.
            out[:, j] = np.searchsorted(edges[1:-1], X[:, j], side="right")
        return out
        # END SOLUTION

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Each bin index back to its bin's centre (the information inside a bin is gone)."""
        check_fitted(self, "bin_edges_")
        X = check_X(X, self.n_features_in_, owner="this KBinsDiscretizer")
        out = np.empty(X.shape)
        for j, edges in enumerate(self.bin_edges_):
            if np.isinf(edges).any():  # a constant feature, edges [-inf, inf]: no centre (NaN, like sklearn)
                centres = np.array([np.nan])
            else:
                centres = (edges[1:] + edges[:-1]) / 2  # (n_bins_j,)
            index = X[:, j].astype(int)
            if np.any(index != X[:, j]) or np.any((index < 0) | (index >= len(centres))):
                raise ValueError(f"column {j} must hold bin indices 0..{len(centres) - 1}")
            out[:, j] = centres[index]
        return out


# %% [markdown]
# ## Implementation: power transforms


# %%
def _check_positive(x):
    x = as_float_array(x, "x")
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must be 1-D with at least 2 values; got shape {x.shape}")
    if not np.all(np.isfinite(x)) or np.any(x <= 0):
        raise ValueError("Box-Cox needs finite, strictly positive data (shift it, or use log1p for x >= 0)")
    return x


def boxcox(x, lmbda):
    """(x^lambda - 1) / lambda, or log x when lambda = 0; x > 0."""
    x = _check_positive(x)
    # BEGIN SOLUTION
    # HINT 1: The lambda -> 0 limit is the log; otherwise use expm1 to avoid cancellation.
    # HINT 2: lambda == 0: log(x); else expm1(lambda * log(x)) / lambda
    log_x = np.log(x)
    if abs(lmbda) < 1e-12:
        return log_x
    # expm1(lambda log x) = x^lambda - 1 without cancellation when lambda log x is small
    return np.expm1(lmbda * log_x) / lmbda
    # END SOLUTION


def inv_boxcox(y, lmbda):
    """The inverse of boxcox: (lambda y + 1)^(1 / lambda), or exp(y) when lambda = 0."""
    y = as_float_array(y, "y")
    if abs(lmbda) >= 1e-12 and np.any(lmbda * y <= -1):  # boxcox never returns such y
        raise ValueError(f"y must satisfy 1 + lmbda * y > 0 (the range of boxcox); got lmbda={lmbda} and y from {y.min():.4g} to {y.max():.4g}")
    if abs(lmbda) < 1e-12:
        return np.exp(y)
    return np.exp(np.log1p(lmbda * y) / lmbda)


def boxcox_llf(lmbda, x):
    """The profile log-likelihood of lambda: (lambda - 1) sum log x - n/2 log var(boxcox(x))."""
    x = _check_positive(x)
    # BEGIN SOLUTION
    # HINT 1: The profile log-likelihood of the transformed data: a Jacobian term plus a variance term.
    # HINT 2: llf = (lambda - 1) * sum(log x) - (n / 2) * log(var(boxcox(x, lambda)))
    y = boxcox(x, lmbda)
    return float((lmbda - 1.0) * np.log(x).sum() - 0.5 * x.size * np.log(y.var()))
    # END SOLUTION


def boxcox_mle(x, bounds=(-5.0, 5.0), tol=1e-9):
    """The lambda that maximises boxcox_llf on [bounds], by golden-section search."""
    x = _check_positive(x)
    a, b = bounds
    if not a < b:
        raise ValueError(f"bounds must be (low, high) with low < high; got {bounds}")
    if np.ptp(x) == 0:
        raise ValueError("x is constant: every lambda fits equally well")
    # BEGIN SOLUTION
    # HINT 1: The log-likelihood has one maximum in lambda: golden-section search shrinks the
    # HINT 1: bracket [a, b] by a constant factor, reusing one of the two inner points each time.
    # HINT 2: c = b - g (b - a), d = a + g (b - a); if f(c) > f(d): keep [a, d], else keep [c, b]
    # HINT 3: a, b = bounds; c, d = two inner points; fc, fd = boxcox_llf(c, x), boxcox_llf(d, x)
    # HINT 3: while b - a > tol:
    # HINT 3:     if fc > fd: b, d, fd = d, c, fc; c = b - GOLDEN * (b - a); fc = boxcox_llf(c, x)
    # HINT 3:     else: a, c, fc = c, d, fd; d = a + GOLDEN * (b - a); fd = boxcox_llf(d, x)
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)  # two inner points
    fc, fd = boxcox_llf(c, x), boxcox_llf(d, x)
    while b - a > tol:
        if fc > fd:  # the maximum is in [a, d]: d becomes the right end, c the new d
            b, d, fd = d, c, fc
            c = b - GOLDEN * (b - a)
            fc = boxcox_llf(c, x)
        else:  # the maximum is in [c, b]
            a, c, fc = c, d, fd
            d = a + GOLDEN * (b - a)
            fd = boxcox_llf(d, x)
    return float((a + b) / 2)
    # END SOLUTION


# %% [markdown]
# ## Implementation: date and time features


# %%
def datetime_features(timestamps):
    """Day of week (Monday = 0), month (1-12) and hour (0-23) of datetime64 values.

    Returns
    -------
    dict of name -> ndarray of int, each of shape (n,)
    """
    t = np.asarray(timestamps)
    if not np.issubdtype(t.dtype, np.datetime64):
        raise TypeError(f"expected np.datetime64 values; got dtype {t.dtype}")
    # BEGIN SOLUTION
    # HINT 1: Cast datetime64 to coarser units and back to integers; day 0 (1970-01-01) was a Thursday.
    # HINT 2: day_of_week = (days since epoch + 3) % 7; month = months since epoch % 12 + 1
    # HINT 2: hour = (t as datetime64[h] - t as datetime64[D]) as int
    days = t.astype("datetime64[D]")  # (n,), truncated to the day
    day_number = days.astype(np.int64)  # days since 1970-01-01, which was a Thursday (weekday 3)
    months = t.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    hours = (t.astype("datetime64[h]") - days).astype(np.int64)  # whole hours since midnight
    return {
        "day_of_week": (day_number + 3) % 7,  # % is a floor modulo: right before 1970 too
        "month": months % 12 + 1,
        "hour": hours,
    }
    # END SOLUTION


def cyclic_encode(values, period):
    """(sin, cos) of 2 pi values / period: shape (n, 2), so value 0 and value period - 1 are neighbours."""
    values = as_float_array(values, "values")
    if not period > 0:
        raise ValueError(f"period must be positive; got {period}")
    # BEGIN SOLUTION
    # HINT 1: Put the value on a circle so that the end of the period sits next to its start.
    # HINT 2: angle = 2 pi values / period; return column_stack([sin(angle), cos(angle)])
    angle = 2.0 * np.pi * np.asarray(values, dtype=float) / period  # (n,)
    return np.column_stack([np.sin(angle), np.cos(angle)])  # (n, 2)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # The sample skewness (module 00) and logistic regression (module 02), from the libraries.
    from scipy.stats import skew as skewness
    from sklearn.linear_model import LogisticRegression

    # 1. A skewed real feature: the standard error of the tumour area (breast cancer data).
    X, _, names = data.load_breast_cancer(return_names=True)[:3]
    area = X[:, names.index("area error")]  # (569,), strictly positive
    lam = boxcox_mle(area)
    transformed = {"raw": area, "log1p": np.log1p(area), f"Box-Cox, lambda = {lam:.3f}": boxcox(area, lam)}
    print("'area error' from the breast cancer data")
    print(f"{'version':<28}{'skewness':>9}")
    for name, values in transformed.items():
        print(f"{name:<28}{skewness(values):9.3f}")

    print("\nFive bins of the raw feature: how many rows in each")
    for strategy in ("uniform", "quantile"):
        bins = KBinsDiscretizer(n_bins=5, strategy=strategy).fit_transform(area[:, None])
        print(f"  {strategy:<9}", np.bincount(bins[:, 0].astype(int), minlength=5))

    # 2. Dates: one timestamp every 7 hours for a week.
    stamps = np.arange(np.datetime64("2024-03-29T20"), np.datetime64("2024-04-05T20"), np.timedelta64(7, "h"))
    feats = datetime_features(stamps)
    cyc = cyclic_encode(feats["hour"], 24)
    print("\ntimestamp          weekday month hour  sin(hour)  cos(hour)")
    for i in range(0, len(stamps), 4):
        row = f"{str(stamps[i]):<19}{feats['day_of_week'][i]:>7}{feats['month'][i]:>6}{feats['hour'][i]:>5}"
        print(row + f"{cyc[i, 0]:>11.3f}{cyc[i, 1]:>11.3f}")
    gap = np.linalg.norm(cyclic_encode([23], 24) - cyclic_encode([0], 24))
    print(f"23:00 vs 00:00: raw hours differ by 23, cyclic points by {gap:.3f}")

    # 3. A linear model on circles: raw features vs degree-2 features.
    Xc, yc = data.make_circles(n_samples=300, noise=0.08, factor=0.5, random_state=0)
    poly = PolynomialFeatures(degree=2, include_bias=False).fit(Xc)
    linear = LogisticRegression(C=100.0).fit(Xc, yc)
    curved = LogisticRegression(C=100.0).fit(poly.transform(Xc), yc)
    print(f"\nCircles: logistic regression accuracy on x0, x1: {linear.score(Xc, yc):.3f}; "
          f"on {', '.join(poly.get_feature_names_out())}: {curved.score(poly.transform(Xc), yc):.3f}")

    # Compare with the library (scikit-learn is used only here, never above; the tests also
    # compare our Box-Cox lambda with scipy.stats.boxcox).
    from sklearn.preprocessing import PolynomialFeatures as SkPoly

    sk = SkPoly(degree=2, include_bias=False).fit(Xc)
    same = list(sk.get_feature_names_out()) == list(poly.get_feature_names_out())
    print(f"sklearn PolynomialFeatures: same names {same}, max |difference| {np.abs(sk.transform(Xc) - poly.transform(Xc)).max():.1e}")

    fig, axes = plotting.new_figure(2, 3, width=4.2, height=3.6)
    for ax, (name, values), color in zip(axes[0], transformed.items(), plotting.COLORS):
        ax.hist(values, bins=40, color=color, alpha=0.8)
        ax.set(title=f"{name}: skew {skewness(values):.2f}", xlabel="area error" if name == "raw" else "transformed", ylabel="rows")
    hours = np.arange(24)
    points = cyclic_encode(hours, 24)
    ax = axes[1, 0]
    ax.scatter(points[:, 1], points[:, 0], c=hours, cmap="viridis", s=50)
    for h in (0, 6, 12, 18, 23):
        ax.annotate(f"{h}h", points[h, ::-1] * 1.2, ha="center", va="center", fontsize=8)
    ax.set(aspect="equal", xlim=(-1.35, 1.35), ylim=(-1.35, 1.35), title="Hours on a circle: 23h next to 0h",
           xlabel="cos(2 pi h / 24)", ylabel="sin(2 pi h / 24)")
    plotting.plot_decision_boundary(axes[1, 1], linear.predict, Xc, yc, title=f"linear features: acc {linear.score(Xc, yc):.2f}")
    plotting.plot_decision_boundary(axes[1, 2], lambda G: curved.predict(poly.transform(G)), Xc, yc,
                                    title=f"degree-2 features: acc {curved.score(poly.transform(Xc), yc):.2f}")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_creating_features")


if __name__ == "__main__":
    main()
