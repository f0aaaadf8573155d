"""Tests for ex02_cross_validation: KFold, StratifiedKFold, LeaveOneOut and cross_val_score."""

import numpy as np
import pytest
from sklearn import model_selection as skms
from sklearn.linear_model import Ridge
from sklearn.metrics import balanced_accuracy_score
from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier

import utils

ex = utils.load_exercise("03-model-evaluation/ex02_cross_validation.py")

N_CASES = 50
SCORE_RTOL = 1e-12
SHARE_SLACK = 1.0  # a stratified fold may differ from the exact class share by at most one sample


def _assert_same_splits(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (tr_a, te_a), (tr_b, te_b) in zip(ours, theirs):
        np.testing.assert_array_equal(tr_a, tr_b)
        np.testing.assert_array_equal(te_a, te_b)


def _assert_partition(splits, n):
    """Test folds are disjoint and cover 0..n-1; each training set is the complement of its test fold."""
    tests = []
    for train, test in splits:
        assert len(np.intersect1d(train, test)) == 0
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
        tests.append(test)
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(n))
    return tests


def test_kfold_in_file_order_equals_scikit_learn():
    # Check unshuffled KFold fold by fold against scikit-learn (sizes n // k, the first n % k one larger).
    for n in [2, 5, 10, 11, 23, 50]:
        for k in range(2, min(n, 7) + 1):
            X = np.zeros((n, 2))
            _assert_same_splits(ex.KFold(k).split(X), skms.KFold(k).split(X))


@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")  # rare classes on purpose
def test_stratified_kfold_in_file_order_equals_scikit_learn(rng):
    # Check unshuffled StratifiedKFold against scikit-learn on random (also string) labels.
    for case in range(N_CASES):
        n = int(rng.integers(10, 60))
        k = int(rng.integers(2, 6))
        y = rng.integers(0, int(rng.integers(2, 5)), n)
        y[:k] = 0  # at least one class has k members
        y = rng.permutation(y)
        if case % 2:
            y = np.array(["b", "a", "d", "c"])[y]
        X = np.zeros((n, 1))
        _assert_same_splits(ex.StratifiedKFold(k).split(X, y), skms.StratifiedKFold(k).split(X, y))


def test_leave_one_out_equals_scikit_learn():
    # Check LeaveOneOut against scikit-learn: n folds, each a single sample.
    X = np.zeros((7, 3))
    _assert_same_splits(ex.LeaveOneOut().split(X), skms.LeaveOneOut().split(X))
    assert ex.LeaveOneOut().get_n_splits(X) == 7


def test_shuffled_kfold_partitions_with_balanced_sizes(rng):
    # Check on random n and k: disjoint folds that cover all samples, sizes differing by at most one.
    for case in range(N_CASES):
        n, k = int(rng.integers(5, 60)), int(rng.integers(2, 6))
        tests = _assert_partition(ex.KFold(k, shuffle=True, random_state=case).split(np.zeros((n, 1))), n)
        sizes = [len(t) for t in tests]
        assert len(sizes) == k and max(sizes) - min(sizes) <= 1


def test_stratified_folds_keep_class_shares(rng):
    # Check that each fold holds n_c / k samples of class c, up to one, and the folds partition the data.
    for case in range(N_CASES):
        n, k = int(rng.integers(20, 90)), int(rng.integers(2, 6))
        y = np.array(["x", "y", "z"])[rng.choice(3, n, p=[0.6, 0.3, 0.1])]
        y[:k] = "x"
        folds = ex.StratifiedKFold(k, shuffle=True, random_state=case)
        tests = _assert_partition(folds.split(np.zeros((n, 1)), y), n)
        for test in tests:
            for label in np.unique(y):
                assert abs(np.sum(y[test] == label) - np.sum(y == label) / k) < SHARE_SLACK


def test_shuffling_is_reproducible_and_depends_on_the_seed():
    # Check that the same seed gives the same folds, another seed other folds, and shuffling changes the order.
    X, y = np.zeros((30, 1)), np.repeat([0, 1], 15)
    for cls in [ex.KFold, ex.StratifiedKFold]:
        a = [t for _, t in cls(3, shuffle=True, random_state=4).split(X, y)]
        b = [t for _, t in cls(3, shuffle=True, random_state=4).split(X, y)]
        c = [t for _, t in cls(3, shuffle=True, random_state=5).split(X, y)]
        plain = [t for _, t in cls(3).split(X, y)]
        assert all(np.array_equal(p, q) for p, q in zip(a, b))
        assert not all(np.array_equal(p, q) for p, q in zip(a, c))
        assert not all(np.array_equal(p, q) for p, q in zip(a, plain))


def test_cross_val_score_equals_scikit_learn_regression(rng):
    # Check fold scores against scikit-learn's cross_val_score: same estimator, same folds,
    # default score (R^2) and negated mean squared error.
    X = rng.standard_normal((40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 * rng.standard_normal(40)
    folds = list(ex.KFold(4, shuffle=True, random_state=0).split(X))
    for scoring in [None, "neg_mean_squared_error", "neg_mean_absolute_error", "r2"]:
        ours = ex.cross_val_score(Ridge(alpha=1.0), X, y, cv=folds, scoring=scoring)
        theirs = skms.cross_val_score(Ridge(alpha=1.0), X, y, cv=folds, scoring=scoring)
        np.testing.assert_allclose(ours, theirs, rtol=SCORE_RTOL)
    # an int cv for a regressor means unshuffled KFold in both libraries
    np.testing.assert_allclose(ex.cross_val_score(Ridge(), X, y, cv=5), skms.cross_val_score(Ridge(), X, y, cv=5), rtol=SCORE_RTOL)


def test_cross_val_score_equals_scikit_learn_classification(rng):
    # Check that an int cv for a classifier means StratifiedKFold, and the accuracies match scikit-learn's.
    X = rng.standard_normal((60, 2))
    y = (X[:, 0] + 0.8 * rng.standard_normal(60) > 0).astype(int)
    y = np.sort(y)  # sorted labels: plain KFold would give different folds than StratifiedKFold
    X = X[np.argsort(X[:, 0])]
    ours = ex.cross_val_score(SkKNeighborsClassifier(3), X, y, cv=4, scoring="accuracy")
    theirs = skms.cross_val_score(SkKNeighborsClassifier(3), X, y, cv=4, scoring="accuracy")
    np.testing.assert_allclose(ours, theirs, rtol=SCORE_RTOL)
    # a callable scorer (here: balanced accuracy) on shuffled stratified folds
    folds = list(ex.StratifiedKFold(4, shuffle=True, random_state=1).split(X, y))
    scorer = lambda est, X_, y_: balanced_accuracy_score(y_, est.predict(X_))  # noqa: E731
    ours = ex.cross_val_score(SkKNeighborsClassifier(3), X, y, cv=folds, scoring=scorer)
    theirs = skms.cross_val_score(SkKNeighborsClassifier(3), X, y, cv=folds, scoring="balanced_accuracy")
    np.testing.assert_allclose(ours, theirs, rtol=SCORE_RTOL)


def test_is_classifier_by_duck_typing():
    # Check that an estimator without scikit-learn's marks counts as a classifier if it has predict_proba.
    class Proba:
        def predict_proba(self, X):
            return X

    class Plain:
        def predict(self, X):
            return X

    assert ex.is_classifier(Proba()) and not ex.is_classifier(Plain())
    assert ex.is_classifier(SkKNeighborsClassifier()) and not ex.is_classifier(Ridge())


def test_cross_val_score_leaves_the_estimator_unfitted(rng):
    # Check that each fold fits a fresh copy: the estimator passed in is not fitted afterwards.
    model = SkKNeighborsClassifier(3)
    scores = ex.cross_val_score(model, rng.standard_normal((20, 2)), np.repeat([0, 1], 10), cv=ex.KFold(4, shuffle=True, random_state=0))
    assert scores.shape == (4,) and not hasattr(model, "classes_")


def test_leave_one_out_scores_are_zero_or_one(rng):
    # Check that leave-one-out accuracies are 0 or 1 and their mean is the fraction of samples predicted right.
    X, y = rng.standard_normal((15, 2)), rng.integers(0, 2, 15)
    scores = ex.cross_val_score(SkKNeighborsClassifier(3), X, y, cv=ex.LeaveOneOut())
    assert set(np.unique(scores)) <= {0.0, 1.0} and scores.shape == (15,)
    by_hand = np.mean([SkKNeighborsClassifier(3).fit(np.delete(X, i, 0), np.delete(y, i)).predict(X[i : i + 1])[0] == y[i] for i in range(15)])
    assert scores.mean() == pytest.approx(by_hand)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda X, y: list(ex.KFold(11).split(X)), "greater than the number of samples"),
        (lambda X, y: list(ex.KFold(1).split(X)), "at least 2"),
        (lambda X, y: list(ex.KFold(3, random_state=0).split(X)), "shuffle"),
        (lambda X, y: list(ex.StratifiedKFold(7).split(X, y)), "number of members"),
        (lambda X, y: list(ex.StratifiedKFold(3).split(X, y[:5])), "one entry per sample"),
        (lambda X, y: list(ex.LeaveOneOut().split(X[:1])), "at least 2"),
        (lambda X, y: ex.cross_val_score(SkKNeighborsClassifier(1), X, y[:9]), "same number of samples"),
        (lambda X, y: ex.cross_val_score(SkKNeighborsClassifier(1), X, y, scoring="accuracy_percent"), "unknown scoring"),
    ],
)
def test_bad_input_gets_a_clear_error(make, match):
    # Check k larger than n, k < 2, a seed without shuffling, too few class members, mismatched lengths.
    X, y = np.zeros((10, 2)), np.repeat([0, 1], [5, 5])
    with pytest.raises(ValueError, match=match):
        make(X, y)
