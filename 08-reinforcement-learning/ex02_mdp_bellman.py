"""
Exercise 02: Markov decision processes and the Bellman equations

Learning goals
--------------
- Write a small MDP as a table P[s][a] = [(prob, next_state, reward, terminated), ...],
  the layout Gymnasium's tabular environments use (and every later exercise reads).
- See that a policy's values solve a linear system, the Bellman expectation equation,
  and solve it in one call: Figure 3.2 of Sutton & Barto.
- Find the optimal values as the fixed point of the Bellman optimality equation
  (a max over actions replaces the average), and read the optimal policy off them:
  Figure 3.5.

The math
--------
States s = 0..S-1, actions a = 0..A-1, discount gamma in [0, 1). A policy pi (S, A)
holds pi(a|s). For the outcome list of (s, a), write p, s', r, d for probability,
next state, reward and "terminated" (a terminal outcome has no future value).
    q(s, a)  = sum_{outcomes} p [ r + gamma (1 - d) V(s') ]
    Expectation: V_pi(s) = sum_a pi(a|s) q_pi(s, a). In matrices, with
        P_pi[s, s'] = sum_a pi(a|s) sum p (1 - d) 1[s' = next]   (S, S)
        r_pi[s]     = sum_a pi(a|s) sum p r                      (S,)
    V_pi = r_pi + gamma P_pi V_pi   <=>   (I - gamma P_pi) V_pi = r_pi.
    Optimality: V*(s) = max_a q*(s, a); no longer linear, but the map
    V -> max_a q_V(s, a) shrinks distances by gamma, so iterating it converges to V*.

The gridworld (Example 3.5): 5 x 5 cells, actions up, right, down, left. A move off
the grid leaves the agent in place with reward -1. Every action in A = (0, 1) moves
to A' = (4, 1) with reward +10, every action in B = (0, 3) to B' = (2, 3) with +5;
all other moves pay 0. gamma = 0.9; the task never ends.

Algorithm
---------
1. Build P from the grid's rules.
2. Figure 3.2: form P_pi and r_pi for the uniform random policy and solve
   (I - gamma P_pi) V = r_pi with np.linalg.solve.
3. Figure 3.5: start from V = 0 and apply V <- max_a q_V(s, a) until it stops changing;
   the optimal actions are the argmax set at each state.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 3.5-3.6 (Example 3.5, Figures 3.2 and 3.5); R. Bellman, Dynamic Programming (1957).
Difficulty: 1 of 3, about 30 minutes.
Run: python 08-reinforcement-learning/ex02_mdp_bellman.py
"""

# %%
import numpy as np

from utils import plotting

# %% [markdown]
# ## The MDP as a table


# %%
def make_gridworld(size=5, specials=(((0, 1), (4, 1), 10.0), ((0, 3), (2, 3), 5.0))):
    """Example 3.5's gridworld as P[s][a] = [(1.0, next_state, reward, False)]; state = row * size + col."""
    moves = [(-1, 0), (0, 1), (1, 0), (0, -1)]  # up, right, down, left
    P = {}
    for row in range(size):
        for col in range(size):
            s = row * size + col
            P[s] = {}
            for a, (dr, dc) in enumerate(moves):
                # BEGIN SOLUTION
                # HINT 1: three cases, in order: a special cell teleports, a move off the grid stays, else move.
                # HINT 2: special (from, to, bonus): next = to, reward = bonus; off grid: next = s, reward = -1.
                # HINT 3: for start, target, bonus in specials: if (row, col) == start -> (target, bonus)
                # HINT 3: else r, c = row + dr, col + dc; inside -> ((r, c), 0.0) else ((row, col), -1.0)
                # HINT 3: P[s][a] = [(1.0, r * size + c, reward, False)]
                jump = [(target, bonus) for start, target, bonus in specials if start == (row, col)]
                r, c = row + dr, col + dc
                if jump:
                    (r, c), reward = jump[0]
                elif 0 <= r < size and 0 <= c < size:
                    reward = 0.0
                else:
                    (r, c), reward = (row, col), -1.0
                P[s][a] = [(1.0, r * size + c, reward, False)]  # deterministic and never terminal
                # END SOLUTION
    return P


def policy_matrices(P, policy):
    """P_pi (S, S) and r_pi (S,) of a policy (S, A) of probabilities, terminal outcomes left out of P_pi."""
    policy = np.asarray(policy, dtype=float)
    n_states, n_actions = len(P), len(P[0])
    if policy.shape != (n_states, n_actions) or not np.allclose(policy.sum(axis=1), 1):
        raise ValueError(f"policy must have shape ({n_states}, {n_actions}) with rows summing to 1; got shape {policy.shape}")
    # BEGIN SOLUTION
    # HINT 1: walk over every (s, a) and every outcome; weight it by pi(a|s) and by its probability.
    # HINT 2: r_pi[s] += policy[s, a] * prob * reward;  P_pi[s, nxt] += policy[s, a] * prob * (not terminated)
    # HINT 3: for s, a, and (prob, nxt, reward, done) in P[s][a]:
    # HINT 3:     w = policy[s, a] * prob; r_pi[s] += w * reward
    # HINT 3:     if not done: P_pi[s, nxt] += w
    P_pi, r_pi = np.zeros((n_states, n_states)), np.zeros(n_states)  # (S, S), (S,)
    for s in range(n_states):
        for a in range(n_actions):
            for prob, nxt, reward, terminated in P[s][a]:
                weight = policy[s, a] * prob
                r_pi[s] += weight * reward
                if not terminated:  # after a terminal outcome nothing more is earned
                    P_pi[s, nxt] += weight
    # END SOLUTION
    return P_pi, r_pi


def solve_policy_values(P, policy, gamma):
    """V_pi (S,) from the Bellman expectation equation, solved as a linear system."""
    if not 0 <= gamma < 1:
        raise ValueError(f"gamma must be in [0, 1) for a continuing task; got {gamma!r}")
    # BEGIN SOLUTION
    # HINT 1: V = r_pi + gamma P_pi V is linear in V; gather the V terms on one side.
    # HINT 2: (I - gamma P_pi) V = r_pi.
    # HINT 3: P_pi, r_pi = policy_matrices(P, policy)
    # HINT 3: return np.linalg.solve(np.eye(len(r_pi)) - gamma * P_pi, r_pi)
    P_pi, r_pi = policy_matrices(P, policy)
    return np.linalg.solve(np.eye(len(r_pi)) - gamma * P_pi, r_pi)  # solve, not inv: cheaper, more accurate
    # END SOLUTION


# %% [markdown]
# ## Optimal values: the Bellman optimality equation


# %%
def action_values(P, V, gamma):
    """q_V(s, a) = sum over outcomes of p [r + gamma (1 - d) V(s')], shape (S, A)."""
    n_states, n_actions = len(P), len(P[0])
    # BEGIN SOLUTION
    # HINT 1: one number per (state, action): the expected reward plus the discounted value where you land.
    # HINT 2: q[s, a] = sum(prob * (reward + gamma * (not done) * V[nxt]) for each outcome)
    # HINT 3: q = np.zeros((n_states, n_actions)); loop s, a; sum over P[s][a] as in HINT 2.
    q = np.zeros((n_states, n_actions))  # (S, A)
    for s in range(n_states):
        for a in range(n_actions):
            q[s, a] = sum(prob * (reward + gamma * (not terminated) * V[nxt]) for prob, nxt, reward, terminated in P[s][a])
    return q
    # END SOLUTION


def optimal_values(P, gamma, tol=1e-10, max_iter=10_000):
    """V* (S,) by iterating V <- max_a q_V(s, a) until the largest change is below ``tol``."""
    # BEGIN SOLUTION
    # HINT 1: start anywhere (zeros); each sweep is one application of the optimality equation.
    # HINT 2: V_new = action_values(P, V, gamma).max(axis=1); stop when max |V_new - V| < tol.
    # HINT 3: V = zeros; repeat: V_new = action_values(P, V, gamma).max(axis=1)
    # HINT 3: if np.max(np.abs(V_new - V)) < tol: return V_new;  V = V_new
    V = np.zeros(len(P))  # (S,)
    for _ in range(max_iter):
        V_new = action_values(P, V, gamma).max(axis=1)  # a max, not the policy's average
        if np.max(np.abs(V_new - V)) < tol:
            return V_new
        V = V_new
    # END SOLUTION
    raise RuntimeError(f"no convergence in {max_iter} sweeps (is gamma < 1?)")


def optimal_actions(P, V, gamma, tol=1e-6):
    """Boolean (S, A): True for every action that attains max_a q_V(s, a) (within ``tol``)."""
    q = action_values(P, V, gamma)  # (S, A)
    return q >= q.max(axis=1, keepdims=True) - tol


# %% [markdown]
# ## Demo: Figures 3.2 and 3.5


# %%
def main():
    size, gamma = 5, 0.9
    P = make_gridworld(size)
    random_policy = np.full((size * size, 4), 0.25)  # (S, A)
    V_random = solve_policy_values(P, random_policy, gamma).reshape(size, size)  # (5, 5)
    V_star = optimal_values(P, gamma)
    best = optimal_actions(P, V_star, gamma)  # (S, A)
    V_star = V_star.reshape(size, size)

    print(f"At A and B: V_pi = {V_random[0, 1]:.1f}, {V_random[0, 3]:.1f} (Fig. 3.2: 8.8, 5.3); "
          f"V* = {V_star[0, 1]:.1f}, {V_star[0, 3]:.1f} (Fig. 3.5: 24.4, 19.4). The figure shows every cell.")

    fig, axes = plotting.new_figure(1, 3, width=4.6)
    plotting.plot_heatmap(axes[0], V_random, fmt="{:.1f}", title="V_pi, random policy (Fig. 3.2)")
    plotting.plot_heatmap(axes[1], V_star, fmt="{:.1f}", title="V* (Fig. 3.5)")
    plotting.plot_heatmap(axes[2], V_star, annotate=False, colorbar=False, title="optimal policy (Fig. 3.5)")
    dirs = {0: (0, -0.3), 1: (0.3, 0), 2: (0, 0.3), 3: (-0.3, 0)}  # up, right, down, left as (dx, dy), y pointing down
    for s in range(size * size):
        row, col = divmod(s, size)
        for a in np.flatnonzero(best[s]):
            axes[2].annotate("", xy=(col + dirs[a][0], row + dirs[a][1]), xytext=(col, row),
                             arrowprops=dict(arrowstyle="->", color="white"))
    plotting.show_or_save(fig, "ex02_mdp_bellman")


if __name__ == "__main__":
    main()
