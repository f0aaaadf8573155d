"""
Exercise 04: Monte Carlo prediction and control on Blackjack

Learning goals
--------------
- Estimate values by averaging the returns that actually followed each state,
  with no model of the game: first-visit Monte Carlo prediction.
- Reproduce Figure 5.1: the value of "stick only on 20 or 21" for every
  (player sum, dealer's card, usable ace).
- Find the optimal strategy with Monte Carlo control and exploring starts
  (Figure 5.2): evaluate Q(s, a) from returns, act greedily, repeat.

The math
--------
A state is (player sum 12..21, dealer's showing card 1..10, usable ace 0/1) and an
array index [sum - 12, card - 1, ace]; below 12 the player always hits (no risk).
Actions 0 stick, 1 hit; rewards -1, 0, +1 at the end; gamma = 1, so G_t is the final
reward. An episode gives pairs (S_t, A_t) and rewards R_{t+1}; walking it backwards,
    G <- gamma G + R_{t+1};   if (S_t, A_t) did not occur earlier in the episode:
        N(S_t, A_t) += 1;  Q(S_t, A_t) += (G - Q(S_t, A_t)) / N(S_t, A_t)   (a running mean)
(prediction does the same for V(S_t)). Exploring starts: every episode begins in a
uniformly random state with a uniformly random first action, then follows the greedy
policy pi(s) = argmax_a Q(s, a); every pair keeps being tried, so Q converges to Q*.

Algorithm
---------
1. Prediction: play episodes with the fixed policy; update V at first visits.
2. Control: Q = 0, pi = "stick on 20, 21"; each episode: exploring start, play pi,
   update Q at first visits, set pi(s) = argmax_a Q(s, a) for the visited states.
3. Plot V (Figure 5.1) and the policy with max_a Q (Figure 5.2).

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 5.1-5.3 (Example 5.1, Figures 5.1 and 5.2); E. Thorp, Beat the Dealer (1966).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex04_monte_carlo.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.validation import check_positive_int

SHAPE = (10, 10, 2)  # player sum 12..21, dealer card 1..10, usable ace 0/1

# %% [markdown]
# ## Playing an episode


# %%
def index(obs):
    """Array index of an observation (player sum, dealer card, usable ace); None below 12."""
    total, card, ace = obs
    return (total - 12, card - 1, ace) if total >= 12 else None


def play(env, policy, rng, start=None, first_action=None):
    """One episode: a list of (state index, action, reward); states below 12 hit automatically.

    ``policy`` is an int array of shape SHAPE (0 stick, 1 hit). ``start`` and ``first_action``
    make an exploring start.
    """
    obs, _ = env.reset(options=None if start is None else {"state": start})
    steps, done = [], False
    while not done:
        s = index(obs)
        if s is None:
            action = 1  # a sum below 12 cannot bust: always hit
        elif first_action is not None and not steps:
            action = first_action
        else:
            action = int(policy[s])
        obs, reward, terminated, truncated, _ = env.step(action)
        if s is not None:
            steps.append((s, action, reward))
        elif steps:
            steps[-1] = (steps[-1][0], steps[-1][1], steps[-1][2] + reward)
        done = terminated or truncated
    return steps


# %% [markdown]
# ## First-visit returns and the two Monte Carlo methods


# %%
def first_visit_returns(episode, gamma=1.0):
    """[(key, G)] for the first visit of every key in ``episode``, a list of (key, reward) in time order."""
    # BEGIN SOLUTION
    # HINT 1: walk backwards so G accumulates; a later (in time) visit is overwritten by an earlier one.
    # HINT 2: G = gamma * G + reward; first[key] = G, going t = T-1 .. 0 (the last write is the first visit).
    # HINT 3: G, first = 0.0, {}
    # HINT 3: for key, reward in reversed(episode): G = gamma * G + reward; first[key] = G
    # HINT 3: return list(first.items())
    G, first = 0.0, {}
    for key, reward in reversed(episode):
        G = gamma * G + reward
        first[key] = G  # overwritten by earlier visits: what remains belongs to the first one
    return list(first.items())
    # END SOLUTION


def mc_prediction(policy, n_episodes, seed=0):
    """V (10, 10, 2) of ``policy`` by first-visit Monte Carlo, and visit counts N (10, 10, 2)."""
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    rng, env = np.random.default_rng(seed), envs.BlackjackEnv()
    env.reset(seed=seed)
    V, N = np.zeros(SHAPE), np.zeros(SHAPE)
    for _ in range(n_episodes):
        episode = [(s, r) for s, _, r in play(env, policy, rng)]
        # BEGIN SOLUTION
        # HINT 1: each first-visited state's estimate becomes the mean of all returns seen from it so far.
        # HINT 2: N[s] += 1; V[s] += (G - V[s]) / N[s]
        # HINT 3: for s, G in first_visit_returns(episode): N[s] += 1; V[s] += (G - V[s]) / N[s]
        for s, G in first_visit_returns(episode):
            N[s] += 1
            V[s] += (G - V[s]) / N[s]  # running mean: no list of returns kept
        # END SOLUTION
    return V, N


def mc_exploring_starts(n_episodes, seed=0):
    """(Q (10, 10, 2, 2), greedy policy (10, 10, 2)) by Monte Carlo control with exploring starts."""
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    rng, env = np.random.default_rng(seed), envs.BlackjackEnv()
    env.reset(seed=seed)
    Q, N = np.zeros(SHAPE + (2,)), np.zeros(SHAPE + (2,))  # (10, 10, 2, 2)
    policy = np.ones(SHAPE, dtype=int)  # (10, 10, 2): hit ...
    policy[8:] = 0  # ... except stick on 20 and 21
    for _ in range(n_episodes):
        start = (int(rng.integers(12, 22)), int(rng.integers(1, 11)), int(rng.integers(2)))
        steps = play(env, policy, rng, start=start, first_action=int(rng.integers(2)))
        # BEGIN SOLUTION
        # HINT 1: the same first-visit averaging, keyed by (state, action); then improve the policy where you learned.
        # HINT 2: key = s + (a,); N[key] += 1; Q[key] += (G - Q[key]) / N[key]; policy[s] = argmax(Q[s])
        # HINT 3: for key, G in first_visit_returns([(s + (a,), r) for s, a, r in steps]):
        # HINT 3:     N[key] += 1; Q[key] += (G - Q[key]) / N[key]; policy[key[:3]] = np.argmax(Q[key[:3]])
        for key, G in first_visit_returns([(s + (a,), r) for s, a, r in steps]):
            N[key] += 1
            Q[key] += (G - Q[key]) / N[key]
            policy[key[:3]] = np.argmax(Q[key[:3]])  # greedy in the state just updated (ties: stick)
        # END SOLUTION
    return Q, policy


# %% [markdown]
# ## Demo: Figures 5.1 and 5.2


# %%
def main():
    quick = utils.quick_mode()
    n_short, n_long, n_control = (2000, 8000, 10_000) if quick else (10_000, 100_000, 200_000)
    stick_on_20 = np.ones(SHAPE, dtype=int)
    stick_on_20[8:] = 0
    V_short, _ = mc_prediction(stick_on_20, n_short, seed=0)
    V_long, _ = mc_prediction(stick_on_20, n_long, seed=1)
    print(f"Monte Carlo control with exploring starts: {n_control} episodes ...", flush=True)
    Q, policy = mc_exploring_starts(n_control, seed=2)
    V_star = Q.max(axis=-1)  # (10, 10, 2)
    for ace, label in [(1, "usable ace"), (0, "no usable ace")]:
        print(f"Figure 5.2, {label}: H = hit, S = stick (rows: player sum 21..12, columns: dealer A, 2..10)")
        for row in range(9, -1, -1):
            print(f"  {row + 12:2d}  " + " ".join("HS"[1 - policy[row, c, ace]] for c in range(10)))

    fig, axes = plotting.new_figure(2, 4, width=3.6, height=3.6)
    panels = [(V_short, f"Fig. 5.1: {n_short} ep."), (V_long, f"Fig. 5.1: {n_long} ep."),
              (V_star, "Fig. 5.2: V*"), (policy.astype(float), "Fig. 5.2: pi*, red = hit")]
    for col, (values, title) in enumerate(panels):
        for row, ace in enumerate((1, 0)):
            ax = axes[row, col]
            ax.imshow(values[:, :, ace], origin="lower", cmap="coolwarm", vmin=-1, vmax=1, extent=(0.5, 10.5, 11.5, 21.5))
            ax.set(title=f"{title}, {'ace' if ace else 'no ace'}", xlabel="dealer showing", ylabel="player sum")
    plotting.show_or_save(fig, "ex04_monte_carlo")


if __name__ == "__main__":
    main()
