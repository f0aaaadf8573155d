"""Tests for ex06_lu_solve_inverse: forward substitution, solving with the LU factors and the inverse."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex06_lu_solve_inverse.py")

RTOL = 1e-10
ATOL = 1e-12
SIZES = [1, 2, 3, 5, 8]


def test_forward_substitution_matches_scipy(rng):
    # Check that forward substitution agrees with scipy's unit-lower-triangular solve, for one and several right-hand sides.
    L = np.tril(rng.standard_normal((5, 5)), -1) + np.eye(5)
    B = rng.standard_normal((5, 3))
    expected = scipy.linalg.solve_triangular(L, B, lower=True, unit_diagonal=True)
    np.testing.assert_allclose(ex.forward_substitution(L, B), expected, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ex.forward_substitution(L, B[:, 0]), expected[:, 0], rtol=RTOL, atol=ATOL)


def test_forward_substitution_by_hand():
    # Check that y1 = 1, then 2 y1 + y2 = 5 gives y2 = 3 (worked by hand).
    np.testing.assert_allclose(ex.forward_substitution([[1.0, 0.0], [2.0, 1.0]], [1.0, 5.0]), [1.0, 3.0])


def test_lu_solve_matches_numpy(rng):
    # Check that solving with scipy's factors agrees with np.linalg.solve, for (n,) and (n, k) right sides.
    A, B = rng.standard_normal((6, 6)), rng.standard_normal((6, 2))
    P, L, U = scipy.linalg.lu(A)  # scipy's A = P L U, so our P (with P A = L U) is its P^T
    factors = (P.T, L, U)
    np.testing.assert_allclose(ex.lu_solve(*factors, B), np.linalg.solve(A, B), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ex.lu_solve(*factors, B[:, 0]), np.linalg.solve(A, B[:, 0]), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("n", SIZES)
def test_inverse_matches_numpy(rng, n):
    # Check that inv(A) agrees with np.linalg.inv, and A inv(A) = inv(A) A = I.
    A = rng.standard_normal((n, n)) + 2 * np.eye(n)
    A_inv = ex.inverse(A)
    np.testing.assert_allclose(A_inv, np.linalg.inv(A), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(A @ A_inv, np.eye(n), atol=1e-10)
    np.testing.assert_allclose(A_inv @ A, np.eye(n), atol=1e-10)


def test_inverse_by_hand():
    # Check that inv([[5]]) = [[0.2]] and inv([[2, 1], [1, 1]]) = [[1, -1], [-1, 2]] (det 1), worked by hand.
    np.testing.assert_allclose(ex.inverse([[5.0]]), [[0.2]], rtol=RTOL)
    np.testing.assert_allclose(ex.inverse([[2.0, 1.0], [1.0, 1.0]]), [[1.0, -1.0], [-1.0, 2.0]], atol=ATOL)


@pytest.mark.parametrize(
    "A",
    [[[0.0]], [[1.0, 2.0], [2.0, 4.0]], np.arange(1.0, 10.0).reshape(3, 3).tolist(), np.zeros((2, 2)).tolist()],
    ids=["1x1-zero", "2x2", "3x3-rounded", "zero"],
)
def test_singular_matrix_has_no_inverse(A):
    # Check that singular matrices, exactly or up to round-off, get a clear error.
    with pytest.raises(ValueError, match="singular"):
        ex.inverse(A)


def test_lu_solve_refuses_mismatched_shapes():
    # Check that a right-hand side of the wrong length is refused with a message naming the shapes.
    with pytest.raises(ValueError, match=r"b of shape \(n,\)"):
        ex.lu_solve(np.eye(3), np.eye(3), np.eye(3), np.ones(4))


def test_non_square_input_is_refused():
    # Check that the message names the expected square shape.
    for function in [ex.inverse, lambda A: ex.forward_substitution(A, np.ones(2))]:
        with pytest.raises(ValueError, match=r"square matrix of shape \(n, n\)"):
            function(np.ones((2, 3)))
