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


def _mosaic(base: list[str], rng: random.Random, k: int, n_sources: int = 4) -> str:
    """A unique article: the paragraphs of ``n_sources`` different real articles mixed (a headline
    of one of them), a few words changed. No two such articles share more than a paragraph or two,
    so neither dedup nor the per-article NLP cache treats them as copies."""
    picks = rng.sample(range(len(base)), n_sources)
    lines = base[picks[0]].split("\n")
    paragraphs = []
    for j in picks:
        body = [ln for ln in base[j].split("\n")[1:] if ln.strip()]
        paragraphs += rng.sample(body, max(1, len(body) // n_sources)) if body else []
    rng.shuffle(paragraphs)
    changed = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        for _ in range(max(1, len(words) // 15)):
            words[rng.randrange(len(words))] = rng.choice(_WORDS)
        changed.append(" ".join(words))
    return f"{lines[0]} ({k})\n" + "\n".join(changed)


def build_corpus(target: Path, n: int, seed: int = 7, unique: bool = False) -> dict:
    """Write ``n`` articles under ``target``: BBC articles, then to reach ``n`` either varied copies of
    them (shuffled paragraphs, a few words changed) or, with ``unique``, mosaics of several of them."""
    rng = random.Random(seed)
    base = bbc_articles()
    source = ("bbc-unique" if unique else "bbc-varied") if base else "synthetic"
    target.mkdir(parents=True, exist_ok=True)
    n_words = 0
    for i in range(n):
        if base and i < len(base):
            text = base[i]
        elif base and unique:
            text = _mosaic(base, rng, i)
        elif base:
            text = _vary(base[i % len(base)], rng, i // len(base))
        else:
            text = _synthetic(rng)
        n_words += len(text.split())
        (target / f"{i:06d}.txt").write_text(text, "utf-8")
    return {"n_documents": n, "n_words": n_words, "source": source}
