"""
Exercise 05: temporal-difference prediction, TD(0) against Monte Carlo

Learning goals
--------------
- Estimate a policy's values from experience alone, with no model: Monte Carlo
  waits for the return G_t, TD(0) updates one step later from its own estimate
  of what follows (bootstrapping).
- Reproduce Example 6.2: on the five-state random walk TD(0) learns faster than
  constant-alpha Monte Carlo for every step size the book tries.
- Measure learning by the root-mean-square error against the true values 1/6 ... 5/6.

The math
--------
The random walk (utils.envs.RandomWalkEnv): states 1..5 (A..E), terminal 0 and 6,
start in C = 3, move left or right with probability 1/2; reward 1 on leaving to the
right, else 0; gamma = 1. An episode is S_0, R_1, S_1, R_2, ..., S_T (terminal).
    return:     G_t = R_{t+1} + gamma R_{t+2} + ... + gamma^{T-t-1} R_T
    MC:         V(S_t) <- V(S_t) + alpha [G_t - V(S_t)]                  (after the episode)
    TD(0):      V(S_t) <- V(S_t) + alpha [R_{t+1} + gamma V(S_{t+1}) - V(S_t)]   (at once)
with V(terminal) = 0 always. The true value of state i is the chance of leaving
right, i / 6. RMS error = sqrt(mean over the 5 states of (V - v_true)^2).

Algorithm
---------
1. Initialise V(s) = 0.5 for the non-terminal states, 0 for the terminal ones.
2. For each episode: walk with the 50/50 policy and record states and rewards;
   apply the TD(0) updates in time order (the same as applying them online),
   or compute every G_t backwards and apply the MC updates.
3. After each episode, record the RMS error; average the curves over 100 runs.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 6.1-6.2 (Example 6.2); R. Sutton, "Learning to predict by the methods of temporal
differences", Machine Learning 3 (1988).
Difficulty: 1 of 3, about 30 minutes.
Run: python 08-reinforcement-learning/ex05_td_prediction.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.timing import format_table
from utils.validation import check_option, check_positive_int

TRUE_VALUES = np.arange(1, 6) / 6  # states 1..5 of the random walk

# %% [markdown]
# ## Experience: one episode of the random policy


# %%
def run_episode(env, rng):
    """Walk with the 50/50 policy; returns states (T+1,) and rewards (T,) (rewards[t] is R_{t+1}).

    ``rng`` draws the actions; the environment uses its own generator (seed it once with reset(seed=...)).
    """
    state, _ = env.reset()
    states, rewards, done = [state], [], False
    while not done:
        state, reward, terminated, truncated, _ = env.step(int(rng.integers(2)))
        states.append(state)
        rewards.append(reward)
        done = terminated or truncated
    return np.array(states), np.array(rewards, dtype=float)


# %% [markdown]
# ## The two updates


# %%
def td0_update(V, states, rewards, alpha, gamma=1.0):
    """TD(0) on one episode, in place, step by step in time order. V (n_states,), V[terminal] stays 0."""
    # BEGIN SOLUTION
    # HINT 1: each step moves V(S_t) towards a target that uses the *current* estimate of the next state.
    # HINT 2: target = rewards[t] + gamma * V[states[t + 1]]; V[states[t]] += alpha * (target - V[states[t]])
    # HINT 3: for t in range(len(rewards)):
    # HINT 3:     s, s_next = states[t], states[t + 1]
    # HINT 3:     V[s] += alpha * (rewards[t] + gamma * V[s_next] - V[s])
    for t in range(len(rewards)):
        s, s_next = states[t], states[t + 1]
        V[s] += alpha * (rewards[t] + gamma * V[s_next] - V[s])  # V[terminal] is 0 and never updated
    # END SOLUTION


def returns(rewards, gamma=1.0):
    """G_t for t = 0..T-1 (T,), computed backwards: G_t = R_{t+1} + gamma G_{t+1}, G_T = 0."""
    # BEGIN SOLUTION
    # HINT 1: start from the end of the episode, where nothing more is earned.
    # HINT 2: G = rewards[t] + gamma * G, walking t from T-1 down to 0.
    # HINT 3: G, out = 0.0, np.zeros(len(rewards))
    # HINT 3: for t in reversed(range(len(rewards))): G = rewards[t] + gamma * G; out[t] = G
    G, out = 0.0, np.zeros(len(rewards))  # (T,)
    for t in reversed(range(len(rewards))):
        G = rewards[t] + gamma * G
        out[t] = G
    return out
    # END SOLUTION


def mc_update(V, states, rewards, alpha, gamma=1.0):
    """Constant-alpha (every-visit) Monte Carlo on one finished episode, in place."""
    # BEGIN SOLUTION
    # HINT 1: the target is the actual return from each visited state, known only at the end.
    # HINT 2: V[states[t]] += alpha * (G[t] - V[states[t]]) with G = returns(rewards, gamma).
    # HINT 3: G = returns(rewards, gamma)
    # HINT 3: for t in range(len(rewards)): V[states[t]] += alpha * (G[t] - V[states[t]])
    G = returns(rewards, gamma)  # (T,)
    for t in range(len(rewards)):
        V[states[t]] += alpha * (G[t] - V[states[t]])
    # END SOLUTION


# %% [markdown]
# ## Learning curves


# %%
def rms_curve(method, alpha, n_episodes=100, n_runs=100, seed=0):
    """RMS error over states 1..5 after each episode (n_episodes + 1,), averaged over ``n_runs`` runs."""
    check_option(method, "method", ("td", "mc"))
    n_episodes, n_runs = check_positive_int(n_episodes, "n_episodes"), check_positive_int(n_runs, "n_runs")
    rng, env = np.random.default_rng(seed), envs.RandomWalkEnv(5)
    env.reset(seed=seed)
    update = td0_update if method == "td" else mc_update
    errors = np.zeros((n_runs, n_episodes + 1))  # (n_runs, n_episodes + 1)
    for run in range(n_runs):
        V = np.r_[0.0, np.full(5, 0.5), 0.0]  # (7,): terminal states are 0 forever
        errors[run, 0] = np.sqrt(np.mean((V[1:6] - TRUE_VALUES) ** 2))
        for episode in range(1, n_episodes + 1):
            update(V, *run_episode(env, rng), alpha)
            errors[run, episode] = np.sqrt(np.mean((V[1:6] - TRUE_VALUES) ** 2))
    return errors.mean(axis=0)


# %% [markdown]
# ## Demo: Example 6.2


# %%
def main():
    n_runs = 20 if utils.quick_mode() else 100
    rng, env = np.random.default_rng(0), envs.RandomWalkEnv(5)
    env.reset(seed=0)
    V, snapshots = np.r_[0.0, np.full(5, 0.5), 0.0], {}
    for episode in range(101):
        if episode in (0, 1, 10, 100):
            snapshots[episode] = V[1:6].copy()
        td0_update(V, *run_episode(env, rng), alpha=0.1)

    curves = {}
    for method, alphas in [("td", (0.15, 0.1, 0.05)), ("mc", (0.01, 0.02, 0.03, 0.04))]:
        for alpha in alphas:
            curves[f"{method.upper()} alpha = {alpha}"] = rms_curve(method, alpha, n_runs=n_runs, seed=1)
            print(f"  {method.upper()} alpha = {alpha}: done ({n_runs} runs)", flush=True)
    print(format_table(["method", "RMS after 10 episodes", "after 100", "lowest"],
                       [[name, f"{c[10]:.3f}", f"{c[100]:.3f}", f"{c.min():.3f}"] for name, c in curves.items()]))
    print("TD(0), alpha = 0.1, after 100 episodes:", np.round(snapshots[100], 3), " true:", np.round(TRUE_VALUES, 3))

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    for episode, values in snapshots.items():
        axes[0].plot(list("ABCDE"), values, marker="o", label=f"{episode} episodes")
    axes[0].plot(list("ABCDE"), TRUE_VALUES, color="black", linestyle="--", label="true values")
    axes[0].set(title="Example 6.2: TD(0) estimates, alpha = 0.1", xlabel="state", ylabel="estimated value")
    axes[0].legend()
    for name, curve in curves.items():
        axes[1].plot(curve, label=name, linestyle="-" if name.startswith("TD") else "--")
    axes[1].set(title="Example 6.2: RMS error, averaged over runs", xlabel="episodes", ylabel="RMS error")
    axes[1].legend(fontsize=7)
    plotting.show_or_save(fig, "ex05_td_prediction")


if __name__ == "__main__":
    main()
