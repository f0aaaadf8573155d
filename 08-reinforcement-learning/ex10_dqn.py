"""
Exercise 10: deep Q-networks: experience replay and a target network, on CartPole

Learning goals
--------------
- Replace the Q table of ex06 by a network Q_theta(s, .) that outputs one value per
  action, and train it on Q-learning targets by regression.
- See why plain online updates fail and what the two classic fixes do: a replay
  buffer breaks the correlation between consecutive samples, and a frozen target
  network stops the regression target from moving with every step.
- Write the Huber (smooth L1) loss, which keeps one bad target from blowing up a step.

The math
--------
Q_theta: states (N, 4) -> values (N, 2), the 4 -> H -> 2 tanh network of ex09.
A transition (s, a, r, s', d) gives the target, with the target network's weights theta^-:
    y = r + gamma (1 - d) max_a' Q_theta^-(s', a')        (no gradient flows into y)
and the loss over a mini-batch of N transitions drawn uniformly from the buffer is
    L = 1/N sum_n huber(Q_theta(s_n, a_n) - y_n),  huber(x) = x^2 / 2 if |x| <= 1 else |x| - 1/2
so dL/dQ(s_n, a) = clip(Q - y, -1, 1) / N for a = a_n and 0 for the other actions.
Every C steps theta^- <- theta. Actions are epsilon-greedy, epsilon falling from 1 to
0.05 over the first steps. A time-limit cut is not a terminal state: d = 0 there.

Algorithm
---------
1. Fill the buffer with transitions; after a warm-up, at every step sample N of them.
2. Compute y with the target network, the Huber gradient on the taken actions only,
   backpropagate and take an Adam step.
3. Copy the weights into the target network every C steps.
4. Every few episodes, evaluate the greedy policy and keep the best weights seen.

References: V. Mnih et al., "Human-level control through deep reinforcement learning",
Nature 518 (2015); L.-J. Lin, "Self-improving reactive agents based on reinforcement
learning, planning and teaching", Machine Learning 8 (1992, experience replay);
P. Huber, "Robust estimation of a location parameter" (1964).
Builds on: 08-reinforcement-learning/ex09_policy_gradient.py (pg: the network and the episode loop).
Difficulty: 3 of 3, about 60 minutes.
Run: python 08-reinforcement-learning/ex10_dqn.py
"""

# %%
import time

import numpy as np

import utils
from utils import envs, optim, plotting
from utils.timing import format_table
from utils.validation import check_non_negative_int, check_positive_int, check_positive_number

pg = utils.load_exercise("08-reinforcement-learning/ex09_policy_gradient.py", practice=False)

# %% [markdown]
# ## Experience replay


# %%
class ReplayBuffer:
    """A ring buffer of the last ``capacity`` transitions, sampled uniformly."""

    def __init__(self, capacity, state_dim):
        self.capacity = check_positive_int(capacity, "capacity")
        self.states, self.next_states = np.zeros((capacity, state_dim)), np.zeros((capacity, state_dim))  # (C, d) each
        self.actions = np.zeros(capacity, dtype=int)  # (C,)
        self.rewards, self.terminated = np.zeros(capacity), np.zeros(capacity)  # (C,) each
        self.size, self.position = 0, 0

    def add(self, state, action, reward, next_state, terminated):
        """Store one transition, overwriting the oldest when full."""
        # BEGIN SOLUTION
        # HINT 1: write at self.position, then move it on, wrapping around at capacity.
        # HINT 2: i = self.position; fill row i of every array; position = (i + 1) % capacity; size = min(size + 1, capacity)
        # HINT 3: i = self.position; self.states[i] = state; ...; self.position = (i + 1) % self.capacity; size likewise
        i = self.position
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.terminated[i] = next_state, terminated
        self.position = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)
        # END SOLUTION

    def sample(self, batch_size, rng):
        """(states, actions, rewards, next_states, terminated) for ``batch_size`` stored transitions."""
        if self.size == 0:
            raise ValueError("the buffer is empty; add transitions before sampling")
        idx = rng.integers(self.size, size=batch_size)  # (N,), uniform over what is stored
        return self.states[idx], self.actions[idx], self.rewards[idx], self.next_states[idx], self.terminated[idx]


# %% [markdown]
# ## Targets, the loss, and the training loop


# %%
def q_targets(rewards, next_q_target, terminated, gamma):
    """y (N,) = r + gamma (1 - d) max_a Q_target(s', a), from next_q_target (N, n_actions)."""
    # BEGIN SOLUTION
    # HINT 1: the best next action's value, counted only when the episode goes on.
    # HINT 2: rewards + gamma * (1 - terminated) * next_q_target.max(axis=1)
    # HINT 3: return rewards + gamma * (1.0 - terminated) * next_q_target.max(axis=1)
    return rewards + gamma * (1.0 - terminated) * next_q_target.max(axis=1)  # (N,)
    # END SOLUTION


def huber_td_loss(q_values, actions, targets):
    """Mean Huber loss of Q(s_n, a_n) - y_n and its gradient dL/dq_values (N, n_actions)."""
    # BEGIN SOLUTION
    # HINT 1: only the value of the action actually taken has a target; the other outputs get zero gradient.
    # HINT 2: err = q_values[rows, actions] - targets; loss = mean(where(|err| <= 1, err^2 / 2, |err| - 1/2));
    # HINT 2: dq[rows, actions] = clip(err, -1, 1) / N
    # HINT 3: rows = np.arange(len(actions)); err = q_values[rows, actions] - targets
    # HINT 3: dq = np.zeros_like(q_values); dq[rows, actions] = np.clip(err, -1, 1) / len(err)
    rows = np.arange(len(actions))
    err = q_values[rows, actions] - targets  # (N,)
    loss = np.mean(np.where(np.abs(err) <= 1.0, 0.5 * err**2, np.abs(err) - 0.5))
    dq = np.zeros_like(q_values)  # (N, n_actions)
    dq[rows, actions] = np.clip(err, -1.0, 1.0) / len(err)  # the Huber slope: bounded, unlike err itself
    return loss, dq
    # END SOLUTION


def greedy_return(params, env, n_episodes, seed):
    """Mean return of argmax_a Q(s, a) over ``n_episodes`` episodes."""
    rng = np.random.default_rng(seed)
    env.reset(seed=seed)
    return float(np.mean([pg.play(env, params, rng, greedy=True)[2].sum() for _ in range(n_episodes)]))


def train(max_steps=100_000, n_hidden=128, gamma=0.99, lr=5e-4, batch_size=64, buffer_size=50_000, warmup=1000,
          target_every=1000, eps_steps=20_000, eval_every=5, seed=0, target=475.0, verbose=False):
    """DQN on CartPole; returns (best params by greedy evaluation, episode returns, evaluations)."""
    for name, value in [("max_steps", max_steps), ("batch_size", batch_size), ("buffer_size", buffer_size),
                        ("target_every", target_every), ("eps_steps", eps_steps), ("eval_every", eval_every)]:
        check_positive_int(value, name)
    check_non_negative_int(warmup, "warmup")
    if not 0 <= gamma <= 1:
        raise ValueError(f"gamma must be in [0, 1]; got {gamma!r}")
    target = check_positive_number(target, "target")  # a greedy return to reach: every episode earns at least 1
    rng, env, eval_env = np.random.default_rng(seed), envs.CartPoleEnv(), envs.CartPoleEnv()
    env.reset(seed=seed)
    online = pg.init_net(4, n_hidden, 2, rng, out_scale=0.1)
    frozen = {k: v.copy() for k, v in online.items()}  # the target network theta^-
    opt, buffer = optim.Adam(lr=lr), ReplayBuffer(buffer_size, 4)
    returns, evaluations, best, best_score = [], [], {k: v.copy() for k, v in online.items()}, -np.inf
    (state, _), episode_return = env.reset(), 0.0
    for step in range(max_steps):
        epsilon = max(0.05, 1.0 - step / eps_steps)
        action = int(rng.integers(2)) if rng.random() < epsilon else pg.act(online, state, rng, greedy=True)
        next_state, reward, terminated, truncated, _ = env.step(action)
        buffer.add(state, action, reward, next_state, terminated)  # terminated, not truncated: see the docstring
        state, episode_return = next_state, episode_return + reward
        if terminated or truncated:
            returns.append(episode_return)
            (state, _), episode_return = env.reset(), 0.0
            if len(returns) % eval_every == 0 and step > warmup:
                score = greedy_return(online, eval_env, 5, seed=len(returns))
                evaluations.append((len(returns), score))
                if score >= best_score:
                    best, best_score = {k: v.copy() for k, v in online.items()}, score
                if verbose:
                    print(f"  step {step:6d}, episode {len(returns):4d}, last 10: {np.mean(returns[-10:]):6.1f}, greedy {score:6.1f}", flush=True)
                if len(evaluations) >= 2 and min(s for _, s in evaluations[-2:]) >= target:  # two in a row
                    break
        if step >= warmup:
            S, A, R, S2, D = buffer.sample(batch_size, rng)
            y = q_targets(R, pg.net_forward(frozen, S2)[0], D, gamma)  # (N,), from the frozen weights
            q, cache = pg.net_forward(online, S)  # (N, 2)
            _, dq = huber_td_loss(q, A, y)
            opt.step(online, pg.net_backward(dq, cache))
        if step % target_every == 0:
            frozen = {k: v.copy() for k, v in online.items()}
    return best, np.array(returns), evaluations


# %% [markdown]
# ## Demo: DQN on CartPole-v1


# %%
def main():
    quick = utils.quick_mode()
    max_steps, n_eval = (2500, 5) if quick else (100_000, 100)
    start = time.perf_counter()
    params, returns, evaluations = train(max_steps=max_steps, seed=0, verbose=not quick)
    seconds = time.perf_counter() - start
    score = greedy_return(params, envs.CartPoleEnv(), n_eval, seed=123)
    print(format_table(["method", "training episodes", "seconds", f"greedy mean return ({n_eval} new episodes)", "solved (>= 475)"],
                       [["DQN", len(returns), f"{seconds:.1f}", f"{score:.1f}", "yes" if score >= 475 else "no"]]))

    fig, axes = plotting.new_figure(1, 1, width=6.5)
    axes.plot(returns, alpha=0.4, label="training episodes (epsilon-greedy)")
    if evaluations:
        axes.plot(*zip(*evaluations), marker="o", label="greedy evaluation (5 episodes)")
    axes.axhline(475, color="black", linestyle="--", label="solved (475)")
    axes.set(title="CartPole-v1: DQN", xlabel="episode", ylabel="return")
    axes.legend()
    plotting.show_or_save(fig, "ex10_dqn")


if __name__ == "__main__":
    main()
