"""Tests for ex03_mlp_forward: neurons, layers, shapes, parameter counts, and scikit-learn's MLP."""

import warnings

import numpy as np
import pytest

import utils

ex = utils.load_exercise("06-intro-to-deep-learning/ex03_mlp_forward.py")

ATOL = 1e-12
SKLEARN_ATOL = 1e-10  # the same arithmetic in a different order


def test_neuron_by_hand():
    # Check by hand: w . x + b = 3*1 - 1*2 + 0.5 = 1.5; relu keeps it, tanh squashes it, and -1.5 is cut to 0.
    x, w = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    assert ex.neuron_forward(x, w, 0.5, "relu") == pytest.approx(1.5)
    assert ex.neuron_forward(x, w, 0.5, "tanh") == pytest.approx(np.tanh(1.5))
    assert ex.neuron_forward(x, -w, -0.5, "relu") == 0.0


def test_a_layer_is_neurons_side_by_side(rng):
    # Check that column m of dense_forward is neuron m applied to each row (the layer = stacked neurons).
    X, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), rng.standard_normal(5)
    for activation in ["relu", "tanh", "sigmoid", "identity"]:
        H = ex.dense_forward(X, W, b, activation)
        expected = [[ex.neuron_forward(X[n], W[:, m], b[m], activation) for m in range(5)] for n in range(4)]
        np.testing.assert_allclose(H, expected, atol=ATOL)


def test_forward_of_a_tiny_network_by_hand():
    # Check a 2-2-1 network worked by hand:
    # x = (1, 2), W1 = [[1, -1], [0, 1]], b1 = (0, -2): x @ W1 + b1 = (1, 1) + (0, -2) = (1, -1); relu -> (1, 0);
    # W2 = [[2], [3]], b2 = 0.5: 2*1 + 3*0 + 0.5 = 2.5 (identity output).
    net = ex.MLP.from_parameters(
        [np.array([[1.0, -1.0], [0.0, 1.0]]), np.array([[2.0], [3.0]])],
        [np.array([0.0, -2.0]), np.array([0.5])],
        activation="relu",
        output_activation="identity",
    )
    out, hidden = net.forward(np.array([[1.0, 2.0]]), return_hidden=True)
    np.testing.assert_allclose(out, [[2.5]], atol=ATOL)
    np.testing.assert_allclose(hidden[0], [[1.0, 0.0]], atol=ATOL)
    # The same network with a sigmoid output gives sigmoid(2.5) = 1 / (1 + e^-2.5).
    net.output_activation = "sigmoid"
    np.testing.assert_allclose(net.forward(np.array([[1.0, 2.0]])), [[1 / (1 + np.exp(-2.5))]], rtol=1e-12)


def test_parameter_count_formula_by_hand():
    # Check by hand: (2+1)*3 + (3+1)*1 = 13; 64-32-16-10: 65*32 + 33*16 + 17*10 = 2080 + 528 + 170 = 2778.
    assert ex.count_parameters([2, 3, 1]) == 13
    assert ex.count_parameters([64, 32, 16, 10]) == 2778
    assert ex.count_parameters([5, 1]) == 6


def test_parameter_count_matches_the_stored_arrays(rng):
    # Check the formula against the sizes of the arrays a random network actually stores.
    for sizes in [[3, 7, 2], [10, 1], [4, 8, 8, 8, 3]]:
        net = ex.MLP(sizes, random_state=0)
        assert ex.count_parameters(sizes) == sum(W.size + b.size for W, b in zip(net.weights, net.biases))


@pytest.mark.parametrize("n_samples", [1, 7], ids=["batch-1", "batch-7"])
def test_shapes_through_the_network(n_samples, rng):
    # Check every layer's output shape (N, d_l), batch of 1 included, and softmax rows summing to 1.
    sizes = [6, 5, 4, 3]
    net = ex.MLP(sizes, activation="tanh", output_activation="softmax", random_state=1)
    out, hidden = net.forward(rng.standard_normal((n_samples, 6)), return_hidden=True)
    assert out.shape == (n_samples, 3)
    assert [h.shape for h in hidden] == [(n_samples, d) for d in sizes[1:]]
    np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=ATOL)
    np.testing.assert_allclose(hidden[-1], out, atol=ATOL)
    rows = net.shape_table(n_samples)
    assert [tuple(r[1:4]) for r in rows] == [((n_samples, 6), (6, 5), (n_samples, 5)), ((n_samples, 5), (5, 4), (n_samples, 4)),
                                            ((n_samples, 4), (4, 3), (n_samples, 3))]


def test_forward_equals_composed_matrix_products(rng):
    # Check a 3-layer tanh network against the formula written out with NumPy.
    net = ex.MLP([4, 6, 5, 2], activation="tanh", output_activation="identity", random_state=2)
    X = rng.standard_normal((8, 4))
    (W1, W2, W3), (b1, b2, b3) = net.weights, net.biases
    expected = np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2) @ W3 + b3
    np.testing.assert_allclose(net.forward(X), expected, atol=ATOL)


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic"])
def test_matches_scikit_learn_predict_proba_with_its_weights(activation):
    # Check against scikit-learn: copy an MLPClassifier's coefs_ / intercepts_ into our MLP and
    # compare predict_proba (3 classes: softmax output; scikit-learn calls the sigmoid "logistic").
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = utils.data.load_iris()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a few iterations are enough to get weights
        reference = MLPClassifier(hidden_layer_sizes=(5, 4), activation=activation, max_iter=20, random_state=0).fit(X, y)
    ours = ex.MLP.from_parameters(reference.coefs_, reference.intercepts_,
                                  activation="sigmoid" if activation == "logistic" else activation, output_activation="softmax")
    np.testing.assert_allclose(ours.forward(X), reference.predict_proba(X), atol=SKLEARN_ATOL)


def test_matches_scikit_learn_for_a_binary_problem():
    # Check the sigmoid output: scikit-learn's binary MLP has one output unit, predict_proba[:, 1] = sigmoid(score).
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = utils.data.make_moons(n_samples=60, noise=0.2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", max_iter=30, random_state=0).fit(X, y)
    ours = ex.MLP.from_parameters(reference.coefs_, reference.intercepts_, activation="tanh", output_activation="sigmoid")
    np.testing.assert_allclose(ours.forward(X)[:, 0], reference.predict_proba(X)[:, 1], atol=SKLEARN_ATOL)


def test_bad_input_gets_a_clear_error():
    # Check the messages for wrong widths, unknown activations, bad sizes and mismatched parameters.
    net = ex.MLP([3, 4, 2], random_state=0)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 3\)"):
        net.forward(np.ones((2, 5)))
    with pytest.raises(ValueError, match="activation must be one of"):
        ex.MLP([3, 2], activation="swish")
    with pytest.raises(ValueError, match="at least two positive integers"):
        ex.MLP([3])
    with pytest.raises(ValueError, match="layer 2"):
        ex.MLP.from_parameters([np.ones((3, 4)), np.ones((5, 2))], [np.ones(4), np.ones(2)])
    with pytest.raises(ValueError, match=r"X \(N, D\), W \(D, M\)"):
        ex.dense_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(2))
