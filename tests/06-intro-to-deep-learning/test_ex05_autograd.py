"""Tests for ex05_autograd: scalar gradients against hand derivatives and central differences."""

import math

import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex05_autograd.py")

ATOL = 1e-12
GRAD_TOL = 1e-6  # relative error against central differences


def test_scalar_gradients_by_hand():
    # Check by hand: f = a b + b^3 at a = 2, b = -3 has df/da = b = -3 and df/db = a + 3 b^2 = 29.
    a, b = ex.Value(2.0), ex.Value(-3.0)
    f = a * b + b**3
    f.backward()
    assert f.data == pytest.approx(-6.0 - 27.0)
    assert a.grad == pytest.approx(-3.0)
    assert b.grad == pytest.approx(29.0)


def test_each_scalar_operation_by_hand():
    # Check each operation's derivative at x = 0.5 against its textbook formula.
    cases = [
        (lambda x: x.exp(), math.exp(0.5)),
        (lambda x: x.log(), 1 / 0.5),
        (lambda x: x.tanh(), 1 - math.tanh(0.5) ** 2),
        (lambda x: x.relu(), 1.0),
        (lambda x: (-x).relu(), 0.0),
        (lambda x: x**3, 3 * 0.5**2),
        (lambda x: x**-2, -2 * 0.5**-3),
        (lambda x: 1 / x, -1 / 0.25),
        (lambda x: 3 - x, -1.0),
        (lambda x: x / 4 + 2 * x, 0.25 + 2.0),
    ]
    for f, expected in cases:
        x = ex.Value(0.5)
        f(x).backward()
        assert x.grad == pytest.approx(expected, rel=1e-12)


def test_scalar_gradients_match_central_differences(rng):
    # Check a composite expression of every operation against central differences in float64.
    def expression(a, b, c):
        return ((a * b - c / 2.0).tanh() + (a**2 + 1.0).log() * (c - b).exp() - (b * 3.0).relu()) / (a**2 + 0.5)

    point = rng.uniform(0.2, 1.0, size=3)
    values = [ex.Value(v) for v in point]
    out = expression(*values)
    out.backward()
    numeric = gradcheck.numerical_gradient(lambda p: expression(*[ex.Value(v) for v in p]).data, point.copy())
    assert gradcheck.rel_error([v.grad for v in values], numeric) < GRAD_TOL


def test_shared_node_accumulates_gradient():
    # Check that a node used twice gets both contributions: d(a*a)/da = 2a, and d(a*a + a)/da = 2a + 1.
    a = ex.Value(3.0)
    (a * a).backward()
    assert a.grad == pytest.approx(6.0)
    b = a * 2.0
    c = b * b + b  # b is shared: dc/db = 2b + 1 = 13, dc/da = 13 * 2 = 26
    c.backward()
    assert b.grad == pytest.approx(13.0)
    assert a.grad == pytest.approx(26.0)


def test_backward_twice_gives_the_same_gradient_not_double():
    # Check that backward() resets old gradients: calling it again does not add to them.
    a = ex.Value(1.5)
    f = a * a * a
    f.backward()
    f.backward()
    assert a.grad == pytest.approx(3 * 1.5**2)


def test_topological_order_puts_parents_first_and_lists_shared_nodes_once():
    # Check the order on a diamond a -> (b, c) -> d plus a direct edge a -> d: every node after its parents.
    a = ex.Value(2.0)
    b, c = a * 3.0, a + 1.0
    d = b * c + a
    order = ex.topological_order(d)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)  # no node twice
    assert order[-1] is d and id(a) in position
    for node in order:
        for parent, _ in node._parents:
            assert position[id(parent)] < position[id(node)]


def test_deep_chain_needs_no_recursion():
    # Check that a chain of 5000 operations (deeper than Python's recursion limit) differentiates: d/dx of x + 5000.
    x = ex.Value(0.0)
    y = x
    for _ in range(5000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.data == 5000.0


def test_bad_input_gets_a_clear_error():
    # Check the messages: log of a non-positive number, a non-number operand, a fractional power of a negative.
    with pytest.raises(ValueError, match="positive"):
        ex.Value(-1.0).log()
    with pytest.raises(TypeError, match="numbers and Values"):
        ex.Value(1.0) + "2"
    with pytest.raises(ValueError, match="integer exponent"):
        ex.Value(-2.0) ** 0.5
