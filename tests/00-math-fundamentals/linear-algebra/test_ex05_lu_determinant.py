"""Tests for ex05_lu_determinant: P A = L U, the sign of a permutation, the determinant and slogdet."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex05_lu_determinant.py")

RTOL = 1e-10
ATOL = 1e-12
SIZES = [1, 2, 3, 5, 8]


def _is_permutation_matrix(P):
    return np.all((P == 0) | (P == 1)) and np.all(P.sum(axis=0) == 1) and np.all(P.sum(axis=1) == 1)


@pytest.mark.parametrize("n", SIZES)
def test_factors_have_the_right_form_and_reproduce_A(rng, n):
    # Check that P A = L U with P a permutation, L unit lower triangular with |l_ik| <= 1
    # (partial pivoting), and U upper triangular.
    A = rng.standard_normal((n, n))
    P, L, U = ex.lu_decompose(A)
    assert P.shape == L.shape == U.shape == (n, n)
    assert _is_permutation_matrix(P)
    np.testing.assert_allclose(np.diag(L), np.ones(n))
    np.testing.assert_array_equal(np.triu(L, 1), np.zeros((n, n)))
    np.testing.assert_array_equal(np.tril(U, -1), np.zeros((n, n)))
    assert np.all(np.abs(L) <= 1 + 1e-15)
    np.testing.assert_allclose(P @ A, L @ U, atol=1e-12)


@pytest.mark.parametrize("n", SIZES)
def test_factors_match_scipy(rng, n):
    # Check that the factors agree with scipy.linalg.lu, which returns A = p l u (so our P is p transposed); with
    # partial pivoting and no ties the pivots, and so all three factors, are the same.
    A = rng.standard_normal((n, n))
    p, l, u = scipy.linalg.lu(A)
    P, L, U = ex.lu_decompose(A)
    np.testing.assert_array_equal(P, p.T)
    np.testing.assert_allclose(L, l, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(U, u, rtol=RTOL, atol=ATOL)


def test_lu_by_hand():
    # Check that [[1, 2], [3, 4]] factors as worked by hand: 3 is the larger pivot, so the rows swap; l = 1/3 and
    # u22 = 2 - (1/3) 4 = 2/3. The determinant is then -1 * 3 * 2/3 = -2 = 1*4 - 2*3.
    P, L, U = ex.lu_decompose([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(P, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(L, [[1.0, 0.0], [1 / 3, 1.0]], rtol=RTOL)
    np.testing.assert_allclose(U, [[3.0, 4.0], [0.0, 2 / 3]], rtol=RTOL)
    assert ex.determinant([[1.0, 2.0], [3.0, 4.0]]) == pytest.approx(-2.0)


def test_multipliers_move_with_their_rows():
    # Check that a matrix that swaps rows in the second column too is factored right (the stored multipliers
    # must be swapped with their rows, or P A = L U fails; checked against scipy's factors).
    A = np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 5.0], [4.0, 6.0, 8.0]])
    P, L, U = ex.lu_decompose(A)
    np.testing.assert_allclose(P @ A, L @ U, atol=ATOL)
    p, l, u = scipy.linalg.lu(A)
    np.testing.assert_allclose(L, l, atol=ATOL)


def test_singular_matrix_still_factors():
    # Check that a zero column or the zero matrix factor without dividing by zero, with det 0.
    for A in [np.array([[0.0, 1.0], [0.0, 2.0]]), np.zeros((3, 3))]:
        P, L, U = ex.lu_decompose(A)
        np.testing.assert_allclose(P @ A, L @ U, atol=ATOL)
        assert ex.determinant(A) == 0.0


@pytest.mark.parametrize("n", SIZES)
def test_determinant_matches_numpy(rng, n):
    # Check that det(A) agrees with np.linalg.det on random matrices (about half have a negative determinant).
    for _ in range(5):
        A = rng.standard_normal((n, n))
        np.testing.assert_allclose(ex.determinant(A), np.linalg.det(A), rtol=1e-9)


def test_determinant_by_hand():
    # Check that, worked by hand, swapping the rows of I flips the sign, det diag(2, 3, 4) = 24, and a
    # triangular matrix's determinant is the product of its diagonal.
    assert ex.determinant([[0.0, 1.0], [1.0, 0.0]]) == pytest.approx(-1.0)
    assert ex.determinant(np.diag([2.0, 3.0, 4.0])) == pytest.approx(24.0)
    assert ex.determinant([[2.0, 7.0, -1.0], [0.0, -3.0, 5.0], [0.0, 0.0, 0.5]]) == pytest.approx(-3.0)
    assert ex.determinant([[-7.5]]) == pytest.approx(-7.5)


def test_determinant_of_singular_matrices_is_zero():
    # Check that dependent rows give det 0 (up to round-off relative to the entries' size).
    assert ex.determinant([[1.0, 2.0], [2.0, 4.0]]) == 0.0
    assert abs(ex.determinant(np.arange(1.0, 10.0).reshape(3, 3))) < 1e-12


def test_permutation_sign_by_hand():
    # Check that, worked by hand, the identity is even, one swap is odd, a 3-cycle is two swaps (even),
    # a 4-cycle is three swaps (odd), two disjoint swaps are even.
    assert ex.permutation_sign(np.eye(4)) == 1
    assert ex.permutation_sign(np.eye(3)[[1, 0, 2]]) == -1
    assert ex.permutation_sign(np.eye(3)[[1, 2, 0]]) == 1
    assert ex.permutation_sign(np.eye(4)[[1, 2, 3, 0]]) == -1
    assert ex.permutation_sign(np.eye(4)[[1, 0, 3, 2]]) == 1
    assert ex.permutation_sign([[1.0]]) == 1


def test_permutation_sign_matches_det(rng):
    # Check that sign(P) = det(P), against np.linalg.det on random permutations of several sizes.
    for n in range(1, 9):
        for _ in range(5):
            P = np.eye(n)[rng.permutation(n)]
            assert ex.permutation_sign(P) == pytest.approx(np.linalg.det(P))


def test_permutation_sign_refuses_non_permutations():
    # Check that a matrix with two 1s in a column is not accepted as a permutation.
    with pytest.raises(ValueError, match="permutation matrix"):
        ex.permutation_sign([[1.0, 0.0], [1.0, 0.0]])


def test_slogdet_matches_numpy_and_does_not_overflow(rng):
    # Check that (sign, log|det|) agrees with np.linalg.slogdet, including det(1e10 I_40) = 1e400, which
    # overflows as a product but has log 400 log(10); and (0, -inf) for a singular matrix.
    A = rng.standard_normal((6, 6))
    sign, logdet = ex.slogdet(A)
    expected_sign, expected_logdet = np.linalg.slogdet(A)
    assert sign == expected_sign
    np.testing.assert_allclose(logdet, expected_logdet, rtol=RTOL)
    big = -1e10 * np.eye(40)[rng.permutation(40)]  # a shuffled, scaled identity: det = +-1e400
    sign, logdet = ex.slogdet(big)
    assert sign == np.linalg.slogdet(big)[0]
    np.testing.assert_allclose(logdet, 400 * np.log(10), rtol=RTOL)
    assert ex.slogdet([[1.0, 2.0], [2.0, 4.0]]) == (0.0, -np.inf)


def test_slogdet_sign_by_hand():
    # Check that the sign combines the permutation and U's diagonal: det([[0, 2], [3, 0]]) = -6.
    sign, logdet = ex.slogdet([[0.0, 2.0], [3.0, 0.0]])
    assert sign == -1.0
    np.testing.assert_allclose(logdet, np.log(6.0), rtol=RTOL)


def test_non_square_input_is_refused():
    # Check that the message names the expected square shape.
    for function in [ex.lu_decompose, ex.determinant, ex.slogdet, ex.permutation_sign]:
        with pytest.raises(ValueError, match=r"square matrix of shape \(n, n\)"):
            function(np.ones((2, 3)))
