"""Field-by-field scoring of the extraction against hand-written gold files.

A gold article is two files in one folder (format: ``tests/gold/README.md``):

- ``<name>.txt``: the raw input article (a title line and a dated byline are allowed: the real
  cleaning step runs first, as in the pipeline);
- ``<name>.gold.json``: what an analyst expects, written by content, never by offset.

A gold file for a real article (``tests/gold/real/``) names it with ``corpus_file`` instead, read from
``$DOSSIER_REAL_CORPUS`` or ``../shared/corpora/real/`` through the real ingest and cleaning; its
``annotated`` fields are the only ones scored and its ``scope`` sections the only text scored.

``evaluate(gold_dir)`` runs ``clean_text`` + ``extract_articles`` over every gold article and returns
precision, recall and F1 per field (micro-averaged over the articles). ``score_article(gold, rows)``
is the pure scoring step for one article, ``load_gold(gold_dir)`` the only part that reads files.

Matching is by content, per article, on distinct values (an entity or a claim stated three times is
expected once), one-to-one (a gold item matches at most one predicted item). Any gold field may hold a
list of acceptable values (``"attributed_to": ["U.S. intelligence", "U.S."]``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

FIELDS = (
    "entities",        # (surface text, label) of every non-DATE mention
    "entity_ids",      # (surface text, label, entity_id)
    "quantities",      # (value, qualifier, item[, high for ranges])
    "claims_key",      # (subject, predicate, object, item)
    "claims_full",     # the key + value, qualifier, attributed_to, modality
    "claims_modality", # of the claims matched on the key: is the modality right (P = that share)
    "quotes",          # quote text (word overlap)
    "quote_speakers",  # quote text + speaker
    "dates",           # normalized value of DATE mentions
)
CLAIM_KEY = ("subject", "predicate", "object", "item")
CLAIM_FULL = CLAIM_KEY + ("value", "qualifier", "attributed_to", "modality")
QUOTE_OVERLAP = 0.6  # share of the shorter quote's words found in the other one
# what a gold file's "annotated" names -> the fields scored
ANNOTATED_FIELDS = {
    "entities": ("entities", "entity_ids"),
    "quantities": ("quantities",),
    "claims": ("claims_key", "claims_full", "claims_modality"),
    "quotes": ("quotes", "quote_speakers"),
    "dates": ("dates",),
}
SCOPE_WORDS = 8  # words of a scope's "from" / "to" snippet that locate it in the cleaned text
REAL_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "real"

_WORDS = re.compile(r"\w+")


# --- normalisation ----------------------------------------------------------------------------------


def _norm_text(value) -> str | None:
    """Surface forms compare without case, curly/straight quote or dash differences and extra space."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value))
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-"}))
    return " ".join(text.split()).strip(" ,.;:").lower()


def _norm_number(value) -> float | None:
    return None if value is None else round(float(value), 6)


def _alternatives(value, norm) -> frozenset:
    """A gold value or a list of acceptable values, normalised."""
    if isinstance(value, list):
        return frozenset(norm(v) for v in value)
    return frozenset([norm(value)])


# --- matching ---------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[dict] = field(default_factory=list)

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.errors.extend(other.errors)

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _match(gold: list[tuple], pred: list[tuple], same, doc: str, name: str, optional: Iterable[tuple] = ()) -> Counts:
    """One-to-one greedy matching of distinct gold items (tuples of alternative sets) to predictions."""
    pred = list(dict.fromkeys(pred))
    used = [False] * len(pred)
    counts = Counts()
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if not used[i] and same(g, p)), None)
        if hit is None:
            counts.fn += 1
            counts.errors.append({"doc": doc, "field": name, "kind": "missed", "item": _show(g)})
        else:
            used[hit] = True
            counts.tp += 1
    optional = list(optional)
    for i, p in enumerate(pred):
        if used[i] or any(same(o, p) for o in optional):
            continue
        counts.fp += 1
        counts.errors.append({"doc": doc, "field": name, "kind": "spurious", "item": list(p)})
    return counts


def _match_modality(gold: list[tuple], pred: list[tuple], doc: str) -> Counts:
    """Modality of the claims matched on their key, one to one (a prediction with the right modality
    preferred): tp = right, fp = wrong, so that precision is the share right; unmatched claims count
    neither way (claims_key scores them)."""
    pred = list(dict.fromkeys(pred))
    used = [False] * len(pred)
    counts = Counts()
    for key, modality in gold:
        hits = [i for i, (k, _) in enumerate(pred) if not used[i] and _same_tuple(key, k)]
        if not hits:
            continue
        right = [i for i in hits if modality is None or pred[i][1] in modality]
        i = (right or hits)[0]
        used[i] = True
        if right:
            counts.tp += 1
        else:
            counts.fp += 1
            counts.errors.append({"doc": doc, "field": "claims_modality", "kind": "wrong",
                                  "item": _show(key) + [pred[i][1], "expected", _show((modality,))]})
    return counts


def _show(g: tuple) -> list:
    def one(x):
        if not isinstance(x, frozenset):
            return x
        values = sorted(x, key=str)
        return values[0] if len(values) == 1 else values

    return [one(x) for x in g if x is not None]


def _same_tuple(g: tuple, p: tuple) -> bool:
    """Every field of p is one of g's alternatives; a gold field of None (not given) matches anything."""
    return all(gv is None or pv in gv for gv, pv in zip(g, p))


def _words(text: str) -> list[str]:
    return _WORDS.findall(_norm_text(text) or "")


def _same_quote(g: tuple, p: tuple) -> bool:
    """g = (alternative texts, alternative speakers or None); p = (text, speaker)."""
    pw = set(_words(p[0]))
    if not pw:
        return False
    text_ok = False
    for alt in g[0]:
        gw = set(_words(alt))
        if gw and len(gw & pw) / min(len(gw), len(pw)) >= QUOTE_OVERLAP:
            text_ok = True
            break
    if not text_ok:
        return False
    return g[1] is None or _norm_text(p[1]) in g[1]


# --- one article ------------------------------------------------------------------------------------


def _gold_tuple(item: dict, keys: tuple[str, ...], numeric: frozenset[str] = frozenset(), wildcard: bool = False) -> tuple:
    """The gold item's alternatives per key; with ``wildcard``, a key the item does not give matches anything."""
    return tuple(
        None if wildcard and k not in item else _alternatives(item.get(k), _norm_number if k in numeric else _norm_text)
        for k in keys
    )


def _quantity_key(q: dict) -> tuple:
    high = q.get("high") if q.get("qualifier") == "range" else None
    return (q.get("value"), q.get("qualifier"), q.get("item"), high)


def score_article(name: str, gold: dict, rows: dict[str, list[dict]]) -> dict[str, Counts]:
    """Counts per field for one article: ``gold`` is a parsed gold file, ``rows`` its extraction."""
    out: dict[str, Counts] = {}
    mentions = [m for m in rows["mentions"] if m["label"] != "DATE"]
    optional = gold.get("optional_entities", [])

    ent_gold = [_gold_tuple(e, ("text", "label")) for e in gold.get("entities", [])]
    ent_opt = [_gold_tuple(e, ("text", "label")) for e in optional]
    ent_pred = [(_norm_text(m["text"]), _norm_text(m["label"])) for m in mentions]
    out["entities"] = _match(ent_gold, ent_pred, _same_tuple, name, "entities", ent_opt)

    id_gold = [_gold_tuple(e, ("text", "label", "entity_id")) for e in gold.get("entities", [])]
    id_opt = [_gold_tuple(e, ("text", "label", "entity_id"), wildcard=True) for e in optional]
    id_pred = [(_norm_text(m["text"]), _norm_text(m["label"]), _norm_text(m["entity_id"])) for m in mentions]
    out["entity_ids"] = _match(id_gold, id_pred, _same_tuple, name, "entity_ids", id_opt)

    q_keys = ("value", "qualifier", "item", "high")
    q_gold = [
        tuple(_alternatives(v, _norm_number if k in ("value", "high") else _norm_text) for k, v in zip(q_keys, _quantity_key(q)))
        for q in gold.get("quantities", [])
    ]
    q_pred = [
        (_norm_number(v), _norm_text(ql), _norm_text(it), _norm_number(h))
        for v, ql, it, h in (_quantity_key(q) for q in rows["quantities"])
    ]
    out["quantities"] = _match(q_gold, q_pred, _same_tuple, name, "quantities")

    numeric = frozenset({"value"})
    claims = rows["claims"]

    def pred_claim(c: dict, keys) -> tuple:
        src = {"subject": c["subject_id"], "object": c["object_id"], **c}
        return tuple(_norm_number(src[k]) if k in numeric else _norm_text(src[k]) for k in keys)

    gold_claims = gold.get("claims", [])
    out["claims_key"] = _match(
        list(dict.fromkeys(_gold_tuple(c, CLAIM_KEY) for c in gold_claims)),
        [pred_claim(c, CLAIM_KEY) for c in claims], _same_tuple, name, "claims_key",
    )
    out["claims_full"] = _match(
        [_gold_tuple(c, CLAIM_FULL, numeric) for c in gold_claims],
        [pred_claim(c, CLAIM_FULL) for c in claims], _same_tuple, name, "claims_full",
    )

    out["claims_modality"] = _match_modality(
        [(_gold_tuple(c, CLAIM_KEY), _alternatives(c.get("modality"), _norm_text)) for c in gold_claims],
        [(pred_claim(c, CLAIM_KEY), _norm_text(c["modality"])) for c in claims], name,
    )

    def gold_quote(u: dict, with_speaker: bool) -> tuple:
        texts = frozenset(u["text"] if isinstance(u["text"], list) else [u["text"]])
        return (texts, _alternatives(u.get("speaker"), _norm_text) if with_speaker else None)

    u_pred = [(u["quote"], u["speaker"]) for u in rows["quotes"]]
    out["quotes"] = _match([gold_quote(u, False) for u in gold.get("quotes", [])], u_pred, _same_quote, name, "quotes")
    out["quote_speakers"] = _match(
        [gold_quote(u, True) for u in gold.get("quotes", [])], u_pred, _same_quote, name, "quote_speakers"
    )

    d_gold = [(_alternatives(d["normalized"], _norm_text),) for d in gold.get("dates", [])]
    d_pred = [(_norm_text(m["normalized"]),) for m in rows["mentions"] if m["label"] == "DATE"]
    out["dates"] = _match(d_gold, d_pred, _same_tuple, name, "dates")
    return {f: c for f, c in out.items() if f in scored_fields(gold)}


def scored_fields(gold: dict) -> tuple[str, ...]:
    """The fields a gold file is scored on: every field, or those its ``annotated`` key names."""
    if "annotated" not in gold:
        return FIELDS
    unknown = set(gold["annotated"]) - set(ANNOTATED_FIELDS)
    if unknown:
        raise ValueError(f"'annotated' names unknown fields {sorted(unknown)}; known: {sorted(ANNOTATED_FIELDS)}")
    return tuple(f for a in gold["annotated"] for f in ANNOTATED_FIELDS[a])


# --- scope: the sections of a long report that were annotated ---------------------------------------


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORDS.finditer(_norm_text_keep_length(text))]


def _norm_text_keep_length(text: str) -> str:
    """Curly quotes and dashes unified without changing any offset."""
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": "-", "‑": "-", "–": "-", "—": "-"}))


def _find_words(spans: list[tuple[str, int, int]], snippet: str, last: bool) -> int | None:
    """Index in ``spans`` of the first (or, with ``last``, the last) word of the snippet's opening
    (or closing) words, or None."""
    words = _WORDS.findall((_norm_text(snippet) or ""))
    needle = words[-SCOPE_WORDS:] if last else words[:SCOPE_WORDS]
    if not needle:
        return None
    flat = [w for w, _, _ in spans]
    for i in range(len(flat) - len(needle) + 1):
        if flat[i : i + len(needle)] == needle:
            return i + len(needle) - 1 if last else i
    return None


def scope_ranges(name: str, gold: dict, text: str) -> list[tuple[int, int]] | None:
    """Character ranges of the annotated sections in the cleaned text; None when the whole article is
    annotated. A section that cannot be found is an error in the gold file, said as such."""
    if not gold.get("scope"):
        return None
    spans = _word_spans(text)
    ranges = []
    for section in gold["scope"]:
        start = _find_words(spans, section["from"], last=False)
        end = _find_words(spans, section["to"], last=True)
        if start is None or end is None or end < start:
            raise ValueError(f"{name}: scope section {section.get('section', section['from'][:40])!r} not found "
                             f"in the cleaned text (its 'from' and 'to' must quote the article's words)")
        ranges.append((spans[start][1], spans[end][2]))
    return ranges


def in_scope(rows: dict[str, list[dict]], ranges: list[tuple[int, int]] | None) -> dict[str, list[dict]]:
    """The rows whose evidence starts inside an annotated section (all rows without a scope)."""
    if ranges is None:
        return rows
    return {table: [r for r in table_rows if "start_char" not in r or any(a <= r["start_char"] < b for a, b in ranges)]
            for table, table_rows in rows.items()}


# --- the gold folder ------------------------------------------------------------------------------


def real_corpus() -> Path | None:
    """The folder of real articles the ``corpus_file`` of a gold file points into, when present."""
    folder = Path(os.environ.get("DOSSIER_REAL_CORPUS") or REAL_CORPUS)
    return folder if folder.is_dir() else None


def load_gold(gold_dir: str | Path) -> list[tuple[str, str, dict]]:
    """[(name, raw article text, gold dict)] for every ``<name>.gold.json`` with its article: its
    ``<name>.txt``, its ``source`` path, or its ``corpus_file`` in the real corpus (``gold["_file"]``
    is then the file, read through ingest). A gold folder of real articles with no corpus present
    gives an empty list."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ValueError(f"gold folder {str(gold_dir)!r} does not exist: pass the folder holding <name>.txt + <name>.gold.json")
    out = []
    paths = sorted(gold_dir.glob("*.gold.json"))
    for path in paths:
        name = path.name[: -len(".gold.json")]
        gold = json.loads(path.read_text(encoding="utf-8"))
        if gold.get("corpus_file"):
            corpus = real_corpus()
            if corpus is None:
                continue
            text_path = corpus / gold["corpus_file"]
            gold["_file"] = str(text_path)
        else:
            source = gold.get("source")
            text_path = (path.parent / source) if source else path.with_name(f"{name}.txt")
        if not text_path.is_file():
            raise ValueError(f"{path}: article {text_path} not found (add {name}.txt, a 'source' or a 'corpus_file' path)")
        out.append((name, text_path.read_text(encoding="utf-8", errors="replace"), gold))
    if not paths:
        raise ValueError(f"no *.gold.json files in {str(gold_dir)!r}")
    return out


def _cleaned(name: str, raw: str, gold: dict) -> dict:
    """The article as the pipeline's clean step gives it: a corpus file goes through ingest first
    (front matter, HTML, Markdown), a gold ``.txt`` straight to cleaning."""
    from tasks.clean import clean_document, clean_text
    from tasks.params import CleanParams, IngestParams

    if "_file" in gold:
        from tasks.formats import format_of, ingest_record

        path = Path(gold["_file"])
        row = ingest_record(gold["corpus_file"], path.read_bytes(), format_of(path), IngestParams())
        if row["status"] != "ok":
            raise ValueError(f"{name}: ingest rejected {path} ({row['reject_reason']})")
        article, reason = clean_document(row, CleanParams())
        if article is None:
            raise ValueError(f"{name}: cleaning dropped {path} ({reason})")
        return {"text": article["text"], "published": article["published"]}
    cleaned = clean_text(raw, CleanParams())
    return {"text": cleaned["text"], "published": cleaned["published"]}


def extract_gold_articles(articles: list[tuple[str, str, dict]], params=None) -> dict[str, dict[str, list[dict]]]:
    """Clean and extract each gold article as the pipeline does; rows per article name."""
    from tasks.extract import extract_articles
    from tasks.params import ExtractParams

    params = params or ExtractParams()
    batch = []
    texts = {}
    for name, raw, gold in articles:
        cleaned = _cleaned(name, raw, gold)
        published = gold.get("published")
        published = dt.date.fromisoformat(published) if published else cleaned["published"]
        texts[name] = cleaned["text"]
        batch.append({"doc_id": name, "text": cleaned["text"], "published": published, "language": "en"})
    rows = extract_articles(batch, params)
    out: dict[str, dict[str, list[dict]]] = {name: {t: [] for t in rows} for name, _, _ in articles}
    for table, table_rows in rows.items():
        for row in table_rows:
            out[row["doc_id"]][table].append(row)
    for name, _, gold in articles:
        out[name] = in_scope(out[name], scope_ranges(name, gold, texts[name]))
    return out


def evaluate(gold_dir: str | Path, params=None, details: bool = False) -> dict:
    """{field: {precision, recall, f1, tp, fp, fn}} over every gold article in ``gold_dir``.

    With ``details``, also ``_errors`` (every missed / spurious item) and ``_articles`` (the names).
    """
    articles = load_gold(gold_dir)
    if not articles:
        raise ValueError(f"the gold files in {str(gold_dir)!r} point into the real corpus, which is not here "
                         f"(set DOSSIER_REAL_CORPUS or add ../shared/corpora/real/)")
    rows = extract_gold_articles(articles, params)
    total = {f: Counts() for f in FIELDS}
    for name, _, gold in articles:
        for f, counts in score_article(name, gold, rows[name]).items():
            total[f].add(counts)
    result = {f: total[f].scores() for f in FIELDS}
    if details:
        result["_errors"] = [e for f in FIELDS for e in total[f].errors]
        result["_articles"] = [name for name, _, _ in articles]
    return result


def format_table(result: dict) -> str:
    """The score table as text (one line per field)."""
    lines = [f"{'field':<16}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for f in FIELDS:
        s = result[f]
        if not s["tp"] + s["fp"] + s["fn"]:
            continue  # a field no gold file of the group annotates
        lines.append(f"{f:<16}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    return "\n".join(lines)
