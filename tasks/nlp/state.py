"""Where the components keep their results on a Doc.

Everything lives in ``doc.user_data['dossier']`` as plain lists and dicts (msgpack-serialisable), so
that results survive ``Doc.to_bytes`` when ``nlp.pipe`` runs in several processes.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LENGTH, SENT_START, SPACY
from spacy.tokens import Doc

from .text import norm_token

KEY = "dossier"
TERMINAL = frozenset({".", "!", "?", "…", "?!", "!?"})
CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})


def get_state(doc: Doc) -> dict:
    state = doc.user_data.get(KEY)
    if state is None:
        state = {"mentions": [], "quantities": [], "quotes": [], "claims": [], "roles": {}}
        doc.user_data[KEY] = state
    return state


_cached_norm = lru_cache(maxsize=200_000)(norm_token)


class TokenTable:
    """Plain-Python columns of a Doc's tokens, read once with ``Doc.to_array``.

    Creating a ``Token`` object per access (``doc[i].text``) is the main cost of rule loops over a
    Doc; the components read these lists instead.
    """

    __slots__ = ("n", "text", "texts", "idx", "ends", "ws", "is_space", "is_punct", "is_alpha")

    def __init__(self, doc: Doc):
        text = doc.text
        self.text = text
        self.n = len(doc)
        if self.n:
            idx, length, spacy_, space, punct, alpha = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE, IS_PUNCT, IS_ALPHA]).T.tolist()
        else:
            idx = length = spacy_ = space = punct = alpha = []
        self.idx = idx
        self.ends = [a + n for a, n in zip(idx, length)]
        self.texts = [text[a:b] for a, b in zip(idx, self.ends)]
        self.ws = [" " if v else "" for v in spacy_]
        self.is_space = [v == 1 for v in space]
        self.is_punct = [v == 1 for v in punct]
        self.is_alpha = [v == 1 for v in alpha]


def token_table(doc: Doc) -> TokenTable:
    """The doc's TokenTable, built once per doc and shared by the components (dropped at the end)."""
    state = get_state(doc)
    table = state.get("tokens")
    if table is None or table.n != len(doc):
        table = TokenTable(doc)
        state["tokens"] = table
    return table


def token_norms(doc: Doc) -> list[str]:
    """Normalised token texts, computed once per doc and shared by the components (dropped at the end)."""
    state = get_state(doc)
    norms = state.get("norms")
    if norms is None or len(norms) != len(doc):
        norms = [_cached_norm(t) for t in token_table(doc).texts]
        state["norms"] = norms
    return norms


def drop_scratch(doc: Doc) -> None:
    """Remove per-doc caches that need not travel with the Doc."""
    state = get_state(doc)
    state.pop("norms", None)
    state.pop("tokens", None)
    state.pop("sent_of", None)


def context_published(doc: Doc) -> dt.date | None:
    """The publication date passed as context to ``nlp.pipe(..., as_tuples=True)`` (or set on user_data)."""
    ctx = getattr(doc, "_context", None)
    value = None
    if isinstance(ctx, dict):
        value = ctx.get("published")
    if value is None:
        value = doc.user_data.get("published")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def sentences(doc: Doc) -> list[list]:
    """[start_token, end_token, is_heading] per sentence, computed once per doc."""
    state = get_state(doc)
    if "sents" not in state:
        n = len(doc)
        if n and doc.has_annotation("SENT_START"):
            starts = [i for i, v in enumerate(doc.to_array([SENT_START]).tolist()) if v == 1 or i == 0]
            spans = list(zip(starts, starts[1:] + [n]))
        else:
            spans = [(0, n)]
        tok = token_table(doc)
        state["sents"] = [[start, end, _is_heading(tok, start, end)] for start, end in spans]
    return state["sents"]


def token_sentence_index(doc: Doc) -> list[int]:
    state = get_state(doc)
    index = state.get("sent_of")
    if index is None or len(index) != len(doc):
        index = [0] * len(doc)
        for i, (start, end, _) in enumerate(sentences(doc)):
            index[start:end] = [i] * (end - start)
        state["sent_of"] = index
    return index


def _is_heading(tok: TokenTable, start: int, end: int) -> bool:
    """A whole line without closing punctuation ('Executive Summary', 'Risks and Opportunities')."""
    words = [i for i in range(start, end) if not tok.is_space[i]]
    if not words:
        return True
    first, last = words[0], words[-1]
    text, texts = tok.text, tok.texts
    line_start = first == 0 or "\n" in texts[first - 1] or (tok.idx[first] > 0 and text[tok.idx[first] - 1] == "\n")
    after = text[tok.ends[last] : tok.ends[last] + 1]
    line_end = last == tok.n - 1 or after in ("\n", "") or "\n" in texts[last + 1]
    if not (line_start and line_end):
        return False
    last_text = texts[last]
    return last_text not in TERMINAL and last_text not in CLOSERS and last_text not in {":", ";"} and len(words) <= 25


def sentence_splitter_component(doc: Doc, starters: frozenset[str]) -> Doc:
    """Rule-based sentence boundaries: line breaks, terminal punctuation, abbreviation + sentence starter."""
    n = len(doc)
    if n == 0:
        return doc
    tok = token_table(doc)  # the tokens are fixed by now: the later components reuse the table
    texts, ws, is_space = tok.texts, tok.ws, tok.is_space
    starts = [False] * n
    starts[0] = True
    # only tokens after a line break or after sentence punctuation can start a sentence
    candidates = set()
    for i in range(1, n):
        prev = texts[i - 1]
        if "\n" in prev or is_space[i - 1] or prev in TERMINAL or prev in CLOSERS or prev.endswith("."):
            candidates.add(i)
    for i in sorted(candidates):
        if is_space[i]:
            continue
        prev = texts[i - 1]
        if "\n" in prev or (is_space[i - 1] and i >= 2 and "\n" in texts[i - 2] + ws[i - 2]):
            starts[i] = True
            continue
        if (prev + ws[i - 1]).endswith("\n"):
            starts[i] = True
            continue
        # walk back over closing quotes/brackets to the punctuation they follow
        j = i - 1
        while j > 0 and texts[j] in CLOSERS and not ws[j - 1]:
            j -= 1
        punct = texts[j]
        cur = texts[i]
        opener = cur in {'"', "“", "‘", "'", "(", "—", "–", "-"}
        starter = cur[:1].isupper() or cur[:1].isdigit() or opener
        if punct in TERMINAL and starter and (ws[j] or ws[i - 1] or j != i - 1):
            starts[i] = True
        elif (
            len(punct) > 1
            and punct.endswith(".")
            and punct[:-1].replace(".", "").isalpha()
            and norm_token(cur) in starters
            and cur[:1].isupper()
            and ws[i - 1]
        ):
            starts[i] = True
    # one bulk write: setting Token.is_sent_start one by one re-checks the whole doc each time
    values = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64").reshape(-1, 1)
    doc.from_array([SENT_START], values)
    return doc
