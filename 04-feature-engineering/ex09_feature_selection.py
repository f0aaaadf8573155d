"""
Exercise 09: feature selection (variance, correlation, mutual information, RFE)

Learning goals
--------------
- Drop features that cannot help: constant ones (VarianceThreshold) and near
  copies of another feature (a correlation filter with a deterministic rule).
- Measure how much a discrete feature tells about the label with mutual
  information, in nats, from a contingency table.
- Write recursive feature elimination (RFE) with scikit-learn's semantics: fit,
  drop the least important feature(s), refit, and read ranking_.

The math
--------
X has shape (n_samples, n_features), y shape (n_samples,).

Variance filter: keep column j when var(x_j) > threshold (population variance,
NaN ignored; with threshold 0 the spread max - min is used too, so that a
constant column with a round-off variance of 1e-34 still counts as constant).

Correlation filter: r_jk = cov(x_j, x_k) / (std_j std_k) (0 when a column is
constant). Walk the columns left to right and keep column k unless
|r_jk| > threshold for some column j < k that was kept. The first of each
group of near-copies survives, so the result does not depend on any tie rule.

Mutual information of discrete x and y, with p the joint frequencies of the
contingency table and p_x, p_y its margins:

    I(x; y) = sum_{a, b: p(a, b) > 0} p(a, b) log( p(a, b) / (p_x(a) p_y(b)) )   (nats),
the KL divergence KL(p || p_x p_y) of the joint from the product of its margins.
It is 0 exactly when the table factorises (independence) and at most min(H(x), H(y)).

RFE: with importance_j = coef_j^2 (summed over classes for a (k, d) coef_),
repeat: fit the estimator on the surviving features, remove the `step` least
important ones, and add 1 to the rank of every removed feature; stop at
n_features_to_select. The survivors get rank 1; the first removed, the highest rank.

Algorithm
---------
1. VarianceThreshold and CorrelationFilter: one pass over the columns.
2. Mutual information: np.unique(..., return_inverse=True) codes both variables,
   np.bincount on the pair codes builds the table, and the KL divergence (module
   00) compares it with the product of its margins.
3. RFE: the loop above, copying the estimator (copy.deepcopy) for every refit.
4. Demo: breast cancer data: which features survive each filter, and test
   accuracy of scikit-learn's logistic regression on the k best features by RFE,
   by mutual information and in random order.

References: I. Guyon, A. Elisseeff, "An introduction to variable and feature
selection", JMLR 3, 2003; I. Guyon et al., "Gene selection for cancer
classification using support vector machines", Machine Learning 46, 2002 (RFE);
T. M. Cover, J. A. Thomas, Elements of Information Theory, 2nd ed., ch. 2.
Builds on: 04-feature-engineering/ex05_scaling.py (scaling).
Difficulty: 2 of 3, about 35 minutes.
Run: python 04-feature-engineering/ex09_feature_selection.py
"""

# %%
import copy

import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_finite, check_fitted, check_same_length, check_X, check_X_y

scaling = utils.load_exercise("04-feature-engineering/ex05_scaling.py", practice=False)  # NaN-aware statistics


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

    def fit_transform(self, X, y=None):
        return self.fit(X, y).transform(X)

    def get_feature_names_out(self, input_features=None):
        check_fitted(self, "support_")
        names = [f"x{j}" for j in range(self.n_features_in_)] if input_features is None else list(input_features)
        if len(names) != self.n_features_in_:
            raise ValueError(f"input_features must have {self.n_features_in_} names; got {len(names)}")
        return np.array(names, dtype=object)[self.support_]


# %% [markdown]
# ## Implementation: filters


# %%
class VarianceThreshold(Selector):
    """Keep the features whose variance (NaN ignored) exceeds threshold.

    Attributes
    ----------
    variances_ : ndarray of shape (n_features,)
    support_ : ndarray of bool, shape (n_features,)
    n_features_in_ : int
    """

    _domain = {"allow_nan": True}  # variances ignore NaN

    def __init__(self, threshold=0.0):
        self.threshold = threshold

    def fit(self, X, y=None):
        """Compute variances_ and support_; returns self."""
        if not self.threshold >= 0:
            raise ValueError(f"threshold must be >= 0; got {self.threshold}")
        X = check_X(X, owner="VarianceThreshold", allow_nan=True)
        # BEGIN SOLUTION
        # HINT 1: Keep the columns whose variance (ignoring NaN) exceeds the threshold;
        # HINT 1: at threshold 0 use max - min to detect constant columns exactly.
        # HINT 2: variances = nan_mean_var(X)[1] (min with np.ptp when threshold == 0);
        # HINT 2:   support_ = var > threshold
        _, variances, _ = scaling.nan_mean_var(X)  # (n_features,), NaN for a column with nothing observed
        if self.threshold == 0:
            # max - min is exactly 0 for a constant column, whatever the round-off in the variance
            variances = np.minimum(variances, scaling.nan_column_stats(X, np.ptp))  # NaN stays NaN
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
    # HINT 1: Pearson correlations of the non-constant columns;
    # HINT 1: a constant column correlates with nothing.
    # HINT 2: r = eye(d); r[ix_(varying, varying)] = np.corrcoef(X[:, varying], rowvar=False)
    # HINT 3: std = X.std(0); constant = std <= 1e-12 * (1 + max|X| per column)
    # HINT 3: r = np.eye(d); varying = flatnonzero(~constant)
    # HINT 3: if varying.size: r[np.ix_(varying, varying)] =
    # HINT 3:   np.corrcoef(X[:, varying], rowvar=False)
    std = X.std(axis=0)  # (n_features,)
    constant = std <= 1e-12 * (1.0 + np.abs(X).max(axis=0))  # zero up to round-off
    r = np.eye(X.shape[1])  # (n_features, n_features): a constant column is uncorrelated with every other
    varying = np.flatnonzero(~constant)
    if varying.size:  # Pearson correlations (module 00) of the other columns
        r[np.ix_(varying, varying)] = np.corrcoef(X[:, varying], rowvar=False)
    return r
    # END SOLUTION


class CorrelationFilter(Selector):
    """Drop the later feature of every pair with |correlation| > threshold (left to right).

    Attributes
    ----------
    correlation_ : ndarray of shape (n_features, n_features)
    support_ : ndarray of bool
    n_features_in_ : int
    """

    def __init__(self, threshold=0.9):
        self.threshold = threshold

    def fit(self, X, y=None):
        """Compute correlation_ and keep the first of each group of near-copies; returns self."""
        if not 0 <= self.threshold <= 1:
            raise ValueError(f"threshold must be in [0, 1]; got {self.threshold}")
        X = check_X(X, owner="CorrelationFilter")
        self.correlation_ = correlation_matrix(X)
        # BEGIN SOLUTION
        # HINT 1: Greedy, in column order: keep a column unless
        # HINT 1: it is too correlated with one already kept.
        # HINT 2: keep[k] = not any(|correlation_[k, :k][keep[:k]]| > threshold)
        keep = np.zeros(X.shape[1], dtype=bool)  # (n_features,)
        for k in range(X.shape[1]):
            keep[k] = not np.any(np.abs(self.correlation_[k, :k][keep[:k]]) > self.threshold)
        self.support_ = keep
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self


# %% [markdown]
# ## Implementation: mutual information


# %%
def mutual_info_discrete(x, y):
    """Mutual information I(x; y) in nats of two discrete variables of shape (n_samples,)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 1 or y.ndim != 1 or x.size == 0:
        raise ValueError(f"x and y must be non-empty 1-D arrays; got shapes {x.shape} and {y.shape}")
    check_same_length(x, y, ("x", "y"))
    # BEGIN SOLUTION
    # HINT 1: Mutual information is the KL divergence between the joint table and the
    # HINT 1: product of its margins. Build the joint table of codes with one bincount.
    # HINT 2: table = bincount(xi * ky + yi).reshape(kx, ky) / n;
    # HINT 2:   I = sum over table > 0 of table * log(table / outer(px, py))
    # HINT 3: xi, yi = codes from np.unique(..., return_inverse=True); kx, ky = counts of codes
    # HINT 3: table = np.bincount(xi * ky + yi, minlength=kx * ky).reshape(kx, ky) / x.size
    # HINT 3: px, py = table.sum(1), table.sum(0)
    # HINT 3: p = table[table > 0]; q = np.outer(px, py)[table > 0]; return sum(p * log(p / q))
    _, xi = np.unique(x, return_inverse=True)  # codes 0 .. kx-1
    _, yi = np.unique(y, return_inverse=True)  # codes 0 .. ky-1
    kx, ky = xi.max() + 1, yi.max() + 1
    table = np.bincount(xi * ky + yi, minlength=kx * ky).reshape(kx, ky) / x.size  # (kx, ky) joint p
    px, py = table.sum(axis=1), table.sum(axis=0)  # (kx,), (ky,) margins
    # I(x; y) = KL(joint || product of the margins); cells with p = 0 add 0 (0 log 0 = 0) and
    # are skipped, so no log(0). Where p > 0 its margins are > 0 too, so q > 0.
    seen = table > 0  # (kx, ky)
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
# ## Implementation: recursive feature elimination


# %%
def feature_importances(estimator):
    """coef_^2 (summed over rows for a 2-D coef_), or feature_importances_; shape (n_features,)."""
    if hasattr(estimator, "coef_"):
        coef = np.asarray(estimator.coef_, dtype=float)
        return coef**2 if coef.ndim == 1 else (coef**2).sum(axis=0)
    if hasattr(estimator, "feature_importances_"):
        return np.asarray(estimator.feature_importances_, dtype=float)
    raise TypeError(f"{type(estimator).__name__} has neither coef_ nor feature_importances_ after fit")


class RFE(Selector):
    """Recursive feature elimination around any estimator with fit and coef_ (or feature_importances_).

    Parameters
    ----------
    estimator : an unfitted estimator (it is copied, never fitted itself)
    n_features_to_select : int, float in (0, 1) (a fraction), or None (half)
    step : int >= 1, or float in (0, 1) (that fraction of all features per round)

    Attributes
    ----------
    support_ : ndarray of bool, the selected features
    ranking_ : ndarray of int, 1 for the selected ones, larger for earlier removals
    n_features_ : int
    estimator_ : the estimator fitted on the selected features
    n_features_in_ : int
    """

    _domain = {"requires_y": True}

    def __init__(self, estimator, n_features_to_select=None, step=1):
        self.estimator = estimator
        self.n_features_to_select = n_features_to_select
        self.step = step

    def fit(self, X, y):
        """Eliminate features until n_features_to_select remain; returns self."""
        X, y = check_X_y(X, y)
        n_features = X.shape[1]
        k = self.n_features_to_select
        if k is None:
            k = max(1, n_features // 2)
        elif isinstance(k, float) and 0 < k < 1:
            k = int(n_features * k)
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n_features:
            raise ValueError(f"n_features_to_select must be an int in 1..{n_features}, a fraction in (0, 1) or None; "
                             f"got {self.n_features_to_select!r}")
        step = self.step
        if isinstance(step, float) and 0 < step < 1:
            step = int(max(1, step * n_features))
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
            raise ValueError(f"step must be an int >= 1 or a fraction in (0, 1); got {self.step!r}")
        # BEGIN SOLUTION
        # HINT 1: Recursive elimination: refit on the survivors, drop the least important `step`
        # HINT 1: features, repeat until k remain. Ranks count how many rounds a feature survived.
        # HINT 2: order = argsort(feature_importances(model));
        # HINT 2:   remove features[order[:min(step, n_left - k)]]
        # HINT 3: support = ones(d, bool); ranking = ones(d, int)
        # HINT 3: while support.sum() > k: features = flatnonzero(support); fit a deepcopy on them
        # HINT 3:     drop features[argsort(importances)[:n_remove]]; ranking[~support] += 1
        # HINT 3: store support_, ranking_; estimator_ = deepcopy(estimator).fit(X[:, support], y)
        support = np.ones(n_features, dtype=bool)  # (d,)
        ranking = np.ones(n_features, dtype=int)  # (d,)
        while support.sum() > k:
            features = np.flatnonzero(support)  # the survivors, in column order
            model = copy.deepcopy(self.estimator).fit(X[:, features], y)
            order = np.argsort(feature_importances(model))  # least important first
            n_remove = min(step, support.sum() - k)
            support[features[order[:n_remove]]] = False
            ranking[~support] += 1  # everything removed so far moves one rank down
        self.support_, self.ranking_ = support, ranking
        self.estimator_ = copy.deepcopy(self.estimator).fit(X[:, support], y)
        # END SOLUTION
        self.n_features_ = int(self.support_.sum())
        self.n_features_in_ = n_features
        return self

    def predict(self, X):
        """The fitted estimator's predictions on the selected features."""
        check_fitted(self, "estimator_")
        return self.estimator_.predict(self.transform(X))

    def score(self, X, y):
        """The fitted estimator's score on the selected features."""
        check_fitted(self, "estimator_")
        return self.estimator_.score(self.transform(X), y)


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, names = data.load_breast_cancer(return_names=True)[:3]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)
    d = X.shape[1]

    # 1. Filters: a constant column added to show VarianceThreshold at work.
    with_constant = np.column_stack([X_train, np.full(len(X_train), 3.0)])
    vt = VarianceThreshold().fit(with_constant)
    print(f"VarianceThreshold(0): keeps {vt.support_.sum()} of {with_constant.shape[1]} columns (the constant one goes)")
    cf = CorrelationFilter(threshold=0.95).fit(X_train)
    dropped = [names[j] for j in np.flatnonzero(~cf.support_)]
    print(f"CorrelationFilter(0.95): keeps {cf.support_.sum()} of {d}; drops {', '.join(dropped)}")

    # 2. Mutual information of each feature, binned into 8 quantile bins (exercise 07; the
    # library's binner here), with the label.
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import KBinsDiscretizer, StandardScaler

    binned = KBinsDiscretizer(n_bins=8, encode="ordinal", strategy="quantile", quantile_method="averaged_inverted_cdf").fit_transform(X_train)
    mi = mutual_info_scores(binned, y_train)
    best_mi = np.argsort(mi)[::-1]
    print("\nHighest mutual information with the diagnosis (nats; the label entropy is "
          f"{mutual_info_discrete(y_train, y_train):.3f}):")
    for j in best_mi[:5]:
        print(f"  {names[j]:<24}{mi[j]:.3f}")

    # 3. RFE with logistic regression (module 02) on standardised features (exercise 05), both
    # from the library now that we have written them.
    scaler = StandardScaler().fit(X_train)
    Z_train, Z_test = scaler.transform(X_train), scaler.transform(X_test)
    rfe = RFE(LogisticRegression(C=1.0), n_features_to_select=1).fit(Z_train, y_train)
    print("\nRFE order (rank 1 = kept longest):", ", ".join(names[j] for j in np.argsort(rfe.ranking_)[:5]), "...")

    orders = {"RFE ranking": np.argsort(rfe.ranking_, kind="stable"), "mutual information": best_mi,
              "random order": np.random.default_rng(0).permutation(d)}
    ks = [1, 2, 3, 5, 8, 12, 20, 30]
    curves = {}
    for name, order in orders.items():
        curves[name] = []
        for k in ks:
            cols = order[:k]
            model = LogisticRegression(C=1.0).fit(Z_train[:, cols], y_train)
            curves[name].append(model.score(Z_test[:, cols], y_test))
    print(f"\n{'test accuracy with k features':<30}" + "".join(f"{k:>7}" for k in ks))
    for name, accs in curves.items():
        print(f"{name:<30}" + "".join(f"{a:7.3f}" for a in accs))

    # Compare with the library (scikit-learn is used only here, never above).
    from sklearn.feature_selection import RFE as SkRFE
    from sklearn.linear_model import LinearRegression as SkLinearRegression

    same = np.array_equal(RFE(SkLinearRegression(), n_features_to_select=5).fit(Z_train, y_train).ranking_,
                          SkRFE(SkLinearRegression(), n_features_to_select=5).fit(Z_train, y_train).ranking_)
    print(f"\nRFE(LinearRegression) ranking_ equals sklearn's: {same}")

    fig, (ax_r, ax_mi, ax_acc) = plotting.new_figure(1, 3, width=4.5, height=4.2)
    image = ax_r.imshow(np.abs(cf.correlation_), cmap="viridis", vmin=0, vmax=1)
    ax_r.grid(False)
    gone = np.flatnonzero(~cf.support_)
    ax_r.scatter(np.full(gone.size, -2.0), gone, marker=">", s=25, color=plotting.COLORS[3], clip_on=False, label="dropped (|r| > 0.95)")
    ax_r.set(xlim=(-0.5, d - 0.5), ylim=(d - 0.5, -0.5))
    fig.colorbar(image, ax=ax_r, fraction=0.046)
    ax_r.set(title="|correlation| between the 30 features", xlabel="feature index", ylabel="feature index")
    ax_r.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8)
    top = best_mi[:12][::-1]
    ax_mi.barh([names[j] for j in top], mi[top], color=plotting.COLORS[1])
    ax_mi.tick_params(axis="y", labelsize=7)
    ax_mi.set(title="Mutual information with the label", xlabel="nats")
    for (name, accs), color in zip(curves.items(), plotting.COLORS):
        ax_acc.plot(ks, accs, "o-", color=color, label=name)
    ax_acc.set(xscale="log", xticks=ks, xticklabels=[str(k) for k in ks], xlabel="number of features k",
               ylabel="test accuracy", title="Logistic regression on the k best")
    ax_acc.legend(loc="lower right")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_feature_selection")


if __name__ == "__main__":
    main()
