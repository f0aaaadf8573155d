"""
Exercise 10: a random forest, many decorrelated trees voting together

Learning goals
--------------
- Build a random forest from ex08's tree: each tree sees a bootstrap sample of
  the rows, and each split searches only a random subset of the features.
- Vote by averaging the trees' class probabilities (what scikit-learn does).
- Estimate the test accuracy for free from the out-of-bag (OOB) samples.

The math
--------
X has shape (n_samples, n_features) = (n, d) and y takes n_classes = K classes. Tree b (b = 1..B) is grown on a bootstrap sample
(n rows drawn with replacement); each node searches m = max_features random features
("sqrt": m = floor(sqrt(d))). The forest predicts
    P(class k | x) = (1/B) sum_b P_b(class k | x),   y_hat(x) = argmax_k P(class k | x).
Averaging B identically distributed trees with variance s^2 and pairwise
correlation r leaves variance r s^2 + (1 - r) s^2 / B: more trees shrink the
second term, and feature subsampling lowers r, the first.
A given row is left out of one bootstrap sample with probability
(1 - 1/n)^n ~ e^-1 ~ 0.37, so every row has about 0.37 B trees that never saw it;
their vote is an honest prediction for that row, and the accuracy of those votes
(the OOB score) estimates the test accuracy without a held-out set.

Algorithm
---------
1. For b = 1..B: draw n bootstrap rows (remember them) and fit a DecisionTreeClassifier(
   max_features=m) with its own seed on them; a row drawn c times enters once with weight c.
2. predict_proba: average the trees' probabilities (each tree's columns mapped to
   the forest's classes, in case its bootstrap sample missed a class).
3. OOB: for each tree, add its probabilities to the rows it did not see; the OOB
   score is the accuracy of the argmax over the rows that got at least one vote.
4. Feature importances: the mean of the trees' importances, normalised to sum 1.

References: L. Breiman, "Random Forests", Machine Learning 45 (2001) 5-32; T. Hastie,
R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., ch. 15.
Builds on: 02-fundamentals-of-machine-learning/ex08_decision_tree.py (tree).
Difficulty: 2 of 3, about 35 minutes.
Run: python 02-fundamentals-of-machine-learning/ex10_random_forest.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.trees import check_tree_params, resolve_max_features
from utils.validation import check_X, check_X_y, check_fitted, check_option, check_positive_int

tree = utils.load_exercise("02-fundamentals-of-machine-learning/ex08_decision_tree.py", practice=False)

# %% [markdown]
# ## The forest


# %%
def tree_proba(estimator, X, n_classes):
    """A tree's class probabilities in the forest's columns, shape (n_samples, n_classes).

    The tree was fitted on class codes 0..K-1, but its bootstrap sample may miss some:
    its own columns are estimator.classes_, a subset of the codes.
    """
    proba = np.zeros((len(X), n_classes))  # (n_samples, n_classes)
    proba[:, estimator.classes_] = estimator.predict_proba(X)
    return proba


class RandomForestClassifier(ClassifierMixin, BaseEstimator):
    """A random forest of ex08 CART trees (scikit-learn's names and defaults).

    n_estimators : the number of trees B; criterion, max_depth, min_samples_split,
    min_samples_leaf : passed to every tree; max_features : "sqrt" (default), "log2", int,
    float or None, the features searched per split; bootstrap : grow each tree on a bootstrap
    sample (else on all rows); oob_score : compute the out-of-bag accuracy (needs bootstrap).
    Fitted: classes_ (n_classes,); estimators_, B trees fitted on class codes; estimators_samples_, B
    int arrays (n_samples,), the rows each tree saw; oob_score_ and oob_decision_function_ (n_samples, n_classes), NaN
    for rows never out of bag; feature_importances_ (n_features,).
    """

    def __init__(self, n_estimators=100, criterion="gini", max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 max_features="sqrt", bootstrap=True, oob_score=False, random_state=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def fit(self, X, y):
        """Grow n_estimators trees on X (n_samples, n_features) and labels y (n_samples,). Returns self."""
        X, y = check_X_y(X, y, classification=True)
        check_positive_int(self.n_estimators, "n_estimators")
        check_option(self.criterion, "criterion", tree.CRITERIA)
        check_tree_params(self.max_depth, self.min_samples_split, self.min_samples_leaf)
        resolve_max_features(self.max_features, X.shape[1])  # raises early for a bad value
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without bootstrap no row is ever out of bag")
        self.classes_, codes = np.unique(y, return_inverse=True)  # codes: (n_samples,) in 0..K-1
        n, K = len(X), len(self.classes_)
        rng = data.as_rng(self.random_state)
        # BEGIN SOLUTION
        # HINT 1: Each tree sees a bootstrap sample (n rows drawn with replacement) and its own seed.
        # HINT 1: Rows never drawn by a tree are its out-of-bag rows: they give a free validation score.
        # HINT 2: copies = bincount(rows, minlength=n);
        # HINT 2:   fit on X[copies > 0] with sample_weight=copies[copies > 0]
        # HINT 2: oob proba of row i = normalised sum of tree_proba over trees with copies_i == 0
        # HINT 3: per tree: rows = rng.integers(0, n, size=n) (or arange); copies = bincount(rows)
        # HINT 3:     fit tree.DecisionTreeClassifier(..., own seed) on in-bag rows, weights = copies
        # HINT 3: oob: sum tree_proba over each tree's out-of-bag rows; normalise; accuracy
        # HINT 3: feature_importances_ = mean over non-stump trees, renormalised
        self.estimators_, self.estimators_samples_ = [], []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, n, size=n) if self.bootstrap else np.arange(n)  # (n_samples,) with repeats
            # A row drawn c times is the same as one row of weight c: same tree, fewer rows to sort.
            copies = np.bincount(rows, minlength=n)  # (n_samples,)
            in_bag = copies > 0
            estimator = tree.DecisionTreeClassifier(  # its own seed: the feature draws differ per tree
                criterion=self.criterion, max_depth=self.max_depth, min_samples_split=self.min_samples_split,
                min_samples_leaf=self.min_samples_leaf, max_features=self.max_features,
                random_state=int(rng.integers(2**31)))
            self.estimators_.append(estimator.fit(X[in_bag], codes[in_bag], sample_weight=copies[in_bag]))
            self.estimators_samples_.append(rows)

        if self.oob_score:
            votes = np.zeros((n, K))  # (n_samples, n_classes): summed probabilities from the trees that did not see a row
            for estimator, rows in zip(self.estimators_, self.estimators_samples_):
                out_of_bag = np.bincount(rows, minlength=n) == 0  # (n_samples,)
                votes[out_of_bag] += tree_proba(estimator, X[out_of_bag], K)
            voted = votes.sum(axis=1) > 0  # (n_samples,): rows left out by at least one tree
            self.oob_decision_function_ = np.full((n, K), np.nan)  # (n_samples, n_classes)
            self.oob_decision_function_[voted] = votes[voted] / votes[voted].sum(axis=1, keepdims=True)
            self.oob_score_ = float(np.mean(np.argmax(votes[voted], axis=1) == codes[voted]))

        importances = [t.feature_importances_ for t in self.estimators_ if t.tree_.node_count > 1]
        mean = np.mean(importances, axis=0) if importances else np.zeros(X.shape[1])  # (n_features,)
        self.feature_importances_ = mean / mean.sum() if mean.sum() > 0 else mean
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        self.n_classes_ = K
        return self

    def predict_proba(self, X):
        """The trees' averaged class probabilities, shape (n_samples, n_classes), columns in classes_ order."""
        check_fitted(self, "estimators_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        # BEGIN SOLUTION
        # HINT 1: Soft voting: average the trees' class probabilities.
        # HINT 2: sum(tree_proba(estimator, X, n_classes_) for estimator in estimators_) / n_estimators
        return sum(tree_proba(estimator, X, self.n_classes_) for estimator in self.estimators_) / len(self.estimators_)
        # END SOLUTION

    def predict(self, X):
        """The class with the highest averaged probability (a tie goes to the first in classes_)."""
        proba = self.predict_proba(X)  # (n_samples, n_classes); checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]  # (n_samples,)


# %% [markdown]
# ## Demo


# %%
def main():
    X, y = data.load_breast_cancer()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    n_trees = 40 if utils.quick_mode() else 100
    one_tree = tree.DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    forest = RandomForestClassifier(n_estimators=n_trees, oob_score=True, random_state=0).fit(X_train, y_train)
    from sklearn.ensemble import RandomForestClassifier as SklearnForest  # compare with the library
    theirs = SklearnForest(n_estimators=n_trees, oob_score=True, random_state=0, n_jobs=1).fit(X_train, y_train)
    print(f"Breast cancer: {len(X_train)} training rows, {len(X_test)} test rows\n{'model':<28}  OOB acc   test acc")
    for name, model, oob in [("one full-depth tree", one_tree, "-"), (f"our forest, {n_trees} trees", forest, f"{forest.oob_score_:.3f}"),
                             (f"sklearn forest, {n_trees} trees", theirs, f"{theirs.oob_score_:.3f}")]:
        print(f"{name:<28}  {oob:>7}   {model.score(X_test, y_test):>8.3f}")

    # The forests made of the first 1, 2, ..., B trees: the OOB vote tracks the test accuracy.
    codes = np.searchsorted(forest.classes_, y_train)  # (n_train,)
    oob_votes, test_votes, oob_acc, test_acc = np.zeros((len(X_train), 2)), np.zeros((len(X_test), 2)), [], []
    for estimator, rows in zip(forest.estimators_, forest.estimators_samples_):
        out_of_bag = np.bincount(rows, minlength=len(X_train)) == 0  # (n_train,)
        oob_votes[out_of_bag] += tree_proba(estimator, X_train[out_of_bag], 2)
        test_votes += tree_proba(estimator, X_test, 2)
        voted = oob_votes.sum(axis=1) > 0
        oob_acc.append(np.mean(np.argmax(oob_votes[voted], axis=1) == codes[voted]))
        test_acc.append(np.mean(forest.classes_[np.argmax(test_votes, axis=1)] == y_test))
    fig, ax = plotting.new_figure(width=6.0, height=4.2)
    ax.plot(np.arange(1, n_trees + 1), oob_acc, label="forest, out-of-bag")
    ax.plot(np.arange(1, n_trees + 1), test_acc, label="forest, test set")
    ax.axhline(one_tree.score(X_test, y_test), color="grey", linestyle="--", label="one tree, test set")
    ax.set(xlabel="number of trees", ylabel="accuracy", title="More trees: steadier, better votes")
    ax.legend(loc="lower right")
    plotting.show_or_save(fig, "ex10_random_forest")


if __name__ == "__main__":
    main()
