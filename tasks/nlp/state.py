"""Where the components keep their results on a Doc.

Everything lives in ``doc.user_data['dossier']`` as plain lists and dicts (msgpack-serialisable), so
that results survive ``Doc.to_bytes`` when ``nlp.pipe`` runs in several processes.
"""

from __future__ import annotations

import datetime as dt

import numpy
from spacy.attrs import SENT_START
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


def token_norms(doc: Doc) -> list[str]:
    """Normalised token texts, computed once per doc and shared by the components (dropped at the end)."""
    state = get_state(doc)
    norms = state.get("norms")
    if norms is None or len(norms) != len(doc):
        norms = [norm_token(t.text) for t in doc]
        state["norms"] = norms
    return norms


def drop_scratch(doc: Doc) -> None:
    """Remove per-doc caches that need not travel with the Doc."""
    get_state(doc).pop("norms", None)


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
        bounds = []
        if doc.has_annotation("SENT_START"):
            spans = [(s.start, s.end) for s in doc.sents]
        else:
            spans = [(0, len(doc))]
        text = doc.text  # built once: Doc.text joins every token
        for start, end in spans:
            bounds.append([start, end, _is_heading(doc, text, start, end)])
        state["sents"] = bounds
    return state["sents"]


def token_sentence_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    for i, (start, end, _) in enumerate(sentences(doc)):
        for t in range(start, end):
            index[t] = i
    return index


def _is_heading(doc: Doc, text: str, start: int, end: int) -> bool:
    """A whole line without closing punctuation ('Executive Summary', 'Risks and Opportunities')."""
    words = [t for t in doc[start:end] if not t.is_space]
    if not words:
        return True
    first, last = words[0], words[-1]
    line_start = first.i == 0 or "\n" in doc[first.i - 1].text or (first.idx > 0 and text[first.idx - 1] == "\n")
    after = text[last.idx + len(last.text) : last.idx + len(last.text) + 1]
    line_end = last.i == len(doc) - 1 or after in ("\n", "") or "\n" in doc[last.i + 1].text
    if not (line_start and line_end):
        return False
    return last.text not in TERMINAL and last.text not in CLOSERS and last.text not in {":", ";"} and len(words) <= 25


def sentence_splitter_component(doc: Doc, starters: frozenset[str]) -> Doc:
    """Rule-based sentence boundaries: line breaks, terminal punctuation, abbreviation + sentence starter."""
    n = len(doc)
    if n == 0:
        return doc
    starts = [False] * n
    starts[0] = True
    for i in range(1, n):
        prev, tok = doc[i - 1], doc[i]
        if tok.is_space:
            continue
        if "\n" in prev.text or (prev.is_space and i >= 2 and "\n" in doc[i - 2].text_with_ws):
            starts[i] = True
            continue
        if "\n" in doc[i - 1].whitespace_ or prev.text_with_ws.endswith("\n"):
            starts[i] = True
            continue
        # walk back over closing quotes/brackets to the punctuation they follow
        j = i - 1
        while j > 0 and doc[j].text in CLOSERS and not doc[j - 1].whitespace_:
            j -= 1
        punct = doc[j].text
        opener = tok.text in {'"', "“", "‘", "'", "(", "—", "–", "-"}
        starter = tok.text[:1].isupper() or tok.text[:1].isdigit() or opener
        if punct in TERMINAL and starter and (doc[j].whitespace_ or doc[i - 1].whitespace_ or j != i - 1):
            starts[i] = True
        elif (
            len(punct) > 1
            and punct.endswith(".")
            and punct[:-1].replace(".", "").isalpha()
            and norm_token(tok.text) in starters
            and tok.text[:1].isupper()
            and prev.whitespace_
        ):
            starts[i] = True
    # one bulk write: setting Token.is_sent_start one by one re-checks the whole doc each time
    values = numpy.array([1 if s else -1 for s in starts], dtype="int64").astype("uint64").reshape(-1, 1)
    doc.from_array([SENT_START], values)
    return doc
