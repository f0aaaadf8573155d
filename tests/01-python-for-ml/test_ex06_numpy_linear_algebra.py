"""Tests for ex06_numpy_linear_algebra: einsum forms, solve vs inv, least squares and norms."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("01-python-for-ml/ex06_numpy_linear_algebra.py")

RTOL = 1e-12
EPS = np.finfo(float).eps
SOLVE_RESIDUAL_MAX = 10 * EPS  # LU with partial pivoting is backward stable
INV_RESIDUAL_RATIO = 1e3  # on Hilbert n >= 8, inv(A) @ b has a residual at least 1000x larger (observed 1e8 and up)


def _operands(rng):
    A = rng.standard_normal((4, 4))
    R, S = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    Ab, Bb = rng.standard_normal((6, 3, 4)), rng.standard_normal((6, 4, 2))
    u, v, w = rng.standard_normal(4), rng.standard_normal(5), rng.standard_normal(4)
    M = rng.standard_normal((4, 5))
    # Non-square shapes where a forgotten transpose or a swapped letter would show.
    return {
        "trace": ((A,), np.trace(A)),
        "diagonal": ((A,), np.diag(A)),
        "transpose": ((R,), R.T),
        "sum_all": ((R,), R.sum()),
        "column_sums": ((R,), R.sum(axis=0)),
        "matrix_vector": ((M, v), M @ v),
        "matmul": ((M, R.T), M @ R.T),
        "batched_matmul": ((Ab, Bb), np.stack([Ab[k] @ Bb[k] for k in range(6)])),
        "outer": ((u, v), np.outer(u, v)),
        "inner": ((u, w), u @ w),
        "bilinear_form": ((u, M, v), u @ M @ v),
        "row_dots": ((R, S), np.array([R[i] @ S[i] for i in range(3)])),
    }


@pytest.mark.parametrize("operation", [
    "trace", "diagonal", "transpose", "sum_all", "column_sums", "matrix_vector",
    "matmul", "batched_matmul", "outer", "inner", "bilinear_form", "row_dots",
])
def test_einsum_form_matches_the_explicit_product(rng, operation):
    # Check that each einsum string gives the same as @, sums, loops or np.outer.
    operands, expected = _operands(rng)[operation]
    result = np.einsum(ex.einsum_subscripts(operation), *operands)
    assert np.shape(result) == np.shape(expected)
    np.testing.assert_allclose(result, expected, rtol=RTOL, atol=1e-14)


def test_einsum_table_covers_every_operation(rng):
    # Check that the test above and the exercise list the same operations.
    assert set(ex.EINSUM_OPERATIONS) == set(_operands(rng))


def test_einsum_unknown_operation():
    # Check that an unknown name lists the known ones.
    with pytest.raises(ValueError, match="trace"):
        ex.einsum_subscripts("determinant")


def test_hilbert_by_hand_and_against_scipy():
    # Check that hilbert(2) = [[1, 1/2], [1/2, 1/3]] (by hand) and hilbert(7) agrees with scipy.linalg.hilbert.
    np.testing.assert_allclose(ex.hilbert(2), [[1.0, 0.5], [0.5, 1.0 / 3.0]], rtol=RTOL)
    np.testing.assert_allclose(ex.hilbert(7), scipy.linalg.hilbert(7), rtol=RTOL)
    assert ex.hilbert(1).shape == (1, 1)


def test_solve_by_hand():
    # Check that 2x + y = 5 and x + 3y = 10 give x = 1, y = 3 (worked by hand); the inverse route agrees here.
    A, b = np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([5.0, 10.0])
    np.testing.assert_allclose(ex.solve_linear_system(A, b), [1.0, 3.0], rtol=RTOL)
    np.testing.assert_allclose(ex.solve_with_inverse(A, b), [1.0, 3.0], rtol=RTOL)


def test_relative_residual_by_hand():
    # Check that A = I, b = (3, 4), x = (3, 0) give ||b - x|| / (||A|| ||x|| + ||b||) = 4 / (3 + 5) = 0.5 (worked by hand).
    assert ex.relative_residual(np.eye(2), [3.0, 0.0], [3.0, 4.0]) == pytest.approx(0.5)
    assert ex.relative_residual(np.eye(2), [3.0, 4.0], [3.0, 4.0]) == 0.0


@pytest.mark.parametrize("n", [8, 10, 12])
def test_solve_has_a_smaller_residual_than_inv_on_hilbert(rng, n):
    # Check that on ill-conditioned Hilbert systems solve's residual stays near machine epsilon while
    # inv(A) @ b's residual is orders of magnitude larger (the robust property).
    H = scipy.linalg.hilbert(n)
    b = H @ rng.standard_normal(n)
    r_solve = ex.relative_residual(H, ex.solve_linear_system(H, b), b)
    r_inv = ex.relative_residual(H, ex.solve_with_inverse(H, b), b)
    assert r_solve < SOLVE_RESIDUAL_MAX
    assert r_inv > INV_RESIDUAL_RATIO * r_solve


def test_solve_refuses_a_non_square_system():
    # Check that the error names the expected shapes.
    with pytest.raises(ValueError, match=r"A must be a non-empty square matrix of shape \(n, n\)"):
        ex.solve_linear_system(np.ones((3, 2)), np.ones(3))


def test_lstsq_matches_normal_equations_and_scipy(rng):
    # Check that on well-conditioned data lstsq, the normal equations and scipy.linalg.lstsq agree.
    X = rng.standard_normal((40, 4))
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * rng.standard_normal(40)
    w_ls, w_ne = ex.lstsq_fit(X, y), ex.normal_equations_fit(X, y)
    w_ref = scipy.linalg.lstsq(X, y)[0]
    np.testing.assert_allclose(w_ls, w_ref, rtol=1e-10)
    np.testing.assert_allclose(w_ne, w_ref, rtol=1e-10)


def test_lstsq_residual_is_orthogonal_to_the_columns(rng):
    # Check that the defining property of least squares holds: X^T (y - X w) = 0.
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    for fit in (ex.lstsq_fit, ex.normal_equations_fit):
        np.testing.assert_allclose(X.T @ (y - X @ fit(X, y)), 0.0, atol=1e-12)


def test_lstsq_by_hand_line_fit():
    # Check that points (0, 1), (1, 3), (2, 5), on y = 1 + 2t, make [1, t] fit w = (1, 2) exactly (worked by hand).
    X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    y = np.array([1.0, 3.0, 5.0])
    np.testing.assert_allclose(ex.lstsq_fit(X, y), [1.0, 2.0], rtol=RTOL)
    np.testing.assert_allclose(ex.normal_equations_fit(X, y), [1.0, 2.0], rtol=RTOL)


def test_lstsq_handles_rank_deficient_columns():
    # Check that lstsq copes with two identical columns (X^T X is singular): by hand, every w with
    # w1 + w2 = 2 fits exactly, and the one of smallest norm (what lstsq returns) is (1, 1).
    X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    y = np.array([2.0, 4.0, 6.0])
    np.testing.assert_allclose(ex.lstsq_fit(X, y), [1.0, 1.0], rtol=1e-10)


def test_lstsq_refuses_mismatched_lengths():
    # Check that the error names the expected shapes.
    with pytest.raises(ValueError, match="same length"):
        ex.lstsq_fit(np.ones((5, 2)), np.ones(4))


def test_matrix_norms_by_hand_and_against_numpy(rng):
    # Check that [[1, -2], [3, 4]] has, worked by hand, Frobenius sqrt(30), column sums 4 and 6 -> 6, row sums 3 and 7 -> 7;
    # then that all four agree with np.linalg.norm on a non-square matrix (a swapped axis would show).
    norms = ex.matrix_norms([[1.0, -2.0], [3.0, 4.0]])
    assert norms["fro"] == pytest.approx(np.sqrt(30.0))
    assert norms[1] == pytest.approx(6.0)
    assert norms["inf"] == pytest.approx(7.0)
    A = rng.standard_normal((3, 6))
    norms = ex.matrix_norms(A)
    for order, key in [("fro", "fro"), (2, 2), (1, 1), (np.inf, "inf")]:
        assert norms[key] == pytest.approx(np.linalg.norm(A, order), rel=RTOL)


def test_norms_refuse_empty_input():
    # Check that empty input gets a clear error.
    with pytest.raises(ValueError, match="non-empty"):
        ex.matrix_norms(np.ones((0, 3)))
