"""
Exercise 08: weight initialization, from zeros to Xavier and He

Learning goals
--------------
- See why all-zero (or any constant) weights cannot work: every hidden unit gets
  the same gradient, so the units stay copies of each other forever.
- See what the scale of random weights does to a deep network: too small and the
  signal dies out layer by layer, too large and tanh saturates (ReLU explodes).
- Derive the Xavier/Glorot and He scales from "keep the variance of the signal
  the same from layer to layer", and watch them work through ten layers.

The math
--------
A layer maps h (N, n_in) to z = h @ W (N, n_out) with W of shape (n_in, n_out)
(fan_in = n_in, fan_out = n_out). With independent zero-mean entries,
    Var(z_j) = fan_in * Var(W) * E[h^2].
Keeping Var(z) = Var(h) through a (near-)linear activation such as tanh around 0
asks for Var(W) = 1 / fan_in; the same argument for the backward pass asks for
1 / fan_out, and Glorot and Bengio take the compromise
    Xavier:  Var(W) = 2 / (fan_in + fan_out),
             normal N(0, 2 / (fan_in + fan_out)) or uniform U(-a, a), a = sqrt(6 / (fan_in + fan_out))
             (a uniform on [-a, a] has variance a^2 / 3).
ReLU sets half of its inputs to 0, so E[relu(z)^2] = Var(z) / 2, and He et al. double it:
    He:      Var(W) = 2 / fan_in,  normal N(0, 2 / fan_in).
"Too small" (std 0.01) multiplies the signal's standard deviation by about
0.01 * sqrt(fan_in) < 1 per layer; "too large" (std 1) by sqrt(fan_in) > 1.
Symmetry: if all weights of a layer are equal, all its units compute the same
value and receive the same gradient, so gradient descent keeps them equal.

Algorithm
---------
1. init_weights draws a (fan_in, fan_out) matrix for each scheme.
2. deep_forward pushes random data through ten layers (no biases), keeping every
   layer's activations; we print and plot their standard deviation layer by layer.
3. Symmetry: train a small tanh network from constant weights and from Xavier
   weights, and measure how different its hidden units are.

References: X. Glorot, Y. Bengio, "Understanding the difficulty of training deep
feedforward neural networks", AISTATS 2010; K. He, X. Zhang, S. Ren, J. Sun,
"Delving deep into rectifiers", ICCV 2015; Goodfellow, Bengio, Courville, Deep
Learning (2016), ch. 8.4; Stanford CS231n notes, "Neural networks 2".
Difficulty: 1 of 3, about 20 minutes.
Run: python 06-intro-to-deep-learning/ex08_weight_initialization.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, plotting
from utils.validation import as_float_array, check_option, check_positive_int

INIT_METHODS = ("zeros", "small", "large", "xavier_uniform", "xavier_normal", "he_normal")
ACTIVATIONS = ("tanh", "relu")

# %% [markdown]
# ## Initialization schemes


# %%
def init_weights(fan_in, fan_out, method, rng):
    """A (fan_in, fan_out) matrix drawn by ``method``: "small" N(0, 0.01^2), "large" N(0, 1), the rest as above."""
    shape = (check_positive_int(fan_in, "fan_in"), check_positive_int(fan_out, "fan_out"))
    check_option(method, "method", INIT_METHODS)
    # BEGIN SOLUTION
    # HINT 1: Every scheme is a distribution scaled so the layer's output variance stays about constant.
    # HINT 2: xavier_uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); xavier_normal std = sqrt(2 / (fan_in + fan_out));
    # HINT 2: he_normal std = sqrt(2 / fan_in); small 0.01; large 1.0
    # HINT 3: shape = (fan_in, fan_out); if zeros: return np.zeros(shape)
    # HINT 3: if xavier_uniform: return rng.uniform(-limit, limit, size=shape)
    # HINT 3: else look up std for the method; return rng.standard_normal(shape) * std
    if method == "zeros":
        return np.zeros(shape)
    if method == "xavier_uniform":
        limit = np.sqrt(6.0 / (fan_in + fan_out))  # variance limit^2 / 3 = 2 / (fan_in + fan_out)
        return rng.uniform(-limit, limit, size=shape)
    std = {"small": 0.01, "large": 1.0, "xavier_normal": np.sqrt(2.0 / (fan_in + fan_out)), "he_normal": np.sqrt(2.0 / fan_in)}[method]
    return rng.standard_normal(shape) * std  # (fan_in, fan_out)
    # END SOLUTION


def init_mlp(layer_sizes, method, rng):
    """Weights W1, W2, ... by ``method`` and zero biases b1, b2, ... for the given layer sizes."""
    params = {}
    for k, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{k}"], params[f"b{k}"] = init_weights(n_in, n_out, method, rng), np.zeros(n_out)  # (n_in, n_out), (n_out,)
    return params


# %% [markdown]
# ## Watching the signal through ten layers


# %%
def deep_forward(X, weights, activation):
    """Apply h <- activation(h @ W) to X (N, n_0) for each W (n_{k-1}, n_k); returns every layer's h (N, n_k)."""
    check_option(activation, "activation", ACTIVATIONS)
    # BEGIN SOLUTION
    # HINT 1: Push X through every layer (no biases) and keep every layer's activation.
    # HINT 2: h_{k+1} = act(h_k @ W_k), act = tanh or max(0, .)
    # HINT 3: h, outputs = X, []
    # HINT 3: for W in weights: z = h @ W; h = tanh(z) or relu(z); outputs.append(h)
    # HINT 3: return outputs
    h, outputs = X, []
    for W in weights:
        h = np.tanh(h @ W) if activation == "tanh" else np.maximum(h @ W, 0.0)  # (N, n_k)
        outputs.append(h)
    return outputs
    # END SOLUTION


def activation_statistics(activations):
    """Mean and standard deviation of each layer's activations, as two arrays of shape (n_layers,)."""
    activations = [as_float_array(a, "activations") for a in activations]  # one array per layer
    return np.array([a.mean() for a in activations]), np.array([a.std() for a in activations])


# %% [markdown]
# ## Symmetry: constant weights make identical units


# %%
def mlp_loss(params, X, y):
    """Softmax cross-entropy of a tanh MLP (affine -> tanh -> ... -> affine) and its gradients."""
    n_layers = len(params) // 2
    h, caches = X, []
    for k in range(1, n_layers):
        h, affine_cache = nn.affine_forward(h, params[f"W{k}"], params[f"b{k}"])  # (N, d_k)
        h, tanh_cache = nn.tanh_forward(h)
        caches.append((affine_cache, tanh_cache))
    scores, last_cache = nn.affine_forward(h, params[f"W{n_layers}"], params[f"b{n_layers}"])  # (N, K)
    loss, dh = nn.softmax_cross_entropy(scores, y)
    grads = {}
    dh, grads[f"W{n_layers}"], grads[f"b{n_layers}"] = nn.affine_backward(dh, last_cache)
    for k in range(n_layers - 1, 0, -1):
        affine_cache, tanh_cache = caches[k - 1]
        dh, grads[f"W{k}"], grads[f"b{k}"] = nn.affine_backward(nn.tanh_backward(dh, tanh_cache), affine_cache)
    return loss, grads


def hidden_unit_spread(W):
    """The largest standard deviation across the columns (units) of W: 0 exactly when all units are copies."""
    return float(np.max(as_float_array(W, "W", ndim=2, allow_empty=False).std(axis=1)))


def train_mlp(params, X, y, n_steps, lr):
    """Full-batch gradient descent; returns the losses (params are updated in place)."""
    losses = []
    for _ in range(n_steps):
        loss, grads = mlp_loss(params, X, y)
        for name in params:
            params[name] -= lr * grads[name]
        losses.append(loss)
    return np.array(losses)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    width, depth = 256, 10
    X = rng.standard_normal((500, width))  # (500, 256): unit-variance input
    setups = {"tanh": ["small", "large", "xavier_normal", "xavier_uniform", "he_normal"], "relu": ["small", "large", "xavier_normal", "he_normal"]}
    stds = {}
    for activation, methods in setups.items():
        print(f"\n{activation}: standard deviation of the activations after layers 1..{depth} (width {width})")
        print(f"{'init':<15}" + "".join(f"{k:>9}" for k in range(1, depth + 1)))
        for method in methods:
            weights = [init_weights(width, width, method, rng) for _ in range(depth)]
            stds[(activation, method)] = activation_statistics(deep_forward(X, weights, activation))[1]  # (depth,)
            print(f"{method:<15}" + "".join(f"{s:>9.2g}" for s in stds[(activation, method)]))

    print("\nSymmetry: a 2 -> 32 -> 2 tanh network on two moons, full-batch gradient descent")
    Xm, ym = data.make_moons(n_samples=300, noise=0.15, random_state=0)  # (300, 2), (300,)
    symmetry, n_steps = {}, 300 if utils.quick_mode() else 1500
    for name in ["zeros", "constant 0.5", "xavier_normal"]:
        params = init_mlp([2, 32, 2], "zeros" if name != "xavier_normal" else name, rng)
        if name == "constant 0.5":
            params = {k: np.full_like(v, 0.5) if k.startswith("W") else v for k, v in params.items()}
        losses = train_mlp(params, Xm, ym, n_steps=n_steps, lr=0.5)
        accuracy = np.mean(np.argmax(np.tanh(Xm @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"], axis=1) == ym)
        symmetry[name] = losses
        print(f"  {name:<14} final loss {losses[-1]:.3f}  accuracy {accuracy:.1%}  spread of W1 columns {hidden_unit_spread(params['W1']):.2g}")

    fig, axes = plotting.new_figure(1, 3, width=4.6, layout="constrained")
    for ax, activation in zip(axes[:2], setups):
        for method in setups[activation]:
            ax.plot(np.arange(1, depth + 1), stds[(activation, method)], marker="o", label=method)
        ax.set(yscale="log", xlabel="layer", ylabel="std of activations", title=f"{depth} {activation} layers of width {width}")
        ax.legend()
    plotting.plot_loss_curves(axes[2], symmetry, xlabel="gradient step", log_y=True, title="Training from constant vs random weights")
    plotting.show_or_save(fig, "ex08_weight_initialization")


if __name__ == "__main__":
    main()
