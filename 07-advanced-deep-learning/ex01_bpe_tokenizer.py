"""
Exercise 01: a byte-level BPE tokenizer (byte-pair encoding), trained, encoding, decoding

Learning goals
--------------
- Turn text into integers the way GPT-2 and its successors do: start from the 256
  possible bytes of UTF-8, then learn merges of frequent neighbouring pairs.
- Encode a new text by replaying the merges in the order they were learned, and decode
  by joining the bytes of each token: every Unicode string comes back exactly.
- Measure the compression ratio (bytes per token) and see why a byte-level vocabulary
  never meets an unknown character.

The math
--------
A text is a sequence of Unicode characters; UTF-8 writes each as 1 to 4 bytes, so the
text becomes a sequence b_1 .. b_n of integers in 0..255. Those 256 values are the base
vocabulary: token i < 256 is the single byte i. Training with a vocabulary size V adds
V - 256 merges, one at a time:
    count c(a, b) = how often token a is directly followed by token b in the training text
    (a*, b*) = argmax c(a, b)   (ties: the smallest pair (a, b), so training is deterministic)
    new token 256 + m stands for bytes(a*) + bytes(b*); replace every (a*, b*) by it, left to right.
Before counting, the text is cut into chunks (a word with its leading space, a run of
digits, of punctuation or of white space), and pairs are counted inside chunks only, so a
token never spans " the" and the next word.
Encoding one chunk: start from its bytes, and repeatedly merge the adjacent pair whose
merge was learned earliest (lowest rank), until no adjacent pair has a merge. Decoding
concatenates bytes(token) and decodes UTF-8; since encode only groups bytes, decode(encode(s))
== s for every string s, including characters never seen in training (they stay bytes).
Compression ratio = (number of UTF-8 bytes) / (number of tokens) >= 1.

Algorithm
---------
1. Split the training text into chunks; count each distinct chunk (counting pairs once per
   distinct chunk, weighted by its count, makes training fast).
2. Repeat V - 256 times: count pairs over all chunks (times the chunk's count), pick the
   most frequent, record the merge, rewrite the chunks with the new token.
3. Encode: split into chunks, merge each chunk by rank, concatenate the ids.
4. Decode: join the byte strings of the ids, decode UTF-8.

References: P. Gage, "A new algorithm for data compression", C Users Journal, 1994;
R. Sennrich, B. Haddow, A. Birch, "Neural machine translation of rare words with subword
units", ACL 2016; A. Radford et al., "Language models are unsupervised multitask learners"
(GPT-2, sec. 2.2: byte-level BPE), 2019.
Difficulty: 2 of 3, about 45 minutes.
Run: python 07-advanced-deep-learning/ex01_bpe_tokenizer.py
"""

# %%
import re
from collections import Counter

import numpy as np

import utils
from utils import plotting
from utils.validation import check_positive_int
from utils.text import course_text, train_val_split_text
from utils.timing import format_table

# A word with an optional leading space, a number, a run of other symbols, or white space.
# "\s+(?!\S)" leaves the last space of a run to the word that follows, as GPT-2 does.
# Every character matches one of the branches, so joining the chunks gives back the text.
CHUNK_PATTERN = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\s\w]+|_+|\s+(?!\S)|\s+")

# %% [markdown]
# ## Two building blocks (count neighbouring pairs, merge one pair), and the tokenizer


# %%
def count_pairs(ids, counts=None, weight=1):
    """Add ``weight`` to counts[(a, b)] for every adjacent pair in the list ``ids``; returns counts."""
    counts = Counter() if counts is None else counts
    # BEGIN SOLUTION
    # HINT 1: walk over neighbours: ids[0] with ids[1], ids[1] with ids[2], ...
    # HINT 2: zip(ids, ids[1:]) gives every adjacent pair (a, b) once.
    # HINT 3: for pair in zip(ids, ids[1:]): counts[pair] += weight
    for pair in zip(ids, ids[1:]):
        counts[pair] += weight
    # END SOLUTION
    return counts


def merge_pair(ids, pair, new_id):
    """A new list in which every occurrence of ``pair`` (left to right, no overlap) is replaced by new_id."""
    # BEGIN SOLUTION
    # HINT 1: scan left to right; when ids[i], ids[i + 1] equal the pair, emit new_id and jump by two.
    # HINT 2: "aaa" with the pair (a, a) becomes [new_id, a]: the scan does not look back.
    # HINT 3: out, i = [], 0; while i < len(ids): match = (ids[i], ids[i + 1]) == pair (if i + 1 < len(ids))
    # HINT 3:     append new_id if match else ids[i]; i += 2 if match else 1
    out, i = [], 0
    while i < len(ids):
        match = i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]
        out.append(new_id if match else ids[i])
        i += 2 if match else 1  # a match consumes both ids: no overlap
    return out
    # END SOLUTION


class BPETokenizer:
    """Byte-level BPE. Untrained, it is the plain UTF-8 byte tokenizer (256 tokens).

    Learned attributes: ``merges_`` (list of pairs, in the order learned; merge m makes
    token 256 + m) and ``vocab_`` (list of bytes, one per token id).
    """

    def __init__(self):
        self.merges_ = []
        self.vocab_ = [bytes([i]) for i in range(256)]

    @property
    def vocab_size(self):
        return len(self.vocab_)

    def train(self, text, vocab_size):
        """Learn vocab_size - 256 merges from ``text``; returns self."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str; got {type(text).__name__}")
        if check_positive_int(vocab_size, "vocab_size") < 256:
            raise ValueError(f"vocab_size must be at least 256 (the byte tokens); got {vocab_size}")
        self.merges_, self.vocab_ = [], [bytes([i]) for i in range(256)]
        chunk_counts = Counter(CHUNK_PATTERN.findall(text))  # distinct chunk -> how often it occurs
        chunks = [list(chunk.encode("utf-8")) for chunk in chunk_counts]  # each chunk as byte ids
        weights = list(chunk_counts.values())
        # BEGIN SOLUTION
        # HINT 1: each round: count pairs over all chunks (weighted), take the most frequent, rewrite the chunks.
        # HINT 2: best = max(counts, key=lambda p: (counts[p], -p[0], -p[1])): highest count, then smallest pair.
        # HINT 3: for new_id in range(256, vocab_size):
        # HINT 3:     counts = Counter(); count_pairs(chunk, counts, w) for every chunk and its weight w
        # HINT 3:     stop if counts is empty; best = ...; record merge and vocab_ entry
        # HINT 3:     chunks = [merge_pair(chunk, best, new_id) for chunk in chunks]
        for new_id in range(256, vocab_size):
            counts = Counter()
            for chunk, weight in zip(chunks, weights):
                count_pairs(chunk, counts, weight)
            if not counts:  # every chunk is a single token already: nothing left to merge
                break
            best = max(counts, key=lambda p: (counts[p], -p[0], -p[1]))
            self.merges_.append(best)
            self.vocab_.append(self.vocab_[best[0]] + self.vocab_[best[1]])
            chunks = [merge_pair(chunk, best, new_id) if len(chunk) > 1 else chunk for chunk in chunks]
        # END SOLUTION
        return self

    def _encode_chunk(self, ids, ranks):
        """Merge the byte ids of one chunk, always the earliest-learned pair first."""
        # BEGIN SOLUTION
        # HINT 1: among the adjacent pairs of ids, which one was merged first during training?
        # HINT 2: ranks[pair] = m for merge m; merge the pair with the smallest rank, into token 256 + rank.
        # HINT 3: while len(ids) > 1: pair = min(zip(ids, ids[1:]), key=lambda p: ranks.get(p, inf))
        # HINT 3:     if pair not in ranks: break; ids = merge_pair(ids, pair, 256 + ranks[pair])
        while len(ids) > 1:
            pair = min(zip(ids, ids[1:]), key=lambda p: ranks.get(p, np.inf))
            if pair not in ranks:
                break
            ids = merge_pair(ids, pair, 256 + ranks[pair])
        return ids
        # END SOLUTION

    def encode(self, text):
        """The token ids (list of int) of ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str; got {type(text).__name__}")
        ranks = {pair: rank for rank, pair in enumerate(self.merges_)}
        ids, cache = [], {}  # a chunk that repeats is merged once
        for chunk in CHUNK_PATTERN.findall(text):
            if chunk not in cache:
                cache[chunk] = self._encode_chunk(list(chunk.encode("utf-8")), ranks)
            ids.extend(cache[chunk])
        return ids

    def decode(self, ids):
        """The text of a list of token ids. Bytes that are not valid UTF-8 become U+FFFD."""
        ids = list(ids)
        bad = [i for i in ids if not (isinstance(i, (int, np.integer)) and 0 <= i < self.vocab_size)]
        if bad:
            raise ValueError(f"token ids must be integers in 0..{self.vocab_size - 1}; got {bad[:5]}")
        # BEGIN SOLUTION
        # HINT 1: every id stands for a byte string; join them, then turn the bytes back into text.
        # HINT 2: b"".join(self.vocab_[i] for i in ids).decode("utf-8", errors="replace")
        # HINT 3: a slice of a valid encoding may cut a character in half: errors="replace" keeps decode total.
        return b"".join(self.vocab_[i] for i in ids).decode("utf-8", errors="replace")
        # END SOLUTION


def compression_ratio(tokenizer, text):
    """UTF-8 bytes per token of ``text`` (1.0 for the untrained byte tokenizer)."""
    return len(text.encode("utf-8")) / max(len(tokenizer.encode(text)), 1)


# %% [markdown]
# ## Demo: train on the course's own docstrings, look at the merges and the compression


# %%
def main():
    train_text, val_text = train_val_split_text(course_text())
    sizes = (256, 300, 400, 512, 1024)
    if utils.quick_mode():
        train_text, val_text, sizes = train_text[:30_000], val_text[:5_000], sizes[:4]
    rows = []  # (V, merges, bytes per token on training text, on held-out text)
    for size in sizes:
        tokenizer = BPETokenizer().train(train_text, size)
        rows.append((size, len(tokenizer.merges_), compression_ratio(tokenizer, train_text), compression_ratio(tokenizer, val_text)))
    print(f"Trained on {len(train_text):,} characters of the course's docstrings; validation: the last {len(val_text):,}")
    print(format_table(["vocabulary size", "merges", "bytes per token (train)", "bytes per token (validation)"],
                       [[v, m, f"{a:.2f}", f"{b:.2f}"] for v, m, a, b in rows]))
    print()
    for label, tokens in (("first 10 merges", tokenizer.vocab_[256:266]), ("longest tokens", sorted(tokenizer.vocab_[256:], key=len)[-8:])):
        print(f"The {label}: " + " ".join(repr(t.decode("utf-8", errors="replace")) for t in tokens))

    sample = "Gradient descent finds the minimum. Größe, 大きさ, résumé and an emoji 🙂 were never seen."
    ids = tokenizer.encode(sample)
    print(f"\nA sentence with characters the training text never had ({len(sample.encode('utf-8'))} bytes -> {len(ids)} tokens):")
    pieces = [tokenizer.vocab_[i] for i in ids]  # a byte that is only part of a character is shown as <0x..>
    print("  " + "|".join(p.decode("utf-8") if p.isascii() else f"<0x{p.hex()}>" for p in pieces))
    print(f"  round trip exact: {tokenizer.decode(ids) == sample}; the emoji is 4 byte tokens: "
          f"{tokenizer.encode('🙂')} (no <unk> token is ever needed)")

    fig, ax = plotting.new_figure(1, 1, width=6, height=4, layout="tight")
    vocab_sizes, _, train_ratio, val_ratio = zip(*rows)
    ax.plot(vocab_sizes, train_ratio, "o-", label="training text")
    ax.plot(vocab_sizes, val_ratio, "s--", label="held-out text")
    ax.set(xlabel="vocabulary size V", ylabel="UTF-8 bytes per token", title="BPE compression grows with the merges")
    ax.legend()
    plotting.show_or_save(fig, "ex01_bpe_tokenizer")


if __name__ == "__main__":
    main()
