"""Tests for ex06_huber_regression: the Huber objective, the scale step and HuberRegressor, against scikit-learn."""

import numpy as np
import pytest
from scipy import optimize
from sklearn.linear_model import HuberRegressor as SkHuberRegressor

import utils
from utils.gradcheck import numerical_gradient
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex06_huber_regression.py")

SK_RTOL = 1e-4  # scikit-learn stops L-BFGS at a gradient tolerance; we run IRLS to 1e-10
GRAD_ATOL = 1e-5  # |dF/dparams| at our optimum, F summed over ~50 samples (central differences)


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
