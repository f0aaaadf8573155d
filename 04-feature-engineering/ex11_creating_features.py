"""
Exercise 11: creating features (polynomials and bins)

Learning goals
--------------
- Generate polynomial and interaction features in scikit-learn's column order
  (PolynomialFeatures), and watch a linear classifier draw a circle with them.
- Discretise a feature into equal-width or equal-count bins (KBinsDiscretizer).

The math
--------
Polynomial features of x in R^d (d = n_features) up to degree p: every monomial
x_1^a_1 * ... * x_d^a_d with a_1 + ... + a_d <= p, ordered by degree, then as
itertools.combinations_with_replacement lists the factors (for d = 2, p = 2:
1, x0, x1, x0^2, x0 x1, x1^2). interaction_only keeps the monomials with every
a_j <= 1. powers_ holds the exponents, shape (n_output_features, n_features).
A linear model on these features is a polynomial model of x: a circle
x0^2 + x1^2 = r^2 becomes a straight line in (x0^2, x1^2).

Bins: uniform edges min + k (max - min) / K, or quantile edges at the
percentiles 100 k / K; a value gets the index of the bin it falls in.

Algorithm
---------
1. PolynomialFeatures: list exponent vectors with itertools, then multiply powers.
2. KBinsDiscretizer: compute edges per column, drop duplicate quantile edges,
   bin with np.searchsorted on the inner edges.
3. Demo: bins of a skewed feature; scikit-learn's logistic regression on circles, raw and degree 2.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., ch. 5.1;
J. Dougherty, R. Kohavi, M. Sahami, "Supervised and unsupervised discretization of continuous features", ICML 1995.
Difficulty: 2 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex11_creating_features.py
"""

# %%
import itertools

import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import check_fitted, check_non_negative_int, check_option, check_X


# %% [markdown]
# ## Implementation: polynomial features and bins


# %%
class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input features up to a degree, in scikit-learn's order.

    degree : int >= 0; interaction_only : bool, only products of distinct features (no x0^2);
    include_bias : bool, start with the constant column 1.

    Attributes: powers_ (n_output_features_, n_features_in_), the exponents; n_output_features_.
    """

    def __init__(self, degree=2, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def fit(self, X, y=None):  # powers_ from the number of features
        check_non_negative_int(self.degree, "degree")
        if self.degree == 0 and not self.include_bias:
            raise ValueError("degree=0 with include_bias=False leaves no output feature")
        X = check_X(X, owner="PolynomialFeatures")
        d = X.shape[1]
        # BEGIN SOLUTION
        # HINT 1: Describe each output feature by its exponent vector: a multiset of feature indices, counted.
        # HINT 2: for each degree, each combination (with replacement unless interaction_only) of
        # HINT 2: range(d): powers row = np.bincount(factors, minlength=d)
        # HINT 3: combine = combinations if interaction_only else combinations_with_replacement; for degree in
        # HINT 3: range(0 if include_bias else 1, self.degree + 1): for factors in combine(range(d), degree): ...
        combine = itertools.combinations if self.interaction_only else itertools.combinations_with_replacement
        powers = []
        for degree in range(0 if self.include_bias else 1, self.degree + 1):
            for factors in combine(range(d), degree):  # e.g. (0, 0, 1) means x0 * x0 * x1
                powers.append(np.bincount(np.array(factors, dtype=int), minlength=d))
        self.powers_ = np.array(powers, dtype=int).reshape(-1, d)  # (n_output_features, n_features)
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
        # HINT 2: out[:, k] = prod(X ** powers_[k], axis=1), for every k at once by broadcasting
        return np.prod(X[:, None, :] ** self.powers_, axis=2)  # (n_samples, n_output_features): x**0 is 1
        # END SOLUTION

    def get_feature_names_out(self, input_features=None):
        """Names like "1", "x0", "x0^2", "x0 x1" (scikit-learn's format)."""
        check_fitted(self, "powers_")
        input_features = [f"x{j}" for j in range(self.n_features_in_)] if input_features is None else list(input_features)
        if len(input_features) != self.n_features_in_:
            raise ValueError(f"input_features must have {self.n_features_in_} names; got {len(input_features)}")
        # BEGIN SOLUTION
        # HINT 1: Build a name from the features with a positive power: "x0^2 x1"; the empty product is "1".
        factors = ([name if p == 1 else f"{name}^{p}" for name, p in zip(input_features, powers) if p > 0] for powers in self.powers_)
        return np.array([" ".join(f) if f else "1" for f in factors], dtype=object)
        # END SOLUTION


class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Put each feature's values into bins; returns the bin index (encode="ordinal").

    n_bins : int >= 2 (or one per feature); encode : "ordinal" (the only one here; one-hot with exercise 10);
    strategy : "uniform" (equal width) or "quantile" (equal counts); quantile_method : a np.percentile method.

    Attributes: bin_edges_ (object array, bin_edges_[j] the sorted edges of feature j); n_bins_, the bins
    per feature (fewer when edges coincide; 1 for a constant feature, with edges [-inf, inf]).
    """

    def __init__(self, n_bins=5, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf"):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method

    def fit(self, X, y=None):
        if self.encode != "ordinal":
            raise ValueError(f"encode must be 'ordinal' here; got {self.encode!r}")
        check_option(self.strategy, "strategy", ("uniform", "quantile"))
        X = check_X(X, owner="KBinsDiscretizer")
        n_bins = np.broadcast_to(np.asarray(self.n_bins), (X.shape[1],)).astype(int).copy()  # (n_features,)
        if np.any(n_bins < 2) or np.any(n_bins != np.asarray(self.n_bins)):
            raise ValueError(f"n_bins must be integers >= 2; got {self.n_bins!r}")
        edges = np.empty(X.shape[1], dtype=object)
        # BEGIN SOLUTION
        # HINT 1: Per feature: uniform edges span [min, max]; quantile edges sit at percentiles, and repeated
        # HINT 1: edges (ties) are removed, which can reduce the number of bins. Constant: one infinite bin.
        # HINT 2: uniform: np.linspace(lo, hi, n_bins + 1); quantile: np.percentile(column, linspace(0, 100, n+1))
        # HINT 3: constant column: edges [-inf, inf], 1 bin; quantile: np.percentile(..., method=quantile_method),
        # HINT 3: then drop edges closer than 1e-8 to the previous one; n_bins[j] = len(edges[j]) - 1
        for j in range(X.shape[1]):
            column = X[:, j]  # (n_samples,)
            if column.min() == column.max():  # a constant feature: one bin that holds everything
                edges[j], n_bins[j] = np.array([-np.inf, np.inf]), 1
            elif self.strategy == "uniform":
                edges[j] = np.linspace(column.min(), column.max(), n_bins[j] + 1)
            else:  # heavy ties give repeated quantiles: drop bins narrower than 1e-8
                q = np.percentile(column, np.linspace(0, 100, n_bins[j] + 1), method=self.quantile_method)
                edges[j] = q[np.diff(q, prepend=-np.inf) > 1e-8]
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
        for j, edges in enumerate(self.bin_edges_):  # inner edges: below the first is bin 0, above the last the last bin
            out[:, j] = np.searchsorted(edges[1:-1], X[:, j], side="right")
        return out
        # END SOLUTION

    def inverse_transform(self, X):
        """Each bin index back to its bin's centre (the information inside a bin is gone)."""
        check_fitted(self, "bin_edges_")
        X = check_X(X, self.n_features_in_, owner="this KBinsDiscretizer")
        out = np.empty(X.shape)
        for j, edges in enumerate(self.bin_edges_):
            # A constant feature, edges [-inf, inf], has no centre (NaN, like sklearn).
            centres = np.array([np.nan]) if np.isinf(edges).any() else (edges[1:] + edges[:-1]) / 2  # (n_bins_j,)
            index = X[:, j].astype(int)
            if np.any(index != X[:, j]) or np.any((index < 0) | (index >= len(centres))):
                raise ValueError(f"column {j} must hold bin indices 0..{len(centres) - 1}")
            out[:, j] = centres[index]
        return out


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.linear_model import LogisticRegression  # module 02's model, from the library

    X, _, names = data.load_breast_cancer(return_names=True)[:3]
    area = X[:, names.index("area error")]  # (569,), a skewed feature
    print("Five bins of 'area error' (breast cancer data): how many rows in each")
    for strategy in ("uniform", "quantile"):
        bins = KBinsDiscretizer(n_bins=5, strategy=strategy).fit_transform(area[:, None])[:, 0].astype(int)  # (569,)
        print(f"  {strategy:<9}", np.bincount(bins, minlength=5))

    # A linear model on circles: raw features vs degree-2 features.
    Xc, yc = data.make_circles(n_samples=300, noise=0.08, factor=0.5, random_state=0)
    poly = PolynomialFeatures(degree=2, include_bias=False).fit(Xc)
    linear = LogisticRegression(C=100.0).fit(Xc, yc)
    curved = LogisticRegression(C=100.0).fit(poly.transform(Xc), yc)
    print(f"\nCircles: logistic regression accuracy on x0, x1: {linear.score(Xc, yc):.3f}; "
          f"on {', '.join(poly.get_feature_names_out())}: {curved.score(poly.transform(Xc), yc):.3f}")

    fig, axes = plotting.new_figure(1, 2, width=4.6, height=4.0)
    plotting.plot_decision_boundary(axes[0], linear.predict, Xc, yc, title=f"linear features: acc {linear.score(Xc, yc):.2f}")
    plotting.plot_decision_boundary(axes[1], lambda G: curved.predict(poly.transform(G)), Xc, yc,
                                    title=f"degree-2 features: acc {curved.score(poly.transform(Xc), yc):.2f}")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex11_creating_features")


if __name__ == "__main__":
    main()
