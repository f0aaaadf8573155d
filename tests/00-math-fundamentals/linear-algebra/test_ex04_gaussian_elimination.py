"""Tests for ex04_gaussian_elimination: elimination with partial pivoting and back substitution."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex04_gaussian_elimination.py")

RTOL = 1e-10
ATOL = 1e-12


def test_two_by_two_by_hand():
    # Check that 2x + y = 3 and x + 3y = 5 give x = 0.8, y = 1.4 (by hand: y = 3 - 2x, x + 9 - 6x = 5).
    np.testing.assert_allclose(ex.solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]), [0.8, 1.4], rtol=RTOL)


def test_three_by_three_by_hand():
    # Check that x = (2, 3, -1) solves the system, by substituting it: 4 + 3 + 1 = 8, -6 - 3 - 2 = -11, -4 + 3 - 2 = -3.
    A = [[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]]
    np.testing.assert_allclose(ex.solve(A, [8.0, -11.0, -3.0]), [2.0, 3.0, -1.0], rtol=RTOL)


def test_zero_in_the_pivot_position_needs_a_swap():
    # Check that [[0, 1], [1, 0]] x = (2, 3) gives x = (3, 2) (by hand: it swaps the unknowns); only a row swap gets past the 0.
    np.testing.assert_allclose(ex.solve([[0.0, 1.0], [1.0, 0.0]], [2.0, 3.0]), [3.0, 2.0], rtol=RTOL)


def test_one_by_one():
    # Check that the smallest system, 4 x = 2, gives x = 0.5.
    np.testing.assert_allclose(ex.solve([[4.0]], [2.0]), [0.5], rtol=RTOL)


@pytest.mark.parametrize("n", [2, 3, 6, 20])
def test_matches_numpy_solve(rng, n):
    # Check that the solution agrees with np.linalg.solve on random systems of several sizes.
    A, b = rng.standard_normal((n, n)), rng.standard_normal(n)
    x = ex.solve(A, b)
    assert x.shape == (n,)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-9, atol=1e-10)


def test_several_right_hand_sides(rng):
    # Check that b of shape (n, k) solves all k systems at once, and k = 1 keeps its column shape.
    A, B = rng.standard_normal((5, 5)), rng.standard_normal((5, 3))
    X = ex.solve(A, B)
    assert X.shape == (5, 3)
    np.testing.assert_allclose(X, np.linalg.solve(A, B), rtol=1e-9, atol=1e-10)
    assert ex.solve(A, B[:, :1]).shape == (5, 1)


def test_tiny_pivot_is_handled_by_pivoting():
    # Check that [[1e-17, 1], [1, 1]] x = (1, 2) is solved: exact x = (1/(1-e), (1-2e)/(1-e)), i.e. (1, 1) to double
    # precision. Worked by hand without pivoting: the multiplier 1e17 turns row 2 into
    # (0, -1e17 | -1e17) after rounding, so x2 = 1 and x1 = (1 - 1) / 1e-17 = 0, a wrong answer.
    A, b = np.array([[1e-17, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0])
    np.testing.assert_allclose(ex.solve(A, b, pivot=True), [1.0, 1.0], rtol=1e-12)
    np.testing.assert_allclose(ex.solve(A, b, pivot=False), [0.0, 1.0], atol=1e-12)


def test_pivot_is_chosen_by_absolute_value():
    # Check that [[1e-17, 1], [-1, 1]] x = (1, 0) is solved, where -1 is the largest pivot in size but not in value:
    # by hand x1 = x2 and x1 (1 + 1e-17) = 1, so x = (1, 1) to double precision.
    np.testing.assert_allclose(ex.solve([[1e-17, 1.0], [-1.0, 1.0]], [1.0, 0.0]), [1.0, 1.0], rtol=1e-12)


def test_forward_elimination_gives_an_equivalent_triangular_system(rng):
    # Check that U is upper triangular, U x = C has the same solution as A x = B, and with partial
    # pivoting the first pivot is the largest entry of A's first column in absolute value.
    A, B = rng.standard_normal((6, 6)), rng.standard_normal((6, 2))
    U, C = ex.forward_elimination(A, B)
    assert U.shape == (6, 6) and C.shape == (6, 2)
    np.testing.assert_array_equal(np.tril(U, -1), np.zeros((6, 6)))
    np.testing.assert_allclose(scipy.linalg.solve_triangular(U, C), np.linalg.solve(A, B), rtol=1e-9, atol=1e-10)
    assert abs(U[0, 0]) == np.max(np.abs(A[:, 0]))


def test_inputs_are_not_modified(rng):
    # Check that solving leaves the caller's A and b untouched (elimination works on a copy).
    A, b = rng.standard_normal((4, 4)), rng.standard_normal(4)
    A_before, b_before = A.copy(), b.copy()
    ex.solve(A, b)
    ex.forward_elimination(A, b[:, None])
    np.testing.assert_array_equal(A, A_before)
    np.testing.assert_array_equal(b, b_before)


@pytest.mark.parametrize("scale", [1e-20, 1e20])
def test_badly_scaled_but_regular_matrix_is_solved(rng, scale):
    # Check that "singular" is judged relative to the size of A: scale * (a regular matrix) is regular.
    A, b = rng.standard_normal((4, 4)) + 4 * np.eye(4), rng.standard_normal(4)
    np.testing.assert_allclose(ex.solve(scale * A, b), np.linalg.solve(scale * A, b), rtol=1e-9)


@pytest.mark.parametrize(
    "A",
    [
        [[1.0, 2.0], [2.0, 4.0]],
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
        (1e-10 * np.array([[1.0, 2.0], [2.0, 4.0]])).tolist(),
        np.arange(1.0, 17.0).reshape(4, 4).tolist(),
        [[0.0, 0.0], [0.0, 0.0]],
    ],
    ids=["2x2", "3x3-rounded", "tiny-2x2", "4x4-rounded", "zero"],
)
def test_singular_matrix_is_refused(A):
    # Check that singular matrices, exactly or only up to round-off, raise a clear error
    # (the rows of each are dependent: row 2 = 2 row 1, or row 3 = 2 row 2 - row 1).
    with pytest.raises(ValueError, match="singular"):
        ex.solve(A, np.ones(len(A)))


def test_back_substitution_matches_scipy(rng):
    # Check that back substitution agrees with scipy.linalg.solve_triangular, for one and several right-hand sides; the
    # entries below the diagonal must be ignored.
    U = np.triu(rng.standard_normal((5, 5))) + 3 * np.eye(5)
    C = rng.standard_normal((5, 2))
    noisy = U + np.tril(rng.standard_normal((5, 5)), -1)
    np.testing.assert_allclose(ex.back_substitution(noisy, C), scipy.linalg.solve_triangular(U, C), rtol=RTOL)
    np.testing.assert_allclose(ex.back_substitution(U, C[:, 0]), scipy.linalg.solve_triangular(U, C[:, 0]), rtol=RTOL)


def test_back_substitution_by_hand():
    # Check that 2 x2 = 4 gives x2 = 2, then x1 + 3 x2 = 7 gives x1 = 1 (worked by hand).
    np.testing.assert_allclose(ex.back_substitution([[1.0, 3.0], [0.0, 2.0]], [7.0, 4.0]), [1.0, 2.0], rtol=RTOL)


def test_bad_input_gets_a_clear_error():
    # Check that the messages name what was expected: a square A, a matching b, finite numbers.
    with pytest.raises(ValueError, match=r"square matrix of shape \(n, n\)"):
        ex.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"b must have shape \(n,\)"):
        ex.solve(np.eye(3), np.ones(4))
    with pytest.raises(ValueError, match="finite"):
        ex.solve([[1.0, np.nan], [0.0, 1.0]], [1.0, 1.0])
    with pytest.raises(ValueError, match="zero on its diagonal"):
        ex.back_substitution([[1.0, 1.0], [0.0, 0.0]], [1.0, 1.0])
