"""Tests for ex04_outliers: z-score, Tukey fences, modified z-score, and Huber regression by IRLS."""

import numpy as np
import pytest
from scipy import optimize, stats
from sklearn.linear_model import HuberRegressor as SkHuberRegressor

import utils
from utils.gradcheck import numerical_gradient
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex04_outliers.py")

ATOL = 1e-12
RTOL = 1e-12
SK_RTOL = 1e-4  # scikit-learn stops L-BFGS at a gradient tolerance; we run IRLS to 1e-10
GRAD_ATOL = 1e-5  # |dF/dparams| at our optimum, F summed over ~50 samples (central differences)


def test_zscores_match_scipy(rng):
    # Check (x - mean) / std with ddof = 0 against scipy.stats.zscore.
    x = rng.normal(5.0, 3.0, size=40)
    np.testing.assert_allclose(ex.zscores(x), stats.zscore(x), rtol=1e-10, atol=ATOL)


def test_zscores_of_a_constant_sample_are_zero():
    # Check the constant sample (std 0): no division by zero, nothing flagged, single value too.
    np.testing.assert_array_equal(ex.zscores([4.0, 4.0, 4.0]), [0.0, 0.0, 0.0])
    assert not ex.zscore_outliers([4.0]).any()


def test_zscore_rule_by_hand():
    # Check by hand: nine 0s and one 10: mean 1, std 3, z of the 10 is 3 (not > 3, so not flagged);
    # with threshold 2.9 it is flagged.
    x = np.array([0.0] * 9 + [10.0])
    np.testing.assert_allclose(ex.zscores(x)[-1], 3.0, rtol=1e-12)
    assert not ex.zscore_outliers(x).any()
    np.testing.assert_array_equal(ex.zscore_outliers(x, threshold=2.9), [False] * 9 + [True])


def test_tukey_fences_by_hand():
    # Check by hand for 1..8: Q1 = 2.75, Q3 = 6.25 (linear interpolation), IQR = 3.5,
    # fences 2.75 - 5.25 = -2.5 and 6.25 + 5.25 = 11.5.
    low, high = ex.tukey_fences(np.arange(1.0, 9.0))
    np.testing.assert_allclose([low, high], [-2.5, 11.5], atol=ATOL)
    # With 30 added (n = 9): Q1 = 3, Q3 = 7 (positions 2 and 6), fences -3 and 13: only 30 is out.
    np.testing.assert_array_equal(ex.iqr_outliers([1, 2, 3, 4, 5, 6, 7, 8, 30.0]).nonzero()[0], [8])


def test_tukey_fences_match_numpy_percentiles(rng):
    # Check against np.percentile for several k, including k = 0 (the quartiles themselves).
    x = rng.exponential(2.0, size=51)
    q1, q3 = np.percentile(x, [25, 75])
    for k in (0.0, 1.5, 3.0):
        np.testing.assert_allclose(ex.tukey_fences(x, k), (q1 - k * (q3 - q1), q3 + k * (q3 - q1)), rtol=RTOL)


def test_modified_zscores_match_scipy_mad(rng):
    # Check 0.6745 (x - median) / MAD with scipy.stats.median_abs_deviation (scale=1).
    x = rng.standard_t(3, size=45)
    expected = 0.6745 * (x - np.median(x)) / stats.median_abs_deviation(x)
    np.testing.assert_allclose(ex.modified_zscores(x), expected, rtol=1e-10, atol=ATOL)


def test_modified_zscores_when_mad_is_zero():
    # Check MAD = 0 (most values equal): values at the median score 0, others +-inf, no warning.
    z = ex.modified_zscores([3.0, 3.0, 3.0, 5.0, 1.0])
    np.testing.assert_array_equal(z, [0.0, 0.0, 0.0, np.inf, -np.inf])
    np.testing.assert_array_equal(ex.mad_outliers([3.0, 3.0, 3.0, 5.0]), [False, False, False, True])


def test_masking_fools_the_zscore_but_not_the_mad(rng):
    # Check the lesson's claim: two enormous values hide a moderate one from the z-score rule,
    # while the MAD rule finds all three.
    x = np.concatenate([rng.normal(0, 1, 100), [8.0, 500.0, -600.0]])
    assert not ex.zscore_outliers(x)[100]
    np.testing.assert_array_equal(np.flatnonzero(ex.mad_outliers(x))[-3:], [100, 101, 102])


def test_rules_reject_bad_samples():
    # Check that NaN, 2-D input and empty samples get a clear error.
    for bad in ([1.0, np.nan], [[1.0, 2.0]], []):
        with pytest.raises(ValueError, match="x"):
            ex.mad_outliers(bad)
    with pytest.raises(ValueError, match="k must be"):
        ex.tukey_fences([1.0, 2.0], k=-1)


def test_huber_objective_by_hand():
    # Check by hand: w = 0, b = 0, sigma = 1, epsilon = 2, residuals 1 and 10:
    # n sigma = 2, inlier 1^2 / 1 = 1, outlier 2*2*10 - 1*4 = 36, total 39; alpha ||w||^2 adds 0.5 * 4.
    X, y = np.zeros((2, 1)), np.array([1.0, 10.0])
    assert ex.huber_objective(np.array([0.0, 0.0, 1.0]), X, y, epsilon=2.0, alpha=0.0) == pytest.approx(39.0)
    assert ex.huber_objective(np.array([2.0, 0.0, 1.0]), X, y, epsilon=2.0, alpha=0.5) == pytest.approx(41.0)


def test_best_scale_minimises_the_objective(rng):
    # Check the exact scale step against a numerical 1-D minimisation of F over sigma.
    r = np.concatenate([rng.normal(0, 2.0, 30), [40.0, -25.0]])
    X, y = np.zeros((r.size, 1)), r
    sigma = ex.best_scale(r, 1.35)
    best = optimize.minimize_scalar(lambda s: ex.huber_objective(np.array([0.0, 0.0, s]), X, y, 1.35, 0.0),
                                    bounds=(1e-6, 100.0), method="bounded", options={"xatol": 1e-10})
    np.testing.assert_allclose(sigma, best.x, rtol=1e-6)


def _line_with_outliers(rng, n=50, d=2):
    X = rng.normal(size=(n, d))
    y = X @ np.array([2.0, -1.0][:d]) + 0.5 + rng.normal(0, 0.3, n)
    y[:5] += rng.choice([-15.0, 15.0], size=5)
    return X, y


@pytest.mark.parametrize("epsilon, alpha", [(1.35, 1e-4), (1.1, 0.0), (2.0, 1.0)])
def test_huber_matches_sklearn(rng, epsilon, alpha):
    # Check coef_, intercept_, scale_ and outliers_ against scikit-learn at the same epsilon and alpha,
    # and that our objective value is no worse than sklearn's.
    X, y = _line_with_outliers(rng)
    ours = ex.HuberRegressor(epsilon=epsilon, alpha=alpha)
    assert ours.fit(X, y) is ours
    sk = SkHuberRegressor(epsilon=epsilon, alpha=alpha, max_iter=2000, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(ours.coef_, sk.coef_, rtol=SK_RTOL, atol=SK_RTOL)
    np.testing.assert_allclose([ours.intercept_, ours.scale_], [sk.intercept_, sk.scale_], rtol=SK_RTOL, atol=SK_RTOL)
    np.testing.assert_array_equal(ours.outliers_, sk.outliers_)
    f_ours = ex.huber_objective(np.r_[ours.coef_, ours.intercept_, ours.scale_], X, y, epsilon, alpha)
    f_sk = ex.huber_objective(np.r_[sk.coef_, sk.intercept_, sk.scale_], X, y, epsilon, alpha)
    assert f_ours <= f_sk + 1e-9 * abs(f_sk)


def test_huber_gradient_is_zero_at_the_solution(rng):
    # Check the optimality condition: the central-difference gradient of F at our (w, b, sigma) is 0.
    X, y = _line_with_outliers(rng, d=2)
    model = ex.HuberRegressor(epsilon=1.35, alpha=0.1).fit(X, y)
    params = np.r_[model.coef_, model.intercept_, model.scale_]
    grad = numerical_gradient(lambda p: ex.huber_objective(p, X, y, 1.35, 0.1), params, h=1e-6)
    np.testing.assert_allclose(grad, 0.0, atol=GRAD_ATOL)


def test_huber_with_huge_epsilon_is_least_squares(rng):
    # Check that with epsilon = 1e8 every point is an inlier and (alpha = 0) the fit is least squares.
    X, y = _line_with_outliers(rng)
    model = ex.HuberRegressor(epsilon=1e8, alpha=0.0).fit(X, y)
    A = np.column_stack([X, np.ones(len(y))])
    expected = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(np.r_[model.coef_, model.intercept_], expected, rtol=1e-8, atol=1e-8)
    assert not model.outliers_.any()


def test_huber_resists_outliers_where_least_squares_does_not(rng):
    # Check the point of the lesson: with 10% gross outliers Huber stays near the true slope 2.
    X, y = _line_with_outliers(rng, n=100, d=1)
    y[:10] = -30.0 * np.sign(X[:10, 0])  # outliers that pull the slope down
    huber = ex.HuberRegressor().fit(X, y)
    ols = ex.least_squares_line(X[:, 0], y)[0]
    assert abs(huber.coef_[0] - 2.0) < 0.3 < abs(ols - 2.0)


def test_huber_bad_input_and_predict_before_fit():
    # Check the messages for epsilon < 1, mismatched shapes, NaN, and predict before fit.
    with pytest.raises(ValueError, match="epsilon"):
        ex.HuberRegressor(epsilon=0.5).fit(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="max_iter"):
        ex.HuberRegressor(max_iter=0).fit(np.ones((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match="same number of samples"):
        ex.HuberRegressor().fit(np.ones((3, 1)), np.ones(4))
    with pytest.raises(ValueError, match="NaN or infinity"):
        ex.HuberRegressor().fit(np.array([[1.0], [np.nan]]), np.ones(2))
    with pytest.raises(NotFittedError, match="call fit"):
        ex.HuberRegressor().predict(np.ones((2, 1)))
    with pytest.raises(ValueError, match="expecting 1 features"):
        ex.HuberRegressor().fit(np.arange(4.0)[:, None], np.arange(4.0)).predict(np.ones((2, 3)))
