# %% [markdown]
# # Exploration 15: temperature, top-k and top-p when a language model samples
#
# A language model gives a score (logit) to every possible next token; how we
# draw from those scores changes the text as much as the model does. Here the
# model is the simplest one there is: a bigram model of this course's own
# docstrings, whose logits for the next character are the log counts of what
# followed the current one. Temperature divides the logits (low: always the
# favourite; high: anything goes), top-k keeps the k best, and top-p keeps the
# smallest set whose probability reaches p. Watch the kept distribution (left)
# and a generated line (right) change together.
#
# Built in: `07-advanced-deep-learning/ex05_gpt_training_sampling.py` (`sampling_probs`), with the
# text from `utils.text.course_text`.

# %%
import ipywidgets as widgets
import numpy as np

from utils import explore, plotting, text

gpt = explore.load("07-advanced-deep-learning/ex05_gpt_training_sampling.py")

chars, ids = text.char_vocabulary(text.course_text())
V = len(chars)
counts = np.ones((V, V))  # add-one smoothing: every character may follow every other
np.add.at(counts, (ids[:-1], ids[1:]), 1.0)
LOGITS = np.log(counts)  # (V, V): row c holds the logits of the character after c


# %%
def generate(first, n, temperature, top_k, top_p, seed=0):
    rng = np.random.default_rng(seed)
    out = [chars.index(first)]
    for _ in range(n):
        probs = gpt.sampling_probs(LOGITS[out[-1]], temperature, top_k, top_p)  # (V,)
        out.append(int(rng.choice(V, p=probs)))
    return "".join(chars[i] for i in out)


def draw(context="t", log10_temperature=0.0, top_k=0, top_p=1.0):
    temperature = 10.0**log10_temperature
    k = None if top_k == 0 else top_k
    raw = gpt.sampling_probs(LOGITS[chars.index(context)])  # (V,), temperature 1, nothing cut
    kept = gpt.sampling_probs(LOGITS[chars.index(context)], temperature, k, top_p)
    order = np.argsort(-raw)[:20]  # the 20 likeliest at temperature 1

    fig, (bars, sample) = plotting.new_figure(1, 2, width=5.0, height=3.8)
    positions = np.arange(len(order))
    bars.bar(positions - 0.2, raw[order], width=0.4, color="0.7", label="the model (T = 1)")
    bars.bar(positions + 0.2, kept[order], width=0.4, color="C0", label="what we sample from")
    bars.set_xticks(positions, [repr(chars[i])[1:-1].replace(" ", "␣") for i in order])
    bars.set(ylim=(0, 1), title=f"after {context!r}: {np.count_nonzero(kept)} of {V} characters kept")
    bars.legend(loc="upper right")
    line = generate(context, 180, temperature, k, top_p)
    wrapped = "\n".join(line[i:i + 36] for i in range(0, len(line), 36)).replace("\n\n", "\n")
    sample.text(0.0, 1.0, wrapped, family="monospace", fontsize=9, va="top", transform=sample.transAxes)
    sample.set_axis_off()
    sample.set_title(f"T = {temperature:.2f}, top-k = {k}, top-p = {top_p:.2f}")
    return fig


# %%
explore.interactive(
    draw,
    context=widgets.Dropdown(options=["t", "q", " ", "e", "("], value="t", description="after"),
    log10_temperature=widgets.FloatSlider(0.0, min=-1.0, max=0.5, step=0.05, description="log10 T", continuous_update=False),
    top_k=widgets.IntSlider(0, min=0, max=V, description="top-k (0: off)", continuous_update=False),
    top_p=widgets.FloatSlider(1.0, min=0.05, max=1.0, step=0.05, description="top-p", continuous_update=False),
)
