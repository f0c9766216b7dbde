"""The C sketch kernel (core/_sketch.c) gives the NumPy reference's keys, bit for bit: the same
keys mean the same candidate pairs, the same findings, and index caches that either build can
read. Compared on real abstracts, on the words-count edges of every key, and on random text
full of the punctuation the word rule treats apart."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperls.core import index, sketch
from paperls.core.normalize import normalize

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def reference(texts: list[str]) -> np.ndarray:
    sig, nwords, edges = sketch.signatures(texts)
    return np.concatenate((sketch.band_keys(sig, nwords), edges), axis=1)


def native(texts: list[str]) -> np.ndarray:
    out = np.empty((len(texts), sketch.KEYS), dtype=np.uint64)
    sketch._native.keys(texts, out)
    return out


pytestmark = pytest.mark.skipif(
    os.environ.get("PAPERLS_SKETCH") == "numpy", reason="the NumPy sketch was asked for")


def test_the_kernel_is_built() -> None:
    # setup.py builds it wherever a C compiler is found: CI must not fall back unnoticed.
    assert sketch.native()
    assert sketch._native.KEYS == sketch.KEYS


def test_same_keys_on_the_example_lists() -> None:
    texts = [normalize(line[9:]) for p in sorted(EXAMPLES.glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines()
             if line.startswith("Abstract:")]
    assert len(texts) == 17
    ref = reference(texts)
    assert (ref != 0).any(axis=1).all()  # every one has keys: the comparison is not of zeros
    assert np.array_equal(native(texts), ref)


def test_same_keys_at_every_word_count_edge() -> None:
    # 0-40 words: no shingle, one partial shingle, MIN_WORDS, the openings, SHORT_WORDS,
    # EDGE_WORDS; words joined by every kind of separator the word rule skips.
    seps = [" ", ", ", " \u2014 ", "\u00a0", " \u00d7 ", "\u2192", "-", " (", "\u00b0"]
    words = "graph neural networks learn node représentations from 3d point clouds ω".split()
    texts = []
    for n in range(41):
        for k, sep in enumerate(seps):
            texts.append(sep.join(words[(i + k) % len(words)] for i in range(n)))
    assert np.array_equal(native(texts), reference(texts))
    assert np.array_equal(index.text_keys(texts), reference(texts))


_ALPHABET = st.sampled_from(
    list("abcxyz019 .,;-()\t") + ["\u00a0", "\u00b7", "\u00bf", "\u00c0", "\u00d7", "\u00f7",
                                 "\u00e9", "\u2013", "\u2014", "\u201c", "\u2026", "\u206f",
                                 "\u2070", "\u2190", "\u2212", "\u22ff", "\u2300", "\u03b1",
                                 "\U0001d400", "\ud800", "\udfff", "\u4e2d"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_ALPHABET, max_size=400).map("".join), min_size=1, max_size=12))
def test_same_keys_on_random_text(texts: list[str]) -> None:
    assert np.array_equal(native(texts), reference(texts))


def test_a_long_text() -> None:
    text = " ".join(f"w{i % 997}x{i % 13}" for i in range(200_000))  # 1.5 MB, 200k words
    assert np.array_equal(native([text, "", text[:5000]]), reference([text, "", text[:5000]]))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(TypeError):
        sketch._native.keys(["a text", 3], np.empty((2, sketch.KEYS), dtype=np.uint64))
    with pytest.raises(ValueError):
        sketch._native.keys(["a text"], np.empty((2, sketch.KEYS), dtype=np.uint64))
