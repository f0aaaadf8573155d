"""Tests for ex05_lasso: soft thresholding, parity with scikit-learn, alpha_max, KKT conditions and the duality gap."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet as SklearnElasticNet
from sklearn.linear_model import Lasso as SklearnLasso
from sklearn.linear_model import Ridge as SklearnRidge

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("05-model-optimization/ex05_lasso.py")

COEF_ATOL = 1e-4  # the bar for the lasso against scikit-learn
TIGHT = dict(tol=1e-10, max_iter=100_000)  # both solvers run to (near) exact optimality
KKT_RTOL = 1e-6  # KKT residuals relative to alpha
ATOL = 1e-12


@pytest.fixture(scope="module")
def diabetes():
    X, y = data.load_diabetes()
    return X * np.sqrt(len(X)), y


def test_soft_threshold_by_hand():
    # Check by hand with t = 1: 3 -> 2, -3 -> -2, values in [-1, 1] -> 0, and t = 0 changes nothing.
    np.testing.assert_allclose(ex.soft_threshold(np.array([3.0, -3.0, 0.5, -1.0, 1.0, 0.0]), 1.0), [2, -2, 0, 0, 0, 0], atol=ATOL)
    np.testing.assert_allclose(ex.soft_threshold(np.array([-2.5, 4.0]), 0.0), [-2.5, 4.0], atol=ATOL)
    assert ex.soft_threshold(-7.0, 2.5) == pytest.approx(-4.5)


def test_soft_threshold_solves_the_one_dimensional_problem(rng):
    # Check the defining property: S(z, t) minimises 0.5 (w - z)^2 + t |w|, found by brute force on a fine grid.
    grid = np.linspace(-6, 6, 120_001)
    for z, t in zip(rng.uniform(-5, 5, 6), rng.uniform(0, 3, 6)):
        best = grid[np.argmin(0.5 * (grid - z) ** 2 + t * np.abs(grid))]
        assert ex.soft_threshold(z, t) == pytest.approx(best, abs=1e-4)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.01, 0.001])
def test_lasso_matches_scikit_learn(diabetes, fraction, fit_intercept):
    # Check coef_ and intercept_ against scikit-learn's Lasso at the same alpha (a fraction of
    # alpha_max, from 2 to all 10 features active) and a tight tolerance.
    X, y = diabetes
    alpha = fraction * ex.alpha_max(X, y, fit_intercept=fit_intercept)
    ours = ex.Lasso(alpha=alpha, fit_intercept=fit_intercept, **TIGHT).fit(X, y)
    ref = SklearnLasso(alpha=alpha, fit_intercept=fit_intercept, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=COEF_ATOL)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=COEF_ATOL)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)  # the same features are dropped


@pytest.mark.parametrize("l1_ratio", [0.2, 0.5, 0.9])
def test_elastic_net_matches_scikit_learn(diabetes, l1_ratio):
    # Check ElasticNet against scikit-learn's at several L1 shares.
    X, y = diabetes
    ours = ex.ElasticNet(alpha=0.3, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    ref = SklearnElasticNet(alpha=0.3, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=COEF_ATOL)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=COEF_ATOL)


def test_elastic_net_limits_are_lasso_and_ridge(rng):
    # Check l1_ratio = 1 gives the lasso, and l1_ratio = 0 gives ridge with alpha_ridge = n alpha
    # (multiply the elastic-net objective by 2n to see it), checked against scikit-learn's Ridge.
    X, y = rng.standard_normal((40, 5)), rng.standard_normal(40)
    np.testing.assert_allclose(
        ex.ElasticNet(alpha=0.05, l1_ratio=1.0, **TIGHT).fit(X, y).coef_, ex.Lasso(alpha=0.05, **TIGHT).fit(X, y).coef_, atol=ATOL
    )
    ridge_like = ex.ElasticNet(alpha=0.05, l1_ratio=0.0, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ridge_like.coef_, SklearnRidge(alpha=40 * 0.05).fit(X, y).coef_, atol=1e-7)


def test_alpha_max_is_the_zero_threshold(diabetes):
    # Check alpha_max = max |X^T y| / n on centred data (computed here by hand): at and above it
    # every coefficient is exactly 0, and just below it exactly one feature enters.
    X, y = diabetes
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    a_max = np.max(np.abs(Xc.T @ yc)) / len(X)
    assert ex.alpha_max(X, y) == pytest.approx(a_max)
    for alpha in [a_max, 2 * a_max]:
        model = ex.Lasso(alpha=alpha).fit(X, y)
        np.testing.assert_array_equal(model.coef_, np.zeros(X.shape[1]))
        assert model.intercept_ == pytest.approx(y.mean())
    assert np.count_nonzero(ex.Lasso(alpha=0.99 * a_max, **TIGHT).fit(X, y).coef_) == 1


@pytest.mark.parametrize("fraction", [0.3, 0.03])
def test_kkt_conditions_hold(diabetes, fraction):
    # Check the subgradient optimality conditions with g = X^T (y - X w) / n on centred data:
    # g_j = alpha sign(w_j) on the active set, |g_j| <= alpha elsewhere.
    X, y = diabetes
    alpha = fraction * ex.alpha_max(X, y)
    w = ex.Lasso(alpha=alpha, **TIGHT).fit(X, y).coef_
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    g = Xc.T @ (yc - Xc @ w) / len(X)
    active = w != 0
    assert active.any() and (~active).any()  # both kinds of coordinates are checked
    np.testing.assert_allclose(g[active], alpha * np.sign(w[active]), rtol=0, atol=KKT_RTOL * alpha)
    assert np.all(np.abs(g[~active]) <= alpha * (1 + KKT_RTOL))


def test_duality_gap_bounds_the_objective(rng):
    # Check weak duality (the gap is >= 0 at any w) and that it vanishes at scikit-learn's solution.
    X, y = rng.standard_normal((30, 6)), rng.standard_normal(30)
    for _ in range(5):
        assert ex.duality_gap(X, y, rng.standard_normal(6), 0.1, 0.7) >= 0
    ref = SklearnElasticNet(alpha=0.1, l1_ratio=0.7, fit_intercept=False, **TIGHT).fit(X, y)
    assert ex.duality_gap(X, y, ref.coef_, 0.1, 0.7) < 1e-8 * (y @ y)
    assert ex.duality_gap(X, y, np.zeros(6), 0.1, 0.7) > 1e-3  # w = 0 is not optimal here


def test_objective_is_no_worse_than_scikit_learns(rng):
    # Check optimality directly: our objective value is at most scikit-learn's (up to round-off).
    X, y = rng.standard_normal((50, 8)), rng.standard_normal(50)

    def objective(w):
        return np.sum((y - X @ w) ** 2) / 100 + 0.05 * np.abs(w).sum()

    ours = ex.Lasso(alpha=0.05, fit_intercept=False, **TIGHT).fit(X, y).coef_
    ref = SklearnLasso(alpha=0.05, fit_intercept=False, **TIGHT).fit(X, y).coef_
    assert objective(ours) <= objective(ref) + 1e-12


def test_constant_feature_gets_zero_weight_without_warnings(rng):
    # Check a constant column (all zeros after centring): weight 0, no division by zero.
    X = np.column_stack([rng.standard_normal(20), np.full(20, 3.0), rng.standard_normal(20)])
    y = X[:, 0] - X[:, 2] + 0.1 * rng.standard_normal(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = ex.Lasso(alpha=0.01).fit(X, y)
    assert model.coef_[1] == 0.0 and abs(model.coef_[0]) > 0.5


def test_warm_start_path_matches_cold_fits(diabetes):
    # Check that the warm-started path gives the same coefficients as separate fits.
    X, y = diabetes
    alphas, coefs = ex.enet_path(X, y, [5.0, 1.0, 0.2], tol=1e-10)
    np.testing.assert_allclose(alphas, [5.0, 1.0, 0.2])
    for alpha, coef in zip(alphas, coefs):
        np.testing.assert_allclose(coef, ex.Lasso(alpha=alpha, **TIGHT).fit(X, y).coef_, atol=COEF_ATOL)


def test_bad_input_and_predict_before_fit():
    # Check the messages for a negative alpha, an l1_ratio outside [0, 1], a negative threshold,
    # and predict before fit.
    X, y = np.ones((4, 2)), np.arange(4.0)
    with pytest.raises(ValueError, match="alpha must be a non-negative"):
        ex.Lasso(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio must be between 0 and 1"):
        ex.ElasticNet(l1_ratio=1.5).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        ex.soft_threshold(1.0, -0.1)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.Lasso().predict(X)
