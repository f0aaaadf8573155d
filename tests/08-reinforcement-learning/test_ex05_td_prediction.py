"""Tests for ex05_td_prediction: hand-worked updates, Example 6.2's true values and its TD-versus-MC result."""

import numpy as np
import pytest

import utils
from utils import envs

ex = utils.load_exercise("08-reinforcement-learning/ex05_td_prediction.py")

VALUE_ATOL = 0.04  # averaged estimates of a constant-alpha method still wander by a few hundredths


def test_true_values_are_one_sixth_to_five_sixths():
    # Check Example 6.2's published true values against the linear system V = r + P V of the random walk.
    P = envs.RandomWalkEnv(5).P
    T, R = envs.transition_arrays(P)  # (7, 2, 7), (7, 2)
    T_pi, r_pi = T.mean(axis=1), R.mean(axis=1)  # the 50/50 policy
    V = np.linalg.solve(np.eye(7) - T_pi, r_pi)
    np.testing.assert_allclose(V[1:6], np.arange(1, 6) / 6, atol=1e-12)
    np.testing.assert_allclose(ex.TRUE_VALUES, V[1:6], atol=1e-12)


def test_td0_update_by_hand():
    # Check by hand: episode C, D, E, right end (rewards 0, 0, 1), V = 0.5, alpha = 0.1:
    # V(C) and V(D) do not move (0 + 0.5 - 0.5 = 0); V(E) += 0.1 (1 + 0 - 0.5) = 0.55. With gamma = 0.9,
    # V(C) += 0.1 (0.9 * 0.5 - 0.5) = 0.495.
    states, rewards = np.array([3, 4, 5, 6]), np.array([0.0, 0.0, 1.0])
    V = np.r_[0.0, np.full(5, 0.5), 0.0]
    ex.td0_update(V, states, rewards, alpha=0.1)
    np.testing.assert_allclose(V, [0, 0.5, 0.5, 0.5, 0.5, 0.55, 0])
    V = np.r_[0.0, np.full(5, 0.5), 0.0]
    ex.td0_update(V, states, rewards, alpha=0.1, gamma=0.9)
    np.testing.assert_allclose(V[3], 0.495)


def test_td0_uses_the_updated_estimate_within_an_episode():
    # Check by hand that updates happen in time order, each seeing the ones before it. V(B) = 1, all else 0,
    # alpha = 0.5, episode C, B, C, B, A, left end, rewards 0: V(C) = 0.5; V(B) = 1 + 0.5 (0.5 - 1) = 0.75;
    # V(C) = 0.5 + 0.5 (0.75 - 0.5) = 0.625; V(B) = 0.75 + 0.5 (0 - 0.75) = 0.375; V(A) = 0.
    V = np.array([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    ex.td0_update(V, np.array([3, 2, 3, 2, 1, 0]), np.zeros(5), alpha=0.5)
    np.testing.assert_allclose(V[1:4], [0.0, 0.375, 0.625])


def test_returns_by_hand():
    # Check by hand with gamma = 0.5: rewards 1, 0, 2 give G = (1 + 0 + 0.25 * 2, 0 + 0.5 * 2, 2) = (1.5, 1, 2).
    np.testing.assert_allclose(ex.returns(np.array([1.0, 0.0, 2.0]), gamma=0.5), [1.5, 1.0, 2.0])
    np.testing.assert_allclose(ex.returns(np.array([0.0, 0.0, 1.0])), [1.0, 1.0, 1.0])


def test_mc_update_by_hand():
    # Check by hand: episode C, B, A, left end (all rewards 0), alpha = 0.1: every visited state moves
    # from 0.5 to 0.45 (G = 0), the others stay.
    V = np.r_[0.0, np.full(5, 0.5), 0.0]
    ex.mc_update(V, np.array([3, 2, 1, 0]), np.zeros(3), alpha=0.1)
    np.testing.assert_allclose(V, [0, 0.45, 0.45, 0.45, 0.5, 0.5, 0])


@pytest.mark.parametrize("update", ["td0_update", "mc_update"])
def test_both_methods_converge_to_the_true_values(update):
    # Check that with a small step each method's estimates, averaged over late episodes, reach i / 6.
    rng, env = np.random.default_rng(3), envs.RandomWalkEnv(5)
    env.reset(seed=3)
    V, late = np.r_[0.0, np.full(5, 0.5), 0.0], []
    for episode in range(1500):
        getattr(ex, update)(V, *ex.run_episode(env, rng), alpha=0.02)
        if episode >= 500:
            late.append(V[1:6].copy())
    np.testing.assert_allclose(np.mean(late, axis=0), np.arange(1, 6) / 6, atol=VALUE_ATOL)


def test_example_6_2_td_beats_mc():
    # Check Example 6.2's result: after 100 episodes TD(0) (alpha 0.1) has a lower RMS error than the best
    # constant-alpha MC of the figure (alpha 0.02), averaged over runs; both start at sqrt(mean (0.5 - i/6)^2).
    td, mc = ex.rms_curve("td", 0.1, n_runs=40, seed=5), ex.rms_curve("mc", 0.02, n_runs=40, seed=5)
    start = np.sqrt(np.mean((0.5 - np.arange(1, 6) / 6) ** 2))
    np.testing.assert_allclose([td[0], mc[0]], start)
    assert td[100] < mc[100] < start and td[100] < 0.08


def test_bad_arguments_get_clear_errors():
    # Check the messages for an unknown method and a bad number of runs.
    with pytest.raises(ValueError, match="method"):
        ex.rms_curve("sarsa", 0.1)
    with pytest.raises(ValueError, match="n_runs"):
        ex.rms_curve("td", 0.1, n_runs=0)
