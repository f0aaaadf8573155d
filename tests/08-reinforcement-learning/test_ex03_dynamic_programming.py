"""Tests for ex03_dynamic_programming: Figure 4.1, linear-system references and optimality on FrozenLake."""

import numpy as np
import pytest

import utils
from utils import envs

ex = utils.load_exercise("08-reinforcement-learning/ex03_dynamic_programming.py")

ATOL = 1e-8
UNIFORM = np.full((16, 4), 0.25)

# Published: Sutton & Barto (2nd ed.), Figure 4.1, k = infinity (integers exactly).
FIGURE_4_1 = [[0, -14, -20, -22], [-14, -18, -20, -20], [-20, -20, -18, -14], [-22, -20, -14, 0]]


def exact_values(P, policy, gamma):
    """Independent reference: V_pi from (I - gamma T_pi) V = r_pi, solved by np.linalg.solve."""
    T, R = envs.transition_arrays(P)  # (S, A, S), (S, A)
    T_pi, r_pi = np.einsum("sa,sat->st", policy, T), (policy * R).sum(axis=1)
    return np.linalg.solve(np.eye(len(r_pi)) - gamma * T_pi, r_pi)


def test_figure_4_1_converged_values():
    # Check Figure 4.1's k = infinity values exactly after rounding.
    V = ex.policy_evaluation(envs.GridworldEnv().P, UNIFORM, gamma=1.0)
    np.testing.assert_array_equal(np.round(V).reshape(4, 4), FIGURE_4_1)
    np.testing.assert_allclose(V.reshape(4, 4), FIGURE_4_1, atol=1e-6)


def test_figure_4_1_early_sweeps_by_hand():
    # Check by hand: after one synchronous sweep every non-terminal state is -1; after two, a state next to
    # a terminal corner is -1 - 3/4 * 1 = -1.75 (one move in four ends), the others -2.
    P = envs.GridworldEnv().P
    V1 = ex.policy_evaluation(P, UNIFORM, 1.0, max_sweeps=1)
    np.testing.assert_allclose(V1, [0] + [-1] * 14 + [0])
    V2 = ex.policy_evaluation(P, UNIFORM, 1.0, max_sweeps=2).reshape(4, 4)
    assert V2[0, 1] == -1.75 and V2[1, 0] == -1.75 and V2[1, 1] == -2.0 and V2[0, 3] == -2.0


@pytest.mark.parametrize("gamma", [0.9, 0.99])
def test_policy_evaluation_matches_the_linear_system_on_frozenlake(gamma, rng):
    # Check against np.linalg.solve on slippery 8x8 FrozenLake for a random stochastic policy.
    P = envs.FrozenLakeEnv("8x8").P
    policy = rng.dirichlet(np.ones(4), size=64)  # (64, 4)
    np.testing.assert_allclose(ex.policy_evaluation(P, policy, gamma), exact_values(P, policy, gamma), atol=ATOL)


@pytest.mark.parametrize("name", ["4x4", "8x8"])
def test_value_iteration_is_optimal_on_frozenlake(name, rng):
    # Check V* = value of the returned policy (by solve), V* = max_a q (the optimality equation),
    # and V* >= the value of 30 random deterministic policies.
    P, gamma = envs.FrozenLakeEnv(name).P, 0.95
    V, policy = ex.value_iteration(P, gamma)
    T, R = envs.transition_arrays(P)
    assert policy.shape == R.shape and np.all(policy.sum(axis=1) == 1)
    np.testing.assert_allclose(exact_values(P, policy, gamma), V, atol=1e-7)
    np.testing.assert_allclose((R + gamma * T @ V).max(axis=1), V, atol=1e-9)
    for _ in range(30):
        other = np.eye(4)[rng.integers(4, size=len(V))]
        assert np.all(exact_values(P, other, gamma) <= V + 1e-8)


def test_policy_iteration_agrees_with_value_iteration():
    # Check that both find the same optimal values on the 8x8 lake and on Figure 4.1's gridworld.
    for P, gamma in [(envs.FrozenLakeEnv("8x8").P, 0.99), (envs.GridworldEnv().P, 1.0)]:
        V_pi, policy, n_policies = ex.policy_iteration(P, gamma)
        V_vi, _ = ex.value_iteration(P, gamma)
        np.testing.assert_allclose(V_pi, V_vi, atol=1e-6)
        assert 1 <= n_policies < 20 and np.all(policy.sum(axis=1) == 1)
    np.testing.assert_allclose(V_vi.reshape(4, 4), -np.array([[0, 1, 2, 3], [1, 2, 3, 2], [2, 3, 2, 1], [3, 2, 1, 0]]))


def test_deterministic_lake_walks_the_shortest_path():
    # Check by hand: without slipping, the goal of the 4x4 lake is 6 steps away, so V*(start) = gamma^5.
    V, _ = ex.value_iteration(envs.FrozenLakeEnv("4x4", is_slippery=False).P, 0.9)
    np.testing.assert_allclose(V[0], 0.9**5)


def test_bad_input_gets_clear_errors():
    # Check the messages for a policy of the wrong shape and a gamma outside [0, 1].
    P = envs.GridworldEnv().P
    with pytest.raises(ValueError, match="policy must have shape"):
        ex.policy_evaluation(P, np.full((16, 3), 1 / 3), 0.9)
    with pytest.raises(ValueError, match="gamma"):
        ex.policy_evaluation(P, UNIFORM, 1.5)
