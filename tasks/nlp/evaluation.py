"""Field-by-field scoring of the extraction against hand-written gold files.

A gold article is two files in one folder (format: ``tests/gold/README.md``):

- ``<name>.txt``: the raw input article (a title line and a dated byline are allowed: the real
  cleaning step runs first, as in the pipeline);
- ``<name>.gold.json``: what an analyst expects, written by content, never by offset.

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
    "quotes",          # quote text (word overlap)
    "quote_speakers",  # quote text + speaker
    "dates",           # normalized value of DATE mentions
)
CLAIM_KEY = ("subject", "predicate", "object", "item")
CLAIM_FULL = CLAIM_KEY + ("value", "qualifier", "attributed_to", "modality")
QUOTE_OVERLAP = 0.6  # share of the shorter quote's words found in the other one

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
    return out


# --- the gold folder ------------------------------------------------------------------------------


def load_gold(gold_dir: str | Path) -> list[tuple[str, str, dict]]:
    """[(name, raw article text, gold dict)] for every ``<name>.gold.json`` with its ``<name>.txt``."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise ValueError(f"gold folder {str(gold_dir)!r} does not exist: pass the folder holding <name>.txt + <name>.gold.json")
    out = []
    for path in sorted(gold_dir.glob("*.gold.json")):
        name = path.name[: -len(".gold.json")]
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = gold.get("source")
        text_path = (path.parent / source) if source else path.with_name(f"{name}.txt")
        if not text_path.is_file():
            raise ValueError(f"{path}: article {text_path} not found (add {name}.txt or a 'source' path)")
        out.append((name, text_path.read_text(encoding="utf-8"), gold))
    if not out:
        raise ValueError(f"no *.gold.json files in {str(gold_dir)!r}")
    return out


def extract_gold_articles(articles: list[tuple[str, str, dict]], params=None) -> dict[str, dict[str, list[dict]]]:
    """Clean and extract each gold article as the pipeline does; rows per article name."""
    from tasks.clean import clean_text
    from tasks.extract import extract_articles
    from tasks.params import CleanParams, ExtractParams

    params = params or ExtractParams()
    batch = []
    for name, raw, gold in articles:
        cleaned = clean_text(raw, CleanParams())
        published = gold.get("published")
        published = dt.date.fromisoformat(published) if published else cleaned["published"]
        batch.append({"doc_id": name, "text": cleaned["text"], "published": published, "language": "en"})
    rows = extract_articles(batch, params)
    out: dict[str, dict[str, list[dict]]] = {name: {t: [] for t in rows} for name, _, _ in articles}
    for table, table_rows in rows.items():
        for row in table_rows:
            out[row["doc_id"]][table].append(row)
    return out


def evaluate(gold_dir: str | Path, params=None, details: bool = False) -> dict:
    """{field: {precision, recall, f1, tp, fp, fn}} over every gold article in ``gold_dir``.

    With ``details``, also ``_errors`` (every missed / spurious item) and ``_articles`` (the names).
    """
    articles = load_gold(gold_dir)
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
        lines.append(f"{f:<16}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    return "\n".join(lines)
