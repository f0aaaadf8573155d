"""
Exercise 02: word embeddings with word2vec (skip-gram with negative sampling)

Learning goals
--------------
- Learn a vector per word from nothing but which words appear near which: skip-gram
  predicts the words around a centre word, and negative sampling turns the V-way softmax
  into a few binary questions ("was this word really nearby?").
- Derive the loss's gradients and check them; train with Adam (utils.optim) on pairs.
- Read the learned space: nearest neighbours by cosine similarity, and analogies
  "a is to b as c is to ?" answered by the word closest to v_b - v_a + v_c.

The math
--------
Vocabulary of V words, dimension D. Each word w has an input vector v_w (row of W_in, (V, D))
and an output vector u_w (row of W_out, (V, D)). A training pair is (centre c, context o):
o appears within `window` words of c. With K negative words n_1 .. n_K drawn from the noise
distribution P_n(w) = count(w)^0.75 / sum_w' count(w')^0.75, and sigma the logistic sigmoid:
    loss(c, o) = -log sigma(u_o . v_c) - sum_k log sigma(-u_{n_k} . v_c)
Gradients (s_o = sigma(u_o . v_c), s_k = sigma(u_{n_k} . v_c)):
    dv_c = (s_o - 1) u_o + sum_k s_k u_{n_k},   du_o = (s_o - 1) v_c,   du_{n_k} = s_k v_c
We average over a batch of pairs; a word appearing twice in a batch gets both gradients
(np.add.at). -log sigma(z) = log(1 + e^(-z)) = logaddexp(0, -z), finite for any z.
Why the 0.75 power: frequent words ("the") are drawn less often than their share, rare
ones more often (Mikolov et al. found it works best). Similarity: cos(a, b) = a . b / (|a| |b|).

Algorithm
---------
1. Count words; keep the training pairs (c, o) of every sentence within the window.
2. Each step: a batch of pairs, K noise words per pair; loss and gradients; Adam.
3. Nearest neighbours: normalise the rows of W_in, one matrix product, sort.
4. Analogy: argmax over words w not in {a, b, c} of cos(v_w, v_b - v_a + v_c).

References: T. Mikolov et al., "Distributed representations of words and phrases and their
compositionality", NeurIPS 2013; Y. Goldberg, O. Levy, "word2vec explained", 2014; CS224n notes 1.
Difficulty: 2 of 3, about 45 minutes.
Run: python 07-advanced-deep-learning/ex02_word2vec.py
"""

# %%
from collections import Counter

import numpy as np

import utils
from utils import nn, optim, plotting
from utils.text import PEOPLE, PLACES, make_analogy_corpus
from utils.timing import format_table
from utils.validation import check_positive_int

# %% [markdown]
# ## Training pairs, the noise distribution, and the loss with its gradients


# %%
def build_vocabulary(sentences):
    """(words sorted by count then alphabet, counts (V,), index word -> id)."""
    counts = Counter(w for s in sentences for w in s)
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return words, np.array([counts[w] for w in words]), {w: i for i, w in enumerate(words)}


def skipgram_pairs(sentences, index, window=2):
    """(centres, contexts): int arrays (P,) of every pair within `window` positions of each other."""
    window = check_positive_int(window, "window")
    centres, contexts = [], []
    # BEGIN SOLUTION
    # HINT 1: for every position i, the neighbours are positions i - window .. i + window, minus i itself.
    # HINT 2: j runs over max(0, i - window) .. min(len - 1, i + window), j != i.
    # HINT 3: for each sentence: ids = [index[w] for w in s]; for each i, every j in the window but i: append (ids[i], ids[j])
    for sentence in sentences:
        ids = [index[w] for w in sentence]
        for i, centre in enumerate(ids):
            neighbours = [ids[j] for j in range(max(0, i - window), min(len(ids), i + window + 1)) if j != i]
            centres += [centre] * len(neighbours)
            contexts += neighbours
    # END SOLUTION
    return np.array(centres, dtype=int), np.array(contexts, dtype=int)


def noise_distribution(counts, power=0.75):
    """P_n (V,): counts to the given power, normalised."""
    # BEGIN SOLUTION
    # HINT 1: flatten the unigram distribution by raising the counts to a power below 1.
    # HINT 2: P_n(w) = count(w)^0.75 / sum count^0.75
    # HINT 3: weights = counts.astype(float) ** power; return weights / weights.sum()
    weights = np.asarray(counts, dtype=float) ** power
    return weights / weights.sum()
    # END SOLUTION


def sgns_loss(W_in, W_out, centres, contexts, negatives):
    """Mean skip-gram negative-sampling loss over P pairs; returns (loss, dW_in, dW_out).

    centres, contexts (P,) word ids; negatives (P, K) word ids.
    """
    if len(centres) != len(contexts) or negatives.ndim != 2 or len(negatives) != len(centres):
        raise ValueError(f"need centres (P,), contexts (P,), negatives (P, K); got {centres.shape}, {contexts.shape}, {negatives.shape}")
    # BEGIN SOLUTION
    # HINT 1: one positive score per pair, K negative scores per pair; the loss is binary cross-entropy on each.
    # HINT 2: z_o = sum(u_o * v_c), z_k = u_k . v_c; loss = logaddexp(0, -z_o) + sum_k logaddexp(0, z_k); ds_o = sigmoid(z_o) - 1.
    # HINT 3: v = W_in[centres]; u_o = W_out[contexts]; u_n = W_out[negatives]; compute g_o = (s_o - 1) / P and g_n = s_n / P;
    # HINT 3: dv = g_o u_o + sum_k g_n u_n; du_o = g_o v; du_n = g_n v; scatter with np.add.at.
    n_pairs = len(centres)
    v = W_in[centres]  # (P, D)
    u_pos, u_neg = W_out[contexts], W_out[negatives]  # (P, D), (P, K, D)
    z_pos = np.sum(u_pos * v, axis=1)  # (P,)
    z_neg = np.einsum("pkd,pd->pk", u_neg, v)  # (P, K)
    loss = (np.sum(np.logaddexp(0.0, -z_pos)) + np.sum(np.logaddexp(0.0, z_neg))) / n_pairs
    g_pos = (nn.sigmoid(z_pos) - 1.0) / n_pairs  # (P,): d loss / d z_pos
    g_neg = nn.sigmoid(z_neg) / n_pairs  # (P, K)
    dv = g_pos[:, None] * u_pos + np.einsum("pk,pkd->pd", g_neg, u_neg)  # (P, D)
    dW_in, dW_out = np.zeros_like(W_in), np.zeros_like(W_out)
    np.add.at(dW_in, centres, dv)
    np.add.at(dW_out, contexts, g_pos[:, None] * v)
    np.add.at(dW_out, negatives, g_neg[:, :, None] * v[:, None, :])
    # END SOLUTION
    return loss, dW_in, dW_out


# %% [markdown]
# ## Reading the space: neighbours and analogies


# %%
def _unit_rows(W):
    return W / np.maximum(np.linalg.norm(W, axis=1, keepdims=True), 1e-12)  # floor: a zero row stays zero, no 0 / 0


def nearest_neighbours(W, word_id, k=3):
    """The k word ids most cosine-similar to word_id (itself excluded), most similar first, and their similarities."""
    unit = _unit_rows(W)
    similarity = np.where(np.arange(len(W)) == word_id, -np.inf, unit @ unit[word_id])  # (V,), itself excluded
    best = np.argsort(-similarity, kind="stable")[:k]
    return best, similarity[best]


def analogy(W, a, b, c):
    """The word id d, not a, b or c, whose vector is most cosine-similar to v_b - v_a + v_c."""
    # BEGIN SOLUTION
    # HINT 1: move from c the way a moved to b, then find the closest word that is not one of the three.
    # HINT 2: target = unit[b] - unit[a] + unit[c]; scores = unit @ target; exclude a, b, c.
    # HINT 3: unit = _unit_rows(W); scores = unit @ (unit[b] - unit[a] + unit[c]); scores[[a, b, c]] = -inf; return argmax
    unit = _unit_rows(W)
    scores = unit @ (unit[b] - unit[a] + unit[c])  # (V,)
    scores[[a, b, c]] = -np.inf
    return int(np.argmax(scores))
    # END SOLUTION


def train_word2vec(sentences, dim=16, window=2, n_negative=5, n_steps=2000, batch_size=256, lr=0.01, random_state=0):
    """Adam on random batches of pairs; returns (W_in, words, index, losses)."""
    rng, (words, counts, index) = np.random.default_rng(random_state), build_vocabulary(sentences)
    centres, contexts = skipgram_pairs(sentences, index, window)
    noise = noise_distribution(counts)
    params = {"W_in": rng.uniform(-0.5, 0.5, (len(words), dim)) / dim, "W_out": np.zeros((len(words), dim))}  # word2vec's init
    adam, losses = optim.Adam(lr=lr), []
    for _ in range(n_steps):
        batch = rng.integers(0, len(centres), size=batch_size)  # (B,)
        negatives = rng.choice(len(words), size=(batch_size, n_negative), p=noise)  # (B, K)
        loss, d_in, d_out = sgns_loss(params["W_in"], params["W_out"], centres[batch], contexts[batch], negatives)
        adam.step(params, {"W_in": d_in, "W_out": d_out})
        losses.append(loss)
    return params["W_in"], words, index, losses


# %% [markdown]
# ## Demo


# %%
ANALOGIES = [("man", "king", "woman", "queen"), ("boy", "prince", "girl", "princess"), ("woman", "girl", "man", "boy"),
             ("france", "paris", "italy", "rome"), ("spain", "madrid", "germany", "berlin"), ("tokyo", "japan", "rome", "italy")]


def main():
    from sklearn.decomposition import PCA

    quick = utils.quick_mode()
    sentences = make_analogy_corpus(2000 if quick else 10000, np.random.default_rng(0))
    W, words, index, losses = train_word2vec(sentences, n_steps=400 if quick else 3000)
    print(f"{len(sentences)} sentences, {sum(map(len, sentences))} words, V = {len(words)}; loss {losses[0]:.3f} -> {np.mean(losses[-50:]):.3f}")
    rows = [[w] + [f"{words[i]} ({s:.2f})" for i, s in zip(*nearest_neighbours(W, index[w]))]
            for w in ("king", "woman", "paris", "italy", "crown", "pasta")]
    print(format_table(["word", "1st neighbour", "2nd", "3rd"], rows))
    answers = [(f"{a} : {b} = {c} : ?", words[analogy(W, index[a], index[b], index[c])], d) for a, b, c, d in ANALOGIES]
    print("\n" + format_table(["analogy", "answer", "right"], [[q, got, "yes" if got == d else f"no, expected {d}"] for q, got, d in answers]))

    subjects = [*PEOPLE, *PLACES]
    points = PCA(n_components=2).fit_transform(W[[index[w] for w in subjects]])  # (n, 2): the space drawn in 2-D
    fig, ax = plotting.new_figure(1, 1, width=6.5, height=5, layout="tight")
    ax.scatter(points[:, 0], points[:, 1])
    for word, (x, y) in zip(subjects, points):
        ax.annotate(word, (x, y), textcoords="offset points", xytext=(4, 4))
    ax.set(xlabel="principal component 1", ylabel="principal component 2", title="Skip-gram vectors of the subject words (PCA)")
    plotting.show_or_save(fig, "ex02_word2vec")


if __name__ == "__main__":
    main()
