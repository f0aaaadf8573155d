"""
Exercise 15: univariate feature selection by the ANOVA F statistic (SelectKBest)

Learning goals
--------------
- Score each feature on its own against class labels with the one-way ANOVA F statistic:
  how far apart the class means are, measured in units of the spread inside the classes.
- Keep the k best features (SelectKBest), with NaN scores last and a deterministic tie rule.
- See what a univariate filter misses (redundancy between features), and that it uses the
  labels: it is a fitted step, like a model.

The math
--------
X has shape (n_samples, n_features), y shape (n_samples,) with C classes; n_c rows in class c.
Selecting the k features with the largest ANOVA F statistic

    F_j = [ sum_c n_c (mean_c(x_j) - mean(x_j))^2 / (C - 1) ]
          / [ sum_c sum_{i in c} (x_ij - mean_c(x_j))^2 / (n - C) ],

the between-class mean square over the within-class mean square of column j. A column
constant within every class has F = inf if its class means differ, NaN if not (0 / 0).
If x_j carries no signal (same Gaussian in every class), F_j follows the F(C - 1, n - C)
distribution: with many noise columns, the largest of them is large by chance alone
(exercise 16 measures what that does to cross-validation).

Algorithm
---------
1. f_classif: code the classes (np.unique), count them (np.bincount), class means (n_classes, n_features),
   between and within sums of squares per column, their ratio.
2. SelectKBest.fit: scores = score_func(X, y); NaN becomes -inf; a stable argsort keeps the last k.
3. Demo: breast cancer data, selection fitted on the training rows, test accuracy as k grows.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed.,
ch. 7.10.2; I. Guyon, A. Elisseeff, "An introduction to variable and feature selection", JMLR 3, 2003.
Difficulty: 1 of 3, about 15 minutes.
Run: python 04-feature-engineering/ex15_univariate_selection.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import check_fitted, check_X, check_X_y

# %% [markdown]
# ## Implementation: the ANOVA F score and the selector


# %%
def f_classif(X, y):
    """The one-way ANOVA F statistic of each column of X against class labels y; shape (n_features,).

    A column constant within every class has F = inf if its class means differ, NaN if not.
    """
    X, y = check_X_y(X, y)
    classes, codes = np.unique(y, return_inverse=True)
    if len(classes) < 2 or len(classes) >= len(y):
        raise ValueError(f"y needs at least 2 classes and more samples than classes; got {len(classes)} classes, {len(y)} samples")
    # BEGIN SOLUTION
    # HINT 1: The ANOVA F statistic per feature: variance between class means over variance within.
    # HINT 2: between = sum_c n_c (mean_c - mean)^2 / (C - 1); within = sum_i (x_i - mean_{y_i})^2 / (n - C)
    # HINT 3: counts = bincount(codes); class_means (C, d); between and within as above, summed over axis 0
    # HINT 3: F = between / within; where within == 0: inf if between > 0 else NaN
    n, C = len(y), len(classes)
    counts = np.bincount(codes)  # (n_classes,)
    class_means = np.stack([X[codes == c].mean(axis=0) for c in range(C)])  # (n_classes, n_features)
    grand_mean = X.mean(axis=0)  # (n_features,)
    between = (counts[:, None] * (class_means - grand_mean) ** 2).sum(axis=0) / (C - 1)  # (n_features,)
    within = ((X - class_means[codes]) ** 2).sum(axis=0) / (n - C)  # (n_features,)
    # Divide only where within > 0 (no 0 / 0 warning); elsewhere the limit: inf, or NaN for 0 / 0.
    ok = within > 0
    return np.where(ok, between / np.where(ok, within, 1.0), np.where(between > 0, np.inf, np.nan))
    # END SOLUTION


class SelectKBest(TransformerMixin, BaseEstimator):
    """Keep the k features with the highest score_func(X, y) (ANOVA F), as exercise 13's selectors do.

    Attributes: scores_ (n_features,), support_ (n_features,) bool, n_features_in_.
    """

    _domain = {"requires_y": True}

    def __init__(self, score_func=f_classif, k=10):
        self.score_func = score_func
        self.k = k

    def fit(self, X, y):
        X, y = check_X_y(X, y)
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or not 0 <= self.k <= X.shape[1]:
            raise ValueError(f"k must be an integer from 0 to n_features={X.shape[1]}; got {self.k!r}")
        # BEGIN SOLUTION
        # HINT 1: Score every feature, treat NaN as worst, keep the k best (ties: the later column wins).
        # HINT 2: support[argsort(scores, kind="mergesort")[-k:]] = True
        self.scores_ = np.asarray(self.score_func(X, y), dtype=float)  # (n_features,)
        scores = np.where(np.isnan(self.scores_), -np.inf, self.scores_)  # NaN: never preferred
        support = np.zeros(X.shape[1], dtype=bool)  # (n_features,)
        if self.k:
            # A stable sort puts the later of two equal scores later: the last k win, as in scikit-learn.
            support[np.argsort(scores, kind="mergesort")[-self.k :]] = True
        self.support_ = support
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def get_support(self):
        check_fitted(self, "support_")
        return self.support_.copy()

    def transform(self, X):  # the kept columns, (n_samples, k)
        check_fitted(self, "support_")
        return check_X(X, self.n_features_in_, owner="this SelectKBest")[:, self.support_]


# %% [markdown]
# ## Demo: which features, and how many


# %%
def main():
    from sklearn.feature_selection import f_classif as sk_f_classif  # compare with the library
    from sklearn.linear_model import LogisticRegression  # the demo subject, from the library
    from sklearn.preprocessing import StandardScaler  # exercise 07's scaler, from the library

    X, y, names = data.load_breast_cancer(return_names=True)[:3]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)
    F = f_classif(X_train, y_train)  # (n_features,): fitted on the training rows only
    print(f"Largest relative difference from sklearn's f_classif: {np.max(np.abs(F / sk_f_classif(X_train, y_train)[0] - 1)):.1e}")
    print("Highest F on the training rows:\n" + "\n".join(f"  {names[j]:<24}{F[j]:8.1f}" for j in np.argsort(F)[::-1][:5]))
    print("Each is scored alone: near-copies (radius, perimeter, area) all rank high; F cannot see redundancy.")

    scaler = StandardScaler().fit(X_train)
    ks = [1, 2, 3, 5, 10, 20, 30]
    accuracies = []
    print(f"{'k':>4}{'test accuracy':>15}")
    for k in ks:
        selector = SelectKBest(k=k).fit(scaler.transform(X_train), y_train)  # labels of the training rows only
        model = LogisticRegression(max_iter=1000).fit(selector.transform(scaler.transform(X_train)), y_train)
        accuracies.append(model.score(selector.transform(scaler.transform(X_test)), y_test))
        print(f"{k:4d}{accuracies[-1]:15.3f}")

    fig, (ax_f, ax_k) = plotting.new_figure(1, 2, width=5.0, height=4.4)
    order = np.argsort(F)[-15:]  # the 15 best, best on top
    ax_f.barh([names[j] for j in order], F[order], color=[plotting.COLORS[0] if j in order[-5:] else "0.7" for j in order])
    ax_f.tick_params(axis="y", labelsize=8)
    ax_f.set(xlabel="ANOVA F on the training rows", title="The 15 best features (blue: k = 5 kept)")
    ax_k.plot(ks, accuracies, "o-", color=plotting.COLORS[0])
    ax_k.set(xscale="log", xlabel="k features kept", ylabel="test accuracy", title="Logistic regression on the k best")
    plotting.show_or_save(fig, "ex15_univariate_selection")


if __name__ == "__main__":
    main()
