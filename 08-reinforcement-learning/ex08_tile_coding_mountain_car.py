"""
Exercise 08: tile coding and semi-gradient SARSA on Mountain Car

Learning goals
--------------
- Move from tables to function approximation: q(s, a, w) = w_a . x(s), a linear
  function of binary features, learned by a semi-gradient step.
- Build those features with tile coding: several offset grids (tilings) over the
  state space; a state switches on one tile per tiling, so nearby states share tiles
  and generalise to each other, while the resolution stays fine.
- Reproduce Example 10.1: an under-powered car learns to rock back and forth to
  climb the hill, in a few hundred episodes (Figure 10.2's steps-per-episode curve).

The math
--------
State s = (position p in [-1.2, 0.6], velocity v in [-0.07, 0.07]). With n tilings of
k x k tiles, each tiling i is shifted by (1, 3) i / n tile widths (the book's asymmetric
offsets), and x(s) has one 1 per tiling: n active indices out of n (k+1)^2.
    q(s, a) = sum_{i in active(s)} w[a, i]                    w has shape (3, n (k+1)^2)
    semi-gradient SARSA, after S, A -> R, S', A':
        delta = R + gamma q(S', A') (0 if terminal) - q(S, A)
        w[A, active(S)] += (alpha / n) delta                   (the gradient of q is x(S))
alpha / n makes alpha the fraction of the error corrected at S itself. Weights start at
0 while every reward is -1: the estimates are optimistic, which makes even the greedy
policy (epsilon = 0) explore.

Algorithm
---------
1. w = 0. Each episode: S = reset(), A = argmax_a q(S, a).
2. Each step: act, observe R, S'; choose A' greedily; update w with delta; move on.
3. Record the steps per episode, averaged over runs (Figure 10.2), and draw the
   learned cost-to-go -max_a q(s, a) over the state space (Figure 10.1).

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 9.5.4 (tile coding) and 10.1 (Example 10.1, Figures 10.1 and 10.2); J. Albus,
"A new approach to manipulator control: the cerebellar model articulation controller
(CMAC)", 1975; A. Moore, PhD thesis, Cambridge (1990).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex08_tile_coding_mountain_car.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.validation import as_float_array, check_positive_int

LOW, HIGH = np.array([-1.2, -0.07]), np.array([0.6, 0.07])  # Mountain Car's state bounds

# %% [markdown]
# ## Tile coding


# %%
def tile_indices(state, n_tilings=8, tiles=8):
    """The active feature of every tiling for a state (2,): an int array (n_tilings,)."""
    scaled = (np.asarray(state, dtype=float) - LOW) / (HIGH - LOW) * tiles  # (2,), in tile widths
    # BEGIN SOLUTION
    # HINT 1: shift each tiling a little (asymmetrically), find the tile the shifted point falls in, flatten.
    # HINT 2: offsets = np.arange(n_tilings)[:, None] * [1, 3] / n_tilings (mod 1); cell = floor(scaled + offsets)
    # HINT 2: index = tiling * (tiles + 1)^2 + cell_p * (tiles + 1) + cell_v   (tiles + 1 cells cover the shifted range)
    # HINT 3: offsets = (np.arange(n_tilings)[:, None] * np.array([1, 3]) / n_tilings) % 1.0
    # HINT 3: cells = np.floor(scaled + offsets).astype(int); side = tiles + 1
    # HINT 3: return np.arange(n_tilings) * side**2 + cells[:, 0] * side + cells[:, 1]
    offsets = (np.arange(n_tilings)[:, None] * np.array([1.0, 3.0]) / n_tilings) % 1.0  # (n_tilings, 2)
    cells = np.floor(scaled + offsets).astype(int)  # (n_tilings, 2), each in 0..tiles
    side = tiles + 1  # a shifted tiling needs one more tile per dimension to cover the range
    return np.arange(n_tilings) * side**2 + cells[:, 0] * side + cells[:, 1]  # (n_tilings,)
    # END SOLUTION


def n_features(n_tilings=8, tiles=8):
    return n_tilings * (tiles + 1) ** 2


# %% [markdown]
# ## Semi-gradient SARSA


# %%
def q_values(w, active):
    """q(s, a) for every action (n_actions,), from the weights w (n_actions, n_features)."""
    return w[:, active].sum(axis=1)  # (n_actions,)


def sarsa_update(w, active, action, reward, next_q, alpha):
    """One semi-gradient SARSA step, in place; ``next_q`` = gamma q(S', A') (0 at a terminal S')."""
    # BEGIN SOLUTION
    # HINT 1: only the active tiles of the action taken have a non-zero gradient.
    # HINT 2: delta = reward + next_q - q(S, A); w[action, active] += alpha / len(active) * delta
    # HINT 3: delta = reward + next_q - w[action, active].sum()
    # HINT 3: w[action, active] += alpha / len(active) * delta
    delta = reward + next_q - w[action, active].sum()
    w[action, active] += alpha / len(active) * delta  # alpha / n: the error at S shrinks by the fraction alpha
    # END SOLUTION


def greedy(q, rng):
    """argmax with random tie-breaking (all-zero weights at the start tie everywhere)."""
    q = as_float_array(q, "q", ndim=1, allow_empty=False)  # (3,)
    best = np.flatnonzero(q == q.max())
    if len(best) == 0:  # a NaN max equals nothing; testing here costs less than a finiteness scan every step
        raise ValueError(f"q must hold numbers, not NaN; got {q}")
    return int(best[0]) if len(best) == 1 else int(best[rng.integers(len(best))])


def run(n_episodes, alpha=0.5, n_tilings=8, tiles=8, gamma=1.0, max_steps=10_000, seed=0):
    """Train semi-gradient SARSA; returns the weights (3, n_features) and the steps of every episode."""
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    rng, env = np.random.default_rng(seed), envs.MountainCarEnv(max_episode_steps=max_steps)
    env.reset(seed=seed)
    w = np.zeros((3, n_features(n_tilings, tiles)))  # (3, n_features): optimistic, rewards are -1
    steps = np.zeros(n_episodes, dtype=int)
    for episode in range(n_episodes):
        state, _ = env.reset()
        active = tile_indices(state, n_tilings, tiles)
        action, done = greedy(q_values(w, active), rng), False
        while not done:
            state, reward, terminated, truncated, _ = env.step(action)
            next_active = tile_indices(state, n_tilings, tiles)
            next_action = greedy(q_values(w, next_active), rng)
            next_q = 0.0 if terminated else gamma * w[next_action, next_active].sum()
            sarsa_update(w, active, action, reward, next_q, alpha)
            active, action, done = next_active, next_action, terminated or truncated
            steps[episode] += 1
    return w, steps


# %% [markdown]
# ## Demo: Figures 10.1 and 10.2


# %%
def main():
    quick = utils.quick_mode()
    n_runs, n_episodes, alphas = (1, 15, (0.5,)) if quick else (5, 200, (0.1, 0.2, 0.5))
    curves = {}
    for alpha in alphas:
        results = [run(n_episodes, alpha=alpha, seed=r) for r in range(n_runs)]
        curves[alpha] = np.mean([steps for _, steps in results], axis=0)  # (n_episodes,)
        w = results[0][0]  # the last alpha (0.5) draws Figure 10.1
        print(f"  alpha = {alpha} / 8: steps per episode, first {curves[alpha][0]:.0f}, "
              f"last 20 episodes {curves[alpha][-20:].mean():.0f} ({n_runs} runs)", flush=True)
    positions, velocities = np.linspace(-1.2, 0.6, 60), np.linspace(-0.07, 0.07, 60)
    cost = np.array([[-q_values(w, tile_indices((p, v))).max() for p in positions] for v in velocities])  # (60, 60)

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    image = axes[0].imshow(cost, origin="lower", aspect="auto", cmap="viridis", extent=(-1.2, 0.6, -0.07, 0.07))
    fig.colorbar(image, ax=axes[0])
    axes[0].set(title=f"Figure 10.1: cost-to-go after {n_episodes} episodes", xlabel="position", ylabel="velocity")
    for alpha, curve in curves.items():
        axes[1].plot(np.arange(1, n_episodes + 1), curve, label=f"alpha = {alpha} / 8")
    axes[1].set(title="Figure 10.2: Mountain Car", xlabel="episode", ylabel="steps per episode (log)", yscale="log")
    axes[1].legend()
    plotting.show_or_save(fig, "ex08_tile_coding_mountain_car")


if __name__ == "__main__":
    main()
