"""Tests for ex04_monte_carlo: first-visit returns by hand, and Blackjack values against an exact dealer recursion."""

import functools

import numpy as np
import pytest

import utils

ex = utils.load_exercise("08-reinforcement-learning/ex04_monte_carlo.py")

N_SIGMAS = 4.5  # a Monte Carlo mean of returns in [-1, 1] is off by at most this many 1/sqrt(N)
CARDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10]


@functools.lru_cache(maxsize=None)
def dealer_final(hard_sum, has_ace):
    """Exact distribution {final total (0 = bust): probability} of the dealer's play, infinite deck."""
    total = hard_sum + 10 if has_ace and hard_sum + 10 <= 21 else hard_sum
    if total > 21:
        return {0: 1.0}
    if total >= 17:
        return {total: 1.0}
    out = {}
    for card in CARDS:
        for final, p in dealer_final(hard_sum + card, has_ace or card == 1).items():
            out[final] = out.get(final, 0.0) + p / len(CARDS)
    return out


def value_of_sticking(player, card):
    """Exact expected reward of sticking on ``player`` (no natural) against the dealer's showing ``card``."""
    dist = {}
    for hidden in CARDS:
        for final, p in dealer_final(card + hidden, card == 1 or hidden == 1).items():
            dist[final] = dist.get(final, 0.0) + p / len(CARDS)
    return sum(p * np.sign(player - final) for final, p in dist.items())


def test_first_visit_returns_by_hand():
    # Check by hand: episode a (r 1), b (r 0), a (r 2). gamma = 1: a -> 3, b -> 2 (a's second visit ignored).
    # gamma = 0.5: G from the end is 2, then b: 0 + 0.5 * 2 = 1, then a: 1 + 0.5 * 1 = 1.5.
    assert dict(ex.first_visit_returns([("a", 1.0), ("b", 0.0), ("a", 2.0)])) == {"a": 3.0, "b": 2.0}
    assert dict(ex.first_visit_returns([("a", 1.0), ("b", 0.0), ("a", 2.0)], gamma=0.5)) == {"a": 1.5, "b": 1.0}


def test_dealer_recursion_sanity():
    # Check the reference itself: probabilities sum to one, and the dealer busts about 28% of the time.
    dist = {}
    for card in range(1, 11):
        for hidden in CARDS:
            for final, p in dealer_final(card + hidden, card == 1 or hidden == 1).items():
                dist[final] = dist.get(final, 0.0) + p * CARDS.count(card) / 13 / 13
    assert abs(sum(dist.values()) - 1) < 1e-12 and 0.26 < dist[0] < 0.30


def test_prediction_matches_the_exact_value_of_sticking_on_20():
    # Check Figure 5.1's stick-on-20 policy: V(20, card, no ace) equals the exact value of sticking on 20,
    # within N_SIGMAS / sqrt(visits) for every dealer card.
    policy = np.ones(ex.SHAPE, dtype=int)
    policy[8:] = 0
    V, N = ex.mc_prediction(policy, 8000, seed=0)
    exact = np.array([value_of_sticking(20, card) for card in range(1, 11)])
    assert N[8, :, 0].min() > 40
    assert np.all(np.abs(V[8, :, 0] - exact) < N_SIGMAS / np.sqrt(N[8, :, 0]))


def test_exploring_starts_learns_hitting_21_always_loses():
    # Check Q by hand: hitting a hard 21 always busts, so Q(21, card, no ace, hit) = -1 exactly wherever tried;
    # sticking on 20 matches the exact recursion; and the greedy policy sticks on 20 and 21.
    Q, policy = ex.mc_exploring_starts(6000, seed=0)
    assert np.all(Q[9, :, 0, 1] == -1.0)
    exact = np.array([value_of_sticking(20, card) for card in range(1, 11)])
    assert np.abs(Q[8, :, 0, 0] - exact).mean() < 0.15
    assert np.all(policy[8:, :, :] == 0)


def test_play_records_only_decisions_from_12_up(rng):
    # Check that states below 12 are not recorded (the player hits there) and a reward closes the episode.
    env = ex.envs.BlackjackEnv()
    env.reset(seed=1)
    policy = np.zeros(ex.SHAPE, dtype=int)
    for _ in range(200):
        steps = ex.play(env, policy, rng)
        assert all(0 <= s[0] <= 9 for s, _, _ in steps)
        assert all(r == 0 for _, _, r in steps[:-1]) and steps[-1][2] in (-1.0, 0.0, 1.0)


def test_bad_arguments_get_clear_errors():
    # Check the message for a bad number of episodes.
    with pytest.raises(ValueError, match="n_episodes"):
        ex.mc_exploring_starts(0)
