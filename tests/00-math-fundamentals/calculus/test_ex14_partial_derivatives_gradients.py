"""Tests for ex14_partial_derivatives_gradients: partials, gradients, directions and level sets."""

import numpy as np
import pytest

import utils
from utils.gradcheck import rel_error

ex = utils.load_exercise("00-math-fundamentals/calculus/ex14_partial_derivatives_gradients.py")

ATOL = 1e-12
NUMERIC_RTOL = 1e-7  # central difference with h = 1e-5 on smooth functions of size ~1
GRAD_REL_ERROR = 1e-6


def test_partial_derivatives_by_hand():
    # Check that f(x, y) = x^2 y + 3y has df/dx = 2xy = 12 and df/dy = x^2 + 3 = 7 at (2, 3) (worked by hand).
    def f(p):
        return p[..., 0] ** 2 * p[..., 1] + 3 * p[..., 1]

    x = np.array([2.0, 3.0])
    np.testing.assert_allclose(ex.partial_derivative(f, x, 0), 12.0, rtol=NUMERIC_RTOL)
    np.testing.assert_allclose(ex.partial_derivative(f, x, 1), 7.0, rtol=NUMERIC_RTOL)
    np.testing.assert_allclose(ex.numerical_gradient(f, x), [12.0, 7.0], rtol=NUMERIC_RTOL)


def test_partial_derivative_of_a_linear_function_is_its_coefficient(rng):
    # Check that for f(x) = w . x every partial df/dx_i is w_i, with a large step too.
    w = rng.standard_normal(5)
    x = rng.standard_normal(5)
    for i in range(5):
        np.testing.assert_allclose(ex.partial_derivative(lambda p: p @ w, x, i, h=0.5), w[i], rtol=1e-10)


def test_quadratic_gradient_with_a_non_symmetric_matrix(rng):
    # Check that grad(1/2 x^T A x + b^T x) = 1/2 (A + A^T) x + b, against the formula and a float64
    # gradient check; a forgotten transpose (A x + b) fails because A is not symmetric.
    A, b, x = rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)
    analytic = ex.quadratic_gradient(x, A, b)
    np.testing.assert_allclose(analytic, 0.5 * (A + A.T) @ x + b, atol=ATOL)
    x_check = x.copy()
    assert utils.gradcheck.check_gradient(lambda p: ex.quadratic(p, A, b), x_check, analytic) < GRAD_REL_ERROR


def test_numerical_gradient_matches_the_quadratic_formula(rng):
    # Check that the numeric gradient agrees with the matrix algebra 1/2 (A + A^T) x + b.
    A, b, x = rng.standard_normal((6, 6)), rng.standard_normal(6), rng.standard_normal(6)
    numeric = ex.numerical_gradient(lambda p: ex.quadratic(p, A, b), x)
    assert rel_error(numeric, 0.5 * (A + A.T) @ x + b) < GRAD_REL_ERROR


def test_bump_gradient_against_a_gradient_check(rng):
    # Check that the hand-derived gradient of x exp(-x^2 - y^2) passes utils.gradcheck at random points.
    for p in rng.uniform(-2, 2, size=(5, 2)):
        utils.gradcheck.check_gradient(ex.bump, p.copy(), ex.bump_gradient(p))


def test_bump_gradient_at_known_points():
    # Check that grad = (1, 0) at the origin and grad = (0, 0) at the hill top (1/sqrt 2, 0) (worked by hand).
    np.testing.assert_allclose(ex.bump_gradient(np.array([0.0, 0.0])), [1.0, 0.0], atol=ATOL)
    np.testing.assert_allclose(ex.bump_gradient(np.array([1 / np.sqrt(2), 0.0])), [0.0, 0.0], atol=ATOL)


def test_numerical_gradient_on_a_grid_matches_point_by_point(rng):
    # Check that a (3, 4, 2) grid of points gives the same gradients as one point at a time.
    grid = rng.uniform(-1, 1, size=(3, 4, 2))
    together = ex.numerical_gradient(ex.bump, grid)
    assert together.shape == (3, 4, 2)
    for idx in np.ndindex(3, 4):
        np.testing.assert_allclose(together[idx], ex.numerical_gradient(ex.bump, grid[idx]), atol=ATOL)
    np.testing.assert_allclose(together, ex.bump_gradient(grid), rtol=1e-6, atol=1e-9)


def test_directional_derivative_equals_grad_dot_u(rng):
    # Check that D_u f = grad . u agrees with the slope measured along u, and that u is normalised.
    A, b = rng.standard_normal((3, 3)), rng.standard_normal(3)
    x, u = rng.standard_normal(3), rng.standard_normal(3)
    grad = ex.quadratic_gradient(x, A, b)
    unit = u / np.linalg.norm(u)
    t = 1e-5
    slope = (ex.quadratic(x + t * unit, A, b) - ex.quadratic(x - t * unit, A, b)) / (2 * t)
    np.testing.assert_allclose(ex.directional_derivative(grad, u), slope, rtol=NUMERIC_RTOL)
    np.testing.assert_allclose(ex.directional_derivative(grad, 7 * u), grad @ unit, atol=ATOL)


def test_directional_derivative_along_an_axis_is_the_partial():
    # Check that along e_2 the directional derivative is the second partial (worked by hand).
    np.testing.assert_allclose(ex.directional_derivative(np.array([1.5, -2.0, 4.0]), [0.0, 1.0, 0.0]), -2.0, atol=ATOL)


def test_gradient_is_the_steepest_ascent(rng):
    # Check that among 720 unit directions the largest directional derivative is |grad|, reached
    # next to grad / |grad|, and that a small step along the gradient goes uphill.
    p = np.array([0.3, -0.8])
    grad = ex.numerical_gradient(ex.bump, p)
    angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    slopes = np.array([ex.directional_derivative(grad, [np.cos(a), np.sin(a)]) for a in angles])
    np.testing.assert_allclose(slopes.max(), np.linalg.norm(grad), rtol=1e-4)
    best = angles[np.argmax(slopes)]
    assert np.dot([np.cos(best), np.sin(best)], grad / np.linalg.norm(grad)) > np.cos(np.radians(0.5))
    assert ex.bump(p + 1e-3 * grad) > ex.bump(p) > ex.bump(p - 1e-3 * grad)


def test_gradient_is_perpendicular_to_level_sets():
    # Check that the gradient is perpendicular to a level set, using an independent parametrisation:
    # the ellipse x^2 + 3 y^2 = c, i.e. the level set of q with A = diag(2, 6), b = 0, is
    # (sqrt(c) cos t, sqrt(c/3) sin t); its tangent (-sqrt(c) sin t, sqrt(c/3) cos t) must be
    # orthogonal to the numeric gradient.
    A, b, c = np.diag([2.0, 6.0]), np.zeros(2), 2.0
    t = np.linspace(0, 2 * np.pi, 13)
    points = np.column_stack([np.sqrt(c) * np.cos(t), np.sqrt(c / 3) * np.sin(t)])  # (13, 2)
    tangents = np.column_stack([-np.sqrt(c) * np.sin(t), np.sqrt(c / 3) * np.cos(t)])  # (13, 2)
    grads = ex.numerical_gradient(lambda p: ex.quadratic(p, A, b), points)  # (13, 2)
    cosines = np.sum(grads * tangents, axis=1) / (np.linalg.norm(grads, axis=1) * np.linalg.norm(tangents, axis=1))
    np.testing.assert_allclose(cosines, 0.0, atol=1e-8)
    # ... and pointing outwards, towards larger values (uphill): grad . position > 0.
    assert np.all(np.sum(grads * points, axis=1) > 0)


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear message: an index out of range, a zero direction and mismatched shapes.
    with pytest.raises(ValueError, match=r"coordinate index i must be in \[0, 2\)"):
        ex.partial_derivative(ex.bump, np.zeros(2), 2)
    with pytest.raises(ValueError, match="non-zero"):
        ex.directional_derivative(np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        ex.directional_derivative(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"A of shape \(3, 3\)"):
        ex.quadratic_gradient(np.ones(3), np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match="positive"):
        ex.partial_derivative(ex.bump, np.zeros(2), 0, h=0.0)
