"""Tests for ex09_calibration: reliability curves, Brier score and Platt scaling."""

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn import metrics as skm
from sklearn.calibration import calibration_curve as sk_calibration_curve

import utils

ex = utils.load_exercise("03-model-evaluation/ex09_calibration.py")

N_CASES = 50
RTOL = 1e-12
ATOL = 1e-12
PLATT_TOL = 1e-6  # our Newton solution vs SciPy's BFGS on the same objective


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_calibration_curve_matches_scikit_learn(rng, strategy, make_binary_case):
    # Check the fraction of positives and mean probability per non-empty bin against scikit-learn,
    # with ties, probabilities on the bin edges and several bin counts.
    for case in range(N_CASES):
        y, p = make_binary_case(case)
        n_bins = int(rng.integers(1, 12))
        ours = ex.calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
        theirs = sk_calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
        for a, b in zip(ours, theirs):
            assert a.shape == b.shape, f"case {case}: {a.shape} vs {b.shape}"
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


def test_calibration_curve_by_hand():
    # Check by hand with 2 bins [0, 0.5], (0.5, 1]: p = 0.2, 0.5 (edge: lower bin), 0.7, 0.9 with
    # y = 0, 1, 1, 1 -> bin 1: mean p 0.35, fraction 1/2; bin 2: mean p 0.8, fraction 1.
    prob_true, prob_pred = ex.calibration_curve([0, 1, 1, 1], [0.2, 0.5, 0.7, 0.9], n_bins=2)
    np.testing.assert_allclose(prob_true, [0.5, 1.0])
    np.testing.assert_allclose(prob_pred, [0.35, 0.8])


def test_brier_score_matches_scikit_learn(make_binary_case):
    # Check the Brier score against scikit-learn, also with a single class and with string labels.
    for case in range(N_CASES):
        y, p = make_binary_case(case)
        assert ex.brier_score_loss(y, p) == pytest.approx(skm.brier_score_loss(y, p), rel=RTOL)
    assert ex.brier_score_loss([0, 0, 0], [0.1, 0.2, 0.0]) == pytest.approx(skm.brier_score_loss([0, 0, 0], [0.1, 0.2, 0.0]))
    labels = np.array(["no", "yes", "yes"])
    assert ex.brier_score_loss(labels, [0.3, 0.6, 0.9], pos_label="yes") == pytest.approx((0.09 + 0.16 + 0.01) / 3)


def _platt_objective(theta, s, y):
    n_pos, n_neg = y.sum(), len(y) - y.sum()
    t = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    z = theta[0] * s + theta[1]
    return np.mean(np.logaddexp(0, z) - t * z)


def test_platt_scaling_matches_a_generic_optimiser(rng):
    # Check (a, b) against SciPy's BFGS on Platt's objective (smoothed targets), for overlapping scores.
    for case in range(10):
        n = 200
        y = rng.integers(0, 2, n)
        s = 3.0 * (y - 0.5) + rng.standard_normal(n) * rng.uniform(1, 4)
        platt = ex.PlattScaling().fit(s, y)
        ref = minimize(_platt_objective, x0=np.zeros(2), args=(s, y), method="BFGS", options=dict(gtol=1e-12)).x
        np.testing.assert_allclose([platt.a_, platt.b_], ref, atol=PLATT_TOL)


def test_platt_scaling_stays_finite_on_separable_scores():
    # Check that perfectly separated scores give finite parameters (the smoothed targets are not 0 or 1)
    # and probabilities strictly inside (0, 1).
    # At the optimum the gradient vanishes: mean(p - t) = 0 and mean(s (p - t)) = 0.
    s, y = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]), np.array([0, 0, 0, 1, 1, 1])
    platt = ex.PlattScaling().fit(s, y)
    assert np.isfinite(platt.a_) and np.isfinite(platt.b_) and platt.a_ > 0
    p = platt.predict(s)
    assert np.all((p > 0) & (p < 1))
    t = np.where(y == 1, 4 / 5, 1 / 5)  # targets (3 + 1) / (3 + 2) and 1 / (3 + 2)
    np.testing.assert_allclose([np.mean(p - t), np.mean(s * (p - t))], 0.0, atol=1e-9)


def test_calibration_lowers_the_brier_score_of_an_overconfident_model(rng):
    # Check the purpose: scores made 4x too confident are repaired by Platt scaling (Brier drops
    # to near that of the true probabilities), fitted on one half and judged on the other.
    z = rng.standard_normal(4000)
    y = (rng.random(4000) < ex.sigmoid(z)).astype(int)
    s = 4.0 * z  # overconfident logit
    fit, test = slice(0, 2000), slice(2000, None)
    raw = ex.brier_score_loss(y[test], ex.sigmoid(s[test]))
    best = ex.brier_score_loss(y[test], ex.sigmoid(z[test]))
    calibrated = ex.brier_score_loss(y[test], ex.PlattScaling().fit(s[fit], y[fit]).predict(s[test]))
    assert calibrated < raw and calibrated < best + 0.01


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ex.calibration_curve([0, 1], [0.2, 1.3]), r"\[0, 1\]"),
        (lambda: ex.brier_score_loss([0, 1], [-0.1, 0.5]), r"\[0, 1\]"),
        (lambda: ex.brier_score_loss([0, 1, 1], [0.1, 0.5]), "same length"),
        (lambda: ex.calibration_curve([0, 1], [0.2, 0.3], n_bins=0), "n_bins"),
        (lambda: ex.calibration_curve([0, 1], [0.2, 0.3], strategy="kmeans"), "strategy"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    # Check probabilities outside [0, 1], mismatched lengths and bad options.
    with pytest.raises(ValueError, match=match):
        call()


def test_predict_before_fit():
    # Check that the calibrator says "call fit first".
    with pytest.raises(RuntimeError, match="fit"):
        ex.PlattScaling().predict([0.1, 0.2])


def test_nan_scores_get_a_clear_error():
    # Check that a NaN score is refused at fit and at predict, naming scores.
    scores, y = np.linspace(-2.0, 2.0, 12), np.arange(12) % 2
    model = ex.PlattScaling().fit(scores, y)
    with pytest.raises(ValueError, match="scores must"):
        model.predict(np.array([0.5, np.nan]))
    with pytest.raises(ValueError, match="scores must be finite"):
        ex.PlattScaling().fit(np.where(np.arange(12) == 3, np.nan, scores), y)
