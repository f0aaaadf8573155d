"""
Exercise 11: 2-D convolution, with loops and with im2col

Learning goals
--------------
- Write the convolution layer of a CNN with explicit loops, every index visible, then its backward pass.
- Turn the same computation into one matrix product (im2col), and its backward
  pass into two products and a scatter-add (col2im), and check that both agree.
- See what a filter does to a photograph: blur, sharpen, and edge detectors.

The math
--------
A batch x has shape (N, C, H, W): N images, C channels, H rows, W columns. F filters w have shape
(F, C, HH, WW), the bias b has shape (F,). With zero padding `pad` on every side and step `stride`,
the output out has shape (N, F, H_out, W_out), with
    H_out = (H + 2 pad - HH) // stride + 1,   W_out = (W + 2 pad - WW) // stride + 1
(floor division, as in PyTorch: a last row that does not fit a whole window is dropped).
With xp the padded input,
    out[n, f, i, j] = b[f] + sum_{c, p, q} xp[n, c, i*stride + p, j*stride + q] * w[f, c, p, q].
Deep-learning libraries call this a convolution; strictly it is a cross-correlation
(the filter is not flipped), which is what scipy.signal.correlate2d computes.
Given dout = dL/dout (N, F, H_out, W_out), the chain rule gives
    db[f]          = sum_{n, i, j} dout[n, f, i, j]
    dw[f, c, p, q] = sum_{n, i, j} dout[n, f, i, j] * xp[n, c, i*stride + p, j*stride + q]
    dxp[n, c, i*stride + p, j*stride + q] += sum_f dout[n, f, i, j] * w[f, c, p, q]
and dx is dxp without its padding.
im2col ("image to columns") copies every receptive field into a column of cols (C*HH*WW, N*H_out*W_out).
With w_mat = w.reshape(F, C*HH*WW) and dout_mat (F, N*H_out*W_out), dout with the filter axis first,
    out_mat = w_mat @ cols + b,   dw_mat = dout_mat @ cols.T,   dcols = w_mat.T @ dout_mat.
col2im adds each column of dcols back onto the pixels it was copied from; where windows overlap, they add up.

Algorithm
---------
1. Naive: pad x; for each image n, filter f and output position (i, j), sum window * filter; backward: the same loops.
2. im2col: pad x, take all windows with sliding_window_view (a view), keep every stride-th, reshape into cols (one copy).
3. Forward = one matrix product. Backward: db by a sum, dw and dcols by matrix products, dx by
   col2im, which loops only over the HH*WW offsets inside a window.

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 9; K. Chellapilla, S. Puri, P. Simard,
"High performance convolutional neural networks for document processing" (2006), the im2col idea; V. Dumoulin,
F. Visin, "A guide to convolution arithmetic for deep learning" (2016); Stanford CS231n notes, "Convolutional networks".
Difficulty: 3 of 3, about 60 minutes.
Run: python 06-intro-to-deep-learning/ex11_convolution.py
"""

# %%
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from utils import data, plotting
from utils.validation import as_float_array, as_float_arrays, check_non_negative_int, check_positive_int

# %% [markdown]
# ## Shapes first: every convolution starts by checking them


# %%
def conv_output_size(size, kernel, stride, pad):
    """Output length along one axis: (size + 2 pad - kernel) // stride + 1."""
    check_positive_int(stride, "stride")
    check_non_negative_int(pad, "pad")
    if size + 2 * pad < kernel:
        raise ValueError(f"a filter of size {kernel} does not fit an input of size {size} padded by {pad}")
    return (size + 2 * pad - kernel) // stride + 1


def _check_conv(x, w, b, conv_param):
    """Validate the inputs of a convolution; returns (stride, pad, H_out, W_out)."""
    if not isinstance(conv_param, dict) or not {"stride", "pad"} <= set(conv_param):
        raise ValueError(f"conv_param must be a dict with keys 'stride' and 'pad'; got {conv_param!r}")
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1] or b.shape != (w.shape[0],):
        raise ValueError("expected x of shape (N, C, H, W), w of shape (F, C, HH, WW) with the same C channels and b of "
                         f"shape (F,), one bias per filter; got x {x.shape}, w {w.shape} and b {b.shape}")
    stride, pad = conv_param["stride"], conv_param["pad"]
    return stride, pad, conv_output_size(x.shape[2], w.shape[2], stride, pad), conv_output_size(x.shape[3], w.shape[3], stride, pad)


def _pad(x, pad):  # zero-pad the two spatial axes of x (N, C, H, W) by `pad` on every side
    return np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))  # (N, C, H + 2 pad, W + 2 pad)


# %% [markdown]
# ## The naive version: loops that read like the formula


# %%
def conv_forward_naive(x, w, b, conv_param):
    """Convolution with explicit loops. Returns (out, cache); out has shape (N, F, H_out, W_out)."""
    x, w, b = as_float_arrays(x=x, w=w, b=b)
    stride, pad, h_out, w_out = _check_conv(x, w, b, conv_param)
    # BEGIN SOLUTION
    # HINT 1: Pad once, then for every image, filter and output position
    # HINT 1: take the window under the filter and reduce it to one number.
    # HINT 2: out[n, f, i, j] = sum(xp[n, :, i*stride : i*stride+HH, j*stride : j*stride+WW] * w[f]) + b[f]
    # HINT 3: xp = _pad(x, pad); out = zeros((N, F, h_out, w_out))
    # HINT 3: for n, f, i, j: window = xp[n, :, rows i, cols j]   # (C, HH, WW)
    # HINT 3:     out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    n_images, n_filters = x.shape[0], w.shape[0]
    hh, ww = w.shape[2:]
    xp = _pad(x, pad)  # (N, C, H + 2 pad, W + 2 pad)
    out = np.zeros((n_images, n_filters, h_out, w_out), dtype=np.result_type(x, w))  # (N, F, H_out, W_out)
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    window = xp[n, :, i * stride : i * stride + hh, j * stride : j * stride + ww]  # (C, HH, WW)
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    # END SOLUTION
    return out, (x, w, b, conv_param)


def conv_backward_naive(dout, cache):
    """Gradients (dx, dw, db) of the loss, with the same loops as the forward pass."""
    dout = as_float_array(dout, "dout")
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    # BEGIN SOLUTION
    # HINT 1: Revisit the same windows as the forward pass: each output gradient flows back to the
    # HINT 1: window (into dxp) and to the filter (into dw). Windows overlap, so accumulate with +=.
    # HINT 2: dw[f] += dout[n,f,i,j] * window; dxp[n, :, rows, cols] += dout[n,f,i,j] * w[f]
    # HINT 2: db = dout.sum(axis=(0, 2, 3)); dx = dxp with the pad border cut off
    # HINT 3: xp = _pad(x, pad); dxp, dw = zeros_like(xp), zeros_like(w); db = dout.sum((0, 2, 3))
    # HINT 3: for n, f, i, j: rows/cols = slices of the window at (i, j)
    # HINT 3:     dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]; dxp[...] += dout[...] * w[f]
    # HINT 3: dx = dxp[:, :, pad:pad + H, pad:pad + W]
    hh, ww = w.shape[2:]
    xp = _pad(x, pad)  # (N, C, Hp, Wp)
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)  # (N, C, Hp, Wp), (F, C, HH, WW)
    db = dout.sum(axis=(0, 2, 3))  # (F,): the bias is added at every position of every image
    n_images, n_filters, h_out, w_out = dout.shape
    for n in range(n_images):
        for f in range(n_filters):
            for i in range(h_out):
                for j in range(w_out):
                    rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
                    dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]  # this window's contribution
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]  # windows overlap: add, never assign
    dx = dxp[:, :, pad : pad + x.shape[2], pad : pad + x.shape[3]]  # (N, C, H, W): drop the padding
    # END SOLUTION
    return dx, dw, db


# %% [markdown]
# ## im2col: every window becomes a column, the convolution becomes one product


# %%
def im2col(x, hh, ww, stride, pad):
    """Columns of receptive fields: returns cols of shape (C * HH * WW, N * H_out * W_out).

    Column number (n * H_out + i) * W_out + j holds the window under output pixel
    (i, j) of image n, flattened in the order (c, p, q), the order of w.reshape(F, -1).
    """
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Turn every receptive field into one column so the convolution
    # HINT 1: becomes one matrix product. sliding_window_view gives all
    # HINT 1: windows as a view; keep every stride-th, then reorder axes.
    # HINT 2: windows (N, C, H_out, W_out, HH, WW) -> transpose(1, 4, 5, 0, 2, 3) -> (C*HH*WW, N*H_out*W_out)
    # HINT 3: xp = _pad(x, pad); windows = sliding_window_view(xp, (hh, ww), axis=(2, 3))
    # HINT 3: h_out, w_out = (Hp - hh) // stride + 1, (Wp - ww) // stride + 1
    # HINT 3: windows = windows[:, :, ::stride up to h_out, ::stride up to w_out]
    # HINT 3: return windows.transpose(1, 4, 5, 0, 2, 3).reshape(C * hh * ww, -1)
    xp = _pad(x, pad)  # (N, C, Hp, Wp)
    windows = sliding_window_view(xp, (hh, ww), axis=(2, 3))  # (N, C, Hp - HH + 1, Wp - WW + 1, HH, WW), a view: no copy yet
    h_out, w_out = (xp.shape[2] - hh) // stride + 1, (xp.shape[3] - ww) // stride + 1
    windows = windows[:, :, : (h_out - 1) * stride + 1 : stride, : (w_out - 1) * stride + 1 : stride]  # (N, C, H_out, W_out, HH, WW)
    # Window contents (c, p, q) first, output positions (n, i, j) last; reshape makes the one (fast, in-order) copy.
    return windows.transpose(1, 4, 5, 0, 2, 3).reshape(x.shape[1] * hh * ww, -1)  # (C*HH*WW, N*H_out*W_out)
    # END SOLUTION


def col2im(dcols, x_shape, hh, ww, stride, pad):
    """The adjoint of im2col: add each column of dcols (C*HH*WW, N*H_out*W_out) back onto its pixels; dx: x_shape."""
    n_images, channels, height, width = x_shape
    h_out, w_out = conv_output_size(height, hh, stride, pad), conv_output_size(width, ww, stride, pad)
    # BEGIN SOLUTION
    # HINT 1: The adjoint of im2col: scatter every column entry back to its
    # HINT 1: pixel, ADDING where windows overlap. Loop only over the window
    # HINT 1: offsets (p, q); each is one strided slice of the padded image.
    # HINT 2: dxp[:, :, p : p + stride*h_out : stride, q : q + stride*w_out : stride] += dwindows[:, p, q] (as N,C,..)
    # HINT 3: dwindows = dcols.reshape(C, hh, ww, N, h_out, w_out); dxp = zeros (padded shape)
    # HINT 3: for p in range(hh), q in range(ww):
    # HINT 3:     dxp[strided slice at (p, q)] += dwindows[:, p, q].transpose(1, 0, 2, 3)
    # HINT 3: return dxp without the padding border
    dwindows = dcols.reshape(channels, hh, ww, n_images, h_out, w_out)  # (C, HH, WW, N, H_out, W_out)
    dxp = np.zeros((n_images, channels, height + 2 * pad, width + 2 * pad), dtype=dcols.dtype)  # (N, C, Hp, Wp)
    # Offset (p, q) touches pixels (i*stride + p, j*stride + q), one strided slice of dxp that no two (i, j)
    # share, so += is safe; overlaps add up across the HH*WW offsets (np.add.at would be many times slower).
    for p in range(hh):
        for q in range(ww):
            contribution = dwindows[:, p, q].transpose(1, 0, 2, 3)  # (N, C, H_out, W_out)
            dxp[:, :, p : p + stride * h_out : stride, q : q + stride * w_out : stride] += contribution
    return dxp[:, :, pad : pad + height, pad : pad + width]  # (N, C, H, W)
    # END SOLUTION


def conv_forward_im2col(x, w, b, conv_param):
    """Convolution as one matrix product. Returns (out, cache); out has shape (N, F, H_out, W_out)."""
    x, w, b = as_float_arrays(x=x, w=w, b=b)
    stride, pad, h_out, w_out = _check_conv(x, w, b, conv_param)
    # BEGIN SOLUTION
    # HINT 1: With im2col the convolution is (filters as rows) @ (windows as columns) plus a bias per filter.
    # HINT 2: out = w.reshape(F, -1) @ cols + b[:, None] -> (F, N*H_out*W_out) -> reshape, transpose to (N, F, ...)
    # HINT 3: cols = im2col(x, hh, ww, stride, pad)
    # HINT 3: out = w.reshape(F, -1) @ cols + b[:, None]
    # HINT 3: out = out.reshape(F, N, h_out, w_out).transpose(1, 0, 2, 3); make it contiguous
    n_filters, _, hh, ww = w.shape
    cols = im2col(x, hh, ww, stride, pad)  # (C*HH*WW, N*H_out*W_out)
    out = w.reshape(n_filters, -1) @ cols + b[:, None]  # (F, N*H_out*W_out)
    out = out.reshape(n_filters, x.shape[0], h_out, w_out).transpose(1, 0, 2, 3)  # (N, F, H_out, W_out)
    out = np.ascontiguousarray(out)  # later layers reshape it: give them a contiguous array
    # END SOLUTION
    return out, (x.shape, w, cols, conv_param)


def conv_backward_im2col(dout, cache):
    """Gradients (dx, dw, db): two matrix products and a col2im."""
    dout = as_float_array(dout, "dout")
    x_shape, w, cols, conv_param = cache
    # BEGIN SOLUTION
    # HINT 1: It is affine_backward on the matrix form: bring dout into the (F, N*H_out*W_out) layout first.
    # HINT 2: dout_mat = dout.transpose(1,0,2,3).reshape(F, -1); db = dout_mat.sum(1)
    # HINT 2: dw = (dout_mat @ cols.T).reshape(w.shape); dcols = w.reshape(F, -1).T @ dout_mat; dx = col2im(dcols)
    # HINT 3: dout_mat = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    # HINT 3: db = dout_mat.sum(axis=1); dw = (dout_mat @ cols.T).reshape(w.shape)
    # HINT 3: dcols = w.reshape(F, -1).T @ dout_mat; dx = col2im(dcols, x_shape, hh, ww, stride, pad)
    n_filters, _, hh, ww = w.shape
    dout_mat = dout.transpose(1, 0, 2, 3).reshape(n_filters, -1)  # (F, N*H_out*W_out), columns match cols
    db = dout_mat.sum(axis=1)  # (F,)
    dw = (dout_mat @ cols.T).reshape(w.shape)  # (F, C*HH*WW) -> (F, C, HH, WW)
    dcols = w.reshape(n_filters, -1).T @ dout_mat  # (C*HH*WW, N*H_out*W_out)
    dx = col2im(dcols, x_shape, hh, ww, conv_param["stride"], conv_param["pad"])  # (N, C, H, W)
    # END SOLUTION
    return dx, dw, db


# %% [markdown]
# ## Demo: the two versions agree; filters on a photograph


# %%
def classic_filters():
    """A few hand-made 5x5 filters (3x3 ones sit in the middle), as a dict name -> (5, 5)."""
    def centred(kernel3):
        return np.pad(np.asarray(kernel3, dtype=float), 1)  # (3, 3) -> (5, 5), zeros around

    return {"box blur 5x5": np.full((5, 5), 1 / 25),
            "Gaussian blur": np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256.0,  # binomial approximation of a Gaussian
            "sharpen": centred([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
            "Sobel x (vertical edges)": centred([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
            "Sobel y (horizontal edges)": centred([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
            "Laplacian (all edges)": centred([[0, 1, 0], [1, -4, 1], [0, 1, 0]])}


def main():
    rng = np.random.default_rng(0)
    print("Naive loops vs im2col on a batch of 8 images, 3 -> 4 channels, 16x16, 3x3 filters:")
    x, w, b = rng.standard_normal((8, 3, 16, 16)), rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4)  # (N, C, H, W), (F, C, HH, WW), (F,)
    print(f"{'stride':>6} {'pad':>4} {'output shape':>16} {'max |naive - im2col|':>21} {'naive ms':>9} {'im2col ms':>10}")
    for stride, pad in [(1, 0), (1, 1), (2, 1)]:
        param = {"stride": stride, "pad": pad}
        start = time.perf_counter()
        out_naive, cache_naive = conv_forward_naive(x, w, b, param)
        dout = rng.standard_normal(out_naive.shape)
        grads_naive = conv_backward_naive(dout, cache_naive)
        middle = time.perf_counter()
        out_fast, cache_fast = conv_forward_im2col(x, w, b, param)
        grads_fast = conv_backward_im2col(dout, cache_fast)
        t_naive, t_fast = middle - start, time.perf_counter() - middle
        gap = max(np.max(np.abs(out_naive - out_fast)), *(np.max(np.abs(a - c)) for a, c in zip(grads_naive, grads_fast)))
        print(f"{stride:>6} {pad:>4} {str(out_fast.shape):>16} {gap:>21.1e} {1e3 * t_naive:>9.1f} {1e3 * t_fast:>10.2f}")

    image = data.load_sample_image("china")[::2, ::2]  # (214, 320), gray values in [0, 1]
    filters = classic_filters()
    weights = np.stack(list(filters.values()))[:, None]  # (6, 1, 5, 5): six filters, one input channel
    out, _ = conv_forward_im2col(image[None, None], weights, np.zeros(len(filters)), {"stride": 1, "pad": 2})  # (1, 6, 214, 320)
    maps = dict(zip(filters, out[0]))
    strided, _ = conv_forward_im2col(image[None, None], weights[:1], np.zeros(1), {"stride": 2, "pad": 2})
    print(f"\nPhotograph {image.shape}: 5x5 filters with pad 2 keep the size {out.shape[2:]}; stride 2 halves it to {strided.shape[2:]}")
    print("Zero padding shows at the border: blurred edges darken, edge detectors light up along the frame.")

    fig, axes = plotting.new_figure(2, 4, width=3.6, height=2.9)
    magnitude = np.hypot(maps["Sobel x (vertical edges)"], maps["Sobel y (horizontal edges)"])  # (214, 320)
    panels = ([("original", image, "gray")] + [(name, m, "gray" if "blur" in name or name == "sharpen" else "RdBu_r")
                                               for name, m in maps.items()] + [("edge strength |Sobel|", magnitude, "magma")])
    for ax, (name, picture, cmap) in zip(axes.ravel(), panels):
        limit = np.percentile(np.abs(picture), 98) if cmap == "RdBu_r" else np.percentile(picture, 99.5) if cmap == "magma" else 1
        ax.imshow(picture, cmap=cmap, vmin=-limit if cmap == "RdBu_r" else 0, vmax=limit)  # signed maps: white is 0
        ax.set_title(name)
        ax.axis("off")
    fig.suptitle("What a 2-D convolution does to a photograph (one filter per panel)")
    plotting.show_or_save(fig, "ex11_convolution")


if __name__ == "__main__":
    main()
