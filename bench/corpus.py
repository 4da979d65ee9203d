"""Benchmark corpora: real BBC articles when the shared corpus is present, else generated text.

Used by the benchmarks in this folder; never copied into the project.
"""

from __future__ import annotations

import random
from pathlib import Path

BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_WORDS = (
    "the of and to in a is that for on with as by officials said government minister country "
    "military troops missiles shells artillery report week year million thousands support war "
    "defence agreement visit capital border forces talks economy sanctions analysts according"
).split()


def bbc_articles() -> list[str]:
    """Every BBC article text (headline first line), sorted by path; empty when absent."""
    if not BBC.is_dir():
        return []
    return [p.read_text("utf-8", errors="replace") for p in sorted(BBC.rglob("*.txt")) if p.parent != BBC]


def _synthetic(rng: random.Random, n_words: int = 400) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < n_words:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 25))]
        sentences.append(" ".join(words).capitalize() + ".")
    return "Headline " + str(rng.randint(0, 10**9)) + "\n" + " ".join(sentences)


def _vary(text: str, rng: random.Random, k: int) -> str:
    """A distinct article built from a real one: paragraphs shuffled, a few words changed."""
    lines = text.split("\n")
    head, body = lines[0], [ln for ln in lines[1:] if ln.strip()]
    rng.shuffle(body)
    words = " ".join(body).split(" ")
    for _ in range(max(1, len(words) // 15)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(_WORDS)
    return f"{head} ({k})\n" + " ".join(words)


def build_corpus(target: Path, n: int, seed: int = 7) -> dict:
    """Write ``n`` articles under ``target``: BBC articles, then varied copies of them to reach ``n``."""
    rng = random.Random(seed)
    base = bbc_articles()
    source = "bbc" if base else "synthetic"
    target.mkdir(parents=True, exist_ok=True)
    n_words = 0
    for i in range(n):
        if base and i < len(base):
            text = base[i]
        elif base:
            text = _vary(base[i % len(base)], rng, i // len(base))
        else:
            text = _synthetic(rng)
        n_words += len(text.split())
        (target / f"{i:06d}.txt").write_text(text, "utf-8")
    return {"n_documents": n, "n_words": n_words, "source": source}
