"""
Exercise 12: max pooling and a small convolutional network on handwritten digits

Learning goals
--------------
- Write max pooling, forward and backward, without loops over positions.
- Stack convolution (ex11), ReLU (ex04), max pooling, dropout (ex09) and affine
  layers into a CNN, and check the gradient of the whole network numerically.
- Train it with Adam (utils.optim) on the 8x8 digits and look inside: the learned
  filters and the feature maps they produce.

The math
--------
Max pooling slides a pool_height x pool_width window over each channel of x (N, C, H, W)
with step `stride` and keeps the largest value:
    out[n, c, i, j] = max_{p, q} x[n, c, i*stride + p, j*stride + q],
    H_out = (H - pool_height) // stride + 1,  W_out = (W - pool_width) // stride + 1.
The maximum passes its gradient to the entry that won and 0 to the others:
    dx[n, c, i*stride + p*, j*stride + q*] += dout[n, c, i, j],  (p*, q*) = argmax of the window.
(When several entries tie, for example a window of ReLU zeros, we pick the first, so the
gradient is not counted twice; overlapping windows add up their contributions.)
Shifting (data augmentation) moves image n by its own offset (a_n, b_n), each drawn
from {-s, ..., s}, and fills the pixels that come in from outside with 0:
    shifted[n, c, i, j] = x[n, c, i + a_n, j + b_n]   (0 where i + a_n or j + b_n is off the image).
The network, for images X of shape (N, 1, 8, 8) and labels y (N,):
    conv 3x3, 32 filters, pad 1 -> ReLU -> conv 3x3, 32 filters, pad 1 -> ReLU      (N, 32, 8, 8)
    -> max pool 2x2, stride 2 -> dropout (p = 0.25)                                   (N, 32, 4, 4)
    -> flatten (N, 512) -> affine (N, 128) -> ReLU -> dropout (p = 0.5) -> affine (N, 10)
    -> softmax cross-entropy.

Algorithm
---------
1. max_pool_forward: view all windows at once (sliding_window_view), keep every
   stride-th, flatten each window and take its argmax and max; cache the argmax.
2. max_pool_backward: for each offset (p, q) inside the window, add dout where the
   argmax was (p, q) to the matching strided slice of dx.
3. cnn_loss: the forward pass keeps every layer's cache; the backward pass calls the
   layers' backward functions in reverse order.
4. train_cnn: shuffled mini-batches of 64, Adam, a cosine learning-rate decay, held-out
   accuracy after every epoch; optionally shifted mini-batches (shift_images, data augmentation).
5. The settings come from 5-fold CV on the training digits only (benchmarks/select_06_cnn.py).

References: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-based learning applied to document
recognition", Proc. IEEE 86 (1998); Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 9.3;
I. Loshchilov, F. Hutter, "SGDR", ICLR 2017 (cosine schedule); Stanford CS231n, "Convolutional networks".
Builds on: 06-intro-to-deep-learning/ex11_convolution.py (conv); the other layers come from utils.nn.
Difficulty: 2 of 3, about 40 minutes.
Run: python 06-intro-to-deep-learning/ex12_cnn.py
"""

# %%
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import utils
from utils import data, nn, plotting
from utils.optim import Adam
from utils.validation import as_float_array

conv = utils.load_exercise("06-intro-to-deep-learning/ex11_convolution.py", practice=False)

SEED = 0  # initial weights, mini-batch order and dropout masks
FULL_EPOCHS = 30  # the full run (chosen by cross-validation, step 5); the quick path trains 2 epochs on 200 digits
CONV_PARAM = {"stride": 1, "pad": 1}  # 3x3 filters with padding 1 keep the 8x8 size
POOL_PARAM = {"pool_height": 2, "pool_width": 2, "stride": 2}

# %% [markdown]
# ## Max pooling


# %%
def _check_pool(x, pool_param):
    """Validate a pooling call; returns (pool_height, pool_width, stride, H_out, W_out)."""
    keys = {"pool_height", "pool_width", "stride"}
    if not isinstance(pool_param, dict) or not keys <= set(pool_param) or x.ndim != 4:
        raise ValueError(f"expected x (N, C, H, W) and a pool_param dict with keys {sorted(keys)}; got {x.shape} and {pool_param!r}")
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    if min(ph, pw, stride) < 1:
        raise ValueError(f"pool sizes and stride must be at least 1; got {ph}, {pw}, {stride}")
    if ph > x.shape[2] or pw > x.shape[3]:
        raise ValueError(f"a {ph}x{pw} pool does not fit an input of size {x.shape[2]}x{x.shape[3]}")
    return ph, pw, stride, (x.shape[2] - ph) // stride + 1, (x.shape[3] - pw) // stride + 1


def max_pool_forward(x, pool_param):
    """Max pooling of x (N, C, H, W). Returns (out, cache); out has shape (N, C, H_out, W_out)."""
    x = as_float_array(x, "x")
    ph, pw, stride, h_out, w_out = _check_pool(x, pool_param)
    # BEGIN SOLUTION
    # HINT 1: View all pooling windows at once, flatten each window, and remember WHERE its max was.
    # HINT 2: flat (N, C, H_out, W_out, ph*pw); winner = flat.argmax(-1); out = take_along_axis(flat, winner)
    # HINT 3: windows = sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::stride, ::stride]
    # HINT 3: flat = windows.reshape(*windows.shape[:4], ph * pw); winner = flat.argmax(axis=-1)
    # HINT 3: out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]
    windows = sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, H_out, W_out, ph, pw), a view
    flat = windows.reshape(*windows.shape[:4], ph * pw)  # (N, C, H_out, W_out, ph*pw), one copy
    winner = flat.argmax(axis=-1)  # (N, C, H_out, W_out): index of the (first) maximum in each window
    out = np.take_along_axis(flat, winner[..., None], axis=-1)[..., 0]  # (N, C, H_out, W_out)
    # END SOLUTION
    return out, (x.shape, winner, pool_param)


def max_pool_backward(dout, cache):
    """dx: each window's gradient goes to the entry that won the max."""
    dout = as_float_array(dout, "dout")
    x_shape, winner, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    # BEGIN SOLUTION
    # HINT 1: Each window's gradient goes only to the pixel that won the max; loop over window offsets.
    # HINT 2: for offset (p, q): dx[strided slice at (p, q)] += dout * (winner == p * pw + q)
    # HINT 3: dx = zeros(x_shape); for p in range(ph), q in range(pw):
    # HINT 3:     dx[:, :, p : p + stride*h_out : stride, q : q + stride*w_out : stride] += dout * (winner == p*pw + q)
    h_out, w_out = dout.shape[2:]
    dx = np.zeros(x_shape, dtype=dout.dtype)  # (N, C, H, W)
    for p in range(ph):
        for q in range(pw):
            dx[:, :, p : p + stride * h_out : stride, q : q + stride * w_out : stride] += dout * (winner == p * pw + q)
    return dx
    # END SOLUTION


# %% [markdown]
# ## The network


# %%
def init_cnn(rng, filters=(32, 32), hidden=128, n_classes=10, in_channels=1, image_size=8):
    """He-initialised parameters of the network in the docstring, as a dict of arrays."""
    f1, f2 = filters
    n_flat = f2 * (image_size // 2) ** 2  # channels x pooled height x pooled width
    return {"W1": rng.standard_normal((f1, in_channels, 3, 3)) * np.sqrt(2.0 / (in_channels * 9)), "b1": np.zeros(f1),
            "W2": rng.standard_normal((f2, f1, 3, 3)) * np.sqrt(2.0 / (f1 * 9)), "b2": np.zeros(f2),
            "W3": rng.standard_normal((n_flat, hidden)) * np.sqrt(2.0 / n_flat), "b3": np.zeros(hidden),
            "W4": rng.standard_normal((hidden, n_classes)) * np.sqrt(1.0 / hidden), "b4": np.zeros(n_classes)}


def cnn_forward(params, X, mode="test", rng=None, dropout=(0.25, 0.5)):
    """Scores (N, n_classes) and the caches of every layer (and the feature maps, for drawing)."""
    X = as_float_array(X, "X")
    # BEGIN SOLUTION
    # HINT 1: Chain earlier lessons' layers: conv-relu-conv-relu-pool-dropout-flatten-affine-relu-dropout-affine,
    # HINT 1: keeping every cache (and the pooled shape, to undo the flatten) for the backward pass.
    # HINT 2: (N,1,8,8) -> conv (N,F1,8,8) -> conv (N,F2,8,8) -> pool (N,F2,4,4) -> flat (N, F2*16) -> (N, K)
    # HINT 3: c1 = conv_forward_im2col(X, W1, b1); a1 = relu; c2 = conv(a1, W2, b2); a2 = relu
    # HINT 3: pooled = max_pool_forward(a2); dropped = dropout_forward(pooled, dropout[0], mode, rng)
    # HINT 3: flat = dropped.reshape(N, -1); h = relu(affine(flat, W3, b3)); h = dropout(h, dropout[1])
    # HINT 3: scores = affine(h, W4, b4); caches = all 11 caches in forward order
    c1, cache1 = conv.conv_forward_im2col(X, params["W1"], params["b1"], CONV_PARAM)  # (N, F1, 8, 8)
    a1, relu1 = nn.relu_forward(c1)
    c2, cache2 = conv.conv_forward_im2col(a1, params["W2"], params["b2"], CONV_PARAM)  # (N, F2, 8, 8)
    a2, relu2 = nn.relu_forward(c2)
    pooled, pool_cache = max_pool_forward(a2, POOL_PARAM)  # (N, F2, 4, 4)
    dropped, drop1 = nn.dropout_forward(pooled, dropout[0], mode, rng)
    flat = dropped.reshape(len(X), -1)  # (N, F2 * 16)
    h, cache3 = nn.affine_forward(flat, params["W3"], params["b3"])  # (N, hidden)
    h, relu3 = nn.relu_forward(h)
    h, drop2 = nn.dropout_forward(h, dropout[1], mode, rng)
    scores, cache4 = nn.affine_forward(h, params["W4"], params["b4"])  # (N, n_classes)
    caches = (cache1, relu1, cache2, relu2, pool_cache, drop1, pooled.shape, cache3, relu3, drop2, cache4)
    # END SOLUTION
    return scores, caches, {"conv1": a1, "conv2": a2}


def cnn_loss(params, X, y, mode="train", rng=None, dropout=(0.25, 0.5)):
    """Mean softmax cross-entropy on (X, y) and the gradient of every parameter; returns (loss, grads)."""
    X = as_float_array(X, "X")
    scores, caches, _ = cnn_forward(params, X, mode, rng, dropout)
    # BEGIN SOLUTION
    # HINT 1: Walk cnn_forward's layers in reverse, each backward taking the matching cache.
    # HINT 2: dscores from softmax_cross_entropy; reshape dflat to pooled_shape before dropout/pool backward
    # HINT 3: loss, dscores = softmax_cross_entropy(scores, y); affine_backward with cache4
    # HINT 3: dh = relu_backward(dropout_backward(dh, drop2), relu3); affine_backward with cache3
    # HINT 3: dpooled = dropout_backward(dflat.reshape(pooled_shape), drop1)
    # HINT 3: da2 = relu_backward(max_pool_backward(dpooled, ...), relu2); conv backward twice
    cache1, relu1, cache2, relu2, pool_cache, drop1, pooled_shape, cache3, relu3, drop2, cache4 = caches
    loss, dscores = nn.softmax_cross_entropy(scores, y)
    grads = {}
    dh, grads["W4"], grads["b4"] = nn.affine_backward(dscores, cache4)
    dh = nn.relu_backward(nn.dropout_backward(dh, drop2), relu3)
    dflat, grads["W3"], grads["b3"] = nn.affine_backward(dh, cache3)
    dpooled = nn.dropout_backward(dflat.reshape(pooled_shape), drop1)  # (N, F2, 4, 4)
    da2 = nn.relu_backward(max_pool_backward(dpooled, pool_cache), relu2)  # (N, F2, 8, 8)
    da1, grads["W2"], grads["b2"] = conv.conv_backward_im2col(da2, cache2)
    _, grads["W1"], grads["b1"] = conv.conv_backward_im2col(nn.relu_backward(da1, relu1), cache1)
    # END SOLUTION
    return loss, grads


def cnn_predict(params, X, batch_size=500):
    """Predicted classes (N,), in batches to keep the im2col matrices small."""
    X = as_float_array(X, "X")
    return np.concatenate([np.argmax(cnn_forward(params, X[i : i + batch_size])[0], axis=1) for i in range(0, len(X), batch_size)])


def shift_images(images, rng, max_shift=1):
    """Move each image (N, C, H, W) by its own offset of up to max_shift pixels; the uncovered border gets 0."""
    n, c, h, w = images.shape
    padded = np.pad(images, ((0, 0), (0, 0), (max_shift, max_shift), (max_shift, max_shift)))  # (N, C, H + 2s, W + 2s)
    top, left = rng.integers(0, 2 * max_shift + 1, size=(2, n))  # where each crop starts
    rows = (top[:, None] + np.arange(h))[:, None, :, None]  # (N, 1, H, 1)
    cols = (left[:, None] + np.arange(w))[:, None, None, :]  # (N, 1, 1, W)
    return padded[np.arange(n)[:, None, None, None], np.arange(c)[None, :, None, None], rows, cols]  # (N, C, H, W)


def train_cnn(params, X_train, y_train, X_test, y_test, epochs, rng, batch_size=64, lr=3e-3, max_shift=0, verbose=False):
    """Adam on mini-batches with a cosine learning-rate decay; returns a history dict per epoch.
    max_shift > 0 shifts every mini-batch (data augmentation); verbose prints epochs 1, 2, 5, 10, ... and the last."""
    optimizer = Adam(lr=lr)
    history = {"loss": [], "test accuracy": [], "seconds": []}
    start = time.perf_counter()
    for epoch in range(epochs):
        losses = []
        order = rng.permutation(len(X_train))  # (n_samples,), a fresh order each epoch
        for first in range(0, len(order), batch_size):
            X_batch, y_batch = X_train[order[first : first + batch_size]], y_train[order[first : first + batch_size]]
            images = shift_images(X_batch, rng, max_shift) if max_shift else X_batch
            loss, grads = cnn_loss(params, images, y_batch, "train", rng)
            optimizer.step(params, grads)
            losses.append(loss)
        optimizer.lr = 0.5 * lr * (1 + np.cos(np.pi * (epoch + 1) / epochs))  # from lr down to 0 at the end
        history["loss"].append(np.mean(losses))
        if X_test is not None:  # None skips the per-epoch evaluation (model selection scores only the end)
            history["test accuracy"].append(np.mean(cnn_predict(params, X_test) == y_test))
        history["seconds"].append(time.perf_counter() - start)
        if verbose and (epoch < 2 or (epoch + 1) % 5 == 0 or epoch == epochs - 1):
            accuracy = f"{history['test accuracy'][-1]:.2%}" if X_test is not None else "-"
            print(f"{epoch + 1:>5} {history['loss'][-1]:>10.4f} {accuracy:>14} {history['seconds'][-1]:>8.1f}", flush=True)
    return history


def load_digit_images():
    """The digits as images (N, 1, 8, 8) scaled to [0, 1], split 75/25 with the shared seeded split."""
    X, y = data.load_digits()
    images = X.reshape(-1, 1, 8, 8) / 16.0  # (1797, 1, 8, 8)
    return data.train_test_split(images, y, random_state=0)


# %% [markdown]
# ## Demo


# %%
def main():
    X_train, X_test, y_train, y_test = load_digit_images()
    rng = np.random.default_rng(SEED)
    params = init_cnn(rng)
    epochs = 2 if utils.quick_mode() else FULL_EPOCHS
    if utils.quick_mode():  # a short run for the test suite: 200 images each way, two epochs
        X_train, y_train, X_test, y_test = X_train[:200], y_train[:200], X_test[:200], y_test[:200]
    print(f"CNN with {sum(v.size for v in params.values()):,} parameters; {len(X_train)} training and {len(X_test)} test digits, {epochs} epochs")
    print(f"{'epoch':>5} {'mean loss':>10} {'test accuracy':>14} {'seconds':>8}")
    history = train_cnn(params, X_train, y_train, X_test, y_test, epochs, rng, verbose=True)
    wrong = np.flatnonzero(cnn_predict(params, X_test) != y_test)
    print(f"Training accuracy {np.mean(cnn_predict(params, X_train) == y_train):.2%}; test accuracy {1 - len(wrong) / len(y_test):.2%}: {len(wrong)} of {len(y_test)} wrong, trained in {history['seconds'][-1]:.1f} s")
    # Inside the network: first-layer filters, and the maps one test digit produces.
    _, _, maps = cnn_forward(params, X_test[:1])
    panels = [("the first 16 learned 3x3 filters of layer 1 (red +, blue -)", params["W1"][:16, 0], "RdBu_r"),
              ("layer 1 feature maps of the input (after ReLU), 8x8", maps["conv1"][0, :16], "magma"),
              ("layer 2 feature maps (after ReLU), 8x8", maps["conv2"][0, :16], "magma")]
    fig, axes = plotting.new_figure(3, 17, width=0.8, height=1.05)
    for ax in axes.ravel():
        ax.axis("off")
    axes[1, 0].imshow(X_test[0, 0], cmap="gray_r")
    axes[1, 0].set_title(f"input: {y_test[0]}", fontsize=9)
    for row, (title, images, cmap) in enumerate(panels):
        axes[row, 1].set_title(title, loc="left", fontsize=10)  # spans the row: the axes to its right have no title
        for ax, image in zip(axes[row, 1:], images):
            limit = np.abs(image).max() + 1e-12
            ax.imshow(image, cmap=cmap, vmin=-limit if cmap == "RdBu_r" else 0, vmax=limit)
    fig.suptitle("Inside the trained CNN", y=1.02)
    plotting.show_or_save(fig, "ex12_cnn")


if __name__ == "__main__":
    main()
