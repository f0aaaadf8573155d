"""Tests for ex15_chain_rule_graph: forward pass, backward pass and the chain rule."""

import numpy as np
import pytest

import utils
from utils.gradcheck import check_gradient, numerical_gradient, rel_error

ex = utils.load_exercise("00-math-fundamentals/calculus/ex15_chain_rule_graph.py")

ATOL = 1e-12
GRAD_REL_ERROR = 1e-6


def f_direct(x, y, z):
    return (x * y + np.sin(x)) * np.exp(-z)


def grad_by_hand(x, y, z):
    # Derived by hand in the test, independently of the script.
    e = np.exp(-z)
    return np.array([(y + np.cos(x)) * e, x * e, -(x * y + np.sin(x)) * e])


def run(x, y, z, output=None):
    values = ex.forward_pass(ex.GRAPH, {"x": x, "y": y, "z": z})
    return values, ex.backward_pass(ex.GRAPH, values, output)


def test_forward_pass_computes_f_and_its_intermediates(rng):
    # Check that f and every stored intermediate agree with the formula written out directly.
    for x, y, z in rng.uniform(-2, 2, size=(5, 3)):
        values, _ = run(x, y, z)
        np.testing.assert_allclose(values["f"], f_direct(x, y, z), rtol=1e-14)
        expected = {"a": x * y, "b": np.sin(x), "c": x * y + np.sin(x), "d": -z, "e": np.exp(-z)}
        for name, value in expected.items():
            np.testing.assert_allclose(values[name], value, rtol=1e-14, err_msg=name)


def test_backward_pass_matches_the_hand_derived_gradient(rng):
    # Check that df/dx, df/dy, df/dz equal (y + cos x) e^-z, x e^-z, -(xy + sin x) e^-z.
    for x, y, z in rng.uniform(-2, 2, size=(5, 3)):
        _, grads = run(x, y, z)
        np.testing.assert_allclose([grads["x"], grads["y"], grads["z"]], grad_by_hand(x, y, z), rtol=1e-12, atol=ATOL)


def test_backward_pass_passes_a_gradient_check(rng):
    # Check that the backward pass agrees with float64 central differences of the forward pass.
    def f(p):
        return ex.forward_pass(ex.GRAPH, {"x": p[0], "y": p[1], "z": p[2]})["f"]

    for p in rng.uniform(-2, 2, size=(5, 3)):
        _, grads = run(*p)
        check_gradient(f, p.copy(), np.array([grads["x"], grads["y"], grads["z"]]), tol=GRAD_REL_ERROR)


def test_intermediate_adjoints_by_hand():
    # Check that the adjoints at x = 1.5, y = -2, z = 0.5 match a hand calculation: df/dc = e, df/de = c, df/dd = c e,
    # df/da = df/db = df/dc (add passes gradients through), df/df = 1.
    values, grads = run(1.5, -2.0, 0.5)
    c, e = 1.5 * -2.0 + np.sin(1.5), np.exp(-0.5)
    expected = {"f": 1.0, "c": e, "e": c, "d": c * e, "a": e, "b": e}
    for name, value in expected.items():
        np.testing.assert_allclose(grads[name], value, rtol=1e-12, err_msg=name)


def test_hand_gradient_function_passes_a_gradient_check(rng):
    # Check that the script's hand formula passes utils.gradcheck.
    for p in rng.uniform(-2, 2, size=(3, 3)):
        analytic = ex.hand_gradient(*p)
        assert rel_error(analytic, numerical_gradient(lambda q: f_direct(*q), p.copy())) < GRAD_REL_ERROR


@pytest.mark.parametrize("op", sorted(ex.ARITY))
def test_local_gradients_match_finite_differences(rng, op):
    # Check that every operation's local derivatives agree with a central difference of its forward rule.
    args = list(rng.uniform(-1.5, 1.5, size=ex.ARITY[op]))
    out = ex.apply_op(op, args)
    local = ex.local_gradients(op, args, out)
    assert len(local) == len(args)
    for k in range(len(args)):
        def g(v, k=k):
            shifted = list(args)
            shifted[k] = v[0]
            return ex.apply_op(op, shifted)

        numeric = numerical_gradient(g, np.array([args[k]]))[0]
        np.testing.assert_allclose(local[k], numeric, rtol=1e-7, atol=1e-9, err_msg=f"{op}, input {k}")


def test_apply_op_by_hand():
    # Check that each forward rule gives numbers worked out by hand.
    assert ex.apply_op("add", [2.0, 3.0]) == 5.0
    assert ex.apply_op("mul", [2.0, 3.0]) == 6.0
    assert ex.apply_op("neg", [2.0]) == -2.0
    np.testing.assert_allclose(ex.apply_op("sin", [np.pi / 2]), 1.0, atol=ATOL)
    np.testing.assert_allclose(ex.apply_op("exp", [0.0]), 1.0, atol=ATOL)


def test_gradients_add_where_a_value_is_used_twice():
    # Check that gradients add at a fan-out (by hand): g = x * x has dg/dx = 2x = 6 at x = 3 (overwriting would give 3),
    # and h = (x + x) * x = 2 x^2 has dh/dx = 4x = 12.
    square = (("g", "mul", ("x", "x")),)
    grads = ex.backward_pass(square, ex.forward_pass(square, {"x": 3.0}))
    np.testing.assert_allclose(grads["x"], 6.0, atol=ATOL)
    graph = (("s", "add", ("x", "x")), ("h", "mul", ("s", "x")))
    grads = ex.backward_pass(graph, ex.forward_pass(graph, {"x": 3.0}))
    np.testing.assert_allclose(grads["x"], 12.0, atol=ATOL)


def test_differentiating_an_intermediate_node():
    # Check that c = x y + sin x has dc/dx = y + cos x, dc/dy = x, dc/dz = 0, and f is unused (worked by hand).
    _, grads = run(0.7, 2.0, 1.0, output="c")
    np.testing.assert_allclose([grads["x"], grads["y"], grads["z"]], [2.0 + np.cos(0.7), 0.7, 0.0], atol=ATOL)
    assert grads["f"] == 0.0


def test_arrays_of_points_work_elementwise(rng):
    # Check that arrays of inputs give, entry by entry, the hand-derived gradient.
    x, y, z = rng.uniform(-2, 2, size=(3, 7))
    _, grads = run(x, y, z)
    np.testing.assert_allclose(np.stack([grads["x"], grads["y"], grads["z"]]), grad_by_hand(x, y, z), rtol=1e-12, atol=ATOL)


def test_forward_pass_leaves_the_inputs_alone():
    # Check that the caller's dict is not filled with the intermediate values.
    inputs = {"x": 1.0, "y": 2.0, "z": 3.0}
    ex.forward_pass(ex.GRAPH, inputs)
    assert inputs == {"x": 1.0, "y": 2.0, "z": 3.0}


@pytest.mark.parametrize(
    "graph, inputs, message",
    [
        ((("a", "pow", ("x", "y")),), {"x": 1.0, "y": 2.0}, "unknown operation"),
        ((("a", "mul", ("x",)),), {"x": 1.0}, r"takes 2 inputs"),
        ((("b", "sin", ("a",)), ("a", "neg", ("x",))), {"x": 1.0}, "before they are defined"),
        ((("x", "neg", ("x",)),), {"x": 1.0}, "used twice"),
        (ex.GRAPH, {"x": 1.0, "y": 2.0}, "before they are defined"),
    ],
    ids=["unknown-op", "wrong-arity", "wrong-order", "duplicate-name", "missing-input"],
)
def test_bad_graphs_get_a_clear_error(graph, inputs, message):
    # Check that malformed graphs are refused with a message naming the problem.
    with pytest.raises(ValueError, match=message):
        ex.forward_pass(graph, inputs)


def test_backward_before_forward_gets_a_clear_error():
    # Check that the backward pass asks for the forward values it needs.
    with pytest.raises(ValueError, match="run forward_pass first"):
        ex.backward_pass(ex.GRAPH, {"x": 1.0, "y": 2.0, "z": 3.0})
