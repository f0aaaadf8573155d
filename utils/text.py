"""Texts and generated sequence tasks for module 07 (transformers), all offline.

- ``course_text()``: the module docstrings of the curriculum's exercises in modules
  00-06, joined by blank lines: about 200,000 characters of English prose with
  formulas, written for this repository (MIT licence), so nothing is downloaded.
- ``make_analogy_corpus(n, rng)``: sentences whose words have two hidden attributes, for word2vec.
- ``char_vocabulary``, ``random_windows``, ``bigram_cross_entropy``: a text as character ids,
  random training windows, and the bigram baseline of a character-level language model.
- ``make_dates(n, rng)``: written dates ("3rd of March 1997") and their ISO form
  ("1997-03-03"), for a sequence-to-sequence transformer.

The exercises read these as data; how a text is tokenised is each exercise's business.
"""

import ast
import datetime

import numpy as np

from utils import REPO_ROOT

__all__ = ["course_text", "train_val_split_text", "make_dates", "DATE_FORMATS", "make_analogy_corpus", "PEOPLE", "PLACES",
           "char_vocabulary", "random_windows", "bigram_cross_entropy"]

COURSE_MODULES = ("00-", "01-", "02-", "03-", "04-", "05-", "06-")

def course_text(modules=COURSE_MODULES):
    """The docstrings of every exercise script in ``modules`` (folder prefixes), in curriculum order."""
    pieces = []
    for folder in sorted(p for p in REPO_ROOT.iterdir() if p.is_dir() and p.name.startswith(tuple(modules))):
        for path in sorted(folder.rglob("ex[0-9][0-9]_*.py")):
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            if docstring:
                pieces.append(docstring.strip())
    if not pieces:
        raise ValueError(f"no exercise docstrings found in module folders starting with {modules}")
    return "\n\n".join(pieces)

def train_val_split_text(text, val_fraction=0.1):
    """(train, validation): the last ``val_fraction`` of the text is held out, in one piece."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1); got {val_fraction!r}")
    cut = int(round(len(text) * (1 - val_fraction)))
    return text[:cut], text[cut:]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

def _ordinal(day):
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"

# Each format turns a datetime.date into one written form.
DATE_FORMATS = (
    lambda d: f"{_ordinal(d.day)} of {MONTHS[d.month - 1]} {d.year}",  # 3rd of March 1997
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",  # March 3, 1997
    lambda d: f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}",  # 3 Mar 1997
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",  # 03/03/1997 (day first)
    lambda d: f"{MONTHS[d.month - 1].lower()} {_ordinal(d.day)}, {d.year}",  # march 3rd, 1997
    lambda d: f"{d.day}.{d.month}.{str(d.year)[2:]}",  # 3.3.97 (years 1950-2049: 50-99 are 19xx)
)

def make_dates(n_dates, rng, split=None, first_year=1950, last_year=2049):
    """(written, iso): two lists of n_dates strings, a uniformly random day and a random written format.

    split="test" draws only every tenth day (day number divisible by 10), split="train" only
    the other days, so a model trained on "train" is tested on days it never saw; None: any day.
    Two-digit years (format "3.3.97") read 50-99 as 1950-1999 and 00-49 as 2000-2049, so
    the default range keeps every written date unambiguous.
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None, 'train' or 'test'; got {split!r}")
    start = datetime.date(first_year, 1, 1).toordinal()
    stop = datetime.date(last_year, 12, 31).toordinal()
    days = rng.integers(start, stop + 1, size=n_dates)
    if split is not None:
        wrong = (days % 10 == 0) != (split == "test")
        while wrong.any():  # draw again until every day belongs to the split
            days[wrong] = rng.integers(start, stop + 1, size=int(wrong.sum()))
            wrong = (days % 10 == 0) != (split == "test")
    formats = rng.integers(0, len(DATE_FORMATS), size=n_dates)
    written, iso = [], []
    for day, fmt in zip(days, formats):
        date = datetime.date.fromordinal(int(day))
        written.append(DATE_FORMATS[fmt](date))
        iso.append(date.isoformat())
    return written, iso


# Words with two hidden attributes each, for word2vec's analogies: a word's contexts carry its
# attributes, so its vector can become (attribute 1) + (attribute 2), and b - a + c lands on d.
PEOPLE = {  # word: (gender, rank)
    "king": ("male", "royal"), "queen": ("female", "royal"), "prince": ("male", "young royal"),
    "princess": ("female", "young royal"), "man": ("male", "common"), "woman": ("female", "common"),
    "boy": ("male", "young"), "girl": ("female", "young"),
}
PLACES = {  # word: (kind, language)
    "paris": ("city", "french"), "france": ("country", "french"), "rome": ("city", "italian"),
    "italy": ("country", "italian"), "madrid": ("city", "spanish"), "spain": ("country", "spanish"),
    "berlin": ("city", "german"), "germany": ("country", "german"), "tokyo": ("city", "japanese"),
    "japan": ("country", "japanese"),
}
_CONTEXTS = {
    "male": ("he", "his", "him", "himself"), "female": ("she", "her", "hers", "herself"),
    "royal": ("crown", "throne", "palace", "reign"), "young royal": ("crown", "palace", "school", "toys"),
    "common": ("job", "house", "street", "work"), "young": ("school", "toys", "games", "small"),
    "city": ("streets", "mayor", "district", "downtown"), "country": ("border", "nation", "government", "province"),
    "french": ("french", "baguette"), "italian": ("italian", "pasta"), "spanish": ("spanish", "paella"),
    "german": ("german", "pretzel"), "japanese": ("japanese", "sushi"),
}
_FILLERS = ("the", "a", "and", "of", "in", "with", "was", "is", "to", "that")


def make_analogy_corpus(n_sentences, rng, sentence_length=8):
    """A list of n_sentences lists of words: one subject word, context words of its two attributes, fillers.

    Example: ['the', 'queen', 'and', 'her', 'throne', 'with', 'she', 'palace']. Subjects are
    the words of PEOPLE and PLACES; every other word is a context or a filler.
    """
    subjects = list(PEOPLE) + list(PLACES)
    attributes = {**PEOPLE, **PLACES}
    sentences = []
    for _ in range(n_sentences):
        subject = subjects[rng.integers(len(subjects))]
        pool = [w for a in attributes[subject] for w in _CONTEXTS[a]]
        words = [subject] + [pool[i] for i in rng.integers(0, len(pool), size=sentence_length // 2)]
        words += [_FILLERS[i] for i in rng.integers(0, len(_FILLERS), size=sentence_length - len(words))]
        order = rng.permutation(len(words) - 1) + 1  # the context words and fillers in random order
        words = [words[0]] + [words[i] for i in order]
        cut = int(rng.integers(0, sentence_length))  # the subject at a random place in the sentence
        sentences.append(words[1 : cut + 1] + [words[0]] + words[cut + 1 :])
    return sentences


# Helpers for character-level language models (ex04, ex05 and the benchmark).


def char_vocabulary(text):
    """(chars, ids): the sorted distinct characters of text, and text as an int array of their indices."""
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    return chars, np.array([index[c] for c in text], dtype=int)


def random_windows(ids, batch_size, block_size, rng):
    """(inputs, targets), each (B, T): random windows of ids, the targets shifted by one position."""
    starts = rng.integers(0, len(ids) - block_size, size=batch_size)  # (B,)
    windows = ids[starts[:, None] + np.arange(block_size + 1)]  # (B, T + 1)
    return windows[:, :-1], windows[:, 1:]


def bigram_cross_entropy(train_ids, val_ids, vocab_size, alpha=0.1):
    """The baseline: held-out cross-entropy (nats per id) of add-alpha smoothed bigram counts.

    P(b | a) = (count(a b) + alpha) / (count(a) + alpha V), counted on train_ids; alpha keeps
    pairs never seen in training above probability 0.
    """
    counts = np.full((vocab_size, vocab_size), float(alpha))  # (V, V)
    np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)
    log_probs = np.log(counts / counts.sum(axis=1, keepdims=True))  # (V, V)
    return float(-np.mean(log_probs[val_ids[:-1], val_ids[1:]]))
