"""Tests for ex02_dot_product_norms: dot products, norms, angles, cosine similarity, projections."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex02_dot_product_norms.py")

RTOL = 1e-12
ATOL = 1e-12
ORTHO_ATOL = 1e-10  # |remainder . v| relative to ||u|| ||v||


def test_dot_by_hand():
    # Check that (1, 2, 3) . (4, -5, 6) = 4 - 10 + 18 = 12, worked out by hand, for both versions.
    assert ex.dot_loop([1, 2, 3], [4, -5, 6]) == pytest.approx(12.0)
    assert ex.dot([1, 2, 3], [4, -5, 6]) == pytest.approx(12.0)


@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_dot_matches_numpy(rng, n):
    # Check that both versions agree with np.dot on random vectors of several lengths.
    u, v = rng.standard_normal((2, n))
    np.testing.assert_allclose(ex.dot_loop(u, v), np.dot(u, v), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ex.dot(u, v), np.dot(u, v), rtol=RTOL, atol=ATOL)


def test_norms_by_hand():
    # Check that (3, -4) has L1 = 3 + 4 = 7, L2 = sqrt(9 + 16) = 5, L-inf = 4 (worked by hand).
    x = np.array([3.0, -4.0])
    assert ex.norm(x, 1) == pytest.approx(7.0)
    assert ex.norm(x, 2) == pytest.approx(5.0)
    assert ex.norm(x, np.inf) == pytest.approx(4.0)
    assert ex.norm(x) == pytest.approx(5.0)  # the default is L2


@pytest.mark.parametrize("order", [1, 2, np.inf])
def test_norms_match_numpy(rng, order):
    # Check that each norm agrees with np.linalg.norm, on vectors with negative entries.
    for n in [1, 5, 50]:
        x = rng.standard_normal(n) * 10
        np.testing.assert_allclose(ex.norm(x, order), np.linalg.norm(x, order), rtol=RTOL)


def test_l2_norm_survives_huge_and_tiny_entries():
    # Check that the closed form ||(3s, 4s)|| = 5s holds where squaring s would overflow or underflow.
    for s in [1e200, 1e-200]:
        np.testing.assert_allclose(ex.norm(np.array([3.0, 4.0]) * s), 5.0 * s, rtol=RTOL)


def test_norm_of_zero_vector_is_zero():
    # Check that the zero vector has length 0 in every norm (and no 0/0 warning on the way).
    for order in [1, 2, np.inf]:
        assert ex.norm(np.zeros(3), order) == 0.0


def test_norm_ordering_and_cauchy_schwarz(rng):
    # Check that ||x||_inf <= ||x||_2 <= ||x||_1 and |u . v| <= ||u||_2 ||v||_2 on random vectors.
    for _ in range(50):
        u, v = rng.standard_normal((2, 6))
        assert ex.norm(u, np.inf) <= ex.norm(u, 2) + ATOL
        assert ex.norm(u, 2) <= ex.norm(u, 1) + ATOL
        assert abs(ex.dot(u, v)) <= ex.norm(u) * ex.norm(v) + ATOL


def test_cosine_and_angle_by_hand():
    # Check that, worked by hand, (1, 0) and (1, 1) meet at 45 degrees, cos = 1/sqrt(2);
    # (1, 0) and (0, -2) are orthogonal; (1, 2) and (-2, -4) are opposite.
    assert ex.cosine_similarity([1, 0], [1, 1]) == pytest.approx(1 / np.sqrt(2))
    assert ex.angle_between([1, 0], [1, 1]) == pytest.approx(np.pi / 4)
    assert ex.angle_between([1, 0], [0, -2]) == pytest.approx(np.pi / 2)
    assert ex.cosine_similarity([1, 2], [-2, -4]) == pytest.approx(-1.0)


def test_cosine_matches_formula_and_ignores_scale(rng):
    # Check that cos = u.v / (||u|| ||v||) agrees with NumPy, unchanged when u is scaled by 7 (and flipped by -7).
    u, v = rng.standard_normal((2, 5))
    expected = np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
    np.testing.assert_allclose(ex.cosine_similarity(u, v), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.cosine_similarity(7 * u, v), expected, rtol=RTOL)
    np.testing.assert_allclose(ex.cosine_similarity(-7 * u, v), -expected, rtol=RTOL)


def test_cosine_of_huge_vectors():
    # Check that the hand case cos((1, 0), (1, 1)) = 1/sqrt(2) still holds when every entry is
    # 1e200, where u . v itself overflows: normalise each vector before the dot product.
    assert ex.cosine_similarity([1e200, 0.0], [1e200, 1e200]) == pytest.approx(1 / np.sqrt(2))


def test_angle_of_a_vector_with_itself_is_exactly_defined(rng):
    # Check that round-off never pushes cos past +-1: the angle of u with u is 0 and
    # with -u is pi, with no NaN (an unclipped arccos returns NaN and warns).
    for _ in range(200):
        u = rng.standard_normal(rng.integers(2, 8)) * 10.0 ** rng.integers(-5, 6)
        assert ex.angle_between(u, u) == pytest.approx(0.0, abs=1e-6)
        assert ex.angle_between(u, -u) == pytest.approx(np.pi, abs=1e-6)


def test_zero_vector_has_no_angle():
    # Check that a zero vector gets a clear ValueError, in either position.
    with pytest.raises(ValueError, match="zero vector"):
        ex.cosine_similarity([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="zero vector"):
        ex.angle_between([1.0, 2.0], [0.0, 0.0])


def test_projection_by_hand():
    # Check that, worked by hand, (2, 3) onto (1, 0) is (2, 0), leaving (0, 3); onto (1, 1) it is
    # (5/2)(1, 1), leaving (-1/2, 1/2).
    p, r = ex.project([2.0, 3.0], [1.0, 0.0])
    np.testing.assert_allclose(p, [2.0, 0.0], atol=ATOL)
    np.testing.assert_allclose(r, [0.0, 3.0], atol=ATOL)
    p, r = ex.project([2.0, 3.0], [1.0, 1.0])
    np.testing.assert_allclose(p, [2.5, 2.5], atol=ATOL)
    np.testing.assert_allclose(r, [-0.5, 0.5], atol=ATOL)


def test_projection_properties(rng):
    # Check that on random vectors proj + remainder = u, the remainder is orthogonal to v,
    # the projection is parallel to v, and scaling v (by 3 or -0.1) does not change it.
    for n in [2, 3, 10]:
        u, v = rng.standard_normal((2, n))
        p, r = ex.project(u, v)
        np.testing.assert_allclose(p + r, u, atol=ATOL)
        assert abs(np.dot(r, v)) <= ORTHO_ATOL * np.linalg.norm(u) * np.linalg.norm(v)
        np.testing.assert_allclose(abs(np.dot(p, v)), np.linalg.norm(p) * np.linalg.norm(v), rtol=1e-10)
        for scale in [3.0, -0.1]:
            np.testing.assert_allclose(ex.project(u, scale * v)[0], p, atol=1e-10)


def test_projecting_a_multiple_of_v_leaves_nothing():
    # Check that u = 2.5 v projects onto itself with a zero remainder.
    v = np.array([1.0, -2.0, 0.5])
    p, r = ex.project(2.5 * v, v)
    np.testing.assert_allclose(p, 2.5 * v, atol=ATOL)
    np.testing.assert_allclose(r, np.zeros(3), atol=ATOL)


def test_projection_onto_zero_vector_is_refused():
    # Check that projecting onto the zero vector raises instead of dividing by zero.
    with pytest.raises(ValueError, match="zero vector"):
        ex.project([1.0, 2.0], [0.0, 0.0])


def test_bad_input_gets_a_clear_error():
    # Check that the messages name the expected shapes and norm orders.
    with pytest.raises(ValueError, match=r"same shape"):
        ex.dot([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"shape \(n,\)"):
        ex.dot_loop(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"shape \(n,\)"):
        ex.norm([])
    with pytest.raises(ValueError, match="ord must be"):
        ex.norm([1.0, 2.0], ord=3)
