"""Tests for ex10_isotonic_calibration: pool adjacent violators and the isotonic calibrator."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.isotonic import IsotonicRegression, isotonic_regression
from sklearn.metrics import brier_score_loss

import utils

ex = utils.load_exercise("03-model-evaluation/ex10_isotonic_calibration.py")

N_CASES = 50
RTOL = 1e-12
ATOL = 1e-12


def test_pool_adjacent_violators_matches_scikit_learn(rng):
    # Check PAVA against scikit-learn's isotonic_regression, with and without weights.
    for case in range(N_CASES):
        y = np.round(rng.standard_normal(int(rng.integers(1, 40))), 1)
        w = rng.uniform(0.1, 3.0, len(y)) if case % 2 else None
        np.testing.assert_allclose(ex.pool_adjacent_violators(y, w), isotonic_regression(y, sample_weight=w), rtol=RTOL, atol=ATOL)


def test_pool_adjacent_violators_by_hand():
    # Check by hand: (1, 3, 2, 4) -> the violators 3, 2 pool to 2.5: (1, 2.5, 2.5, 4); a sorted input is kept.
    np.testing.assert_allclose(ex.pool_adjacent_violators([1.0, 3.0, 2.0, 4.0]), [1.0, 2.5, 2.5, 4.0])
    np.testing.assert_allclose(ex.pool_adjacent_violators([1.0, 2.0, 5.0]), [1.0, 2.0, 5.0])


def test_isotonic_calibration_matches_scikit_learn(rng, make_binary_case):
    # Check fitted values and predictions (interpolated, clipped outside) against scikit-learn's
    # IsotonicRegression, with tied scores.
    for case in range(20):
        y, s = make_binary_case(case)
        s = np.round(s * 10, 0)  # heavy ties in the scores
        new = np.r_[rng.uniform(-2, 12, 30), s]
        ours = ex.IsotonicCalibration().fit(s, y).predict(new)
        theirs = IsotonicRegression(out_of_bounds="clip").fit(s, y).predict(new)
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)
        assert np.all(np.diff(ex.IsotonicCalibration().fit(s, y).predict(np.sort(new))) >= 0)


def test_isotonic_calibration_lowers_the_brier_score_of_an_overconfident_model(rng):
    # Check the purpose: scores made 4x too confident are repaired (Brier drops to near that of
    # the true probabilities), fitted on one half and judged on the other.
    z = rng.standard_normal(4000)
    y = (rng.random(4000) < expit(z)).astype(int)
    s = 4.0 * z  # overconfident logit
    fit, test = slice(0, 2000), slice(2000, None)
    raw = brier_score_loss(y[test], expit(s[test]))
    best = brier_score_loss(y[test], expit(z[test]))
    calibrated = brier_score_loss(y[test], ex.IsotonicCalibration().fit(s[fit], y[fit]).predict(s[test]))
    assert calibrated < raw and calibrated < best + 0.01


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ex.pool_adjacent_violators([1.0, 2.0], [1.0, 0.0]), "positive"),
        (lambda: ex.pool_adjacent_violators([1.0, 2.0], [1.0, 1.0, 1.0]), "shape"),
        (lambda: ex.IsotonicCalibration().fit([0.1, 0.2, 0.3], [0, 1]), "same length"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    # Check non-positive or mismatched weights and mismatched scores and labels.
    with pytest.raises(ValueError, match=match):
        call()


def test_predict_before_fit():
    # Check that the calibrator says "call fit first".
    with pytest.raises(RuntimeError, match="fit"):
        ex.IsotonicCalibration().predict([0.1, 0.2])


def test_nan_scores_get_a_clear_error():
    # Check that a NaN score is refused at fit and at predict, naming scores.
    scores, y = np.linspace(-2.0, 2.0, 12), np.arange(12) % 2
    model = ex.IsotonicCalibration().fit(scores, y)
    with pytest.raises(ValueError, match="scores must"):
        model.predict(np.array([0.5, np.nan]))
    with pytest.raises(ValueError, match="scores must be finite"):
        ex.IsotonicCalibration().fit(np.where(np.arange(12) == 3, np.nan, scores), y)
