"""The trained tagger and dependency parser, run only on the sentences that can hold a claim or a quote.

A trained parser is about a hundred times slower than the tokenizer, and most sentences of a news
corpus hold nothing we extract. The cheap components run first (sentences, gazetteer entities,
quantities); this component then picks the sentences with an actor mention and a trigger word, or a
quotation mark, parses each of them as a small Doc with the trained pipeline (``models/``), and
writes the tags, Universal POS, heads and labels back into the article's Doc. Sentence boundaries
inside a parsed sentence are the parser's; the others stay the rule splitter's. Tokens of sentences
not parsed keep no head (``token.dep_ == ""``): code that reads the parse asks ``is_parsed(sent)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import DEP, HEAD, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from .resources import load_data
from .state import get_state, sentences, token_norms, token_sentence_index, token_table
from .syntax import relation

ROOT = Path(__file__).resolve().parents[2]
MODEL_NAME = "dossier"  # the ``nlp_model`` setting that means the pipeline below, parsed selectively
MODEL_DIR = ROOT / "models" / "en_dossier_parser"
ACTOR_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
QUOTE_MARKS = frozenset('"“”«»„')
PARSE_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "parser")
PARSE_ATTRS = [HEAD, DEP, TAG, POS, SENT_START]


class Triggers:
    """What makes a sentence a claim candidate: one of the predicates' trigger words, or every word of
    one of their phrasal triggers ('paid a visit': 'paid' alone is not enough). (Speech verbs alone
    hold no claim; a quote has its quotation marks.)"""

    def __init__(self, words: frozenset[str], phrases: tuple[frozenset[str], ...]):
        self.words = words
        self.phrases = phrases
        self.phrase_words = frozenset().union(*phrases) if phrases else frozenset()

    def found_in(self, words: list[str]) -> bool:
        if any(w in self.words for w in words):
            return True
        present = self.phrase_words.intersection(words)
        return bool(present) and any(p <= present for p in self.phrases)


@lru_cache(maxsize=1)
def trigger_words() -> Triggers:
    """The predicates' trigger words (verbs and nouns, of the word rules and of the claim grammar's
    frames) and phrasal triggers, lower-case."""
    from .frames import grammar  # frames reads this module's labels

    triggers = load_data("triggers")
    g = grammar()
    words = set(g.verbs) | set(g.nouns) | set(g.receive_nouns) | set(g.agent_nouns) | set(g.reliance)
    for entry in triggers["predicates"].values():
        words.update(w.lower() for w in entry.get("verbs", []) + entry.get("nouns", []))
    phrases = {frozenset(t.lower() for t in phrase["tokens"]) for phrase in triggers.get("phrasal", [])}
    return Triggers(frozenset(words), tuple(sorted(phrases, key=sorted)))


def needs_parse(sent: Span, triggers: Triggers) -> bool:
    """A sentence is parsed when a quotation opens inside it (quoted words within a sentence, whose
    speaker is the subject of the verb they hang on), or when it has an actor mention (or a place the
    gazetteer ties to a state) and a trigger word. A sentence that is a quotation followed by its
    attribution ('"...," Kim said.') needs no parse: the word rules read it. (The rule itself is
    ``_candidates``, which the parser runs.)"""
    return _candidates(sent.doc, [[sent.start, sent.end, False]], triggers) == [0]


def is_parsed(sent: Span) -> bool:
    """Whether the parser ran on this sentence (its root is labelled as one)."""
    return relation(sent.root) == "root"


def model_path(model: str) -> str | Path:
    return MODEL_DIR if model == MODEL_NAME else model


class SelectiveParser:
    """Parse the candidate sentences of each Doc with a trained pipeline sharing the Doc's vocab."""

    def __init__(self, nlp: Language, name: str = "dossier_parse", model: str = str(MODEL_DIR),
                 batch_size: int = 256):
        self.name = name
        if not Path(model).exists():
            raise ValueError(f"trained parser not found at {model}: run `make model` or use --nlp-model blank")
        self.parser = spacy.load(model, vocab=nlp.vocab)
        missing = [c for c in ("tagger", "parser") if c not in self.parser.pipe_names]
        if missing:
            raise ValueError(f"{model} has no {', '.join(missing)}: it is not a tagger and parser pipeline")
        self.pos_rules = PosRules.compile(self.parser.get_pipe("attribute_ruler")) if "attribute_ruler" in self.parser.pipe_names else None
        skip = {"attribute_ruler"} if self.pos_rules else set()
        self.steps = [(n, p) for n, p in self.parser.pipeline if n in PARSE_COMPONENTS and n not in skip]
        self.vocab = nlp.vocab
        self.batch_size = batch_size
        self.triggers = trigger_words()
        self.counts = {"sentences": 0, "parsed": 0, "words_parsed": 0}

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._parse_batch(batch)
                batch = []
        if batch:
            yield from self._parse_batch(batch)

    def _parse_batch(self, docs: list[Doc]) -> list[Doc]:
        chosen: list[tuple[int, int, int]] = []
        parsed: list[Doc] = []
        for n, doc in enumerate(docs):
            bounds = sentences(doc)
            self.counts["sentences"] += len(bounds)
            table = token_table(doc)
            for a, b, _ in (bounds[i] for i in _candidates(doc, bounds, self.triggers)):
                # the paragraph break a sentence ends on is no word: the treebanks hold none, and a parser
                # trained on them makes it the sentence's root ('... has become one of the top buyers\n\n')
                end = b
                while end > a + 1 and table.texts[end - 1].isspace():
                    end -= 1
                chosen.append((n, a, end, b))
                # a new Doc of the sentence's words: Span.as_doc copies every annotation and costs ten times more
                parsed.append(Doc(self.vocab, words=table.texts[a:end], spaces=[w == " " for w in table.ws[a:end]],
                                  sent_starts=[True] + [False] * (end - a - 1)))
        if not chosen:
            return docs
        for _, proc in self.steps:
            parsed = list(proc.pipe(parsed, batch_size=self.batch_size))
        self.counts["parsed"] += len(chosen)
        self.counts["words_parsed"] += sum(len(p) for p in parsed)
        arrays = [p.to_array(PARSE_ATTRS) for p in parsed]
        if self.pos_rules:
            self.pos_rules.apply(arrays)
        by_doc: dict[int, list[tuple[int, int, numpy.ndarray]]] = {}
        for (n, a, end, b), values in zip(chosen, arrays):
            if b > end:
                values = numpy.concatenate([values, self._space_rows(b - end)])
            by_doc.setdefault(n, []).append((a, b, values))
        for n, stretches in by_doc.items():
            _write_arrays(docs[n], stretches)
            _resentence(docs[n])
        return docs

    def _space_rows(self, spaces: int) -> numpy.ndarray:
        """PARSE_ATTRS rows for the whitespace tokens after the words of a parsed sentence: each
        hangs on the last word as spaCy's own English pipelines hang them ('dep', tag '_SP', SPACE)."""
        strings = self.vocab.strings
        rows = numpy.zeros((spaces, len(PARSE_ATTRS)), dtype="uint64")
        rows[:, 0] = (-numpy.arange(1, spaces + 1, dtype="int64")).view("uint64")
        rows[:, 1] = strings.add("dep")
        rows[:, 2] = strings.add("_SP")
        rows[:, 3] = strings.add("SPACE")
        return rows


class PosRules:
    """The model's attribute ruler (PTB tag, and dependency label where a tag covers two, -> UPOS) run
    as array lookups over all the parsed sentences of a batch at once. The ruler's own Matcher costs
    as much as the tagger and parser together on short sentences; the rules are the ruler's, read from
    it, later rules winning as in the ruler. A ruler with any other kind of pattern runs as itself."""

    def __init__(self, rules: list[tuple[numpy.ndarray | None, numpy.ndarray | None, int]]):
        self.rules = rules

    @classmethod
    def compile(cls, ruler) -> PosRules | None:
        strings = ruler.vocab.strings
        rules = []
        for entry in ruler.patterns:
            if set(entry["attrs"]) - {"POS", "MORPH"} or "POS" not in entry["attrs"]:
                return None
            for pattern in entry["patterns"]:
                if len(pattern) != 1 or set(pattern[0]) - {"TAG", "DEP"}:
                    return None
                values = []
                for key in ("TAG", "DEP"):
                    spec = pattern[0].get(key)
                    if isinstance(spec, dict) and set(spec) == {"IN"}:
                        spec = spec["IN"]
                    elif isinstance(spec, str):
                        spec = [spec]
                    elif spec is not None:
                        return None
                    values.append(None if spec is None else numpy.array([strings.add(v) for v in spec], dtype="uint64"))
                rules.append((values[0], values[1], strings.add(entry["attrs"]["POS"])))
        return cls(rules)

    def apply(self, arrays: list[numpy.ndarray]) -> None:
        """Set the POS column of each (HEAD, DEP, TAG, POS, SENT_START) array in place."""
        if not arrays:
            return
        joined = numpy.concatenate(arrays)
        dep, tag, pos = joined[:, 1], joined[:, 2], joined[:, 3]
        pos[:] = 0
        for tags, deps, value in self.rules:
            mask = numpy.ones(len(joined), dtype=bool)
            if tags is not None:
                mask &= numpy.isin(tag, tags)
            if deps is not None:
                mask &= numpy.isin(dep, deps)
            pos[mask] = value
        k = 0
        for values in arrays:
            values[:, 3] = pos[k : k + len(values)]
            k += len(values)


def _candidates(doc: Doc, bounds: list, triggers: Triggers) -> list[int]:
    """Indices of the sentences to parse (the rule ``needs_parse`` states), read from the shared token tables (no Span or
    Token objects: this runs over every sentence of every article)."""
    norms = token_norms(doc)
    actor = [False] * len(doc)
    for e in doc.ents:
        if e.label_ in ACTOR_LABELS:
            actor[e.start : e.end] = [True] * (e.end - e.start)
    for m in get_state(doc).get("mentions", []):
        if m.get("state"):  # a place of a known state stands for it ('strikes ... in the Lviv region')
            actor[m["s"] : m["e"]] = [True] * (m["e"] - m["s"])
    picked = []
    for i, (a, b, _) in enumerate(bounds):
        words = norms[a:b]
        marks = [k for k, w in enumerate(words) if w in QUOTE_MARKS]
        if (marks and marks[0] > 0) or (any(actor[a:b]) and triggers.found_in(words)):
            picked.append(i)
    return picked


def _resentence(doc: Doc) -> None:
    """After the parse moved sentence boundaries: the shared sentence tables are rebuilt and the
    mentions found before the parse take their new sentence numbers."""
    state = get_state(doc)
    state.pop("sents", None)
    state.pop("sent_of", None)
    sent_of = token_sentence_index(doc)
    for m in state.get("mentions", []):
        if "sent" in m:
            m["sent"] = sent_of[m["s"]]


def write_parse(doc: Doc, pairs: list[tuple[Span, Doc]]) -> None:
    """Copy tags, POS, heads and labels of parsed sentence Docs into ``doc``; sentence starts of the
    parsed stretches become the parser's, the rest stay as they were."""
    _write_arrays(doc, [(sent.start, sent.end, sent_doc.to_array(PARSE_ATTRS)) for sent, sent_doc in pairs])


def _write_arrays(doc: Doc, stretches: list[tuple[int, int, numpy.ndarray]]) -> None:
    """``write_parse`` from (start, end, PARSE_ATTRS array) stretches. (Arrays, not token loops: this
    runs for every article with a parsed sentence.)"""
    starts = doc.to_array([SENT_START]).astype("int64")
    starts[starts == 0] = -1
    starts[0] = 1
    values = numpy.zeros((len(doc), 4), dtype="uint64")  # HEAD offsets (as uint64), DEP, TAG, POS
    for a, b, parsed in stretches:
        values[a:b] = parsed[:, :4]
        sent_starts = parsed[:, 4].astype("int64")
        sent_starts[sent_starts == 0] = -1
        sent_starts[0] = 1
        starts[a:b] = sent_starts
    doc.from_array([HEAD, DEP, TAG, POS], values)
    doc.from_array([SENT_START], starts.view("uint64").reshape(-1, 1))


@Language.factory("dossier_parse", default_config={"model": str(MODEL_DIR), "batch_size": 256})
def make_parse(nlp: Language, name: str, model: str, batch_size: int) -> SelectiveParser:
    return SelectiveParser(nlp, name, model, batch_size)
