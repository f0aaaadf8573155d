"""
Exercise 06: SARSA and Q-learning, on the cliff and on the frozen lake

Learning goals
--------------
- Control without a model: learn action values Q(s, a) from experience and act
  epsilon-greedily on them, improving the policy while evaluating it.
- See the one-word difference between on-policy SARSA (the target uses the action
  actually taken next) and off-policy Q-learning (the target uses the best action).
- Reproduce Figure 6.4: on the cliff, Q-learning learns the optimal path along the
  edge but falls off while exploring; SARSA learns the safe path and earns more.
- Solve 8x8 slippery FrozenLake with Q-learning and compare its greedy policy with
  the optimal one from value iteration (ex03).

The math
--------
Q has shape (n_states, n_actions). After a step S, A -> R, S' (terminated d):
    SARSA:       choose A' epsilon-greedily from Q(S', .), then
                 Q(S, A) <- Q(S, A) + alpha [R + gamma (1 - d) Q(S', A') - Q(S, A)]
    Q-learning:  Q(S, A) <- Q(S, A) + alpha [R + gamma (1 - d) max_a Q(S', a) - Q(S, A)]
A time limit (truncated, not terminated) still bootstraps: the state S' has a future.
epsilon-greedy: with probability epsilon a uniform action, else argmax_a Q(S, a)
(ties broken at random, so an all-zero Q row does not always pick action 0).

Algorithm
---------
1. Q = 0. For each episode: S = reset(); (SARSA: pick A now.)
2. Until terminated or truncated: act, observe R, S'; choose A' epsilon-greedily;
   form the SARSA or Q-learning target, update Q(S, A), move on.
3. Cliff: 500 episodes, alpha = 0.5, epsilon = 0.1, gamma = 1, rewards averaged over runs.
   Lake: gamma = 0.99, epsilon decayed from 1 to 0.05, alpha decayed per pair; then run the
   greedy policy and count how often it reaches the goal.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 6.4-6.5 (Example 6.6, Figure 6.4); C. Watkins, P. Dayan, "Q-learning", Machine
Learning 8 (1992); G. Rummery, M. Niranjan, "On-line Q-learning using connectionist
systems" (1994, SARSA).
Builds on: 08-reinforcement-learning/ex03_dynamic_programming.py (dp: value iteration, for the optimal lake policy).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex06_sarsa_q_learning.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.timing import format_table
from utils.validation import check_option, check_positive_int

dp = utils.load_exercise("08-reinforcement-learning/ex03_dynamic_programming.py", practice=False)

# %% [markdown]
# ## Acting


# %%
def epsilon_greedy(q_row, epsilon, rng):
    """An action from one row of Q (n_actions,): uniform with probability epsilon, else a random argmax."""
    # BEGIN SOLUTION
    # HINT 1: two random decisions: explore or not, and which of the tied best actions.
    # HINT 2: if rng.random() < epsilon: uniform; else choose among np.flatnonzero(q_row == q_row.max()).
    # HINT 3: if rng.random() < epsilon: return int(rng.integers(len(q_row)))
    # HINT 3: best = np.flatnonzero(q_row == q_row.max()); return int(best[rng.integers(len(best))])
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())  # (n_ties,)
    return int(best[0]) if len(best) == 1 else int(best[rng.integers(len(best))])  # random among ties
    # END SOLUTION


# %% [markdown]
# ## Learning: one episode of SARSA or Q-learning


# %%
def run_episode(env, Q, method, alpha, gamma, epsilon, rng, counts=None):
    """Play one episode, updating Q in place; returns the sum of rewards.

    ``alpha`` is a number, or None for a step 1 / N(s, a)^0.6 from ``counts`` (n_states, n_actions).
    """
    check_option(method, "method", ("sarsa", "q_learning"))
    state, _ = env.reset()
    action = epsilon_greedy(Q[state], epsilon, rng)
    total, done = 0.0, False
    while not done:
        next_state, reward, terminated, truncated, _ = env.step(action)
        total += reward
        next_action = epsilon_greedy(Q[next_state], epsilon, rng)
        if counts is not None:
            counts[state, action] += 1
        step = alpha if alpha is not None else counts[state, action] ** -0.6  # decays, sum diverges: converges
        # BEGIN SOLUTION
        # HINT 1: the two methods differ only in which next value the target uses; a terminal state has none.
        # HINT 2: SARSA: Q[next_state, next_action]; Q-learning: Q[next_state].max(); target = reward + gamma * (not terminated) * that
        # HINT 3: future = Q[next_state, next_action] if method == "sarsa" else Q[next_state].max()
        # HINT 3: target = reward + gamma * (0.0 if terminated else future)
        # HINT 3: Q[state, action] += step * (target - Q[state, action])
        future = Q[next_state, next_action] if method == "sarsa" else Q[next_state].max()
        target = reward + (0.0 if terminated else gamma * future)  # truncated still bootstraps
        Q[state, action] += step * (target - Q[state, action])
        # END SOLUTION
        state, action, done = next_state, next_action, terminated or truncated
    return total


def train(env, method, n_episodes, alpha=0.5, gamma=1.0, epsilon=0.1, epsilon_final=None, seed=0):
    """Q (n_states, n_actions) and the reward of every episode (n_episodes,).

    With ``epsilon_final``, epsilon falls linearly from ``epsilon`` to it over the first 80% of episodes.
    """
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))  # (S, A)
    counts = np.zeros_like(Q) if alpha is None else None
    rewards = np.zeros(n_episodes)
    for episode in range(n_episodes):
        eps = epsilon if epsilon_final is None else max(epsilon_final, epsilon + (epsilon_final - epsilon) * episode / (0.8 * n_episodes))
        rewards[episode] = run_episode(env, Q, method, alpha, gamma, eps, rng, counts)
    return Q, rewards


def success_rate(env, policy, n_episodes, seed=0, max_steps=1000):
    """Mean episode reward of a deterministic policy (n_states,) of actions: on FrozenLake, P(goal).

    ``max_steps`` ends an episode the environment would not end (a greedy policy can walk in circles).
    """
    env.reset(seed=seed)
    total = 0.0
    for _ in range(check_positive_int(n_episodes, "n_episodes")):
        state, _ = env.reset()
        for _ in range(max_steps):
            state, reward, terminated, truncated, _ = env.step(int(policy[state]))
            total += reward
            if terminated or truncated:
                break
    return total / n_episodes


# %% [markdown]
# ## Demo: Figure 6.4, then FrozenLake 8x8


# %%
def main():
    quick = utils.quick_mode()
    n_runs, n_lake, n_eval = (3, 2000, 300) if quick else (20, 30_000, 2000)
    falls = {m: np.zeros((n_runs, 500)) for m in ("sarsa", "q_learning")}  # (n_runs, n_episodes) each
    curves = {m: np.zeros(500) for m in falls}
    for run in range(n_runs):
        for method in curves:
            rewards = train(envs.CliffWalkingEnv(), method, 500, alpha=0.5, epsilon=0.1, seed=run)[1]
            curves[method] += rewards / n_runs
            falls[method][run] = rewards <= -100  # a fall costs -100 on its own
    cliff = envs.CliffWalkingEnv()
    Q, _ = train(cliff, "q_learning", 500, alpha=0.5, epsilon=0.1, seed=100)
    print(f"Cliff walking ({n_runs} runs), episodes 100-500 while exploring with epsilon = 0.1:")
    print(format_table(["method", "mean reward per episode", "% episodes with a fall"],
                       [[m, f"{c[100:].mean():.1f}", f"{100 * np.mean(falls[m][:, 100:]):.1f}"] for m, c in curves.items()]))
    print(f"Q-learning's greedy path returns {success_rate(cliff, Q.argmax(axis=1), 1):.0f} (the optimal path: -13)")

    lake = envs.FrozenLakeEnv("8x8", is_slippery=True)
    _, optimal = dp.value_iteration(lake.P, gamma=0.99)
    print(f"Q-learning on slippery FrozenLake 8x8: {n_lake} episodes ...", flush=True)
    Q, rewards = train(lake, "q_learning", n_lake, alpha=None, gamma=0.99, epsilon=1.0, epsilon_final=0.05, seed=0)
    learned, best = success_rate(lake, Q.argmax(axis=1), n_eval, seed=1), success_rate(lake, optimal.argmax(axis=1), n_eval, seed=1)
    agree = np.mean(Q.argmax(axis=1) == optimal.argmax(axis=1))
    print(format_table(["policy", f"success over {n_eval} episodes"], [["Q-learning, greedy", f"{learned:.3f}"],
                       ["value iteration (optimal)", f"{best:.3f}"], ["ratio", f"{learned / best:.3f}"]]))
    print(f"greedy actions equal to the optimal ones in {100 * agree:.0f}% of states")

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    for method, curve in curves.items():
        smooth = np.convolve(curve, np.ones(10) / 10, mode="valid")  # a 10-episode moving average
        axes[0].plot(np.arange(10, 501), smooth, label=method.replace("_", "-"))
    axes[0].set(title="Figure 6.4: cliff walking", xlabel="episode", ylabel="sum of rewards", ylim=(-100, 0))
    axes[0].legend()
    window = max(1, n_lake // 100)
    axes[1].plot(np.convolve(rewards, np.ones(window) / window, mode="valid"), label="while learning")
    axes[1].axhline(best, color="black", linestyle="--", label="optimal policy")
    axes[1].axhline(learned, color="tab:red", linestyle=":", label="learned greedy policy")
    axes[1].set(title="Q-learning, FrozenLake 8x8 (slippery)", xlabel="episode", ylabel="success rate")
    axes[1].legend()
    plotting.show_or_save(fig, "ex06_sarsa_q_learning")


if __name__ == "__main__":
    main()
