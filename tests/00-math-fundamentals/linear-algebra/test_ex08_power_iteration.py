"""Tests for ex08_power_iteration: power iteration, its stopping rule, and deflation."""

import warnings

import numpy as np
import pytest

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex08_power_iteration.py")

# A ConvergenceWarning (a UserWarning) where convergence is expected is a failure; the tests
# that expect one catch it with pytest.warns.
pytestmark = pytest.mark.filterwarnings("error::UserWarning")

VALUE_RTOL = 1e-8  # eigenvalues: the residual test bounds their error by tol * ||A||_F
VECTOR_ATOL = 1e-6  # eigenvectors: error about residual / eigengap
EXACT_ATOL = 1e-12


def _random_symmetric(rng, eigenvalues):
    """Q diag(eigenvalues) Q^T with a random orthogonal Q, built here independently."""
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    Q, _ = np.linalg.qr(rng.standard_normal((eigenvalues.size, eigenvalues.size)))
    return Q @ np.diag(eigenvalues) @ Q.T, Q


def _assert_same_up_to_sign(u, v, atol=VECTOR_ATOL):
    sign = np.sign(u @ v) or 1.0
    np.testing.assert_allclose(sign * u, v, atol=atol)


def test_power_iteration_by_hand():
    # Check that [[2, 1], [1, 2]] gives eigenvalue 3 with vector (1, 1)/sqrt 2 (the other is 1), worked by hand.
    value, vector, n_iter = ex.power_iteration(np.array([[2.0, 1.0], [1.0, 2.0]]), random_state=0)
    assert value == pytest.approx(3.0, rel=VALUE_RTOL)
    _assert_same_up_to_sign(vector, np.array([1.0, 1.0]) / np.sqrt(2))
    assert 1 <= n_iter < 1000


def test_power_iteration_matches_eigh(rng):
    # Check that the dominant pair agrees with np.linalg.eigh on random symmetric matrices.
    for n in [2, 5, 12]:
        M = rng.standard_normal((n, n))
        A = M + M.T
        ref_values, ref_vectors = np.linalg.eigh(A)
        j = np.argmax(np.abs(ref_values))
        value, vector, _ = ex.power_iteration(A, tol=1e-12, max_iter=100_000, random_state=rng)
        np.testing.assert_allclose(value, ref_values[j], rtol=VALUE_RTOL)
        _assert_same_up_to_sign(vector, ref_vectors[:, j])
        assert np.linalg.norm(vector) == pytest.approx(1.0)


def test_negative_dominant_eigenvalue(rng):
    # Check that a dominant eigenvalue of -7 comes back as -7, not +7 (the Rayleigh
    # quotient keeps the sign; ||A v|| would not), even though v flips every step.
    A, Q = _random_symmetric(rng, [-7.0, 3.0, 1.0, 0.5])
    value, vector, _ = ex.power_iteration(A, random_state=rng)
    np.testing.assert_allclose(value, -7.0, rtol=VALUE_RTOL)
    _assert_same_up_to_sign(vector, Q[:, 0])


def test_residual_meets_the_tolerance(rng):
    # Check that the stopping rule keeps its promise: ||A v - lambda v|| <= tol * ||A||_F on return.
    A, _ = _random_symmetric(rng, [5.0, 4.5, 1.0, -2.0, 0.1])
    tol = 1e-9
    value, vector, _ = ex.power_iteration(A, tol=tol, random_state=rng)
    assert np.linalg.norm(A @ vector - value * vector) <= tol * np.linalg.norm(A)


@pytest.mark.parametrize("size", [1e-12, 1e12])
def test_tiny_and_huge_matrices_scale_the_answer(rng, size):
    # Check that the tolerance is relative: size * A has eigenvalue size * lambda and the
    # same eigenvector (an absolute tolerance stops at once for tiny A, never for huge A).
    A, Q = _random_symmetric(rng, [3.0, 1.0, -0.5])
    value, vector, _ = ex.power_iteration(size * A, random_state=rng)
    np.testing.assert_allclose(value, 3.0 * size, rtol=VALUE_RTOL)
    _assert_same_up_to_sign(vector, Q[:, 0])


def test_fewer_steps_for_a_smaller_ratio(rng):
    # Check that |lambda_2/lambda_1| = 0.2 needs fewer steps than 0.95 (same tol), and that
    # the count is about log(tol) / log(ratio), not, say, a fixed number.
    fast, _ = _random_symmetric(rng, [10.0, 2.0, 1.0])
    slow, _ = _random_symmetric(rng, [10.0, 9.5, 1.0])
    _, _, n_fast = ex.power_iteration(fast, tol=1e-10, random_state=1)
    _, _, n_slow = ex.power_iteration(slow, tol=1e-10, random_state=1)
    assert n_fast < 30 < 200 < n_slow < 1000


def test_path_is_normalised_powers(rng):
    # Check that each row of the path equals A^t v0 / ||A^t v0|| computed with matrix_power.
    A, _ = _random_symmetric(rng, [3.0, -2.0, 1.0])
    v0 = rng.standard_normal(3)
    path = ex.power_iteration_path(A, v0, 6)
    assert path.shape == (7, 3)
    for t in range(7):
        w = np.linalg.matrix_power(A, t) @ v0
        np.testing.assert_allclose(path[t], w / np.linalg.norm(w), atol=EXACT_ATOL)


def test_top_k_matches_eigh(rng):
    # Check that the top k by |eigenvalue| agree with np.linalg.eigh, vectors up to sign,
    # with mixed signs so that "largest" must mean largest in absolute value.
    eigenvalues = [8.0, -6.0, 4.0, -2.5, 1.0, 0.3]
    A, _ = _random_symmetric(rng, eigenvalues)
    values, vectors = ex.top_k_eigen(A, 4, random_state=rng)
    ref_values, ref_vectors = np.linalg.eigh(A)
    order = np.argsort(-np.abs(ref_values))[:4]
    np.testing.assert_allclose(values, ref_values[order], rtol=VALUE_RTOL)
    for i, j in enumerate(order):
        _assert_same_up_to_sign(vectors[:, i], ref_vectors[:, j])
    np.testing.assert_allclose(vectors.T @ vectors, np.eye(4), atol=VECTOR_ATOL)


def test_top_k_all_reconstructs_the_matrix(rng):
    # Check that with k = n the pairs rebuild A = V diag(lambda) V^T (spectral theorem).
    M = rng.standard_normal((5, 5))
    A = M + M.T + 12 * np.eye(5)  # shifts the spectrum so |eigenvalues| are distinct in practice
    values, vectors = ex.top_k_eigen(A, 5, tol=1e-12, max_iter=100_000, random_state=rng)
    np.testing.assert_allclose(vectors @ np.diag(values) @ vectors.T, A, atol=1e-6)


def test_repeated_eigenvalue_gives_a_basis_of_the_eigenspace(rng):
    # Check that the contract holds for a repeated eigenvalue 5, 5: both values are right and the two
    # vectors are an orthonormal basis of the eigenspace (same projector Q2 Q2^T), even though
    # each vector on its own is not unique.
    A, Q = _random_symmetric(rng, [5.0, 5.0, 2.0, 1.0])
    values, vectors = ex.top_k_eigen(A, 3, random_state=rng)
    np.testing.assert_allclose(values, [5.0, 5.0, 2.0], rtol=VALUE_RTOL)
    np.testing.assert_allclose(vectors[:, :2] @ vectors[:, :2].T, Q[:, :2] @ Q[:, :2].T, atol=VECTOR_ATOL)
    _assert_same_up_to_sign(vectors[:, 2], Q[:, 2])


def test_rank_deficient_and_zero_matrices(rng):
    # Check that eigenvalue 0 is found without dividing by zero: a rank-1 matrix asked for
    # k = 3 returns 4, 0, 0 with orthonormal vectors, and the zero matrix returns 0.
    q = rng.standard_normal(3)
    q /= np.linalg.norm(q)
    values, vectors = ex.top_k_eigen(4.0 * np.outer(q, q), 3, random_state=rng)
    np.testing.assert_allclose(values, [4.0, 0.0, 0.0], atol=1e-8)
    _assert_same_up_to_sign(vectors[:, 0], q)
    np.testing.assert_allclose(vectors.T @ vectors, np.eye(3), atol=VECTOR_ATOL)
    value, vector, _ = ex.power_iteration(np.zeros((3, 3)), random_state=rng)
    assert value == 0.0 and np.linalg.norm(vector) == pytest.approx(1.0)


def test_diagonal_matrix_by_hand():
    # Check that diag(1, -4, 2) has top two pairs (-4, e_2), (2, e_3) (worked by hand).
    values, vectors = ex.top_k_eigen(np.diag([1.0, -4.0, 2.0]), 2, random_state=3)
    np.testing.assert_allclose(values, [-4.0, 2.0], rtol=VALUE_RTOL)
    np.testing.assert_allclose(np.abs(vectors), [[0, 0], [1, 0], [0, 1]], atol=VECTOR_ATOL)


def test_too_few_steps_warn_and_return_the_estimate(rng):
    # Check that the documented contract holds: when max_iter is too small we get a ConvergenceWarning,
    # n_iter == max_iter, and a unit-length estimate that is still the best so far.
    A, _ = _random_symmetric(rng, [10.0, 9.0, 1.0])
    with pytest.warns(ex.ConvergenceWarning, match="max_iter=3"):
        value, vector, n_iter = ex.power_iteration(A, max_iter=3, random_state=rng)
    assert n_iter == 3
    assert np.linalg.norm(vector) == pytest.approx(1.0)
    assert value == pytest.approx(vector @ A @ vector)


def test_no_warning_when_converged(rng):
    # Check that a run that meets the tolerance is silent.
    A, _ = _random_symmetric(rng, [10.0, 1.0, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.power_iteration(A, random_state=rng)


def test_equal_and_opposite_eigenvalues_never_converge():
    # Check that diag(3, -3) (no single dominant direction: v flips between two directions)
    # ends in the warning rather than a wrong "converged" answer.
    with pytest.warns(ex.ConvergenceWarning):
        ex.power_iteration(np.diag([3.0, -3.0]), max_iter=200, random_state=0)


@pytest.mark.parametrize(
    "A, message",
    [
        (np.ones((2, 3)), "square"),
        (np.ones(3), "square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), "finite"),
    ],
    ids=["non-square", "vector", "non-symmetric", "nan"],
)
def test_bad_matrices_are_refused(A, message):
    # Check that the message names what was expected.
    with pytest.raises(ValueError, match=message):
        ex.power_iteration(A)
    with pytest.raises(ValueError, match=message):
        ex.top_k_eigen(A, 1)


@pytest.mark.parametrize("k", [0, 4, 1.5])
def test_k_out_of_range_is_refused(k):
    # Check that k must be an integer in 1..n.
    with pytest.raises(ValueError, match="k must be"):
        ex.top_k_eigen(np.eye(3), k)


def test_bad_tolerance_or_max_iter_is_refused():
    # Check that tol > 0 and max_iter >= 1 are enforced.
    with pytest.raises(ValueError, match="tol"):
        ex.power_iteration(np.eye(2), tol=0.0)
    with pytest.raises(ValueError, match="max_iter"):
        ex.power_iteration(np.eye(2), max_iter=0)
