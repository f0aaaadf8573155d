"""
Exercise 06: autograd for arrays, broadcasting and a network trained by the engine

Learning goals
--------------
- Take ex05's engine from numbers to arrays: a node stores vector-Jacobian products,
  functions g -> (dv/du)^T g; broadcasting in the forward pass becomes a sum backward.
- Train a small MLP with it (its gradients equal ex04's hand-written ones).

The math
--------
For the upstream gradient g = dL/dv of an array node v, each parent u receives (dv/du)^T g:
    v = a + b:   g, g               v = a * b:  g * b, g * a     (elementwise)
    v = A @ B (N, K) @ (K, M):      g @ B^T (N, K),  A^T @ g (K, M)
    v = sum(a, axis):  g copied back along the summed axis
    v = log_softmax(z) rows:        g - softmax(z) * sum(g, row)
If a (M,) was broadcast to (N, M) in the forward pass, each entry was used N times, so its
gradient is the upstream (N, M) gradient summed over that axis: "sum-reduce to the operand's shape".
The demo's loss, the mean cross-entropy -1/N sum_n log softmax(z_n)[y_n], is a sum of
log_softmax times a one-hot constant.

Algorithm
---------
1. Forward: every operation returns a Tensor with its value, parents and one vjp per parent.
2. Backward: ex05's topological order; seed dL/dL = 1; walk it from the output, adding
   unbroadcast(vjp(adjoint), parent shape) into each parent. 3. Train: a plain gradient step.

References: A. Griewank, A. Walther, Evaluating Derivatives (2008), ch. 3; A. Baydin et al., "Automatic
differentiation in machine learning: a survey", JMLR 18 (2018); Goodfellow et al., Deep Learning, ch. 6.5.
Builds on: 06-intro-to-deep-learning/ex05_autograd.py (autograd).
Difficulty: 3 of 3, about 45 minutes.
Run: python 06-intro-to-deep-learning/ex06_autograd_arrays.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting

autograd = utils.load_exercise("06-intro-to-deep-learning/ex05_autograd.py", practice=False)

# %% [markdown]
# ## Arrays: each node stores vector-Jacobian products


# %%
def unbroadcast(grad, shape):
    """Sum grad down to `shape`, undoing NumPy broadcasting (a (N, M) gradient for a (M,) bias -> (M,))."""
    # BEGIN SOLUTION
    # HINT 1: Undo broadcasting: sum grad over every axis that broadcasting created or stretched.
    # HINT 2: sum over leading axes until grad.ndim == len(shape); then sum (keepdims) every axis of size 1 in shape
    # HINT 3: while grad.ndim > len(shape): grad = grad.sum(axis=0)
    # HINT 3: for axis, size in enumerate(shape): if size == 1 and grad.shape[axis] != 1: sum it with keepdims
    while grad.ndim > len(shape):  # axes that broadcasting added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of length 1 that broadcasting stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad
    # END SOLUTION


class Tensor:
    """A float64 array that remembers how it was computed: data, grad (same shape), and _parents,
    a tuple of (parent Tensor, vjp), vjp mapping dL/d this to dL/d parent (before unbroadcasting)."""

    def __init__(self, data, _parents=(), _op=""):
        self.data = np.asarray(data, dtype=float)
        self.grad, self._parents, self._op = np.zeros_like(self.data), _parents, _op

    @property
    def shape(self):
        return self.data.shape

    @staticmethod
    def _lift(other):
        return other if isinstance(other, Tensor) else Tensor(other)

    def __add__(self, other):
        other = Tensor._lift(other)
        # BEGIN SOLUTION
        # HINT 1: Here parents carry a vector-Jacobian product (a function of g), not a number.
        # HINT 2: both vjps are the identity: lambda g: g (backward unbroadcasts the shapes)
        return Tensor(self.data + other.data, ((self, lambda g: g), (other, lambda g: g)), "+")
        # END SOLUTION

    def __mul__(self, other):
        other = Tensor._lift(other)
        # BEGIN SOLUTION
        # HINT 1: Elementwise product: each vjp multiplies g by the other operand's data.
        # HINT 2: self: lambda g: g * other.data; other: lambda g: g * self.data
        return Tensor(self.data * other.data, ((self, lambda g: g * other.data), (other, lambda g: g * self.data)), "*")
        # END SOLUTION

    def __matmul__(self, other):
        other = Tensor._lift(other)
        if self.data.ndim != 2 or other.data.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(f"matmul needs shapes (N, K) and (K, M); got {self.shape} and {other.shape}")
        # BEGIN SOLUTION
        # HINT 1: Matrix product: the vjps are matrix products with transposes, shaped like each operand.
        # HINT 2: for C = A @ B: dA = g @ B.T, dB = A.T @ g
        return Tensor(self.data @ other.data, ((self, lambda g: g @ other.data.T), (other, lambda g: self.data.T @ g)), "@")
        # END SOLUTION

    def sum(self, axis=None):
        """Sum over one axis (an int) or over everything (None)."""
        # BEGIN SOLUTION
        # HINT 1: Every entry that went into the sum receives the same upstream gradient.
        # HINT 2: vjp(g) = broadcast_to(g with the summed axis put back via expand_dims, self.shape)
        # HINT 3: def vjp(g): put the summed axis back (np.expand_dims unless axis is None), then
        # HINT 3:   return np.broadcast_to(g, self.shape); return Tensor(self.data.sum(axis=axis), ((self, vjp),), "sum")
        def vjp(g):  # every entry that went into a sum receives that sum's gradient
            return np.broadcast_to(g if axis is None else np.expand_dims(g, axis), self.shape)

        return Tensor(self.data.sum(axis=axis), ((self, vjp),), "sum")
        # END SOLUTION

    def mean(self, axis=None):
        count = self.data.size if axis is None else self.shape[axis]
        return self.sum(axis) * (1.0 / count)

    def relu(self):
        # BEGIN SOLUTION
        # HINT 1: Keep a boolean mask of the positive entries; use it forward and in the vjp.
        # HINT 2: out = data * mask; vjp: lambda g: g * mask
        mask = self.data > 0
        return Tensor(self.data * mask, ((self, lambda g: g * mask),), "relu")
        # END SOLUTION

    def log_softmax(self):
        """Row-wise log-softmax of a (N, C) tensor, stable for any finite scores."""
        if self.data.ndim != 2:
            raise ValueError(f"log_softmax expects scores of shape (N, C); got {self.shape}")
        # BEGIN SOLUTION
        # HINT 1: Stable log-softmax with the max shift; the vjp needs the softmax probabilities.
        # HINT 2: out = shifted - log(sum(exp(shifted), axis=1)); vjp(g) = g - probs * g.sum(axis=1, keepdims=True)
        # HINT 3: shifted = data - row max; out = shifted - log(exp(shifted).sum(axis=1, keepdims=True))
        # HINT 3: probs = np.exp(out); return Tensor(out, ((self, vjp above),), "log_softmax")
        shifted = self.data - self.data.max(axis=1, keepdims=True)  # (N, C), max 0: exp cannot overflow
        out = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
        probs = np.exp(out)  # (N, C), the softmax
        return Tensor(out, ((self, lambda g: g - probs * g.sum(axis=1, keepdims=True)),), "log_softmax")
        # END SOLUTION

    def __sub__(self, other):
        return self + Tensor._lift(other) * -1.0

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        """Fill in .grad = d self / d node for every node; self must hold a single number."""
        if self.data.size != 1:
            raise ValueError(f"backward() needs a scalar output (take a sum or mean first); got shape {self.shape}")
        order = autograd.topological_order(self)
        # BEGIN SOLUTION
        # HINT 1: Same as ex05's Value.backward, with arrays: zero grads, seed with ones, apply each vjp
        # HINT 1: in reverse. Parents may have been broadcast: bring each contribution back to their shape.
        # HINT 2: parent.grad = parent.grad + unbroadcast(vjp(node.grad), parent.shape)
        # HINT 3: zero every node.grad in order; self.grad = ones_like(self.data); then for node in reversed(order):
        # HINT 3:     for parent, vjp in node._parents: parent.grad = parent.grad + (as in HINT 2)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)  # dL/dL = 1
        for node in reversed(order):
            for parent, vjp in node._parents:
                parent.grad = parent.grad + unbroadcast(vjp(node.grad), parent.shape)
        # END SOLUTION


def cross_entropy(logits, y):
    """Mean softmax cross-entropy of logits, a (N, C) Tensor, against integer labels y (N,)."""
    y = np.asarray(y)
    if logits.data.ndim != 2 or y.shape != (logits.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"expected logits (N, C) and N integer labels; got {logits.shape} and {y.dtype} labels of shape {y.shape}")
    return (logits.log_softmax() * (np.eye(logits.shape[1])[y] / -len(y))).sum()  # a (N, C) one-hot constant, / -N


# %% [markdown]
# ## Demo


# %%
def mlp_logits(params, X):
    """A two-layer ReLU network written with Tensors: relu(X W1 + b1) W2 + b2."""
    return (Tensor(X) @ params["W1"] + params["b1"]).relu() @ params["W2"] + params["b2"]


def main():
    X, y = data.make_moons(n_samples=200, noise=0.15, random_state=0)
    rng = np.random.default_rng(0)
    params = {"W1": Tensor(rng.standard_normal((2, 32)) * np.sqrt(2 / 2)), "b1": Tensor(np.zeros(32)),  # He init
              "W2": Tensor(rng.standard_normal((32, 2)) * np.sqrt(2 / 32)), "b2": Tensor(np.zeros(2))}
    n_steps, losses = 300 if utils.quick_mode() else 1000, []
    for _ in range(n_steps):
        loss = cross_entropy(mlp_logits(params, X), y)
        loss.backward()
        for t in params.values():
            t.data -= 0.5 * t.grad  # plain full-batch gradient descent, in place
        losses.append(float(loss.data))

    def predict(G):
        return np.argmax(mlp_logits(params, G).data, axis=1)

    accuracy = np.mean(predict(X) == y)
    print(f"A 2-32-2 ReLU network on moons, {n_steps} gradient-descent steps, every gradient by the engine: "
          f"loss {losses[0]:.3f} -> {losses[-1]:.3f}, training accuracy {accuracy:.1%}")
    fig, ax = plotting.new_figure()
    plotting.plot_decision_boundary(ax, predict, X, y, title=f"Trained by autograd: {accuracy:.0%} training accuracy")
    plotting.show_or_save(fig, "ex06_autograd_arrays")


if __name__ == "__main__":
    main()
