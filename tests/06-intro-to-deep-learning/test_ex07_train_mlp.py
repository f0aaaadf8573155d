"""Tests for ex07_train_mlp: mini-batches, the penalised loss's gradients, and the classifier on digits."""

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.validation import NotFittedError

ex = utils.load_exercise("06-intro-to-deep-learning/ex07_train_mlp.py")
backprop = utils.load_exercise("06-intro-to-deep-learning/ex04_backpropagation.py", practice=False)

GRAD_TOL = 1e-6  # relative error against central differences
RTOL = 1e-12
DIGITS_TARGET = 0.95  # test accuracy after 12 quick epochs (the full demo reaches about 97.5 %)


def test_minibatches_cover_every_sample_once_in_aligned_pairs(rng):
    # Check 10 samples in batches of 4: sizes 4, 4, 2, every index exactly once, rows of X and y kept together.
    X = np.arange(20.0).reshape(10, 2)  # row i is (2i, 2i + 1)
    y = np.arange(10)
    batches = list(ex.iterate_minibatches(X, y, 4, rng))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), np.arange(10))
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0], 2.0 * yb)
    assert not np.array_equal(seen, np.arange(10))  # shuffled (10! orders; the identity is very unlikely)


def test_minibatches_are_reproducible_and_reshuffled():
    # Check that the same seed gives the same order and a second epoch (same generator) a new one.
    X, y = np.zeros((50, 1)), np.arange(50)
    first = [yb for _, yb in ex.iterate_minibatches(X, y, 7, np.random.default_rng(3))]
    again = [yb for _, yb in ex.iterate_minibatches(X, y, 7, np.random.default_rng(3))]
    rng = np.random.default_rng(3)
    list(ex.iterate_minibatches(X, y, 7, rng))
    second_epoch = np.concatenate([yb for _, yb in ex.iterate_minibatches(X, y, 7, rng)])
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(np.concatenate(first), second_epoch)


def test_batch_size_larger_than_the_data_gives_one_batch(rng):
    # Check the edge case: batch_size >= n_samples yields the whole (shuffled) set once.
    batches = list(ex.iterate_minibatches(np.ones((3, 2)), np.arange(3), 10, rng))
    assert len(batches) == 1 and len(batches[0][1]) == 3


@pytest.mark.parametrize("n", [1, 5], ids=["batch-1", "batch-5"])
def test_full_network_gradients_with_l2_match_central_differences(n, rng):
    # Check every parameter's gradient of the penalised loss of a 3-layer network, batch size 1 included.
    X, y = rng.standard_normal((n, 4)), rng.integers(0, 3, n)
    params = ex.init_mlp([4, 6, 5, 3], rng)
    for name in params:
        params[name] += 0.1 * rng.standard_normal(params[name].shape)  # non-zero biases too
    _, grads = ex.mlp_loss(params, X, y, alpha=0.3)
    assert set(grads) == set(params)
    for name in params:
        gradcheck.check_gradient(lambda v: ex.mlp_loss(params, X, y, alpha=0.3)[0], params[name], grads[name], tol=GRAD_TOL)


def test_l2_penalty_adds_half_alpha_squared_norm_and_alpha_w(rng):
    # Check the closed form: J(alpha) - J(0) = alpha/2 * sum ||W_l||^2 (biases excluded), dJ/dW gains alpha W, dJ/db unchanged.
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 4, 6)
    params = ex.init_mlp([3, 5, 4], rng)
    params["b1"] += 1.0  # a penalised bias would show up in the difference
    plain, g0 = ex.mlp_loss(params, X, y, alpha=0.0)
    penalised, g1 = ex.mlp_loss(params, X, y, alpha=0.5)
    assert penalised - plain == pytest.approx(0.25 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)), rel=1e-10)
    np.testing.assert_allclose(g1["W1"] - g0["W1"], 0.5 * params["W1"], atol=1e-12)
    np.testing.assert_allclose(g1["b1"], g0["b1"], atol=1e-15)


def test_one_hidden_layer_matches_ex04_two_layer_network(rng):
    # Check against ex04's independently written two-layer network (alpha = 0): same loss and gradients.
    X, y = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    params = backprop.init_two_layer(5, 7, 3, rng)
    loss, grads = ex.mlp_loss(params, X, y)
    expected_loss, expected = backprop.two_layer_loss(params, X, y)
    assert loss == pytest.approx(expected_loss, rel=RTOL)
    for name in params:
        np.testing.assert_allclose(grads[name], expected[name], rtol=1e-10, atol=1e-14)


def test_overfits_a_tiny_batch():
    # Check learning: 10 random points with 3 labels are memorised (loss near 0, every label right).
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 5)), np.arange(10) % 3
    model = ex.MLPClassifier(hidden_layer_sizes=(32,), learning_rate=0.01, batch_size=10, max_epochs=300, alpha=0.0,
                             random_state=0).fit(X, y)
    assert model.loss_curve_[-1] < 0.02 * model.loss_curve_[0]
    assert model.score(X, y) == 1.0


def test_reaches_the_target_on_digits():
    # Check the end-to-end result on the demo's split: >= 95 % test accuracy after 12 epochs (about
    # 0.3 s of CPU time), and the mini-batch loss falls.
    X_train, X_test, y_train, y_test = ex.load_digits_split()
    model = ex.MLPClassifier(hidden_layer_sizes=(128, 64), learning_rate=2e-3, batch_size=32, max_epochs=12,
                             alpha=1e-4, random_state=0).fit(X_train, y_train)
    assert model.score(X_test, y_test) >= DIGITS_TARGET
    assert model.loss_curve_[-1] < 0.2 * model.loss_curve_[0]
    proba = model.predict_proba(X_test[:5])
    assert proba.shape == (5, 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)


def test_history_records_train_and_validation_curves(rng):
    # Check the curves: one entry per epoch, and the last entries equal a fresh evaluation of the fitted model.
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    X_val, y_val = rng.standard_normal((15, 4)), rng.integers(0, 3, 15)
    model = ex.MLPClassifier(hidden_layer_sizes=(8,), max_epochs=4, batch_size=8, random_state=0).fit(X, y, X_val, y_val)
    assert model.n_iter_ == 4 and len(model.loss_curve_) == 4
    assert sorted(model.history_) == ["train_accuracy", "train_loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 4 for v in model.history_.values())
    assert model.history_["val_accuracy"][-1] == pytest.approx(model.score(X_val, y_val))
    assert model.history_["train_accuracy"][-1] == pytest.approx(model.score(X, y))
    expected_val_loss = backprop.softmax_cross_entropy(np.log(model.predict_proba(X_val)), y_val)[0]
    assert model.history_["val_loss"][-1] == pytest.approx(expected_val_loss, rel=1e-9)
    without = ex.MLPClassifier(hidden_layer_sizes=(8,), max_epochs=4, batch_size=8, random_state=0).fit(X, y)
    assert without.history_ == {}
    np.testing.assert_array_equal(without.coefs_[0], model.coefs_[0])  # evaluating does not change training


def test_same_random_state_gives_the_same_model(rng):
    # Check determinism: the same seed gives identical weights, another seed different ones.
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    kwargs = dict(hidden_layer_sizes=(8,), max_epochs=3, batch_size=8)
    a = ex.MLPClassifier(random_state=5, **kwargs).fit(X, y)
    b = ex.MLPClassifier(random_state=5, **kwargs).fit(X, y)
    c = ex.MLPClassifier(random_state=6, **kwargs).fit(X, y)
    for Wa, Wb in zip(a.coefs_, b.coefs_):
        np.testing.assert_array_equal(Wa, Wb)
    assert not np.allclose(a.coefs_[0], c.coefs_[0])


def test_labels_need_not_be_0_to_k_minus_1(rng):
    # Check classes_: string labels (and integers like 10, 20, 30) give the same network as indices 0, 1, 2.
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 3, 30)
    kwargs = dict(hidden_layer_sizes=(6,), max_epochs=5, batch_size=10, random_state=0)
    by_index = ex.MLPClassifier(**kwargs).fit(X, y)
    by_name = ex.MLPClassifier(**kwargs).fit(X, np.array(["cat", "dog", "emu"])[y])
    by_tens = ex.MLPClassifier(**kwargs).fit(X, 10 * (y + 1))
    np.testing.assert_array_equal(by_name.classes_, ["cat", "dog", "emu"])
    np.testing.assert_array_equal(by_tens.classes_, [10, 20, 30])
    np.testing.assert_allclose(by_name.predict_proba(X), by_index.predict_proba(X), rtol=RTOL)
    np.testing.assert_array_equal(by_name.predict(X), np.array(["cat", "dog", "emu"])[by_index.predict(X)])
    assert set(by_tens.predict(X)) <= {10, 20, 30}


def test_predict_before_fit_and_bad_input():
    # Check the messages: predict before fit, wrong feature count, one class, bad hyperparameters, batch_size 0.
    with pytest.raises(NotFittedError, match="fit"):
        ex.MLPClassifier().predict(np.zeros((2, 3)))
    X, y = np.random.default_rng(0).standard_normal((6, 3)), np.array([0, 1, 2, 0, 1, 2])
    model = ex.MLPClassifier(hidden_layer_sizes=(4,), max_epochs=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="two classes"):
        ex.MLPClassifier(max_epochs=1).fit(X, np.zeros(6))
    with pytest.raises(ValueError, match="solver"):
        ex.MLPClassifier(solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="learning_rate"):
        ex.MLPClassifier(learning_rate=0).fit(X, y)
    with pytest.raises(ValueError, match="batch_size"):
        list(ex.iterate_minibatches(X, y, 0, np.random.default_rng(0)))


def test_sgd_solver_also_learns(rng):
    # Check the other optimizer: SGD with momentum lowers the loss on a small separable problem.
    X, y = utils.data.make_blobs(n_samples=60, centers=3, random_state=0)
    model = ex.MLPClassifier(hidden_layer_sizes=(16,), solver="sgd", learning_rate=0.05, batch_size=10, max_epochs=20,
                             random_state=0).fit(X, y)
    assert model.loss_curve_[-1] < 0.5 * model.loss_curve_[0]
    assert model.score(X, y) > 0.9
