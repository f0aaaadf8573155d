"""
Exercise 14: the chain rule on a computational graph (backpropagation by hand)

Learning goals
--------------
- Break a formula into a graph of tiny operations, each with a simple local derivative.
- Run a forward pass that stores every intermediate value, then a backward pass
  that multiplies local derivatives from the output back to the inputs.
- See why gradients ADD where a value is used twice (x below feeds two nodes).

The math
--------
Our example is f(x, y, z) = (x y + sin x) exp(-z), written as six nodes:
    a = x * y      b = sin(x)      c = a + b      d = -z      e = exp(d)      f = c * e
Each node n = op(u, v) knows its local derivatives dn/du, dn/dv:
    mul: n = u v   -> (v, u)          add: n = u + v -> (1, 1)
    neg: n = -u    -> -1              sin: n = sin u -> cos u
    exp: n = exp u -> exp u = n (reuse the stored output)
The chain rule says that the "adjoint" of a value, df/du, is the sum over every
node n that uses u of  df/dn * dn/du.  Starting from df/df = 1 and visiting the
nodes in reverse order, every adjoint is complete before it is used.
For our f, by hand:
    df/dx = (y + cos x) exp(-z)     (two paths: through a and through b)
    df/dy = x exp(-z)
    df/dz = -(x y + sin x) exp(-z)

Algorithm
---------
1. Forward: for each node in order, look up its inputs' values, apply the op,
   store the result.
2. Backward: set every adjoint to 0 and df/df = 1; for each node in REVERSE
   order, add  adjoint(node) * local derivative  to each of its inputs' adjoints.
3. Compare the input adjoints with the hand formulas and with central differences.

References: Goodfellow, Bengio & Courville, Deep Learning, sec. 6.5 (back-propagation);
CS231n notes, "Backpropagation, Intuitions"; A. Griewank & A. Walther,
Evaluating Derivatives, 2nd ed., ch. 3.
Difficulty: 2 of 3, about 40 minutes.
Run: python 00-math-fundamentals/calculus/ex14_chain_rule_graph.py
"""

# %%
import numpy as np

from utils import plotting

# Number of arguments of each operation; the graph below uses all five.
ARITY = {"add": 2, "mul": 2, "neg": 1, "sin": 1, "exp": 1}
SYMBOL = {"add": "{} + {}", "mul": "{} * {}", "neg": "-{}", "sin": "sin({})", "exp": "exp({})"}

# f(x, y, z) = (x*y + sin(x)) * exp(-z): (node name, operation, input names), in evaluation order.
GRAPH = (
    ("a", "mul", ("x", "y")),
    ("b", "sin", ("x",)),
    ("c", "add", ("a", "b")),
    ("d", "neg", ("z",)),
    ("e", "exp", ("d",)),
    ("f", "mul", ("c", "e")),
)

# %% [markdown]
# ## Implementation


# %%
def check_graph(graph, input_names):
    """Raise ValueError unless every node has a known op, the right number of
    inputs, a new name, and inputs that are defined before it is evaluated."""
    defined = set(input_names)
    for name, op, args in graph:
        if op not in ARITY:
            raise ValueError(f"node {name!r}: unknown operation {op!r}; expected one of {sorted(ARITY)}")
        if len(args) != ARITY[op]:
            raise ValueError(f"node {name!r}: {op} takes {ARITY[op]} inputs; got {len(args)}")
        missing = [a for a in args if a not in defined]
        if missing:
            raise ValueError(f"node {name!r} uses {missing} before they are defined (nodes must be in evaluation order)")
        if name in defined:
            raise ValueError(f"node name {name!r} is used twice")
        defined.add(name)


def apply_op(op, args):
    """The forward rule of one operation: the node's value from its input values."""
    if op not in ARITY:
        raise ValueError(f"unknown operation {op!r}; expected one of {sorted(ARITY)}")
    # BEGIN SOLUTION
    # HINT 1: A small dispatch on the op name: add, mul, neg, sin, exp.
    if op == "add":
        return args[0] + args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "neg":
        return -args[0]
    if op == "sin":
        return np.sin(args[0])
    return np.exp(args[0])
    # END SOLUTION


def local_gradients(op, args, out):
    """d(out)/d(arg_k) for each input k: a tuple as long as args.

    `out` is the node's stored forward value, which exp reuses (d exp(u)/du = exp(u)).
    """
    if op not in ARITY:
        raise ValueError(f"unknown operation {op!r}; expected one of {sorted(ARITY)}")
    # BEGIN SOLUTION
    # HINT 1: Return d(out)/d(arg) for each argument of the op; exp's derivative is its own output.
    # HINT 2: add (1, 1); mul (v, u); neg (-1,); sin (cos u,); exp (out,)
    if op == "add":
        return (1.0, 1.0)
    if op == "mul":
        return (args[1], args[0])  # d(uv)/du = v, d(uv)/dv = u: the OTHER input
    if op == "neg":
        return (-1.0,)
    if op == "sin":
        return (np.cos(args[0]),)
    return (out,)
    # END SOLUTION


def forward_pass(graph, inputs):
    """Evaluate every node in order.

    Parameters
    ----------
    graph : sequence of (name, op, input names), in evaluation order
    inputs : dict name -> value (floats, or arrays of one shape for many points at once)

    Returns
    -------
    dict name -> value for the inputs and every node (the "cache" the backward pass needs)
    """
    check_graph(graph, inputs)
    # BEGIN SOLUTION
    # HINT 1: The graph is listed in order, so every node's inputs are computed before it.
    # HINT 2: values[name] = apply_op(op, [values[a] for a in args])
    # HINT 3: values = dict(inputs)
    # HINT 3: for name, op, args in graph: values[name] = apply_op(op, [values[a] for a in args])
    # HINT 3: return values
    values = dict(inputs)
    for name, op, args in graph:
        values[name] = apply_op(op, [values[a] for a in args])
    return values
    # END SOLUTION


def backward_pass(graph, values, output=None):
    """d(output)/d(every value), by the chain rule in reverse order.

    Parameters
    ----------
    graph : as for forward_pass
    values : dict returned by forward_pass
    output : name of the node to differentiate; default the last node

    Returns
    -------
    dict name -> adjoint, for the inputs and every node
    """
    if output is None:
        output = graph[-1][0]
    missing = [name for name, _, _ in graph if name not in values]
    if missing:
        raise ValueError(f"values has no entry for nodes {missing}: run forward_pass first")
    if output not in values:
        raise ValueError(f"output {output!r} is not a value of this graph")
    # BEGIN SOLUTION
    # HINT 1: Reverse mode: seed the output's adjoint with 1 and walk the
    # HINT 1: graph backwards, passing each node's adjoint to its inputs
    # HINT 1: times the local gradient. ADD contributions (fan-out).
    # HINT 2: grads[arg] += grads[name] * d(name)/d(arg)
    # HINT 3: grads = {name: 0.0 for name in values}; grads[output] = 1.0
    # HINT 3: for name, op, args in reversed(graph):
    # HINT 3:     local = local_gradients(op, [values[a] for a in args], values[name])
    # HINT 3:     for arg, d in zip(args, local): grads[arg] = grads[arg] + grads[name] * d
    grads = {name: 0.0 for name in values}  # adjoints start at zero ...
    grads[output] = 1.0  # ... except d(output)/d(output) = 1
    for name, op, args in reversed(graph):
        local = local_gradients(op, [values[a] for a in args], values[name])
        for arg, d_local in zip(args, local):
            grads[arg] = grads[arg] + grads[name] * d_local  # ADD: a value may feed several nodes
    return grads
    # END SOLUTION


def hand_gradient(x, y, z):
    """(df/dx, df/dy, df/dz) of f = (x y + sin x) exp(-z), derived by hand (see The math)."""
    # BEGIN SOLUTION
    # HINT 1: Differentiate f = (x y + sin x) e^{-z} by hand, one variable at a time.
    # HINT 2: df/dx = (y + cos x) e^{-z}; df/dy = x e^{-z}; df/dz = -(x y + sin x) e^{-z}
    e = np.exp(-z)
    return np.array([(y + np.cos(x)) * e, x * e, -(x * y + np.sin(x)) * e])  # (3,) or (3, ...) for arrays
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def _layout(graph, input_names):
    """(column, row) positions: the column is the depth, rows follow the parents' rows."""
    depth = {name: 0 for name in input_names}
    row = {name: float(i) for i, name in enumerate(input_names)}
    for name, _, args in graph:
        depth[name] = 1 + max(depth[a] for a in args)
    for level in range(1, max(depth.values()) + 1):
        nodes = [name for name, _, args in graph if depth[name] == level]
        parents = {name: np.mean([row[a] for a in args]) for name, _, args in graph if depth[name] == level}
        for i, name in enumerate(sorted(nodes, key=lambda n: parents[n])):
            row[name] = i * (len(input_names) - 1) / max(len(nodes) - 1, 1) if len(nodes) > 1 else parents[name]
    return {name: (2.2 * depth[name], -1.3 * row[name]) for name in depth}


def _draw_graph(ax, graph, values, grads):
    """Boxes for values (forward, blue) and adjoints (backward, orange), arrows for edges."""
    input_names = [n for n in values if n not in {name for name, _, _ in graph}]
    pos = _layout(graph, input_names)
    expression = {name: name for name in input_names}
    for name, op, args in graph:
        expression[name] = f"{name} = " + SYMBOL[op].format(*args)
        local = local_gradients(op, [values[a] for a in args], values[name])
        for arg, d_local in zip(args, local):
            (x0, y0), (x1, y1) = pos[arg], pos[name]
            ax.annotate("", xy=(x1 - 0.5, y1), xytext=(x0 + 0.5, y0), arrowprops=dict(arrowstyle="->", color="grey"))
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                f"∂{name}/∂{arg} = {float(d_local):.2f}",
                fontsize=7,
                ha="center",
                va="center",
                color="dimgrey",
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none"),
            )
    for name, (px, py) in pos.items():
        ax.text(px, py + 0.25, expression[name], ha="center", va="bottom", fontsize=9, fontweight="bold")
        ax.text(
            px,
            py,
            f"value {float(values[name]):+.3f}\ndf/d{name} {float(grads[name]):+.3f}",
            ha="center",
            va="center",
            fontsize=8,
            family="monospace",
            bbox=dict(boxstyle="round", facecolor="#e8f1f8", edgecolor=plotting.COLORS[0]),
        )
    xs, ys = zip(*pos.values())
    ax.set(xlim=(min(xs) - 0.9, max(xs) + 0.9), ylim=(min(ys) - 0.5, max(ys) + 0.6))
    ax.axis("off")


def main():
    inputs = {"x": 1.5, "y": -2.0, "z": 0.5}
    values = forward_pass(GRAPH, inputs)
    grads = backward_pass(GRAPH, values)

    print("f(x, y, z) = (x*y + sin(x)) * exp(-z) at", inputs, "\n")
    print(f"{'node':<4} | {'definition':<12} | {'value':>9} | {'df/dnode':>9}")
    print("-" * 44)
    definitions = {name: "input" for name in inputs}
    definitions.update({name: SYMBOL[op].format(*args) for name, op, args in GRAPH})
    for name, definition in definitions.items():
        print(f"{name:<4} | {definition:<12} | {values[name]:9.4f} | {grads[name]:9.4f}")

    # Independent checks: the hand formulas and central differences on f alone.
    def f(p):
        return forward_pass(GRAPH, dict(zip("xyz", p)))["f"]

    point = np.array([inputs["x"], inputs["y"], inputs["z"]])  # (3,)
    h = 1e-5
    numeric = np.array([(f(point + h * e) - f(point - h * e)) / (2 * h) for e in np.eye(3)])  # (3,)
    backprop = np.array([grads[k] for k in "xyz"])  # (3,)
    print(f"\n{'':<9} | {'backprop':>9} | {'by hand':>9} | {'numeric':>9}")
    print("-" * 45)
    for i, k in enumerate("xyz"):
        print(f"{'df/d' + k:<9} | {backprop[i]:9.5f} | {hand_gradient(*point)[i]:9.5f} | {numeric[i]:9.5f}")
    print(f"\nx feeds two nodes, so df/dx = df/da * y + df/db * cos(x) = {grads['a'] * inputs['y']:.4f} + "
          f"{grads['b'] * np.cos(inputs['x']):.4f} = {grads['x']:.4f}")

    fig, ax = plotting.new_figure(width=11, height=5)
    _draw_graph(ax, GRAPH, values, grads)
    ax.set_title(
        "f = (x*y + sin x) * exp(-z): forward values and backward adjoints df/d(node)\n"
        "edge labels are the local derivatives; each adjoint = sum over outgoing edges of (adjoint of target) * (local derivative)"
    )
    plotting.show_or_save(fig, "ex14_chain_rule_graph")


if __name__ == "__main__":
    main()
