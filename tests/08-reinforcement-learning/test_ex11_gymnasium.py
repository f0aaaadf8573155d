"""Tests for ex11_gymnasium: the generic episode loop, against a loop written here and on both libraries' envs."""

import gymnasium as gym
import numpy as np
import pytest

import utils
from utils import envs

ex = utils.load_exercise("08-reinforcement-learning/ex11_gymnasium.py")


def reference_returns(env, policy, n_episodes, seed):
    """Independent loop: seed the first reset only, stop on terminated or truncated."""
    out = []
    for i in range(n_episodes):
        obs, _ = env.reset(seed=seed if i == 0 else None)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total += reward
            done = terminated or truncated
        out.append(total)
    return np.array(out)


def test_evaluate_matches_a_direct_loop_on_gymnasium():
    # Check evaluate against the loop above on Gymnasium's CartPole, with a policy that pushes towards the lean
    # (short, different episodes, so reseeding every episode would show).
    policy = lambda s: int(s[2] > 0)  # noqa: E731
    np.testing.assert_array_equal(ex.evaluate(gym.make("CartPole-v1"), policy, 10, seed=3),
                                  reference_returns(gym.make("CartPole-v1"), policy, 10, seed=3))


def test_same_seed_same_returns_on_ours_and_gymnasium(rng):
    # Check the plumbing the lesson relies on: a random tabular policy gets identical returns per episode
    # on our FrozenLake and Gymnasium's, and a fixed CartPole policy too.
    table = rng.integers(0, 4, size=64)
    ours = ex.evaluate(envs.FrozenLakeEnv("8x8"), lambda s: int(table[s]), 200, seed=5)
    theirs = ex.evaluate(gym.make("FrozenLake8x8-v1"), lambda s: int(table[s]), 200, seed=5)
    np.testing.assert_array_equal(ours, theirs)
    policy = lambda s: int(s[2] > 0)  # noqa: E731
    np.testing.assert_array_equal(ex.evaluate(envs.CartPoleEnv(), policy, 5, seed=2),
                                  ex.evaluate(gym.make("CartPole-v1"), policy, 5, seed=2))


def test_time_limit_ends_an_episode():
    # Check that truncation ends an episode: a perfect deterministic-lake policy scores 1; a policy that walks
    # into the top wall forever is cut at 100 steps by gymnasium.make's time limit and scores 0.
    right_then_down = {0: 2, 1: 2, 2: 1, 6: 1, 10: 1, 14: 2}  # 4x4 map: S F F F / F H F H / F F F H / H F F G
    env = gym.make("FrozenLake-v1", is_slippery=False)
    np.testing.assert_array_equal(ex.evaluate(env, lambda s: right_then_down.get(s, 0), 3), [1.0, 1.0, 1.0])
    returns = ex.evaluate(gym.make("FrozenLake-v1", is_slippery=False), lambda s: 3, 2)  # always up: stuck at S
    np.testing.assert_array_equal(returns, [0.0, 0.0])


def test_bad_arguments_get_clear_errors():
    # Check the message for a bad number of episodes.
    with pytest.raises(ValueError, match="n_episodes"):
        ex.evaluate(envs.CartPoleEnv(), lambda s: 0, 0)
