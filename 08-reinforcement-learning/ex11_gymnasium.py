"""
Exercise 11: the library after the lesson: our agents on Gymnasium's environments

Learning goals
--------------
- See why the environments of this module follow Gymnasium's interface: the agents
  of ex03, ex06 and ex09 drive `gymnasium.make(...)` without a single change.
- Write the one loop every reinforcement-learning program has, against that
  interface: reset, act, step, stop on terminated *or* truncated.
- Check the plumbing: the same policy and seed give the same episodes on our
  environment and on Gymnasium's, and value iteration reads Gymnasium's own table P.

The math
--------
Nothing new: an environment is anything with
    reset(seed=None) -> (obs, info)
    step(action)     -> (obs, reward, terminated, truncated, info)
    action_space.n, observation_space (.n for tabular ones, .shape for boxes)
Gymnasium (the maintained successor of OpenAI Gym) adds what a library needs on top:
a registry of environments (`gymnasium.make("CartPole-v1")` wraps the environment in
a time limit, an order checker and more), vectorised environments, rendering, and
many more tasks (Atari, MuJoCo, ...) behind the same five calls.

Algorithm
---------
1. Define `evaluate(env, choose_action, n_episodes, seed)`: the generic episode loop.
2. Value iteration (ex03) on `gymnasium.make("FrozenLake8x8-v1").unwrapped.P`.
3. Q-learning (ex06) trained directly on Gymnasium's FrozenLake; actor-critic (ex09)
   trained directly on Gymnasium's CartPole-v1.
4. Evaluate every policy on ours and on Gymnasium's environment with the same seed.

References: Farama Foundation, Gymnasium documentation (https://gymnasium.farama.org);
M. Towers et al., "Gymnasium: a standard interface for reinforcement learning
environments", arXiv:2407.17032 (2024); G. Brockman et al., "OpenAI Gym", arXiv:1606.01540 (2016).
Builds on: 08-reinforcement-learning/ex03_dynamic_programming.py (dp), ex06_sarsa_q_learning.py (td_control),
ex09_policy_gradient.py (pg).
Difficulty: 1 of 3, about 20 minutes.
Run: python 08-reinforcement-learning/ex11_gymnasium.py
"""

# %%
import numpy as np

import utils
from utils import envs, plotting
from utils.timing import format_table
from utils.validation import check_positive_int

dp = utils.load_exercise("08-reinforcement-learning/ex03_dynamic_programming.py", practice=False)
td_control = utils.load_exercise("08-reinforcement-learning/ex06_sarsa_q_learning.py", practice=False)
pg = utils.load_exercise("08-reinforcement-learning/ex09_policy_gradient.py", practice=False)

# %% [markdown]
# ## The loop every agent runs


# %%
def evaluate(env, choose_action, n_episodes, seed=0):
    """Returns (n_episodes,) of a policy ``choose_action(obs) -> action`` on any Gymnasium-style env.

    The first reset is seeded, the later ones continue the environment's generator.
    """
    n_episodes = check_positive_int(n_episodes, "n_episodes")
    returns = np.zeros(n_episodes)  # (n_episodes,)
    # BEGIN SOLUTION
    # HINT 1: seed only the first reset; an episode ends on terminated or on truncated (the time limit).
    # HINT 2: obs, reward, terminated, truncated, info = env.step(choose_action(obs)); returns[i] += reward
    # HINT 3: for i in range(n_episodes):
    # HINT 3:     obs, _ = env.reset(seed=seed if i == 0 else None); done = False
    # HINT 3:     while not done: obs, r, terminated, truncated, _ = env.step(choose_action(obs)); returns[i] += r; done = terminated or truncated
    for i in range(n_episodes):
        obs, _ = env.reset(seed=seed if i == 0 else None)
        done = False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(choose_action(obs))
            returns[i] += reward
            done = terminated or truncated  # stop on either: a time limit also ends the episode
    # END SOLUTION
    return returns


# %% [markdown]
# ## Demo: the same agents, Gymnasium's environments


# %%
def main():
    import gymnasium as gym  # the library, after the lesson

    quick = utils.quick_mode()
    n_lake, n_eval_lake, n_cart, n_eval_cart = (1000, 300, 30, 5) if quick else (30_000, 2000, 2000, 100)
    rows = []

    lake_gym, lake_ours = gym.make("FrozenLake8x8-v1"), envs.FrozenLakeEnv("8x8")
    V, optimal = dp.value_iteration(lake_gym.unwrapped.P, gamma=0.99)  # Gymnasium's own table, same layout
    for name, policy in [("value iteration on Gymnasium's P", optimal.argmax(axis=1))]:
        rows.append([name, "FrozenLake8x8-v1"] + [f"{evaluate(e, lambda s: int(policy[s]), n_eval_lake, seed=1).mean():.3f}"
                                                   for e in (lake_ours, lake_gym)])
    print(f"Q-learning trained on gymnasium.make('FrozenLake8x8-v1'), {n_lake} episodes ...", flush=True)
    Q, lake_rewards = td_control.train(lake_gym, "q_learning", n_lake, alpha=None, gamma=0.99, epsilon=1.0, epsilon_final=0.05, seed=0)
    greedy_q = Q.argmax(axis=1)
    rows.append(["Q-learning (ex06), trained on Gymnasium", "FrozenLake8x8-v1"]
                + [f"{evaluate(e, lambda s: int(greedy_q[s]), n_eval_lake, seed=1).mean():.3f}" for e in (lake_ours, lake_gym)])

    cart_gym = gym.make("CartPole-v1")
    cart_gym.reset(seed=0)
    print(f"actor-critic trained on gymnasium.make('CartPole-v1'), up to {n_cart} episodes ...", flush=True)
    policy, cart_returns = pg.train("actor_critic", max_episodes=n_cart, seed=0, env=cart_gym, verbose=not quick)
    rng = np.random.default_rng(0)
    rows.append(["actor-critic (ex09), trained on Gymnasium", "CartPole-v1"]
                + [f"{evaluate(e, lambda s: pg.act(policy, np.asarray(s), rng, greedy=True), n_eval_cart, seed=1).mean():.1f}"
                   for e in (envs.CartPoleEnv(), gym.make("CartPole-v1"))])
    print(format_table(["policy", "task", "mean return, our env", "mean return, Gymnasium"], rows))
    print("(the two columns agree: same seed, same dynamics, same random draws)")

    fig, axes = plotting.new_figure(1, 2, width=5.5)
    window = max(1, n_lake // 100)
    axes[0].plot(np.convolve(lake_rewards, np.ones(window) / window, mode="valid"))
    axes[0].axhline(V[0], color="black", linestyle="--", label="V*(start), gamma = 0.99")
    axes[0].set(title="Q-learning on Gymnasium's FrozenLake 8x8", xlabel="episode", ylabel="success (moving average)")
    axes[0].legend()
    axes[1].plot(cart_returns)
    axes[1].axhline(475, color="black", linestyle="--", label="solved (475)")
    axes[1].set(title="Actor-critic on Gymnasium's CartPole-v1", xlabel="episode", ylabel="return")
    axes[1].legend()
    plotting.show_or_save(fig, "ex11_gymnasium")


if __name__ == "__main__":
    main()
