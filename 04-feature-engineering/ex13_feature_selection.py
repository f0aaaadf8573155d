"""
Exercise 13: feature selection by filters (variance, correlation, mutual information)

Learning goals
--------------
- Drop features that cannot help: constant ones (VarianceThreshold) and near copies
  of another feature (a correlation filter with a deterministic rule).
- Measure how much a discrete feature tells about the label: mutual information, in nats.
- Share one selector protocol (support_, transform, get_support); exercise 14 builds on it.

The math
--------
X has shape (n_samples, n_features), y shape (n_samples,).

Variance filter: keep column j when var(x_j) > threshold (population variance, NaN ignored;
with threshold 0 also max - min, so a round-off variance of 1e-34 still counts as constant).

Correlation filter: r_jk = cov(x_j, x_k) / (std_j std_k) (0 when a column is constant).
Walk the columns left to right and keep column k unless |r_jk| > threshold for some kept
column j < k: the first of each group of near-copies survives, whatever the tie rules.

Mutual information of discrete x and y, with p the joint frequencies of the
contingency table and p_x, p_y its margins:

    I(x; y) = sum_{a, b: p(a, b) > 0} p(a, b) log( p(a, b) / (p_x(a) p_y(b)) )   (nats),
the KL divergence KL(p || p_x p_y) of the joint from the product of its margins.
It is 0 exactly when the table factorises (independence) and at most min(H(x), H(y)).

Algorithm
---------
1. VarianceThreshold and CorrelationFilter: one pass over the columns.
2. Mutual information: np.unique(..., return_inverse=True) codes both variables, np.bincount on
   the pair codes builds the table, the KL divergence (module 00) compares it with its margins.
3. Demo: breast cancer data: which features survive each filter, which tell most about the diagnosis.

References: I. Guyon, A. Elisseeff, "An introduction to variable and feature
selection", JMLR 3, 2003; T. M. Cover, J. A. Thomas, Elements of Information Theory, 2nd ed., ch. 2.
Difficulty: 2 of 3, about 25 minutes.
Run: python 04-feature-engineering/ex13_feature_selection.py
"""

# %%
import warnings

import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_finite, check_fitted, check_same_length, check_X


# %% [markdown]
# ## The selector protocol


# %%
class Selector(TransformerMixin, BaseEstimator):
    """What every selector shares: a boolean mask support_ and the methods built on it."""

    def get_support(self, indices=False):
        """The mask of kept features, or their indices with indices=True."""
        check_fitted(self, "support_")
        return np.flatnonzero(self.support_) if indices else self.support_.copy()

    def transform(self, X):
        """The kept columns of X, shape (n_samples, n_kept)."""
        check_fitted(self, "support_")
        X = check_X(X, self.n_features_in_, allow_nan=self._domain.get("allow_nan", False), owner=f"this {type(self).__name__}")
        return X[:, self.support_]

    def inverse_transform(self, X):
        """Put the kept columns back in place; removed features become columns of zeros."""
        check_fitted(self, "support_")
        X = check_X(X, allow_nan=True, owner=f"this {type(self).__name__}")
        if X.shape[1] != self.support_.sum():
            raise ValueError(f"X must have {self.support_.sum()} columns (the kept features); got shape {X.shape}")
        out = np.zeros((X.shape[0], self.n_features_in_))  # (n_samples, n_features_in_)
        out[:, self.support_] = X
        return out

    def get_feature_names_out(self, input_features=None):
        check_fitted(self, "support_")
        names = [f"x{j}" for j in range(self.n_features_in_)] if input_features is None else list(input_features)
        if len(names) != self.n_features_in_:
            raise ValueError(f"input_features must have {self.n_features_in_} names; got {len(names)}")
        return np.array(names, dtype=object)[self.support_]


# %% [markdown]
# ## Implementation: filters (variance, correlation, mutual information)


# %%
class VarianceThreshold(Selector):
    """Keep the features whose variance (NaN ignored) exceeds threshold. Attributes: variances_, support_ (n_features,)."""

    _domain = {"allow_nan": True}  # variances ignore NaN

    def __init__(self, threshold=0.0):
        self.threshold = threshold

    def fit(self, X, y=None):
        if not self.threshold >= 0:
            raise ValueError(f"threshold must be >= 0; got {self.threshold}")
        X = check_X(X, owner="VarianceThreshold", allow_nan=True)
        # BEGIN SOLUTION
        # HINT 1: Keep the columns whose variance (ignoring NaN) exceeds the threshold;
        # HINT 1: at threshold 0 use max - min to detect constant columns exactly.
        # HINT 2: variances = np.nanvar(X, axis=0) (min with nanmax - nanmin when threshold == 0); var > threshold
        with warnings.catch_warnings():  # a column with nothing observed: NaN, without a warning
            warnings.simplefilter("ignore", RuntimeWarning)
            variances = np.nanvar(X, axis=0)  # (n_features,), population variance, NaN ignored
            if self.threshold == 0:
                # max - min is exactly 0 for a constant column, whatever the round-off in the variance
                variances = np.minimum(variances, np.nanmax(X, axis=0) - np.nanmin(X, axis=0))  # NaN stays NaN
        self.variances_ = variances
        self.support_ = variances > self.threshold  # NaN compares False: never kept
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        if not self.support_.any():
            raise ValueError(f"no feature in X has a variance above the threshold {self.threshold} (n_samples={len(X)})")
        return self


def correlation_matrix(X):
    """Pearson correlations of the columns of X, shape (n_features, n_features); 0 for a constant column (1 on the diagonal)."""
    X = check_X(X, owner="correlation_matrix")
    # BEGIN SOLUTION
    # HINT 1: Pearson correlations of the non-constant columns; a constant column correlates with nothing.
    # HINT 2: r = eye(d); r[ix_(varying, varying)] = np.corrcoef(X[:, varying], rowvar=False)
    # HINT 3: constant = X.std(0) <= 1e-12 * (1 + max|X| per column); r = np.eye(d);
    # HINT 3: varying = flatnonzero(~constant); r[np.ix_(varying, varying)] = np.corrcoef(X[:, varying], rowvar=False)
    constant = X.std(axis=0) <= 1e-12 * (1.0 + np.abs(X).max(axis=0))  # (n_features,), zero std up to round-off
    r = np.eye(X.shape[1])  # (n_features, n_features): a constant column is uncorrelated with every other
    varying = np.flatnonzero(~constant)
    if varying.size:  # Pearson correlations (module 00) of the other columns
        r[np.ix_(varying, varying)] = np.corrcoef(X[:, varying], rowvar=False)
    return r
    # END SOLUTION


class CorrelationFilter(Selector):
    """Drop the later feature of every pair with |correlation| > threshold (left to right).

    Attributes: correlation_ (n_features, n_features), support_ (n_features,) bool.
    """

    def __init__(self, threshold=0.9):
        self.threshold = threshold

    def fit(self, X, y=None):
        if not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold must be in [0, 1]; got {self.threshold}")
        X = check_X(X, owner="CorrelationFilter")
        self.correlation_ = correlation_matrix(X)
        # BEGIN SOLUTION
        # HINT 1: Greedy, in column order: keep a column unless it is too correlated with one already kept.
        # HINT 2: keep[k] = not any(|correlation_[k, :k][keep[:k]]| > threshold)
        keep = np.zeros(X.shape[1], dtype=bool)  # (n_features,)
        for k in range(X.shape[1]):
            keep[k] = not np.any(np.abs(self.correlation_[k, :k][keep[:k]]) > self.threshold)
        self.support_ = keep
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self


def mutual_info_discrete(x, y):
    """Mutual information I(x; y) in nats of two discrete variables of shape (n_samples,)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 1 or y.ndim != 1 or x.size == 0:
        raise ValueError(f"x and y must be non-empty 1-D arrays; got shapes {x.shape} and {y.shape}")
    check_same_length(x, y, ("x", "y"))
    # BEGIN SOLUTION
    # HINT 1: Mutual information is the KL divergence between the joint table and the
    # HINT 1: product of its margins. Build the joint table of codes with one bincount.
    # HINT 2: table = bincount(xi * ky + yi).reshape(kx, ky) / n; I = sum over table > 0 of table * log(table / outer(px, py))
    # HINT 3: xi, yi = codes from np.unique(..., return_inverse=True); table as above; px, py = its margins
    # HINT 3: p = table[table > 0]; q = np.outer(px, py)[table > 0]; return sum(p * log(p / q))
    xi, yi = np.unique(x, return_inverse=True)[1], np.unique(y, return_inverse=True)[1]  # codes 0 .. kx-1, 0 .. ky-1
    kx, ky = xi.max() + 1, yi.max() + 1
    table = np.bincount(xi * ky + yi, minlength=kx * ky).reshape(kx, ky) / x.size  # (kx, ky) joint p
    px, py = table.sum(axis=1), table.sum(axis=0)  # (kx,), (ky,) margins
    seen = table > 0  # (kx, ky): cells with p = 0 add 0 (0 log 0 = 0), skipped; where p > 0, q > 0 too
    p, q = table[seen], np.outer(px, py)[seen]  # (n_seen,) each
    return float(np.sum(p * np.log(p / q)))
    # END SOLUTION


def mutual_info_scores(X, y):
    """mutual_info_discrete of each column of a discrete X with y, shape (n_features,)."""
    # Numbers only, and no NaN: np.unique would count every NaN as a category of its own.
    X = as_float_array(X, "X", ndim=2, finite=True)
    check_same_length(X, y, ("X", "y"))
    if np.asarray(y).dtype.kind == "f":
        check_finite(np.asarray(y), "y")
    return np.array([mutual_info_discrete(X[:, j], y) for j in range(X.shape[1])])


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.preprocessing import KBinsDiscretizer  # exercise 11's binner, from the library

    X, y, names = data.load_breast_cancer(return_names=True)[:3]
    X_train, _, y_train, _ = data.train_test_split(X, y, test_size=0.3, random_state=0)
    with_constant = np.column_stack([X_train, np.full(len(X_train), 3.0)])  # a constant column, to be dropped
    vt = VarianceThreshold().fit(with_constant)
    print(f"VarianceThreshold(0): keeps {vt.support_.sum()} of {with_constant.shape[1]} columns (the constant one goes)")
    cf = CorrelationFilter(threshold=0.95).fit(X_train)
    print(f"CorrelationFilter(0.95): keeps {cf.support_.sum()} of {X.shape[1]}; drops {', '.join(names[j] for j in np.flatnonzero(~cf.support_))}")

    # Mutual information of each feature, binned into 8 quantile bins, with the label.
    binned = KBinsDiscretizer(n_bins=8, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf").fit_transform(X_train)
    mi = mutual_info_scores(binned, y_train)
    top = np.argsort(mi)[::-1][:12][::-1]  # the 12 best, best last (on top of the bar chart)
    print(f"Highest mutual information with the diagnosis (nats; the label entropy is {mutual_info_discrete(y_train, y_train):.3f}):\n"
          + "\n".join(f"  {names[j]:<24}{mi[j]:.3f}" for j in top[::-1][:5]))

    fig, ax = plotting.new_figure(width=6.5, height=4.4)
    ax.barh([names[j] for j in top], mi[top], color=[plotting.COLORS[0] if cf.support_[j] else plotting.COLORS[3] for j in top])
    ax.tick_params(axis="y", labelsize=8)
    ax.set(title="Mutual information with the label (red: dropped as a near-copy, |r| > 0.95)", xlabel="nats")
    plotting.show_or_save(fig, "ex13_feature_selection")


if __name__ == "__main__":
    main()
