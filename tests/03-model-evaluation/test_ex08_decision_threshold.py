"""Tests for ex08_decision_threshold: counts at every threshold, best F1, minimum cost, Youden's J."""

import numpy as np
import pytest
from sklearn import metrics as skm

import utils

ex = utils.load_exercise("03-model-evaluation/ex08_decision_threshold.py")

N_CASES = 50
RTOL = 1e-12
ATOL = 1e-12


def _scores_at(y, s):
    """Every candidate threshold: +inf and each distinct score."""
    return np.r_[np.inf, np.unique(s)[::-1]]


def test_counts_at_thresholds_by_hand():
    # Check by hand: y = (1, 0, 1, 0), s = (0.9, 0.7, 0.7, 0.2). At t = inf nothing is positive;
    # at 0.9 one TP; at 0.7 the tied pair joins (TP 2, FP 1); at 0.2 everything (TP 2, FP 2).
    t, tp, fp, fn, tn = ex.counts_at_thresholds([1, 0, 1, 0], [0.9, 0.7, 0.7, 0.2])
    np.testing.assert_array_equal(t, [np.inf, 0.9, 0.7, 0.2])
    np.testing.assert_array_equal(tp, [0, 1, 2, 2])
    np.testing.assert_array_equal(fp, [0, 0, 1, 2])
    np.testing.assert_array_equal(fn, [2, 1, 0, 0])
    np.testing.assert_array_equal(tn, [2, 2, 1, 0])


def test_threshold_rules_match_a_brute_force_search(rng, make_binary_case):
    # Check best F1, minimum cost and Youden's J against a brute-force search that thresholds the
    # scores at every candidate and counts from the definitions, on 50 random cases with ties; then
    # check the returned F1 threshold with scikit-learn's f1_score and J with its ROC curve.
    for case in range(N_CASES):
        y, s = make_binary_case(case)
        c_fp, c_fn = float(rng.uniform(0.1, 3)), float(rng.uniform(0.1, 3))
        pred = s[None, :] >= _scores_at(y, s)[:, None]  # (n_thresholds, n), one prediction per row
        tp, fp = (pred & (y == 1)).sum(1), (pred & (y == 0)).sum(1)
        fn, tn = (~pred & (y == 1)).sum(1), (~pred & (y == 0)).sum(1)
        t_f1, f1 = ex.best_f1_threshold(y, s)
        t_cost, cost = ex.min_cost_threshold(y, s, c_fp, c_fn)
        t_j, j = ex.youden_threshold(y, s)
        assert f1 == pytest.approx(np.max(2 * tp / (2 * tp + fp + fn)), rel=RTOL)
        assert cost == pytest.approx(np.min((c_fp * fp + c_fn * fn) / len(y)), rel=RTOL, abs=ATOL)
        assert j == pytest.approx(np.max(tp / (tp + fn) - fp / (fp + tn)), rel=RTOL, abs=ATOL)
        # the returned thresholds really achieve those values
        assert skm.f1_score(y, (s >= t_f1).astype(int), zero_division=0) == pytest.approx(f1, rel=RTOL)
        fpr, tpr, _ = skm.roc_curve(y, s, drop_intermediate=False)
        assert j == pytest.approx(np.max(tpr - fpr), abs=ATOL)
        pred_cost = s >= t_cost
        assert (c_fp * np.sum(pred_cost & (y == 0)) + c_fn * np.sum(~pred_cost & (y == 1))) / len(y) == pytest.approx(cost, rel=RTOL, abs=ATOL)


def test_cost_rule_with_extreme_costs():
    # Check by hand on y = (0, 1, 0, 1), s = (0.1, 0.4, 0.6, 0.8): if false alarms are free, the
    # first threshold that catches every positive (0.4) costs 0; if misses are free, t = +inf does.
    y, s = np.array([0, 1, 0, 1]), np.array([0.1, 0.4, 0.6, 0.8])
    assert ex.min_cost_threshold(y, s, cost_fp=0.0, cost_fn=1.0) == (0.4, 0.0)
    assert ex.min_cost_threshold(y, s, cost_fp=1.0, cost_fn=0.0) == (np.inf, 0.0)
    # equal costs: t = 0.8 (1 miss) and t = 0.4 (1 false alarm) both cost 1/4; the higher one is returned
    assert ex.min_cost_threshold(y, s) == (0.8, 0.25)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ex.min_cost_threshold([0, 1], [0.2, 0.3], cost_fp=-1.0), "costs"),
        (lambda: ex.youden_threshold([1, 1], [0.2, 0.3]), "one class"),
        (lambda: ex.best_f1_threshold([0, 0], [0.2, 0.3]), "no positive"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    # Check negative costs and thresholds that are undefined (one class, no positives).
    with pytest.raises(ValueError, match=match):
        call()
