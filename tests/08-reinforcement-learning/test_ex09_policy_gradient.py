"""Tests for ex09_policy_gradient: gradients against central differences, returns and TD targets by hand, learning."""

import numpy as np
import pytest

import utils
from utils import gradcheck, nn

ex = utils.load_exercise("08-reinforcement-learning/ex09_policy_gradient.py")


def test_policy_gradient_loss_gradient_matches_central_differences(rng):
    # Check dL/dlogits against utils.gradcheck, with advantages of both signs.
    logits, actions, adv = rng.standard_normal((6, 3)), rng.integers(0, 3, 6), rng.standard_normal(6)
    loss, dlogits = ex.policy_gradient_loss(logits, actions, adv)
    gradcheck.check_gradient(lambda z: ex.policy_gradient_loss(z, actions, adv)[0], logits, dlogits)
    # and the value by hand: -mean(A log softmax(z)[a])
    log_pi = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(loss, -np.mean(adv * log_pi[np.arange(6), actions]))


def test_network_gradients_match_central_differences(rng):
    # Check every parameter gradient of the 4 -> 5 -> 2 network, through the policy-gradient loss.
    params = ex.init_net(4, 5, 2, rng, out_scale=1.0)
    X, actions, adv = rng.standard_normal((7, 4)), rng.integers(0, 2, 7), rng.standard_normal(7)

    def loss_of(name):
        def f(value):
            trial = dict(params, **{name: value})
            return ex.policy_gradient_loss(ex.net_forward(trial, X)[0], actions, adv)[0]
        return f

    logits, cache = ex.net_forward(params, X)
    grads = ex.net_backward(ex.policy_gradient_loss(logits, actions, adv)[1], cache)
    for name in params:
        gradcheck.check_gradient(loss_of(name), params[name].copy(), grads[name])


def test_a_positive_advantage_makes_the_action_more_likely(rng):
    # Check the sign: one gradient step on L with A > 0 raises pi(a|s), with A < 0 lowers it.
    logits, actions = np.zeros((1, 2)), np.array([1])
    for sign in (1.0, -1.0):
        _, dlogits = ex.policy_gradient_loss(logits, actions, np.array([sign]))
        new = logits - 0.5 * dlogits
        assert np.sign(nn.softmax(new)[0, 1] - 0.5) == sign


def test_reinforce_returns_by_hand():
    # Check by hand with gamma = 0.5, rewards 1, 1, 1, V = 0: a real end gives G = (1.75, 1.5, 1);
    # a time-limit cut with V(s_T) = 4 gives G_2 = 1 + 0.5 * 4 = 3, G_1 = 2.5, G_0 = 2.25. A = G - V.
    r, zeros = np.ones(3), np.zeros(3)
    adv, targets = ex.advantages_and_targets(r, zeros, np.array([0, 0, 9.0]), np.array([0, 0, 1.0]), 0.5, "reinforce")
    np.testing.assert_allclose(targets, [1.75, 1.5, 1.0])
    np.testing.assert_allclose(adv, targets)
    values = np.array([1.0, 2.0, 3.0])
    adv, targets = ex.advantages_and_targets(r, values, np.array([0, 0, 4.0]), np.zeros(3), 0.5, "reinforce")
    np.testing.assert_allclose(targets, [2.25, 2.5, 3.0])
    np.testing.assert_allclose(adv, [1.25, 0.5, 0.0])


def test_actor_critic_td_errors_by_hand():
    # Check by hand with gamma = 0.9: delta_t = r + 0.9 (1 - d) V(s') - V(s): (1 + 0.9*2 - 1, 0 + 0.9*3 - 2, 1 + 0 - 3).
    adv, targets = ex.advantages_and_targets(np.array([1.0, 0.0, 1.0]), np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 7.0]),
                                             np.array([0.0, 0.0, 1.0]), 0.9, "actor_critic")
    np.testing.assert_allclose(targets, [2.8, 2.7, 1.0])
    np.testing.assert_allclose(adv, [1.8, 0.7, -2.0])


def test_training_improves_the_policy():
    # Check that 60 episodes of actor-critic on CartPole already beat the first, nearly uniform policy
    # (which lasts about 20-30 steps): the last 20 returns average at least 1.4 times the first 20.
    policy, returns = ex.train("actor_critic", max_episodes=60, seed=0)
    assert len(returns) == 60 and np.mean(returns[-20:]) > 1.4 * np.mean(returns[:20])


def test_bad_arguments_get_clear_errors():
    # Check the messages for an unknown method, bad training hyperparameters and a zero hidden width.
    with pytest.raises(ValueError, match="method"):
        ex.advantages_and_targets(np.ones(2), np.zeros(2), np.zeros(2), np.zeros(2), 0.9, "ppo")
    with pytest.raises(ValueError, match="max_episodes"):
        ex.train("reinforce", max_episodes=0)
    for name in ("batch_episodes", "critic_steps", "gamma"):  # refused before any episode is played
        with pytest.raises(ValueError, match=name):
            ex.train(**{name: -1})
    with pytest.raises(ValueError, match="n_hidden"):
        ex.init_net(4, 0, 2, np.random.default_rng(0))
