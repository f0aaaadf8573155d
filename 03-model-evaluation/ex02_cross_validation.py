"""
Exercise 02: cross-validation, fold by fold

Learning goals
--------------
- Build KFold, StratifiedKFold and LeaveOneOut with scikit-learn's interface
  (split(X, y) yields (train_idx, test_idx)), and cross_val_score on top of them.
- Read a cross-validation result as a distribution (k fold scores), not one number, and
  recognise a trap: unshuffled folds on data sorted by class.

The math
--------
n = n_samples samples are cut into k = n_folds folds F_1..F_k (disjoint, covering all). For
each j the model is fitted on the other folds and scored on F_j:
    s_j = score(model fitted on all samples outside F_j, samples in F_j),
and CV = (1/k) sum_j s_j estimates the score of the model fitted on all n.
KFold: fold sizes n // k, the first n % k folds one larger, in file order or after one random
permutation. StratifiedKFold: class c with n_c samples puts floor(n_c / k) or ceil(n_c / k) of
them in each fold, so every fold keeps the class shares. LeaveOneOut: k = n, one sample per fold
(each s_j is 0 or 1 for accuracy; only their mean means something). Data in time order
needs folds that never train on the future: exercise 03.

The fold scores are not independent (training sets overlap), so their standard
deviation describes the spread across folds but understates the uncertainty of CV.

Algorithm
---------
1. KFold: permute 0..n-1 if shuffle; cut it into consecutive blocks of the fold sizes.
2. StratifiedKFold: deal the sorted labels round-robin into the k folds (that fixes how many of
   each class go to each fold); assign each class's samples to folds in blocks of those sizes.
3. cross_val_score: for each split, fit a fresh copy of the estimator on the training rows and
   score it on the test rows.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning,
2nd ed., 2009, ch. 7.10; R. Kohavi, IJCAI 1995 (cross-validation for model selection);
Y. Bengio, Y. Grandvalet, JMLR 5, 2004 (no unbiased estimator of the variance of k-fold CV).
Difficulty: 2 of 3, about 25 minutes.
Run: python 03-model-evaluation/ex02_cross_validation.py
"""

# %%
import copy

import numpy as np

from utils import data, plotting
from utils.cv_support import check_n_splits, check_shuffle_seed, class_codes, get_scorer, is_classifier, num_samples

# %% [markdown]
# ## Implementation: the splitters


# %%
class _BaseKFold:
    """What KFold and StratifiedKFold share: n_splits (int >= 2), shuffle (bool) and
    random_state (int, np.random.Generator or None; only with shuffle=True)."""

    def __init__(self, n_splits=5, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None):
        return self.n_splits


class KFold(_BaseKFold):
    """k consecutive folds, in file order or after one shuffle."""

    def split(self, X, y=None):
        """Yield (train_idx, test_idx) for each fold, both sorted."""
        n = num_samples(X)
        check_n_splits(self.n_splits, n)
        check_shuffle_seed(self.shuffle, self.random_state)
        # BEGIN SOLUTION
        # HINT 1: Fold sizes differ by at most one: n // k each, the first n % k folds one more.
        # HINT 1: Each fold in turn is the test set; all the other indices are the training set.
        # HINT 2: sizes = full(k, n // k); sizes[:n % k] += 1; fold i = order[stop_i - size_i : stop_i]
        # HINT 3: order = rng.permutation(n) if shuffle else arange(n); stops = cumsum(sizes)
        # HINT 3: for start, stop in zip(stops - sizes, stops): is_test = zeros(n, bool)
        # HINT 3:     is_test[order[start:stop]] = True; yield flatnonzero(~is_test), flatnonzero(is_test)
        order = data.as_rng(self.random_state).permutation(n) if self.shuffle else np.arange(n)  # (n_samples,)
        sizes = np.full(self.n_splits, n // self.n_splits)  # (n_splits,)
        sizes[: n % self.n_splits] += 1  # the first n % k folds take one extra sample
        stops = np.cumsum(sizes)  # (n_splits,)
        for start, stop in zip(stops - sizes, stops):
            is_test = np.zeros(n, dtype=bool)  # (n_samples,)
            is_test[order[start:stop]] = True
            yield np.flatnonzero(~is_test), np.flatnonzero(is_test)
        # END SOLUTION


class StratifiedKFold(_BaseKFold):
    """k folds that each keep the class shares (within one sample per class); split needs the labels y."""

    def test_folds(self, y):
        """The fold number of every sample, shape (n_samples,)."""
        y_code = class_codes(y)  # (n_samples,), class numbers 0..n_classes-1
        n = len(y_code)
        check_n_splits(self.n_splits, n)
        check_shuffle_seed(self.shuffle, self.random_state)
        counts = np.bincount(y_code)  # (n_classes,)
        if self.n_splits > counts.max():
            raise ValueError(f"n_splits={self.n_splits} is greater than the number of members of every class (largest: {counts.max()})")
        rng = data.as_rng(self.random_state)
        # BEGIN SOLUTION
        # HINT 1: Deal the sorted labels out round-robin to decide how many of each class go to each
        # HINT 1: fold; then assign each class's members to folds in that quantity (shuffled if asked).
        # HINT 2: allocation[f, c] = #{positions p with p % k == f whose sorted label is c}
        # HINT 3: allocation = zeros((k, C)); np.add.at(allocation, (arange(n) % k, sort(y_code)), 1)
        # HINT 3: for c: fold_of_member = np.repeat(arange(k), allocation[:, c]); permute if shuffle
        # HINT 3:     folds[y_code == c] = fold_of_member; return folds
        k, n_classes = self.n_splits, len(counts)
        # Deal the sorted labels round-robin: position p goes to fold p % k. Class c
        # owns a contiguous block of positions, so each fold gets floor or ceil of n_c / k.
        allocation = np.zeros((k, n_classes), dtype=int)  # (n_folds, n_classes)
        np.add.at(allocation, (np.arange(n) % k, np.sort(y_code)), 1)
        folds = np.empty(n, dtype=int)  # (n_samples,)
        for c in range(n_classes):
            fold_of_member = np.repeat(np.arange(k), allocation[:, c])  # (n_c,), in blocks
            if self.shuffle:
                fold_of_member = rng.permutation(fold_of_member)
            folds[y_code == c] = fold_of_member
        return folds
        # END SOLUTION

    def split(self, X, y):
        """Yield (train_idx, test_idx) for each fold, both sorted."""
        if y is None or num_samples(X) != len(np.asarray(y)):
            raise ValueError(f"StratifiedKFold.split needs labels y with one entry per sample of X ({num_samples(X)})")
        folds = self.test_folds(y)
        for j in range(self.n_splits):
            yield np.flatnonzero(folds != j), np.flatnonzero(folds == j)


class LeaveOneOut:
    """n folds of one sample each."""

    def get_n_splits(self, X, y=None):
        return num_samples(X)

    def split(self, X, y=None):
        n = num_samples(X)
        if n < 2:
            raise ValueError(f"LeaveOneOut needs at least 2 samples; got {n}")
        # BEGIN SOLUTION
        # HINT 1: Each sample is once the whole test set; the training set is everyone else.
        # HINT 2: yield np.delete(indices, i), indices[i:i + 1]
        indices = np.arange(n)  # (n_samples,)
        for i in range(n):
            yield np.delete(indices, i), indices[i : i + 1]
        # END SOLUTION


def cross_val_score(estimator, X, y=None, cv=5, scoring=None):
    """The score of the estimator (fit, predict, score) on each test fold, shape (n_splits,).

    cv: an int (StratifiedKFold for a classifier, else KFold, unshuffled), a splitter with split(X, y)
    or an iterable of (train_idx, test_idx). scoring: None (estimator.score), a name in
    utils.cv_support.SCORERS, or a callable scorer(estimator, X, y)."""
    X = np.asarray(X)
    y = None if y is None else np.asarray(y)
    if y is not None and len(y) != num_samples(X):
        raise ValueError(f"X and y must have the same number of samples; got {num_samples(X)} and {len(y)}")
    scorer = get_scorer(scoring)
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        cv = StratifiedKFold(cv) if is_classifier(estimator) and y is not None else KFold(cv)
    splits = cv.split(X, y) if hasattr(cv, "split") else cv
    # BEGIN SOLUTION
    # HINT 1: For each split: a fresh deep copy of the estimator, fit on train, scored on test.
    # HINT 2: scores_k = scorer(deepcopy(estimator).fit(X[train], y[train]), X[test], y[test])
    # HINT 3: for train, test in splits: model = copy.deepcopy(estimator); model.fit(X[train], y[train] or None)
    # HINT 3:     scores.append(scorer(model, X[test], y[test] or None)); return np.array(scores, dtype=float)
    scores = []
    for train, test in splits:
        model = copy.deepcopy(estimator)  # a fresh, unfitted copy: no fold sees another's fit
        model.fit(X[train], None if y is None else y[train])
        scores.append(scorer(model, X[test], None if y is None else y[test]))
    return np.array(scores, dtype=float)  # (n_splits,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # The models we evaluate: k-nearest neighbours (built in module 02; scikit-learn's here).
    from sklearn.neighbors import KNeighborsClassifier

    # 1. Iris is stored sorted by class (50 setosa, then 50 versicolor, then 50 virginica).
    X, y = data.load_iris()
    methods = {"KFold(3)\nfile order": KFold(3), "KFold(5)\nfile order": KFold(5),
               "KFold(5)\nshuffled": KFold(5, shuffle=True, random_state=0),
               "Stratified\nKFold(5)": StratifiedKFold(5, shuffle=True, random_state=0), "LeaveOneOut\n(150 folds)": LeaveOneOut()}
    results = {name: cross_val_score(KNeighborsClassifier(n_neighbors=5), X, y, cv=splitter, scoring="accuracy") for name, splitter in methods.items()}
    print(f"5-NN on iris (sorted by class): accuracy per fold\n{'splitter':<26}{'folds':>6}{'mean':>7}{'std':>7}{'min':>7}{'max':>7}")
    for name, s in results.items():
        print(f"{name.replace(chr(10), ' '):<26}{len(s):>6}{s.mean():>7.3f}{s.std():>7.3f}{s.min():>7.3f}{s.max():>7.3f}")

    # 2. What each splitter does to 24 sorted samples of 3 classes; the fold scores, every fold a dot.
    fig, axes = plotting.new_mosaic([["a", "b", "c"], ["iris", "iris", "iris"]], width=3.8, height=3.3)
    X_small, y_small = np.zeros((24, 1)), np.repeat([0, 1, 2], [10, 8, 6])
    shown = {"KFold(4), file order": KFold(4), "KFold(4), shuffled": KFold(4, shuffle=True, random_state=1),
             "StratifiedKFold(4), shuffled": StratifiedKFold(4, shuffle=True, random_state=1)}
    for i, (ax, (title, splitter)) in enumerate(zip([axes[k] for k in "abc"], shown.items())):
        plotting.plot_splits(ax, splitter.split(X_small, y_small), len(y_small), y_small, title, legend=i == 0)
    plotting.plot_scores_per_fold(axes["iris"], results, "accuracy of the fold", "5-NN on iris: one dot per fold")
    axes["iris"].legend(loc="center right")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex02_cross_validation")


if __name__ == "__main__":
    main()
