"""
Exercise 14: recursive feature elimination (RFE)

Learning goals
--------------
- Write recursive feature elimination with scikit-learn's semantics: fit, drop
  the least important feature(s), refit, and read ranking_.
- Use any estimator as the judge: coef_^2 for a linear model, feature_importances_
  for a tree, through one small rule.
- Compare the features RFE keeps with those ranked by mutual information
  (exercise 13) and with a random order, by test accuracy.

The math
--------
X has shape (n_samples, n_features), y shape (n_samples,). With
importance_j = coef_j^2 (summed over classes for a (n_classes, n_features) coef_),
repeat: fit the estimator on the surviving features, remove the `step` least
important ones, and add 1 to the rank of every removed feature; stop at
n_features_to_select. The survivors get rank 1; the first removed, the highest rank.
A fractional n_features_to_select or step is that fraction of all the features.

Unlike a filter, RFE judges a feature together with the others: two correlated
features share one weight, so the weaker copy is removed first and the other
then carries it alone.

Algorithm
---------
1. Turn n_features_to_select and step into integers.
2. While more than n_features_to_select features survive: fit a copy of the
   estimator (copy.deepcopy) on them, drop the min(step, n_left - k) least
   important, and move every removed feature one rank down.
3. Fit the final copy on the survivors (estimator_).
4. Demo: breast cancer data, scikit-learn's logistic regression as the judge;
   test accuracy on the k best features by RFE, by mutual information, at random.

References: I. Guyon et al., "Gene selection for cancer classification using
support vector machines", Machine Learning 46, 2002 (RFE); I. Guyon, A. Elisseeff,
"An introduction to variable and feature selection", JMLR 3, 2003.
Builds on: 04-feature-engineering/ex13_feature_selection.py (selection).
Difficulty: 2 of 3, about 25 minutes.
Run: python 04-feature-engineering/ex14_recursive_feature_elimination.py
"""

# %%
import copy

import numpy as np

import utils
from utils import data, plotting
from utils.validation import check_fitted, check_X_y

# The selector protocol (support_, transform, get_support) and mutual information of exercise 13.
selection = utils.load_exercise("04-feature-engineering/ex13_feature_selection.py", practice=False)


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


class RFE(selection.Selector):
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
        support = np.ones(n_features, dtype=bool)  # (n_features,)
        ranking = np.ones(n_features, dtype=int)  # (n_features,)
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
    from sklearn.feature_selection import RFE as SkRFE
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import KBinsDiscretizer, StandardScaler

    X, y, names = data.load_breast_cancer(return_names=True)[:3]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)
    scaler = StandardScaler().fit(X_train)  # written in exercise 07; the library's here
    Z_train, Z_test = scaler.transform(X_train), scaler.transform(X_test)
    rfe = RFE(LogisticRegression(C=1.0), n_features_to_select=1).fit(Z_train, y_train)
    print("RFE order (rank 1 = kept longest):", ", ".join(names[j] for j in np.argsort(rfe.ranking_)[:5]), "...")

    binned = KBinsDiscretizer(n_bins=8, encode="ordinal", strategy="quantile",
                              quantile_method="averaged_inverted_cdf").fit_transform(X_train)
    mi = selection.mutual_info_scores(binned, y_train)  # exercise 13
    orders = {"RFE ranking": np.argsort(rfe.ranking_, kind="stable"), "mutual information": np.argsort(mi)[::-1],
              "random order": np.random.default_rng(0).permutation(X.shape[1])}
    ks = [1, 2, 3, 5, 8, 12, 20, 30]
    curves = {name: [LogisticRegression(C=1.0).fit(Z_train[:, order[:k]], y_train).score(Z_test[:, order[:k]], y_test)
                     for k in ks] for name, order in orders.items()}
    print(f"\n{'test accuracy with k features':<30}" + "".join(f"{k:>7}" for k in ks))
    for name, accs in curves.items():
        print(f"{name:<30}" + "".join(f"{a:7.3f}" for a in accs))

    # Compare with the library: the same ranking as scikit-learn's RFE around the same model.
    same = np.array_equal(rfe.ranking_, SkRFE(LogisticRegression(C=1.0), n_features_to_select=1).fit(Z_train, y_train).ranking_)
    print(f"\nranking_ equals sklearn's RFE: {same}")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    for (name, accs), color in zip(curves.items(), plotting.COLORS):
        ax.plot(ks, accs, "o-", color=color, label=name)
    ax.set(xscale="log", xticks=ks, xticklabels=[str(k) for k in ks], xlabel="number of features k",
           ylabel="test accuracy", title="Logistic regression on the k best features")
    ax.legend(loc="lower right")
    plotting.show_or_save(fig, "ex14_recursive_feature_elimination")


if __name__ == "__main__":
    main()
