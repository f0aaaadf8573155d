"""Tests for ex06_early_stopping: when the monitor stops, which weights it restores, and the training loop."""

import numpy as np
import pytest

import utils
from utils import data

ex = utils.load_exercise("05-model-optimization/ex06_early_stopping.py")


def scripted_run(val_losses, max_epochs=None, **monitor_args):
    """Run fit() with a fake model: each epoch adds 1 to the weights IN PLACE (like an optimizer)
    and the validation loss comes from a script. Returns (params, history, monitor)."""
    params = {"w": np.zeros(3), "b": np.zeros(1)}
    epochs = iter(range(len(val_losses)))
    losses = list(val_losses)

    def train_step(p):
        for value in p.values():
            value += 1.0  # in place, so a monitor that keeps references instead of copies is caught
        return 0.0

    def validation_loss(p):
        return losses[next(epochs)]

    monitor = ex.EarlyStopping(**monitor_args)
    history = ex.fit(params, train_step, validation_loss, max_epochs or len(val_losses), monitor)
    return params, history, monitor


def test_stops_patience_epochs_after_the_minimum():
    # Check by hand: the minimum 1.0 is at epoch 2 (0-based); with patience 3 the epochs 3, 4, 5
    # do not improve, so training stops at epoch 2 + 3 = 5, after 6 epochs.
    losses = [3.0, 2.0, 1.0, 1.5, 1.2, 1.1, 0.5, 0.4]
    params, history, monitor = scripted_run(losses, patience=3)
    assert monitor.best_epoch_ == 2 and monitor.best_loss_ == 1.0
    assert monitor.stopped_epoch_ == 5
    assert history["validation"] == losses[:6]


def test_restores_the_weights_of_the_best_epoch():
    # Check the restored weights are the ones after epoch 2: three in-place updates, so all 3.0
    # (a monitor that stored references would hand back the last weights, 6.0).
    params, _, _ = scripted_run([3.0, 2.0, 1.0, 1.5, 1.2, 1.1, 0.5], patience=3)
    np.testing.assert_array_equal(params["w"], np.full(3, 3.0))
    np.testing.assert_array_equal(params["b"], [3.0])


def test_restore_writes_into_the_same_arrays():
    # Check restore works in place: an outside reference to the weight array sees the best weights.
    params = {"w": np.zeros(2)}
    held = params["w"]
    monitor = ex.EarlyStopping(patience=1)
    monitor.step(0, 1.0, params)
    params["w"] += 5.0
    monitor.step(1, 2.0, params)
    monitor.restore(params)
    assert params["w"] is held
    np.testing.assert_array_equal(held, [0.0, 0.0])


def test_without_restore_the_last_weights_stay():
    # Check restore_best_weights=False keeps the weights of the last epoch run (6 updates).
    params, _, monitor = scripted_run([3.0, 2.0, 1.0, 1.5, 1.2, 1.1, 0.5], patience=3, restore_best_weights=False)
    assert monitor.stopped_epoch_ == 5
    np.testing.assert_array_equal(params["w"], np.full(3, 6.0))


@pytest.mark.parametrize("patience", [0, 1])
def test_patience_zero_stops_at_the_first_epoch_without_improvement(patience):
    # Check the Keras convention: patience 0 (and 1) stop at the first epoch that does not improve.
    _, history, monitor = scripted_run([3.0, 2.0, 2.5, 1.0], patience=patience)
    assert monitor.stopped_epoch_ == 2 and len(history["validation"]) == 3


def test_decreasing_validation_loss_never_stops_early():
    # Check that a validation loss that keeps falling runs to max_epochs and keeps the last weights.
    losses = list(np.linspace(5.0, 1.0, 30))
    params, history, monitor = scripted_run(losses, patience=2)
    assert monitor.stopped_epoch_ is None and len(history["validation"]) == 30
    assert monitor.best_epoch_ == 29
    np.testing.assert_array_equal(params["w"], np.full(3, 30.0))


def test_min_delta_ignores_tiny_improvements():
    # Check by hand with min_delta 0.1: 0.95 and 0.92 do not beat 1.0 by more than 0.1, so the
    # best stays at epoch 0 and patience 2 stops at epoch 2.
    _, _, monitor = scripted_run([1.0, 0.95, 0.92, 0.5], patience=2, min_delta=0.1)
    assert monitor.best_epoch_ == 0 and monitor.stopped_epoch_ == 2


def test_non_finite_losses_never_count_as_improvements():
    # Check that a diverging run (NaN, inf) runs into the patience and the finite best is restored.
    params, _, monitor = scripted_run([2.0, 1.0, np.inf, np.nan, 0.1], patience=2)
    assert monitor.best_epoch_ == 1 and monitor.stopped_epoch_ == 3
    np.testing.assert_array_equal(params["w"], np.full(3, 2.0))


def test_early_stopping_on_the_model_keeps_the_validation_minimum():
    # Check on the real model: after fit() the weights give exactly the smallest validation
    # loss in the history, that minimum lies before the stopping epoch, and training the same
    # model without the monitor reaches a lower training loss but a higher validation loss.
    X, y = data.make_moons(n_samples=280, noise=0.4, random_state=1)
    phi = ex.random_relu_features(X[:80], 200, np.random.default_rng(0))
    F_train, y_train, F_val, y_val = phi(X[:80]), y[:80], phi(X[80:]), y[80:]
    results = {}
    for monitor in [ex.EarlyStopping(patience=30), None]:
        params = {"w": np.zeros(200), "b": np.zeros(1)}
        step = ex.make_train_step(F_train, y_train, lr=0.1)
        history = ex.fit(params, step, lambda p: ex.logistic_loss(p, F_val, y_val), 600, monitor)
        results[monitor is not None] = (params, history, monitor)
    params, history, monitor = results[True]
    assert monitor.stopped_epoch_ is not None and monitor.best_epoch_ < monitor.stopped_epoch_
    assert ex.logistic_loss(params, F_val, y_val) == pytest.approx(min(history["validation"]))
    full_params, full_history, _ = results[False]
    assert ex.logistic_loss(full_params, F_train, y_train) < ex.logistic_loss(params, F_train, y_train)
    assert ex.logistic_loss(full_params, F_val, y_val) > ex.logistic_loss(params, F_val, y_val)


def test_bad_settings_get_clear_errors():
    # Check the messages for a negative patience, a negative min_delta, zero epochs and a restore too early.
    with pytest.raises(ValueError, match="patience"):
        ex.EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="min_delta"):
        ex.EarlyStopping(min_delta=-0.5)
    with pytest.raises(ValueError, match="max_epochs"):
        ex.fit({}, lambda p: 0.0, lambda p: 0.0, 0)
    with pytest.raises(RuntimeError, match="call step"):
        ex.EarlyStopping().restore({"w": np.zeros(1)})
