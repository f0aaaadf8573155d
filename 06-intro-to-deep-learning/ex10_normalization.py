"""
Exercise 10: batch normalization and layer normalization

Learning goals
--------------
- Write batch normalization: normalise each feature over the batch while training,
  keep running averages of the mean and variance, and use those at inference.
- Derive its backward pass in the compact closed form, and check it numerically.
- Write layer normalization, which normalises each sample over its features and so
  behaves the same in training and at inference, for any batch size (even 1).
- See a deep network with badly scaled weights train with either normalization and stall without.

The math
--------
x has shape (N, D): N samples, D features; gamma and beta have shape (D,); eps > 0
keeps the division finite when a variance is 0.
Batch norm (training), per feature d, over the batch:
    mu_d = 1/N sum_n x_nd,     var_d = 1/N sum_n (x_nd - mu_d)^2    (the biased variance)
    xhat_nd = (x_nd - mu_d) / sqrt(var_d + eps),     out_nd = gamma_d xhat_nd + beta_d
    running_mean <- momentum * running_mean + (1 - momentum) * mu        (same for running_var)
(momentum 0.9 keeps 90 % of the old average; PyTorch's momentum=0.1 means the same thing, and
PyTorch stores the unbiased variance N/(N-1) var in running_var; we keep the biased one.)
Batch norm (inference): the same formulas with running_mean and running_var in place of mu, var.
Backward (training), with dxhat = dout * gamma and inv_std = 1 / sqrt(var + eps):
    dbeta = sum_n dout_n,    dgamma = sum_n dout_n * xhat_n
    dx = inv_std / N * (N dxhat - sum_n dxhat_n - xhat * sum_n dxhat_n * xhat_n)
The last line collects the three paths from x to the loss (directly, through mu and
through var) into one expression: the gradient has zero mean over the batch and no
component along xhat, because shifting or scaling a feature's batch does not change xhat.
Layer norm: the same with the roles of the axes swapped, statistics of each sample
over its D features (sums over d instead of n, D instead of N), no running averages.

Algorithm
---------
1. batchnorm_forward: in "train" mode compute the batch statistics, normalise, scale
   and shift, update the running averages in bn_param; in "test" mode use the running ones.
2. batchnorm_backward: dbeta, dgamma and the closed-form dx above.
3. layernorm_forward / layernorm_backward: per-sample statistics along axis 1.
4. Train a 5-layer ReLU network on digits with weights drawn 10 times too small,
   without normalization, with batch norm and with layer norm.

References: S. Ioffe, C. Szegedy, "Batch normalization: accelerating deep network
training by reducing internal covariate shift", ICML 2015; J. L. Ba, J. R. Kiros,
G. E. Hinton, "Layer normalization" (2016); F. Kratzert, "Understanding the backward
pass through batch normalization layer" (2016, blog); Stanford CS231n assignment 2.
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex10_normalization.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, plotting
from utils.optim import SGD
from utils.validation import as_float_array, as_float_arrays, check_grad_shape, check_option

# %% [markdown]
# ## Batch normalization


# %%
def _check_norm_inputs(x, gamma, beta, name):
    if x.ndim != 2 or gamma.shape != (x.shape[1],) or beta.shape != (x.shape[1],):
        raise ValueError(f"{name}: expected x (N, D), gamma (D,), beta (D,); got {x.shape}, {gamma.shape}, {beta.shape}")


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalization of x (N, D). Returns (out, cache).

    bn_param is a dict, updated in place: "mode" ("train" or "test", required),
    "eps" (default 1e-5), "momentum" (default 0.9), and "running_mean" / "running_var"
    of shape (D,), created as zeros / ones on the first call.
    """
    x, gamma, beta = as_float_arrays(x=x, gamma=gamma, beta=beta)
    _check_norm_inputs(x, gamma, beta, "batchnorm_forward")
    mode = bn_param.get("mode")
    check_option(mode, "bn_param['mode']", ("train", "test"))
    if mode == "train" and x.shape[0] < 2:
        raise ValueError(f"x must have at least 2 samples (rows) for batch norm in training mode; got {x.shape[0]} (use layer norm)")
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    running_mean = bn_param.setdefault("running_mean", np.zeros(x.shape[1]))  # (D,)
    running_var = bn_param.setdefault("running_var", np.ones(x.shape[1]))  # (D,)
    # BEGIN SOLUTION
    # HINT 1: Train mode normalises with the batch's own per-feature statistics and updates running
    # HINT 1: ones; test mode uses the running statistics. Then scale and shift with gamma and beta.
    # HINT 2: mean, var over axis 0 (biased); running = momentum * running + (1 - momentum) * batch
    # HINT 2: xhat = (x - mean) / sqrt(var + eps); out = gamma * xhat + beta
    # HINT 3: if mode == "train": mean, var = x.mean(0), x.var(0); update bn_param running_mean/var
    # HINT 3: else: mean, var = running_mean, running_var
    # HINT 3: inv_std = 1 / sqrt(var + eps); xhat = (x - mean) * inv_std; out = gamma * xhat + beta
    if mode == "train":
        mean = x.mean(axis=0)  # (D,)
        var = x.var(axis=0)  # (D,), biased: divides by N
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
    inv_std = 1.0 / np.sqrt(var + eps)  # (D,); eps keeps a constant feature (var = 0) finite
    xhat = (x - mean) * inv_std  # (N, D)
    out = gamma * xhat + beta  # (N, D)
    # END SOLUTION
    return out, (xhat, gamma, inv_std, mode)


def batchnorm_backward(dout, cache):
    """Gradients (dx, dgamma, dbeta) of batch normalization, dx in closed form."""
    dout = as_float_array(dout, "dout")
    xhat, gamma, inv_std, mode = cache
    check_grad_shape(dout, xhat.shape)
    # BEGIN SOLUTION
    # HINT 1: dgamma and dbeta are plain sums over the batch. For dx in train mode, mean
    # HINT 1: and var depend on every sample, so each dx row gets two correction terms.
    # HINT 2: dxhat = dout * gamma; dx = inv_std / n * (n * dxhat - sum_0(dxhat) - xhat * sum_0(dxhat * xhat))
    # HINT 3: dbeta = dout.sum(0); dgamma = (dout * xhat).sum(0); dxhat = dout * gamma
    # HINT 3: if mode == "test": return dxhat * inv_std, dgamma, dbeta
    # HINT 3: n = N; dx = inv_std / n * (n * dxhat - dxhat.sum(0) - xhat * (dxhat * xhat).sum(0))
    dbeta = dout.sum(axis=0)  # (D,)
    dgamma = np.sum(dout * xhat, axis=0)  # (D,)
    dxhat = dout * gamma  # (N, D)
    if mode == "test":  # the statistics are constants at inference: a plain affine map
        return dxhat * inv_std, dgamma, dbeta
    n = dout.shape[0]
    dx = inv_std / n * (n * dxhat - dxhat.sum(axis=0) - xhat * np.sum(dxhat * xhat, axis=0))  # (N, D)
    # END SOLUTION
    return dx, dgamma, dbeta


# %% [markdown]
# ## Layer normalization: per-sample statistics


# %%
def layernorm_forward(x, gamma, beta, ln_param=None):
    """Layer normalization of x (N, D): each row normalised over its D features. Returns (out, cache).

    ln_param may hold "eps" (default 1e-5); the layer is the same in training and at inference.
    """
    x, gamma, beta = as_float_arrays(x=x, gamma=gamma, beta=beta)
    _check_norm_inputs(x, gamma, beta, "layernorm_forward")
    eps = (ln_param or {}).get("eps", 1e-5)
    # BEGIN SOLUTION
    # HINT 1: Same as batch norm, with statistics over each sample's features (axis 1), no running stats.
    # HINT 2: mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)  # (N, 1)
    # HINT 3: inv_std = 1 / sqrt(var + eps); xhat = (x - mean) * inv_std; out = gamma * xhat + beta
    mean = x.mean(axis=1, keepdims=True)  # (N, 1)
    var = x.var(axis=1, keepdims=True)  # (N, 1)
    inv_std = 1.0 / np.sqrt(var + eps)  # (N, 1)
    xhat = (x - mean) * inv_std  # (N, D)
    out = gamma * xhat + beta  # (N, D)
    # END SOLUTION
    return out, (xhat, gamma, inv_std)


def layernorm_backward(dout, cache):
    """Gradients (dx, dgamma, dbeta) of layer normalization."""
    dout = as_float_array(dout, "dout")
    xhat, gamma, inv_std = cache
    check_grad_shape(dout, xhat.shape)
    # BEGIN SOLUTION
    # HINT 1: The batch-norm backward formula with the roles of the axes swapped for dx.
    # HINT 1: gamma and beta remain per feature, so their gradients still sum over axis 0.
    # HINT 2: dx = inv_std / d * (d * dxhat - sum_1(dxhat) - xhat * sum_1(dxhat * xhat)), sums keepdims
    # HINT 3: dbeta = dout.sum(0); dgamma = (dout * xhat).sum(0); dxhat = dout * gamma; d = D
    # HINT 3: dx = inv_std / d *
    # HINT 3:   (d * dxhat - dxhat.sum(1, keepdims) - xhat * (dxhat * xhat).sum(1, keepdims))
    dbeta = dout.sum(axis=0)  # (D,): gamma and beta are still per feature, shared by the samples
    dgamma = np.sum(dout * xhat, axis=0)  # (D,)
    dxhat = dout * gamma  # (N, D)
    d = dout.shape[1]
    dx = inv_std / d * (d * dxhat - dxhat.sum(axis=1, keepdims=True) - xhat * np.sum(dxhat * xhat, axis=1, keepdims=True))
    # END SOLUTION
    return dx, dgamma, dbeta


# %% [markdown]
# ## A deep network with a normalization layer before each ReLU


# %%
def init_network(layer_sizes, weight_scale, rng):
    """Weights N(0, weight_scale^2), zero biases, and gamma = 1, beta = 0 for each hidden layer."""
    params = {}
    for k, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{k}"] = rng.standard_normal((n_in, n_out)) * weight_scale  # (n_in, n_out)
        params[f"b{k}"] = np.zeros(n_out)
        if k < len(layer_sizes) - 1:
            params[f"gamma{k}"], params[f"beta{k}"] = np.ones(n_out), np.zeros(n_out)
    return params


def network_loss(params, norm_params, X, y, norm, mode):
    """affine -> norm -> ReLU per hidden layer, then affine -> softmax cross-entropy.

    norm is "none", "batch" or "layer"; norm_params is a list with one bn_param dict per
    hidden layer (batch norm keeps its running averages there). Returns (loss, grads).
    """
    X = as_float_array(X, "X")
    n_layers = sum(name.startswith("W") for name in params)
    h, caches = X, []
    for k in range(1, n_layers):
        h, affine_cache = nn.affine_forward(h, params[f"W{k}"], params[f"b{k}"])
        norm_cache = None
        if norm == "batch":
            norm_params[k - 1]["mode"] = mode
            h, norm_cache = batchnorm_forward(h, params[f"gamma{k}"], params[f"beta{k}"], norm_params[k - 1])
        elif norm == "layer":
            h, norm_cache = layernorm_forward(h, params[f"gamma{k}"], params[f"beta{k}"])
        h, relu_cache = nn.relu_forward(h)
        caches.append((affine_cache, norm_cache, relu_cache))
    scores, last_cache = nn.affine_forward(h, params[f"W{n_layers}"], params[f"b{n_layers}"])
    loss, dscores = nn.softmax_cross_entropy(scores, y)
    grads = {name: np.zeros_like(value) for name, value in params.items()}  # unused gammas/betas get 0
    dh, grads[f"W{n_layers}"], grads[f"b{n_layers}"] = nn.affine_backward(dscores, last_cache)
    for k in range(n_layers - 1, 0, -1):
        affine_cache, norm_cache, relu_cache = caches[k - 1]
        dh = nn.relu_backward(dh, relu_cache)
        if norm != "none":
            backward = batchnorm_backward if norm == "batch" else layernorm_backward
            dh, grads[f"gamma{k}"], grads[f"beta{k}"] = backward(dh, norm_cache)
        dh, grads[f"W{k}"], grads[f"b{k}"] = nn.affine_backward(dh, affine_cache)
    return loss, grads


def predict(params, norm_params, X, norm):
    """Class predictions at inference (batch norm uses its running averages)."""
    X = as_float_array(X, "X")
    n_layers = sum(name.startswith("W") for name in params)
    h = X
    for k in range(1, n_layers):
        h = h @ params[f"W{k}"] + params[f"b{k}"]  # (N, H)
        if norm == "batch":
            h, _ = batchnorm_forward(h, params[f"gamma{k}"], params[f"beta{k}"], {**norm_params[k - 1], "mode": "test"})
        elif norm == "layer":
            h, _ = layernorm_forward(h, params[f"gamma{k}"], params[f"beta{k}"])
        h = np.maximum(h, 0.0)
    return np.argmax(h @ params[f"W{n_layers}"] + params[f"b{n_layers}"], axis=1)  # (N,)


# %% [markdown]
# ## Demo


# %%
def main():
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, random_state=0)  # pixels in [0, 1]
    sizes = [64, 100, 100, 100, 100, 10]
    weight_scale = 0.01  # about 10 times smaller than He's sqrt(2 / 100): the signal fades layer by layer
    n_epochs, batch_size = (3 if utils.quick_mode() else 10), 64
    curves, accuracies = {}, {}
    for norm in ["none", "batch", "layer"]:
        rng = np.random.default_rng(0)
        params = init_network(sizes, weight_scale, rng)
        norm_params = [{"momentum": 0.9} for _ in sizes[1:-1]]
        optimizer = SGD(lr=0.02, momentum=0.9)
        losses = []
        for _ in range(n_epochs):
            order = rng.permutation(len(X_train))  # (n_samples,), a fresh order every epoch
            for start in range(0, len(order), batch_size):
                X_batch, y_batch = X_train[order[start : start + batch_size]], y_train[order[start : start + batch_size]]
                loss, grads = network_loss(params, norm_params, X_batch, y_batch, norm, "train")
                optimizer.step(params, grads)
                losses.append(loss)
        curves[norm] = losses
        accuracies[norm] = (np.mean(predict(params, norm_params, X_train, norm) == y_train), np.mean(predict(params, norm_params, X_test, norm) == y_test))

    print(f"5-layer ReLU network, weights N(0, {weight_scale}^2), SGD with momentum, {n_epochs} epochs of batches of {batch_size}")
    print(f"{'normalization':<14} {'final batch loss':>17} {'train accuracy':>15} {'test accuracy':>14}")
    for norm, losses in curves.items():
        print(f"{norm:<14} {np.mean(losses[-10:]):>17.3f} {accuracies[norm][0]:>15.1%} {accuracies[norm][1]:>14.1%}")

    fig, ax = plotting.new_figure()
    smoothed = {name: np.convolve(losses, np.ones(10) / 10, mode="valid") for name, losses in curves.items()}  # moving average of 10
    plotting.plot_loss_curves(ax, smoothed, xlabel="mini-batch step", ylabel="cross-entropy (moving average)", log_y=True,
                              title="Training loss, weights 10x too small")
    plotting.show_or_save(fig, "ex10_normalization")


if __name__ == "__main__":
    main()
