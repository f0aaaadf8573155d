"""Tests for ex16_jacobian_hessian: Jacobians, Hessians and the second-derivative test."""

import numpy as np
import pytest

import utils
from utils.gradcheck import numerical_gradient, rel_error

ex = utils.load_exercise("00-math-fundamentals/calculus/ex16_jacobian_hessian.py")

ATOL = 1e-12
JACOBIAN_TOL = 1e-8  # central difference, h = 1e-6, smooth functions of size ~1
HESSIAN_TOL = 1e-5  # second differences, h = 1e-4: error ~ h^2 + eps / h^2
GRAD_REL_ERROR = 1e-6


def wavy(q):
    return np.sin(q[0] * q[1]) + q[0] ** 2 * q[2] + np.exp(q[1] - q[2])


def wavy_hessian(q):
    # Derived by hand from f_x = y cos(xy) + 2xz, f_y = x cos(xy) + e^(y-z), f_z = x^2 - e^(y-z).
    x, y, z = q
    s, c, e = np.sin(x * y), np.cos(x * y), np.exp(y - z)
    return np.array(
        [
            [-(y**2) * s + 2 * z, c - x * y * s, 2 * x],
            [c - x * y * s, -(x**2) * s + e, -e],
            [2 * x, -e, e],
        ]
    )


def test_jacobian_of_a_linear_map_is_its_matrix(rng):
    # Check that F(x) = A x with a non-square A (3, 5) has Jacobian A, not A^T, with shape (m, n).
    A = rng.standard_normal((3, 5))
    J = ex.numerical_jacobian(lambda x: A @ x, rng.standard_normal(5))
    assert J.shape == (3, 5)
    np.testing.assert_allclose(J, A, atol=JACOBIAN_TOL)


def test_polar_jacobian_by_hand():
    # Check that at r = 2, t = pi/2, J = [[cos t, -r sin t], [sin t, r cos t]] = [[0, -2], [1, 0]] (worked by hand).
    np.testing.assert_allclose(ex.polar_jacobian(np.array([2.0, np.pi / 2])), [[0.0, -2.0], [1.0, 0.0]], atol=ATOL)


def test_polar_jacobian_numeric_and_analytic_agree(rng):
    # Check that each row of the analytic Jacobian passes utils.gradcheck, that the numeric Jacobian
    # agrees with the analytic one, and that det J = r.
    for p in np.column_stack([rng.uniform(0.5, 3, 4), rng.uniform(-np.pi, np.pi, 4)]):
        analytic = ex.polar_jacobian(p)
        for i in range(2):
            assert rel_error(analytic[i], numerical_gradient(lambda v: ex.polar_to_cartesian(v)[i], p.copy())) < GRAD_REL_ERROR
        np.testing.assert_allclose(ex.numerical_jacobian(ex.polar_to_cartesian, p), analytic, atol=JACOBIAN_TOL)
        np.testing.assert_allclose(np.linalg.det(analytic), p[0], rtol=1e-12)


def test_jacobian_of_a_scalar_function_is_the_gradient_as_a_row():
    # Check that for m = 1 the Jacobian is the (1, n) row (3x^2 - 3, 3y^2 - 3), worked by hand at (2, 0).
    J = ex.numerical_jacobian(ex.cubic, np.array([2.0, 0.0]))
    assert J.shape == (1, 2)
    np.testing.assert_allclose(J, [[9.0, -3.0]], atol=JACOBIAN_TOL)


def test_hessian_of_a_quadratic(rng):
    # Check that 1/2 x^T A x + b^T x has Hessian (A + A^T) / 2 at every x, for a non-symmetric A.
    A, b = rng.standard_normal((4, 4)), rng.standard_normal(4)
    H = ex.numerical_hessian(lambda x: 0.5 * x @ A @ x + b @ x, rng.standard_normal(4))
    np.testing.assert_allclose(H, (A + A.T) / 2, atol=HESSIAN_TOL)


def test_hessian_with_mixed_partials_by_hand(rng):
    # Check that a function whose mixed partials are all non-zero gets the hand-derived Hessian.
    for q in rng.uniform(-1, 1, size=(3, 3)):
        np.testing.assert_allclose(ex.numerical_hessian(wavy, q), wavy_hessian(q), atol=HESSIAN_TOL)


def test_hessian_is_symmetric(rng):
    # Check that H = H^T exactly (Schwarz's theorem, and our construction) for a random smooth function.
    W = rng.standard_normal((4, 4))

    def f(x):
        return np.sum(np.tanh(W @ x) ** 2) + x[0] * x[3] ** 3

    H = ex.numerical_hessian(f, rng.standard_normal(4))
    np.testing.assert_array_equal(H, H.T)


def test_hessian_is_the_jacobian_of_the_gradient(rng):
    # Check that H = J(grad f) with the analytic cubic gradient, and that the analytic
    # cubic Hessian agrees with both.
    for p in rng.uniform(-2, 2, size=(3, 2)):
        H = ex.numerical_hessian(ex.cubic, p)
        np.testing.assert_allclose(ex.numerical_jacobian(ex.cubic_gradient, p), H, atol=HESSIAN_TOL)
        np.testing.assert_allclose(ex.cubic_hessian(p), H, atol=HESSIAN_TOL)


def test_cubic_gradient_passes_a_gradient_check(rng):
    # Check that the hand-derived gradient (3x^2 - 3, 3y^2 - 3) passes utils.gradcheck.
    for p in rng.uniform(-2, 2, size=(3, 2)):
        utils.gradcheck.check_gradient(ex.cubic, p.copy(), ex.cubic_gradient(p))


@pytest.mark.parametrize(
    "point, kind",
    [((1.0, 1.0), "minimum"), ((-1.0, -1.0), "maximum"), ((1.0, -1.0), "saddle"), ((-1.0, 1.0), "saddle")],
)
def test_classify_the_critical_points_of_the_cubic(point, kind):
    # Check that the known critical points of x^3 - 3x + y^3 - 3y (H = diag(6x, 6y), worked by hand) are classified
    # with the numeric Hessian, and that the gradient vanishes there.
    p = np.array(point)
    np.testing.assert_allclose(ex.cubic_gradient(p), [0.0, 0.0], atol=ATOL)
    assert ex.classify_critical_point(ex.numerical_hessian(ex.cubic, p)) == kind


@pytest.mark.parametrize(
    "H, kind",
    [
        ([[2.0, 0.0], [0.0, 3.0]], "minimum"),
        ([[-1.0, 0.0], [0.0, -5.0]], "maximum"),
        ([[0.0, 1.0], [1.0, 0.0]], "saddle"),  # f = xy: zero diagonal, eigenvalues +-1
        ([[1.0, 2.0], [2.0, 1.0]], "saddle"),  # positive diagonal, eigenvalues 3 and -1
        ([[2.0, 1.0], [1.0, 2.0]], "minimum"),  # eigenvalues 3 and 1
        ([[1.0, 0.0], [0.0, 0.0]], "degenerate"),  # x^2 + y^4 and x^2 - y^4 both have this H
        ([[0.0, 0.0], [0.0, 0.0]], "degenerate"),
        ([[3.0, 0.0], [0.0, 1e-9]], "degenerate"),  # within the default tolerance of zero
    ],
    ids=["pos-diag", "neg-diag", "xy", "indefinite-pos-diag", "pd-coupled", "semidefinite", "zero", "tiny-eigenvalue"],
)
def test_classification_uses_eigenvalues_not_the_diagonal(H, kind):
    # Check that matrices whose eigenvalues were worked out by hand are classified right, including traps where the
    # diagonal's signs mislead.
    assert ex.classify_critical_point(np.array(H)) == kind


def test_degenerate_critical_point_of_a_quartic():
    # Check that x^4 + y^4 at the origin (a minimum the second-order test cannot see) is
    # "degenerate": its numeric Hessian is diag(8h^2, 8h^2), only truncation error.
    H = ex.numerical_hessian(lambda p: p[0] ** 4 + p[1] ** 4, np.zeros(2))
    assert ex.classify_critical_point(H) == "degenerate"


def test_tolerance_can_be_tightened():
    # Check that a tiny but definite H counts as a minimum once the tolerance is below its eigenvalues.
    H = np.array([[1e-9, 0.0], [0.0, 2e-9]])
    assert ex.classify_critical_point(H) == "degenerate"
    assert ex.classify_critical_point(H, atol=1e-12) == "minimum"
    assert ex.classify_critical_point(-H, atol=1e-12) == "maximum"


def test_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear message: a non-square or non-symmetric H and a matrix-shaped x.
    with pytest.raises(ValueError, match=r"square matrix of shape \(n, n\)"):
        ex.classify_critical_point(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        ex.classify_critical_point(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"x must be a 1-D array"):
        ex.numerical_jacobian(lambda x: x, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"h must be a finite number > 0"):
        ex.numerical_hessian(ex.cubic, np.ones(2), h=-1e-4)
