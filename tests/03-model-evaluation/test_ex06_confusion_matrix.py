"""Tests for ex06_confusion_matrix: counts, label order, normalisation and per-class metrics."""

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

import utils

ex = utils.load_exercise("03-model-evaluation/ex06_confusion_matrix.py")

N_CASES = 50
RTOL = 1e-12


def _sk_confusion(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scikit-learn warns about a 1 x 1 matrix
        return skm.confusion_matrix(*args, **kwargs)


def test_confusion_matrix_by_hand():
    # Check by hand: true a a b c c c, predicted a b b c a c -> rows a: (1, 1, 0), b: (0, 1, 0), c: (1, 0, 2).
    y_true = ["a", "a", "b", "c", "c", "c"]
    y_pred = ["a", "b", "b", "c", "a", "c"]
    np.testing.assert_array_equal(ex.confusion_matrix(y_true, y_pred), [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    # labels reorder the rows and columns: (c, a) keeps only those two and drops the b samples
    np.testing.assert_array_equal(ex.confusion_matrix(y_true, y_pred, labels=["c", "a"]), [[2, 1], [0, 1]])
    # rows normalised: a -> (1/2, 1/2, 0), b -> (0, 1, 0), c -> (1/3, 0, 2/3)
    np.testing.assert_allclose(ex.confusion_matrix(y_true, y_pred, normalize="true"), [[0.5, 0.5, 0], [0, 1, 0], [1 / 3, 0, 2 / 3]], rtol=RTOL)


def test_confusion_matrix_matches_scikit_learn_on_random_cases(rng):
    # Check counts and every normalisation against scikit-learn on 50 random cases: int and string
    # labels, single classes, classes never predicted, and a chosen label order with an absent label.
    alphabets = [np.array([3, 7, 11, 20]), np.array(["ant", "bee", "cow", "doe"])]
    for case in range(N_CASES):
        alphabet = alphabets[case % 2]
        n = int(rng.integers(1, 40))
        y_true = alphabet[rng.integers(0, int(rng.integers(1, 5)), n)]
        y_pred = np.where(rng.random(n) < 0.5, y_true, alphabet[rng.integers(0, int(rng.integers(1, 5)), n)])
        labels = None
        if case % 3 == 0:  # a permuted subset that includes a true label and maybe an absent one
            labels = list(rng.permutation(alphabet)[: int(rng.integers(1, 5))])
            if not np.isin(y_true, labels).any():
                labels.append(y_true[0])
        for normalize in [None, "true", "pred", "all"]:
            ours = ex.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize)
            theirs = _sk_confusion(y_true, y_pred, labels=labels, normalize=normalize)
            assert ours.shape == theirs.shape
            np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=1e-15, err_msg=f"case {case}, {normalize}")


def test_row_and_column_sums(rng):
    # Check the properties: rows sum to the class supports, columns to the prediction counts, total n;
    # normalised rows (and columns) sum to 1.
    y_true, y_pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    cm = ex.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(y_true, minlength=5))
    np.testing.assert_array_equal(cm.sum(axis=0), np.bincount(y_pred, minlength=5))
    assert cm.sum() == 200 and np.issubdtype(cm.dtype, np.integer)
    np.testing.assert_allclose(ex.confusion_matrix(y_true, y_pred, normalize="true").sum(axis=1), 1.0, rtol=RTOL)
    np.testing.assert_allclose(ex.confusion_matrix(y_true, y_pred, normalize="pred").sum(axis=0), 1.0, rtol=RTOL)
    assert ex.confusion_matrix(y_true, y_pred, normalize="all").sum() == pytest.approx(1.0)


def test_empty_rows_stay_zero_without_warnings():
    # Check that a class never true (an empty row) normalises to zeros, not nan, and warns nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cm = ex.confusion_matrix([0, 0, 1], [0, 2, 1], normalize="true")
    np.testing.assert_allclose(cm, [[0.5, 0, 0.5], [0, 1, 0], [0, 0, 0]])


def test_label_indices(rng):
    # Check that each value maps to its position in an unsorted label list, and unlisted values to -1.
    labels = np.array([30, 10, 20])
    np.testing.assert_array_equal(ex.label_indices(np.array([10, 20, 30, 40, 5, 10]), labels), [1, 2, 0, -1, -1, 1])


def test_metrics_from_confusion_match_scikit_learn(rng):
    # Check per-class precision, recall, F1 (0 where undefined) and accuracy against scikit-learn.
    for case in range(20):
        n = int(rng.integers(5, 60))
        y_true = rng.integers(0, 4, n)
        y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, 3 + case % 2, n))
        labels = np.arange(4)
        p, r, f, acc = ex.metrics_from_confusion(ex.confusion_matrix(y_true, y_pred, labels=labels))
        sp, sr, sf, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None, zero_division=0)
        np.testing.assert_allclose(p, sp, rtol=RTOL)
        np.testing.assert_allclose(r, sr, rtol=RTOL)
        np.testing.assert_allclose(f, sf, rtol=RTOL)
        assert acc == pytest.approx(skm.accuracy_score(y_true, y_pred))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(y_pred=[0, 1]), "same length"),
        (dict(normalize="rows"), "normalize must be"),
        (dict(labels=[5, 6]), "must occur in y_true"),
        (dict(labels=[0, 0, 1]), "unique"),
        (dict(labels=[]), "non-empty"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, match):
    # Check mismatched lengths, an unknown normalisation and unusable label lists.
    args = {"y_true": [0, 1, 1], "y_pred": [0, 1, 0], **kwargs}
    with pytest.raises(ValueError, match=match):
        ex.confusion_matrix(**args)
