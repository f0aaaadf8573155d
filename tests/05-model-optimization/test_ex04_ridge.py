"""Tests for ex04_ridge: parity with scikit-learn, gradient descent, least squares at alpha = 0, and the path."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge as SklearnRidge

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("05-model-optimization/ex04_ridge.py")

COEF_ATOL = 1e-6  # the bar for Ridge against scikit-learn
GD_ATOL = 1e-6
ATOL = 1e-9


@pytest.fixture(scope="module")
def diabetes():
    X, y = data.load_diabetes()
    return X * np.sqrt(len(X)), y


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", [1e-3, 0.5, 10.0, 1e3])
def test_coefficients_match_scikit_learn(diabetes, alpha, fit_intercept):
    # Check coef_ and intercept_ against scikit-learn's Ridge on the diabetes data, with and
    # without an intercept (without one the penalty acts on the uncentred problem).
    X, y = diabetes
    ours = ex.Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    ref = SklearnRidge(alpha=alpha, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=COEF_ATOL)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=COEF_ATOL)


def test_coefficients_match_scikit_learn_on_shifted_random_data(rng):
    # Check on data far from the origin (means of 50), where a penalised or forgotten
    # intercept would be obvious.
    X = rng.standard_normal((40, 6)) + 50.0
    y = X @ rng.standard_normal(6) + 7.0 + rng.standard_normal(40)
    for fit_intercept in [True, False]:
        ours = ex.Ridge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y)
        ref = SklearnRidge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=COEF_ATOL)
        assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-5)


def test_closed_form_zeroes_the_gradient(rng):
    # Check the optimality condition X^T (X w - y) + alpha w = 0 at the closed-form solution.
    X, y = rng.standard_normal((30, 5)), rng.standard_normal(30)
    w = ex.ridge_closed_form(X, y, 2.5)
    np.testing.assert_allclose(X.T @ (X @ w - y) + 2.5 * w, np.zeros(5), atol=ATOL)


@pytest.mark.parametrize("alpha", [0.0, 1.0, 50.0])
def test_gradient_descent_matches_the_closed_form(diabetes, alpha):
    # Check that gradient descent (lr = 1/L) reaches the closed-form coefficients, alpha = 0 included.
    X, y = diabetes
    closed = ex.Ridge(alpha=alpha).fit(X, y)
    gd = ex.Ridge(alpha=alpha, solver="gd", tol=1e-9).fit(X, y)
    np.testing.assert_allclose(gd.coef_, closed.coef_, atol=GD_ATOL)
    assert gd.intercept_ == pytest.approx(closed.intercept_, abs=GD_ATOL)


def test_gradient_descent_loss_never_rises(rng):
    # Check the descent property with lr = 1/L: the objective does not increase from step to step.
    X, y = rng.standard_normal((25, 4)), rng.standard_normal(25)
    L = ex.lipschitz_constant(X, 0.3)
    losses, w = [], np.zeros(4)
    for n_steps in range(1, 30):
        w, _ = ex.ridge_gradient_descent(X, y, 0.3, lr=1.0 / L, max_iter=n_steps, tol=0.0)
        losses.append(np.sum((y - X @ w) ** 2) + 0.3 * np.sum(w**2))
    assert np.all(np.diff(losses) <= 1e-12)


def test_alpha_zero_is_ordinary_least_squares(rng):
    # Check against np.linalg.lstsq with a column of ones for the intercept.
    X, y = rng.standard_normal((30, 4)), rng.standard_normal(30)
    solution = np.linalg.lstsq(np.column_stack([X, np.ones(30)]), y, rcond=None)[0]
    model = ex.Ridge(alpha=0.0).fit(X, y)
    np.testing.assert_allclose(model.coef_, solution[:4], atol=ATOL)
    assert model.intercept_ == pytest.approx(solution[4])


def test_intercept_is_not_penalised(rng):
    # Check that shifting y by a constant moves only the intercept, and that a huge alpha
    # leaves the mean of y as the intercept (a penalised intercept would shrink to 0).
    X, y = rng.standard_normal((20, 3)), rng.standard_normal(20)
    a, b = ex.Ridge(alpha=5.0).fit(X, y), ex.Ridge(alpha=5.0).fit(X, y + 100.0)
    np.testing.assert_allclose(a.coef_, b.coef_, atol=ATOL)
    assert b.intercept_ - a.intercept_ == pytest.approx(100.0)
    huge = ex.Ridge(alpha=1e12).fit(X, y + 100.0)
    assert huge.intercept_ == pytest.approx(np.mean(y + 100.0), abs=1e-6)


def test_duplicate_column_shares_its_weight(rng):
    # Check a singular X^T X (two equal columns): alpha > 0 still has one solution, and by
    # symmetry it gives both copies the same weight.
    x = rng.standard_normal(25)
    X = np.column_stack([x, x, rng.standard_normal(25)])
    y = 2 * x + rng.standard_normal(25) * 0.1
    model = ex.Ridge(alpha=0.1).fit(X, y)
    assert model.coef_[0] == pytest.approx(model.coef_[1])
    assert model.coef_[0] + model.coef_[1] == pytest.approx(2.0, abs=0.1)


def test_path_equals_separate_fits_and_its_norm_shrinks(diabetes):
    # Check the SVD path against one closed-form fit per alpha, and that ||w(alpha)||
    # falls strictly as alpha grows (each direction is shrunk by s^2 / (s^2 + alpha)).
    X, y = diabetes
    alphas = np.logspace(-3, 5, 25)
    coefs, intercepts = ex.ridge_path(X, y, alphas)
    for alpha, coef, intercept in zip(alphas, coefs, intercepts):
        model = ex.Ridge(alpha=alpha).fit(X, y)
        np.testing.assert_allclose(coef, model.coef_, atol=COEF_ATOL)
        assert intercept == pytest.approx(model.intercept_)
    assert np.all(np.diff(np.linalg.norm(coefs, axis=1)) < 0)


def test_effective_degrees_of_freedom_limits(rng):
    # Check df(0) = rank (d for full-rank X) and df falls towards 0 for a huge alpha.
    X = rng.standard_normal((30, 4))
    df = ex.effective_degrees_of_freedom(X, [0.0, 1.0, 1e12])
    assert df[0] == pytest.approx(4.0)
    assert 0 < df[1] < 4 and df[2] < 1e-9


def test_bad_input_and_predict_before_fit():
    # Check the messages for a negative alpha, an unknown solver, a diverging lr and an unfitted model.
    X, y = np.ones((5, 2)), np.arange(5.0)
    with pytest.raises(ValueError, match="non-negative"):
        ex.Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        ex.Ridge(solver="magic").fit(X, y)
    with pytest.raises(ValueError, match="diverges"):
        ex.ridge_gradient_descent(X, y, 1.0, lr=10.0)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.Ridge().predict(X)
