"""Tests for ex11_convolution: naive and im2col convolutions, forward and backward."""

import numpy as np
import pytest
from scipy.signal import correlate2d

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex11_convolution.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-10

# (N, C, H, W), (F, HH, WW), stride, pad: batch size 1, stride 2, padding, rectangular
# inputs and filters, and a case where the last row and column fit no window (7 + 0 - 3 = 4, 4 // 3).
CASES = [
    ((1, 1, 5, 5), (1, 3, 3), 1, 0),
    ((2, 3, 7, 6), (4, 3, 3), 2, 1),
    ((1, 2, 6, 5), (3, 2, 3), 1, 2),
    ((3, 2, 7, 7), (2, 3, 3), 3, 0),
    ((2, 1, 8, 8), (2, 4, 4), 2, 1),
]
IDS = ["batch1-1x1", "stride2-pad1", "rect-pad2", "stride3-dropped-row", "4x4-stride2"]


def _random_case(rng, x_shape, w_shape):
    n, c, h, w = x_shape
    f, hh, ww = w_shape
    return rng.standard_normal(x_shape), rng.standard_normal((f, c, hh, ww)), rng.standard_normal(f)


def _scipy_conv(x, w, b, stride, pad):
    """Independent reference: sum over channels of scipy's 2-D cross-correlation, then subsample."""
    rows = []
    for image in x:
        maps = []
        for f in range(w.shape[0]):
            total = sum(correlate2d(np.pad(image[c], pad), w[f, c], mode="valid") for c in range(x.shape[1]))
            maps.append(total[::stride, ::stride] + b[f])
        rows.append(maps)
    return np.array(rows)


def test_forward_by_hand():
    # Check a 3x3 image [[0,1,2],[3,4,5],[6,7,8]] with a 2x2 filter of ones, bias 1, worked by hand:
    # each output is the sum of a 2x2 window plus 1: [[0+1+3+4, 1+2+4+5], [3+4+6+7, 4+5+7+8]] + 1.
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.ones((1, 1, 2, 2))
    expected = np.array([[[[9.0, 13.0], [21.0, 25.0]]]])
    for forward in (ex.conv_forward_naive, ex.conv_forward_im2col):
        out, _ = forward(x, w, np.ones(1), {"stride": 1, "pad": 0})
        np.testing.assert_allclose(out, expected, atol=ATOL)


def test_padding_by_hand():
    # Check zero padding: a 1x1 image of value 2, a 3x3 filter 1..9, pad 1 -> only the centre tap (5) sees it.
    x = np.full((1, 1, 1, 1), 2.0)
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out, _ = ex.conv_forward_im2col(x, w, np.zeros(1), {"stride": 1, "pad": 1})
    np.testing.assert_allclose(out, [[[[10.0]]]], atol=ATOL)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", CASES, ids=IDS)
def test_forward_matches_scipy(x_shape, w_shape, stride, pad, rng):
    # Check both versions against scipy.signal.correlate2d, summed over channels and subsampled by the stride.
    x, w, b = _random_case(rng, x_shape, w_shape)
    expected = _scipy_conv(x, w, b, stride, pad)
    for forward in (ex.conv_forward_naive, ex.conv_forward_im2col):
        out, _ = forward(x, w, b, {"stride": stride, "pad": pad})
        np.testing.assert_allclose(out, expected, atol=ATOL)


@pytest.mark.parametrize("x_shape, w_shape, stride, pad", CASES, ids=IDS)
def test_naive_and_im2col_agree_forward_and_backward(x_shape, w_shape, stride, pad, rng):
    # Check that the loops and the matrix products give the same output and the same three gradients.
    x, w, b = _random_case(rng, x_shape, w_shape)
    param = {"stride": stride, "pad": pad}
    out_naive, cache_naive = ex.conv_forward_naive(x, w, b, param)
    out_fast, cache_fast = ex.conv_forward_im2col(x, w, b, param)
    np.testing.assert_allclose(out_fast, out_naive, atol=ATOL)
    dout = rng.standard_normal(out_naive.shape)
    for slow, fast in zip(ex.conv_backward_naive(dout, cache_naive), ex.conv_backward_im2col(dout, cache_fast)):
        assert slow.shape == fast.shape
        np.testing.assert_allclose(fast, slow, atol=ATOL)


# The naive forward pass is slow to differentiate numerically, so it gets smaller cases
# (the test above already ties it to the im2col version on every case).
GRAD_CASES = [("im2col", *case) for case in CASES[:4]] + [
    ("naive", (1, 2, 5, 4), (2, 3, 3), 2, 1),
    ("naive", (2, 1, 4, 4), (2, 2, 2), 1, 1),
]


@pytest.mark.parametrize("version, x_shape, w_shape, stride, pad", GRAD_CASES, ids=[f"im2col-{i}" for i in IDS[:4]] + ["naive-stride2-pad1", "naive-batch2-pad1"])
def test_backward_matches_numerical_gradients(version, x_shape, w_shape, stride, pad, rng):
    # Check dx, dw and db against central differences (float64), with stride 2 and padding among the cases.
    forward = getattr(ex, f"conv_forward_{version}")
    backward = getattr(ex, f"conv_backward_{version}")
    x, w, b = _random_case(rng, x_shape, w_shape)
    param = {"stride": stride, "pad": pad}
    out, cache = forward(x, w, b, param)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = backward(dout, cache)
    gradcheck.check_gradient(lambda v: forward(v, w, b, param)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: forward(x, v, b, param)[0], w, dw, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: forward(x, w, v, param)[0], b, db, dout, tol=GRAD_TOL)


def test_pixels_no_window_covers_get_zero_gradient(rng):
    # Check that with a 7x7 input, 3x3 filter, stride 3 (windows at rows 0-2 and 3-5), row and column 6 get dx = 0.
    x, w, b = _random_case(rng, (1, 2, 7, 7), (2, 3, 3))
    out, cache = ex.conv_forward_im2col(x, w, b, {"stride": 3, "pad": 0})
    dx, _, _ = ex.conv_backward_im2col(np.ones_like(out), cache)
    assert out.shape == (1, 2, 2, 2)
    np.testing.assert_array_equal(dx[:, :, 6, :], 0.0)
    np.testing.assert_array_equal(dx[:, :, :, 6], 0.0)
    assert np.all(dx[:, :, :6, :6] != 0.0)


def test_im2col_columns_are_the_windows(rng):
    # Check the documented layout: column (n*H_out + i)*W_out + j is the padded window under output (i, j), flattened (c, p, q).
    x = rng.standard_normal((2, 3, 6, 5))
    stride, pad, hh, ww = 2, 1, 3, 2
    cols = ex.im2col(x, hh, ww, stride, pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    h_out, w_out = (6 + 2 - hh) // stride + 1, (5 + 2 - ww) // stride + 1
    assert cols.shape == (3 * hh * ww, 2 * h_out * w_out)
    for n, i, j in [(0, 0, 0), (1, 2, 1), (1, h_out - 1, w_out - 1)]:
        window = xp[n, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
        np.testing.assert_array_equal(cols[:, (n * h_out + i) * w_out + j], window.ravel())


def test_col2im_is_the_adjoint_of_im2col(rng):
    # Check <im2col(x), Y> = <x, col2im(Y)> for random x and Y: col2im must add, not overwrite, overlapping windows.
    x_shape, hh, ww, stride, pad = (2, 3, 7, 6), 3, 3, 1, 1
    x = rng.standard_normal(x_shape)
    cols = ex.im2col(x, hh, ww, stride, pad)
    y = rng.standard_normal(cols.shape)
    np.testing.assert_allclose(np.sum(cols * y), np.sum(x * ex.col2im(y, x_shape, hh, ww, stride, pad)), rtol=1e-12)


@pytest.mark.parametrize(
    "size, kernel, stride, pad, expected",
    [(28, 3, 1, 1, 28), (28, 3, 2, 1, 14), (7, 3, 2, 0, 3), (5, 5, 1, 0, 1), (8, 3, 3, 0, 2), (4, 5, 1, 1, 2)],
)
def test_output_size_formula(size, kernel, stride, pad, expected):
    # Check (size + 2 pad - kernel) // stride + 1 on cases counted by hand, and the output shape the layer gives.
    assert ex.conv_output_size(size, kernel, stride, pad) == expected
    out, _ = ex.conv_forward_im2col(np.zeros((1, 1, size, size)), np.zeros((2, 1, kernel, kernel)), np.zeros(2), {"stride": stride, "pad": pad})
    assert out.shape == (1, 2, expected, expected)


def test_bad_shapes_and_parameters_get_clear_errors():
    # Check that wrong ranks, channel counts, bias shapes, strides, paddings and oversized filters are refused.
    x, w, b, param = np.zeros((1, 3, 5, 5)), np.zeros((2, 3, 3, 3)), np.zeros(2), {"stride": 1, "pad": 0}
    for forward in (ex.conv_forward_naive, ex.conv_forward_im2col):
        with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
            forward(np.zeros((3, 5, 5)), w, b, param)
        with pytest.raises(ValueError, match="channels"):
            forward(np.zeros((1, 2, 5, 5)), w, b, param)
        with pytest.raises(ValueError, match="one bias per filter"):
            forward(x, w, np.zeros(3), param)
        with pytest.raises(ValueError, match="stride"):
            forward(x, w, b, {"stride": 0, "pad": 0})
        with pytest.raises(ValueError, match="pad"):
            forward(x, w, b, {"stride": 1, "pad": -1})
        with pytest.raises(ValueError, match="does not fit"):
            forward(np.zeros((1, 3, 2, 2)), w, b, param)
        with pytest.raises(ValueError, match="'stride' and 'pad'"):
            forward(x, w, b, {"stride": 1})
