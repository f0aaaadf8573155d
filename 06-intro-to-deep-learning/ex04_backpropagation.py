"""
Exercise 04: backpropagation by hand, layer by layer

Learning goals
--------------
- Write each layer as a pair: a forward pass that keeps a cache, and a backward
  pass that turns the upstream gradient into gradients for its inputs and weights.
- Derive the backward passes of an affine layer, ReLU, sigmoid, tanh and three
  losses (mean squared error, binary and softmax cross-entropy).
- Compose the layers into a two-layer network and check every gradient against
  central differences.

The math
--------
A batch x has shape (N, D); an affine layer with weights w (D, M) and bias b (M,)
computes out = x @ w + b, of shape (N, M). Given dout = dL/dout (N, M):
    dx = dout @ w.T   (N, D)      dw = x.T @ dout   (D, M)      db = sum_n dout[n]   (M,)
Elementwise activations multiply dout by their derivative:
    relu:    out = max(0, x)           dx = dout * [x > 0]
    sigmoid: out = s = 1/(1 + e^-x)    dx = dout * s (1 - s)
    tanh:    out = t = tanh(x)         dx = dout * (1 - t^2)
Losses return (loss, dlogits), averaged over the N samples:
    MSE:              L = 1/N sum_n ||p_n - y_n||^2 / 2        dp = (p - y) / N
    binary CE (logits z, y in {0,1}): L = 1/N sum log(1 + e^z) - y z,  dz = (sigmoid(z) - y) / N
    softmax CE (logits z (N, C), y int): L = -1/N sum log softmax(z)_{n, y_n},
                                         dz = (softmax(z) - onehot(y)) / N

Algorithm
---------
1. Forward: call each layer's forward in order, keep every cache.
2. Loss: compute the loss and its gradient with respect to the final scores.
3. Backward: call the backward passes in reverse order, each receiving the
   gradient that the layer after it returned.
4. Check: compare every gradient with utils.gradcheck's central differences.

References: D. Rumelhart, G. Hinton, R. Williams, "Learning representations by
back-propagating errors", Nature 323 (1986); Goodfellow, Bengio, Courville,
Deep Learning (2016), ch. 6.5; Stanford CS231n notes, "Backpropagation, intuitions".
Difficulty: 2 of 3, about 40 minutes.
Run: python 06-intro-to-deep-learning/ex04_backpropagation.py
"""

# %%
import numpy as np

from utils import data, gradcheck, nn, plotting
from utils.validation import as_float_array, as_float_arrays, check_grad_shape, check_positive_int, check_same_shape

sigmoid = nn.sigmoid  # written in ex02; stable for any x: exp of -|x| only
softmax = nn.softmax  # written in ex02; row-wise, max-subtracted: exp cannot overflow

# %% [markdown]
# ## Layers: forward keeps a cache, backward uses it


# %%
def affine_forward(x, w, b):
    """out = x @ w + b for x (N, D), w (D, M), b (M,); returns (out, cache)."""
    x, w, b = as_float_arrays(x=x, w=w, b=b)
    if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[0] or b.shape != (w.shape[1],):
        raise ValueError(f"expected x (N, D), w (D, M), b (M,); got {x.shape}, {w.shape}, {b.shape}")
    # BEGIN SOLUTION
    # HINT 1: A batched affine map; b broadcasts over the N rows. Cache what the backward pass needs.
    # HINT 2: out = x @ w + b, (N, D) @ (D, M) + (M,) -> (N, M)
    out = x @ w + b  # (N, M)
    # END SOLUTION
    return out, (x, w)


def affine_backward(dout, cache):
    """Gradients (dx, dw, db) of the loss with respect to x, w and b."""
    dout = as_float_array(dout, "dout")
    x, w = cache
    # BEGIN SOLUTION
    # HINT 1: Match shapes: each gradient must have the shape of the thing it is the gradient of.
    # HINT 2: dx = dout @ w.T (N, D); dw = x.T @ dout (D, M); db = dout.sum(axis=0) (M,)
    # HINT 3: x, w = cache (already unpacked above)
    # HINT 3: dx = dout @ w.T; dw = x.T @ dout; db = sum of dout over the batch axis
    dx = dout @ w.T  # (N, D)
    dw = x.T @ dout  # (D, M): each sample's outer product x_n dout_n, summed
    db = dout.sum(axis=0)  # (M,): b is added to every row, so its gradient sums over rows
    # END SOLUTION
    return dx, dw, db


def relu_forward(x):
    """out = max(0, x), elementwise; returns (out, cache)."""
    x = as_float_array(x, "x")
    # BEGIN SOLUTION
    # HINT 1: Elementwise max with zero; the input x is all the backward pass needs.
    out = np.maximum(0.0, x)
    # END SOLUTION
    return out, x


def relu_backward(dout, cache):
    """dx = dout where the input was positive, 0 elsewhere (we take the kink at 0 as 0)."""
    dout = as_float_array(dout, "dout")
    x = cache
    check_grad_shape(dout, np.shape(x))
    # BEGIN SOLUTION
    # HINT 1: The gradient flows only through entries that were positive in the forward pass.
    # HINT 2: dx = dout * (x > 0)
    dx = dout * (x > 0)
    # END SOLUTION
    return dx


def sigmoid_forward(x):
    """out = sigmoid(x); the cache is the output, which is all the backward pass needs."""
    x = as_float_array(x, "x")
    out = sigmoid(x)
    return out, out


def sigmoid_backward(dout, cache):
    """dx = dout * s (1 - s)."""
    dout = as_float_array(dout, "dout")
    s = cache
    check_grad_shape(dout, np.shape(s))
    # BEGIN SOLUTION
    # HINT 1: The cache holds the forward output s; the local derivative is written in s.
    # HINT 2: dx = dout * s * (1 - s)
    dx = dout * s * (1.0 - s)
    # END SOLUTION
    return dx


def tanh_forward(x):
    """out = tanh(x); returns (out, cache)."""
    x = as_float_array(x, "x")
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    """dx = dout * (1 - tanh(x)^2)."""
    dout = as_float_array(dout, "dout")
    t = cache
    check_grad_shape(dout, np.shape(t))
    # BEGIN SOLUTION
    # HINT 1: The cache holds t = tanh(x); the local derivative is written in t.
    # HINT 2: dx = dout * (1 - t**2)
    dx = dout * (1.0 - t**2)
    # END SOLUTION
    return dx


# %% [markdown]
# ## Losses: return the loss and the gradient with respect to the scores


# %%
def _check_batch(scores, y, name, names=("logits", "y")):
    if len(scores) != len(y) or len(y) == 0:
        raise ValueError(f"{name}: expected {names[0]} and {names[1]} with the same number N > 0 of rows; got {len(scores)} and {len(y)}")


def mse_loss(pred, y):
    """L = 1/N sum ||pred_n - y_n||^2 / 2 for pred, y of shape (N,) or (N, K); returns (loss, dpred)."""
    pred, y = as_float_array(pred, "pred"), as_float_array(y, "y")
    _check_batch(pred, y, "mse_loss", ("pred", "y"))
    if pred.shape != y.shape:
        raise ValueError(f"mse_loss: pred and y must have the same shape; got {pred.shape} and {y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Return the loss AND its gradient with respect to pred; both carry the 1/n of the mean.
    # HINT 2: loss = 0.5 * sum((pred - y)**2) / n; dpred = (pred - y) / n
    diff = pred - y  # (N, ...)
    n = len(pred)
    return 0.5 * np.sum(diff**2) / n, diff / n
    # END SOLUTION


def binary_cross_entropy(logits, y):
    """Log-loss of logits z (N,) for labels y in {0, 1}; returns (loss, dlogits).

    With logits, log(1 + e^z) - y z never takes log(0); log(sigmoid(z)) would, for z around -800.
    """
    logits, y = as_float_array(logits, "logits"), as_float_array(y, "y")
    _check_batch(logits, y, "binary_cross_entropy")
    check_same_shape(logits, y, ("logits", "y"))  # (N, 1) against (N,) would broadcast to an (N, N) loss
    # BEGIN SOLUTION
    # HINT 1: Work on logits directly: log(1 + e^z) has a stable NumPy form.
    # HINT 2: loss = mean(logaddexp(0, logits) - y * logits); dlogits = (sigmoid(logits) - y) / N
    loss = np.mean(np.logaddexp(0.0, logits) - y * logits)  # log(1 + e^z) as logaddexp(0, z): finite for any z
    dlogits = (sigmoid(logits) - y) / len(y)  # (N,)
    return loss, dlogits
    # END SOLUTION


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of logits (N, C) against integer labels y (N,); returns (loss, dlogits)."""
    logits = as_float_array(logits, "logits")
    y = np.asarray(y)
    _check_batch(logits, y, "softmax_cross_entropy")
    if logits.ndim != 2 or y.ndim != 1 or not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= logits.shape[1]:
        raise ValueError(f"expected logits (N, C) and y (N,) of integer labels in 0..C-1; got {logits.shape} and {y.dtype} y of shape {y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Compute log-probabilities with log-sum-exp; the gradient is softmax minus one-hot, over n.
    # HINT 2: log_probs = shifted - log(sum(exp(shifted), axis=1)); loss = -mean(log_probs[arange(n), y])
    # HINT 2: dlogits = (softmax(logits) - onehot(y)) / n
    # HINT 3: shifted = logits - row max; log_probs = shifted - log(exp(shifted).sum(axis=1, keepdims))
    # HINT 3: loss = -log_probs[np.arange(n), y].mean()
    # HINT 3: d = np.exp(log_probs); d[np.arange(n), y] -= 1; return loss, d / n
    n = len(y)
    shifted = logits - logits.max(axis=1, keepdims=True)  # (N, C)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-sum-exp, (N, C)
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)  # softmax, (N, C)
    dlogits[np.arange(n), y] -= 1.0
    return loss, dlogits / n
    # END SOLUTION


# %% [markdown]
# ## A two-layer network: affine -> ReLU -> affine -> softmax cross-entropy


# %%
def init_two_layer(n_in, n_hidden, n_out, rng):
    """He-initialised weights (see ex08) as a dict of arrays."""
    n_in, n_hidden, n_out = check_positive_int(n_in, "n_in"), check_positive_int(n_hidden, "n_hidden"), check_positive_int(n_out, "n_out")
    return {"W1": rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in), "b1": np.zeros(n_hidden),  # (D, H), (H,)
            "W2": rng.standard_normal((n_hidden, n_out)) * np.sqrt(2.0 / n_hidden), "b2": np.zeros(n_out)}  # (H, C), (C,)


def two_layer_loss(params, X, y):
    """Loss and gradients of the two-layer network on a batch; returns (loss, grads)."""
    X = as_float_array(X, "X")
    # BEGIN SOLUTION
    # HINT 1: Chain the layer functions forward keeping every cache, then call their backwards in reverse.
    # HINT 2: scores = relu(X @ W1 + b1) @ W2 + b2; softmax_cross_entropy gives dscores
    # HINT 3: hidden, c1 = affine_forward(X, W1, b1); act, cr = relu_forward(hidden)
    # HINT 3: scores, c2 = affine_forward(act, W2, b2); loss, dscores = softmax_cross_entropy(scores, y)
    # HINT 3: dact, dW2, db2 = affine_backward(dscores, c2); dhidden = relu_backward(dact, cr)
    # HINT 3: _, dW1, db1 = affine_backward(dhidden, c1); return loss and the four grads in a dict
    hidden, cache1 = affine_forward(X, params["W1"], params["b1"])  # (N, H)
    activated, cache_relu = relu_forward(hidden)  # (N, H)
    scores, cache2 = affine_forward(activated, params["W2"], params["b2"])  # (N, C)
    loss, dscores = softmax_cross_entropy(scores, y)
    dactivated, dW2, db2 = affine_backward(dscores, cache2)
    dhidden = relu_backward(dactivated, cache_relu)
    _, dW1, db1 = affine_backward(dhidden, cache1)
    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    # END SOLUTION


def two_layer_predict(params, X):
    """Class index with the highest score for each row of X."""
    X = as_float_array(X, "X")
    hidden = np.maximum(0.0, X @ params["W1"] + params["b1"])  # (N, H)
    return np.argmax(hidden @ params["W2"] + params["b2"], axis=1)  # (N,)


# %% [markdown]
# ## Demo: check every gradient, then train on spirals


# %%
def main():
    rng = np.random.default_rng(0)

    print("Gradient checks (relative error, float64 central differences):")
    x, w, b, dout, z = (rng.standard_normal(shape) for shape in [(4, 5), (5, 3), 3, (4, 3), (4, 3)])
    labels = rng.integers(0, 3, size=4)
    dx, dw, db = affine_backward(dout, affine_forward(x, w, b)[1])
    checks = {"affine dx": (dx, lambda v: affine_forward(v, w, b)[0], x), "affine dw": (dw, lambda v: affine_forward(x, v, b)[0], w),
              "affine db": (db, lambda v: affine_forward(x, w, v)[0], b)}
    for name, forward, backward in [("relu", relu_forward, relu_backward), ("sigmoid", sigmoid_forward, sigmoid_backward),
                                    ("tanh", tanh_forward, tanh_backward)]:
        checks[name] = (backward(dout, forward(z)[1]), lambda v, f=forward: f(v)[0], z)
    for name, (analytic, f, v) in checks.items():
        print(f"  {name:<12} {gradcheck.rel_error(analytic, gradcheck.numerical_gradient_array(f, v, dout)):.1e}")
    numeric = gradcheck.numerical_gradient(lambda v: softmax_cross_entropy(v, labels)[0], z)
    print(f"  {'softmax CE':<12} {gradcheck.rel_error(softmax_cross_entropy(z, labels)[1], numeric):.1e}")

    X, y = data.make_spirals(n_samples=300, n_classes=3, noise=0.15, random_state=0)
    params = init_two_layer(2, 64, 3, rng)
    losses = []
    for _ in range(1500):
        loss, grads = two_layer_loss(params, X, y)
        losses.append(loss)
        params = {name: value - 1.0 * grads[name] for name, value in params.items()}  # plain full-batch gradient descent
    accuracy = np.mean(two_layer_predict(params, X) == y)
    print(f"\nTwo-layer network on 3 spirals: final loss {losses[-1]:.3f}, training accuracy {accuracy:.1%}")

    fig, (ax_loss, ax_boundary) = plotting.new_figure(1, 2)
    plotting.plot_loss_curves(ax_loss, {"training loss": losses}, xlabel="gradient step", log_y=True, title="Loss")
    plotting.plot_decision_boundary(ax_boundary, lambda G: two_layer_predict(params, G), X, y,
                                    title=f"Learned regions ({accuracy:.0%} train accuracy)")
    plotting.show_or_save(fig, "ex04_backpropagation")


if __name__ == "__main__":
    main()
