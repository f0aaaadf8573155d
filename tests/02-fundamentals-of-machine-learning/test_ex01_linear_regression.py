"""Tests for ex01_linear_regression: least squares in closed form and by gradient descent."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.metrics import r2_score

import utils
from utils import data
from utils.gradcheck import check_gradient
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex01_linear_regression.py")

RTOL = 1e-6  # closed form vs scikit-learn: both are least squares, so round-off only
ATOL = 1e-6
GD_ATOL = 1e-6  # gradient descent run to convergence vs the closed form
GRAD_TOL = 1e-6  # relative error of the analytic vs the central-difference gradient


def _assert_same_as_sklearn(model, sk, X):
    np.testing.assert_allclose(model.coef_, sk.coef_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(model.intercept_, sk.intercept_, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(model.predict(X), sk.predict(X), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("solver", ["lstsq", "normal"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("n, d", [(50, 1), (40, 5), (12, 11)])
def test_matches_sklearn_on_synthetic_data(rng, n, d, fit_intercept, solver):
    # Check coef_, intercept_ and predictions against scikit-learn, with and without the
    # intercept, for both solvers, including nearly square X (n = d + 1).
    X, y, _ = data.make_linear_regression(n_samples=n, n_features=d, intercept=3.0, random_state=rng)
    X = X + rng.uniform(-2, 2, size=d)  # off-centre features, so the intercept matters
    model = ex.LinearRegression(fit_intercept=fit_intercept, solver=solver)
    assert model.fit(X, y) is model
    sk = SkLinearRegression(fit_intercept=fit_intercept).fit(X, y)
    _assert_same_as_sklearn(model, sk, X)
    if not fit_intercept:
        assert model.intercept_ == 0.0


def test_matches_sklearn_on_diabetes():
    # Check the real data set: coefficients in the hundreds, predictions and R^2.
    X, y = data.load_diabetes()
    model = ex.LinearRegression().fit(X, y)
    sk = SkLinearRegression().fit(X, y)
    _assert_same_as_sklearn(model, sk, X)
    np.testing.assert_allclose(model.score(X, y), sk.score(X, y), rtol=RTOL)


def test_tiny_case_by_hand():
    # Check by hand: the points (0, 1), (1, 3), (2, 5) lie on y = 2x + 1 exactly.
    model = ex.LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
    np.testing.assert_allclose(model.coef_, [2.0], atol=1e-12)
    np.testing.assert_allclose(model.intercept_, 1.0, atol=1e-12)
    np.testing.assert_allclose(model.predict([[10.0]]), [21.0], atol=1e-10)
    assert model.score([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]) == pytest.approx(1.0)


def test_score_is_r2(rng):
    # Check score() against sklearn.metrics.r2_score on held-out data, where R^2 < 1
    # and can even be negative for a bad model (tested with shuffled targets).
    X, y, _ = data.make_linear_regression(n_samples=60, n_features=3, noise=2.0, random_state=rng)
    model = ex.LinearRegression().fit(X[:40], y[:40])
    for X_eval, y_eval in [(X[40:], y[40:]), (X[40:], rng.permutation(y[40:]) * 5)]:
        np.testing.assert_allclose(model.score(X_eval, y_eval), r2_score(y_eval, model.predict(X_eval)), rtol=1e-10)


def test_score_with_constant_target():
    # Check the convention for constant y (R^2 undefined): 1.0 for a perfect fit, as in sklearn.
    X = np.array([[0.0], [1.0], [2.0]])
    model = ex.LinearRegression().fit(X, [4.0, 4.0, 4.0])
    assert model.score(X, [4.0, 4.0, 4.0]) == 1.0


def test_mse_loss_by_hand():
    # Check by hand: w = 1, b = 0 on points (1, 1), (2, 4): residuals 0 and -2, MSE = 4 / 2 = 2.
    assert ex.mse_loss(np.array([1.0]), 0.0, np.array([[1.0], [2.0]]), np.array([1.0, 4.0])) == pytest.approx(2.0)


def test_mse_gradient_matches_finite_differences(rng):
    # Check dL/dw and dL/db against central differences at a random point.
    X, y = rng.standard_normal((15, 4)), rng.standard_normal(15)
    w, b = rng.standard_normal(4), np.array([0.7])
    dw, db = ex.mse_gradient(w, b[0], X, y)
    check_gradient(lambda w_: ex.mse_loss(w_, b[0], X, y), w, dw, tol=GRAD_TOL)
    check_gradient(lambda b_: ex.mse_loss(w, b_[0], X, y), b, np.array([db]), tol=GRAD_TOL)


def test_gradient_is_zero_at_the_closed_form(rng):
    # Check the optimality condition: the gradient vanishes at the least-squares solution.
    X, y, _ = data.make_linear_regression(n_samples=30, n_features=3, intercept=-2.0, random_state=rng)
    model = ex.LinearRegression().fit(X, y)
    dw, db = ex.mse_gradient(model.coef_, model.intercept_, X, y)
    np.testing.assert_allclose(dw, 0.0, atol=1e-10)
    np.testing.assert_allclose(db, 0.0, atol=1e-10)


def test_gradient_descent_converges_to_the_closed_form(rng):
    # Check that enough small steps land on the least-squares solution.
    X, y, _ = data.make_linear_regression(n_samples=100, n_features=3, intercept=1.5, random_state=rng)
    w, b, path = ex.gradient_descent(X, y, lr=0.1, n_iters=600)
    sol = np.linalg.lstsq(np.column_stack([X, np.ones(len(X))]), y, rcond=None)[0]
    np.testing.assert_allclose(w, sol[:3], atol=GD_ATOL)
    np.testing.assert_allclose(b, sol[3], atol=GD_ATOL)
    assert path.shape == (601, 4)
    np.testing.assert_allclose(path[-1], np.append(w, b))


def test_gradient_descent_first_step_by_hand():
    # Check one step by hand: X = [[1], [3]], y = [2, 2], start w = 0, b = 0, lr = 0.1.
    # Residuals (-2, -2); dL/dw = (2/2)(1*-2 + 3*-2) = -8, dL/db = 2 * mean = -4.
    # So w = 0.8 and b = 0.4.
    w, b, path = ex.gradient_descent(np.array([[1.0], [3.0]]), np.array([2.0, 2.0]), lr=0.1, n_iters=1)
    np.testing.assert_allclose(path, [[0.0, 0.0], [0.8, 0.4]], atol=1e-12)


def test_constant_feature_gets_zero_weight(rng):
    # Check that a constant column (it says nothing the intercept does not) gets weight 0,
    # the minimum-norm answer, and predictions equal scikit-learn's.
    X, y, _ = data.make_linear_regression(n_samples=40, n_features=2, random_state=rng)
    X = np.column_stack([X, np.full(40, 5.0)])
    model = ex.LinearRegression().fit(X, y)
    sk = SkLinearRegression().fit(X, y)
    np.testing.assert_allclose(model.coef_[2], 0.0, atol=1e-10)
    _assert_same_as_sklearn(model, sk, X)
    assert model.rank_ == 2


def test_collinear_columns_give_the_minimum_norm_solution(rng):
    # Check a column that is twice another: infinitely many solutions, lstsq picks the
    # smallest ||w||, which splits the weight 1:2 between the columns (the pseudo-inverse's answer).
    X, y, _ = data.make_linear_regression(n_samples=40, n_features=2, intercept=1.0, random_state=rng)
    X = np.column_stack([X, 2.0 * X[:, 0]])
    model = ex.LinearRegression().fit(X, y)
    Xc = X - X.mean(axis=0)
    np.testing.assert_allclose(model.coef_, np.linalg.pinv(Xc) @ (y - y.mean()), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(model.coef_[2], 2.0 * model.coef_[0], rtol=RTOL)
    sk = SkLinearRegression().fit(X, y)
    np.testing.assert_allclose(model.predict(X), sk.predict(X), rtol=RTOL, atol=ATOL)
    assert model.rank_ == 2


def test_normal_solver_refuses_a_singular_system(rng):
    # Check that the normal equations with a constant column (a zero column after centring) fail clearly.
    X = np.column_stack([rng.standard_normal(10), np.full(10, 2.0)])
    with pytest.raises(ValueError, match="singular"):
        ex.LinearRegression(solver="normal").fit(X, rng.standard_normal(10))


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    with pytest.raises(NotFittedError, match="fit"):
        ex.LinearRegression().predict(np.ones((2, 1)))


def test_bad_input_gets_a_clear_error(rng):
    # Check mismatched lengths, a wrong feature count, a 2-D y and an unknown solver.
    X, y = rng.standard_normal((10, 2)), rng.standard_normal(10)
    with pytest.raises(ValueError, match="same number of samples"):
        ex.LinearRegression().fit(X, y[:8])
    with pytest.raises(ValueError, match="X has 3 features, but LinearRegression is expecting 2 features"):
        ex.LinearRegression().fit(X, y).predict(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"shape \(n_samples,\)"):
        ex.LinearRegression().fit(X, np.stack([y, y], axis=1))
    with pytest.raises(ValueError, match="solver"):
        ex.LinearRegression(solver="inv").fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        ex.LinearRegression().fit(np.full((3, 1), np.nan), np.ones(3))
    with pytest.raises(ValueError, match="same number of samples"):
        ex.gradient_descent(X, y[:5])
