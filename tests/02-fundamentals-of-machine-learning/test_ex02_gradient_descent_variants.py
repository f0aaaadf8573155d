"""Tests for ex02_gradient_descent_variants: one loop, three batch sizes."""

import numpy as np
import pytest

import utils
from utils import data
from utils.gradcheck import check_gradient

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex02_gradient_descent_variants.py")

GRAD_TOL = 1e-6
HAND_ATOL = 1e-12  # hand-worked updates are exact up to round-off
BATCH_ATOL = 1e-6  # batch GD run to convergence vs the least-squares solution
MINIBATCH_ATOL = 0.02  # constant-lr mini-batch GD hovers near the minimum
SGD_ATOL = 0.05  # constant-lr SGD hovers a little further out


@pytest.fixture
def problem(rng):
    X, y, _ = data.make_linear_regression(n_samples=200, n_features=3, noise=0.1, intercept=-1.0, random_state=rng)
    A = np.column_stack([X, np.ones(len(X))])
    return X, y, np.linalg.lstsq(A, y, rcond=None)[0]  # the closed form, from np.linalg


def test_gradient_matches_finite_differences(rng):
    # Check dL/dw and dL/db against central differences.
    X, y = rng.standard_normal((12, 3)), rng.standard_normal(12)
    w, b = rng.standard_normal(3), np.array([-0.4])
    loss, dw, db = ex.mse_and_gradient(w, b[0], X, y)
    assert loss == pytest.approx(np.mean((X @ w + b[0] - y) ** 2))
    check_gradient(lambda w_: ex.mse_and_gradient(w_, b[0], X, y)[0], w, dw, tol=GRAD_TOL)
    check_gradient(lambda b_: ex.mse_and_gradient(w, b_[0], X, y)[0], b, np.array([db]), tol=GRAD_TOL)


@pytest.mark.parametrize(
    "batch_size, lr, n_epochs, atol",
    [(None, 0.3, 200, BATCH_ATOL), (16, 0.05, 60, MINIBATCH_ATOL), (1, 0.005, 30, SGD_ATOL)],
    ids=["batch", "mini-batch", "stochastic"],
)
def test_all_variants_converge_near_the_closed_form(problem, batch_size, lr, n_epochs, atol):
    # Check that each variant ends near the least-squares solution from np.linalg.lstsq.
    X, y, best = problem
    w, b, losses = ex.minibatch_gradient_descent(X, y, batch_size=batch_size, lr=lr, n_epochs=n_epochs, random_state=0)
    np.testing.assert_allclose(np.append(w, b), best, atol=atol)
    assert losses.shape == (n_epochs + 1,)
    assert losses[-1] < 0.01 * losses[0]


def test_losses_are_the_full_training_mse(problem):
    # Check that losses[0] is the MSE at the start and losses[-1] the MSE at the returned (w, b).
    X, y, _ = problem
    w, b, losses = ex.minibatch_gradient_descent(X, y, batch_size=10, lr=0.01, n_epochs=3, random_state=0)
    np.testing.assert_allclose(losses[0], np.mean(y**2))
    np.testing.assert_allclose(losses[-1], np.mean((X @ w + b - y) ** 2))


@pytest.mark.parametrize("fraction", [0.1, 1.0, 1.9])
def test_batch_loss_never_rises_below_the_threshold(problem, fraction):
    # Check that full-batch GD with lr < 2 / L_max lowers the loss at every epoch.
    # L_max is computed here from np.linalg.eigvalsh, independently of the script.
    X, y, _ = problem
    A = np.column_stack([X, np.ones(len(X))])
    L_max = np.linalg.eigvalsh(2 / len(X) * A.T @ A).max()
    np.testing.assert_allclose(ex.smoothness_constant(X), L_max, rtol=1e-10)
    losses = ex.batch_gradient_descent(X, y, lr=fraction / L_max, n_epochs=50)[2]
    assert np.all(np.diff(losses) <= 1e-12)


def test_batch_diverges_above_the_threshold(problem):
    # Check the other side of 2 / L_max: the loss grows.
    X, y, _ = problem
    L_max = ex.smoothness_constant(X)
    losses = ex.batch_gradient_descent(X, y, lr=2.2 / L_max, n_epochs=60)[2]
    assert losses[-1] > losses[0]


def test_one_sgd_epoch_by_hand():
    # Check by hand, no shuffling, X = [[1], [2]], y = [3, 5], lr = 0.1, start (0, 0).
    # Sample 1: r = -3, dw = 2*1*(-3) = -6, db = -6        -> w = 0.6,  b = 0.6
    # Sample 2: r = 0.6*2 + 0.6 - 5 = -3.2, dw = -12.8, db = -6.4 -> w = 1.88, b = 1.24
    X, y = np.array([[1.0], [2.0]]), np.array([3.0, 5.0])
    w, b, _ = ex.stochastic_gradient_descent(X, y, lr=0.1, n_epochs=1, shuffle=False)
    np.testing.assert_allclose(w, [1.88], atol=HAND_ATOL)
    np.testing.assert_allclose(b, 1.24, atol=HAND_ATOL)


def test_shuffled_sgd_is_n_single_sample_updates(rng):
    # Check the documented order: each epoch visits rng.permutation(n) with
    # rng = np.random.default_rng(random_state), one sample-gradient step per sample.
    X, y = rng.standard_normal((7, 2)), rng.standard_normal(7)
    lr, seed = 0.05, 42
    order_rng = np.random.default_rng(seed)
    w, b = np.zeros(2), 0.0
    for _ in range(2):
        for i in order_rng.permutation(7):
            r = X[i] @ w + b - y[i]
            w, b = w - lr * 2 * r * X[i], b - lr * 2 * r
    w_ex, b_ex, _ = ex.stochastic_gradient_descent(X, y, lr=lr, n_epochs=2, random_state=seed)
    np.testing.assert_allclose(w_ex, w, atol=HAND_ATOL)
    np.testing.assert_allclose(b_ex, b, atol=HAND_ATOL)


def test_uneven_last_batch_averages_over_its_own_size(rng):
    # Check n = 5, batch_size = 2, no shuffling: batches {0,1}, {2,3}, {4}; each step uses
    # the mean gradient of its own batch (the last one has size 1, not 2).
    X, y = rng.standard_normal((5, 2)), rng.standard_normal(5)
    lr = 0.1
    w, b = np.zeros(2), 0.0
    for batch in ([0, 1], [2, 3], [4]):
        r = X[batch] @ w + b - y[batch]
        w, b = w - lr * 2 * X[batch].T @ r / len(batch), b - lr * 2 * r.mean()
    w_ex, b_ex, _ = ex.minibatch_gradient_descent(X, y, batch_size=2, lr=lr, n_epochs=1, shuffle=False)
    np.testing.assert_allclose(w_ex, w, atol=HAND_ATOL)
    np.testing.assert_allclose(b_ex, b, atol=HAND_ATOL)


def test_same_seed_same_result_other_seed_other_result(problem):
    # Check reproducible shuffling: a seed fixes the run, another seed changes it.
    X, y, _ = problem
    run = lambda seed: ex.minibatch_gradient_descent(X, y, batch_size=8, lr=0.05, n_epochs=2, random_state=seed)[2]
    np.testing.assert_array_equal(run(3), run(3))
    assert not np.array_equal(run(3), run(4))


def test_batch_result_does_not_depend_on_shuffling(problem):
    # Check that the full batch sees the same gradient whatever the order (up to round-off).
    X, y, _ = problem
    a = ex.batch_gradient_descent(X, y, lr=0.1, n_epochs=5, random_state=0)[2]
    b = ex.batch_gradient_descent(X, y, lr=0.1, n_epochs=5, shuffle=False)[2]
    np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("batch_size", [0, -1, 201, 2.5, "32", True])
def test_bad_batch_size_is_refused(problem, batch_size):
    # Check the message names the valid range and the value that arrived.
    X, y, _ = problem
    with pytest.raises(ValueError, match=r"batch_size must be an integer between 1 and n_samples=200"):
        ex.minibatch_gradient_descent(X, y, batch_size=batch_size)


def test_other_bad_input_is_refused(problem):
    # Check a non-positive learning rate, mismatched lengths and a bad w_init.
    X, y, _ = problem
    with pytest.raises(ValueError, match="lr"):
        ex.minibatch_gradient_descent(X, y, lr=0.0)
    with pytest.raises(ValueError, match="same number of samples"):
        ex.minibatch_gradient_descent(X, y[:-1])
    with pytest.raises(ValueError, match="w_init"):
        ex.minibatch_gradient_descent(X, y, w_init=np.zeros(2))
