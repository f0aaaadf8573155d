"""Tests for ex01_train_test_split: split sizes, shuffling, stratification and the k-NN helper."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split as sk_train_test_split
from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier

import utils

ex = utils.load_exercise("03-model-evaluation/ex01_train_test_split.py")

N_CASES = 50
SHARE_SLACK = 1.0  # stratified counts may differ from the exact share by at most one sample


def _random_labels(rng, n):
    """Labels of 2-5 classes with uneven shares, every class at least 2 members."""
    n_classes = int(rng.integers(2, 6))
    labels = np.concatenate([np.arange(n_classes).repeat(2), rng.integers(0, n_classes, n - 2 * n_classes)])
    return rng.permutation(labels)


def test_split_sizes_match_scikit_learn():
    # Check n_train and n_test (ceil for a fraction, a count as is, 0.25 by default) against scikit-learn.
    for n in [2, 3, 7, 10, 33, 100, 101]:
        for test_size in [None, 0.1, 0.25, 0.333, 0.5, 0.9, 1, n - 1]:
            if isinstance(test_size, float) and int(np.ceil(test_size * n)) >= n:
                continue  # scikit-learn refuses this too (empty training part)
            expected = sk_train_test_split(np.arange(n), test_size=test_size, shuffle=False)
            assert ex.split_sizes(n, test_size) == (len(expected[0]), len(expected[1])), (n, test_size)


def test_unshuffled_split_equals_scikit_learn():
    # Check that shuffle=False keeps the order: the same arrays as scikit-learn.
    X = np.arange(26).reshape(13, 2)
    y = np.array(list("abcdefghijklm"))
    ours = ex.train_test_split(X, y, test_size=0.3, shuffle=False)
    theirs = sk_train_test_split(X, y, test_size=0.3, shuffle=False)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_indices_are_disjoint_and_cover_all_samples(rng):
    # Check on random sizes, with and without shuffling and strata, that the parts partition 0..n-1.
    for _ in range(N_CASES):
        n = int(rng.integers(20, 80))
        test_size = float(rng.uniform(0.25, 0.6)) if rng.random() < 0.7 else int(rng.integers(5, 10))
        shuffle = bool(rng.random() < 0.8)
        stratify = _random_labels(rng, n) if shuffle and rng.random() < 0.5 else None
        train, test = ex.train_test_indices(n, test_size, random_state=int(rng.integers(1000)), shuffle=shuffle, stratify=stratify)
        assert len(np.intersect1d(train, test)) == 0
        np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
        assert (len(train), len(test)) == ex.split_sizes(n, test_size)


def test_stratified_shares_are_within_one_sample_of_exact(rng):
    # Check that each class has n_test * n_c / n test samples, and n_train * n_c / n training
    # samples, up to one sample, for random (also string) labels.
    for case in range(N_CASES):
        n = int(rng.integers(20, 120))
        y = _random_labels(rng, n)
        if case % 2:
            y = np.array(["cat", "dog", "emu", "fox", "gnu"])[y]
        test_size = float(rng.uniform(0.25, 0.5))  # n_test >= 5 >= n_classes
        train, test = ex.train_test_indices(n, test_size, random_state=case, stratify=y)
        n_train, n_test = len(train), len(test)
        for label in np.unique(y):
            n_c = np.sum(y == label)
            assert abs(np.sum(y[test] == label) - n_test * n_c / n) < SHARE_SLACK
            assert abs(np.sum(y[train] == label) - n_train * n_c / n) < SHARE_SLACK


def test_stratified_allocation_by_hand():
    # Check by hand: counts (5, 3, 2), n_test = 4: exact shares (2, 1.2, 0.8), floors (2, 1, 0),
    # the one leftover sample goes to the largest fraction (0.8), giving (2, 1, 1).
    counts = ex.stratified_allocation(np.array([5, 3, 2]), 4, np.random.default_rng(0))
    np.testing.assert_array_equal(counts, [2, 1, 1])


def test_stratified_allocation_sums_to_n_test(rng):
    # Check that the allocation adds up to n_test and each count is a floor or ceil of the exact share.
    for _ in range(N_CASES):
        counts = rng.integers(2, 40, size=int(rng.integers(2, 7)))
        n_test = int(rng.integers(len(counts), counts.sum() - len(counts) + 1))
        alloc = ex.stratified_allocation(counts, n_test, rng)
        exact = n_test * counts / counts.sum()
        assert alloc.sum() == n_test
        assert np.all((alloc == np.floor(exact)) | (alloc == np.ceil(exact)))


def test_same_seed_same_split_other_seed_other_split():
    # Check reproducibility: the seed fixes the split, and a different seed changes it.
    y = np.repeat([0, 1, 2], [20, 15, 5])
    for stratify in [None, y]:
        a = ex.train_test_indices(40, 0.25, random_state=7, stratify=stratify)
        b = ex.train_test_indices(40, 0.25, random_state=7, stratify=stratify)
        c = ex.train_test_indices(40, 0.25, random_state=8, stratify=stratify)
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert not np.array_equal(np.sort(a[1]), np.sort(c[1]))


def test_shuffled_split_reaches_every_sample():
    # Check that shuffling is real: over many seeds every sample lands in the test part, at about the
    # rate n_test / n (a split that always takes the last rows would fail).
    hits = np.zeros(30)
    for seed in range(400):
        hits[ex.train_test_indices(30, 0.2, random_state=seed)[1]] += 1
    assert hits.min() > 0
    np.testing.assert_allclose(hits / 400, 6 / 30, atol=0.08)


def test_train_test_split_keeps_rows_aligned(rng):
    # Check that every array is indexed by the same split: row i of X still belongs with y[i].
    X = rng.standard_normal((50, 3))
    y = np.array(["a", "b"])[(np.arange(50) % 5 == 0).astype(int)]
    ids = np.arange(50)
    X_tr, X_te, y_tr, y_te, id_tr, id_te = ex.train_test_split(X, y, ids, test_size=0.2, random_state=0, stratify=y)
    np.testing.assert_array_equal(X_tr, X[id_tr])
    np.testing.assert_array_equal(X_te, X[id_te])
    np.testing.assert_array_equal(y_tr, y[id_tr])
    np.testing.assert_array_equal(y_te, y[id_te])
    assert X_tr.shape == (40, 3) and X_te.shape == (10, 3)
    assert np.sum(y_te == "b") == 2  # 10 of 50 are "b", so exactly 2 of the 10 test rows


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(test_size=0.0), r"\(0, 1\)"),
        (dict(test_size=1.5), r"\(0, 1\)"),
        (dict(test_size=10), "n_samples - 1"),
        (dict(test_size="half"), "float in"),
        (dict(stratify=np.array([0] * 9 + [1])), "only 1 member"),
        (dict(stratify=np.array([0, 1] * 5), shuffle=False), "shuffle=True"),
        (dict(stratify=np.array([0, 1] * 4)), r"shape \(n_samples,\)"),
        (dict(test_size=0.1, stratify=np.array([0, 1, 2, 3, 4] * 2)), "number of classes"),
    ],
)
def test_bad_split_arguments_get_a_clear_error(kwargs, match):
    # Check that impossible or inconsistent settings are refused with a message.
    with pytest.raises((ValueError, TypeError), match=match):
        ex.train_test_indices(10, **{"test_size": 0.3, **kwargs})


def test_arrays_of_different_lengths_are_refused():
    # Check that X and y with different numbers of samples get a clear error.
    with pytest.raises(ValueError, match="same number of samples"):
        ex.train_test_split(np.zeros((10, 2)), np.zeros(9))


def test_accuracy_for_each_k_matches_scikit_learn(rng):
    # Check the one-search shortcut against a scikit-learn k-NN fitted separately for every k
    # (random continuous data: no distance ties; three classes, so tied votes do happen for even k).
    X, y = rng.standard_normal((80, 2)), rng.integers(0, 3, 80)
    X_new, y_new = rng.standard_normal((30, 2)), rng.integers(0, 3, 30)
    ks = [1, 2, 5, 9]
    d2 = ((X_new[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)  # (30, 80)
    neighbors = np.argsort(d2, axis=1)[:, : max(ks)]
    expected = [SkKNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X, y).score(X_new, y_new) for k in ks]
    np.testing.assert_allclose(ex.accuracy_for_each_k(neighbors, y, y_new, ks), expected)


def test_accuracy_for_each_k_by_hand():
    # Check by hand: neighbours' labels (b, a, a) for a sample of class "a": k=1 votes b (wrong),
    # k=2 ties a/b and goes to the smallest label a (right), k=3 votes a (right).
    y_train = np.array(["a", "b", "a"])
    neighbors = np.array([[1, 0, 2]])
    np.testing.assert_allclose(ex.accuracy_for_each_k(neighbors, y_train, np.array(["a"]), [1, 2, 3]), [0.0, 1.0, 1.0])
