"""Tests for ex12_cnn: max pooling and the whole convolutional network."""

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.optim import Adam

ex = utils.load_exercise("06-intro-to-deep-learning/ex12_cnn.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12

# (N, C, H, W), pool height, pool width, stride: non-overlapping, overlapping, rectangular with a
# dropped last row and column, and batch size 1.
POOL_CASES = [
    ((2, 3, 4, 6), 2, 2, 2),
    ((1, 2, 5, 5), 3, 3, 1),
    ((2, 1, 7, 8), 2, 3, 2),
    ((1, 1, 4, 4), 2, 2, 1),
]
POOL_IDS = ["2x2-stride2", "3x3-stride1-overlap", "2x3-stride2-dropped-edge", "batch1-2x2-stride1"]


def _pool(ph, pw, stride):
    return {"pool_height": ph, "pool_width": pw, "stride": stride}


def _reference_max_pool(x, ph, pw, stride):
    """Loops that read like the definition, as an independent reference."""
    n, c, h, w = x.shape
    out = np.zeros((n, c, (h - ph) // stride + 1, (w - pw) // stride + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            out[:, :, i, j] = x[:, :, i * stride : i * stride + ph, j * stride : j * stride + pw].max(axis=(2, 3))
    return out


def test_max_pool_by_hand():
    # Check a 4x4 channel with 2x2 pools, stride 2, worked by hand: the maxima of the four quadrants.
    x = np.array([[1.0, 2, 5, 0], [3, 4, 1, 1], [0, -1, 7, 8], [-2, -3, 6, 9]]).reshape(1, 1, 4, 4)
    out, _ = ex.max_pool_forward(x, _pool(2, 2, 2))
    np.testing.assert_array_equal(out, [[[[4.0, 5.0], [0.0, 9.0]]]])


@pytest.mark.parametrize("shape, ph, pw, stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool_forward_matches_loops(shape, ph, pw, stride, rng):
    # Check the vectorised forward pass against explicit loops, shapes included.
    x = rng.standard_normal(shape)
    out, _ = ex.max_pool_forward(x, _pool(ph, pw, stride))
    np.testing.assert_array_equal(out, _reference_max_pool(x, ph, pw, stride))


@pytest.mark.parametrize("shape, ph, pw, stride", POOL_CASES, ids=POOL_IDS)
def test_max_pool_backward_matches_numerical_gradient(shape, ph, pw, stride, rng):
    # Check dx against central differences (random inputs have no ties), overlapping windows included.
    x = rng.standard_normal(shape)
    param = _pool(ph, pw, stride)
    out, cache = ex.max_pool_forward(x, param)
    dout = rng.standard_normal(out.shape)
    dx = ex.max_pool_backward(dout, cache)
    gradcheck.check_gradient(lambda v: ex.max_pool_forward(v, param)[0], x, dx, dout, tol=GRAD_TOL)


def test_max_pool_backward_sends_each_gradient_to_one_winner_on_ties():
    # Check a window of four equal values (as after a ReLU that zeroed them): exactly one entry gets the gradient,
    # so dx still sums to dout, instead of counting it four times.
    x = np.zeros((1, 1, 2, 2))
    out, cache = ex.max_pool_forward(x, _pool(2, 2, 2))
    dx = ex.max_pool_backward(np.array([[[[3.0]]]]), cache)
    assert dx.sum() == pytest.approx(3.0)
    assert np.count_nonzero(dx) == 1


def test_overlapping_windows_add_their_gradients():
    # Check by hand: in [[0, 0, 0], [0, 5, 0], [0, 0, 0]] with 2x2 pools, stride 1, the centre wins all four windows,
    # so its gradient is the sum of the four upstream gradients, 1 + 2 + 3 + 4 = 10.
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0
    out, cache = ex.max_pool_forward(x, _pool(2, 2, 1))
    np.testing.assert_array_equal(out, np.full((1, 1, 2, 2), 5.0))
    dx = ex.max_pool_backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), cache)
    expected = np.zeros((1, 1, 3, 3))
    expected[0, 0, 1, 1] = 10.0
    np.testing.assert_array_equal(dx, expected)


def _tiny_network(rng):
    """A 4x4-input CNN with 2 and 3 filters: small enough for a numerical gradient of every weight."""
    params = ex.init_cnn(rng, filters=(2, 3), hidden=5, n_classes=3, image_size=4)
    for name in ["b1", "b2", "b3"]:  # random biases keep ReLU inputs away from the kink at 0
        params[name] = 0.1 * rng.standard_normal(params[name].shape)
    X = rng.standard_normal((2, 1, 4, 4))
    y = np.array([0, 2])
    return params, X, y


@pytest.mark.parametrize("mode", ["test", "train"])
def test_cnn_loss_gradients_match_numerical_gradients(mode, rng):
    # Check the gradient of every parameter of the whole network (conv, ReLU, pool, dropout, affine, softmax)
    # on a tiny input; in training mode the dropout masks are fixed by re-seeding the generator for every call.
    params, X, y = _tiny_network(rng)

    def loss(_):
        return ex.cnn_loss(params, X, y, mode, np.random.default_rng(4), dropout=(0.25, 0.5))[0]

    _, grads = ex.cnn_loss(params, X, y, mode, np.random.default_rng(4), dropout=(0.25, 0.5))
    assert set(grads) == set(params)
    for name in params:
        assert grads[name].shape == params[name].shape
        gradcheck.check_gradient(loss, params[name], grads[name], tol=GRAD_TOL)


def test_cnn_overfits_a_tiny_batch():
    # Check that, without dropout, 40 Adam steps on 20 digits drive the loss from about 3 below 0.01 and classify all 20 right.
    X_train, _, y_train, _ = ex.load_digit_images()
    X, y = X_train[:20], y_train[:20]
    params = ex.init_cnn(np.random.default_rng(0), filters=(8, 16), hidden=32)
    optimizer = Adam(lr=1e-2)
    losses = []
    for _ in range(40):
        loss, grads = ex.cnn_loss(params, X, y, "train", np.random.default_rng(0), dropout=(0.0, 0.0))
        optimizer.step(params, grads)
        losses.append(loss)
    assert losses[-1] < 0.01 and losses[0] > 1.0
    np.testing.assert_array_equal(ex.cnn_predict(params, X), y)


def test_short_training_run_improves_test_accuracy():
    # Check that three quick epochs on 600 digits lift accuracy on 200 unseen digits from chance (about 10 %)
    # above 70 %, and that the mean training loss falls every epoch.
    X_train, X_test, y_train, y_test = ex.load_digit_images()
    rng = np.random.default_rng(0)
    params = ex.init_cnn(rng, filters=(8, 16), hidden=64)
    before = np.mean(ex.cnn_predict(params, X_test[:200]) == y_test[:200])
    history = ex.train_cnn(params, X_train[:600], y_train[:600], X_test[:200], y_test[:200], epochs=3, rng=rng, batch_size=32, lr=1e-2)
    assert before < 0.3
    assert history["test accuracy"][-1] > 0.7
    assert np.all(np.diff(history["loss"]) < 0)


def _moved(image, a, b):
    """Pixel (i, j) of the result is image[..., i + a, j + b], or 0 off the image: the definition, in loops."""
    height, width = image.shape[-2:]
    out = np.zeros_like(image)
    for i in range(height):
        for j in range(width):
            if 0 <= i + a < height and 0 <= j + b < width:
                out[..., i, j] = image[..., i + a, j + b]
    return out


def test_shift_images_moves_each_image_by_one_offset_with_zero_fill(rng):
    # Check that every shifted image (both channels together) is its input moved by exactly one offset in
    # {-2..2}^2 with zeros coming in (positive pixels, so a zero can only be fill), and that 200 images use all 25.
    x = rng.random((200, 2, 5, 6)) + 0.1
    out = ex.shift_images(x, np.random.default_rng(0), max_shift=2)
    assert out.shape == x.shape
    offsets = set()
    for image, shifted in zip(x, out):
        matches = [(a, b) for a in range(-2, 3) for b in range(-2, 3) if np.array_equal(shifted, _moved(image, a, b))]
        assert len(matches) == 1
        offsets.add(matches[0])
    assert len(offsets) == 25
    np.testing.assert_array_equal(ex.shift_images(x, rng, max_shift=0), x)  # no shift: the images themselves


def test_training_without_held_out_digits_records_only_the_loss():
    # Check that X_test=None (as model selection uses it) trains and skips the per-epoch evaluation.
    X_train, _, y_train, _ = ex.load_digit_images()
    params = ex.init_cnn(np.random.default_rng(0), filters=(4, 4), hidden=8)
    history = ex.train_cnn(params, X_train[:50], y_train[:50], None, None, epochs=2, rng=np.random.default_rng(0), max_shift=1)
    assert len(history["loss"]) == 2 and history["test accuracy"] == []


def test_verbose_training_prints_epochs_one_two_every_fifth_and_the_last(capsys):
    # Check the progress lines of a 6-epoch run: epochs 1, 2, 5 and 6, each with its mean loss from the history.
    X_train, _, y_train, _ = ex.load_digit_images()
    params = ex.init_cnn(np.random.default_rng(0), filters=(4, 4), hidden=8)
    history = ex.train_cnn(params, X_train[:40], y_train[:40], X_train[:10], y_train[:10], epochs=6, rng=np.random.default_rng(0), verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert [int(line.split()[0]) for line in lines] == [1, 2, 5, 6]
    assert [float(line.split()[1]) for line in lines] == pytest.approx([history["loss"][k] for k in (0, 1, 4, 5)], abs=1e-4)


def test_cnn_output_shapes_and_feature_maps(rng):
    # Check the documented shapes: scores (N, 10), conv feature maps (N, F, 8, 8).
    params = ex.init_cnn(rng, filters=(4, 6), hidden=7)
    scores, _, maps = ex.cnn_forward(params, rng.standard_normal((3, 1, 8, 8)))
    assert scores.shape == (3, 10)
    assert maps["conv1"].shape == (3, 4, 8, 8) and maps["conv2"].shape == (3, 6, 8, 8)
    assert np.all(maps["conv1"] >= 0)  # after the ReLU


def test_bad_pool_parameters_are_refused():
    # Check clear errors for a missing key, a zero stride, a pool larger than the input and a 3-D input.
    x = np.zeros((1, 1, 4, 4))
    with pytest.raises(ValueError, match="pool_param"):
        ex.max_pool_forward(x, {"pool_height": 2, "stride": 2})
    with pytest.raises(ValueError, match="at least 1"):
        ex.max_pool_forward(x, _pool(2, 2, 0))
    with pytest.raises(ValueError, match="does not fit"):
        ex.max_pool_forward(x, _pool(5, 2, 1))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        ex.max_pool_forward(np.zeros((1, 4, 4)), _pool(2, 2, 2))
