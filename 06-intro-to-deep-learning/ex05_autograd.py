"""
Exercise 05: automatic differentiation, a small reverse-mode engine

Learning goals
--------------
- Record every operation in a graph as it runs, with the local derivative of
  its output with respect to each input, then apply the chain rule backwards.
- Visit the graph in topological order, so each node's gradient is complete
  (all its uses added up) before it is passed on to its inputs.
- Go from scalars to arrays: the same engine with vector-Jacobian products,
  where broadcasting in the forward pass becomes a sum in the backward pass.
- Train a small MLP with it and check it against ex04's hand-written gradients.

The math
--------
A computation is a directed acyclic graph: each node v = f(u_1, ..., u_k) of
its parents. For the final scalar L, the adjoint of a node is dL/dv, and
    dL/du_i = sum over every child v of u_i of  dL/dv * dv/du_i     (chain rule).
A scalar node stores the numbers dv/du_i: for v = a b they are (b, a); for
v = a + b (1, 1); for v = a^p, p a^(p-1); exp: e^a; log: 1/a; tanh: 1 - v^2;
relu: [a > 0]. An array node stores functions instead, the vector-Jacobian
products g -> (dv/du)^T g, for the upstream gradient g = dL/dv:
    v = a + b:   g, g               v = a * b:  g * b, g * a     (elementwise)
    v = A @ B (N, K) @ (K, M):      g @ B^T (N, K),  A^T @ g (K, M)
    v = sum(a, axis):  g copied back along the summed axis
    v = log_softmax(z) rows:        g - softmax(z) * sum(g, row)
If a had shape (M,) and was broadcast to (N, M) in the forward pass, each of
its entries was used N times, so its gradient is the upstream (N, M) gradient
summed over the broadcast axis: "sum-reduce to the operand's shape".

Algorithm
---------
1. Forward: every operation returns a new node holding its value, its parents
   and the local derivatives (or vector-Jacobian products).
2. Order: a depth-first search from the output lists the nodes so that every
   node comes after all of its parents (a topological order).
3. Backward: zero every gradient, set dL/dL = 1, and walk the order from the
   output back to the inputs, adding adjoint * local derivative into each parent.

References: A. Griewank, A. Walther, Evaluating Derivatives (2008), ch. 3;
A. Baydin et al., "Automatic differentiation in machine learning: a survey",
JMLR 18 (2018); Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 6.5.
Difficulty: 3 of 3, about 60 minutes.
Run: python 06-intro-to-deep-learning/ex05_autograd.py
"""

# %%
import math

import numpy as np

import utils
from utils import data, plotting


# %% [markdown]
# ## The graph walk, shared by scalars and arrays


# %%
def topological_order(root):
    """Every node that `root` depends on (and root itself), each after all of its parents.

    Iterative depth-first search: a node is appended once all its parents are, so a
    shared node (used twice, as in a * a) appears once. No recursion, so deep graphs are fine.
    """
    # BEGIN SOLUTION
    # HINT 1: A depth-first search that emits a node only after all of its
    # HINT 1: parents have been emitted. Use an explicit stack (deep graphs
    # HINT 1: would overflow Python's recursion) and a seen set of ids.
    # HINT 2: stack entries (node, parents_done): pop; if parents_done, append to order;
    # HINT 2:   else push it back with parents_done=True, then push its unseen parents with False.
    # HINT 3: order, seen, stack = [], set(), [(root, False)]
    # HINT 3: while stack: node, done = stack.pop(); if done: order.append(node)
    # HINT 3:     elif id(node) not in seen: mark it; push (node, True), then unseen parents (p, False)
    # HINT 3: return order   # parents before children, root last
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))  # comes back after every parent pushed below is finished
            stack.extend((parent, False) for parent, _ in node._parents if id(parent) not in seen)
    return order
    # END SOLUTION


# %% [markdown]
# ## Scalars: each node stores its local derivatives as numbers


# %%
class Value:
    """A number that remembers how it was computed.

    Attributes: data (float), grad (float, dL/d this after backward()), and
    _parents, a tuple of (parent Value, local derivative d this / d parent).
    """

    def __init__(self, data, _parents=(), _op=""):
        self.data, self.grad = float(data), 0.0
        self._parents, self._op = _parents, _op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _lift(other):
        if isinstance(other, Value):
            return other
        if isinstance(other, (int, float, np.floating, np.integer)):
            return Value(other)
        raise TypeError(f"Value works with numbers and Values; got {type(other).__name__}")

    def __add__(self, other):
        other = Value._lift(other)
        # BEGIN SOLUTION
        # HINT 1: A new Value whose _parents pair each input with its local derivative d(out)/d(input).
        # HINT 2: Value(self.data + other.data, ((self, 1.0), (other, 1.0)), "+")
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)), "+")
        # END SOLUTION

    def __mul__(self, other):
        other = Value._lift(other)
        # BEGIN SOLUTION
        # HINT 1: For a product, each input's local derivative is the OTHER input's value.
        # HINT 2: Value(self.data * other.data, ((self, other.data), (other, self.data)), "*")
        return Value(self.data * other.data, ((self, other.data), (other, self.data)), "*")
        # END SOLUTION

    def __pow__(self, exponent):
        """self ** exponent for a plain number exponent (not a Value)."""
        if not isinstance(exponent, (int, float)):
            raise TypeError(f"the exponent must be a number; got {type(exponent).__name__}")
        if self.data < 0 and exponent != int(exponent):
            raise ValueError(f"a negative base ({self.data}) needs an integer exponent; got {exponent}")
        # BEGIN SOLUTION
        # HINT 1: Power rule: the exponent is a plain number, so only self is a parent.
        # HINT 2: local derivative = exponent * self.data ** (exponent - 1)
        return Value(self.data**exponent, ((self, exponent * self.data ** (exponent - 1)),), f"**{exponent}")
        # END SOLUTION

    def exp(self):
        # BEGIN SOLUTION
        # HINT 1: e^a is its own derivative: compute it once and use it as both value and local gradient.
        e = math.exp(self.data)
        return Value(e, ((self, e),), "exp")  # d e^a / da = e^a
        # END SOLUTION

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive number; got {self.data}")
        # BEGIN SOLUTION
        # HINT 1: The local derivative of log(a) is 1 / a.
        return Value(math.log(self.data), ((self, 1.0 / self.data),), "log")
        # END SOLUTION

    def tanh(self):
        # BEGIN SOLUTION
        # HINT 1: Compute t = tanh(a) once; the local derivative is written in t.
        # HINT 2: local = 1 - t * t
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),), "tanh")
        # END SOLUTION

    def relu(self):
        # BEGIN SOLUTION
        # HINT 1: The local derivative is 1 where the input is positive, 0 otherwise.
        return Value(max(self.data, 0.0), ((self, 1.0 if self.data > 0 else 0.0),), "relu")
        # END SOLUTION

    # Everything else is built from the operations above, so it needs no derivative of its own.
    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-Value._lift(other))

    def __truediv__(self, other):
        return self * Value._lift(other) ** -1

    __radd__ = __add__  # 2 + a calls a.__radd__(2): addition and multiplication commute
    __rmul__ = __mul__

    def __rsub__(self, other):
        return Value._lift(other) - self

    def __rtruediv__(self, other):
        return Value._lift(other) / self

    def backward(self):
        """Fill in .grad = d self / d node for every node self depends on (previous grads are reset)."""
        order = topological_order(self)
        # BEGIN SOLUTION
        # HINT 1: Walk the graph from the output back, pushing each node's adjoint to its parents.
        # HINT 1: Reset every grad first so calling backward twice does not double-count.
        # HINT 2: parent.grad += node.grad * local for every (parent, local) in node._parents; self.grad = 1
        # HINT 3: order = topological_order(self) (given above); set every node.grad = 0.0;
        # HINT 3:   self.grad = 1.0
        # HINT 3: for node in reversed(order):
        # HINT 3:     for parent, local in node._parents: parent.grad += node.grad * local
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):  # the output first; a node's adjoint is complete when we reach it
            for parent, local in node._parents:
                parent.grad += node.grad * local  # += : a parent used twice collects both contributions
        # END SOLUTION


# %% [markdown]
# ## Arrays: each node stores vector-Jacobian products


# %%
def unbroadcast(grad, shape):
    """Sum grad down to `shape`, undoing NumPy broadcasting (a (N, M) gradient for a (M,) bias -> (M,))."""
    # BEGIN SOLUTION
    # HINT 1: Undo broadcasting: sum grad over every axis that broadcasting created or stretched.
    # HINT 2: sum over leading axes until grad.ndim == len(shape);
    # HINT 2:   then sum (keepdims) every axis where shape[axis] == 1 but grad.shape[axis] != 1.
    # HINT 3: while grad.ndim > len(shape): grad = grad.sum(axis=0)
    # HINT 3: for axis, size in enumerate(shape):
    # HINT 3:     if size == 1 and grad.shape[axis] != 1: grad = grad.sum(axis=axis, keepdims=True)
    # HINT 3: return grad
    while grad.ndim > len(shape):  # axes that broadcasting added in front
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):  # axes of length 1 that broadcasting stretched
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad
    # END SOLUTION


class Tensor:
    """A float64 array that remembers how it was computed (reverse-mode autograd for arrays).

    Attributes: data (ndarray), grad (ndarray of the same shape), and _parents, a tuple
    of (parent Tensor, vjp) where vjp maps dL/d this to dL/d parent (before unbroadcasting).
    """

    def __init__(self, data, _parents=(), _op=""):
        self.data = np.asarray(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self._parents, self._op = _parents, _op

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        return f"Tensor(shape={self.shape}, op={self._op!r})"

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
        # HINT 3: out = self.data.sum(axis=axis)
        # HINT 3: def vjp(g): if axis is not None: g = np.expand_dims(g, axis);
        # HINT 3:   return np.broadcast_to(g, self.shape)
        # HINT 3: return Tensor(out, ((self, vjp),), "sum")
        out = self.data.sum(axis=axis)

        def vjp(g):  # every entry that went into a sum receives that sum's gradient
            g = g if axis is None else np.expand_dims(g, axis)
            return np.broadcast_to(g, self.shape)

        return Tensor(out, ((self, vjp),), "sum")
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
        # HINT 3: probs = np.exp(out)
        # HINT 3: return Tensor(out, ((self, lambda g: g - probs * g.sum(axis=1, keepdims=True)),),
        # HINT 3:   "log_softmax")
        shifted = self.data - self.data.max(axis=1, keepdims=True)  # (N, C), max 0: exp cannot overflow
        out = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # (N, C)
        probs = np.exp(out)  # (N, C), the softmax
        return Tensor(out, ((self, lambda g: g - probs * g.sum(axis=1, keepdims=True)),), "log_softmax")
        # END SOLUTION

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-Tensor._lift(other))

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        """Fill in .grad = d self / d node for every node; self must hold a single number."""
        if self.data.size != 1:
            raise ValueError(f"backward() needs a scalar output (take a sum or mean first); got shape {self.shape}")
        order = topological_order(self)
        # BEGIN SOLUTION
        # HINT 1: Same as Value.backward, with arrays: zero grads, seed with
        # HINT 1: ones, apply each vjp in reverse. Parents may have been
        # HINT 1: broadcast: bring each contribution back to the parent's shape.
        # HINT 2: parent.grad = parent.grad + unbroadcast(vjp(node.grad), parent.shape)
        # HINT 3: for node in order: node.grad = zeros_like(node.data); self.grad = ones_like(self.data)
        # HINT 3: for node in reversed(order):
        # HINT 3:     for parent, vjp in node._parents: parent.grad +=
        # HINT 3:       unbroadcast(vjp(node.grad), parent.shape)
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            for parent, vjp in node._parents:
                parent.grad = parent.grad + unbroadcast(vjp(node.grad), parent.shape)
        # END SOLUTION


def cross_entropy(logits, y):
    """Mean softmax cross-entropy of logits, a (N, C) Tensor, against integer labels y (N,)."""
    y = np.asarray(y)
    if logits.data.ndim != 2 or y.shape != (logits.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"expected logits (N, C) and N integer labels; got {logits.shape} and {y.dtype} labels of shape {y.shape}")
    one_hot = np.eye(logits.shape[1])[y]  # (N, C), a constant
    return -(logits.log_softmax() * one_hot).sum() * (1.0 / len(y))


# %% [markdown]
# ## Demo


# %%
def mlp_logits(params, X):
    """A two-layer ReLU network written with Tensors: relu(X W1 + b1) W2 + b2."""
    return (Tensor(X) @ params["W1"] + params["b1"]).relu() @ params["W2"] + params["b2"]


def main():
    # A logistic loss by hand: L = log(1 + exp(-y (w x + b))); with w = 0.5, x = 2, b = -1,
    # y = 1 the score is 0, so L = log 2, dL/dw = -x sigmoid(0) = -1 and dL/db = -0.5.
    w, b = Value(0.5), Value(-1.0)
    loss = (1 + (-(w * 2.0 + b)).exp()).log()
    loss.backward()
    print("Scalar engine, L = log(1 + exp(-(w x + b))) at w = 0.5, x = 2, b = -1:")
    print(f"  L = {loss.data:.6f} (log 2 = {math.log(2):.6f}); dL/dw = {w.grad:+.6f} (by hand -1); dL/db = {b.grad:+.6f} (by hand -0.5)")
    a = Value(3.0)
    shared = a * a + a
    shared.backward()
    print(f"  a * a + a at a = 3: gradient {a.grad:g} (2a + 1 = 7): a shared node collects every use")

    X, y = data.make_moons(n_samples=200, noise=0.15, random_state=0)
    rng = np.random.default_rng(0)
    params = {"W1": Tensor(rng.standard_normal((2, 32)) * np.sqrt(2 / 2)), "b1": Tensor(np.zeros(32)),  # He init
              "W2": Tensor(rng.standard_normal((32, 2)) * np.sqrt(2 / 32)), "b2": Tensor(np.zeros(2))}
    n_steps = 300 if utils.quick_mode() else 1000
    losses = []
    for _ in range(n_steps):
        loss = cross_entropy(mlp_logits(params, X), y)
        loss.backward()
        for t in params.values():
            t.data -= 0.5 * t.grad  # plain full-batch gradient descent, in place
        losses.append(float(loss.data))

    def predict(G):
        return np.argmax(mlp_logits(params, G).data, axis=1)

    accuracy = np.mean(predict(X) == y)
    print(f"\nArray engine: a 2-32-2 ReLU network on moons, {n_steps} gradient-descent steps")
    print(f"  loss {losses[0]:.3f} -> {losses[-1]:.3f}, training accuracy {accuracy:.1%}")

    fig, (ax_loss, ax_map) = plotting.new_figure(1, 2, layout="constrained")
    plotting.plot_loss_curves(ax_loss, {"cross-entropy": losses}, xlabel="gradient step", log_y=True, title="Training loss (gradients by autograd)")
    plotting.plot_decision_boundary(ax_map, predict, X, y, title=f"Learned regions ({accuracy:.0%} training accuracy)")
    plotting.show_or_save(fig, "ex05_autograd")


if __name__ == "__main__":
    main()
