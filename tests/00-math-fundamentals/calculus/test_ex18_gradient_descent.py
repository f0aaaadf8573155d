"""Tests for ex18_gradient_descent: the update, the 2/L limit and the Rosenbrock valley."""

import numpy as np
import pytest

import utils
from utils.gradcheck import check_gradient

ex = utils.load_exercise("00-math-fundamentals/calculus/ex18_gradient_descent.py")

ATOL = 1e-12
CONVERGED_ATOL = 1e-8  # distance to np.linalg.solve's minimiser after enough steps
ROSENBROCK_ATOL = 1e-2  # distance to (1, 1) after 8000 steps with lr = 1.5e-3


def spd_matrix(rng, n, eigenvalues):
    # A random symmetric positive definite matrix with the given eigenvalues.
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q @ np.diag(eigenvalues) @ Q.T


def test_one_step_by_hand():
    # Check that two steps match a hand calculation: A = diag(2, 4), b = 0, x0 = (1, 1), lr = 0.1 gives
    # x1 = (1 - 0.1 * 2, 1 - 0.1 * 4) = (0.8, 0.6) and x2 = (0.64, 0.36).
    A, b = np.diag([2.0, 4.0]), np.zeros(2)
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, b), np.array([1.0, 1.0]), 0.1, 2)
    np.testing.assert_allclose(path, [[1.0, 1.0], [0.8, 0.6], [0.64, 0.36]], atol=ATOL)


def test_path_has_one_row_per_iterate_and_keeps_x0(rng):
    # Check that the path has shape (n_steps + 1, n), that row 0 is x0, and that x0 itself is not modified.
    A = spd_matrix(rng, 3, [1.0, 2.0, 3.0])
    x0 = rng.standard_normal(3)
    before = x0.copy()
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, np.zeros(3)), x0, 0.1, 7)
    assert path.shape == (8, 3)
    np.testing.assert_array_equal(path[0], before)
    np.testing.assert_array_equal(x0, before)


def test_zero_steps_returns_the_start():
    # Check that n_steps = 0 (an edge case) gives just x0.
    path = ex.gradient_descent(lambda x: 2 * x, np.array([3.0, -1.0]), 0.1, 0)
    np.testing.assert_array_equal(path, [[3.0, -1.0]])


def test_quadratic_gradient_passes_a_gradient_check(rng):
    # Check that grad(1/2 x^T A x - b^T x) = A x - b passes utils.gradcheck (a sign error in b fails).
    A, b, x = spd_matrix(rng, 4, [1.0, 2.0, 5.0, 9.0]), rng.standard_normal(4), rng.standard_normal(4)
    check_gradient(lambda v: ex.quadratic(v, A, b), x.copy(), ex.quadratic_gradient(x, A, b))


def test_converges_to_the_solve_minimiser(rng):
    # Check that with lr = 1/L the iterates reach np.linalg.solve(A, b) (eigenvalues in [1, 10],
    # so the error shrinks by at least 0.9 per step: 400 steps give 0.9^400 ~ 5e-19).
    A, b = spd_matrix(rng, 5, [1.0, 2.0, 4.0, 7.0, 10.0]), rng.standard_normal(5)
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, b), rng.standard_normal(5), 1 / 10, 400)
    np.testing.assert_allclose(path[-1], np.linalg.solve(A, b), atol=CONVERGED_ATOL)


def test_max_stable_learning_rate_by_hand(rng):
    # Check that diag(1, 4) has L = 4, so 2/L = 0.5, and a rotated copy has the same limit (worked by hand).
    np.testing.assert_allclose(ex.max_stable_learning_rate(np.diag([1.0, 4.0])), 0.5, rtol=1e-12)
    np.testing.assert_allclose(ex.max_stable_learning_rate(spd_matrix(rng, 3, [0.5, 2.0, 8.0])), 0.25, rtol=1e-10)


@pytest.mark.parametrize("factor, converges", [(0.5, True), (0.9, True), (0.98, True), (1.02, False), (1.5, False)])
def test_converges_iff_the_learning_rate_is_below_2_over_L(rng, factor, converges):
    # Check that on a quadratic the error shrinks for lr < 2/L and grows for lr > 2/L (the theory).
    A, b = spd_matrix(rng, 3, [1.0, 3.0, 10.0]), rng.standard_normal(3)
    lr = factor * ex.max_stable_learning_rate(A)
    x0 = np.linalg.solve(A, b) + rng.standard_normal(3)
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, b), x0, lr, 1500)
    start_err = np.linalg.norm(x0 - np.linalg.solve(A, b))
    end_err = np.linalg.norm(path[-1] - np.linalg.solve(A, b))
    if converges:
        assert end_err < 1e-6 * start_err
    else:
        assert end_err > 1e3 * start_err


def test_divergence_stops_early(rng):
    # Check that a diverging run stops once |x| > max_norm, before n_steps, without overflow.
    A = np.diag([1.0, 10.0])
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, np.zeros(2)), np.ones(2), 0.5, 10_000, max_norm=1e6)
    assert len(path) < 10_001
    assert np.linalg.norm(path[-1]) > 1e6
    assert np.all(np.linalg.norm(path[:-1], axis=1) <= 1e6)


def test_loss_never_rises_for_a_small_learning_rate(rng):
    # Check that with lr <= 1/L the quadratic's value decreases (weakly) at every step.
    A, b = spd_matrix(rng, 4, [0.5, 1.0, 3.0, 6.0]), rng.standard_normal(4)
    path = ex.gradient_descent(lambda x: ex.quadratic_gradient(x, A, b), 5 * rng.standard_normal(4), 1 / 6, 200)
    assert np.all(np.diff(ex.quadratic(path, A, b)) <= 1e-12)


def test_rosenbrock_minimum_by_hand():
    # Check that f(1, 1) = 0 with a zero gradient, and at (0, 0) f = 1 and grad = (-2, 0) (worked by hand).
    np.testing.assert_allclose(ex.rosenbrock(np.array([1.0, 1.0])), 0.0, atol=ATOL)
    np.testing.assert_allclose(ex.rosenbrock_gradient(np.array([1.0, 1.0])), [0.0, 0.0], atol=ATOL)
    np.testing.assert_allclose(ex.rosenbrock(np.array([0.0, 0.0])), 1.0, atol=ATOL)
    np.testing.assert_allclose(ex.rosenbrock_gradient(np.array([0.0, 0.0])), [-2.0, 0.0], atol=ATOL)


def test_rosenbrock_gradient_passes_a_gradient_check(rng):
    # Check that the analytic Rosenbrock gradient agrees with float64 central differences at random points.
    for p in rng.uniform(-2, 2, size=(6, 2)):
        check_gradient(ex.rosenbrock, p.copy(), ex.rosenbrock_gradient(p))


def test_rosenbrock_gradient_is_vectorised(rng):
    # Check that a (4, 5, 2) grid of points gives the gradient point by point.
    grid = rng.uniform(-2, 2, size=(4, 5, 2))
    together = ex.rosenbrock_gradient(grid)
    assert together.shape == (4, 5, 2)
    np.testing.assert_allclose(together[2, 3], ex.rosenbrock_gradient(grid[2, 3]), atol=ATOL)


def test_rosenbrock_descent_reaches_the_minimum():
    # Check that 8000 steps with lr = 1.5e-3 from (0, 0) end near (1, 1) with the loss going down overall.
    path = ex.gradient_descent(ex.rosenbrock_gradient, np.array([0.0, 0.0]), 1.5e-3, 8000)
    np.testing.assert_allclose(path[-1], [1.0, 1.0], atol=ROSENBROCK_ATOL)
    assert ex.rosenbrock(path[-1]) < 1e-4 * ex.rosenbrock(path[0])


def test_rosenbrock_diverges_with_too_large_a_step():
    # Check that lr = 2.5e-3 from (-1.5, 2) blows up (the walls are steeper than 2/lr) and stops early.
    path = ex.gradient_descent(ex.rosenbrock_gradient, np.array([-1.5, 2.0]), 2.5e-3, 1000)
    assert len(path) < 1001
    assert np.linalg.norm(path[-1]) > 1e6


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear message: non-positive learning rate, bad n_steps, a matrix x0, a non-symmetric A.
    grad = lambda x: x  # noqa: E731
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        ex.gradient_descent(grad, np.ones(2), 0.0, 10)
    with pytest.raises(ValueError, match="non-negative integer"):
        ex.gradient_descent(grad, np.ones(2), 0.1, -1)
    with pytest.raises(ValueError, match="x0 must be a 1-D array"):
        ex.gradient_descent(grad, np.ones((2, 2)), 0.1, 10)
    with pytest.raises(ValueError, match="symmetric"):
        ex.max_stable_learning_rate(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"A of shape \(n, n\)"):
        ex.quadratic_gradient(np.ones(2), np.eye(3), np.ones(2))


def test_indefinite_matrix_has_no_stable_learning_rate():
    # Check that an A with a negative eigenvalue (no minimum to converge to) is refused.
    with pytest.raises(ValueError, match="positive definite"):
        ex.max_stable_learning_rate(np.diag([1.0, -1.0]))
