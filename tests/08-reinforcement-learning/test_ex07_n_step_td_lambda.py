"""Tests for ex07_n_step_td_lambda: updates by hand, the TD(0) and Monte Carlo limits, and Figure 7.2's shape."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("08-reinforcement-learning/ex07_n_step_td_lambda.py")

ATOL = 1e-12


def td0_reference(V, states, rewards, alpha, gamma=1.0):
    """Independent TD(0), written here from its textbook update."""
    for t in range(len(rewards)):
        V[states[t]] += alpha * (rewards[t] + gamma * V[states[t + 1]] - V[states[t]])


def mc_reference(V, states, rewards, alpha, gamma=1.0):
    """Independent every-visit constant-alpha Monte Carlo, applied in time order after the episode."""
    G = [sum(gamma ** (i - t) * rewards[i] for i in range(t, len(rewards))) for t in range(len(rewards))]
    for t in range(len(rewards)):
        V[states[t]] += alpha * (G[t] - V[states[t]])


def test_n_step_update_by_hand():
    # Check by hand, n = 2, alpha = 0.5, V = (0, .1, .2, .3, .4, .5, 0), episode 3, 2, 1, left end (rewards 0, 0, -1):
    # t=0: G = 0 + 0 + V(1) = .1 -> V(3) = .2; t=1: G = 0 - 1 = -1 -> V(2) = -.4; t=2: G = -1 -> V(1) = -.45.
    V = np.array([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0])
    ex.n_step_td_update(V, np.array([3, 2, 1, 0]), np.array([0.0, 0.0, -1.0]), n=2, alpha=0.5)
    np.testing.assert_allclose(V[1:4], [-0.45, -0.4, 0.2], atol=ATOL)


def test_n_step_limits_are_td0_and_monte_carlo(rng):
    # Check on random-walk episodes: n = 1 is TD(0) and n >= T is constant-alpha Monte Carlo (gamma 0.9 too).
    for states, rewards in ex.walk_episodes(5, rng):
        for gamma in (1.0, 0.9):
            start = rng.uniform(-1, 1, ex.N_STATES + 2)
            start[[0, -1]] = 0
            for n, reference in [(1, td0_reference), (len(rewards), mc_reference), (len(rewards) + 5, mc_reference)]:
                V, W = start.copy(), start.copy()
                ex.n_step_td_update(V, states, rewards, n, 0.3, gamma)
                reference(W, states, rewards, 0.3, gamma)
                np.testing.assert_allclose(V, W, atol=ATOL)


def test_td_lambda_by_hand_and_lambda_zero_is_td0(rng):
    # Check by hand: V = 0, episode 1, 2, end (rewards 0, 1), lambda = 0.5, alpha = 0.5: the first TD error is 0;
    # the second is 1 with traces e(1) = 0.5, e(2) = 1, so V(1) = 0.25, V(2) = 0.5. And lambda = 0 is TD(0).
    V = np.zeros(4)
    ex.td_lambda_update(V, np.array([1, 2, 3]), np.array([0.0, 1.0]), lam=0.5, alpha=0.5)
    np.testing.assert_allclose(V, [0, 0.25, 0.5, 0], atol=ATOL)
    V = np.zeros(4)  # the same with gamma = 0.5: the trace decays by gamma * lambda = 0.25, so V(1) = 0.125
    ex.td_lambda_update(V, np.array([1, 2, 3]), np.array([0.0, 1.0]), lam=0.5, alpha=0.5, gamma=0.5)
    np.testing.assert_allclose(V, [0, 0.125, 0.5, 0], atol=ATOL)
    for states, rewards in ex.walk_episodes(3, rng):
        start = rng.uniform(-1, 1, ex.N_STATES + 2)
        start[[0, -1]] = 0
        V, W = start.copy(), start.copy()
        ex.td_lambda_update(V, states, rewards, 0.0, 0.2, 0.9)
        td0_reference(W, states, rewards, 0.2, 0.9)
        np.testing.assert_allclose(V, W, atol=ATOL)


def test_td_lambda_one_is_close_to_monte_carlo_for_a_small_step(rng):
    # Check that with lambda = 1 and a tiny alpha, one episode's total change is (almost) Monte Carlo's
    # (they agree to first order in alpha).
    states, rewards = ex.walk_episodes(1, rng)[0]
    V, W = np.zeros(ex.N_STATES + 2), np.zeros(ex.N_STATES + 2)
    ex.td_lambda_update(V, states, rewards, 1.0, 1e-4)
    mc_reference(W, states, rewards, 1e-4)
    np.testing.assert_allclose(V, W, atol=1e-5)


def test_figure_7_2_intermediate_n_is_best():
    # Check Figure 7.2's message: at its best alpha, n = 4 has a lower error than n = 1 and n = 64.
    errors = ex.rms_over_alphas(ex.n_step_td_update, [1, 4, 64], [0.1, 0.2, 0.4, 0.6, 0.8], n_runs=8, seed=1)
    best = errors.min(axis=1)
    assert best[1] < best[0] and best[1] < best[2]
    np.testing.assert_allclose(ex.TRUE_VALUES, np.linspace(-0.9, 0.9, 19), atol=ATOL)


def test_bad_arguments_get_clear_errors():
    # Check the messages for n = 0 and lambda outside [0, 1].
    with pytest.raises(ValueError, match="n"):
        ex.n_step_td_update(np.zeros(4), np.array([1, 0]), np.array([0.0]), n=0, alpha=0.1)
    with pytest.raises(ValueError, match="lam"):
        ex.td_lambda_update(np.zeros(4), np.array([1, 0]), np.array([0.0]), lam=1.5, alpha=0.1)
