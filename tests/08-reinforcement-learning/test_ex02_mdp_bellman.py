"""Tests for ex02_mdp_bellman: the gridworld's table, Figures 3.2 and 3.5, and the Bellman equations."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("08-reinforcement-learning/ex02_mdp_bellman.py")

GAMMA = 0.9
ONE_DECIMAL = 0.05 + 1e-9  # the book prints one decimal

# Published values: Sutton & Barto (2nd ed.), Figure 3.2 (random policy) and Figure 3.5 (optimal).
FIGURE_3_2 = [
    [3.3, 8.8, 4.4, 5.3, 1.5],
    [1.5, 3.0, 2.3, 1.9, 0.5],
    [0.1, 0.7, 0.7, 0.4, -0.4],
    [-1.0, -0.4, -0.4, -0.6, -1.2],
    [-1.9, -1.3, -1.2, -1.4, -2.0],
]
FIGURE_3_5 = [
    [22.0, 24.4, 22.0, 19.4, 17.5],
    [19.8, 22.0, 19.8, 17.8, 16.0],
    [17.8, 19.8, 17.8, 16.0, 14.4],
    [16.0, 17.8, 16.0, 14.4, 13.0],
    [14.4, 16.0, 14.4, 13.0, 11.7],
]


def test_gridworld_table_by_hand():
    # Check the rules of Example 3.5 on a few cells (state = row * 5 + col; actions up, right, down, left).
    P = ex.make_gridworld()
    assert P[1][2] == [(1.0, 21, 10.0, False)]  # A = (0, 1) jumps to A' = (4, 1), whatever the action
    assert P[3][0] == [(1.0, 13, 5.0, False)]  # B = (0, 3) jumps to B' = (2, 3)
    assert P[0][0] == [(1.0, 0, -1.0, False)] and P[0][3] == [(1.0, 0, -1.0, False)]  # off the grid
    assert P[6][1] == [(1.0, 7, 0.0, False)] and P[24][2] == [(1.0, 24, -1.0, False)]
    assert len(P) == 25 and all(len(P[s]) == 4 for s in P)


def test_figure_3_2_random_policy_values():
    # Check the published Figure 3.2 to one decimal.
    V = ex.solve_policy_values(ex.make_gridworld(), np.full((25, 4), 0.25), GAMMA)
    np.testing.assert_allclose(V.reshape(5, 5), FIGURE_3_2, atol=ONE_DECIMAL)


def test_figure_3_5_optimal_values():
    # Check the published Figure 3.5 to one decimal.
    V = ex.optimal_values(ex.make_gridworld(), GAMMA)
    np.testing.assert_allclose(V.reshape(5, 5), FIGURE_3_5, atol=ONE_DECIMAL)


def test_policy_values_satisfy_the_bellman_equation(rng):
    # Check V = sum_a pi(a|s) q_V(s, a) for a random policy, on a random MDP with terminal outcomes.
    P = {s: {a: [(0.3, int(rng.integers(6)), float(rng.normal()), False), (0.7, int(rng.integers(6)), 1.0, bool(a == 1))]
             for a in range(3)} for s in range(6)}
    policy = rng.dirichlet(np.ones(3), size=6)  # (6, 3)
    V = ex.solve_policy_values(P, policy, 0.8)
    q = ex.action_values(P, V, 0.8)
    np.testing.assert_allclose((policy * q).sum(axis=1), V, atol=1e-10)


def test_policy_matrices_by_hand():
    # Check by hand on two states: from 0, action 0 stays (r 1), action 1 terminates (r 5); 50/50 policy:
    # r_pi[0] = 0.5 * 1 + 0.5 * 5 = 3, P_pi[0] = [0.5, 0] (the terminal outcome carries no future).
    P = {0: {0: [(1.0, 0, 1.0, False)], 1: [(1.0, 1, 5.0, True)]}, 1: {0: [(1.0, 1, 0.0, True)], 1: [(1.0, 1, 0.0, True)]}}
    P_pi, r_pi = ex.policy_matrices(P, np.full((2, 2), 0.5))
    np.testing.assert_allclose(P_pi, [[0.5, 0.0], [0.0, 0.0]])
    np.testing.assert_allclose(r_pi, [3.0, 0.0])
    # and V(0) = 3 + 0.9 * 0.5 V(0)  =>  V(0) = 3 / 0.55
    np.testing.assert_allclose(ex.solve_policy_values(P, np.full((2, 2), 0.5), 0.9)[0], 3 / 0.55)


def test_optimal_values_beat_every_deterministic_policy(rng):
    # Check the defining property of V*: it is at least the value of every policy (here 50 random ones).
    P = ex.make_gridworld()
    V_star = ex.optimal_values(P, GAMMA)
    for _ in range(50):
        policy = np.eye(4)[rng.integers(4, size=25)]  # (25, 4) one-hot
        assert np.all(ex.solve_policy_values(P, policy, GAMMA) <= V_star + 1e-8)


def test_optimal_actions_in_cell_a():
    # Check Figure 3.5's policy: in A every action is optimal (all jump to A'), at (0, 0) right is the only one.
    P = ex.make_gridworld()
    best = ex.optimal_actions(P, ex.optimal_values(P, GAMMA), GAMMA)
    assert best[1].all() and best[0].tolist() == [False, True, False, False]


def test_bad_input_gets_clear_errors():
    # Check the messages for a policy of the wrong shape or not summing to one, and gamma = 1.
    P = ex.make_gridworld()
    with pytest.raises(ValueError, match="policy must have shape"):
        ex.policy_matrices(P, np.full((25, 3), 1 / 3))
    with pytest.raises(ValueError, match="rows summing to 1"):
        ex.policy_matrices(P, np.full((25, 4), 0.3))
    with pytest.raises(ValueError, match="gamma"):
        ex.solve_policy_values(P, np.full((25, 4), 0.25), 1.0)
