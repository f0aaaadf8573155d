"""
Exercise 15: the chain rule on a computational graph (backpropagation by hand)

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
    df/dy = x exp(-z),              df/dz = -(x y + sin x) exp(-z)

Algorithm
---------
1. Forward: for each node in order, look up its inputs' values, apply the op, store the result.
2. Backward: set every adjoint to 0 and df/df = 1; for each node in REVERSE
   order, add  adjoint(node) * local derivative  to each of its inputs' adjoints.
3. Compare the input adjoints with the hand formulas and with central differences.

References: Goodfellow, Bengio & Courville, Deep Learning, sec. 6.5 (back-propagation); CS231n notes,
"Backpropagation, Intuitions"; A. Griewank & A. Walther, Evaluating Derivatives, 2nd ed., ch. 3.
Difficulty: 2 of 3, about 40 minutes.
Run: python 00-math-fundamentals/calculus/ex15_chain_rule_graph.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import as_float_arrays, check_option, check_same_shape

# Number of arguments of each operation; the graph below uses all five.
ARITY = {"add": 2, "mul": 2, "neg": 1, "sin": 1, "exp": 1}
SYMBOL = {"add": "{} + {}", "mul": "{} * {}", "neg": "-{}", "sin": "sin({})", "exp": "exp({})"}

# f(x, y, z) = (x*y + sin(x)) * exp(-z): (node name, operation, input names), in evaluation order.
GRAPH = (("a", "mul", ("x", "y")), ("b", "sin", ("x",)), ("c", "add", ("a", "b")),
         ("d", "neg", ("z",)), ("e", "exp", ("d",)), ("f", "mul", ("c", "e")))

# %% [markdown]
# ## Implementation


# %%
def check_graph(graph, input_names):
    """Raise ValueError unless each node has a known op, its number of inputs, a new name, defined inputs."""
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
    check_option(op, "op", tuple(ARITY))
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
    """d(out)/d(arg_k) for each input k, a tuple as long as args; `out` is the node's stored forward
    value, which exp reuses (d exp(u)/du = exp(u))."""
    check_option(op, "op", tuple(ARITY))
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
    """Evaluate every node of graph ((name, op, input names) in evaluation order) from inputs (dict name ->
    value: floats, or arrays of one shape for many points). Returns dict name -> value for the inputs and
    every node: the "cache" the backward pass needs."""
    check_graph(graph, inputs)
    # BEGIN SOLUTION
    # HINT 1: The graph is listed in order, so every node's inputs are computed before it.
    # HINT 2: values[name] = apply_op(op, [values[a] for a in args])
    # HINT 3: values = dict(inputs); then for name, op, args in graph:
    # HINT 3:     values[name] = apply_op(op, [values[a] for a in args]); finally return values
    values = dict(inputs)
    for name, op, args in graph:
        values[name] = apply_op(op, [values[a] for a in args])
    return values
    # END SOLUTION


def backward_pass(graph, values, output=None):
    """d(output)/d(every value), by the chain rule in reverse order: dict name -> adjoint.

    values is forward_pass's dict; output names the node to differentiate (default: the last node).
    """
    output = graph[-1][0] if output is None else output
    missing = [name for name, _, _ in graph if name not in values]
    if missing:
        raise ValueError(f"values has no entry for nodes {missing}: run forward_pass first")
    if output not in values:
        raise ValueError(f"output {output!r} is not a value of this graph")
    # BEGIN SOLUTION
    # HINT 1: Reverse mode: seed the output's adjoint with 1 and walk the graph backwards, passing each
    # HINT 1: node's adjoint to its inputs times the local gradient. ADD contributions (fan-out).
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
    x, y, z = as_float_arrays(x=x, y=y, z=z)
    check_same_shape(x, y, ("x", "y"))  # one point per entry: (n, 1) against (n,) would pair every x with every y
    check_same_shape(x, z, ("x", "z"))
    # BEGIN SOLUTION
    # HINT 1: Differentiate f = (x y + sin x) e^{-z} by hand, one variable at a time.
    # HINT 2: df/dx = (y + cos x) e^{-z}; df/dy = x e^{-z}; df/dz = -(x y + sin x) e^{-z}
    e = np.exp(-z)
    return np.array([(y + np.cos(x)) * e, x * e, -(x * y + np.sin(x)) * e])  # (3,) or (3, ...) for arrays
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    inputs = {"x": 1.5, "y": -2.0, "z": 0.5}
    values = forward_pass(GRAPH, inputs)
    grads = backward_pass(GRAPH, values)  # adjoints of every value
    local = {(arg, name): d for name, op, args in GRAPH  # the local derivative on every edge
             for arg, d in zip(args, local_gradients(op, [values[a] for a in args], values[name]))}
    # Independent checks: the hand formulas and central differences on f alone.
    point, h = np.array([inputs["x"], inputs["y"], inputs["z"]]), 1e-5  # (3,)
    numeric = [(forward_pass(GRAPH, dict(zip("xyz", point + h * e)))["f"]
                - forward_pass(GRAPH, dict(zip("xyz", point - h * e)))["f"]) / (2 * h) for e in np.eye(3)]
    print("f(x, y, z) = (x*y + sin(x)) * exp(-z) at", inputs, f"= {values['f']:.4f}\n")
    print(f"{'':<5} | {'backprop':>9} | {'by hand':>9} | {'numeric':>9}")
    for i, k in enumerate("xyz"):
        print(f"{'df/d' + k:<5} | {grads[k]:9.5f} | {hand_gradient(*point)[i]:9.5f} | {numeric[i]:9.5f}")
    print(f"\nx feeds two nodes: df/dx = df/da * y + df/db * cos(x) = {grads['a'] * inputs['y']:.4f} + "
          f"{grads['b'] * np.cos(inputs['x']):.4f} (the two paths ADD)")

    fig, ax = plotting.new_figure(width=11, height=5)
    plotting.plot_computational_graph(ax, GRAPH, values, grads, local,
                                      {name: f"{name} = " + SYMBOL[op].format(*args) for name, op, args in GRAPH})
    ax.set_title("f = (x*y + sin x) * exp(-z): forward values and backward adjoints df/d(node)\nedge labels are the "
                 "local derivatives; each adjoint = sum over outgoing edges of (adjoint of target) * (local derivative)")
    plotting.show_or_save(fig, "ex15_chain_rule_graph")


if __name__ == "__main__":
    main()
