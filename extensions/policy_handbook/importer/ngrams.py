"""Character n-gram TF-IDF vectors and cosine similarity: small, exact, no dependency.

Japanese has no spaces, so character bigrams and trigrams are the usual unit for
short-text similarity (the 条文対応 literature uses the same); a few hundred
clauses need no sparse-matrix library.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

_NOISE = re.compile(r"[\s、。，．・「」『』（）()〔〕【】\[\]:：;；!！?？\-－ー0-9]+")

Vector = dict[str, float]


def normalise(text: str) -> str:
    return _NOISE.sub(" ", unicodedata.normalize("NFKC", text)).lower()


def grams(text: str, sizes: tuple[int, ...] = (2, 3)) -> Counter[str]:
    out: Counter[str] = Counter()
    for chunk in normalise(text).split():
        for n in sizes:
            for i in range(len(chunk) - n + 1):
                out[chunk[i : i + n]] += 1
    return out


class Space:
    """IDF weights learnt from a set of texts; vectors are L2-normalised."""

    def __init__(self, texts: list[str]):
        df: Counter[str] = Counter()
        for t in texts:
            df.update(set(grams(t)))
        n = len(texts) or 1
        self.idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
        self.default_idf = math.log(1 + n) + 1.0

    def vector(self, text: str) -> Vector:
        counts = grams(text)
        vec = {g: (1 + math.log(c)) * self.idf.get(g, self.default_idf) for g, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}


def cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())
