# %% [markdown]
# # Exploration 13: attention weights as you edit a sequence
#
# Each character gets a fixed random vector (its "content"), plus a sinusoidal
# encoding of its position scaled by a weight. Queries and keys are these
# vectors, so the weights softmax(q k^T / sqrt(d) * sharpness) show who looks at
# whom. With position weight 0, a character attends to the other copies of
# itself wherever they are; raise it and neighbours win. Sharpness is an inverse
# temperature; the causal mask hides the future, as in a GPT.
#
# Built in: `06-intro-to-deep-learning/ex16_attention.py` (`attention_forward`,
# `causal_mask`) and `ex17_multi_head_attention.py` (`positional_encoding`).

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting

attention = explore.load("06-intro-to-deep-learning/ex16_attention.py")
mha = explore.load("06-intro-to-deep-learning/ex17_multi_head_attention.py")
D = 16


# %%
def content_vector(character):
    """The same unit vector for the same character, every time."""
    vector = np.random.default_rng(ord(character)).standard_normal(D)  # (D,)
    return vector / np.linalg.norm(vector)


def draw(sequence="the cat sat on the mat", position_weight=0.0, sharpness=12.0, causal=False):
    sequence = sequence or " "
    T = len(sequence)
    x = np.array([content_vector(c) for c in sequence])  # (T, D)
    x = x + position_weight * mha.positional_encoding(T, D)  # (T, D)
    q = sharpness * x  # scaling q scales every score: an inverse temperature
    mask = attention.causal_mask(T) if causal else None
    _, cache = attention.attention_forward(q, x, x, mask=mask)
    weights = cache[3]  # (T, T), each row sums to 1

    size = 2.5 + 0.22 * T
    fig, ax = plotting.new_figure(width=min(size, 12), height=min(size, 12))
    ax.imshow(weights, cmap="Blues", vmin=0, vmax=weights.max())
    ticks = np.arange(T)
    labels = [repr(c)[1:-1] if c != " " else "␣" for c in sequence]
    ax.set(xticks=ticks, yticks=ticks, xticklabels=labels, yticklabels=labels,
           xlabel="key (looked at)", ylabel="query (looking)", title="attention weights (darkest: the largest)")
    ax.grid(False)
    return fig


# %%
explore.interactive(
    draw,
    sequence=widgets.Text("the cat sat on the mat", description="sequence", continuous_update=False),
    position_weight=widgets.FloatSlider(0.0, min=0.0, max=3.0, step=0.1, description="position weight", continuous_update=False),
    sharpness=widgets.FloatSlider(12.0, min=0.0, max=40.0, step=1.0, description="sharpness", continuous_update=False),
    causal=widgets.Checkbox(False, description="causal mask"),
)
