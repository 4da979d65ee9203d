"""Sentence provenance: the article a claim's evidence sentence comes from.

Document clusters catch whole copies. A round-up that prints paragraphs of two articles, or a live
blog that reposts them, is a copy of neither, so it stays a cluster of its own (or joins one of
them) and its copied sentences would add a source to every claim they state. Here a claim's
evidence sentence is looked up in every article, word for word or nearly: the articles that hold it
are its *holders*, one of them its *origin*, and the claim counts for the origin's cluster.

- Holding: the sentence's word 3-grams (``copy_shingle_words``), lower-cased and with punctuation
  dropped, are found in the article's text at ``copy_containment`` or more. A sentence shorter than
  ``copy_min_words`` words is never called a copy ("Russia denied it." is said independently).
- The origin is the earliest published holder when every holder has a date. Otherwise it is never
  an article made of others (``_is_composite``: a round-up reprinting two articles, a live blog
  reposting paragraphs of several) unless all holders are; of the rest, the longest (a piece that
  quotes a passage, an excerpt, a lead are shorter than what they quote), then the one that
  borrows least (the smallest share of its own claim sentences held by another cluster), then
  the fewest other clusters it shares sentences with, then its cluster's representative, then
  the earliest date, then the smallest ``doc_id``. Every sentence of one wording gets the same
  origin, so a reused sentence can never add a source; it only decides which article is named.
  ``bench/provenance.py`` measures how often the origin is right on the dedup benchmark's corpus.

The lookup indexes only claim sentences, and of each only a few 3-grams (prefix filtering: with
n 3-grams and containment c, any n - ceil(c*n) + 1 of them include one the holder has), so a pass
over the corpus costs one dictionary lookup per 3-gram of text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from datetime import date
from typing import Callable, Iterable, Mapping

SentenceRef = tuple[str, int]  # (doc_id, sentence_id)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def words(text: str) -> list[str]:
    """The words of a text, normalised for comparison: NFKC, lower case, one apostrophe, no
    punctuation."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower())


def shingles(tokens: list[str], k: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _rarity(shingle: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
    # long words are rarer than short ones: they make the fewest candidates
    return (-sum(len(w) for w in shingle), shingle)


class CopyFinder:
    """The articles holding each of a set of sentences: build it from the sentences, ``scan`` every
    article once, then read ``holders``."""

    def __init__(self, sentences: Mapping[SentenceRef, str], k: int, min_words: int, containment: float):
        self.k, self.containment = k, containment
        self.shingles: dict[SentenceRef, frozenset] = {}
        self.index: dict[tuple[str, ...], list[SentenceRef]] = defaultdict(list)
        for ref, text in sentences.items():
            tokens = words(text)
            if len(tokens) < max(min_words, k):
                continue
            grams = shingles(tokens, k)
            self.shingles[ref] = frozenset(grams)
            prefix = len(grams) - math.ceil(containment * len(grams)) + 1
            for gram in sorted(grams, key=_rarity)[:prefix]:
                self.index[gram].append(ref)
        self.found: dict[SentenceRef, set[str]] = defaultdict(set)
        self.sizes: dict[str, int] = {}  # doc_id -> its number of distinct word n-grams

    def scan(self, doc_id: str, text: str) -> None:
        """Record ``doc_id`` as a holder of every indexed sentence its text holds."""
        if not self.index:
            return
        grams = shingles(words(text), self.k)
        self.sizes[doc_id] = len(grams)
        candidates: set[SentenceRef] = set()
        for gram in grams:
            refs = self.index.get(gram)
            if refs:
                candidates.update(refs)
        for ref in candidates:
            own = self.shingles[ref]
            if len(own & grams) >= self.containment * len(own):
                self.found[ref].add(doc_id)

    def holders(self, ref: SentenceRef) -> set[str]:
        """The articles holding the sentence, its own always among them."""
        return self.found.get(ref, set()) | {ref[0]}


class Origins(dict):
    """The origin of each claim sentence (a ``dict`` from sentence to origin sentence; see the
    module docstring), and, through ``for_claim``, of each mention of a claim."""

    def __init__(self, origins, holders, grams, containment, rank):
        super().__init__(origins)
        self.holders, self.grams, self.containment, self._rank = holders, grams, containment, rank

    def for_claim(self, ref: SentenceRef, stating: Iterable[SentenceRef]) -> SentenceRef:
        """The origin of the mention of a claim in sentence ``ref``, given every sentence
        ``stating`` the claim. A round-up sentence can join two articles' sentences ("...; meanwhile,
        ..."): its origin is one article, but each of its claims comes from the article whose
        sentence states that claim. So when holders of ``ref`` state the claim in a sentence of
        this wording, the origin is chosen among those (and ``ref``'s own article) by the same
        order; when none does, it is the sentence's origin."""
        origin = self.get(ref, ref)
        mine = self.grams.get(ref)
        if not mine or origin == ref:
            return origin
        holders = self.holders.get(ref, ())
        matches: dict[str, list[SentenceRef]] = defaultdict(list)
        for other in stating:
            theirs = self.grams.get(other)
            if (other[0] != ref[0] and other[0] in holders and ref[0] in self.holders.get(other, ())
                    and theirs and len(mine & theirs) >= self.containment * min(len(mine), len(theirs))):
                matches[other[0]].append(other)
        if not matches or origin[0] in matches:
            return origin if not matches or origin in matches[origin[0]] else min(matches[origin[0]])
        doc = self._rank(set(matches) | {ref[0]})
        return ref if doc == ref[0] else min(matches[doc])


def choose_origins(
    refs: Iterable[SentenceRef],
    holders: Mapping[SentenceRef, set[str]],
    clusters: Mapping[str, str],
    published: Mapping[str, date | None],
    grams: Mapping[SentenceRef, frozenset] | None = None,
    representatives: set[str] | frozenset = frozenset(),
    sizes: Mapping[str, int] | None = None,
    containment: float = 0.6,
    forward: Mapping[SentenceRef, set[str]] | None = None,
) -> Origins:
    """The origin of each sentence (see the module docstring): the origin article and its own
    sentence of that wording when it is one of ``refs``, else sentence id -1. ``forward`` are the
    articles whose text holds each sentence, without those only held by it (``_hold_back``)."""
    refs = sorted(set(refs))
    grams = grams or {}
    cluster = lambda d: clusters.get(d, d)  # noqa: E731
    by_doc: dict[str, list[SentenceRef]] = defaultdict(list)
    for ref in refs:
        by_doc[ref[0]].append(ref)
    shared: dict[str, int] = defaultdict(int)
    partners: dict[str, set[str]] = defaultdict(set)
    for ref in refs:
        doc = ref[0]
        foreign = {cluster(d) for d in holders.get(ref, ())} - {cluster(doc)}
        if foreign:
            shared[doc] += 1
            partners[doc] |= foreign
    composite = _composites(by_doc, holders, forward if forward is not None else holders, cluster)

    def borrowing(doc: str) -> tuple:
        n_own = len(by_doc.get(doc, ()))
        share = shared[doc] / n_own if n_own else 1.0  # holds others' sentences, states none itself
        when = published.get(doc)
        size = (sizes or {}).get(doc, 0)
        return (composite.get(doc, False), -size, share, len(partners[doc]), doc not in representatives,
                when is None, when or date.min, doc)

    def rank(docs: set[str]) -> str:
        """The origin among articles holding one wording."""
        if all(published.get(d) is not None for d in docs):
            return min(docs, key=lambda d: (published[d], borrowing(d)))
        return min(docs, key=borrowing)

    origins: dict[SentenceRef, SentenceRef] = {}
    for ref in refs:
        origin = rank(set(holders.get(ref, ())) | {ref[0]})
        if origin == ref[0]:
            origins[ref] = ref
            continue
        # the origin's own sentence of this wording: one it holds that holds this one back
        same = [r for r in by_doc.get(origin, ()) if ref[0] in holders.get(r, ())]
        mine = grams.get(ref, frozenset())
        best = max(same, key=lambda r: (len(mine & grams.get(r, frozenset())), -r[1]), default=None)
        origins[ref] = best if best is not None else (origin, -1)
    return Origins(origins, holders, grams, containment, rank)


def _composites(
    by_doc: Mapping[str, list[SentenceRef]],
    holders: Mapping[SentenceRef, set[str]],
    forward: Mapping[SentenceRef, set[str]],
    cluster: Callable[[str], str],
) -> dict[str, bool]:
    """Which articles are made of others. A round-up holds all of a live blog that reposts the
    same articles, which would pass the blog for an original the round-up reprints whole; so the
    test is repeated with the articles already found composite left out of the holders, until no
    more are found (at most once per article; an article once found composite stays so)."""
    found: set[str] = set()
    for _ in range(len(by_doc)):
        new = {doc for doc in by_doc if doc not in found and _is_composite(doc, by_doc, holders, forward, cluster, found)}
        if not new:
            break
        found |= new
    return {doc: doc in found for doc in by_doc}


def _is_composite(
    doc: str,
    by_doc: Mapping[str, list[SentenceRef]],
    holders: Mapping[SentenceRef, set[str]],
    forward: Mapping[SentenceRef, set[str]],
    cluster: Callable[[str], str],
    left_out: set[str] | frozenset = frozenset(),
    share: float = 0.75,
) -> bool:
    """Whether ``doc`` is made of other articles: at least ``share`` of its claim sentences are held
    by other articles (or hold one of theirs), and no single cluster's articles hold them all in
    their text (a round-up of two articles, a live blog). An article reprinted whole inside a
    round-up is held by that round-up's cluster alone, and one with truncated or edited copies by
    its own cluster, so neither is composite; a round-up sentence joining two articles' sentences
    is held by neither whole, so it leaves none of them holding all. Copies of ``doc`` itself
    (each holding all of the other's claim sentences) and the articles in ``left_out`` are not
    counted as holders."""
    own = by_doc.get(doc, ())
    if len(own) < 2:
        return False
    mine = set(own)
    copies = {
        e for r in own for e in forward.get(r, ())
        if e != doc and all(e in forward.get(r2, ()) for r2 in own)
        and all(doc in forward.get(r2, ()) for r2 in by_doc.get(e, ()))
    }
    held_by = {
        r: {cluster(e) for e in holders.get(r, ()) if e != doc and e not in copies and e not in left_out}
        for r in mine
    }
    held = [r for r in mine if held_by[r]]
    if len(held) < share * len(own):
        return False
    return not set.intersection(*({cluster(e) for e in forward.get(r, ())} & held_by[r] for r in held))


def ref_name(ref: SentenceRef) -> str:
    """``doc_id:sentence_id``, or the ``doc_id`` alone when the sentence is not one of the claims'."""
    return f"{ref[0]}:{ref[1]}" if ref[1] >= 0 else ref[0]


def _hold_back(holders: dict[SentenceRef, set[str]], grams: Mapping[SentenceRef, frozenset], containment: float) -> None:
    """Make holding mutual between claim sentences. A round-up sentence that wraps a quoted one in
    words of its own ("According to a report published on Monday by ..., Pyongyang has sent ...")
    holds it, but is not held by it: its own 3-grams are not 60 % in the original. When a claim
    sentence of a holder contains this one, the holder's sentence is a copy of it, so this one's
    article holds that sentence too."""
    by_doc: dict[str, list[SentenceRef]] = defaultdict(list)
    for ref in grams:
        by_doc[ref[0]].append(ref)
    for ref, own in grams.items():
        need = containment * len(own)
        for doc in list(holders.get(ref, ())):
            if doc == ref[0]:
                continue
            for other in by_doc.get(doc, ()):
                if ref[0] not in holders[other] and len(own & grams[other]) >= need:
                    holders[other].add(ref[0])


def sentence_origins(
    sentences: Mapping[SentenceRef, str],
    articles: Iterable[tuple[str, str]],
    clusters: Mapping[str, str],
    published: Mapping[str, date | None],
    representatives: set[str] | frozenset = frozenset(),
    k: int = 3,
    min_words: int = 8,
    containment: float = 0.6,
) -> Origins:
    """The origin of each claim sentence, from one pass over ``(doc_id, text)`` pairs."""
    finder = CopyFinder(sentences, k, min_words, containment)
    for doc_id, text in articles:
        finder.scan(doc_id, text)
    holders = {ref: finder.holders(ref) for ref in sentences}
    forward = {ref: set(docs) for ref, docs in holders.items()}
    _hold_back(holders, finder.shingles, containment)
    return choose_origins(
        sentences, holders, clusters, published, finder.shingles, representatives, finder.sizes, containment, forward
    )
