"""Tests for ex20_newton_method: Newton's method for roots and minima, in 1-D and in n-D."""

import numpy as np
import pytest

import utils
from utils.gradcheck import numerical_gradient

ex = utils.load_exercise("00-math-fundamentals/calculus/ex20_newton_method.py")

ATOL = 1e-12
ROOT_RTOL = 1e-14  # Newton converges to the last bits


def test_newton_one_step_by_hand():
    # Check that for x^2 - 2 from 3, x1 = 3 - 7/6 = 11/6 and x2 = 11/6 - (121/36 - 2)/(11/3) = 193/132 (worked by hand).
    _, xs = ex.newton_root(lambda x: x * x - 2, lambda x: 2 * x, 3.0)
    np.testing.assert_allclose(xs[:3], [3.0, 11 / 6, 193 / 132], rtol=1e-15)


@pytest.mark.parametrize("c", [2.0, 10.0, 0.25, 1e6])
def test_newton_square_root_matches_numpy(c):
    # Check that the root of x^2 - c matches np.sqrt(c) to machine precision.
    root, _ = ex.newton_root(lambda x: x * x - c, lambda x: 2 * x, max(c, 1.0))
    np.testing.assert_allclose(root, np.sqrt(c), rtol=ROOT_RTOL)


def test_newton_cube_root_matches_numpy():
    # Check that the root of x^3 - 5 agrees with np.cbrt(5).
    root, _ = ex.newton_root(lambda x: x**3 - 5, lambda x: 3 * x**2, 2.0)
    np.testing.assert_allclose(root, np.cbrt(5.0), rtol=ROOT_RTOL)


@pytest.mark.parametrize("c, x0", [(2.0, 3.0), (7.0, 1.0), (0.5, 2.0)])
def test_newton_converges_quadratically(c, x0):
    # Check that e_{k+1} / e_k^2 stays bounded (below 1 here: the limit is 1 / (2 sqrt c) < 1) while the
    # error is above round-off, and that few iterations suffice.
    _, xs = ex.newton_root(lambda x: x * x - c, lambda x: 2 * x, x0)
    e = np.abs(xs - np.sqrt(c))
    ratios = [e[k + 1] / e[k] ** 2 for k in range(len(e) - 1) if e[k] > 1e-6]
    assert len(ratios) >= 2
    assert max(ratios) < 1.0
    assert len(xs) <= 9


def test_newton_on_a_line_takes_one_step():
    # Check that f = 3x - 6 reaches its root 2 after a single step from anywhere (worked by hand).
    root, xs = ex.newton_root(lambda x: 3 * x - 6, lambda x: 3.0, 100.0)
    np.testing.assert_allclose(xs[1], 2.0, atol=ATOL)
    np.testing.assert_allclose(root, 2.0, atol=ATOL)


def test_newton_stops_at_once_on_an_exact_root():
    # Check that f(x0) = 0 (an edge case) returns x0 and takes no step.
    root, xs = ex.newton_root(lambda x: x - 2.0, lambda x: 1.0, 2.0)
    assert root == 2.0
    assert len(xs) == 1


def test_zero_derivative_gets_a_clear_error():
    # Check that a flat tangent (x^2 - 2 from 0, where f' = 0) raises ValueError naming f'(x) = 0.
    with pytest.raises(ValueError, match=r"f'\(x\) = 0"):
        ex.newton_root(lambda x: x * x - 2, lambda x: 2 * x, 0.0)


def test_cycling_gets_a_clear_error():
    # Check that the classic cycle, x^3 - 2x + 2 from 0 going 0, 1, 0, 1, ..., never converges and says so.
    with pytest.raises(RuntimeError, match="did not converge"):
        ex.newton_root(lambda x: x**3 - 2 * x + 2, lambda x: 3 * x**2 - 2, 0.0, max_iter=30)


def test_divergence_gets_a_clear_error():
    # Check that cbrt(x), where every step doubles the distance (x -> -2x), raises RuntimeError.
    with pytest.raises(RuntimeError, match="did not converge"):
        ex.newton_root(np.cbrt, lambda x: 1 / (3 * np.cbrt(x) ** 2), 1.0, max_iter=30)


@pytest.mark.parametrize(
    "df, d2f, x0, expected",
    [
        (lambda x: np.exp(x) - 2, np.exp, 2.0, np.log(2)),  # f = e^x - 2x, min at ln 2
        (lambda x: x**3 - 1, lambda x: 3 * x**2, 3.0, 1.0),  # f = x^4/4 - x, min at 1
        (lambda x: 2 * (x - 0.3), lambda x: 2.0, -5.0, 0.3),  # f = (x - 0.3)^2
    ],
    ids=["exp-2x", "quartic", "parabola"],
)
def test_newton_minimize_1d_finds_known_minimisers(df, d2f, x0, expected):
    # Check that the minimisers agree with ones known in closed form.
    x, _ = ex.newton_minimize_1d(df, d2f, x0)
    np.testing.assert_allclose(x, expected, rtol=1e-13)


def test_newton_minimize_solves_a_quadratic_in_one_step(rng):
    # Check that for 1/2 x^T A x - b^T x the first Newton step lands on np.linalg.solve(A, b).
    M = rng.standard_normal((4, 4))
    A, b = M @ M.T + 4 * np.eye(4), rng.standard_normal(4)
    x, xs = ex.newton_minimize(lambda v: A @ v - b, lambda v: A, rng.standard_normal(4))
    np.testing.assert_allclose(xs[1], np.linalg.solve(A, b), rtol=1e-10)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10)
    assert xs.shape[1] == 4


def rosenbrock_gradient(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def test_rosenbrock_hessian_is_the_jacobian_of_the_gradient(rng):
    # Check that each row of the script's Rosenbrock Hessian agrees with a central difference of the gradient.
    for p in rng.uniform(-2, 2, size=(4, 2)):
        H = ex.rosenbrock_hessian(p)
        for i in range(2):
            numeric = numerical_gradient(lambda v: rosenbrock_gradient(v)[i], p.copy())
            np.testing.assert_allclose(H[i], numeric, rtol=1e-7, atol=1e-6)


def test_newton_minimize_reaches_the_rosenbrock_minimum():
    # Check that Newton's method goes from (-1.2, 1) to the known minimum (1, 1) in few steps.
    x, xs = ex.newton_minimize(rosenbrock_gradient, ex.rosenbrock_hessian, np.array([-1.2, 1.0]))
    np.testing.assert_allclose(x, [1.0, 1.0], atol=1e-12)
    assert len(xs) <= 12


def test_newton_minimize_solves_instead_of_inverting(monkeypatch, rng):
    # Check that the Newton step solves H p = -g rather than forming inv(H).
    def no_inverse(*args, **kwargs):
        raise AssertionError("np.linalg.inv was called: solve H p = -g instead")

    monkeypatch.setattr(np.linalg, "inv", no_inverse)
    A = np.diag([1.0, 3.0])
    x, _ = ex.newton_minimize(lambda v: A @ v - 1.0, lambda v: A, np.zeros(2))
    np.testing.assert_allclose(x, [1.0, 1 / 3], atol=ATOL)


def test_singular_hessian_gets_a_clear_error():
    # Check that f = x^2 (Hessian diag(2, 0), singular: y is free) raises ValueError naming it.
    with pytest.raises(ValueError, match="singular"):
        ex.newton_minimize(lambda v: np.array([2 * v[0], 0.0]), lambda v: np.diag([2.0, 0.0]), np.ones(2))


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear message: a matrix start and a bad tolerance.
    with pytest.raises(ValueError, match="x0 must be a 1-D array"):
        ex.newton_minimize(lambda v: v, lambda v: np.eye(2), np.ones((2, 2)))
    with pytest.raises(ValueError, match="tol must be a finite number > 0"):
        ex.newton_root(lambda x: x, lambda x: 1.0, 1.0, tol=0.0)
