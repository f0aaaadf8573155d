"""
Exercise 01: multi-armed bandits on the 10-armed testbed

Learning goals
--------------
- Meet the trade-off at the heart of reinforcement learning: exploit the arm that
  looks best, or explore the others to find out whether they are better.
- Write four answers to it: epsilon-greedy, optimistic initial values, upper
  confidence bounds (UCB) and the gradient bandit (a softmax over preferences).
- Run 2,000 independent bandit problems at once, one row each, with broadcasting:
  no Python loop over runs. Reproduce Figure 2.2 of Sutton & Barto.

The math
--------
A k-armed bandit has true action values q*(a), a = 0..k-1; pulling arm A_t pays
R_t ~ N(q*(A_t), 1). We keep, per run, estimates Q (n_runs, k) and counts N (n_runs, k).
    sample average:  N(a) += 1;  Q(a) += (R - Q(a)) / N(a)       (constant step: alpha instead of 1/N)
    epsilon-greedy:  A = argmax_a Q(a) with probability 1 - eps (ties broken at random), else uniform
    UCB:             A = argmax_a [ Q(a) + c sqrt(ln t / N(a)) ],  an arm with N(a) = 0 first
    gradient bandit: pi(a) = softmax(H)(a);  H(a) += alpha (R - Rbar) (1[a = A] - pi(a)),
                     Rbar the running average of all rewards so far (the baseline)
Optimistic initial values are epsilon-greedy with eps = 0 and Q starting at 5:
every real reward disappoints, so the agent tries every arm early.

Algorithm
---------
1. Draw q* (n_runs, k) ~ N(0, 1) (plus 4 for the gradient-bandit figure).
2. For t = 1..n_steps: choose one action per run, draw the rewards, update Q and N
   (or H and Rbar) for the chosen arms only, with fancy indexing [rows, actions].
3. Average over runs: the reward at each step, and how often the best arm was chosen.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 2 (Figures 2.2-2.5); P. Auer, N. Cesa-Bianchi, P. Fischer, "Finite-time analysis
of the multiarmed bandit problem", Machine Learning 47 (2002).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex01_bandits.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.timing import format_table
from utils.validation import as_float_array, check_option, check_positive_int

METHODS = ("epsilon_greedy", "ucb", "gradient")

# %% [markdown]
# ## Choosing an arm in every run at once


# %%
def greedy_actions(Q, rng):
    """argmax of each row of Q (n_runs, k), ties broken uniformly at random; shape (n_runs,)."""
    Q = as_float_array(Q, "Q", ndim=2, finite=True, allow_empty=False)  # a NaN estimate would never be the max
    # BEGIN SOLUTION
    # HINT 1: np.argmax always returns the first maximum, so an untried arm 0 would always win a tie.
    # HINT 2: mark the maxima with Q == Q.max(axis=1, keepdims=True), then pick one of them at random.
    # HINT 3: is_max = Q == Q.max(axis=1, keepdims=True)
    # HINT 3: return np.argmax(rng.random(Q.shape) * is_max, axis=1)
    is_max = Q == Q.max(axis=1, keepdims=True)  # (n_runs, k)
    return np.argmax(rng.random(Q.shape) * is_max, axis=1)  # a random score among the maxima only
    # END SOLUTION


def epsilon_greedy_actions(Q, epsilon, rng):
    """Greedy action per row of Q, replaced by a uniform one with probability ``epsilon``."""
    if not 0 <= epsilon <= 1:
        raise ValueError(f"epsilon must be in [0, 1]; got {epsilon!r}")
    # BEGIN SOLUTION
    # HINT 1: decide for every run at once whether it explores this step.
    # HINT 2: explore = rng.random(n_runs) < epsilon; there, the action is rng.integers(k).
    # HINT 3: actions = greedy_actions(Q, rng)
    # HINT 3: explore = rng.random(len(Q)) < epsilon
    # HINT 3: actions[explore] = rng.integers(k, size=explore.sum())
    n_runs, k = Q.shape
    actions = greedy_actions(Q, rng)  # (n_runs,)
    explore = rng.random(n_runs) < epsilon  # (n_runs,)
    actions[explore] = rng.integers(k, size=explore.sum())
    return actions
    # END SOLUTION


def ucb_actions(Q, N, t, c):
    """argmax of Q + c sqrt(ln t / N) per row; an arm never tried (N = 0) goes first."""
    # BEGIN SOLUTION
    # HINT 1: an arm with N = 0 has an infinite bonus; write that without dividing by zero.
    # HINT 2: bonus = c * np.sqrt(np.log(t) / N) where N > 0, and np.inf where N == 0.
    # HINT 3: bonus = np.full(Q.shape, np.inf); tried = N > 0
    # HINT 3: bonus[tried] = c * np.sqrt(np.log(t) / N[tried]); return np.argmax(Q + bonus, axis=1)
    bonus = np.full(Q.shape, np.inf)  # (n_runs, k): untried arms are maximally uncertain
    tried = N > 0
    bonus[tried] = c * np.sqrt(np.log(t) / N[tried])  # only where N > 0: no division by zero
    return np.argmax(Q + bonus, axis=1)  # (n_runs,)
    # END SOLUTION


# %% [markdown]
# ## Learning from the rewards


# %%
def update_estimates(Q, N, actions, rewards, alpha=None):
    """Move Q[run, action] towards the reward, in place: sample average (alpha None) or constant step."""
    # BEGIN SOLUTION
    # HINT 1: only the chosen arm of each run changes; index with (rows, actions).
    # HINT 2: N[rows, actions] += 1;  Q[rows, actions] += step * (rewards - Q[rows, actions]), step = 1/N or alpha.
    # HINT 3: rows = np.arange(len(actions)); N[rows, actions] += 1; step = 1 / N[rows, actions] if alpha is None else alpha
    # HINT 3: Q[rows, actions] += step * (rewards - Q[rows, actions])
    rows = np.arange(len(actions))  # (n_runs,)
    N[rows, actions] += 1
    step = 1.0 / N[rows, actions] if alpha is None else alpha  # (n_runs,) or a scalar
    Q[rows, actions] += step * (rewards - Q[rows, actions])  # incremental mean: no reward list kept
    # END SOLUTION


def gradient_bandit_update(H, actions, rewards, baseline, alpha):
    """One gradient-bandit step on preferences H (n_runs, k), in place, with a baseline (n_runs,)."""
    # BEGIN SOLUTION
    # HINT 1: every arm's preference moves: the chosen one up (if the reward beat the baseline), the others down.
    # HINT 2: H += alpha * (rewards - baseline)[:, None] * (onehot(actions) - softmax(H))
    # HINT 3: pi = nn.softmax(H, axis=1); onehot = np.zeros_like(H); onehot[np.arange(len(actions)), actions] = 1
    # HINT 3: H += alpha * (rewards - baseline)[:, None] * (onehot - pi)
    pi = nn.softmax(H, axis=1)  # (n_runs, k), the policy that chose `actions`
    onehot = np.zeros_like(H)  # (n_runs, k)
    onehot[np.arange(len(actions)), actions] = 1.0
    H += alpha * (rewards - baseline)[:, None] * (onehot - pi)
    # END SOLUTION


# %% [markdown]
# ## The testbed


# %%
def run_testbed(method, n_runs=2000, n_steps=1000, k=10, epsilon=0.0, initial=0.0, alpha=None, c=2.0,
                use_baseline=True, true_mean=0.0, seed=0):
    """Average reward (n_steps,) and fraction of optimal actions (n_steps,) over ``n_runs`` bandits."""
    check_option(method, "method", METHODS)
    n_runs, n_steps, k = (check_positive_int(v, name) for v, name in [(n_runs, "n_runs"), (n_steps, "n_steps"), (k, "k")])
    rng = np.random.default_rng(seed)
    q_star = rng.normal(true_mean, 1.0, size=(n_runs, k))  # (n_runs, k)
    best, rows = q_star.argmax(axis=1), np.arange(n_runs)  # (n_runs,) each
    Q, N = np.full((n_runs, k), float(initial)), np.zeros((n_runs, k))  # (n_runs, k) each
    H, baseline = np.zeros((n_runs, k)), np.zeros(n_runs)
    mean_reward, optimal = np.zeros(n_steps), np.zeros(n_steps)
    for t in range(1, n_steps + 1):
        if method == "epsilon_greedy":
            actions = epsilon_greedy_actions(Q, epsilon, rng)
        elif method == "ucb":
            actions = ucb_actions(Q, N, t, c)
        else:
            pi = nn.softmax(H, axis=1)  # (n_runs, k): sample one arm per row by inverting the cumulative sum
            actions = np.minimum((pi.cumsum(axis=1) < rng.random((n_runs, 1))).sum(axis=1), k - 1)
        rewards = rng.normal(q_star[rows, actions], 1.0)  # (n_runs,)
        if method == "gradient":
            gradient_bandit_update(H, actions, rewards, baseline if use_baseline else 0.0, alpha)
            baseline += (rewards - baseline) / t  # the average reward so far, including this one
        else:
            update_estimates(Q, N, actions, rewards, alpha)
        mean_reward[t - 1], optimal[t - 1] = rewards.mean(), np.mean(actions == best)
    return mean_reward, optimal


# %% [markdown]
# ## Demo: Figures 2.2 to 2.5


# %%
def main():
    n_runs, n_steps = (200, 300) if utils.quick_mode() else (2000, 1000)
    figure_22 = {f"eps = {eps}": dict(method="epsilon_greedy", epsilon=eps) for eps in (0.0, 0.01, 0.1)}
    others = {
        "optimistic Q1 = 5, eps = 0, alpha = 0.1": dict(method="epsilon_greedy", initial=5.0, alpha=0.1),
        "realistic Q1 = 0, eps = 0.1, alpha = 0.1": dict(method="epsilon_greedy", epsilon=0.1, alpha=0.1),
        "UCB c = 2": dict(method="ucb", c=2.0),
        "gradient alpha = 0.1 (q* mean 4)": dict(method="gradient", alpha=0.1, true_mean=4.0),
        "gradient alpha = 0.1, no baseline": dict(method="gradient", alpha=0.1, true_mean=4.0, use_baseline=False),
    }
    results = {}
    for name, kwargs in {**figure_22, **others}.items():
        results[name] = run_testbed(n_runs=n_runs, n_steps=n_steps, **kwargs)
        print(f"  ran {name} ({n_runs} runs x {n_steps} steps)", flush=True)
    last = slice(-100, None)
    rows = [[name, f"{r.mean():.3f}", f"{r[last].mean():.3f}", f"{100 * o[last].mean():.1f}"] for name, (r, o) in results.items()]
    print(format_table(["method", "mean reward", "reward, last 100 steps", "% optimal, last 100"], rows))

    fig, axes = plotting.new_figure(1, 2, width=6.0)
    steps = np.arange(1, n_steps + 1)
    for ax, names, title in ((axes[0], figure_22, "Figure 2.2"), (axes[1], others, "Figures 2.3-2.5")):
        for name in names:
            ax.plot(steps, 100 * results[name][1], label=name, linewidth=1.0)
        ax.set(title=f"{title}: % optimal action (rewards in the table)", xlabel="step", ylabel="% optimal action")
        ax.legend(fontsize=7)
    plotting.show_or_save(fig, "ex01_bandits")


if __name__ == "__main__":
    main()
