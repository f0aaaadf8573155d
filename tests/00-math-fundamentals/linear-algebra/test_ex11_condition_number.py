"""Tests for ex11_condition_number: kappa, Hilbert matrices and the perturbation bound."""

import numpy as np
import pytest
import scipy.linalg

import utils

ex = utils.load_exercise("00-math-fundamentals/linear-algebra/ex11_condition_number.py")

RTOL = 1e-10
BOUND_SLACK = 1 + 1e-6  # the bound holds up to round-off in the two solves


def _orthogonal(rng, n):
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return Q


def test_condition_number_matches_numpy(rng):
    # Check that kappa agrees with np.linalg.cond (2-norm) on random square, tall and wide matrices.
    for shape in [(2, 2), (5, 5), (8, 3), (3, 8)]:
        A = rng.standard_normal(shape)
        np.testing.assert_allclose(ex.condition_number(A), np.linalg.cond(A), rtol=RTOL)


def test_diagonal_matrices_by_hand():
    # Check that kappa(diag(1, 1e-3)) = 1000 and kappa(diag(-2, 0.5)) = 2 / 0.5 = 4, worked by hand
    # (singular values are |d_i|, so a negative entry must not change the answer).
    assert ex.condition_number(np.diag([1.0, 1e-3])) == pytest.approx(1000.0)
    assert ex.condition_number(np.diag([-2.0, 0.5])) == pytest.approx(4.0)


def test_identity_orthogonal_and_scaled_have_kappa_one(rng):
    # Check that kappa = 1 for I, for 1e-6 * I (kappa is scale-free: it is not ||A|| or det A), and
    # for random orthogonal matrices (they keep every length).
    assert ex.condition_number(np.eye(4)) == pytest.approx(1.0)
    assert ex.condition_number(1e-6 * np.eye(4)) == pytest.approx(1.0)
    for n in [2, 6, 20]:
        assert ex.condition_number(_orthogonal(rng, n)) == pytest.approx(1.0, rel=1e-12)


def test_condition_number_is_invariant_under_orthogonal_factors(rng):
    # Check that kappa(Q A Z) = kappa(A) for orthogonal Q, Z, and kappa(A^{-1}) = kappa(A).
    A = rng.standard_normal((5, 5))
    QAZ = _orthogonal(rng, 5) @ A @ _orthogonal(rng, 5)
    np.testing.assert_allclose(ex.condition_number(QAZ), ex.condition_number(A), rtol=1e-8)
    np.testing.assert_allclose(ex.condition_number(np.linalg.inv(A)), ex.condition_number(A), rtol=1e-8)


@pytest.mark.parametrize(
    "A",
    [np.array([[1.0, 2.0], [2.0, 4.0]]), np.zeros((3, 3)), np.diag([1.0, 1e-17]), np.ones((4, 2))],
    ids=["rank-1", "zero", "tiny-sigma", "rank-1-tall"],
)
def test_singular_matrices_give_inf(A):
    # Check that the documented contract holds: numerically singular -> inf (no 0 / 0, no warning).
    assert ex.condition_number(A) == np.inf


def test_inf_exactly_when_numpy_says_rank_deficient():
    # Check that the threshold agrees with np.linalg.matrix_rank on Hilbert matrices, which
    # cross it between n = 10 and n = 11.
    for n in range(2, 14):
        H = scipy.linalg.hilbert(n)
        assert (ex.condition_number(H) == np.inf) == (np.linalg.matrix_rank(H) < n), n


def test_hilbert_matches_scipy():
    # Check that hilbert agrees with scipy.linalg.hilbert, and H_2 = [[1, 1/2], [1/2, 1/3]] by hand.
    for n in [1, 2, 5, 9]:
        np.testing.assert_allclose(ex.hilbert(n), scipy.linalg.hilbert(n), rtol=1e-15)
    np.testing.assert_allclose(ex.hilbert(2), [[1.0, 0.5], [0.5, 1 / 3]])


def test_hilbert_condition_numbers():
    # Check that kappa(H_n) agrees with np.linalg.cond for n <= 10 and grows at every step.
    kappas = [ex.condition_number(ex.hilbert(n)) for n in range(1, 11)]
    np.testing.assert_allclose(kappas, [np.linalg.cond(scipy.linalg.hilbert(n)) for n in range(1, 11)], rtol=1e-6)
    assert np.all(np.diff(kappas) > 0)


def test_sensitivity_by_hand():
    # Check that A = diag(1, 1e-3), b = (2, 0) gives x = (2, 0) (worked by hand); db = (0, 2e-6) gives
    # dx = (0, 2e-3): relative change in b is 1e-6, in x 1e-3 = kappa * 1e-6.
    rel_x, rel_b = ex.solution_sensitivity(np.diag([1.0, 1e-3]), np.array([2.0, 0.0]), np.array([0.0, 2e-6]))
    assert rel_b == pytest.approx(1e-6)
    assert rel_x == pytest.approx(1e-3)


def test_perturbation_bound_holds(rng):
    # Check that ||dx|| / ||x|| <= kappa * ||db|| / ||b|| for many random systems and perturbations,
    # including ill-conditioned ones (singular values spread over six decades).
    for _ in range(30):
        n = rng.integers(2, 8)
        sigmas = np.logspace(0, -rng.uniform(0, 6), n)
        A = _orthogonal(rng, n) @ np.diag(sigmas) @ _orthogonal(rng, n)
        b, db = rng.standard_normal(n), 1e-8 * rng.standard_normal(n)
        rel_x, rel_b = ex.solution_sensitivity(A, b, db)
        assert rel_x <= BOUND_SLACK * ex.condition_number(A) * rel_b


def test_worst_case_attains_the_bound(rng):
    # Check that b = u_1, db = eps u_n makes the bound an equality, with ||db|| = eps ||b||.
    A = _orthogonal(rng, 4) @ np.diag([50.0, 7.0, 2.0, 0.1]) @ _orthogonal(rng, 4)
    b, db = ex.worst_case_perturbation(A, 1e-7)
    assert np.linalg.norm(db) == pytest.approx(1e-7 * np.linalg.norm(b))
    rel_x, rel_b = ex.solution_sensitivity(A, b, db)
    np.testing.assert_allclose(rel_x, 500.0 * rel_b, rtol=1e-6)


def test_best_case_direction_barely_moves_x(rng):
    # Check that the other extreme holds as a property of the pair: db along u_1 when b is along u_n moves
    # x by only (1 / kappa) * eps, so the worst case really depends on the directions.
    A = _orthogonal(rng, 3) @ np.diag([100.0, 1.0, 0.01]) @ _orthogonal(rng, 3)
    U = np.linalg.svd(A)[0]
    rel_x, rel_b = ex.solution_sensitivity(A, U[:, 2], 1e-6 * U[:, 0])
    np.testing.assert_allclose(rel_x, rel_b / 1e4, rtol=1e-6)


def test_bad_input_is_refused():
    # Check that bad input gets a clear error: a non-square system, a zero b, mismatched shapes, bad n and eps.
    with pytest.raises(ValueError, match=r"square matrix of shape \(n, n\)"):
        ex.solution_sensitivity(np.ones((3, 2)), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="b must be nonzero"):
        ex.solution_sensitivity(np.eye(2), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        ex.solution_sensitivity(np.eye(2), np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"shape \(m, n\)"):
        ex.condition_number(np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        ex.condition_number(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="positive integer"):
        ex.hilbert(0)
    with pytest.raises(ValueError, match="eps must be positive"):
        ex.worst_case_perturbation(np.eye(2), 0.0)
