"""
Exercise 09: regularization with L2 weight decay and (inverted) dropout

Learning goals
--------------
- Add an L2 penalty to a network's loss and its gradient, lambda * W, to every weight matrix.
- Write inverted dropout as a layer: random units are switched off while training,
  the survivors are scaled up so that nothing has to change at inference.
- Watch a big network memorise a small, noisy training set (its test loss climbs
  while its training loss goes to 0), and both regularizers keep the test loss down.

The math
--------
L2 weight decay adds to the data loss L_data the penalty
    R = (lambda / 2) * sum_k ||W_k||_F^2       (biases are not penalised),
so the gradient of each weight matrix gains lambda * W_k: every step shrinks the
weights a little ("decays" them) before the data gradient acts.
Dropout, with p in [0, 1) the probability of DROPPING a unit (as PyTorch's nn.Dropout(p)):
    training:   m_ij ~ Bernoulli(1 - p) / (1 - p),   out = x * m     (m_ij is 0 or 1 / (1 - p))
    inference:  out = x
Since E[m_ij] = (1 - p) / (1 - p) = 1, E[out] = x: the scaling during training
("inverted" dropout) keeps the expected activation the same, so inference is the
identity. The backward pass multiplies by the same mask: dx = dout * m.

Algorithm
---------
1. dropout_forward: in training keep the entries whose uniform draw is >= p, divide
   them by 1 - p, and cache the mask; dropout_backward: dx = dout * mask.
2. The network: (affine -> ReLU -> dropout) per hidden layer, affine, softmax
   cross-entropy, plus the L2 penalty; Adam on 60 noisy moons, tested on 500 fresh points.

References: N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov,
"Dropout: a simple way to prevent neural networks from overfitting", JMLR 15 (2014);
A. Krogh, J. Hertz, "A simple weight decay can improve generalization", NIPS 1991;
Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 7.1 and 7.12.
Difficulty: 2 of 3, about 35 minutes.
Run: python 06-intro-to-deep-learning/ex09_regularization_dropout.py
"""

# %%
import numpy as np

import utils
from utils import data, nn, plotting
from utils.optim import Adam
from utils.timing import format_table
from utils.validation import as_float_array, check_option, check_positive_number

# %%
def l2_penalty(params, reg):
    """(penalty, grads): (reg / 2) sum ||W||^2 over the weight matrices ("W..."), and reg * W for each (0 for biases)."""
    reg = check_positive_number(reg, "reg", allow_zero=True)
    # BEGIN SOLUTION
    # HINT 1: Only weight matrices (names starting with "W") are penalised; biases get zero gradients.
    # HINT 2: penalty = sum_W 0.5 * reg * sum(W**2); grads[W] = reg * W; grads[b] = zeros_like(b)
    # HINT 3: penalty, grads = 0.0, {}
    # HINT 3: for name, value in params.items(): W -> add to penalty, grads = reg * value; else zeros
    penalty, grads = 0.0, {}
    for name, value in params.items():
        is_weight = name.startswith("W")
        penalty += 0.5 * reg * np.sum(value**2) if is_weight else 0.0
        grads[name] = reg * value if is_weight else np.zeros_like(value)  # d/dW of (reg / 2) ||W||^2; biases 0
    return penalty, grads
    # END SOLUTION


# %% [markdown]
# ## Inverted dropout: p is the probability of dropping a unit


# %%
def dropout_forward(x, p, mode, rng=None):
    """Inverted dropout of x (any shape) with DROP probability p in [0, 1); mode "train" or "test"
    (the identity); rng, a np.random.Generator, is needed in training. Returns (out, cache)."""
    x = as_float_array(x, "x")
    if not 0 <= p < 1:
        raise ValueError(f"p is the probability of dropping a unit and must be in [0, 1); got {p!r}")
    check_option(mode, "mode", ("train", "test"))
    if mode == "train" and not isinstance(rng, np.random.Generator):
        raise ValueError(f"training mode needs a random generator rng=np.random.default_rng(seed); got {rng!r}")
    # BEGIN SOLUTION
    # HINT 1: Inverted dropout: scale kept units at training time so test time is the identity.
    # HINT 2: mask = (rng.random(x.shape) >= p) / (1 - p); out = x * mask
    # HINT 3: if mode == "test": return x, (None, mode)
    # HINT 3: mask = (rng.random(x.shape) >= p) / (1.0 - p); return x * mask, (mask, mode)
    if mode == "test":
        return x, (None, mode)  # inference: the identity, no scaling needed
    mask = (rng.random(x.shape) >= p) / (1.0 - p)  # same shape as x: 0 (dropped) or 1 / (1 - p) (kept)
    return x * mask, (mask, mode)
    # END SOLUTION


def dropout_backward(dout, cache):
    """dx = dout * mask in training mode (the mask of the forward pass), dout at inference."""
    dout = as_float_array(dout, "dout")
    mask, mode = cache
    # BEGIN SOLUTION
    # HINT 1: Gradients flow through exactly the kept units, with the same scale as the forward pass.
    # HINT 2: test mode: dout; train mode: dout * mask
    return dout if mode == "test" else dout * mask
    # END SOLUTION


# %% [markdown]
# ## A ReLU network with dropout after each hidden layer


# %%
def init_mlp(layer_sizes, rng):
    """He-initialised weights W1, W2, ... (ex08) and zero biases, for layer sizes (d_0, ..., d_L)."""
    params = {}
    for l, (d_in, d_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{l}"], params[f"b{l}"] = rng.standard_normal((d_in, d_out)) * np.sqrt(2.0 / d_in), np.zeros(d_out)  # (d_in, d_out), (d_out,)
    return params


def mlp_loss(params, X, y, p_drop=0.0, reg=0.0, mode="train", rng=None):
    """(data_loss, penalty, grads of their sum) of affine -> ReLU -> dropout per hidden layer, then affine -> softmax CE."""
    X = as_float_array(X, "X")
    # BEGIN SOLUTION
    # HINT 1: Each hidden layer is affine -> ReLU -> dropout; the penalty's gradients start the
    # HINT 1: grads dict. Backprop in reverse, adding the data gradients to those penalty gradients.
    # HINT 2: hidden: h = dropout(relu(h @ W_k + b_k)); dh_k = relu_backward(dropout_backward(dh, drop), relu)
    # HINT 3: forward: for k < n_layers: affine, relu, dropout; keep the three caches per layer
    # HINT 3: scores = affine_forward(...); data_loss, dscores = nn.softmax_cross_entropy(...)
    # HINT 3: penalty, grads = l2_penalty(params, reg); last affine_backward; then per layer:
    # HINT 3:     dropout_backward, relu_backward, affine_backward, each += into grads
    n_layers = len(params) // 2
    h, caches = X, []
    for k in range(1, n_layers):
        h, affine_cache = nn.affine_forward(h, params[f"W{k}"], params[f"b{k}"])  # (N, H_k)
        h, relu_cache = nn.relu_forward(h)
        h, drop_cache = dropout_forward(h, p_drop, mode, rng)
        caches.append((affine_cache, relu_cache, drop_cache))
    scores, last_cache = nn.affine_forward(h, params[f"W{n_layers}"], params[f"b{n_layers}"])  # (N, C)
    data_loss, dscores = nn.softmax_cross_entropy(scores, y)
    penalty, grads = l2_penalty(params, reg)  # starts every gradient with the penalty's part
    dh, dW, db = nn.affine_backward(dscores, last_cache)
    grads[f"W{n_layers}"], grads[f"b{n_layers}"] = grads[f"W{n_layers}"] + dW, grads[f"b{n_layers}"] + db
    for k in range(n_layers - 1, 0, -1):
        affine_cache, relu_cache, drop_cache = caches[k - 1]
        dh = nn.relu_backward(dropout_backward(dh, drop_cache), relu_cache)
        dh, dW, db = nn.affine_backward(dh, affine_cache)
        grads[f"W{k}"], grads[f"b{k}"] = grads[f"W{k}"] + dW, grads[f"b{k}"] + db
    return data_loss, penalty, grads
    # END SOLUTION


def mlp_predict(params, X):
    """Class predictions at inference (dropout off)."""
    h, n_layers = as_float_array(X, "X"), len(params) // 2
    for k in range(1, n_layers):
        h = np.maximum(0.0, h @ params[f"W{k}"] + params[f"b{k}"])  # (N, H_k)
    return np.argmax(h @ params[f"W{n_layers}"] + params[f"b{n_layers}"], axis=1)  # (N,)


def train(params, X_train, y_train, X_test, y_test, p_drop, reg, n_steps, rng, lr=1e-3, eval_every=20):
    """Full-batch Adam; every ``eval_every`` steps record the data losses (inference mode) and test accuracy."""
    optimizer, history = Adam(lr=lr), {"train loss": [], "test loss": [], "test accuracy": []}
    for step in range(n_steps + 1):
        if step % eval_every == 0:
            history["train loss"].append(mlp_loss(params, X_train, y_train, mode="test")[0])
            history["test loss"].append(mlp_loss(params, X_test, y_test, mode="test")[0])
            history["test accuracy"].append(np.mean(mlp_predict(params, X_test) == y_test))
        if step < n_steps:
            _, _, grads = mlp_loss(params, X_train, y_train, p_drop, reg, "train", rng)
            optimizer.step(params, grads)
    return history


# %% [markdown]
# ## Demo: a big network, a small noisy training set


# %%
def main():
    X_train, y_train = data.make_moons(n_samples=60, noise=0.3, random_state=0)  # (60, 2): few points, much noise
    X_test, y_test = data.make_moons(n_samples=500, noise=0.3, random_state=1)  # fresh points from the same moons
    sizes, n_steps = [2, 64, 64, 2], 200 if utils.quick_mode() else 1000  # about 4,400 weights for 60 points
    settings = {"no regularization": (0.0, 0.0), "L2 (lambda = 0.01)": (0.0, 0.01), "dropout (p = 0.5)": (0.5, 0.0), "dropout + L2": (0.5, 0.01)}
    results, models = {}, {}
    for name, (p_drop, reg) in settings.items():
        models[name] = init_mlp(sizes, np.random.default_rng(1))  # the same starting weights for every setting
        results[name] = train(models[name], X_train, y_train, X_test, y_test, p_drop, reg, n_steps, np.random.default_rng(0), lr=3e-3)

    print(f"MLP {' -> '.join(map(str, sizes))} on {len(y_train)} noisy moons, tested on {len(y_test)}; {n_steps} Adam steps")
    print(format_table(["setting", "train loss", "test loss", "best test loss", "test accuracy"], [
        [name, f"{h['train loss'][-1]:.4f}", f"{h['test loss'][-1]:.4f}", f"{min(h['test loss']):.4f}", f"{h['test accuracy'][-1]:.1%}"]
        for name, h in results.items()]))

    fig, axes = plotting.new_figure(1, 4, width=3.6, height=3.4, layout="constrained")
    for ax, (name, params) in zip(axes, models.items()):
        plotting.plot_decision_boundary(ax, lambda G, prm=params: mlp_predict(prm, G), X_train, y_train,
                                        title=f"{name}\ntest accuracy {results[name]['test accuracy'][-1]:.1%}")
    fig.suptitle("Decision regions learned from the 60 training points")
    plotting.show_or_save(fig, "ex09_regularization_dropout")


if __name__ == "__main__":
    main()
