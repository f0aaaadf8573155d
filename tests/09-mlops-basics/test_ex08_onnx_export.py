"""Tests for ex08_onnx_export: the ONNX graph, and ONNX Runtime against NumPy (float32, 1e-5)."""

import numpy as np
import onnx
import pytest
from onnx.reference import ReferenceEvaluator

import utils
from utils import data

ex = utils.load_exercise("09-mlops-basics/ex08_onnx_export.py")

PROBA_ATOL = 1e-5  # float32, the bound
FLOAT32_VS_FLOAT64_ATOL = 1e-5


@pytest.fixture(scope="module")
def digits_model():
    from sklearn.neural_network import MLPClassifier

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    return MLPClassifier((64,), tol=1e-2, random_state=0).fit(X_train, y_train), X_test


def _random_net(rng, sizes):
    coefs = [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    intercepts = [rng.standard_normal(b) for b in sizes[1:]]
    return coefs, intercepts


def test_numpy_float32_forward_matches_sklearn_float64(digits_model):
    # Check our float32 pass against scikit-learn's float64 predict_proba (an independent implementation).
    model, X = digits_model
    proba = ex.numpy_forward_float32(model.coefs_, model.intercepts_, X)
    assert proba.dtype == np.float32 and proba.shape == (len(X), 10)
    np.testing.assert_allclose(proba, model.predict_proba(X), atol=FLOAT32_VS_FLOAT64_ATOL)


def test_numpy_float32_softmax_is_stable_for_huge_scores():
    # Check a last layer that makes scores of +-1e4: probabilities stay finite, sum to 1, no warning.
    coefs, intercepts = [np.array([[1e4, -1e4, 0.0]])], [np.zeros(3)]
    proba = ex.numpy_forward_float32(coefs, intercepts, np.array([[1.0], [-1.0]]))
    np.testing.assert_allclose(proba, [[1, 0, 0], [0, 1, 0]], atol=1e-7)


def test_graph_is_valid_and_has_the_expected_nodes(rng):
    # Check the checker accepts the model and the node sequence for two hidden layers.
    coefs, intercepts = _random_net(rng, [5, 4, 3, 2])
    model = ex.mlp_to_onnx(coefs, intercepts, np.array([0, 1]))
    onnx.checker.check_model(model, full_check=True)
    assert [n.op_type for n in model.graph.node] == ["MatMul", "Add", "Relu", "MatMul", "Add", "Relu", "MatMul", "Add",
                                                    "Softmax", "ArgMax", "Gather"]
    assert [i.name for i in model.graph.input] == ["X"]
    assert [o.name for o in model.graph.output] == ["label", "probabilities"]


def test_onnx_runtime_agrees_with_numpy_on_every_test_digit(digits_model):
    # Check the criterion: ONNX Runtime's probabilities within 1e-5 of NumPy's (float32) and the
    # same label as scikit-learn's predict on every test digit.
    model, X = digits_model
    session = ex.onnx_session(ex.mlp_to_onnx(model.coefs_, model.intercepts_, model.classes_))
    labels, proba = session.run(["label", "probabilities"], {"X": X.astype(np.float32)})
    np.testing.assert_allclose(proba, ex.numpy_forward_float32(model.coefs_, model.intercepts_, X), atol=PROBA_ATOL)
    np.testing.assert_array_equal(labels, model.predict(X))
    assert labels.dtype == np.int64


def test_onnx_reference_evaluator_agrees_too(rng):
    # Check with onnx's own pure-Python reference runtime, on a random deeper network and odd labels.
    coefs, intercepts = _random_net(rng, [6, 8, 5, 4])
    classes = np.array([3, 7, 11, 20])
    graph = ex.mlp_to_onnx(coefs, intercepts, classes)
    X = rng.random((9, 6)).astype(np.float32)
    labels, proba = ReferenceEvaluator(graph).run(["label", "probabilities"], {"X": X})
    expected = ex.numpy_forward_float32(coefs, intercepts, X)
    np.testing.assert_allclose(proba, expected, atol=PROBA_ATOL)
    np.testing.assert_array_equal(labels, classes[expected.argmax(axis=1)])


@pytest.mark.parametrize("n", [1, 37])
def test_the_batch_size_is_free(rng, n):
    # Check the symbolic "batch" dimension: one row and 37 rows run through the same session.
    coefs, intercepts = _random_net(rng, [4, 3, 2])
    session = ex.onnx_session(ex.mlp_to_onnx(coefs, intercepts, np.array([0, 1])))
    labels, proba = session.run(None, {"X": rng.random((n, 4)).astype(np.float32)})
    assert labels.shape == (n,) and proba.shape == (n, 2)


def test_saved_file_round_trips(rng, tmp_path):
    # Check onnx.save / onnx.load under tmp_path give a model with the same weights.
    coefs, intercepts = _random_net(rng, [3, 2])
    path = tmp_path / "m.onnx"
    onnx.save(ex.mlp_to_onnx(coefs, intercepts, np.array([0, 1])), path)
    loaded = onnx.load(path)
    weights = {t.name: onnx.numpy_helper.to_array(t) for t in loaded.graph.initializer}
    np.testing.assert_array_equal(weights["W1"], coefs[0].astype(np.float32))


def test_bad_input_is_refused(rng):
    # Check string labels and mismatched parameter lists get a clear ValueError.
    coefs, intercepts = _random_net(rng, [3, 2])
    with pytest.raises(ValueError, match="integer class labels"):
        ex.mlp_to_onnx(coefs, intercepts, np.array(["a", "b"]))
    with pytest.raises(ValueError, match="as many weight matrices as biases"):
        ex.mlp_to_onnx(coefs, [], np.array([0, 1]))
