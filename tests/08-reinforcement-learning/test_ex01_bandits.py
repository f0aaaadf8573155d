"""Tests for ex01_bandits: hand-worked updates, action-choice statistics and Figure 2.2's curves."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("08-reinforcement-learning/ex01_bandits.py")

N_DRAWS = 20_000  # runs used for the frequency checks
FREQ_ATOL = 0.015  # about 4 standard errors of a frequency near 0.1-0.9 with N_DRAWS draws


def test_greedy_breaks_ties_uniformly(rng):
    # Check that with all estimates equal every arm is chosen about equally often (not always arm 0).
    counts = np.bincount(ex.greedy_actions(np.zeros((N_DRAWS, 4)), rng), minlength=4) / N_DRAWS
    np.testing.assert_allclose(counts, 0.25, atol=FREQ_ATOL)
    Q = np.array([[0.0, 2.0, 2.0, 1.0]] * N_DRAWS)
    counts = np.bincount(ex.greedy_actions(Q, rng), minlength=4) / N_DRAWS
    np.testing.assert_allclose(counts, [0, 0.5, 0.5, 0], atol=FREQ_ATOL)


def test_epsilon_greedy_frequencies(rng):
    # Check that the greedy arm is chosen with probability 1 - eps + eps / k (eps = 0.2, k = 5).
    Q = np.tile([0.0, 0.0, 3.0, 0.0, 0.0], (N_DRAWS, 1))
    actions = ex.epsilon_greedy_actions(Q, 0.2, rng)
    counts = np.bincount(actions, minlength=5) / N_DRAWS
    np.testing.assert_allclose(counts, [0.04, 0.04, 0.84, 0.04, 0.04], atol=FREQ_ATOL)
    assert np.all(ex.epsilon_greedy_actions(Q[:50], 0.0, rng) == 2)


def test_sample_average_update_equals_the_mean():
    # Check by hand: rewards 1, 2, 6 on arm 1 give Q = 3 (their mean) and N = 3; arm 0 untouched.
    Q, N = np.zeros((1, 2)), np.zeros((1, 2))
    for r in [1.0, 2.0, 6.0]:
        ex.update_estimates(Q, N, np.array([1]), np.array([r]))
    np.testing.assert_allclose(Q, [[0.0, 3.0]])
    np.testing.assert_allclose(N, [[0.0, 3.0]])


def test_constant_step_update_by_hand():
    # Check by hand with alpha = 0.5 from Q = 5: reward 1 gives 3, then reward 1 gives 2.
    Q, N = np.full((1, 1), 5.0), np.zeros((1, 1))
    ex.update_estimates(Q, N, np.array([0]), np.array([1.0]), alpha=0.5)
    ex.update_estimates(Q, N, np.array([0]), np.array([1.0]), alpha=0.5)
    np.testing.assert_allclose(Q, [[2.0]])


def test_ucb_tries_untried_arms_then_uses_the_bonus():
    # Check that an untried arm goes first, and by hand that Q + c sqrt(ln t / N) decides otherwise:
    # t = 10, c = 1: arm 0: 1 + sqrt(ln 10 / 9) = 1.506; arm 1: 0.8 + sqrt(ln 10 / 1) = 2.317.
    assert ex.ucb_actions(np.array([[5.0, 0.0, 1.0]]), np.array([[3.0, 0.0, 2.0]]), t=6, c=2.0)[0] == 1
    assert ex.ucb_actions(np.array([[1.0, 0.8]]), np.array([[9.0, 1.0]]), t=10, c=1.0)[0] == 1
    assert ex.ucb_actions(np.array([[1.0, 0.8]]), np.array([[9.0, 1.0]]), t=10, c=0.1)[0] == 0


def test_gradient_bandit_update_by_hand():
    # Check by hand with H = 0 (pi = 1/2 each), arm 0 chosen, reward 3, baseline 1, alpha 0.5:
    # H0 += 0.5 * 2 * (1 - 0.5) = 0.5, H1 += 0.5 * 2 * (0 - 0.5) = -0.5.
    H = np.zeros((1, 2))
    ex.gradient_bandit_update(H, np.array([0]), np.array([3.0]), np.array([1.0]), alpha=0.5)
    np.testing.assert_allclose(H, [[0.5, -0.5]])


def test_figure_2_2_epsilon_greedy_against_greedy():
    # Check Figure 2.2's published shape (2,000 runs in the book, 1,000 here): at steps 900-1000,
    # eps = 0.1 earns about 1.35-1.4 and picks the best arm about 80% of the time; greedy stays near 1.0.
    reward, optimal = ex.run_testbed("epsilon_greedy", n_runs=1000, n_steps=1000, epsilon=0.1, seed=1)
    assert 1.28 < reward[-100:].mean() < 1.45 and 0.74 < optimal[-100:].mean() < 0.86
    reward, optimal = ex.run_testbed("epsilon_greedy", n_runs=1000, n_steps=1000, epsilon=0.0, seed=1)
    assert 0.95 < reward[-100:].mean() < 1.12 and optimal[-100:].mean() < 0.45


def test_gradient_bandit_with_baseline_learns():
    # Check Figure 2.5's point: with q* around 4, the baseline makes learning work (far above 1/k).
    _, with_baseline = ex.run_testbed("gradient", n_runs=300, n_steps=500, alpha=0.1, true_mean=4.0, seed=2)
    assert with_baseline[-100:].mean() > 0.7


def test_bad_arguments_get_clear_errors():
    # Check the messages for an unknown method, a bad count, an impossible epsilon, and a NaN estimate.
    with pytest.raises(ValueError, match="method"):
        ex.run_testbed("softmax")
    with pytest.raises(ValueError, match="n_runs"):
        ex.run_testbed("ucb", n_runs=0)
    with pytest.raises(ValueError, match="epsilon"):
        ex.epsilon_greedy_actions(np.zeros((2, 2)), 1.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="Q must contain only finite"):  # a NaN estimate would never be chosen
        ex.greedy_actions(np.array([[np.nan, 0.0]]), np.random.default_rng(0))
