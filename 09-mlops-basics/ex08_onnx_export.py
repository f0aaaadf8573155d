"""
Exercise 08: a portable model, exporting the MLP to ONNX

Learning goals
--------------
- Describe our NumPy network as an ONNX graph, node by node, with the onnx
  package's helpers: typed inputs and outputs, weights as initializers, operators
  MatMul, Add, Relu, Softmax, ArgMax and Gather.
- Run the graph in ONNX Runtime (a C++ engine that needs no Python model code)
  and check that it agrees with NumPy in float32 to 1e-5 on every test digit.
- Compare the speed of the two on one digit and on a batch.

The math
--------
For weights W_l of shape (d_{l-1}, d_l) and biases b_l of shape (d_l,), with
H_0 = X of shape (N, d_0):

    H_l = relu(H_{l-1} W_l + b_l)   for l < L,    Z = H_{L-1} W_L + b_L   (N, K)
    P = softmax(Z) row by row (N, K),   label = classes[argmax_k P]   (N,)

Each line is one or two ONNX nodes: MatMul, Add (broadcasting b over the rows, as
NumPy does), Relu; then Softmax(axis=1), ArgMax(axis=1, keepdims=0) and Gather
(looking the index up in the classes tensor). The batch size N is left symbolic
("batch"), so the same file serves one digit or a thousand.

float32 has a 24-bit significand (about 7 decimal digits); a sum of 64 products
each rounded to float32 differs between two engines by a few units of 1e-7 (they
add in different orders), so 1e-5 on probabilities is a comfortable but honest bound.

Algorithm
---------
1. Convert every W_l, b_l to float32 initializers; declare input X (float32, [batch, d_0]).
2. Chain the nodes above; declare outputs label (int64, [batch]) and probabilities
   (float32, [batch, K]); make the model with a fixed opset; onnx.checker.check_model.
3. Load the bytes into onnxruntime.InferenceSession; run; compare with NumPy in float32.

References: ONNX, "Open Neural Network Exchange: IR specification" and "Operators"
(onnx.ai, github.com/onnx/onnx/blob/main/docs/Operators.md); ONNX Runtime documentation
(onnxruntime.ai/docs, "Python API").
Difficulty: 2 of 3, about 45 minutes.
Run: python 09-mlops-basics/ex08_onnx_export.py
"""

# %%
import numpy as np
import onnx  # the subject of this exercise: the graph format and its builder helpers
from onnx import TensorProto, helper, numpy_helper

import utils

OPSET = 17  # the operator set version: fixes what each operator means; runtimes list what they support
IR_VERSION = 8  # the file-format version; 8 goes with opset 17 and is read by every recent runtime

# %% [markdown]
# ## NumPy in float32: what the graph must reproduce


# %%
def numpy_forward_float32(coefs, intercepts, X):
    """Softmax probabilities (N, K) of the ReLU network, every step in float32."""
    # BEGIN SOLUTION
    # HINT 1: cast X and every parameter to float32 first; then the usual forward pass and a stable softmax.
    # HINT 2: H = np.maximum(H @ W + b, 0) for the hidden layers; Z - Z.max(axis=1) before np.exp.
    # HINT 3: H = X.astype(np.float32); loop over all but the last layer; Z = H @ W_L + b_L;
    # HINT 3: E = np.exp(Z - Z.max(axis=1, keepdims=True)); return E / E.sum(axis=1, keepdims=True)
    H = np.asarray(X, dtype=np.float32)  # (N, d_0)
    for W, b in zip(coefs[:-1], intercepts[:-1]):
        H = np.maximum(H @ np.asarray(W, np.float32) + np.asarray(b, np.float32), np.float32(0))  # (N, d_l)
    Z = H @ np.asarray(coefs[-1], np.float32) + np.asarray(intercepts[-1], np.float32)  # (N, K)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # (N, K), shifted by the row max: exp never overflows
    return E / E.sum(axis=1, keepdims=True)  # (N, K)
    # END SOLUTION


# %% [markdown]
# ## The ONNX graph


# %%
def mlp_to_onnx(coefs, intercepts, classes):
    """An onnx.ModelProto computing (label, probabilities) from X for the ReLU network with weights
    coefs (W_l of shape (d_{l-1}, d_l)), intercepts (b_l of shape (d_l,)) and integer classes (K,)."""
    classes = np.asarray(classes)
    if not np.issubdtype(classes.dtype, np.integer):
        raise ValueError(f"this exporter handles integer class labels; got dtype {classes.dtype}")
    if len(coefs) != len(intercepts) or len(coefs) == 0:
        raise ValueError(f"need as many weight matrices as biases (at least one); got {len(coefs)} and {len(intercepts)}")
    d_in, n_classes = coefs[0].shape[0], coefs[-1].shape[1]
    nodes = []
    initializers = [numpy_helper.from_array(classes.astype(np.int64), name="classes")]  # (K,)
    # BEGIN SOLUTION
    # HINT 1: every tensor in the graph has a name; a node reads names and writes names.
    # HINT 2: per layer: initializers W{l}, b{l} (float32); nodes MatMul([h, W{l}]) -> Add([.., b{l}]) -> Relu
    # HINT 2: (no Relu after the last); then Softmax(axis=1), ArgMax(axis=1, keepdims=0), Gather(["classes", idx]).
    # HINT 3: h = "X"; for l, (W, b): add initializers; helper.make_node("MatMul", [h, f"W{l}"], [f"z{l}"]);
    # HINT 3: Add -> f"a{l}"; if not last: Relu -> f"h{l}"; h = that name. Then the three output nodes.
    h = "X"
    for l, (W, b) in enumerate(zip(coefs, intercepts), start=1):
        initializers.append(numpy_helper.from_array(np.asarray(W, dtype=np.float32), name=f"W{l}"))  # (d_{l-1}, d_l)
        initializers.append(numpy_helper.from_array(np.asarray(b, dtype=np.float32), name=f"b{l}"))  # (d_l,)
        nodes.append(helper.make_node("MatMul", [h, f"W{l}"], [f"z{l}"]))  # (N, d_l)
        nodes.append(helper.make_node("Add", [f"z{l}", f"b{l}"], [f"a{l}"]))  # (N, d_l), b broadcast over rows
        h = f"a{l}"
        if l < len(coefs):
            nodes.append(helper.make_node("Relu", [h], [f"h{l}"]))
            h = f"h{l}"
    nodes.append(helper.make_node("Softmax", [h], ["probabilities"], axis=1))  # (N, K)
    nodes.append(helper.make_node("ArgMax", ["probabilities"], ["class_index"], axis=1, keepdims=0))  # (N,)
    nodes.append(helper.make_node("Gather", ["classes", "class_index"], ["label"], axis=0))  # (N,)
    # END SOLUTION
    graph = helper.make_graph(
        nodes, "digits_mlp",
        inputs=[helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", d_in])],
        outputs=[helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
                 helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", n_classes])],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="ml-study-cycle")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)  # types and shapes inferred and checked node by node
    return model


def onnx_session(model):
    """An ONNX Runtime session for a ModelProto, on the CPU with one thread (predictable timings)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


# %% [markdown]
# ## Demo


# %%
def main():
    import tempfile
    from pathlib import Path

    from utils.timing import format_table, median_time

    from sklearn.neural_network import MLPClassifier

    from utils import data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-2, random_state=0).fit(X_train, y_train)  # the subject: any ReLU MLP

    exported = mlp_to_onnx(model.coefs_, model.intercepts_, model.classes_)
    print("The graph:", " -> ".join(node.op_type for node in exported.graph.node))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digits_mlp.onnx"
        onnx.save(exported, path)  # a self-contained file: graph and weights
        print(f"Saved {path.name}: {path.stat().st_size} bytes; reloaded and checked: "
              f"{onnx.checker.check_model(onnx.load(path)) is None}")

    session = onnx_session(exported)
    X32 = X_test.astype(np.float32)  # (450, 64)
    labels, proba = session.run(["label", "probabilities"], {"X": X32})
    proba_np = numpy_forward_float32(model.coefs_, model.intercepts_, X32)
    print(f"\nONNX Runtime vs NumPy on all {len(X_test)} test digits: max |difference of probabilities| = "
          f"{np.abs(proba - proba_np).max():.1e}, same labels: {np.array_equal(labels, model.predict(X_test))}, "
          f"test accuracy {np.mean(labels == y_test):.1%}")

    repeats = 20 if utils.quick_mode() else 200
    W32, b32 = [W.astype(np.float32) for W in model.coefs_], [b.astype(np.float32) for b in model.intercepts_]
    rows = []
    for name, X in (("one digit", X32[:1]), (f"{len(X32)} digits", X32)):
        t_np, _ = median_time(lambda: numpy_forward_float32(W32, b32, X), repeats=repeats)  # no casts timed
        t_ort, _ = median_time(lambda: session.run(["label", "probabilities"], {"X": X}), repeats=repeats)
        rows.append([name, f"{1e6 * t_np:.0f}", f"{1e6 * t_ort:.0f}", f"{t_np / t_ort:.2f}x"])
    print(f"\nMedian time of {repeats} calls (microseconds), one thread:")
    print(format_table(["batch", "NumPy float32", "ONNX Runtime", "NumPy / ORT"], rows))


if __name__ == "__main__":
    main()
