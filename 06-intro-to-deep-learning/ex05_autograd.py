"""
Exercise 05: automatic differentiation, a small reverse-mode engine for scalars

Learning goals
--------------
- Record every operation in a graph as it runs, with the local derivative of its
  output with respect to each input, then apply the chain rule backwards.
- Visit the graph in topological order, so each node's gradient is complete (all its
  uses added up) before it is passed on; no recursion, so 5000-step graphs work too.

The math
--------
A computation is a directed acyclic graph: each node v = f(u_1, ..., u_k) of
its parents. For the final scalar L, the adjoint of a node is dL/dv, and
    dL/du_i = sum over every child v of u_i of  dL/dv * dv/du_i     (chain rule).
A scalar node stores the numbers dv/du_i: for v = a b they are (b, a); for
v = a + b (1, 1); for v = a^p, p a^(p-1); exp: e^a; log: 1/a; tanh: 1 - v^2;
relu: [a > 0]. Subtraction, division and negation are built from these, so
they need no derivative of their own.

Algorithm
---------
1. Forward: every operation returns a new node with its value, parents and local derivatives.
2. Order: a depth-first search lists the nodes, each after all of its parents (topological).
3. Backward: zero every gradient, set dL/dL = 1, walk the order from the output back,
   adding adjoint * local derivative into each parent.

References: A. Griewank, A. Walther, Evaluating Derivatives (2008), ch. 3; A. Baydin et al., "Automatic
differentiation in machine learning: a survey", JMLR 18 (2018); A. Karpathy, "micrograd" (2020).
Difficulty: 2 of 3, about 40 minutes.
Run: python 06-intro-to-deep-learning/ex05_autograd.py
"""

# %%
import math

import numpy as np

from utils import plotting
from utils.timing import format_table


# %% [markdown]
# ## The graph walk (ex06 reuses it for arrays)


# %%
def topological_order(root):
    """Every node that `root` depends on (and root itself), each after all of its parents, each once
    (a shared node, as in a * a, too); an iterative depth-first search, so deep graphs are fine."""
    # BEGIN SOLUTION
    # HINT 1: A depth-first search that emits a node only after all of its parents have been emitted.
    # HINT 1: Use an explicit stack (deep graphs would overflow Python's recursion) and a seen set of ids.
    # HINT 2: stack of (node, parents_done): pop; if parents_done append it to order, else push it back
    # HINT 2: with parents_done=True, then push its unseen parents with False.
    # HINT 3: order, seen, stack = [], set(), [(root, False)]
    # HINT 3: while stack: node, done = stack.pop(); if done: order.append(node)
    # HINT 3:     elif id(node) not in seen: mark it; push (node, True), then unseen parents (p, False)
    order, seen, stack = [], set(), [(root, False)]
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
    """A number that remembers how it was computed: data, grad (dL/d this after backward()), and
    _parents, a tuple of (parent Value, local derivative d this / d parent)."""

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
        # HINT 3: order is given; set every node.grad = 0.0; self.grad = 1.0
        # HINT 3: for node in reversed(order): for parent, local in node._parents: parent.grad += node.grad * local
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):  # the output first; a node's adjoint is complete when we reach it
            for parent, local in node._parents:
                parent.grad += node.grad * local  # += : a parent used twice collects both contributions
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def smooth_function(x):
    """f(x) = tanh(x) * x^2 / (1 + e^-x): built from Value operations, so the engine differentiates it."""
    return (x.tanh() * x**2) / (1 + (-x).exp())


def main():
    # A logistic loss by hand: L = log(1 + exp(-y (w x + b))); with w = 0.5, x = 2, b = -1,
    # y = 1 the score is 0, so L = log 2, dL/dw = -x sigmoid(0) = -1 and dL/db = -0.5.
    w, b, a = Value(0.5), Value(-1.0), Value(3.0)
    loss = (1 + (-(w * 2.0 + b)).exp()).log()
    loss.backward()
    (a * a + a).backward()
    print(format_table(["quantity", "engine", "by hand"], [
        ["L = log(1 + exp(-(w x + b))) at w = 0.5, x = 2, b = -1", f"{loss.data:.6f}", f"log 2 = {math.log(2):.6f}"],
        ["dL/dw", f"{w.grad:+.6f}", "-1"], ["dL/db", f"{b.grad:+.6f}", "-0.5"],
        ["d(a a + a)/da at a = 3: a shared node collects every use", f"{a.grad:g}", "2a + 1 = 7"]]))

    grid = np.linspace(-3, 3, 121)
    points = [Value(x0) for x0 in grid]
    outputs = [smooth_function(x) for x in points]
    for out in outputs:
        out.backward()
    slopes = np.array([x.grad for x in points])  # (121,)
    h = 1e-5
    central = np.array([(smooth_function(Value(x0 + h)).data - smooth_function(Value(x0 - h)).data) / (2 * h) for x0 in grid])
    print(f"f(x) = tanh(x) x^2 / (1 + e^-x) on 121 points: largest gap to central differences {np.max(np.abs(slopes - central)):.1e}")

    fig, ax = plotting.new_figure()
    ax.plot(grid, [out.data for out in outputs], label="f(x)")
    ax.plot(grid, slopes, label="f'(x) from backward()")
    ax.plot(grid[::8], central[::8], "o", mfc="none", color="k", label="central differences")
    ax.set(xlabel="x", title="Reverse-mode autograd on a scalar function")
    ax.legend()
    plotting.show_or_save(fig, "ex05_autograd")


if __name__ == "__main__":
    main()
