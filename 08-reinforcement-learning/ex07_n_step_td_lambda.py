"""
Exercise 07: n-step TD and TD(lambda) with eligibility traces

Learning goals
--------------
- Bridge TD(0) and Monte Carlo (ex05): the n-step return looks n rewards ahead,
  then bootstraps; n = 1 is TD(0), n >= the episode's length is Monte Carlo.
- Reproduce Figure 7.2 on the 19-state random walk: an intermediate n learns best.
- Average all n-step returns at once, with weights (1 - lambda) lambda^(n-1), and
  compute that incrementally, backwards in time, with an eligibility trace: TD(lambda).

The math
--------
Episode S_0, R_1, S_1, ..., S_T; V(terminal) = 0.
    n-step return:  G_{t:t+n} = R_{t+1} + gamma R_{t+2} + ... + gamma^{n-1} R_{t+n} + gamma^n V(S_{t+n})
                    (the V term only if t + n < T; otherwise it is the full return G_t)
    n-step TD:      V(S_t) <- V(S_t) + alpha [G_{t:t+n} - V(S_t)],  made at time t + n (online)
    TD(lambda), accumulating traces e (n_states,), at every step t:
        delta = R_{t+1} + gamma V(S_{t+1}) - V(S_t)
        e <- gamma lambda e;  e(S_t) += 1;  V <- V + alpha delta e
lambda = 0 is TD(0); lambda = 1 approaches Monte Carlo. The 19-state walk: start in
the middle, reward -1 on leaving left, +1 on leaving right, gamma = 1; true values
-0.9, -0.8, ..., 0.9.

Algorithm
---------
1. For each run, record 10 episodes of the random walk (the same episodes for every setting).
2. For each n (or lambda) and alpha: start from V = 0, learn from the 10 episodes in
   order, recording the RMS error over the 19 states after each episode.
3. Average over episodes and runs; plot against alpha (Figure 7.2).

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 7.1 (Example 7.1, Figure 7.2) and ch. 12.1-12.2 (TD(lambda), Figure 12.6);
R. Sutton, "Learning to predict by the methods of temporal differences", Machine Learning 3 (1988).
Difficulty: 2 of 3, about 45 minutes.
Run: python 08-reinforcement-learning/ex07_n_step_td_lambda.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.validation import check_positive_int

N_STATES = 19
TRUE_VALUES = np.arange(-18, 20, 2) / 20  # (19,): -0.9 .. 0.9

# %% [markdown]
# ## Episodes of the 19-state walk


# %%
def walk_episodes(n_episodes, rng):
    """Episodes as (states (T+1,), rewards (T,)); states 0 and 20 are terminal."""
    env = envs.RandomWalkEnv(N_STATES)
    env.reset(seed=int(rng.integers(2**31)))
    episodes = []
    for _ in range(n_episodes):
        state, _ = env.reset()
        states, rewards, done = [state], [], False
        while not done:
            state, reward, done, _, _ = env.step(int(rng.integers(2)))
            states.append(state)
            rewards.append(-1.0 if state == 0 else reward)  # Example 7.1 pays -1 on the left end
        episodes.append((np.array(states), np.array(rewards)))
    return episodes


# %% [markdown]
# ## n-step TD and TD(lambda)


# %%
def n_step_td_update(V, states, rewards, n, alpha, gamma=1.0):
    """Apply the n-step TD updates of one episode to V (n_states + 2,), in place, in time order."""
    n = check_positive_int(n, "n")
    T = len(rewards)
    # BEGIN SOLUTION
    # HINT 1: for each t, add up to n discounted rewards, then bootstrap only if the episode has not ended by then.
    # HINT 2: G = sum_{i=t}^{min(t+n, T)-1} gamma^(i-t) rewards[i]  (+ gamma^n V[states[t+n]] if t + n < T)
    # HINT 3: for t in range(T):
    # HINT 3:     end = min(t + n, T); G = sum(gamma ** (i - t) * rewards[i] for i in range(t, end))
    # HINT 3:     if t + n < T: G += gamma ** n * V[states[t + n]]
    # HINT 3:     V[states[t]] += alpha * (G - V[states[t]])
    for t in range(T):
        end = min(t + n, T)
        G = sum(gamma ** (i - t) * rewards[i] for i in range(t, end))  # rewards[i] is R_{i+1}
        if t + n < T:
            G += gamma**n * V[states[t + n]]  # bootstrap from the current estimate
        V[states[t]] += alpha * (G - V[states[t]])
    # END SOLUTION


def td_lambda_update(V, states, rewards, lam, alpha, gamma=1.0):
    """Online TD(lambda) with accumulating traces over one episode, in place."""
    if not 0 <= lam <= 1:
        raise ValueError(f"lam must be in [0, 1]; got {lam!r}")
    e = np.zeros_like(V)  # (n_states + 2,): one trace per state, reset every episode
    # BEGIN SOLUTION
    # HINT 1: every step, the TD error is shared among recently visited states in proportion to their trace.
    # HINT 2: delta = rewards[t] + gamma * V[states[t + 1]] - V[states[t]]; e *= gamma * lam; e[states[t]] += 1; V += alpha * delta * e
    # HINT 3: for t in range(len(rewards)):
    # HINT 3:     s, s_next = states[t], states[t + 1]; delta = rewards[t] + gamma * V[s_next] - V[s]
    # HINT 3:     e *= gamma * lam; e[s] += 1.0; V += alpha * delta * e
    for t in range(len(rewards)):
        s, s_next = states[t], states[t + 1]
        delta = rewards[t] + gamma * V[s_next] - V[s]  # V[terminal] stays 0: its trace gets no TD error of its own
        e *= gamma * lam
        e[s] += 1.0
        V += alpha * delta * e
    # END SOLUTION


def rms_over_alphas(update, settings, alphas, n_runs=50, n_episodes=10, seed=0):
    """Mean RMS error over states and the first ``n_episodes``, shape (len(settings), len(alphas))."""
    rng = np.random.default_rng(seed)
    errors = np.zeros((len(settings), len(alphas)))
    for _ in range(check_positive_int(n_runs, "n_runs")):
        episodes = walk_episodes(n_episodes, rng)
        for i, setting in enumerate(settings):
            for j, alpha in enumerate(alphas):
                V = np.zeros(N_STATES + 2)  # (21,)
                for states, rewards in episodes:
                    update(V, states, rewards, setting, alpha)
                    errors[i, j] += np.sqrt(np.mean((V[1:-1] - TRUE_VALUES) ** 2)) / (n_runs * n_episodes)
    return errors


# %% [markdown]
# ## Demo: Figure 7.2 and its TD(lambda) counterpart


# %%
def main():
    n_runs = 5 if utils.quick_mode() else 40
    alphas = np.linspace(0.0, 1.0, 11)
    ns, lambdas = [1, 2, 4, 8, 16, 32], [0.0, 0.4, 0.8, 0.9, 0.95]
    n_step = rms_over_alphas(n_step_td_update, ns, alphas, n_runs=n_runs, seed=0)
    print(f"  n-step TD done ({n_runs} runs)", flush=True)
    trace = rms_over_alphas(td_lambda_update, lambdas, alphas[:7], n_runs=n_runs, seed=0)  # large alphas diverge
    print("best alpha and error: n-step TD (Figure 7.2)")
    for n, row in zip(ns, n_step):
        print(f"  n = {n:2d}: alpha = {alphas[row.argmin()]:.1f}, RMS = {row.min():.3f}")
    print("best alpha and error: online TD(lambda), accumulating traces")
    for lam, row in zip(lambdas, trace):
        print(f"  lambda = {lam:.2f}: alpha = {alphas[row.argmin()]:.1f}, RMS = {row.min():.3f}")

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    for n, row in zip(ns, n_step):
        axes[0].plot(alphas, row, label=f"n = {n}")
    axes[0].set(title="Figure 7.2: n-step TD, 19-state walk", xlabel="alpha", ylabel="RMS error, first 10 episodes", ylim=(0.25, 0.55))
    for lam, row in zip(lambdas, trace):
        axes[1].plot(alphas[:7], row, label=f"lambda = {lam}")
    axes[1].set(title="Online TD(lambda)", xlabel="alpha", ylabel="RMS error, first 10 episodes", ylim=(0.25, 0.55))
    for ax in axes:
        ax.legend(fontsize=7)
    plotting.show_or_save(fig, "ex07_n_step_td_lambda")


if __name__ == "__main__":
    main()
