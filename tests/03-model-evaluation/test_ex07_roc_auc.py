"""Tests for ex07_roc_auc: ROC curve, AUC by trapezoids and by ranks, precision-recall and AP."""

import numpy as np
import pytest
from scipy.stats import mannwhitneyu
from sklearn import metrics as skm

import utils

ex = utils.load_exercise("03-model-evaluation/ex07_roc_auc.py")

N_CASES = 50
RTOL = 1e-12
ATOL = 1e-12


def _random_case(rng, case):
    """Labels with both classes and scores with many ties (rounded), sometimes string labels."""
    n = int(rng.integers(2, 60))
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]  # both classes present
    y = rng.permutation(y)
    decimals = [0, 1, 2, 6][case % 4]  # 0 decimals: heavy ties; 6: almost none
    s = np.round(rng.standard_normal(n) + 0.8 * y, decimals)
    if case % 5 == 0:
        s = 1000.0 * s  # extreme scores
    return y, s


def test_by_hand_example():
    # Check by hand: y = (0, 0, 1, 1), s = (0.1, 0.4, 0.35, 0.8). Of the 4 (positive, negative) pairs
    # 3 are ordered right, so AUC = 3/4. Going down the thresholds 0.8, 0.4, 0.35, 0.1:
    # (P, R) = (1, 1/2), (1/2, 1/2), (2/3, 1), (1/2, 1), so AP = 1/2 * 1 + 0 + 1/2 * 2/3 + 0 = 5/6.
    y, s = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    assert ex.roc_auc_score(y, s) == pytest.approx(0.75)
    assert ex.roc_auc_mann_whitney(y, s) == pytest.approx(0.75)
    assert ex.average_precision_score(y, s) == pytest.approx(5 / 6)
    fps, tps, thr = ex.binary_clf_curve(y, s)
    np.testing.assert_array_equal(fps, [0, 1, 1, 2])
    np.testing.assert_array_equal(tps, [1, 1, 2, 2])
    np.testing.assert_array_equal(thr, [0.8, 0.4, 0.35, 0.1])


def test_all_tied_scores_give_the_diagonal():
    # Check by hand: one threshold takes every sample at once, so the ROC curve is (0,0) -> (1,1), AUC 1/2.
    fpr, tpr, thr = ex.roc_curve([0, 1, 0, 1, 1], [0.3] * 5)
    np.testing.assert_array_equal(fpr, [0, 1])
    np.testing.assert_array_equal(tpr, [0, 1])
    assert thr[0] == np.inf and thr[1] == 0.3
    assert ex.roc_auc_score([0, 1, 0, 1, 1], [0.3] * 5) == 0.5
    assert ex.roc_auc_mann_whitney([0, 1, 0, 1, 1], [0.3] * 5) == 0.5


@pytest.mark.parametrize("drop_intermediate", [False, True])
def test_roc_curve_matches_scikit_learn(rng, drop_intermediate):
    # Check fpr, tpr and thresholds point for point against scikit-learn on 50 random cases with ties,
    # with drop_intermediate=False (every distinct score) and True (collinear points dropped).
    for case in range(N_CASES):
        y, s = _random_case(rng, case)
        ours = ex.roc_curve(y, s, drop_intermediate=drop_intermediate)
        theirs = skm.roc_curve(y, s, drop_intermediate=drop_intermediate)
        for a, b in zip(ours, theirs):
            assert a.shape == b.shape, f"case {case}: {a.shape} vs {b.shape}"
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


def test_roc_curve_with_string_labels_and_pos_label(rng):
    # Check string labels with an explicit positive class against scikit-learn, and that the larger
    # label is positive for roc_auc_score.
    for case in range(10):
        y, s = _random_case(rng, case)
        labels = np.array(["benign", "malignant"])[y]
        for pos_label in ["benign", "malignant"]:
            for a, b in zip(ex.roc_curve(labels, s, pos_label=pos_label), skm.roc_curve(labels, s, pos_label=pos_label)):
                np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
        assert ex.roc_auc_score(labels, s) == pytest.approx(skm.roc_auc_score(labels, s), rel=RTOL)


def test_auc_by_trapezoids_and_by_ranks_agree_with_scikit_learn(rng):
    # Check that both AUCs equal scikit-learn's roc_auc_score (and each other) on 50 random cases with ties.
    for case in range(N_CASES):
        y, s = _random_case(rng, case)
        expected = skm.roc_auc_score(y, s)
        assert ex.roc_auc_score(y, s) == pytest.approx(expected, rel=RTOL, abs=ATOL)
        assert ex.roc_auc_mann_whitney(y, s) == pytest.approx(expected, rel=RTOL, abs=ATOL)


def test_mann_whitney_equals_scipy_u_statistic(rng):
    # Check AUC = U / (n_pos n_neg) with SciPy's Mann-Whitney U of the positives (ties averaged).
    for case in range(20):
        y, s = _random_case(rng, case)
        u = mannwhitneyu(s[y == 1], s[y == 0]).statistic
        assert ex.roc_auc_mann_whitney(y, s) == pytest.approx(u / (np.sum(y == 1) * np.sum(y == 0)), rel=RTOL)


def test_precision_recall_curve_and_ap_match_scikit_learn(rng):
    # Check the precision-recall curve point for point and the step-wise AP against scikit-learn.
    for case in range(N_CASES):
        y, s = _random_case(rng, case)
        for a, b in zip(ex.precision_recall_curve(y, s), skm.precision_recall_curve(y, s)):
            assert a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
        assert ex.average_precision_score(y, s) == pytest.approx(skm.average_precision_score(y, s), rel=RTOL, abs=ATOL)


def test_ap_is_not_the_trapezoid_area(rng):
    # Check that AP differs from the (optimistic) trapezoid area under the same points, by hand on
    # y = (1, 0, 1), s = (3, 2, 1): points (R, P) = (0, 1), (1/2, 1), (1/2, 1/2), (1, 2/3);
    # AP = 1/2 * 1 + 1/2 * 2/3 = 5/6, trapezoids = 1/2 + 0 + 1/2 * (1/2 + 2/3) / 2 = 19/24.
    y, s = np.array([1, 0, 1]), np.array([3.0, 2.0, 1.0])
    precision, recall, _ = ex.precision_recall_curve(y, s)
    assert ex.average_precision_score(y, s) == pytest.approx(5 / 6)
    assert ex.auc(recall, precision) == pytest.approx(19 / 24)


def test_auc_properties(rng):
    # Check that the AUC ignores any increasing transformation of the scores and that
    # reversing the scores gives 1 - AUC.
    y, s = _random_case(rng, 2)
    a = ex.roc_auc_score(y, s)
    assert ex.roc_auc_score(y, np.exp(s / 10) + 5) == pytest.approx(a)
    assert ex.roc_auc_score(y, -s) == pytest.approx(1 - a)


def test_auc_of_decreasing_x_and_bad_x():
    # Check the trapezoid rule by hand on a triangle (area 1/2) in both directions, and a zig-zag x.
    assert ex.auc([0, 1], [0, 1]) == pytest.approx(0.5)
    assert ex.auc([1, 0], [1, 0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="increasing or decreasing"):
        ex.auc([0, 1, 0.5], [0, 1, 1])


@pytest.mark.parametrize("call", [ex.roc_curve, ex.roc_auc_score, ex.roc_auc_mann_whitney])
def test_single_class_is_refused(call):
    # Check that a single class in y_true gets a clear error (scikit-learn warns and returns nan).
    with pytest.raises(ValueError, match="only one class"):
        call(np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9]))


def test_precision_recall_without_positives_is_refused():
    # Check that no positives (recall 0/0) is refused; all positives is fine (precision 1 everywhere).
    with pytest.raises(ValueError, match="no positive samples"):
        ex.average_precision_score(np.array([0, 0, 0]), np.array([0.2, 0.5, 0.9]))
    assert ex.average_precision_score(np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9])) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "y, s, kwargs, match",
    [
        ([0, 1, 1], [0.1, 0.2], {}, "same length"),
        ([0, 1, 1], [0.1, np.nan, 0.3], {}, "finite"),
        ([1, 2, 2], [0.1, 0.2, 0.3], {}, "pos_label"),
        ([0, 1, 2], [0.1, 0.2, 0.3], {}, "two classes"),
    ],
)
def test_bad_input_gets_a_clear_error(y, s, kwargs, match):
    # Check mismatched lengths, NaN scores, labels that need pos_label, and three classes.
    with pytest.raises(ValueError, match=match):
        ex.roc_curve(np.array(y), np.array(s), **kwargs)
