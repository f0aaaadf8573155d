"""Tests for ex03_time_series_split: forward-chaining splits against scikit-learn and by their defining property."""

import numpy as np
import pytest
from sklearn import model_selection as skms

import utils

ex = utils.load_exercise("03-model-evaluation/ex03_time_series_split.py")

N_CASES = 50


def _assert_same_splits(ours, theirs):
    ours, theirs = list(ours), list(theirs)
    assert len(ours) == len(theirs)
    for (tr_a, te_a), (tr_b, te_b) in zip(ours, theirs):
        np.testing.assert_array_equal(tr_a, tr_b)
        np.testing.assert_array_equal(te_a, te_b)


@pytest.mark.parametrize(
    "kwargs",
    [dict(n_splits=5), dict(n_splits=3, test_size=4), dict(n_splits=4, gap=2), dict(n_splits=3, max_train_size=6), dict(n_splits=2, test_size=3, gap=1, max_train_size=5)],
)
def test_time_series_split_equals_scikit_learn(kwargs):
    # Check forward chaining against scikit-learn, with test_size, gap and max_train_size.
    for n in [8, 12, 25, 31]:
        X = np.zeros((n, 1))
        try:
            theirs = list(skms.TimeSeriesSplit(**kwargs).split(X))
        except ValueError:  # too few samples for these settings: ours must refuse too
            with pytest.raises(ValueError, match="too many splits"):
                list(ex.TimeSeriesSplit(**kwargs).split(X))
            continue
        _assert_same_splits(ex.TimeSeriesSplit(**kwargs).split(X), theirs)


def test_time_series_split_never_trains_on_the_future(rng):
    # Check the defining property: every training index comes before every test index.
    for _ in range(N_CASES):
        n, k, gap = int(rng.integers(10, 60)), int(rng.integers(2, 5)), int(rng.integers(0, 3))
        for train, test in ex.TimeSeriesSplit(k, gap=gap).split(np.zeros((n, 1))):
            assert train.max() + gap < test.min()


def test_time_series_split_by_hand():
    # Check by hand: n = 10, 3 splits -> m = 10 // 4 = 2; the test blocks are [4, 6), [6, 8), [8, 10) and each
    # training set is everything before its block; with gap=1 and max_train_size=3 it is the 3 samples before s - 1.
    splits = list(ex.TimeSeriesSplit(3).split(np.zeros((10, 1))))
    assert [(list(tr), list(te)) for tr, te in splits] == [([0, 1, 2, 3], [4, 5]), ([0, 1, 2, 3, 4, 5], [6, 7]), (list(range(8)), [8, 9])]
    splits = list(ex.TimeSeriesSplit(3, gap=1, max_train_size=3).split(np.zeros((10, 1))))
    assert [list(tr) for tr, _ in splits] == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert ex.TimeSeriesSplit(3).get_n_splits() == 3


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda X: list(ex.TimeSeriesSplit(4, test_size=3).split(X)), "too many splits"),
        (lambda X: list(ex.TimeSeriesSplit(1).split(X)), "at least 2"),
        (lambda X: list(ex.TimeSeriesSplit(3, test_size=0).split(X)), "test_size"),
        (lambda X: list(ex.TimeSeriesSplit(3, gap=-1).split(X)), "gap"),
        (lambda X: list(ex.TimeSeriesSplit(9).split(X[:9])), "n_splits"),
    ],
)
def test_bad_input_gets_a_clear_error(make, match):
    # Check too many splits for the data, k < 2, an empty test block and a negative gap.
    with pytest.raises(ValueError, match=match):
        make(np.zeros((10, 2)))
