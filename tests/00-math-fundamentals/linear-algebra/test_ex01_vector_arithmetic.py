"""Tests for ex01_vector_arithmetic: linear combinations and reaching a target."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py")

ATOL = 1e-12


def test_linear_combination_by_hand():
    # Check that 2*(1, 0, 2) - 1*(3, 1, 1) = (-1, -1, 3), worked out by hand.
    V = np.array([[1.0, 3.0], [0.0, 1.0], [2.0, 1.0]])
    np.testing.assert_allclose(ex.linear_combination(V, [2, -1]), [-1.0, -1.0, 3.0], atol=ATOL)


def test_linear_combination_equals_matrix_vector_product(rng):
    # Check that the loop agrees with V @ c on random shapes, including a single vector.
    for n, k in [(5, 3), (1, 1), (4, 1), (2, 6)]:
        V, c = rng.standard_normal((n, k)), rng.standard_normal(k)
        np.testing.assert_allclose(ex.linear_combination(V, c), V @ c, atol=ATOL)


def test_zero_coefficients_give_the_zero_vector(rng):
    # Check that the empty walk ends at the origin, whatever the vectors.
    np.testing.assert_array_equal(ex.linear_combination(rng.standard_normal((3, 2)), [0, 0]), np.zeros(3))


def test_coefficients_to_reach_by_hand():
    # Check that (4, 3) = 3*(1, 1) + 1*(1, 0) gives a = 3, b = 1 (worked by hand).
    a, b = ex.coefficients_to_reach(np.array([1.0, 1.0]), np.array([1.0, 0.0]), np.array([4.0, 3.0]))
    assert (a, b) == pytest.approx((3.0, 1.0))


def test_coefficients_reach_the_target(rng):
    # Check that the defining property a*u + b*v = target holds on random inputs.
    for _ in range(20):
        u, v, t = rng.standard_normal((3, 2))
        a, b = ex.coefficients_to_reach(u, v, t)
        np.testing.assert_allclose(a * u + b * v, t, atol=1e-9)


@pytest.mark.parametrize(
    "u, v",
    [([1.0, 2.0], [2.0, 4.0]), ([0.0, 0.0], [1.0, 0.0]), ([1e-8, 2e-8], [3e-8, 6e-8])],
    ids=["parallel", "zero-vector", "tiny-parallel"],
)
def test_parallel_vectors_are_refused(u, v):
    # Check that vectors spanning only a line get a clear error, at any scale.
    with pytest.raises(ValueError, match="parallel"):
        ex.coefficients_to_reach(np.array(u), np.array(v), np.array([1.0, 1.0]))


def test_wrong_shapes_get_a_clear_error():
    # Check that the message names the expected shapes.
    with pytest.raises(ValueError, match=r"shape \(k,\)"):
        ex.linear_combination(np.ones((3, 2)), [1, 2, 3])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        ex.coefficients_to_reach(np.ones(3), np.ones(3), np.ones(3))
