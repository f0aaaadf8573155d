"""Tests for ex03_matrix_multiplication: loops, row-times-column, and maps applied to points."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex03_matrix_multiplication.py")

RTOL = 1e-12
ATOL = 1e-12
MATMULS = [ex.matmul_loops, ex.matmul_row_col]
SHAPES = [(1, 1, 1), (1, 5, 1), (5, 1, 4), (1, 4, 6), (6, 4, 1), (3, 5, 2), (2, 3, 7), (7, 7, 7)]


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_product_by_hand(matmul):
    # Check that [[1, 2], [3, 4]] [[5, 6], [7, 8]] = [[1*5 + 2*7, 1*6 + 2*8], [3*5 + 4*7, 3*6 + 4*8]] (worked by hand).
    C = matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    np.testing.assert_allclose(C, [[19.0, 22.0], [43.0, 50.0]], atol=ATOL)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_non_square_product_by_hand(matmul):
    # Check that a (2, 3) times (3, 1) product and the (1, 2) x (2, 2) row-vector case match a hand calculation.
    np.testing.assert_allclose(matmul([[1, 0, 2], [0, 3, -1]], [[4], [5], [6]]), [[16.0], [9.0]], atol=ATOL)
    np.testing.assert_allclose(matmul([[1, 2]], [[3, 4], [5, 6]]), [[13.0, 16.0]], atol=ATOL)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("m, k, n", SHAPES)
def test_matches_numpy_on_random_shapes(matmul, m, k, n, rng):
    # Check that both versions agree with NumPy's @ on random matrices: 1 x n, n x 1, outer products, non-square.
    A, B = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    C = matmul(A, B)
    assert C.shape == (m, n)
    np.testing.assert_allclose(C, A @ B, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_product_is_the_composed_map(matmul, rng):
    # Check that (A B) x = A (B x): the product applies B first, then A.
    A, B, x = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2)
    np.testing.assert_allclose(matmul(A, B) @ x, A @ (B @ x), rtol=1e-10, atol=ATOL)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_order_matters(matmul):
    # Check that shear-then-rotate differs from rotate-then-shear (worked by hand):
    # S R = [[1, -1], [1, 0]] and R S = [[0, -1], [1, 1]].
    S = np.array([[1.0, 1.0], [0.0, 1.0]])
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(matmul(S, R), [[1.0, -1.0], [1.0, 0.0]], atol=ATOL)
    np.testing.assert_allclose(matmul(R, S), [[0.0, -1.0], [1.0, 1.0]], atol=ATOL)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_identity_and_associativity(matmul, rng):
    # Check that A I = I A = A and (A B) C = A (B C) on random matrices.
    A, B, C = rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal((2, 5))
    np.testing.assert_allclose(matmul(A, np.eye(4)), A, atol=ATOL)
    np.testing.assert_allclose(matmul(np.eye(3), A), A, atol=ATOL)
    np.testing.assert_allclose(matmul(matmul(A, B), C), matmul(A, matmul(B, C)), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_integer_input_gives_exact_float_result(matmul):
    # Check that integer lists work and the result is exact (small integers are exact in float64).
    C = matmul([[2, -3]], [[4], [1]])  # 2*4 + (-3)*1 = 5
    assert C.dtype == np.float64
    np.testing.assert_array_equal(C, [[5.0]])


@pytest.mark.parametrize("matmul", MATMULS, ids=lambda f: f.__name__)
def test_shape_mismatch_gets_a_clear_error(matmul):
    # Check that (2, 3) @ (2, 3) is refused with a message about inner dimensions, and 1-D input too.
    with pytest.raises(ValueError, match="inner dimensions"):
        matmul(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="2-D"):
        matmul(np.ones(3), np.ones((3, 2)))


def test_transform_points_by_hand():
    # Check that a quarter turn sends (1, 0) to (0, 1) and (0, 2) to (-2, 0) (worked by hand); a forgotten
    # transpose would rotate the other way.
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    np.testing.assert_allclose(ex.transform_points(R, [[1.0, 0.0], [0.0, 2.0]]), [[0.0, 1.0], [-2.0, 0.0]], atol=ATOL)


def test_transform_points_applies_M_to_each_row(rng):
    # Check that row i of the result is M @ points[i], for a random 3-D map.
    M, P = rng.standard_normal((3, 3)), rng.standard_normal((6, 3))
    expected = np.array([M @ p for p in P])
    np.testing.assert_allclose(ex.transform_points(M, P), expected, rtol=RTOL, atol=ATOL)


def test_transform_points_bad_shapes():
    # Check that a non-square map or points of the wrong width are refused.
    with pytest.raises(ValueError, match=r"\(n_points, d\)"):
        ex.transform_points(np.eye(2), np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"\(d, d\)"):
        ex.transform_points(np.ones((2, 3)), np.ones((4, 3)))
