"""Tests for ex09_learning_rate_schedules: schedule formulas at chosen steps, warm-up, and the range test."""

import numpy as np
import pytest

import utils
from utils import optim

ex = utils.load_exercise("05-model-optimization/ex09_learning_rate_schedules.py")

ATOL = 1e-12


def test_step_decay_by_hand():
    # Check by hand with lr0 = 0.1, step_size = 10, gamma = 0.5: 0.1 for t = 0..9, 0.05 for
    # t = 10..19, 0.025 at t = 25.
    np.testing.assert_allclose(ex.step_decay(np.array([0, 9, 10, 19, 20, 25]), 0.1, 10, 0.5), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025], atol=ATOL)


def test_exponential_decay_by_hand():
    # Check by hand: 2 * 0.5^t at t = 0, 1, 3 is 2, 1, 0.25; and a huge t underflows quietly to 0.
    np.testing.assert_allclose(ex.exponential_decay(np.array([0, 1, 3]), 2.0, 0.5), [2.0, 1.0, 0.25], atol=ATOL)
    assert ex.exponential_decay(100_000, 0.1, 0.9) == 0.0


def test_linear_decay_by_hand():
    # Check by hand: from 1.0 to 0.2 over 4 steps is 1.0, 0.8, 0.6, 0.4, 0.2, then it stays at 0.2.
    np.testing.assert_allclose(ex.linear_decay(np.array([0, 1, 2, 3, 4, 10]), 1.0, 4, end_lr=0.2), [1.0, 0.8, 0.6, 0.4, 0.2, 0.2], atol=ATOL)


def test_cosine_decay_by_hand():
    # Check by hand with lr0 = 1, lr_min = 0.1, T = 100: lr(0) = 1, lr(50) = (1 + 0.1) / 2,
    # lr(25) = 0.1 + 0.9 (1 + cos(pi/4)) / 2, and lr(100) = lr(150) = lr_min (it ends at the minimum).
    expected = [1.0, 0.1 + 0.45 * (1 + np.cos(np.pi / 4)), 0.55, 0.1, 0.1]
    np.testing.assert_allclose(ex.cosine_decay(np.array([0, 25, 50, 100, 150]), 1.0, 100, min_lr=0.1), expected, atol=ATOL)


def test_cosine_decay_never_rises():
    # Check that the cosine schedule is non-increasing over its whole range and beyond.
    lrs = ex.cosine_decay(np.arange(300), 0.3, 200)
    assert np.all(np.diff(lrs) <= 0) and lrs[-1] == pytest.approx(0.0)


def test_warmup_starts_at_start_lr_and_reaches_base_lr():
    # Check by hand: a 10-step warm-up from 0.01 to 0.5 gives 0.01 at t = 0, 0.01 + 0.49 / 2 at
    # t = 5, and exactly the schedule's start, 0.5, at t = 10; the cosine then ends at min_lr.
    def lr(t):
        return ex.with_warmup(t, ex.cosine_decay, 10, start_lr=0.01, base_lr=0.5, total_steps=40, min_lr=0.05)

    np.testing.assert_allclose(lr(np.array([0, 5, 10])), [0.01, 0.255, 0.5], atol=ATOL)
    assert lr(50) == pytest.approx(0.05) and lr(80) == pytest.approx(0.05)
    assert lr(30) == pytest.approx(ex.cosine_decay(20, 0.5, 40, min_lr=0.05))  # the clock starts after the warm-up
    ramp = lr(np.arange(11))
    assert np.all(np.diff(ramp) > 0)  # the warm-up climbs steadily


def test_warmup_wraps_any_schedule_and_zero_warmup_changes_nothing():
    # Check that warm-up works with step decay too, and that 0 warm-up steps leave the schedule as is.
    t = np.arange(0, 60, 7)
    np.testing.assert_allclose(ex.with_warmup(t, ex.step_decay, 0, base_lr=0.2, step_size=20), ex.step_decay(t, 0.2, 20), atol=ATOL)
    assert ex.with_warmup(25, ex.step_decay, 5, base_lr=0.2, step_size=20) == pytest.approx(0.02)  # 20 steps into step decay


def test_schedules_accept_scalars_and_arrays_alike():
    # Check that an array of steps gives the same values as the steps one at a time.
    steps = np.arange(0, 40, 3)
    for schedule in [lambda t: ex.cosine_decay(t, 0.1, 30), lambda t: ex.linear_decay(t, 0.1, 30), lambda t: ex.exponential_decay(t, 0.1, 0.9)]:
        np.testing.assert_allclose(schedule(steps), [schedule(int(t)) for t in steps], atol=ATOL)


def test_range_test_rates_are_geometric():
    # Check by hand: 5 rates from 1e-3 to 10 are 1e-3, 1e-2, 1e-1, 1, 10; and for any length the
    # ratio of neighbours is one constant, (max / min)^(1 / (N - 1)).
    np.testing.assert_allclose(ex.range_test_rates(1e-3, 10.0, 5), [1e-3, 1e-2, 1e-1, 1.0, 10.0], rtol=1e-12)
    rates = ex.range_test_rates(1e-6, 1.0, 301)
    np.testing.assert_allclose(rates[1:] / rates[:-1], np.full(300, 1e6 ** (1 / 300)), rtol=1e-12)
    assert rates[0] == pytest.approx(1e-6) and rates[-1] == pytest.approx(1.0)


class RecordingSGD:
    """Plain gradient descent that records the lr in force at every step."""

    def __init__(self):
        self.lr, self.seen = 1.0, []

    def step(self, params, grads):
        self.seen.append(self.lr)
        for name in params:
            params[name] -= self.lr * grads[name]


def test_range_test_sets_the_rate_before_every_step():
    # Check that the optimizer steps with lr_k at step k, in order, on a loss that never diverges
    # (a constant loss: then all N rates are tried and the test reports no divergence).
    optimizer = RecordingSGD()
    result = ex.lr_range_test(lambda p: (1.0, {"w": np.zeros(1)}), {"w": np.zeros(1)}, optimizer, 1e-4, 1.0, n_steps=9)
    np.testing.assert_allclose(optimizer.seen, ex.range_test_rates(1e-4, 1.0, 9), rtol=1e-12)
    np.testing.assert_allclose(result["smoothed"], np.ones(9), atol=ATOL)  # bias correction: no dip towards 0 at the start
    assert not result["diverged"]
    with pytest.raises(ValueError, match="never diverged"):
        ex.suggest_lr(result)


def test_range_test_stops_where_gradient_descent_diverges():
    # Check on f(w) = 5 w^2 (curvature L = 10): gradient descent diverges only for lr > 2 / L = 0.2,
    # so the test cannot stop below 0.2, stops soon after, and suggests about a tenth of that rate.
    params = {"w": np.array([1.0])}
    result = ex.lr_range_test(lambda p: (5.0 * p["w"][0] ** 2, {"w": 10.0 * p["w"]}), params, optim.SGD(lr=1.0), 1e-3, 100.0, n_steps=200)
    assert result["diverged"]
    assert 0.2 < result["lr"][-1] < 5.0
    assert ex.suggest_lr(result) == pytest.approx(result["lr"][-1] / 10)
    assert result["smoothed"][0] == pytest.approx(result["loss"][0])  # the bias-corrected average starts at the first loss


def test_bad_input_gets_clear_errors():
    # Check the messages for negative or fractional steps, a bad step size and an empty rate range.
    with pytest.raises(ValueError, match="non-negative integer"):
        ex.cosine_decay(-1, 0.1, 10)
    with pytest.raises(ValueError, match="non-negative integer"):
        ex.step_decay(np.array([0.5]), 0.1, 10)
    with pytest.raises(ValueError, match="step_size"):
        ex.step_decay(3, 0.1, 0)
    with pytest.raises(ValueError, match="0 < min_lr < max_lr"):
        ex.range_test_rates(1.0, 0.1, 10)
    with pytest.raises(ValueError, match="base_lr"):
        ex.with_warmup(3, ex.cosine_decay, 5, total_steps=10)
