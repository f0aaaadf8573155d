"""Tests for ex10_least_squares_projection: projections, normal equations, QR, pseudo-inverse."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex10_least_squares_projection.py")

ATOL = 1e-10
RTOL = 1e-9

# Strang, Introduction to Linear Algebra, 4.3 example 1, worked by hand: fit c + d t through
# (0, 6), (1, 0), (2, 0). A^T A = [[3, 3], [3, 5]], A^T b = (6, 0) give (c, d) = (5, -3);
# p = A x_hat = (5, 2, -1), e = b - p = (1, -2, 1), and P = A (A^T A)^{-1} A^T below.
STRANG_A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
STRANG_B = np.array([6.0, 0.0, 0.0])
STRANG_X = np.array([5.0, -3.0])
STRANG_P = np.array([[5.0, 2.0, -1.0], [2.0, 2.0, 2.0], [-1.0, 2.0, 5.0]]) / 6.0

FULL_RANK_SOLVERS = [
    pytest.param(lambda A, b: ex.lstsq_normal_equations(A, b), id="normal"),
    pytest.param(lambda A, b: ex.lstsq_qr(A, b), id="qr"),
]
ALL_SOLVERS = FULL_RANK_SOLVERS + [pytest.param(lambda A, b: ex.min_norm_solution(A, b), id="pinv")]


@pytest.mark.parametrize("solve", ALL_SOLVERS)
def test_strang_example_by_hand(solve):
    # Check that every solver gets the worked example: x_hat = (5, -3).
    np.testing.assert_allclose(solve(STRANG_A, STRANG_B), STRANG_X, atol=ATOL)


def test_strang_projection_by_hand():
    # Check that P equals the hand-computed matrix and P b = (5, 2, -1).
    P = ex.projection_matrix(STRANG_A)
    np.testing.assert_allclose(P, STRANG_P, atol=ATOL)
    np.testing.assert_allclose(P @ STRANG_B, [5.0, 2.0, -1.0], atol=ATOL)


@pytest.mark.parametrize("solve", ALL_SOLVERS)
def test_solvers_match_numpy_lstsq(rng, solve):
    # Check that the solvers agree with np.linalg.lstsq on random overdetermined systems, and give the exact solution
    # on a square invertible one.
    for m, n in [(20, 3), (50, 10), (6, 6)]:
        A, b = rng.standard_normal((m, n)), rng.standard_normal(m)
        np.testing.assert_allclose(solve(A, b), np.linalg.lstsq(A, b, rcond=None)[0], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("solve", ALL_SOLVERS)
def test_residual_is_orthogonal_to_the_columns(rng, solve):
    # Check that the normal equations hold: A^T (b - A x_hat) = 0.
    A, b = rng.standard_normal((30, 4)), rng.standard_normal(30)
    np.testing.assert_allclose(A.T @ (b - A @ solve(A, b)), np.zeros(4), atol=1e-9)


def test_pseudo_inverse_matches_numpy(rng):
    # Check that the pseudo-inverse agrees with np.linalg.pinv (same cutoff) for tall, wide, square and rank-deficient A.
    rank2 = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 5))
    for A in [rng.standard_normal((7, 3)), rng.standard_normal((3, 7)), rng.standard_normal((4, 4)), rank2]:
        rtol = max(A.shape) * np.finfo(float).eps
        np.testing.assert_allclose(ex.pseudo_inverse(A), np.linalg.pinv(A, rtol=rtol), atol=ATOL)


def test_pseudo_inverse_penrose_conditions(rng):
    # Check that the four Moore-Penrose conditions hold on a rank-deficient matrix.
    A = rng.standard_normal((5, 2)) @ rng.standard_normal((2, 4))
    X = ex.pseudo_inverse(A)
    assert X.shape == (4, 5)
    np.testing.assert_allclose(A @ X @ A, A, atol=ATOL)
    np.testing.assert_allclose(X @ A @ X, X, atol=ATOL)
    np.testing.assert_allclose((A @ X).T, A @ X, atol=ATOL)
    np.testing.assert_allclose((X @ A).T, X @ A, atol=ATOL)


def test_pseudo_inverse_cutoff_drops_tiny_singular_values():
    # Check that diag(1, 1e-20) has pseudo-inverse diag(1, 0) with the default cutoff (not diag(1, 1e20)),
    # and that diag(1, 1e20)'s entry comes back when the cutoff is 0 (worked by hand).
    A = np.diag([1.0, 1e-20])
    np.testing.assert_allclose(ex.pseudo_inverse(A), np.diag([1.0, 0.0]), atol=ATOL)
    np.testing.assert_allclose(ex.pseudo_inverse(A, rtol=0.0), np.diag([1.0, 1e20]), rtol=RTOL)
    np.testing.assert_array_equal(ex.pseudo_inverse(np.zeros((2, 3))), np.zeros((3, 2)))


def test_min_norm_solution_rank_deficient(rng):
    # Check that a rank-deficient design (column 3 = column 1 + column 2) is solved: the answer matches
    # np.linalg.lstsq (minimum norm), is orthogonal to the null space (1, 1, -1), and adding a
    # null vector keeps the residual but increases the norm.
    A = rng.standard_normal((10, 2))
    A = np.column_stack([A, A[:, 0] + A[:, 1]])
    b = rng.standard_normal(10)
    x = ex.min_norm_solution(A, b)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], atol=ATOL)
    null = np.array([1.0, 1.0, -1.0])
    assert abs(x @ null) < 1e-9
    other = x + 0.5 * null
    assert np.linalg.norm(A @ other - b) == pytest.approx(np.linalg.norm(A @ x - b))
    assert np.linalg.norm(other) > np.linalg.norm(x)


def test_min_norm_solution_underdetermined_by_hand():
    # Check that x_1 + x_2 = 2 has the smallest solution (1, 1) (on the normal (1, 1)), worked by hand.
    np.testing.assert_allclose(ex.min_norm_solution(np.array([[1.0, 1.0]]), np.array([2.0])), [1.0, 1.0], atol=ATOL)


def test_min_norm_solution_underdetermined_random(rng):
    # Check that a wide system agrees with the closed form A^T (A A^T)^{-1} b and is solved exactly.
    A, b = rng.standard_normal((3, 7)), rng.standard_normal(3)
    x = ex.min_norm_solution(A, b)
    np.testing.assert_allclose(x, A.T @ np.linalg.solve(A @ A.T, b), atol=ATOL)
    np.testing.assert_allclose(A @ x, b, atol=ATOL)


@pytest.mark.parametrize("shape, rank", [((8, 3), 3), ((8, 5), 2), ((4, 6), 4)])
def test_projection_is_idempotent_symmetric_and_fixes_the_columns(rng, shape, rank):
    # Check that P^2 = P, P^T = P, P A = A, and trace(P) = rank, for full-rank, rank-deficient and
    # wide A.
    A = rng.standard_normal((shape[0], rank)) @ rng.standard_normal((rank, shape[1]))
    P = ex.projection_matrix(A)
    assert P.shape == (shape[0], shape[0])
    np.testing.assert_allclose(P @ P, P, atol=ATOL)
    np.testing.assert_allclose(P.T, P, atol=ATOL)
    np.testing.assert_allclose(P @ A, A, atol=ATOL)
    assert np.trace(P) == pytest.approx(rank)


def test_projection_equals_the_normal_equation_formula(rng):
    # Check that P = A (A^T A)^{-1} A^T for full column rank, and that P b is the fitted A x_hat.
    A, b = rng.standard_normal((9, 3)), rng.standard_normal(9)
    P = ex.projection_matrix(A)
    np.testing.assert_allclose(P, A @ np.linalg.solve(A.T @ A, A.T), atol=ATOL)
    np.testing.assert_allclose(P @ b, A @ np.linalg.lstsq(A, b, rcond=None)[0], atol=ATOL)


@pytest.mark.parametrize("solve", FULL_RANK_SOLVERS)
def test_rank_deficient_full_rank_solvers_refuse(solve):
    # Check that the normal equations and QR refuse a rank-deficient A, pointing to the fix.
    A = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    with pytest.raises(ValueError, match="full column rank.*min_norm_solution"):
        solve(A, np.ones(3))


@pytest.mark.parametrize("solve", ALL_SOLVERS)
def test_bad_shapes_are_refused(solve):
    # Check that mismatched A and b, a vector A, and NaN get clear errors.
    with pytest.raises(ValueError, match=r"b must have shape \(m,\) with m = 4"):
        solve(np.ones((4, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"A must be a non-empty matrix of shape \(m, n\)"):
        solve(np.ones(4), np.ones(4))
    with pytest.raises(ValueError, match="finite"):
        solve(np.array([[1.0], [np.nan]]), np.ones(2))
