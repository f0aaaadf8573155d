"""Tests for ex06_sarsa_q_learning: the two targets by hand, terminal and time-limit handling, Q*, Figure 6.4."""

import numpy as np
import pytest

import utils
from utils import envs

ex = utils.load_exercise("08-reinforcement-learning/ex06_sarsa_q_learning.py")

N_DRAWS = 20_000
FREQ_ATOL = 0.015


def chain_env(max_episode_steps=None, final_reward=0.0):
    """Hand-made MDP: state 0 --any action--> 1 (reward 0); state 1 --any--> 2 (terminal, final_reward)."""
    P = {
        0: {a: [(1.0, 1, 0.0, False)] for a in range(2)},
        1: {a: [(1.0, 2, final_reward, True)] for a in range(2)},
        2: {a: [(1.0, 2, 0.0, True)] for a in range(2)},
    }
    return envs.TabularEnv(P, [1.0, 0.0, 0.0], max_episode_steps=max_episode_steps)


def test_epsilon_greedy_frequencies_and_ties(rng):
    # Check P(greedy) = 1 - eps + eps / k (eps 0.3, k 3 -> 0.8), and a uniform choice among tied maxima.
    actions = [ex.epsilon_greedy(np.array([0.0, 1.0, 0.5]), 0.3, rng) for _ in range(N_DRAWS)]
    np.testing.assert_allclose(np.bincount(actions, minlength=3) / N_DRAWS, [0.1, 0.8, 0.1], atol=FREQ_ATOL)
    actions = [ex.epsilon_greedy(np.array([2.0, 0.0, 2.0]), 0.0, rng) for _ in range(N_DRAWS)]
    np.testing.assert_allclose(np.bincount(actions, minlength=3) / N_DRAWS, [0.5, 0.0, 0.5], atol=FREQ_ATOL)


def test_q_learning_target_uses_the_max_and_sarsa_the_taken_action(rng):
    # Check by hand with alpha = 1, gamma = 1, uniform behaviour (eps = 1) and Q(1, .) = (0, 10): Q-learning
    # sets Q(0, a) = max = 10 every time; SARSA sets it to Q(1, A') for the random A', 0 or 10, so 5 on average.
    results = {}
    for method in ("q_learning", "sarsa"):
        values = []
        for _ in range(400):
            env, Q = chain_env(), np.array([[0.0, 0.0], [0.0, 10.0], [0.0, 0.0]])
            env.reset(seed=int(rng.integers(1 << 30)))
            ex.run_episode(env, Q, method, alpha=1.0, gamma=1.0, epsilon=1.0, rng=rng)
            values.append(Q[0].max())
        results[method] = np.array(values)
    assert np.all(results["q_learning"] == 10.0)
    assert set(results["sarsa"]) == {0.0, 10.0} and abs(results["sarsa"].mean() - 5.0) < 1.0


@pytest.mark.parametrize("method", ["q_learning", "sarsa"])
def test_terminal_states_are_not_bootstrapped(method, rng):
    # Check by hand: the last step's target is the reward alone (2), even though Q of the terminal state is 100.
    env, Q = chain_env(final_reward=2.0), np.array([[0.0, 0.0], [0.0, 0.0], [100.0, 100.0]])
    env.reset(seed=0)
    total = ex.run_episode(env, Q, method, alpha=1.0, gamma=0.5, epsilon=0.0, rng=rng)
    assert total == 2.0 and Q[1].max() == 2.0


@pytest.mark.parametrize("method", ["q_learning", "sarsa"])
def test_time_limit_still_bootstraps(method, rng):
    # Check by hand: an episode cut by the time limit after one step still uses gamma Q(S', .): 0 + 0.5 * 3 = 1.5.
    env, Q = chain_env(max_episode_steps=1), np.array([[0.0, 0.0], [3.0, 3.0], [0.0, 0.0]])
    env.reset(seed=0)
    ex.run_episode(env, Q, method, alpha=1.0, gamma=0.5, epsilon=0.0, rng=rng)
    assert Q[0].max() == 1.5 and Q[1].max() == 3.0


def test_q_learning_finds_q_star_on_the_deterministic_lake():
    # Check against Q* from an independent value iteration (R + gamma T V, iterated here): on the deterministic
    # 4x4 lake, alpha = 1 and uniform exploration make the learned Q equal to Q* on the states it visits.
    env, gamma = envs.FrozenLakeEnv("4x4", is_slippery=False), 0.9
    T, R = envs.transition_arrays(env.P)
    V = np.zeros(16)
    for _ in range(200):
        V = (R + gamma * T @ V).max(axis=1)
    Q_star = R + gamma * T @ V  # (16, 4)
    Q, _ = ex.train(env, "q_learning", 1500, alpha=1.0, gamma=gamma, epsilon=1.0, seed=0)
    visited = np.flatnonzero(Q.any(axis=1) | (Q_star.max(axis=1) == 0))
    reachable_nonterminal = [s for s in range(16) if env.desc.ravel()[s] in b"SF" and Q_star[s].max() > 0]
    assert set(reachable_nonterminal) <= set(visited)
    np.testing.assert_allclose(Q[reachable_nonterminal], Q_star[reachable_nonterminal], atol=1e-9)


def test_figure_6_4_sarsa_safe_q_learning_optimal():
    # Check Figure 6.4's story: while exploring (eps 0.1) SARSA, which learns the safe path, falls off the
    # cliff (reward -100) far less often than Q-learning, whose greedy path is the optimal one along the
    # edge (13 steps, return -13).
    falls = {}
    for method in ("sarsa", "q_learning"):
        falls[method] = []
        for seed in (0, 1):
            env = envs.CliffWalkingEnv()
            Q, rewards = ex.train(env, method, 300, alpha=0.5, gamma=1.0, epsilon=0.1, seed=seed)
            falls[method].append(np.mean(rewards[100:] <= -100))
            if method == "q_learning":
                assert ex.success_rate(env, Q.argmax(axis=1), 1) == -13
    assert np.mean(falls["sarsa"]) < np.mean(falls["q_learning"]) - 0.05


def test_bad_arguments_get_clear_errors(rng):
    # Check the messages for an unknown method and a bad episode count.
    with pytest.raises(ValueError, match="method"):
        ex.run_episode(chain_env(), np.zeros((3, 2)), "td", 0.1, 1.0, 0.1, rng)
    with pytest.raises(ValueError, match="n_episodes"):
        ex.train(chain_env(), "sarsa", 0)
