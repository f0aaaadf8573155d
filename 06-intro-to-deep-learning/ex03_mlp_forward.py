"""
Exercise 03: neurons, layers and the forward pass of a multi-layer perceptron

Learning goals
--------------
- Build a layer out of neurons (a dot product, a bias, an activation): M neurons on a
  batch of N inputs are one matrix product. Follow the shapes, count the parameters.
- See each hidden unit cut the plane along a line, and the next layer combine those
  half-planes into a region no single line could draw.

The math
--------
A neuron with weights w (D,) and bias b maps an input x (D,) to a(w . x + b),
where a is an activation (ex02). A layer stacks M neurons as the columns of
W (D, M) with biases b (M,), and a batch X (N, D) goes through all of them at once:
    H = a(X @ W + b)        (N, M)    (b is broadcast over the N rows)
An MLP with layer sizes (d_0, d_1, ..., d_L) applies L such layers; layer l has
W_l of shape (d_{l-1}, d_l) and b_l of shape (d_l,), so it has d_{l-1} d_l + d_l
parameters and the whole network sum_l (d_{l-1} + 1) d_l. The hidden layers use one
activation (ReLU, tanh, sigmoid); the last layer the output activation: softmax for class
probabilities, sigmoid for one probability, identity for regression.

Algorithm
---------
1. H_0 = X; for l = 1 .. L: H_l = activation(H_{l-1} @ W_l + b_l) (the output activation last).
2. Return H_L, of shape (N, d_L).

References: Goodfellow, Bengio, Courville, Deep Learning (2016), ch. 6.1-6.4; Bishop, Pattern
Recognition and Machine Learning (2006), ch. 5.1; scikit-learn user guide, "Neural network models".
Difficulty: 1 of 3, about 15 minutes.
Run: python 06-intro-to-deep-learning/ex03_mlp_forward.py
"""

# %%
import numpy as np

from utils import data, nn, plotting
from utils.timing import format_table
from utils.validation import as_float_array, as_float_arrays, check_option, check_positive_int

# sigmoid and softmax are stable for any z (written in ex02; utils.nn has them)
ACTIVATIONS = {"relu": lambda z: np.maximum(0.0, z), "tanh": np.tanh, "sigmoid": nn.sigmoid, "identity": lambda z: z}
OUTPUT_ACTIVATIONS = {"softmax": nn.softmax, "sigmoid": nn.sigmoid, "identity": lambda z: z}
LAYER_ACTIVATIONS = {**ACTIVATIONS, **OUTPUT_ACTIVATIONS}  # what dense_forward accepts

# %% [markdown]
# ## One neuron, one layer


# %%
def neuron_forward(x, w, b, activation="relu"):
    """One neuron: activation(w . x + b) for one input x (D,), weights w (D,), bias b (a number)."""
    x, w, b = as_float_arrays(x=x, w=w, b=b)
    if x.ndim != 1 or x.shape != w.shape:
        raise ValueError(f"neuron_forward expects x and w of the same shape (D,); got {x.shape} and {w.shape}")
    f = ACTIVATIONS[check_option(activation, "activation", ACTIVATIONS)]
    # BEGIN SOLUTION
    # HINT 1: One neuron: a weighted sum plus bias, then the activation f; return a Python float.
    # HINT 2: float(f(w @ x + b))
    return float(f(w @ x + b))
    # END SOLUTION


def dense_forward(X, W, b, activation="relu"):
    """A layer of M neurons on a batch: activation(X @ W + b) for X (N, D), W (D, M), b (M,); shape (N, M)."""
    X, W, b = as_float_array(X, "X"), as_float_array(W, "W"), as_float_array(b, "b")
    if X.ndim != 2 or W.ndim != 2 or X.shape[1] != W.shape[0] or b.shape != (W.shape[1],):
        raise ValueError(f"dense_forward expects X (N, D), W (D, M), b (M,); got {X.shape}, {W.shape}, {b.shape}")
    f = LAYER_ACTIVATIONS[check_option(activation, "activation", LAYER_ACTIVATIONS)]
    # BEGIN SOLUTION
    # HINT 1: Do all samples and all neurons with one matrix product; b broadcasts over the rows.
    # HINT 2: Z = X @ W + b with X (N, D), W (D, M), b (M,) -> Z (N, M); return f(Z)
    Z = X @ W + b  # (N, M): row n, column m is neuron m's pre-activation for sample n
    return f(Z)  # (N, M)
    # END SOLUTION


def count_parameters(layer_sizes):
    """Weights plus biases of an MLP with these layer sizes: sum over layers of (d_in + 1) d_out."""
    sizes = _layer_sizes(layer_sizes)
    # BEGIN SOLUTION
    # HINT 1: Each layer has one weight per (input, output) pair plus one bias per output.
    # HINT 2: sum over consecutive pairs (d_in, d_out) of (d_in + 1) * d_out
    return int(sum((d_in + 1) * d_out for d_in, d_out in zip(sizes[:-1], sizes[1:])))
    # END SOLUTION


def _layer_sizes(layer_sizes):
    """The sizes as ints: at least two (input, ..., output), each a positive integer."""
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two positive integers (input, ..., output); got {layer_sizes!r}")
    return [check_positive_int(d, "each of layer_sizes") for d in layer_sizes]


# %% [markdown]
# ## The network: a list of layers


# %%
class MLP:
    """A multi-layer perceptron (forward pass only; ex04 adds the backward pass, ex07 trains it).

    layer_sizes (n_inputs, hidden sizes ..., n_outputs); activation ("relu", "tanh", "sigmoid", "identity")
    for the hidden layers; output_activation ("softmax", "sigmoid", "identity"); random_state for the
    initial weights[l] (layer_sizes[l], layer_sizes[l + 1]) and biases[l] (layer_sizes[l + 1],).
    """

    def __init__(self, layer_sizes, activation="relu", output_activation="softmax", random_state=None):
        self.layer_sizes = _layer_sizes(layer_sizes)
        self.activation = check_option(activation, "activation", ACTIVATIONS)
        self.output_activation = check_option(output_activation, "output_activation", OUTPUT_ACTIVATIONS)
        rng = data.as_rng(random_state)
        self.weights, self.biases = [], []
        for d_in, d_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            # He scaling for ReLU, 1/d_in otherwise: the signal neither explodes nor dies out (ex08)
            scale = np.sqrt((2.0 if activation == "relu" else 1.0) / d_in)
            self.weights.append(scale * rng.standard_normal((d_in, d_out)))  # (d_in, d_out)
            self.biases.append(np.zeros(d_out))  # (d_out,)

    @classmethod
    def from_parameters(cls, weights, biases, activation="relu", output_activation="softmax"):
        """An MLP with given weights and biases (copies), e.g. taken from another library."""
        weights, biases = [np.array(W, dtype=float) for W in weights], [np.array(b, dtype=float).reshape(-1) for b in biases]
        if len(weights) != len(biases) or not weights:
            raise ValueError(f"expected as many weight matrices as bias vectors (at least one); got {len(weights)} and {len(biases)}")
        sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
        for l, (W, b) in enumerate(zip(weights, biases)):
            if W.ndim != 2 or W.shape != (sizes[l], sizes[l + 1]) or b.shape != (sizes[l + 1],):
                raise ValueError(f"layer {l + 1}: expected W {(sizes[l], sizes[l + 1])} and b {(sizes[l + 1],)}; got {W.shape} and {b.shape}")
        net = cls(sizes, activation, output_activation, random_state=0)
        net.weights, net.biases = weights, biases
        return net

    def forward(self, X, return_hidden=False):
        """The network's output (N, d_L) for a batch X (N, d_0), and with return_hidden the list H_1 .. H_L."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.layer_sizes[0]}); got {X.shape}")
        # BEGIN SOLUTION
        # HINT 1: Feed each layer's output into the next; only the last layer uses output_activation.
        # HINT 2: H_{l+1} = dense_forward(H_l, W_l, b_l, act_l), H_0 = X
        # HINT 3: H, outputs = X, []; for each layer l: act = output_activation if l is the last else activation;
        # HINT 3:     H = dense_forward(H, W, b, act); outputs.append(H)
        H, outputs, last = X, [], len(self.weights) - 1  # H: (N, d_0)
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            H = dense_forward(H, W, b, self.output_activation if l == last else self.activation)  # (N, d_{l+1})
            outputs.append(H)
        # END SOLUTION
        return (H, outputs) if return_hidden else H

    def shape_table(self, n_samples):
        """One row per layer: name, input shape, weight shape, output shape, parameters."""
        acts = [self.activation] * (len(self.weights) - 1) + [self.output_activation]
        return [[f"{l + 1}: dense + {act}", (n_samples, W.shape[0]), W.shape, (n_samples, W.shape[1]), W.size + b.size]
                for l, (W, b, act) in enumerate(zip(self.weights, self.biases, acts))]


# %% [markdown]
# ## Demo


# %%
def diamond_network():
    """A hand-set 2-4-1 ReLU network, positive inside the diamond |x1| + |x2| < 1: unit k is relu(n_k . x - 1)
    for the normals n_k = (+-1, +-1), 0 on the diamond's side of its line; the output is 1 - 5 sum_k h_k."""
    W1, b1 = np.array([[1.0, 1.0, -1.0, -1.0], [1.0, -1.0, 1.0, -1.0]]), -np.ones(4)  # (2, 4): a normal per column, (4,)
    W2, b2 = -5.0 * np.ones((4, 1)), np.array([1.0])  # (4, 1), (1,)
    return MLP.from_parameters([W1, W2], [b1, b2], activation="relu", output_activation="identity")


def main():
    net = MLP([64, 32, 16, 10], activation="relu", output_activation="softmax", random_state=0)
    batch = data.load_digits()[0][:5] / 16.0  # (5, 64): five 8x8 digit images, pixels scaled to [0, 1]
    probs = net.forward(batch)
    print("An untrained MLP 64 -> 32 -> 16 -> 10 on a batch of 5 digit images:")
    rows = net.shape_table(len(batch)) + [["total (formula: sum (d_in + 1) d_out)", "", "", "", count_parameters(net.layer_sizes)]]
    print(format_table(["layer", "input shape", "weight shape", "output shape", "parameters"], rows))
    print(f"output shape {probs.shape}, each row sums to {probs.sum(axis=1).round(12)} (softmax probabilities)")
    print(f"One neuron: relu(w . x + b) with w = (1, -2), x = (3, 1), b = 0.5 gives {neuron_forward([3.0, 1.0], [1.0, -2.0], 0.5)}")

    diamond = diamond_network()
    xx, yy = np.meshgrid(np.linspace(-2, 2, 201), np.linspace(-2, 2, 201))  # (201, 201) each
    grid = np.column_stack([xx.ravel(), yy.ravel()])  # (201**2, 2)
    output, (hidden, _) = diamond.forward(grid, return_hidden=True)  # (201**2, 1), [(201**2, 4), ...]
    fig, axes = plotting.new_figure(1, 5, width=3.2, height=3.2, layout="constrained")
    W1, b1 = diamond.weights[0], diamond.biases[0]
    for k, ax in enumerate(axes[:4]):
        ax.contourf(xx, yy, hidden[:, k].reshape(xx.shape), levels=20, cmap="viridis")
        ax.contour(xx, yy, (grid @ W1[:, k] + b1[k]).reshape(xx.shape), levels=[0], colors="white", linewidths=1.5)
        ax.set(title=f"unit {k + 1}: relu({W1[0, k]:+.0f} x1 {W1[1, k]:+.0f} x2 - 1)", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    clipped = np.clip(output.reshape(xx.shape), -3, 3)  # (201, 201): a colour scale centred on 0
    axes[4].contourf(xx, yy, clipped, levels=np.linspace(-3, 3, 25), cmap="RdBu")
    axes[4].contour(xx, yy, clipped, levels=[0], colors="black", linewidths=1.5)
    axes[4].set(title="output 1 - 5 sum_k h_k (blue > 0)", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    fig.suptitle("Each ReLU unit is zero on one side of a line (white); the output combines them into a region (black)")
    plotting.show_or_save(fig, "ex03_mlp_forward")


if __name__ == "__main__":
    main()
