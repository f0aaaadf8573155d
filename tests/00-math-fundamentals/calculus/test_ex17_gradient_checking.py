"""Tests for ex17_gradient_checking: central differences, relative error, bugs and float32."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("00-math-fundamentals/calculus/ex17_gradient_checking.py")

ATOL = 1e-12
PASS = 1e-6  # a correct gradient checks below this in float64
BUG = 1e-4  # a planted bug checks above this
L2 = 0.1


@pytest.fixture
def problem(rng):
    # A small logistic-regression problem: 30 samples, a bias column and 3 features.
    X = np.column_stack([np.ones(30), rng.standard_normal((30, 3))])  # (30, 4)
    y = (rng.random(30) < 0.5).astype(float)  # (30,)
    w = 0.5 * rng.standard_normal(4)  # (4,)
    return w, X, y


def test_central_difference_is_exact_for_quadratics(rng):
    # Check that the result equals the closed form grad(w^T A w + b^T w) = (A + A^T) w + b (central differences
    # have no truncation error on quadratics), for a 2-D w as well.
    A, b, w = rng.standard_normal((5, 5)), rng.standard_normal(5), rng.standard_normal(5)
    numeric = ex.central_difference_gradient(lambda v: v @ A @ v + b @ v, w.copy())
    np.testing.assert_allclose(numeric, (A + A.T) @ w + b, rtol=1e-8, atol=1e-9)
    W = rng.standard_normal((2, 3))
    np.testing.assert_allclose(ex.central_difference_gradient(lambda V: np.sum(V**2), W.copy()), 2 * W, atol=1e-9)


def test_central_difference_matches_utils_gradcheck(rng):
    # Check that our implementation agrees with the library one in utils.gradcheck on a non-quadratic function.
    w = rng.standard_normal(6)

    def f(v):
        return np.sum(np.sin(v) * np.exp(0.3 * v))

    np.testing.assert_allclose(
        ex.central_difference_gradient(f, w.copy()), gradcheck.numerical_gradient(f, w.copy()), rtol=1e-12, atol=ATOL
    )


def test_central_difference_restores_w(rng):
    # Check that w holds its original values afterwards (f may close over it).
    w = rng.standard_normal(4)
    before = w.copy()
    ex.central_difference_gradient(lambda v: np.sum(v**3), w)
    np.testing.assert_array_equal(w, before)


def test_relative_error_by_hand():
    # Check that the relative error matches a hand calculation: (1, 0) vs (0, 1) gives sqrt(2) / 2; equal vectors 0; opposite vectors 1;
    # two zero vectors 0 (not 0/0).
    np.testing.assert_allclose(ex.relative_error([1.0, 0.0], [0.0, 1.0]), np.sqrt(2) / 2, rtol=1e-12)
    assert ex.relative_error([3.0, -4.0], [3.0, -4.0]) == 0.0
    np.testing.assert_allclose(ex.relative_error([3.0, -4.0], [-3.0, 4.0]), 1.0, rtol=1e-12)
    assert ex.relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_relative_error_ignores_scale_and_matches_utils(rng):
    # Check that scaling both vectors leaves the error unchanged, and agreement with utils.rel_error.
    a, b = rng.standard_normal(7), rng.standard_normal(7)
    np.testing.assert_allclose(ex.relative_error(1e6 * a, 1e6 * b), ex.relative_error(a, b), rtol=1e-12)
    np.testing.assert_allclose(ex.relative_error(a, b), gradcheck.rel_error(a, b), rtol=1e-12)


def test_logistic_loss_by_hand(problem):
    # Check that with w = 0 every probability is 1/2, so the loss is log 2 whatever the labels (worked by hand).
    _, X, y = problem
    np.testing.assert_allclose(ex.logistic_loss(np.zeros(4), X, y), np.log(2), rtol=1e-12)
    np.testing.assert_allclose(ex.logistic_loss(np.ones(4), X, y, l2=2.0) - ex.logistic_loss(np.ones(4), X, y), 4.0, rtol=1e-12)


def test_logistic_loss_matches_the_textbook_formula(problem):
    # Check that the loss equals -mean(y log p + (1 - y) log(1 - p)) with p = 1 / (1 + e^-z), written out.
    w, X, y = problem
    p = 1 / (1 + np.exp(-(X @ w)))
    np.testing.assert_allclose(ex.logistic_loss(w, X, y), -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-10)


def test_logistic_gradient_by_hand(problem):
    # Check that at w = 0, sigma = 1/2, so the gradient is X^T (1/2 - y) / n (+ l2 * 0) (worked by hand).
    _, X, y = problem
    np.testing.assert_allclose(ex.logistic_loss_gradient(np.zeros(4), X, y, L2), X.T @ (0.5 - y) / 30, atol=ATOL)


def test_correct_gradient_passes(problem):
    # Check that the analytic gradient passes both our check and utils.gradcheck.check_gradient below 1e-6.
    w, X, y = problem

    def loss(v):
        return ex.logistic_loss(v, X, y, L2)

    assert ex.gradient_check(loss, lambda v: ex.logistic_loss_gradient(v, X, y, L2), w) < PASS
    gradcheck.check_gradient(loss, w.copy(), ex.logistic_loss_gradient(w, X, y, L2), tol=PASS)


@pytest.mark.parametrize("bug", ex.BUGS)
def test_planted_bugs_fail(problem, bug):
    # Check that every planted bug gives a relative error far above the pass threshold.
    w, X, y = problem

    def loss(v):
        return ex.logistic_loss(v, X, y, L2)

    err = ex.gradient_check(loss, lambda v: ex.buggy_logistic_loss_gradient(v, X, y, L2, bug), w)
    assert err > BUG


def test_float32_gives_a_much_larger_error(problem):
    # Check that the same correct gradient, checked in float32, has an error above the pass
    # threshold and at least 1000 times the float64 error.
    w, X, y = problem
    exact = ex.logistic_loss_gradient(w, X, y, L2)
    X32, y32, w32 = X.astype(np.float32), y.astype(np.float32), w.astype(np.float32)
    numeric32 = ex.central_difference_gradient(lambda v: ex.logistic_loss(v, X32, y32, L2), w32.copy())
    assert numeric32.dtype == np.float32
    numeric64 = ex.central_difference_gradient(lambda v: ex.logistic_loss(v, X, y, L2), w.copy())
    err32, err64 = ex.relative_error(exact, numeric32), ex.relative_error(exact, numeric64)
    assert err32 > PASS
    assert err32 > 1000 * err64


def test_extreme_logits_stay_finite(problem):
    # Check that logits of +-1000 give a finite loss and gradient (no overflow warnings, which
    # the suite turns into errors); a confident wrong answer costs about |z|.
    _, X, y = problem
    w = np.array([0.0, 1000.0, 0.0, 0.0])
    X_big = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, -1.0, 0.0, 0.0]])  # logits +1000 and -1000
    y_big = np.array([0.0, 1.0])  # both wrong
    np.testing.assert_allclose(ex.logistic_loss(w, X_big, y_big), 1000.0, rtol=1e-12)
    grad = ex.logistic_loss_gradient(w, X_big, y_big)
    np.testing.assert_allclose(grad, [0.0, 1.0, 0.0, 0.0], atol=ATOL)  # (1 * 1 + (-1) * (-1)) / 2 by hand


def test_bad_input_gets_a_clear_error(problem):
    # Check that bad input gets a clear message: integer weights, mismatched shapes, an unknown bug name.
    w, X, y = problem
    with pytest.raises(TypeError, match="floating-point ndarray"):
        ex.central_difference_gradient(np.sum, np.arange(3))
    with pytest.raises(ValueError, match=r"w must have one row per feature of X"):
        ex.logistic_loss(w[:3], X, y)
    with pytest.raises(ValueError, match="bug must be one of"):
        ex.buggy_logistic_loss_gradient(w, X, y, bug="typo")
    with pytest.raises(ValueError, match="same shape"):
        ex.relative_error(np.ones(2), np.ones(3))
