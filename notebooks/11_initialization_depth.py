# %% [markdown]
# # Exploration 11: initialisation scale through a deep network
#
# Push 500 random inputs through a stack of layers h <- activation(h W) and plot
# the distribution of each layer's activations. Too-small weights: the signal
# shrinks layer by layer to zero. Too-large: tanh units saturate at ±1 (and ReLU
# activations blow up). Xavier keeps tanh steady; He keeps ReLU steady. Change the
# depth to see how quickly a bad choice compounds.
#
# Built in: `06-intro-to-deep-learning/ex08_weight_initialization.py`
# (`init_weights`, `deep_forward`, `activation_statistics`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

init = explore.load("06-intro-to-deep-learning/ex08_weight_initialization.py")


# %%
def draw(method="xavier_normal", activation="tanh", depth=10, width=256):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, width))  # (500, width)
    weights = [init.init_weights(width, width, method, rng) for _ in range(depth)]
    activations = init.deep_forward(X, weights, activation)  # depth arrays of shape (500, width)
    means, stds = init.activation_statistics(activations)

    fig, (hist, spread) = plotting.new_figure(1, 2, width=4.6, height=3.6)
    shown = sorted({0, depth // 2, depth - 1})
    for layer in shown:
        values = activations[layer].ravel()
        hist.hist(values, bins=60, histtype="step", density=True, label=f"layer {layer + 1}")
    hist.set(xlabel="activation", title=f"{method}, {activation}")
    hist.legend()
    spread.semilogy(np.arange(1, depth + 1), np.maximum(stds, 1e-300), "o-")
    spread.set(xlabel="layer", ylabel="std of activations", title="the spread, layer by layer")
    return fig


# %%
explore.interactive(
    draw,
    method=widgets.Dropdown(options=list(init.INIT_METHODS), value="xavier_normal", description="init"),
    activation=widgets.Dropdown(options=list(init.ACTIVATIONS), value="tanh", description="activation"),
    depth=widgets.IntSlider(10, min=2, max=30, description="depth", continuous_update=False),
    width=widgets.IntSlider(256, min=16, max=512, step=16, description="width", continuous_update=False),
)
