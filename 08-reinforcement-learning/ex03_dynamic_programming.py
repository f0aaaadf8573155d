"""
Exercise 03: dynamic programming: policy evaluation, policy iteration, value iteration

Learning goals
--------------
- Evaluate a policy by sweeping the Bellman expectation equation until it stops
  changing, and watch Figure 4.1's gridworld values appear sweep by sweep.
- Improve a policy by acting greedily on its values; alternate the two steps
  (policy iteration) until the policy is stable.
- Fold the two into one sweep with a max (value iteration), and solve slippery
  FrozenLake, where the best path is not the shortest one.

The math
--------
A model in Gymnasium's layout P[s][a] = [(p, s', r, d), ...] (d: terminated).
utils.envs.transition_arrays turns it into T (S, A, S), T[s, a, s'] = total p of
non-terminal outcomes to s', and expected rewards R (S, A). Then for values V (S,):
    q_V = R + gamma T @ V                                      (S, A)
    evaluation sweep:   V_{k+1}(s) = sum_a pi(a|s) q_{V_k}(s, a)  (pi (S, A), synchronous)
    improvement:        pi'(s) = argmax_a q_{V_pi}(s, a)         (one-hot rows)
    value iteration:    V_{k+1}(s) = max_a q_{V_k}(s, a)
Stop when max_s |V_{k+1}(s) - V_k(s)| < theta. Policy improvement never lowers a
value (the policy improvement theorem), so policy iteration ends after finitely many
policies; value iteration converges like gamma^k.

Algorithm
---------
1. Policy evaluation: V = 0; repeat V <- (pi * q_V).sum(axis=1) until the change < theta.
2. Policy iteration: pi = uniform; repeat: V = evaluate(pi); pi' = greedy(V);
   stop when pi(s) is already greedy everywhere (no strict improvement anywhere).
3. Value iteration: V = 0; repeat V <- q_V.max(axis=1) until the change < theta;
   return V and the greedy policy.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 4 (Example 4.1, Figure 4.1; policy iteration 4.3, value iteration 4.4);
R. Howard, Dynamic Programming and Markov Processes (1960).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex03_dynamic_programming.py
"""

# %%
import time

import numpy as np

from utils import envs, plotting
from utils.timing import format_table

ARROWS_GRID = "^>v<"  # GridworldEnv: 0 up, 1 right, 2 down, 3 left
ARROWS_LAKE = "<v>^"  # FrozenLakeEnv: 0 left, 1 down, 2 right, 3 up

# %% [markdown]
# ## One backup, in matrix form


# %%
def q_from_v(T, R, V, gamma):
    """Action values q_V (S, A) = R + gamma T @ V from the model arrays."""
    return R + gamma * T @ V  # (S, A, S) @ (S,) -> (S, A)


def greedy_policy(T, R, V, gamma):
    """One-hot (S, A) policy taking argmax_a q_V(s, a) (the first of tied actions)."""
    q = q_from_v(T, R, V, gamma)  # (S, A)
    return np.eye(q.shape[1])[q.argmax(axis=1)]  # (S, A)


# %% [markdown]
# ## Policy evaluation, policy iteration, value iteration


# %%
def policy_evaluation(P, policy, gamma, theta=1e-10, max_sweeps=None):
    """V_pi (S,) by synchronous sweeps of the Bellman expectation equation.

    ``max_sweeps`` stops early (Figure 4.1 shows k = 1, 2, 3, 10 sweeps).
    """
    T, R = envs.transition_arrays(P)  # (S, A, S), (S, A)
    policy = np.asarray(policy, dtype=float)
    if policy.shape != R.shape:
        raise ValueError(f"policy must have shape (n_states, n_actions) = {R.shape}; got {policy.shape}")
    if not 0 <= gamma <= 1:
        raise ValueError(f"gamma must be in [0, 1]; got {gamma!r}")
    V, sweep = np.zeros(len(R)), 0  # (S,)
    # BEGIN SOLUTION
    # HINT 1: one sweep computes every V(s) from the previous sweep's values; compare old and new.
    # HINT 2: V_new = (policy * q_from_v(T, R, V, gamma)).sum(axis=1); stop when np.max(np.abs(V_new - V)) < theta.
    # HINT 3: while max_sweeps is None or sweep < max_sweeps:
    # HINT 3:     V_new = (policy * q_from_v(T, R, V, gamma)).sum(axis=1); sweep += 1
    # HINT 3:     done = max |V_new - V| < theta; V = V_new; if done: break
    while max_sweeps is None or sweep < max_sweeps:
        V_new = (policy * q_from_v(T, R, V, gamma)).sum(axis=1)  # (S,): an average over actions
        sweep += 1
        converged = np.max(np.abs(V_new - V)) < theta
        V = V_new
        if converged:
            break
    # END SOLUTION
    return V


def policy_iteration(P, gamma, theta=1e-10):
    """(V*, optimal one-hot policy, number of policies evaluated), starting from the uniform policy."""
    T, R = envs.transition_arrays(P)  # (S, A, S), (S, A)
    policy = np.full(R.shape, 1.0 / R.shape[1])  # (S, A)
    # BEGIN SOLUTION
    # HINT 1: evaluate, act greedily, repeat; stop when the greedy step finds nothing strictly better.
    # HINT 2: q = q_from_v(T, R, V, gamma); stable when (policy * q).sum(axis=1) >= q.max(axis=1) - 1e-9 everywhere.
    # HINT 3: for n in 1, 2, ...: V = policy_evaluation(P, policy, gamma, theta); q = q_from_v(T, R, V, gamma)
    # HINT 3:     if stable (HINT 2): return V, policy, n;  policy = np.eye(n_actions)[q.argmax(axis=1)]
    for n_policies in range(1, 10_000):
        V = policy_evaluation(P, policy, gamma, theta)
        q = q_from_v(T, R, V, gamma)  # (S, A)
        # Stable when no action is strictly better than the current policy's; comparing the
        # argmax itself could flip forever between tied actions that round-off separates.
        if np.all((policy * q).sum(axis=1) >= q.max(axis=1) - 1e-9):
            return V, policy, n_policies
        policy = np.eye(R.shape[1])[q.argmax(axis=1)]  # (S, A) one-hot, greedy
    # END SOLUTION
    raise RuntimeError("policy iteration did not stabilise")


def value_iteration(P, gamma, theta=1e-10):
    """(V*, greedy one-hot policy (S, A)) by sweeps of the Bellman optimality equation."""
    T, R = envs.transition_arrays(P)  # (S, A, S), (S, A)
    V = np.zeros(len(R))  # (S,)
    # BEGIN SOLUTION
    # HINT 1: policy evaluation with the average over actions replaced by a max.
    # HINT 2: V_new = q_from_v(T, R, V, gamma).max(axis=1), until max |V_new - V| < theta.
    # HINT 3: while True: V_new = q_from_v(T, R, V, gamma).max(axis=1)
    # HINT 3:     done = max |V_new - V| < theta; V = V_new; if done: break
    # HINT 3: return V, greedy_policy(T, R, V, gamma)
    while True:
        V_new = q_from_v(T, R, V, gamma).max(axis=1)  # (S,)
        converged = np.max(np.abs(V_new - V)) < theta
        V = V_new
        if converged:
            break
    return V, greedy_policy(T, R, V, gamma)
    # END SOLUTION


# %% [markdown]
# ## Demo: Figure 4.1, then FrozenLake


# %%
def main():
    grid = envs.GridworldEnv()
    uniform = np.full((16, 4), 0.25)
    print("Figure 4.1: V_k of the random policy on the 4x4 gridworld (gamma = 1)")
    for k in [1, 2, 3, 10, None]:
        V = policy_evaluation(grid.P, uniform, gamma=1.0, max_sweeps=k).reshape(4, 4)
        print(f"k = {'inf' if k is None else k}")
        for row in V:
            print("  " + " ".join(f"{v:6.1f}" for v in row))
    V_grid = policy_evaluation(grid.P, uniform, gamma=1.0)
    T, R = envs.transition_arrays(grid.P)
    greedy = greedy_policy(T, R, V_grid, 1.0).argmax(axis=1).reshape(4, 4)
    print("greedy policy w.r.t. V_inf (already optimal):")
    for row in greedy:
        print("  " + " ".join(ARROWS_GRID[a] for a in row))

    rows, lake_results = [], {}
    for name in ["4x4", "8x8"]:
        lake = envs.FrozenLakeEnv(name, is_slippery=True)
        start = time.perf_counter()
        V_vi, policy_vi = value_iteration(lake.P, gamma=0.99)
        t_vi = time.perf_counter() - start
        start = time.perf_counter()
        V_pi, policy_pi, n_policies = policy_iteration(lake.P, gamma=0.99)
        t_pi = time.perf_counter() - start
        lake_results[name] = (lake, V_vi, policy_vi)
        rows.append([name, f"{V_vi[0]:.4f}", f"{V_pi[0]:.4f}", n_policies, f"{1e3 * t_vi:.1f}", f"{1e3 * t_pi:.1f}",
                     "yes" if np.array_equal(policy_vi, policy_pi) else "ties differ"])
    print("Slippery FrozenLake, gamma = 0.99 (V(start) ~ the discounted chance of reaching the goal)")
    print(format_table(["map", "V*(start), VI", "V*(start), PI", "policies (PI)", "VI ms", "PI ms", "same policy"], rows))

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    plotting.plot_heatmap(axes[0], V_grid.reshape(4, 4), fmt="{:.0f}", title="Figure 4.1: V of the random policy")
    lake, V, policy = lake_results["8x8"]
    plotting.plot_heatmap(axes[1], V.reshape(8, 8), fmt="{:.2f}", title="FrozenLake 8x8: V* and greedy actions", cmap="Blues")
    for s in range(64):
        row, col = divmod(s, 8)
        letter = lake.desc[row, col].decode()
        text = letter if letter in "HG" else ARROWS_LAKE[policy[s].argmax()]
        axes[1].text(col, row + 0.35, text, ha="center", va="center", fontsize=7, color="red")
    plotting.show_or_save(fig, "ex03_dynamic_programming")


if __name__ == "__main__":
    main()
