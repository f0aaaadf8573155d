"""
Exercise 09: policy gradients: REINFORCE with a baseline, then actor-critic, on CartPole

Learning goals
--------------
- Learn a policy directly: a small NumPy network maps a state to action
  probabilities, and gradient ascent makes rewarding actions more likely.
- Derive the REINFORCE gradient as a weighted cross-entropy: the "label" is the
  action taken, its weight the advantage (how much better than expected it went).
- Cut the variance twice: subtract a learned baseline V(s) from the return
  (REINFORCE with baseline), then replace the return by the one-step TD target
  (actor-critic). Balance CartPole for 500 steps.

The math
--------
Policy pi_theta(a|s) = softmax(f_theta(s))_a with f a 4 -> H -> 2 tanh network;
critic V_w(s) a 4 -> H -> 1 network. Over a batch of episodes with steps t:
    G_t = r_{t+1} + gamma G_{t+1} (0 after termination; after a time-limit cut we start from V(s_T))
    REINFORCE with baseline:  A_t = G_t - V_w(s_t)
    actor-critic (one-step):  A_t = r_{t+1} + gamma (1 - d_{t+1}) V_w(s_{t+1}) - V_w(s_t)   (the TD error)
    policy gradient theorem:  grad J = E[ A_t grad log pi(a_t|s_t) ]
We minimise L = -1/N sum_t A_t log pi(a_t|s_t): its gradient with respect to the logits
is A_t (softmax(f(s_t)) - onehot(a_t)) / N, the softmax cross-entropy gradient of
module 06 scaled row by row. A is normalised to mean 0, std 1 per batch (a common,
scale-free step size). The critic minimises 1/2 mean (V_w(s_t) - target_t)^2 with
target G_t (REINFORCE) or r + gamma (1 - d) V_w(s') (actor-critic).

Algorithm
---------
1. Play a batch of episodes with actions sampled from pi; record s, a, r, s', d.
2. Compute targets and advantages (above); normalise the advantages.
3. One Adam step on the policy with dL/dlogits = A (pi - onehot) / N, backpropagated
   through the network; a few Adam steps on the critic (critic_steps).
4. Repeat until the last 20 training episodes average >= 475, then evaluate the
   greedy policy (argmax) on 100 new episodes.

References: Sutton & Barto, Reinforcement Learning: An Introduction (2nd ed., 2018),
ch. 13 (13.3-13.5); R. Williams, "Simple statistical gradient-following algorithms
for connectionist reinforcement learning", Machine Learning 8 (1992); V. Mnih et al.,
"Asynchronous methods for deep reinforcement learning", ICML 2016.
Difficulty: 3 of 3, about 60 minutes.
Run: python 08-reinforcement-learning/ex09_policy_gradient.py
"""

# %%
import time

import numpy as np

import utils
from utils import envs, nn, optim, plotting
from utils.timing import format_table
from utils.validation import check_option, check_positive_int

# %% [markdown]
# ## A small network (4 -> H tanh -> n_out), and the two pieces that make it a policy gradient


# %%
def init_net(n_in, n_hidden, n_out, rng, out_scale=0.01):
    """Xavier-scaled hidden layer; a tiny output layer so the first policy is almost uniform."""
    n_in, n_hidden = check_positive_int(n_in, "n_in"), check_positive_int(n_hidden, "n_hidden")
    n_out = check_positive_int(n_out, "n_out")
    return {"W1": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in), "b1": np.zeros(n_hidden),
            "W2": rng.standard_normal((n_hidden, n_out)) * out_scale, "b2": np.zeros(n_out)}


def net_forward(params, X):
    """Outputs (N, n_out) for states X (N, n_in); returns (out, cache)."""
    hidden, cache1 = nn.affine_forward(X, params["W1"], params["b1"])  # (N, H)
    activated, cache_tanh = nn.tanh_forward(hidden)  # (N, H)
    out, cache2 = nn.affine_forward(activated, params["W2"], params["b2"])  # (N, n_out)
    return out, (cache1, cache_tanh, cache2)


def net_backward(dout, cache):
    """Gradients of the loss for every parameter, given dout = dL/dout (N, n_out)."""
    cache1, cache_tanh, cache2 = cache
    dactivated, dW2, db2 = nn.affine_backward(dout, cache2)
    _, dW1, db1 = nn.affine_backward(nn.tanh_backward(dactivated, cache_tanh), cache1)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def policy_gradient_loss(logits, actions, advantages):
    """L = -mean(A_t log pi(a_t|s_t)) and dL/dlogits (N, n_actions)."""
    # BEGIN SOLUTION
    # HINT 1: it is module 06's softmax cross-entropy with the taken actions as labels, each row weighted by A.
    # HINT 2: loss = mean(A * CE_t);  dlogits = A[:, None] * (softmax(logits) - onehot(actions)) / N
    # HINT 3: _, dce = nn.softmax_cross_entropy(logits, actions)   # (pi - onehot) / N
    # HINT 3: log_pi = nn.log_softmax(logits)[rows, actions]; loss = -np.mean(advantages * log_pi)
    # HINT 3: return loss, dce * advantages[:, None]
    _, dce = nn.softmax_cross_entropy(logits, actions)  # (N, A): (pi - onehot) / N
    log_pi = nn.log_softmax(logits, axis=1)  # (N, A), by log-sum-exp: finite for any logits
    loss = -np.mean(advantages * log_pi[np.arange(len(actions)), actions])
    return loss, dce * advantages[:, None]
    # END SOLUTION


def advantages_and_targets(rewards, values, next_values, terminated, gamma, method):
    """(A (T,), critic targets (T,)) for one episode; values = V(s_t), next_values = V(s_{t+1}).

    ``terminated`` (T,) is True only at a real end; a time-limit cut bootstraps from next_values[-1].
    """
    check_option(method, "method", ("reinforce", "actor_critic"))
    # BEGIN SOLUTION
    # HINT 1: REINFORCE needs the discounted return from each step; actor-critic looks one step ahead only.
    # HINT 2: G_t = r_t + gamma G_{t+1} (starting from (1 - d_T) V(s_T)); delta_t = r_t + gamma (1 - d_t) V(s_{t+1}) - V(s_t)
    # HINT 3: if method == "actor_critic": targets = rewards + gamma * (1 - terminated) * next_values
    # HINT 3: else: G = (1 - terminated[-1]) * next_values[-1]; walk t backwards: G = rewards[t] + gamma * G; targets[t] = G
    # HINT 3: return targets - values, targets
    if method == "actor_critic":
        targets = rewards + gamma * (1.0 - terminated) * next_values  # (T,)
    else:
        targets = np.zeros(len(rewards))  # (T,)
        G = 0.0 if terminated[-1] else next_values[-1]  # cut by the time limit: the future is not zero
        for t in reversed(range(len(rewards))):
            G = rewards[t] + gamma * G
            targets[t] = G
    return targets - values, targets
    # END SOLUTION


# %% [markdown]
# ## Acting, training, and a demo on CartPole-v1


# %%
def act(params, state, rng, greedy=False):
    """An action sampled from pi(.|state) (or its argmax)."""
    logits, _ = net_forward(params, state[None, :].astype(float))  # (1, 2)
    if greedy:
        return int(logits[0].argmax())
    p = nn.softmax(logits)[0]  # (2,)
    return int(rng.random() > p[0]) if len(p) == 2 else int(rng.choice(len(p), p=p))


def play(env, params, rng, greedy=False):
    """One episode: states (T, 4), actions (T,), rewards (T,), next states (T, 4), terminated (T,)."""
    state, _ = env.reset()
    steps, done = [], False
    while not done:
        action = act(params, state, rng, greedy)
        next_state, reward, terminated, truncated, _ = env.step(action)
        steps.append((state, action, reward, next_state, terminated))
        state, done = next_state, terminated or truncated
    s, a, r, s2, d = zip(*steps)
    return np.array(s, float), np.array(a), np.array(r), np.array(s2, float), np.array(d, float)


def train(method="actor_critic", max_episodes=1500, batch_episodes=4, gamma=0.99, lr=0.01, n_hidden=32, seed=0,
          target=475.0, critic_steps=10, env=None, verbose=False):
    """Train on CartPole (ours, or any ``env`` with its API); returns (policy params, episode returns).

    Stops once the last 20 returns average >= target.
    """
    check_option(method, "method", ("reinforce", "actor_critic"))
    for name, value in (("max_episodes", max_episodes), ("batch_episodes", batch_episodes), ("critic_steps", critic_steps)):
        check_positive_int(value, name)
    if not 0 <= gamma <= 1:
        raise ValueError(f"gamma must be in [0, 1]; got {gamma!r}")
    rng, env = np.random.default_rng(seed), envs.CartPoleEnv() if env is None else env
    env.reset(seed=seed)
    policy, critic = init_net(4, n_hidden, 2, rng), init_net(4, n_hidden, 1, rng)
    opt_policy, opt_critic = optim.Adam(lr=lr), optim.Adam(lr=lr)
    returns = []
    while len(returns) < max_episodes:
        batch = [play(env, policy, rng) for _ in range(batch_episodes)]
        returns += [ep[2].sum() for ep in batch]
        S, A, S2 = (np.concatenate([ep[i] for ep in batch]) for i in (0, 1, 3))  # (N, 4), (N,), (N, 4)
        values, cache_v = net_forward(critic, S)  # (N, 1)
        next_values = net_forward(critic, S2)[0][:, 0]  # (N,)
        ends = np.cumsum([len(ep[2]) for ep in batch])  # each episode's rows are [end - T, end)
        pieces = [advantages_and_targets(ep[2], values[e - len(ep[2]):e, 0], next_values[e - len(ep[2]):e], ep[4], gamma, method)
                  for ep, e in zip(batch, ends)]
        adv, tgt = (np.concatenate(p) for p in zip(*pieces))  # (N,), (N,)
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)  # scale-free steps; +eps for a batch of equal advantages
        logits, cache_p = net_forward(policy, S)  # (N, 2)
        _, dlogits = policy_gradient_loss(logits, A, adv)
        opt_policy.step(policy, net_backward(dlogits, cache_p))
        opt_critic.step(critic, net_backward((values - tgt[:, None]) / len(tgt), cache_v))  # MSE / 2 gradient
        for _ in range(critic_steps - 1):  # a few more steps on the same batch: the critic keeps up with the policy
            values, cache_v = net_forward(critic, S)
            opt_critic.step(critic, net_backward((values - tgt[:, None]) / len(tgt), cache_v))
        if verbose and len(returns) % 100 < batch_episodes:
            print(f"  {method}: episode {len(returns):4d}, mean return of the last 20: {np.mean(returns[-20:]):6.1f}", flush=True)
        if np.mean(returns[-20:]) >= target:
            break
    return policy, np.array(returns)


def evaluate(params, n_episodes=100, seed=123, greedy=True):
    """Mean return of the (greedy) policy over ``n_episodes`` new CartPole-v1 episodes."""
    rng, env = np.random.default_rng(seed), envs.CartPoleEnv()
    env.reset(seed=seed)
    return float(np.mean([play(env, params, rng, greedy)[2].sum() for _ in range(n_episodes)]))


def main():
    quick = utils.quick_mode()
    max_episodes, n_eval = (40, 5) if quick else (2000, 100)
    rows, curves = [], {}
    for method in ("reinforce", "actor_critic"):
        start = time.perf_counter()
        policy, curves[method] = train(method, max_episodes=max_episodes, seed=0, verbose=not quick)
        seconds, score = time.perf_counter() - start, evaluate(policy, n_eval)  # left to right: training time only
        rows.append([method, len(curves[method]), f"{seconds:.1f}", f"{score:.1f}", "yes" if score >= 475 else "no"])
    print(format_table(["method", "training episodes", "seconds", f"greedy mean return ({n_eval} episodes)", "solved (>= 475)"], rows))

    fig, ax = plotting.new_figure(1, 1, width=6.5)
    plotting.plot_loss_curves(ax, curves, xlabel="training episode", ylabel="return", title="CartPole-v1: policy gradients")
    ax.axhline(475, color="black", linestyle="--", label="solved (475)")
    ax.legend()
    plotting.show_or_save(fig, "ex09_policy_gradient")


if __name__ == "__main__":
    main()
