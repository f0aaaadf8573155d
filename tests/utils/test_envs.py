"""utils.envs against Gymnasium itself: the same tables, the same dynamics, the same seeds."""

import gymnasium as gym
import numpy as np
import pytest

from utils import envs

N_RANDOM = 300  # random (state, action) pairs per continuous environment
STATE_ATOL = 1e-12  # both compute in float64 with the same formulas


def _gym(name, **kwargs):
    return gym.make(name, **kwargs).unwrapped


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: envs.FrozenLakeEnv("4x4", is_slippery=True), lambda: _gym("FrozenLake-v1", map_name="4x4", is_slippery=True)),
        (lambda: envs.FrozenLakeEnv("8x8", is_slippery=True), lambda: _gym("FrozenLake-v1", map_name="8x8", is_slippery=True)),
        (lambda: envs.FrozenLakeEnv("4x4", is_slippery=False), lambda: _gym("FrozenLake-v1", map_name="4x4", is_slippery=False)),
        (lambda: envs.FrozenLakeEnv("8x8", is_slippery=False), lambda: _gym("FrozenLake-v1", map_name="8x8", is_slippery=False)),
        (envs.CliffWalkingEnv, lambda: _gym("CliffWalking-v1")),
    ],
)
def test_tabular_tables_equal_gymnasium(ours, theirs):
    # Check that P[s][a] lists the same (prob, next_state, reward, terminated) outcomes, in the same order.
    mine, ref = ours(), theirs()
    assert mine.observation_space.n == ref.observation_space.n and mine.action_space.n == ref.action_space.n
    for s in range(ref.observation_space.n):
        for a in range(ref.action_space.n):
            got, want = mine.P[s][a], ref.P[s][a]
            assert len(got) == len(want), (s, a)
            for g, w in zip(got, want):
                np.testing.assert_allclose(g[0], w[0], rtol=1e-15)
                assert (int(g[1]), float(g[2]), bool(g[3])) == (int(w[1]), float(w[2]), bool(w[3])), (s, a)
    np.testing.assert_allclose(mine.initial_state_distrib, ref.initial_state_distrib)


@pytest.mark.parametrize(
    "ours, name, kwargs",
    [
        (lambda: envs.FrozenLakeEnv("8x8"), "FrozenLake8x8-v1", {}),
        (lambda: envs.FrozenLakeEnv("4x4"), "FrozenLake-v1", {}),
        (envs.CliffWalkingEnv, "CliffWalking-v1", {}),
        (envs.BlackjackEnv, "Blackjack-v1", {}),
        (envs.CartPoleEnv, "CartPole-v1", {}),
        (envs.MountainCarEnv, "MountainCar-v0", {}),
    ],
)
def test_seeded_episodes_equal_gymnasium(ours, name, kwargs, rng):
    # Check whole episodes: the same seed and random actions give the same observations, rewards,
    # terminated and truncated flags as gymnasium.make(name), time limit included.
    mine, ref = ours(), gym.make(name, **kwargs)
    assert mine.action_space.n == ref.action_space.n
    for episode in range(5):
        seed = int(rng.integers(1_000_000))
        got, _ = mine.reset(seed=seed)
        want, _ = ref.reset(seed=seed)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
        for _ in range(600):
            action = int(rng.integers(mine.action_space.n))
            g, w = mine.step(action), ref.step(action)
            np.testing.assert_allclose(np.asarray(g[0], float), np.asarray(w[0], float), atol=1e-6)
            assert (float(g[1]), g[2], g[3]) == (float(w[1]), w[2], w[3])
            if w[2] or w[3]:
                break


@pytest.mark.parametrize(
    "ours, theirs, low, high",
    [
        (envs.CartPoleEnv, lambda: _gym("CartPole-v1"), [-2.4, -3, -0.2, -3], [2.4, 3, 0.2, 3]),
        (envs.MountainCarEnv, lambda: _gym("MountainCar-v0"), [-1.2, -0.07], [0.6, 0.07]),
    ],
)
def test_continuous_dynamics_equal_gymnasium_on_random_states(ours, theirs, low, high, rng):
    # Check one step from random states and actions: the same next state (to round-off), reward
    # and termination as Gymnasium's environment put in the same state.
    mine, ref = ours(), theirs()
    mine.reset(seed=0)
    ref.reset(seed=0)
    for _ in range(N_RANDOM):
        state = rng.uniform(low, high)
        action = int(rng.integers(mine.action_space.n))
        mine.state, ref.state = state.copy(), state.copy()
        ref.steps_beyond_terminated = None  # CartPole's bookkeeping for steps after the end
        g, w = mine.step(action), ref.step(action)
        np.testing.assert_allclose(np.asarray(mine.state, float), np.asarray(ref.state, float), atol=STATE_ATOL)
        np.testing.assert_array_equal(g[0], w[0])
        assert (g[1], g[2]) == (w[1], w[2])


def test_blackjack_hands_equal_gymnasium(rng):
    # Check random hands: with the same hands and generator state, hitting or sticking gives
    # the same observation and reward (naturals, usable aces and dealer play included).
    mine, ref = envs.BlackjackEnv(), _gym("Blackjack-v1", sab=True)
    mine.reset(seed=0)
    ref.reset(seed=0)
    for _ in range(N_RANDOM):
        player = [int(c) for c in rng.choice(envs.DECK, size=int(rng.integers(2, 4)))]
        dealer = [int(c) for c in rng.choice(envs.DECK, size=2)]
        mine.player, mine.dealer, ref.player, ref.dealer = list(player), list(dealer), list(player), list(dealer)
        seed = int(rng.integers(1_000_000))
        mine.np_random, ref.np_random = np.random.default_rng(seed), np.random.default_rng(seed)
        action = int(rng.integers(2))
        assert mine.step(action)[:3] == ref.step(action)[:3]


def test_gridworld_and_random_walk_tables_by_hand():
    # Check by hand: Figure 4.1's corner states are terminal, a move off the grid stays put,
    # and the random walk pays 1 only on leaving to the right.
    grid = envs.GridworldEnv()
    assert grid.P[1][3] == [(1.0, 0, -1, True)]  # state 1, left: into the terminal corner
    assert grid.P[4][3] == [(1.0, 4, -1, False)]  # state 4, left: off the grid, stays
    assert grid.P[0][0] == [(1.0, 0, 0, True)]
    walk = envs.RandomWalkEnv(5)
    assert walk.P[5][1] == [(1.0, 6, 1.0, True)] and walk.P[1][0] == [(1.0, 0, 0.0, True)]
    assert walk.reset(seed=0)[0] == 3 and envs.RandomWalkEnv(19).reset(seed=0)[0] == 10


def test_transition_arrays_drop_terminal_mass():
    # Check on the random walk: expected rewards and the terminal outcome left out of T.
    T, R = envs.transition_arrays(envs.RandomWalkEnv(5).P)
    assert T.shape == (7, 2, 7) and R[5, 1] == 1.0 and T[5, 1].sum() == 0.0 and T[3, 0, 2] == 1.0


def test_bad_input_gets_clear_errors():
    # Check the messages for an unknown map, a step before reset and an impossible action.
    with pytest.raises(ValueError, match="map_name"):
        envs.FrozenLakeEnv("5x5")
    with pytest.raises(RuntimeError, match="reset"):
        envs.CartPoleEnv().step(0)
    env = envs.CartPoleEnv()
    env.reset(seed=0)
    with pytest.raises(ValueError, match="action"):
        env.step(2)


def test_blackjack_can_start_from_any_state(rng):
    # Check that reset(options={"state": ...}) gives exactly the requested observation, for every state.
    env = envs.BlackjackEnv()
    for total in range(12, 22):
        for card in range(1, 11):
            for ace in (0, 1):
                obs, _ = env.reset(seed=int(rng.integers(1000)), options={"state": (total, card, ace)})
                assert obs == (total, card, ace)
    with pytest.raises(ValueError, match="state"):
        env.reset(options={"state": (11, 1, 0)})
