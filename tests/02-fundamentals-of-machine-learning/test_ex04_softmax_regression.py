"""Tests for ex04_softmax_regression: stable softmax, cross-entropy and the K-class classifier."""

import numpy as np
import pytest
from scipy.special import log_softmax as sp_log_softmax
from scipy.special import softmax as sp_softmax
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import utils
from utils import data
from utils.gradcheck import check_gradient, numerical_gradient, rel_error
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex04_softmax_regression.py")

RTOL = 1e-12  # softmax vs scipy: both exact up to round-off
GRAD_TOL = 1e-6
PROBA_ATOL = 1e-4  # our solvers (to tol 1e-8) vs scikit-learn's lbfgs on the same objective
COEF_ATOL = 1e-4


def _standardized(name):
    X, y = data.load_dataset(name)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


_SK_CACHE = {}


def _sk_fit(name, C):
    """scikit-learn's fit on a standardised real data set, computed once per module run."""
    if (name, C) not in _SK_CACHE:
        X, y = _standardized(name)
        _SK_CACHE[name, C] = SkLogisticRegression(C=C, tol=1e-10, max_iter=100_000).fit(X, y)
    return _SK_CACHE[name, C]


def test_softmax_matches_scipy_and_rows_sum_to_one(rng):
    # Check against scipy.special.softmax on random scores of several scales.
    Z = rng.standard_normal((6, 4)) * np.array([[0.1], [1.0], [10.0], [100.0], [1.0], [1.0]])
    P = ex.softmax(Z)
    np.testing.assert_allclose(P, sp_softmax(Z, axis=1), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=RTOL)


def test_softmax_ignores_a_constant_shift(rng):
    # Check softmax(Z + c) = softmax(Z) for a different constant in each row.
    Z = rng.standard_normal((5, 3))
    np.testing.assert_allclose(ex.softmax(Z + rng.normal(0, 50, size=(5, 1))), ex.softmax(Z), rtol=1e-10)


def test_extreme_logits_stay_finite():
    # Check +-1000 (a naive exp overflows to inf and inf/inf = nan): exact 0/1 probabilities,
    # finite log-probabilities, a finite loss and a finite gradient.
    Z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, -1000.0]])
    np.testing.assert_allclose(ex.softmax(Z), [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]], atol=1e-15)
    np.testing.assert_allclose(ex.log_softmax(Z), sp_log_softmax(Z, axis=1), rtol=RTOL)
    loss, dZ = ex.softmax_cross_entropy(Z, np.array([1, 0, 2]))
    # by hand: -log P = 2000 for row 1, log 3 for row 2, 2000 + log 2 for row 3
    assert loss == pytest.approx((2000 + np.log(3) + 2000 + np.log(2)) / 3)
    assert np.all(np.isfinite(dZ))


def test_cross_entropy_by_hand():
    # Check by hand: equal scores give P = 1/3 everywhere, loss log 3, and dZ = (1/3 - onehot) / n.
    loss, dZ = ex.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 2]))
    assert loss == pytest.approx(np.log(3))
    np.testing.assert_allclose(dZ, np.array([[1 / 3 - 1, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3 - 1]]) / 2, atol=1e-15)


def test_cross_entropy_gradient_matches_finite_differences(rng):
    # Check dlogits against central differences.
    Z, y = 3 * rng.standard_normal((7, 4)), rng.integers(0, 4, size=7)
    _, dZ = ex.softmax_cross_entropy(Z, y)
    assert rel_error(dZ, numerical_gradient(lambda z: ex.softmax_cross_entropy(z, y)[0], Z)) < GRAD_TOL


@pytest.mark.parametrize("C", [0.3, np.inf])
def test_objective_gradient_matches_finite_differences(rng, C):
    # Check dW and db of the penalised objective against central differences.
    X, y = rng.standard_normal((12, 3)), rng.integers(0, 4, size=12)
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    _, dW, db = ex.softmax_loss(W, b, X, y, C)
    check_gradient(lambda W_: ex.softmax_loss(W_, b, X, y, C)[0], W, dW, tol=GRAD_TOL)
    check_gradient(lambda b_: ex.softmax_loss(W, b_, X, y, C)[0], b, db, tol=GRAD_TOL)


def test_hessian_matches_finite_differences_of_the_gradient(rng):
    # Check softmax_hessian column by column: central differences of the gradient of f in
    # Theta = [W; b], in the documented order Theta.ravel() (row-major, entry a*K + k).
    n, d, K, C = 10, 2, 3, 0.8
    X, y = rng.standard_normal((n, d)), rng.integers(0, K, size=n)
    theta = rng.standard_normal((d + 1, K))
    A = np.column_stack([X, np.ones(n)])
    penalty = np.array([1 / (C * n)] * d + [0.0])

    def grad(t):
        _, dW, db = ex.softmax_loss(t[:d], t[d], X, y, C)
        return np.vstack([dW, db]).ravel()

    h, numeric = 1e-5, np.zeros(((d + 1) * K, (d + 1) * K))
    for j in range(numeric.shape[1]):
        e = np.zeros_like(theta)
        e.flat[j] = h
        numeric[:, j] = (grad(theta + e) - grad(theta - e)) / (2 * h)
    H = ex.softmax_hessian(A, ex.softmax(A @ theta), penalty)
    assert rel_error(H, numeric) < GRAD_TOL


@pytest.mark.parametrize("solver", ["newton", "gd"])
@pytest.mark.parametrize("name, C", [("iris", 1.0), ("wine", 0.1)])
def test_matches_sklearn_multinomial(name, C, solver):
    # Check probabilities, coefficients, intercepts and accuracy against scikit-learn's
    # multinomial LogisticRegression (lbfgs) at the same C, on standardised real data.
    X, y = _standardized(name)
    model = ex.SoftmaxRegression(C=C, solver=solver, max_iter=100 if solver == "newton" else 20_000, tol=1e-8).fit(X, y)
    sk = _sk_fit(name, C)
    P = model.predict_proba(X)
    np.testing.assert_allclose(P, sk.predict_proba(X), atol=PROBA_ATOL)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(model.coef_, sk.coef_, atol=COEF_ATOL)
    np.testing.assert_allclose(model.intercept_, sk.intercept_, atol=COEF_ATOL)
    np.testing.assert_allclose(model.intercept_.sum(), 0.0, atol=1e-10)
    assert model.score(X, y) == pytest.approx(sk.score(X, y))


def test_two_classes_equal_binary_logistic_with_twice_the_c(rng):
    # Check a property: with K = 2 the symmetric softmax solution has w_1 = -w_0 = w/2, so its
    # penalty 0.5(||w_0||^2 + ||w_1||^2) = 0.25||w||^2 and C matches a binary model with 2C.
    X, y = data.make_blobs(n_samples=80, centers=[[0.0, 0.0], [1.0, 1.5]], cluster_std=1.2, random_state=rng)
    model = ex.SoftmaxRegression(C=0.5).fit(X, y)
    sk = SkLogisticRegression(C=1.0, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)
    np.testing.assert_allclose(model.coef_[1] - model.coef_[0], sk.coef_[0], atol=COEF_ATOL)


@pytest.mark.parametrize("solver", ["newton", "gd"])
def test_objective_never_rises_and_ends_at_a_zero_gradient(rng, solver):
    # Check that both solvers lower the objective at every iteration and stop at a zero gradient.
    X, y = rng.standard_normal((50, 3)), rng.integers(0, 3, size=50)
    model = ex.SoftmaxRegression(C=1.0, solver=solver, max_iter=5000, tol=1e-7).fit(X, y)
    assert np.all(np.diff(model.loss_curve_) <= 1e-12)
    _, dW, db = ex.softmax_loss(model.coef_.T, model.intercept_, X, y, 1.0)
    assert max(np.abs(dW).max(), np.abs(db).max()) <= 1e-7
    if solver == "newton":
        assert model.n_iter_ < 15


def test_no_intercept_and_no_penalty(rng):
    # Check fit_intercept=False against sklearn, and that C = inf on separable data neither
    # warns (warnings are errors here) nor loses the perfect training accuracy.
    X, y = data.make_blobs(n_samples=60, centers=[[3.0, 0.0], [0.0, 3.0], [-3.0, -3.0]], cluster_std=0.7, random_state=rng)
    model = ex.SoftmaxRegression(C=0.5, fit_intercept=False).fit(X, y)
    sk = SkLogisticRegression(C=0.5, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)
    np.testing.assert_array_equal(model.intercept_, 0.0)
    free = ex.SoftmaxRegression(C=np.inf, max_iter=30).fit(X, y)
    assert np.all(np.isfinite(free.coef_)) and free.score(X, y) == 1.0


@pytest.mark.parametrize(
    "labels",
    [np.array(["setosa", "versicolor", "virginica"]), np.array([10, 20, 30])],
    ids=["strings", "not-0-to-k"],
)
def test_labels_are_kept_in_classes(labels):
    # Check that string labels or labels not 0..K-1 come back as labels, as in sklearn.
    X, y = _standardized("iris")
    y = labels[y]
    model = ex.SoftmaxRegression(C=1.0).fit(X, y)
    sk = _sk_fit("iris", 1.0)
    np.testing.assert_array_equal(model.classes_, labels)
    np.testing.assert_array_equal(model.predict(X), labels[sk.predict(X)])


def test_single_class_is_refused(rng):
    # Check the error names the problem: one class gives nothing to separate.
    with pytest.raises(ValueError, match="at least two classes"):
        ex.SoftmaxRegression().fit(rng.standard_normal((5, 2)), ["a"] * 5)


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    with pytest.raises(NotFittedError, match="fit"):
        ex.SoftmaxRegression().predict_proba(np.ones((2, 2)))


def test_bad_input_gets_a_clear_error(rng):
    # Check mismatched lengths, a wrong feature count, a bad C and bad labels for the loss.
    X, y = rng.standard_normal((9, 2)), np.tile([0, 1, 2], 3)
    with pytest.raises(ValueError, match="same number of samples; got 9 and 8"):
        ex.SoftmaxRegression().fit(X, y[:8])
    with pytest.raises(ValueError, match="X has 3 features, but SoftmaxRegression is expecting 2 features"):
        ex.SoftmaxRegression().fit(X, y).predict(np.ones((1, 3)))
    with pytest.raises(ValueError, match="C must be a positive"):
        ex.SoftmaxRegression(C=-1).fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        ex.SoftmaxRegression(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match=r"integer class indices in 0..2"):
        ex.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"integer class indices"):
        ex.softmax_cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))
