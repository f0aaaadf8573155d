"""
Exercise 08: writing without the truth: greedy and beam-search decoding of ex07's transformer

Learning goals
--------------
- Decode ex07's encoder-decoder as it is used: encode the source once, then let the decoder
  feed back its own characters, greedily (the most likely one at each step).
- Write beam search, which keeps the B most likely prefixes instead of one, and see what it
  buys: never a less likely output than greedy, at B times the work.
- Compare exact-sequence accuracy and the log-probability of the outputs on held-out days.

The math
--------
Training fed the decoder the true previous characters (teacher forcing); at test time it reads
its own. With p(c | s, y_<i) the decoder's softmax at step i (V_out = 11 characters), an output
y of ten characters has
    log P(y | s) = sum over i = 1..10 of log p(y_i | s, y_1 .. y_{i-1}).
Greedy: y_i = argmax_c p(c | s, y_<i), one prefix; a likely first character can lead to unlikely
continuations, so greedy can miss the most likely sequence.
Beam search with width B keeps the B prefixes with the largest sum of log-probabilities;
each step extends every prefix by every character, and keeps the best B of the B V_out.
Every output has ten characters, so no length normalisation is needed. Width 1 is greedy.
Shapes: the memory M repeated to (N B, S, D), prefixes (N B, i + 1), scores (N B,); at the start
one live beam (score 0) and B - 1 dead ones (score -inf), so step 1 does not keep B copies of one prefix.

Algorithm
---------
1. Train ex07's model (its train, a fifth as long: a model that still hesitates) on training days.
2. Greedy: encode once, then write ten characters, feeding back the most likely one.
3. Beam: the same with the B best prefixes; on held-out days report exact-sequence accuracy
   and the mean log P(y | s) of the outputs for B = 1 .. 4.

References: I. Sutskever, O. Vinyals, Q. Le, "Sequence to sequence learning with neural networks",
NeurIPS 2014 (beam search); A. Vaswani et al., "Attention is all you need", NeurIPS 2017 (sec. 6.1: beams of 4).
Builds on: 07-advanced-deep-learning/ex07_seq2seq_transformer.py (seq2seq: the model, its training, the date encoding).
Difficulty: 2 of 3, about 30 minutes.
Run: python 07-advanced-deep-learning/ex08_beam_search.py
"""

# %%
import numpy as np

import utils
from utils import nn, plotting
from utils.text import make_dates
from utils.timing import format_table

seq2seq = utils.load_exercise("07-advanced-deep-learning/ex07_seq2seq_transformer.py", practice=False)

# %% [markdown]
# ## Greedy and beam decoding


# %%
def greedy_decode(params, src, n_heads):
    """(N, 10) ids: encode once, then feed back the most likely character ten times."""
    memory, mask, _ = seq2seq.encode(params, src, n_heads)
    out = np.full((len(src), 1), seq2seq.BOS)  # (N, 1): every output starts with BOS
    # BEGIN SOLUTION
    # HINT 1: the decoder's last position predicts the next character; append it and run again.
    # HINT 2: next = argmax of seq2seq.decode(params, memory, mask, out, n_heads)[0][:, -1] over the 11 characters.
    # HINT 3: repeat seq2seq.OUT_LEN times: logits = decode(...); out = concatenate([out, argmax(logits[:, -1])[:, None]])
    for _ in range(seq2seq.OUT_LEN):
        logits, _ = seq2seq.decode(params, memory, mask, out, n_heads)  # (N, i + 1, 11)
        out = np.concatenate([out, logits[:, -1].argmax(axis=-1)[:, None]], axis=1)  # (N, i + 2)
    # END SOLUTION
    return out[:, 1:]


def beam_decode(params, src, n_heads, beam_width=3):
    """(N, 10) ids: the best of beam_width prefixes by total log-probability."""
    beam_width = int(beam_width)
    if beam_width < 1:
        raise ValueError(f"beam_width must be a positive integer; got {beam_width}")
    n = len(src)
    memory, mask, _ = seq2seq.encode(params, src, n_heads)
    memory, mask = np.repeat(memory, beam_width, axis=0), np.repeat(mask, beam_width, axis=0)  # (N B, S, D)
    seqs = np.full((n * beam_width, 1), seq2seq.BOS)  # (N B, 1)
    # BEGIN SOLUTION
    # HINT 1: each step, score every (prefix, character) pair of an input and keep the best beam_width pairs.
    # HINT 2: total = (scores[:, None] + log_softmax(logits[:, -1])).reshape(n, B * V); parent = best // V, char = best % V.
    # HINT 3: scores = [0, -inf, .., -inf] per input; ten times: total; best = argsort(-total)[:, :B];
    # HINT 3: seqs = concatenate([seqs[row of parent], char]); scores = total at best. Return seqs[::B, 1:].
    scores = np.tile([0.0] + [-np.inf] * (beam_width - 1), n)  # (N B,): start from one live beam per input
    for _ in range(seq2seq.OUT_LEN):
        logits = seq2seq.decode(params, memory, mask, seqs, n_heads)[0][:, -1]  # (N B, V)
        log_probs = nn.log_softmax(logits, axis=1)  # (N B, V), by log-sum-exp
        total = (scores[:, None] + log_probs).reshape(n, -1)  # (N, B V)
        best = np.argsort(-total, axis=1, kind="stable")[:, :beam_width]  # (N, B), best first
        parent = (np.arange(n)[:, None] * beam_width + best // log_probs.shape[1]).ravel()  # (N B,) rows of seqs
        seqs = np.concatenate([seqs[parent], (best % log_probs.shape[1]).reshape(-1, 1)], axis=1)  # (N B, i + 2)
        scores = np.take_along_axis(total, best, axis=1).ravel()  # (N B,)
    # END SOLUTION
    return seqs[::beam_width, 1:]  # the top beam of each input


def sequence_log_prob(params, src, out, n_heads):
    """log P(out | src) (N,) of outputs out (N, 10): one teacher-forced pass scores all ten characters."""
    memory, mask, _ = seq2seq.encode(params, src, n_heads)
    logits, _ = seq2seq.decode(params, memory, mask, seq2seq.teacher_forcing_input(out), n_heads)  # (N, 10, 11)
    return np.take_along_axis(nn.log_softmax(logits, axis=-1), out[..., None], axis=-1)[..., 0].sum(axis=1)


def exact_accuracy(pred, tgt):
    return float(np.mean(np.all(pred == tgt, axis=1)))


# %% [markdown]
# ## Demo: train ex07's model, then decode held-out days greedily and with beams


# %%
# A fifth of ex07's training (1000 held-out days: greedy 68.4%, beam of 3 71.4%): after ex07's full 1500 steps
# the model is all but certain (about 100% either way) and a wider beam finds nothing greedy missed.
FULL_RUN = dict(seq2seq.FULL_RUN, n_steps=300)


def main():
    quick = utils.quick_mode()
    config = seq2seq.QUICK_RUN if quick else FULL_RUN
    params, _ = seq2seq.train(**config, log_every=config["n_steps"] // 5)
    written, iso = make_dates(200 if quick else 1000, np.random.default_rng(123), split="test")
    src, tgt = seq2seq.encode_dates(written, iso)
    widths, rows, accuracy, log_prob = [1, 2, 3, 4], [], [], []
    for width in widths:
        pred = greedy_decode(params, src, config["n_heads"]) if width == 1 else beam_decode(params, src, config["n_heads"], width)
        accuracy.append(exact_accuracy(pred, tgt))
        log_prob.append(float(np.mean(sequence_log_prob(params, src, pred, config["n_heads"]))))
        rows.append(["greedy" if width == 1 else f"beam, width {width}", f"{accuracy[-1]:.1%}", f"{log_prob[-1]:.3f}"])
    print(f"{config['n_steps']} Adam steps of {config['batch_size']} dates; {len(tgt)} held-out days (never trained on)")
    print(format_table(["decoding", "exact-sequence accuracy", "mean log P(output given source)"], rows))
    print("\nSome held-out dates, greedy:")
    for text, want, got in list(zip(written, iso, greedy_decode(params, src[:6], config["n_heads"]))):
        got = "".join(seq2seq.TGT_CHARS[i] for i in got)
        print(f"  {text:>24} -> {got}  {'ok' if got == want else 'expected ' + want}")

    fig, ax = plotting.new_figure(1, 1, width=6, height=4)
    ax.plot(widths, log_prob, "o-", color="C0")
    ax.set(xlabel="beam width B (1 = greedy)", xticks=widths, title="A wider beam finds more likely outputs")
    ax.set_ylabel("mean log P(output | source)", color="C0")
    twin = ax.twinx()
    twin.plot(widths, accuracy, "s--", color="C1")
    twin.set_ylabel("exact-sequence accuracy", color="C1")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex08_beam_search")


if __name__ == "__main__":
    main()
