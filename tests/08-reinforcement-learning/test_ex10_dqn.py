"""Tests for ex10_dqn: the replay buffer's ring, Q-learning targets and the Huber loss by hand and by gradcheck."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("08-reinforcement-learning/ex10_dqn.py")


def test_replay_buffer_keeps_the_last_transitions():
    # Check by hand: capacity 3, five transitions 0..4 -> rows hold 3, 4, 2 (4 overwrote 1, 3 overwrote 0).
    buffer = ex.ReplayBuffer(3, 2)
    for i in range(5):
        buffer.add(np.array([i, -i]), i % 2, float(i), np.array([i + 1, 0]), i == 4)
    assert buffer.size == 3 and buffer.position == 2
    np.testing.assert_array_equal(buffer.rewards, [3.0, 4.0, 2.0])
    np.testing.assert_array_equal(buffer.states[:, 0], [3, 4, 2])
    np.testing.assert_array_equal(buffer.actions, [1, 0, 0])
    np.testing.assert_array_equal(buffer.terminated, [0, 1, 0])
    np.testing.assert_array_equal(buffer.next_states[:, 0], [4, 5, 3])


def test_replay_buffer_samples_only_stored_transitions(rng):
    # Check that with 2 of 10 slots filled every sample is one of the two, and both appear.
    buffer = ex.ReplayBuffer(10, 1)
    buffer.add(np.array([1.0]), 0, 1.0, np.array([0.0]), False)
    buffer.add(np.array([2.0]), 1, 2.0, np.array([0.0]), True)
    states, actions, rewards, _, terminated = buffer.sample(200, rng)
    assert set(rewards) == {1.0, 2.0}
    np.testing.assert_array_equal(states[:, 0], rewards)
    np.testing.assert_array_equal(actions, rewards - 1)
    np.testing.assert_array_equal(terminated, rewards - 1)


def test_q_targets_by_hand():
    # Check by hand with gamma = 0.9: y = (1 + 0.9 * 3, 0 + 0 (terminal), -1 + 0.9 * 5).
    next_q = np.array([[1.0, 3.0], [10.0, 2.0], [5.0, -1.0]])
    y = ex.q_targets(np.array([1.0, 0.0, -1.0]), next_q, np.array([0.0, 1.0, 0.0]), 0.9)
    np.testing.assert_allclose(y, [3.7, 0.0, 3.5])


def test_huber_loss_by_hand():
    # Check by hand: errors 0.5 and -3 on the taken actions give (0.125 + 2.5) / 2 = 1.3125,
    # gradients 0.5 / 2 and -1 / 2 there, and 0 for the actions not taken.
    q = np.array([[0.5, 9.0], [7.0, -3.0]])
    loss, dq = ex.huber_td_loss(q, np.array([0, 1]), np.zeros(2))
    np.testing.assert_allclose(loss, 1.3125)
    np.testing.assert_allclose(dq, [[0.25, 0.0], [0.0, -0.5]])


def test_huber_gradient_matches_central_differences(rng):
    # Check dL/dq with utils.gradcheck, errors kept away from the kinks at |err| = 1.
    q = rng.standard_normal((8, 3)) * 3
    actions, targets = rng.integers(0, 3, 8), rng.standard_normal(8)
    err = q[np.arange(8), actions] - targets
    q[np.arange(8), actions] += np.where(np.abs(np.abs(err) - 1) < 0.1, 0.3, 0.0)  # step off a kink
    _, dq = ex.huber_td_loss(q, actions, targets)
    gradcheck.check_gradient(lambda z: ex.huber_td_loss(z, actions, targets)[0], q, dq)


def test_training_runs_end_to_end():
    # Check a short run: episodes are recorded (each lasts at least one step), greedy evaluations are made
    # and a full set of weights comes back.
    params, returns, evaluations = ex.train(max_steps=1500, warmup=200, eval_every=5, seed=0)
    assert len(returns) > 5 and all(r >= 1 for r in returns)
    assert set(params) == {"W1", "b1", "W2", "b2"} and evaluations


def test_bad_input_gets_clear_errors(rng):
    # Check the messages for sampling an empty buffer, a bad capacity and each bad training hyperparameter.
    with pytest.raises(ValueError, match="empty"):
        ex.ReplayBuffer(4, 2).sample(2, rng)
    with pytest.raises(ValueError, match="capacity"):
        ex.ReplayBuffer(0, 2)
    for name in ("batch_size", "buffer_size", "target_every", "eps_steps", "eval_every", "warmup", "gamma", "target"):
        with pytest.raises(ValueError, match=name):  # refused before the first step, not after a long run
            ex.train(**{name: -1})
